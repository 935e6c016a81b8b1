/*
 * fuzz.h -- what every fuzz target in tests/fuzz provides.
 *
 * Each target defines LLVMFuzzerTestOneInput() (the libFuzzer entry
 * point).  With --enable-fuzzing it is linked with -fsanitize=fuzzer;
 * otherwise with driver.c, which calls it once per file named on the
 * command line (directories are read file by file), so that plain
 * `make check` runs every target over its seeds and regression inputs.
 *
 * A target returns 0 for every input; it calls FUZZ_ASSERT() for
 * invariants whose failure would be a bug, which aborts (a crash that
 * libFuzzer records, and that the driver reports with the file name).
 */
#ifndef CORSIM_FUZZ_H
#define CORSIM_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Frees what a target keeps between inputs; driver.c calls it at exit so
 * that valgrind sees no memory still reachable (libFuzzer never does). */
void fuzz_target_cleanup(void);

#define FUZZ_ASSERT(cond)                                                     \
  do {                                                                        \
    if (!(cond)) {                                                            \
      fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__,    \
              #cond);                                                         \
      abort();                                                                \
    }                                                                         \
  } while (0)

#endif
