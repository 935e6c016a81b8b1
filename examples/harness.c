/*
 * harness.c -- a test harness that prints per-browser expectations.
 *
 * What it teaches: how a web-platform test suite can ask corsim what each
 * browser should give script, instead of launching the browsers.  Each
 * case is a request plus a response head from examples/responses/; every
 * case runs under each profile of a list (fixed releases, so that the
 * expectations do not move when the data file learns of new releases),
 * and the browsers that agree are grouped, so the output reads as "what
 * to expect, and where browsers differ".  The expectation format is the
 * one such a harness would compare with what fetch() gave in the
 * browser: the response type and status and the sorted header names of
 * Array.from(response.headers), or "TypeError" and the reason.
 *
 * Heads are parsed with corsim_head_parse() under each profile, since
 * browsers' network stacks differ too, and the whole fetch runs with
 * corsim_fetch_heads() (one head here; a chain works the same way).
 *
 * Run:   ./examples/harness [DIR]
 * DIR holds the response heads (default: examples/responses, so run it
 * from the top of the source tree).
 * For JSON in and out, the command-line tool's `corsim batch` does the
 * same job for harnesses written in other languages (corsim(1)).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <corsim.h>

typedef struct {
  const char *id;
  const char *file;
  const char *url;
  corsim_credentials credentials;
} test_case;

static const test_case cases[] = {
    {"api-list", "api-json.http", "https://api.example/v1/items",
     CORSIM_CREDENTIALS_SAME_ORIGIN},
    {"cdn-star", "cdn-wildcard.http", "https://cdn.example/lib.js",
     CORSIM_CREDENTIALS_OMIT},
    {"cdn-star-cookies", "cdn-wildcard.http", "https://cdn.example/lib.js",
     CORSIM_CREDENTIALS_INCLUDE},
    {"credentialed-star", "credentialed-wildcard.http",
     "https://api.example/me", CORSIM_CREDENTIALS_INCLUDE},
    {"repeated-header", "repeated-header.http", "https://api.example/tags",
     CORSIM_CREDENTIALS_SAME_ORIGIN},
};

static const char *const browsers[] = {
    "spec",      "chrome/64",   "chrome/75",    "chrome/76",
    "firefox/68", "firefox/153", "safari/12",   "safari/26.6",
    "chromium/156", "webkitgtk/2.50"};
#define NBROWSERS (sizeof browsers / sizeof browsers[0])

static char *slurp(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  char *buf = NULL;
  long n;
  if (f && fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 &&
      fseek(f, 0, SEEK_SET) == 0 && (buf = malloc((size_t)n + 1)) != NULL) {
    *len = fread(buf, 1, (size_t)n, f);
  }
  if (f)
    fclose(f);
  return buf;
}

/* Writes the expectation for one browser into out. */
static int expect(const corsim_profile *p, const test_case *tc,
                  const char *data, size_t len, corsim_result *res,
                  char *out, size_t cap) {
  corsim_request *req = NULL;
  corsim_head *head = NULL;
  int rc;

  if ((rc = corsim_request_new(&req, NULL)) == 0 &&
      (rc = corsim_request_set_origin(req, "https://app.example", 19)) == 0 &&
      (rc = corsim_request_set_url(req, tc->url, strlen(tc->url))) == 0 &&
      (rc = corsim_request_set_credentials(req, tc->credentials)) == 0 &&
      (rc = corsim_head_new(&head, NULL)) == 0 &&
      (rc = corsim_head_parse(head, p, data, len, NULL)) == 0) {
    const corsim_head *const hops[1] = {head};
    rc = corsim_fetch_heads(res, p, req, NULL, hops, 1, NULL, 0);
  }
  if (rc == 0) {
    size_t used, n, i;
    const corsim_header *js;
    if (corsim_result_is_network_error(res)) {
      snprintf(out, cap, "TypeError (%s)",
               corsim_block_reason_name(corsim_result_reason(res)));
    } else {
      used = (size_t)snprintf(out, cap, "%s %d [",
                              corsim_response_type_name(corsim_result_type(res)),
                              corsim_result_status(res));
      js = corsim_result_js_headers(res, &n);
      for (i = 0; i < n && used < cap; i++)
        used += (size_t)snprintf(out + used, cap - used, "%s%.*s: %.*s",
                                 i ? ", " : "", (int)js[i].name_len,
                                 js[i].name, (int)js[i].value_len,
                                 js[i].value);
      if (used < cap)
        snprintf(out + used, cap - used, "]");
    }
  }
  corsim_head_free(head);
  corsim_request_free(req);
  return rc;
}

int main(int argc, char **argv) {
  const char *dir = argc > 1 ? argv[1] : "examples/responses";
  char expectation[NBROWSERS][512];
  const corsim_profile *profiles[NBROWSERS];
  corsim_db *db = NULL;
  corsim_result *res = NULL;
  size_t c, b, k;
  int rc, status = 1;

  if ((rc = corsim_db_load_default(&db, NULL, NULL)) != 0 ||
      (rc = corsim_result_new(&res, NULL)) != 0) {
    fprintf(stderr, "corsim: %s\n", corsim_strerror(rc));
    goto out;
  }
  for (b = 0; b < NBROWSERS; b++) {
    if (corsim_db_find(db, browsers[b], strlen(browsers[b]), &profiles[b],
                       NULL) != 0) {
      fprintf(stderr, "unknown profile %s\n", browsers[b]);
      goto out;
    }
  }

  for (c = 0; c < sizeof cases / sizeof cases[0]; c++) {
    const test_case *tc = &cases[c];
    char path[1024];
    size_t len = 0;
    char *data;
    int done[NBROWSERS] = {0};

    snprintf(path, sizeof path, "%s/%s", dir, tc->file);
    if ((data = slurp(path, &len)) == NULL) {
      perror(path);
      goto out;
    }
    for (b = 0; b < NBROWSERS; b++) {
      if ((rc = expect(profiles[b], tc, data, len, res, expectation[b],
                       sizeof expectation[b])) != 0) {
        fprintf(stderr, "%s under %s: %s\n", tc->id, browsers[b],
                corsim_strerror(rc));
        free(data);
        goto out;
      }
    }
    free(data);

    printf("%s: GET %s, credentials %s, response %s\n", tc->id, tc->url,
           corsim_credentials_name(tc->credentials), tc->file);
    /* Group the browsers that expect the same thing. */
    for (b = 0; b < NBROWSERS; b++) {
      if (done[b])
        continue;
      printf("  expect %s\n    in", expectation[b]);
      for (k = b; k < NBROWSERS; k++) {
        if (!done[k] && strcmp(expectation[k], expectation[b]) == 0) {
          printf(" %s", browsers[k]);
          done[k] = 1;
        }
      }
      printf("\n");
    }
    printf("\n");
  }
  status = 0;

out:
  corsim_result_free(res);
  corsim_db_free(db);
  return status;
}
