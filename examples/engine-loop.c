/*
 * engine-loop.c -- embedding corsim in a browser engine's network loop.
 *
 * What it teaches: the shape of an embedding that does no per-response
 * allocation in corsim:
 *   - load the profile database once at start-up and look the profile up
 *     once (both are immutable and may be shared between threads);
 *   - give the result object the engine's allocator (here one that counts)
 *     and reserve room once with corsim_result_reserve();
 *   - for each response off the wire, point a corsim_response at the
 *     engine's own header storage (views: nothing is copied) and call
 *     corsim_filter(); the result's views then point into the engine's
 *     buffers and the request, so those must live as long as they are used.
 * The loop feeds six responses for a page at https://app.example through
 * one result and checks, with the counting allocator, that corsim_filter()
 * allocated nothing.  Exit status 1 if it did.
 *
 * Run:   ./examples/engine-loop
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <corsim.h>

/* ---- the engine's allocator: malloc with a counter ---------------------- */
typedef struct {
  unsigned long calls;
} alloc_stats;

static void *count_malloc(size_t n, void *ud) {
  ((alloc_stats *)ud)->calls++;
  return malloc(n);
}
static void *count_realloc(void *p, size_t n, void *ud) {
  ((alloc_stats *)ud)->calls++;
  return realloc(p, n);
}
static void count_free(void *p, void *ud) {
  (void)ud;
  free(p);
}

/* ---- what the engine's HTTP stack hands over ----------------------------- */
#define H(name, value) {name, sizeof name - 1, value, sizeof value - 1}
typedef struct {
  const char *url;
  corsim_mode mode;
  corsim_response response;
} wire_response;

static const corsim_header api_h[] = {
    H("Content-Type", "application/json"),
    H("Access-Control-Allow-Origin", "https://app.example"),
    H("Access-Control-Expose-Headers", "X-Total-Count"),
    H("X-Total-Count", "87"),
};
static const corsim_header cdn_h[] = {
    H("Content-Type", "text/javascript"),
    H("Access-Control-Allow-Origin", "*"),
    H("Age", "3600"),
};
static const corsim_header img_h[] = {
    H("Content-Type", "image/png"),
    H("Content-Length", "5120"),
};
static const corsim_header own_h[] = {
    H("Content-Type", "text/html"),
    H("Set-Cookie", "sid=1; Secure; HttpOnly"),
    H("X-Frame-Options", "DENY"),
};
static const corsim_header err_h[] = {
    H("Content-Type", "text/html"),
};

static const wire_response network[] = {
    {"https://api.example/v1/items", CORSIM_MODE_CORS,
     {200, "OK", 2, api_h, 4}},
    {"https://cdn.example/lib.js", CORSIM_MODE_CORS, {200, "OK", 2, cdn_h, 3}},
    {"https://img.example/logo.png", CORSIM_MODE_NO_CORS,
     {200, "OK", 2, img_h, 2}},
    {"https://app.example/settings", CORSIM_MODE_CORS,
     {200, "OK", 2, own_h, 3}},
    {"https://api.example/v1/crash", CORSIM_MODE_CORS,
     {500, "Internal Server Error", 21, err_h, 1}},
    {"https://api.example/v1/items?page=2", CORSIM_MODE_CORS,
     {200, "OK", 2, api_h, 4}},
};

int main(void) {
  alloc_stats stats = {0};
  corsim_allocator counting = {count_malloc, count_realloc, count_free, NULL};
  corsim_db *db = NULL;
  const corsim_profile *profile;
  corsim_result *res = NULL;
  corsim_request *req = NULL;
  unsigned long in_filter = 0;
  size_t i, j, n;
  int rc;

  counting.user_data = &stats;

  /* Start-up: once per process. */
  if ((rc = corsim_db_load_builtin(&db, NULL, NULL)) != 0 ||
      (rc = corsim_db_find(db, "chromium/156", 12, &profile, NULL)) != 0 ||
      (rc = corsim_result_new(&res, &counting)) != 0 ||
      /* Room for any response of up to 64 headers and 16 KiB of names and
       * values: the engine's own header limits. */
      (rc = corsim_result_reserve(res, 64, 16384)) != 0 ||
      (rc = corsim_request_new(&req, NULL)) != 0 ||
      (rc = corsim_request_set_origin(req, "https://app.example", 19)) != 0)
    goto out;
  printf("start-up: database loaded, profile %s, result reserved\n\n",
         corsim_profile_name(profile));

  /* The loop: one iteration per response that arrives. */
  for (i = 0; i < sizeof network / sizeof network[0]; i++) {
    const wire_response *w = &network[i];
    unsigned long before;
    const corsim_header *js;

    /* The request belongs to the fetch, not to corsim's hot path. */
    if ((rc = corsim_request_set_url(req, w->url, strlen(w->url))) != 0 ||
        (rc = corsim_request_set_mode(req, w->mode)) != 0)
      goto out;

    before = stats.calls;
    rc = corsim_filter(res, profile, req, &w->response);
    in_filter += stats.calls - before;
    if (rc != 0)
      goto out;

    /* Hand the outcome to script. */
    printf("%-36s ", w->url);
    if (corsim_result_is_network_error(res)) {
      printf("TypeError (%s)\n",
             corsim_block_reason_name(corsim_result_reason(res)));
      continue;
    }
    printf("%s %d [", corsim_response_type_name(corsim_result_type(res)),
           corsim_result_status(res));
    js = corsim_result_js_headers(res, &n);
    for (j = 0; j < n; j++)
      printf("%s%.*s", j ? " " : "", (int)js[j].name_len, js[j].name);
    printf("]\n");
  }

  printf("\ncorsim_filter() ran %zu times and allocated %lu times.\n", i,
         in_filter);
  rc = in_filter == 0 ? 0 : CORSIM_ERR_NOMEM;

out:
  if (rc == CORSIM_ERR_NOMEM && in_filter != 0)
    fprintf(stderr, "the filtering path allocated\n");
  else if (rc != 0)
    fprintf(stderr, "corsim: %s\n", corsim_strerror(rc));
  corsim_request_free(req);
  corsim_result_free(res);
  corsim_db_free(db);
  return rc != 0;
}
