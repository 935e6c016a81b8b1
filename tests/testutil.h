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

/* Runs a suite and returns the number of failures (for main()). */
int tu_run(Suite *s);

#define ck_assert_ok(expr)                                                    \
  do {                                                                        \
    int rc_ = (expr);                                                         \
    ck_assert_msg(rc_ == 0, "%s returned %d (%s)", #expr, rc_,                \
                  corsim_strerror(rc_));                                      \
  } while (0)

#endif
