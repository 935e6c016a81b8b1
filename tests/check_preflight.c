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

/* ------------------------------------------------------------------------
 * 7. corsim_preflight (#cors-preflight-fetch-0): the checks of one
 *    preflight response, table-driven in the manner of WPT's
 *    cors/preflight-*.htm; research/engines.md 2(g) names the rows.
 * ------------------------------------------------------------------------ */

#define OTHER_ORIGIN "https://other.example"
#define API2 "https://api.example/other"
#define T0 1000.0

/* Profile changes in tables: {CORSIM__B_x + 1, value}; {0, 0} is none (a
 * zero-initialized row must not switch off cors.enforced, behaviour 0). */
typedef struct {
  int b1;
  int v;
} bset;
#define SET(name, value) {CORSIM__B_##name + 1, (value)}

static corsim_profile make_profile(const bset *set, size_t n) {
  corsim_profile p = *corsim_profile_spec();
  size_t i;
  for (i = 0; i < n; i++)
    if (set[i].b1 > 0)
      p.v[set[i].b1 - 1] = set[i].v;
  return p;
}

/* Credentials in tables: a corsim_credentials, or not set at all. */
#define CRED_UNSET (-1)
#define SO CORSIM_CREDENTIALS_SAME_ORIGIN
#define OMIT CORSIM_CREDENTIALS_OMIT
#define INCL CORSIM_CREDENTIALS_INCLUDE

/* Appends "Name: value" lines (separated by '\n') to the request. */
static void add_lines(corsim_request *req, const char *lines) {
  while (lines && *lines) {
    const char *end = strchr(lines, '\n'), *colon;
    size_t len = end ? (size_t)(end - lines) : strlen(lines);
    colon = memchr(lines, ':', len);
    ck_assert_msg(colon != NULL, "bad request header line %s",
                  tu_esc(lines, len));
    ck_assert_ok(corsim_headers_append(
        corsim_request_headers(req), lines, (size_t)(colon - lines),
        colon + 1, len - (size_t)(colon + 1 - lines),
        CORSIM_HEADER_NORMALIZE));
    lines += len + (end ? 1 : 0);
  }
}

static corsim_request *make_req(const char *origin, const char *url,
                                corsim_mode mode, int cred,
                                const char *method, const char *hdrs) {
  corsim_request *req = NULL;
  ck_assert_ok(corsim_request_new(&req, NULL));
  ck_assert_ok(corsim_request_set_origin(req, origin, strlen(origin)));
  ck_assert_ok(corsim_request_set_url(req, url, strlen(url)));
  ck_assert_ok(corsim_request_set_mode(req, mode));
  if (cred != CRED_UNSET)
    ck_assert_ok(corsim_request_set_credentials(req, (corsim_credentials)cred));
  ck_assert_ok(corsim_request_set_method(req, method, strlen(method)));
  add_lines(req, hdrs);
  return req;
}

static const char *state_name(corsim_preflight_state s) {
  const char *n = corsim_preflight_state_name(s);
  return n ? n : "(unknown)";
}

static const char *reason_name(corsim_block_reason r) {
  const char *n = corsim_block_reason_name(r);
  return n ? n : "(unknown)";
}

/*
 * Runs corsim_preflight with the preflight response written as text (NULL:
 * none) and checks what every state promises of res: FAILED is a network
 * error from the preflight whose message starts "Preflight: "; every other
 * state leaves res reset.  *why and msg (when not NULL, up to msg_len
 * bytes) receive the reason and message.
 */
static corsim_preflight_state run_pf(corsim_result *res,
                                     const corsim_profile *p,
                                     const corsim_request *req,
                                     const char *pre_text,
                                     corsim_cache *cache, double now,
                                     corsim_block_reason *why, char *msg,
                                     size_t msg_len) {
  tu_response r;
  char err[256];
  corsim_preflight_state st = (corsim_preflight_state)77;
  const char *m;
  int rc;

  if (pre_text)
    ck_assert_msg(tu_response_parse(&r, pre_text, strlen(pre_text), err,
                                    sizeof err) == 0,
                  "preflight response: %s", err);
  rc = corsim_preflight(res, p, req, pre_text ? &r.resp : NULL, cache, now,
                        &st);
  ck_assert_msg(rc == 0, "corsim_preflight returned %d (%s)", rc,
                corsim_strerror(rc));
  m = corsim_result_message(res);
  ck_assert_ptr_nonnull(m);
  ck_assert_ptr_eq(corsim_result_profile(res), p ? p : corsim_profile_spec());
  if (st == CORSIM_PREFLIGHT_FAILED) {
    ck_assert_int_eq(corsim_result_is_network_error(res), 1);
    ck_assert_int_eq(corsim_result_type(res), CORSIM_TYPE_ERROR);
    ck_assert_int_eq(corsim_result_in_preflight(res), 1);
    ck_assert_int_ne(corsim_result_reason(res), CORSIM_BLOCK_NONE);
    ck_assert_msg(strncmp(m, "Preflight: ", 11) == 0, "message \"%s\"", m);
    ck_assert_int_eq(corsim_result_status(res), 0);
  } else {
    ck_assert_msg(st == CORSIM_PREFLIGHT_NOT_NEEDED ||
                      st == CORSIM_PREFLIGHT_CACHED ||
                      st == CORSIM_PREFLIGHT_PASSED ||
                      st == CORSIM_PREFLIGHT_NO_RESPONSE,
                  "state %d", (int)st);
    ck_assert_int_eq(corsim_result_reason(res), CORSIM_BLOCK_NONE);
    ck_assert_int_eq(corsim_result_in_preflight(res), 0);
    ck_assert_str_eq(m, "");
  }
  if (why)
    *why = corsim_result_reason(res);
  if (msg && msg_len) {
    strncpy(msg, m, msg_len - 1);
    msg[msg_len - 1] = '\0';
  }
  if (pre_text)
    tu_response_free(&r);
  return st;
}

/* Leaves res holding a preflight failure, so that a later call can be seen
 * to reset it. */
static void dirty(corsim_result *res) {
  corsim_request *req =
      make_req(APP, API, CORSIM_MODE_CORS, OMIT, "PUT", NULL);
  corsim_block_reason why;
  ck_assert_int_eq(run_pf(res, NULL, req, "HTTP/1.1 204 No Content\n", NULL,
                          T0, &why, NULL, 0),
                   CORSIM_PREFLIGHT_FAILED);
  ck_assert_int_eq(why, CORSIM_BLOCK_ACAO_MISSING);
  corsim_request_free(req);
}

/* Response texts. */
#define H204 "HTTP/1.1 204 No Content\n"
#define ANY "Access-Control-Allow-Origin: *\n"
#define EXACT "Access-Control-Allow-Origin: " APP "\n"
#define CRED EXACT "Access-Control-Allow-Credentials: true\n"
#define ACAM(v) "Access-Control-Allow-Methods: " v "\n"
#define ACAH(v) "Access-Control-Allow-Headers: " v "\n"
#define MAXAGE(v) "Access-Control-Max-Age: " v "\n"

#define NOT_NEEDED CORSIM_PREFLIGHT_NOT_NEEDED
#define CACHED CORSIM_PREFLIGHT_CACHED
#define PASSED CORSIM_PREFLIGHT_PASSED
#define FAILED CORSIM_PREFLIGHT_FAILED
#define NO_RESPONSE CORSIM_PREFLIGHT_NO_RESPONSE
#define R(x) CORSIM_BLOCK_##x

typedef struct {
  const char *what;
  const char *url; /* NULL: API */
  corsim_mode mode;
  int cred;
  const char *method;
  const char *hdrs; /* request headers, "Name: value" lines */
  bset set[3];
  const char *pre; /* the preflight response; NULL: none */
  corsim_preflight_state want;
  corsim_block_reason why;
  const char *msg; /* a part of the message, or NULL */
} live_row;

static const live_row live_rows[] = {
    /* --- not needed (main fetch step 2: branch f only) --- */
    {"same-origin PUT", "https://app.example/x", 0, SO, "PUT", "X-Foo: 1",
     {{0}}, NULL, NOT_NEEDED, R(NONE), NULL},
    {"same-origin PUT, failing response given", "https://app.example/x", 0,
     SO, "PUT", NULL, {{0}}, H204, NOT_NEEDED, R(NONE), NULL},
    {"simple cross-origin GET", NULL, 0, SO, "GET", NULL, {{0}}, NULL,
     NOT_NEEDED, R(NONE), NULL},
    {"simple GET, failing response given", NULL, 0, INCL, "GET", NULL, {{0}},
     "HTTP/1.1 500 Oops\n", NOT_NEEDED, R(NONE), NULL},
    {"POST text/plain", NULL, 0, SO, "POST", "Content-Type: text/plain",
     {{0}}, NULL, NOT_NEEDED, R(NONE), NULL},
    {"HEAD with Accept", NULL, 0, SO, "HEAD", "Accept: */*", {{0}}, NULL,
     NOT_NEEDED, R(NONE), NULL},
    {"no-cors PUT", NULL, CORSIM_MODE_NO_CORS, SO, "PUT", "X-Foo: 1", {{0}},
     NULL, NOT_NEEDED, R(NONE), NULL},
    {"cors.enforced false", NULL, 0, SO, "PUT", NULL,
     {SET(CORS_ENFORCED, 0)}, H204, NOT_NEEDED, R(NONE), NULL},

    /* --- needed, no response to check --- */
    {"PUT, no response", NULL, 0, SO, "PUT", NULL, {{0}}, NULL, NO_RESPONSE,
     R(NONE), NULL},
    {"GET with X-Foo, no response", NULL, 0, SO, "GET", "X-Foo: 1", {{0}},
     NULL, NO_RESPONSE, R(NONE), NULL},
    {"POST application/json, no response", NULL, 0, INCL, "POST",
     "Content-Type: application/json", {{0}}, NULL, NO_RESPONSE, R(NONE),
     NULL},

    /* --- the CORS check, with R's credentials mode (step 4) --- */
    {"ACAO missing", NULL, 0, SO, "PUT", NULL, {{0}}, H204 ACAM("PUT"),
     FAILED, R(ACAO_MISSING), "Access-Control-Allow-Origin"},
    {"ACAO mismatch", NULL, 0, SO, "PUT", NULL, {{0}},
     H204 "Access-Control-Allow-Origin: https://other.example\n" ACAM("PUT"),
     FAILED, R(ACAO_MISMATCH), "https://other.example"},
    {"ACAO with trailing slash", NULL, 0, SO, "PUT", NULL, {{0}},
     H204 "Access-Control-Allow-Origin: " APP "/\n" ACAM("PUT"), FAILED,
     R(ACAO_MISMATCH), NULL},
    {"two ACAO", NULL, 0, SO, "PUT", NULL, {{0}},
     H204 EXACT EXACT ACAM("PUT"), FAILED, R(ACAO_MULTIPLE), NULL},
    {"ACAO * with credentials", NULL, 0, INCL, "PUT", NULL, {{0}},
     H204 ANY "Access-Control-Allow-Credentials: true\n" ACAM("PUT"), FAILED,
     R(ACAO_WILDCARD_WITH_CREDENTIALS), NULL},
    {"ACAC missing with credentials", NULL, 0, INCL, "PUT", NULL, {{0}},
     H204 EXACT ACAM("PUT"), FAILED, R(ACAC_MISSING),
     "Access-Control-Allow-Credentials"},
    {"ACAC True with credentials", NULL, 0, INCL, "PUT", NULL, {{0}},
     H204 EXACT "Access-Control-Allow-Credentials: True\n" ACAM("PUT"),
     FAILED, R(ACAC_NOT_TRUE), "True"},
    {"ACAC missing, credentials omit", NULL, 0, OMIT, "PUT", NULL, {{0}},
     H204 EXACT ACAM("PUT"), PASSED, R(NONE), NULL},
    {"ACAO *, credentials same-origin", NULL, 0, SO, "PUT", NULL, {{0}},
     H204 ANY ACAM("PUT"), PASSED, R(NONE), NULL},
    {"ACAO *, credentials never set", NULL, 0, CRED_UNSET, "PUT", NULL,
     {{0}}, H204 ANY ACAM("*"), PASSED, R(NONE), NULL},
    {"ACAO *, credentials never set, default omit", NULL, 0, CRED_UNSET,
     "PUT", NULL, {SET(FETCH_DEFAULT_CREDENTIALS, 1)}, H204 ANY ACAM("*"),
     PASSED, R(NONE), NULL},
    {"exact ACAO and ACAC, credentials", NULL, 0, INCL, "PUT", NULL, {{0}},
     H204 CRED ACAM("PUT"), PASSED, R(NONE), NULL},

    /* --- an ok status (g9) --- */
    {"status 200", NULL, 0, SO, "PUT", NULL, {{0}},
     "HTTP/1.1 200 OK\n" ANY ACAM("PUT"), PASSED, R(NONE), NULL},
    {"status 204", NULL, 0, SO, "PUT", NULL, {{0}}, H204 ANY ACAM("PUT"),
     PASSED, R(NONE), NULL},
    {"status 299", NULL, 0, SO, "PUT", NULL, {{0}},
     "HTTP/1.1 299 X\n" ANY ACAM("PUT"), PASSED, R(NONE), NULL},
    {"status 199", NULL, 0, SO, "PUT", NULL, {{0}},
     "HTTP/1.1 199 X\n" ANY ACAM("PUT"), FAILED, R(PREFLIGHT_STATUS), "199"},
    {"status 300", NULL, 0, SO, "PUT", NULL, {{0}},
     "HTTP/1.1 300 X\n" ANY ACAM("PUT"), FAILED, R(PREFLIGHT_STATUS), "300"},
    {"status 302", NULL, 0, SO, "PUT", NULL, {{0}},
     "HTTP/1.1 302 Found\n" ANY ACAM("PUT") "Location: /elsewhere\n", FAILED,
     R(PREFLIGHT_STATUS), "status 302"},
    {"status 404", NULL, 0, SO, "PUT", NULL, {{0}},
     "HTTP/1.1 404 Not Found\n" ANY ACAM("PUT"), FAILED, R(PREFLIGHT_STATUS),
     "404"},
    {"status 500", NULL, 0, INCL, "PUT", NULL, {{0}},
     "HTTP/1.1 500 Oops\n" CRED ACAM("PUT"), FAILED, R(PREFLIGHT_STATUS),
     "500"},
    {"status 404 and no ACAO: the CORS check first", NULL, 0, SO, "PUT",
     NULL, {{0}}, "HTTP/1.1 404 Not Found\n" ACAM("PUT"), FAILED,
     R(ACAO_MISSING), NULL},

    /* --- ACAM / ACAH must parse (4.a, g1) --- */
    {"ACAM with a space inside", NULL, 0, SO, "PUT", NULL, {{0}},
     H204 ANY ACAM("PUT, bad token"), FAILED,
     R(PREFLIGHT_ALLOW_METHODS_INVALID), "'bad token'"},
    {"ACAM quoted", NULL, 0, SO, "PUT", NULL, {{0}},
     H204 ANY ACAM("\"PUT\""), FAILED, R(PREFLIGHT_ALLOW_METHODS_INVALID),
     NULL},
    {"ACAM with a parameter", NULL, 0, SO, "PUT", NULL, {{0}},
     H204 ANY ACAM("PUT;q=1"), FAILED, R(PREFLIGHT_ALLOW_METHODS_INVALID),
     "PUT;q=1"},
    {"ACAM bad on a second line", NULL, 0, SO, "PUT", NULL, {{0}},
     H204 ANY ACAM("PUT") ACAM("DE/LETE"), FAILED,
     R(PREFLIGHT_ALLOW_METHODS_INVALID), "DE/LETE"},
    {"ACAM bad, method safelisted", NULL, 0, SO, "GET", "X-Foo: 1", {{0}},
     H204 ANY ACAM("G(E)T") ACAH("x-foo"), FAILED,
     R(PREFLIGHT_ALLOW_METHODS_INVALID), NULL},
    {"ACAH with a slash", NULL, 0, SO, "GET", "X-Foo: 1", {{0}},
     H204 ANY ACAH("x-foo, x/y"), FAILED, R(PREFLIGHT_ALLOW_HEADERS_INVALID),
     "'x/y'"},
    {"ACAH bad, no unsafe header", NULL, 0, SO, "PUT", NULL, {{0}},
     H204 ANY ACAM("PUT") ACAH("a b"), FAILED,
     R(PREFLIGHT_ALLOW_HEADERS_INVALID), NULL},
    {"ACAH with a colon", NULL, 0, SO, "GET", "X-Foo: 1", {{0}},
     H204 ANY ACAH("x-foo:"), FAILED, R(PREFLIGHT_ALLOW_HEADERS_INVALID),
     NULL},
    {"ACAM empty items", NULL, 0, SO, "PUT", NULL, {{0}},
     H204 ANY ACAM(",PUT, ,"), PASSED, R(NONE), NULL},
    {"ACAH leading comma (g2)", NULL, 0, SO, "GET", "X-Foo: 1", {{0}},
     H204 ANY ACAH(",x-foo"), PASSED, R(NONE), NULL},
    {"ACAM bad item, drop-invalid", NULL, 0, SO, "PUT", NULL,
     {SET(LISTS_INVALID_ITEM, 1)}, H204 ANY ACAM("bad token, PUT"), PASSED,
     R(NONE), NULL},
    {"ACAH bad item, drop-invalid", NULL, 0, SO, "GET", "X-Foo: 1",
     {SET(LISTS_INVALID_ITEM, 1)}, H204 ANY ACAH("x/y, x-foo"), PASSED,
     R(NONE), NULL},
    {"ACAM only a bad item, drop-invalid", NULL, 0, SO, "PUT", NULL,
     {SET(LISTS_INVALID_ITEM, 1)}, H204 ANY ACAM("P UT"), FAILED,
     R(PREFLIGHT_METHOD_NOT_ALLOWED), NULL},
    {"ACAH only a bad item, drop-invalid", NULL, 0, SO, "GET", "X-Foo: 1",
     {SET(LISTS_INVALID_ITEM, 1)}, H204 ANY ACAH("\"x-foo\""), FAILED,
     R(PREFLIGHT_HEADER_NOT_ALLOWED), NULL},

    /* --- the method rule (4.c; g3, g4, g5, g7) --- */
    {"PUT by PUT", NULL, 0, SO, "PUT", NULL, {{0}}, H204 ANY ACAM("PUT"),
     PASSED, R(NONE), NULL},
    {"PUT by GET, PUT", NULL, 0, SO, "PUT", NULL, {{0}},
     H204 ANY ACAM("GET, PUT"), PASSED, R(NONE), NULL},
    {"PUT by two ACAM lines", NULL, 0, SO, "PUT", NULL, {{0}},
     H204 ANY ACAM("GET") ACAM("PUT"), PASSED, R(NONE), NULL},
    {"put normalized, by PUT", NULL, 0, SO, "put", NULL, {{0}},
     H204 ANY ACAM("PUT"), PASSED, R(NONE), NULL},
    {"PUT not by put", NULL, 0, SO, "PUT", NULL, {{0}}, H204 ANY ACAM("put"),
     FAILED, R(PREFLIGHT_METHOD_NOT_ALLOWED), "'PUT'"},
    {"PUT not by Put", NULL, 0, SO, "PUT", NULL, {{0}},
     H204 ANY ACAM("Put, GET"), FAILED, R(PREFLIGHT_METHOD_NOT_ALLOWED),
     NULL},
    {"patch not by PATCH", NULL, 0, SO, "patch", NULL, {{0}},
     H204 ANY ACAM("PATCH"), FAILED, R(PREFLIGHT_METHOD_NOT_ALLOWED),
     "'patch'"},
    {"patch by patch", NULL, 0, SO, "patch", NULL, {{0}},
     H204 ANY ACAM("patch"), PASSED, R(NONE), NULL},
    {"PATCH by PATCH", NULL, 0, SO, "PATCH", NULL, {{0}},
     H204 ANY ACAM("PATCH"), PASSED, R(NONE), NULL},
    {"PUTX not by PUT", NULL, 0, SO, "PUTX", NULL, {{0}},
     H204 ANY ACAM("PUT"), FAILED, R(PREFLIGHT_METHOD_NOT_ALLOWED), NULL},
    {"PUT not by PUTX", NULL, 0, SO, "PUT", NULL, {{0}},
     H204 ANY ACAM("PUTX, PU"), FAILED, R(PREFLIGHT_METHOD_NOT_ALLOWED),
     NULL},
    {"* without credentials", NULL, 0, SO, "DELETE", NULL, {{0}},
     H204 ANY ACAM("*"), PASSED, R(NONE), NULL},
    {"* with credentials omit", NULL, 0, OMIT, "X-Custom", NULL, {{0}},
     H204 ANY ACAM("*"), PASSED, R(NONE), NULL},
    {"* with credentials", NULL, 0, INCL, "PUT", NULL, {{0}},
     H204 CRED ACAM("*"), FAILED, R(PREFLIGHT_METHOD_NOT_ALLOWED), NULL},
    {"*, PUT with credentials", NULL, 0, INCL, "PUT", NULL, {{0}},
     H204 CRED ACAM("*, PUT"), PASSED, R(NONE), NULL},
    {"literal method * by *, credentials", NULL, 0, INCL, "*", NULL, {{0}},
     H204 CRED ACAM("*"), PASSED, R(NONE), NULL},
    {"** is not a wildcard", NULL, 0, SO, "PUT", NULL, {{0}},
     H204 ANY ACAM("**"), FAILED, R(PREFLIGHT_METHOD_NOT_ALLOWED), NULL},
    {"ACAM missing", NULL, 0, SO, "PUT", NULL, {{0}}, H204 ANY, FAILED,
     R(PREFLIGHT_METHOD_NOT_ALLOWED), NULL},
    {"ACAM empty", NULL, 0, SO, "PUT", NULL, {{0}}, H204 ANY ACAM(""),
     FAILED, R(PREFLIGHT_METHOD_NOT_ALLOWED), NULL},
    {"acam.wildcard false: * literal", NULL, 0, OMIT, "PUT", NULL,
     {SET(ACAM_WILDCARD, 0)}, H204 ANY ACAM("*"), FAILED,
     R(PREFLIGHT_METHOD_NOT_ALLOWED), NULL},
    {"acam.wildcard false: method * by *", NULL, 0, OMIT, "*", NULL,
     {SET(ACAM_WILDCARD, 0)}, H204 ANY ACAM("*"), PASSED, R(NONE), NULL},
    {"GET never listed", NULL, 0, SO, "GET", "X-Foo: 1", {{0}},
     H204 ANY ACAM("PUT") ACAH("x-foo"), PASSED, R(NONE), NULL},
    {"POST never listed, no ACAM", NULL, 0, INCL, "POST", "X-Foo: 1", {{0}},
     H204 CRED ACAH("x-foo"), PASSED, R(NONE), NULL},
    {"HEAD never listed, bad-case ACAM", NULL, 0, SO, "HEAD", "X-Foo: 1",
     {{0}}, H204 ANY ACAM("head") ACAH("x-foo"), PASSED, R(NONE), NULL},
    {"method checked before headers", NULL, 0, SO, "PUT", "X-Foo: 1", {{0}},
     H204 ANY ACAM("DELETE"), FAILED, R(PREFLIGHT_METHOD_NOT_ALLOWED), NULL},

    /* --- unsafe header names (4.e; g6, g8) --- */
    {"X-Foo by x-foo", NULL, 0, SO, "GET", "X-Foo: 1", {{0}},
     H204 ANY ACAH("x-foo"), PASSED, R(NONE), NULL},
    {"x-foo by X-FOO", NULL, 0, SO, "GET", "x-foo: 1", {{0}},
     H204 ANY ACAH("X-FOO"), PASSED, R(NONE), NULL},
    {"X-Foo by *", NULL, 0, SO, "GET", "X-Foo: 1", {{0}}, H204 ANY ACAH("*"),
     PASSED, R(NONE), NULL},
    {"X-Foo by *, credentials omit", NULL, 0, OMIT, "PUT", "X-Foo: 1", {{0}},
     H204 ANY ACAM("*") ACAH("*"), PASSED, R(NONE), NULL},
    {"X-Foo not by * with credentials", NULL, 0, INCL, "GET", "X-Foo: 1",
     {{0}}, H204 CRED ACAH("*"), FAILED, R(PREFLIGHT_HEADER_NOT_ALLOWED),
     "'X-Foo'"},
    {"X-Foo by *, x-foo with credentials", NULL, 0, INCL, "GET", "X-Foo: 1",
     {{0}}, H204 CRED ACAH("*, x-foo"), PASSED, R(NONE), NULL},
    {"X-Foo not by x-bar", NULL, 0, SO, "GET", "X-Foo: 1", {{0}},
     H204 ANY ACAH("x-bar"), FAILED, R(PREFLIGHT_HEADER_NOT_ALLOWED),
     "'X-Foo'"},
    {"X-Foo not by x-foo-bar", NULL, 0, SO, "GET", "X-Foo: 1", {{0}},
     H204 ANY ACAH("x-foo-bar, x-fo"), FAILED,
     R(PREFLIGHT_HEADER_NOT_ALLOWED), NULL},
    {"ACAH missing", NULL, 0, SO, "GET", "X-Foo: 1", {{0}}, H204 ANY, FAILED,
     R(PREFLIGHT_HEADER_NOT_ALLOWED), NULL},
    {"two ACAH lines combine", NULL, 0, SO, "GET", "X-Foo: 1\nX-Bar: 2",
     {{0}}, H204 ANY ACAH("x-bar") ACAH("x-foo"), PASSED, R(NONE), NULL},
    {"one of two not allowed", NULL, 0, SO, "GET", "X-Foo: 1\nX-Bar: 2",
     {{0}}, H204 ANY ACAH("x-foo"), FAILED, R(PREFLIGHT_HEADER_NOT_ALLOWED),
     "'X-Bar'"},
    {"Content-Type application/json listed", NULL, 0, SO, "POST",
     "Content-Type: application/json", {{0}}, H204 ANY ACAH("content-type"),
     PASSED, R(NONE), NULL},
    {"Content-Type application/json unlisted", NULL, 0, SO, "POST",
     "Content-Type: application/json", {{0}}, H204 ANY ACAH("x-foo"), FAILED,
     R(PREFLIGHT_HEADER_NOT_ALLOWED), "Content-Type"},
    {"safelisted headers need no listing", NULL, 0, SO, "PUT",
     "Accept: */*\nContent-Language: en\nContent-Type: text/plain",
     {{0}}, H204 ANY ACAM("PUT"), PASSED, R(NONE), NULL},
    {"acah.wildcard false: * literal", NULL, 0, OMIT, "GET", "X-Foo: 1",
     {SET(ACAH_WILDCARD, 0)}, H204 ANY ACAH("*"), FAILED,
     R(PREFLIGHT_HEADER_NOT_ALLOWED), NULL},
    {"acah.wildcard false: header * by *", NULL, 0, OMIT, "GET", "*: 1",
     {SET(ACAH_WILDCARD, 0)}, H204 ANY ACAH("*"), PASSED, R(NONE), NULL},
    {"acah.wildcard false: listed names still pass", NULL, 0, OMIT, "GET",
     "X-Foo: 1", {SET(ACAH_WILDCARD, 0)}, H204 ANY ACAH("*, x-foo"), PASSED,
     R(NONE), NULL},

    /* --- Authorization (4.d; c3, c4) --- */
    {"Authorization not by * (spec)", NULL, 0, SO, "GET",
     "Authorization: Bearer t", {{0}}, H204 ANY ACAH("*"), FAILED,
     R(PREFLIGHT_AUTHORIZATION_NOT_ALLOWED), "Authorization"},
    {"authorization not by *, with X-Foo (spec)", NULL, 0, OMIT, "PUT",
     "X-Foo: 1\nauthorization: Bearer t", {{0}}, H204 ANY ACAM("*")
     ACAH("*"), FAILED, R(PREFLIGHT_AUTHORIZATION_NOT_ALLOWED), NULL},
    {"Authorization by * (covers_authorization)", NULL, 0, SO, "GET",
     "Authorization: Bearer t", {SET(ACAH_WILDCARD_COVERS_AUTHORIZATION, 1)},
     H204 ANY ACAH("*"), PASSED, R(NONE), NULL},
    {"Authorization and X-Foo by * (covers_authorization)", NULL, 0, OMIT,
     "PUT", "Authorization: Bearer t\nX-Foo: 1",
     {SET(ACAH_WILDCARD_COVERS_AUTHORIZATION, 1)}, H204 ANY ACAM("PUT")
     ACAH("*"), PASSED, R(NONE), NULL},
    {"Authorization, * with credentials (covers_authorization)", NULL, 0,
     INCL, "GET", "Authorization: Bearer t",
     {SET(ACAH_WILDCARD_COVERS_AUTHORIZATION, 1)}, H204 CRED ACAH("*"),
     FAILED, R(PREFLIGHT_AUTHORIZATION_NOT_ALLOWED), NULL},
    {"Authorization, acah.wildcard false (covers_authorization)", NULL, 0,
     OMIT, "GET", "Authorization: Bearer t",
     {SET(ACAH_WILDCARD_COVERS_AUTHORIZATION, 1), SET(ACAH_WILDCARD, 0)},
     H204 ANY ACAH("*"), FAILED, R(PREFLIGHT_AUTHORIZATION_NOT_ALLOWED),
     NULL},
    {"Authorization listed", NULL, 0, SO, "GET", "Authorization: Bearer t",
     {{0}}, H204 ANY ACAH("authorization"), PASSED, R(NONE), NULL},
    {"Authorization listed in capitals", NULL, 0, SO, "GET",
     "Authorization: Bearer t", {{0}}, H204 ANY ACAH("AUTHORIZATION"),
     PASSED, R(NONE), NULL},
    {"Authorization and * listed (c4)", NULL, 0, SO, "GET",
     "Authorization: Bearer t", {{0}}, H204 ANY ACAH("*, Authorization"),
     PASSED, R(NONE), NULL},
    {"Authorization listed, credentials", NULL, 0, INCL, "GET",
     "Authorization: Bearer t", {{0}}, H204 CRED ACAH("Authorization"),
     PASSED, R(NONE), NULL},
    {"Authorization not by x-foo", NULL, 0, SO, "GET",
     "Authorization: Bearer t\nX-Foo: 1", {{0}}, H204 ANY ACAH("x-foo"),
     FAILED, R(PREFLIGHT_AUTHORIZATION_NOT_ALLOWED), NULL},
};

START_TEST(test_live) {
  const live_row *row = &live_rows[_i];
  corsim_profile prof = make_profile(row->set, N_ELEMS(row->set));
  corsim_request *req =
      make_req(APP, row->url ? row->url : API, row->mode, row->cred,
               row->method, row->hdrs);
  corsim_result *res = NULL;
  corsim_cache *cache = NULL;
  corsim_block_reason why;
  corsim_preflight_state st;
  char msg[1024];

  ck_assert_ok(corsim_result_new(&res, NULL));
  ck_assert_ok(corsim_cache_new(&cache, NULL, 0));
  dirty(res);
  st = run_pf(res, &prof, req, row->pre, NULL, T0, &why, msg, sizeof msg);
  ck_assert_msg(st == row->want, "%s: state %s, want %s (%s: %s)", row->what,
                state_name(st), state_name(row->want), reason_name(why), msg);
  ck_assert_msg(why == row->why, "%s: reason %s, want %s (%s)", row->what,
                reason_name(why), reason_name(row->why), msg);
  if (row->msg)
    ck_assert_msg(strstr(msg, row->msg) != NULL,
                  "%s: message \"%s\" lacks \"%s\"", row->what, msg,
                  row->msg);

  /* the same with an (empty) cache, and with a NULL profile for spec */
  dirty(res);
  st = run_pf(res, &prof, req, row->pre, cache, T0, &why, NULL, 0);
  ck_assert_msg(st == row->want && why == row->why, "%s, with a cache: %s %s",
                row->what, state_name(st), reason_name(why));
  if (st != CORSIM_PREFLIGHT_PASSED)
    ck_assert_uint_eq(corsim_cache_count(cache, T0), 0);
  if (row->set[0].b1 == 0) {
    corsim_cache_clear(cache);
    st = run_pf(res, NULL, req, row->pre, cache, T0, &why, NULL, 0);
    ck_assert_msg(st == row->want && why == row->why,
                  "%s, NULL profile: %s %s", row->what, state_name(st),
                  reason_name(why));
  }
  corsim_cache_free(cache);
  corsim_result_free(res);
  corsim_request_free(req);
}
END_TEST

/* ------------------------------------------------------------------------
 * 8. The preflight cache over simulated time (#concept-cache; step 4.f-g;
 *    engines.md g11-g15)
 * ------------------------------------------------------------------------ */

/* A passing preflight for PUT with X-Foo at T0 that stores 2 entries (PUT,
 * x-foo), then the same request without a response at T0 + hit (still
 * cached) and T0 + miss (expired).  hit < 0: nothing was stored.  miss 0:
 * not checked. */
typedef struct {
  const char *maxage; /* Access-Control-Max-Age lines */
  bset set[2];
  double hit, miss;
} age_row;

#define NO_CACHE SET(PREFLIGHT_MAX_AGE_NEGATIVE, 1)

static const age_row age_rows[] = {
    {MAXAGE("60"), {{0}}, 10, 61},
    {MAXAGE("60"), {{0}}, 59.5, 60.5},
    {MAXAGE("060"), {{0}}, 59, 61},
    {"", {{0}}, 4.9, 5.1}, /* absent: 5 s */
    {MAXAGE("0"), {{0}}, -1, 0},
    {MAXAGE("0"), {NO_CACHE}, -1, 0},
    {MAXAGE("1"), {{0}}, 0.5, 1.5},
    /* not delta-seconds: failure, so 5 s (spec, g13/g14) ... */
    {MAXAGE("-1"), {{0}}, 4, 6},
    {MAXAGE("1.5"), {{0}}, 4, 6},
    {MAXAGE("+60"), {{0}}, 4, 6},
    {MAXAGE("60s"), {{0}}, 4, 6},
    {MAXAGE("abc"), {{0}}, 4, 6},
    {MAXAGE(""), {{0}}, 4, 6},
    {MAXAGE("60, 60"), {{0}}, 4, 6},
    {MAXAGE("60") MAXAGE("60"), {{0}}, 4, 6},
    {MAXAGE("60") MAXAGE("120"), {{0}}, 4, 6},
    /* ... or not cached at all under max_age_negative=no-cache */
    {MAXAGE("-1"), {NO_CACHE}, -1, 0},
    {MAXAGE("1.5"), {NO_CACHE}, -1, 0},
    {MAXAGE("+60"), {NO_CACHE}, -1, 0},
    {MAXAGE(""), {NO_CACHE}, -1, 0},
    {MAXAGE("60") MAXAGE("60"), {NO_CACHE}, -1, 0},
    {MAXAGE("60, 60"), {NO_CACHE}, -1, 0},
    {MAXAGE("60"), {NO_CACHE}, 10, 61}, /* valid values still count */
    {"", {NO_CACHE}, 4, 6},             /* absent is not invalid */
    /* the default and the cap come from the profile */
    {"", {SET(PREFLIGHT_MAX_AGE_DEFAULT, 30)}, 29, 31},
    {MAXAGE("-1"), {SET(PREFLIGHT_MAX_AGE_DEFAULT, 30)}, 29, 31},
    {MAXAGE("86400"), {SET(PREFLIGHT_MAX_AGE_CAP, 600)}, 599, 601},
    {MAXAGE("86400"), {{0}}, 86399, 86401},
    {MAXAGE("600"), {SET(PREFLIGHT_MAX_AGE_CAP, 600)}, 599, 601},
    {MAXAGE("599"), {SET(PREFLIGHT_MAX_AGE_CAP, 600)}, 598, 599.5},
    {"", {SET(PREFLIGHT_MAX_AGE_DEFAULT, 30), SET(PREFLIGHT_MAX_AGE_CAP, 10)},
     9, 11},
    {MAXAGE("99999999999999999999999"), {SET(PREFLIGHT_MAX_AGE_CAP, 7200)},
     7199, 7201},
    {MAXAGE("99999999999999999999999"), {{0}}, 1e12, 0},
    {MAXAGE("0"), {SET(PREFLIGHT_MAX_AGE_CAP, 600)}, -1, 0},
};

START_TEST(test_max_age) {
  const age_row *row = &age_rows[_i];
  corsim_profile prof = make_profile(row->set, N_ELEMS(row->set));
  corsim_request *req =
      make_req(APP, API, CORSIM_MODE_CORS, OMIT, "PUT", "X-Foo: 1");
  corsim_result *res = NULL;
  corsim_cache *cache = NULL;
  char pre[512];

  snprintf(pre, sizeof pre, "%s%s%s%s%s", H204, ANY, ACAM("PUT"),
           ACAH("X-Foo"), row->maxage);
  ck_assert_ok(corsim_result_new(&res, NULL));
  ck_assert_ok(corsim_cache_new(&cache, NULL, 0));
  ck_assert_int_eq(run_pf(res, &prof, req, pre, cache, T0, NULL, NULL, 0),
                   PASSED);
  if (row->hit < 0) {
    ck_assert_msg(corsim_cache_count(cache, T0) == 0, "%s: %zu entries",
                  tu_esc(row->maxage, strlen(row->maxage)),
                  corsim_cache_count(cache, T0));
    ck_assert_int_eq(run_pf(res, &prof, req, NULL, cache, T0, NULL, NULL, 0),
                     NO_RESPONSE);
  } else {
    ck_assert_uint_eq(corsim_cache_count(cache, T0), 2);
    ck_assert_msg(corsim_cache_count(cache, T0 + row->hit) == 2,
                  "%s: expired before %g", tu_esc(row->maxage,
                  strlen(row->maxage)), row->hit);
    ck_assert_msg(run_pf(res, &prof, req, NULL, cache, T0 + row->hit, NULL,
                         NULL, 0) == CACHED,
                  "%s: not cached at +%g",
                  tu_esc(row->maxage, strlen(row->maxage)), row->hit);
    if (row->miss > 0) {
      ck_assert_msg(corsim_cache_count(cache, T0 + row->miss) == 0,
                    "%s: still valid at +%g",
                    tu_esc(row->maxage, strlen(row->maxage)), row->miss);
      ck_assert_msg(run_pf(res, &prof, req, NULL, cache, T0 + row->miss,
                           NULL, NULL, 0) == NO_RESPONSE,
                    "%s: still cached at +%g",
                    tu_esc(row->maxage, strlen(row->maxage)), row->miss);
    }
  }
  corsim_cache_free(cache);
  corsim_result_free(res);
  corsim_request_free(req);
}
END_TEST

/* What a cached preflight for PUT with X-Foo from APP to API (Max-Age 60)
 * serves 10 seconds later: the key is origin, URL and credentials
 * (#concept-cache-match), and every requirement needs its own entry. */
typedef struct {
  const char *what;
  int cred1; /* of the first request */
  const char *origin, *url, *method, *hdrs;
  int cred2;
  corsim_preflight_state want;
} key_row;

static const key_row key_rows[] = {
    {"same request", OMIT, APP, API, "PUT", "X-Foo: 1", OMIT, CACHED},
    {"same request, credentials", INCL, APP, API, "PUT", "X-Foo: 1", INCL,
     CACHED},
    {"same request, same-origin mode", SO, APP, API, "PUT", "X-Foo: 2", SO,
     CACHED},
    {"another URL", OMIT, APP, API2, "PUT", "X-Foo: 1", OMIT, NO_RESPONSE},
    {"another query", OMIT, APP, API "?q=1", "PUT", "X-Foo: 1", OMIT,
     NO_RESPONSE},
    {"URL with a fragment", OMIT, APP, API "#frag", "PUT", "X-Foo: 1", OMIT,
     CACHED},
    {"URL with the host in capitals", OMIT, APP, "https://API.example/data",
     "PUT", "X-Foo: 1", OMIT, CACHED},
    {"another origin", OMIT, OTHER_ORIGIN, API, "PUT", "X-Foo: 1", OMIT,
     NO_RESPONSE},
    {"opaque origin", OMIT, "null", API, "PUT", "X-Foo: 1", OMIT,
     NO_RESPONSE},
    {"other port", OMIT, "https://app.example:8443", API, "PUT", "X-Foo: 1",
     OMIT, NO_RESPONSE},
    {"credentialed entry serves omit", INCL, APP, API, "PUT", "X-Foo: 1",
     OMIT, CACHED},
    {"credentialed entry serves same-origin", INCL, APP, API, "PUT",
     "X-Foo: 1", SO, CACHED},
    {"uncredentialed entry does not serve include", OMIT, APP, API, "PUT",
     "X-Foo: 1", INCL, NO_RESPONSE},
    {"same-origin entry does not serve include", SO, APP, API, "PUT",
     "X-Foo: 1", INCL, NO_RESPONSE},
    {"same-origin entry serves omit", SO, APP, API, "PUT", "X-Foo: 1", OMIT,
     CACHED},
    {"method alone", OMIT, APP, API, "PUT", NULL, OMIT, CACHED},
    {"put is normalized", OMIT, APP, API, "put", NULL, OMIT, CACHED},
    {"another method", OMIT, APP, API, "DELETE", "X-Foo: 1", OMIT,
     NO_RESPONSE},
    {"another method alone", OMIT, APP, API, "PATCH", NULL, OMIT,
     NO_RESPONSE},
    {"a new header too", OMIT, APP, API, "PUT", "X-Foo: 1\nX-Bar: 1", OMIT,
     NO_RESPONSE},
    {"only a new header", OMIT, APP, API, "PUT", "X-Bar: 1", OMIT,
     NO_RESPONSE},
    {"header entry with a safelisted method", OMIT, APP, API, "GET",
     "X-Foo: 1", OMIT, CACHED},
    {"header names compare case-insensitively", OMIT, APP, API, "POST",
     "x-FOO: 1", OMIT, CACHED},
    {"header plus safelisted header", OMIT, APP, API, "PUT",
     "X-Foo: 1\nAccept: */*", OMIT, CACHED},
    {"safelisted method, new header", OMIT, APP, API, "POST", "X-Bar: 1",
     OMIT, NO_RESPONSE},
    {"Authorization is a header like others here", OMIT, APP, API, "GET",
     "Authorization: x", OMIT, NO_RESPONSE},
    {"simple request", OMIT, APP, API, "GET", NULL, OMIT, NOT_NEEDED},
};

START_TEST(test_cache_key) {
  const key_row *row = &key_rows[_i];
  corsim_request *first =
      make_req(APP, API, CORSIM_MODE_CORS, row->cred1, "PUT", "X-Foo: 1");
  corsim_request *second = make_req(row->origin, row->url, CORSIM_MODE_CORS,
                                    row->cred2, row->method, row->hdrs);
  corsim_result *res = NULL;
  corsim_cache *cache = NULL;
  corsim_preflight_state st;

  ck_assert_ok(corsim_result_new(&res, NULL));
  ck_assert_ok(corsim_cache_new(&cache, NULL, 0));
  ck_assert_int_eq(run_pf(res, NULL, first,
                          H204 CRED ACAM("PUT") ACAH("X-Foo") MAXAGE("60"),
                          cache, T0, NULL, NULL, 0),
                   PASSED);
  ck_assert_uint_eq(corsim_cache_count(cache, T0), 2);
  st = run_pf(res, NULL, second, NULL, cache, T0 + 10, NULL, NULL, 0);
  ck_assert_msg(st == row->want, "%s: %s, want %s", row->what,
                state_name(st), state_name(row->want));
  /* a lookup changes nothing */
  ck_assert_uint_eq(corsim_cache_count(cache, T0 + 10), 2);
  ck_assert_int_eq(run_pf(res, NULL, first, NULL, cache, T0 + 10, NULL, NULL,
                          0),
                   CACHED);
  corsim_cache_free(cache);
  corsim_result_free(res);
  corsim_request_free(first);
  corsim_request_free(second);
}
END_TEST

/* Entries made from "*" (#concept-cache-match-method / -header; g15;
 * digest (a)5): the first request is PUT with X-Foo. */
typedef struct {
  const char *what;
  bset set[2];
  int cred1;
  const char *lists; /* ACAM / ACAH lines of the first preflight */
  size_t count;      /* entries it stores */
  const char *method, *hdrs;
  int cred2;
  corsim_preflight_state want;
} wild_row;

static const wild_row wild_rows[] = {
    {"* serves another method and header", {{0}}, OMIT,
     ACAM("*") ACAH("*"), 2, "DELETE", "X-Bar: 1", OMIT, CACHED},
    {"* serves the same request", {{0}}, OMIT, ACAM("*") ACAH("*"), 2, "PUT",
     "X-Foo: 1", SO, CACHED},
    {"* method entry, listed header entry", {{0}}, OMIT,
     ACAM("*") ACAH("x-foo"), 2, "PATCH", "X-Foo: 1", OMIT, CACHED},
    {"* method entry, new header", {{0}}, OMIT, ACAM("*") ACAH("x-foo"), 2,
     "PATCH", "X-Bar: 1", OMIT, NO_RESPONSE},
    {"* header entry, new method", {{0}}, OMIT, ACAM("PUT") ACAH("*"), 2,
     "DELETE", "X-Bar: 1", OMIT, NO_RESPONSE},
    {"* header entry, safelisted method", {{0}}, OMIT, ACAM("PUT") ACAH("*"),
     2, "GET", "X-Bar: 1", OMIT, CACHED},
    {"* entries do not serve include", {{0}}, OMIT, ACAM("*") ACAH("*"), 2,
     "PUT", "X-Foo: 1", INCL, NO_RESPONSE},
    {"* does not cover Authorization (spec)", {{0}}, OMIT,
     ACAM("*") ACAH("*"), 2, "GET", "Authorization: x", OMIT, NO_RESPONSE},
    {"* does not cover Authorization with others (spec)", {{0}}, OMIT,
     ACAM("*") ACAH("*"), 2, "PUT", "X-Foo: 1\nAuthorization: x", OMIT,
     NO_RESPONSE},
    {"* covers Authorization (covers_authorization)",
     {SET(ACAH_WILDCARD_COVERS_AUTHORIZATION, 1)}, OMIT, ACAM("*") ACAH("*"),
     2, "GET", "Authorization: x", OMIT, CACHED},
    {"listed authorization entry", {{0}}, OMIT,
     ACAM("PUT") ACAH("*, authorization"), 3, "GET", "Authorization: x",
     OMIT, CACHED},
    {"no reuse: nothing stored from *",
     {SET(PREFLIGHT_CACHE_WILDCARD_REUSE, 0)}, OMIT, ACAM("*") ACAH("*"), 0,
     "PUT", "X-Foo: 1", OMIT, NO_RESPONSE},
    {"no reuse: listed entries still serve",
     {SET(PREFLIGHT_CACHE_WILDCARD_REUSE, 0)}, OMIT,
     ACAM("*, PUT") ACAH("*, X-Foo"), 2, "PUT", "X-Foo: 1", OMIT, CACHED},
    {"no reuse: another method misses",
     {SET(PREFLIGHT_CACHE_WILDCARD_REUSE, 0)}, OMIT,
     ACAM("*, PUT") ACAH("*, X-Foo"), 2, "DELETE", "X-Foo: 1", OMIT,
     NO_RESPONSE},
    {"no reuse: another header misses",
     {SET(PREFLIGHT_CACHE_WILDCARD_REUSE, 0)}, OMIT,
     ACAM("*, PUT") ACAH("*, X-Foo"), 2, "PUT", "X-Bar: 1", OMIT,
     NO_RESPONSE},
    {"credentialed: * not stored", {{0}}, INCL,
     ACAM("*, PUT") ACAH("*, X-Foo"), 2, "PUT", "X-Foo: 1", INCL, CACHED},
    {"credentialed: another method misses", {{0}}, INCL,
     ACAM("*, PUT") ACAH("*, X-Foo"), 2, "DELETE", "X-Foo: 1", INCL,
     NO_RESPONSE},
    {"credentialed: another method misses for omit too", {{0}}, INCL,
     ACAM("*, PUT") ACAH("*, X-Foo"), 2, "DELETE", "X-Foo: 1", OMIT,
     NO_RESPONSE},
    {"credentialed: another header misses", {{0}}, INCL,
     ACAM("*, PUT") ACAH("*, X-Foo"), 2, "PUT", "X-Bar: 1", INCL,
     NO_RESPONSE},
    {"credentialed: entries serve omit", {{0}}, INCL,
     ACAM("*, PUT") ACAH("*, X-Foo"), 2, "PUT", "X-Foo: 1", OMIT, CACHED},
    /* a profile without the wildcard: "*" was a literal, and stays one in
     * the cache */
    {"acam.wildcard false: * entry is literal", {SET(ACAM_WILDCARD, 0)},
     OMIT, ACAM("*, PUT") ACAH("X-Foo"), 3, "DELETE", "X-Foo: 1", OMIT,
     NO_RESPONSE},
    {"acam.wildcard false: method * itself", {SET(ACAM_WILDCARD, 0)}, OMIT,
     ACAM("*, PUT") ACAH("X-Foo"), 3, "*", "X-Foo: 1", OMIT, CACHED},
    {"acah.wildcard false: * entry is literal", {SET(ACAH_WILDCARD, 0)},
     OMIT, ACAM("PUT") ACAH("*, X-Foo"), 3, "PUT", "X-Bar: 1", OMIT,
     NO_RESPONSE},
    {"acah.wildcard false: header * itself", {SET(ACAH_WILDCARD, 0)}, OMIT,
     ACAM("PUT") ACAH("*, X-Foo"), 3, "PUT", "*: 1", OMIT, CACHED},
};

START_TEST(test_cache_wildcard) {
  const wild_row *row = &wild_rows[_i];
  corsim_profile prof = make_profile(row->set, N_ELEMS(row->set));
  corsim_request *first =
      make_req(APP, API, CORSIM_MODE_CORS, row->cred1, "PUT", "X-Foo: 1");
  corsim_request *second =
      make_req(APP, API, CORSIM_MODE_CORS, row->cred2, row->method, row->hdrs);
  corsim_result *res = NULL;
  corsim_cache *cache = NULL;
  corsim_preflight_state st;
  char pre[512];

  snprintf(pre, sizeof pre, "%s%s%s%s", H204,
           row->cred1 == INCL ? CRED : ANY, row->lists, MAXAGE("60"));
  ck_assert_ok(corsim_result_new(&res, NULL));
  ck_assert_ok(corsim_cache_new(&cache, NULL, 0));
  ck_assert_int_eq(run_pf(res, &prof, first, pre, cache, T0, NULL, NULL, 0),
                   PASSED);
  ck_assert_msg(corsim_cache_count(cache, T0) == row->count,
                "%s: %zu entries, want %zu", row->what,
                corsim_cache_count(cache, T0), row->count);
  st = run_pf(res, &prof, second, NULL, cache, T0 + 10, NULL, NULL, 0);
  ck_assert_msg(st == row->want, "%s: %s, want %s", row->what,
                state_name(st), state_name(row->want));
  corsim_cache_free(cache);
  corsim_result_free(res);
  corsim_request_free(first);
  corsim_request_free(second);
}
END_TEST

/* The profile at lookup time decides what a "*" entry means: entries
 * stored under the spec, read under profiles that differ. */
static const struct {
  const char *what;
  bset set[2];
  const char *method, *hdrs;
  corsim_preflight_state want;
} lookup_rows[] = {
    {"spec", {{0}}, "DELETE", "X-Bar: 1", CACHED},
    {"no reuse", {SET(PREFLIGHT_CACHE_WILDCARD_REUSE, 0)}, "DELETE", NULL,
     NO_RESPONSE},
    {"no reuse, header", {SET(PREFLIGHT_CACHE_WILDCARD_REUSE, 0)}, "GET",
     "X-Bar: 1", NO_RESPONSE},
    {"no reuse, listed entries", {SET(PREFLIGHT_CACHE_WILDCARD_REUSE, 0)},
     "PUT", "X-Foo: 1", CACHED},
    {"acam.wildcard false", {SET(ACAM_WILDCARD, 0)}, "DELETE", NULL,
     NO_RESPONSE},
    {"acam.wildcard false, header", {SET(ACAM_WILDCARD, 0)}, "GET",
     "X-Bar: 1", CACHED},
    {"acah.wildcard false", {SET(ACAH_WILDCARD, 0)}, "GET", "X-Bar: 1",
     NO_RESPONSE},
    {"acah.wildcard false, method", {SET(ACAH_WILDCARD, 0)}, "DELETE", NULL,
     CACHED},
    {"Authorization, spec", {{0}}, "GET", "Authorization: x", NO_RESPONSE},
    {"Authorization, covers_authorization",
     {SET(ACAH_WILDCARD_COVERS_AUTHORIZATION, 1)}, "GET", "Authorization: x",
     CACHED},
};

START_TEST(test_cache_lookup_profile) {
  corsim_profile prof = make_profile(lookup_rows[_i].set, 2);
  corsim_request *first =
      make_req(APP, API, CORSIM_MODE_CORS, OMIT, "PUT", "X-Foo: 1");
  corsim_request *second =
      make_req(APP, API, CORSIM_MODE_CORS, OMIT, lookup_rows[_i].method,
               lookup_rows[_i].hdrs);
  corsim_result *res = NULL;
  corsim_cache *cache = NULL;
  corsim_preflight_state st;

  ck_assert_ok(corsim_result_new(&res, NULL));
  ck_assert_ok(corsim_cache_new(&cache, NULL, 0));
  ck_assert_int_eq(run_pf(res, NULL, first,
                          H204 ANY ACAM("*, PUT") ACAH("*, X-Foo")
                              MAXAGE("60"),
                          cache, T0, NULL, NULL, 0),
                   PASSED);
  ck_assert_uint_eq(corsim_cache_count(cache, T0), 4);
  st = run_pf(res, &prof, second, NULL, cache, T0 + 1, NULL, NULL, 0);
  ck_assert_msg(st == lookup_rows[_i].want, "%s: %s, want %s",
                lookup_rows[_i].what, state_name(st),
                state_name(lookup_rows[_i].want));
  corsim_cache_free(cache);
  corsim_result_free(res);
  corsim_request_free(first);
  corsim_request_free(second);
}
END_TEST

/* Stores a passing preflight for method PUT (one entry) from origin to
 * url at time now, with credentials omit. */
static void store_put(corsim_cache *cache, const char *origin,
                      const char *url, double now) {
  corsim_request *req = make_req(origin, url, CORSIM_MODE_CORS, OMIT, "PUT",
                                 NULL);
  corsim_result *res = NULL;
  ck_assert_ok(corsim_result_new(&res, NULL));
  ck_assert_int_eq(run_pf(res, NULL, req, H204 ANY ACAM("PUT") MAXAGE("60"),
                          cache, now, NULL, NULL, 0),
                   PASSED);
  corsim_result_free(res);
  corsim_request_free(req);
}

/* State of a PUT from origin to url at now with no response. */
static corsim_preflight_state lookup_put(corsim_cache *cache,
                                         const char *origin, const char *url,
                                         double now) {
  corsim_request *req = make_req(origin, url, CORSIM_MODE_CORS, OMIT, "PUT",
                                 NULL);
  corsim_result *res = NULL;
  corsim_preflight_state st;
  ck_assert_ok(corsim_result_new(&res, NULL));
  st = run_pf(res, NULL, req, NULL, cache, now, NULL, NULL, 0);
  corsim_result_free(res);
  corsim_request_free(req);
  return st;
}

/* A failed preflight clears the entries for its origin and URL
 * (#concept-cache-clear), whatever made it fail; others stay. */
static const struct {
  const char *what;
  int cred;
  const char *method, *hdrs, *pre;
  corsim_block_reason why;
} clear_rows[] = {
    {"CORS check", OMIT, "PUT", "X-Bar: 1", H204 ACAM("PUT") ACAH("x-bar"),
     R(ACAO_MISSING)},
    {"CORS check with credentials", INCL, "DELETE", NULL,
     H204 ANY ACAM("DELETE"), R(ACAO_WILDCARD_WITH_CREDENTIALS)},
    {"status", OMIT, "DELETE", NULL, "HTTP/1.1 404 No\n" ANY ACAM("DELETE"),
     R(PREFLIGHT_STATUS)},
    {"method", OMIT, "DELETE", NULL, H204 ANY ACAM("PUT"),
     R(PREFLIGHT_METHOD_NOT_ALLOWED)},
    {"header", OMIT, "PUT", "X-Bar: 1", H204 ANY ACAM("PUT") ACAH("x-foo"),
     R(PREFLIGHT_HEADER_NOT_ALLOWED)},
    {"Authorization", OMIT, "GET", "Authorization: x", H204 ANY ACAH("*"),
     R(PREFLIGHT_AUTHORIZATION_NOT_ALLOWED)},
    {"ACAM parse", OMIT, "DELETE", NULL, H204 ANY ACAM("a b"),
     R(PREFLIGHT_ALLOW_METHODS_INVALID)},
    {"ACAH parse", OMIT, "DELETE", NULL, H204 ANY ACAM("DELETE") ACAH("a b"),
     R(PREFLIGHT_ALLOW_HEADERS_INVALID)},
};

START_TEST(test_cache_clear_on_failure) {
  corsim_cache *cache = NULL;
  corsim_result *res = NULL;
  corsim_request *req;
  corsim_block_reason why;

  ck_assert_ok(corsim_cache_new(&cache, NULL, 0));
  ck_assert_ok(corsim_result_new(&res, NULL));
  store_put(cache, APP, API, T0);
  store_put(cache, APP, API2, T0);
  store_put(cache, OTHER_ORIGIN, API, T0);
  /* a credentialed entry for the same origin and URL */
  req = make_req(APP, API, CORSIM_MODE_CORS, INCL, "PATCH", NULL);
  ck_assert_int_eq(run_pf(res, NULL, req, H204 CRED ACAM("PATCH"), cache, T0,
                          NULL, NULL, 0),
                   PASSED);
  corsim_request_free(req);
  ck_assert_uint_eq(corsim_cache_count(cache, T0), 4);

  req = make_req(APP, API, CORSIM_MODE_CORS, clear_rows[_i].cred,
                 clear_rows[_i].method, clear_rows[_i].hdrs);
  /* no response: nothing is cleared */
  ck_assert_int_eq(run_pf(res, NULL, req, NULL, cache, T0 + 1, NULL, NULL, 0),
                   NO_RESPONSE);
  ck_assert_uint_eq(corsim_cache_count(cache, T0 + 1), 4);
  ck_assert_int_eq(run_pf(res, NULL, req, clear_rows[_i].pre, cache, T0 + 1,
                          &why, NULL, 0),
                   FAILED);
  ck_assert_msg(why == clear_rows[_i].why, "%s: %s", clear_rows[_i].what,
                reason_name(why));
  corsim_request_free(req);
  ck_assert_uint_eq(corsim_cache_count(cache, T0 + 1), 2);
  ck_assert_int_eq(lookup_put(cache, APP, API, T0 + 2), NO_RESPONSE);
  ck_assert_int_eq(lookup_put(cache, APP, API2, T0 + 2), CACHED);
  ck_assert_int_eq(lookup_put(cache, OTHER_ORIGIN, API, T0 + 2), CACHED);
  corsim_result_free(res);
  corsim_cache_free(cache);
}
END_TEST

/* A cache hit sends no preflight: a response given anyway is not looked
 * at, and does not clear the entries. */
START_TEST(test_cache_hit_ignores_response) {
  corsim_cache *cache = NULL;
  corsim_result *res = NULL;
  corsim_request *req =
      make_req(APP, API, CORSIM_MODE_CORS, OMIT, "PUT", NULL);

  ck_assert_ok(corsim_cache_new(&cache, NULL, 0));
  ck_assert_ok(corsim_result_new(&res, NULL));
  store_put(cache, APP, API, T0);
  dirty(res);
  ck_assert_int_eq(run_pf(res, NULL, req, "HTTP/1.1 500 No\n", cache, T0 + 1,
                          NULL, NULL, 0),
                   CACHED);
  ck_assert_uint_eq(corsim_cache_count(cache, T0 + 1), 1);
  /* no cache: the same response fails */
  ck_assert_int_eq(run_pf(res, NULL, req, "HTTP/1.1 500 No\n", NULL, T0 + 1,
                          NULL, NULL, 0),
                   FAILED);
  ck_assert_int_eq(lookup_put(cache, APP, API, T0 + 1), CACHED);
  corsim_result_free(res);
  corsim_request_free(req);
  corsim_cache_free(cache);
}
END_TEST

/* Step 4.g: every item becomes an entry (not only what was asked), and a
 * second preflight refreshes entries rather than adding copies. */
START_TEST(test_cache_refresh) {
  corsim_cache *cache = NULL;
  corsim_result *res = NULL;
  corsim_request *req =
      make_req(APP, API, CORSIM_MODE_CORS, OMIT, "PUT", "X-Foo: 1");
  const char *pre = H204 ANY ACAM("PUT, DELETE, PUT") ACAH("X-Foo, x-foo, "
                                                           "X-Bar")
      MAXAGE("60");

  ck_assert_ok(corsim_cache_new(&cache, NULL, 0));
  ck_assert_ok(corsim_result_new(&res, NULL));
  ck_assert_int_eq(run_pf(res, NULL, req, pre, cache, T0, NULL, NULL, 0),
                   PASSED);
  ck_assert_uint_eq(corsim_cache_count(cache, T0), 4);
  ck_assert_int_eq(lookup_put(cache, APP, API, T0 + 1), CACHED);
  {
    corsim_request *del =
        make_req(APP, API, CORSIM_MODE_CORS, OMIT, "DELETE", "X-BAR: 1");
    ck_assert_int_eq(run_pf(res, NULL, del, NULL, cache, T0 + 1, NULL, NULL,
                            0),
                     CACHED);
    corsim_request_free(del);
  }
  /* a hit at +50: nothing is sent, nothing refreshed */
  ck_assert_int_eq(run_pf(res, NULL, req, pre, cache, T0 + 50, NULL, NULL,
                          0),
                   CACHED);
  ck_assert_int_eq(run_pf(res, NULL, req, NULL, cache, T0 + 61, NULL, NULL,
                          0),
                   NO_RESPONSE);
  ck_assert_int_eq(run_pf(res, NULL, req, pre, cache, T0 + 61, NULL, NULL,
                          0),
                   PASSED);
  ck_assert_uint_eq(corsim_cache_count(cache, T0 + 61), 4);
  /* a new preflight while entries are still valid (a header not yet
   * cached forces one) refreshes them */
  {
    corsim_request *more =
        make_req(APP, API, CORSIM_MODE_CORS, OMIT, "PUT", "X-Foo: 1\nX-New: 1");
    ck_assert_int_eq(
        run_pf(res, NULL, more,
               H204 ANY ACAM("PUT") ACAH("x-foo, x-new") MAXAGE("100"), cache,
               T0 + 70, NULL, NULL, 0),
        PASSED);
    corsim_request_free(more);
  }
  ck_assert_uint_eq(corsim_cache_count(cache, T0 + 70), 5);
  /* PUT and x-foo now last until +170; DELETE and x-bar until +121 */
  ck_assert_uint_eq(corsim_cache_count(cache, T0 + 150), 3);
  ck_assert_int_eq(run_pf(res, NULL, req, NULL, cache, T0 + 150, NULL, NULL,
                          0),
                   CACHED);
  ck_assert_uint_eq(corsim_cache_count(cache, T0 + 171), 0);
  corsim_result_free(res);
  corsim_request_free(req);
  corsim_cache_free(cache);
}
END_TEST

/* max_entries: the oldest entry goes first. */
START_TEST(test_cache_eviction) {
  corsim_cache *cache = NULL;
  corsim_result *res = NULL;
  corsim_request *req;
  char list[64 * 1024];
  size_t len = 0, i;
  char *pre;

  ck_assert_ok(corsim_cache_new(&cache, NULL, 3));
  ck_assert_ok(corsim_result_new(&res, NULL));
  store_put(cache, APP, "https://api.example/1", T0);
  store_put(cache, APP, "https://api.example/2", T0 + 1);
  store_put(cache, APP, "https://api.example/3", T0 + 2);
  ck_assert_uint_eq(corsim_cache_count(cache, T0 + 3), 3);
  store_put(cache, APP, "https://api.example/4", T0 + 3);
  ck_assert_uint_eq(corsim_cache_count(cache, T0 + 3), 3);
  ck_assert_int_eq(lookup_put(cache, APP, "https://api.example/1", T0 + 4),
                   NO_RESPONSE);
  ck_assert_int_eq(lookup_put(cache, APP, "https://api.example/2", T0 + 4),
                   CACHED);
  ck_assert_int_eq(lookup_put(cache, APP, "https://api.example/3", T0 + 4),
                   CACHED);
  ck_assert_int_eq(lookup_put(cache, APP, "https://api.example/4", T0 + 4),
                   CACHED);
  /* one preflight with four methods keeps its last three */
  req = make_req(APP, API, CORSIM_MODE_CORS, OMIT, "PUT", NULL);
  ck_assert_int_eq(run_pf(res, NULL, req,
                          H204 ANY ACAM("PUT, DELETE, PATCH, OPTIONS"), cache,
                          T0 + 7, NULL, NULL, 0),
                   PASSED);
  corsim_request_free(req);
  ck_assert_uint_eq(corsim_cache_count(cache, T0 + 7), 3);
  ck_assert_int_eq(lookup_put(cache, APP, "https://api.example/2", T0 + 8),
                   NO_RESPONSE);
  ck_assert_int_eq(lookup_put(cache, APP, API, T0 + 8), NO_RESPONSE);
  req = make_req(APP, API, CORSIM_MODE_CORS, OMIT, "OPTIONS", NULL);
  ck_assert_int_eq(run_pf(res, NULL, req, NULL, cache, T0 + 8, NULL, NULL, 0),
                   CACHED);
  corsim_request_free(req);
  corsim_cache_free(cache);

  /* max_entries 0 means 4096 */
  ck_assert_ok(corsim_cache_new(&cache, NULL, 0));
  for (i = 0; i < 4100; i++)
    len += (size_t)snprintf(list + len, sizeof list - len, "%sM%zu",
                            i ? "," : "", i);
  pre = malloc(len + 128);
  ck_assert_ptr_nonnull(pre);
  snprintf(pre, len + 128, H204 ANY "Access-Control-Allow-Methods: %s\n",
           list);
  req = make_req(APP, API, CORSIM_MODE_CORS, OMIT, "M4099", NULL);
  ck_assert_int_eq(run_pf(res, NULL, req, pre, cache, T0, NULL, NULL, 0),
                   PASSED);
  ck_assert_uint_eq(corsim_cache_count(cache, T0), 4096);
  ck_assert_int_eq(run_pf(res, NULL, req, NULL, cache, T0, NULL, NULL, 0),
                   CACHED);
  corsim_request_free(req);
  req = make_req(APP, API, CORSIM_MODE_CORS, OMIT, "M3", NULL);
  ck_assert_int_eq(run_pf(res, NULL, req, NULL, cache, T0, NULL, NULL, 0),
                   NO_RESPONSE);
  corsim_request_free(req);
  req = make_req(APP, API, CORSIM_MODE_CORS, OMIT, "M4", NULL);
  ck_assert_int_eq(run_pf(res, NULL, req, NULL, cache, T0, NULL, NULL, 0),
                   CACHED);
  corsim_request_free(req);
  free(pre);
  corsim_result_free(res);
  corsim_cache_free(cache);
}
END_TEST

/* corsim_cache_count counts what is still valid at a time; clear empties
 * the cache. */
START_TEST(test_cache_count_clear) {
  corsim_cache *cache = NULL;
  corsim_result *res = NULL;
  corsim_request *req =
      make_req(APP, API, CORSIM_MODE_CORS, OMIT, "PUT", "X-Foo: 1");

  ck_assert_uint_eq(corsim_cache_count(NULL, T0), 0);
  corsim_cache_clear(NULL);
  corsim_cache_free(NULL);
  ck_assert_int_eq(corsim_cache_new(NULL, NULL, 0),
                   CORSIM_ERR_INVALID_ARGUMENT);
  ck_assert_ok(corsim_cache_new(&cache, NULL, 0));
  ck_assert_ok(corsim_result_new(&res, NULL));
  ck_assert_uint_eq(corsim_cache_count(cache, T0), 0);
  corsim_cache_clear(cache);
  ck_assert_int_eq(run_pf(res, NULL, req,
                          H204 ANY ACAM("PUT") ACAH("x-foo") MAXAGE("10"),
                          cache, T0, NULL, NULL, 0),
                   PASSED);
  store_put(cache, APP, API2, T0 + 5); /* until +65 */
  ck_assert_uint_eq(corsim_cache_count(cache, 0), 3);
  ck_assert_uint_eq(corsim_cache_count(cache, T0), 3);
  ck_assert_uint_eq(corsim_cache_count(cache, T0 + 9.5), 3);
  ck_assert_uint_eq(corsim_cache_count(cache, T0 + 10), 1);
  ck_assert_uint_eq(corsim_cache_count(cache, T0 + 64), 1);
  ck_assert_uint_eq(corsim_cache_count(cache, T0 + 65), 0);
  ck_assert_uint_eq(corsim_cache_count(cache, 1e300), 0);
  /* counting does not remove: the clock may go back */
  ck_assert_uint_eq(corsim_cache_count(cache, T0), 3);
  ck_assert_int_eq(run_pf(res, NULL, req, NULL, cache, T0 + 1, NULL, NULL, 0),
                   CACHED);
  corsim_cache_clear(cache);
  ck_assert_uint_eq(corsim_cache_count(cache, T0), 0);
  ck_assert_int_eq(run_pf(res, NULL, req, NULL, cache, T0 + 1, NULL, NULL, 0),
                   NO_RESPONSE);
  ck_assert_int_eq(lookup_put(cache, APP, API2, T0 + 6), NO_RESPONSE);
  /* usable after clear */
  store_put(cache, APP, API2, T0 + 7);
  ck_assert_uint_eq(corsim_cache_count(cache, T0 + 7), 1);
  corsim_result_free(res);
  corsim_request_free(req);
  corsim_cache_free(cache);
}
END_TEST

/* ------------------------------------------------------------------------
 * 9. corsim_preflight: names and argument errors
 * ------------------------------------------------------------------------ */

START_TEST(test_state_names) {
  static const char *const want[] = {"not-needed", "cached", "passed",
                                     "failed", "no-response"};
  size_t i;
  ck_assert_int_eq(CORSIM_PREFLIGHT_NOT_NEEDED, 0);
  ck_assert_int_eq(CORSIM_PREFLIGHT_NO_RESPONSE, 4);
  for (i = 0; i < N_ELEMS(want); i++) {
    const char *n = corsim_preflight_state_name((corsim_preflight_state)i);
    ck_assert_ptr_nonnull(n);
    ck_assert_str_eq(n, want[i]);
  }
  ck_assert_ptr_null(corsim_preflight_state_name((corsim_preflight_state)5));
  ck_assert_ptr_null(corsim_preflight_state_name((corsim_preflight_state)-1));
  ck_assert_ptr_null(
      corsim_preflight_state_name((corsim_preflight_state)1000));
}
END_TEST

START_TEST(test_pf_arguments) {
  corsim_result *res = NULL;
  corsim_request *req =
      make_req(APP, API, CORSIM_MODE_CORS, OMIT, "PUT", NULL);
  corsim_request *simple =
      make_req(APP, API, CORSIM_MODE_CORS, OMIT, "GET", NULL);
  corsim_request *incomplete = NULL;
  corsim_preflight_state st;
  corsim_response resp;
  corsim_header h = {"Access-Control-Allow-Origin", 27, "*", 1};
  tu_response r;
  char err[128];
  int rc;

  ck_assert_ok(corsim_result_new(&res, NULL));
  st = (corsim_preflight_state)77;
  ck_assert_int_eq(corsim_preflight(NULL, NULL, req, NULL, NULL, T0, &st),
                   CORSIM_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(st, NOT_NEEDED);
  st = (corsim_preflight_state)77;
  ck_assert_int_eq(corsim_preflight(res, NULL, NULL, NULL, NULL, T0, &st),
                   CORSIM_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(st, NOT_NEEDED);
  ck_assert_int_eq(corsim_preflight(res, NULL, req, NULL, NULL, T0, NULL),
                   CORSIM_ERR_INVALID_ARGUMENT);

  /* status 99 (and 1000) in the preflight response */
  ck_assert_int_eq(tu_response_parse(&r, L("HTTP/1.1 099 Low\n" ANY), err,
                                     sizeof err),
                   0);
  ck_assert_int_eq(r.resp.status, 99);
  rc = corsim_preflight(res, NULL, req, &r.resp, NULL, T0, &st);
  ck_assert_int_eq(rc, CORSIM_ERR_BAD_STATUS);
  r.resp.status = 1000;
  ck_assert_int_eq(corsim_preflight(res, NULL, req, &r.resp, NULL, T0, &st),
                   CORSIM_ERR_BAD_STATUS);
  r.resp.status = 0;
  ck_assert_int_eq(corsim_preflight(res, NULL, req, &r.resp, NULL, T0, &st),
                   CORSIM_ERR_BAD_STATUS);
  r.resp.status = 100;
  ck_assert_ok(corsim_preflight(res, NULL, req, &r.resp, NULL, T0, &st));
  ck_assert_int_eq(st, FAILED);
  ck_assert_int_eq(corsim_result_reason(res), R(PREFLIGHT_STATUS));
  r.resp.status = 999;
  ck_assert_ok(corsim_preflight(res, NULL, req, &r.resp, NULL, T0, &st));
  ck_assert_int_eq(st, FAILED);
  tu_response_free(&r);

  /* headers NULL with a count */
  memset(&resp, 0, sizeof resp);
  resp.status = 204;
  resp.header_count = 1;
  ck_assert_int_eq(corsim_preflight(res, NULL, req, &resp, NULL, T0, &st),
                   CORSIM_ERR_INVALID_ARGUMENT);
  /* one header, set by hand: fine */
  resp.headers = &h;
  ck_assert_ok(corsim_preflight(res, NULL, req, &resp, NULL, T0, &st));
  ck_assert_int_eq(st, FAILED);
  ck_assert_int_eq(corsim_result_reason(res), R(PREFLIGHT_METHOD_NOT_ALLOWED));
  /* no headers at all */
  resp.headers = NULL;
  resp.header_count = 0;
  ck_assert_ok(corsim_preflight(res, NULL, req, &resp, NULL, T0, &st));
  ck_assert_int_eq(st, FAILED);
  ck_assert_int_eq(corsim_result_reason(res), R(ACAO_MISSING));
  /* a header without a name */
  h.name = "";
  h.name_len = 0;
  resp.headers = &h;
  resp.header_count = 1;
  resp.status = 204;
  ck_assert_int_eq(corsim_preflight(res, NULL, req, &resp, NULL, T0, &st),
                   CORSIM_ERR_BAD_HEADER_NAME);
  resp.headers = NULL;
  resp.header_count = 0;
  /* the status is checked even when no preflight is needed */
  resp.status = 99;
  ck_assert_int_eq(corsim_preflight(res, NULL, simple, &resp, NULL, T0, &st),
                   CORSIM_ERR_BAD_STATUS);

  /* incomplete requests */
  ck_assert_ok(corsim_request_new(&incomplete, NULL));
  ck_assert_ok(corsim_request_set_method(incomplete, L("PUT")));
  st = (corsim_preflight_state)77;
  ck_assert_int_eq(
      corsim_preflight(res, NULL, incomplete, NULL, NULL, T0, &st),
      CORSIM_ERR_INCOMPLETE_REQUEST);
  ck_assert_int_eq(st, NOT_NEEDED);
  ck_assert_ok(corsim_request_set_url(incomplete, L(API)));
  ck_assert_int_eq(
      corsim_preflight(res, NULL, incomplete, NULL, NULL, T0, &st),
      CORSIM_ERR_INCOMPLETE_REQUEST);
  ck_assert_ok(corsim_request_set_origin(incomplete, L(APP)));
  ck_assert_ok(corsim_preflight(res, NULL, incomplete, NULL, NULL, T0, &st));
  ck_assert_int_eq(st, NO_RESPONSE);

  corsim_request_free(incomplete);
  corsim_request_free(simple);
  corsim_request_free(req);
  corsim_result_free(res);
}
END_TEST

/* Allocation failure: the request, the cache and the result share a
 * counting allocator; the Nth allocation fails for N = 1, 2, ... until a
 * passing preflight that stores 3 entries succeeds.  Every failure is
 * CORSIM_ERR_NOMEM and nothing leaks. */
START_TEST(test_pf_nomem) {
  size_t n, failures_in_preflight = 0;
  int done = 0;
  const char *text = H204 ANY ACAM("PUT") ACAH("X-A, X-B") MAXAGE("60");
  tu_response r;
  char err[128];

  ck_assert_int_eq(tu_response_parse(&r, text, strlen(text), err, sizeof err),
                   0);
  for (n = 1; n < 500 && !done; n++) {
    tu_counter c = {0, 0, 0, 0};
    corsim_allocator a = tu_counting_allocator(&c);
    corsim_request *req = NULL;
    corsim_cache *cache = NULL;
    corsim_result *res = NULL;
    corsim_preflight_state st;
    int rc;

    c.fail_at = n;
    rc = corsim_request_new(&req, &a);
    if (!rc)
      rc = corsim_request_set_url(req, L(API));
    if (!rc)
      rc = corsim_request_set_origin(req, L(APP));
    if (!rc)
      rc = corsim_request_set_method(req, L("PUT"));
    if (!rc)
      rc = corsim_request_set_credentials(req, CORSIM_CREDENTIALS_OMIT);
    if (!rc)
      rc = corsim_headers_append(corsim_request_headers(req), L("X-A"),
                                 L("1"), 0);
    if (!rc)
      rc = corsim_headers_append(corsim_request_headers(req), L("X-B"),
                                 L("2"), 0);
    if (!rc)
      rc = corsim_cache_new(&cache, &a, 0);
    if (!rc)
      rc = corsim_result_new(&res, &a);
    if (!rc) {
      rc = corsim_preflight(res, NULL, req, &r.resp, cache, T0, &st);
      if (rc) {
        failures_in_preflight++;
      } else {
        ck_assert_int_eq(st, PASSED);
        ck_assert_uint_eq(corsim_cache_count(cache, T0), 3);
        done = 1;
        /* the hit, with allocation failing at each step */
        {
          size_t k;
          for (k = 1; k < 50; k++) {
            c.fail_at = c.allocs + k;
            rc = corsim_preflight(res, NULL, req, NULL, cache, T0 + 1, &st);
            if (rc == 0)
              break;
            ck_assert_int_eq(rc, CORSIM_ERR_NOMEM);
          }
          ck_assert_int_eq(rc, 0);
          ck_assert_int_eq(st, CACHED);
          c.fail_at = 0;
        }
      }
    }
    if (!done)
      ck_assert_msg(rc == CORSIM_ERR_NOMEM, "allocation %zu: %d (%s)", n, rc,
                    corsim_strerror(rc));
    corsim_result_free(res);
    corsim_cache_free(cache);
    corsim_request_free(req);
    ck_assert_msg(c.live == 0, "allocation %zu: %zu blocks leaked", n,
                  c.live);
  }
  ck_assert_int_eq(done, 1);
  ck_assert_uint_gt(failures_in_preflight, 3);
  tu_response_free(&r);
}
END_TEST

/* A failed preflight under allocation failure: NOMEM or FAILED, no leak. */
START_TEST(test_pf_nomem_failure) {
  size_t k;
  int rc = -1;
  tu_counter c = {0, 0, 0, 0};
  corsim_allocator a = tu_counting_allocator(&c);
  corsim_request *req = NULL;
  corsim_result *res = NULL;
  corsim_preflight_state st = NOT_NEEDED;
  const char *text = H204 ANY ACAM("PUT, bad token");
  tu_response r;
  char err[128];

  ck_assert_int_eq(tu_response_parse(&r, text, strlen(text), err, sizeof err),
                   0);
  ck_assert_ok(corsim_request_new(&req, &a));
  ck_assert_ok(corsim_request_set_url(req, L(API)));
  ck_assert_ok(corsim_request_set_origin(req, L(APP)));
  ck_assert_ok(corsim_request_set_method(req, L("PUT")));
  ck_assert_ok(corsim_headers_append(corsim_request_headers(req), L("X-A"),
                                     L("1"), 0));
  ck_assert_ok(corsim_result_new(&res, &a));
  for (k = 1; k < 50; k++) {
    c.fail_at = c.allocs + k;
    rc = corsim_preflight(res, NULL, req, &r.resp, NULL, T0, &st);
    if (rc == 0)
      break;
    ck_assert_int_eq(rc, CORSIM_ERR_NOMEM);
  }
  ck_assert_int_eq(rc, 0);
  ck_assert_int_eq(st, FAILED);
  ck_assert_int_eq(corsim_result_reason(res),
                   R(PREFLIGHT_ALLOW_METHODS_INVALID));
  c.fail_at = 0;
  corsim_result_free(res);
  corsim_request_free(req);
  ck_assert_uint_eq(c.live, 0);
  tu_response_free(&r);
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

  tc = tcase_create("preflight-response");
  tcase_add_loop_test(tc, test_live, 0, (int)N_ELEMS(live_rows));
  suite_add_tcase(s, tc);

  tc = tcase_create("preflight-cache");
  tcase_add_loop_test(tc, test_max_age, 0, (int)N_ELEMS(age_rows));
  tcase_add_loop_test(tc, test_cache_key, 0, (int)N_ELEMS(key_rows));
  tcase_add_loop_test(tc, test_cache_wildcard, 0, (int)N_ELEMS(wild_rows));
  tcase_add_loop_test(tc, test_cache_lookup_profile, 0,
                      (int)N_ELEMS(lookup_rows));
  tcase_add_loop_test(tc, test_cache_clear_on_failure, 0,
                      (int)N_ELEMS(clear_rows));
  tcase_add_test(tc, test_cache_hit_ignores_response);
  tcase_add_test(tc, test_cache_refresh);
  tcase_add_test(tc, test_cache_eviction);
  tcase_add_test(tc, test_cache_count_clear);
  suite_add_tcase(s, tc);

  tc = tcase_create("preflight-api");
  tcase_add_test(tc, test_state_names);
  tcase_add_test(tc, test_pf_arguments);
  tcase_add_test(tc, test_pf_nomem);
  tcase_add_test(tc, test_pf_nomem_failure);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) { return tu_run(suite()); }
