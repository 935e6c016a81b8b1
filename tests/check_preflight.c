/*
 * check_preflight.c -- lib/preflight.c: when a request needs a CORS
 * preflight (Fetch #concept-main-fetch step 2.f), CORS-safelisted methods
 * and request-headers (#cors-safelisted-method,
 * #cors-safelisted-request-header) and the CORS-unsafe request-header
 * names (#cors-unsafe-request-header-names) that
 * Access-Control-Request-Headers carries.  Each table row names the rule
 * it exercises.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "testutil.h"

#define APP "https://app.example"
#define API "https://api.example/data"

/* ------------------------------------------------------------------------
 * Helpers
 * ------------------------------------------------------------------------ */

static corsim_request *cross_origin(void) {
  return tu_request(APP, API, CORSIM_MODE_CORS,
                    CORSIM_CREDENTIALS_SAME_ORIGIN);
}

/* Appends name: value, where the value is (value, len) followed by
 * pad_char until it is pad_to bytes long (when pad_to > len). */
static void add_header(corsim_request *req, const char *name,
                       const char *value, size_t len, size_t pad_to,
                       char pad_char, unsigned flags) {
  size_t n = pad_to > len ? pad_to : len;
  char *v = malloc(n ? n : 1);
  int rc;
  ck_assert_ptr_nonnull(v);
  if (len)
    memcpy(v, value, len);
  if (n > len)
    memset(v + len, pad_char, n - len);
  rc = corsim_headers_append(corsim_request_headers(req), name, strlen(name),
                             v, n, flags);
  ck_assert_msg(rc == 0, "append %s: \"%s\" (%zu): %s", name, tu_esc(v, n), n,
                corsim_strerror(rc));
  free(v);
}

static void add(corsim_request *req, const char *name, const char *value) {
  add_header(req, name, value, strlen(value), 0, 0, 0);
}

static int needs(const corsim_request *req, const corsim_profile *p) {
  int needed = -1;
  ck_assert_ok(corsim_request_needs_preflight(req, p, &needed));
  ck_assert_msg(needed == 0 || needed == 1, "needed = %d", needed);
  return needed;
}

/* Asserts the Access-Control-Request-Headers value. */
static void expect_unsafe(const corsim_request *req, const char *want) {
  char buf[4096];
  size_t len = (size_t)-1;
  ck_assert_ok(corsim_request_unsafe_headers(req, buf, sizeof buf, &len));
  ck_assert_bytes(buf, len, want, strlen(want));
}

/* ------------------------------------------------------------------------
 * 1. Methods (#cors-safelisted-method: GET, HEAD, POST byte for byte;
 *    corsim_request_set_method normalizes first, #concept-method-normalize)
 * ------------------------------------------------------------------------ */

static const struct {
  const char *method;
  int preflight;
} method_rows[] = {
    {"GET", 0},     {"HEAD", 0},    {"POST", 0},
    {"get", 0},     /* normalized to GET */
    {"head", 0},    /* normalized to HEAD */
    {"pOsT", 0},    /* normalized to POST */
    {"PUT", 1},     {"put", 1},     /* normalized to PUT: still unsafe */
    {"DELETE", 1},  {"OPTIONS", 1}, {"PATCH", 1},
    {"patch", 1},   /* not normalized; unsafe either way */
    {"X-Custom", 1}, /* any other token */
    {"GETX", 1},    {"POS", 1},     {"HEADS", 1},
};

START_TEST(test_methods) {
  corsim_request *req = cross_origin();
  const char *m = method_rows[_i].method;

  ck_assert_ok(corsim_request_set_method(req, m, strlen(m)));
  ck_assert_msg(needs(req, NULL) == method_rows[_i].preflight,
                "method %s: want preflight %d", m, method_rows[_i].preflight);
  ck_assert_msg(needs(req, corsim_profile_spec()) == method_rows[_i].preflight,
                "method %s with the spec profile", m);
  /* the method never makes a header unsafe */
  expect_unsafe(req, "");
  corsim_request_free(req);
}
END_TEST

/* The comparison is byte for byte: a method that reached the request
 * without normalization (set here behind the API's back) as "get" or
 * "Post" is not a CORS-safelisted method. */
static const char *const raw_methods[] = {"get", "Get", "head", "pOST"};

START_TEST(test_method_byte_for_byte) {
  corsim_request *req = cross_origin();
  const char *m = raw_methods[_i];

  ck_assert_ok(corsim_request_set_method(req, m, strlen(m)));
  ck_assert_int_eq(needs(req, NULL), 0); /* normalized: safelisted */
  ck_assert_uint_eq(req->method_len, strlen(m));
  memcpy(req->method, m, strlen(m));
  ck_assert_msg(needs(req, NULL) == 1, "raw method %s", m);
  corsim_request_free(req);
}
END_TEST

/* ------------------------------------------------------------------------
 * 2. Which requests can preflight at all (main fetch step 2, branches b-g)
 * ------------------------------------------------------------------------ */

static const struct {
  const char *what;
  const char *origin, *url;
  corsim_mode mode;
  int preflight; /* with PUT, and with an unsafe header */
} context_rows[] = {
    /* f: cors mode, cross-origin, http(s) */
    {"cross-origin cors", APP, API, CORSIM_MODE_CORS, 1},
    {"other scheme is cross-origin", "http://api.example", API,
     CORSIM_MODE_CORS, 1},
    {"other port is cross-origin", "https://api.example:8443", API,
     CORSIM_MODE_CORS, 1},
    {"opaque origin", "null", API, CORSIM_MODE_CORS, 1},
    {"http URL", APP, "http://api.example/x", CORSIM_MODE_CORS, 1},
    /* b: same origin, data:, navigate: basic, no preflight */
    {"same origin", "https://api.example", API, CORSIM_MODE_CORS, 0},
    {"same origin, default port spelled", "https://api.example:443", API,
     CORSIM_MODE_CORS, 0},
    {"same origin, origin given as URL", "https://API.example/other?q", API,
     CORSIM_MODE_CORS, 0},
    {"data: URL", APP, "data:text/plain,hi", CORSIM_MODE_CORS, 0},
    {"data: URL from an opaque origin", "null", "data:,x", CORSIM_MODE_CORS,
     0},
    {"navigate", APP, API, CORSIM_MODE_NAVIGATE, 0},
    /* c: same-origin mode: a network error, no preflight */
    {"same-origin mode", APP, API, CORSIM_MODE_SAME_ORIGIN, 0},
    /* d: no-cors: opaque, no preflight */
    {"no-cors", APP, API, CORSIM_MODE_NO_CORS, 0},
    {"no-cors same origin", "https://api.example", API, CORSIM_MODE_NO_CORS,
     0},
    /* e: cors to a scheme other than http(s): a network error */
    {"file: URL", APP, "file:///etc/hosts", CORSIM_MODE_CORS, 0},
    {"ws: URL", APP, "ws://api.example/socket", CORSIM_MODE_CORS, 0},
};

START_TEST(test_context) {
  const char *what = context_rows[_i].what;
  int want = context_rows[_i].preflight;
  corsim_request *req;

  /* by method */
  req = tu_request(context_rows[_i].origin, context_rows[_i].url,
                   context_rows[_i].mode, CORSIM_CREDENTIALS_SAME_ORIGIN);
  ck_assert_ok(corsim_request_set_method(req, L("PUT")));
  ck_assert_msg(needs(req, NULL) == want, "%s, PUT: want %d", what, want);
  corsim_request_free(req);

  /* by header */
  req = tu_request(context_rows[_i].origin, context_rows[_i].url,
                   context_rows[_i].mode, CORSIM_CREDENTIALS_INCLUDE);
  add(req, "X-Requested-With", "XMLHttpRequest");
  ck_assert_msg(needs(req, NULL) == want, "%s, X-Requested-With: want %d",
                what, want);
  /* the unsafe names do not depend on the context */
  expect_unsafe(req, "x-requested-with");
  corsim_request_free(req);

  /* a simple request never preflights */
  req = tu_request(context_rows[_i].origin, context_rows[_i].url,
                   context_rows[_i].mode, CORSIM_CREDENTIALS_OMIT);
  ck_assert_ok(corsim_request_set_method(req, L("POST")));
  add(req, "Content-Type", "text/plain");
  ck_assert_msg(needs(req, NULL) == 0, "%s, simple POST", what);
  corsim_request_free(req);
}
END_TEST

/* ------------------------------------------------------------------------
 * 3. CORS-safelisted request-headers, one header at a time
 * ------------------------------------------------------------------------ */

static const struct {
  const char *name;
  const char *value;
  size_t len;
  size_t pad_to; /* pad the value with pad_char up to this length */
  char pad_char;
  unsigned flags;
  int safe;
} header_rows[] = {
    /* Content-Type: no unsafe byte, parses as a MIME type, essence is one
     * of three */
    {"Content-Type", L("text/plain"), 0, 0, 0, 1},
    {"Content-Type", L("TEXT/PLAIN; charset=utf-8"), 0, 0, 0, 1},
    {"Content-Type", L("text/plain;garbage"), 0, 0, 0, 1},
    {"Content-Type", L("text/plain;"), 0, 0, 0, 1},
    {"Content-Type", L("text/plain;;;=;=x;x="), 0, 0, 0, 1},
    {"Content-Type", L("text/plain ;charset=x"), 0, 0, 0, 1},
    {"Content-Type", L("text/plain; charset=\xff"), 0, 0, 0, 1},
    {"Content-Type", L("\t text/plain \t"), 0, 0, CORSIM_HEADER_LENIENT_VALUE,
     1},
    {"Content-Type", L("application/x-www-form-urlencoded"), 0, 0, 0, 1},
    {"Content-Type", L("Application/X-WWW-Form-URLEncoded"), 0, 0, 0, 1},
    {"Content-Type", L("multipart/form-data; boundary=x"), 0, 0, 0, 1},
    {"Content-Type", L("multipart/form-data"), 0, 0, 0, 1},
    {"content-TYPE", L("text/plain"), 0, 0, 0, 1},
    {"Content-Type", L("application/json"), 0, 0, 0, 0},
    {"Content-Type", L("text/html"), 0, 0, 0, 0},
    {"Content-Type", L("multipart/mixed"), 0, 0, 0, 0},
    {"Content-Type", L("text/plainx"), 0, 0, 0, 0},
    {"Content-Type", L("application/x-www-form-urlencodedx"), 0, 0, 0, 0},
    {"Content-Type", L("text/plain; charset=(utf-8)"), 0, 0, 0, 0},
    {"Content-Type", L("text/plain; charset=\"utf-8\""), 0, 0, 0, 0},
    {"Content-Type", L("text/plain\x01"), 0, 0, 0, 0},
    {"Content-Type", L("text/plain\x7f"), 0, 0, 0, 0},
    {"Content-Type", L("text/plain{}"), 0, 0, 0, 0},
    {"Content-Type", L("text/plain\xff"), 0, 0, 0, 0},
    {"Content-Type", L("text/plain, text/html"), 0, 0, 0, 0},
    {"Content-Type", L("text/plain/x"), 0, 0, 0, 0},
    {"Content-Type", L("text /plain"), 0, 0, 0, 0},
    {"Content-Type", L("text/ plain"), 0, 0, 0, 0},
    {"Content-Type", L("text/"), 0, 0, 0, 0},
    {"Content-Type", L("text/;x=y"), 0, 0, 0, 0},
    {"Content-Type", L("/plain"), 0, 0, 0, 0},
    {"Content-Type", L("text"), 0, 0, 0, 0},
    {"Content-Type", L("text;plain"), 0, 0, 0, 0},
    {"Content-Type", L(""), 0, 0, 0, 0},
    {"Content-Type", L("text/plain;x="), 128, 'a', 0, 1},
    {"Content-Type", L("text/plain;x="), 129, 'a', 0, 0},
    /* Accept: no CORS-unsafe request-header byte */
    {"Accept", L("*/*"), 0, 0, 0, 1},
    {"Accept", L("text/html,application/xhtml+xml;q=0.9, */*;q=0.8"), 0, 0, 0,
     1},
    {"ACCEPT", L("application/json"), 0, 0, 0, 1},
    {"Accept", L(""), 0, 0, 0, 1},
    {"Accept", L("a\tb"), 0, 0, 0, 1},
    {"Accept", L("\xc3\xa9"), 0, 0, 0, 1},
    {"Accept", L("application/\"json\""), 0, 0, 0, 0},
    {"Accept", L("text/*(x)"), 0, 0, 0, 0},
    {"Accept", L("a\x1f"), 0, 0, 0, 0},
    {"Accept", L(""), 128, 'a', 0, 1},
    {"Accept", L(""), 129, 'a', 0, 0},
    /* Accept-Language and Content-Language: alnum, SP * , - . ; = */
    {"Accept-Language", L("en-US,en;q=0.9"), 0, 0, 0, 1},
    {"Accept-Language", L("*"), 0, 0, 0, 1},
    {"Accept-Language", L("de-CH, fr;q=0.5"), 0, 0, 0, 1},
    {"accept-language", L(""), 0, 0, 0, 1},
    {"Accept-Language", L("en_US"), 0, 0, 0, 0},
    {"Accept-Language", L("en\tUS"), 0, 0, 0, 0},
    {"Accept-Language", L("en/US"), 0, 0, 0, 0},
    {"Accept-Language", L("en\xc3\xa9"), 0, 0, 0, 0},
    {"Accept-Language", L(""), 128, 'a', 0, 1},
    {"Accept-Language", L(""), 129, 'a', 0, 0},
    {"Content-Language", L("de"), 0, 0, 0, 1},
    {"Content-Language", L("mi, en"), 0, 0, 0, 1},
    {"CONTENT-LANGUAGE", L("de-DE"), 0, 0, 0, 1},
    {"Content-Language", L("de_DE"), 0, 0, 0, 0},
    {"Content-Language", L("de+DE"), 0, 0, 0, 0},
    {"Content-Language", L(""), 128, 'x', 0, 1},
    {"Content-Language", L(""), 129, 'x', 0, 0},
    /* Range: a single range, no whitespace, start present, start <= end */
    {"Range", L("bytes=0-"), 0, 0, 0, 1},
    {"Range", L("bytes=0-499"), 0, 0, 0, 1},
    {"Range", L("bytes=0-0"), 0, 0, 0, 1},
    {"Range", L("bytes=5-5"), 0, 0, 0, 1},
    {"Range", L("BYTES=0-1"), 0, 0, 0, 1},
    {"range", L("bytes=009-10"), 0, 0, 0, 1},
    {"Range", L("bytes=99999999999999999999999-100000000000000000000000"), 0,
     0, 0, 1},
    {"Range", L("bytes=100000000000000000000000-99999999999999999999999"), 0,
     0, 0, 0},
    {"Range", L("bytes=-500"), 0, 0, 0, 0},
    {"Range", L("bytes=5-2"), 0, 0, 0, 0},
    {"Range", L("bytes=00010-9"), 0, 0, 0, 0},
    {"Range", L("bytes= 0-1"), 0, 0, 0, 0},
    {"Range", L("bytes =0-1"), 0, 0, 0, 0},
    {"Range", L("bytes=0 -1"), 0, 0, 0, 0},
    {"Range", L("bytes=0- 1"), 0, 0, 0, 0},
    {"Range", L("bytes=0-1 "), 0, 0, CORSIM_HEADER_LENIENT_VALUE, 0},
    {"Range", L(" bytes=0-1"), 0, 0, CORSIM_HEADER_LENIENT_VALUE, 0},
    {"Range", L("bytes=0-1,2-3"), 0, 0, 0, 0},
    {"Range", L("bytes=-"), 0, 0, 0, 0},
    {"Range", L("bytes="), 0, 0, 0, 0},
    {"Range", L("bytes"), 0, 0, 0, 0},
    {"Range", L("bytes0-1"), 0, 0, 0, 0},
    {"Range", L("bytesx=0-1"), 0, 0, 0, 0},
    {"Range", L("bytes=a-1"), 0, 0, 0, 0},
    {"Range", L("bytes=1-0x"), 0, 0, 0, 0},
    {"Range", L("items=0-1"), 0, 0, 0, 0},
    {"Range", L(""), 0, 0, 0, 0},
    {"Range", L("bytes=1-"), 128, '9', 0, 1},
    {"Range", L("bytes=1-"), 129, '9', 0, 0},
    /* any other name */
    {"Authorization", L("Bearer x"), 0, 0, 0, 0},
    {"X-Custom", L("1"), 0, 0, 0, 0},
    {"X-Requested-With", L("XMLHttpRequest"), 0, 0, 0, 0},
    {"Cache-Control", L("no-cache"), 0, 0, 0, 0},
    {"Content-Encoding", L("gzip"), 0, 0, 0, 0},
    {"Content-Length", L("5"), 0, 0, 0, 0}, /* forbidden: see preflight.c */
    {"Save-Data", L("on"), 0, 0, 0, 0},
    {"DPR", L("2"), 0, 0, 0, 0},
    {"Accepts", L("*/*"), 0, 0, 0, 0},
    {"Accept-Languag", L("en"), 0, 0, 0, 0},
    {"Content-Types", L("text/plain"), 0, 0, 0, 0},
    {"Ranges", L("bytes=0-1"), 0, 0, 0, 0},
};

START_TEST(test_safelisted_header) {
  corsim_request *req = cross_origin();
  const char *name = header_rows[_i].name;
  int safe = header_rows[_i].safe;
  char lower[64];
  size_t i;

  add_header(req, name, header_rows[_i].value, header_rows[_i].len,
             header_rows[_i].pad_to, header_rows[_i].pad_char,
             header_rows[_i].flags);
  ck_assert_msg(needs(req, NULL) == !safe, "%s: \"%s\" should%s preflight",
                name, tu_esc(header_rows[_i].value, header_rows[_i].len),
                safe ? " not" : "");
  for (i = 0; name[i]; i++)
    lower[i] = (char)(name[i] >= 'A' && name[i] <= 'Z' ? name[i] | 0x20
                                                       : name[i]);
  lower[i] = '\0';
  expect_unsafe(req, safe ? "" : lower);

  /* with a non-safelisted method it preflights either way */
  ck_assert_ok(corsim_request_set_method(req, L("DELETE")));
  ck_assert_int_eq(needs(req, NULL), 1);
  corsim_request_free(req);
}
END_TEST

/* #cors-unsafe-request-header-byte, written out independently. */
static int unsafe_byte(unsigned c) {
  return (c < 0x20 && c != 0x09) || c == 0x7F ||
         (c && strchr("\"():<>?@[\\]{}", (int)c) != NULL);
}

/* Accept with each byte in the middle of the value. */
START_TEST(test_accept_each_byte) {
  corsim_request *req = cross_origin();
  char v[3] = {'a', (char)_i, 'a'};
  int want_safe = !unsafe_byte((unsigned)_i);

  add_header(req, "Accept", v, 3, 0, 0, CORSIM_HEADER_LENIENT_VALUE);
  ck_assert_msg(needs(req, NULL) == !want_safe, "Accept with byte 0x%02x",
                (unsigned)_i);
  expect_unsafe(req, want_safe ? "" : "accept");
  corsim_request_free(req);
}
END_TEST

/* Content-Type "text/plain;x=?" with each byte in the parameter value:
 * parameters are skipped, so only the CORS-unsafe bytes matter (a ';'
 * merely starts an empty parameter; trailing TAB or SP is trimmed). */
START_TEST(test_content_type_each_byte) {
  corsim_request *req = cross_origin();
  char v[] = "text/plain;x=?";
  int want_safe = !unsafe_byte((unsigned)_i);

  v[sizeof v - 2] = (char)_i;
  add_header(req, "Content-Type", v, sizeof v - 1, 0, 0,
             CORSIM_HEADER_LENIENT_VALUE);
  ck_assert_msg(needs(req, NULL) == !want_safe,
                "Content-Type text/plain;x=<0x%02x>", (unsigned)_i);
  corsim_request_free(req);
}
END_TEST

/* Content-Type "?text/plain" and "text/plain?" with each byte: the MIME
 * type parser trims leading and trailing HTTP whitespace (CR and LF are
 * CORS-unsafe bytes, so only TAB and SP are left) and the subtype ends at
 * ';'; any other byte gives another essence or no valid MIME type. */
START_TEST(test_content_type_ends_each_byte) {
  char pre[] = "?text/plain", post[] = "text/plain?";
  corsim_request *req;

  pre[0] = (char)_i;
  req = cross_origin();
  add_header(req, "Content-Type", pre, sizeof pre - 1, 0, 0,
             CORSIM_HEADER_LENIENT_VALUE);
  ck_assert_msg(needs(req, NULL) == !(_i == ' ' || _i == '\t'),
                "Content-Type <0x%02x>text/plain", (unsigned)_i);
  corsim_request_free(req);

  post[sizeof post - 2] = (char)_i;
  req = cross_origin();
  add_header(req, "Content-Type", post, sizeof post - 1, 0, 0,
             CORSIM_HEADER_LENIENT_VALUE);
  ck_assert_msg(needs(req, NULL) == !(_i == ' ' || _i == '\t' || _i == ';'),
                "Content-Type text/plain<0x%02x>", (unsigned)_i);
  corsim_request_free(req);
}
END_TEST

static int language_byte(unsigned c) {
  return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') ||
         (c >= 'a' && c <= 'z') || (c && strchr(" *,-.;=", (int)c) != NULL);
}

/* Accept-Language and Content-Language with each byte. */
START_TEST(test_language_each_byte) {
  static const char *const names[] = {"Accept-Language", "Content-Language"};
  int want_safe = language_byte((unsigned)_i);
  size_t k;

  for (k = 0; k < N_ELEMS(names); k++) {
    corsim_request *req = cross_origin();
    char v[3] = {'e', (char)_i, 'n'};
    add_header(req, names[k], v, 3, 0, 0, CORSIM_HEADER_LENIENT_VALUE);
    ck_assert_msg(needs(req, NULL) == !want_safe, "%s with byte 0x%02x",
                  names[k], (unsigned)_i);
    corsim_request_free(req);
  }
}
END_TEST

/* ------------------------------------------------------------------------
 * 4. The unsafe-name list (#cors-unsafe-request-header-names): the
 *    1024-byte total, sorting, lowercasing, uniqueness
 * ------------------------------------------------------------------------ */

typedef struct group {
  const char *name;
  size_t count;
  const char *value; /* padded with 'a' up to pad_to */
  size_t pad_to;
} group;

static const struct {
  const char *what;
  group g[4];
  const char *want;
} total_rows[] = {
    {"9 x 120-byte Accept = 1080 > 1024: all unsafe",
     {{"Accept", 9, "", 120}},
     "accept"},
    {"8 x 128 = 1024: not more than 1024",
     {{"Accept", 8, "", 128}},
     ""},
    {"8 x 128 + 1 byte = 1025",
     {{"Accept", 8, "", 128}, {"Accept", 1, "a", 0}},
     "accept"},
    {"8 x 128 + an empty value = 1024",
     {{"Accept", 8, "", 128}, {"Content-Language", 1, "", 0}},
     ""},
    {"the total makes every safelisted name unsafe",
     {{"Accept", 8, "", 128},
      {"Content-Type", 1, "text/plain", 0},
      {"Range", 1, "bytes=0-", 0}},
     "accept,content-type,range"},
    {"unsafe values do not count towards the total",
     {{"Accept", 8, "", 128}, {"X-Big", 1, "", 1000}},
     "x-big"},
    {"a value over 128 bytes is unsafe and does not count",
     {{"Accept", 8, "", 128}, {"Content-Type", 1, "text/plain;x=", 129}},
     "content-type"},
    {"total over 1024 across several names",
     {{"Accept", 4, "", 128},
      {"Accept-Language", 4, "", 128},
      {"Content-Language", 1, "de", 0},
      {"X-A", 1, "1", 0}},
     "accept,accept-language,content-language,x-a"},
};

START_TEST(test_total) {
  corsim_request *req = cross_origin();
  const char *want = total_rows[_i].want;
  size_t k, j;

  for (k = 0; k < N_ELEMS(total_rows[_i].g) && total_rows[_i].g[k].name;
       k++) {
    const group *g = &total_rows[_i].g[k];
    for (j = 0; j < g->count; j++)
      add_header(req, g->name, g->value, strlen(g->value), g->pad_to, 'a', 0);
  }
  ck_assert_msg(needs(req, NULL) == (*want != '\0'), "%s",
                total_rows[_i].what);
  expect_unsafe(req, want);
  corsim_request_free(req);
}
END_TEST

static const struct {
  const char *headers[6]; /* "Name: value" */
  const char *want;
} sort_rows[] = {
    {{"X-B: 1", "x-a: 2", "X-A: 3"}, "x-a,x-b"},
    {{"X-Custom: 1", "Authorization: Bearer t"}, "authorization,x-custom"},
    /* lowercase first, then byte order: "a_" < "az" although 'Z' < '_' */
    {{"AZ: 1", "A_: 2"}, "a_,az"},
    {{"X-Z: 1", "x_a: 1", "X-a: 1"}, "x-a,x-z,x_a"},
    {{"x-ab: 1", "X-A: 1"}, "x-a,x-ab"},
    {{"Accept: */*", "X-B: 1", "Content-Type: application/json"},
     "content-type,x-b"},
    {{"Accept: */*", "ACCEPT: a(b", "accept: text/html"}, "accept"},
    {{"Content-Type: text/plain", "Content-Type: application/json"},
     "content-type"},
    {{"X-1: a", "x-1: b", "X-1: c", "x-1: d", "X-1: e", "x-1: f"}, "x-1"},
    {{"Accept: */*", "Range: bytes=0-1", "Content-Language: de"}, ""},
    {{NULL}, ""},
};

START_TEST(test_sorted_set) {
  corsim_request *req = cross_origin();
  const char *want = sort_rows[_i].want;
  size_t k;

  for (k = 0; k < N_ELEMS(sort_rows[_i].headers) && sort_rows[_i].headers[k];
       k++) {
    const char *line = sort_rows[_i].headers[k];
    const char *colon = strchr(line, ':');
    char name[32];
    ck_assert_ptr_nonnull(colon);
    memcpy(name, line, (size_t)(colon - line));
    name[colon - line] = '\0';
    add(req, name, colon + 2);
  }
  ck_assert_int_eq(needs(req, NULL), *want != '\0');
  expect_unsafe(req, want);
  corsim_request_free(req);
}
END_TEST

/* ------------------------------------------------------------------------
 * 5. Profiles: cors.enforced false never preflights; NULL means spec
 * ------------------------------------------------------------------------ */

static const struct {
  int enforced; /* -1: NULL profile */
  const char *method;
  const char *header; /* NULL: none */
  int want;
} profile_rows[] = {
    {1, "PUT", NULL, 1},         {1, "GET", "X-A", 1},
    {1, "GET", "Accept", 0},     {-1, "PUT", NULL, 1},
    {-1, "GET", "X-A", 1},       {-1, "POST", NULL, 0},
    {0, "PUT", NULL, 0},         {0, "GET", "X-A", 0},
    {0, "DELETE", "X-A", 0},     {0, "GET", NULL, 0},
};

START_TEST(test_profile) {
  corsim_profile local = *corsim_profile_spec();
  const corsim_profile *p = &local;
  corsim_request *req = cross_origin();

  if (profile_rows[_i].enforced < 0)
    p = NULL;
  else
    local.v[CORSIM__B_CORS_ENFORCED] = profile_rows[_i].enforced;
  ck_assert_ok(corsim_request_set_method(req, profile_rows[_i].method,
                                         strlen(profile_rows[_i].method)));
  if (profile_rows[_i].header)
    add(req, profile_rows[_i].header, "text/html");
  ck_assert_msg(needs(req, p) == profile_rows[_i].want,
                "enforced %d, %s, %s: want %d", profile_rows[_i].enforced,
                profile_rows[_i].method,
                profile_rows[_i].header ? profile_rows[_i].header : "-",
                profile_rows[_i].want);
  corsim_request_free(req);
}
END_TEST

/* Other behaviours do not matter: flip each one but cors.enforced. */
START_TEST(test_other_behaviours_ignored) {
  corsim_profile local = *corsim_profile_spec();
  corsim_request *req = cross_origin();
  size_t b;

  add(req, "X-A", "1");
  for (b = 0; b < CORSIM__B_COUNT; b++)
    if (b != CORSIM__B_CORS_ENFORCED)
      local.v[b] = local.v[b] ? 0 : 1;
  ck_assert_int_eq(needs(req, &local), 1);
  corsim_request_free(req);
}
END_TEST

/* ------------------------------------------------------------------------
 * 6. API: arguments, incomplete requests, buffers, allocation
 * ------------------------------------------------------------------------ */

START_TEST(test_arguments) {
  corsim_request *req = cross_origin();
  char buf[8];
  size_t len = 99;
  int needed = 7;

  ck_assert_int_eq(corsim_request_needs_preflight(NULL, NULL, &needed),
                   CORSIM_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(needed, 0);
  ck_assert_int_eq(corsim_request_needs_preflight(req, NULL, NULL),
                   CORSIM_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(corsim_request_needs_preflight(NULL, NULL, NULL),
                   CORSIM_ERR_INVALID_ARGUMENT);

  ck_assert_int_eq(corsim_request_unsafe_headers(NULL, buf, sizeof buf, &len),
                   CORSIM_ERR_INVALID_ARGUMENT);
  ck_assert_uint_eq(len, 0);
  ck_assert_int_eq(corsim_request_unsafe_headers(req, buf, sizeof buf, NULL),
                   CORSIM_ERR_INVALID_ARGUMENT);
  len = 99;
  ck_assert_int_eq(corsim_request_unsafe_headers(req, NULL, 1, &len),
                   CORSIM_ERR_INVALID_ARGUMENT);
  ck_assert_uint_eq(len, 0);

  /* NULL with length 0 asks for the length */
  len = 99;
  ck_assert_ok(corsim_request_unsafe_headers(req, NULL, 0, &len));
  ck_assert_uint_eq(len, 0);
  add(req, "X-A", "1");
  ck_assert_int_eq(corsim_request_unsafe_headers(req, NULL, 0, &len),
                   CORSIM_ERR_BUFFER_TOO_SMALL);
  ck_assert_uint_eq(len, 3);
  corsim_request_free(req);
}
END_TEST

START_TEST(test_incomplete) {
  corsim_request *req = NULL;
  int needed = 7;
  size_t len = 99;
  char buf[16];

  ck_assert_ok(corsim_request_new(&req, NULL));
  ck_assert_ok(corsim_request_set_method(req, L("PUT")));
  add(req, "X-A", "1");
  /* neither */
  ck_assert_int_eq(corsim_request_needs_preflight(req, NULL, &needed),
                   CORSIM_ERR_INCOMPLETE_REQUEST);
  ck_assert_int_eq(needed, 0);
  /* the unsafe names need neither URL nor origin */
  ck_assert_ok(corsim_request_unsafe_headers(req, buf, sizeof buf, &len));
  ck_assert_bytes(buf, len, L("x-a"));
  /* URL only */
  ck_assert_ok(corsim_request_set_url(req, L(API)));
  needed = 7;
  ck_assert_int_eq(corsim_request_needs_preflight(req, NULL, &needed),
                   CORSIM_ERR_INCOMPLETE_REQUEST);
  ck_assert_int_eq(needed, 0);
  corsim_request_free(req);

  /* origin only */
  ck_assert_ok(corsim_request_new(&req, NULL));
  ck_assert_ok(corsim_request_set_origin(req, L(APP)));
  ck_assert_ok(corsim_request_set_method(req, L("PUT")));
  ck_assert_int_eq(corsim_request_needs_preflight(req, NULL, &needed),
                   CORSIM_ERR_INCOMPLETE_REQUEST);
  /* both */
  ck_assert_ok(corsim_request_set_url(req, L(API)));
  ck_assert_int_eq(needs(req, NULL), 1);
  corsim_request_free(req);
}
END_TEST

/* Every buffer length from 0 to past the end: the prefix that fits is
 * written, nothing beyond it, and the full length is reported. */
#define FULL "authorization,x-a,x-b"

START_TEST(test_buffer_too_small) {
  corsim_request *req = cross_origin();
  size_t want = sizeof FULL - 1, buf_len = (size_t)_i, len, i;
  char buf[sizeof FULL + 8];
  int rc;

  add(req, "X-B", "1");
  add(req, "x-a", "2");
  add(req, "Authorization", "Basic x");
  add(req, "Accept", "*/*");
  memset(buf, '#', sizeof buf);
  len = 0;
  rc = corsim_request_unsafe_headers(req, buf_len ? buf : NULL, buf_len, &len);
  ck_assert_int_eq(rc, buf_len < want ? CORSIM_ERR_BUFFER_TOO_SMALL : 0);
  ck_assert_uint_eq(len, want);
  for (i = 0; i < sizeof buf; i++) {
    if (i < buf_len && i < want)
      ck_assert_msg(buf[i] == FULL[i], "buf_len %zu: byte %zu is '%c'",
                    buf_len, i, buf[i]);
    else
      ck_assert_msg(buf[i] == '#', "buf_len %zu: byte %zu was written",
                    buf_len, i);
  }
  corsim_request_free(req);
}
END_TEST

/* Allocation failure: every allocation of corsim_request_unsafe_headers
 * fails in turn; it reports NOMEM, leaks nothing, and then succeeds.
 * corsim_request_needs_preflight never allocates. */
START_TEST(test_nomem) {
  tu_counter c = {0, 0, 0, 0};
  corsim_allocator a = tu_counting_allocator(&c);
  corsim_request *req = NULL;
  char buf[64];
  size_t len, before, live, k;
  int rc = -1, needed;

  ck_assert_ok(corsim_request_new(&req, &a));
  ck_assert_ok(corsim_request_set_url(req, L(API)));
  ck_assert_ok(corsim_request_set_origin(req, L(APP)));
  add(req, "Accept", "*/*");

  /* nothing unsafe: no allocation at all */
  before = c.allocs;
  ck_assert_ok(corsim_request_unsafe_headers(req, buf, sizeof buf, &len));
  ck_assert_uint_eq(len, 0);
  ck_assert_uint_eq(c.allocs, before);

  add(req, "X-B", "1");
  add(req, "X-A", "1");
  add(req, "x-b", "1");
  before = c.allocs;
  ck_assert_int_eq(needs(req, NULL), 1);
  ck_assert_uint_eq(c.allocs, before);

  live = c.live;
  for (k = 1; k < 100; k++) {
    c.fail_at = c.allocs + k;
    len = 99;
    rc = corsim_request_unsafe_headers(req, buf, sizeof buf, &len);
    ck_assert_uint_eq(c.live, live);
    if (rc == 0)
      break;
    ck_assert_int_eq(rc, CORSIM_ERR_NOMEM);
    ck_assert_uint_eq(len, 0);
  }
  ck_assert_int_eq(rc, 0);
  ck_assert_uint_gt(k, 1); /* at least one allocation was made to fail */
  ck_assert_bytes(buf, len, L("x-a,x-b"));
  c.fail_at = 0;

  /* needs_preflight gives the same answer with allocation failing */
  c.fail_at = c.allocs + 1;
  needed = -1;
  ck_assert_ok(corsim_request_needs_preflight(req, NULL, &needed));
  ck_assert_int_eq(needed, 1);
  c.fail_at = 0;

  corsim_request_free(req);
  ck_assert_uint_eq(c.live, 0);
}
END_TEST

/* The same request asked twice gives the same answers (no hidden state),
 * and the list reflects later changes to the header list. */
START_TEST(test_reflects_changes) {
  corsim_request *req = cross_origin();

  add(req, "X-A", "1");
  ck_assert_int_eq(needs(req, NULL), 1);
  ck_assert_int_eq(needs(req, NULL), 1);
  expect_unsafe(req, "x-a");
  ck_assert_int_eq(corsim_headers_delete(corsim_request_headers(req), L("x-a")),
                   1);
  ck_assert_int_eq(needs(req, NULL), 0);
  expect_unsafe(req, "");
  ck_assert_ok(corsim_request_set_mode(req, CORSIM_MODE_NO_CORS));
  add(req, "X-A", "1");
  ck_assert_int_eq(needs(req, NULL), 0);
  ck_assert_ok(corsim_request_set_mode(req, CORSIM_MODE_CORS));
  ck_assert_int_eq(needs(req, NULL), 1);
  ck_assert_ok(corsim_request_set_url(req, L("https://app.example/same")));
  ck_assert_int_eq(needs(req, NULL), 0);
  corsim_request_free(req);
}
END_TEST

static Suite *suite(void) {
  Suite *s = suite_create("preflight");
  TCase *tc = tcase_create("method");
  tcase_add_loop_test(tc, test_methods, 0, (int)N_ELEMS(method_rows));
  tcase_add_loop_test(tc, test_method_byte_for_byte, 0,
                      (int)N_ELEMS(raw_methods));
  suite_add_tcase(s, tc);

  tc = tcase_create("context");
  tcase_add_loop_test(tc, test_context, 0, (int)N_ELEMS(context_rows));
  suite_add_tcase(s, tc);

  tc = tcase_create("safelist");
  tcase_add_loop_test(tc, test_safelisted_header, 0, (int)N_ELEMS(header_rows));
  tcase_add_loop_test(tc, test_accept_each_byte, 0, 256);
  tcase_add_loop_test(tc, test_content_type_each_byte, 0, 256);
  tcase_add_loop_test(tc, test_content_type_ends_each_byte, 0, 256);
  tcase_add_loop_test(tc, test_language_each_byte, 0, 256);
  suite_add_tcase(s, tc);

  tc = tcase_create("unsafe-names");
  tcase_add_loop_test(tc, test_total, 0, (int)N_ELEMS(total_rows));
  tcase_add_loop_test(tc, test_sorted_set, 0, (int)N_ELEMS(sort_rows));
  suite_add_tcase(s, tc);

  tc = tcase_create("profile");
  tcase_add_loop_test(tc, test_profile, 0, (int)N_ELEMS(profile_rows));
  tcase_add_test(tc, test_other_behaviours_ignored);
  suite_add_tcase(s, tc);

  tc = tcase_create("api");
  tcase_add_test(tc, test_arguments);
  tcase_add_test(tc, test_incomplete);
  tcase_add_loop_test(tc, test_buffer_too_small, 0, (int)sizeof FULL + 3);
  tcase_add_test(tc, test_nomem);
  tcase_add_test(tc, test_reflects_changes);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) { return tu_run(suite()); }
