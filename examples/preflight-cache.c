/*
 * preflight-cache.c -- a CORS preflight, then the real request, with the
 * preflight cache over time.
 *
 * What it teaches: a request whose method or headers are not
 * CORS-safelisted (here PUT with an X-Api-Key header) makes the browser
 * send an OPTIONS request first (#cors-preflight-fetch-0); the answer's
 * Access-Control-Max-Age says how long the browser may skip the next
 * preflight (#concept-cache), and each browser caps it: the Fetch
 * Standard sets no cap, Chromium caps it at 2 hours, Firefox at 24 hours,
 * WebKit at 10 minutes (behaviour "preflight.max_age_cap" of
 * data/profiles.xml).  The clock is the caller's: corsim_fetch() takes
 * "now" in seconds, so an engine passes its own time and a test passes
 * any time it likes.
 *
 * Part 1 replays the same fetch at several times, one cache per browser,
 * and prints whether a preflight went out ("sent") or the cache answered
 * ("cached").  Part 2 shows that a failed preflight clears the cache
 * entries of that origin and URL (#concept-cache-clear).
 *
 * Run:   ./examples/preflight-cache
 */
#include <stdio.h>
#include <string.h>

#include <corsim.h>

#define H(name, value) {name, sizeof name - 1, value, sizeof value - 1}

/* The answer to OPTIONS https://api.example/items/7. */
static const corsim_header preflight_headers[] = {
    H("Access-Control-Allow-Origin", "https://app.example"),
    H("Access-Control-Allow-Methods", "GET, PUT, DELETE"),
    H("Access-Control-Allow-Headers", "X-Api-Key, Content-Type"),
    H("Access-Control-Max-Age", "86400"),
};
static const corsim_response preflight = {204, "No Content", 10,
                                          preflight_headers, 4};

/* The answer to the PUT itself. */
static const corsim_header put_headers[] = {
    H("Content-Type", "application/json"),
    H("Access-Control-Allow-Origin", "https://app.example"),
};
static const corsim_response put_response = {200, "OK", 2, put_headers, 2};

static int new_request(corsim_request **req, const char *header) {
  const char *colon = strchr(header, ':');
  int rc;
  if ((rc = corsim_request_new(req, NULL)) != 0 ||
      (rc = corsim_request_set_origin(*req, "https://app.example", 19)) != 0 ||
      (rc = corsim_request_set_url(*req, "https://api.example/items/7", 27)) !=
          0 ||
      (rc = corsim_request_set_method(*req, "PUT", 3)) != 0)
    return rc;
  return corsim_headers_append(corsim_request_headers(*req), header,
                               (size_t)(colon - header), colon + 2,
                               strlen(colon + 2), 0);
}

/* One fetch at time now; returns the preflight state, or -1. */
static int fetch_at(corsim_result *res, const corsim_profile *p,
                    const corsim_request *req, corsim_cache *cache,
                    double now) {
  /* The preflight response is offered every time; corsim_fetch() uses it
   * only when the cache cannot answer. */
  if (corsim_fetch(res, p, req, &preflight, &put_response, 1, cache, now) != 0)
    return -1;
  return (int)corsim_result_preflight_state(res);
}

static const char *state_word(int state) {
  switch (state) {
  case CORSIM_PREFLIGHT_PASSED:
    return "sent";
  case CORSIM_PREFLIGHT_CACHED:
    return "cached";
  case CORSIM_PREFLIGHT_FAILED:
    return "FAILED";
  default:
    return "?";
  }
}

int main(void) {
  static const char *const browsers[] = {"spec", "chromium/156",
                                         "firefox/153", "webkitgtk/2.50"};
  static const double times[] = {0, 60, 601, 7201, 86401};
  enum { NB = sizeof browsers / sizeof browsers[0] };
  const corsim_profile *profile[NB];
  corsim_cache *cache[NB] = {NULL};
  corsim_db *db = NULL;
  corsim_request *req = NULL, *traced = NULL;
  corsim_result *res = NULL;
  size_t b, t;
  int rc, state, status = 1;

  if ((rc = corsim_db_load_default(&db, NULL, NULL)) != 0 ||
      (rc = corsim_result_new(&res, NULL)) != 0 ||
      (rc = new_request(&req, "X-Api-Key: k1")) != 0 ||
      (rc = new_request(&traced, "X-Trace: 1")) != 0) {
    fprintf(stderr, "corsim: %s\n", corsim_strerror(rc));
    goto out;
  }
  for (b = 0; b < NB; b++) {
    /* One cache per browser: each keeps its own. */
    if ((rc = corsim_db_find(db, browsers[b], strlen(browsers[b]), &profile[b],
                             NULL)) != 0 ||
        (rc = corsim_cache_new(&cache[b], NULL, 0)) != 0) {
      fprintf(stderr, "%s: %s\n", browsers[b], corsim_strerror(rc));
      goto out;
    }
  }

  printf("Part 1: PUT /items/7 with X-Api-Key; the preflight answers "
         "Access-Control-Max-Age: 86400\n\n");
  printf("%-10s", "time");
  for (b = 0; b < NB; b++)
    printf(b + 1 < NB ? " %-15s" : " %s\n", browsers[b]);
  for (t = 0; t < sizeof times / sizeof times[0]; t++) {
    printf("%-10.0f", times[t]);
    for (b = 0; b < NB; b++) {
      if ((state = fetch_at(res, profile[b], req, cache[b], times[t])) < 0)
        goto out;
      printf(b + 1 < NB ? " %-15s" : " %s\n", state_word(state));
    }
  }
  printf("(seconds; \"sent\": an OPTIONS request went out and allowed the "
         "PUT)\n");

  /* Part 2, under the spec profile: at t=100000 the cache holds fresh
   * entries for PUT and X-Api-Key (sent at t=86401). */
  printf("\nPart 2 (spec): a failed preflight clears the cache\n");
  printf("  t=100000 PUT with X-Api-Key:  preflight %s, %zu cache entries\n",
         state_word(fetch_at(res, profile[0], req, cache[0], 100000)),
         corsim_cache_count(cache[0], 100000));
  state = fetch_at(res, profile[0], traced, cache[0], 100001);
  printf("  t=100001 PUT with X-Trace:    preflight %s (%s), %zu cache "
         "entries\n",
         state_word(state), corsim_block_reason_name(corsim_result_reason(res)),
         corsim_cache_count(cache[0], 100001));
  printf("  t=100002 PUT with X-Api-Key:  preflight %s\n",
         state_word(fetch_at(res, profile[0], req, cache[0], 100002)));
  status = 0;

out:
  for (b = 0; b < NB; b++)
    corsim_cache_free(cache[b]);
  corsim_result_free(res);
  corsim_request_free(traced);
  corsim_request_free(req);
  corsim_db_free(db);
  return status;
}
