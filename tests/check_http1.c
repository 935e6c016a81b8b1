/*
 * check_http1.c -- lib/http1.c: raw HTTP/1.x response heads.  Status lines
 * (RFC 9112 section 4), line ends and the end of the head (sections 2.1,
 * 2.2), field lines (section 5), every wire.* behaviour under each of its
 * values, rejection line numbers, corsim_filter_head(), reuse, NULL
 * arguments, allocation failure and large heads.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "testutil.h"

#define APP "https://app.example"
#define API "https://api.example/data"

/* A head followed by a body: data, total length, and the length of the
 * head (what *consumed must be). */
#define HB(head, body) head body, sizeof(head body) - 1, sizeof(head) - 1
/* A string literal as (pointer, length), NUL bytes included. */
#define D(s) s, sizeof(s) - 1

#define ST "HTTP/1.1 200 OK\r\n"

static corsim_head *head_new(void) {
  corsim_head *h = NULL;
  ck_assert_ok(corsim_head_new(&h, NULL));
  ck_assert_ptr_nonnull(h);
  return h;
}

/* "Name: value\n" per header, bytes escaped with tu_esc(). */
static const char *hdr_string(const corsim_response *r) {
  static char buf[16384];
  size_t i, o = 0;
  buf[0] = '\0';
  for (i = 0; r && i < r->header_count && o < sizeof buf; i++) {
    const corsim_header *x = &r->headers[i];
    int n = snprintf(buf + o, sizeof buf - o, "%s: %s\n",
                     tu_esc(x->name, x->name_len),
                     tu_esc(x->value, x->value_len));
    ck_assert_int_ge(n, 0);
    o += (size_t)n;
  }
  return buf;
}

/* A profile like the spec one with behaviour b set to the named value. */
static struct corsim_profile profile_with(int b, const char *value) {
  struct corsim_profile p = *corsim_profile_spec();
  int v = 0;
  p.name = "test/wire";
  ck_assert_msg(corsim__behaviour_parse(b, value, strlen(value), &v) == 0,
                "behaviour %s has no value %s", corsim__behaviours[b].id,
                value);
  p.v[b] = v;
  return p;
}

/* ------------------------------------------------------------------------
 * 1. Status lines and the end of the head (RFC 9112 sections 2, 4)
 * ------------------------------------------------------------------------ */

typedef struct parse_row {
  const char *data;
  size_t len;
  size_t consumed;
  int rc;
  int status;
  const char *reason;  /* escaped with tu_esc() */
  const char *headers; /* hdr_string() form */
} parse_row;

#define BAD(s) s, sizeof(s) - 1, 0, CORSIM_ERR_BAD_RESPONSE, 0, NULL, NULL

static const parse_row status_rows[] = {
    {HB("HTTP/1.1 200 OK\r\n\r\n", ""), 0, 200, "OK", ""},
    {HB("HTTP/1.0 404 Not Found\r\nA: 1\r\n\r\n", "body"), 0, 404,
     "Not Found", "A: 1\n"},
    /* curl prints HTTP/2 and HTTP/3 status lines without a reason */
    {HB("HTTP/2 200\r\nA: 1\r\n\r\n", ""), 0, 200, "", "A: 1\n"},
    {HB("HTTP/3 204\r\n\r\n", "x"), 0, 204, "", ""},
    {HB("HTTP/2 301 \r\n\r\n", ""), 0, 301, "", ""}, /* empty reason */
    {HB("HTTP/1.1 200\r\n\r\n", ""), 0, 200, "", ""}, /* missing reason */
    {HB("HTTP/1.1 200\n\n", ""), 0, 200, "", ""},
    {HB("HTTP/1.1 418 I'm a teapot\r\n\r\n", ""), 0, 418, "I'm a teapot",
     ""},
    {HB("HTTP/1.1 500 Internal Server Error\r\n\r\n", ""), 0, 500,
     "Internal Server Error", ""},
    {HB("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 999 Odd But Valid\r\n\r\n", ""),
     0, 999, "Odd But Valid", ""},
    /* leading empty lines are skipped */
    {HB("\r\n\n\r\nHTTP/1.1 201 Created\r\nA: 1\r\n\r\n", "x"), 0, 201,
     "Created", "A: 1\n"},
    /* interim heads are skipped; only the final head's headers remain */
    {HB("HTTP/1.1 100 Continue\r\nX-Interim: 1\r\n\r\n"
        "HTTP/1.1 200 OK\r\nA: 1\r\n\r\n",
        "body"),
     0, 200, "OK", "A: 1\n"},
    {HB("HTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\n"
        "HTTP/1.1 100 Continue\r\n\r\n"
        "HTTP/1.1 200 OK\nB: 2\n\n",
        "HTTP/1.1 302 Found\r\n\r\n"),
     0, 200, "OK", "B: 2\n"},
    {HB("HTTP/1.1 102 Processing\n\nHTTP/1.1 404 Not Found\n\n", ""), 0, 404,
     "Not Found", ""},
    /* 101 is final here (Fetch skips 1xx other than 101) */
    {HB("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n",
        "HTTP/1.1 200 OK\r\nA: 1\r\n\r\n"),
     0, 101, "Switching Protocols", "Upgrade: websocket\n"},
    /* bad status lines */
    {BAD("")},
    {BAD("\r\n")},
    {BAD("\r\n\r\n\n\n")},
    {BAD("HTTP 200 OK\r\n\r\n")},
    {BAD("HTTX/1.1 200 OK\r\n\r\n")},
    {BAD("200 OK\r\n\r\n")},
    {BAD("A: 1\r\n\r\n")},
    {BAD("HTTP/ 200 OK\r\n\r\n")},
    {BAD("HTTP/1.1\r\n\r\n")},
    {BAD("HTTP/1.1 \r\n\r\n")},
    {BAD("HTTP/1.1 20 OK\r\n\r\n")},
    {BAD("HTTP/1.1 20\r\n\r\n")},
    {BAD("HTTP/1.1 2000 OK\r\n\r\n")},
    {BAD("HTTP/2 2000\r\n\r\n")},
    {BAD("HTTP/1.1 099 Low\r\n\r\n")},
    {BAD("HTTP/1.1 000 Zero\r\n\r\n")},
    {BAD("HTTP/1.1 abc OK\r\n\r\n")},
    {BAD("HTTP/1.1 2x0 OK\r\n\r\n")},
    {BAD("HTTP/1.1 -20 OK\r\n\r\n")},
    {BAD("HTTP/1.1200 OK\r\n\r\n")},
    {BAD("HTTP/1.1200\r\n\r\n")},
    {BAD("HTTP/1.1 200OK\r\n\r\n")},
    {BAD("HTTP/1.1  200 OK\r\n\r\n")},
    {BAD(" HTTP/1.1 200 OK\r\n\r\n")},
    {BAD("garbage\r\nHTTP/1.1 200 OK\r\n\r\n")},
    {BAD("\x00\x01\x02\xff\xfe\r\n\r\n")},
    {BAD("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")},
    {BAD("\x00HTTP/1.1 200 OK\r\n\r\n")},
    /* the final head after an interim one must be valid too */
    {BAD("HTTP/1.1 100 Continue\r\n\r\ngarbage\r\n\r\n")},
};

/* Line ends, the end of the head, field values, duplicates. */
static const parse_row line_rows[] = {
    {HB("HTTP/1.1 200 OK\nA: 1\nB: 2\n\n", "body\n"), 0, 200, "OK",
     "A: 1\nB: 2\n"},
    {HB("HTTP/1.1 200 OK\r\nA: 1\r\nB: 2\r\n\r\n", "body\r\n\r\n"), 0, 200,
     "OK", "A: 1\nB: 2\n"},
    {HB("HTTP/1.1 200 OK\r\nA: 1\nB: 2\r\n\n", "body"), 0, 200, "OK",
     "A: 1\nB: 2\n"},
    {HB("HTTP/1.1 200 OK\nA: 1\r\nB: 2\n\r\n", "body"), 0, 200, "OK",
     "A: 1\nB: 2\n"},
    /* what follows the empty line is not part of the head */
    {HB("HTTP/1.1 200 OK\nA: 1\r\n\r\n", "B: 2\r\n\r\n"), 0, 200, "OK",
     "A: 1\n"},
    {HB("HTTP/1.1 302 Found\r\nLocation: /next\r\n\r\n",
        "HTTP/1.1 200 OK\r\nA: 1\r\n\r\n"),
     0, 302, "Found", "Location: /next\n"},
    {HB("HTTP/1.1 200 OK\r\n\r\n", "\r\n\r\nHTTP/1.1 302 Found\r\n\r\n"), 0,
     200, "OK", ""},
    /* no empty line: the head ends with the data */
    {HB("HTTP/1.1 200 OK\r\nA: 1\r\n", ""), 0, 200, "OK", "A: 1\n"},
    {HB("HTTP/1.1 200 OK\r\nA: 1", ""), 0, 200, "OK", "A: 1\n"},
    {HB("HTTP/1.1 200 OK\nA: 1\nB: 2", ""), 0, 200, "OK", "A: 1\nB: 2\n"},
    {HB("HTTP/1.1 200 OK\r\n", ""), 0, 200, "OK", ""},
    {HB("HTTP/1.1 200 OK", ""), 0, 200, "OK", ""},
    /* values trimmed of spaces and tabs; inner whitespace kept */
    {HB(ST "A:   x  \t\r\nB:\t\ty\r\nC:\r\nD:  \t \r\nE: a  b\t c\r\nF:x\r\n"
          "\r\n",
        ""),
     0, 200, "OK", "A: x\nB: y\nC: \nD: \nE: a  b\\x09 c\nF: x\n"},
    /* a colon in the value; name casing preserved */
    {HB(ST "Location: http://x.example:8080/a?b=c:d\r\n"
          "aCcEsS-cOnTrOl-AlLoW-oRiGiN: *\r\n\r\n",
        ""),
     0, 200, "OK",
     "Location: http://x.example:8080/a?b=c:d\n"
     "aCcEsS-cOnTrOl-AlLoW-oRiGiN: *\n"},
    /* duplicates kept in order, with their casing */
    {HB(ST "Set-Cookie: a=1\r\nset-cookie: b=2\r\nX-A: 1\r\nSET-COOKIE: c=3\r\n"
          "x-a: 2\r\nX-A: 1\r\n\r\n",
        ""),
     0, 200, "OK",
     "Set-Cookie: a=1\nset-cookie: b=2\nX-A: 1\nSET-COOKIE: c=3\nx-a: 2\n"
     "X-A: 1\n"},
    /* every tchar is allowed in a name */
    {HB(ST "X-Foo_Bar.Baz~!#$%&'*+^`|09: v\r\n\r\n", ""), 0, 200, "OK",
     "X-Foo_Bar.Baz~!#$%&'*+^`|09: v\n"},
};

static void check_parse_row(const parse_row *r, const char *table, int i) {
  corsim_head *h = head_new();
  size_t consumed = 12345;
  const corsim_response *resp;
  int rc = corsim_head_parse(h, NULL, r->data, r->len, &consumed);

  ck_assert_msg(rc == r->rc, "%s row %d \"%s\": rc %d (%s), want %d", table,
                i, tu_esc(r->data, r->len), rc, corsim_strerror(rc), r->rc);
  resp = corsim_head_response(h);
  if (rc) {
    ck_assert_msg(resp == NULL, "%s row %d: a response after an error", table,
                  i);
    ck_assert_int_eq(corsim_head_rejected(h, NULL, NULL), 0);
  } else {
    unsigned long line = 0;
    const char *why = NULL;
    ck_assert_ptr_nonnull(resp);
    ck_assert_msg(!corsim_head_rejected(h, &line, &why),
                  "%s row %d: rejected at line %lu: %s", table, i, line, why);
    ck_assert_msg(resp->status == r->status, "%s row %d: status %d, want %d",
                  table, i, resp->status, r->status);
    ck_assert_msg(strcmp(tu_esc(resp->status_text, resp->status_text_len),
                         r->reason) == 0,
                  "%s row %d: reason \"%s\", want \"%s\"", table, i,
                  tu_esc(resp->status_text, resp->status_text_len), r->reason);
    ck_assert_msg(strcmp(hdr_string(resp), r->headers) == 0,
                  "%s row %d: headers\n%s\nwanted\n%s", table, i,
                  hdr_string(resp), r->headers);
    ck_assert_msg(consumed == r->consumed, "%s row %d: consumed %zu, want %zu",
                  table, i, consumed, r->consumed);
    /* consumed may be NULL; the explicit spec profile gives the same */
    ck_assert_ok(corsim_head_parse(h, corsim_profile_spec(), r->data, r->len,
                                   NULL));
    ck_assert_int_eq(corsim_head_response(h)->status, r->status);
    ck_assert_str_eq(hdr_string(corsim_head_response(h)), r->headers);
  }
  corsim_head_free(h);
}

START_TEST(test_status_lines) {
  check_parse_row(&status_rows[_i], "status", _i);
}
END_TEST

START_TEST(test_line_ends) { check_parse_row(&line_rows[_i], "lines", _i); }
END_TEST

/* A redirect chain in one buffer: the second head is found after the
 * first head's body, starting from *consumed. */
START_TEST(test_redirect_chain) {
  static const char data[] = "HTTP/1.1 100 Continue\r\n\r\n"
                             "HTTP/1.1 302 Found\r\n"
                             "Location: https://api.example/next\r\n"
                             "Content-Length: 5\r\n\r\n"
                             "hello"
                             "HTTP/1.1 200 OK\nX-Second: yes\n\n"
                             "done";
  corsim_head *h = head_new();
  size_t used = 0, off;
  ck_assert_ok(corsim_head_parse(h, NULL, D(data), &used));
  ck_assert_int_eq(corsim_head_response(h)->status, 302);
  ck_assert_str_eq(hdr_string(corsim_head_response(h)),
                   "Location: https://api.example/next\nContent-Length: 5\n");
  ck_assert_msg(used + 5 < sizeof data &&
                    memcmp(data + used, "helloHTTP/1.1 200", 17) == 0,
                "consumed %zu does not end at the empty line", used);
  off = used + 5;
  ck_assert_ok(corsim_head_parse(h, NULL, data + off, sizeof data - 1 - off,
                                 &used));
  ck_assert_int_eq(corsim_head_response(h)->status, 200);
  ck_assert_str_eq(hdr_string(corsim_head_response(h)), "X-Second: yes\n");
  ck_assert_str_eq(data + off + used, "done");
  corsim_head_free(h);
}
END_TEST

/* ------------------------------------------------------------------------
 * 2. The wire.* behaviours, each under each of its values
 * ------------------------------------------------------------------------ */

#define SPEC (-1) /* the row uses a NULL profile (and the spec profile) */

typedef struct wire_row {
  int b;             /* CORSIM__B_WIRE_* or SPEC */
  const char *value; /* the behaviour's value name */
  const char *data;
  size_t len;
  unsigned long line;  /* rejected at this 1-based line; 0: accepted */
  const char *why_has; /* the sentence contains this (rejected rows) */
  const char *headers; /* hdr_string() form; NULL: not checked */
  const char *reason;  /* tu_esc() form; NULL: not checked */
} wire_row;

#define B_SBC CORSIM__B_WIRE_SPACE_BEFORE_COLON
#define B_CR CORSIM__B_WIRE_BARE_CR
#define B_FOLD CORSIM__B_WIRE_OBS_FOLD
#define B_NUL CORSIM__B_WIRE_NUL
#define B_NA CORSIM__B_WIRE_NON_ASCII
#define B_CL CORSIM__B_WIRE_CONTENT_LENGTH
#define B_SL CORSIM__B_WIRE_STATUS_LINE
#define B_SH CORSIM__B_WIRE_SINGLETON_HEADERS

#define W_COLON "and its colon"
#define W_NOCOLON "without a colon"
#define W_CR "bare CR"
#define W_FOLD "obs-fold"
#define W_FIRST "starts with whitespace"
#define W_NUL "NUL"
#define W_HIGH "0x7F"
#define W_TOKEN "token"

static const wire_row wire_rows[] = {
    /* ---- wire.space_before_colon ---- */
    {SPEC, NULL, D(ST "Name : v\r\n\r\n"), 2, W_COLON, NULL, NULL},
    {B_SBC, "reject", D(ST "A: 1\r\nB: 2\r\nName\t: v\r\n\r\n"), 4, W_COLON,
     NULL, NULL},
    {B_SBC, "reject", D("HTTP/1.1 200 OK\nA: 1\nName : v\n\n"), 3, W_COLON,
     NULL, NULL},
    {B_SBC, "strip", D(ST "Name : v\r\n\r\n"), 0, NULL, "Name: v\n", "OK"},
    {B_SBC, "strip", D(ST "Name \t : v\r\nX: y\r\n\r\n"), 0, NULL,
     "Name: v\nX: y\n", "OK"},
    {B_SBC, "strip", D(ST "Name :v\r\n\r\n"), 0, NULL, "Name: v\n", "OK"},
    {B_SBC, "strip", D(ST "NoColon\r\n\r\n"), 2, W_NOCOLON, NULL, NULL},
    {B_SBC, "strip", D(ST " : v\r\n\r\n"), 2, W_FIRST, NULL, NULL},
    /* wire.conflicting_duplicates (Chromium, Firefox: reject) */
    {CORSIM__B_WIRE_CONFLICTING_DUPLICATES, "reject",
     D(ST "Content-Length: 0\r\nContent-Length: 1\r\n\r\n"), 4, "different",
     NULL, NULL},
    {CORSIM__B_WIRE_CONFLICTING_DUPLICATES, "reject",
     D(ST "Location: /a\r\nX: 1\r\nLocation: /a\r\n\r\n"), 0, NULL,
     "Location: /a\nX: 1\nLocation: /a\n", "OK"},
    {CORSIM__B_WIRE_CONFLICTING_DUPLICATES, "keep",
     D(ST "Content-Length: 0\r\nContent-Length: 1\r\n\r\n"), 0, NULL,
     "Content-Length: 0\nContent-Length: 1\n", "OK"},
    /* ignore: the line is skipped (Firefox, WebKitGTK) */
    {B_SBC, "ignore", D(ST "Name : v\r\nX: y\r\n\r\n"), 0, NULL, "X: y\n",
     "OK"},
    {B_SBC, "ignore", D(ST "A: 1\r\nName\t: v\r\n\r\n"), 0, NULL, "A: 1\n",
     "OK"},

    /* ---- wire.bare_cr ---- */
    {SPEC, NULL, D(ST "A: x\ry\r\n\r\n"), 2, W_CR, NULL, NULL},
    {B_CR, "reject", D(ST "A: 1\r\nB: x\ry\r\n\r\n"), 3, W_CR, NULL, NULL},
    {B_CR, "reject", D(ST "A: 1\r\nB: x\r\r\n\r\n"), 3, W_CR, NULL, NULL},
    {B_CR, "space", D(ST "A: x\ry\r\n\r\n"), 0, NULL, "A: x y\n", "OK"},
    {B_CR, "space", D(ST "A: x\r\r\nB: 2\r\n\r\n"), 0, NULL, "A: x\nB: 2\n",
     "OK"},
    {B_CR, "space", D(ST "A: x\r\r\ry\r\n\r\n"), 0, NULL, "A: x   y\n", "OK"},
    {B_CR, "line-end", D(ST "A: 1\rB: 2\r\n\r\n"), 0, NULL, "A: 1\nB: 2\n",
     "OK"},
    {B_CR, "line-end", D(ST "A: 1\rB: 2\rC: 3\r\n\r\n"), 0, NULL,
     "A: 1\nB: 2\nC: 3\n", "OK"},
    {B_CR, "line-end", D("HTTP/1.1 200 OK\nA: 1\rB: 2\n\n"), 0, NULL,
     "A: 1\nB: 2\n", "OK"},
    /* the CR split leaves "y" on a line of its own, which has no colon */
    {B_CR, "line-end", D(ST "A: x\ry\r\n\r\n"), 3, W_NOCOLON, NULL, NULL},
    /* a bare CR in the status line (RFC 9112 section 2.2: any element) */
    {SPEC, NULL, D("HTTP/1.1 404 Not\rFound\r\nA: 1\r\n\r\n"), 1, W_CR, NULL,
     NULL},
    {B_CR, "space", D("HTTP/1.1 404 Not\rFound\r\nA: 1\r\n\r\n"), 0, NULL,
     "A: 1\n", "Not Found"},
    {B_CR, "line-end", D("HTTP/1.1 200 OK\rA: 1\r\n\r\n"), 0, NULL, "A: 1\n",
     "OK"},
    /* skip-line (Firefox): the line whose value holds a CR is dropped; a
     * CR at the end of a value is trimmed like whitespace */
    {B_CR, "skip-line", D(ST "A: x\ry\r\nB: 2\r\n\r\n"), 0, NULL, "B: 2\n",
     "OK"},
    {B_CR, "skip-line", D(ST "A: 1\rB: 2\r\nC: 3\r\n\r\n"), 0, NULL,
     "C: 3\n", "OK"},
    {B_CR, "skip-line", D(ST "A: 1\r\r\nB: 2\r\n\r\n"), 0, NULL,
     "A: 1\nB: 2\n", "OK"},
    {B_CR, "skip-line", D(ST "A: \r1\r\r\n\r\n"), 0, NULL, "A: 1\n", "OK"},
    {B_CR, "skip-line", D(ST "A: x\r\n y\rz\r\nB: 2\r\n\r\n"), 0, NULL,
     "B: 2\n", "OK"},
    {B_CR, "skip-line", D("HTTP/1.1 404 Not\rFound\r\nA: 1\r\n\r\n"), 0,
     NULL, "A: 1\n", "Not Found"},

    /* ---- wire.obs_fold ---- */
    {SPEC, NULL, D(ST "A: x\r\n  y\r\nB: 2\r\n\r\n"), 0, NULL, "A: x y\nB: 2\n",
     "OK"},
    {B_FOLD, "unfold", D(ST "A: x\r\n\ty\r\n\r\n"), 0, NULL, "A: x y\n", "OK"},
    {B_FOLD, "unfold", D(ST "A: x\r\n y\r\n \t z \r\n\r\n"), 0, NULL,
     "A: x y z\n", "OK"},
    {B_FOLD, "unfold", D(ST "A:\r\n y\r\n\r\n"), 0, NULL, "A: y\n", "OK"},
    {B_FOLD, "unfold", D("HTTP/1.1 200 OK\nA: x\n  y\nB: 2\n\n"), 0, NULL,
     "A: x y\nB: 2\n", "OK"},
    {B_FOLD, "reject", D(ST "A: x\r\n  y\r\nB: 2\r\n\r\n"), 3, W_FOLD, NULL,
     NULL},
    {B_FOLD, "reject", D(ST "A: 1\r\nB: 2\r\nC: x\r\n\ty\r\n\r\n"), 5, W_FOLD,
     NULL, NULL},
    /* a fold as the first header line continues nothing */
    {SPEC, NULL, D(ST " A: x\r\nB: 2\r\n\r\n"), 2, W_FIRST, NULL, NULL},
    {B_FOLD, "unfold", D(ST "\tA: x\r\n\r\n"), 2, W_FIRST, NULL, NULL},
    {B_FOLD, "reject", D(ST " A: x\r\n\r\n"), 2, NULL, NULL, NULL},
    /* join (Firefox): only the line break goes */
    {B_FOLD, "join", D(ST "A: x\r\n\ty\r\n\r\n"), 0, NULL, "A: x\\x09y\n",
     "OK"},
    {B_FOLD, "join", D(ST "A: x,\r\n y\r\nB: 2\r\n\r\n"), 0, NULL,
     "A: x, y\nB: 2\n", "OK"},
    {B_FOLD, "join", D(ST "A: x\r\n  y  \r\n \t z\r\n\r\n"), 0, NULL,
     "A: x  y   \\x09 z\n", "OK"},
    {B_FOLD, "join", D(ST "A:\r\n  y\r\n\r\n"), 0, NULL, "A: y\n", "OK"},
    {B_FOLD, "join", D(ST "A: x\r\n  \r\n\r\n"), 0, NULL, "A: x\n", "OK"},
    {B_FOLD, "join", D(ST "\tA: x\r\n\r\n"), 2, W_FIRST, NULL, NULL},

    /* ---- wire.nul ---- */
    {SPEC, NULL, D(ST "A: x\0y\r\n\r\n"), 2, W_NUL, NULL, NULL},
    {B_NUL, "reject", D(ST "A: 1\r\nB: \0\r\n\r\n"), 3, W_NUL, NULL, NULL},
    {B_NUL, "space", D(ST "A: x\0y\r\n\r\n"), 0, NULL, "A: x y\n", "OK"},
    {B_NUL, "space", D(ST "A: x\r\n y\0z\r\n\r\n"), 0, NULL, "A: x y z\n",
     "OK"},
    {B_NUL, "keep", D(ST "A: x\0y\r\n\r\n"), 0, NULL, "A: x\\x00y\n", "OK"},
    {B_NUL, "keep", D(ST "A: \0\0x\0\r\n\r\n"), 0, NULL,
     "A: \\x00\\x00x\\x00\n", "OK"},
    /* a NUL in a name is never a token, whatever wire.nul says */
    {B_NUL, "keep", D(ST "Na\0me: v\r\n\r\n"), 2, W_TOKEN, NULL, NULL},
    /* the spec rejects a NUL anywhere in the head, the reason included */
    {SPEC, NULL, D("HTTP/1.1 200 O\0K\r\nA: 1\r\n\r\n"), 1, W_NUL, NULL,
     NULL},
    /* reject-in-values (Firefox): values only; a name with a NUL is not a
     * token (wire.invalid_line decides); the reason keeps it */
    {B_NUL, "reject-in-values", D(ST "A: x\0y\r\n\r\n"), 2, W_NUL, NULL,
     NULL},
    {B_NUL, "reject-in-values", D(ST "A: x\r\n \0\r\n\r\n"), 3, W_NUL,
     NULL, NULL},
    {B_NUL, "reject-in-values", D(ST "Na\0me: v\r\n\r\n"), 2, W_TOKEN, NULL,
     NULL},
    {B_NUL, "reject-in-values", D("HTTP/1.1 200 O\0K\r\nA: 1\r\n\r\n"), 0,
     NULL, "A: 1\n", "O\\x00K"},

    /* ---- wire.non_ascii ---- */
    {SPEC, NULL, D(ST "A: caf\xc3\xa9\r\n\r\n"), 0, NULL, "A: caf\\xc3\\xa9\n",
     "OK"},
    {B_NA, "keep", D(ST "A: \x80 \xff\r\n\r\n"), 0, NULL, "A: \\x80 \\xff\n",
     "OK"},
    {B_NA, "reject", D(ST "A: caf\xc3\xa9\r\n\r\n"), 2, W_HIGH, NULL, NULL},
    {B_NA, "reject", D(ST "A: 1\r\nB: \xff\r\n\r\n"), 3, W_HIGH, NULL, NULL},
    {B_NA, "reject", D(ST "A: 1\r\nB: x\r\n \x80\r\n\r\n"), 4, W_HIGH, NULL,
     NULL},
    {B_NA, "reject", D(ST "A: \x7f\r\n\r\n"), 0, NULL, "A: \\x7f\n", "OK"},
    /* utf8-replace (WebKitGTK): ill-formed UTF-8 becomes EF BF BD, as many
     * bytes at once as the Encoding Standard's decoder replaces */
    {B_NA, "utf8-replace", D(ST "A: caf\xe9\r\n\r\n"), 0, NULL,
     "A: caf\\xef\\xbf\\xbd\n", "OK"},
    {B_NA, "utf8-replace", D(ST "A: caf\xc3\xa9\r\n\r\n"), 0, NULL,
     "A: caf\\xc3\\xa9\n", "OK"},
    {B_NA, "utf8-replace", D(ST "A: \xff\r\n\r\n"), 0, NULL,
     "A: \\xef\\xbf\\xbd\n", "OK"},
    {B_NA, "utf8-replace", D(ST "A: \xe2\x82\r\n\r\n"), 0, NULL,
     "A: \\xef\\xbf\\xbd\n", "OK"},
    {B_NA, "utf8-replace", D(ST "A: \xe2\x82x\r\n\r\n"), 0, NULL,
     "A: \\xef\\xbf\\xbdx\n", "OK"},
    {B_NA, "utf8-replace", D(ST "A: \xed\xa0\x80\r\n\r\n"), 0, NULL,
     "A: \\xef\\xbf\\xbd\\xef\\xbf\\xbd\\xef\\xbf\\xbd\n", "OK"},
    {B_NA, "utf8-replace", D(ST "A: \xf0\x9f\x98\x80 \xc0\xaf\r\n\r\n"), 0,
     NULL,
     "A: \\xf0\\x9f\\x98\\x80 \\xef\\xbf\\xbd\\xef\\xbf\\xbd\n", "OK"},
    {B_NA, "utf8-replace", D(ST "A: \xf4\x90\x80\x80\r\n\r\n"), 0, NULL,
     "A: \\xef\\xbf\\xbd\\xef\\xbf\\xbd\\xef\\xbf\\xbd\\xef\\xbf\\xbd\n",
     "OK"},
    {B_NA, "utf8-replace", D(ST "A: \xf0\x9f\x98\r\n\r\n"), 0, NULL,
     "A: \\xef\\xbf\\xbd\n", "OK"},
    /* the reason phrase is not decoded */
    {B_NA, "utf8-replace", D("HTTP/1.1 200 Tr\xe8s\r\nA: 1\r\n\r\n"), 0,
     NULL, "A: 1\n", "Tr\\xe8s"},

    /* ---- wire.content_length ---- */
    {SPEC, NULL, D(ST "Content-Length: abc\r\n\r\n"), 0, NULL,
     "Content-Length: abc\n", "OK"},
    {B_CL, "keep", D(ST "Content-Length: 0, 0\r\n\r\n"), 0, NULL,
     "Content-Length: 0, 0\n", "OK"},
    {B_CL, "reject-non-numeric", D(ST "Content-Length: abc\r\n\r\n"), 3,
     "Content-Length", NULL, NULL},
    {B_CL, "reject-non-numeric", D(ST "Content-Length: 0, 0\r\n\r\n"), 3,
     "Content-Length", NULL, NULL},
    {B_CL, "reject-non-numeric", D(ST "Content-Length: +\r\n\r\n"), 3,
     "Content-Length", NULL, NULL},
    {B_CL, "reject-non-numeric",
     D(ST "Content-Length: 5\r\nA: 1\r\ncontent-length: 5x\r\n\r\n"), 5,
     "Content-Length", NULL, NULL},
    {B_CL, "reject-non-numeric", D(ST "Content-Length: -1\r\n\r\n"), 0, NULL,
     "Content-Length: -1\n", "OK"},
    {B_CL, "reject-non-numeric", D(ST "Content-Length:  +42 \r\n\r\n"), 0,
     NULL, "Content-Length: +42\n", "OK"},
    {B_CL, "reject-non-numeric", D(ST "Content-Length:\r\n\r\n"), 0, NULL,
     "Content-Length: \n", "OK"},
    {B_CL, "reject-non-numeric",
     D(ST "Content-Length: 0\r\nContent-Length: 0\r\n\r\n"), 0, NULL,
     "Content-Length: 0\nContent-Length: 0\n", "OK"},
    /* the last line decides */
    {B_CL, "reject-non-numeric",
     D(ST "Content-Length: abc\r\nContent-Length: 7\r\n\r\n"), 0, NULL,
     "Content-Length: abc\nContent-Length: 7\n", "OK"},
    {B_CL, "reject-non-numeric", D(ST "X-Length: abc\r\n\r\n"), 0, NULL,
     "X-Length: abc\n", "OK"},

    /* ---- wire.singleton_headers ---- */
    {SPEC, NULL, D(ST "Authorization: a\r\nAuthorization: b\r\n\r\n"), 0,
     NULL, "Authorization: a\nAuthorization: b\n", "OK"},
    {B_SH, "keep", D(ST "Content-Type: a/b\r\nContent-Type: c/d\r\n\r\n"),
     0, NULL, "Content-Type: a/b\nContent-Type: c/d\n", "OK"},
    /* sensitive-064: the first line wins, whatever the case of the name */
    {B_SH, "gecko",
     D(ST "Authorization: a\r\nX: 1\r\nauthorization: b\r\n\r\n"), 0,
     NULL, "Authorization: a\nX: 1\n", "OK"},
    /* combine-038: an identical repeat is stored once */
    {B_SH, "gecko", D(ST "Content-Length: 0\r\nContent-Length: 0\r\n\r\n"),
     0, NULL, "Content-Length: 0\n", "OK"},
    /* a different one too, when wire.conflicting_duplicates keeps it */
    {B_SH, "gecko", D(ST "Location: /a\r\nLocation: /b\r\n\r\n"), 0, NULL,
     "Location: /a\n", "OK"},
    /* combine-031: Content-Type lines are joined with "," into the first */
    {B_SH, "gecko",
     D(ST "Content-Type: text/plain\r\nX: 1\r\nContent-Type: "
          "text/html\r\n\r\n"),
     0, NULL, "Content-Type: text/plain,text/html\nX: 1\n", "OK"},
    {B_SH, "gecko",
     D(ST "Content-Type: a/b\r\nContent-Type: a/b\r\nContent-Type: "
          "c/d\r\n\r\n"),
     0, NULL, "Content-Type: a/b,a/b,c/d\n", "OK"},
    /* no comma after an empty start; one before an empty line */
    {B_SH, "gecko", D(ST "Content-Type:\r\nContent-Type: a/b\r\n\r\n"), 0,
     NULL, "Content-Type: a/b\n", "OK"},
    {B_SH, "gecko", D(ST "Content-Type: a/b\r\nContent-Type:\r\n\r\n"), 0,
     NULL, "Content-Type: a/b,\n", "OK"},
    /* names that may repeat are combined later, as under keep */
    {B_SH, "gecko",
     D(ST "Cache-Control: a\r\nCache-Control: b\r\nStrict-Transport-"
          "Security: max-age=1\r\nStrict-Transport-Security: x\r\n\r\n"),
     0, NULL, "Cache-Control: a\nCache-Control: b\nStrict-Transport-Security: "
              "max-age=1\n", "OK"},
    {B_SH, "gecko", D(ST "Host: a\r\nFrom: b\r\nHost: c\r\nFrom: d\r\n\r\n"),
     0, NULL, "Host: a\nFrom: b\n", "OK"},
    /* a refused head keeps every line, for explanations */
    {B_SH, "gecko",
     D(ST "Authorization: a\r\nAuthorization: b\r\nBad Name: 1\r\n\r\n"),
     4, W_TOKEN, "Authorization: a\nAuthorization: b\n", NULL},

    /* ---- field names and lines without a colon ---- */
    {SPEC, NULL, D(ST "NoColon\r\nA: 1\r\n\r\n"), 2, W_NOCOLON, NULL, NULL},
    {SPEC, NULL, D(ST "A: 1\r\nBad Name: 2\r\nC: 3\r\n\r\n"), 3, W_TOKEN, NULL,
     NULL},
    {SPEC, NULL, D(ST ": v\r\n\r\n"), 2, W_TOKEN, NULL, NULL},
    {SPEC, NULL, D(ST "X(1): v\r\n\r\n"), 2, W_TOKEN, NULL, NULL},
    {SPEC, NULL, D(ST "Na\"me\": v\r\n\r\n"), 2, W_TOKEN, NULL, NULL},
    {SPEC, NULL, D(ST "N\xc3\xa4me: v\r\n\r\n"), 2, W_TOKEN, NULL, NULL},
    {B_SBC, "strip", D(ST "Na/me : v\r\n\r\n"), 2, W_TOKEN, NULL, NULL},

    /* ---- line numbers: 1-based within the input, first problem wins ---- */
    {SPEC, NULL, D("HTTP/1.1 200 OK\r\nName : v\r\nB: \0\r\n\r\n"), 2,
     W_COLON, NULL, NULL},
    {SPEC, NULL, D("HTTP/1.1 200 OK\nA: 1\nB: 2\nC: 3\nD\n\n"), 5, W_NOCOLON,
     NULL, NULL},
    {SPEC, NULL, D("\r\n\nHTTP/1.1 200 OK\r\nName : v\r\n\r\n"), 4, W_COLON,
     NULL, NULL},
    {SPEC, NULL,
     D("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nA: 1\r\nName : "
       "v\r\n\r\n"),
     5, W_COLON, NULL, NULL},
    /* problems after the empty line are in the body, not the head */
    {SPEC, NULL, D(ST "A: 1\r\n\r\nName : v\r\n\0\r\n"), 0, NULL, "A: 1\n",
     "OK"},
};

START_TEST(test_wire) {
  const wire_row *r = &wire_rows[_i];
  struct corsim_profile prof = *corsim_profile_spec();
  const corsim_profile *p;
  corsim_head *h = head_new();
  corsim_request *req;
  corsim_result *res = NULL;
  unsigned long line = 0;
  const char *why = NULL;
  int pass;

  if (r->b != SPEC)
    prof = profile_with(r->b, r->value);
  /* a SPEC row runs with NULL and with corsim_profile_spec(); others with
   * the modified copy */
  for (pass = 0; pass < 2; pass++) {
    p = r->b != SPEC ? &prof : pass == 0 ? NULL : corsim_profile_spec();
    ck_assert_msg(corsim_head_parse(h, p, r->data, r->len, NULL) == 0,
                  "row %d: does not parse", _i);
    line = 0;
    why = NULL;
    if (r->line) {
      ck_assert_msg(corsim_head_rejected(h, &line, &why) == 1,
                    "row %d (%s %s) \"%s\": accepted, want rejected at %lu",
                    _i, r->b == SPEC ? "spec" : corsim__behaviours[r->b].id,
                    r->value ? r->value : "", tu_esc(r->data, r->len),
                    r->line);
      ck_assert_msg(line == r->line, "row %d: line %lu, want %lu (%s)", _i,
                    line, r->line, why);
      ck_assert_ptr_nonnull(why);
      ck_assert_msg(strlen(why) > 10, "row %d: why \"%s\"", _i, why);
      if (r->why_has)
        ck_assert_msg(strstr(why, r->why_has) != NULL,
                      "row %d: why \"%s\" lacks \"%s\"", _i, why, r->why_has);
    } else {
      ck_assert_msg(corsim_head_rejected(h, &line, &why) == 0,
                    "row %d (%s %s) \"%s\": rejected at line %lu: %s", _i,
                    r->b == SPEC ? "spec" : corsim__behaviours[r->b].id,
                    r->value ? r->value : "", tu_esc(r->data, r->len), line,
                    why);
    }
    if (r->headers)
      ck_assert_msg(strcmp(hdr_string(corsim_head_response(h)), r->headers) ==
                        0,
                    "row %d: headers\n%s\nwanted\n%s", _i,
                    hdr_string(corsim_head_response(h)), r->headers);
    if (r->reason) {
      const corsim_response *resp = corsim_head_response(h);
      ck_assert_msg(strcmp(tu_esc(resp->status_text, resp->status_text_len),
                           r->reason) == 0,
                    "row %d: reason \"%s\", want \"%s\"", _i,
                    tu_esc(resp->status_text, resp->status_text_len),
                    r->reason);
    }
    if (r->b != SPEC)
      break;
  }

  /* corsim_filter_head: a rejected head is a network error naming the
   * problem, the line and the profile */
  p = r->b == SPEC ? corsim_profile_spec() : &prof;
  req = tu_request(APP, API, CORSIM_MODE_CORS, CORSIM_CREDENTIALS_OMIT);
  ck_assert_ok(corsim_result_new(&res, NULL));
  ck_assert_ok(corsim_filter_head(res, p, req, h));
  if (r->line) {
    char want[64];
    const char *msg = corsim_result_message(res);
    size_t i, n;
    ck_assert_int_eq(corsim_result_type(res), CORSIM_TYPE_ERROR);
    ck_assert_int_eq(corsim_result_is_network_error(res), 1);
    ck_assert_int_eq(corsim_result_reason(res), CORSIM_BLOCK_INVALID_RESPONSE);
    ck_assert_int_eq(corsim_result_status(res), 0);
    ck_assert_int_eq(corsim_result_ok(res), 0);
    ck_assert_msg(strstr(msg, why) != NULL, "row %d: message \"%s\" lacks \"%s\"",
                  _i, msg, why);
    ck_assert_msg(strstr(msg, p->name) != NULL,
                  "row %d: message \"%s\" lacks the profile \"%s\"", _i, msg,
                  p->name);
    snprintf(want, sizeof want, "line %lu", r->line);
    ck_assert_msg(strstr(msg, want) != NULL, "row %d: message \"%s\" lacks %s",
                  _i, msg, want);
    corsim_result_js_headers(res, &n);
    ck_assert_uint_eq(n, 0);
    corsim_result_headers(res, &n);
    ck_assert_uint_eq(n, 0);
    corsim_result_internal_headers(res, &n);
    ck_assert_uint_eq(n, corsim_head_response(h)->header_count);
    for (i = 0; i < n; i++)
      ck_assert_int_eq(corsim_result_decision(res, i),
                       CORSIM_REMOVED_NETWORK_ERROR);
  } else {
    ck_assert_int_ne(corsim_result_reason(res), CORSIM_BLOCK_INVALID_RESPONSE);
  }
  corsim_result_free(res);
  corsim_request_free(req);
  corsim_head_free(h);
}
END_TEST

/* ------------------------------------------------------------------------
 * wire.status_line: each engine's reading of the status line
 * (tests/interop wire-056..068, status-055..060)
 * ------------------------------------------------------------------------ */

typedef struct status_line_row {
  const char *value; /* of wire.status_line */
  const char *data;
  size_t len;
  int rc;          /* 0 or CORSIM_ERR_BAD_RESPONSE */
  int refused;     /* parsed, but rejected at line 1 (status 0) */
  int status;      /* when accepted */
  const char *reason; /* tu_esc() form, when accepted */
} status_line_row;

/* A status line followed by one header and the empty line. */
#define SL(line) line "\r\nA: 1\r\n\r\n", sizeof(line "\r\nA: 1\r\n\r\n") - 1
#define SL_OK(v, line, st, r) {v, SL(line), 0, 0, st, r}
#define SL_REFUSED(v, line) {v, SL(line), 0, 1, 0, ""}
#define SL_BAD(v, line) {v, SL(line), CORSIM_ERR_BAD_RESPONSE, 0, 0, NULL}

static const status_line_row status_line_rows[] = {
    /* strict: RFC 9112, anything else is not a head */
    SL_OK("strict", "HTTP/1.1 200 OK", 200, "OK"),
    SL_OK("strict", "HTTP/1.1 200 OK  ", 200, "OK  "),
    SL_BAD("strict", "HTTP/1.1  200 OK"),
    SL_BAD("strict", "http/1.1 200 OK"),
    SL_BAD("strict", "HTTP/1.1 20 OK"),
    SL_BAD("strict", "HTTP/1.1 200\tOK"),
    SL_BAD("strict", "ICY 200 OK"),

    /* chromium */
    SL_OK("chromium", "HTTP/1.1 200 OK", 200, "OK"),
    SL_OK("chromium", "HTTP/1.1  200 OK", 200, "OK"),
    SL_OK("chromium", "http/1.1 200 OK", 200, "OK"),
    SL_OK("chromium", "HtTp/1.0 404 Not Found", 404, "Not Found"),
    SL_OK("chromium", "HTTP/1.1 0200 OK", 200, "OK"),
    SL_OK("chromium", "HTTP/1.1 20 OK", 20, "OK"),
    SL_OK("chromium", "HTTP/1.1 2000 OK", 2000, "OK"),
    SL_OK("chromium", "HTTP/1.1 65535 Max", 65535, "Max"),
    SL_OK("chromium", "HTTP/1.1 000 Zero", 0, "Zero"),
    SL_OK("chromium", "HTTP/1.1 200\tOK", 200, "\\x09OK"),
    SL_OK("chromium", "HTTP/1.1 abc OK", 200, ""),
    SL_OK("chromium", "HTTP/1.1 -200 OK", 200, ""),
    SL_OK("chromium", "HTTP/1.1", 200, ""),
    SL_OK("chromium", "HTTP/1.1 200OK", 200, "OK"),
    SL_OK("chromium", "HTTP/1.1 200 OK  ", 200, "OK"),
    SL_OK("chromium", "HTTP/1.1 200   Two  Words \t  ", 200,
          "Two  Words \\x09"),
    SL_OK("chromium", "HTTP/1.2 200 OK", 200, "OK"),
    SL_OK("chromium", "HTTP/2.0 200 OK", 200, "OK"),
    SL_REFUSED("chromium", "ICY 200 OK"),
    SL_REFUSED("chromium", "HTTX/1.1 200 OK"),
    SL_REFUSED("chromium", "htt"),
    SL_BAD("chromium", "HTTP/1.1 65536 Over"),
    SL_BAD("chromium", "HTTP/1.1 99999999999999999999 Over"),

    /* gecko */
    SL_OK("gecko", "HTTP/1.1 200 OK", 200, "OK"),
    SL_OK("gecko", "HTTP/1.1  200 OK", 200, "OK"),
    SL_OK("gecko", "HTTP/1.1 \t 200 OK", 200, "OK"),
    SL_OK("gecko", "HTTP/1.1 20 OK", 20, "OK"),
    SL_OK("gecko", "HTTP/1.1 7", 7, ""),
    SL_OK("gecko", "HTTP/1.1 200\tOK", 200, "OK"),
    SL_OK("gecko", "HTTP/1.1 200  OK", 200, " OK"),
    SL_OK("gecko", "HTTP/1.1 200 OK  ", 200, "OK  "),
    SL_OK("gecko", "HTTP/1.1 200", 200, ""),
    SL_OK("gecko", "HTTP/1.2 200 OK", 200, "OK"),
    SL_OK("gecko", "HTTP/2.0 200 OK", 200, ""),
    SL_OK("gecko", "HTTP/3.0 200 OK", 200, ""),
    /* curl's "HTTP/2 200" (no status line on the wire): read strictly */
    SL_OK("gecko", "HTTP/2 204 No Content", 204, "No Content"),
    SL_OK("gecko", "HTTP/3 200", 200, ""),
    SL_OK("chromium", "HTTP/2 200", 200, ""),
    SL_BAD("chromium", "HTTP/2 2000"),
    SL_BAD("gecko", "HTTP/2  200"),
    SL_OK("gecko", "ICY 200 OK", 200, "OK"),
    SL_REFUSED("gecko", "http/1.1 200 OK"),
    SL_REFUSED("gecko", "HTTP/1.1 0200 OK"),
    SL_REFUSED("gecko", "HTTP/1.1 2000 OK"),
    SL_REFUSED("gecko", "HTTP/1.1 abc OK"),
    SL_REFUSED("gecko", "HTTP/1.1 -200 OK"),
    SL_REFUSED("gecko", "HTTP/1.1 200OK"),
    SL_REFUSED("gecko", "HTTP/1.1"),
    SL_REFUSED("gecko", "HTTP/1.1 "),

    /* libsoup */
    SL_OK("libsoup", "HTTP/1.1 200 OK", 200, "OK"),
    SL_OK("libsoup", "HTTP/1.0 404 Not Found", 404, "Not Found"),
    SL_OK("libsoup", "HTTP/1.1  200 OK", 200, "OK"),
    SL_OK("libsoup", "HTTP/1.1 200\tOK", 200, "OK"),
    SL_OK("libsoup", "HTTP/1.1 200OK", 200, "OK"),
    SL_OK("libsoup", "HTTP/1.1 200 OK \t ", 200, "OK"),
    SL_OK("libsoup", "HTTP/1.1 999", 999, ""),
    SL_OK("libsoup", "ICY 200 OK", 200, "OK"),
    SL_OK("libsoup", "ICY200 OK", 200, "OK"),
    SL_REFUSED("libsoup", "http/1.1 200 OK"),
    SL_REFUSED("libsoup", "HTTP/1.1 0200 OK"),
    SL_REFUSED("libsoup", "HTTP/1.1 20 OK"),
    SL_REFUSED("libsoup", "HTTP/1.1 2000 OK"),
    SL_REFUSED("libsoup", "HTTP/1.1 099 Low"),
    SL_REFUSED("libsoup", "HTTP/1.1 abc OK"),
    SL_REFUSED("libsoup", "HTTP/1.1 -200 OK"),
    SL_REFUSED("libsoup", "HTTP/1.2 200 OK"),
    SL_REFUSED("libsoup", "HTTP/2.0 200 OK"),
    SL_OK("libsoup", "HTTP/2 200", 200, ""),
    SL_OK("libsoup", "HTTP/3 404 ", 404, ""),
    SL_REFUSED("libsoup", "HTTP/2.0 200"),
    SL_REFUSED("libsoup", "HTTP/1 200 OK"),
    SL_REFUSED("libsoup", "HTTP/11111111111111111111.1 200 OK"),
    SL_REFUSED("libsoup", "HTTP/1.1"),
    /* interim heads are still skipped, the final one read the same way */
    {"chromium", D("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 2000 Big\r\nA: 1\r\n\r\n"),
     0, 0, 2000, "Big"},
    {"gecko", D("HTTP/1.1 103 Early\r\n\r\nHTTP/1.1 20 Low\r\nA: 1\r\n\r\n"),
     0, 0, 20, "Low"},
};

START_TEST(test_status_line_rule) {
  const status_line_row *r = &status_line_rows[_i];
  struct corsim_profile prof = profile_with(B_SL, r->value);
  corsim_head *h = head_new();
  const corsim_response *resp;
  corsim_request *req;
  corsim_result *res = NULL;
  unsigned long line = 0;
  const char *why = NULL;
  int rc = corsim_head_parse(h, &prof, r->data, r->len, NULL);

  ck_assert_msg(rc == r->rc, "row %d (%s) \"%s\": rc %d, want %d", _i,
                r->value, tu_esc(r->data, r->len), rc, r->rc);
  if (rc) {
    ck_assert_ptr_null(corsim_head_response(h));
    corsim_head_free(h);
    return;
  }
  resp = corsim_head_response(h);
  ck_assert_str_eq(hdr_string(resp), "A: 1\n");
  if (!r->refused) {
    ck_assert_msg(!corsim_head_rejected(h, &line, &why),
                  "row %d (%s) \"%s\": rejected: %s", _i, r->value,
                  tu_esc(r->data, r->len), why);
  } else {
    ck_assert_msg(corsim_head_rejected(h, &line, &why),
                  "row %d (%s) \"%s\": accepted (status %d)", _i, r->value,
                  tu_esc(r->data, r->len), resp->status);
    ck_assert_uint_eq(line, 1);
    ck_assert_msg(strstr(why, "status") || strstr(why, "version"),
                  "row %d: why \"%s\"", _i, why);
  }
  ck_assert_msg(resp->status == r->status, "row %d (%s) \"%s\": status %d, "
                "want %d", _i, r->value, tu_esc(r->data, r->len),
                resp->status, r->status);
  ck_assert_msg(strcmp(tu_esc(resp->status_text, resp->status_text_len),
                       r->reason) == 0,
                "row %d (%s) \"%s\": reason \"%s\", want \"%s\"", _i, r->value,
                tu_esc(r->data, r->len),
                tu_esc(resp->status_text, resp->status_text_len), r->reason);

  /* what script gets: a same-origin fetch shows the status as read; a
   * refused status line is a network error */
  req = tu_request(APP, APP "/x", CORSIM_MODE_CORS, CORSIM_CREDENTIALS_OMIT);
  ck_assert_ok(corsim_result_new(&res, NULL));
  ck_assert_ok(corsim_filter_head(res, &prof, req, h));
  if (r->refused) {
    ck_assert_int_eq(corsim_result_reason(res), CORSIM_BLOCK_INVALID_RESPONSE);
    ck_assert_int_eq(corsim_result_status(res), 0);
  } else if (r->status >= 100 && r->status <= 199 && r->status != 101) {
    ck_assert_int_eq(corsim_result_is_network_error(res), 1);
  } else {
    ck_assert_int_eq(corsim_result_type(res), CORSIM_TYPE_BASIC);
    ck_assert_int_eq(corsim_result_status(res), r->status);
    ck_assert_int_eq(corsim_result_ok(res),
                     r->status >= 200 && r->status <= 299);
  }
  corsim_result_free(res);
  corsim_request_free(req);
  corsim_head_free(h);
}
END_TEST

/* A caller-built response must have a status of 100-999, unless the
 * profile's head parser can produce others (wire.status_line). */
START_TEST(test_status_range_per_profile) {
  static const struct {
    const char *value; /* NULL: the spec profile itself */
    int status, rc;
  } rows[] = {
      {NULL, 100, 0},           {NULL, 999, 0},
      {NULL, 99, CORSIM_ERR_BAD_STATUS}, {NULL, 1000, CORSIM_ERR_BAD_STATUS},
      {NULL, 20, CORSIM_ERR_BAD_STATUS}, {"strict", 20, CORSIM_ERR_BAD_STATUS},
      {"gecko", 20, 0},         {"gecko", 0, 0},
      {"chromium", 2000, 0},    {"chromium", 65535, 0},
      {"chromium", 65536, CORSIM_ERR_BAD_STATUS},
      {"libsoup", -1, CORSIM_ERR_BAD_STATUS},
      {"libsoup", 1000, 0},
  };
  size_t i;
  corsim_request *req =
      tu_request(APP, APP "/x", CORSIM_MODE_CORS, CORSIM_CREDENTIALS_OMIT);
  corsim_result *res = NULL;
  ck_assert_ok(corsim_result_new(&res, NULL));
  for (i = 0; i < N_ELEMS(rows); i++) {
    struct corsim_profile prof = *corsim_profile_spec();
    corsim_response resp = {0, "x", 1, NULL, 0};
    int rc;
    if (rows[i].value)
      prof = profile_with(B_SL, rows[i].value);
    resp.status = rows[i].status;
    rc = corsim_filter(res, &prof, req, &resp);
    ck_assert_msg(rc == rows[i].rc, "row %zu (%s, %d): rc %d, want %d", i,
                  rows[i].value ? rows[i].value : "spec", rows[i].status, rc,
                  rows[i].rc);
    if (rc == 0 && (rows[i].status < 100 || rows[i].status > 199))
      ck_assert_int_eq(corsim_result_status(res), rows[i].status);
    ck_assert_int_eq(corsim_fetch(res, &prof, req, NULL, &resp, 1, NULL, 0),
                     rows[i].rc);
    ck_assert_int_eq(corsim__status_valid(&prof, rows[i].status),
                     rows[i].rc == 0);
  }
  ck_assert_int_eq(corsim__status_valid(NULL, 200), 1);
  ck_assert_int_eq(corsim__status_valid(NULL, 20), 0);
  corsim_result_free(res);
  corsim_request_free(req);
}
END_TEST

/* A NUL kept in a value is data: the value's length counts it. */
START_TEST(test_nul_keep_length) {
  struct corsim_profile prof = profile_with(B_NUL, "keep");
  corsim_head *h = head_new();
  const corsim_response *r;
  ck_assert_ok(corsim_head_parse(h, &prof, D(ST "A: x\0y\r\nB: \0\r\n\r\n"),
                                 NULL));
  r = corsim_head_response(h);
  ck_assert_uint_eq(r->header_count, 2);
  ck_assert_bytes(r->headers[0].value, r->headers[0].value_len, L("x\0y"));
  ck_assert_bytes(r->headers[1].value, r->headers[1].value_len, L("\0"));
  ck_assert_int_eq(corsim_head_rejected(h, NULL, NULL), 0);
  corsim_head_free(h);
}
END_TEST

/* wire.max_head_bytes: 0 is no limit; the head (status line to the empty
 * line) may be exactly the limit; the body does not count. */
static const struct {
  int relative; /* limit is the head length plus delta */
  long delta;
  int interim; /* a 100 Continue head first */
  int rejected;
} max_rows[] = {
    {0, 0, 0, 0},  {1, 0, 0, 0},  {1, 1, 0, 0},     {1, -1, 0, 1},
    {0, 1, 0, 1},  {0, 10, 0, 1}, {1, 1000, 0, 0}, {1, 0, 1, 0},
    {1, -1, 1, 1},
};

START_TEST(test_max_head_bytes) {
  static const char head[] = "HTTP/1.1 200 OK\r\nA: 1\r\nB: 22\r\n\r\n";
  static const char body[] = "a body that is much longer than the head is";
  char data[256];
  size_t hl = sizeof head - 1, pre = 0, used = 0;
  struct corsim_profile prof = *corsim_profile_spec();
  corsim_head *h = head_new();
  unsigned long line = 0;
  const char *why = NULL;

  if (max_rows[_i].interim) {
    strcpy(data, "HTTP/1.1 100 Continue\r\n\r\n");
    pre = strlen(data);
  }
  memcpy(data + pre, head, hl);
  memcpy(data + pre + hl, body, sizeof body - 1);
  prof.v[CORSIM__B_WIRE_MAX_HEAD_BYTES] =
      (int)(max_rows[_i].relative ? (long)hl + max_rows[_i].delta
                                  : max_rows[_i].delta);
  ck_assert_ok(corsim_head_parse(h, &prof, data, pre + hl + sizeof body - 1,
                                 &used));
  ck_assert_uint_eq(used, pre + hl);
  ck_assert_str_eq(hdr_string(corsim_head_response(h)), "A: 1\nB: 22\n");
  ck_assert_msg(corsim_head_rejected(h, &line, &why) == max_rows[_i].rejected,
                "row %d: limit %d, head %zu bytes", _i,
                prof.v[CORSIM__B_WIRE_MAX_HEAD_BYTES], hl);
  if (max_rows[_i].rejected) {
    ck_assert_uint_ge(line, 1);
    ck_assert_ptr_nonnull(why);
    ck_assert_ptr_nonnull(strstr(why, "larger"));
  }
  corsim_head_free(h);
}
END_TEST

/* The spec profile's wire defaults, through the public behaviour API and
 * through parsing with a NULL profile. */
START_TEST(test_spec_defaults) {
  const corsim_profile *sp = corsim_profile_spec();
  corsim_head *h = head_new();
  unsigned long line = 0;
  ck_assert_int_eq(sp->v[CORSIM__B_WIRE_SPACE_BEFORE_COLON], 0); /* reject */
  ck_assert_int_eq(sp->v[CORSIM__B_WIRE_BARE_CR], 0);            /* reject */
  ck_assert_int_eq(sp->v[CORSIM__B_WIRE_OBS_FOLD], 1);           /* unfold */
  ck_assert_int_eq(sp->v[CORSIM__B_WIRE_NUL], 0);                /* reject */
  ck_assert_int_eq(sp->v[CORSIM__B_WIRE_NON_ASCII], 0);          /* keep */
  ck_assert_int_eq(sp->v[CORSIM__B_WIRE_MAX_HEAD_BYTES], 0);     /* none */

  ck_assert_ok(corsim_head_parse(h, NULL, D(ST "N : v\r\n"), NULL));
  ck_assert_int_eq(corsim_head_rejected(h, &line, NULL), 1);
  ck_assert_uint_eq(line, 2);
  ck_assert_ok(corsim_head_parse(h, NULL, D(ST "A: 1\r\nN: a\rb\r\n"), NULL));
  ck_assert_int_eq(corsim_head_rejected(h, &line, NULL), 1);
  ck_assert_uint_eq(line, 3);
  ck_assert_ok(corsim_head_parse(h, NULL, D(ST "N: a\r\n b\r\n"), NULL));
  ck_assert_int_eq(corsim_head_rejected(h, NULL, NULL), 0);
  ck_assert_str_eq(hdr_string(corsim_head_response(h)), "N: a b\n");
  ck_assert_ok(corsim_head_parse(h, NULL, D(ST "N: a\0b\r\n"), NULL));
  ck_assert_int_eq(corsim_head_rejected(h, &line, NULL), 1);
  ck_assert_uint_eq(line, 2);
  ck_assert_ok(corsim_head_parse(h, NULL, D(ST "N: \xe2\x9c\x93\r\n"), NULL));
  ck_assert_int_eq(corsim_head_rejected(h, NULL, NULL), 0);
  ck_assert_str_eq(hdr_string(corsim_head_response(h)), "N: \\xe2\\x9c\\x93\n");
  corsim_head_free(h);
}
END_TEST

/* ------------------------------------------------------------------------
 * 3. corsim_filter_head on an accepted head = corsim_filter on the same
 *    response built another way
 * ------------------------------------------------------------------------ */

static const struct {
  const char *url;
  corsim_mode mode;
  corsim_credentials cred;
  corsim_redirect redirect;
  const char *head; /* LF lines, tu_response_parse() format */
} same_rows[] = {
    {API, CORSIM_MODE_CORS, CORSIM_CREDENTIALS_OMIT, CORSIM_REDIRECT_FOLLOW,
     "HTTP/1.1 200 OK\nAccess-Control-Allow-Origin: *\nX-A: 1\n"
     "Content-Type: text/plain\nCache-Control: no-cache\n"},
    {API, CORSIM_MODE_CORS, CORSIM_CREDENTIALS_INCLUDE, CORSIM_REDIRECT_FOLLOW,
     "HTTP/1.1 200 OK\nAccess-Control-Allow-Origin: " APP "\n"
     "Access-Control-Allow-Credentials: true\n"
     "Access-Control-Expose-Headers: X-A, x-b\nX-A: 1\nX-B:  2 \nX-C: 3\n"
     "Set-Cookie: s=1\n"},
    {API, CORSIM_MODE_CORS, CORSIM_CREDENTIALS_OMIT, CORSIM_REDIRECT_FOLLOW,
     "HTTP/1.1 404 Not Found\nX-A: 1\n"},
    {API, CORSIM_MODE_CORS, CORSIM_CREDENTIALS_OMIT, CORSIM_REDIRECT_FOLLOW,
     "HTTP/1.1 200 OK\nAccess-Control-Allow-Origin: *\n"
     "Access-Control-Allow-Origin: *\n"},
    {API, CORSIM_MODE_NO_CORS, CORSIM_CREDENTIALS_INCLUDE,
     CORSIM_REDIRECT_FOLLOW, "HTTP/1.1 200 OK\nX-A: 1\n"},
    {APP "/same", CORSIM_MODE_CORS, CORSIM_CREDENTIALS_SAME_ORIGIN,
     CORSIM_REDIRECT_FOLLOW,
     "HTTP/2 200\nSet-Cookie: a=1\nX-A: 1\nx-a: 2\nContent-Length: 3\n"},
    {API, CORSIM_MODE_CORS, CORSIM_CREDENTIALS_OMIT, CORSIM_REDIRECT_FOLLOW,
     "HTTP/1.1 302 Found\nLocation: https://api.example/next\n"
     "Access-Control-Allow-Origin: *\n"},
    {API, CORSIM_MODE_CORS, CORSIM_CREDENTIALS_OMIT, CORSIM_REDIRECT_MANUAL,
     "HTTP/1.1 301 Moved Permanently\nLocation: /x\n"},
    {API, CORSIM_MODE_CORS, CORSIM_CREDENTIALS_OMIT, CORSIM_REDIRECT_ERROR,
     "HTTP/1.1 307 Temporary Redirect\nLocation: /x\n"
     "Access-Control-Allow-Origin: *\n"},
};

static char *dump(const corsim_result *res) {
  char *out = NULL;
  size_t len = 0;
  FILE *mem = open_memstream(&out, &len);
  ck_assert_ptr_nonnull(mem);
  tu_dump_result(mem, res);
  fclose(mem);
  return out;
}

START_TEST(test_filter_head_same_as_filter) {
  corsim_request *req = tu_request(APP, same_rows[_i].url, same_rows[_i].mode,
                                   same_rows[_i].cred);
  const char *text = same_rows[_i].head;
  char wire[1024], err[256];
  size_t i, o = 0;
  tu_response tr;
  corsim_head *h = head_new();
  corsim_result *a = NULL, *b = NULL;
  char *da, *db;

  ck_assert_ok(corsim_request_set_redirect(req, same_rows[_i].redirect));
  /* the wire form: CRLF, then an empty line and a body */
  for (i = 0; text[i]; i++) {
    if (text[i] == '\n')
      wire[o++] = '\r';
    wire[o++] = text[i];
  }
  memcpy(wire + o, "\r\nbody", 6);
  o += 6;
  ck_assert_msg(tu_response_parse(&tr, text, strlen(text), err, sizeof err) ==
                    0,
                "%s", err);
  ck_assert_ok(corsim_head_parse(h, NULL, wire, o, NULL));
  ck_assert_int_eq(corsim_head_rejected(h, NULL, NULL), 0);
  ck_assert_ok(corsim_result_new(&a, NULL));
  ck_assert_ok(corsim_result_new(&b, NULL));
  ck_assert_ok(corsim_filter(a, corsim_profile_spec(), req, &tr.resp));
  ck_assert_ok(corsim_filter_head(b, corsim_profile_spec(), req, h));
  da = dump(a);
  db = dump(b);
  ck_assert_msg(strcmp(da, db) == 0, "row %d: corsim_filter:\n%s\n"
                "corsim_filter_head:\n%s", _i, da, db);
  ck_assert_int_eq(corsim_result_internal_status(a),
                   corsim_result_internal_status(b));
  ck_assert_ptr_eq(corsim_result_profile(b), corsim_profile_spec());
  free(da);
  free(db);
  corsim_result_free(a);
  corsim_result_free(b);
  corsim_head_free(h);
  tu_response_free(&tr);
  corsim_request_free(req);
}
END_TEST

/* A rejection outranks every other outcome, in every mode. */
static const corsim_mode reject_modes[] = {
    CORSIM_MODE_CORS, CORSIM_MODE_NO_CORS, CORSIM_MODE_SAME_ORIGIN,
    CORSIM_MODE_NAVIGATE};

START_TEST(test_filter_head_rejected_any_mode) {
  corsim_request *req = tu_request(APP, APP "/x", reject_modes[_i],
                                   CORSIM_CREDENTIALS_INCLUDE);
  corsim_head *h = head_new();
  corsim_result *res = NULL;
  const char *msg;
  ck_assert_ok(corsim_head_parse(
      h, NULL,
      D(ST "Access-Control-Allow-Origin: *\r\nX-Bad : 1\r\nSet-Cookie: a\r\n"),
      NULL));
  ck_assert_ok(corsim_result_new(&res, NULL));
  ck_assert_ok(corsim_filter_head(res, corsim_profile_spec(), req, h));
  ck_assert_int_eq(corsim_result_type(res), CORSIM_TYPE_ERROR);
  ck_assert_int_eq(corsim_result_reason(res), CORSIM_BLOCK_INVALID_RESPONSE);
  ck_assert_int_eq(corsim_result_redirect_pending(res), 0);
  ck_assert_uint_eq(corsim_result_url(res).len, 0);
  ck_assert_uint_eq(corsim_result_status_text(res).len, 0);
  msg = corsim_result_message(res);
  ck_assert_ptr_nonnull(strstr(msg, "colon"));
  ck_assert_ptr_nonnull(strstr(msg, "line 3"));
  ck_assert_ptr_nonnull(strstr(msg, "spec"));
  corsim_result_free(res);
  corsim_head_free(h);
  corsim_request_free(req);
}
END_TEST

/* The same head is rejected or not depending on the profile it was
 * parsed under; the message names the profile passed to the filter. */
START_TEST(test_filter_head_profile_named) {
  struct corsim_profile strict = profile_with(B_FOLD, "reject");
  corsim_request *req =
      tu_request(APP, API, CORSIM_MODE_CORS, CORSIM_CREDENTIALS_OMIT);
  corsim_head *h = head_new();
  corsim_result *res = NULL;
  static const char data[] =
      ST "Access-Control-Allow-Origin: *\r\nX-A: 1,\r\n 2\r\n\r\n";
  size_t n;
  const corsim_header *js;

  strict.name = "oldbrowser/1";
  ck_assert_ok(corsim_result_new(&res, NULL));
  ck_assert_ok(corsim_head_parse(h, &strict, D(data), NULL));
  ck_assert_ok(corsim_filter_head(res, &strict, req, h));
  ck_assert_int_eq(corsim_result_reason(res), CORSIM_BLOCK_INVALID_RESPONSE);
  ck_assert_ptr_nonnull(strstr(corsim_result_message(res), "oldbrowser/1"));
  ck_assert_ptr_nonnull(strstr(corsim_result_message(res), "obs-fold"));
  ck_assert_ptr_nonnull(strstr(corsim_result_message(res), "line 4"));

  ck_assert_ok(corsim_head_parse(h, NULL, D(data), NULL));
  ck_assert_ok(corsim_filter_head(res, corsim_profile_spec(), req, h));
  ck_assert_int_eq(corsim_result_type(res), CORSIM_TYPE_CORS);
  ck_assert_int_eq(corsim_result_reason(res), CORSIM_BLOCK_NONE);
  ck_assert_str_eq(corsim_result_message(res), "");
  ck_assert_int_eq(corsim_result_status(res), 200);
  js = corsim_result_internal_headers(res, &n);
  ck_assert_uint_eq(n, 2);
  ck_assert_bytes(js[1].value, js[1].value_len, L("1, 2"));
  corsim_result_free(res);
  corsim_head_free(h);
  corsim_request_free(req);
}
END_TEST

/* ------------------------------------------------------------------------
 * 4. Reuse, NULL arguments
 * ------------------------------------------------------------------------ */

START_TEST(test_parse_reuse) {
  corsim_head *h = head_new();
  const corsim_response *r;
  unsigned long line = 0;
  size_t used = 0;

  /* a rejected head with headers and a long reason */
  ck_assert_ok(corsim_head_parse(
      h, NULL,
      D("HTTP/1.1 500 A Rather Long Reason Phrase\r\nA: 1\r\nB : 2\r\nC: "
        "3\r\n\r\n"),
      NULL));
  ck_assert_int_eq(corsim_head_rejected(h, &line, NULL), 1);
  ck_assert_uint_eq(line, 3);
  ck_assert_uint_eq(corsim_head_response(h)->header_count, 3);

  /* a clean, shorter head replaces all of it */
  ck_assert_ok(corsim_head_parse(h, NULL, D("HTTP/2 204\r\nX: y\r\n\r\n"),
                                 &used));
  r = corsim_head_response(h);
  ck_assert_ptr_nonnull(r);
  ck_assert_int_eq(r->status, 204);
  ck_assert_uint_eq(r->status_text_len, 0);
  ck_assert_str_eq(hdr_string(r), "X: y\n");
  ck_assert_int_eq(corsim_head_rejected(h, NULL, NULL), 0);
  ck_assert_uint_eq(used, sizeof "HTTP/2 204\r\nX: y\r\n\r\n" - 1);

  /* a failed parse leaves no response and no rejection */
  ck_assert_ok(corsim_head_parse(h, NULL, D(ST "A : 1\r\n"), NULL));
  ck_assert_int_eq(corsim_head_rejected(h, NULL, NULL), 1);
  ck_assert_int_eq(corsim_head_parse(h, NULL, D("nonsense\r\n"), &used),
                   CORSIM_ERR_BAD_RESPONSE);
  ck_assert_ptr_null(corsim_head_response(h));
  ck_assert_int_eq(corsim_head_rejected(h, NULL, NULL), 0);

  /* and the head works again afterwards, under another profile */
  {
    struct corsim_profile prof = profile_with(B_SBC, "strip");
    ck_assert_ok(
        corsim_head_parse(h, &prof, D("HTTP/1.0 200 Fine\nK : v\n\n"), NULL));
    r = corsim_head_response(h);
    ck_assert_int_eq(r->status, 200);
    ck_assert_bytes(r->status_text, r->status_text_len, L("Fine"));
    ck_assert_str_eq(hdr_string(r), "K: v\n");
    ck_assert_int_eq(corsim_head_rejected(h, NULL, NULL), 0);
  }
  /* a head parsed from a buffer that is then changed keeps its bytes */
  {
    char buf[] = "HTTP/1.1 200 OK\r\nK: v\r\n\r\n";
    ck_assert_ok(corsim_head_parse(h, NULL, buf, sizeof buf - 1, NULL));
    memset(buf, 'z', sizeof buf - 1);
    r = corsim_head_response(h);
    ck_assert_bytes(r->status_text, r->status_text_len, L("OK"));
    ck_assert_str_eq(hdr_string(r), "K: v\n");
  }
  corsim_head_free(h);
}
END_TEST

START_TEST(test_null_arguments) {
  corsim_head *h = NULL, *fresh;
  corsim_request *req =
      tu_request(APP, API, CORSIM_MODE_CORS, CORSIM_CREDENTIALS_OMIT);
  corsim_result *res = NULL;
  size_t used = 99;
  unsigned long line = 7;
  const char *why = "x";

  ck_assert_int_eq(corsim_head_new(NULL, NULL), CORSIM_ERR_INVALID_ARGUMENT);
  corsim_head_free(NULL);
  ck_assert_int_eq(
      corsim_head_parse(NULL, NULL, D("HTTP/1.1 200 OK\r\n\r\n"), &used),
      CORSIM_ERR_INVALID_ARGUMENT);
  ck_assert_ptr_null(corsim_head_response(NULL));
  ck_assert_int_eq(corsim_head_rejected(NULL, &line, &why), 0);

  h = head_new();
  fresh = head_new();
  ck_assert_ptr_null(corsim_head_response(h));
  ck_assert_int_eq(corsim_head_rejected(h, &line, &why), 0);
  ck_assert_int_eq(corsim_head_parse(h, NULL, NULL, 3, &used),
                   CORSIM_ERR_INVALID_ARGUMENT);
  /* NULL with length 0 is the empty string: no status line */
  ck_assert_int_eq(corsim_head_parse(h, NULL, NULL, 0, &used),
                   CORSIM_ERR_BAD_RESPONSE);
  ck_assert_ptr_null(corsim_head_response(h));

  ck_assert_ok(corsim_result_new(&res, NULL));
  /* NULL or never-parsed heads */
  ck_assert_int_eq(corsim_filter_head(NULL, NULL, req, h),
                   CORSIM_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(corsim_filter_head(res, corsim_profile_spec(), req, NULL),
                   CORSIM_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(corsim_filter_head(res, corsim_profile_spec(), req, fresh),
                   CORSIM_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(corsim_filter_head(res, corsim_profile_spec(), req, h),
                   CORSIM_ERR_INVALID_ARGUMENT); /* its last parse failed */

  /* a parsed, rejected head: NULL line and why are fine */
  ck_assert_ok(corsim_head_parse(h, NULL, D(ST "A : b\r\n\r\n"), NULL));
  ck_assert_int_eq(corsim_head_rejected(h, NULL, NULL), 1);
  ck_assert_int_eq(corsim_head_rejected(h, &line, NULL), 1);
  ck_assert_uint_eq(line, 2);
  ck_assert_int_eq(corsim_head_rejected(h, NULL, &why), 1);
  ck_assert_ptr_nonnull(why);
  ck_assert_int_eq(corsim_filter_head(res, NULL, req, h),
                   CORSIM_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(corsim_filter_head(res, corsim_profile_spec(), NULL, h),
                   CORSIM_ERR_INVALID_ARGUMENT);
  ck_assert_ok(corsim_filter_head(res, corsim_profile_spec(), req, h));
  ck_assert_int_eq(corsim_result_reason(res), CORSIM_BLOCK_INVALID_RESPONSE);

  corsim_result_free(res);
  corsim_head_free(fresh);
  corsim_head_free(h);
  corsim_request_free(req);
}
END_TEST

/* ------------------------------------------------------------------------
 * 5. Allocation failure at every allocation; large heads
 * ------------------------------------------------------------------------ */

/* A 20-header head with folds (some of them several lines long). */
static size_t folded_head(char *buf, size_t cap, char *want, size_t wcap) {
  size_t o = 0, w = 0;
  int i;
  o += (size_t)snprintf(buf + o, cap - o, "HTTP/1.1 100 Continue\r\n\r\n"
                                          "HTTP/1.1 200 All Good\r\n");
  for (i = 0; i < 20; i++) {
    if (i % 3 == 0) {
      o += (size_t)snprintf(buf + o, cap - o,
                            "X-Folded-%d: first part %d\r\n  second\r\n"
                            "\tthird part of a longer value %d\r\n",
                            i, i, i);
      w += (size_t)snprintf(want + w, wcap - w,
                            "X-Folded-%d: first part %d second third part of "
                            "a longer value %d\n",
                            i, i, i);
    } else {
      o += (size_t)snprintf(buf + o, cap - o, "X-Plain-%d:  value-%d \r\n", i,
                            i);
      w += (size_t)snprintf(want + w, wcap - w, "X-Plain-%d: value-%d\n", i,
                            i);
    }
  }
  o += (size_t)snprintf(buf + o, cap - o, "\r\nbody");
  ck_assert_uint_lt(o, cap - 1);
  ck_assert_uint_lt(w, wcap - 1);
  return o;
}

START_TEST(test_alloc_failure) {
  char buf[4096], want[4096];
  size_t len = folded_head(buf, sizeof buf, want, sizeof want);
  size_t n;
  int ok = 0;

  for (n = 1; n < 10000 && !ok; n++) {
    tu_counter c;
    corsim_allocator a;
    corsim_head *h = NULL;
    int rc;
    memset(&c, 0, sizeof c);
    c.fail_at = n;
    a = tu_counting_allocator(&c);
    rc = corsim_head_new(&h, &a);
    if (rc == 0) {
      ck_assert_ptr_nonnull(h);
      rc = corsim_head_parse(h, NULL, buf, len, NULL);
    } else {
      ck_assert_ptr_null(h);
    }
    if (c.allocs < n) { /* nothing failed: done */
      ck_assert_ok(rc);
      ck_assert_str_eq(hdr_string(corsim_head_response(h)), want);
      ck_assert_bytes(corsim_head_response(h)->status_text,
                      corsim_head_response(h)->status_text_len, L("All Good"));
      ok = 1;
    } else {
      ck_assert_msg(rc == CORSIM_ERR_NOMEM,
                    "allocation %zu failed: rc %d (%s), want NOMEM", n, rc,
                    corsim_strerror(rc));
      if (h) {
        ck_assert_ptr_null(corsim_head_response(h));
        ck_assert_int_eq(corsim_head_rejected(h, NULL, NULL), 0);
        /* the failure is not sticky */
        c.fail_at = 0;
        ck_assert_ok(corsim_head_parse(h, NULL, buf, len, NULL));
        ck_assert_str_eq(hdr_string(corsim_head_response(h)), want);
      }
    }
    corsim_head_free(h);
    ck_assert_msg(c.live == 0, "failing allocation %zu: %zu blocks leaked", n,
                  c.live);
  }
  ck_assert_msg(ok, "never succeeded");
  ck_assert_uint_gt(n, 4); /* several allocations were exercised */
}
END_TEST

START_TEST(test_large_value) {
  const size_t big = (size_t)1 << 20;
  static const char pre[] = "HTTP/1.1 200 OK\r\nA: 1\r\nBig: ";
  static const char post[] = "\r\nZ: 2\r\n\r\n";
  size_t len = sizeof pre - 1 + big + sizeof post - 1, i, used = 0;
  char *data = malloc(len), *v = data + sizeof pre - 1;
  corsim_head *h = head_new();
  const corsim_response *r;

  ck_assert_ptr_nonnull(data);
  memcpy(data, pre, sizeof pre - 1);
  for (i = 0; i < big; i++)
    v[i] = (char)('a' + i % 26);
  memcpy(v + big, post, sizeof post - 1);
  ck_assert_ok(corsim_head_parse(h, NULL, data, len, &used));
  ck_assert_uint_eq(used, len);
  ck_assert_int_eq(corsim_head_rejected(h, NULL, NULL), 0);
  r = corsim_head_response(h);
  ck_assert_uint_eq(r->header_count, 3);
  ck_assert_bytes(r->headers[1].name, r->headers[1].name_len, L("Big"));
  ck_assert_uint_eq(r->headers[1].value_len, big);
  ck_assert(memcmp(r->headers[1].value, v, big) == 0);
  ck_assert_bytes(r->headers[2].value, r->headers[2].value_len, L("2"));
  free(data);
  corsim_head_free(h);
}
END_TEST

START_TEST(test_many_headers) {
  const size_t count = 10000;
  size_t cap = count * 40 + 64, o = 0, i, used = 0;
  char *data = malloc(cap);
  corsim_head *h = head_new();
  const corsim_response *r;

  ck_assert_ptr_nonnull(data);
  o += (size_t)snprintf(data, cap, "HTTP/1.1 200 OK\r\n");
  for (i = 0; i < count; i++)
    o += (size_t)snprintf(data + o, cap - o, "X-H-%zu: value %zu\r\n", i,
                          i * 7);
  o += (size_t)snprintf(data + o, cap - o, "\r\n");
  ck_assert_uint_lt(o, cap);
  ck_assert_ok(corsim_head_parse(h, NULL, data, o, &used));
  ck_assert_uint_eq(used, o);
  ck_assert_int_eq(corsim_head_rejected(h, NULL, NULL), 0);
  r = corsim_head_response(h);
  ck_assert_uint_eq(r->header_count, count);
  for (i = 0; i < count; i++) {
    char name[32], value[32];
    int nl = snprintf(name, sizeof name, "X-H-%zu", i);
    int vl = snprintf(value, sizeof value, "value %zu", i * 7);
    ck_assert_bytes(r->headers[i].name, r->headers[i].name_len, name,
                    (size_t)nl);
    ck_assert_bytes(r->headers[i].value, r->headers[i].value_len, value,
                    (size_t)vl);
  }
  free(data);
  corsim_head_free(h);
}
END_TEST

static Suite *suite(void) {
  Suite *s = suite_create("http1");
  TCase *tc = tcase_create("status-line");
  tcase_add_loop_test(tc, test_status_lines, 0, (int)N_ELEMS(status_rows));
  suite_add_tcase(s, tc);

  tc = tcase_create("lines");
  tcase_add_loop_test(tc, test_line_ends, 0, (int)N_ELEMS(line_rows));
  tcase_add_test(tc, test_redirect_chain);
  suite_add_tcase(s, tc);

  tc = tcase_create("wire");
  tcase_add_loop_test(tc, test_wire, 0, (int)N_ELEMS(wire_rows));
  tcase_add_test(tc, test_nul_keep_length);
  tcase_add_loop_test(tc, test_status_line_rule, 0,
                      (int)N_ELEMS(status_line_rows));
  tcase_add_test(tc, test_status_range_per_profile);
  tcase_add_loop_test(tc, test_max_head_bytes, 0, (int)N_ELEMS(max_rows));
  tcase_add_test(tc, test_spec_defaults);
  suite_add_tcase(s, tc);

  tc = tcase_create("filter-head");
  tcase_add_loop_test(tc, test_filter_head_same_as_filter, 0,
                      (int)N_ELEMS(same_rows));
  tcase_add_loop_test(tc, test_filter_head_rejected_any_mode, 0,
                      (int)N_ELEMS(reject_modes));
  tcase_add_test(tc, test_filter_head_profile_named);
  suite_add_tcase(s, tc);

  tc = tcase_create("api");
  tcase_add_test(tc, test_parse_reuse);
  tcase_add_test(tc, test_null_arguments);
  tcase_add_test(tc, test_alloc_failure);
  tcase_add_test(tc, test_large_value);
  tcase_add_test(tc, test_many_headers);
  tcase_set_timeout(tc, 120);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) { return tu_run(suite()); }
