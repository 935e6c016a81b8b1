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

static int is_safelisted_request_header(const corsim_header *h) {
  const char *v = h->value ? h->value : "";
  size_t n = h->value ? h->value_len : 0;

  /* 1. A value longer than 128 bytes is never safelisted. */
  if (n > MAX_SAFELISTED_VALUE)
    return 0;
  /* 2. By lowercased name; dispatch on length first. */
  switch (h->name_len) {
  case 5:
    if (corsim__ci_eq_lit(h->name, h->name_len, "range"))
      return is_safelisted_range(v, n);
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
                                     int *any_unsafe) {
  size_t i, total = 0;

  *any_unsafe = 0;
  for (i = 0; i < n; i++) {
    if (is_safelisted_request_header(&h[i]))
      total += h[i].value_len; /* <= 128 each: cannot overflow */
    else
      *any_unsafe = 1;
  }
  return total > MAX_SAFELISTED_TOTAL;
}

/* ------------------------------------------------------------------------
 * Public functions
 * ------------------------------------------------------------------------ */

static int url_has_scheme(const corsim_request *req, const char *scheme) {
  size_t n = strlen(scheme);
  return req->url_len > n && memcmp(req->url, scheme, n) == 0 &&
         req->url[n] == ':';
}

/* #cors-safelisted-method: GET, HEAD or POST, byte for byte. */
static int is_safelisted_method(const char *m, size_t len) {
  return (len == 3 && memcmp(m, "GET", 3) == 0) ||
         (len == 4 && (memcmp(m, "HEAD", 4) == 0 ||
                       memcmp(m, "POST", 4) == 0));
}

CORSIM__API int corsim_request_needs_preflight(const corsim_request *req,
                                               const corsim_profile *p,
                                               int *needed) {
  const corsim_header *h;
  size_t n;
  int any_unsafe, exceeded;

  if (needed)
    *needed = 0;
  if (!req || !needed)
    return CORSIM_ERR_INVALID_ARGUMENT;
  if (!req->has_url || !req->has_origin)
    return CORSIM_ERR_INCOMPLETE_REQUEST;
  if (!p)
    p = corsim_profile_spec();

  /*
   * Main fetch step 2: only branch f preflights.  Branch b (same origin, a
   * data: URL, navigate) fetches with basic tainting, c (same-origin mode)
   * and e (a scheme other than http or https) end in a network error, and
   * d (no-cors) fetches opaquely; none of them preflights.  (The scheme
   * test alone would exclude data: URLs; the data: test mirrors branch b.)  A profile
   * whose runtime does not enforce CORS never preflights either.
   */
  if (req->mode != CORSIM_MODE_CORS || corsim_request_is_same_origin(req) ||
      url_has_scheme(req, "data") ||
      (!url_has_scheme(req, "http") && !url_has_scheme(req, "https")) ||
      !p->v[CORSIM__B_CORS_ENFORCED])
    return 0;

  /* Branch f: fetch() sets the unsafe-request flag, so a method that is
   * not CORS-safelisted or a non-empty unsafe-name list preflights. */
  if (!is_safelisted_method(req->method, req->method_len)) {
    *needed = 1;
    return 0;
  }
  h = corsim_headers_data(req->headers, &n);
  exceeded = safelisted_total_exceeded(h, n, &any_unsafe);
  /* The list is non-empty when some header failed, or when the total was
   * exceeded (then at least one header passed). */
  *needed = any_unsafe || exceeded;
  return 0;
}

CORSIM__API int corsim_request_unsafe_headers(const corsim_request *req,
                                              char *buf, size_t buf_len,
                                              size_t *out_len) {
  const corsim_header *h;
  corsim_str *names, *tmp;
  size_t n, i, k = 0, total = 0;
  int any_unsafe, exceeded;

  if (out_len)
    *out_len = 0;
  if (!req || !out_len || (!buf && buf_len))
    return CORSIM_ERR_INVALID_ARGUMENT;

  /* #cors-unsafe-request-header-names steps 1-2: which names. */
  h = corsim_headers_data(req->headers, &n);
  exceeded = safelisted_total_exceeded(h, n, &any_unsafe);
  if (!any_unsafe && !exceeded)
    return 0;
  for (i = 0; i < n; i++)
    if (exceeded || !is_safelisted_request_header(&h[i]))
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
    if (exceeded || !is_safelisted_request_header(&h[i])) {
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
