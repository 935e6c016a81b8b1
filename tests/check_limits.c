/*
 * check_limits.c -- hostile sizes: time stays linear in the input and
 * memory bounded.
 *
 * Linear time is checked as a ratio measured in the same process, never
 * as an absolute time: the same total amount of input is processed once
 * as one big response (100,000 headers, or a 100,000-element list) and
 * as 100 responses of 1,000; a linear (or n log n) implementation takes
 * about as long either way, a quadratic one 100 times longer.  The best of
 * three runs is used to keep scheduler noise out, and the ratio must stay
 * under RATIO_MAX, which allows cache effects and log factors but not
 * quadratic growth.
 */
#define _POSIX_C_SOURCE 200809L
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "testutil.h"

#define BIG 100000
#define SMALL 1000
#define RATIO_MAX 8.0

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

typedef void (*work_fn)(size_t n, void *ctx);

/* Seconds for `reps` runs of fn(n), best of three. */
static double timed(work_fn fn, size_t n, size_t reps, void *ctx) {
  double best = 1e30;
  int t;
  for (t = 0; t < 3; t++) {
    double t0 = now(), dt;
    size_t r;
    for (r = 0; r < reps; r++)
      fn(n, ctx);
    dt = now() - t0;
    if (dt < best)
      best = dt;
  }
  return best;
}

static void assert_linear(const char *what, work_fn fn, void *ctx) {
  double small, big, ratio;
  fn(SMALL, ctx); /* warm up: buffers grown, pages touched */
  small = timed(fn, SMALL, BIG / SMALL, ctx);
  big = timed(fn, BIG, 1, ctx);
  ratio = big / (small > 1e-9 ? small : 1e-9);
  fprintf(stderr, "%s: %d x %d: %.4fs, 1 x %d: %.4fs, ratio %.2f\n", what,
          BIG / SMALL, SMALL, small, BIG, big, ratio);
  ck_assert_msg(ratio < RATIO_MAX,
                "%s: %d items took %.1f times as long as %d runs of %d "
                "(%.4fs vs %.4fs): not linear",
                what, BIG, ratio, BIG / SMALL, SMALL, big, small);
}

/* ------------------------------------------------------------------------
 * Workloads
 * ------------------------------------------------------------------------ */

typedef struct ctx {
  char *text;  /* a raw head built for n */
  size_t len, built_for;
  int kind;
  corsim_head *head;
  corsim_result *res;
  corsim_request *req;
  corsim_headers *h, *out;
  const corsim_profile *profile;
} ctx;

/* A raw head with n headers (kind 0: distinct names, exposed; kind 1: one
 * name repeated; kind 2: one ACEH with n items). */
static void build(ctx *c, size_t n) {
  size_t cap = 256 + n * 48, off = 0, i;
  if (c->built_for == n)
    return;
  free(c->text);
  c->text = malloc(cap);
  off += (size_t)snprintf(c->text + off, cap - off,
                          "HTTP/1.1 200 OK\r\n"
                          "Access-Control-Allow-Origin: *\r\n");
  if (c->kind == 2) {
    off += (size_t)snprintf(c->text + off, cap - off,
                            "Access-Control-Expose-Headers: ");
    for (i = 0; i < n; i++)
      off += (size_t)snprintf(c->text + off, cap - off, "%sx-h%zu",
                              i ? ", " : "", i);
    off += (size_t)snprintf(c->text + off, cap - off, "\r\nX-H7: 1\r\n");
  } else {
    off += (size_t)snprintf(c->text + off, cap - off,
                            "Access-Control-Expose-Headers: *\r\n");
    for (i = 0; i < n; i++)
      off += c->kind == 0
                 ? (size_t)snprintf(c->text + off, cap - off,
                                    "X-H%zu: v%zu\r\n", i, i)
                 : (size_t)snprintf(c->text + off, cap - off,
                                    "X-Same: v%zu\r\n", i);
  }
  off += (size_t)snprintf(c->text + off, cap - off, "\r\n");
  ck_assert_uint_lt(off, cap);
  c->len = off;
  c->built_for = n;
}

/* Parse the raw head and filter it. */
static void parse_and_filter(size_t n, void *vc) {
  ctx *c = vc;
  build(c, n);
  ck_assert_ok(corsim_head_parse(c->head, c->profile, c->text, c->len, NULL));
  ck_assert_ok(corsim_filter_head(c->res, c->profile, c->req, c->head));
  ck_assert_int_eq(corsim_result_type(c->res), CORSIM_TYPE_CORS);
}

static void setup_ctx(ctx *c, int kind, const corsim_profile *p) {
  memset(c, 0, sizeof *c);
  c->kind = kind;
  c->profile = p;
  ck_assert_ok(corsim_head_new(&c->head, NULL));
  ck_assert_ok(corsim_result_new(&c->res, NULL));
  ck_assert_ok(corsim_headers_new(&c->h, NULL));
  ck_assert_ok(corsim_headers_new(&c->out, NULL));
  c->req = tu_request("https://app.example", "https://api.example/x",
                      CORSIM_MODE_CORS, CORSIM_CREDENTIALS_OMIT);
}

static void free_ctx(ctx *c) {
  free(c->text);
  corsim_head_free(c->head);
  corsim_result_free(c->res);
  corsim_headers_free(c->h);
  corsim_headers_free(c->out);
  corsim_request_free(c->req);
}

START_TEST(test_linear_headers_distinct) {
  ctx c;
  setup_ctx(&c, 0, corsim_profile_spec());
  parse_and_filter(BIG, &c);
  ck_assert_uint_eq(corsim_head_response(c.head)->header_count, BIG + 2);
  assert_linear("100,000 distinct headers: parse + filter", parse_and_filter,
                &c);
  free_ctx(&c);
}
END_TEST

START_TEST(test_linear_headers_same_name) {
  ctx c;
  size_t n;
  setup_ctx(&c, 1, corsim_profile_spec());
  parse_and_filter(BIG, &c);
  corsim_result_js_headers(c.res, &n);
  ck_assert_uint_eq(n, 3); /* combined into one x-same, plus ACAO, ACEH */
  assert_linear("100,000 headers of one name: parse + filter",
                parse_and_filter, &c);
  free_ctx(&c);
}
END_TEST

START_TEST(test_linear_expose_list) {
  ctx c;
  const corsim_str *names;
  size_t n;
  setup_ctx(&c, 2, corsim_profile_spec());
  parse_and_filter(BIG, &c);
  ck_assert_int_eq(corsim_result_expose_state(c.res, &names, &n),
                   CORSIM_EXPOSE_LIST);
  ck_assert_uint_eq(n, BIG);
  assert_linear("a 100,000-element expose list: parse + filter",
                parse_and_filter, &c);
  free_ctx(&c);
}
END_TEST

/* Building a header list and sort-and-combine (what script sees). */
static void list_ops(size_t n, void *vc) {
  ctx *c = vc;
  size_t i, vl;
  char name[32];
  corsim_headers_clear(c->h);
  for (i = 0; i < n; i++) {
    int len = snprintf(name, sizeof name, "X-%zu", (i * 7919) % n);
    ck_assert_ok(corsim_headers_append(c->h, name, (size_t)len, "v", 1, 0));
  }
  ck_assert_ok(corsim_headers_sort_and_combine(c->h, c->out));
  ck_assert(corsim_headers_contains(c->h, "x-0", 3));
  corsim_headers_get(c->h, "x-1", 3, NULL, 0, &vl);
}

START_TEST(test_linear_header_list) {
  ctx c;
  setup_ctx(&c, 0, corsim_profile_spec());
  assert_linear("100,000 appends + sort and combine", list_ops, &c);
  free_ctx(&c);
}
END_TEST

/* A preflight whose Access-Control-Allow-Headers lists n names, for a
 * request with n/10 unsafe headers. */
static void preflight_ops(size_t n, void *vc) {
  ctx *c = vc;
  size_t i, cap = 64 + n * 12, off = 0, nreq = n / 10;
  char *acah = malloc(cap), name[32];
  corsim_header hs[2];
  corsim_response r = {204, "No Content", 10, hs, 2};
  corsim_preflight_state st;
  if (c->built_for != n) {
    corsim_request_free(c->req);
    c->req = tu_request("https://app.example", "https://api.example/x",
                        CORSIM_MODE_CORS, CORSIM_CREDENTIALS_OMIT);
    for (i = 0; i < nreq; i++) {
      int len = snprintf(name, sizeof name, "X-R%zu", i);
      ck_assert_ok(corsim_headers_append(corsim_request_headers(c->req), name,
                                         (size_t)len, "1", 1, 0));
    }
    c->built_for = n;
  }
  for (i = 0; i < n; i++)
    off += (size_t)snprintf(acah + off, cap - off, "%sx-r%zu", i ? "," : "",
                            n - 1 - i);
  hs[0].name = "Access-Control-Allow-Origin";
  hs[0].name_len = 27;
  hs[0].value = "*";
  hs[0].value_len = 1;
  hs[1].name = "Access-Control-Allow-Headers";
  hs[1].name_len = 28;
  hs[1].value = acah;
  hs[1].value_len = off;
  ck_assert_ok(corsim_preflight(c->res, corsim_profile_spec(), c->req, &r,
                                NULL, 0, &st));
  ck_assert_int_eq(st, CORSIM_PREFLIGHT_PASSED);
  free(acah);
}

START_TEST(test_linear_preflight_lists) {
  ctx c;
  setup_ctx(&c, 0, corsim_profile_spec());
  assert_linear("preflight: 100,000 allowed headers, 10,000 requested",
                preflight_ops, &c);
  free_ctx(&c);
}
END_TEST

/* A profile with a head size limit refuses a huge head after reading at
 * most a bounded amount, quickly, and says why. */
START_TEST(test_engine_head_limit) {
  corsim_db *db = NULL;
  const corsim_profile *p;
  ctx c;
  unsigned long line;
  const char *why;
  ck_assert_ok(corsim_db_load_builtin(&db, NULL, NULL));
  ck_assert_ok(corsim_db_find(db, "chromium/156", 12, &p, NULL));
  setup_ctx(&c, 0, p);
  build(&c, BIG);
  ck_assert_ok(corsim_head_parse(c.head, p, c.text, c.len, NULL));
  ck_assert(corsim_head_rejected(c.head, &line, &why));
  ck_assert_ptr_nonnull(why);
  ck_assert_ok(corsim_filter_head(c.res, p, c.req, c.head));
  ck_assert_int_eq(corsim_result_reason(c.res), CORSIM_BLOCK_INVALID_RESPONSE);
  free_ctx(&c);
  corsim_db_free(db);
}
END_TEST


/* ------------------------------------------------------------------------
 * Configurable limits (corsim_limits, corsim_limits_default(3)): for each
 * limit, input just under it passes and input just over it gives the
 * documented error or behaviour.
 * ------------------------------------------------------------------------ */

/* The documented defaults (corsim_limits_default(3), corsim.h). */
static const struct {
  const char *field;
  size_t offset, value;
} default_rows[] = {
    {"head_max_headers", offsetof(corsim_limits, head_max_headers), 1048576},
    {"head_max_line", offsetof(corsim_limits, head_max_line), 268435456},
    {"head_max_bytes", offsetof(corsim_limits, head_max_bytes), 268435456},
    {"max_redirects", offsetof(corsim_limits, max_redirects), 20},
    {"xml_max_bytes", offsetof(corsim_limits, xml_max_bytes), 16777216},
    {"xml_max_depth", offsetof(corsim_limits, xml_max_depth), 64},
    {"xml_max_nodes", offsetof(corsim_limits, xml_max_nodes), 250000},
    {"max_cache_entries", offsetof(corsim_limits, max_cache_entries), 4096},
    {"list_max_items", offsetof(corsim_limits, list_max_items), 1048576},
};

static size_t *field_of(corsim_limits *l, size_t offset) {
  return (size_t *)(void *)((char *)l + offset);
}

START_TEST(test_limits_defaults) {
  corsim_limits l;
  size_t i;
  memset(&l, 0xA5, sizeof l);
  corsim_limits_default(&l);
  ck_assert_uint_eq(N_ELEMS(default_rows) * sizeof(size_t), sizeof l);
  for (i = 0; i < N_ELEMS(default_rows); i++)
    ck_assert_msg(*field_of(&l, default_rows[i].offset) ==
                      default_rows[i].value,
                  "default %s is %zu, documented %zu", default_rows[i].field,
                  *field_of(&l, default_rows[i].offset),
                  default_rows[i].value);
  corsim_limits_default(NULL); /* a no-op */
  ck_assert_str_eq(corsim_error_name(CORSIM_ERR_LIMIT), "CORSIM_ERR_LIMIT");
  ck_assert_int_eq(CORSIM_ERR_LIMIT, -19);
  ck_assert_str_ne(corsim_strerror(CORSIM_ERR_LIMIT), "unknown error");
}
END_TEST

/* A head with `headers` lines "X-Hn: v...", the last value padded so that
 * that line is `last_line` bytes long (0: no padding). */
static char *make_head(size_t headers, size_t last_line, size_t *len) {
  size_t cap = 64 + headers * 24 + last_line, off = 0, i;
  char *t = malloc(cap);
  ck_assert_ptr_nonnull(t);
  off += (size_t)snprintf(t, cap, "HTTP/1.1 200 OK\r\n");
  for (i = 0; i < headers; i++) {
    size_t start = off;
    off += (size_t)snprintf(t + off, cap - off, "X-H%zu: v", i);
    if (i + 1 == headers)
      while (off - start < last_line)
        t[off++] = 'p';
    t[off++] = '\r';
    t[off++] = '\n';
  }
  t[off++] = '\r';
  t[off++] = '\n';
  ck_assert_uint_le(off, cap);
  *len = off;
  return t;
}

/* field = limit; a head over it by `over` (0: exactly at it). */
static const struct {
  const char *what;
  size_t offset;
  size_t limit;
  size_t headers, last_line; /* the head: see make_head() */
  int bytes_delta; /* head_max_bytes rows: limit = head size + delta */
  int want;
} head_rows[] = {
    {"10 headers, limit 10", offsetof(corsim_limits, head_max_headers), 10,
     10, 0, 0, 0},
    {"11 headers, limit 10", offsetof(corsim_limits, head_max_headers), 10,
     11, 0, 0, CORSIM_ERR_LIMIT},
    {"0 headers, limit 0", offsetof(corsim_limits, head_max_headers), 0, 0,
     0, 0, 0},
    {"1 header, limit 0", offsetof(corsim_limits, head_max_headers), 0, 1, 0,
     0, CORSIM_ERR_LIMIT},
    {"a 100-byte line, limit 100", offsetof(corsim_limits, head_max_line),
     100, 3, 100, 0, 0},
    {"a 101-byte line, limit 100", offsetof(corsim_limits, head_max_line),
     100, 3, 101, 0, CORSIM_ERR_LIMIT},
    {"the status line (15 bytes), limit 15",
     offsetof(corsim_limits, head_max_line), 15, 0, 0, 0, 0},
    {"the status line (15 bytes), limit 14",
     offsetof(corsim_limits, head_max_line), 14, 0, 0, 0, CORSIM_ERR_LIMIT},
    {"a head at its byte limit", offsetof(corsim_limits, head_max_bytes), 0,
     50, 40, 0, 0},
    {"a head one byte over", offsetof(corsim_limits, head_max_bytes), 0, 50,
     40, -1, CORSIM_ERR_LIMIT},
    {"a big head, one byte over", offsetof(corsim_limits, head_max_bytes), 0,
     2000, 5000, -1, CORSIM_ERR_LIMIT},
};

START_TEST(test_limits_head) {
  size_t i;
  corsim_head *h;
  ck_assert_ok(corsim_head_new(&h, NULL));
  for (i = 0; i < N_ELEMS(head_rows); i++) {
    corsim_limits l;
    size_t len, consumed = 0;
    char *t = make_head(head_rows[i].headers, head_rows[i].last_line, &len);
    int rc;
    corsim_limits_default(&l);
    *field_of(&l, head_rows[i].offset) =
        head_rows[i].offset == offsetof(corsim_limits, head_max_bytes)
            ? (size_t)((long)len + head_rows[i].bytes_delta)
            : head_rows[i].limit;
    ck_assert_ok(corsim_head_set_limits(h, &l));
    rc = corsim_head_parse(h, NULL, t, len, &consumed);
    ck_assert_msg(rc == head_rows[i].want, "%s: got %s, want %s",
                  head_rows[i].what, corsim_error_name(rc),
                  corsim_error_name(head_rows[i].want));
    if (rc == 0) {
      ck_assert_uint_eq(consumed, len);
      ck_assert_uint_eq(corsim_head_response(h)->header_count,
                        head_rows[i].headers);
      ck_assert(!corsim_head_rejected(h, NULL, NULL));
    } else {
      ck_assert_ptr_null(corsim_head_response(h));
    }
    /* NULL restores the defaults: the same head parses */
    ck_assert_ok(corsim_head_set_limits(h, NULL));
    ck_assert_ok(corsim_head_parse(h, NULL, t, len, NULL));
    free(t);
  }
  ck_assert_int_eq(corsim_head_set_limits(NULL, NULL),
                   CORSIM_ERR_INVALID_ARGUMENT);
  corsim_head_free(h);
}
END_TEST

/* The caller's head_max_bytes and a profile's wire.max_head_bytes
 * (Chromium 156: 262144): the smaller is met first, and each gives its
 * own outcome: CORSIM_ERR_LIMIT, or a rejected head (a network error). */
START_TEST(test_limits_head_vs_profile) {
  static const struct {
    size_t caller;
    int want_rc, want_rejected;
  } rows[] = {
      {0, 0, 1},                /* default: the engine's limit */
      {300000, 0, 1},           /* above the engine's */
      {262144, CORSIM_ERR_LIMIT, 0}, /* below the head, at the engine's */
      {100000, CORSIM_ERR_LIMIT, 0},
  };
  corsim_db *db = NULL;
  const corsim_profile *p;
  corsim_head *h;
  size_t len, i;
  char *t = make_head(100, 280000, &len); /* over 262144, under 300000 */
  ck_assert_ok(corsim_db_load_builtin(&db, NULL, NULL));
  ck_assert_ok(corsim_db_find(db, "chromium/156", 12, &p, NULL));
  ck_assert_ok(corsim_head_new(&h, NULL));
  ck_assert_uint_gt(len, 262144);
  ck_assert_uint_lt(len, 300000);
  for (i = 0; i < N_ELEMS(rows); i++) {
    corsim_limits l;
    int rc;
    corsim_limits_default(&l);
    if (rows[i].caller)
      l.head_max_bytes = rows[i].caller;
    ck_assert_ok(corsim_head_set_limits(h, &l));
    rc = corsim_head_parse(h, p, t, len, NULL);
    ck_assert_msg(rc == rows[i].want_rc, "caller limit %zu: got %s",
                  rows[i].caller, corsim_error_name(rc));
    ck_assert_int_eq(corsim_head_rejected(h, NULL, NULL),
                     rows[i].want_rejected);
  }
  free(t);
  corsim_head_free(h);
  corsim_db_free(db);
}
END_TEST

/* A redirect chain: `redirects` responses 302 to the next URL, then 200,
 * each allowing any origin. */
#define CHAIN_MAX 24
typedef struct chain {
  char loc[CHAIN_MAX][64];
  corsim_header hs[CHAIN_MAX + 1][2];
  corsim_response resp[CHAIN_MAX + 1];
  corsim_head *heads[CHAIN_MAX + 1];
  size_t n;
} chain;

static void chain_build(chain *c, size_t redirects) {
  size_t i;
  ck_assert_uint_le(redirects, CHAIN_MAX);
  for (i = 0; i <= redirects; i++) {
    c->hs[i][0].name = "Access-Control-Allow-Origin";
    c->hs[i][0].name_len = 27;
    c->hs[i][0].value = "*";
    c->hs[i][0].value_len = 1;
    c->resp[i].headers = c->hs[i];
    if (i < redirects) {
      int n = snprintf(c->loc[i], sizeof c->loc[i],
                       "https://api.example/hop%zu", i + 1);
      c->hs[i][1].name = "Location";
      c->hs[i][1].name_len = 8;
      c->hs[i][1].value = c->loc[i];
      c->hs[i][1].value_len = (size_t)n;
      c->resp[i].status = 302;
      c->resp[i].status_text = "Found";
      c->resp[i].status_text_len = 5;
      c->resp[i].header_count = 2;
    } else {
      c->resp[i].status = 200;
      c->resp[i].status_text = "OK";
      c->resp[i].status_text_len = 2;
      c->resp[i].header_count = 1;
    }
  }
  c->n = redirects + 1;
}

/* The same chain as raw heads, for corsim_fetch_heads(). */
static void chain_heads(chain *c) {
  size_t i;
  for (i = 0; i < c->n; i++) {
    char text[256];
    int n = i + 1 < c->n
                ? snprintf(text, sizeof text,
                           "HTTP/1.1 302 Found\r\nLocation: %s\r\n"
                           "Access-Control-Allow-Origin: *\r\n\r\n",
                           c->loc[i])
                : snprintf(text, sizeof text,
                           "HTTP/1.1 200 OK\r\n"
                           "Access-Control-Allow-Origin: *\r\n\r\n");
    ck_assert_ok(corsim_head_new(&c->heads[i], NULL));
    ck_assert_ok(
        corsim_head_parse(c->heads[i], NULL, text, (size_t)n, NULL));
  }
}

static void chain_free(chain *c) {
  size_t i;
  for (i = 0; i < c->n; i++)
    corsim_head_free(c->heads[i]);
  memset(c->heads, 0, sizeof c->heads);
}

static const struct {
  int set;      /* 0: the request keeps its defaults */
  size_t limit; /* max_redirects */
  size_t redirects;
  int blocked;
  const char *message; /* for a blocked row */
} redirect_rows[] = {
    {0, 20, 20, 0, NULL},
    {0, 20, 21, 1, "More than 20 redirects: fetch() gives up."},
    {1, 20, 20, 0, NULL},
    {1, 20, 21, 1, "More than 20 redirects: fetch() gives up."},
    {1, 5, 5, 0, NULL},
    {1, 5, 6, 1, "More than 5 redirects: fetch() gives up."},
    /* lowering the limit changes the outcome of the same chain */
    {0, 20, 3, 0, NULL},
    {1, 2, 3, 1, "More than 2 redirects: fetch() gives up."},
    {1, 0, 0, 0, NULL},
    {1, 0, 1, 1, "More than 0 redirects: fetch() gives up."},
};

START_TEST(test_limits_redirects) {
  size_t i;
  int heads;
  corsim_result *res;
  ck_assert_ok(corsim_result_new(&res, NULL));
  for (heads = 0; heads < 2; heads++)
    for (i = 0; i < N_ELEMS(redirect_rows); i++) {
      chain c;
      corsim_request *req =
          tu_request("https://app.example", "https://api.example/hop0",
                     CORSIM_MODE_CORS, CORSIM_CREDENTIALS_OMIT);
      memset(&c, 0, sizeof c);
      chain_build(&c, redirect_rows[i].redirects);
      if (redirect_rows[i].set) {
        corsim_limits l;
        corsim_limits_default(&l);
        l.max_redirects = redirect_rows[i].limit;
        ck_assert_ok(corsim_request_set_limits(req, &l));
      }
      if (heads) {
        chain_heads(&c);
        ck_assert_ok(corsim_fetch_heads(
            res, corsim_profile_spec(), req, NULL,
            (const corsim_head *const *)c.heads, c.n, NULL, 0));
      } else {
        ck_assert_ok(corsim_fetch(res, corsim_profile_spec(), req, NULL,
                                  c.resp, c.n, NULL, 0));
      }
      if (redirect_rows[i].blocked) {
        ck_assert_msg(corsim_result_reason(res) ==
                          CORSIM_BLOCK_REDIRECT_LIMIT,
                      "row %zu (%s): limit %zu, %zu redirects: not blocked",
                      i, heads ? "heads" : "responses",
                      redirect_rows[i].limit, redirect_rows[i].redirects);
        ck_assert_str_eq(corsim_result_message(res),
                         redirect_rows[i].message);
      } else {
        ck_assert_msg(corsim_result_type(res) == CORSIM_TYPE_CORS,
                      "row %zu (%s): limit %zu, %zu redirects: %s", i,
                      heads ? "heads" : "responses", redirect_rows[i].limit,
                      redirect_rows[i].redirects,
                      corsim_result_message(res));
        ck_assert_int_eq(corsim_result_redirected(res),
                         redirect_rows[i].redirects > 0);
        ck_assert_uint_eq(corsim_result_hop_count(res), c.n);
      }
      chain_free(&c);
      corsim_request_free(req);
    }
  corsim_result_free(res);
}
END_TEST

START_TEST(test_limits_request_args) {
  corsim_limits l;
  corsim_result *res;
  chain c;
  corsim_request *req =
      tu_request("https://app.example", "https://api.example/hop0",
                 CORSIM_MODE_CORS, CORSIM_CREDENTIALS_OMIT);
  ck_assert_ok(corsim_result_new(&res, NULL));
  corsim_limits_default(&l);
  ck_assert_int_eq(corsim_request_set_limits(NULL, &l),
                   CORSIM_ERR_INVALID_ARGUMENT);
  l.max_redirects = 2;
  ck_assert_ok(corsim_request_set_limits(req, &l));
  l.max_redirects = 21; /* no browser follows more than 20 */
  ck_assert_int_eq(corsim_request_set_limits(req, &l),
                   CORSIM_ERR_INVALID_ARGUMENT);
  /* the refused call left the limit of 2 in place */
  memset(&c, 0, sizeof c);
  chain_build(&c, 3);
  ck_assert_ok(corsim_fetch(res, corsim_profile_spec(), req, NULL, c.resp,
                            c.n, NULL, 0));
  ck_assert_int_eq(corsim_result_reason(res), CORSIM_BLOCK_REDIRECT_LIMIT);
  /* NULL restores 20 */
  ck_assert_ok(corsim_request_set_limits(req, NULL));
  ck_assert_ok(corsim_fetch(res, corsim_profile_spec(), req, NULL, c.resp,
                            c.n, NULL, 0));
  ck_assert_int_eq(corsim_result_type(res), CORSIM_TYPE_CORS);
  corsim_result_free(res);
  corsim_request_free(req);
}
END_TEST

/* 1 when some diagnostic contains s. */
static int diag_has(const corsim_diagnostics *d, const char *s) {
  size_t i;
  for (i = 0; i < corsim_diagnostics_count(d); i++)
    if (strstr(corsim_diagnostics_get(d, i)->message, s))
      return 1;
  return 0;
}

/* Small documents, each 3 deep with 6 nodes (elements, attributes, a
 * comment, a processing instruction).  They are not profile files: the
 * schema refuses them either way, so the rows look at whether the limit's
 * own diagnostic appears. */
static const char small_doc[] =
    "<a x='1' y='2'><b><c/></b><!-- c --><?p q?></a>";

static const struct {
  size_t offset, limit;
  const char *diag; /* the limit's diagnostic, or NULL: not met */
} xml_rows[] = {
    {offsetof(corsim_limits, xml_max_depth), 3, NULL},
    {offsetof(corsim_limits, xml_max_depth), 2, "nested more than 2 deep"},
    {offsetof(corsim_limits, xml_max_nodes), 7, NULL},
    {offsetof(corsim_limits, xml_max_nodes), 6,
     "more than 6 elements, attributes and comments"},
};

START_TEST(test_limits_xml_tree) {
  size_t i;
  corsim_diagnostics *d;
  ck_assert_ok(corsim_diagnostics_new(&d, NULL));
  for (i = 0; i < N_ELEMS(xml_rows); i++) {
    corsim_limits l;
    corsim_db *db = NULL;
    int rc;
    corsim_limits_default(&l);
    *field_of(&l, xml_rows[i].offset) = xml_rows[i].limit;
    corsim_diagnostics_clear(d);
    rc = corsim_db_load_memory_ex(&db, small_doc, sizeof small_doc - 1,
                                  "small", NULL, d, &l);
    ck_assert_int_eq(rc, CORSIM_ERR_BAD_PROFILES);
    ck_assert_ptr_null(db);
    if (xml_rows[i].diag)
      ck_assert_msg(diag_has(d, xml_rows[i].diag), "row %zu: no \"%s\"", i,
                    xml_rows[i].diag);
    else
      ck_assert_msg(!diag_has(d, "nested more than") &&
                        !diag_has(d, "elements, attributes and comments"),
                    "row %zu: a limit was met", i);
  }
  corsim_diagnostics_free(d);
}
END_TEST

/* The compiled-in file, from memory and from a file: at its size it
 * loads, one byte under its size it is too large; its depth and node
 * count are under the defaults (the default load works) and over a
 * small limit. */
START_TEST(test_limits_xml_builtin) {
  corsim_str x = corsim_builtin_profiles_xml();
  char path[] = "/tmp/check_limits_XXXXXX";
  static const struct {
    int file;
    long delta; /* xml_max_bytes = size + delta */
    int want;
  } rows[] = {{0, 0, 0}, {0, -1, CORSIM_ERR_TOO_LARGE}, {1, 0, 0},
              {1, -1, CORSIM_ERR_TOO_LARGE}, {1, -4096, CORSIM_ERR_TOO_LARGE}};
  corsim_diagnostics *d;
  size_t i;
  int fd;
  FILE *f;
  fd = mkstemp(path);
  ck_assert_int_ge(fd, 0);
  f = fdopen(fd, "wb");
  ck_assert_ptr_nonnull(f);
  ck_assert_uint_eq(fwrite(x.ptr, 1, x.len, f), x.len);
  fclose(f);
  ck_assert_ok(corsim_diagnostics_new(&d, NULL));
  for (i = 0; i < N_ELEMS(rows); i++) {
    corsim_limits l;
    corsim_db *db = NULL;
    int rc;
    corsim_limits_default(&l);
    l.xml_max_bytes = (size_t)((long)x.len + rows[i].delta);
    corsim_diagnostics_clear(d);
    rc = rows[i].file
             ? corsim_db_load_file_ex(&db, path, NULL, d, &l)
             : corsim_db_load_memory_ex(&db, x.ptr, x.len, NULL, NULL, d, &l);
    ck_assert_msg(rc == rows[i].want, "row %zu: got %s", i,
                  corsim_error_name(rc));
    if (rc == 0)
      ck_assert_ptr_nonnull(db);
    else
      ck_assert(diag_has(d, "bytes (xml_max_bytes)"));
    corsim_db_free(db);
  }
  {
    corsim_db *db = NULL;
    corsim_limits l;
    corsim_limits_default(&l);
    /* defaults: the same as corsim_db_load_memory() and _file() */
    ck_assert_ok(corsim_db_load_memory_ex(&db, x.ptr, x.len, NULL, NULL,
                                          NULL, NULL));
    corsim_db_free(db);
    ck_assert_ok(corsim_db_load_file_ex(&db, path, NULL, NULL, &l));
    corsim_db_free(db);
    l.xml_max_depth = 3; /* the format itself is 4 deep */
    corsim_diagnostics_clear(d);
    ck_assert_int_eq(corsim_db_load_memory_ex(&db, x.ptr, x.len, NULL, NULL,
                                              d, &l),
                     CORSIM_ERR_BAD_PROFILES);
    ck_assert(diag_has(d, "nested more than 3 deep"));
    corsim_limits_default(&l);
    l.xml_max_nodes = 1000; /* it has about 11,000 */
    corsim_diagnostics_clear(d);
    ck_assert_int_eq(corsim_db_load_memory_ex(&db, x.ptr, x.len, NULL, NULL,
                                              d, &l),
                     CORSIM_ERR_BAD_PROFILES);
    ck_assert(diag_has(d, "more than 1000 elements"));
  }
  corsim_diagnostics_free(d);
  remove(path);
}
END_TEST

/* An allocator that remembers the largest block asked for. */
static void *big_malloc(size_t n, void *u) {
  if (n > *(size_t *)u)
    *(size_t *)u = n;
  return malloc(n);
}
static void *big_realloc(void *p, size_t n, void *u) {
  if (n > *(size_t *)u)
    *(size_t *)u = n;
  return realloc(p, n);
}
static void big_free(void *p, void *u) {
  (void)u;
  free(p);
}

/* A file over xml_max_bytes is read no further than the limit: the
 * buffer stays near the limit, not near the file's size. */
START_TEST(test_limits_xml_file_memory) {
  static const struct {
    size_t limit;    /* 0: the default */
    size_t at_least, at_most; /* the largest block */
    int want;
  } rows[] = {{1000, 1001, 4096, CORSIM_ERR_TOO_LARGE},
              {100000, 100001, 262144, CORSIM_ERR_TOO_LARGE},
              {0, 200000, (size_t)-1, 0}};
  corsim_str x = corsim_builtin_profiles_xml();
  char path[] = "/tmp/check_limits_XXXXXX";
  size_t i;
  int fd = mkstemp(path);
  FILE *f;
  ck_assert_int_ge(fd, 0);
  f = fdopen(fd, "wb");
  ck_assert_ptr_nonnull(f);
  ck_assert_uint_eq(fwrite(x.ptr, 1, x.len, f), x.len);
  fclose(f);
  for (i = 0; i < N_ELEMS(rows); i++) {
    size_t largest = 0;
    corsim_allocator a = {big_malloc, big_realloc, big_free, &largest};
    corsim_limits l;
    corsim_db *db = NULL;
    corsim_limits_default(&l);
    if (rows[i].limit)
      l.xml_max_bytes = rows[i].limit;
    ck_assert_int_eq(corsim_db_load_file_ex(&db, path, &a, NULL, &l),
                     rows[i].want);
    ck_assert_msg(largest >= rows[i].at_least && largest <= rows[i].at_most,
                  "limit %zu: largest block %zu", rows[i].limit, largest);
    corsim_db_free(db);
  }
  remove(path);
}
END_TEST

/* max_cache_entries, passed to corsim_cache_new(): a preflight that
 * allows n methods stores n entries, up to the limit. */
/* list_max_items (corsim_request_set_limits()): the elements of
 * Access-Control-Expose-Headers (corsim_filter) and of -Allow-Methods /
 * -Allow-Headers (corsim_preflight), all lines of one name together: at
 * the limit the call goes on, one over it gives CORSIM_ERR_LIMIT. */
static const struct {
  const char *name;   /* the list header */
  const char *values; /* its lines, separated by '|' */
  size_t items;       /* elements in all */
  int preflight;      /* 1: a preflight response for a PUT with X-A */
} list_rows[] = {
    {"Access-Control-Expose-Headers", "x-a, x-b, x-c", 3, 0},
    {"Access-Control-Expose-Headers", "x-a|x-b, x-c|x-d", 4, 0},
    {"Access-Control-Expose-Headers", "x-a, , x-b", 2, 0},
    {"Access-Control-Allow-Methods", "PUT, GET, POST", 3, 1},
    {"Access-Control-Allow-Headers", "x-a, x-b|x-c", 3, 1},
};

START_TEST(test_limits_lists) {
  corsim_header hs[6];
  char lines[4][32];
  size_t nh = 0, k, limit;
  const char *v = list_rows[_i].values;
  for (k = 0; k < 4 && *v; k++) {
    const char *bar = strchr(v, '|');
    size_t len = bar ? (size_t)(bar - v) : strlen(v);
    memcpy(lines[k], v, len);
    lines[k][len] = 0;
    hs[nh].name = list_rows[_i].name;
    hs[nh].name_len = strlen(list_rows[_i].name);
    hs[nh].value = lines[k];
    hs[nh].value_len = len;
    nh++;
    v = bar ? bar + 1 : v + len;
  }
  hs[nh].name = "Access-Control-Allow-Origin";
  hs[nh].name_len = 27;
  hs[nh].value = "*";
  hs[nh].value_len = 1;
  nh++;
  if (list_rows[_i].preflight && strcmp(list_rows[_i].name,
                                        "Access-Control-Allow-Methods") == 0) {
    hs[nh].name = "Access-Control-Allow-Headers";
    hs[nh].name_len = 28;
    hs[nh].value = "x-a";
    hs[nh].value_len = 3;
    nh++;
  } else if (list_rows[_i].preflight) {
    hs[nh].name = "Access-Control-Allow-Methods";
    hs[nh].name_len = 28;
    hs[nh].value = "PUT";
    hs[nh].value_len = 3;
    nh++;
  }
  for (limit = list_rows[_i].items - 1; limit <= list_rows[_i].items + 1;
       limit++) {
    corsim_response r = {list_rows[_i].preflight ? 204 : 200, "X", 1, hs, nh};
    corsim_result *res;
    corsim_limits l;
    corsim_request *req =
        tu_request("https://app.example", "https://api.example/x",
                   CORSIM_MODE_CORS, CORSIM_CREDENTIALS_OMIT);
    int rc, want = limit < list_rows[_i].items ? CORSIM_ERR_LIMIT : 0;
    corsim_limits_default(&l);
    l.list_max_items = limit;
    ck_assert_ok(corsim_request_set_limits(req, &l));
    ck_assert_ok(corsim_result_new(&res, NULL));
    if (list_rows[_i].preflight) {
      corsim_preflight_state st;
      ck_assert_ok(corsim_request_set_method(req, "PUT", 3));
      ck_assert_ok(corsim_headers_append(corsim_request_headers(req), "X-A",
                                         3, "1", 1, 0));
      rc = corsim_preflight(res, corsim_profile_spec(), req, &r, NULL, 0,
                            &st);
      if (rc == 0)
        ck_assert_int_eq(st, CORSIM_PREFLIGHT_PASSED);
    } else {
      rc = corsim_filter(res, corsim_profile_spec(), req, &r);
      if (rc == 0)
        ck_assert_int_eq(corsim_result_type(res), CORSIM_TYPE_CORS);
    }
    ck_assert_msg(rc == want, "row %d, limit %zu: %s", _i, limit,
                  corsim_error_name(rc));
    /* back to the defaults: the same call succeeds */
    ck_assert_ok(corsim_request_set_limits(req, NULL));
    if (!list_rows[_i].preflight)
      ck_assert_ok(corsim_filter(res, corsim_profile_spec(), req, &r));
    corsim_result_free(res);
    corsim_request_free(req);
  }
}
END_TEST

START_TEST(test_limits_cache) {
  static const struct {
    size_t limit, methods, want;
  } rows[] = {/* limit (0: corsim_cache_new()'s default), methods besides
                 PUT, entries kept */
              {3, 2, 3},       {3, 3, 3},       {1, 0, 1},
              {0, 4095, 4096}, {0, 4096, 4096}, {4096, 4096, 4096}};
  size_t i;
  corsim_result *res;
  ck_assert_ok(corsim_result_new(&res, NULL));
  for (i = 0; i < N_ELEMS(rows); i++) {
    corsim_cache *c;
    corsim_limits l;
    corsim_header hs[2];
    corsim_response r = {204, "No Content", 10, hs, 2};
    corsim_preflight_state st;
    size_t k, off = 0, cap = rows[i].methods * 8 + 16;
    char *acam = malloc(cap);
    corsim_request *req =
        tu_request("https://app.example", "https://api.example/x",
                   CORSIM_MODE_CORS, CORSIM_CREDENTIALS_OMIT);
    ck_assert_ok(corsim_request_set_method(req, "PUT", 3));
    for (k = 0; k < rows[i].methods; k++)
      off += (size_t)snprintf(acam + off, cap - off, "%sM%zu", k ? "," : "",
                              k);
    off += (size_t)snprintf(acam + off, cap - off, ",PUT");
    hs[0].name = "Access-Control-Allow-Origin";
    hs[0].name_len = 27;
    hs[0].value = "*";
    hs[0].value_len = 1;
    hs[1].name = "Access-Control-Allow-Methods";
    hs[1].name_len = 28;
    hs[1].value = acam;
    hs[1].value_len = off;
    corsim_limits_default(&l);
    if (rows[i].limit)
      l.max_cache_entries = rows[i].limit;
    ck_assert_ok(corsim_cache_new(&c, NULL, rows[i].limit ? l.max_cache_entries
                                                          : 0));
    ck_assert_ok(corsim_preflight(res, corsim_profile_spec(), req, &r, c, 0,
                                  &st));
    ck_assert_int_eq(st, CORSIM_PREFLIGHT_PASSED);
    /* the methods plus PUT, bounded by the limit */
    ck_assert_uint_eq(corsim_cache_count(c, 0), rows[i].want);
    corsim_cache_free(c);
    corsim_request_free(req);
    free(acam);
  }
  corsim_result_free(res);
}
END_TEST

static Suite *suite(void) {
  Suite *s = suite_create("limits");
  TCase *tc = tcase_create("linear");
  tcase_set_timeout(tc, 600);
  tcase_add_test(tc, test_linear_headers_distinct);
  tcase_add_test(tc, test_linear_headers_same_name);
  tcase_add_test(tc, test_linear_expose_list);
  tcase_add_test(tc, test_linear_header_list);
  tcase_add_test(tc, test_linear_preflight_lists);
  suite_add_tcase(s, tc);
  tc = tcase_create("engines");
  tcase_add_test(tc, test_engine_head_limit);
  suite_add_tcase(s, tc);
  tc = tcase_create("configured");
  tcase_set_timeout(tc, 120);
  tcase_add_test(tc, test_limits_defaults);
  tcase_add_test(tc, test_limits_head);
  tcase_add_test(tc, test_limits_head_vs_profile);
  tcase_add_test(tc, test_limits_redirects);
  tcase_add_test(tc, test_limits_request_args);
  tcase_add_loop_test(tc, test_limits_lists, 0, N_ELEMS(list_rows));
  tcase_add_test(tc, test_limits_xml_tree);
  tcase_add_test(tc, test_limits_xml_builtin);
  tcase_add_test(tc, test_limits_xml_file_memory);
  tcase_add_test(tc, test_limits_cache);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) { return tu_run(suite()); }
