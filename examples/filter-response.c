/*
 * filter-response.c -- the minimal corsim program: filter one response.
 *
 * What it teaches: how to describe a request (origin, URL, mode,
 * credentials), hand corsim the response a server sent, and read back what
 * fetch() would give JavaScript -- or why it would reject.
 *
 * Run:   ./examples/filter-response examples/responses/api-json.http
 *        ./examples/filter-response --credentials include \
 *            examples/responses/cdn-wildcard.http
 * Options: --origin ORIGIN (default https://app.example)
 *          --url URL       (default https://api.example/v1/items)
 *          --mode cors|no-cors|same-origin|navigate     (default cors)
 *          --credentials omit|same-origin|include       (default same-origin)
 *          --redirect follow|error|manual               (default follow)
 *          --profile spec|BROWSER|BROWSER/VERSION       (default spec)
 * Browser profiles come from the data file compiled into the library
 * (data/profiles.xml), or from the file named by $CORSIM_PROFILES:
 *        ./examples/filter-response --profile chrome/75 \
 *            examples/responses/api-json.http    (no Content-Length yet)
 * The file is a response head as `curl -si` prints it: a status line, then
 * header lines, CRLF or LF, up to the first empty line (the body is
 * ignored).  corsim_head_parse() reads it as the chosen browser's network
 * stack would (a head that stack refuses becomes a network error with
 * reason "invalid-response"); a program that already has the headers
 * fills a corsim_response instead and calls corsim_filter() (minimal.c).
 * Only the first head is used; for a redirect chain see
 * redirect-null-origin.c, and for the preflight, preflight-cache.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <corsim.h>

static void print_js_string(const char *p, size_t n) {
  size_t i;
  putchar('"');
  for (i = 0; i < n; i++) {
    unsigned char c = (unsigned char)p[i];
    if (c == '"' || c == '\\')
      printf("\\%c", c);
    else if (c < 0x20 || c >= 0x7f)
      printf("\\x%02x", c);
    else
      putchar(c);
  }
  putchar('"');
}

/* Why the filter removed a header, in words. */
static const char *why_removed(corsim_decision d) {
  switch (d) {
  case CORSIM_REMOVED_FORBIDDEN:
    return "Set-Cookie/Set-Cookie2 are never exposed to script";
  case CORSIM_REMOVED_NOT_EXPOSED:
    return "not CORS-safelisted and not in Access-Control-Expose-Headers";
  case CORSIM_REMOVED_OPAQUE:
    return "opaque responses expose no headers";
  case CORSIM_REMOVED_NETWORK_ERROR:
    return "a network error exposes nothing";
  case CORSIM_KEPT_UNFILTERED:
  case CORSIM_KEPT_ENGINE_QUIRK:
  default:
    return NULL;
  }
}

static int read_file(const char *path, char **out, size_t *len) {
  FILE *f = fopen(path, "rb");
  size_t cap = 4096, n = 0, got;
  char *buf;
  if (!f)
    return -1;
  buf = malloc(cap);
  while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
    n += got;
    if (n == cap) {
      char *nb = cap < (1u << 24) ? realloc(buf, cap * 2) : NULL;
      if (!nb) {
        free(buf);
        buf = NULL;
        break;
      }
      buf = nb;
      cap *= 2;
    }
  }
  fclose(f);
  if (!buf)
    return -1;
  *out = buf;
  *len = n;
  return 0;
}

int main(int argc, char **argv) {
  const char *origin = "https://app.example";
  const char *url = "https://api.example/v1/items";
  const char *path = NULL, *profile_name = "spec";
  const corsim_profile *profile = NULL;
  corsim_db *db = NULL;
  corsim_lookup found;
  corsim_mode mode = CORSIM_MODE_CORS;
  corsim_credentials cred = CORSIM_CREDENTIALS_SAME_ORIGIN;
  corsim_redirect redirect = CORSIM_REDIRECT_FOLLOW;
  corsim_request *req = NULL;
  corsim_head *head = NULL;
  corsim_result *res = NULL;
  char *text = NULL;
  size_t len, i, n;
  int rc = 0, exit_code = 1;
  const corsim_header *h;

  for (i = 1; i < (size_t)argc; i++) {
    const char *opt = argv[i], *val = i + 1 < (size_t)argc ? argv[i + 1] : NULL;
    if (opt[0] != '-') {
      path = opt;
      continue;
    }
    if (!val) {
      fprintf(stderr, "%s needs a value\n", opt);
      return 2;
    }
    i++;
    if (strcmp(opt, "--origin") == 0)
      origin = val;
    else if (strcmp(opt, "--url") == 0)
      url = val;
    else if (strcmp(opt, "--profile") == 0)
      profile_name = val;
    else if (strcmp(opt, "--mode") == 0)
      rc = corsim_mode_from_string(val, strlen(val), &mode);
    else if (strcmp(opt, "--credentials") == 0)
      rc = corsim_credentials_from_string(val, strlen(val), &cred);
    else if (strcmp(opt, "--redirect") == 0)
      rc = corsim_redirect_from_string(val, strlen(val), &redirect);
    else {
      fprintf(stderr, "unknown option %s\n", opt);
      return 2;
    }
    if ((strcmp(opt, "--mode") == 0 || strcmp(opt, "--credentials") == 0 ||
         strcmp(opt, "--redirect") == 0) &&
        rc) {
      fprintf(stderr, "%s %s: %s\n", opt, val, corsim_strerror(rc));
      return 2;
    }
  }
  if (!path) {
    fprintf(stderr, "usage: %s [options] RESPONSE-FILE\n", argv[0]);
    return 2;
  }
  if (read_file(path, &text, &len) != 0) {
    perror(path);
    return 1;
  }

  /* 0. The browser: "spec" is built in; anything else needs the profile
   *    database (loaded once; an engine would keep it for its lifetime). */
  if (strcmp(profile_name, "spec") != 0) {
    corsim_diagnostics *diag = NULL;
    if ((rc = corsim_diagnostics_new(&diag, NULL)) != 0 ||
        (rc = corsim_db_load_default(&db, NULL, diag)) != 0) {
      const corsim_diagnostic *e = corsim_diagnostics_get(diag, 0);
      fprintf(stderr, "profiles: %s\n", corsim_strerror(rc));
      if (e)
        fprintf(stderr, "%s:%lu:%lu: %s\n", e->file, e->line, e->column,
                e->message);
      corsim_diagnostics_free(diag);
      goto out;
    }
    corsim_diagnostics_free(diag);
  }
  if (corsim_db_find(db, profile_name, strlen(profile_name), &profile,
                     &found) != 0) {
    char hint[512];
    corsim_db_suggest(db, profile_name, strlen(profile_name), hint,
                      sizeof hint);
    fprintf(stderr, "unknown profile '%s': %s\n", profile_name, hint);
    goto out;
  }

  /* 1. The request, as fetch(url, {mode, credentials, redirect}) makes it
   *    in a document whose origin is `origin`. */
  if ((rc = corsim_request_new(&req, NULL)) != 0 ||
      (rc = corsim_request_set_origin(req, origin, strlen(origin))) != 0 ||
      (rc = corsim_request_set_url(req, url, strlen(url))) != 0 ||
      (rc = corsim_request_set_mode(req, mode)) != 0 ||
      (rc = corsim_request_set_credentials(req, cred)) != 0 ||
      (rc = corsim_request_set_redirect(req, redirect)) != 0) {
    fprintf(stderr, "request: %s\n", corsim_strerror(rc));
    goto out;
  }

  /* 2. The response head, parsed as this browser's network stack reads
   *    it.  The head owns a copy of the bytes. */
  if ((rc = corsim_head_new(&head, NULL)) != 0 ||
      (rc = corsim_head_parse(head, profile, text, len, NULL)) != 0) {
    fprintf(stderr, "%s: %s\n", path, corsim_strerror(rc));
    goto out;
  }

  /* 3. Filter under that browser's profile. */
  if ((rc = corsim_result_new(&res, NULL)) != 0 ||
      (rc = corsim_filter_head(res, profile, req, head)) != 0) {
    fprintf(stderr, "filter: %s\n", corsim_strerror(rc));
    goto out;
  }

  /* 4. What script sees. */
  printf("fetch(\"%.*s\", {mode: \"%s\", credentials: \"%s\", redirect: "
         "\"%s\"})\n  from origin %s, profile %s\n\n",
         (int)corsim_request_url(req).len, corsim_request_url(req).ptr,
         corsim_mode_name(mode),
         corsim_credentials_name(cred), corsim_redirect_name(redirect),
         origin, corsim_profile_name(corsim_result_profile(res)));
  if (!found.exact)
    printf("(no release %s: using the nearest earlier one, %s)\n\n",
           profile_name, corsim_profile_name(profile));
  if (corsim_result_is_network_error(res)) {
    printf("fetch() rejects with a TypeError (network error).\n");
    printf("  reason:  %s (https://fetch.spec.whatwg.org/#%s)\n",
           corsim_block_reason_name(corsim_result_reason(res)),
           corsim_block_reason_anchor(corsim_result_reason(res)));
    printf("  message: %s\n", corsim_result_message(res));
  } else {
    corsim_str st = corsim_result_status_text(res);
    const corsim_str *cookies;
    printf("response.type       = \"%s\"\n",
           corsim_response_type_name(corsim_result_type(res)));
    printf("response.status     = %d\n", corsim_result_status(res));
    printf("response.statusText = ");
    print_js_string(st.ptr, st.len);
    printf("\nresponse.ok         = %s\n",
           corsim_result_ok(res) ? "true" : "false");
    printf("Array.from(response.headers) = [\n");
    h = corsim_result_js_headers(res, &n);
    for (i = 0; i < n; i++) {
      printf("  [");
      print_js_string(h[i].name, h[i].name_len);
      printf(", ");
      print_js_string(h[i].value, h[i].value_len);
      printf("]%s\n", i + 1 < n ? "," : "");
    }
    printf("]\n");
    cookies = corsim_result_set_cookies(res, &n);
    printf("response.headers.getSetCookie() = [");
    for (i = 0; i < n; i++) {
      print_js_string(cookies[i].ptr, cookies[i].len);
      printf("%s", i + 1 < n ? ", " : "");
    }
    printf("]\n");
  }

  if (corsim_result_redirect_pending(res))
    printf("\nNote: this hop passed, and a browser would now follow the "
           "redirect;\nscript would see the final response of the chain, "
           "not this one.\n");

  /* 5. Why each missing header is missing. */
  h = corsim_result_internal_headers(res, &n);
  printf("\nHeaders the server sent that script cannot read:\n");
  for (i = 0; i < n; i++) {
    const char *why = why_removed(corsim_result_decision(res, i));
    if (why)
      printf("  %-32.*s %s\n", (int)h[i].name_len, h[i].name, why);
  }
  exit_code = 0;

out:
  corsim_result_free(res);
  corsim_head_free(head);
  corsim_request_free(req);
  corsim_db_free(db);
  free(text);
  return exit_code;
}
