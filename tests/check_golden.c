/*
 * check_golden.c -- end-to-end golden cases through the public API only.
 *
 * Each tests/cases/NAME.case holds a request (key: value lines: origin,
 * url, mode, credentials, redirect, method, profile; '#' lines are
 * comments), a blank line, and the response head as a server sent it.
 * NAME.out is the expected dump of the result (tu_dump_result).  Set
 * CORSIM_UPDATE_GOLDEN=1 to rewrite the .out files after a deliberate
 * change, then review the diff.
 */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

#define MAX_CASES 512

static char *case_names[MAX_CASES];
static int ncases;
static const char *case_dir;

static char *slurp(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  char *buf;
  long n;
  if (!f)
    return NULL;
  fseek(f, 0, SEEK_END);
  n = ftell(f);
  fseek(f, 0, SEEK_SET);
  buf = malloc((size_t)n + 1);
  if (fread(buf, 1, (size_t)n, f) != (size_t)n) {
    fclose(f);
    free(buf);
    return NULL;
  }
  buf[n] = '\0';
  fclose(f);
  *len = (size_t)n;
  return buf;
}

static int cmp_names(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static void load_case_list(void) {
  DIR *d;
  struct dirent *e;
  case_dir = getenv("CORSIM_CASES");
  if (!case_dir)
    case_dir = "tests/cases";
  d = opendir(case_dir);
  if (!d)
    return;
  while ((e = readdir(d)) != NULL && ncases < MAX_CASES) {
    size_t len = strlen(e->d_name);
    if (len > 5 && strcmp(e->d_name + len - 5, ".case") == 0)
      case_names[ncases++] = strndup(e->d_name, len - 5);
  }
  closedir(d);
  qsort(case_names, (size_t)ncases, sizeof case_names[0], cmp_names);
}

/* Applies one "key: value" request line. */
static void apply(corsim_request *req, const corsim_profile **profile,
                  const char *key, const char *v, const char *name) {
  size_t n = strlen(v);
  int rc = 0;
  if (strcmp(key, "origin") == 0)
    rc = corsim_request_set_origin(req, v, n);
  else if (strcmp(key, "url") == 0)
    rc = corsim_request_set_url(req, v, n);
  else if (strcmp(key, "method") == 0)
    rc = corsim_request_set_method(req, v, n);
  else if (strcmp(key, "mode") == 0) {
    corsim_mode m;
    rc = corsim_mode_from_string(v, n, &m);
    if (!rc)
      rc = corsim_request_set_mode(req, m);
  } else if (strcmp(key, "credentials") == 0) {
    corsim_credentials c;
    rc = corsim_credentials_from_string(v, n, &c);
    if (!rc)
      rc = corsim_request_set_credentials(req, c);
  } else if (strcmp(key, "redirect") == 0) {
    corsim_redirect r;
    rc = corsim_redirect_from_string(v, n, &r);
    if (!rc)
      rc = corsim_request_set_redirect(req, r);
  } else if (strcmp(key, "profile") == 0) {
    rc = corsim_profile_builtin(v, n, profile);
  } else {
    ck_abort_msg("%s: unknown key '%s'", name, key);
  }
  ck_assert_msg(rc == 0, "%s: %s: %s", name, key, corsim_strerror(rc));
}

START_TEST(test_case) {
  const char *name = case_names[_i];
  char path[1024], err[256];
  size_t len, pos = 0, outlen = 0;
  char *text, *got = NULL, *want;
  corsim_request *req = NULL;
  const corsim_profile *profile = corsim_profile_spec();
  corsim_result *res = NULL;
  tu_response r;
  FILE *mem;

  snprintf(path, sizeof path, "%s/%s.case", case_dir, name);
  text = slurp(path, &len);
  ck_assert_msg(text != NULL, "cannot read %s", path);
  ck_assert_ok(corsim_request_new(&req, NULL));
  /* the request part, up to the first blank line */
  while (pos < len) {
    char *line = text + pos, *nl = strchr(line, '\n'), *colon;
    if (!nl)
      nl = text + len;
    *nl = '\0';
    pos = (size_t)(nl - text) + 1;
    if (nl > line && nl[-1] == '\r')
      nl[-1] = '\0';
    if (line[0] == '\0')
      break;
    if (line[0] == '#')
      continue;
    colon = strchr(line, ':');
    ck_assert_msg(colon != NULL, "%s: bad request line '%s'", name, line);
    *colon = '\0';
    colon++;
    while (*colon == ' ')
      colon++;
    apply(req, &profile, line, colon, name);
  }
  ck_assert_msg(tu_response_parse(&r, text + pos, len - pos, err,
                                  sizeof err) == 0,
                "%s: %s", name, err);
  ck_assert_ok(corsim_result_new(&res, NULL));
  ck_assert_ok(corsim_filter(res, profile, req, &r.resp));
  mem = open_memstream(&got, &outlen);
  tu_dump_result(mem, res);
  fclose(mem);

  snprintf(path, sizeof path, "%s/%s.out", case_dir, name);
  if (getenv("CORSIM_UPDATE_GOLDEN")) {
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    fwrite(got, 1, outlen, f);
    fclose(f);
  }
  want = slurp(path, &len);
  ck_assert_msg(want != NULL, "%s: no expected output %s", name, path);
  ck_assert_msg(strcmp(got, want) == 0, "%s: got\n%s\nwanted\n%s", name, got,
                want);
  free(want);
  free(got);
  free(text);
  corsim_result_free(res);
  corsim_request_free(req);
  tu_response_free(&r);
}
END_TEST

START_TEST(test_cases_present) {
  ck_assert_msg(ncases >= 10, "only %d golden cases found in %s", ncases,
                case_dir);
}
END_TEST

int main(void) {
  Suite *s = suite_create("golden");
  TCase *tc = tcase_create("cases");
  int rc, i;
  load_case_list();
  tcase_add_test(tc, test_cases_present);
  tcase_add_loop_test(tc, test_case, 0, ncases);
  suite_add_tcase(s, tc);
  rc = tu_run(s);
  for (i = 0; i < ncases; i++)
    free(case_names[i]);
  return rc;
}
