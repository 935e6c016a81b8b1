/*
 * profile.c -- profiles: the behaviours on which browsers differ, and the
 * built-in "spec" profile (the Fetch Standard at commit 586cd2a,
 * 2026-07-02).  Browser profiles are loaded from XML by a later module and
 * plug in through the same struct.
 */
#include <config.h>

#include <string.h>

#include "internal.h"

static const corsim_profile spec_profile = {
    .name = "spec",
    .aceh_supported = 1, /* #concept-main-fetch step 4.a */
    .aceh_wildcard = 1,  /* PR #298 (2016), #592 (2017) */
    .content_length_safelisted = 1, /* commit 3a896ef, 2018-05-09 */
    .aceh_parse = CORSIM__LIST_STRICT, /* #extract-header-list-values */
};

CORSIM__API const corsim_profile *corsim_profile_spec(void) {
  return &spec_profile;
}

CORSIM__API int corsim_profile_builtin(const char *name, size_t len,
                                       const corsim_profile **out) {
  if (!out || (!name && len))
    return CORSIM_ERR_INVALID_ARGUMENT;
  if (len == 4 && memcmp(name, "spec", 4) == 0) {
    *out = &spec_profile;
    return 0;
  }
  return CORSIM_ERR_UNKNOWN_PROFILE;
}

CORSIM__API const char *corsim_profile_name(const corsim_profile *p) {
  return p ? p->name : NULL;
}
