/*
 * check_alloc.c -- memory behaviour across lib/: the filtering hot path
 * allocates nothing once a result has room (DESIGN.md "hot path without
 * allocation"), and every allocation failure is reported as
 * CORSIM_ERR_NOMEM, leaks nothing and leaves the object usable.
 */
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

#define APP "https://app.example"
#define API "https://api.example/data"

/* A deterministic family of responses of different shapes and sizes. */
static void build_response(corsim_headers *h, unsigned seed, size_t nheaders) {
  static const char *const names[] = {
      "Content-Type", "content-length", "Date",         "Server",
      "X-Request-Id", "Set-Cookie",     "Cache-Control", "Vary",
      "ETag",         "X-Trace",        "Expires",       "x-trace"};
  char value[64];
  size_t i;
  corsim_headers_clear(h);
  ck_assert_ok(corsim_headers_append(h, "Access-Control-Allow-Origin", 27,
                                     seed % 3 ? "*" : APP,
                                     seed % 3 ? 1 : strlen(APP), 0));
  if (seed % 2)
    ck_assert_ok(corsim_headers_append(
        h, "Access-Control-Expose-Headers", 29,
        "X-Trace, ETag, x-a, x-b, x-c, x-d, x-e, x-f, x-g, x-h",
        strlen("X-Trace, ETag, x-a, x-b, x-c, x-d, x-e, x-f, x-g, x-h"), 0));
  if (seed % 5 == 0)
    ck_assert_ok(corsim_headers_append(h, "Access-Control-Expose-Headers", 29,
                                       "*", 1, 0));
  for (i = 0; i < nheaders; i++) {
    const char *name = names[(seed + i * 7) % (sizeof names / sizeof names[0])];
    int n = snprintf(value, sizeof value, "v%u-%zu", seed, i);
    ck_assert_ok(corsim_headers_append(h, name, strlen(name), value,
                                       (size_t)n, 0));
  }
}

START_TEST(test_filter_allocates_nothing_after_reserve) {
  tu_counter c = {0};
  corsim_allocator a = tu_counting_allocator(&c);
  corsim_result *res = NULL;
  corsim_headers *h = NULL;
  corsim_request *req = NULL;
  corsim_response resp;
  unsigned seed;
  size_t before;

  ck_assert_ok(corsim_result_new(&res, &a));
  ck_assert_ok(corsim_headers_new(&h, NULL));
  req = tu_request(APP, API, CORSIM_MODE_CORS, CORSIM_CREDENTIALS_OMIT);
  ck_assert_ok(corsim_result_reserve(res, 64, 8192));
  before = c.allocs;
  for (seed = 0; seed < 1000; seed++) {
    build_response(h, seed, seed % 50);
    resp.status = 200;
    resp.status_text = "OK";
    resp.status_text_len = 2;
    resp.headers = corsim_headers_data(h, &resp.header_count);
    ck_assert_ok(corsim_filter(res, corsim_profile_spec(), req, &resp));
    ck_assert(!corsim_result_is_network_error(res));
  }
  ck_assert_uint_eq(c.allocs, before); /* not one allocation */
  corsim_result_free(res);
  ck_assert_uint_eq(c.live, 0);
  corsim_headers_free(h);
  corsim_request_free(req);
}
END_TEST

START_TEST(test_result_reaches_steady_state) {
  tu_counter c = {0};
  corsim_allocator a = tu_counting_allocator(&c);
  corsim_result *res = NULL;
  corsim_headers *h = NULL;
  corsim_request *req = NULL;
  corsim_response resp = {200, "OK", 2, NULL, 0};
  unsigned seed;
  size_t after_first;

  ck_assert_ok(corsim_result_new(&res, &a));
  ck_assert_ok(corsim_headers_new(&h, NULL));
  req = tu_request(APP, API, CORSIM_MODE_CORS, CORSIM_CREDENTIALS_SAME_ORIGIN);
  /* the largest response first: it sizes the result */
  build_response(h, 1, 200);
  resp.headers = corsim_headers_data(h, &resp.header_count);
  ck_assert_ok(corsim_filter(res, corsim_profile_spec(), req, &resp));
  after_first = c.allocs;
  ck_assert_uint_gt(after_first, 1); /* it did have to grow */
  for (seed = 0; seed < 500; seed++) {
    build_response(h, seed, 1 + seed % 199);
    resp.headers = corsim_headers_data(h, &resp.header_count);
    ck_assert_ok(corsim_filter(res, corsim_profile_spec(), req, &resp));
  }
  ck_assert_uint_eq(c.allocs, after_first);
  corsim_result_free(res);
  ck_assert_uint_eq(c.live, 0);
  corsim_headers_free(h);
  corsim_request_free(req);
}
END_TEST

/* Fail allocation N = 1, 2, ... until the whole sequence succeeds. */
START_TEST(test_filter_nomem_every_allocation) {
  corsim_headers *h = NULL;
  corsim_request *req;
  corsim_response resp = {200, "OK", 2, NULL, 0};
  size_t n;
  int done = 0;

  ck_assert_ok(corsim_headers_new(&h, NULL));
  req = tu_request(APP, API, CORSIM_MODE_CORS, CORSIM_CREDENTIALS_OMIT);
  build_response(h, 5, 40);
  resp.headers = corsim_headers_data(h, &resp.header_count);
  for (n = 1; !done && n < 1000; n++) {
    tu_counter c = {0};
    corsim_allocator a;
    corsim_result *res = NULL;
    int rc;
    c.fail_at = n;
    a = tu_counting_allocator(&c);
    rc = corsim_result_new(&res, &a);
    if (rc == 0) {
      rc = corsim_filter(res, corsim_profile_spec(), req, &resp);
      if (rc == 0) {
        done = 1;
        ck_assert_int_eq(corsim_result_type(res), CORSIM_TYPE_CORS);
      } else {
        /* the failed call leaves a usable result: retry succeeds */
        ck_assert_int_eq(rc, CORSIM_ERR_NOMEM);
        ck_assert_int_eq(corsim_result_type(res), CORSIM_TYPE_ERROR);
        ck_assert_ok(corsim_filter(res, corsim_profile_spec(), req, &resp));
        ck_assert_int_eq(corsim_result_type(res), CORSIM_TYPE_CORS);
      }
    } else {
      ck_assert_int_eq(rc, CORSIM_ERR_NOMEM);
      ck_assert_ptr_null(res);
    }
    corsim_result_free(res);
    ck_assert_uint_eq(c.live, 0);
  }
  ck_assert(done);
  ck_assert_uint_gt(n, 3); /* several allocation points were exercised */
  corsim_headers_free(h);
  corsim_request_free(req);
}
END_TEST

START_TEST(test_headers_nomem_every_allocation) {
  size_t n;
  int done = 0;
  for (n = 1; !done && n < 1000; n++) {
    tu_counter c = {0};
    corsim_allocator a;
    corsim_headers *h = NULL, *out = NULL;
    int rc = 0;
    size_t i, count;
    c.fail_at = n;
    a = tu_counting_allocator(&c);
    rc = corsim_headers_new(&h, &a);
    if (!rc)
      rc = corsim_headers_new(&out, &a);
    for (i = 0; !rc && i < 100; i++) {
      char name[16];
      int len = snprintf(name, sizeof name, "X-%zu", i % 10);
      rc = corsim_headers_append(h, name, (size_t)len, "value", 5, 0);
      if (rc) {
        /* the failed append left the list as it was */
        ck_assert_uint_eq(corsim_headers_count(h), i);
      }
    }
    if (!rc)
      rc = corsim_headers_combine(h, "x-1", 3, "more", 4, 0);
    if (!rc)
      rc = corsim_headers_sort_and_combine(h, out);
    if (rc) {
      ck_assert_int_eq(rc, CORSIM_ERR_NOMEM);
      if (out)
        ck_assert_uint_eq(corsim_headers_count(out), 0);
    } else {
      done = 1;
      corsim_headers_data(out, &count);
      ck_assert_uint_eq(count, 10);
    }
    corsim_headers_free(h);
    corsim_headers_free(out);
    ck_assert_uint_eq(c.live, 0);
  }
  ck_assert(done);
}
END_TEST

START_TEST(test_request_nomem_every_allocation) {
  size_t n;
  int done = 0;
  for (n = 1; !done && n < 1000; n++) {
    tu_counter c = {0};
    corsim_allocator a;
    corsim_request *req = NULL;
    int rc;
    c.fail_at = n;
    a = tu_counting_allocator(&c);
    rc = corsim_request_new(&req, &a);
    if (!rc)
      rc = corsim_request_set_url(req, API "?q#frag", strlen(API "?q#frag"));
    if (!rc)
      rc = corsim_request_set_origin(req, APP, strlen(APP));
    if (!rc)
      rc = corsim_request_set_method(req, "patch", 5);
    if (!rc)
      rc = corsim_headers_append(corsim_request_headers(req), "X-A", 3, "1",
                                 1, 0);
    if (rc) {
      ck_assert_int_eq(rc, CORSIM_ERR_NOMEM);
    } else {
      done = 1;
      ck_assert_uint_eq(corsim_request_origin(req).len, strlen(APP));
    }
    corsim_request_free(req);
    ck_assert_uint_eq(c.live, 0);
  }
  ck_assert(done);
}
END_TEST

/* An allocator with a NULL member falls back to the C library. */
START_TEST(test_partial_allocator_uses_defaults) {
  corsim_allocator a = {NULL, NULL, NULL, NULL};
  corsim_headers *h = NULL;
  ck_assert_ok(corsim_headers_new(&h, &a));
  ck_assert_ok(corsim_headers_append(h, "A", 1, "b", 1, 0));
  corsim_headers_free(h);
}
END_TEST

static Suite *suite(void) {
  Suite *s = suite_create("alloc");
  TCase *tc = tcase_create("hot-path");
  tcase_add_test(tc, test_filter_allocates_nothing_after_reserve);
  tcase_add_test(tc, test_result_reaches_steady_state);
  suite_add_tcase(s, tc);
  tc = tcase_create("nomem");
  tcase_set_timeout(tc, 60);
  tcase_add_test(tc, test_filter_nomem_every_allocation);
  tcase_add_test(tc, test_headers_nomem_every_allocation);
  tcase_add_test(tc, test_request_nomem_every_allocation);
  tcase_add_test(tc, test_partial_allocator_uses_defaults);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) { return tu_run(suite()); }
