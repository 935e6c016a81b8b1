/*
 * profiles_xml.c -- loading data/profiles.xml (corsim-profiles(5)) with
 * libxml2 into a corsim_db of resolved profiles.
 *
 * Hardening: the document is parsed without network access
 * (XML_PARSE_NONET), without entity substitution and without loading any
 * DTD; a DOCTYPE of any kind stops the parser at once, so no entity can be
 * declared (no billion laughs, no external entities).  Input is capped at
 * 16 MiB, element nesting at 64 levels and the document at 250000 nodes
 * (elements, attributes, comments and processing instructions: the real
 * file has about 11000), so the tree stays a bounded multiple of the
 * input; the parser stops at the first node over a limit.  libxml2 errors go to the caller's diagnostics through
 * per-context handlers, never to stderr, and xmlCleanupParser() is never
 * called (it would break other libxml2 users in the process).
 */
#include <config.h>

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/SAX2.h>
#include <libxml/relaxng.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>

#include "internal.h"

#define MAX_DIAGNOSTICS 200
/* The bounds on the document are corsim_limits' xml_* fields
 * (corsim_db_load_memory_ex(3); defaults in internal.h).  The format's own
 * depth is 4 (profiles, browser, releases, release). */

/* Provided by the generated builtin_data.c. */
extern const char corsim__builtin_profiles[];
extern const size_t corsim__builtin_profiles_len;
extern const char corsim__builtin_schema[];
extern const size_t corsim__builtin_schema_len;

/* ------------------------------------------------------------------------
 * Diagnostics
 * ------------------------------------------------------------------------ */

struct corsim_diagnostics {
  corsim_allocator a;
  corsim_diagnostic *v;
  size_t n, cap;
  size_t dropped;
};

CORSIM__API int corsim_diagnostics_new(corsim_diagnostics **out,
                                       const corsim_allocator *alloc) {
  corsim_allocator a;
  corsim_diagnostics *d;
  if (!out)
    return CORSIM_ERR_INVALID_ARGUMENT;
  *out = NULL;
  d = corsim__object_new(alloc, sizeof *d, &a);
  if (!d)
    return CORSIM_ERR_NOMEM;
  d->a = a;
  *out = d;
  return 0;
}

CORSIM__API void corsim_diagnostics_clear(corsim_diagnostics *d) {
  size_t i;
  if (!d)
    return;
  for (i = 0; i < d->n; i++) {
    corsim__free(&d->a, (void *)d->v[i].file);
    corsim__free(&d->a, (void *)d->v[i].message);
  }
  d->n = 0;
  d->dropped = 0;
}

CORSIM__API void corsim_diagnostics_free(corsim_diagnostics *d) {
  if (!d)
    return;
  corsim_diagnostics_clear(d);
  corsim__free(&d->a, d->v);
  corsim__free(&d->a, d);
}

CORSIM__API size_t corsim_diagnostics_count(const corsim_diagnostics *d) {
  return d ? d->n : 0;
}

CORSIM__API const corsim_diagnostic *
corsim_diagnostics_get(const corsim_diagnostics *d, size_t i) {
  return d && i < d->n ? &d->v[i] : NULL;
}

static char *dup_str(const corsim_allocator *a, const char *s) {
  size_t n = strlen(s);
  char *p = corsim__malloc(a, n + 1);
  if (p)
    memcpy(p, s, n + 1);
  return p;
}

/* Appends one entry; best effort (out of memory drops it). */
static void diag_push(corsim_diagnostics *d, const char *file,
                      unsigned long line, unsigned long col, const char *msg) {
  corsim_diagnostic *e;
  if (!d)
    return;
  if (d->n >= MAX_DIAGNOSTICS) {
    d->dropped++;
    return;
  }
  if (corsim__grow(&d->a, (void **)&d->v, &d->cap, d->n + 1, sizeof *d->v))
    return;
  e = &d->v[d->n];
  e->file = dup_str(&d->a, file);
  e->message = dup_str(&d->a, msg);
  if (!e->file || !e->message) {
    corsim__free(&d->a, (void *)e->file);
    corsim__free(&d->a, (void *)e->message);
    return;
  }
  e->line = line;
  e->column = col;
  d->n++;
}

/* ------------------------------------------------------------------------
 * The database
 * ------------------------------------------------------------------------ */

typedef struct db_release {
  const char *version, *date, *status, *engine, *engine_version;
  corsim_profile profile;
} db_release;

typedef struct db_browser {
  const char *id, *name, *type;
  const char **aliases;
  size_t nalias;
  db_release *rel;
  size_t nrel;
  size_t current;
} db_browser;

typedef struct chunk {
  struct chunk *next;
  size_t used, cap;
  char data[];
} chunk;

struct corsim_db {
  corsim_allocator a;
  db_browser *br;
  size_t nbr, br_cap;
  chunk *strings;
};

static void *db_alloc(corsim_db *db, size_t n) {
  chunk *c = db->strings;
  n = (n + 7) & ~(size_t)7;
  if (!c || c->cap - c->used < n) {
    size_t cap = n > 16384 ? n : 16384;
    c = corsim__malloc(&db->a, sizeof *c + cap);
    if (!c)
      return NULL;
    c->next = db->strings;
    c->used = 0;
    c->cap = cap;
    db->strings = c;
  }
  c->used += n;
  return c->data + c->used - n;
}

static const char *db_strdup(corsim_db *db, const char *s) {
  size_t n;
  char *p;
  if (!s)
    s = "";
  n = strlen(s);
  p = db_alloc(db, n + 1);
  if (p)
    memcpy(p, s, n + 1);
  return p;
}

CORSIM__API void corsim_db_free(corsim_db *db) {
  size_t i;
  chunk *c;
  if (!db)
    return;
  for (i = 0; i < db->nbr; i++) {
    corsim__free(&db->a, db->br[i].rel);
    corsim__free(&db->a, (void *)db->br[i].aliases);
  }
  corsim__free(&db->a, db->br);
  for (c = db->strings; c;) {
    chunk *next = c->next;
    corsim__free(&db->a, c);
    c = next;
  }
  corsim__free(&db->a, db);
}

/* Dotted versions compare numerically part by part ("26.5" equals
 * "26.5.0": missing parts count as 0, as in tools/bcd2profiles.py); a
 * non-numeric part sorts after numeric ones, then by bytes. */
static int version_cmp(const char *a, const char *b) {
  while (*a || *b) {
    const char *ea = a, *eb = b;
    int na = 1, nb = 1;
    size_t la, lb;
    while (*ea && *ea != '.') {
      if (*ea < '0' || *ea > '9')
        na = 0;
      ea++;
    }
    while (*eb && *eb != '.') {
      if (*eb < '0' || *eb > '9')
        nb = 0;
      eb++;
    }
    la = (size_t)(ea - a);
    lb = (size_t)(eb - b);
    if (la == 0 && !*a) { /* a is exhausted: its part is "0" */
      a = "0";
      la = 1;
    }
    if (lb == 0 && !*b) {
      b = "0";
      lb = 1;
    }
    if (na && nb) {
      while (la > 1 && *a == '0') {
        a++;
        la--;
      }
      while (lb > 1 && *b == '0') {
        b++;
        lb--;
      }
      if (la != lb)
        return la < lb ? -1 : 1;
      if (memcmp(a, b, la))
        return memcmp(a, b, la) < 0 ? -1 : 1;
    } else if (na != nb) {
      return na ? -1 : 1;
    } else {
      size_t m = la < lb ? la : lb;
      int c = memcmp(a, b, m);
      if (c)
        return c < 0 ? -1 : 1;
      if (la != lb)
        return la < lb ? -1 : 1;
    }
    a = *ea ? ea + 1 : ea;
    b = *eb ? eb + 1 : eb;
  }
  return 0;
}

static int is_plain_version(const char *s, size_t len) {
  size_t i;
  int digit = 0;
  if (len == 0)
    return 0;
  for (i = 0; i < len; i++) {
    if (s[i] >= '0' && s[i] <= '9')
      digit = 1;
    else if (s[i] == '.' && digit && i + 1 < len)
      digit = 0;
    else
      return 0;
  }
  return digit;
}

/* ------------------------------------------------------------------------
 * Attribute formats checked by the loader instead of the schema
 *
 * The frequent attributes of <release> and <set> (about 8,000 values in
 * data/profiles.xml) are <text/> in data/profiles.rng: libxml2 2.9.14
 * compiles a pattern facet into a regular expression again for every value
 * it checks, which made RelaxNG validation cost about 15 ms a load.  These
 * are the same rules as the patterns they replace (XSD patterns match the
 * whole value; [0-9] and [a-z] are ASCII; \s is space, tab, CR and LF; .
 * is any character but CR and LF), checked on the bytes.
 * ------------------------------------------------------------------------ */

static int is_digit(int c) { return c >= '0' && c <= '9'; }
static int is_lower(int c) { return c >= 'a' && c <= 'z'; }
static int is_alpha(int c) { return is_lower(c) || (c >= 'A' && c <= 'Z'); }

/* version: [0-9A-Za-z.]+ */
static int is_version_text(const char *s) {
  if (!*s)
    return 0;
  for (; *s; s++)
    if (!is_digit(*s) && !is_alpha(*s) && *s != '.')
      return 0;
  return 1;
}

/* engine: [A-Za-z][A-Za-z0-9._\-]* */
static int is_engine_name(const char *s) {
  if (!is_alpha(*s))
    return 0;
  for (s++; *s; s++)
    if (!is_digit(*s) && !is_alpha(*s) && *s != '.' && *s != '_' &&
        *s != '-')
      return 0;
  return 1;
}

/* date: [0-9]{4}-[0-9]{2}-[0-9]{2} that is also an xsd:date, i.e. a day
 * of the proleptic Gregorian calendar with a year from 0001 (libxml2
 * refuses year 0000, as XSD 1.0 does). */
static int is_date(const char *s) {
  static const unsigned char days[12] = {31, 28, 31, 30, 31, 30,
                                         31, 31, 30, 31, 30, 31};
  int i, y, m, d, leap;
  for (i = 0; i < 10; i++)
    if (i == 4 || i == 7 ? s[i] != '-' : !is_digit(s[i]))
      return 0; /* also stops at a NUL before the tenth byte */
  if (s[10])
    return 0;
  y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 +
      (s[3] - '0');
  m = (s[5] - '0') * 10 + (s[6] - '0');
  d = (s[8] - '0') * 10 + (s[9] - '0');
  if (y == 0 || m < 1 || m > 12 || d < 1)
    return 0;
  leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return d <= days[m - 1] + (m == 2 && leap);
}

/* behaviour identifier: [a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+ */
static int is_behaviour_id(const char *s) {
  int parts = 0;
  for (;;) {
    if (!is_lower(*s))
      return 0;
    for (s++; is_lower(*s) || is_digit(*s) || *s == '_'; s++)
      ;
    parts++;
    if (!*s)
      return parts >= 2;
    if (*s++ != '.')
      return 0;
  }
}

/* any value: 0|[1-9][0-9]{0,9} or [a-z][a-z0-9\-]* */
static int is_any_value(const char *s) {
  size_t n;
  if (is_digit(*s)) {
    if (*s == '0')
      return s[1] == '\0';
    for (n = 0; is_digit(s[n]); n++)
      ;
    return s[n] == '\0' && n <= 10;
  }
  if (!is_lower(*s))
    return 0;
  for (s++; *s; s++)
    if (!is_lower(*s) && !is_digit(*s) && *s != '-')
      return 0;
  return 1;
}

static int is_xsd_space(int c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* source reference: (bcd|fetch|measured|research):\S(.*\S)? */
static int is_source_ref(const char *s) {
  static const char *const kinds[] = {"bcd:", "fetch:", "measured:",
                                      "research:"};
  size_t k, n;
  for (k = 0; k < sizeof kinds / sizeof kinds[0]; k++)
    if (strncmp(s, kinds[k], strlen(kinds[k])) == 0)
      break;
  if (k == sizeof kinds / sizeof kinds[0])
    return 0;
  s += strlen(kinds[k]);
  n = strlen(s);
  if (n == 0 || is_xsd_space(s[0]) || is_xsd_space(s[n - 1]))
    return 0;
  return strpbrk(s, "\r\n") == NULL;
}

/* ------------------------------------------------------------------------
 * Loading
 * ------------------------------------------------------------------------ */

typedef struct load_state {
  corsim_diagnostics *diag;
  const char *name;
  const char *buf;
  size_t len;
  int errors;
  int refused; /* a DOCTYPE was met, or a limit exceeded: parsing stopped */
  size_t depth, nodes; /* current element depth; nodes seen so far */
  size_t max_depth, max_nodes; /* corsim_limits xml_max_depth, _nodes */
  int nomem; /* libxml2 ran out of memory: the load fails with NOMEM */
  char unplaced[400];  /* the first schema error without a position */
} load_state;

#if defined(__GNUC__)
__attribute__((format(printf, 4, 5)))
#endif
static void report(load_state *st, unsigned long line, unsigned long col,
                   const char *fmt, ...);

static void report(load_state *st, unsigned long line, unsigned long col,
                   const char *fmt, ...) {
  char msg[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  st->errors++;
  diag_push(st->diag, st->name, line, col, msg);
}

/* Column (1-based) of needle on line `line` of the input, or 0.  With
 * after_space, only a hit that follows a space or tab counts (an attribute
 * name: "version=" must not find engine-version=). */
static unsigned long column_of(const load_state *st, unsigned long line,
                               const char *needle, int after_space) {
  const char *p = st->buf, *end = st->buf + st->len, *eol, *hit;
  unsigned long l = 1;
  size_t nlen = strlen(needle);
  if (line == 0)
    return 0;
  while (l < line && p < end) {
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    if (!nl)
      return 0;
    p = nl + 1;
    l++;
  }
  eol = memchr(p, '\n', (size_t)(end - p));
  if (!eol)
    eol = end;
  for (hit = p; hit + nlen <= eol; hit++)
    if (memcmp(hit, needle, nlen) == 0 &&
        (!after_space || (hit > p && (hit[-1] == ' ' || hit[-1] == '\t'))))
      return (unsigned long)(hit - p) + 1;
  return 0;
}

static unsigned long node_line(xmlNodePtr n) {
  long l = n ? xmlGetLineNo(n) : 0;
  return l > 0 ? (unsigned long)l : 0;
}

static unsigned long node_col(const load_state *st, xmlNodePtr n,
                              const char *attr_name) {
  char needle[128];
  unsigned long line = node_line(n);
  if (attr_name) {
    unsigned long col;
    snprintf(needle, sizeof needle, "%s=", attr_name);
    if ((col = column_of(st, line, needle, 1)) != 0)
      return col;
  }
  if (!n || !n->name)
    return 0;
  snprintf(needle, sizeof needle, "<%s", (const char *)n->name);
  return column_of(st, line, needle, 0);
}

static void trim_message(char *m) {
  size_t n = strlen(m);
  while (n && (m[n - 1] == '\n' || m[n - 1] == ' '))
    m[--n] = '\0';
}

static void on_parser_error(void *data, xmlErrorPtr e) {
  xmlParserCtxtPtr ctxt = data;
  load_state *st = ctxt ? ctxt->_private : NULL;
  char msg[400];
  if (!st || !e)
    return;
  if (st->refused && e->code == XML_ERR_USER_STOP)
    return; /* already reported why we stopped */
  if (e->code == XML_ERR_NO_MEMORY)
    st->nomem = 1;
  snprintf(msg, sizeof msg, "%s", e->message ? e->message : "XML error");
  trim_message(msg);
  if (e->level == XML_ERR_WARNING) {
    diag_push(st->diag, st->name, (unsigned long)(e->line > 0 ? e->line : 0),
              (unsigned long)(e->int2 > 0 ? e->int2 : 0), msg);
    return;
  }
  report(st, (unsigned long)(e->line > 0 ? e->line : 0),
         (unsigned long)(e->int2 > 0 ? e->int2 : 0), "%s", msg);
}

static void on_schema_error(void *data, xmlErrorPtr e) {
  load_state *st = data;
  char msg[400];
  if (!st || !e)
    return;
  if (e->code == XML_ERR_NO_MEMORY)
    st->nomem = 1;
  snprintf(msg, sizeof msg, "%s", e->message ? e->message : "schema error");
  trim_message(msg);
  {
    xmlNodePtr node = e->node;
    unsigned long line = node_line(node);
    if (line == 0 && e->line > 0)
      line = (unsigned long)e->line;
    if (line == 0) {
      /* keep it in case no placed error follows: check_required() or a
       * later, placed message usually says where */
      if (!st->unplaced[0])
        snprintf(st->unplaced, sizeof st->unplaced, "%s", msg);
      return;
    }
    report(st, line, node_line(node) ? node_col(st, node, NULL) : 0,
           "does not match the schema: %s", msg);
  }
}

static void on_builtin_schema_error(void *data, xmlErrorPtr e) {
  load_state *st = data;
  if (st && e && e->code == XML_ERR_NO_MEMORY)
    st->nomem = 1;
  if (st && e)
    report(st, 0, 0, "internal error in the compiled-in schema: %s",
           e->message ? e->message : "?");
}

static void no_doctype(void *ctx, const xmlChar *name, const xmlChar *ext,
                       const xmlChar *sys) {
  xmlParserCtxtPtr ctxt = ctx;
  load_state *st = ctxt->_private;
  (void)name;
  (void)ext;
  (void)sys;
  if (!st->refused)
    report(st, (unsigned long)xmlSAX2GetLineNumber(ctx),
           (unsigned long)xmlSAX2GetColumnNumber(ctx),
           "DOCTYPE declarations are not allowed in profile files (no DTD, "
           "no entities, nothing external is loaded)");
  st->refused = 1;
  xmlStopParser(ctxt);
}

static void no_entity(void *ctx, const xmlChar *name, int type,
                      const xmlChar *pub, const xmlChar *sys,
                      xmlChar *content) {
  no_doctype(ctx, name, pub, sys);
  (void)type;
  (void)content;
}

/* Counts n more nodes at the current position; past a limit, reports it
 * once and stops the parser.  0 to go on, -1 when stopped. */
static int count_nodes(xmlParserCtxtPtr ctxt, size_t n) {
  load_state *st = ctxt->_private;
  if (st->refused)
    return -1;
  st->nodes += n;
  if (st->depth <= st->max_depth && st->nodes <= st->max_nodes)
    return 0;
  report(st, (unsigned long)xmlSAX2GetLineNumber(ctxt),
         (unsigned long)xmlSAX2GetColumnNumber(ctxt),
         st->depth > st->max_depth
             ? "elements nested more than %zu deep: not a profile file"
             : "more than %zu elements, attributes and comments: not a "
               "profile file",
         st->depth > st->max_depth ? st->max_depth : st->max_nodes);
  st->refused = 1;
  xmlStopParser(ctxt);
  return -1;
}

static void start_element(void *ctx, const xmlChar *localname,
                          const xmlChar *prefix, const xmlChar *uri,
                          int nb_namespaces, const xmlChar **namespaces,
                          int nb_attributes, int nb_defaulted,
                          const xmlChar **attributes) {
  xmlParserCtxtPtr ctxt = ctx;
  load_state *st = ctxt->_private;
  st->depth++;
  if (count_nodes(ctxt, 1 + (size_t)(nb_attributes > 0 ? nb_attributes : 0)))
    return;
  xmlSAX2StartElementNs(ctx, localname, prefix, uri, nb_namespaces,
                        namespaces, nb_attributes, nb_defaulted, attributes);
}

static void end_element(void *ctx, const xmlChar *localname,
                        const xmlChar *prefix, const xmlChar *uri) {
  xmlParserCtxtPtr ctxt = ctx;
  load_state *st = ctxt->_private;
  if (st->depth)
    st->depth--;
  if (!st->refused)
    xmlSAX2EndElementNs(ctx, localname, prefix, uri);
}

static void on_comment(void *ctx, const xmlChar *value) {
  if (count_nodes(ctx, 1) == 0)
    xmlSAX2Comment(ctx, value);
}

static void on_pi(void *ctx, const xmlChar *target, const xmlChar *data) {
  if (count_nodes(ctx, 1) == 0)
    xmlSAX2ProcessingInstruction(ctx, target, data);
}

static xmlDocPtr parse_document(load_state *st) {
  xmlParserCtxtPtr ctxt;
  xmlDocPtr doc;

  ctxt = xmlCreateMemoryParserCtxt(st->buf, (int)st->len);
  if (!ctxt)
    return NULL;
  xmlCtxtUseOptions(ctxt, XML_PARSE_NONET);
  ctxt->_private = st;
  ctxt->replaceEntities = 0;
  ctxt->loadsubset = 0;
  ctxt->validate = 0;
  ctxt->sax->serror = on_parser_error;
  ctxt->sax->internalSubset = no_doctype;
  ctxt->sax->externalSubset = no_doctype;
  ctxt->sax->entityDecl = no_entity;
  ctxt->sax->startElementNs = start_element;
  ctxt->sax->endElementNs = end_element;
  ctxt->sax->comment = on_comment;
  ctxt->sax->processingInstruction = on_pi;
  ctxt->vctxt.error = NULL;
  ctxt->vctxt.warning = NULL;
  xmlParseDocument(ctxt);
  doc = ctxt->myDoc;
  ctxt->myDoc = NULL;
  if (!ctxt->wellFormed || st->refused) {
    if (!st->errors)
      report(st, 0, 0, "the document is not well-formed XML");
    if (doc)
      xmlFreeDoc(doc);
    doc = NULL;
  }
  xmlFreeParserCtxt(ctxt);
  return doc;
}

/*
 * libxml2's RelaxNG validator reports a missing required attribute without
 * a position ("Element set failed to validate attributes").  This walk
 * finds those first, with line and column; the schema stays the authority
 * for everything else.
 */
static const struct {
  const char *element;
  const char *attrs[4];
} required[] = {
    {"profiles", {"format"}},
    {"behaviour", {"id", "type", "spec"}},
    {"browser", {"id", "name"}},
    {"alias", {"name"}},
    {"release", {"version"}},
    {"set", {"behaviour", "value", "source"}},
};

static const char *attr(xmlNodePtr n, const char *name);

static void check_required(load_state *st, xmlNodePtr n) {
  size_t i, k;
  for (; n; n = n->next) {
    if (n->type != XML_ELEMENT_NODE)
      continue;
    for (i = 0; i < sizeof required / sizeof required[0]; i++) {
      if (!xmlStrEqual(n->name, (const xmlChar *)required[i].element))
        continue;
      for (k = 0; k < 4 && required[i].attrs[k]; k++)
        if (!attr(n, required[i].attrs[k]))
          report(st, node_line(n), node_col(st, n, NULL),
                 "element <%s> lacks the required attribute '%s'",
                 required[i].element, required[i].attrs[k]);
    }
    check_required(st, n->children);
  }
}

static int validate(load_state *st, xmlDocPtr doc) {
  xmlRelaxNGParserCtxtPtr pctxt;
  xmlRelaxNGPtr schema;
  xmlRelaxNGValidCtxtPtr vctxt;
  int rc = -1;

  pctxt = xmlRelaxNGNewMemParserCtxt(corsim__builtin_schema,
                                     (int)corsim__builtin_schema_len);
  if (!pctxt)
    return -2;
  xmlRelaxNGSetParserStructuredErrors(pctxt, on_builtin_schema_error, st);
  schema = xmlRelaxNGParse(pctxt);
  xmlRelaxNGFreeParserCtxt(pctxt);
  if (!schema)
    return st->errors ? -1 : -2;
  check_required(st, xmlDocGetRootElement(doc));
  vctxt = xmlRelaxNGNewValidCtxt(schema);
  if (vctxt) {
    xmlRelaxNGSetValidStructuredErrors(vctxt, on_schema_error, st);
    rc = xmlRelaxNGValidateDoc(vctxt, doc);
    xmlRelaxNGFreeValidCtxt(vctxt);
    if (rc != 0 && !st->errors)
      report(st, 0, 0, "does not match the schema: %s",
             st->unplaced[0] ? st->unplaced : "(no detail)");
  } else {
    rc = -2;
  }
  xmlRelaxNGFree(schema);
  return rc == 0 ? 0 : rc < 0 && !st->errors ? -2 : -1;
}

/* ---- walking the document ---- */

static int is_elem(xmlNodePtr n, const char *name) {
  return n && n->type == XML_ELEMENT_NODE &&
         xmlStrEqual(n->name, (const xmlChar *)name);
}

/* The attribute's text (no allocation), "" when empty, NULL if absent. */
static const char *attr(xmlNodePtr n, const char *name) {
  xmlAttrPtr a;
  for (a = n->properties; a; a = a->next) {
    if (!xmlStrEqual(a->name, (const xmlChar *)name))
      continue;
    if (!a->children)
      return "";
    if (a->children->type == XML_TEXT_NODE && !a->children->next)
      return (const char *)a->children->content;
    return "";
  }
  return NULL;
}

typedef struct pending_set {
  int behaviour, value;
  size_t since, until; /* release indexes; until exclusive */
} pending_set;

static int check_behaviours(load_state *st, xmlNodePtr list) {
  int seen[CORSIM__B_COUNT];
  xmlNodePtr n;
  int b;

  memset(seen, 0, sizeof seen);
  for (n = list->children; n; n = n->next) {
    const char *id, *type, *spec, *values;
    const corsim__behaviour_info *bi;
    static const char *const types[] = {"bool", "enum", "int"};
    int v;
    if (!is_elem(n, "behaviour"))
      continue;
    id = attr(n, "id");
    type = attr(n, "type");
    spec = attr(n, "spec");
    values = attr(n, "values");
    b = id ? corsim__behaviour_find(id, strlen(id)) : -1;
    if (b < 0) {
      report(st, node_line(n), node_col(st, n, "id"),
             "unknown behaviour '%s': this version of corsim does not model "
             "it",
             id ? id : "");
      continue;
    }
    bi = &corsim__behaviours[b];
    if (seen[b]) {
      report(st, node_line(n), node_col(st, n, "id"),
             "behaviour '%s' is declared twice", id);
      continue;
    }
    seen[b] = 1;
    if (!type || strcmp(type, types[bi->type]) != 0) {
      report(st, node_line(n), node_col(st, n, "type"),
             "behaviour '%s' has type '%s', but corsim models it as '%s'", id,
             type ? type : "", types[bi->type]);
      continue;
    }
    if (bi->type == CORSIM__BT_ENUM &&
        (!values || strcmp(values, bi->values) != 0)) {
      report(st, node_line(n), node_col(st, n, "values"),
             "behaviour '%s' must list the values \"%s\"", id, bi->values);
      continue;
    }
    if (!spec || corsim__behaviour_parse(b, spec, strlen(spec), &v) != 0) {
      report(st, node_line(n), node_col(st, n, "spec"),
             "behaviour '%s': spec value '%s' is not a valid value", id,
             spec ? spec : "");
      continue;
    }
    if (v != bi->spec) {
      char buf[24];
      report(st, node_line(n), node_col(st, n, "spec"),
             "behaviour '%s': the Fetch Standard's value is '%s', not '%s'",
             id, corsim__behaviour_text(b, bi->spec, buf, sizeof buf, NULL),
             spec);
    }
  }
  for (b = 0; b < CORSIM__B_COUNT; b++)
    if (!seen[b])
      report(st, node_line(list), node_col(st, list, NULL),
             "behaviour '%s' is not declared", corsim__behaviours[b].id);
  return 0;
}

/* What the value of an attribute checked by bad_format() should be. */
#define WHAT_VERSION "a version (one or more ASCII letters, digits and dots)"
#define WHAT_DATE "a date (YYYY-MM-DD, a day of the calendar from year 0001)"
#define WHAT_ENGINE                                                           \
  "an engine name (an ASCII letter, then ASCII letters, digits, '.', '_' "   \
  "and '-')"
#define WHAT_BEHAVIOUR_ID                                                     \
  "a behaviour identifier (two or more words of lowercase letters, digits "  \
  "and underscores, each starting with a letter, joined by dots)"
#define WHAT_VALUE                                                            \
  "a value (a whole number of at most ten digits without sign or leading "   \
  "zeros, or a lowercase letter followed by lowercase letters, digits and "  \
  "hyphens)"
#define WHAT_SOURCE                                                           \
  "a source (bcd:, fetch:, measured: or research:, then text without a "     \
  "line break that neither starts nor ends with a space or tab)"

/* Reports attribute `name` of n when its value (if present) fails ok();
 * 1 when it did. */
static int bad_format(load_state *st, xmlNodePtr n, const char *name,
                      const char *value, int (*ok)(const char *),
                      const char *what) {
  if (!value || ok(value))
    return 0;
  report(st, node_line(n), node_col(st, n, name), "%s=\"%s\" is not %s", name,
         value, what);
  return 1;
}

static db_browser *find_browser(const corsim_db *db, const char *id,
                                size_t len) {
  size_t i, k;
  for (i = 0; i < db->nbr; i++) {
    const db_browser *br = &db->br[i];
    if (corsim__ci_eq(br->id, strlen(br->id), id, len))
      return &db->br[i];
    for (k = 0; k < br->nalias; k++)
      if (corsim__ci_eq(br->aliases[k], strlen(br->aliases[k]), id, len))
        return &db->br[i];
  }
  return NULL;
}

static size_t release_index(const db_browser *br, const char *v) {
  size_t i;
  for (i = 0; i < br->nrel; i++)
    if (strcmp(br->rel[i].version, v) == 0)
      return i;
  return SIZE_MAX;
}

/* The profile named by a browser's based-on="BROWSER/RELEASE" attribute
 * (its lineage: a Debian Chromium build starts from Chrome, WebKitGTK from
 * Safari), or NULL when there is none or it names nothing (reported).  The
 * browser named must come earlier in the file. */
static const corsim_profile *based_on(load_state *st, const corsim_db *db,
                                      xmlNodePtr node) {
  const char *b = attr(node, "based-on"), *slash;
  const db_browser *br;
  size_t i;
  if (!b)
    return NULL;
  slash = strchr(b, '/');
  if (slash && (br = find_browser(db, b, (size_t)(slash - b))) != NULL &&
      (i = release_index(br, slash + 1)) != SIZE_MAX)
    return &br->rel[i].profile;
  report(st, node_line(node), node_col(st, node, "based-on"),
         "based-on=\"%s\" names no release of a browser defined earlier in "
         "the file (expected BROWSER/RELEASE, e.g. chrome/154)",
         b);
  return NULL;
}

static int load_browser(load_state *st, corsim_db *db, xmlNodePtr node) {
  const char *id = attr(node, "id");
  db_browser *br;
  xmlNodePtr n, r;
  pending_set *sets = NULL;
  size_t nsets = 0, sets_cap = 0, nrel = 0, nalias = 0, i, k;
  const corsim_profile *base;
  int rc = 0;

  if (!id)
    return 0; /* the schema already said so */
  if (strcmp(id, "spec") == 0 || find_browser(db, id, strlen(id))) {
    report(st, node_line(node), node_col(st, node, "id"),
           "browser '%s' is defined twice (or clashes with an alias or "
           "\"spec\")",
           id);
    return 0;
  }
  base = based_on(st, db, node);
  for (n = node->children; n; n = n->next) {
    if (is_elem(n, "alias"))
      nalias++;
    if (is_elem(n, "releases"))
      for (r = n->children; r; r = r->next)
        if (is_elem(r, "release"))
          nrel++;
  }
  if (nrel == 0)
    return 0; /* schema error already reported */
  if (corsim__grow(&db->a, (void **)&db->br, &db->br_cap, db->nbr + 1,
                   sizeof *db->br))
    return CORSIM_ERR_NOMEM;
  br = &db->br[db->nbr];
  memset(br, 0, sizeof *br);
  br->rel = corsim__malloc(&db->a, nrel * sizeof *br->rel);
  br->aliases = corsim__malloc(&db->a, (nalias ? nalias : 1) * sizeof(char *));
  br->id = db_strdup(db, id);
  br->name = db_strdup(db, attr(node, "name"));
  br->type = db_strdup(db, attr(node, "type"));
  db->nbr++; /* from here on corsim_db_free() releases it */
  if (!br->rel || !br->aliases || !br->id || !br->name || !br->type)
    return CORSIM_ERR_NOMEM;

  for (n = node->children; n; n = n->next) {
    if (is_elem(n, "alias")) {
      const char *a = attr(n, "name");
      if (!a)
        continue;
      if (strcmp(a, "spec") == 0 || find_browser(db, a, strlen(a))) {
        report(st, node_line(n), node_col(st, n, "name"),
               "alias '%s' is already a browser id or alias", a);
        continue;
      }
      if (!(br->aliases[br->nalias++] = db_strdup(db, a)))
        return CORSIM_ERR_NOMEM;
    } else if (is_elem(n, "releases")) {
      for (r = n->children; r; r = r->next) {
        db_release *rel;
        const char *v, *date, *engine, *ev;
        if (!is_elem(r, "release") || !(v = attr(r, "version")))
          continue;
        date = attr(r, "date");
        engine = attr(r, "engine");
        ev = attr(r, "engine-version");
        if (bad_format(st, r, "version", v, is_version_text, WHAT_VERSION))
          continue;
        bad_format(st, r, "date", date, is_date, WHAT_DATE);
        bad_format(st, r, "engine", engine, is_engine_name, WHAT_ENGINE);
        bad_format(st, r, "engine-version", ev, is_version_text,
                   WHAT_VERSION);
        if (br->nrel && version_cmp(br->rel[br->nrel - 1].version, v) >= 0) {
          report(st, node_line(r), node_col(st, r, "version"),
                 "release '%s' of %s is %s: releases must be listed in "
                 "ascending version order",
                 v, id,
                 release_index(br, v) != SIZE_MAX ? "listed twice"
                                                  : "out of order");
          continue;
        }
        rel = &br->rel[br->nrel];
        rel->version = db_strdup(db, v);
        rel->date = db_strdup(db, date);
        rel->status = db_strdup(db, attr(r, "status"));
        rel->engine = db_strdup(db, engine);
        rel->engine_version = db_strdup(db, ev);
        if (!rel->version || !rel->date || !rel->status || !rel->engine ||
            !rel->engine_version)
          return CORSIM_ERR_NOMEM;
        br->nrel++;
      }
    }
  }

  /* <set> elements, checked against this browser's releases */
  for (n = node->children; n; n = n->next) {
    const char *bname, *value, *since, *until, *source;
    pending_set ps;
    int bad = 0;
    if (!is_elem(n, "set"))
      continue;
    bname = attr(n, "behaviour");
    value = attr(n, "value");
    since = attr(n, "since");
    until = attr(n, "until");
    source = attr(n, "source");
    if (!bname || !value || !source)
      continue; /* check_required() and the schema already said so */
    /* the formats first, each with its own message */
    bad = bad_format(st, n, "behaviour", bname, is_behaviour_id,
                     WHAT_BEHAVIOUR_ID);
    bad |= bad_format(st, n, "value", value, is_any_value, WHAT_VALUE);
    bad |= bad_format(st, n, "since", since, is_version_text, WHAT_VERSION);
    bad |= bad_format(st, n, "until", until, is_version_text, WHAT_VERSION);
    bad |= bad_format(st, n, "source", source, is_source_ref, WHAT_SOURCE);
    if (bad)
      continue;
    ps.behaviour = corsim__behaviour_find(bname, strlen(bname));
    if (ps.behaviour < 0) {
      report(st, node_line(n), node_col(st, n, "behaviour"),
             "unknown behaviour '%s'", bname);
      continue;
    }
    if (corsim__behaviour_parse(ps.behaviour, value, strlen(value),
                                &ps.value) != 0) {
      const corsim__behaviour_info *bi = &corsim__behaviours[ps.behaviour];
      report(st, node_line(n), node_col(st, n, "value"),
             "'%s' is not a value of behaviour '%s' (expected %s)",
             value, bname,
             bi->type == CORSIM__BT_BOOL  ? "true or false"
             : bi->type == CORSIM__BT_INT ? "a whole number up to 1000000000"
                                          : bi->values);
      continue;
    }
    ps.since = 0;
    ps.until = br->nrel;
    if (since && (ps.since = release_index(br, since)) == SIZE_MAX) {
      report(st, node_line(n), node_col(st, n, "since"),
             "since=\"%s\" names no release of %s (its releases go from %s "
             "to %s)",
             since, id, br->nrel ? br->rel[0].version : "?",
             br->nrel ? br->rel[br->nrel - 1].version : "?");
      continue;
    }
    if (until && (ps.until = release_index(br, until)) == SIZE_MAX) {
      report(st, node_line(n), node_col(st, n, "until"),
             "until=\"%s\" names no release of %s (its releases go from %s "
             "to %s)",
             until, id, br->nrel ? br->rel[0].version : "?",
             br->nrel ? br->rel[br->nrel - 1].version : "?");
      continue;
    }
    if (ps.since >= ps.until) {
      report(st, node_line(n), node_col(st, n, since ? "since" : "until"),
             "since=\"%s\" is not before until=\"%s\": the range is empty",
             since ? since : br->rel[0].version, until ? until : "(end)");
      continue;
    }
    if (corsim__grow(&db->a, (void **)&sets, &sets_cap, nsets + 1,
                     sizeof *sets)) {
      rc = CORSIM_ERR_NOMEM;
      goto done;
    }
    sets[nsets++] = ps;
  }

  /* resolve every release */
  br->current = br->nrel ? br->nrel - 1 : 0;
  for (i = br->nrel; i-- > 0;)
    if (strcmp(br->rel[i].status, "retired") == 0) {
      br->current = i;
      break;
    }
  for (i = 0; i < br->nrel; i++)
    if (strcmp(br->rel[i].status, "current") == 0) {
      br->current = i;
      break;
    }
  for (i = 0; i < br->nrel; i++) {
    corsim_profile *p = &br->rel[i].profile;
    size_t idl = strlen(br->id), vl = strlen(br->rel[i].version);
    char *name = db_alloc(db, idl + vl + 2);
    if (!name) {
      rc = CORSIM_ERR_NOMEM;
      goto done;
    }
    memcpy(name, br->id, idl);
    name[idl] = '/';
    memcpy(name + idl + 1, br->rel[i].version, vl + 1);
    p->name = name;
    for (k = 0; k < CORSIM__B_COUNT; k++)
      p->v[k] = base ? base->v[k] : corsim__behaviours[k].spec;
    for (k = 0; k < nsets; k++)
      if (sets[k].since <= i && i < sets[k].until)
        p->v[sets[k].behaviour] = sets[k].value;
  }
done:
  corsim__free(&db->a, sets);
  return rc;
}

static int build(load_state *st, corsim_db *db, xmlDocPtr doc) {
  xmlNodePtr root = xmlDocGetRootElement(doc), n;
  int rc;
  if (!is_elem(root, "profiles"))
    return 0;
  for (n = root->children; n; n = n->next) {
    if (is_elem(n, "behaviours")) {
      check_behaviours(st, n);
    } else if (is_elem(n, "browser")) {
      rc = load_browser(st, db, n);
      if (rc)
        return rc;
    }
  }
  return 0;
}

/* "the file is larger than 16 MiB", or the limit in bytes when it is not
 * the default. */
static const char *too_large_message(char *buf, size_t n, size_t max) {
  if (max == CORSIM__DEFAULT_XML_MAX_BYTES)
    return "the file is larger than 16 MiB";
  snprintf(buf, n, "the file is larger than %zu bytes (xml_max_bytes)", max);
  return buf;
}

static int load(corsim_db **out, const char *data, size_t len,
                const char *name, const corsim_allocator *alloc,
                corsim_diagnostics *diag, const corsim_limits *limits) {
  corsim_limits lim;
  char big[96];
  load_state st;
  corsim_allocator a;
  corsim_db *db;
  xmlDocPtr doc;
  int rc;

  if (!out || (!data && len))
    return CORSIM_ERR_INVALID_ARGUMENT;
  *out = NULL;
  memset(&st, 0, sizeof st);
  st.diag = diag;
  st.name = name ? name : "<memory>";
  st.buf = data ? data : "";
  st.len = len;
  if (limits)
    lim = *limits;
  else
    corsim_limits_default(&lim);
  st.max_depth = lim.xml_max_depth;
  st.max_nodes = lim.xml_max_nodes;
  if (len > lim.xml_max_bytes) {
    report(&st, 0, 0, "%s",
           too_large_message(big, sizeof big, lim.xml_max_bytes));
    return CORSIM_ERR_TOO_LARGE;
  }
  if (len == 0) {
    report(&st, 0, 0, "the document is empty, not well-formed XML");
    return CORSIM_ERR_BAD_PROFILES;
  }
  xmlInitParser();
  doc = parse_document(&st);
  if (!doc)
    return st.errors && !st.nomem ? CORSIM_ERR_BAD_PROFILES
                                  : CORSIM_ERR_NOMEM;
  rc = validate(&st, doc);
  if (rc || st.nomem) {
    xmlFreeDoc(doc);
    return rc == -2 || st.nomem ? CORSIM_ERR_NOMEM : CORSIM_ERR_BAD_PROFILES;
  }
  db = corsim__object_new(alloc, sizeof *db, &a);
  if (!db) {
    xmlFreeDoc(doc);
    return CORSIM_ERR_NOMEM;
  }
  db->a = a;
  rc = build(&st, db, doc);
  xmlFreeDoc(doc);
  if (!rc && st.errors)
    rc = CORSIM_ERR_BAD_PROFILES;
  if (rc) {
    corsim_db_free(db);
    return rc;
  }
  *out = db;
  return 0;
}

CORSIM__API int corsim_db_load_memory(corsim_db **out, const char *data,
                                      size_t len, const char *name,
                                      const corsim_allocator *alloc,
                                      corsim_diagnostics *diag) {
  return load(out, data, len, name, alloc, diag, NULL);
}

CORSIM__API int corsim_db_load_memory_ex(corsim_db **out, const char *data,
                                         size_t len, const char *name,
                                         const corsim_allocator *alloc,
                                         corsim_diagnostics *diag,
                                         const corsim_limits *limits) {
  return load(out, data, len, name, alloc, diag, limits);
}

CORSIM__API int corsim_db_load_file(corsim_db **out, const char *path,
                                    const corsim_allocator *alloc,
                                    corsim_diagnostics *diag) {
  return corsim_db_load_file_ex(out, path, alloc, diag, NULL);
}

CORSIM__API int corsim_db_load_file_ex(corsim_db **out, const char *path,
                                       const corsim_allocator *alloc,
                                       corsim_diagnostics *diag,
                                       const corsim_limits *limits) {
  corsim_allocator a;
  corsim_limits lim;
  FILE *f;
  char *buf = NULL, big[96];
  size_t len = 0, cap = 0, want;
  int rc;

  if (!out || !path)
    return CORSIM_ERR_INVALID_ARGUMENT;
  *out = NULL;
  if (limits)
    lim = *limits;
  else
    corsim_limits_default(&lim);
  /* read at most one byte more than the limit: enough to know */
  want = lim.xml_max_bytes < SIZE_MAX ? lim.xml_max_bytes + 1 : SIZE_MAX;
  corsim__alloc_init(&a, alloc);
  f = fopen(path, "rb");
  if (!f) {
    char msg[256];
    snprintf(msg, sizeof msg, "cannot open: %s", strerror(errno));
    diag_push(diag, path, 0, 0, msg);
    return CORSIM_ERR_IO;
  }
  for (;;) {
    size_t got, room;
    if (len >= want) {
      fclose(f);
      corsim__free(&a, buf);
      diag_push(diag, path, 0, 0,
                too_large_message(big, sizeof big, lim.xml_max_bytes));
      return CORSIM_ERR_TOO_LARGE;
    }
    if (len == cap) {
      size_t need = cap == 0 ? 65536 : cap > want / 2 ? want : cap * 2;
      rc = corsim__grow(&a, (void **)&buf, &cap, need < want ? need : want,
                        1);
      if (rc) {
        fclose(f);
        corsim__free(&a, buf);
        return rc;
      }
    }
    room = (cap < want ? cap : want) - len;
    got = fread(buf + len, 1, room, f);
    len += got;
    if (got == 0)
      break;
  }
  if (ferror(f)) {
    fclose(f);
    corsim__free(&a, buf);
    diag_push(diag, path, 0, 0, "read error");
    return CORSIM_ERR_IO;
  }
  fclose(f);
  rc = load(out, buf, len, path, alloc, diag, &lim);
  corsim__free(&a, buf);
  return rc;
}

CORSIM__API int corsim_db_load_builtin(corsim_db **out,
                                       const corsim_allocator *alloc,
                                       corsim_diagnostics *diag) {
  return load(out, corsim__builtin_profiles, corsim__builtin_profiles_len,
              "<builtin profiles.xml>", alloc, diag, NULL);
}

CORSIM__API int corsim_db_load_default(corsim_db **out,
                                       const corsim_allocator *alloc,
                                       corsim_diagnostics *diag) {
  const char *path = getenv("CORSIM_PROFILES");
  if (path && *path)
    return corsim_db_load_file(out, path, alloc, diag);
  return corsim_db_load_builtin(out, alloc, diag);
}

CORSIM__API corsim_str corsim_builtin_profiles_xml(void) {
  corsim_str s = {corsim__builtin_profiles, corsim__builtin_profiles_len};
  return s;
}

CORSIM__API corsim_str corsim_builtin_profiles_schema(void) {
  corsim_str s = {corsim__builtin_schema, corsim__builtin_schema_len};
  return s;
}

/* ------------------------------------------------------------------------
 * Queries
 * ------------------------------------------------------------------------ */

CORSIM__API int corsim_db_find(const corsim_db *db, const char *name,
                               size_t len, const corsim_profile **out,
                               corsim_lookup *info) {
  const char *slash;
  const db_browser *br;
  size_t blen, i, best = SIZE_MAX;
  char version[64];

  if (!out || (!name && len))
    return CORSIM_ERR_INVALID_ARGUMENT;
  *out = NULL;
  if (len == 4 && memcmp(name, "spec", 4) == 0) {
    *out = corsim_profile_spec();
    if (info) {
      info->browser = "spec";
      info->version = "";
      info->exact = 1;
    }
    return 0;
  }
  if (!db || len == 0)
    return CORSIM_ERR_UNKNOWN_PROFILE;
  slash = memchr(name, '/', len);
  blen = slash ? (size_t)(slash - name) : len;
  br = find_browser(db, name, blen);
  if (!br || br->nrel == 0)
    return CORSIM_ERR_UNKNOWN_PROFILE;
  if (!slash) {
    best = br->current;
    if (info)
      info->exact = 1;
  } else {
    size_t vlen = len - blen - 1;
    if (vlen == 0 || vlen >= sizeof version)
      return CORSIM_ERR_UNKNOWN_PROFILE;
    memcpy(version, slash + 1, vlen);
    version[vlen] = '\0';
    if (memchr(version, '\0', vlen))
      return CORSIM_ERR_UNKNOWN_PROFILE;
    best = release_index(br, version);
    if (best != SIZE_MAX) {
      if (info)
        info->exact = 1;
    } else {
      if (!is_plain_version(version, vlen))
        return CORSIM_ERR_UNKNOWN_PROFILE;
      for (i = 0; i < br->nrel; i++)
        if (version_cmp(br->rel[i].version, version) <= 0)
          best = i;
      if (best == SIZE_MAX)
        return CORSIM_ERR_UNKNOWN_PROFILE;
      if (info)
        info->exact = 0;
    }
  }
  *out = &br->rel[best].profile;
  if (info) {
    info->browser = br->id;
    info->version = br->rel[best].version;
  }
  return 0;
}

/* Levenshtein distance of two short strings (capped inputs). */
static size_t distance(const char *a, size_t al, const char *b, size_t bl) {
  size_t row[65], i, j;
  if (al > 64)
    al = 64;
  if (bl > 64)
    bl = 64;
  for (j = 0; j <= bl; j++)
    row[j] = j;
  for (i = 1; i <= al; i++) {
    size_t prev = row[0], cur;
    row[0] = i;
    for (j = 1; j <= bl; j++) {
      size_t cost = corsim__lower((unsigned char)a[i - 1]) ==
                            corsim__lower((unsigned char)b[j - 1])
                        ? 0
                        : 1;
      cur = row[j];
      row[j] = prev + cost;
      if (row[j - 1] + 1 < row[j])
        row[j] = row[j - 1] + 1;
      if (cur + 1 < row[j])
        row[j] = cur + 1;
      prev = cur;
    }
  }
  return row[bl];
}

CORSIM__API int corsim_db_suggest(const corsim_db *db, const char *name,
                                  size_t len, char *buf, size_t buf_len) {
  const char *slash;
  const db_browser *br;
  size_t blen, i, n = 0, shown = 0, d;
  int truncated = 0;

#define EMIT(...)                                                             \
  do {                                                                        \
    int w_ = snprintf(buf + n, buf_len - n, __VA_ARGS__);                     \
    if (w_ < 0 || (size_t)w_ >= buf_len - n) {                                \
      n = buf_len - 1;                                                        \
      truncated = 1;                                                          \
    } else {                                                                  \
      n += (size_t)w_;                                                        \
    }                                                                         \
  } while (0)

  if (!buf || buf_len == 0 || (!name && len))
    return CORSIM_ERR_INVALID_ARGUMENT;
  buf[0] = '\0';
  slash = name ? memchr(name, '/', len) : NULL;
  blen = slash ? (size_t)(slash - name) : len;
  br = db ? find_browser(db, name, blen) : NULL;
  if (br) {
    EMIT("%s has releases %s to %s (current: %s)", br->id,
         br->rel[0].version, br->rel[br->nrel - 1].version,
         br->rel[br->current].version);
  } else {
    EMIT("no browser '%.*s'", (int)(blen > 64 ? 64 : blen), name ? name : "");
    if (db) {
      for (d = 0; d <= 3; d++)
        for (i = 0; i < db->nbr; i++) {
          const char *id = db->br[i].id;
          size_t il = strlen(id), dist = distance(name, blen, id, il);
          int prefix = blen >= 3 && il > blen &&
                       corsim__ci_eq(id, blen, name, blen);
          if ((prefix ? 0 : dist) != d)
            continue; /* nearest first: prefixes, then by edit distance */
          EMIT("%s%s", shown++ ? ", " : "; did you mean ", id);
        }
      if (!shown) {
        EMIT("; known: spec");
        for (i = 0; i < db->nbr; i++)
          EMIT(", %s", db->br[i].id);
      }
    } else {
      EMIT("; without a profile database only 'spec' exists");
    }
  }
#undef EMIT
  return truncated ? CORSIM_ERR_BUFFER_TOO_SMALL : 0;
}

CORSIM__API size_t corsim_db_browser_count(const corsim_db *db) {
  return db ? db->nbr : 0;
}

CORSIM__API int corsim_db_browser(const corsim_db *db, size_t i,
                                  corsim_browser_info *out) {
  const db_browser *br;
  if (!db || !out)
    return CORSIM_ERR_INVALID_ARGUMENT;
  if (i >= db->nbr)
    return CORSIM_ERR_NOT_FOUND;
  br = &db->br[i];
  out->id = br->id;
  out->name = br->name;
  out->type = br->type;
  out->release_count = br->nrel;
  out->current = br->nrel ? br->rel[br->current].version : "";
  return 0;
}

CORSIM__API int corsim_db_release(const corsim_db *db, size_t i, size_t j,
                                  corsim_release_info *out) {
  const db_release *r;
  if (!db || !out)
    return CORSIM_ERR_INVALID_ARGUMENT;
  if (i >= db->nbr || j >= db->br[i].nrel)
    return CORSIM_ERR_NOT_FOUND;
  r = &db->br[i].rel[j];
  out->version = r->version;
  out->date = r->date;
  out->status = r->status;
  out->engine = r->engine;
  out->engine_version = r->engine_version;
  out->profile = &r->profile;
  return 0;
}
