/*
 * check_xml_hardening.c -- the profile loader against hostile XML: no
 * network, no external entity or DTD is ever loaded (an XXE that names a
 * local file must not read it), no entity expansion, and huge or deeply
 * nested documents are refused with a clear diagnostic, quickly and in
 * bounded memory.
 *
 * "Nothing is loaded" is checked at the source: libxml2 sends every
 * external load (DTD, entity, XInclude, schema import) through its
 * external entity loader; the test installs one that records the request
 * and refuses it, and also registers an input callback that records any
 * file or URL libxml2 tries to open by other means.
 *
 * Last, the attribute formats the loader checks in place of the schema
 * are compared, value by value, with libxml2's verdict on the patterns
 * the schema used to hold.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/relaxng.h>
#include <libxml/xmlIO.h>

#include "testutil.h"

static int loads;        /* external loads attempted */
static char last_load[512];

static xmlParserInputPtr recording_loader(const char *url, const char *id,
                                          xmlParserCtxtPtr ctxt) {
  (void)ctxt;
  loads++;
  snprintf(last_load, sizeof last_load, "%s", url ? url : id ? id : "?");
  return NULL;
}

static int opens;
static int match_any(const char *filename) {
  opens++;
  snprintf(last_load, sizeof last_load, "%s", filename ? filename : "?");
  return 0; /* not ours: the default handlers would go on */
}
static void *open_none(const char *filename) {
  (void)filename;
  return NULL;
}
static int read_none(void *ctx, char *buf, int len) {
  (void)ctx;
  (void)buf;
  (void)len;
  return -1;
}
static int close_none(void *ctx) {
  (void)ctx;
  return 0;
}

static xmlExternalEntityLoader saved_loader;
static char secret_path[256];
static const char secret[] = "corsim-secret-7f3c1a9e";

static void setup(void) {
  FILE *f;
  xmlInitParser();
  saved_loader = xmlGetExternalEntityLoader();
  xmlSetExternalEntityLoader(recording_loader);
  ck_assert_int_ge(xmlRegisterInputCallbacks(match_any, open_none, read_none,
                                             close_none),
                   0);
  loads = opens = 0;
  snprintf(secret_path, sizeof secret_path, "%s/corsim-xxe-%ld.txt",
           getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", (long)getpid());
  f = fopen(secret_path, "w");
  ck_assert_ptr_nonnull(f);
  fputs(secret, f);
  fclose(f);
}

static void teardown(void) {
  xmlSetExternalEntityLoader(saved_loader);
  xmlPopInputCallbacks();
  unlink(secret_path);
}

/* Loads doc; returns the code and checks the invariants: no database on
 * failure, nothing loaded, the secret nowhere in the diagnostics. */
static int load(const char *doc, size_t len, corsim_diagnostics *d) {
  corsim_db *db = NULL;
  size_t i;
  int rc = corsim_db_load_memory(&db, doc, len, "hostile.xml", NULL, d);
  ck_assert_msg(loads == 0 && opens == 0,
                "libxml2 tried to load '%s' (%d loader calls, %d opens)",
                last_load, loads, opens);
  for (i = 0; i < corsim_diagnostics_count(d); i++)
    ck_assert_msg(!strstr(corsim_diagnostics_get(d, i)->message, secret),
                  "the secret file was read: %s",
                  corsim_diagnostics_get(d, i)->message);
  if (rc)
    ck_assert_ptr_null(db);
  corsim_db_free(db);
  return rc;
}

static const char *first_message(const corsim_diagnostics *d) {
  const corsim_diagnostic *e = corsim_diagnostics_get(d, 0);
  return e ? e->message : "";
}

/* ------------------------------------------------------------------------
 * External entities, DTDs, XInclude
 * ------------------------------------------------------------------------ */

START_TEST(test_xxe_local_file) {
  static const char *const templates[] = {
      /* general entity in content */
      "<?xml version=\"1.0\"?>\n<!DOCTYPE profiles [<!ENTITY x SYSTEM "
      "\"file://@\">]>\n<profiles format=\"1\">&x;</profiles>\n",
      /* in an attribute value */
      "<?xml version=\"1.0\"?>\n<!DOCTYPE profiles [<!ENTITY x SYSTEM "
      "\"@\">]>\n<profiles format=\"&x;\"/>\n",
      /* parameter entity */
      "<?xml version=\"1.0\"?>\n<!DOCTYPE profiles [<!ENTITY % p SYSTEM "
      "\"@\"> %p;]>\n<profiles/>\n",
      /* external DTD subset */
      "<?xml version=\"1.0\"?>\n<!DOCTYPE profiles SYSTEM \"@\">\n"
      "<profiles/>\n",
      /* XInclude (never processed) */
      "<?xml version=\"1.0\"?>\n<profiles format=\"1\" "
      "xmlns=\"urn:corsim:profiles\" "
      "xmlns:xi=\"http://www.w3.org/2001/XInclude\"><xi:include href=\"@\" "
      "parse=\"text\"/></profiles>\n",
      /* a stylesheet processing instruction and a schema location */
      "<?xml version=\"1.0\"?>\n<?xml-stylesheet href=\"@\"?>\n"
      "<profiles format=\"1\" "
      "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
      "xsi:schemaLocation=\"urn:x @\"/>\n",
  };
  char doc[2048];
  corsim_diagnostics *d = NULL;
  int n = 0, rc;
  const char *t;
  for (t = templates[_i]; *t; t++) /* each @ becomes the secret file */
    n += snprintf(doc + n, sizeof doc - (size_t)n, "%.*s",
                  *t == '@' ? (int)strlen(secret_path) : 1,
                  *t == '@' ? secret_path : t);
  ck_assert_ok(corsim_diagnostics_new(&d, NULL));
  rc = load(doc, (size_t)n, d);
  ck_assert_int_eq(rc, CORSIM_ERR_BAD_PROFILES);
  ck_assert_uint_gt(corsim_diagnostics_count(d), 0);
  if (_i < 4)
    ck_assert_msg(strstr(first_message(d), "DOCTYPE"), "%s", first_message(d));
  corsim_diagnostics_free(d);
}
END_TEST

START_TEST(test_no_network) {
  /* a DTD and an entity on the network, and an XInclude of a URL */
  static const char *const docs[] = {
      "<!DOCTYPE profiles PUBLIC \"-//x//y\" "
      "\"http://127.0.0.1:9/p.dtd\"><profiles/>",
      "<!DOCTYPE p [<!ENTITY e SYSTEM \"http://127.0.0.1:9/e\">]><p>&e;</p>",
      "<profiles xmlns:xi=\"http://www.w3.org/2001/XInclude\">"
      "<xi:include href=\"http://127.0.0.1:9/x.xml\"/></profiles>",
  };
  corsim_diagnostics *d = NULL;
  ck_assert_ok(corsim_diagnostics_new(&d, NULL));
  ck_assert_int_eq(load(docs[_i], strlen(docs[_i]), d),
                   CORSIM_ERR_BAD_PROFILES);
  corsim_diagnostics_free(d);
}
END_TEST

/* ------------------------------------------------------------------------
 * Entity expansion
 * ------------------------------------------------------------------------ */

START_TEST(test_entity_expansion_bounded) {
  /* billion laughs and quadratic blowup: refused at the DOCTYPE, in a
   * moment, whatever the size of the expansion */
  char *doc = malloc(300000), *p = doc;
  size_t i;
  corsim_diagnostics *d = NULL;
  struct timespec t0, t1;
  p += sprintf(p, "<?xml version=\"1.0\"?>\n<!DOCTYPE p [<!ENTITY a \"");
  for (i = 0; i < 100000; i++)
    *p++ = 'a';
  p += sprintf(p, "\">]>\n<p>");
  for (i = 0; i < 20000; i++)
    p += sprintf(p, "&a;");
  p += sprintf(p, "</p>\n");
  ck_assert_ok(corsim_diagnostics_new(&d, NULL));
  clock_gettime(CLOCK_MONOTONIC, &t0);
  ck_assert_int_eq(load(doc, (size_t)(p - doc), d), CORSIM_ERR_BAD_PROFILES);
  clock_gettime(CLOCK_MONOTONIC, &t1);
  ck_assert_msg(strstr(first_message(d), "DOCTYPE"), "%s", first_message(d));
  ck_assert_uint_eq(corsim_diagnostics_count(d), 1);
  /* (2 GB of expansion would take far longer than this) */
  ck_assert_int_lt(t1.tv_sec - t0.tv_sec, 20);
  corsim_diagnostics_free(d);
  free(doc);
}
END_TEST

START_TEST(test_predefined_entities_only) {
  /* character references and the five predefined entities are plain XML;
   * an undeclared entity is an error, not a lookup */
  static const char doc[] =
      "<profiles format=\"&#49;\" x=\"&amp;&lt;&gt;&quot;&apos;\">&undefined;"
      "</profiles>";
  corsim_diagnostics *d = NULL;
  ck_assert_ok(corsim_diagnostics_new(&d, NULL));
  ck_assert_int_eq(load(L(doc), d), CORSIM_ERR_BAD_PROFILES);
  ck_assert_msg(strstr(first_message(d), "undefined") ||
                    strstr(first_message(d), "Entity"),
                "%s", first_message(d));
  corsim_diagnostics_free(d);
}
END_TEST

/* ------------------------------------------------------------------------
 * Size, depth and node count
 * ------------------------------------------------------------------------ */

START_TEST(test_deep_nesting_refused) {
  /* 65 levels is over the limit of 64; 1,000,000 levels must neither
   * overflow a stack nor take long */
  static const size_t depths[] = {65, 1000, 1000000};
  size_t depth = depths[_i], i;
  char *doc = malloc(depth * 7 + 64), *p = doc;
  corsim_diagnostics *d = NULL;
  p += sprintf(p, "<profiles format=\"1\">");
  for (i = 1; i < depth; i++)
    p += sprintf(p, "<a>");
  for (i = 1; i < depth; i++)
    p += sprintf(p, "</a>");
  p += sprintf(p, "</profiles>");
  ck_assert_ok(corsim_diagnostics_new(&d, NULL));
  ck_assert_int_eq(load(doc, (size_t)(p - doc), d), CORSIM_ERR_BAD_PROFILES);
  ck_assert_msg(strstr(first_message(d), "nested more than 64 deep"), "%s",
                first_message(d));
  ck_assert_uint_eq(corsim_diagnostics_get(d, 0)->line, 1);
  ck_assert_uint_eq(corsim_diagnostics_count(d), 1);
  corsim_diagnostics_free(d);
  free(doc);
}
END_TEST

START_TEST(test_depth_64_is_parsed) {
  /* exactly at the limit: parsed (then refused by the schema) */
  char doc[1024], *p = doc;
  int i;
  corsim_diagnostics *d = NULL;
  p += sprintf(p, "<profiles format=\"1\">");
  for (i = 1; i < 64; i++)
    p += sprintf(p, "<a>");
  for (i = 1; i < 64; i++)
    p += sprintf(p, "</a>");
  p += sprintf(p, "</profiles>");
  ck_assert_ok(corsim_diagnostics_new(&d, NULL));
  ck_assert_int_eq(load(doc, (size_t)(p - doc), d), CORSIM_ERR_BAD_PROFILES);
  ck_assert_msg(!strstr(first_message(d), "nested"), "%s", first_message(d));
  corsim_diagnostics_free(d);
}
END_TEST

START_TEST(test_too_many_nodes_refused) {
  /* 16 MiB of empty elements, attributes or comments would make a tree of
   * hundreds of megabytes: refused after 250,000 nodes */
  static const char *const unit[] = {"<a/>", "<a b='' c='' d='' e=''/>",
                                     "<!---->", "<?p?>"};
  size_t ulen = strlen(unit[_i]), n = (size_t)15 * 1024 * 1024 / ulen, i;
  char *doc = malloc(n * ulen + 64), *p = doc;
  corsim_diagnostics *d = NULL;
  p += sprintf(p, "<profiles format=\"1\">");
  for (i = 0; i < n; i++) {
    memcpy(p, unit[_i], ulen);
    p += ulen;
  }
  p += sprintf(p, "</profiles>");
  ck_assert_ok(corsim_diagnostics_new(&d, NULL));
  ck_assert_int_eq(load(doc, (size_t)(p - doc), d), CORSIM_ERR_BAD_PROFILES);
  ck_assert_msg(strstr(first_message(d), "more than 250000"), "%s",
                first_message(d));
  corsim_diagnostics_free(d);
  free(doc);
}
END_TEST

START_TEST(test_huge_document_refused) {
  /* over 16 MiB: refused before parsing */
  size_t len = (size_t)16 * 1024 * 1024 + 1;
  char *doc = malloc(len);
  corsim_diagnostics *d = NULL;
  memset(doc, 'x', len);
  memcpy(doc, "<profiles>", 10);
  ck_assert_ok(corsim_diagnostics_new(&d, NULL));
  ck_assert_int_eq(load(doc, len, d), CORSIM_ERR_TOO_LARGE);
  ck_assert_msg(strstr(first_message(d), "16 MiB"), "%s", first_message(d));
  corsim_diagnostics_free(d);
  free(doc);
}
END_TEST

START_TEST(test_huge_text_and_names) {
  /* a 10 MiB attribute value, a 1 MiB element name, and a 15 MiB text
   * node: no crash, a clear error */
  size_t big = (size_t)10 * 1024 * 1024, i;
  char *doc = malloc(big + 4096), *p;
  corsim_diagnostics *d = NULL;
  int k;
  for (k = 0; k < 3; k++) {
    p = doc;
    if (k == 0) {
      p += sprintf(p, "<profiles format=\"");
      for (i = 0; i < big; i++)
        *p++ = '1';
      p += sprintf(p, "\"/>");
    } else if (k == 1) {
      *p++ = '<';
      for (i = 0; i < big / 10; i++)
        *p++ = 'n';
      p += sprintf(p, "/>");
    } else {
      p += sprintf(p, "<profiles>");
      for (i = 0; i < big; i++)
        *p++ = 't';
      p += sprintf(p, "</profiles>");
    }
    ck_assert_ok(corsim_diagnostics_new(&d, NULL));
    ck_assert_int_eq(load(doc, (size_t)(p - doc), d), CORSIM_ERR_BAD_PROFILES);
    ck_assert_uint_gt(corsim_diagnostics_count(d), 0);
    corsim_diagnostics_free(d);
  }
  free(doc);
}
END_TEST

START_TEST(test_real_file_still_loads) {
  /* the limits leave room: the compiled-in database loads, with nothing
   * loaded from outside */
  corsim_db *db = NULL;
  corsim_str xml = corsim_builtin_profiles_xml();
  ck_assert_ok(corsim_db_load_memory(&db, xml.ptr, xml.len, "p.xml", NULL,
                                     NULL));
  ck_assert_int_eq(loads + opens, 0);
  ck_assert_uint_gt(corsim_db_browser_count(db), 10);
  corsim_db_free(db);
}
END_TEST

/* ------------------------------------------------------------------------
 * The formats the loader checks instead of the schema
 *
 * data/profiles.rng leaves the attributes of <release> and <set> as
 * <text/> and the loader checks their formats (libxml2 compiles a pattern
 * facet again for every value, too slow for 8,000 values).  Here libxml2's
 * own RelaxNG validator, given the patterns the schema used to hold, is
 * the oracle: for every candidate value the loader must report the format
 * exactly when the old pattern refuses the value.
 * ------------------------------------------------------------------------ */

static const struct {
  const char *attr;  /* the attribute in the test document */
  const char *data;  /* the old schema's definition of its value */
  const char *where; /* the test browser; the value replaces "%s" */
  int loads;         /* a value of the right format makes a valid file */
  const char *values[40];
} format_rows[] = {
#define VERSION_DATA                                                          \
  "<data type=\"string\"><param name=\"pattern\">[0-9A-Za-z.]+</param>"       \
  "</data>"
#define SET_FMT(attrs)                                                        \
  "<browser id=\"t\" name=\"T\"><releases><release version=\"1\"/>"          \
  "</releases><set " attrs "/></browser>"
#define VERSIONS                                                              \
  "1", "3.6", "preview", ".", "1..2", "A.b9", "", " 1", "1 ", "1_0", "1-2",  \
      "1/2", "\xc3\xa9", "\xef\xbc\x91", "1&#9;", "1&#10;", "1&#160;"
    {"version", VERSION_DATA,
     "<browser id=\"t\" name=\"T\"><releases><release version=\"%s\"/>"
     "</releases></browser>",
     1, {VERSIONS, NULL}},
    {"engine-version", VERSION_DATA,
     "<browser id=\"t\" name=\"T\"><releases><release version=\"1\" "
     "engine-version=\"%s\"/></releases></browser>",
     1, {VERSIONS, NULL}},
    {"date",
     "<data type=\"date\"><param name=\"pattern\">"
     "[0-9]{4}-[0-9]{2}-[0-9]{2}</param></data>",
     "<browser id=\"t\" name=\"T\"><releases><release version=\"1\" "
     "date=\"%s\"/></releases></browser>",
     1, {"2024-01-01", "0000-01-01", "0001-01-01", "2024-02-29", "2023-02-29",
      "1900-02-29", "2000-02-29", "2100-02-29", "2400-02-29", "2024-02-30",
      "2024-04-31", "2024-04-30", "2024-06-31", "2024-08-31", "2024-09-31",
      "2024-11-31", "2024-12-31", "2024-00-10", "2024-01-00", "2024-13-01",
      "9999-12-31", " 2024-01-01", "2024-01-01 ", "2024-1-01", "24-01-01",
      "12024-01-01", "-2024-01-01", "2024-01-01Z", "2024-01-01+01:00",
      "2024-01-01T00:00:00Z", "2024/01/01", "", "\xef\xbc\x92" "024-01-01",
      NULL}},
    {"engine",
     "<data type=\"string\"><param name=\"pattern\">"
     "[A-Za-z][A-Za-z0-9._\\-]*</param></data>",
     "<browser id=\"t\" name=\"T\"><releases><release version=\"1\" "
     "engine=\"%s\"/></releases></browser>",
     1, {"Blink", "A", "z", "Web-Kit_2.x", "9Blink", "", "-x", ".x", "_x",
      "Blink ", " Blink", "Bl ink", "Bl\xc3\xafnk", "B+", "B/x", "B&#10;",
      NULL}},
    {"behaviour",
     "<data type=\"string\"><param name=\"pattern\">"
     "[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)+</param></data>",
     SET_FMT("behaviour=\"%s\" value=\"1\" source=\"bcd:x\""),
     0, {"aceh.wildcard", "a.b", "a.b.c", "a_1.b2", "a.b_", "aceh", "", "a.",
      ".a", "a..b", "a.1b", "a._b", "a.b ", "a-b.c", "a.b-c", "A.b", "a.B",
      "\xc3\xa9.x", "1a.b", NULL}},
    {"value",
     "<choice><data type=\"string\"><param name=\"pattern\">"
     "0|[1-9][0-9]{0,9}</param></data><data type=\"string\">"
     "<param name=\"pattern\">[a-z][a-z0-9\\-]*</param></data></choice>",
     SET_FMT("behaviour=\"wire.max_head_bytes\" value=\"%s\" "
             "source=\"bcd:x\""),
     0, {"0", "00", "01", "7", "1000000000", "9999999999", "10000000000",
      "true", "drop-invalid", "a", "a-", "a1", "A", "-a", "1a", "a_b", "",
      " true", "true ", "+1", "-1", "1.5", "\xc3\xa9", NULL}},
    {"since", VERSION_DATA,
     SET_FMT("behaviour=\"aceh.wildcard\" value=\"false\" since=\"%s\" "
             "source=\"bcd:x\""),
     0, {VERSIONS, NULL}},
    {"until", VERSION_DATA,
     SET_FMT("behaviour=\"aceh.wildcard\" value=\"false\" until=\"%s\" "
             "source=\"bcd:x\""),
     0, {VERSIONS, NULL}},
    {"source",
     "<data type=\"string\"><param name=\"pattern\">"
     "(bcd|fetch|measured|research):\\S(.*\\S)?</param></data>",
     SET_FMT("behaviour=\"aceh.wildcard\" value=\"false\" source=\"%s\""),
     1, {"bcd:x", "bcd:x y", "bcd:x&#9;y", "bcd:\xc3\xa9", "measured:a b c",
      "research:a", "fetch:#x", "bcd::", "bcd:", "bcd: x", "bcd:x ",
      "bcd:x&#10;y", "bcd:x&#13;", "bcd:x&#13;y", "bcd:&#9;x", "bcd:x&#9;",
      "BCD:x", "docs:x", "bcd", "", " bcd:x", "bcd:x&#160;", "bcd:&#160;x",
      "researchx:y", "fetch", NULL}},
#undef VERSIONS
#undef SET_FMT
#undef VERSION_DATA
};

static void quiet(void *data, xmlErrorPtr e) {
  (void)data;
  (void)e;
}

/* Does the old schema definition accept value (as escaped in XML)? */
static int old_schema_accepts(const char *data, const char *value) {
  char rng[1024], doc[512];
  xmlRelaxNGParserCtxtPtr pc;
  xmlRelaxNGPtr schema;
  xmlRelaxNGValidCtxtPtr vc;
  xmlDocPtr d;
  int rc;
  snprintf(rng, sizeof rng,
           "<element name=\"v\" xmlns=\"http://relaxng.org/ns/structure/1.0\" "
           "datatypeLibrary=\"http://www.w3.org/2001/XMLSchema-datatypes\">"
           "<attribute name=\"a\">%s</attribute></element>",
           data);
  snprintf(doc, sizeof doc, "<v a=\"%s\"/>", value);
  pc = xmlRelaxNGNewMemParserCtxt(rng, (int)strlen(rng));
  ck_assert_ptr_nonnull(pc);
  xmlRelaxNGSetParserStructuredErrors(pc, quiet, NULL);
  schema = xmlRelaxNGParse(pc);
  xmlRelaxNGFreeParserCtxt(pc);
  ck_assert_ptr_nonnull(schema);
  d = xmlReadMemory(doc, (int)strlen(doc), "v.xml", NULL, XML_PARSE_NONET);
  ck_assert_ptr_nonnull(d);
  vc = xmlRelaxNGNewValidCtxt(schema);
  ck_assert_ptr_nonnull(vc);
  xmlRelaxNGSetValidStructuredErrors(vc, quiet, NULL);
  rc = xmlRelaxNGValidateDoc(vc, d);
  xmlRelaxNGFreeValidCtxt(vc);
  xmlRelaxNGFree(schema);
  xmlFreeDoc(d);
  return rc == 0;
}

START_TEST(test_loader_formats_match_old_schema) {
  corsim_str x = corsim_builtin_profiles_xml();
  const char *a = strstr(x.ptr, "<behaviours>");
  const char *b = strstr(x.ptr, "</behaviours>");
  char browser[512], prefix[64];
  size_t k, good = 0, bad = 0;
  ck_assert_ptr_nonnull(a);
  ck_assert_ptr_nonnull(b);
  snprintf(prefix, sizeof prefix, "%s=\"", format_rows[_i].attr);
  for (k = 0; format_rows[_i].values[k]; k++) {
    const char *v = format_rows[_i].values[k];
    corsim_diagnostics *d = NULL;
    corsim_db *db = NULL;
    char *doc = NULL;
    size_t len = 0, i;
    unsigned long line = 1;
    int old = old_schema_accepts(format_rows[_i].data, v), refused = 0, rc;
    FILE *mem = open_memstream(&doc, &len);
    ck_assert_ptr_nonnull(mem);
    {
      const char *w = format_rows[_i].where, *hole = strstr(w, "%s");
      ck_assert_ptr_nonnull(hole);
      snprintf(browser, sizeof browser, "%.*s%s%s", (int)(hole - w), w, v,
               hole + 2);
    }
    fprintf(mem,
            "<profiles xmlns=\"urn:corsim:profiles:1\" format=\"1\">\n"
            "%.*s</behaviours>\n%s\n</profiles>\n",
            (int)(b - a), a, browser);
    fclose(mem);
    for (i = 0; doc + i < strstr(doc, "<browser"); i++)
      line += doc[i] == '\n';
    ck_assert_ok(corsim_diagnostics_new(&d, NULL));
    rc = corsim_db_load_memory(&db, doc, len, "f.xml", NULL, d);
    for (i = 0; i < corsim_diagnostics_count(d); i++) {
      const corsim_diagnostic *e = corsim_diagnostics_get(d, i);
      if (strncmp(e->message, prefix, strlen(prefix)) == 0 &&
          strstr(e->message, "\" is not ")) {
        refused = 1;
        ck_assert_uint_eq(e->line, line);
        ck_assert_uint_gt(e->column, 0);
      }
    }
    ck_assert_msg(refused == !old,
                  "%s=\"%s\": the old schema %s it, the loader %s (%s)",
                  format_rows[_i].attr, v, old ? "accepts" : "refuses",
                  refused ? "refuses its format" : "does not",
                  corsim_diagnostics_count(d) ? first_message(d) : "loaded");
    /* where nothing but the format can fail, a good value loads */
    if (!refused && format_rows[_i].loads)
      ck_assert_msg(rc == 0, "%s=\"%s\": %s", format_rows[_i].attr, v,
                    first_message(d));
    if (!refused)
      good++;
    else
      bad++;
    corsim_db_free(db);
    corsim_diagnostics_free(d);
    free(doc);
  }
  ck_assert_uint_gt(good, 0);
  ck_assert_uint_gt(bad, 0);
}
END_TEST

static Suite *suite(void) {
  Suite *s = suite_create("xml-hardening");
  TCase *tc = tcase_create("hostile");
  tcase_set_timeout(tc, 300);
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_loop_test(tc, test_xxe_local_file, 0, 6);
  tcase_add_loop_test(tc, test_no_network, 0, 3);
  tcase_add_test(tc, test_entity_expansion_bounded);
  tcase_add_test(tc, test_predefined_entities_only);
  tcase_add_loop_test(tc, test_deep_nesting_refused, 0, 3);
  tcase_add_test(tc, test_depth_64_is_parsed);
  tcase_add_loop_test(tc, test_too_many_nodes_refused, 0, 4);
  tcase_add_test(tc, test_huge_document_refused);
  tcase_add_test(tc, test_huge_text_and_names);
  tcase_add_test(tc, test_real_file_still_loads);
  suite_add_tcase(s, tc);
  tc = tcase_create("formats");
  tcase_set_timeout(tc, 120);
  tcase_add_loop_test(tc, test_loader_formats_match_old_schema, 0,
                      (int)(sizeof format_rows / sizeof format_rows[0]));
  suite_add_tcase(s, tc);
  return s;
}

int main(void) { return tu_run(suite()); }
