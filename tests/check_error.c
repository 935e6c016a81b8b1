/* check_error.c -- lib/error.c: every code has a name and a message. */
#include <string.h>

#include "testutil.h"

static const struct {
  int code;
  const char *name;
} codes[] = {
#define XX(name, value, msg) {value, "CORSIM_ERR_" #name},
    CORSIM_ERROR_MAP(XX)
#undef XX
};
#define NCODES (sizeof codes / sizeof codes[0])

START_TEST(test_every_code_has_message_and_name) {
  const char *msg = corsim_strerror(codes[_i].code);
  ck_assert_ptr_nonnull(msg);
  ck_assert_str_ne(msg, "unknown error");
  ck_assert_uint_gt(strlen(msg), 3);
  ck_assert_str_eq(corsim_error_name(codes[_i].code), codes[_i].name);
}
END_TEST

START_TEST(test_codes_are_zero_or_negative_and_unique) {
  size_t j;
  ck_assert_int_le(codes[_i].code, 0);
  for (j = 0; j < NCODES; j++)
    if (j != (size_t)_i)
      ck_assert_int_ne(codes[j].code, codes[_i].code);
}
END_TEST

START_TEST(test_unknown_codes) {
  ck_assert_str_eq(corsim_strerror(-9999), "unknown error");
  ck_assert_str_eq(corsim_strerror(42), "unknown error");
  ck_assert_str_eq(corsim_error_name(-9999), "CORSIM_ERR_UNKNOWN");
}
END_TEST

START_TEST(test_specific_messages) {
  ck_assert_str_eq(corsim_strerror(0), "success");
  ck_assert_str_eq(corsim_strerror(CORSIM_ERR_NOMEM), "out of memory");
  ck_assert_ptr_nonnull(strstr(corsim_strerror(CORSIM_ERR_BAD_HEADER_NAME),
                               "token"));
}
END_TEST

static Suite *suite(void) {
  Suite *s = suite_create("error");
  TCase *tc = tcase_create("codes");
  tcase_add_loop_test(tc, test_every_code_has_message_and_name, 0, NCODES);
  tcase_add_loop_test(tc, test_codes_are_zero_or_negative_and_unique, 0,
                      NCODES);
  tcase_add_test(tc, test_unknown_codes);
  tcase_add_test(tc, test_specific_messages);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) { return tu_run(suite()); }
