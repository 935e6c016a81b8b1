/*
 * content-length.c -- browser profiles and versions: Content-Length
 * before and after Chrome 76.
 *
 * What it teaches: how to load the profile database, look a browser up
 * by "browser/version", read one of its behaviours, and walk its releases.
 * The example is Content-Length, which the Fetch Standard added to the
 * CORS-safelisted response-header names in May 2018 (whatwg/fetch#626):
 * script could not read it on a cross-origin response without
 * Access-Control-Expose-Headers until Chrome 76, Firefox 87 and Safari 12.1
 * (the data comes from MDN's browser-compat-data, see data/profiles.xml;
 * the behaviour's id is "safelist.content_length", corsim-profiles(5)).
 *
 * It prints, for a few releases on either side of the change, whether
 * response.headers.get("content-length") would give the value or null;
 * then shows a version that is not a release (the nearest earlier one is
 * used, and corsim_lookup.exact says so); then finds, for each browser of
 * the database, the first release where the behaviour holds.
 *
 * Run:   ./examples/content-length
 *        CORSIM_PROFILES=my-profiles.xml ./examples/content-length
 */
#include <stdio.h>
#include <string.h>

#include <corsim.h>

#define H(name, value) {name, sizeof name - 1, value, sizeof value - 1}

/* The behaviour's stable id (corsim-profiles(5)). */
static const char behaviour[] = "safelist.content_length";

/* Is Content-Length visible to script for this profile? -1 on error. */
static int sees_content_length(corsim_result *res, const corsim_profile *p,
                               const corsim_request *req) {
  static const corsim_header sent[] = {
      H("Content-Type", "application/json"),
      H("Content-Length", "1234"),
      H("Access-Control-Allow-Origin", "https://app.example"),
  };
  corsim_response resp = {200, "OK", 2, sent, 3};
  const corsim_header *js;
  size_t n, i;

  if (corsim_filter(res, p, req, &resp) != 0)
    return -1;
  js = corsim_result_js_headers(res, &n);
  for (i = 0; i < n; i++)
    if (js[i].name_len == 14 && memcmp(js[i].name, "content-length", 14) == 0)
      return 1;
  return 0;
}

int main(void) {
  static const char *const names[] = {"chrome/75", "chrome/76", "firefox/86",
                                      "firefox/87", "safari/12", "safari/12.1",
                                      "spec"};
  corsim_db *db = NULL;
  corsim_diagnostics *diag = NULL;
  corsim_request *req = NULL;
  corsim_result *res = NULL;
  const corsim_profile *p;
  corsim_lookup found;
  size_t i, j;
  int rc;

  /* The database: the file named by $CORSIM_PROFILES, else the copy
   * compiled into the library.  Load it once; it is immutable and may be
   * shared between threads. */
  if ((rc = corsim_diagnostics_new(&diag, NULL)) != 0 ||
      (rc = corsim_db_load_default(&db, NULL, diag)) != 0) {
    const corsim_diagnostic *d = corsim_diagnostics_get(diag, 0);
    fprintf(stderr, "profiles: %s\n", corsim_strerror(rc));
    if (d)
      fprintf(stderr, "%s:%lu:%lu: %s\n", d->file, d->line, d->column,
              d->message);
    goto out;
  }
  if ((rc = corsim_request_new(&req, NULL)) != 0 ||
      (rc = corsim_request_set_origin(req, "https://app.example", 19)) != 0 ||
      (rc = corsim_request_set_url(req, "https://api.example/items", 25)) != 0 ||
      (rc = corsim_result_new(&res, NULL)) != 0)
    goto out;

  printf("response.headers.get(\"content-length\") on a cross-origin "
         "response without Access-Control-Expose-Headers:\n");
  for (i = 0; i < sizeof names / sizeof names[0]; i++) {
    corsim_str value;
    int sees;
    if ((rc = corsim_db_find(db, names[i], strlen(names[i]), &p, &found)) != 0)
      goto out;
    /* The behaviour, by its stable id, as the profile resolved it. */
    corsim_profile_behaviour(p, behaviour, strlen(behaviour), &value, NULL);
    if ((sees = sees_content_length(res, p, req)) < 0) {
      rc = CORSIM_ERR_INVALID_ARGUMENT;
      goto out;
    }
    printf("  %-12s %-6s (safelist.content_length = %.*s)\n", names[i],
           sees ? "\"1234\"" : "null", (int)value.len, value.ptr);
  }

  /* A version that is not a release resolves to the nearest earlier one. */
  if ((rc = corsim_db_find(db, "chrome/75.0.3770.142", 20, &p, &found)) != 0)
    goto out;
  printf("\nchrome/75.0.3770.142 resolves to %s (exact: %s)\n",
         corsim_profile_name(p), found.exact ? "yes" : "no");

  /* Walk every browser's releases for the first one with the behaviour. */
  printf("\nFirst release where Content-Length is safelisted:\n");
  for (i = 0; i < corsim_db_browser_count(db); i++) {
    corsim_browser_info b;
    corsim_release_info r;
    const char *first = NULL;
    if ((rc = corsim_db_browser(db, i, &b)) != 0)
      goto out;
    for (j = 0; j < b.release_count && !first; j++) {
      long on = 0;
      if ((rc = corsim_db_release(db, i, j, &r)) != 0)
        goto out;
      corsim_profile_behaviour(r.profile, behaviour, strlen(behaviour), NULL,
                               &on);
      if (on)
        first = r.version;
    }
    printf("  %-24s %s\n", b.id, first ? first : "never");
  }
  rc = 0;

out:
  if (rc != 0)
    fprintf(stderr, "corsim: %s\n", corsim_strerror(rc));
  corsim_result_free(res);
  corsim_request_free(req);
  corsim_db_free(db);
  corsim_diagnostics_free(diag);
  return rc != 0;
}
