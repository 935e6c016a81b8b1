/*
 * driver.c -- a main() for the fuzz targets when libFuzzer is not used
 * (builds without --enable-fuzzing): runs LLVMFuzzerTestOneInput() once on
 * each file named on the command line; a directory stands for the files
 * in it, in name order.  Each input is copied into a buffer of exactly its
 * size, so a sanitizer or valgrind sees any read past its end.
 *
 * Exit status: 0 when every input ran (a failing invariant aborts), 1
 * when a file cannot be read, 2 on bad usage.
 */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

static unsigned long runs;

static int run_file(const char *path) {
  FILE *f = fopen(path, "rb");
  unsigned char *buf = NULL, *nb;
  size_t len = 0, cap = 0, got;
  if (!f) {
    fprintf(stderr, "driver: %s: %s\n", path, strerror(errno));
    return 1;
  }
  for (;;) {
    if (len == cap) {
      cap = cap ? cap * 2 : 4096;
      nb = realloc(buf, cap);
      if (!nb) {
        fprintf(stderr, "driver: %s: out of memory\n", path);
        free(buf);
        fclose(f);
        return 1;
      }
      buf = nb;
    }
    got = fread(buf + len, 1, cap - len, f);
    len += got;
    if (got == 0)
      break;
  }
  if (ferror(f)) {
    fprintf(stderr, "driver: %s: read error\n", path);
    free(buf);
    fclose(f);
    return 1;
  }
  fclose(f);
  /* exactly len bytes (NULL for an empty input, as libFuzzer may pass) */
  nb = len ? malloc(len) : NULL;
  if (len && !nb) {
    free(buf);
    return 1;
  }
  if (len)
    memcpy(nb, buf, len);
  free(buf);
  if (getenv("FUZZ_DRIVER_VERBOSE"))
    fprintf(stderr, "driver: %s (%zu bytes)\n", path, len);
  LLVMFuzzerTestOneInput(nb, len);
  free(nb);
  runs++;
  return 0;
}

static int cmp(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static int run_path(const char *path) {
  struct stat st;
  DIR *d;
  struct dirent *e;
  char **names = NULL;
  size_t n = 0, cap = 0, i;
  int rc = 0;

  if (stat(path, &st) != 0) {
    fprintf(stderr, "driver: %s: %s\n", path, strerror(errno));
    return 1;
  }
  if (!S_ISDIR(st.st_mode))
    return run_file(path);
  d = opendir(path);
  if (!d) {
    fprintf(stderr, "driver: %s: %s\n", path, strerror(errno));
    return 1;
  }
  while ((e = readdir(d)) != NULL) {
    size_t need;
    char *full;
    if (e->d_name[0] == '.')
      continue;
    if (n == cap) {
      char **nn = realloc(names, (cap = cap ? cap * 2 : 64) * sizeof *names);
      if (!nn) {
        rc = 1;
        break;
      }
      names = nn;
    }
    need = strlen(path) + strlen(e->d_name) + 2;
    full = malloc(need);
    if (!full) {
      rc = 1;
      break;
    }
    snprintf(full, need, "%s/%s", path, e->d_name);
    names[n++] = full;
  }
  closedir(d);
  if (n)
    qsort(names, n, sizeof *names, cmp);
  for (i = 0; i < n; i++) {
    if (!rc)
      rc = run_path(names[i]);
    free(names[i]);
  }
  free(names);
  return rc;
}

int main(int argc, char **argv) {
  int i, rc = 0;
  if (argc < 2) {
    fprintf(stderr, "usage: %s FILE|DIR...\n"
                    "Runs the fuzz target once on each input (this build "
                    "has no libFuzzer; configure with --enable-fuzzing "
                    "CC=clang to fuzz).\n",
            argv[0]);
    return 2;
  }
  for (i = 1; i < argc && !rc; i++)
    if (argv[i][0] != '-') /* libFuzzer options are ignored */
      rc = run_path(argv[i]);
  fuzz_target_cleanup();
  fprintf(stderr, "driver: %lu inputs ran\n", runs);
  return rc;
}
