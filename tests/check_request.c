/*
 * check_request.c -- lib/request.c: defaults, setters and their errors,
 * same-origin detection, method normalization, the enum name functions and
 * allocation failure.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "testutil.h"

/* A byte string literal and its length (NUL bytes inside count). */
#define U(s) s, sizeof(s) - 1

/* Asserts that a view holds exactly the NUL-terminated string want. */
#define ck_assert_view(v, want)                                               \
  do {                                                                        \
    corsim_str v_ = (v);                                                      \
    const char *w_ = (want);                                                  \
    ck_assert_ptr_nonnull(v_.ptr);                                            \
    ck_assert_msg(v_.len == strlen(w_) && memcmp(v_.ptr, w_, v_.len) == 0,   \
                  "%s is \"%.*s\", want \"%s\"", #v, (int)v_.len, v_.ptr,    \
                  w_);                                                        \
  } while (0)

static corsim_request *new_request(void) {
  corsim_request *r = NULL;
  ck_assert_ok(corsim_request_new(&r, NULL));
  ck_assert_ptr_nonnull(r);
  return r;
}

/* ------------------------------------------------------------------------
 * Defaults
 * ------------------------------------------------------------------------ */

START_TEST(test_defaults) {
  corsim_request *r = new_request();
  corsim_headers *h;

  ck_assert_int_eq(corsim_request_mode(r), CORSIM_MODE_CORS);
  ck_assert_int_eq(corsim_request_credentials(r),
                   CORSIM_CREDENTIALS_SAME_ORIGIN);
  ck_assert_int_eq(corsim_request_redirect(r), CORSIM_REDIRECT_FOLLOW);
  ck_assert_view(corsim_request_method(r), "GET");
  ck_assert_view(corsim_request_url(r), "");
  ck_assert_view(corsim_request_origin(r), "");
  ck_assert_int_eq(corsim_request_is_same_origin(r), 0);
  h = corsim_request_headers(r);
  ck_assert_ptr_nonnull(h);
  ck_assert_uint_eq(corsim_headers_count(h), 0);
  corsim_request_free(r);
}
END_TEST

START_TEST(test_new_free_arguments) {
  tu_counter c = {0, 0, 0, 0};
  corsim_allocator a = tu_counting_allocator(&c);
  corsim_request *r = NULL;

  ck_assert_int_eq(corsim_request_new(NULL, NULL),
                   CORSIM_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(corsim_request_new(NULL, &a), CORSIM_ERR_INVALID_ARGUMENT);
  ck_assert_uint_eq(c.allocs, 0);
  corsim_request_free(NULL); /* no-op */

  /* every byte comes from the given allocator */
  ck_assert_ok(corsim_request_new(&r, &a));
  ck_assert_uint_gt(c.live, 0);
  ck_assert_ok(corsim_request_set_url(r, U("https://a.com/x")));
  ck_assert_ok(corsim_request_set_origin(r, U("https://b.com")));
  ck_assert_ok(corsim_request_set_method(r, U("patch")));
  ck_assert_ok(corsim_headers_append(corsim_request_headers(r), U("X-A"),
                                     U("1"), 0));
  corsim_request_free(r);
  ck_assert_uint_eq(c.live, 0);
  ck_assert_uint_eq(c.frees, c.allocs);
}
END_TEST

/* Functions that take a request tolerate NULL. */
START_TEST(test_null_request) {
  corsim_str v;

  ck_assert_int_eq(corsim_request_set_url(NULL, U("http://a")),
                   CORSIM_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(corsim_request_set_origin(NULL, U("http://a")),
                   CORSIM_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(corsim_request_set_method(NULL, U("GET")),
                   CORSIM_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(corsim_request_set_mode(NULL, CORSIM_MODE_CORS),
                   CORSIM_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(
      corsim_request_set_credentials(NULL, CORSIM_CREDENTIALS_OMIT),
      CORSIM_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(corsim_request_set_redirect(NULL, CORSIM_REDIRECT_ERROR),
                   CORSIM_ERR_INVALID_ARGUMENT);
  ck_assert_ptr_null(corsim_request_headers(NULL));
  ck_assert_int_eq(corsim_request_is_same_origin(NULL), 0);
  v = corsim_request_url(NULL);
  ck_assert_uint_eq(v.len, 0);
  v = corsim_request_origin(NULL);
  ck_assert_uint_eq(v.len, 0);
  v = corsim_request_method(NULL);
  ck_assert_uint_eq(v.len, 0);
}
END_TEST

/* ------------------------------------------------------------------------
 * URL
 * ------------------------------------------------------------------------ */

typedef struct url_case {
  const char *in;
  size_t len;
  const char *href;
} url_case;

static const url_case url_cases[] = {
    {U("https://api.example/v1/items?x=1#frag"),
     "https://api.example/v1/items?x=1"},
    {U("https://API.Example"), "https://api.example/"},
    {U("https://api.example:443/"), "https://api.example/"},
    {U("http://api.example:8080?q"), "http://api.example:8080/?q"},
    {U("http://u:p@api.example/"), "http://u:p@api.example/"},
    {U("http://0x7f.1:80/x"), "http://127.0.0.1/x"},
    {U("http://[0:0::1]/"), "http://[::1]/"},
    {U("http:\\\\a.com\\b"), "http://a.com/b"},
    {U(" \thttp://a.com/\n "), "http://a.com/"},
    {U("data:text/plain,hi#x"), "data:text/plain,hi"},
    {U("blob:https://a.com/uuid"), "blob:https://a.com/uuid"},
};

START_TEST(test_set_url) {
  const url_case *t = &url_cases[_i];
  corsim_request *r = new_request();

  ck_assert_ok(corsim_request_set_url(r, t->in, t->len));
  ck_assert_view(corsim_request_url(r), t->href);
  /* the origin is still unset */
  ck_assert_view(corsim_request_origin(r), "");
  ck_assert_int_eq(corsim_request_is_same_origin(r), 0);
  /* setting it again replaces it */
  ck_assert_ok(corsim_request_set_url(r, U("https://other.example/z")));
  ck_assert_view(corsim_request_url(r), "https://other.example/z");
  corsim_request_free(r);
}
END_TEST

typedef struct url_err_case {
  const char *in;
  size_t len;
  int rc;
} url_err_case;

static const url_err_case url_err_cases[] = {
    {U(""), CORSIM_ERR_BAD_URL},
    {U("   "), CORSIM_ERR_BAD_URL},
    {U("/relative/path"), CORSIM_ERR_BAD_URL},
    {U("api.example/x"), CORSIM_ERR_BAD_URL},
    {U("https://"), CORSIM_ERR_BAD_URL},
    {U("https://a.com:65536/"), CORSIM_ERR_BAD_URL},
    {U("https://a b.com/"), CORSIM_ERR_BAD_URL},
    {U("http://1.2.3.256/"), CORSIM_ERR_BAD_URL},
    {U("http://[::1/"), CORSIM_ERR_BAD_URL},
    {U("null"), CORSIM_ERR_BAD_URL},
    {U("http://a\x00" "b/"), CORSIM_ERR_BAD_URL},
    {U("http://\xc3\xa9.com/"), CORSIM_ERR_UNSUPPORTED},
    {U("http://%C3%A9.com/"), CORSIM_ERR_UNSUPPORTED},
    {NULL, 4, CORSIM_ERR_INVALID_ARGUMENT},
    {NULL, 0, CORSIM_ERR_BAD_URL},
};

START_TEST(test_set_url_error) {
  const url_err_case *t = &url_err_cases[_i];
  corsim_request *r = new_request();

  /* with no URL yet: still none afterwards */
  ck_assert_int_eq(corsim_request_set_url(r, t->in, t->len), t->rc);
  ck_assert_view(corsim_request_url(r), "");
  /* with a URL: it is kept, and so is same-origin-ness */
  ck_assert_ok(corsim_request_set_origin(r, U("https://prev.example")));
  ck_assert_ok(corsim_request_set_url(r, U("https://prev.example/p#f")));
  ck_assert_int_eq(corsim_request_is_same_origin(r), 1);
  ck_assert_int_eq(corsim_request_set_url(r, t->in, t->len), t->rc);
  ck_assert_view(corsim_request_url(r), "https://prev.example/p");
  ck_assert_int_eq(corsim_request_is_same_origin(r), 1);
  corsim_request_free(r);
}
END_TEST

START_TEST(test_set_url_too_large) {
  size_t max = CORSIM__MAX_URL_LEN;
  char *u = malloc(max + 1);
  corsim_request *r = new_request();
  corsim_str v;

  ck_assert_ptr_nonnull(u);
  memcpy(u, "https://a.com/", 14);
  memset(u + 14, 'p', max + 1 - 14);
  ck_assert_ok(corsim_request_set_url(r, U("https://a.com/small")));
  ck_assert_int_eq(corsim_request_set_url(r, u, max + 1),
                   CORSIM_ERR_TOO_LARGE);
  ck_assert_view(corsim_request_url(r), "https://a.com/small");
  ck_assert_int_eq(corsim_request_set_origin(r, u, max + 1),
                   CORSIM_ERR_TOO_LARGE);
  ck_assert_view(corsim_request_origin(r), "");
  /* at the limit */
  ck_assert_ok(corsim_request_set_url(r, u, max));
  v = corsim_request_url(r);
  ck_assert_uint_eq(v.len, max);
  ck_assert(memcmp(v.ptr, u, max) == 0);
  ck_assert_ok(corsim_request_set_origin(r, u, max));
  ck_assert_view(corsim_request_origin(r), "https://a.com");
  ck_assert_int_eq(corsim_request_is_same_origin(r), 1);
  corsim_request_free(r);
  free(u);
}
END_TEST

/* ------------------------------------------------------------------------
 * Origin
 * ------------------------------------------------------------------------ */

typedef struct origin_case {
  const char *in;
  size_t len;
  const char *origin;
} origin_case;

static const origin_case origin_cases[] = {
    {U("https://app.example"), "https://app.example"},
    {U("https://App.Example:443/path?q#f"), "https://app.example"},
    {U("http://app.example:8080"), "http://app.example:8080"},
    {U("http://app.example:80"), "http://app.example"},
    {U("http://127.1"), "http://127.0.0.1"},
    {U("http://[0:0::1]:3000"), "http://[::1]:3000"},
    {U("HTTPS://APP.EXAMPLE/"), "https://app.example"},
    {U("null"), "null"},
    {U("data:text/html,<p>hi"), "null"},
    {U("file:///home/u/index.html"), "null"},
    {U("about:blank"), "null"},
    {U("blob:https://app.example/uuid"), "https://app.example"},
};

START_TEST(test_set_origin) {
  const origin_case *t = &origin_cases[_i];
  corsim_request *r = new_request();

  ck_assert_ok(corsim_request_set_origin(r, t->in, t->len));
  ck_assert_view(corsim_request_origin(r), t->origin);
  ck_assert_view(corsim_request_url(r), "");
  ck_assert_int_eq(corsim_request_is_same_origin(r), 0);
  /* replacing it */
  ck_assert_ok(corsim_request_set_origin(r, U("https://b.example:8443")));
  ck_assert_view(corsim_request_origin(r), "https://b.example:8443");
  corsim_request_free(r);
}
END_TEST

static const url_err_case origin_err_cases[] = {
    {U(""), CORSIM_ERR_BAD_ORIGIN},
    {U("  "), CORSIM_ERR_BAD_ORIGIN},
    {U("*"), CORSIM_ERR_BAD_ORIGIN},
    {U("NULL"), CORSIM_ERR_BAD_ORIGIN},
    {U("Null"), CORSIM_ERR_BAD_ORIGIN},
    {U(" null"), CORSIM_ERR_BAD_ORIGIN},
    {U("null\x00"), CORSIM_ERR_BAD_ORIGIN},
    {U("nul"), CORSIM_ERR_BAD_ORIGIN},
    {U("app.example"), CORSIM_ERR_BAD_ORIGIN},
    {U("//app.example"), CORSIM_ERR_BAD_ORIGIN},
    {U("https://"), CORSIM_ERR_BAD_ORIGIN},
    {U("https://:443"), CORSIM_ERR_BAD_ORIGIN},
    {U("https://app.example:65536"), CORSIM_ERR_BAD_ORIGIN},
    {U("https://app.example:x"), CORSIM_ERR_BAD_ORIGIN},
    {U("https://app example"), CORSIM_ERR_BAD_ORIGIN},
    {U("https://app%example"), CORSIM_ERR_BAD_ORIGIN},
    {U("http://1.2.3.4.5"), CORSIM_ERR_BAD_ORIGIN},
    {U("http://[::1"), CORSIM_ERR_BAD_ORIGIN},
    {U("http://\xc3\xa9.example"), CORSIM_ERR_UNSUPPORTED},
    {NULL, 4, CORSIM_ERR_INVALID_ARGUMENT},
    {NULL, 0, CORSIM_ERR_BAD_ORIGIN},
};

START_TEST(test_set_origin_error) {
  const url_err_case *t = &origin_err_cases[_i];
  corsim_request *r = new_request();

  ck_assert_int_eq(corsim_request_set_origin(r, t->in, t->len), t->rc);
  ck_assert_view(corsim_request_origin(r), "");
  ck_assert_ok(corsim_request_set_url(r, U("https://prev.example/x")));
  ck_assert_ok(corsim_request_set_origin(r, U("https://prev.example")));
  ck_assert_int_eq(corsim_request_is_same_origin(r), 1);
  ck_assert_int_eq(corsim_request_set_origin(r, t->in, t->len), t->rc);
  ck_assert_view(corsim_request_origin(r), "https://prev.example");
  ck_assert_int_eq(corsim_request_is_same_origin(r), 1);
  /* a failure after "null" keeps "null" */
  ck_assert_ok(corsim_request_set_origin(r, U("null")));
  ck_assert_int_eq(corsim_request_set_origin(r, t->in, t->len), t->rc);
  ck_assert_view(corsim_request_origin(r), "null");
  ck_assert_int_eq(corsim_request_is_same_origin(r), 0);
  corsim_request_free(r);
}
END_TEST

/* ------------------------------------------------------------------------
 * Same origin
 * ------------------------------------------------------------------------ */

typedef struct so_case {
  const char *origin, *url;
  int same;
} so_case;

static const so_case so_cases[] = {
    {"https://a.com", "https://a.com/x", 1},
    {"https://a.com", "https://a.com:443/x?y#z", 1},
    {"https://a.com:443", "https://A.COM/", 1},
    {"https://a.com/page.html", "https://a.com/api", 1},
    {"http://127.0.0.1", "http://127.1/", 1},
    {"http://[::1]:8080", "http://[0::1]:8080/", 1},
    {"https://a.com/page", "blob:https://a.com/uuid", 1},
    {"https://u@a.com", "https://v:w@a.com/", 1},
    {"https://a.com", "http://a.com/", 0},
    {"https://a.com", "wss://a.com/", 0},
    {"https://a.com", "https://b.a.com/", 0},
    {"https://b.a.com", "https://a.com/", 0},
    {"https://a.com", "https://a.com:8443/", 0},
    {"https://a.com:8443", "https://a.com:8444/", 0},
    {"http://a.com:443", "https://a.com/", 0},
    {"http://127.0.0.1", "http://localhost/", 0},
    {"null", "https://a.com/", 0},
    {"null", "data:text/plain,x", 0},
    {"data:text/plain,x", "data:text/plain,x", 0},
    {"https://a.com", "data:text/plain,x", 0},
    {"file:///a", "file:///a", 0},
    {"https://a.com", "blob:data:x", 0},
};

START_TEST(test_same_origin) {
  const so_case *t = &so_cases[_i];
  corsim_request *r = new_request();

  ck_assert_ok(corsim_request_set_origin(r, t->origin, strlen(t->origin)));
  ck_assert_int_eq(corsim_request_is_same_origin(r), 0); /* no URL yet */
  ck_assert_ok(corsim_request_set_url(r, t->url, strlen(t->url)));
  ck_assert_msg(corsim_request_is_same_origin(r) == t->same,
                "origin %s, url %s: want %d", t->origin, t->url, t->same);
  corsim_request_free(r);

  /* the order of the setters does not matter */
  r = new_request();
  ck_assert_ok(corsim_request_set_url(r, t->url, strlen(t->url)));
  ck_assert_int_eq(corsim_request_is_same_origin(r), 0); /* no origin yet */
  ck_assert_ok(corsim_request_set_origin(r, t->origin, strlen(t->origin)));
  ck_assert_int_eq(corsim_request_is_same_origin(r), t->same);
  corsim_request_free(r);
}
END_TEST

/* Changing the URL or the origin updates the answer. */
START_TEST(test_same_origin_follows_setters) {
  corsim_request *r = new_request();

  ck_assert_ok(corsim_request_set_origin(r, U("https://a.com")));
  ck_assert_ok(corsim_request_set_url(r, U("https://a.com/1")));
  ck_assert_int_eq(corsim_request_is_same_origin(r), 1);
  ck_assert_ok(corsim_request_set_url(r, U("https://b.com/1")));
  ck_assert_int_eq(corsim_request_is_same_origin(r), 0);
  ck_assert_ok(corsim_request_set_origin(r, U("https://b.com:443")));
  ck_assert_int_eq(corsim_request_is_same_origin(r), 1);
  ck_assert_ok(corsim_request_set_origin(r, U("null")));
  ck_assert_int_eq(corsim_request_is_same_origin(r), 0);
  ck_assert_view(corsim_request_origin(r), "null");
  ck_assert_ok(corsim_request_set_origin(r, U("https://b.com")));
  ck_assert_int_eq(corsim_request_is_same_origin(r), 1);
  ck_assert_ok(corsim_request_set_url(r, U("data:,x")));
  ck_assert_int_eq(corsim_request_is_same_origin(r), 0);
  corsim_request_free(r);
}
END_TEST

/* ------------------------------------------------------------------------
 * Modes
 * ------------------------------------------------------------------------ */

START_TEST(test_set_mode) {
  corsim_request *r = new_request();
  int v;

  for (v = 0; v <= 3; v++) {
    ck_assert_ok(corsim_request_set_mode(r, (corsim_mode)v));
    ck_assert_int_eq(corsim_request_mode(r), v);
  }
  ck_assert_ok(corsim_request_set_mode(r, CORSIM_MODE_NO_CORS));
  ck_assert_int_eq(corsim_request_set_mode(r, (corsim_mode)4),
                   CORSIM_ERR_BAD_ENUM);
  ck_assert_int_eq(corsim_request_set_mode(r, (corsim_mode)99),
                   CORSIM_ERR_BAD_ENUM);
  ck_assert_int_eq(corsim_request_set_mode(r, (corsim_mode)-1),
                   CORSIM_ERR_BAD_ENUM);
  ck_assert_int_eq(corsim_request_mode(r), CORSIM_MODE_NO_CORS);
  corsim_request_free(r);
}
END_TEST

START_TEST(test_set_credentials) {
  corsim_request *r = new_request();
  int v;

  for (v = 0; v <= 2; v++) {
    ck_assert_ok(corsim_request_set_credentials(r, (corsim_credentials)v));
    ck_assert_int_eq(corsim_request_credentials(r), v);
  }
  ck_assert_ok(corsim_request_set_credentials(r, CORSIM_CREDENTIALS_OMIT));
  ck_assert_int_eq(corsim_request_set_credentials(r, (corsim_credentials)3),
                   CORSIM_ERR_BAD_ENUM);
  ck_assert_int_eq(corsim_request_set_credentials(r, (corsim_credentials)99),
                   CORSIM_ERR_BAD_ENUM);
  ck_assert_int_eq(corsim_request_set_credentials(r, (corsim_credentials)-1),
                   CORSIM_ERR_BAD_ENUM);
  ck_assert_int_eq(corsim_request_credentials(r), CORSIM_CREDENTIALS_OMIT);
  corsim_request_free(r);
}
END_TEST

START_TEST(test_set_redirect) {
  corsim_request *r = new_request();
  int v;

  for (v = 0; v <= 2; v++) {
    ck_assert_ok(corsim_request_set_redirect(r, (corsim_redirect)v));
    ck_assert_int_eq(corsim_request_redirect(r), v);
  }
  ck_assert_ok(corsim_request_set_redirect(r, CORSIM_REDIRECT_MANUAL));
  ck_assert_int_eq(corsim_request_set_redirect(r, (corsim_redirect)3),
                   CORSIM_ERR_BAD_ENUM);
  ck_assert_int_eq(corsim_request_set_redirect(r, (corsim_redirect)99),
                   CORSIM_ERR_BAD_ENUM);
  ck_assert_int_eq(corsim_request_set_redirect(r, (corsim_redirect)-1),
                   CORSIM_ERR_BAD_ENUM);
  ck_assert_int_eq(corsim_request_redirect(r), CORSIM_REDIRECT_MANUAL);
  corsim_request_free(r);
}
END_TEST

/* ------------------------------------------------------------------------
 * Method
 * ------------------------------------------------------------------------ */

typedef struct method_case {
  const char *in;
  size_t len;
  int rc;
  const char *want; /* the stored method when rc is 0 */
} method_case;

static const method_case method_cases[] = {
    {U("GET"), 0, "GET"},
    {U("get"), 0, "GET"},
    {U("gEt"), 0, "GET"},
    {U("delete"), 0, "DELETE"},
    {U("Delete"), 0, "DELETE"},
    {U("DELETE"), 0, "DELETE"},
    {U("head"), 0, "HEAD"},
    {U("HeAd"), 0, "HEAD"},
    {U("options"), 0, "OPTIONS"},
    {U("OPTIONS"), 0, "OPTIONS"},
    {U("post"), 0, "POST"},
    {U("Post"), 0, "POST"},
    {U("put"), 0, "PUT"},
    {U("pUT"), 0, "PUT"},
    {U("patch"), 0, "patch"},
    {U("Patch"), 0, "Patch"},
    {U("PATCH"), 0, "PATCH"},
    {U("connect"), 0, "connect"},
    {U("trace"), 0, "trace"},
    {U("gets"), 0, "gets"},
    {U("ge"), 0, "ge"},
    {U("puT2"), 0, "puT2"},
    {U("propfind"), 0, "propfind"},
    {U("M-SEARCH"), 0, "M-SEARCH"},
    {U("x!#$%&'*+-.^_`|~9"), 0, "x!#$%&'*+-.^_`|~9"},
    {U(""), CORSIM_ERR_BAD_METHOD, NULL},
    {U("GE T"), CORSIM_ERR_BAD_METHOD, NULL},
    {U("G\0ET"), CORSIM_ERR_BAD_METHOD, NULL},
    {U("GET\0"), CORSIM_ERR_BAD_METHOD, NULL},
    {U("GET "), CORSIM_ERR_BAD_METHOD, NULL},
    {U(" GET"), CORSIM_ERR_BAD_METHOD, NULL},
    {U("GET\r\n"), CORSIM_ERR_BAD_METHOD, NULL},
    {U("G\tET"), CORSIM_ERR_BAD_METHOD, NULL},
    {U("G(ET"), CORSIM_ERR_BAD_METHOD, NULL},
    {U("GET,POST"), CORSIM_ERR_BAD_METHOD, NULL},
    {U("\"GET\""), CORSIM_ERR_BAD_METHOD, NULL},
    {U("G:"), CORSIM_ERR_BAD_METHOD, NULL},
    {U("\xc3\xa9"), CORSIM_ERR_BAD_METHOD, NULL},
    {U("\x7f"), CORSIM_ERR_BAD_METHOD, NULL},
    {NULL, 0, CORSIM_ERR_BAD_METHOD, NULL},
    {NULL, 3, CORSIM_ERR_INVALID_ARGUMENT, NULL},
};

START_TEST(test_set_method) {
  const method_case *t = &method_cases[_i];
  corsim_request *r = new_request();

  ck_assert_ok(corsim_request_set_method(r, U("propfind")));
  ck_assert_int_eq(corsim_request_set_method(r, t->in, t->len), t->rc);
  if (t->rc == 0)
    ck_assert_view(corsim_request_method(r), t->want);
  else
    ck_assert_view(corsim_request_method(r), "propfind");
  corsim_request_free(r);
}
END_TEST

START_TEST(test_set_method_length) {
  char m[CORSIM__MAX_METHOD_LEN + 2];
  corsim_request *r = new_request();
  corsim_str v;

  ck_assert_uint_eq(CORSIM__MAX_METHOD_LEN, 1024);
  memset(m, 'a', sizeof m);
  ck_assert_int_eq(corsim_request_set_method(r, m, 1025),
                   CORSIM_ERR_TOO_LARGE);
  ck_assert_view(corsim_request_method(r), "GET");
  ck_assert_int_eq(corsim_request_set_method(r, m, sizeof m),
                   CORSIM_ERR_TOO_LARGE);
  ck_assert_ok(corsim_request_set_method(r, m, 1024));
  v = corsim_request_method(r);
  ck_assert_uint_eq(v.len, 1024);
  ck_assert(memcmp(v.ptr, m, 1024) == 0);
  ck_assert_ok(corsim_request_set_method(r, m, 1));
  ck_assert_view(corsim_request_method(r), "a");
  corsim_request_free(r);
}
END_TEST

/* ------------------------------------------------------------------------
 * Enum names
 * ------------------------------------------------------------------------ */

enum { K_MODE, K_CRED, K_REDIR };

typedef struct enum_case {
  int kind, value;
  const char *name;
} enum_case;

static const enum_case enum_cases[] = {
    {K_MODE, CORSIM_MODE_CORS, "cors"},
    {K_MODE, CORSIM_MODE_NO_CORS, "no-cors"},
    {K_MODE, CORSIM_MODE_SAME_ORIGIN, "same-origin"},
    {K_MODE, CORSIM_MODE_NAVIGATE, "navigate"},
    {K_CRED, CORSIM_CREDENTIALS_SAME_ORIGIN, "same-origin"},
    {K_CRED, CORSIM_CREDENTIALS_OMIT, "omit"},
    {K_CRED, CORSIM_CREDENTIALS_INCLUDE, "include"},
    {K_REDIR, CORSIM_REDIRECT_FOLLOW, "follow"},
    {K_REDIR, CORSIM_REDIRECT_ERROR, "error"},
    {K_REDIR, CORSIM_REDIRECT_MANUAL, "manual"},
};

static const char *name_of(int kind, int v) {
  switch (kind) {
  case K_MODE:
    return corsim_mode_name((corsim_mode)v);
  case K_CRED:
    return corsim_credentials_name((corsim_credentials)v);
  default:
    return corsim_redirect_name((corsim_redirect)v);
  }
}

/* Parses s into *out (as int); -12345 in *out is left when nothing is
 * written. */
static int from_string(int kind, const char *s, size_t len, int *out) {
  int rc;
  switch (kind) {
  case K_MODE: {
    corsim_mode m = (corsim_mode)-12345;
    rc = corsim_mode_from_string(s, len, &m);
    *out = (int)m;
    return rc;
  }
  case K_CRED: {
    corsim_credentials c = (corsim_credentials)-12345;
    rc = corsim_credentials_from_string(s, len, &c);
    *out = (int)c;
    return rc;
  }
  default: {
    corsim_redirect r = (corsim_redirect)-12345;
    rc = corsim_redirect_from_string(s, len, &r);
    *out = (int)r;
    return rc;
  }
  }
}

START_TEST(test_enum_names) {
  const enum_case *t = &enum_cases[_i];
  const char *n = name_of(t->kind, t->value);
  char upper[32];
  size_t i, len = strlen(t->name);
  int v = -1;

  ck_assert_ptr_nonnull(n);
  ck_assert_str_eq(n, t->name);
  ck_assert_ok(from_string(t->kind, t->name, len, &v));
  ck_assert_int_eq(v, t->value);

  /* matching is exact: other casings, padding, prefixes and extensions */
  for (i = 0; i < len; i++)
    upper[i] = (char)(t->name[i] >= 'a' && t->name[i] <= 'z'
                          ? t->name[i] - 32
                          : t->name[i]);
  ck_assert_int_eq(from_string(t->kind, upper, len, &v), CORSIM_ERR_BAD_ENUM);
  ck_assert_int_eq(v, -12345);
  upper[0] = t->name[0];
  ck_assert_int_eq(from_string(t->kind, upper, 1, &v),
                   CORSIM_ERR_BAD_ENUM); /* one letter */
  ck_assert_int_eq(from_string(t->kind, t->name, len - 1, &v),
                   CORSIM_ERR_BAD_ENUM);
  memcpy(upper, t->name, len);
  upper[len] = ' ';
  ck_assert_int_eq(from_string(t->kind, upper, len + 1, &v),
                   CORSIM_ERR_BAD_ENUM);
  upper[len] = '\0';
  ck_assert_int_eq(from_string(t->kind, upper, len + 1, &v),
                   CORSIM_ERR_BAD_ENUM);
  upper[0] = (char)(upper[0] - 32);
  ck_assert_int_eq(from_string(t->kind, upper, len, &v), CORSIM_ERR_BAD_ENUM);
  ck_assert_int_eq(v, -12345);
}
END_TEST

START_TEST(test_enum_errors) {
  int k, v;

  ck_assert_ptr_null(corsim_mode_name((corsim_mode)4));
  ck_assert_ptr_null(corsim_mode_name((corsim_mode)99));
  ck_assert_ptr_null(corsim_mode_name((corsim_mode)-1));
  ck_assert_ptr_null(corsim_credentials_name((corsim_credentials)3));
  ck_assert_ptr_null(corsim_credentials_name((corsim_credentials)-1));
  ck_assert_ptr_null(corsim_redirect_name((corsim_redirect)3));
  ck_assert_ptr_null(corsim_redirect_name((corsim_redirect)-1));

  ck_assert_int_eq(from_string(K_MODE, U("CORS"), &v), CORSIM_ERR_BAD_ENUM);
  ck_assert_int_eq(from_string(K_MODE, U("Cors"), &v), CORSIM_ERR_BAD_ENUM);
  ck_assert_int_eq(from_string(K_MODE, U(" cors"), &v), CORSIM_ERR_BAD_ENUM);
  ck_assert_int_eq(from_string(K_MODE, U("no_cors"), &v), CORSIM_ERR_BAD_ENUM);
  ck_assert_int_eq(from_string(K_MODE, U("nocors"), &v), CORSIM_ERR_BAD_ENUM);
  ck_assert_int_eq(from_string(K_MODE, U("websocket"), &v),
                   CORSIM_ERR_BAD_ENUM);
  ck_assert_int_eq(from_string(K_MODE, U("omit"), &v), CORSIM_ERR_BAD_ENUM);
  ck_assert_int_eq(from_string(K_CRED, U("cors"), &v), CORSIM_ERR_BAD_ENUM);
  ck_assert_int_eq(from_string(K_CRED, U("same"), &v), CORSIM_ERR_BAD_ENUM);
  ck_assert_int_eq(from_string(K_CRED, U("INCLUDE"), &v),
                   CORSIM_ERR_BAD_ENUM);
  ck_assert_int_eq(from_string(K_REDIR, U("same-origin"), &v),
                   CORSIM_ERR_BAD_ENUM);
  ck_assert_int_eq(from_string(K_REDIR, U("Follow"), &v),
                   CORSIM_ERR_BAD_ENUM);
  for (k = K_MODE; k <= K_REDIR; k++) {
    v = 0;
    ck_assert_int_eq(from_string(k, U(""), &v), CORSIM_ERR_BAD_ENUM);
    ck_assert_int_eq(v, -12345);
    ck_assert_int_eq(from_string(k, NULL, 0, &v), CORSIM_ERR_BAD_ENUM);
    ck_assert_int_eq(from_string(k, NULL, 4, &v),
                     CORSIM_ERR_INVALID_ARGUMENT);
    ck_assert_int_eq(v, -12345);
  }
  ck_assert_int_eq(corsim_mode_from_string(U("cors"), NULL),
                   CORSIM_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(corsim_credentials_from_string(U("omit"), NULL),
                   CORSIM_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(corsim_redirect_from_string(U("error"), NULL),
                   CORSIM_ERR_INVALID_ARGUMENT);
}
END_TEST

/* ------------------------------------------------------------------------
 * Header list
 * ------------------------------------------------------------------------ */

START_TEST(test_headers) {
  corsim_request *r = new_request();
  corsim_headers *h = corsim_request_headers(r);
  char buf[32];
  size_t n = 0;

  ck_assert_ptr_nonnull(h);
  ck_assert_ptr_eq(corsim_request_headers(r), h);
  ck_assert_ok(corsim_headers_append(h, U("X-Foo"), U("bar"), 0));
  ck_assert_ok(corsim_headers_append(h, U("x-foo"), U("baz"), 0));
  ck_assert_int_eq(corsim_headers_append(h, U("Bad Name"), U("v"), 0),
                   CORSIM_ERR_BAD_HEADER_NAME);
  ck_assert_uint_eq(corsim_headers_count(h), 2);
  ck_assert_ok(corsim_headers_get(h, U("X-FOO"), buf, sizeof buf, &n));
  ck_assert_uint_eq(n, 8);
  ck_assert(memcmp(buf, "bar, baz", 8) == 0);
  /* the other setters leave the list alone */
  ck_assert_ok(corsim_request_set_url(r, U("https://a.com/")));
  ck_assert_ok(corsim_request_set_origin(r, U("https://b.com")));
  ck_assert_ok(corsim_request_set_method(r, U("post")));
  ck_assert_ok(corsim_request_set_mode(r, CORSIM_MODE_NO_CORS));
  ck_assert_ptr_eq(corsim_request_headers(r), h);
  ck_assert_uint_eq(corsim_headers_count(h), 2);
  corsim_request_free(r); /* frees the list too (valgrind checks) */
}
END_TEST

/* ------------------------------------------------------------------------
 * Allocation failure
 * ------------------------------------------------------------------------ */

/* The steps, in order; a step that fails with NOMEM must leave the request
 * as the previous step left it. */
typedef struct step {
  int which; /* 0 url, 1 origin, 2 method */
  const char *arg;
  /* the state after the step */
  const char *url, *origin, *method;
  int same;
} step;

static const step steps[] = {
    {0, "https://API.example:8443/v1/items?x=1#f",
     "https://api.example:8443/v1/items?x=1", "", "GET", 0},
    {1, "https://app.example/page", "https://api.example:8443/v1/items?x=1",
     "https://app.example", "GET", 0},
    {2, "patch", "https://api.example:8443/v1/items?x=1",
     "https://app.example", "patch", 0},
    {0, "blob:https://app.example/uuid", "blob:https://app.example/uuid",
     "https://app.example", "patch", 1},
    {1, "null", "blob:https://app.example/uuid", "null", "patch", 0},
    {2, "delete", "blob:https://app.example/uuid", "null", "DELETE", 0},
    {1, "http://u:p@[::1]:65535/x", "blob:https://app.example/uuid",
     "http://[::1]:65535", "DELETE", 0},
    {0, "http://[0::1]:65535/y", "http://[::1]:65535/y",
     "http://[::1]:65535", "DELETE", 1},
};

static void check_state(const corsim_request *r, const char *url,
                        const char *origin, const char *method, int same) {
  ck_assert_view(corsim_request_url(r), url);
  ck_assert_view(corsim_request_origin(r), origin);
  ck_assert_view(corsim_request_method(r), method);
  ck_assert_int_eq(corsim_request_is_same_origin(r), same);
  ck_assert_int_eq(corsim_request_mode(r), CORSIM_MODE_CORS);
  ck_assert_int_eq(corsim_request_credentials(r),
                   CORSIM_CREDENTIALS_SAME_ORIGIN);
  ck_assert_int_eq(corsim_request_redirect(r), CORSIM_REDIRECT_FOLLOW);
}

static int run_step(corsim_request *r, const step *s) {
  size_t len = strlen(s->arg);
  switch (s->which) {
  case 0:
    return corsim_request_set_url(r, s->arg, len);
  case 1:
    return corsim_request_set_origin(r, s->arg, len);
  default:
    return corsim_request_set_method(r, s->arg, len);
  }
}

START_TEST(test_nomem) {
  size_t fail_at, nsteps = sizeof steps / sizeof steps[0];
  int failed = 1;

  for (fail_at = 1; failed; fail_at++) {
    tu_counter c = {0, 0, 0, 0};
    corsim_allocator a = tu_counting_allocator(&c);
    corsim_request *r = NULL;
    size_t i;
    int rc;

    ck_assert_uint_lt(fail_at, 200);
    failed = 0;
    c.fail_at = fail_at;
    rc = corsim_request_new(&r, &a);
    if (rc) {
      ck_assert_msg(rc == CORSIM_ERR_NOMEM,
                    "request_new: allocation %zu failed, returned %d",
                    fail_at, rc);
      ck_assert_ptr_null(r);
      ck_assert_uint_eq(c.live, 0);
      failed = 1;
      c.fail_at = 0;
      ck_assert_ok(corsim_request_new(&r, &a));
    }
    check_state(r, "", "", "GET", 0);
    ck_assert_uint_eq(corsim_headers_count(corsim_request_headers(r)), 0);

    for (i = 0; i < nsteps; i++) {
      size_t live_before = c.live;
      rc = run_step(r, &steps[i]);
      if (rc) {
        ck_assert_msg(rc == CORSIM_ERR_NOMEM,
                      "step %zu (%s): allocation %zu failed, returned %d", i,
                      steps[i].arg, fail_at, rc);
        ck_assert_uint_eq(c.live, live_before);
        if (i == 0)
          check_state(r, "", "", "GET", 0);
        else
          check_state(r, steps[i - 1].url, steps[i - 1].origin,
                      steps[i - 1].method, steps[i - 1].same);
        failed = 1;
        c.fail_at = 0;
        ck_assert_ok(run_step(r, &steps[i]));
      }
      check_state(r, steps[i].url, steps[i].origin, steps[i].method,
                  steps[i].same);
    }
    /* an allocation that failed was reported as a failure */
    if (!failed)
      ck_assert_uint_lt(c.allocs, fail_at);
    /* the request stays usable */
    c.fail_at = 0;
    ck_assert_ok(corsim_headers_append(corsim_request_headers(r), U("X-A"),
                                       U("1"), 0));
    ck_assert_ok(corsim_request_set_mode(r, CORSIM_MODE_SAME_ORIGIN));
    ck_assert_int_eq(corsim_request_mode(r), CORSIM_MODE_SAME_ORIGIN);
    corsim_request_free(r);
    ck_assert_uint_eq(c.live, 0);
  }
  /* the loop really went through several failure points */
  ck_assert_uint_gt(fail_at, 10);
}
END_TEST

static Suite *suite(void) {
  Suite *s = suite_create("request");
  TCase *tc;

  tc = tcase_create("basics");
  tcase_add_test(tc, test_defaults);
  tcase_add_test(tc, test_new_free_arguments);
  tcase_add_test(tc, test_null_request);
  tcase_add_test(tc, test_headers);
  suite_add_tcase(s, tc);

  tc = tcase_create("url");
  tcase_set_timeout(tc, 60);
  tcase_add_loop_test(tc, test_set_url, 0,
                      (int)(sizeof url_cases / sizeof url_cases[0]));
  tcase_add_loop_test(tc, test_set_url_error, 0,
                      (int)(sizeof url_err_cases / sizeof url_err_cases[0]));
  tcase_add_test(tc, test_set_url_too_large);
  suite_add_tcase(s, tc);

  tc = tcase_create("origin");
  tcase_add_loop_test(tc, test_set_origin, 0,
                      (int)(sizeof origin_cases / sizeof origin_cases[0]));
  tcase_add_loop_test(
      tc, test_set_origin_error, 0,
      (int)(sizeof origin_err_cases / sizeof origin_err_cases[0]));
  tcase_add_loop_test(tc, test_same_origin, 0,
                      (int)(sizeof so_cases / sizeof so_cases[0]));
  tcase_add_test(tc, test_same_origin_follows_setters);
  suite_add_tcase(s, tc);

  tc = tcase_create("modes");
  tcase_add_test(tc, test_set_mode);
  tcase_add_test(tc, test_set_credentials);
  tcase_add_test(tc, test_set_redirect);
  tcase_add_loop_test(tc, test_enum_names, 0,
                      (int)(sizeof enum_cases / sizeof enum_cases[0]));
  tcase_add_test(tc, test_enum_errors);
  suite_add_tcase(s, tc);

  tc = tcase_create("method");
  tcase_add_loop_test(tc, test_set_method, 0,
                      (int)(sizeof method_cases / sizeof method_cases[0]));
  tcase_add_test(tc, test_set_method_length);
  suite_add_tcase(s, tc);

  tc = tcase_create("nomem");
  tcase_add_test(tc, test_nomem);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) { return tu_run(suite()); }
