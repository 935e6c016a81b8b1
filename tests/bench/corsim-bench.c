/*
 * corsim-bench.c -- corsim's whole CORS filter on the benchmark kit's
 * corpora (../shared/bench, see its README.md), in the kit's RESULT format.
 *
 *   corsim-bench [--runs N] [--min-ms MS] [--warmup-ms MS]
 *                [--profiles spec,chrome] [--once] CORPUS...
 *   corsim-bench --xml-load [--runs N]
 *   corsim-bench --write-batch N CORPUS > batch.jsonl
 *
 * Per corpus: the file is read and parsed into memory with jansson (one
 * arena for every name and value, headers of all responses back to back in
 * wire order, as the kit's corpus.h lays them out), then, for each profile,
 *
 *  1. every response is filtered once and checked against the corpus's
 *     reference answer ("kept"): the filtered header list must be exactly
 *     the kept headers, in order, and the script view must be what sorting
 *     and combining them gives (computed here by a separate, naive routine).
 *     Built-in edge cases (a "*" with credentials, empty elements, an
 *     invalid token, Set-Cookie listed as exposed) are checked the same way.
 *     Any mismatch exits with status 1 before anything is timed;
 *  2. timing, as the kit's floor.c does it: warm-up, then --runs runs of at
 *     least --min-ms each, each run a whole number of passes over the
 *     corpus; the median ns per response is reported;
 *  3. the allocations made while timing are counted twice: by the counting
 *     corsim_allocator that the result was created with, and (with glibc)
 *     by counting every malloc of the process.
 *
 * One pass = filter_pass(): corsim_filter() on every response of the
 * corpus (the CORS check, the exposed-name list, the cors filtered
 * response and the script view: sorted, lowercased, combined), summing the
 * lengths of the filtered list and the script view.  It is noinline so
 * that callgrind can count it alone (--toggle-collect=filter_pass with
 * --once, which makes one pass per profile and no timing).
 *
 * --xml-load times corsim_db_load_builtin() (parse, RelaxNG validation
 * and semantic checks of data/profiles.xml); --write-batch prints N lines
 * of `corsim batch` input cycling through the corpus's responses.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "corsim.h"

#define ORIGIN "https://app.example.com"
#define URL "https://api.example.net/v1/items"
#define MAX_PROFILES 8

/* ------------------------------------------------------------------------
 * Counting every malloc of the process (glibc only, not under sanitizers,
 * which bring their own malloc).  Only counts while `counting` is set.
 * ------------------------------------------------------------------------ */

static volatile int counting;
static size_t process_allocs;

#if defined(__GLIBC__) && !defined(__SANITIZE_ADDRESS__) &&                   \
    !defined(CORSIM_BENCH_NO_MALLOC_HOOK)
#define HAVE_PROCESS_COUNT 1
extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);

void *malloc(size_t n) {
  if (counting)
    process_allocs++;
  return __libc_malloc(n);
}
void *calloc(size_t n, size_t m) {
  if (counting)
    process_allocs++;
  return __libc_calloc(n, m);
}
void *realloc(void *p, size_t n) {
  if (counting)
    process_allocs++;
  return __libc_realloc(p, n);
}
#else
#define HAVE_PROCESS_COUNT 0
#endif

/* The counting corsim_allocator given to the result. */
typedef struct counter {
  size_t allocs, bytes;
} counter;

static void *count_malloc(size_t n, void *ud) {
  counter *c = ud;
  c->allocs++;
  c->bytes += n;
  return malloc(n);
}
static void *count_realloc(void *p, size_t n, void *ud) {
  counter *c = ud;
  c->allocs++;
  c->bytes += n;
  return realloc(p, n);
}
static void count_free(void *p, void *ud) {
  (void)ud;
  free(p);
}

/* ------------------------------------------------------------------------
 * The corpus
 * ------------------------------------------------------------------------ */

typedef struct resp_info {
  size_t first, count, nkept;
  int include; /* credentials "include" */
} resp_info;

typedef struct corpus {
  const char *name; /* basename */
  resp_info *info;
  corsim_response *resp; /* views into hdr */
  size_t nresp;
  corsim_header *hdr; /* every response's headers, back to back */
  unsigned char *kept; /* per header: 1 if the reference keeps it */
  size_t nhdr, nkept;
  size_t max_count, max_bytes; /* the largest response */
  char *arena;
} corpus;

static void corpus_free(corpus *c) {
  free(c->info);
  free(c->resp);
  free(c->hdr);
  free(c->kept);
  free(c->arena);
  memset(c, 0, sizeof *c);
}

static char *read_file(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  char *buf = NULL;
  size_t cap = 0, n = 0, got;
  if (!f)
    return NULL;
  do {
    if (n == cap) {
      char *nb = realloc(buf, cap = cap ? 2 * cap : 1 << 20);
      if (!nb) {
        free(buf);
        fclose(f);
        return NULL;
      }
      buf = nb;
    }
    got = fread(buf + n, 1, cap - n, f);
    n += got;
  } while (got);
  fclose(f);
  *len = n;
  return buf;
}

/* Copies a JSON string into the arena (NUL-terminated, for readability in
 * a debugger; lengths are what count). */
static const char *arena_copy(char **out, json_t *s, size_t *len) {
  const char *start = *out;
  *len = json_string_length(s);
  memcpy(*out, json_string_value(s), *len);
  (*out)[*len] = '\0';
  *out += *len + 1;
  return start;
}

static int fail_load(const char *path, size_t line, const char *why) {
  fprintf(stderr, "%s:%zu: %s\n", path, line, why);
  return -1;
}

static int corpus_load(corpus *c, const char *path) {
  size_t len, pos = 0, line = 0, rcap = 0, hcap = 0;
  char *text = read_file(path, &len), *out;
  const char *slash = strrchr(path, '/');

  memset(c, 0, sizeof *c);
  c->name = slash ? slash + 1 : path;
  if (!text) {
    fprintf(stderr, "%s: cannot read\n", path);
    return -1;
  }
  /* decoded strings plus their NULs never exceed the JSON text */
  c->arena = out = malloc(len + 1);
  if (!c->arena)
    return fail_load(path, 0, "out of memory");
  while (pos < len) {
    size_t end = pos, i, bytes = 0;
    json_error_t err;
    json_t *o, *hs, *kept, *cred, *pair;
    resp_info *ri;

    while (end < len && text[end] != '\n')
      end++;
    line++;
    if (end == pos) {
      pos++;
      continue;
    }
    o = json_loadb(text + pos, end - pos, JSON_ALLOW_NUL, &err);
    pos = end + 1;
    if (!o)
      return fail_load(path, line, err.text);
    hs = json_object_get(o, "headers");
    kept = json_object_get(o, "kept");
    cred = json_object_get(o, "credentials");
    if (!json_is_array(hs) || !json_is_array(kept) || !json_is_string(cred)) {
      json_decref(o);
      return fail_load(path, line, "expected credentials, headers and kept");
    }
    if (c->nresp == rcap) {
      rcap = rcap ? 2 * rcap : 1024;
      c->info = realloc(c->info, rcap * sizeof *c->info);
      if (!c->info)
        return fail_load(path, line, "out of memory");
    }
    while (c->nhdr + json_array_size(hs) > hcap) {
      hcap = hcap ? 2 * hcap : 16384;
      c->hdr = realloc(c->hdr, hcap * sizeof *c->hdr);
      c->kept = realloc(c->kept, hcap);
      if (!c->hdr || !c->kept)
        return fail_load(path, line, "out of memory");
    }
    ri = &c->info[c->nresp++];
    ri->first = c->nhdr;
    ri->count = json_array_size(hs);
    ri->nkept = json_array_size(kept);
    ri->include = strcmp(json_string_value(cred), "include") == 0;
    json_array_foreach(hs, i, pair) {
      corsim_header *h = &c->hdr[c->nhdr + i];
      json_t *n = json_array_get(pair, 0), *v = json_array_get(pair, 1);
      if (json_array_size(pair) != 2 || !json_is_string(n) ||
          !json_is_string(v)) {
        json_decref(o);
        return fail_load(path, line, "a header must be [name, value]");
      }
      h->name = arena_copy(&out, n, &h->name_len);
      h->value = arena_copy(&out, v, &h->value_len);
      c->kept[c->nhdr + i] = 0;
      bytes += h->name_len + h->value_len;
    }
    json_array_foreach(kept, i, pair) {
      json_int_t k = json_integer_value(pair);
      if (!json_is_integer(pair) || k < 0 || (size_t)k >= ri->count) {
        json_decref(o);
        return fail_load(path, line, "kept: bad index");
      }
      c->kept[c->nhdr + (size_t)k] = 1;
    }
    c->nhdr += ri->count;
    c->nkept += ri->nkept;
    if (ri->count > c->max_count)
      c->max_count = ri->count;
    if (bytes > c->max_bytes)
      c->max_bytes = bytes;
    json_decref(o);
  }
  free(text);
  c->resp = calloc(c->nresp ? c->nresp : 1, sizeof *c->resp);
  if (!c->resp)
    return fail_load(path, 0, "out of memory");
  for (pos = 0; pos < c->nresp; pos++) {
    corsim_response *r = &c->resp[pos];
    r->status = 200;
    r->status_text = "OK";
    r->status_text_len = 2;
    r->headers = c->hdr + c->info[pos].first;
    r->header_count = c->info[pos].count;
  }
  return 0;
}

/* ------------------------------------------------------------------------
 * Checking answers (outside any timed region)
 * ------------------------------------------------------------------------ */

static int lower(int c) { return c >= 'A' && c <= 'Z' ? c + 32 : c; }

static int ci_cmp(const corsim_header *a, const corsim_header *b) {
  size_t n = a->name_len < b->name_len ? a->name_len : b->name_len, i;
  for (i = 0; i < n; i++) {
    int x = lower((unsigned char)a->name[i]), y = lower((unsigned char)b->name[i]);
    if (x != y)
      return x - y;
  }
  return a->name_len < b->name_len ? -1 : a->name_len > b->name_len;
}

static int ci_eq_lit(const char *p, size_t n, const char *lit) {
  size_t i;
  if (n != strlen(lit))
    return 0;
  for (i = 0; i < n; i++)
    if (lower((unsigned char)p[i]) != lit[i])
      return 0;
  return 1;
}

/*
 * Checks the result of filtering one response against the reference mask:
 * the filtered list is exactly the kept headers in order, and the script
 * view is their sort-and-combine (naive: insertion sort, then runs of
 * equal names joined with ", ", each Set-Cookie separate; browser
 * profiles that combine differently are not used here).  Returns NULL or
 * what differs.
 */
static const char *check_result(const corsim_result *res,
                                const corsim_header *hdr, size_t count,
                                const unsigned char *kept) {
  static corsim_header want[8192];
  static char joined[1 << 20];
  const corsim_header *got;
  size_t n, i, j, k, nwant = 0, used = 0;

  if (corsim_result_is_network_error(res))
    return "a network error";
  got = corsim_result_headers(res, &n);
  for (i = 0; i < count; i++) {
    if (!kept[i])
      continue;
    if (nwant >= n || got[nwant].name != hdr[i].name ||
        got[nwant].value != hdr[i].value)
      return "the filtered header list differs from the reference";
    nwant++;
  }
  if (nwant != n)
    return "the filtered header list has extra headers";
  if (n > sizeof want / sizeof want[0])
    return "too many headers for the checker";
  /* the expected script view */
  for (i = 0; i < n; i++) { /* stable insertion sort by lowercased name */
    corsim_header x = got[i];
    for (j = i; j > 0 && ci_cmp(&want[j - 1], &x) > 0; j--)
      want[j] = want[j - 1];
    want[j] = x;
  }
  got = corsim_result_js_headers(res, &k);
  for (i = 0, j = 0; i < n; j++) {
    size_t e = i + 1, len = 0;
    char *v = joined + used;
    if (!ci_eq_lit(want[i].name, want[i].name_len, "set-cookie"))
      while (e < n && ci_cmp(&want[e], &want[i]) == 0)
        e++;
    for (; i < e; i++) {
      if (len && used + len + 2 < sizeof joined) {
        memcpy(v + len, ", ", 2);
        len += 2;
      }
      if (used + len + want[i].value_len >= sizeof joined)
        return "script view too large for the checker";
      memcpy(v + len, want[i].value, want[i].value_len);
      len += want[i].value_len;
    }
    used += len;
    if (j >= k || got[j].name_len != want[e - 1].name_len ||
        got[j].value_len != len || memcmp(got[j].value, v, len) != 0)
      return "the script view differs (values)";
    for (e = 0; e < got[j].name_len; e++)
      if (got[j].name[e] != lower((unsigned char)want[i - 1].name[e]))
        return "the script view differs (names)";
  }
  if (j != k)
    return "the script view has extra entries";
  return NULL;
}

/* Edge cases of the kit's reference semantics, with their answers. */
typedef struct edge_case {
  const char *what;
  int include;
  const char *aceh[2]; /* ACEH header lines (NULL: fewer) */
  const char *kept;    /* the other headers kept, as "+" per header */
  int wildcard;        /* "*" exposes the ACAO and ACEH headers too */
} edge_case;

/* Every case has these headers after ACAO (+ ACAC) and ACEH:
 * content-type, x-a, X-B, set-cookie, x-c. */
static const edge_case edge_cases[] = {
    {"no ACEH: only safelisted", 0, {NULL, NULL}, "+----", 0},
    {"a list, case-insensitive", 0, {"X-a, x-b", NULL}, "+++--", 0},
    {"* without credentials", 0, {"*", NULL}, "+++-+", 1},
    {"* with include is a literal name", 1, {"*", NULL}, "+----", 0},
    {"* with include and a name", 1, {"*, x-c", NULL}, "+---+", 0},
    {"empty elements are ignored", 0, {",, x-a ,\t,x-c,", NULL}, "++--+", 0},
    {"an invalid token fails the list", 0, {"x-a, x b", NULL}, "+----", 0},
    {"invalid on the second line", 0, {"x-a", "x-c, (x)"}, "+----", 0},
    {"set-cookie listed stays hidden", 0, {"set-cookie, x-b", NULL}, "+-+--",
     0},
    {"two lines", 1, {"x-a", "x-c"}, "++--+", 0},
};

static int check_edge_cases(const corsim_profile *p,
                            const corsim_request *req_omit,
                            const corsim_request *req_include,
                            corsim_result *res) {
  size_t i;
  for (i = 0; i < sizeof edge_cases / sizeof edge_cases[0]; i++) {
    const edge_case *e = &edge_cases[i];
    corsim_header h[10];
    unsigned char kept[10];
    size_t n = 0, k;
    corsim_response resp = {200, "OK", 2, h, 0};
    const char *why;
#define ADD(nm, v, keep)                                                      \
  (h[n].name = (nm), h[n].name_len = strlen(nm), h[n].value = (v),            \
   h[n].value_len = strlen(v), kept[n++] = (keep))
    ADD("Access-Control-Allow-Origin", ORIGIN, e->wildcard);
    if (e->include)
      ADD("Access-Control-Allow-Credentials", "true", e->wildcard);
    for (k = 0; k < 2; k++)
      if (e->aceh[k])
        ADD("Access-Control-Expose-Headers", e->aceh[k], e->wildcard);
    ADD("content-type", "text/plain", e->kept[0] == '+');
    ADD("x-a", "1", e->kept[1] == '+');
    ADD("X-B", "2", e->kept[2] == '+');
    ADD("set-cookie", "a=b", e->kept[3] == '+');
    ADD("x-c", "3", e->kept[4] == '+');
#undef ADD
    resp.header_count = n;
    if (corsim_filter(res, p, e->include ? req_include : req_omit, &resp) !=
        0)
      why = "corsim_filter failed";
    else
      why = check_result(res, h, n, kept);
    if (why) {
      fprintf(stderr, "edge case '%s' under %s: %s\n", e->what,
              corsim_profile_name(p), why);
      return -1;
    }
  }
  return 0;
}

/* ------------------------------------------------------------------------
 * Timing
 * ------------------------------------------------------------------------ */

typedef struct bench {
  const corpus *c;
  const corsim_profile *profile;
  const corsim_request *req_omit, *req_include;
  corsim_result *res;
} bench;

static double now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/* The timed work: the whole filter on every response of the corpus.
 * Returns the number of filtered headers plus script-view entries, or
 * SIZE_MAX if a call failed. */
__attribute__((noinline)) static size_t filter_pass(const bench *b) {
  const corpus *c = b->c;
  size_t r, total = 0, n, m;
  for (r = 0; r < c->nresp; r++) {
    const corsim_request *req =
        c->info[r].include ? b->req_include : b->req_omit;
    if (corsim_filter(b->res, b->profile, req, &c->resp[r]) != 0)
      return SIZE_MAX;
    corsim_result_headers(b->res, &n);
    corsim_result_js_headers(b->res, &m);
    total += n + m;
  }
  return total;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

typedef struct options {
  int runs, once;
  double min_ms, warmup_ms;
} options;

/* Checks, then times one corpus under one profile, and prints RESULT. */
static int run_one(const options *o, const corpus *c, const corsim_profile *p,
                   const char *impl, const corsim_request *req_omit,
                   const corsim_request *req_include) {
  counter cnt = {0, 0};
  corsim_allocator a = {count_malloc, count_realloc, count_free, NULL};
  bench b;
  size_t r, expect, passes, k, allocs0, bytes0, proc0;
  double t0, per_pass, *ns, med, hpr;
  int i;

  a.user_data = &cnt;
  b.c = c;
  b.profile = p;
  b.req_omit = req_omit;
  b.req_include = req_include;
  if (corsim_result_new(&b.res, &a) != 0 ||
      corsim_result_reserve(b.res, c->max_count, c->max_bytes) != 0) {
    fprintf(stderr, "out of memory\n");
    return -1;
  }
  /* 1. correctness, before anything is timed */
  if (check_edge_cases(p, req_omit, req_include, b.res) != 0)
    return -1;
  for (r = 0; r < c->nresp; r++) {
    const char *why;
    const corsim_request *req = c->info[r].include ? req_include : req_omit;
    int rc = corsim_filter(b.res, p, req, &c->resp[r]);
    why = rc ? corsim_strerror(rc)
             : check_result(b.res, c->resp[r].headers, c->info[r].count,
                            c->kept + c->info[r].first);
    if (why) {
      fprintf(stderr, "%s: response %zu (line %zu) under %s: %s\n", c->name,
              r, r + 1, corsim_profile_name(p), why);
      return -1;
    }
  }
  expect = filter_pass(&b);
  if (expect == SIZE_MAX) {
    fprintf(stderr, "%s: corsim_filter failed\n", c->name);
    return -1;
  }
  if (o->once) {
    printf("once: %s impl=%s responses=%zu headers=%zu kept=%zu\n", c->name,
           impl, c->nresp, c->nhdr, c->nkept);
    corsim_result_free(b.res);
    return 0;
  }

  /* 2. warm-up and calibration, then the runs */
  t0 = now_ns();
  passes = 0;
  do {
    filter_pass(&b);
    passes++;
  } while (now_ns() - t0 < o->warmup_ms * 1e6);
  per_pass = (now_ns() - t0) / (double)passes;
  k = (size_t)(o->min_ms * 1e6 / per_pass) + 1;
  ns = malloc((size_t)o->runs * sizeof *ns);
  if (!ns)
    return -1;
  allocs0 = cnt.allocs;
  bytes0 = cnt.bytes;
  proc0 = process_allocs;
  counting = 1;
  for (i = 0; i < o->runs; i++) {
    double t = now_ns();
    for (passes = 0; passes < k; passes++)
      if (filter_pass(&b) != expect) {
        counting = 0;
        fprintf(stderr, "%s: a pass gave a different answer\n", c->name);
        return -1;
      }
    ns[i] = (now_ns() - t) / ((double)k * (double)c->nresp);
  }
  counting = 0;
  qsort(ns, (size_t)o->runs, sizeof *ns, cmp_double);
  med = o->runs % 2 ? ns[o->runs / 2]
                    : (ns[o->runs / 2 - 1] + ns[o->runs / 2]) / 2;
  hpr = (double)c->nhdr / (double)c->nresp;
  {
    double calls = (double)k * (double)o->runs * (double)c->nresp;
    double alloc_bytes = (double)(cnt.bytes - bytes0) / calls;
    double allocs = (double)(cnt.allocs - allocs0) / calls;
    printf("%s: %zu responses, %.1f headers/response, %.2f kept/response; "
           "%zu passes x %d runs\n",
           c->name, c->nresp, hpr, (double)c->nkept / (double)c->nresp, k,
           o->runs);
    printf("  %s (profile %s)  median %.2f ns/response (min %.2f max %.2f), "
           "%.3f ns/header, %.3g responses/s\n",
           impl, corsim_profile_name(p), med, ns[0], ns[o->runs - 1],
           med / hpr, 1e9 / med);
    printf("  allocations while timed: %zu by the result's allocator, ",
           cnt.allocs - allocs0);
    if (HAVE_PROCESS_COUNT)
      printf("%zu by the whole process (malloc)\n", process_allocs - proc0);
    else
      printf("the whole process not counted\n");
    printf("RESULT impl=%s corpus=%s responses=%zu headers=%zu kept=%zu "
           "runs=%d ns_per_response=%.3f ns_per_response_min=%.3f "
           "ns_per_response_max=%.3f ns_per_header=%.4f responses_per_s=%.0f "
           "alloc_bytes_per_response=%.0f allocs_per_response=%.0f "
           "process_mallocs=%s%zu profile=%s\n",
           impl, c->name, c->nresp, c->nhdr, c->nkept, o->runs, med, ns[0],
           ns[o->runs - 1], med / hpr, 1e9 / med, alloc_bytes, allocs,
           HAVE_PROCESS_COUNT ? "" : "-", process_allocs - proc0,
           corsim_profile_name(p));
  }
  fflush(stdout);
  free(ns);
  corsim_result_free(b.res);
  return 0;
}

/* ------------------------------------------------------------------------
 * --xml-load and --write-batch
 * ------------------------------------------------------------------------ */

static int xml_load(int runs) {
  double *ms = malloc((size_t)(runs + 1) * sizeof *ms), med;
  int i;
  size_t bytes = corsim_builtin_profiles_xml().len;
  if (!ms)
    return 1;
  for (i = 0; i <= runs; i++) { /* load 0 is the first, cold one */
    corsim_db *db = NULL;
    corsim_diagnostics *d = NULL;
    double t = now_ns();
    int rc;
    corsim_diagnostics_new(&d, NULL);
    rc = corsim_db_load_builtin(&db, NULL, d);
    ms[i] = (now_ns() - t) / 1e6;
    if (rc != 0) {
      fprintf(stderr, "corsim_db_load_builtin: %s\n", corsim_strerror(rc));
      return 1;
    }
    corsim_db_free(db);
    corsim_diagnostics_free(d);
  }
  printf("first load (libxml2 initialised on the way): %.2f ms\n", ms[0]);
  qsort(ms + 1, (size_t)runs, sizeof *ms, cmp_double);
  med = runs % 2 ? ms[1 + runs / 2]
                 : (ms[runs / 2] + ms[1 + runs / 2]) / 2;
  printf("XMLLOAD bytes=%zu runs=%d first_ms=%.3f median_ms=%.3f min_ms=%.3f "
         "max_ms=%.3f\n",
         bytes, runs, ms[0], med, ms[1], ms[runs]);
  free(ms);
  return 0;
}

static int write_batch(const corpus *c, long lines) {
  long i;
  for (i = 0; i < lines; i++) {
    size_t r = (size_t)i % c->nresp, h;
    json_t *hs = json_array(), *o;
    for (h = 0; h < c->info[r].count; h++) {
      const corsim_header *x = &c->resp[r].headers[h];
      json_array_append_new(hs, json_pack("[s%s%]", x->name, x->name_len,
                                          x->value, x->value_len));
    }
    o = json_pack("{s:I s:{s:s s:s s:s} s:[{s:i s:s s:o}]}", "id",
                  (json_int_t)i, "request", "url", URL, "origin", ORIGIN, "credentials",
                  c->info[r].include ? "include" : "omit", "responses",
                  "status", 200, "status_text", "OK", "headers", hs);
    if (!o || json_dumpf(o, stdout, JSON_COMPACT) != 0) {
      json_decref(o);
      return 1;
    }
    json_decref(o);
    putchar('\n');
  }
  return fflush(stdout) != 0;
}

/* ------------------------------------------------------------------------
 * main
 * ------------------------------------------------------------------------ */

static void usage(const char *argv0) {
  fprintf(stderr,
          "usage: %s [--runs N] [--min-ms MS] [--warmup-ms MS] "
          "[--profiles spec,chrome] [--once] CORPUS...\n"
          "       %s --xml-load [--runs N]\n"
          "       %s --write-batch N CORPUS\n",
          argv0, argv0, argv0);
}

int main(int argc, char **argv) {
  options o = {7, 0, 300, 300};
  const char *profiles = "spec,chrome";
  const char **files = calloc((size_t)argc + 1, sizeof *files);
  int nfiles = 0, i, do_xml = 0, rc = 0;
  long batch_lines = -1;
  corsim_db *db = NULL;
  const corsim_profile *prof[MAX_PROFILES];
  char impl[MAX_PROFILES][64];
  size_t nprof = 0, pi;
  corsim_request *req_omit = NULL, *req_include = NULL;

  if (!files)
    return 1;
  for (i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--runs") && i + 1 < argc)
      o.runs = atoi(argv[++i]);
    else if (!strcmp(argv[i], "--min-ms") && i + 1 < argc)
      o.min_ms = atof(argv[++i]);
    else if (!strcmp(argv[i], "--warmup-ms") && i + 1 < argc)
      o.warmup_ms = atof(argv[++i]);
    else if (!strcmp(argv[i], "--profiles") && i + 1 < argc)
      profiles = argv[++i];
    else if (!strcmp(argv[i], "--once"))
      o.once = 1;
    else if (!strcmp(argv[i], "--xml-load"))
      do_xml = 1;
    else if (!strcmp(argv[i], "--write-batch") && i + 1 < argc)
      batch_lines = atol(argv[++i]);
    else if (argv[i][0] == '-') {
      usage(argv[0]);
      return 2;
    } else
      files[nfiles++] = argv[i];
  }
  if (o.runs < 1)
    o.runs = 1;
  if (do_xml)
    return xml_load(o.runs < 21 ? 21 : o.runs);
  if (nfiles == 0) {
    usage(argv[0]);
    return 2;
  }

  /* the profiles: "spec" is built in, browsers come from the database */
  if (corsim_db_load_builtin(&db, NULL, NULL) != 0) {
    fprintf(stderr, "cannot load the built-in profiles\n");
    return 1;
  }
  {
    const char *s = profiles;
    while (*s && nprof < MAX_PROFILES) {
      size_t n = strcspn(s, ",");
      corsim_lookup li;
      if (corsim_db_find(db, s, n, &prof[nprof], &li) != 0) {
        fprintf(stderr, "unknown profile '%.*s'\n", (int)n, s);
        return 2;
      }
      snprintf(impl[nprof], sizeof impl[nprof], "%s%.*s",
               n == 4 && !memcmp(s, "spec", 4) ? "corsim" : "corsim-",
               n == 4 && !memcmp(s, "spec", 4) ? 0 : (int)n, s);
      nprof++;
      s += n;
      if (*s == ',')
        s++;
    }
  }

  if (corsim_request_new(&req_omit, NULL) ||
      corsim_request_set_origin(req_omit, ORIGIN, strlen(ORIGIN)) ||
      corsim_request_set_url(req_omit, URL, strlen(URL)) ||
      corsim_request_set_credentials(req_omit, CORSIM_CREDENTIALS_OMIT) ||
      corsim_request_new(&req_include, NULL) ||
      corsim_request_set_origin(req_include, ORIGIN, strlen(ORIGIN)) ||
      corsim_request_set_url(req_include, URL, strlen(URL)) ||
      corsim_request_set_credentials(req_include,
                                     CORSIM_CREDENTIALS_INCLUDE)) {
    fprintf(stderr, "cannot set up the requests\n");
    return 1;
  }

  for (i = 0; i < nfiles && rc == 0; i++) {
    corpus c;
    if (corpus_load(&c, files[i]) != 0) {
      rc = 1;
      break;
    }
    if (batch_lines >= 0) {
      rc = write_batch(&c, batch_lines);
      corpus_free(&c);
      break;
    }
    for (pi = 0; pi < nprof && rc == 0; pi++)
      if (run_one(&o, &c, prof[pi], impl[pi], req_omit, req_include) != 0)
        rc = 1;
    corpus_free(&c);
  }
  corsim_request_free(req_omit);
  corsim_request_free(req_include);
  corsim_db_free(db);
  free(files);
  return rc;
}
