/*
 * why-blocked.c -- why did fetch() reject?  Reading the reason.
 *
 * What it teaches: when the simulated browser blocks a response, the
 * library call still succeeds (returns 0) and the result carries
 *   - corsim_result_reason(): a stable enum (corsim_block_reason_name()
 *     gives its identifier, e.g. "acao-missing", for logs and tests),
 *   - corsim_block_reason_anchor(): the step of the Fetch Standard that
 *     blocks, as a link,
 *   - corsim_result_message(): a sentence naming the header and value at
 *     fault, as a browser console would,
 *   - corsim_result_in_preflight(): whether the CORS preflight failed
 *     (then the request itself was never sent).
 * It walks through one realistic mistake for every reason the library
 * knows, in the order of CORSIM_BLOCK_MAP, and says who must fix it: the
 * server, or the page that calls fetch().  Each case is a request plus the
 * raw response head(s), run through corsim_fetch(), which also simulates
 * the preflight and redirects.
 *
 * It is also a completeness check, run by `make check`: it exits with
 * status 1 if some reason in <corsim.h> has no case here, if a case gives
 * another reason than the one it was written for, or if a message is
 * empty.  A new reason therefore needs a line here (and `who_fixes()`
 * needs a case for it: the switch has no default, so -Wswitch notices).
 *
 * Run:   ./examples/why-blocked
 */
#include <stdio.h>
#include <string.h>

#include <corsim.h>

/* Who has to change something for the fetch to succeed. */
static const char *who_fixes(corsim_block_reason r) {
  switch (r) {
  case CORSIM_BLOCK_SAME_ORIGIN_MODE:
  case CORSIM_BLOCK_NO_CORS_REDIRECT_MODE:
  case CORSIM_BLOCK_CORS_SCHEME:
  case CORSIM_BLOCK_REDIRECT_MODE_ERROR:
  case CORSIM_BLOCK_NO_CORS_METHOD:
    return "the page (its fetch() options or URL)";
  case CORSIM_BLOCK_ACAO_MISSING:
  case CORSIM_BLOCK_ACAO_MULTIPLE:
  case CORSIM_BLOCK_ACAO_WILDCARD_WITH_CREDENTIALS:
  case CORSIM_BLOCK_ACAO_MISMATCH:
  case CORSIM_BLOCK_ACAC_MISSING:
  case CORSIM_BLOCK_ACAC_NOT_TRUE:
  case CORSIM_BLOCK_PREFLIGHT_STATUS:
  case CORSIM_BLOCK_PREFLIGHT_ALLOW_METHODS_INVALID:
  case CORSIM_BLOCK_PREFLIGHT_ALLOW_HEADERS_INVALID:
  case CORSIM_BLOCK_PREFLIGHT_METHOD_NOT_ALLOWED:
  case CORSIM_BLOCK_PREFLIGHT_AUTHORIZATION_NOT_ALLOWED:
  case CORSIM_BLOCK_PREFLIGHT_HEADER_NOT_ALLOWED:
    return "the server (its CORS headers)";
  case CORSIM_BLOCK_CORP:
    return "the server (its Cross-Origin-Resource-Policy header)";
  case CORSIM_BLOCK_INVALID_RESPONSE:
  case CORSIM_BLOCK_REDIRECT_LOCATION_INVALID:
  case CORSIM_BLOCK_REDIRECT_SCHEME:
  case CORSIM_BLOCK_REDIRECT_LIMIT:
  case CORSIM_BLOCK_REDIRECT_CREDENTIALS:
    return "the server (its response or redirect)";
  case CORSIM_BLOCK_PROXY_AUTHENTICATION:
    return "the network (a proxy that wants credentials)";
  case CORSIM_BLOCK_NONE:
    return "nobody";
  }
  return "?";
}

/* One case: the request (fields left 0 take fetch()'s defaults) and the
 * raw heads the server(s) sent. */
typedef struct {
  corsim_block_reason expect;
  const char *what;
  const char *url;      /* NULL: https://api.example/data */
  corsim_mode mode;
  corsim_credentials credentials;
  corsim_redirect redirect;
  const char *method;   /* NULL: GET */
  const char *header;   /* one request header "Name: value", or NULL */
  const char *preflight; /* the OPTIONS response, or NULL */
  const char *hop[2];   /* the response, and the next hop of a redirect */
  int repeat;           /* send hop[0] this many times (a redirect loop) */
} scenario;

#define OK_HEAD "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
#define ACAO "Access-Control-Allow-Origin: https://app.example\r\n"

static const scenario cases[] = {
    {CORSIM_BLOCK_SAME_ORIGIN_MODE, "fetch(url, {mode: 'same-origin'}) to another origin",
     NULL, CORSIM_MODE_SAME_ORIGIN, 0, 0, NULL, NULL, NULL,
     {OK_HEAD ACAO "\r\n", NULL}, 1},
    {CORSIM_BLOCK_NO_CORS_REDIRECT_MODE, "mode 'no-cors' with redirect 'manual'",
     NULL, CORSIM_MODE_NO_CORS, 0, CORSIM_REDIRECT_MANUAL, NULL, NULL, NULL,
     {OK_HEAD "\r\n", NULL}, 1},
    {CORSIM_BLOCK_CORS_SCHEME, "a cross-origin ftp: URL in mode 'cors'",
     "ftp://files.example/report.csv", 0, 0, 0, NULL, NULL, NULL,
     {OK_HEAD "\r\n", NULL}, 1},
    {CORSIM_BLOCK_ACAO_MISSING, "an error page (500) sent without CORS headers",
     NULL, 0, 0, 0, NULL, NULL, NULL,
     {"HTTP/1.1 500 Internal Server Error\r\nContent-Type: text/html\r\n\r\n",
      NULL}, 1},
    {CORSIM_BLOCK_ACAO_MULTIPLE, "both the app and its proxy add the header",
     NULL, 0, 0, 0, NULL, NULL, NULL,
     {OK_HEAD ACAO "Access-Control-Allow-Origin: *\r\n\r\n", NULL}, 1},
    {CORSIM_BLOCK_ACAO_WILDCARD_WITH_CREDENTIALS, "'*' answers credentials: 'include'",
     NULL, 0, CORSIM_CREDENTIALS_INCLUDE, 0, NULL, NULL, NULL,
     {OK_HEAD "Access-Control-Allow-Origin: *\r\n"
      "Access-Control-Allow-Credentials: true\r\n\r\n", NULL}, 1},
    {CORSIM_BLOCK_ACAO_MISMATCH, "the configured origin has a trailing slash",
     NULL, 0, 0, 0, NULL, NULL, NULL,
     {OK_HEAD "Access-Control-Allow-Origin: https://app.example/\r\n\r\n",
      NULL}, 1},
    {CORSIM_BLOCK_ACAC_MISSING, "credentials: 'include' without Allow-Credentials",
     NULL, 0, CORSIM_CREDENTIALS_INCLUDE, 0, NULL, NULL, NULL,
     {OK_HEAD ACAO "\r\n", NULL}, 1},
    {CORSIM_BLOCK_ACAC_NOT_TRUE, "Allow-Credentials spelled 'True'",
     NULL, 0, CORSIM_CREDENTIALS_INCLUDE, 0, NULL, NULL, NULL,
     {OK_HEAD ACAO "Access-Control-Allow-Credentials: True\r\n\r\n", NULL}, 1},
    {CORSIM_BLOCK_REDIRECT_MODE_ERROR, "fetch(url, {redirect: 'error'}) meets a 301",
     NULL, 0, 0, CORSIM_REDIRECT_ERROR, NULL, NULL, NULL,
     {"HTTP/1.1 301 Moved Permanently\r\nLocation: /v2/data\r\n" ACAO "\r\n",
      NULL}, 1},
    {CORSIM_BLOCK_INVALID_RESPONSE, "a space between a header name and its colon",
     NULL, 0, 0, 0, NULL, NULL, NULL,
     {OK_HEAD ACAO "X-Request-Id : 7f3c\r\n\r\n", NULL}, 1},
    {CORSIM_BLOCK_PREFLIGHT_STATUS, "the OPTIONS route is missing (404)",
     NULL, 0, 0, 0, "PUT", NULL,
     "HTTP/1.1 404 Not Found\r\n" ACAO "\r\n",
     {OK_HEAD ACAO "\r\n", NULL}, 1},
    {CORSIM_BLOCK_PREFLIGHT_ALLOW_METHODS_INVALID, "Allow-Methods 'PUT; PATCH'",
     NULL, 0, 0, 0, "PUT", NULL,
     "HTTP/1.1 204 No Content\r\n" ACAO
     "Access-Control-Allow-Methods: PUT; PATCH\r\n\r\n",
     {OK_HEAD ACAO "\r\n", NULL}, 1},
    {CORSIM_BLOCK_PREFLIGHT_ALLOW_HEADERS_INVALID, "Allow-Headers 'X-Api-Key X-Trace'",
     NULL, 0, 0, 0, NULL, "X-Api-Key: k1",
     "HTTP/1.1 204 No Content\r\n" ACAO
     "Access-Control-Allow-Headers: X-Api-Key X-Trace\r\n\r\n",
     {OK_HEAD ACAO "\r\n", NULL}, 1},
    {CORSIM_BLOCK_PREFLIGHT_METHOD_NOT_ALLOWED, "DELETE, but Allow-Methods lists PUT",
     NULL, 0, 0, 0, "DELETE", NULL,
     "HTTP/1.1 204 No Content\r\n" ACAO
     "Access-Control-Allow-Methods: GET, PUT\r\n\r\n",
     {OK_HEAD ACAO "\r\n", NULL}, 1},
    {CORSIM_BLOCK_PREFLIGHT_AUTHORIZATION_NOT_ALLOWED, "Authorization against Allow-Headers '*'",
     NULL, 0, 0, 0, NULL, "Authorization: Bearer abc",
     "HTTP/1.1 204 No Content\r\n" ACAO
     "Access-Control-Allow-Headers: *\r\n\r\n",
     {OK_HEAD ACAO "\r\n", NULL}, 1},
    {CORSIM_BLOCK_PREFLIGHT_HEADER_NOT_ALLOWED, "X-Api-Key, but Allow-Headers lists X-Trace",
     NULL, 0, 0, 0, NULL, "X-Api-Key: k1",
     "HTTP/1.1 204 No Content\r\n" ACAO
     "Access-Control-Allow-Headers: X-Trace\r\n\r\n",
     {OK_HEAD ACAO "\r\n", NULL}, 1},
    {CORSIM_BLOCK_REDIRECT_LOCATION_INVALID, "Location 'https://[::1/' does not parse",
     NULL, 0, 0, 0, NULL, NULL, NULL,
     {"HTTP/1.1 302 Found\r\nLocation: https://[::1/\r\n" ACAO "\r\n", NULL},
     1},
    {CORSIM_BLOCK_REDIRECT_SCHEME, "a redirect to a data: URL",
     NULL, 0, 0, 0, NULL, NULL, NULL,
     {"HTTP/1.1 302 Found\r\nLocation: data:text/plain,hello\r\n" ACAO "\r\n",
      NULL}, 1},
    {CORSIM_BLOCK_REDIRECT_LIMIT, "a redirect loop",
     NULL, 0, 0, 0, NULL, NULL, NULL,
     {"HTTP/1.1 302 Found\r\nLocation: https://api.example/data\r\n"
      "Access-Control-Allow-Origin: *\r\n\r\n", NULL}, 21},
    {CORSIM_BLOCK_REDIRECT_CREDENTIALS, "a redirect to a URL with user:password@",
     NULL, 0, 0, 0, NULL, NULL, NULL,
     {"HTTP/1.1 302 Found\r\nLocation: https://bot:pw@cdn.example/data\r\n" ACAO
      "\r\n", NULL}, 1},
    {CORSIM_BLOCK_PROXY_AUTHENTICATION, "a proxy answers 407",
     NULL, 0, 0, 0, NULL, NULL, NULL,
     {"HTTP/1.1 407 Proxy Authentication Required\r\n"
      "Proxy-Authenticate: Basic realm=\"corp\"\r\n\r\n", NULL}, 1},
    {CORSIM_BLOCK_NO_CORS_METHOD, "fetch(url, {mode: 'no-cors', method: 'PUT'})",
     NULL, CORSIM_MODE_NO_CORS, 0, 0, "PUT", NULL, NULL,
     {OK_HEAD "\r\n", NULL}, 1},
    {CORSIM_BLOCK_CORP, "an <img>-style no-cors fetch of a same-origin-only resource",
     NULL, CORSIM_MODE_NO_CORS, 0, 0, NULL, NULL, NULL,
     {"HTTP/1.1 200 OK\r\nContent-Type: image/png\r\n"
      "Cross-Origin-Resource-Policy: same-origin\r\n\r\n", NULL}, 1},
};

#define NCASES (sizeof cases / sizeof cases[0])
#define MAX_HOPS 24

/* Runs one case; returns 0, or a corsim error code. */
static int run(const scenario *sc, corsim_result *res) {
  const char *url = sc->url ? sc->url : "https://api.example/data";
  corsim_request *req = NULL;
  corsim_head *pre = NULL, *heads[2] = {NULL, NULL};
  corsim_response hops[MAX_HOPS];
  size_t nhops = 0, i;
  int rc;

  if ((rc = corsim_request_new(&req, NULL)) != 0 ||
      (rc = corsim_request_set_origin(req, "https://app.example", 19)) != 0 ||
      (rc = corsim_request_set_url(req, url, strlen(url))) != 0 ||
      (rc = corsim_request_set_mode(req, sc->mode)) != 0 ||
      (rc = corsim_request_set_credentials(req, sc->credentials)) != 0 ||
      (rc = corsim_request_set_redirect(req, sc->redirect)) != 0)
    goto out;
  if (sc->method &&
      (rc = corsim_request_set_method(req, sc->method, strlen(sc->method))) != 0)
    goto out;
  if (sc->header) {
    const char *colon = strchr(sc->header, ':');
    if ((rc = corsim_headers_append(corsim_request_headers(req), sc->header,
                                    (size_t)(colon - sc->header), colon + 1,
                                    strlen(colon + 1),
                                    CORSIM_HEADER_NORMALIZE)) != 0)
      goto out;
  }
  /* The heads, parsed as the spec profile's network stack reads them. */
  for (i = 0; i < 2 && sc->hop[i]; i++) {
    if ((rc = corsim_head_new(&heads[i], NULL)) != 0 ||
        (rc = corsim_head_parse(heads[i], NULL, sc->hop[i], strlen(sc->hop[i]),
                                NULL)) != 0)
      goto out;
  }
  if (sc->preflight &&
      ((rc = corsim_head_new(&pre, NULL)) != 0 ||
       (rc = corsim_head_parse(pre, NULL, sc->preflight, strlen(sc->preflight),
                               NULL)) != 0))
    goto out;

  if (sc->repeat > 1) {
    /* The same redirect again and again: plain response views. */
    for (nhops = 0; nhops < (size_t)sc->repeat && nhops < MAX_HOPS; nhops++)
      hops[nhops] = *corsim_head_response(heads[0]);
    rc = corsim_fetch(res, corsim_profile_spec(), req,
                      pre ? corsim_head_response(pre) : NULL, hops, nhops,
                      NULL, 0);
  } else {
    /* Parsed heads keep the network stack's verdict (a refused head
     * becomes "invalid-response"). */
    const corsim_head *const list[2] = {heads[0], heads[1]};
    rc = corsim_fetch_heads(res, corsim_profile_spec(), req, pre, list,
                            heads[1] ? 2 : 1, NULL, 0);
  }

out:
  corsim_head_free(pre);
  corsim_head_free(heads[0]);
  corsim_head_free(heads[1]);
  corsim_request_free(req);
  return rc;
}

int main(void) {
  static const corsim_block_reason all[] = {
#define XX(name, value, id, anchor) CORSIM_BLOCK_##name,
      CORSIM_BLOCK_MAP(XX)
#undef XX
  };
  corsim_result *res = NULL;
  size_t i, j, problems = 0, covered = 0;
  int rc;

  if ((rc = corsim_result_new(&res, NULL)) != 0) {
    fprintf(stderr, "corsim: %s\n", corsim_strerror(rc));
    return 1;
  }
  for (i = 0; i < NCASES; i++) {
    const scenario *sc = &cases[i];
    corsim_block_reason got;
    const char *msg;

    if ((rc = run(sc, res)) != 0) {
      fprintf(stderr, "case %zu: %s\n", i + 1, corsim_strerror(rc));
      problems++;
      continue;
    }
    got = corsim_result_reason(res);
    msg = corsim_result_message(res);
    printf("%2zu. %s\n", i + 1, sc->what);
    printf("    reason   %s%s\n", corsim_block_reason_name(got),
           corsim_result_in_preflight(res) ? " (in the CORS preflight)" : "");
    printf("    spec     https://fetch.spec.whatwg.org/#%s\n",
           corsim_block_reason_anchor(got));
    printf("    fix      %s\n", who_fixes(got));
    printf("    message  %s\n", msg);
    if (!corsim_result_is_network_error(res) || got != sc->expect) {
      fprintf(stderr, "case %zu: expected %s, got %s\n", i + 1,
              corsim_block_reason_name(sc->expect),
              corsim_block_reason_name(got));
      problems++;
    }
    if (msg[0] == '\0') {
      fprintf(stderr, "case %zu: empty message\n", i + 1);
      problems++;
    }
  }

  /* Every reason of <corsim.h> but NONE must have a case. */
  for (i = 0; i < sizeof all / sizeof all[0]; i++) {
    int found = all[i] == CORSIM_BLOCK_NONE;
    for (j = 0; j < NCASES && !found; j++)
      found = cases[j].expect == all[i];
    if (!found) {
      fprintf(stderr, "no case for reason %s\n",
              corsim_block_reason_name(all[i]));
      problems++;
    } else if (all[i] != CORSIM_BLOCK_NONE) {
      covered++;
    }
  }
  printf("\n%zu of %zu block reasons shown.\n", covered,
         sizeof all / sizeof all[0] - 1);

  corsim_result_free(res);
  return problems != 0;
}
