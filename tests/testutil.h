/* testutil.h -- helpers shared by the check suites (not part of the API). */
#ifndef CORSIM_TESTUTIL_H
#define CORSIM_TESTUTIL_H

#include <stddef.h>
#include <stdio.h>

#include <check.h>

#include "corsim.h"

/* A counting allocator that can fail the Nth allocation (1-based; 0 never). */
typedef struct tu_counter {
  size_t allocs, frees, live;
  size_t fail_at;
} tu_counter;

corsim_allocator tu_counting_allocator(tu_counter *c);

/* A parsed response head held in one owning header list. */
typedef struct tu_response {
  corsim_headers *headers;
  corsim_response resp; /* views into headers and status_text */
  char status_text[256];
} tu_response;

/*
 * Parses "HTTP/1.1 200 OK\nName: value\n..." (LF or CRLF; values trimmed
 * of spaces and tabs; a line without a colon fails).  The status line may be
 * omitted: then status 200 "OK".  Returns 0 or -1 with a message in err.
 */
int tu_response_parse(tu_response *r, const char *text, size_t len, char *err,
                      size_t errlen);
void tu_response_free(tu_response *r);

/* Shortcut for tests: a request with origin, URL, mode and credentials. */
corsim_request *tu_request(const char *origin, const char *url,
                           corsim_mode mode, corsim_credentials cred);

/* Writes a canonical text dump of a result (the golden-file format). */
void tu_dump_result(FILE *out, const corsim_result *res);

/* A string literal as (pointer, length), NUL bytes included. */
#define L(s) (s), (sizeof(s) - 1)
#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

/* 1 when the two byte strings are equal. */
int tu_bytes_eq(const char *p, size_t n, const char *q, size_t m);

/* Printable rendering of bytes for failure messages (\xNN for others;
 * four rotating static buffers, so up to four may be used at once). */
const char *tu_esc(const char *p, size_t n);

/* Asserts two byte strings are equal; the indirection lets L("...")
 * expand to two arguments first. */
#define ck_assert_bytes(...) CK_ASSERT_BYTES_(__VA_ARGS__)
#define CK_ASSERT_BYTES_(P, N, Q, M)                                          \
  do {                                                                        \
    const char *cab_p = (P), *cab_q = (Q);                                    \
    size_t cab_n = (N), cab_m = (M);                                          \
    ck_assert_msg(tu_bytes_eq(cab_p, cab_n, cab_q, cab_m),                    \
                  "bytes differ: got \"%s\" (%zu), want \"%s\" (%zu)",        \
                  tu_esc(cab_p, cab_n), cab_n, tu_esc(cab_q, cab_m), cab_m);  \
  } while (0)

/* Runs a suite and returns the number of failures (for main()). */
int tu_run(Suite *s);

#define ck_assert_ok(expr)                                                    \
  do {                                                                        \
    int rc_ = (expr);                                                         \
    ck_assert_msg(rc_ == 0, "%s returned %d (%s)", #expr, rc_,                \
                  corsim_strerror(rc_));                                      \
  } while (0)

#endif
