/*
 * check_nomem.c -- allocation failure across the whole library: for
 * N = 1, 2, ... the Nth allocation fails, until the operation succeeds
 * without a failure.  Every failure must return CORSIM_ERR_NOMEM, leak
 * nothing (the counting allocator's live count returns to 0) and leave the
 * objects usable: repeating the same call then succeeds with the same
 * outcome as a run that never failed.
 *
 * Covered: loading profiles (corsim's allocator, and libxml2's own
 * allocations through xmlMemSetup()), diagnostics, parsing raw heads under
 * several wire profiles, a request with headers, the preflight and its
 * cache (including eviction), a whole fetch over a redirect chain, and
 * corsim_filter() with an expose list.  (check_alloc.c covers header lists
 * and results; check_profiles_xml.c a small profile file.)
 */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/xmlmemory.h>

#include "testutil.h"

#define APP "https://app.example"
#define API "https://api.example/v1/items"
#define MAX_N 20000

static const corsim_profile *spec(void) { return corsim_profile_spec(); }

/* A profile of the built-in database (loaded once, without failures). */
static corsim_db *builtin;
static const corsim_profile *profile(const char *name) {
  const corsim_profile *p = NULL;
  if (!builtin)
    ck_assert_ok(corsim_db_load_builtin(&builtin, NULL, NULL));
  ck_assert_ok(corsim_db_find(builtin, name, strlen(name), &p, NULL));
  return p;
}

/* ------------------------------------------------------------------------
 * Raw heads
 * ------------------------------------------------------------------------ */

static const char chain[] =
    "HTTP/1.1 100 Continue\r\n\r\n"
    "HTTP/1.1 200 OK\r\n"
    "Access-Control-Allow-Origin: " APP "\r\n"
    "Access-Control-Expose-Headers: X-Total-Count, X-Page,\r\n"
    "  X-Folded\r\n"
    "Content-Type: application/json\r\n"
    "X-Total-Count: 87\r\n"
    "X-Page : 3\r\n"
    "X-Bad\x01Name: 1\r\n"
    "Set-Cookie: a=b\r\n"
    "X-Long: " "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n"
    "\r\n";

START_TEST(test_head_parse) {
  static const char *const profiles[] = {"spec", "chrome", "firefox",
                                         "safari", "chromium/156"};
  const corsim_profile *p =
      strcmp(profiles[_i], "spec") ? profile(profiles[_i]) : spec();
  size_t n, want_count = 0, want_consumed = 0;
  int done = 0, want_rejected;
  corsim_head *ref = NULL;

  ck_assert_ok(corsim_head_new(&ref, NULL));
  ck_assert_ok(corsim_head_parse(ref, p, L(chain), &want_consumed));
  want_count = corsim_head_response(ref)->header_count;
  want_rejected = corsim_head_rejected(ref, NULL, NULL);
  corsim_head_free(ref);

  for (n = 1; !done && n < MAX_N; n++) {
    tu_counter c = {0};
    corsim_allocator a;
    corsim_head *h = NULL;
    size_t consumed = 0;
    int rc;
    c.fail_at = n;
    a = tu_counting_allocator(&c);
    rc = corsim_head_new(&h, &a);
    if (rc) {
      ck_assert_int_eq(rc, CORSIM_ERR_NOMEM);
      ck_assert_ptr_null(h);
    } else {
      rc = corsim_head_parse(h, p, L(chain), &consumed);
      if (rc) {
        ck_assert_int_eq(rc, CORSIM_ERR_NOMEM);
        ck_assert_ptr_null(corsim_head_response(h));
        ck_assert_int_eq(corsim_head_rejected(h, NULL, NULL), 0);
        /* usable: the same parse now succeeds */
        ck_assert_ok(corsim_head_parse(h, p, L(chain), &consumed));
      } else {
        done = 1;
      }
      ck_assert_uint_eq(corsim_head_response(h)->header_count, want_count);
      ck_assert_uint_eq(consumed, want_consumed);
      ck_assert_int_eq(corsim_head_rejected(h, NULL, NULL), want_rejected);
    }
    corsim_head_free(h);
    ck_assert_uint_eq(c.live, 0);
  }
  ck_assert(done);
  ck_assert_uint_gt(n, 3);
}
END_TEST

/* ------------------------------------------------------------------------
 * Requests
 * ------------------------------------------------------------------------ */

/* A request that needs a preflight, every part allocated with a. */
static int make_request(const corsim_allocator *a, corsim_request **out) {
  corsim_request *req = NULL;
  int rc = corsim_request_new(&req, a);
  if (!rc)
    rc = corsim_request_set_url(req, L(API "?page=3#top"));
  if (!rc)
    rc = corsim_request_set_origin(req, L(APP "/index.html"));
  if (!rc)
    rc = corsim_request_set_method(req, L("put"));
  if (!rc)
    rc = corsim_request_set_credentials(req, CORSIM_CREDENTIALS_INCLUDE);
  if (!rc)
    rc = corsim_headers_append(corsim_request_headers(req),
                               L("Content-Type"), L("application/json"), 0);
  if (!rc)
    rc = corsim_headers_append(corsim_request_headers(req), L("X-Trace"),
                               L("1"), 0);
  if (!rc)
    rc = corsim_headers_append(corsim_request_headers(req),
                               L("Authorization"), L("Bearer x"), 0);
  if (rc) {
    corsim_request_free(req);
    return rc;
  }
  *out = req;
  return 0;
}

START_TEST(test_request) {
  size_t n;
  int done = 0;
  for (n = 1; !done && n < MAX_N; n++) {
    tu_counter c = {0};
    corsim_allocator a;
    corsim_request *req = NULL;
    char buf[128];
    size_t len = 0;
    int rc, needed = -1;
    c.fail_at = n;
    a = tu_counting_allocator(&c);
    rc = make_request(&a, &req);
    if (!rc) {
      ck_assert_ok(corsim_request_needs_preflight(req, spec(), &needed));
      ck_assert_int_eq(needed, 1);
      rc = corsim_request_unsafe_headers(req, buf, sizeof buf, &len);
      if (rc) {
        ck_assert_int_eq(rc, CORSIM_ERR_NOMEM);
        rc = corsim_request_unsafe_headers(req, buf, sizeof buf, &len);
        ck_assert_ok(rc);
      } else {
        done = 1;
      }
      ck_assert_bytes(buf, len, L("authorization,content-type,x-trace"));
    } else {
      ck_assert_int_eq(rc, CORSIM_ERR_NOMEM);
    }
    corsim_request_free(req);
    ck_assert_uint_eq(c.live, 0);
  }
  ck_assert(done);
}
END_TEST

/* ------------------------------------------------------------------------
 * Preflight, its cache, and a whole fetch
 * ------------------------------------------------------------------------ */

static const char preflight_ok[] =
    "HTTP/1.1 204 No Content\r\n"
    "Access-Control-Allow-Origin: " APP "\r\n"
    "Access-Control-Allow-Credentials: true\r\n"
    "Access-Control-Allow-Methods: PUT, PATCH, DELETE\r\n"
    "Access-Control-Allow-Headers: Content-Type, X-Trace, Authorization\r\n"
    "Access-Control-Max-Age: 600\r\n"
    "\r\n";

static const char hop1[] =
    "HTTP/1.1 307 Temporary Redirect\r\n"
    "Access-Control-Allow-Origin: " APP "\r\n"
    "Access-Control-Allow-Credentials: true\r\n"
    "Location: /v2/items?page=3\r\n"
    "\r\n";

static const char hop2[] =
    "HTTP/1.1 308 Permanent Redirect\r\n"
    "Access-Control-Allow-Origin: " APP "\r\n"
    "Access-Control-Allow-Credentials: true\r\n"
    "Location: https://api.example/v3/items?page=3\r\n"
    "\r\n";

static const char final[] =
    "HTTP/1.1 200 OK\r\n"
    "Access-Control-Allow-Origin: " APP "\r\n"
    "Access-Control-Allow-Credentials: true\r\n"
    "Access-Control-Expose-Headers: X-Total-Count, ETag, X-A, X-B, X-C\r\n"
    "Content-Type: application/json\r\n"
    "X-Total-Count: 87\r\n"
    "ETag: \"abc\"\r\n"
    "Set-Cookie: s=1\r\n"
    "X-Hidden: 1\r\n"
    "\r\n";

typedef struct outcome {
  corsim_response_type type;
  int status;
  size_t js, hops;
  corsim_preflight_state pre;
  size_t cached;
  char url[128];
  size_t url_len;
} outcome;

static void record(outcome *o, const corsim_result *res, const corsim_cache *c) {
  corsim_str u = corsim_result_url(res);
  o->type = corsim_result_type(res);
  o->status = corsim_result_status(res);
  corsim_result_js_headers(res, &o->js);
  o->hops = corsim_result_hop_count(res);
  o->pre = corsim_result_preflight_state(res);
  o->cached = c ? corsim_cache_count(c, 10.0) : 0;
  ck_assert_uint_lt(u.len, sizeof o->url);
  memcpy(o->url, u.ptr, u.len);
  o->url_len = u.len;
}

static void same(const outcome *x, const outcome *y) {
  ck_assert_int_eq(x->type, y->type);
  ck_assert_int_eq(x->status, y->status);
  ck_assert_uint_eq(x->js, y->js);
  ck_assert_uint_eq(x->hops, y->hops);
  ck_assert_int_eq(x->pre, y->pre);
  ck_assert_uint_eq(x->cached, y->cached);
  ck_assert_bytes(x->url, x->url_len, y->url, y->url_len);
}

/* Parses the four heads with allocator a. */
static int make_heads(const corsim_allocator *a, const corsim_profile *p,
                      corsim_head **pre, corsim_head *hops[3]) {
  static const char *const texts[] = {hop1, hop2, final};
  static const size_t lens[] = {sizeof hop1 - 1, sizeof hop2 - 1,
                                sizeof final - 1};
  int rc, i;
  if ((rc = corsim_head_new(pre, a)) != 0 ||
      (rc = corsim_head_parse(*pre, p, L(preflight_ok), NULL)) != 0)
    return rc;
  for (i = 0; i < 3; i++)
    if ((rc = corsim_head_new(&hops[i], a)) != 0 ||
        (rc = corsim_head_parse(hops[i], p, texts[i], lens[i], NULL)) != 0)
      return rc;
  return 0;
}

static void free_heads(corsim_head *pre, corsim_head *hops[3]) {
  int i;
  corsim_head_free(pre);
  for (i = 0; i < 3; i++)
    corsim_head_free(hops[i]);
}

START_TEST(test_fetch_chain_with_preflight_cache) {
  const char *name = _i == 0 ? "spec" : _i == 1 ? "chrome" : "firefox";
  const corsim_profile *p = _i == 0 ? spec() : profile(name);
  outcome want, got;
  size_t n;
  int done = 0;

  /* the reference: no failure */
  {
    corsim_request *req = NULL;
    corsim_result *res = NULL;
    corsim_cache *cache = NULL;
    corsim_head *pre = NULL, *hops[3] = {NULL, NULL, NULL};
    ck_assert_ok(make_request(NULL, &req));
    ck_assert_ok(corsim_result_new(&res, NULL));
    ck_assert_ok(corsim_cache_new(&cache, NULL, 2));
    ck_assert_ok(make_heads(NULL, p, &pre, hops));
    ck_assert_ok(corsim_fetch_heads(res, p, req, pre,
                                    (const corsim_head *const *)hops, 3,
                                    cache, 1.0));
    record(&want, res, cache);
    ck_assert_int_eq(want.type, CORSIM_TYPE_CORS);
    ck_assert_int_eq(want.pre, CORSIM_PREFLIGHT_PASSED);
    ck_assert_uint_eq(want.hops, 3);
    ck_assert_uint_eq(want.cached, 2); /* max 2: the rest were evicted */
    free_heads(pre, hops);
    corsim_cache_free(cache);
    corsim_result_free(res);
    corsim_request_free(req);
  }

  for (n = 1; !done && n < MAX_N; n++) {
    tu_counter c = {0};
    corsim_allocator a;
    corsim_request *req = NULL;
    corsim_result *res = NULL;
    corsim_cache *cache = NULL;
    corsim_head *pre = NULL, *hops[3] = {NULL, NULL, NULL};
    int rc;
    c.fail_at = n;
    a = tu_counting_allocator(&c);
    rc = make_request(&a, &req);
    if (!rc)
      rc = corsim_result_new(&res, &a);
    if (!rc)
      rc = corsim_cache_new(&cache, &a, 2);
    if (!rc)
      rc = make_heads(&a, p, &pre, hops);
    if (!rc) {
      rc = corsim_fetch_heads(res, p, req, pre,
                              (const corsim_head *const *)hops, 3, cache, 1.0);
      if (rc) {
        ck_assert_int_eq(rc, CORSIM_ERR_NOMEM);
        /* the cache is still consistent and within its bound */
        ck_assert_uint_le(corsim_cache_count(cache, 10.0), 2);
        /* usable: from a clean cache the same fetch gives the same
         * outcome */
        corsim_cache_clear(cache);
        ck_assert_ok(corsim_fetch_heads(res, p, req, pre,
                                        (const corsim_head *const *)hops, 3,
                                        cache, 1.0));
      } else {
        done = 1;
      }
      record(&got, res, cache);
      same(&got, &want);
      /* and a second fetch is answered by the cache */
      rc = corsim_fetch_heads(res, p, req, NULL,
                              (const corsim_head *const *)hops, 3, cache, 2.0);
      if (rc) {
        ck_assert_int_eq(rc, CORSIM_ERR_NOMEM);
        done = 0;
        ck_assert_ok(corsim_fetch_heads(res, p, req, NULL,
                                        (const corsim_head *const *)hops, 3,
                                        cache, 2.0));
      }
      ck_assert_int_eq(corsim_result_type(res), CORSIM_TYPE_CORS);
    } else {
      ck_assert_int_eq(rc, CORSIM_ERR_NOMEM);
    }
    free_heads(pre, hops);
    corsim_cache_free(cache);
    corsim_result_free(res);
    corsim_request_free(req);
    ck_assert_uint_eq(c.live, 0);
  }
  ck_assert(done);
  ck_assert_uint_gt(n, 20);
}
END_TEST

/* corsim_preflight() alone, filling and evicting a small cache with
 * several requests. */
START_TEST(test_preflight_cache_updates) {
  static const char *const methods[] = {"PUT", "PATCH", "DELETE"};
  size_t n;
  int done = 0;
  corsim_head *pre = NULL;
  ck_assert_ok(corsim_head_new(&pre, NULL));
  ck_assert_ok(corsim_head_parse(pre, NULL, L(preflight_ok), NULL));

  for (n = 1; !done && n < MAX_N; n++) {
    tu_counter c = {0};
    corsim_allocator a;
    corsim_request *req = NULL;
    corsim_result *res = NULL;
    corsim_cache *cache = NULL;
    corsim_preflight_state st;
    int rc, k;
    c.fail_at = n;
    a = tu_counting_allocator(&c);
    rc = make_request(&a, &req);
    if (!rc)
      rc = corsim_result_new(&res, &a);
    if (!rc)
      rc = corsim_cache_new(&cache, &a, 8);
    for (k = 0; !rc && k < 3; k++) {
      rc = corsim_request_set_method(req, methods[k], strlen(methods[k]));
      if (rc)
        break;
      rc = corsim_preflight(res, spec(), req, corsim_head_response(pre),
                            cache, (double)k, &st);
      if (rc) {
        ck_assert_int_eq(rc, CORSIM_ERR_NOMEM);
        ck_assert_uint_le(corsim_cache_count(cache, (double)k), 8);
        /* retry: the preflight passes and the cache answers next time */
        rc = corsim_preflight(res, spec(), req, corsim_head_response(pre),
                              cache, (double)k, &st);
        ck_assert_ok(rc);
        rc = CORSIM_ERR_NOMEM; /* still count this round as failed */
        /* (cached when the failure came after every entry was stored) */
        ck_assert(st == CORSIM_PREFLIGHT_PASSED ||
                  st == CORSIM_PREFLIGHT_CACHED);
        ck_assert_ok(corsim_preflight(res, spec(), req, NULL, cache,
                                      (double)k + 0.5, &st));
        ck_assert_int_eq(st, CORSIM_PREFLIGHT_CACHED);
        break;
      }
      /* the first caches every allowed method: the others are cached */
      ck_assert_int_eq(st, k == 0 ? CORSIM_PREFLIGHT_PASSED
                                  : CORSIM_PREFLIGHT_CACHED);
    }
    if (!rc) {
      done = 1;
      /* three methods and three header names */
      ck_assert_uint_eq(corsim_cache_count(cache, 3.0), 6);
    } else {
      ck_assert_int_eq(rc, CORSIM_ERR_NOMEM);
    }
    corsim_cache_free(cache);
    corsim_result_free(res);
    corsim_request_free(req);
    ck_assert_uint_eq(c.live, 0);
  }
  ck_assert(done);
  corsim_head_free(pre);
}
END_TEST

/* corsim_fetch() on plain responses (the URLs along the chain). */
START_TEST(test_fetch_plain_responses) {
  corsim_headers *h1 = NULL, *h2 = NULL;
  corsim_response hops[2];
  size_t n;
  int done = 0;
  ck_assert_ok(corsim_headers_new(&h1, NULL));
  ck_assert_ok(corsim_headers_new(&h2, NULL));
  ck_assert_ok(corsim_headers_append(h1, L("Location"),
                                     L("https://cdn.example/a/c?x#f"), 0));
  ck_assert_ok(corsim_headers_append(h1, L("Access-Control-Allow-Origin"),
                                     L("*"), 0));
  ck_assert_ok(corsim_headers_append(h2, L("Access-Control-Allow-Origin"),
                                     L("*"), 0));
  ck_assert_ok(corsim_headers_append(h2, L("Access-Control-Expose-Headers"),
                                     L("*"), 0));
  ck_assert_ok(corsim_headers_append(h2, L("X-A"), L("1"), 0));
  hops[0].status = 302;
  hops[0].status_text = "Found";
  hops[0].status_text_len = 5;
  hops[0].headers = corsim_headers_data(h1, &hops[0].header_count);
  hops[1].status = 200;
  hops[1].status_text = "OK";
  hops[1].status_text_len = 2;
  hops[1].headers = corsim_headers_data(h2, &hops[1].header_count);

  for (n = 1; !done && n < MAX_N; n++) {
    tu_counter c = {0};
    corsim_allocator a;
    corsim_request *req = NULL;
    corsim_result *res = NULL;
    int rc;
    c.fail_at = n;
    a = tu_counting_allocator(&c);
    rc = corsim_request_new(&req, &a);
    if (!rc)
      rc = corsim_request_set_url(req, L(API));
    if (!rc)
      rc = corsim_request_set_origin(req, L(APP));
    if (!rc)
      rc = corsim_result_new(&res, &a);
    if (!rc) {
      rc = corsim_fetch(res, spec(), req, NULL, hops, 2, NULL, 0);
      if (rc) {
        ck_assert_int_eq(rc, CORSIM_ERR_NOMEM);
        ck_assert_ok(corsim_fetch(res, spec(), req, NULL, hops, 2, NULL, 0));
      } else {
        done = 1;
      }
      ck_assert_int_eq(corsim_result_type(res), CORSIM_TYPE_CORS);
      ck_assert_int_eq(corsim_result_redirected(res), 1);
      ck_assert_bytes(corsim_result_url(res).ptr, corsim_result_url(res).len,
                      L("https://cdn.example/a/c?x"));
    } else {
      ck_assert_int_eq(rc, CORSIM_ERR_NOMEM);
    }
    corsim_result_free(res);
    corsim_request_free(req);
    ck_assert_uint_eq(c.live, 0);
  }
  ck_assert(done);
  corsim_headers_free(h1);
  corsim_headers_free(h2);
}
END_TEST

/* ------------------------------------------------------------------------
 * Profiles
 * ------------------------------------------------------------------------ */

static char *read_file(const char *name, size_t *len) {
  const char *dir = getenv("CORSIM_PROFILE_TESTS");
  char path[1024];
  FILE *f;
  char *buf;
  long n;
  snprintf(path, sizeof path, "%s/%s", dir ? dir : "tests/profiles", name);
  f = fopen(path, "rb");
  ck_assert_msg(f != NULL, "cannot open %s", path);
  fseek(f, 0, SEEK_END);
  n = ftell(f);
  fseek(f, 0, SEEK_SET);
  buf = malloc((size_t)n + 1);
  ck_assert_uint_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
  fclose(f);
  *len = (size_t)n;
  return buf;
}

/* The whole compiled-in database, with corsim's allocator failing. */
START_TEST(test_load_builtin) {
  size_t n, want_browsers;
  int done = 0;
  corsim_db *ref = NULL;
  ck_assert_ok(corsim_db_load_builtin(&ref, NULL, NULL));
  want_browsers = corsim_db_browser_count(ref);
  corsim_db_free(ref);
  for (n = 1; !done && n < MAX_N; n++) {
    tu_counter c = {0};
    corsim_allocator a;
    corsim_db *db = NULL;
    int rc;
    c.fail_at = n;
    a = tu_counting_allocator(&c);
    rc = corsim_db_load_builtin(&db, &a, NULL);
    if (rc) {
      ck_assert_int_eq(rc, CORSIM_ERR_NOMEM);
      ck_assert_ptr_null(db);
    } else {
      done = 1;
      ck_assert_uint_eq(corsim_db_browser_count(db), want_browsers);
    }
    corsim_db_free(db);
    ck_assert_uint_eq(c.live, 0);
  }
  ck_assert(done);
}
END_TEST

/* Diagnostics are best effort: a failing allocation drops an entry but
 * never changes the outcome or leaks. */
START_TEST(test_diagnostics) {
  size_t len, n, want;
  char *doc = read_file("invalid/set-before-releases.xml", &len);
  int done = 0;
  corsim_diagnostics *ref = NULL;
  corsim_db *db = NULL;
  ck_assert_ok(corsim_diagnostics_new(&ref, NULL));
  ck_assert_int_eq(corsim_db_load_memory(&db, doc, len, "x.xml", NULL, ref),
                   CORSIM_ERR_BAD_PROFILES);
  want = corsim_diagnostics_count(ref);
  ck_assert_uint_gt(want, 0);
  corsim_diagnostics_free(ref);
  for (n = 1; !done && n < MAX_N; n++) {
    tu_counter c = {0};
    corsim_allocator a;
    corsim_diagnostics *d = NULL;
    int rc;
    c.fail_at = n;
    a = tu_counting_allocator(&c);
    rc = corsim_diagnostics_new(&d, &a);
    if (rc) {
      ck_assert_int_eq(rc, CORSIM_ERR_NOMEM);
    } else {
      ck_assert_int_eq(corsim_db_load_memory(&db, doc, len, "x.xml", &a, d),
                       CORSIM_ERR_BAD_PROFILES);
      ck_assert_ptr_null(db);
      if (c.allocs < n)
        done = 1; /* nothing failed */
      if (done)
        ck_assert_uint_eq(corsim_diagnostics_count(d), want);
      else
        ck_assert_uint_ge(corsim_diagnostics_count(d), want - 1);
    }
    corsim_diagnostics_free(d);
    ck_assert_uint_eq(c.live, 0);
  }
  ck_assert(done);
  free(doc);
}
END_TEST

#if LIBXML_VERSION >= 21200
/* Only with libxml2 2.12 or later: older releases (Debian 12 has 2.9.14)
 * do not survive allocation failures themselves -- xmlRelaxNGParse()
 * corrupts its heap after a failed allocation -- so there is nothing for
 * corsim to handle. */
/* libxml2's own allocations fail (xmlMemSetup()): the load reports
 * CORSIM_ERR_NOMEM, or -- where libxml2 turns the failure into a parse or
 * schema error -- CORSIM_ERR_BAD_PROFILES with a diagnostic; never a
 * crash, a leak (of corsim's memory), or a database. */
static size_t xml_allocs, xml_fail_at;
static int xml_failed;

static int xml_should_fail(void) {
  if (++xml_allocs == xml_fail_at) {
    xml_failed = 1;
    return 1;
  }
  return 0;
}
static void *xml_malloc(size_t n) { return xml_should_fail() ? NULL : malloc(n); }
static void *xml_realloc(void *p, size_t n) {
  return xml_should_fail() ? NULL : realloc(p, n);
}
static char *xml_strdup(const char *s) {
  return xml_should_fail() ? NULL : strdup(s);
}

START_TEST(test_libxml2_allocations) {
  size_t len, n;
  char *doc = read_file("minimal.xml", &len);
  int done = 0, nomem = 0;
  xmlFreeFunc f0;
  xmlMallocFunc m0;
  xmlReallocFunc r0;
  xmlStrdupFunc s0;
  xmlInitParser();
  ck_assert_int_eq(xmlMemGet(&f0, &m0, &r0, &s0), 0);
  ck_assert_int_eq(xmlMemSetup(free, xml_malloc, xml_realloc, xml_strdup), 0);
  for (n = 1; !done && n < MAX_N; n++) {
    tu_counter c = {0};
    corsim_allocator a = tu_counting_allocator(&c);
    corsim_diagnostics *d = NULL;
    corsim_db *db = NULL;
    int rc;
    ck_assert_ok(corsim_diagnostics_new(&d, NULL));
    xml_allocs = 0;
    xml_failed = 0;
    xml_fail_at = n;
    rc = corsim_db_load_memory(&db, doc, len, "minimal.xml", &a, d);
    xml_fail_at = 0;
    if (!xml_failed) {
      ck_assert_ok(rc);
      done = 1;
    } else if (rc == 0) {
      /* libxml2 recovered (a failure in a cache or an optional step) */
      ck_assert_ptr_nonnull(db);
    } else {
      ck_assert_msg(rc == CORSIM_ERR_NOMEM || rc == CORSIM_ERR_BAD_PROFILES,
                    "N=%zu: %s", n, corsim_error_name(rc));
      ck_assert_ptr_null(db);
      if (rc == CORSIM_ERR_NOMEM)
        nomem++;
      else
        ck_assert_uint_gt(corsim_diagnostics_count(d), 0);
    }
    corsim_db_free(db);
    corsim_diagnostics_free(d);
    ck_assert_uint_eq(c.live, 0);
  }
  xmlMemSetup(f0, m0, r0, s0);
  ck_assert(done);
  ck_assert_int_gt(nomem, 0);
  free(doc);
}
END_TEST
#endif

/* ------------------------------------------------------------------------
 * corsim_filter() with a long expose list, over several profiles
 * ------------------------------------------------------------------------ */

START_TEST(test_filter_profiles) {
  static const char *const names[] = {"chrome/75", "firefox/68", "safari",
                                      "nodejs", "ie"};
  const corsim_profile *p = profile(names[_i]);
  corsim_head *h = NULL;
  corsim_request *req;
  size_t n, want_js;
  int done = 0;
  corsim_result *ref = NULL;

  ck_assert_ok(corsim_head_new(&h, NULL));
  ck_assert_ok(corsim_head_parse(h, p, L(final), NULL));
  req = tu_request(APP, API, CORSIM_MODE_CORS, CORSIM_CREDENTIALS_INCLUDE);
  ck_assert_ok(corsim_result_new(&ref, NULL));
  ck_assert_ok(corsim_filter_head(ref, p, req, h));
  corsim_result_js_headers(ref, &want_js);
  corsim_result_free(ref);
  for (n = 1; !done && n < MAX_N; n++) {
    tu_counter c = {0};
    corsim_allocator a;
    corsim_result *res = NULL;
    size_t js;
    int rc;
    c.fail_at = n;
    a = tu_counting_allocator(&c);
    rc = corsim_result_new(&res, &a);
    if (!rc) {
      rc = corsim_filter_head(res, p, req, h);
      if (rc) {
        ck_assert_int_eq(rc, CORSIM_ERR_NOMEM);
        ck_assert_int_eq(corsim_result_type(res), CORSIM_TYPE_ERROR);
        ck_assert_ok(corsim_filter_head(res, p, req, h));
      } else {
        done = 1;
      }
      corsim_result_js_headers(res, &js);
      ck_assert_uint_eq(js, want_js);
    } else {
      ck_assert_int_eq(rc, CORSIM_ERR_NOMEM);
    }
    corsim_result_free(res);
    ck_assert_uint_eq(c.live, 0);
  }
  ck_assert(done);
  corsim_request_free(req);
  corsim_head_free(h);
}
END_TEST

static void teardown(void) {
  corsim_db_free(builtin);
  builtin = NULL;
}

static Suite *suite(void) {
  Suite *s = suite_create("nomem");
  TCase *tc = tcase_create("nomem");
  tcase_set_timeout(tc, 600);
  tcase_add_unchecked_fixture(tc, NULL, teardown);
  tcase_add_loop_test(tc, test_head_parse, 0, 5);
  tcase_add_test(tc, test_request);
  tcase_add_loop_test(tc, test_fetch_chain_with_preflight_cache, 0, 3);
  tcase_add_test(tc, test_preflight_cache_updates);
  tcase_add_test(tc, test_fetch_plain_responses);
  tcase_add_loop_test(tc, test_filter_profiles, 0, 5);
  tcase_add_test(tc, test_diagnostics);
#if LIBXML_VERSION >= 21200
  tcase_add_test(tc, test_libxml2_allocations);
#endif
  tcase_add_test(tc, test_load_builtin);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) { return tu_run(suite()); }
