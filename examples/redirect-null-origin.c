/*
 * redirect-null-origin.c -- a redirect chain that turns the origin into
 * "null".
 *
 * What it teaches: fetch() follows redirects itself, and every hop of a
 * CORS request must pass the CORS check.  Once a cross-origin URL
 * redirects to yet another origin, the request's origin becomes an opaque
 * origin: the browser sends "Origin: null", and the last server must allow
 * "null" (or "*"), not the page's origin (Fetch #http-redirect-fetch step
 * 10 via #concept-request-tainted-origin, and #concept-cors-check).  A
 * chain that starts on the page's own origin keeps the real origin.
 *
 * The chain is a download: https://api.example/export answers 302 with a
 * signed storage URL on https://storage.example.  Four variants of the
 * storage server's answer (and of where the chain starts) go through
 * corsim_fetch_heads(), which parses each raw head and runs the whole
 * fetch; the program prints response.url and response.redirected, or the
 * reason for the network error.
 *
 * Run:   ./examples/redirect-null-origin
 * The same chain as a file, for the command-line tool:
 *        corsim explain --origin https://app.example \
 *            --url https://api.example/export \
 *            examples/responses/download-redirect.http
 */
#include <stdio.h>
#include <string.h>

#include <corsim.h>

#define API_HOP                                                               \
  "HTTP/1.1 302 Found\r\n"                                                    \
  "Location: https://storage.example/exports/42.csv?sig=c2lnbmVk\r\n"         \
  "Access-Control-Allow-Origin: https://app.example\r\n\r\n"
#define SAME_ORIGIN_HOP                                                       \
  "HTTP/1.1 302 Found\r\n"                                                    \
  "Location: https://storage.example/exports/42.csv?sig=c2lnbmVk\r\n\r\n"

static const struct {
  const char *what;
  const char *url;  /* what the page fetches */
  const char *hop1; /* its answer: a redirect */
  const char *acao; /* the storage server's Access-Control-Allow-Origin */
} variants[] = {
    {"storage allows the page's origin", "https://api.example/export",
     API_HOP, "https://app.example"},
    {"storage allows '*'", "https://api.example/export", API_HOP, "*"},
    {"storage allows 'null'", "https://api.example/export", API_HOP, "null"},
    {"the chain starts on the page's origin", "https://app.example/export",
     SAME_ORIGIN_HOP, "https://app.example"},
};

int main(void) {
  corsim_result *res = NULL;
  size_t v;
  int rc = 0;

  if ((rc = corsim_result_new(&res, NULL)) != 0)
    goto out;
  for (v = 0; v < sizeof variants / sizeof variants[0]; v++) {
    corsim_request *req = NULL;
    corsim_head *hop[2] = {NULL, NULL};
    const corsim_head *chain[2];
    const char *url = variants[v].url;
    char storage[256];
    int n = snprintf(storage, sizeof storage,
                     "HTTP/1.1 200 OK\r\nContent-Type: text/csv\r\n"
                     "Access-Control-Allow-Origin: %s\r\n\r\n",
                     variants[v].acao);

    if ((rc = corsim_request_new(&req, NULL)) == 0 &&
        (rc = corsim_request_set_origin(req, "https://app.example", 19)) == 0 &&
        (rc = corsim_request_set_url(req, url, strlen(url))) == 0 &&
        (rc = corsim_head_new(&hop[0], NULL)) == 0 &&
        (rc = corsim_head_new(&hop[1], NULL)) == 0 &&
        (rc = corsim_head_parse(hop[0], NULL, variants[v].hop1,
                                strlen(variants[v].hop1), NULL)) == 0 &&
        (rc = corsim_head_parse(hop[1], NULL, storage, (size_t)n, NULL)) ==
            0) {
      chain[0] = hop[0];
      chain[1] = hop[1];
      rc = corsim_fetch_heads(res, corsim_profile_spec(), req, NULL, chain, 2,
                              NULL, 0);
    }
    if (rc == 0) {
      printf("%zu. %s\n", v + 1, variants[v].what);
      printf("   fetch(\"%s\") from https://app.example\n", url);
      printf("   -> 302 to https://storage.example/exports/42.csv?sig=...\n");
      printf("   -> 200, Access-Control-Allow-Origin: %s\n",
             variants[v].acao);
      if (corsim_result_is_network_error(res)) {
        printf("   network error (%s): %s\n",
               corsim_block_reason_name(corsim_result_reason(res)),
               corsim_result_message(res));
      } else {
        corsim_str u = corsim_result_url(res);
        printf("   response.type \"%s\", response.redirected %s,\n"
               "   response.url \"%.*s\"\n",
               corsim_response_type_name(corsim_result_type(res)),
               corsim_result_redirected(res) ? "true" : "false", (int)u.len,
               u.ptr);
      }
      printf("\n");
    }
    corsim_head_free(hop[0]);
    corsim_head_free(hop[1]);
    corsim_request_free(req);
    if (rc != 0)
      break;
  }

out:
  if (rc != 0)
    fprintf(stderr, "corsim: %s\n", corsim_strerror(rc));
  corsim_result_free(res);
  return rc != 0;
}
