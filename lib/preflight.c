/*
 * preflight.c -- whether a request needs a CORS preflight (Fetch
 * #concept-main-fetch step 2.f) and the value its
 * Access-Control-Request-Headers would carry: CORS-safelisted methods
 * (#cors-safelisted-method), CORS-safelisted request-headers
 * (#cors-safelisted-request-header, with the MIME Sniffing Standard's
 * "parse a MIME type" for Content-Type and "parse a single range header
 * value" for Range) and the CORS-unsafe request-header names of a header
 * list (#cors-unsafe-request-header-names).
 *
 * Not modelled: the use-CORS-preflight flag (set by XMLHttpRequest upload
 * listeners, never by fetch()) and the preflight cache (#concept-cache).
 *
 * The request's header list is taken as it is.  fetch() would never let a
 * forbidden request-header (#forbidden-request-header: Cookie, Host,
 * Origin, Sec-*, Proxy-*, ...) into it, since the Headers object's
 * "request" guard silently drops them; a list built with
 * corsim_headers_append() may still hold one, and it is then judged like
 * any other name (so it counts as CORS-unsafe).  Filtering such names out
 * is the caller's business.
 *
 * corsim_request_needs_preflight() allocates nothing;
 * corsim_request_unsafe_headers() allocates one scratch array (with the
 * request's allocator) to sort the names.
 */
#include <config.h>

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"

/* #cors-safelisted-request-header step 1 and the 1024-byte total of
 * #cors-unsafe-request-header-names step 2. */
#define MAX_SAFELISTED_VALUE ((size_t)128)
#define MAX_SAFELISTED_TOTAL ((size_t)1024)

/* ------------------------------------------------------------------------
 * Byte classes
 * ------------------------------------------------------------------------ */

/* #cors-unsafe-request-header-byte: a byte below 0x20 other than TAB,
 * one of "():<>?@[\]{}, or DEL. */
static int is_unsafe_byte(unsigned char c) {
  if (c < 0x20)
    return c != 0x09;
  switch (c) {
  case '"': case '(': case ')': case ':': case '<': case '>': case '?':
  case '@': case '[': case '\\': case ']': case '{': case '}': case 0x7F:
    return 1;
  default:
    return 0;
  }
}

static int has_unsafe_byte(const char *p, size_t len) {
  size_t i;
  for (i = 0; i < len; i++)
    if (is_unsafe_byte((unsigned char)p[i]))
      return 1;
  return 0;
}

/* The bytes Accept-Language and Content-Language values may hold:
 * 0x30-0x39, 0x41-0x5A, 0x61-0x7A, 0x20, 0x2A, 0x2C, 0x2D, 0x2E, 0x3B,
 * 0x3D. */
static int is_language_byte(unsigned char c) {
  if ((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') ||
      (c >= 'a' && c <= 'z'))
    return 1;
  return c == ' ' || c == '*' || c == ',' || c == '-' || c == '.' ||
         c == ';' || c == '=';
}

static int is_language_value(const char *p, size_t len) {
  size_t i;
  for (i = 0; i < len; i++)
    if (!is_language_byte((unsigned char)p[i]))
      return 0;
  return 1;
}

static int is_digit(unsigned char c) { return c >= '0' && c <= '9'; }

static int is_alpha(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

/* ------------------------------------------------------------------------
 * Content-Type: MIME Sniffing Standard, "parse a MIME type"
 * ------------------------------------------------------------------------ */

/*
 * Runs steps 1-10 of "parse a MIME type" (#parse-a-mime-type) on the
 * bytes, which is what the isomorphic-decoded string amounts to (a byte
 * 0xNN is the code point U+00NN, and no byte of 0x80 and above is an HTTP
 * token code point).  On success *type and *subtype are views into p (not
 * lowercased: compare them case-insensitively) and 0 is returned; on
 * failure -1.
 *
 * Step 11 (the parameters) never returns failure: a malformed parameter
 * is skipped, and a parameter's bytes cannot change where the subtype
 * ends (the subtype stops at the first ";").  Since only the essence
 * matters here, the parameters are not parsed at all.
 */
static int parse_mime_essence(const char *p, size_t len, corsim_str *type,
                              corsim_str *subtype) {
  size_t pos = 0, start;

  /* 1. Remove leading and trailing HTTP whitespace. */
  corsim__trim_http_ws(&p, &len);
  /* 3. type: the code points up to "/". */
  while (pos < len && p[pos] != '/')
    pos++;
  /* 4. Empty, or not all HTTP token code points: failure. */
  if (!corsim__is_token(p, pos))
    return -1;
  type->ptr = p;
  type->len = pos;
  /* 5. Past the end (no "/"): failure.  6. Skip the "/". */
  if (pos >= len)
    return -1;
  pos++;
  /* 7. subtype: the code points up to ";". */
  start = pos;
  while (pos < len && p[pos] != ';')
    pos++;
  subtype->ptr = p + start;
  subtype->len = pos - start;
  /* 8. Remove trailing HTTP whitespace from subtype. */
  while (subtype->len &&
         corsim__is_http_ws((unsigned char)subtype->ptr[subtype->len - 1]))
    subtype->len--;
  /* 9. Empty, or not all HTTP token code points: failure. */
  if (!corsim__is_token(subtype->ptr, subtype->len))
    return -1;
  return 0;
}

/* The Content-Type rule of #cors-safelisted-request-header. */
static int is_safelisted_content_type(const char *p, size_t len) {
  corsim_str type, subtype;

  if (has_unsafe_byte(p, len))
    return 0;
  if (parse_mime_essence(p, len, &type, &subtype) != 0)
    return 0;
  if (corsim__ci_eq_lit(type.ptr, type.len, "application"))
    return corsim__ci_eq_lit(subtype.ptr, subtype.len,
                             "x-www-form-urlencoded");
  if (corsim__ci_eq_lit(type.ptr, type.len, "multipart"))
    return corsim__ci_eq_lit(subtype.ptr, subtype.len, "form-data");
  if (corsim__ci_eq_lit(type.ptr, type.len, "text"))
    return corsim__ci_eq_lit(subtype.ptr, subtype.len, "plain");
  return 0;
}

/* ------------------------------------------------------------------------
 * Range: Fetch "parse a single range header value"
 * ------------------------------------------------------------------------ */

/* Compares two non-empty runs of ASCII digits as decimal numbers of any
 * size: <0, 0, >0. */
static int cmp_decimal(const char *a, size_t alen, const char *b,
                       size_t blen) {
  while (alen > 1 && *a == '0') {
    a++;
    alen--;
  }
  while (blen > 1 && *b == '0') {
    b++;
    blen--;
  }
  if (alen != blen)
    return alen < blen ? -1 : 1;
  return memcmp(a, b, alen);
}

/*
 * The Range rule of #cors-safelisted-request-header: "parse a single range
 * header value" (#simple-range-header-value) with allowWhitespace false
 * must succeed, and its start must not be null.  So: "bytes" in any case,
 * "=", one or more digits, "-", zero or more digits, nothing else, and
 * start <= end when the end is present.
 */
static int is_safelisted_range(const char *p, size_t len) {
  size_t pos = 0, start, start_len, end, end_len;

  /* 3-4. The type: ASCII alphas that must ci-match "bytes". */
  while (pos < len && is_alpha((unsigned char)p[pos]))
    pos++;
  if (!corsim__ci_eq_lit(p, pos, "bytes"))
    return 0;
  /* 6. "=" (no whitespace is allowed around it). */
  if (pos >= len || p[pos] != '=')
    return 0;
  pos++;
  /* 8-9. The start. */
  start = pos;
  while (pos < len && is_digit((unsigned char)p[pos]))
    pos++;
  start_len = pos - start;
  /* 11. "-". */
  if (pos >= len || p[pos] != '-')
    return 0;
  pos++;
  /* 13-14. The end. */
  end = pos;
  while (pos < len && is_digit((unsigned char)p[pos]))
    pos++;
  end_len = pos - end;
  /* 15. Anything left: failure. */
  if (pos != len)
    return 0;
  /* 16 and the safelist's own rule: a null start is not safelisted (this
   * also covers "bytes=-", which the parser rejects). */
  if (start_len == 0)
    return 0;
  /* 17. start > end: failure. */
  if (end_len && cmp_decimal(p + start, start_len, p + end, end_len) > 0)
    return 0;
  return 1;
}

/* ------------------------------------------------------------------------
 * #cors-safelisted-request-header
 * ------------------------------------------------------------------------ */

/* Which headers take part, and how (a profile without safelisted Range;
 * a redirect that dropped Authorization or the request-body headers). */
typedef struct hdr_filter {
  int range_ok;
  int drop_authorization;
  int drop_body_headers;
} hdr_filter;

/* 1 when the header is gone from the (redirected) request. */
static int skipped(const hdr_filter *f, const corsim_header *h) {
  if (f->drop_authorization &&
      corsim__ci_eq_lit(h->name, h->name_len, "authorization"))
    return 1;
  /* #request-body-header-name */
  return f->drop_body_headers &&
         (corsim__ci_eq_lit(h->name, h->name_len, "content-encoding") ||
          corsim__ci_eq_lit(h->name, h->name_len, "content-language") ||
          corsim__ci_eq_lit(h->name, h->name_len, "content-location") ||
          corsim__ci_eq_lit(h->name, h->name_len, "content-type"));
}

static int is_safelisted_request_header(const corsim_header *h,
                                        const hdr_filter *f) {
  const char *v = h->value ? h->value : "";
  size_t n = h->value ? h->value_len : 0;

  /* 1. A value longer than 128 bytes is never safelisted. */
  if (n > MAX_SAFELISTED_VALUE)
    return 0;
  /* 2. By lowercased name; dispatch on length first. */
  switch (h->name_len) {
  case 5:
    if (corsim__ci_eq_lit(h->name, h->name_len, "range"))
      return f->range_ok && is_safelisted_range(v, n);
    return 0;
  case 6:
    if (corsim__ci_eq_lit(h->name, h->name_len, "accept"))
      return !has_unsafe_byte(v, n);
    return 0;
  case 12:
    if (corsim__ci_eq_lit(h->name, h->name_len, "content-type"))
      return is_safelisted_content_type(v, n);
    return 0;
  case 15:
  case 16:
    if (corsim__ci_eq_lit(h->name, h->name_len, "accept-language") ||
        corsim__ci_eq_lit(h->name, h->name_len, "content-language"))
      return is_language_value(v, n);
    return 0;
  default:
    return 0;
  }
}

/*
 * #cors-unsafe-request-header-names step 2: 1 when the values of the
 * safelisted headers add up to more than 1024 bytes, which makes all of
 * them unsafe too.  *any_unsafe receives 1 when some header is not
 * safelisted.
 */
static int safelisted_total_exceeded(const corsim_header *h, size_t n,
                                     const hdr_filter *f, int *any_unsafe) {
  size_t i, total = 0;

  *any_unsafe = 0;
  for (i = 0; i < n; i++) {
    if (skipped(f, &h[i]))
      continue;
    if (is_safelisted_request_header(&h[i], f))
      total += h[i].value_len; /* <= 128 each: cannot overflow */
    else
      *any_unsafe = 1;
  }
  return total > MAX_SAFELISTED_TOTAL;
}

/* ------------------------------------------------------------------------
 * Public functions
 * ------------------------------------------------------------------------ */


/* #cors-safelisted-method: GET, HEAD or POST, byte for byte. */
static int is_safelisted_method(const char *m, size_t len) {
  return (len == 3 && memcmp(m, "GET", 3) == 0) ||
         (len == 4 && (memcmp(m, "HEAD", 4) == 0 ||
                       memcmp(m, "POST", 4) == 0));
}


/*
 * Does the request, at URL url (whose origin is url_origin), with method
 * (method, mlen) and its header list less what f drops, need a preflight?
 * The core of corsim_request_needs_preflight(), also used for each hop of
 * a redirect chain.
 */
int corsim__preflight_needed_at(const corsim_request *req,
                                const corsim_profile *p, const char *url,
                                size_t url_len,
                                const corsim__origin *url_origin,
                                const char *method, size_t mlen,
                                int drop_authorization,
                                int drop_body_headers) {
  const corsim_header *h;
  size_t n;
  int any_unsafe, exceeded;
  hdr_filter f;

  /*
   * Main fetch step 2: only branch f preflights.  Branch b (same origin, a
   * data: URL, navigate) fetches with basic tainting, c (same-origin mode)
   * and e (a scheme other than http or https) end in a network error, and
   * d (no-cors) fetches opaquely; none of them preflights.  A profile whose
   * runtime does not enforce CORS never preflights either.
   */
  if (req->mode != CORSIM_MODE_CORS ||
      corsim__origin_same(url_origin, &req->origin) ||
      corsim__url_has_scheme(url, url_len, "data") ||
      (!corsim__url_has_scheme(url, url_len, "http") &&
       !corsim__url_has_scheme(url, url_len, "https")) ||
      !p->v[CORSIM__B_CORS_ENFORCED])
    return 0;

  /* Branch f: fetch() sets the unsafe-request flag, so a method that is
   * not CORS-safelisted or a non-empty unsafe-name list preflights. */
  if (!is_safelisted_method(method, mlen))
    return 1;
  f.range_ok = p->v[CORSIM__B_SAFELIST_RANGE];
  f.drop_authorization = drop_authorization;
  f.drop_body_headers = drop_body_headers;
  h = corsim_headers_data(req->headers, &n);
  exceeded = safelisted_total_exceeded(h, n, &f, &any_unsafe);
  /* The list is non-empty when some header failed, or when the total was
   * exceeded (then at least one header passed). */
  return any_unsafe || exceeded;
}

CORSIM__API int corsim_request_needs_preflight(const corsim_request *req,
                                               const corsim_profile *p,
                                               int *needed) {
  if (needed)
    *needed = 0;
  if (!req || !needed)
    return CORSIM_ERR_INVALID_ARGUMENT;
  if (!req->has_url || !req->has_origin)
    return CORSIM_ERR_INCOMPLETE_REQUEST;
  if (!p)
    p = corsim_profile_spec();
  *needed = corsim__preflight_needed_at(req, p, req->url, req->url_len,
                                        &req->url_origin, req->method,
                                        req->method_len, 0, 0);
  return 0;
}

CORSIM__API int corsim_request_unsafe_headers(const corsim_request *req,
                                              char *buf, size_t buf_len,
                                              size_t *out_len) {
  const corsim_header *h;
  corsim_str *names, *tmp;
  size_t n, i, k = 0, total = 0;
  int any_unsafe, exceeded;
  hdr_filter f = {1, 0, 0}; /* the Fetch Standard's safelist */

  if (out_len)
    *out_len = 0;
  if (!req || !out_len || (!buf && buf_len))
    return CORSIM_ERR_INVALID_ARGUMENT;

  /* #cors-unsafe-request-header-names steps 1-2: which names. */
  h = corsim_headers_data(req->headers, &n);
  exceeded = safelisted_total_exceeded(h, n, &f, &any_unsafe);
  if (!any_unsafe && !exceeded)
    return 0;
  for (i = 0; i < n; i++)
    if (exceeded || !is_safelisted_request_header(&h[i], &f))
      k++;

  /* Step 3: the sorted-lowercase set (#convert-header-names-to-a-sorted-
   * lowercase-set): sort case-insensitively, then keep one of each run of
   * ci-equal names, lowercased. */
  if (k > SIZE_MAX / (2 * sizeof *names))
    return CORSIM_ERR_NOMEM; /* unreachable: k views fit where k headers do */
  names = corsim__malloc(&req->alloc, 2 * k * sizeof *names);
  if (!names)
    return CORSIM_ERR_NOMEM;
  tmp = names + k;
  k = 0;
  for (i = 0; i < n; i++) {
    if (exceeded || !is_safelisted_request_header(&h[i], &f)) {
      names[k].ptr = h[i].name;
      names[k].len = h[i].name_len;
      k++;
    }
  }
  corsim__sort_strs_ci(names, tmp, k);

  /* Joined with "," (#cors-preflight-fetch-0 step 2: no space, and not
   * "combine").  Write the prefix that fits; count everything. */
  for (i = 0; i < k; i++) {
    size_t j;
    if (i > 0 && corsim__ci_eq(names[i - 1].ptr, names[i - 1].len,
                               names[i].ptr, names[i].len))
      continue;
    if (total > 0) {
      if (total < buf_len)
        buf[total] = ',';
      total++;
    }
    for (j = 0; j < names[i].len; j++, total++)
      if (total < buf_len)
        buf[total] = (char)corsim__lower((unsigned char)names[i].ptr[j]);
  }
  corsim__free(&req->alloc, names);
  *out_len = total;
  return total > buf_len ? CORSIM_ERR_BUFFER_TOO_SMALL : 0;
}

/* ------------------------------------------------------------------------
 * The CORS-preflight cache (#concept-cache)
 * ------------------------------------------------------------------------ */

#define DEFAULT_CACHE_ENTRIES CORSIM__DEFAULT_CACHE_ENTRIES /* corsim_limits */

typedef struct cache_entry {
  char *origin; /* byte-serialized origin */
  size_t origin_len;
  char *url;
  size_t url_len;
  int credentials;
  int is_method; /* else a header name (stored lowercase) */
  char *item;
  size_t item_len;
  double expires;
  unsigned long long seq; /* insertion order, for eviction */
} cache_entry;

struct corsim_cache {
  corsim_allocator alloc;
  cache_entry *v;
  size_t n, cap, max;
  unsigned long long seq;
};

CORSIM__API int corsim_cache_new(corsim_cache **out,
                                 const corsim_allocator *alloc,
                                 size_t max_entries) {
  corsim_allocator a;
  corsim_cache *c;
  if (!out)
    return CORSIM_ERR_INVALID_ARGUMENT;
  *out = NULL;
  c = corsim__object_new(alloc, sizeof *c, &a);
  if (!c)
    return CORSIM_ERR_NOMEM;
  c->alloc = a;
  c->max = max_entries ? max_entries : DEFAULT_CACHE_ENTRIES;
  *out = c;
  return 0;
}

static void entry_free(corsim_cache *c, cache_entry *e) {
  corsim__free(&c->alloc, e->origin);
  corsim__free(&c->alloc, e->url);
  corsim__free(&c->alloc, e->item);
}

static void cache_remove(corsim_cache *c, size_t i) {
  entry_free(c, &c->v[i]);
  c->v[i] = c->v[--c->n];
}

CORSIM__API void corsim_cache_clear(corsim_cache *c) {
  if (!c)
    return;
  while (c->n)
    cache_remove(c, c->n - 1);
}

CORSIM__API void corsim_cache_free(corsim_cache *c) {
  if (!c)
    return;
  corsim_cache_clear(c);
  corsim__free(&c->alloc, c->v);
  corsim__free(&c->alloc, c);
}

CORSIM__API size_t corsim_cache_count(const corsim_cache *c, double now) {
  size_t i, n = 0;
  if (!c)
    return 0;
  for (i = 0; i < c->n; i++)
    if (c->v[i].expires > now)
      n++;
  return n;
}

static void cache_expire(corsim_cache *c, double now) {
  size_t i = 0;
  while (i < c->n) {
    if (c->v[i].expires <= now)
      cache_remove(c, i);
    else
      i++;
  }
}

/* #concept-cache-match: same origin and URL, and a credentialed entry or a
 * request that does not include credentials. */
static int entry_matches(const cache_entry *e, const corsim_request *req,
                         int include) {
  return e->origin_len == req->origin.len &&
         memcmp(e->origin, req->origin.ser, e->origin_len) == 0 &&
         e->url_len == req->url_len &&
         memcmp(e->url, req->url, e->url_len) == 0 &&
         (e->credentials || !include);
}

/* #concept-cache-match-method / -header, with the profile's rules for
 * "*" entries. */
static int cache_hit(const corsim_cache *c, const corsim_request *req,
                     const corsim_profile *p, int include, int is_method,
                     const char *item, size_t len, double now) {
  size_t i;
  for (i = 0; c && i < c->n; i++) {
    const cache_entry *e = &c->v[i];
    if (e->expires <= now || e->is_method != is_method ||
        !entry_matches(e, req, include))
      continue;
    if (is_method ? (e->item_len == len && memcmp(e->item, item, len) == 0)
                  : corsim__ci_eq(e->item, e->item_len, item, len))
      return 1;
    /* a "*" entry is a wildcard only where the live check treats "*" as
     * one (acam.wildcard / acah.wildcard); otherwise it is a literal */
    if (e->item_len == 1 && e->item[0] == '*' &&
        p->v[CORSIM__B_PREFLIGHT_CACHE_WILDCARD_REUSE] &&
        p->v[is_method ? CORSIM__B_ACAM_WILDCARD : CORSIM__B_ACAH_WILDCARD] &&
        (is_method || !corsim__ci_eq_lit(item, len, "authorization") ||
         p->v[CORSIM__B_ACAH_WILDCARD_COVERS_AUTHORIZATION]))
      return 1;
  }
  return 0;
}

/* #concept-cache-clear: every entry for this origin and URL. */
static void cache_clear_for(corsim_cache *c, const corsim_request *req) {
  size_t i = 0;
  while (c && i < c->n) {
    const cache_entry *e = &c->v[i];
    if (e->origin_len == req->origin.len &&
        memcmp(e->origin, req->origin.ser, e->origin_len) == 0 &&
        e->url_len == req->url_len &&
        memcmp(e->url, req->url, e->url_len) == 0)
      cache_remove(c, i);
    else
      i++;
  }
}

static char *dup_bytes(const corsim_allocator *a, const char *p, size_t n,
                       int lower) {
  char *d = corsim__malloc(a, n ? n : 1);
  size_t i;
  if (!d)
    return NULL;
  for (i = 0; i < n; i++)
    d[i] = lower ? (char)corsim__lower((unsigned char)p[i]) : p[i];
  return d;
}

/* Creates or refreshes one entry (#cors-preflight-fetch-0 step 4.g). */
static int cache_put(corsim_cache *c, const corsim_request *req, int include,
                     int is_method, const char *item, size_t len,
                     double expires) {
  cache_entry e;
  size_t i;
  int rc;
  for (i = 0; i < c->n; i++) {
    cache_entry *x = &c->v[i];
    if (x->is_method == is_method && x->credentials == include &&
        x->origin_len == req->origin.len &&
        memcmp(x->origin, req->origin.ser, x->origin_len) == 0 &&
        x->url_len == req->url_len &&
        memcmp(x->url, req->url, x->url_len) == 0 &&
        (is_method ? (x->item_len == len && memcmp(x->item, item, len) == 0)
                   : corsim__ci_eq(x->item, x->item_len, item, len))) {
      x->expires = expires;
      return 0;
    }
  }
  if (c->n >= c->max) { /* evict the oldest */
    size_t old = 0;
    for (i = 1; i < c->n; i++)
      if (c->v[i].seq < c->v[old].seq)
        old = i;
    cache_remove(c, old);
  }
  rc = corsim__grow(&c->alloc, (void **)&c->v, &c->cap, c->n + 1,
                    sizeof *c->v);
  if (rc)
    return rc;
  memset(&e, 0, sizeof e);
  e.origin = dup_bytes(&c->alloc, req->origin.ser, req->origin.len, 0);
  e.url = dup_bytes(&c->alloc, req->url, req->url_len, 0);
  e.item = dup_bytes(&c->alloc, item, len, !is_method);
  if (!e.origin || !e.url || !e.item) {
    entry_free(c, &e);
    return CORSIM_ERR_NOMEM;
  }
  e.origin_len = req->origin.len;
  e.url_len = req->url_len;
  e.item_len = len;
  e.credentials = include;
  e.is_method = is_method;
  e.expires = expires;
  e.seq = ++c->seq;
  c->v[c->n++] = e;
  return 0;
}

/* ------------------------------------------------------------------------
 * The preflight (#cors-preflight-fetch-0)
 * ------------------------------------------------------------------------ */

CORSIM__API const char *
corsim_preflight_state_name(corsim_preflight_state s) {
  static const char *const names[] = {"not-needed", "cached", "passed",
                                      "failed", "no-response"};
  return (unsigned)s < sizeof names / sizeof names[0] ? names[s] : NULL;
}

/* The values of one list header, parsed under the profile's rule into a
 * fresh array (*items, *n); -1 with *bad on a parse failure, -2 on
 * NOMEM, -3 when there are more than max (corsim_limits.list_max_items). */
static int list_values(const corsim_allocator *a, const corsim_profile *p,
                       const corsim_response *resp, const char *name,
                       size_t max, corsim_str **items, size_t *n,
                       int *present, corsim_str *bad) {
  size_t i, cap = 0;
  *items = NULL;
  *n = 0;
  *present = 0;
  for (i = 0; i < resp->header_count; i++)
    if (corsim__ci_eq_lit(resp->headers[i].name, resp->headers[i].name_len,
                          name))
      cap += corsim__list_max_items(resp->headers[i].value_len);
  if (cap == 0)
    return 0;
  *present = 1;
  *items = corsim__malloc(a, cap * sizeof **items);
  if (!*items)
    return -2;
  for (i = 0; i < resp->header_count; i++) {
    const corsim_header *h = &resp->headers[i];
    if (!corsim__ci_eq_lit(h->name, h->name_len, name))
      continue;
    if (corsim__parse_token_list(
            h->value ? h->value : "", h->value_len,
            (corsim__list_parse)p->v[CORSIM__B_LISTS_INVALID_ITEM], *items, n,
            bad) != CORSIM__LIST_OK)
      return -1;
  }
  return *n > max ? -3 : 0;
}

static int in_list(const corsim_str *v, size_t n, const char *p, size_t len,
                   int exact) {
  size_t i;
  for (i = 0; i < n; i++)
    if (exact ? (v[i].len == len && memcmp(v[i].ptr, p, len) == 0)
              : corsim__ci_eq(v[i].ptr, v[i].len, p, len))
      return 1;
  return 0;
}

/* in_list(..., 0) on a list sorted with corsim__sort_strs_ci(): a binary
 * search, so checking n request headers against m allowed names is
 * O((n + m) log m) rather than O(n * m). */
static int in_sorted_list(const corsim_str *v, size_t n, const char *p,
                          size_t len) {
  size_t lo = 0, hi = n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    int c = corsim__ci_cmp(v[mid].ptr, v[mid].len, p, len);
    if (c == 0)
      return 1;
    if (c < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  return 0;
}

/*
 * Access-Control-Max-Age (#cors-preflight-fetch-0 step 4.f) under the
 * profile: the default when absent, repeated or not delta-seconds (or no
 * caching, when the profile says so for bad values), capped.
 */
static double max_age(const corsim_profile *p, const corsim_response *resp) {
  size_t i, found = 0, k;
  const char *v = NULL;
  size_t len = 0;
  double age = 0;
  int bad = 0;
  for (i = 0; i < resp->header_count; i++)
    if (corsim__ci_eq_lit(resp->headers[i].name, resp->headers[i].name_len,
                          "access-control-max-age")) {
      found++;
      v = resp->headers[i].value ? resp->headers[i].value : "";
      len = resp->headers[i].value_len;
    }
  if (found == 1) {
    corsim__trim_http_ws(&v, &len);
    if (len == 0)
      bad = 1;
    for (k = 0; k < len && !bad; k++) {
      if (v[k] < '0' || v[k] > '9')
        bad = 1;
      else if (age < 1e15)
        age = age * 10 + (v[k] - '0');
    }
  } else {
    bad = found > 1;
  }
  if (found == 0 || bad) {
    if (bad && p->v[CORSIM__B_PREFLIGHT_MAX_AGE_NEGATIVE] == 1)
      return 0; /* the browser does not cache it at all */
    age = p->v[CORSIM__B_PREFLIGHT_MAX_AGE_DEFAULT];
  }
  if (p->v[CORSIM__B_PREFLIGHT_MAX_AGE_CAP] > 0 &&
      age > p->v[CORSIM__B_PREFLIGHT_MAX_AGE_CAP])
    age = p->v[CORSIM__B_PREFLIGHT_MAX_AGE_CAP];
  return age;
}

/* The unsafe names as views (caller frees *names). */
static int unsafe_names(const corsim_request *req, const corsim_profile *p,
                        corsim_str **names, size_t *n) {
  const corsim_header *h;
  size_t count, i, k = 0;
  int any_unsafe, exceeded;
  hdr_filter f;
  f.range_ok = p->v[CORSIM__B_SAFELIST_RANGE];
  f.drop_authorization = f.drop_body_headers = 0;
  *names = NULL;
  *n = 0;
  h = corsim_headers_data(req->headers, &count);
  exceeded = safelisted_total_exceeded(h, count, &f, &any_unsafe);
  if (!any_unsafe && !exceeded)
    return 0;
  *names = corsim__malloc(&req->alloc, count * sizeof **names);
  if (!*names)
    return CORSIM_ERR_NOMEM;
  for (i = 0; i < count; i++)
    if (exceeded || !is_safelisted_request_header(&h[i], &f)) {
      (*names)[k].ptr = h[i].name;
      (*names)[k].len = h[i].name_len;
      k++;
    }
  *n = k;
  return 0;
}

CORSIM__API int corsim_preflight(corsim_result *res, const corsim_profile *p,
                                 const corsim_request *req,
                                 const corsim_response *pre,
                                 corsim_cache *cache, double now,
                                 corsim_preflight_state *state) {
  const corsim_allocator *a;
  corsim_str *names = NULL, *methods = NULL, *allowed = NULL, bad = {"", 0};
  corsim_str *sorted = NULL; /* allowed, sorted (and scratch), for lookups */
  corsim_str value = {"", 0};
  size_t nnames = 0, nmethods = 0, nallowed = 0, i;
  int needed = 0, include, rc, has_methods, has_headers, star;
  corsim_block_reason why = CORSIM_BLOCK_NONE;
  char status[8];

  if (state)
    *state = CORSIM_PREFLIGHT_NOT_NEEDED;
  if (!res || !req || !state)
    return CORSIM_ERR_INVALID_ARGUMENT;
  if (!p)
    p = corsim_profile_spec();
  rc = corsim_request_needs_preflight(req, p, &needed);
  if (rc)
    return rc;
  a = &req->alloc;
  include = corsim__credentials(req, p) == CORSIM_CREDENTIALS_INCLUDE;
  if (pre && !corsim__status_valid(p, pre->status))
    return CORSIM_ERR_BAD_STATUS;
  if (pre && (!pre->headers && pre->header_count))
    return CORSIM_ERR_INVALID_ARGUMENT;
  rc = corsim__result_prepare(res, p, pre ? pre : &(corsim_response){0});
  if (rc)
    return rc;
  if (!needed)
    return 0;

  /* Main fetch step 2.f / HTTP fetch step 2.a: skip it on cache hits. */
  if ((rc = unsafe_names(req, p, &names, &nnames)) != 0)
    return rc;
  if (cache) {
    int hit = is_safelisted_method(req->method, req->method_len) ||
              cache_hit(cache, req, p, include, 1, req->method,
                        req->method_len, now);
    for (i = 0; hit && i < nnames; i++)
      hit = cache_hit(cache, req, p, include, 0, names[i].ptr, names[i].len,
                      now);
    if (hit) {
      *state = CORSIM_PREFLIGHT_CACHED;
      goto done;
    }
  }
  if (!pre) {
    *state = CORSIM_PREFLIGHT_NO_RESPONSE;
    goto done;
  }

  /* Step 4: the CORS check (with R's credentials mode) and an ok status. */
  why = corsim__cors_check(res, req, pre, &value);
  if (why == CORSIM_BLOCK_NONE && (pre->status < 200 || pre->status > 299)) {
    snprintf(status, sizeof status, "%d", pre->status);
    value.ptr = status;
    value.len = strlen(status);
    why = CORSIM_BLOCK_PREFLIGHT_STATUS;
  }
  if (why != CORSIM_BLOCK_NONE)
    goto fail;

  /* 4.a: the two lists */
  rc = list_values(a, p, pre, "access-control-allow-methods",
                   req->list_max_items, &methods, &nmethods, &has_methods,
                   &bad);
  if (rc == -2 || rc == -3) {
    rc = rc == -2 ? CORSIM_ERR_NOMEM : CORSIM_ERR_LIMIT;
    goto done;
  }
  if (rc == -1) {
    rc = 0; /* a network error, not a library error */
    value = bad;
    why = CORSIM_BLOCK_PREFLIGHT_ALLOW_METHODS_INVALID;
    goto fail;
  }
  rc = list_values(a, p, pre, "access-control-allow-headers",
                   req->list_max_items, &allowed, &nallowed, &has_headers,
                   &bad);
  if (rc == -2 || rc == -3) {
    rc = rc == -2 ? CORSIM_ERR_NOMEM : CORSIM_ERR_LIMIT;
    goto done;
  }
  if (rc == -1) {
    rc = 0;
    value = bad;
    why = CORSIM_BLOCK_PREFLIGHT_ALLOW_HEADERS_INVALID;
    goto fail;
  }
  rc = 0;
  (void)has_methods;
  (void)has_headers;

  /* 4.c: the method */
  star = !include && p->v[CORSIM__B_ACAM_WILDCARD] &&
         in_list(methods, nmethods, "*", 1, 1);
  if (!in_list(methods, nmethods, req->method, req->method_len, 1) &&
      !is_safelisted_method(req->method, req->method_len) && !star) {
    why = CORSIM_BLOCK_PREFLIGHT_METHOD_NOT_ALLOWED;
    goto fail;
  }
  /* 4.d and 4.e: Authorization and the other unsafe names */
  star = !include && p->v[CORSIM__B_ACAH_WILDCARD] &&
         in_list(allowed, nallowed, "*", 1, 1);
  if (nallowed) { /* the cache below keeps the original order */
    sorted = corsim__malloc(a, 2 * nallowed * sizeof *sorted);
    if (!sorted) {
      rc = CORSIM_ERR_NOMEM;
      goto done;
    }
    memcpy(sorted, allowed, nallowed * sizeof *sorted);
    corsim__sort_strs_ci(sorted, sorted + nallowed, nallowed);
  }
  {
    const corsim_header *h;
    size_t count;
    h = corsim_headers_data(req->headers, &count);
    for (i = 0; i < count; i++)
      if (corsim__ci_eq_lit(h[i].name, h[i].name_len, "authorization") &&
          !in_sorted_list(sorted, nallowed, h[i].name, h[i].name_len) &&
          !(star && p->v[CORSIM__B_ACAH_WILDCARD_COVERS_AUTHORIZATION])) {
        why = CORSIM_BLOCK_PREFLIGHT_AUTHORIZATION_NOT_ALLOWED;
        goto fail;
      }
  }
  for (i = 0; i < nnames; i++)
    if (!star && !in_sorted_list(sorted, nallowed, names[i].ptr,
                                 names[i].len)) {
      value = names[i];
      why = CORSIM_BLOCK_PREFLIGHT_HEADER_NOT_ALLOWED;
      goto fail;
    }

  /* 4.f and 4.g: max-age and the cache entries */
  if (cache) {
    double age = max_age(p, pre);
    cache_expire(cache, now);
    if (age > 0) {
      for (i = 0; i < nmethods && !rc; i++) {
        if (include && methods[i].len == 1 && methods[i].ptr[0] == '*')
          continue; /* never reused for credentials: digest (a)5 */
        if (methods[i].len == 1 && methods[i].ptr[0] == '*' &&
            !p->v[CORSIM__B_PREFLIGHT_CACHE_WILDCARD_REUSE])
          continue;
        rc = cache_put(cache, req, include, 1, methods[i].ptr, methods[i].len,
                       now + age);
      }
      for (i = 0; i < nallowed && !rc; i++) {
        if (allowed[i].len == 1 && allowed[i].ptr[0] == '*' &&
            (include || !p->v[CORSIM__B_PREFLIGHT_CACHE_WILDCARD_REUSE]))
          continue;
        rc = cache_put(cache, req, include, 0, allowed[i].ptr, allowed[i].len,
                       now + age);
      }
    }
  }
  *state = CORSIM_PREFLIGHT_PASSED;
  goto done;

fail:
  corsim__result_set_internal(res, pre);
  corsim__result_block(res, req, why, value, 1);
  if (cache)
    cache_clear_for(cache, req); /* #concept-cache-clear */
  *state = CORSIM_PREFLIGHT_FAILED;
done:
  corsim__free(a, names);
  corsim__free(a, methods);
  corsim__free(a, allowed);
  corsim__free(a, sorted);
  return rc;
}
