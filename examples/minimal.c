/*
 * minimal.c -- the smallest complete corsim program: filter one response.
 *
 * What it teaches: the four steps of every use of the library --
 *   1. describe the request (the page's origin and the URL it fetches),
 *   2. describe the response the server sent (status and headers, as
 *      views: corsim copies nothing),
 *   3. filter it under a profile (here the built-in "spec" profile, the
 *      Fetch Standard itself),
 *   4. read what fetch() hands to JavaScript.
 * A page at https://app.example fetches https://api.example/items; the API
 * allows the page's origin and exposes X-Total-Count, so script can read
 * that header and Content-Type (a CORS-safelisted name) but not Server.
 *
 * Run:   ./examples/minimal        (no arguments; built by `make`)
 * Next:  credentials.c, then filter-response.c for response files.
 */
#include <stdio.h>

#include <corsim.h>

int main(void) {
  /* The response, as the server sent it.  Lengths are explicit: corsim
   * never looks for a terminating NUL. */
  static const corsim_header sent[] = {
      {"Content-Type", 12, "application/json", 16},
      {"Access-Control-Allow-Origin", 27, "https://app.example", 19},
      {"Access-Control-Expose-Headers", 29, "X-Total-Count", 13},
      {"X-Total-Count", 13, "87", 2},
      {"Server", 6, "nginx", 5},
  };
  corsim_response resp = {200, "OK", 2, sent, 5};
  corsim_request *req = NULL;
  corsim_result *res = NULL;
  const corsim_header *js;
  size_t n, i;
  int rc;

  /* 1. The request: fetch("https://api.example/items") from a page whose
   *    origin is https://app.example.  Mode "cors", credentials
   *    "same-origin" and redirect "follow" are fetch()'s defaults. */
  if ((rc = corsim_request_new(&req, NULL)) != 0 ||
      (rc = corsim_request_set_origin(req, "https://app.example", 19)) != 0 ||
      (rc = corsim_request_set_url(req, "https://api.example/items", 25)) != 0 ||
      /* 2. A result object to fill (reusable for many responses). */
      (rc = corsim_result_new(&res, NULL)) != 0 ||
      /* 3. Filter under the Fetch Standard's own rules. */
      (rc = corsim_filter(res, corsim_profile_spec(), req, &resp)) != 0) {
    /* A library error (bad input, no memory), not a blocked response. */
    fprintf(stderr, "corsim: %s\n", corsim_strerror(rc));
    corsim_result_free(res);
    corsim_request_free(req);
    return 1;
  }

  /* 4. What script sees.  A blocked response is a result too. */
  if (corsim_result_is_network_error(res)) {
    printf("fetch() rejects: %s\n", corsim_result_message(res));
  } else {
    printf("response.type = \"%s\", status %d\n",
           corsim_response_type_name(corsim_result_type(res)),
           corsim_result_status(res));
    js = corsim_result_js_headers(res, &n);
    printf("Array.from(response.headers):\n");
    for (i = 0; i < n; i++)
      printf("  [\"%.*s\", \"%.*s\"]\n", (int)js[i].name_len, js[i].name,
             (int)js[i].value_len, js[i].value);
  }

  corsim_result_free(res);
  corsim_request_free(req);
  return 0;
}
