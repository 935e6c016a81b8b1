/*
 * fuzz_profiles.c -- the profiles XML loader (lib/profiles_xml.c):
 * libxml2 parsing with the hardening options, the RelaxNG validation, the
 * meaning checks, and the queries on a database that loaded.
 *
 * Input: a profile file.  Checked: a load returns 0 with a database or an
 * error without one; a failed load says why in the diagnostics (except
 * when out of memory); every diagnostic is a well-formed string; every
 * release of a loaded database can be found by name again.
 */
#include <stdio.h>
#include <string.h>

#include "fuzz.h"
#include "internal.h"

void fuzz_target_cleanup(void) {}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  corsim_diagnostics *diag = NULL;
  corsim_db *db = NULL;
  size_t i, j, n;
  int rc;

  if (corsim_diagnostics_new(&diag, NULL))
    abort();
  rc = corsim_db_load_memory(&db, (const char *)data, size, "fuzz.xml", NULL,
                             diag);
  n = corsim_diagnostics_count(diag);
  for (i = 0; i < n; i++) {
    const corsim_diagnostic *e = corsim_diagnostics_get(diag, i);
    FUZZ_ASSERT(e && e->file && e->message);
    (void)strlen(e->message);
  }
  if (rc) {
    FUZZ_ASSERT(db == NULL);
    FUZZ_ASSERT(rc == CORSIM_ERR_BAD_PROFILES || rc == CORSIM_ERR_TOO_LARGE ||
                rc == CORSIM_ERR_NOMEM);
    if (rc != CORSIM_ERR_NOMEM)
      FUZZ_ASSERT(n > 0);
  } else {
    size_t nb = corsim_db_browser_count(db);
    FUZZ_ASSERT(db != NULL);
    for (i = 0; i < nb; i++) {
      corsim_browser_info bi;
      char name[512], hint[256];
      const corsim_profile *p;
      corsim_lookup li;
      FUZZ_ASSERT(corsim_db_browser(db, i, &bi) == 0);
      for (j = 0; j < bi.release_count; j++) {
        corsim_release_info ri;
        int len;
        FUZZ_ASSERT(corsim_db_release(db, i, j, &ri) == 0);
        len = snprintf(name, sizeof name, "%s/%s", bi.id, ri.version);
        if (len < 0 || (size_t)len >= sizeof name)
          continue;
        rc = corsim_db_find(db, name, (size_t)len, &p, &li);
        /* versions longer than corsim_db_find() looks at are not found */
        if (rc == 0)
          FUZZ_ASSERT(p != NULL && li.browser != NULL);
      }
      rc = corsim_db_find(db, bi.id, strlen(bi.id), &p, &li);
      FUZZ_ASSERT(rc == 0 || bi.release_count == 0);
      corsim_db_suggest(db, bi.id, strlen(bi.id) > 2 ? strlen(bi.id) - 1 : 1,
                        hint, sizeof hint);
    }
    corsim_db_free(db);
  }
  corsim_diagnostics_free(diag);
  return 0;
}
