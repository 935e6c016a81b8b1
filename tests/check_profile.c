/* check_profile.c -- lib/profile.c: the built-in spec profile. */
#include <string.h>

#include "testutil.h"
#include "internal.h"

START_TEST(test_spec_profile) {
  const corsim_profile *p = corsim_profile_spec();
  ck_assert_ptr_nonnull(p);
  ck_assert_str_eq(corsim_profile_name(p), "spec");
  /* the Fetch Standard's values */
  ck_assert_int_eq(p->v[CORSIM__B_ACEH_SUPPORTED], 1);
  ck_assert_int_eq(p->v[CORSIM__B_ACEH_WILDCARD], 1);
  ck_assert_int_eq(p->v[CORSIM__B_SAFELIST_CONTENT_LENGTH], 1);
  ck_assert_int_eq(p->v[CORSIM__B_LISTS_INVALID_ITEM], CORSIM__LIST_STRICT);
  ck_assert_int_eq(p->v[CORSIM__B_ACAH_WILDCARD_COVERS_AUTHORIZATION], 0);
  ck_assert_int_eq(p->v[CORSIM__B_PREFLIGHT_MAX_AGE_DEFAULT], 5);
  ck_assert_int_eq(p->v[CORSIM__B_WIRE_OBS_FOLD], 1); /* unfold */
  ck_assert_ptr_eq(corsim_profile_spec(), p); /* one static instance */
}
END_TEST

START_TEST(test_builtin_lookup) {
  const corsim_profile *p = NULL;
  ck_assert_int_eq(corsim_profile_builtin("spec", 4, &p), 0);
  ck_assert_ptr_eq(p, corsim_profile_spec());
  p = NULL;
  ck_assert_int_eq(corsim_profile_builtin("Spec", 4, &p),
                   CORSIM_ERR_UNKNOWN_PROFILE);
  ck_assert_int_eq(corsim_profile_builtin("chrome/65", 9, &p),
                   CORSIM_ERR_UNKNOWN_PROFILE);
  ck_assert_int_eq(corsim_profile_builtin("spec\0", 5, &p),
                   CORSIM_ERR_UNKNOWN_PROFILE);
  ck_assert_ptr_null(p);
  ck_assert_int_eq(corsim_profile_builtin("spec", 4, NULL),
                   CORSIM_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(corsim_profile_builtin(NULL, 4, &p),
                   CORSIM_ERR_INVALID_ARGUMENT);
  ck_assert_ptr_null(corsim_profile_name(NULL));
}
END_TEST

static Suite *suite(void) {
  Suite *s = suite_create("profile");
  TCase *tc = tcase_create("builtin");
  tcase_add_test(tc, test_spec_profile);
  tcase_add_test(tc, test_builtin_lookup);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) { return tu_run(suite()); }
