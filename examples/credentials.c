/*
 * credentials.c -- credentials and the "*" wildcard.
 *
 * What it teaches: the same cross-origin response means different things
 * to fetch(url, {credentials: "omit"}), the default "same-origin" and
 * "include".  Three server configurations are tried under each mode:
 *
 *   A. a public CDN:   Access-Control-Allow-Origin: *
 *                      Access-Control-Expose-Headers: *
 *   B. a private API that echoes the Origin, allows credentials and
 *      still says Access-Control-Expose-Headers: *
 *   C. the same API naming the header it exposes.
 *
 * The rules at work (Fetch Standard, #concept-cors-check and main fetch
 * step 4.a): with credentials mode "include", Access-Control-Allow-Origin
 * must be the exact origin (never "*") and Access-Control-Allow-Credentials
 * must be exactly "true"; and the "*" of Access-Control-Expose-Headers is a
 * wildcard only without "include" -- with it, "*" is just a header name.
 * "same-origin" sends no cookies to another origin, so a cross-origin
 * request in that mode is checked like "omit".
 * The program also prints how the library read Access-Control-Expose-Headers
 * (corsim_result_expose_state()).
 *
 * Run:   ./examples/credentials
 */
#include <stdio.h>

#include <corsim.h>

#define H(name, value) {name, sizeof name - 1, value, sizeof value - 1}

static const corsim_header cdn[] = {
    H("Content-Type", "text/javascript"),
    H("Access-Control-Allow-Origin", "*"),
    H("Access-Control-Expose-Headers", "*"),
    H("X-Cache", "HIT"),
};
static const corsim_header api_star[] = {
    H("Content-Type", "application/json"),
    H("Access-Control-Allow-Origin", "https://app.example"),
    H("Access-Control-Allow-Credentials", "true"),
    H("Access-Control-Expose-Headers", "*"),
    H("Vary", "Origin"),
    H("X-Cache", "MISS"),
};
static const corsim_header api_named[] = {
    H("Content-Type", "application/json"),
    H("Access-Control-Allow-Origin", "https://app.example"),
    H("Access-Control-Allow-Credentials", "true"),
    H("Access-Control-Expose-Headers", "X-Cache"),
    H("Vary", "Origin"),
    H("X-Cache", "MISS"),
};

static const struct {
    const char *title;
    const corsim_header *headers;
    size_t count;
} servers[] = {
    {"A. public CDN: Allow-Origin *, Expose-Headers *", cdn, 4},
    {"B. API: echoes the origin, Allow-Credentials true, Expose-Headers *",
     api_star, 6},
    {"C. API: echoes the origin, Allow-Credentials true, "
     "Expose-Headers X-Cache",
     api_named, 6},
};

int main(void) {
  static const corsim_credentials modes[] = {CORSIM_CREDENTIALS_OMIT,
                                             CORSIM_CREDENTIALS_SAME_ORIGIN,
                                             CORSIM_CREDENTIALS_INCLUDE};
  corsim_request *req = NULL;
  corsim_result *res = NULL;
  size_t s, m, i, n;
  int rc = 0;

  if ((rc = corsim_request_new(&req, NULL)) != 0 ||
      (rc = corsim_request_set_origin(req, "https://app.example", 19)) != 0 ||
      (rc = corsim_request_set_url(req, "https://api.example/me", 22)) != 0 ||
      (rc = corsim_result_new(&res, NULL)) != 0)
    goto out;

  for (s = 0; s < sizeof servers / sizeof servers[0]; s++) {
    corsim_response resp = {200, "OK", 2, servers[s].headers,
                            servers[s].count};
    printf("%s\n", servers[s].title);
    for (m = 0; m < 3; m++) {
      const corsim_header *js;
      corsim_expose_state how;

      /* Only the credentials mode changes between the runs. */
      if ((rc = corsim_request_set_credentials(req, modes[m])) != 0 ||
          (rc = corsim_filter(res, corsim_profile_spec(), req, &resp)) != 0)
        goto out;
      printf("  credentials %-14s", corsim_credentials_name(modes[m]));
      if (corsim_result_is_network_error(res)) {
        printf("network error (%s)\n",
               corsim_block_reason_name(corsim_result_reason(res)));
        continue;
      }
      how = corsim_result_expose_state(res, NULL, NULL);
      printf("%s; Expose-Headers read as %s\n%28sscript reads:",
             corsim_response_type_name(corsim_result_type(res)),
             how == CORSIM_EXPOSE_WILDCARD ? "a wildcard" : "a list of names",
             "");
      js = corsim_result_js_headers(res, &n);
      for (i = 0; i < n; i++)
        printf(" %.*s", (int)js[i].name_len, js[i].name);
      printf("\n");
    }
  }

  /* The reason names are stable; the message says it in words. */
  {
    corsim_response resp = {200, "OK", 2, cdn, 4};
    if ((rc = corsim_request_set_credentials(req,
                                             CORSIM_CREDENTIALS_INCLUDE)) != 0 ||
        (rc = corsim_filter(res, corsim_profile_spec(), req, &resp)) != 0)
      goto out;
    printf("\nWhy A fails with \"include\":\n  %s\n",
           corsim_result_message(res));
  }

out:
  if (rc != 0)
    fprintf(stderr, "corsim: %s\n", corsim_strerror(rc));
  corsim_result_free(res);
  corsim_request_free(req);
  return rc != 0;
}
