/*
 * check_guard.c -- guard-page tests for every function that reads bytes
 * given as (pointer, length): each input, and every prefix of it, is
 * copied so that it ends exactly where an unmapped page begins, so a read
 * of even one byte past the end crashes (SIGSEGV), with or without
 * sanitizers.  Covered: the raw-head parser under many wire profiles, the
 * list parsers, header validation, URLs and origins, request setters,
 * enum names, profile lookups, the XML loader, and filtering, preflight
 * and redirects with every header name and value guarded.
 */
#define _DEFAULT_SOURCE
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "internal.h"
#include "testutil.h"

/* ------------------------------------------------------------------------
 * Guarded copies
 * ------------------------------------------------------------------------ */

#define REGION_PAGES 16 /* data pages per region; one guard page follows */
#define NREGIONS 32

static char *regions[NREGIONS];
static size_t page, region_bytes;
static int next_region;

static void guard_setup(void) {
  int i;
  page = (size_t)sysconf(_SC_PAGESIZE);
  region_bytes = REGION_PAGES * page;
  for (i = 0; i < NREGIONS; i++) {
    char *m = mmap(NULL, region_bytes + page, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    ck_assert_ptr_ne(m, MAP_FAILED);
    ck_assert_int_eq(mprotect(m + region_bytes, page, PROT_NONE), 0);
    regions[i] = m;
  }
}

static void guard_teardown(void) {
  int i;
  for (i = 0; i < NREGIONS; i++)
    if (regions[i])
      munmap(regions[i], region_bytes + page);
}

/* A copy of p[0..n) that ends where the guard page begins.  The copy lives
 * until NREGIONS more copies have been made. */
static const char *guarded(const char *p, size_t n) {
  char *r = regions[next_region++ % NREGIONS];
  ck_assert_uint_le(n, region_bytes);
  memcpy(r + region_bytes - n, p, n);
  return r + region_bytes - n;
}

/* An empty guarded view points right at the guard page. */
START_TEST(test_guard_works) {
  const char *g = guarded("abc", 3);
  ck_assert_int_eq(g[2], 'c');
  ck_assert_ptr_eq(g + 3, regions[(next_region - 1) % NREGIONS] +
                              region_bytes);
}
END_TEST

/* ------------------------------------------------------------------------
 * Raw heads
 * ------------------------------------------------------------------------ */

typedef struct bytes {
  const char *p;
  size_t n;
} bytes;
#define B(s) {s, sizeof(s) - 1}

static const bytes heads[] = {
    B("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
    "Access-Control-Allow-Origin: *\r\n\r\nbody"),
    B("HTTP/1.1 200 OK\nA: 1\n\n"),
    B("HTTP/1.0 404\r\n"),
    B("HTTP/2 204 \r\nX: \r\n"),
    B("\r\n\r\nHTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\n"
    "Link: </a>\r\n\r\nHTTP/1.1 302 Found\r\nLocation: /b\r\n\r\n"),
    B("HTTP/1.1 200 OK\rX: bare\rY: cr\r\r\n"),
    B("HTTP/1.1 200 OK\r\nX: a\r\n folded\r\n\tmore\r\n\r\n"),
    B("HTTP/1.1 200 OK\r\n leading-fold\r\nX : space\r\nY\t:tab\r\n"
    "no colon here\r\nbad name: 1\r\n: empty\r\n"),
    B("HTTP/1.1 200 O\0K\r\nX: a\0b\r\nZ\0: c\r\nN: \x80\xff\r\n"),
    B("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n"
    "Location: /a\r\nLocation: /b\r\nContent-Disposition: a\r\n"
    "Content-Disposition: b\r\n\r\n"),
    B("HTTP/1.1 999 \xff\r\nX:"),
    B("HTTP/1.1 200 OK\r\nX:\r"),
    B("HTTP/1.1 200 OK\r\nX: v\r\r"),
    B("HTTP/1.1 200 OK\r\nX: v\r\n "),
    B("HTTP/1.1 101 Switching Protocols\r\nUpgrade: x\r\n\r\n"),
    B("HTTP/11 200 OK\r\n"),
    B("HTTP/1.1 20"),
    B("HTTP/"),
};

/* Wire profiles: the spec, every release in the built-in database (they
 * cover the engines' choices), and for each enum wire behaviour each of
 * its values on top of the spec. */
static corsim_profile variants[256];
static size_t nvariants;
static corsim_db *db;

static void setup_variants(void) {
  size_t i, j, nb;
  int b, v;
  nvariants = 0;
  variants[nvariants++] = *corsim_profile_spec();
  ck_assert_ok(corsim_db_load_builtin(&db, NULL, NULL));
  nb = corsim_db_browser_count(db);
  for (i = 0; i < nb; i++) {
    corsim_browser_info bi;
    corsim_release_info ri;
    ck_assert_ok(corsim_db_browser(db, i, &bi));
    /* the first and the last release of each browser */
    for (j = 0; j < bi.release_count && nvariants < 200;
         j += bi.release_count > 1 ? bi.release_count - 1 : 1) {
      ck_assert_ok(corsim_db_release(db, i, j, &ri));
      variants[nvariants++] = *ri.profile;
    }
  }
  for (b = 0; b < CORSIM__B_COUNT; b++) {
    const corsim__behaviour_info *bi = &corsim__behaviours[b];
    int n = 1;
    const char *s;
    if (strncmp(bi->id, "wire.", 5) != 0)
      continue;
    if (bi->type == CORSIM__BT_INT) {
      variants[nvariants] = *corsim_profile_spec();
      variants[nvariants++].v[b] = 16;
      continue;
    }
    for (s = bi->values; s && *s; s++)
      n += *s == ' ';
    for (v = 0; v < n && nvariants < N_ELEMS(variants); v++) {
      variants[nvariants] = *corsim_profile_spec();
      variants[nvariants++].v[b] = v;
    }
  }
}

static void teardown_variants(void) {
  corsim_db_free(db);
  db = NULL;
}

START_TEST(test_head_parse_every_prefix) {
  const char *text = heads[_i].p;
  size_t len = heads[_i].n, k, v;
  corsim_head *h = NULL;
  corsim_result *res = NULL;
  corsim_request *req =
      tu_request("https://app.example", "https://api.example/x",
                 CORSIM_MODE_CORS, CORSIM_CREDENTIALS_OMIT);
  ck_assert_ok(corsim_head_new(&h, NULL));
  ck_assert_ok(corsim_result_new(&res, NULL));
  for (v = 0; v < nvariants; v++)
    for (k = 0; k <= len; k++) {
      const char *g = guarded(text, k);
      size_t consumed = 0;
      int rc = corsim_head_parse(h, &variants[v], g, k, &consumed);
      if (rc == 0) {
        ck_assert_uint_le(consumed, k);
        ck_assert_ok(corsim_filter_head(res, &variants[v], req, h));
      } else {
        ck_assert_int_eq(rc, CORSIM_ERR_BAD_RESPONSE);
      }
    }
  corsim_result_free(res);
  corsim_head_free(h);
  corsim_request_free(req);
}
END_TEST

/* ------------------------------------------------------------------------
 * Lists and header bytes
 * ------------------------------------------------------------------------ */

static const char *const values[] = {
    "X-A, X-B ,\tX-C,,*",
    " a, \"b,\\\"c\", d\\",
    "\"unterminated, x",
    "\"esc\\",
    "GET, PUT,\t, PATCH ,",
    "  \t ",
    ",",
    "x",
    "bad item, ok",
};

START_TEST(test_lists_every_prefix) {
  const char *text = values[_i];
  size_t len = strlen(text), k;
  for (k = 0; k <= len; k++) {
    const char *g = guarded(text, k), *np = g;
    corsim_str items[32], bad;
    size_t count = 0, n = 0, nl = k;
    ck_assert_int_ne(corsim_split_value(g, k, items, 32, &count),
                     CORSIM_ERR_INVALID_ARGUMENT);
    ck_assert_int_ne(corsim_split_value(g, k, items, 1, &count),
                     CORSIM_ERR_INVALID_ARGUMENT);
    corsim__parse_token_list(g, k, CORSIM__LIST_STRICT, items, &n, &bad);
    n = 0;
    corsim__parse_token_list(g, k, CORSIM__LIST_DROP_INVALID, items, &n,
                             &bad);
    corsim__list_has_star(items, n);
    corsim_is_header_name(g, k);
    corsim_is_header_value(g, k);
    corsim__is_token(g, k);
    ck_assert_ok(corsim_normalize_value(&np, &nl));
    corsim__is_safelisted_response_name(g, k, 1);
    corsim__is_forbidden_response_name(g, k);
  }
}
END_TEST

/* Header lists: append, combine, get, get-decode-split, contains, delete
 * with names and values at the guard. */
START_TEST(test_header_list_guarded) {
  static const char *const names[] = {"X-A", "x-a", "Set-Cookie", "A"};
  corsim_headers *h = NULL, *out = NULL;
  size_t i, k, vl;
  char buf[256];
  corsim_str items[16];
  size_t count;
  ck_assert_ok(corsim_headers_new(&h, NULL));
  ck_assert_ok(corsim_headers_new(&out, NULL));
  for (i = 0; i < N_ELEMS(values); i++)
    for (k = 0; k < N_ELEMS(names); k++) {
      const char *n = guarded(names[k], strlen(names[k]));
      const char *v = guarded(values[i], strlen(values[i]));
      corsim_headers_append(h, n, strlen(names[k]), v, strlen(values[i]),
                            CORSIM_HEADER_NORMALIZE |
                                CORSIM_HEADER_LENIENT_VALUE);
      corsim_headers_combine(h, n, strlen(names[k]), v, strlen(values[i]),
                             CORSIM_HEADER_LENIENT_VALUE);
      corsim_headers_contains(h, n, strlen(names[k]));
      corsim_headers_get(h, n, strlen(names[k]), buf, sizeof buf, &vl);
      corsim_headers_get_decode_split(h, n, strlen(names[k]), buf, sizeof buf,
                                      &vl, items, 16, &count);
    }
  ck_assert_ok(corsim_headers_sort_and_combine(h, out));
  for (k = 0; k < N_ELEMS(names); k++)
    corsim_headers_delete(h, guarded(names[k], strlen(names[k])),
                          strlen(names[k]));
  corsim_headers_free(h);
  corsim_headers_free(out);
}
END_TEST

/* ------------------------------------------------------------------------
 * URLs, origins, requests, names
 * ------------------------------------------------------------------------ */

static const char *const urls[] = {
    "https://user:pass@API.Example:8443/a/./b/../c?q=1#frag",
    "http://[::ffff:127.0.0.1]:80/",
    "http://0x7f.1/%2e%2E/x",
    "blob:https://app.example/550e8400-e29b",
    "data:text/plain,hello",
    "https://app.example",
    "null",
    "HTTPS://a.b:",
    "file:///etc/passwd",
    "https://%41.example/",
    "http://1.2.3.4.5/",
    "ws://h/\t\n",
};

START_TEST(test_urls_every_prefix) {
  const char *text = urls[_i];
  size_t len = strlen(text), k, j, ol;
  char buf[512];
  int same;
  corsim_request *req = NULL;
  corsim_mode m;
  corsim_credentials c;
  corsim_redirect r;
  ck_assert_ok(corsim_request_new(&req, NULL));
  for (k = 0; k <= len; k++) {
    const char *g = guarded(text, k);
    corsim_url_origin(g, k, buf, sizeof buf, &ol);
    for (j = 0; j < N_ELEMS(urls); j++)
      corsim_same_origin(g, k, guarded(urls[j], strlen(urls[j])),
                         strlen(urls[j]), &same);
    corsim_request_set_url(req, g, k);
    corsim_request_set_origin(req, g, k);
    corsim_request_set_method(req, g, k);
    corsim_mode_from_string(g, k, &m);
    corsim_credentials_from_string(g, k, &c);
    corsim_redirect_from_string(g, k, &r);
  }
  corsim_request_free(req);
}
END_TEST

START_TEST(test_profile_names_guarded) {
  static const char *const names[] = {"spec",      "chrome",  "chrome/65",
                                      "chrome/65.0.3325",     "chrom",
                                      "firefox-esr/153",      "x/",
                                      "/",         "aceh.wildcard",
                                      "wire.max_head_bytes"};
  size_t i, k;
  char hint[256];
  for (i = 0; i < N_ELEMS(names); i++) {
    size_t len = strlen(names[i]);
    for (k = 0; k <= len; k++) {
      const char *g = guarded(names[i], k);
      const corsim_profile *p;
      corsim_lookup li;
      corsim_str t;
      long n;
      corsim_db_find(db, g, k, &p, &li);
      corsim_db_suggest(db, g, k, hint, sizeof hint);
      corsim_profile_builtin(g, k, &p);
      corsim_profile_behaviour(corsim_profile_spec(), g, k, &t, &n);
    }
  }
}
END_TEST

/* The XML loader on a document, and every prefix of it, at the guard. */
START_TEST(test_xml_guarded) {
  const char *dir = getenv("CORSIM_PROFILE_TESTS");
  char path[1024];
  FILE *f;
  char *doc;
  long n;
  size_t k, step;
  snprintf(path, sizeof path, "%s/minimal.xml", dir ? dir : "tests/profiles");
  f = fopen(path, "rb");
  ck_assert_ptr_nonnull(f);
  fseek(f, 0, SEEK_END);
  n = ftell(f);
  fseek(f, 0, SEEK_SET);
  doc = malloc((size_t)n);
  ck_assert_uint_eq(fread(doc, 1, (size_t)n, f), (size_t)n);
  fclose(f);
  /* every prefix near the start and the end, and a sample in between */
  step = (size_t)n / 97 + 1;
  for (k = 0; k <= (size_t)n; k += (k < 64 || k + 64 > (size_t)n) ? 1 : step) {
    corsim_db *d = NULL;
    int rc = corsim_db_load_memory(&d, guarded(doc, k), k, "g.xml", NULL,
                                   NULL);
    ck_assert(rc == 0 || rc == CORSIM_ERR_BAD_PROFILES);
    ck_assert_int_eq(rc == 0, k == (size_t)n || d != NULL);
    corsim_db_free(d);
  }
  free(doc);
}
END_TEST

/* ------------------------------------------------------------------------
 * Filtering, preflight and redirects with guarded headers
 * ------------------------------------------------------------------------ */

/* A response whose every name, value and status text is a guarded copy. */
typedef struct gresp {
  corsim_header h[16];
  corsim_response r;
} gresp;

static void make_gresp(gresp *g, int status, const char *text,
                       const char *const *pairs) {
  size_t n = 0;
  g->r.status = status;
  g->r.status_text = guarded(text, strlen(text));
  g->r.status_text_len = strlen(text);
  for (; pairs[0]; pairs += 2, n++) {
    g->h[n].name = guarded(pairs[0], strlen(pairs[0]));
    g->h[n].name_len = strlen(pairs[0]);
    g->h[n].value = guarded(pairs[1], strlen(pairs[1]));
    g->h[n].value_len = strlen(pairs[1]);
  }
  g->r.headers = g->h;
  g->r.header_count = n;
}

START_TEST(test_filter_guarded) {
  static const char *const acao[] = {"https://app.example", "*", "null",
                                     "https://app.example/", "", " * "};
  static const char *const aceh[] = {"X-A, X-B", "*", "X-A,", "bad item",
                                     "", "\"q\""};
  static const char *const acac[] = {"true", "TRUE", "", "true "};
  size_t i, j, k, v;
  corsim_result *res = NULL;
  corsim_request *req[2];
  req[0] = tu_request("https://app.example", "https://api.example/x",
                      CORSIM_MODE_CORS, CORSIM_CREDENTIALS_INCLUDE);
  req[1] = tu_request("https://app.example", "https://api.example/x",
                      CORSIM_MODE_CORS, CORSIM_CREDENTIALS_OMIT);
  ck_assert_ok(corsim_result_new(&res, NULL));
  for (i = 0; i < N_ELEMS(acao); i++)
    for (j = 0; j < N_ELEMS(aceh); j++)
      for (k = 0; k < N_ELEMS(acac); k++) {
        const char *pairs[] = {"Access-Control-Allow-Origin", acao[i],
                               "Access-Control-Expose-Headers", aceh[j],
                               "Access-Control-Allow-Credentials", acac[k],
                               "X-A", "1", "Content-Length", "5",
                               "Set-Cookie", "a=b", NULL, NULL};
        gresp g;
        make_gresp(&g, 200, "OK", pairs);
        for (v = 0; v < nvariants; v += 7) {
          ck_assert_ok(corsim_filter(res, &variants[v], req[0], &g.r));
          ck_assert_ok(corsim_filter(res, &variants[v], req[1], &g.r));
          (void)strlen(corsim_result_message(res));
        }
      }
  corsim_result_free(res);
  corsim_request_free(req[0]);
  corsim_request_free(req[1]);
}
END_TEST

START_TEST(test_preflight_and_redirect_guarded) {
  static const char *const acam[] = {"PUT", "*", "put, PATCH", "GET,", "x y",
                                     ""};
  static const char *const acah[] = {"X-Trace", "*", "x-trace, authorization",
                                     "", "a b"};
  static const char *const age[] = {"600", "-1", "", "99999999999999999999",
                                    "5s", "0"};
  static const char *const loc[] = {"/next", "https://cdn.example/y",
                                    "//cdn.example", "ftp://x/", "",
                                    "https://u:p@h/", "\t/x"};
  size_t i, j, k;
  corsim_result *res = NULL;
  corsim_cache *cache = NULL;
  corsim_request *req = tu_request("https://app.example",
                                   "https://api.example/x", CORSIM_MODE_CORS,
                                   CORSIM_CREDENTIALS_OMIT);
  corsim_preflight_state st;
  ck_assert_ok(corsim_request_set_method(req, L("PUT")));
  ck_assert_ok(corsim_headers_append(corsim_request_headers(req),
                                     L("X-Trace"), L("1"), 0));
  ck_assert_ok(corsim_result_new(&res, NULL));
  ck_assert_ok(corsim_cache_new(&cache, NULL, 8));
  for (i = 0; i < N_ELEMS(acam); i++)
    for (j = 0; j < N_ELEMS(acah); j++)
      for (k = 0; k < N_ELEMS(age); k++) {
        const char *pairs[] = {"Access-Control-Allow-Origin", "*",
                               "Access-Control-Allow-Methods", acam[i],
                               "Access-Control-Allow-Headers", acah[j],
                               "Access-Control-Max-Age", age[k], NULL, NULL};
        gresp g;
        make_gresp(&g, 204, "No Content", pairs);
        corsim_cache_clear(cache);
        ck_assert_ok(corsim_preflight(res, corsim_profile_spec(), req, &g.r,
                                      cache, 0, &st));
      }
  for (i = 0; i < N_ELEMS(loc); i++) {
    const char *p1[] = {"Location", loc[i], "Access-Control-Allow-Origin",
                        "*", NULL, NULL};
    const char *p2[] = {"Access-Control-Allow-Origin", "*", NULL, NULL};
    gresp hops[2];
    corsim_response r[2];
    make_gresp(&hops[0], 302, "Found", p1);
    make_gresp(&hops[1], 200, "OK", p2);
    r[0] = hops[0].r;
    r[1] = hops[1].r;
    ck_assert_ok(corsim_fetch(res, corsim_profile_spec(), req, NULL, r, 2,
                              NULL, 0));
  }
  corsim_cache_free(cache);
  corsim_result_free(res);
  corsim_request_free(req);
}
END_TEST

static Suite *suite(void) {
  Suite *s = suite_create("guard");
  TCase *tc = tcase_create("guard");
  tcase_set_timeout(tc, 300);
  tcase_add_unchecked_fixture(tc, guard_setup, guard_teardown);
  tcase_add_checked_fixture(tc, setup_variants, teardown_variants);
  tcase_add_test(tc, test_guard_works);
  tcase_add_loop_test(tc, test_head_parse_every_prefix, 0, N_ELEMS(heads));
  tcase_add_loop_test(tc, test_lists_every_prefix, 0, N_ELEMS(values));
  tcase_add_test(tc, test_header_list_guarded);
  tcase_add_loop_test(tc, test_urls_every_prefix, 0, N_ELEMS(urls));
  tcase_add_test(tc, test_profile_names_guarded);
  tcase_add_test(tc, test_xml_guarded);
  tcase_add_test(tc, test_filter_guarded);
  tcase_add_test(tc, test_preflight_and_redirect_guarded);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) { return tu_run(suite()); }
