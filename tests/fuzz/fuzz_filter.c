/*
 * fuzz_filter.c -- the whole pipeline: a request, optional preflight
 * response, the raw heads of a redirect chain, and a browser profile, all
 * chosen by the input, through corsim_fetch_heads() (preflight, cache,
 * redirects, CORS check, filtered response), corsim_filter_head() and
 * corsim_filter().
 *
 * Input: the golden-case format of tests/cases (so every case is a seed):
 * "key: value" lines up to an empty line, then response heads.  Keys:
 * origin, url, mode, credentials, redirect, method, profile (a name such as
 * "chrome/75", or "#N" for the N-th release in the built-in database),
 * header ("Name: value", a request header), preflight ("yes": the first
 * head answers the preflight), cache ("yes": run the fetch twice against
 * one preflight cache).  Unknown keys and bad values are ignored.
 * Checked: results are well formed (a NUL-terminated message, a decision
 * per internal header, views inside the input), and once a result has
 * been reserved for a response, filtering it allocates nothing.
 */
#include <string.h>

#include "fuzz.h"
#include "internal.h"

#define MAX_HEADS 8

typedef struct counter {
  size_t allocs;
} counter;

static void *c_malloc(size_t n, void *ud) {
  ((counter *)ud)->allocs++;
  return malloc(n);
}
static void *c_realloc(void *p, size_t n, void *ud) {
  ((counter *)ud)->allocs++;
  return realloc(p, n);
}
static void c_free(void *p, void *ud) {
  (void)ud;
  free(p);
}

static corsim_db *db;
static size_t nprofiles;

static const corsim_profile *profile_n(size_t k) {
  size_t i, j, nb = corsim_db_browser_count(db);
  for (i = 0; i < nb; i++) {
    corsim_browser_info bi;
    if (corsim_db_browser(db, i, &bi))
      break;
    for (j = 0; j < bi.release_count; j++) {
      corsim_release_info ri;
      if (k-- == 0 && corsim_db_release(db, i, j, &ri) == 0)
        return ri.profile;
    }
  }
  return corsim_profile_spec();
}

static void init(void) {
  size_t i, nb;
  corsim_diagnostics *diag = NULL;
  if (db)
    return;
  if (corsim_diagnostics_new(&diag, NULL))
    abort();
  if (corsim_db_load_builtin(&db, NULL, diag)) {
    for (i = 0; i < corsim_diagnostics_count(diag) && i < 5; i++) {
      const corsim_diagnostic *e = corsim_diagnostics_get(diag, i);
      fprintf(stderr, "%s:%lu:%lu: %s\n", e->file, e->line, e->column,
              e->message);
    }
    abort(); /* the compiled-in profiles must load */
  }
  corsim_diagnostics_free(diag);
  nb = corsim_db_browser_count(db);
  for (i = 0; i < nb; i++) {
    corsim_browser_info bi;
    if (corsim_db_browser(db, i, &bi) == 0)
      nprofiles += bi.release_count;
  }
}

void fuzz_target_cleanup(void) {
  corsim_db_free(db);
  db = NULL;
  nprofiles = 0;
}

static void check_result(const corsim_result *res) {
  size_t n, i, nint;
  const corsim_header *hd;
  const corsim_str *names;
  corsim_expose_state es;
  const char *msg = corsim_result_message(res);
  FUZZ_ASSERT(msg != NULL);
  (void)strlen(msg);
  FUZZ_ASSERT(corsim_response_type_name(corsim_result_type(res)) != NULL);
  FUZZ_ASSERT(corsim_block_reason_name(corsim_result_reason(res)) != NULL);
  if (corsim_result_is_network_error(res)) {
    FUZZ_ASSERT(corsim_result_type(res) == CORSIM_TYPE_ERROR);
    corsim_result_headers(res, &n);
    FUZZ_ASSERT(n == 0);
  }
  hd = corsim_result_internal_headers(res, &nint);
  for (i = 0; i < nint; i++)
    FUZZ_ASSERT(corsim_decision_name(corsim_result_decision(res, i)));
  hd = corsim_result_headers(res, &n);
  FUZZ_ASSERT(n <= nint);
  hd = corsim_result_js_headers(res, &n);
  for (i = 0; i < n; i++) {
    size_t k;
    for (k = 0; k < hd[i].name_len; k++)
      FUZZ_ASSERT(!(hd[i].name[k] >= 'A' && hd[i].name[k] <= 'Z'));
  }
  corsim_result_set_cookies(res, &n);
  es = corsim_result_expose_state(res, &names, &n);
  FUZZ_ASSERT(corsim_expose_state_name(es) != NULL);
  (void)corsim_result_status_text(res);
  (void)corsim_result_url(res);
  (void)corsim_preflight_state_name(corsim_result_preflight_state(res));
}

/* corsim_filter() on a response whose result was reserved first: no
 * allocation at all. */
static void check_no_alloc(const corsim_profile *p, const corsim_request *req,
                           const corsim_response *r) {
  counter c = {0};
  corsim_allocator a = {c_malloc, c_realloc, c_free, &c};
  corsim_result *res = NULL;
  size_t i, bytes = 0, before;
  int rc;
  for (i = 0; i < r->header_count; i++)
    bytes += r->headers[i].name_len + r->headers[i].value_len;
  if (corsim_result_new(&res, &a))
    abort();
  if (corsim_result_reserve(res, r->header_count, bytes) == 0) {
    before = c.allocs;
    rc = corsim_filter(res, p, req, r);
    FUZZ_ASSERT(rc == 0 || rc == CORSIM_ERR_INCOMPLETE_REQUEST ||
                rc == CORSIM_ERR_TOO_LARGE);
    FUZZ_ASSERT(c.allocs == before);
    if (rc == 0)
      check_result(res);
  }
  corsim_result_free(res);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const char *d = (const char *)data, *end = d + size, *p = d;
  const corsim_profile *prof = corsim_profile_spec();
  corsim_request *req = NULL;
  corsim_result *res = NULL;
  corsim_cache *cache = NULL;
  corsim_head *heads[MAX_HEADS], *pre = NULL;
  size_t nheads = 0, pos, len, i;
  int want_pre = 0, want_cache = 0, rc, needed;
  char ubuf[256];
  size_t ulen;

  init();
  if (corsim_request_new(&req, NULL) || corsim_result_new(&res, NULL))
    abort();
  /* the request: key: value lines up to an empty line */
  while (p < end) {
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    const char *e = nl ? nl : end, *colon, *v;
    size_t kl, vl;
    if (e > p && e[-1] == '\r')
      e--;
    if (e == p) {
      p = nl ? nl + 1 : end;
      break;
    }
    colon = memchr(p, ':', (size_t)(e - p));
    if (p[0] != '#' && colon) {
      kl = (size_t)(colon - p);
      v = colon + 1;
      while (v < e && *v == ' ')
        v++;
      vl = (size_t)(e - v);
#define KEY(k) (kl == sizeof(k) - 1 && memcmp(p, k, kl) == 0)
      if (KEY("origin"))
        corsim_request_set_origin(req, v, vl);
      else if (KEY("url"))
        corsim_request_set_url(req, v, vl);
      else if (KEY("method"))
        corsim_request_set_method(req, v, vl);
      else if (KEY("mode")) {
        corsim_mode m;
        if (!corsim_mode_from_string(v, vl, &m))
          corsim_request_set_mode(req, m);
      } else if (KEY("credentials")) {
        corsim_credentials c;
        if (!corsim_credentials_from_string(v, vl, &c))
          corsim_request_set_credentials(req, c);
      } else if (KEY("redirect")) {
        corsim_redirect r;
        if (!corsim_redirect_from_string(v, vl, &r))
          corsim_request_set_redirect(req, r);
      } else if (KEY("profile")) {
        if (vl > 1 && v[0] == '#') {
          size_t k = 0;
          for (i = 1; i < vl && i < 8 && v[i] >= '0' && v[i] <= '9'; i++)
            k = k * 10 + (size_t)(v[i] - '0');
          prof = profile_n(nprofiles ? k % nprofiles : 0);
        } else if (corsim_db_find(db, v, vl, &prof, NULL) != 0) {
          char hint[128];
          corsim_db_suggest(db, v, vl, hint, sizeof hint);
          prof = corsim_profile_spec();
        }
      } else if (KEY("header")) {
        const char *hc = memchr(v, ':', vl);
        if (hc)
          corsim_headers_append(corsim_request_headers(req), v,
                                (size_t)(hc - v), hc + 1,
                                vl - (size_t)(hc + 1 - v),
                                CORSIM_HEADER_NORMALIZE);
      } else if (KEY("preflight")) {
        want_pre = vl == 3 && memcmp(v, "yes", 3) == 0;
      } else if (KEY("cache")) {
        want_cache = vl == 3 && memcmp(v, "yes", 3) == 0;
      }
#undef KEY
    }
    p = nl ? nl + 1 : end;
  }

  /* the heads: a chain, each after the previous one's body */
  pos = (size_t)(p - d);
  len = size;
  while (pos < len && nheads < MAX_HEADS) {
    corsim_head *h = NULL;
    size_t consumed = 0;
    if (corsim_head_new(&h, NULL))
      abort();
    rc = corsim_head_parse(h, prof, d + pos, len - pos, &consumed);
    if (rc) {
      corsim_head_free(h);
      break;
    }
    if (want_pre && !pre)
      pre = h;
    else
      heads[nheads++] = h;
    pos += consumed;
    while (pos < len && !(d[pos - 1] == '\n' && len - pos >= 5 &&
                          memcmp(d + pos, "HTTP/", 5) == 0))
      pos++;
  }

  (void)corsim_request_is_same_origin(req);
  if (corsim_request_needs_preflight(req, prof, &needed) == 0)
    FUZZ_ASSERT(needed == 0 || needed == 1);
  rc = corsim_request_unsafe_headers(req, ubuf, sizeof ubuf, &ulen);
  FUZZ_ASSERT(rc == 0 || rc == CORSIM_ERR_BUFFER_TOO_SMALL);

  if (nheads) {
    rc = corsim_filter_head(res, prof, req, heads[0]);
    if (rc == 0)
      check_result(res);
    check_no_alloc(prof, req, corsim_head_response(heads[0]));
    if (want_cache && corsim_cache_new(&cache, NULL, 4))
      abort();
    rc = corsim_fetch_heads(res, prof, req, pre,
                            (const corsim_head *const *)heads, nheads, cache,
                            100.0);
    if (rc == 0) {
      check_result(res);
      FUZZ_ASSERT(corsim_result_hop_count(res) <= nheads);
    }
    if (cache) {
      /* again, five seconds later: the cache may answer now */
      rc = corsim_fetch_heads(res, prof, req, NULL,
                              (const corsim_head *const *)heads, nheads,
                              cache, 105.0);
      if (rc == 0)
        check_result(res);
      (void)corsim_cache_count(cache, 105.0);
    }
  }
  corsim_cache_free(cache);
  for (i = 0; i < nheads; i++)
    corsim_head_free(heads[i]);
  corsim_head_free(pre);
  corsim_result_free(res);
  corsim_request_free(req);
  return 0;
}
