/*
 * check_cors.c -- lib/cors.c: tainting, the CORS check, the exposed-name
 * list, the filtered responses and the script view, one rule at a time.
 * Each table row cites the Fetch Standard step (or engines.md row) it
 * comes from.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "testutil.h"
#include "internal.h"

#define APP "https://app.example"
#define API "https://api.example/data"

static corsim_request *last_req;

static void finish(corsim_result *res, tu_response *r) {
  corsim_result_free(res);
  tu_response_free(r);
  corsim_request_free(last_req);
  last_req = NULL;
}

/* Filters `head` (tu_response_parse format) for a request and returns the
 * result; *resp_out keeps the response alive for the views. */
static corsim_result *run(const char *origin, const char *url, corsim_mode mode,
                          corsim_credentials cred, corsim_redirect redirect,
                          const char *head, tu_response *resp_out) {
  corsim_result *res = NULL;
  corsim_request *req = tu_request(origin, url, mode, cred);
  char err[256];
  ck_assert_ok(corsim_request_set_redirect(req, redirect));
  ck_assert_msg(tu_response_parse(resp_out, head, strlen(head), err,
                                  sizeof err) == 0,
                "%s", err);
  ck_assert_ok(corsim_result_new(&res, NULL));
  ck_assert_ok(corsim_filter(res, corsim_profile_spec(), req, &resp_out->resp));
  corsim_request_free(last_req);
  last_req = req; /* the result refers to the request's URL */
  return res;
}

/* "name: value\n" lines of Array.from(headers), for comparisons. */
static char *js_string(const corsim_result *res) {
  size_t n, i, len = 1;
  const corsim_header *h = corsim_result_js_headers(res, &n);
  char *s, *p;
  for (i = 0; i < n; i++)
    len += h[i].name_len + h[i].value_len + 3;
  s = p = malloc(len);
  for (i = 0; i < n; i++) {
    memcpy(p, h[i].name, h[i].name_len);
    p += h[i].name_len;
    *p++ = ':';
    *p++ = ' ';
    memcpy(p, h[i].value, h[i].value_len);
    p += h[i].value_len;
    *p++ = '\n';
  }
  *p = '\0';
  return s;
}

static void expect_js(const corsim_result *res, const char *want) {
  char *got = js_string(res);
  ck_assert_msg(strcmp(got, want) == 0, "script view:\n%s\nwanted:\n%s", got,
                want);
  free(got);
}

/* ------------------------------------------------------------------------
 * 1. Tainting (main fetch step 2)
 * ------------------------------------------------------------------------ */

static const struct {
  const char *origin, *url;
  corsim_mode mode;
  corsim_response_type type;
  corsim_block_reason reason;
} tainting[] = {
    /* b: same origin -> basic, in every mode */
    {APP, APP "/x", CORSIM_MODE_CORS, CORSIM_TYPE_BASIC, CORSIM_BLOCK_NONE},
    {APP, APP "/x", CORSIM_MODE_NO_CORS, CORSIM_TYPE_BASIC, CORSIM_BLOCK_NONE},
    {APP, APP "/x", CORSIM_MODE_SAME_ORIGIN, CORSIM_TYPE_BASIC,
     CORSIM_BLOCK_NONE},
    {APP, "https://APP.example:443/x", CORSIM_MODE_CORS, CORSIM_TYPE_BASIC,
     CORSIM_BLOCK_NONE},
    /* b: data: URLs and navigations are basic */
    {APP, "data:text/plain,hi", CORSIM_MODE_CORS, CORSIM_TYPE_BASIC,
     CORSIM_BLOCK_NONE},
    {APP, API, CORSIM_MODE_NAVIGATE, CORSIM_TYPE_BASIC, CORSIM_BLOCK_NONE},
    /* c: same-origin mode across origins is a network error */
    {APP, API, CORSIM_MODE_SAME_ORIGIN, CORSIM_TYPE_ERROR,
     CORSIM_BLOCK_SAME_ORIGIN_MODE},
    {APP, "http://app.example/x", CORSIM_MODE_SAME_ORIGIN, CORSIM_TYPE_ERROR,
     CORSIM_BLOCK_SAME_ORIGIN_MODE},
    {APP, "https://app.example:8443/x", CORSIM_MODE_SAME_ORIGIN,
     CORSIM_TYPE_ERROR, CORSIM_BLOCK_SAME_ORIGIN_MODE},
    /* d: no-cors across origins is opaque */
    {APP, API, CORSIM_MODE_NO_CORS, CORSIM_TYPE_OPAQUE, CORSIM_BLOCK_NONE},
    /* e: cors to a non-HTTP(S) scheme across origins */
    {APP, "file:///etc/hosts", CORSIM_MODE_CORS, CORSIM_TYPE_ERROR,
     CORSIM_BLOCK_CORS_SCHEME},
    {APP, "ftp://api.example/x", CORSIM_MODE_CORS, CORSIM_TYPE_ERROR,
     CORSIM_BLOCK_CORS_SCHEME},
    /* g: cors across origins (the response carries ACAO: *) */
    {APP, API, CORSIM_MODE_CORS, CORSIM_TYPE_CORS, CORSIM_BLOCK_NONE},
    {APP, "http://app.example/x", CORSIM_MODE_CORS, CORSIM_TYPE_CORS,
     CORSIM_BLOCK_NONE},
    /* an opaque origin is never same origin */
    {"null", API, CORSIM_MODE_CORS, CORSIM_TYPE_CORS, CORSIM_BLOCK_NONE},
    {"null", API, CORSIM_MODE_SAME_ORIGIN, CORSIM_TYPE_ERROR,
     CORSIM_BLOCK_SAME_ORIGIN_MODE},
};

START_TEST(test_tainting) {
  tu_response r;
  corsim_result *res =
      run(tainting[_i].origin, tainting[_i].url, tainting[_i].mode,
          CORSIM_CREDENTIALS_SAME_ORIGIN, CORSIM_REDIRECT_FOLLOW,
          "HTTP/1.1 200 OK\nAccess-Control-Allow-Origin: *\nX-A: 1\n", &r);
  ck_assert_msg(corsim_result_type(res) == tainting[_i].type,
                "row %d: type %s", _i,
                corsim_response_type_name(corsim_result_type(res)));
  ck_assert_int_eq(corsim_result_reason(res), tainting[_i].reason);
  ck_assert_int_eq(corsim_result_is_network_error(res),
                   tainting[_i].type == CORSIM_TYPE_ERROR);
  if (tainting[_i].type == CORSIM_TYPE_ERROR)
    ck_assert_uint_gt(strlen(corsim_result_message(res)), 20);
  else
    ck_assert_str_eq(corsim_result_message(res), "");
  finish(res, &r);
}
END_TEST

/* ------------------------------------------------------------------------
 * 2. The CORS check: credentials x ACAO x ACAC (#concept-cors-check)
 * ------------------------------------------------------------------------ */

static const struct {
  corsim_credentials cred;
  const char *headers; /* lines after the status line */
  corsim_block_reason reason;
} check_rows[] = {
    /* ACAO missing */
    {CORSIM_CREDENTIALS_OMIT, "", CORSIM_BLOCK_ACAO_MISSING},
    {CORSIM_CREDENTIALS_INCLUDE, "Access-Control-Allow-Credentials: true\n",
     CORSIM_BLOCK_ACAO_MISSING},
    /* * without credentials: pass, in every non-include mode */
    {CORSIM_CREDENTIALS_OMIT, "Access-Control-Allow-Origin: *\n",
     CORSIM_BLOCK_NONE},
    {CORSIM_CREDENTIALS_SAME_ORIGIN, "Access-Control-Allow-Origin: *\n",
     CORSIM_BLOCK_NONE},
    /* * with credentials: fail even with ACAC true (f3) */
    {CORSIM_CREDENTIALS_INCLUDE,
     "Access-Control-Allow-Origin: *\nAccess-Control-Allow-Credentials: true\n",
     CORSIM_BLOCK_ACAO_WILDCARD_WITH_CREDENTIALS},
    {CORSIM_CREDENTIALS_INCLUDE, "Access-Control-Allow-Origin: *\n",
     CORSIM_BLOCK_ACAO_WILDCARD_WITH_CREDENTIALS},
    /* exact origin */
    {CORSIM_CREDENTIALS_OMIT, "Access-Control-Allow-Origin: " APP "\n",
     CORSIM_BLOCK_NONE},
    {CORSIM_CREDENTIALS_SAME_ORIGIN, "access-control-allow-origin: " APP "\n",
     CORSIM_BLOCK_NONE},
    {CORSIM_CREDENTIALS_INCLUDE,
     "Access-Control-Allow-Origin: " APP
     "\nAccess-Control-Allow-Credentials: true\n",
     CORSIM_BLOCK_NONE},
    /* surrounding whitespace is not part of the value (f6) */
    {CORSIM_CREDENTIALS_OMIT, "Access-Control-Allow-Origin: \t" APP " \n",
     CORSIM_BLOCK_NONE},
    /* byte-for-byte: trailing slash, case, default port, null (f4, f5, f8) */
    {CORSIM_CREDENTIALS_OMIT, "Access-Control-Allow-Origin: " APP "/\n",
     CORSIM_BLOCK_ACAO_MISMATCH},
    {CORSIM_CREDENTIALS_OMIT,
     "Access-Control-Allow-Origin: https://APP.example\n",
     CORSIM_BLOCK_ACAO_MISMATCH},
    {CORSIM_CREDENTIALS_OMIT,
     "Access-Control-Allow-Origin: HTTPS://app.example\n",
     CORSIM_BLOCK_ACAO_MISMATCH},
    {CORSIM_CREDENTIALS_OMIT,
     "Access-Control-Allow-Origin: https://app.example:443\n",
     CORSIM_BLOCK_ACAO_MISMATCH},
    {CORSIM_CREDENTIALS_OMIT,
     "Access-Control-Allow-Origin: http://app.example\n",
     CORSIM_BLOCK_ACAO_MISMATCH},
    {CORSIM_CREDENTIALS_OMIT, "Access-Control-Allow-Origin: null\n",
     CORSIM_BLOCK_ACAO_MISMATCH},
    {CORSIM_CREDENTIALS_OMIT, "Access-Control-Allow-Origin:\n",
     CORSIM_BLOCK_ACAO_MISMATCH},
    {CORSIM_CREDENTIALS_OMIT, "Access-Control-Allow-Origin: **\n",
     CORSIM_BLOCK_ACAO_MISMATCH},
    {CORSIM_CREDENTIALS_OMIT, "Access-Control-Allow-Origin: \"*\"\n",
     CORSIM_BLOCK_ACAO_MISMATCH},
    /* several values or several lines always fail (f7) */
    {CORSIM_CREDENTIALS_OMIT,
     "Access-Control-Allow-Origin: " APP "\nAccess-Control-Allow-Origin: " APP
     "\n",
     CORSIM_BLOCK_ACAO_MULTIPLE},
    {CORSIM_CREDENTIALS_OMIT,
     "Access-Control-Allow-Origin: *\nAccess-Control-Allow-Origin: *\n",
     CORSIM_BLOCK_ACAO_MULTIPLE},
    {CORSIM_CREDENTIALS_OMIT,
     "Access-Control-Allow-Origin: *\naccess-control-allow-origin: " APP "\n",
     CORSIM_BLOCK_ACAO_MULTIPLE},
    {CORSIM_CREDENTIALS_OMIT,
     "Access-Control-Allow-Origin: " APP ", " APP "\n",
     CORSIM_BLOCK_ACAO_MULTIPLE},
    {CORSIM_CREDENTIALS_OMIT,
     "Access-Control-Allow-Origin: " APP ", https://other.example\n",
     CORSIM_BLOCK_ACAO_MULTIPLE},
    /* ACAC: only with credentials, exactly "true" (f9, f10, f11) */
    {CORSIM_CREDENTIALS_INCLUDE, "Access-Control-Allow-Origin: " APP "\n",
     CORSIM_BLOCK_ACAC_MISSING},
    {CORSIM_CREDENTIALS_INCLUDE,
     "Access-Control-Allow-Origin: " APP
     "\nAccess-Control-Allow-Credentials: True\n",
     CORSIM_BLOCK_ACAC_NOT_TRUE},
    {CORSIM_CREDENTIALS_INCLUDE,
     "Access-Control-Allow-Origin: " APP
     "\nAccess-Control-Allow-Credentials: TRUE\n",
     CORSIM_BLOCK_ACAC_NOT_TRUE},
    {CORSIM_CREDENTIALS_INCLUDE,
     "Access-Control-Allow-Origin: " APP
     "\nAccess-Control-Allow-Credentials: 1\n",
     CORSIM_BLOCK_ACAC_NOT_TRUE},
    {CORSIM_CREDENTIALS_INCLUDE,
     "Access-Control-Allow-Origin: " APP
     "\nAccess-Control-Allow-Credentials:\n",
     CORSIM_BLOCK_ACAC_NOT_TRUE},
    {CORSIM_CREDENTIALS_INCLUDE,
     "Access-Control-Allow-Origin: " APP
     "\nAccess-Control-Allow-Credentials: true, true\n",
     CORSIM_BLOCK_ACAC_NOT_TRUE},
    {CORSIM_CREDENTIALS_INCLUDE,
     "Access-Control-Allow-Origin: " APP
     "\nAccess-Control-Allow-Credentials: true\n"
     "Access-Control-Allow-Credentials: true\n",
     CORSIM_BLOCK_ACAC_NOT_TRUE},
    {CORSIM_CREDENTIALS_INCLUDE,
     "Access-Control-Allow-Origin: " APP
     "\nACCESS-CONTROL-ALLOW-CREDENTIALS:  true \n",
     CORSIM_BLOCK_NONE},
    {CORSIM_CREDENTIALS_OMIT,
     "Access-Control-Allow-Origin: *\nAccess-Control-Allow-Credentials: "
     "false\n",
     CORSIM_BLOCK_NONE},
    {CORSIM_CREDENTIALS_SAME_ORIGIN,
     "Access-Control-Allow-Origin: " APP
     "\nAccess-Control-Allow-Credentials: nonsense\n",
     CORSIM_BLOCK_NONE},
};

START_TEST(test_cors_check) {
  tu_response r;
  char head[1024];
  corsim_result *res;
  snprintf(head, sizeof head, "HTTP/1.1 200 OK\n%sX-A: 1\n",
           check_rows[_i].headers);
  res = run(APP, API, CORSIM_MODE_CORS, check_rows[_i].cred,
            CORSIM_REDIRECT_FOLLOW, head, &r);
  ck_assert_msg(corsim_result_reason(res) == check_rows[_i].reason,
                "row %d: got %s, wanted %s (%s)", _i,
                corsim_block_reason_name(corsim_result_reason(res)),
                corsim_block_reason_name(check_rows[_i].reason),
                corsim_result_message(res));
  if (check_rows[_i].reason == CORSIM_BLOCK_NONE) {
    ck_assert_int_eq(corsim_result_type(res), CORSIM_TYPE_CORS);
    ck_assert_int_eq(corsim_result_status(res), 200);
  } else {
    size_t n;
    ck_assert_int_eq(corsim_result_type(res), CORSIM_TYPE_ERROR);
    /* a network error: status 0, no headers, no status text */
    ck_assert_int_eq(corsim_result_status(res), 0);
    ck_assert_int_eq(corsim_result_ok(res), 0);
    ck_assert_uint_eq(corsim_result_status_text(res).len, 0);
    ck_assert_ptr_null(corsim_result_js_headers(res, &n));
    ck_assert_uint_eq(n, 0);
    ck_assert_ptr_null(corsim_result_headers(res, &n));
    ck_assert_uint_eq(n, 0);
    ck_assert_int_eq(corsim_result_decision(res, 0),
                     CORSIM_REMOVED_NETWORK_ERROR);
    /* the internal response is still there for explanations */
    ck_assert_ptr_nonnull(corsim_result_internal_headers(res, &n));
    ck_assert_uint_gt(n, 0);
    ck_assert_int_eq(corsim_result_internal_status(res), 200);
  }
  finish(res, &r);
}
END_TEST

/* Messages name the values involved, like a browser console. */
static const struct {
  corsim_credentials cred;
  const char *headers;
  const char *needles[3];
} message_rows[] = {
    {CORSIM_CREDENTIALS_OMIT, "", {"no 'Access-Control-Allow-Origin'", APP}},
    {CORSIM_CREDENTIALS_INCLUDE,
     "Access-Control-Allow-Origin: *\n",
     {"must not", "wildcard '*'", "credentials mode is 'include'"}},
    {CORSIM_CREDENTIALS_OMIT,
     "Access-Control-Allow-Origin: https://evil.example\n",
     {"'https://evil.example'", "'" APP "'", "byte for byte"}},
    {CORSIM_CREDENTIALS_OMIT,
     "Access-Control-Allow-Origin: " APP "\nAccess-Control-Allow-Origin: *\n",
     {"several values", "'" APP ", *'", "even when the values are identical"}},
    {CORSIM_CREDENTIALS_INCLUDE,
     "Access-Control-Allow-Origin: " APP
     "\nAccess-Control-Allow-Credentials: True\n",
     {"'True'", "exactly 'true'"}},
    {CORSIM_CREDENTIALS_INCLUDE,
     "Access-Control-Allow-Origin: " APP "\n",
     {"no 'Access-Control-Allow-Credentials'"}},
    {CORSIM_CREDENTIALS_OMIT,
     "Access-Control-Allow-Origin: a\x01\xff\n",
     {"'a\\x01\\xff'"}},
};

START_TEST(test_messages) {
  tu_response r;
  char head[1024];
  corsim_result *res;
  size_t k;
  snprintf(head, sizeof head, "HTTP/1.1 200 OK\n%s", message_rows[_i].headers);
  res = run(APP, API, CORSIM_MODE_CORS, message_rows[_i].cred,
            CORSIM_REDIRECT_FOLLOW, head, &r);
  ck_assert(corsim_result_is_network_error(res));
  for (k = 0; k < 3 && message_rows[_i].needles[k]; k++)
    ck_assert_msg(strstr(corsim_result_message(res),
                         message_rows[_i].needles[k]) != NULL,
                  "message %s lacks %s", corsim_result_message(res),
                  message_rows[_i].needles[k]);
  finish(res, &r);
}
END_TEST

START_TEST(test_message_truncates_long_values) {
  tu_response r;
  char *head = malloc(20000);
  corsim_result *res;
  strcpy(head, "HTTP/1.1 200 OK\nAccess-Control-Allow-Origin: ");
  memset(head + strlen(head), 'a', 10000);
  head[45 + 10000] = '\n';
  head[45 + 10001] = '\0';
  res = run(APP, API, CORSIM_MODE_CORS, CORSIM_CREDENTIALS_OMIT,
            CORSIM_REDIRECT_FOLLOW, head, &r);
  ck_assert_int_eq(corsim_result_reason(res), CORSIM_BLOCK_ACAO_MISMATCH);
  ck_assert_uint_lt(strlen(corsim_result_message(res)), 768);
  ck_assert_ptr_nonnull(strstr(corsim_result_message(res), "aaa...'"));
  finish(res, &r);
  free(head);
}
END_TEST

/* ------------------------------------------------------------------------
 * 3. CORS-safelisted response-header names, one at a time
 * ------------------------------------------------------------------------ */

static const struct {
  const char *name;
  int exposed;
} safelist_rows[] = {
    {"Cache-Control", 1},       {"cache-control", 1},
    {"CACHE-CONTROL", 1},       {"Content-Language", 1},
    {"Content-Length", 1},      {"Content-Type", 1},
    {"content-TYPE", 1},        {"Expires", 1},
    {"Last-Modified", 1},       {"Pragma", 1},
    /* everything else needs Access-Control-Expose-Headers (e3) */
    {"Accept", 0},              {"Accept-Ranges", 0},
    {"Age", 0},                 {"Date", 0},
    {"ETag", 0},                {"Link", 0},
    {"Location", 0},            {"Server", 0},
    {"Vary", 0},                {"Content-Encoding", 0},
    {"Content-Disposition", 0}, {"Content-Range", 0},
    {"Content-Location", 0},    {"Authorization", 0},
    {"Access-Control-Allow-Origin", 0}, {"Access-Control-Expose-Headers", 0},
    {"X-Request-Id", 0},        {"Content-Types", 0},
    {"Pragma2", 0},             {"Set-Cookie", 0},
    {"Set-Cookie2", 0},
};

START_TEST(test_safelist_one_name) {
  tu_response r;
  char head[512], want[256];
  size_t i, n;
  corsim_result *res;
  const char *name = safelist_rows[_i].name;
  int is_acao = strcasecmp(name, "Access-Control-Allow-Origin") == 0;

  snprintf(head, sizeof head, "HTTP/1.1 200 OK\n%s%s: v1\n",
           is_acao ? "" : "Access-Control-Allow-Origin: *\n", name);
  if (is_acao) /* the header under test is the ACAO itself: make it pass */
    snprintf(head, sizeof head, "HTTP/1.1 200 OK\n%s: *\n", name);
  res = run(APP, API, CORSIM_MODE_CORS, CORSIM_CREDENTIALS_OMIT,
            CORSIM_REDIRECT_FOLLOW, head, &r);
  ck_assert_int_eq(corsim_result_type(res), CORSIM_TYPE_CORS);
  for (i = 0; name[i]; i++)
    want[i] = (char)(name[i] >= 'A' && name[i] <= 'Z' ? name[i] + 32 : name[i]);
  want[i] = '\0';
  if (safelist_rows[_i].exposed) {
    snprintf(want + i, sizeof want - i, ": v1\n");
    expect_js(res, want);
    ck_assert_int_eq(corsim_result_decision(res, 1), CORSIM_KEPT_SAFELISTED);
  } else {
    expect_js(res, "");
    corsim_result_headers(res, &n);
    ck_assert_uint_eq(n, 0);
    ck_assert_int_eq(corsim_result_decision(res, is_acao ? 0 : 1),
                     strncasecmp(name, "set-cookie", 10) == 0
                         ? CORSIM_REMOVED_FORBIDDEN
                         : CORSIM_REMOVED_NOT_EXPOSED);
  }
  finish(res, &r);
}
END_TEST

/* ------------------------------------------------------------------------
 * 4. Access-Control-Expose-Headers (main fetch step 4.a; engines.md (a),(b))
 * ------------------------------------------------------------------------ */

static const struct {
  corsim_credentials cred;
  const char *aceh;        /* ACEH lines, "\n"-separated, or NULL */
  corsim_expose_state state;
  const char *js;          /* expected script view */
} aceh_rows[] = {
#define BASE "content-type: text/plain\n"
/* "*" exposes every name, the CORS headers themselves included */
#define WILD(aceh)                                                            \
  "access-control-allow-origin: *\naccess-control-expose-headers: " aceh    \
  "\n" BASE "star: 3\nx-a: 1\nx-b: 2\n"
    /* absent: safelist only */
    {CORSIM_CREDENTIALS_OMIT, NULL, CORSIM_EXPOSE_ABSENT, BASE},
    {CORSIM_CREDENTIALS_OMIT, "X-A", CORSIM_EXPOSE_LIST, BASE "x-a: 1\n"},
    /* names match case-insensitively (a1) */
    {CORSIM_CREDENTIALS_OMIT, "x-a, X-B", CORSIM_EXPOSE_LIST,
     BASE "x-a: 1\nx-b: 2\n"},
    {CORSIM_CREDENTIALS_OMIT, "X-A,x-b,X-c", CORSIM_EXPOSE_LIST,
     BASE "x-a: 1\nx-b: 2\n"},
    /* empty elements and OWS are ignored (a2, a6) */
    {CORSIM_CREDENTIALS_OMIT, "x-a, ", CORSIM_EXPOSE_LIST, BASE "x-a: 1\n"},
    {CORSIM_CREDENTIALS_OMIT, " , x-a", CORSIM_EXPOSE_LIST, BASE "x-a: 1\n"},
    {CORSIM_CREDENTIALS_OMIT, ",x-a", CORSIM_EXPOSE_LIST, BASE "x-a: 1\n"},
    {CORSIM_CREDENTIALS_OMIT, "x-a,,x-b", CORSIM_EXPOSE_LIST,
     BASE "x-a: 1\nx-b: 2\n"},
    {CORSIM_CREDENTIALS_OMIT, "\tx-a\t,\tx-b", CORSIM_EXPOSE_LIST,
     BASE "x-a: 1\nx-b: 2\n"},
    {CORSIM_CREDENTIALS_OMIT, "", CORSIM_EXPOSE_LIST, BASE},
    {CORSIM_CREDENTIALS_OMIT, ",,,", CORSIM_EXPOSE_LIST, BASE},
    /* several lines are one list (a3, a4) */
    {CORSIM_CREDENTIALS_OMIT, "x-a\nx-b", CORSIM_EXPOSE_LIST,
     BASE "x-a: 1\nx-b: 2\n"},
    {CORSIM_CREDENTIALS_OMIT, "\nx-b", CORSIM_EXPOSE_LIST, BASE "x-b: 2\n"},
    /* one invalid element anywhere fails the whole list (a5, a7, a9) */
    {CORSIM_CREDENTIALS_OMIT, "x-a, bad token", CORSIM_EXPOSE_INVALID, BASE},
    {CORSIM_CREDENTIALS_OMIT, "x-a\nx-b c", CORSIM_EXPOSE_INVALID, BASE},
    {CORSIM_CREDENTIALS_OMIT, "\"x-a\", x-b", CORSIM_EXPOSE_INVALID, BASE},
    {CORSIM_CREDENTIALS_OMIT, "x-a;q=1", CORSIM_EXPOSE_INVALID, BASE},
    {CORSIM_CREDENTIALS_OMIT, "x-a/", CORSIM_EXPOSE_INVALID, BASE},
    {CORSIM_CREDENTIALS_OMIT, "x-\xc3\xa9", CORSIM_EXPOSE_INVALID, BASE},
    {CORSIM_CREDENTIALS_OMIT, "x-a\v", CORSIM_EXPOSE_INVALID, BASE},
    {CORSIM_CREDENTIALS_OMIT, "\fx-a", CORSIM_EXPOSE_INVALID, BASE},
    {CORSIM_CREDENTIALS_OMIT, "x-a, x-b:", CORSIM_EXPOSE_INVALID, BASE},
    /* single quotes are tchars: 'x-a' is a different name (a8) */
    {CORSIM_CREDENTIALS_OMIT, "'x-a'", CORSIM_EXPOSE_LIST, BASE},
    /* duplicates are harmless (a10) */
    {CORSIM_CREDENTIALS_OMIT, "x-a, X-A, x-a", CORSIM_EXPOSE_LIST,
     BASE "x-a: 1\n"},
    /* the wildcard without credentials: every name (b1, b6) */
    {CORSIM_CREDENTIALS_OMIT, "*", CORSIM_EXPOSE_WILDCARD, WILD("*")},
    {CORSIM_CREDENTIALS_SAME_ORIGIN, "*", CORSIM_EXPOSE_WILDCARD, WILD("*")},
    {CORSIM_CREDENTIALS_OMIT, "x-a\n*", CORSIM_EXPOSE_WILDCARD,
     WILD("x-a, *")},
    {CORSIM_CREDENTIALS_OMIT, "*, x-a", CORSIM_EXPOSE_WILDCARD,
     WILD("*, x-a")},
    /* ... but an invalid element still fails the list (b4, b5) */
    {CORSIM_CREDENTIALS_OMIT, "*, bad token", CORSIM_EXPOSE_INVALID, BASE},
    {CORSIM_CREDENTIALS_OMIT, "bad token, *", CORSIM_EXPOSE_INVALID, BASE},
    /* with credentials, * is the literal name "*" (b2, b3) */
    {CORSIM_CREDENTIALS_INCLUDE, "*", CORSIM_EXPOSE_LIST, BASE},
    {CORSIM_CREDENTIALS_INCLUDE, "*, x-b", CORSIM_EXPOSE_LIST,
     BASE "x-b: 2\n"},
    {CORSIM_CREDENTIALS_INCLUDE, "x-a", CORSIM_EXPOSE_LIST, BASE "x-a: 1\n"},
    /* "**" or "*x" are plain names */
    {CORSIM_CREDENTIALS_OMIT, "**", CORSIM_EXPOSE_LIST, BASE},
#undef BASE
#undef WILD
};

START_TEST(test_aceh) {
  tu_response r;
  char head[1024];
  size_t off, n;
  const char *p;
  const corsim_str *names;
  corsim_result *res;
  int include = aceh_rows[_i].cred == CORSIM_CREDENTIALS_INCLUDE;

  off = (size_t)snprintf(head, sizeof head,
                         "HTTP/1.1 200 OK\nAccess-Control-Allow-Origin: %s\n%s"
                         "Content-Type: text/plain\nX-A: 1\nX-B: 2\nStar: 3\n",
                         include ? APP : "*",
                         include ? "Access-Control-Allow-Credentials: true\n"
                                 : "");
  for (p = aceh_rows[_i].aceh; p;) {
    const char *nl = strchr(p, '\n');
    size_t len = nl ? (size_t)(nl - p) : strlen(p);
    off += (size_t)snprintf(head + off, sizeof head - off,
                            "Access-Control-Expose-Headers: %.*s\n", (int)len,
                            p);
    p = nl ? nl + 1 : NULL;
  }
  res = run(APP, API, CORSIM_MODE_CORS, aceh_rows[_i].cred,
            CORSIM_REDIRECT_FOLLOW, head, &r);
  ck_assert_msg(corsim_result_type(res) == CORSIM_TYPE_CORS, "%s",
                corsim_result_message(res));
  ck_assert_int_eq(corsim_result_expose_state(res, &names, &n),
                   aceh_rows[_i].state);
  if (aceh_rows[_i].state == CORSIM_EXPOSE_INVALID) {
    ck_assert_uint_eq(n, 1); /* the offending element */
    ck_assert_ptr_nonnull(names);
  }
  expect_js(res, aceh_rows[_i].js);
  finish(res, &r);
}
END_TEST

/* A header literally named "*" is exposed by a credentialed "*" (a11). */
START_TEST(test_literal_star_header) {
  tu_response r;
  corsim_result *res = run(
      APP, API, CORSIM_MODE_CORS, CORSIM_CREDENTIALS_INCLUDE,
      CORSIM_REDIRECT_FOLLOW,
      "HTTP/1.1 200 OK\nAccess-Control-Allow-Origin: " APP
      "\nAccess-Control-Allow-Credentials: true\n"
      "Access-Control-Expose-Headers: x-dup, *\n*: star\nX-Dup: d\nX-Other: o\n",
      &r);
  expect_js(res, "*: star\nx-dup: d\n");
  finish(res, &r);
}
END_TEST

/* Many exposed names take the sorted lookup path; it must agree with a
 * plain scan. */
START_TEST(test_long_expose_list) {
  tu_response r;
  size_t cap = 200000, off, i, n;
  char *head = malloc(cap);
  corsim_result *res;
  const corsim_header *h;

  off = (size_t)snprintf(head, cap,
                         "HTTP/1.1 200 OK\nAccess-Control-Allow-Origin: *\n"
                         "Access-Control-Expose-Headers: ");
  for (i = 0; i < 2000; i += 2) /* even names exposed, mixed case */
    off += (size_t)snprintf(head + off, cap - off, "%sX-H%zu", i ? ", " : "",
                            i);
  head[off++] = '\n';
  for (i = 0; i < 2000; i++)
    off += (size_t)snprintf(head + off, cap - off, "x-h%zu: %zu\n", 1999 - i,
                            1999 - i);
  head[off] = '\0';
  res = run(APP, API, CORSIM_MODE_CORS, CORSIM_CREDENTIALS_OMIT,
            CORSIM_REDIRECT_FOLLOW, head, &r);
  h = corsim_result_js_headers(res, &n);
  ck_assert_uint_eq(n, 1000);
  for (i = 0; i < n; i++) {
    /* every exposed name is even, and the list is sorted by bytes */
    size_t num = 0, k;
    for (k = 3; k < h[i].name_len; k++)
      num = num * 10 + (size_t)(h[i].name[k] - '0');
    ck_assert_uint_eq(num % 2, 0);
    if (i) {
      size_t a = h[i - 1].name_len, b = h[i].name_len;
      int c = memcmp(h[i - 1].name, h[i].name, a < b ? a : b);
      ck_assert(c < 0 || (c == 0 && a < b));
    }
  }
  finish(res, &r);
  free(head);
}
END_TEST

/* ------------------------------------------------------------------------
 * 5. Set-Cookie (#forbidden-response-header-name, engines.md (d))
 * ------------------------------------------------------------------------ */

static const struct {
  const char *origin;
  corsim_credentials cred;
  const char *aceh;
} cookie_rows[] = {
    {"https://api.example", CORSIM_CREDENTIALS_OMIT, NULL}, /* basic */
    {APP, CORSIM_CREDENTIALS_OMIT, "*"},
    {APP, CORSIM_CREDENTIALS_OMIT, "set-cookie, Set-Cookie2, x-a"},
    {APP, CORSIM_CREDENTIALS_INCLUDE, "Set-Cookie, set-cookie2, *, x-a"},
};

START_TEST(test_set_cookie_never_exposed) {
  tu_response r;
  char head[1024];
  size_t n, i;
  const corsim_header *h;
  corsim_result *res;
  int include = cookie_rows[_i].cred == CORSIM_CREDENTIALS_INCLUDE;

  snprintf(head, sizeof head,
           "HTTP/1.1 200 OK\nAccess-Control-Allow-Origin: %s\n%s%s%s%s"
           "Set-Cookie: a=1\nX-A: 1\nset-cookie: b=2\nSet-Cookie2: c=3\n",
           include ? APP : "*",
           include ? "Access-Control-Allow-Credentials: true\n" : "",
           cookie_rows[_i].aceh ? "Access-Control-Expose-Headers: " : "",
           cookie_rows[_i].aceh ? cookie_rows[_i].aceh : "",
           cookie_rows[_i].aceh ? "\n" : "");
  res = run(cookie_rows[_i].origin, API, CORSIM_MODE_CORS,
            cookie_rows[_i].cred, CORSIM_REDIRECT_FOLLOW, head, &r);
  ck_assert(!corsim_result_is_network_error(res));
  h = corsim_result_js_headers(res, &n);
  ck_assert_uint_gt(n, 0);
  for (i = 0; i < n; i++)
    ck_assert_int_ne(strncmp(h[i].name, "set-cookie", 10), 0);
  ck_assert_ptr_null(corsim_result_set_cookies(res, &n));
  ck_assert_uint_eq(n, 0);
  h = corsim_result_internal_headers(res, &n);
  for (i = 0; i < n; i++)
    if (strncasecmp(h[i].name, "set-cookie", 10) == 0)
      ck_assert_int_eq(corsim_result_decision(res, i),
                       CORSIM_REMOVED_FORBIDDEN);
  finish(res, &r);
}
END_TEST

/* ------------------------------------------------------------------------
 * 6. The basic filter and the script view (sort and combine)
 * ------------------------------------------------------------------------ */

START_TEST(test_basic_and_sort_and_combine) {
  tu_response r;
  size_t n;
  const corsim_header *h;
  corsim_result *res =
      run(APP, APP "/same", CORSIM_MODE_CORS, CORSIM_CREDENTIALS_SAME_ORIGIN,
          CORSIM_REDIRECT_FOLLOW,
          "HTTP/1.1 201 Created\nX-Dup: 1\nServer: s\nx-dup: 2\n"
          "X-DUP:  3 \nAccept: a\nX-Empty:\nx-empty: e\nSet-Cookie: s=1\n"
          "B: b\nA-B: ab\nA: a\n",
          &r);
  ck_assert_int_eq(corsim_result_type(res), CORSIM_TYPE_BASIC);
  ck_assert_int_eq(corsim_result_status(res), 201);
  ck_assert_int_eq(corsim_result_ok(res), 1);
  ck_assert_uint_eq(corsim_result_status_text(res).len, 7);
  ck_assert_int_eq(
      memcmp(corsim_result_status_text(res).ptr, "Created", 7), 0);
  /* lowercase, sorted by byte value ('-' < letters), ", "-combined in list
   * order, empty values kept (h1) */
  expect_js(res, "a: a\na-b: ab\naccept: a\nb: b\nserver: s\n"
                 "x-dup: 1, 2, 3\nx-empty: , e\n");
  /* the filtered list keeps order, casing and duplicates */
  h = corsim_result_headers(res, &n);
  ck_assert_uint_eq(n, 10);
  ck_assert_int_eq(strncmp(h[0].name, "X-Dup", 5), 0);
  ck_assert_int_eq(strncmp(h[2].name, "x-dup", 5), 0);
  ck_assert_int_eq(corsim_result_decision(res, 0), CORSIM_KEPT_BASIC);
  ck_assert_int_eq(corsim_result_decision(res, 7), CORSIM_REMOVED_FORBIDDEN);
  ck_assert_int_eq(corsim_result_decision(res, 99),
                   CORSIM_REMOVED_NETWORK_ERROR);
  ck_assert_int_eq(corsim_result_expose_state(res, NULL, NULL),
                   CORSIM_EXPOSE_NOT_APPLICABLE);
  {
    corsim_str u = corsim_result_url(res);
    ck_assert_uint_eq(u.len, strlen(APP "/same"));
  }
  finish(res, &r);
}
END_TEST

START_TEST(test_ok_and_status) {
  static const int statuses[] = {200, 204, 299, 300, 404, 406, 408, 500,
                                 599, 999};
  int i;
  for (i = 0; i < (int)(sizeof statuses / sizeof statuses[0]); i++) {
    tu_response r;
    char head[128];
    corsim_result *res;
    snprintf(head, sizeof head,
             "HTTP/1.1 %d X\nAccess-Control-Allow-Origin: *\n", statuses[i]);
    res = run(APP, API, CORSIM_MODE_CORS, CORSIM_CREDENTIALS_OMIT,
              CORSIM_REDIRECT_FOLLOW, head, &r);
    /* CORS exposes any status, 4xx and 5xx included */
    ck_assert_int_eq(corsim_result_type(res), CORSIM_TYPE_CORS);
    ck_assert_int_eq(corsim_result_status(res), statuses[i]);
    ck_assert_int_eq(corsim_result_ok(res),
                     statuses[i] >= 200 && statuses[i] <= 299);
    finish(res, &r);
  }
}
END_TEST

/* A 1xx cannot end a fetch and a 407 cannot be answered (no prompt):
 * network errors, as Chromium 156 shows (tests/interop status-028,
 * status-048..051). */
static const struct {
  int status;
  corsim_block_reason reason;
} final_error_rows[] = {
    {100, CORSIM_BLOCK_INVALID_RESPONSE}, {101, CORSIM_BLOCK_INVALID_RESPONSE},
    {103, CORSIM_BLOCK_INVALID_RESPONSE}, {199, CORSIM_BLOCK_INVALID_RESPONSE},
    {407, CORSIM_BLOCK_PROXY_AUTHENTICATION},
};

START_TEST(test_final_status_errors) {
  tu_response r;
  char head[128];
  corsim_result *res;
  snprintf(head, sizeof head,
           "HTTP/1.1 %d X\nAccess-Control-Allow-Origin: *\n",
           final_error_rows[_i].status);
  res = run(APP, API, CORSIM_MODE_CORS, CORSIM_CREDENTIALS_OMIT,
            CORSIM_REDIRECT_FOLLOW, head, &r);
  ck_assert_int_eq(corsim_result_type(res), CORSIM_TYPE_ERROR);
  ck_assert_int_eq(corsim_result_reason(res), final_error_rows[_i].reason);
  finish(res, &r);
}
END_TEST

/* The per-profile status rules (status.*): each row's status under the
 * spec profile and under one with the behaviour set (tests/interop
 * status-028, status-032, status-049). */
static const struct {
  int b;
  const char *value;
  int status;
  corsim_block_reason spec_reason, profile_reason;
} status_rule_rows[] = {
    {CORSIM__B_STATUS_PROXY_AUTH_REQUIRED, "expose", 407,
     CORSIM_BLOCK_PROXY_AUTHENTICATION, CORSIM_BLOCK_NONE},
    {CORSIM__B_STATUS_PROXY_AUTH_REQUIRED, "expose", 401, CORSIM_BLOCK_NONE,
     CORSIM_BLOCK_NONE},
    {CORSIM__B_STATUS_SWITCHING_PROTOCOLS, "expose", 101,
     CORSIM_BLOCK_INVALID_RESPONSE, CORSIM_BLOCK_NONE},
    /* only 101: the other 1xx stay interim */
    {CORSIM__B_STATUS_SWITCHING_PROTOCOLS, "expose", 100,
     CORSIM_BLOCK_INVALID_RESPONSE, CORSIM_BLOCK_INVALID_RESPONSE},
    {CORSIM__B_STATUS_SWITCHING_PROTOCOLS, "expose", 103,
     CORSIM_BLOCK_INVALID_RESPONSE, CORSIM_BLOCK_INVALID_RESPONSE},
    {CORSIM__B_STATUS_MISDIRECTED, "network-error", 421, CORSIM_BLOCK_NONE,
     CORSIM_BLOCK_INVALID_RESPONSE},
    {CORSIM__B_STATUS_MISDIRECTED, "network-error", 420, CORSIM_BLOCK_NONE,
     CORSIM_BLOCK_NONE},
};

START_TEST(test_status_rules) {
  struct corsim_profile prof = *corsim_profile_spec();
  const char *value = status_rule_rows[_i].value;
  int b = status_rule_rows[_i].b, v = 0, pass;
  char head[128], err[128];
  prof.name = "test/status";
  ck_assert_ok(corsim__behaviour_parse(b, value, strlen(value), &v));
  prof.v[b] = v;
  snprintf(head, sizeof head,
           "HTTP/1.1 %d X\nAccess-Control-Allow-Origin: *\nX-A: 1\n",
           status_rule_rows[_i].status);
  for (pass = 0; pass < 2; pass++) {
    const corsim_profile *p = pass ? &prof : corsim_profile_spec();
    corsim_block_reason want = pass ? status_rule_rows[_i].profile_reason
                                    : status_rule_rows[_i].spec_reason;
    corsim_request *req = tu_request(APP, API, CORSIM_MODE_CORS,
                                     CORSIM_CREDENTIALS_OMIT);
    corsim_result *res = NULL;
    tu_response r;
    ck_assert_int_eq(tu_response_parse(&r, head, strlen(head), err,
                                       sizeof err),
                     0);
    ck_assert_ok(corsim_result_new(&res, NULL));
    ck_assert_ok(corsim_filter(res, p, req, &r.resp));
    ck_assert_msg(corsim_result_reason(res) == want,
                  "row %d (%s=%s, %d) under %s: %s", _i,
                  corsim__behaviours[b].id, value,
                  status_rule_rows[_i].status, corsim_profile_name(p),
                  corsim_block_reason_name(corsim_result_reason(res)));
    if (want == CORSIM_BLOCK_NONE) {
      ck_assert_int_eq(corsim_result_type(res), CORSIM_TYPE_CORS);
      ck_assert_int_eq(corsim_result_status(res),
                       status_rule_rows[_i].status);
    } else {
      ck_assert_int_eq(corsim_result_type(res), CORSIM_TYPE_ERROR);
      ck_assert_ptr_nonnull(corsim_result_message(res));
    }
    corsim_result_free(res);
    corsim_request_free(req);
    tu_response_free(&r);
  }
}
END_TEST

/* CORP "same-site" between origins whose host is an IP address, under the
 * spec (equal hosts are same site) and under corp.same_site_ip_hosts
 * false (Chromium: an IP host is same site with nothing; mode-022). */
static const struct {
  const char *origin, *url;
  corsim_block_reason spec_reason, chromium_reason;
} corp_ip_rows[] = {
    {"http://127.0.0.1:18610", "http://127.0.0.1:18611/x", CORSIM_BLOCK_NONE,
     CORSIM_BLOCK_CORP},
    {"http://[::1]:1", "http://[::1]:2/x", CORSIM_BLOCK_NONE,
     CORSIM_BLOCK_CORP},
    {"http://127.0.0.1", "http://127.0.0.2/x", CORSIM_BLOCK_CORP,
     CORSIM_BLOCK_CORP},
    {"http://localhost:1", "http://127.0.0.1:2/x", CORSIM_BLOCK_CORP,
     CORSIM_BLOCK_CORP},
    /* domains are not affected */
    {"https://app.example", "https://cdn.app.example/x", CORSIM_BLOCK_NONE,
     CORSIM_BLOCK_NONE},
    {"http://localhost:1", "http://localhost:2/x", CORSIM_BLOCK_NONE,
     CORSIM_BLOCK_NONE},
};

START_TEST(test_corp_same_site_ip_hosts) {
  struct corsim_profile prof = *corsim_profile_spec();
  const char *head = "HTTP/1.1 200 OK\nCross-Origin-Resource-Policy: "
                     "same-site\nX-A: 1\n";
  char err[128];
  int pass;
  prof.name = "test/corp";
  prof.v[CORSIM__B_CORP_SAME_SITE_IP_HOSTS] = 0;
  for (pass = 0; pass < 2; pass++) {
    const corsim_profile *p = pass ? &prof : corsim_profile_spec();
    corsim_block_reason want = pass ? corp_ip_rows[_i].chromium_reason
                                    : corp_ip_rows[_i].spec_reason;
    corsim_request *req = tu_request(corp_ip_rows[_i].origin,
                                     corp_ip_rows[_i].url,
                                     CORSIM_MODE_NO_CORS,
                                     CORSIM_CREDENTIALS_INCLUDE);
    corsim_result *res = NULL;
    tu_response r;
    ck_assert_int_eq(tu_response_parse(&r, head, strlen(head), err,
                                       sizeof err),
                     0);
    ck_assert_ok(corsim_result_new(&res, NULL));
    ck_assert_ok(corsim_filter(res, p, req, &r.resp));
    ck_assert_msg(corsim_result_reason(res) == want,
                  "row %d (%s -> %s) under %s: %s", _i,
                  corp_ip_rows[_i].origin, corp_ip_rows[_i].url,
                  corsim_profile_name(p),
                  corsim_block_reason_name(corsim_result_reason(res)));
    ck_assert_int_eq(corsim_result_type(res), want == CORSIM_BLOCK_NONE
                                                  ? CORSIM_TYPE_OPAQUE
                                                  : CORSIM_TYPE_ERROR);
    corsim_result_free(res);
    corsim_request_free(req);
    tu_response_free(&r);
  }
}
END_TEST

/* no-cors: only GET, HEAD and POST (#dom-request), and
 * Cross-Origin-Resource-Policy (#cross-origin-resource-policy-check). */
static const struct {
  const char *method, *corp, *url;
  corsim_block_reason reason;
} nocors_rows[] = {
    {"GET", NULL, API, CORSIM_BLOCK_NONE},
    {"POST", NULL, API, CORSIM_BLOCK_NONE},
    {"PUT", NULL, API, CORSIM_BLOCK_NO_CORS_METHOD},
    {"DELETE", NULL, API, CORSIM_BLOCK_NO_CORS_METHOD},
    {"patch", NULL, API, CORSIM_BLOCK_NO_CORS_METHOD},
    {"GET", "same-origin", API, CORSIM_BLOCK_CORP},
    {"GET", "same-site", API, CORSIM_BLOCK_CORP}, /* app.example, api.example */
    {"GET", "same-site", "https://cdn.app.example/x", CORSIM_BLOCK_NONE},
    {"GET", "same-site", "https://api.other.test/x", CORSIM_BLOCK_CORP},
    {"GET", "same-site", "http://app.example/x", CORSIM_BLOCK_CORP},
    {"GET", "cross-origin", API, CORSIM_BLOCK_NONE},
    {"GET", "bogus", API, CORSIM_BLOCK_NONE},
};

START_TEST(test_no_cors_rules) {
  tu_response r;
  char head[256], err[128];
  corsim_result *res = NULL;
  corsim_request *req = tu_request(APP, nocors_rows[_i].url,
                                   CORSIM_MODE_NO_CORS,
                                   CORSIM_CREDENTIALS_INCLUDE);
  ck_assert_ok(corsim_request_set_method(req, nocors_rows[_i].method,
                                         strlen(nocors_rows[_i].method)));
  snprintf(head, sizeof head, "HTTP/1.1 200 OK\nX-A: 1\n%s%s%s",
           nocors_rows[_i].corp ? "Cross-Origin-Resource-Policy: " : "",
           nocors_rows[_i].corp ? nocors_rows[_i].corp : "",
           nocors_rows[_i].corp ? "\n" : "");
  ck_assert_int_eq(tu_response_parse(&r, head, strlen(head), err, sizeof err),
                   0);
  ck_assert_ok(corsim_result_new(&res, NULL));
  ck_assert_ok(corsim_filter(res, corsim_profile_spec(), req, &r.resp));
  ck_assert_msg(corsim_result_reason(res) == nocors_rows[_i].reason,
                "row %d: %s (%s)", _i,
                corsim_block_reason_name(corsim_result_reason(res)),
                corsim_result_message(res));
  if (nocors_rows[_i].reason == CORSIM_BLOCK_NONE)
    ck_assert_int_eq(corsim_result_type(res), CORSIM_TYPE_OPAQUE);
  corsim_result_free(res);
  corsim_request_free(req);
  tu_response_free(&r);
}
END_TEST

/* ------------------------------------------------------------------------
 * 7. Opaque, opaque-redirect, redirect modes
 * ------------------------------------------------------------------------ */

START_TEST(test_opaque) {
  tu_response r;
  size_t n;
  corsim_result *res =
      run(APP, API, CORSIM_MODE_NO_CORS, CORSIM_CREDENTIALS_INCLUDE,
          CORSIM_REDIRECT_FOLLOW,
          "HTTP/1.1 200 OK\nContent-Type: text/plain\nX-A: 1\n", &r);
  ck_assert_int_eq(corsim_result_type(res), CORSIM_TYPE_OPAQUE);
  ck_assert_int_eq(corsim_result_status(res), 0);
  ck_assert_int_eq(corsim_result_ok(res), 0);
  ck_assert_uint_eq(corsim_result_status_text(res).len, 0);
  ck_assert_uint_eq(corsim_result_url(res).len, 0);
  ck_assert_ptr_null(corsim_result_js_headers(res, &n));
  ck_assert_uint_eq(n, 0);
  ck_assert_int_eq(corsim_result_decision(res, 0), CORSIM_REMOVED_OPAQUE);
  ck_assert_int_eq(corsim_result_internal_status(res), 200);
  finish(res, &r);
}
END_TEST

static const struct {
  corsim_mode mode;
  corsim_redirect redirect;
  int status;
  const char *extra;
  corsim_response_type type;
  corsim_block_reason reason;
  int pending;
} redirect_rows[] = {
    /* manual: opaque-redirect (HTTP fetch step 4) */
    {CORSIM_MODE_CORS, CORSIM_REDIRECT_MANUAL, 302, "Location: /n\n",
     CORSIM_TYPE_OPAQUEREDIRECT, CORSIM_BLOCK_NONE, 0},
    {CORSIM_MODE_CORS, CORSIM_REDIRECT_MANUAL, 301, "", CORSIM_TYPE_OPAQUEREDIRECT,
     CORSIM_BLOCK_NONE, 0},
    {CORSIM_MODE_CORS, CORSIM_REDIRECT_MANUAL, 303, "", CORSIM_TYPE_OPAQUEREDIRECT,
     CORSIM_BLOCK_NONE, 0},
    {CORSIM_MODE_CORS, CORSIM_REDIRECT_MANUAL, 307, "", CORSIM_TYPE_OPAQUEREDIRECT,
     CORSIM_BLOCK_NONE, 0},
    {CORSIM_MODE_CORS, CORSIM_REDIRECT_MANUAL, 308, "", CORSIM_TYPE_OPAQUEREDIRECT,
     CORSIM_BLOCK_NONE, 0},
    /* 300 and 304 are not redirect statuses */
    {CORSIM_MODE_CORS, CORSIM_REDIRECT_MANUAL, 300, "Location: /n\n",
     CORSIM_TYPE_CORS, CORSIM_BLOCK_NONE, 0},
    {CORSIM_MODE_CORS, CORSIM_REDIRECT_ERROR, 304, "", CORSIM_TYPE_CORS,
     CORSIM_BLOCK_NONE, 0},
    /* error: network error */
    {CORSIM_MODE_CORS, CORSIM_REDIRECT_ERROR, 307, "Location: /n\n",
     CORSIM_TYPE_ERROR, CORSIM_BLOCK_REDIRECT_MODE_ERROR, 0},
    /* follow: the browser would go on to the next hop */
    {CORSIM_MODE_CORS, CORSIM_REDIRECT_FOLLOW, 302, "Location: /n\n",
     CORSIM_TYPE_CORS, CORSIM_BLOCK_NONE, 1},
    {CORSIM_MODE_CORS, CORSIM_REDIRECT_FOLLOW, 302, "", CORSIM_TYPE_CORS,
     CORSIM_BLOCK_NONE, 0},
    /* no-cors needs redirect mode follow (main fetch step 2.d) */
    {CORSIM_MODE_NO_CORS, CORSIM_REDIRECT_MANUAL, 200, "", CORSIM_TYPE_ERROR,
     CORSIM_BLOCK_NO_CORS_REDIRECT_MODE, 0},
    {CORSIM_MODE_NO_CORS, CORSIM_REDIRECT_ERROR, 200, "", CORSIM_TYPE_ERROR,
     CORSIM_BLOCK_NO_CORS_REDIRECT_MODE, 0},
    {CORSIM_MODE_NO_CORS, CORSIM_REDIRECT_FOLLOW, 302, "Location: /n\n",
     CORSIM_TYPE_OPAQUE, CORSIM_BLOCK_NONE, 1},
};

START_TEST(test_redirect_modes) {
  tu_response r;
  char head[256];
  size_t n;
  corsim_result *res;
  snprintf(head, sizeof head,
           "HTTP/1.1 %d R\nAccess-Control-Allow-Origin: *\nX-A: 1\n%s",
           redirect_rows[_i].status, redirect_rows[_i].extra);
  res = run(APP, API, redirect_rows[_i].mode, CORSIM_CREDENTIALS_OMIT,
            redirect_rows[_i].redirect, head, &r);
  ck_assert_msg(corsim_result_type(res) == redirect_rows[_i].type,
                "row %d: %s", _i,
                corsim_response_type_name(corsim_result_type(res)));
  ck_assert_int_eq(corsim_result_reason(res), redirect_rows[_i].reason);
  ck_assert_int_eq(corsim_result_redirect_pending(res),
                   redirect_rows[_i].pending);
  if (redirect_rows[_i].type == CORSIM_TYPE_OPAQUEREDIRECT) {
    ck_assert_int_eq(corsim_result_status(res), 0);
    ck_assert_ptr_null(corsim_result_js_headers(res, &n));
    /* the URL list is not cleared for opaque-redirect */
    ck_assert_uint_eq(corsim_result_url(res).len, strlen(API));
  }
  finish(res, &r);
}
END_TEST

/* The CORS check runs on a 3xx too, before the redirect mode (HTTP fetch
 * step 2.d comes before step 4). */
START_TEST(test_cors_check_before_redirect) {
  tu_response r;
  corsim_result *res = run(APP, API, CORSIM_MODE_CORS, CORSIM_CREDENTIALS_OMIT,
                           CORSIM_REDIRECT_MANUAL,
                           "HTTP/1.1 302 Found\nLocation: /next\n", &r);
  ck_assert_int_eq(corsim_result_reason(res), CORSIM_BLOCK_ACAO_MISSING);
  finish(res, &r);
}
END_TEST

/* ------------------------------------------------------------------------
 * 8. Bad input
 * ------------------------------------------------------------------------ */

START_TEST(test_bad_input) {
  corsim_result *res = NULL;
  corsim_request *req = NULL, *bare = NULL;
  corsim_header hs[2] = {{"X-A", 3, "1", 1}, {"", 0, "v", 1}};
  corsim_response resp = {200, "OK", 2, hs, 1};
  const corsim_profile *p = corsim_profile_spec();

  ck_assert_ok(corsim_result_new(&res, NULL));
  req = tu_request(APP, API, CORSIM_MODE_CORS, CORSIM_CREDENTIALS_OMIT);
  ck_assert_ok(corsim_request_new(&bare, NULL));

  ck_assert_int_eq(corsim_filter(NULL, p, req, &resp),
                   CORSIM_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(corsim_filter(res, NULL, req, &resp),
                   CORSIM_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(corsim_filter(res, p, NULL, &resp),
                   CORSIM_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(corsim_filter(res, p, req, NULL),
                   CORSIM_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(corsim_filter(res, p, bare, &resp),
                   CORSIM_ERR_INCOMPLETE_REQUEST);
  ck_assert_ok(corsim_request_set_url(bare, API, strlen(API)));
  ck_assert_int_eq(corsim_filter(res, p, bare, &resp),
                   CORSIM_ERR_INCOMPLETE_REQUEST);

  resp.status = 99;
  ck_assert_int_eq(corsim_filter(res, p, req, &resp), CORSIM_ERR_BAD_STATUS);
  resp.status = 1000;
  ck_assert_int_eq(corsim_filter(res, p, req, &resp), CORSIM_ERR_BAD_STATUS);
  resp.status = -1;
  ck_assert_int_eq(corsim_filter(res, p, req, &resp), CORSIM_ERR_BAD_STATUS);
  resp.status = 200;

  resp.headers = NULL;
  ck_assert_int_eq(corsim_filter(res, p, req, &resp),
                   CORSIM_ERR_INVALID_ARGUMENT);
  resp.headers = hs;
  resp.header_count = 2; /* the second header has an empty name */
  ck_assert_int_eq(corsim_filter(res, p, req, &resp),
                   CORSIM_ERR_BAD_HEADER_NAME);
  hs[1].name = NULL;
  hs[1].name_len = 5;
  ck_assert_int_eq(corsim_filter(res, p, req, &resp),
                   CORSIM_ERR_BAD_HEADER_NAME);
  hs[1].name = "X-B";
  hs[1].name_len = 3;
  hs[1].value = NULL;
  ck_assert_int_eq(corsim_filter(res, p, req, &resp),
                   CORSIM_ERR_INVALID_ARGUMENT);
  /* after an error the result reads as an empty network error */
  ck_assert_int_eq(corsim_result_type(res), CORSIM_TYPE_ERROR);
  ck_assert_int_eq(corsim_result_reason(res), CORSIM_BLOCK_NONE);
  ck_assert_str_eq(corsim_result_message(res), "");
  /* a NULL value with length 0 is the empty value */
  hs[1].value_len = 0;
  ck_assert_ok(corsim_filter(res, p, req, &resp));
  resp.status_text = NULL;
  ck_assert_int_eq(corsim_filter(res, p, req, &resp),
                   CORSIM_ERR_INVALID_ARGUMENT);
  resp.status_text_len = 0;
  ck_assert_ok(corsim_filter(res, p, req, &resp));

  /* accessors accept NULL */
  ck_assert_int_eq(corsim_result_type(NULL), CORSIM_TYPE_ERROR);
  ck_assert_int_eq(corsim_result_is_network_error(NULL), 1);
  ck_assert_str_eq(corsim_result_message(NULL), "");
  ck_assert_int_eq(corsim_result_status(NULL), 0);
  ck_assert_ptr_null(corsim_result_headers(NULL, NULL));
  ck_assert_ptr_null(corsim_result_profile(NULL));
  ck_assert_int_eq(corsim_result_new(NULL, NULL), CORSIM_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(corsim_result_reserve(NULL, 1, 1),
                   CORSIM_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(corsim_result_reserve(res, (size_t)-1, 1),
                   CORSIM_ERR_TOO_LARGE);
  corsim_result_free(NULL);

  /* enum names: NULL for values outside the enums */
  ck_assert_ptr_null(corsim_response_type_name((corsim_response_type)77));
  ck_assert_ptr_null(corsim_block_reason_name((corsim_block_reason)77));
  ck_assert_ptr_null(corsim_block_reason_anchor((corsim_block_reason)-3));
  ck_assert_ptr_null(corsim_decision_name((corsim_decision)77));

  corsim_request_free(bare);
  corsim_request_free(req);
  corsim_result_free(res);
}
END_TEST

START_TEST(test_block_reason_table) {
  /* every reason has a unique identifier and a spec anchor */
  static const corsim_block_reason all[] = {
#define XX(name, value, id, anchor) CORSIM_BLOCK_##name,
      CORSIM_BLOCK_MAP(XX)
#undef XX
  };
  size_t i, j, n = sizeof all / sizeof all[0];
  for (i = 0; i < n; i++) {
    ck_assert_ptr_nonnull(corsim_block_reason_name(all[i]));
    ck_assert_ptr_nonnull(corsim_block_reason_anchor(all[i]));
    if (all[i] != CORSIM_BLOCK_NONE)
      ck_assert_uint_gt(strlen(corsim_block_reason_anchor(all[i])), 5);
    for (j = 0; j < i; j++)
      ck_assert_str_ne(corsim_block_reason_name(all[i]),
                       corsim_block_reason_name(all[j]));
  }
  ck_assert_str_eq(corsim_block_reason_name(CORSIM_BLOCK_ACAO_MISSING),
                   "acao-missing");
  ck_assert_str_eq(corsim_response_type_name(CORSIM_TYPE_OPAQUEREDIRECT),
                   "opaqueredirect");
  ck_assert_str_eq(corsim_decision_name(CORSIM_KEPT_WILDCARD),
                   "kept-wildcard");
}
END_TEST

/* A result is reusable: a second filter fully replaces the first. */
START_TEST(test_result_reuse) {
  tu_response r1, r2;
  char err[128];
  size_t n;
  corsim_result *res = NULL;
  corsim_request *req =
      tu_request(APP, API, CORSIM_MODE_CORS, CORSIM_CREDENTIALS_OMIT);
  const char *h1 = "HTTP/1.1 200 OK\nAccess-Control-Allow-Origin: *\n"
                   "Access-Control-Expose-Headers: *\nX-A: 1\nX-B: 2\n";
  const char *h2 = "HTTP/1.1 404 Not Found\n";
  ck_assert_int_eq(tu_response_parse(&r1, h1, strlen(h1), err, sizeof err), 0);
  ck_assert_int_eq(tu_response_parse(&r2, h2, strlen(h2), err, sizeof err), 0);
  ck_assert_ok(corsim_result_new(&res, NULL));
  ck_assert_ok(corsim_filter(res, corsim_profile_spec(), req, &r1.resp));
  expect_js(res, "access-control-allow-origin: *\n"
                 "access-control-expose-headers: *\nx-a: 1\nx-b: 2\n");
  ck_assert_ptr_eq(corsim_result_profile(res), corsim_profile_spec());
  ck_assert_ok(corsim_filter(res, corsim_profile_spec(), req, &r2.resp));
  ck_assert_int_eq(corsim_result_reason(res), CORSIM_BLOCK_ACAO_MISSING);
  ck_assert_ptr_null(corsim_result_js_headers(res, &n));
  ck_assert_int_eq(corsim_result_expose_state(res, NULL, NULL),
                   CORSIM_EXPOSE_NOT_APPLICABLE);
  ck_assert_ok(corsim_filter(res, corsim_profile_spec(), req, &r1.resp));
  ck_assert_int_eq(corsim_result_type(res), CORSIM_TYPE_CORS);
  corsim_result_free(res);
  corsim_request_free(req);
  tu_response_free(&r1);
  tu_response_free(&r2);
}
END_TEST


/* reserve() resets the result (its storage may move); a failed filter
 * leaves no trace of the previous one, the profile included. */
START_TEST(test_reserve_and_failure_reset) {
  tu_response r;
  size_t n;
  corsim_response bad;
  corsim_result *res =
      run(APP, API, CORSIM_MODE_CORS, CORSIM_CREDENTIALS_OMIT,
          CORSIM_REDIRECT_FOLLOW,
          "HTTP/1.1 200 OK\nAccess-Control-Allow-Origin: *\nX-A: 1\n", &r);
  ck_assert_ptr_eq(corsim_result_profile(res), corsim_profile_spec());
  ck_assert_ok(corsim_result_reserve(res, 1000, 100000));
  ck_assert_int_eq(corsim_result_type(res), CORSIM_TYPE_ERROR);
  ck_assert_ptr_null(corsim_result_js_headers(res, &n));
  ck_assert_ptr_null(corsim_result_internal_headers(res, &n));
  ck_assert_ptr_null(corsim_result_profile(res));
  ck_assert_ok(corsim_filter(res, corsim_profile_spec(), last_req, &r.resp));
  ck_assert_int_eq(corsim_result_type(res), CORSIM_TYPE_CORS);
  bad = r.resp;
  bad.status = 42;
  ck_assert_int_eq(corsim_filter(res, corsim_profile_spec(), last_req, &bad),
                   CORSIM_ERR_BAD_STATUS);
  ck_assert_ptr_null(corsim_result_profile(res));
  ck_assert_int_eq(corsim_result_internal_status(res), 0);
  finish(res, &r);
}
END_TEST

START_TEST(test_expose_state_names) {
  ck_assert_str_eq(corsim_expose_state_name(CORSIM_EXPOSE_NOT_APPLICABLE),
                   "not-applicable");
  ck_assert_str_eq(corsim_expose_state_name(CORSIM_EXPOSE_ABSENT), "absent");
  ck_assert_str_eq(corsim_expose_state_name(CORSIM_EXPOSE_LIST), "list");
  ck_assert_str_eq(corsim_expose_state_name(CORSIM_EXPOSE_WILDCARD),
                   "wildcard");
  ck_assert_str_eq(corsim_expose_state_name(CORSIM_EXPOSE_INVALID), "invalid");
  ck_assert_str_eq(corsim_expose_state_name(CORSIM_EXPOSE_UNSUPPORTED),
                   "unsupported");
  ck_assert_ptr_null(corsim_expose_state_name((corsim_expose_state)6));
  ck_assert_ptr_null(corsim_expose_state_name((corsim_expose_state)-1));
}
END_TEST

/* ------------------------------------------------------------------------
 * 9. corsim_fetch: the preflight, then the redirect chain (main fetch step
 *    2 per hop, HTTP fetch steps 2.d and 4, #concept-http-redirect-fetch,
 *    #concept-request-tainted-origin, #serializing-a-request-origin)
 * ------------------------------------------------------------------------ */

#define API_O "https://api.example"
#define OTHER "https://other.example"
#define ACAO_APP "Access-Control-Allow-Origin: https://app.example\n"
#define ACAO_NULL "Access-Control-Allow-Origin: null\n"
#define MAX_CHAIN 24
#define NO_URL_CHECK "\001" /* fetch_row.url: do not compare */

/* A chain of parsed responses; hops[] points into r[]. */
typedef struct chain {
  tu_response r[MAX_CHAIN];
  corsim_response hops[MAX_CHAIN];
  size_t n;
} chain;

static void chain_add(chain *c, const char *text) {
  char err[256];
  ck_assert_uint_lt(c->n, MAX_CHAIN);
  ck_assert_msg(tu_response_parse(&c->r[c->n], text, strlen(text), err,
                                  sizeof err) == 0,
                "%s", err);
  c->hops[c->n] = c->r[c->n].resp;
  c->n++;
}

static void chain_free(chain *c) {
  size_t i;
  for (i = 0; i < c->n; i++)
    tu_response_free(&c->r[i]);
  c->n = 0;
}

typedef struct fetch_row {
  const char *what;
  /* the request */
  const char *origin, *req_url;
  corsim_mode mode;
  corsim_credentials cred;
  corsim_redirect redirect;
  const char *method;    /* NULL: GET */
  const char *preflight; /* NULL: no preflight response given */
  const char *hops[6];   /* the responses, in order; NULL ends */
  /* what script would see */
  corsim_response_type type;
  corsim_block_reason reason;
  size_t hop_count; /* corsim_result_hop_count() */
  int redirected, pending, status;
  const char *url_want; /* response.url; NULL: "" */
  const char *js;  /* Array.from(headers); NULL: not compared */
  const char *msg; /* a part of the message; NULL: not compared */
  corsim_preflight_state pstate;
  int in_preflight;
} fetch_row;

static const fetch_row fetch_rows[] = {
    /* ---- hop tainting and the CORS check on every hop ---- */
    {.what = "same-origin, one hop: basic, not redirected",
     .origin = APP, .req_url = APP "/a",
     .hops = {"HTTP/1.1 200 OK\nX-A: 1\nSet-Cookie: c=1\n"},
     .type = CORSIM_TYPE_BASIC, .hop_count = 1, .status = 200,
     .url_want = APP "/a", .js = "x-a: 1\n"},
    {.what = "same-origin redirect to same-origin: basic, redirected, final "
             "URL (fragment dropped)",
     .origin = APP, .req_url = APP "/a",
     .hops = {"HTTP/1.1 302 Found\nLocation: /b?x=1#frag\n",
              "HTTP/1.1 200 OK\nX-A: 1\n"},
     .type = CORSIM_TYPE_BASIC, .hop_count = 2, .redirected = 1,
     .status = 200, .url_want = APP "/b?x=1", .js = "x-a: 1\n"},
    {.what = "cors within one cross-origin server: ACAO on each hop",
     .origin = APP, .req_url = API_O "/a",
     .hops = {"HTTP/1.1 307 Temporary Redirect\nLocation: /b\n" ACAO_APP,
              "HTTP/1.1 200 OK\n" ACAO_APP
              "Content-Type: text/plain\nX-Secret: s\n"},
     .type = CORSIM_TYPE_CORS, .hop_count = 2, .redirected = 1,
     .status = 200, .url_want = API_O "/b", .js = "content-type: text/plain\n"},
    {.what = "same-origin -> cross-origin: the first hop needs no ACAO, the "
             "second the real origin",
     .origin = APP, .req_url = APP "/a",
     .hops = {"HTTP/1.1 302 Found\nLocation: " API_O "/b\n",
              "HTTP/1.1 200 OK\n" ACAO_APP "X-Secret: s\n"},
     .type = CORSIM_TYPE_CORS, .hop_count = 2, .redirected = 1,
     .status = 200, .url_want = API_O "/b", .js = ""},
    {.what = "same-origin -> cross-origin: the origin is not yet 'null'",
     .origin = APP, .req_url = APP "/a",
     .hops = {"HTTP/1.1 302 Found\nLocation: " API_O "/b\n",
              "HTTP/1.1 200 OK\n" ACAO_NULL},
     .type = CORSIM_TYPE_ERROR, .reason = CORSIM_BLOCK_ACAO_MISMATCH,
     .hop_count = 2, .msg = "origin 'https://app.example'"},
    {.what = "a cross-origin 3xx without ACAO fails the CORS check",
     .origin = APP, .req_url = API_O "/a",
     .hops = {"HTTP/1.1 302 Found\nLocation: /b\n",
              "HTTP/1.1 200 OK\nAccess-Control-Allow-Origin: *\n"},
     .type = CORSIM_TYPE_ERROR, .reason = CORSIM_BLOCK_ACAO_MISSING,
     .hop_count = 1},
    {.what = "credentials include: every cors hop needs ACAC",
     .origin = APP, .req_url = API_O "/a", .cred = CORSIM_CREDENTIALS_INCLUDE,
     .hops = {"HTTP/1.1 302 Found\nLocation: /b\n" ACAO_APP,
              "HTTP/1.1 200 OK\n" ACAO_APP
              "Access-Control-Allow-Credentials: true\n"},
     .type = CORSIM_TYPE_ERROR, .reason = CORSIM_BLOCK_ACAC_MISSING,
     .hop_count = 1},
    {.what = "credentials include: ACAO and ACAC on each hop pass",
     .origin = APP, .req_url = API_O "/a", .cred = CORSIM_CREDENTIALS_INCLUDE,
     .hops = {"HTTP/1.1 302 Found\nLocation: /b\n" ACAO_APP
              "Access-Control-Allow-Credentials: true\n",
              "HTTP/1.1 200 OK\n" ACAO_APP
              "Access-Control-Allow-Credentials: true\n"},
     .type = CORSIM_TYPE_CORS, .hop_count = 2, .redirected = 1,
     .status = 200, .url_want = API_O "/b", .js = ""},
    {.what = "the final cors hop without ACAO fails",
     .origin = APP, .req_url = API_O "/a",
     .hops = {"HTTP/1.1 302 Found\nLocation: /b\n" ACAO_APP,
              "HTTP/1.1 200 OK\nX-A: 1\n"},
     .type = CORSIM_TYPE_ERROR, .reason = CORSIM_BLOCK_ACAO_MISSING,
     .hop_count = 2},
    /* ---- the request origin becomes "null" (6.8, 6.9) ---- */
    {.what = "cross-origin -> another origin: ACAO null passes",
     .origin = APP, .req_url = API_O "/a",
     .hops = {"HTTP/1.1 302 Found\nLocation: " OTHER "/b\n" ACAO_APP,
              "HTTP/1.1 200 OK\n" ACAO_NULL "Content-Language: en\nX-A: 1\n"},
     .type = CORSIM_TYPE_CORS, .hop_count = 2, .redirected = 1,
     .status = 200, .url_want = OTHER "/b", .js = "content-language: en\n"},
    {.what = "cross-origin -> another origin: ACAO of the real origin fails, "
             "naming 'null'",
     .origin = APP, .req_url = API_O "/a",
     .hops = {"HTTP/1.1 302 Found\nLocation: " OTHER "/b\n" ACAO_APP,
              "HTTP/1.1 200 OK\n" ACAO_APP},
     .type = CORSIM_TYPE_ERROR, .reason = CORSIM_BLOCK_ACAO_MISMATCH,
     .hop_count = 2, .msg = "not the request's origin 'null'"},
    {.what = "cross-origin -> another origin: ACAO * passes",
     .origin = APP, .req_url = API_O "/a",
     .hops = {"HTTP/1.1 302 Found\nLocation: " OTHER "/b\n" ACAO_APP,
              "HTTP/1.1 200 OK\nAccess-Control-Allow-Origin: *\n"},
     .type = CORSIM_TYPE_CORS, .hop_count = 2, .redirected = 1,
     .status = 200, .url_want = OTHER "/b", .js = ""},
    {.what = "the taint stays for later same-origin hops",
     .origin = APP, .req_url = API_O "/a",
     .hops = {"HTTP/1.1 302 Found\nLocation: " OTHER "/b\n" ACAO_APP,
              "HTTP/1.1 302 Found\nLocation: /c\n" ACAO_NULL,
              "HTTP/1.1 200 OK\n" ACAO_APP},
     .type = CORSIM_TYPE_ERROR, .reason = CORSIM_BLOCK_ACAO_MISMATCH,
     .hop_count = 3, .msg = "origin 'null'"},
    {.what = "a same-origin redirect on the cross-origin server adds no "
             "taint; leaving it does",
     .origin = APP, .req_url = API_O "/a",
     .hops = {"HTTP/1.1 302 Found\nLocation: /b\n" ACAO_APP,
              "HTTP/1.1 302 Found\nLocation: " OTHER "/c\n" ACAO_APP,
              "HTTP/1.1 200 OK\n" ACAO_NULL},
     .type = CORSIM_TYPE_CORS, .hop_count = 3, .redirected = 1,
     .status = 200, .url_want = OTHER "/c", .js = ""},
    {.what = "an opaque request origin is 'null' from the start",
     .origin = "null", .req_url = API_O "/a",
     .hops = {"HTTP/1.1 302 Found\nLocation: /b\n" ACAO_NULL,
              "HTTP/1.1 200 OK\n" ACAO_NULL},
     .type = CORSIM_TYPE_CORS, .hop_count = 2, .redirected = 1,
     .status = 200, .url_want = API_O "/b", .js = ""},
    /* ---- A -> B -> A: tainting becomes cors at B and stays ---- */
    {.what = "A->B->A: the same-origin final hop still needs ACAO",
     .origin = APP, .req_url = APP "/a",
     .hops = {"HTTP/1.1 302 Found\nLocation: " API_O "/b\n",
              "HTTP/1.1 302 Found\nLocation: " APP "/c\n" ACAO_APP,
              "HTTP/1.1 200 OK\nX-Secret: s\n"},
     .type = CORSIM_TYPE_ERROR, .reason = CORSIM_BLOCK_ACAO_MISSING,
     .hop_count = 3},
    {.what = "A->B->A: cors, headers filtered, origin 'null'",
     .origin = APP, .req_url = APP "/a",
     .hops = {"HTTP/1.1 302 Found\nLocation: " API_O "/b\n",
              "HTTP/1.1 302 Found\nLocation: " APP "/c\n" ACAO_APP,
              "HTTP/1.1 200 OK\n" ACAO_NULL
              "Content-Language: en\nX-Secret: s\nSet-Cookie: c=1\n"},
     .type = CORSIM_TYPE_CORS, .hop_count = 3, .redirected = 1,
     .status = 200, .url_want = APP "/c", .js = "content-language: en\n"},
    {.what = "A->B->A: ACAO of the real origin fails on the way back",
     .origin = APP, .req_url = APP "/a",
     .hops = {"HTTP/1.1 302 Found\nLocation: " API_O "/b\n",
              "HTTP/1.1 302 Found\nLocation: " APP "/c\n" ACAO_APP,
              "HTTP/1.1 200 OK\n" ACAO_APP},
     .type = CORSIM_TYPE_ERROR, .reason = CORSIM_BLOCK_ACAO_MISMATCH,
     .hop_count = 3, .msg = "origin 'null'"},
    {.what = "A->B->A with ACAO *: cors, not basic",
     .origin = APP, .req_url = APP "/a",
     .hops = {"HTTP/1.1 302 Found\nLocation: " API_O "/b\n",
              "HTTP/1.1 302 Found\nLocation: " APP "/c\n" ACAO_APP,
              "HTTP/1.1 200 OK\nAccess-Control-Allow-Origin: *\n"
              "X-Secret: s\n"},
     .type = CORSIM_TYPE_CORS, .hop_count = 3, .redirected = 1,
     .status = 200, .url_want = APP "/c", .js = ""},
    {.what = "mode same-origin redirected across origins: network error",
     .origin = APP, .req_url = APP "/a", .mode = CORSIM_MODE_SAME_ORIGIN,
     .hops = {"HTTP/1.1 302 Found\nLocation: " API_O "/b\n",
              "HTTP/1.1 200 OK\nAccess-Control-Allow-Origin: *\n"},
     .type = CORSIM_TYPE_ERROR, .reason = CORSIM_BLOCK_SAME_ORIGIN_MODE,
     .hop_count = 2},
    /* ---- redirect modes (HTTP fetch step 4) ---- */
    {.what = "manual: opaqueredirect with the URL of the 3xx hop",
     .origin = APP, .req_url = API_O "/a", .redirect = CORSIM_REDIRECT_MANUAL,
     .hops = {"HTTP/1.1 302 Found\nLocation: /b\n" ACAO_APP,
              "HTTP/1.1 200 OK\n" ACAO_APP},
     .type = CORSIM_TYPE_OPAQUEREDIRECT, .hop_count = 1, .url_want = API_O "/a",
     .js = ""},
    {.what = "manual, same-origin",
     .origin = APP, .req_url = APP "/a", .redirect = CORSIM_REDIRECT_MANUAL,
     .hops = {"HTTP/1.1 301 Moved\nLocation: /b\n", "HTTP/1.1 200 OK\n"},
     .type = CORSIM_TYPE_OPAQUEREDIRECT, .hop_count = 1, .url_want = APP "/a",
     .js = ""},
    {.what = "manual: the CORS check comes first",
     .origin = APP, .req_url = API_O "/a", .redirect = CORSIM_REDIRECT_MANUAL,
     .hops = {"HTTP/1.1 302 Found\nLocation: /b\n", "HTTP/1.1 200 OK\n"},
     .type = CORSIM_TYPE_ERROR, .reason = CORSIM_BLOCK_ACAO_MISSING,
     .hop_count = 1},
    {.what = "error: a redirect is a network error",
     .origin = APP, .req_url = APP "/a", .redirect = CORSIM_REDIRECT_ERROR,
     .hops = {"HTTP/1.1 302 Found\nLocation: /b\n", "HTTP/1.1 200 OK\n"},
     .type = CORSIM_TYPE_ERROR, .reason = CORSIM_BLOCK_REDIRECT_MODE_ERROR,
     .hop_count = 1, .msg = "status 302"},
    {.what = "error: even without a Location",
     .origin = APP, .req_url = APP "/a", .redirect = CORSIM_REDIRECT_ERROR,
     .hops = {"HTTP/1.1 308 Permanent Redirect\n", "HTTP/1.1 200 OK\n"},
     .type = CORSIM_TYPE_ERROR, .reason = CORSIM_BLOCK_REDIRECT_MODE_ERROR,
     .hop_count = 1, .msg = "status 308"},
    {.what = "follow, the chain given ends on a 3xx: redirect pending",
     .origin = APP, .req_url = APP "/a",
     .hops = {"HTTP/1.1 302 Found\nLocation: /b\n"},
     .type = CORSIM_TYPE_BASIC, .hop_count = 1, .pending = 1, .status = 302,
     .url_want = APP "/a"},
    {.what = "follow, ends on the second 3xx: pending and redirected",
     .origin = APP, .req_url = APP "/a",
     .hops = {"HTTP/1.1 302 Found\nLocation: /b\n",
              "HTTP/1.1 303 See Other\nLocation: /c\n"},
     .type = CORSIM_TYPE_BASIC, .hop_count = 2, .redirected = 1,
     .pending = 1, .status = 303, .url_want = APP "/b"},
    {.what = "a 3xx without Location is a final response",
     .origin = APP, .req_url = APP "/a",
     .hops = {"HTTP/1.1 302 Found\nX-A: 1\n", "HTTP/1.1 200 OK\n"},
     .type = CORSIM_TYPE_BASIC, .hop_count = 1, .status = 302,
     .url_want = APP "/a", .js = "x-a: 1\n"},
    /* ---- #http-redirect-fetch: the Location ---- */
    {.what = "two Location headers: location failure",
     .origin = APP, .req_url = APP "/a",
     .hops = {"HTTP/1.1 302 Found\nLocation: /b\nLocation: /b\n",
              "HTTP/1.1 200 OK\n"},
     .type = CORSIM_TYPE_ERROR,
     .reason = CORSIM_BLOCK_REDIRECT_LOCATION_INVALID, .hop_count = 1},
    {.what = "two Location headers on the last hop given",
     .origin = APP, .req_url = APP "/a",
     .hops = {"HTTP/1.1 302 Found\nLocation: /b\nLocation: /c\n"},
     .type = CORSIM_TYPE_ERROR,
     .reason = CORSIM_BLOCK_REDIRECT_LOCATION_INVALID, .hop_count = 1},
    {.what = "a Location that does not parse",
     .origin = APP, .req_url = APP "/a",
     .hops = {"HTTP/1.1 302 Found\nLocation: http://[::1\n",
              "HTTP/1.1 200 OK\n"},
     .type = CORSIM_TYPE_ERROR,
     .reason = CORSIM_BLOCK_REDIRECT_LOCATION_INVALID, .hop_count = 1,
     .msg = "'http://[::1'"},
    {.what = "a Location that does not parse, on the last hop given",
     .origin = APP, .req_url = APP "/a",
     .hops = {"HTTP/1.1 302 Found\nLocation: http://[::1\n"},
     .type = CORSIM_TYPE_ERROR,
     .reason = CORSIM_BLOCK_REDIRECT_LOCATION_INVALID, .hop_count = 1},
    {.what = "a Location with a bad host, after a followed redirect",
     .origin = APP, .req_url = APP "/a",
     .hops = {"HTTP/1.1 302 Found\nLocation: /b\n",
              "HTTP/1.1 302 Found\nLocation: https://a b.example/\n",
              "HTTP/1.1 200 OK\n"},
     .type = CORSIM_TYPE_ERROR,
     .reason = CORSIM_BLOCK_REDIRECT_LOCATION_INVALID, .hop_count = 2},
    {.what = "Location ftp: is not http(s)",
     .origin = APP, .req_url = APP "/a",
     .hops = {"HTTP/1.1 302 Found\nLocation: ftp://files.example/x\n",
              "HTTP/1.1 200 OK\n"},
     .type = CORSIM_TYPE_ERROR, .reason = CORSIM_BLOCK_REDIRECT_SCHEME,
     .hop_count = 1, .msg = "'ftp://files.example/x'"},
    {.what = "Location data: is not http(s)",
     .origin = APP, .req_url = APP "/a",
     .hops = {"HTTP/1.1 307 T\nLocation: data:text/plain,hi\n",
              "HTTP/1.1 200 OK\n"},
     .type = CORSIM_TYPE_ERROR, .reason = CORSIM_BLOCK_REDIRECT_SCHEME,
     .hop_count = 1},
    {.what = "Location ftp: on the last hop given",
     .origin = APP, .req_url = APP "/a",
     .hops = {"HTTP/1.1 302 Found\nLocation: ftp://files.example/x\n"},
     .type = CORSIM_TYPE_ERROR, .reason = CORSIM_BLOCK_REDIRECT_SCHEME,
     .hop_count = 1},
    {.what = "Location with an upper-case scheme and host is http(s)",
     .origin = APP, .req_url = APP "/a",
     .hops = {"HTTP/1.1 302 Found\nLocation: HTTPS://API.example/x\n",
              "HTTP/1.1 200 OK\n" ACAO_APP},
     .type = CORSIM_TYPE_CORS, .hop_count = 2, .redirected = 1,
     .status = 200, .url_want = API_O "/x"},
    {.what = "Location relative to the current URL, not the request's",
     .origin = APP, .req_url = APP "/a/b",
     .hops = {"HTTP/1.1 302 Found\nLocation: " API_O "/x/y\n",
              "HTTP/1.1 302 Found\nLocation: ../z\n" ACAO_APP,
              "HTTP/1.1 200 OK\n" ACAO_APP},
     .type = CORSIM_TYPE_CORS, .hop_count = 3, .redirected = 1,
     .status = 200, .url_want = API_O "/z"},
    /* ---- credentials in the Location URL (steps 9 and 10) ---- */
    {.what = "cors, cross-origin Location with credentials",
     .origin = APP, .req_url = APP "/a",
     .hops = {"HTTP/1.1 302 Found\nLocation: https://u:p@api.example/x\n",
              "HTTP/1.1 200 OK\n" ACAO_APP},
     .type = CORSIM_TYPE_ERROR, .reason = CORSIM_BLOCK_REDIRECT_CREDENTIALS,
     .hop_count = 1, .msg = "'https://u:p@api.example/x'"},
    {.what = "cors, cross-origin Location with a user name only",
     .origin = APP, .req_url = APP "/a",
     .hops = {"HTTP/1.1 302 Found\nLocation: https://u@api.example/x\n"},
     .type = CORSIM_TYPE_ERROR, .reason = CORSIM_BLOCK_REDIRECT_CREDENTIALS,
     .hop_count = 1},
    {.what = "cors, same-origin Location with credentials while basic: "
             "followed",
     .origin = APP, .req_url = APP "/a",
     .hops = {"HTTP/1.1 302 Found\nLocation: https://u:p@app.example/x\n",
              "HTTP/1.1 200 OK\n"},
     .type = CORSIM_TYPE_BASIC, .hop_count = 2, .redirected = 1,
     .status = 200, .url_want = "https://u:p@app.example/x"},
    {.what = "tainting cors, then a same-origin Location with credentials",
     .origin = APP, .req_url = API_O "/a",
     .hops = {"HTTP/1.1 302 Found\nLocation: https://u:p@app.example/x\n"
              ACAO_APP,
              "HTTP/1.1 200 OK\n"},
     .type = CORSIM_TYPE_ERROR, .reason = CORSIM_BLOCK_REDIRECT_CREDENTIALS,
     .hop_count = 1},
    {.what = "an empty user name and password are no credentials",
     .origin = APP, .req_url = APP "/a",
     .hops = {"HTTP/1.1 302 Found\nLocation: https://:@api.example/x\n",
              "HTTP/1.1 200 OK\n" ACAO_APP},
     .type = CORSIM_TYPE_CORS, .hop_count = 2, .redirected = 1,
     .status = 200, .url_want = NO_URL_CHECK},
    {.what = "no-cors follows a Location with credentials",
     .origin = APP, .req_url = API_O "/a", .mode = CORSIM_MODE_NO_CORS,
     .hops = {"HTTP/1.1 302 Found\nLocation: https://u:p@other.example/x\n",
              "HTTP/1.1 200 OK\nX-A: 1\n"},
     .type = CORSIM_TYPE_OPAQUE, .hop_count = 2, .js = ""},
    /* ---- no-cors: opaque all the way ---- */
    {.what = "no-cors chain: opaque, no URL, status 0, not redirected "
             "(the opaque filtered response's URL list is empty)",
     .origin = APP, .req_url = API_O "/a", .mode = CORSIM_MODE_NO_CORS,
     .hops = {"HTTP/1.1 302 Found\nLocation: " OTHER "/b\n",
              "HTTP/1.1 200 OK\nContent-Type: text/plain\n"},
     .type = CORSIM_TYPE_OPAQUE, .hop_count = 2, .js = ""},
    {.what = "no-cors back to the request's origin stays opaque",
     .origin = APP, .req_url = API_O "/a", .mode = CORSIM_MODE_NO_CORS,
     .hops = {"HTTP/1.1 302 Found\nLocation: " APP "/b\n",
              "HTTP/1.1 200 OK\nX-A: 1\n"},
     .type = CORSIM_TYPE_OPAQUE, .hop_count = 2, .js = ""},
    {.what = "no-cors from the same origin: basic until it leaves",
     .origin = APP, .req_url = APP "/a", .mode = CORSIM_MODE_NO_CORS,
     .hops = {"HTTP/1.1 302 Found\nLocation: /b\n",
              "HTTP/1.1 200 OK\nX-A: 1\n"},
     .type = CORSIM_TYPE_BASIC, .hop_count = 2, .redirected = 1,
     .status = 200, .url_want = APP "/b", .js = "x-a: 1\n"},
    /* ---- responses after a final one are ignored ---- */
    {.what = "after a final response the rest is ignored",
     .origin = APP, .req_url = APP "/a",
     .hops = {"HTTP/1.1 200 OK\nX-A: 1\n", "HTTP/1.1 200 OK\nX-B: 2\n",
              "HTTP/1.1 500 Oops\n"},
     .type = CORSIM_TYPE_BASIC, .hop_count = 1, .status = 200,
     .url_want = APP "/a", .js = "x-a: 1\n"},
    {.what = "after a followed redirect and a final response",
     .origin = APP, .req_url = APP "/a",
     .hops = {"HTTP/1.1 302 Found\nLocation: /b\n", "HTTP/1.1 204 NC\n",
              "HTTP/1.1 500 Oops\n"},
     .type = CORSIM_TYPE_BASIC, .hop_count = 2, .redirected = 1,
     .status = 204, .url_want = APP "/b"},
    {.what = "after a network error the rest is ignored",
     .origin = APP, .req_url = API_O "/a",
     .hops = {"HTTP/1.1 200 OK\n", "HTTP/1.1 200 OK\n" ACAO_APP},
     .type = CORSIM_TYPE_ERROR, .reason = CORSIM_BLOCK_ACAO_MISSING,
     .hop_count = 1},
    /* ---- the preflight comes first ---- */
    {.what = "a failed preflight stops before any hop",
     .origin = APP, .req_url = API_O "/a", .method = "PUT",
     .preflight = "HTTP/1.1 204 No Content\n"
                  "Access-Control-Allow-Methods: PUT\n",
     .hops = {"HTTP/1.1 200 OK\n" ACAO_APP},
     .type = CORSIM_TYPE_ERROR, .reason = CORSIM_BLOCK_ACAO_MISSING,
     .hop_count = 0, .msg = "Preflight: ",
     .pstate = CORSIM_PREFLIGHT_FAILED, .in_preflight = 1},
    {.what = "a preflight that does not allow the method",
     .origin = APP, .req_url = API_O "/a", .method = "PUT",
     .preflight = "HTTP/1.1 204 No Content\n" ACAO_APP
                  "Access-Control-Allow-Methods: POST\n",
     .hops = {"HTTP/1.1 200 OK\n" ACAO_APP},
     .type = CORSIM_TYPE_ERROR,
     .reason = CORSIM_BLOCK_PREFLIGHT_METHOD_NOT_ALLOWED, .hop_count = 0,
     .pstate = CORSIM_PREFLIGHT_FAILED, .in_preflight = 1},
    {.what = "a passed preflight lets the chain run",
     .origin = APP, .req_url = API_O "/a", .method = "PUT",
     .preflight = "HTTP/1.1 204 No Content\n" ACAO_APP
                  "Access-Control-Allow-Methods: PUT\n",
     .hops = {"HTTP/1.1 307 T\nLocation: /b\n" ACAO_APP,
              "HTTP/1.1 200 OK\n" ACAO_APP},
     .type = CORSIM_TYPE_CORS, .hop_count = 2, .redirected = 1,
     .status = 200, .url_want = API_O "/b", .pstate = CORSIM_PREFLIGHT_PASSED},
    {.what = "a passed preflight, then a hop that fails the CORS check",
     .origin = APP, .req_url = API_O "/a", .method = "PUT",
     .preflight = "HTTP/1.1 204 No Content\n" ACAO_APP
                  "Access-Control-Allow-Methods: PUT\n",
     .hops = {"HTTP/1.1 200 OK\n"},
     .type = CORSIM_TYPE_ERROR, .reason = CORSIM_BLOCK_ACAO_MISSING,
     .hop_count = 1, .pstate = CORSIM_PREFLIGHT_PASSED},
    {.what = "no preflight response for a request that needs one",
     .origin = APP, .req_url = API_O "/a", .method = "PUT",
     .hops = {"HTTP/1.1 307 T\nLocation: /b\n" ACAO_APP,
              "HTTP/1.1 200 OK\n" ACAO_APP},
     .type = CORSIM_TYPE_CORS, .hop_count = 2, .redirected = 1,
     .status = 200, .url_want = API_O "/b",
     .pstate = CORSIM_PREFLIGHT_NO_RESPONSE},
    {.what = "a preflight response for a request that needs none is unused",
     .origin = APP, .req_url = API_O "/a",
     .preflight = "HTTP/1.1 500 Oops\n",
     .hops = {"HTTP/1.1 200 OK\n" ACAO_APP},
     .type = CORSIM_TYPE_CORS, .hop_count = 1, .status = 200,
     .url_want = API_O "/a", .pstate = CORSIM_PREFLIGHT_NOT_NEEDED},
};

static corsim_request *fetch_request(const fetch_row *t) {
  corsim_request *req = tu_request(t->origin, t->req_url, t->mode, t->cred);
  ck_assert_ok(corsim_request_set_redirect(req, t->redirect));
  if (t->method)
    ck_assert_ok(corsim_request_set_method(req, t->method, strlen(t->method)));
  return req;
}

static void check_fetch(const corsim_result *res, const fetch_row *t) {
  corsim_str u = corsim_result_url(res);
  const char *want_url = t->url_want ? t->url_want : "";
  ck_assert_msg(corsim_result_type(res) == t->type, "%s: type %s, want %s",
                t->what, corsim_response_type_name(corsim_result_type(res)),
                corsim_response_type_name(t->type));
  ck_assert_msg(corsim_result_reason(res) == t->reason,
                "%s: reason %s, want %s (%s)", t->what,
                corsim_block_reason_name(corsim_result_reason(res)),
                corsim_block_reason_name(t->reason),
                corsim_result_message(res));
  ck_assert_msg(corsim_result_hop_count(res) == t->hop_count,
                "%s: hop_count %zu, want %zu", t->what,
                corsim_result_hop_count(res), t->hop_count);
  ck_assert_msg(corsim_result_redirected(res) == t->redirected,
                "%s: redirected %d", t->what, corsim_result_redirected(res));
  ck_assert_msg(corsim_result_redirect_pending(res) == t->pending,
                "%s: redirect_pending %d", t->what,
                corsim_result_redirect_pending(res));
  ck_assert_msg(corsim_result_status(res) == t->status, "%s: status %d",
                t->what, corsim_result_status(res));
  if (strcmp(want_url, NO_URL_CHECK) != 0)
    ck_assert_msg(tu_bytes_eq(u.ptr, u.len, want_url, strlen(want_url)),
                  "%s: url \"%s\", want \"%s\"", t->what,
                  tu_esc(u.ptr, u.len), want_url);
  if (t->js) {
    char *got = js_string(res);
    ck_assert_msg(strcmp(got, t->js) == 0, "%s: script view:\n%s\nwanted:\n%s",
                  t->what, got, t->js);
    free(got);
  }
  if (t->msg)
    ck_assert_msg(strstr(corsim_result_message(res), t->msg) != NULL,
                  "%s: message \"%s\" lacks \"%s\"", t->what,
                  corsim_result_message(res), t->msg);
  if (t->type != CORSIM_TYPE_ERROR)
    ck_assert_str_eq(corsim_result_message(res), "");
  ck_assert_msg(corsim_result_preflight_state(res) == t->pstate,
                "%s: preflight state %s", t->what,
                corsim_preflight_state_name(corsim_result_preflight_state(res)));
  ck_assert_int_eq(corsim_result_in_preflight(res), t->in_preflight);
  ck_assert_int_eq(corsim_result_ok(res),
                   t->status >= 200 && t->status <= 299);
}

START_TEST(test_fetch_chain) {
  const fetch_row *t = &fetch_rows[_i];
  chain c;
  tu_response pre;
  corsim_result *res = NULL;
  corsim_request *req = fetch_request(t);
  size_t i;

  c.n = 0;
  for (i = 0; i < N_ELEMS(t->hops) && t->hops[i]; i++)
    chain_add(&c, t->hops[i]);
  if (t->preflight) {
    char err[256];
    ck_assert_msg(tu_response_parse(&pre, t->preflight, strlen(t->preflight),
                                    err, sizeof err) == 0,
                  "%s", err);
  }
  ck_assert_ok(corsim_result_new(&res, NULL));
  ck_assert_ok(corsim_fetch(res, corsim_profile_spec(), req,
                            t->preflight ? &pre.resp : NULL, c.hops, c.n,
                            NULL, 0));
  check_fetch(res, t);
  /* the same result again: a reused result gives the same answer */
  ck_assert_ok(corsim_fetch(res, corsim_profile_spec(), req,
                            t->preflight ? &pre.resp : NULL, c.hops, c.n,
                            NULL, 0));
  check_fetch(res, t);
  corsim_result_free(res);
  corsim_request_free(req);
  if (t->preflight)
    tu_response_free(&pre);
  chain_free(&c);
}
END_TEST

/* One hop: corsim_fetch() gives exactly what corsim_filter() gives, with
 * redirected 0 and hop_count 1. */
static const struct {
  const char *origin, *url;
  corsim_mode mode;
  corsim_credentials cred;
  corsim_redirect redirect;
  const char *head;
} single_rows[] = {
    {APP, APP "/a", CORSIM_MODE_CORS, CORSIM_CREDENTIALS_SAME_ORIGIN,
     CORSIM_REDIRECT_FOLLOW,
     "HTTP/1.1 200 OK\nX-B: 2\nx-a: 1\nSet-Cookie: c=1\nX-B: 3\n"},
    {APP, API, CORSIM_MODE_CORS, CORSIM_CREDENTIALS_OMIT,
     CORSIM_REDIRECT_FOLLOW,
     "HTTP/1.1 201 Created\n" ACAO_APP
     "Access-Control-Expose-Headers: X-A\nX-A: 1\nX-B: 2\n"
     "Content-Type: text/plain\n"},
    {APP, API, CORSIM_MODE_CORS, CORSIM_CREDENTIALS_OMIT,
     CORSIM_REDIRECT_FOLLOW,
     "HTTP/1.1 200 OK\nAccess-Control-Allow-Origin: *\n"
     "Access-Control-Expose-Headers: *\nX-A: 1\n"},
    {APP, API, CORSIM_MODE_CORS, CORSIM_CREDENTIALS_INCLUDE,
     CORSIM_REDIRECT_FOLLOW,
     "HTTP/1.1 200 OK\nAccess-Control-Allow-Origin: *\nX-A: 1\n"},
    {APP, API, CORSIM_MODE_CORS, CORSIM_CREDENTIALS_OMIT,
     CORSIM_REDIRECT_FOLLOW, "HTTP/1.1 200 OK\nX-A: 1\n"},
    {APP, API, CORSIM_MODE_NO_CORS, CORSIM_CREDENTIALS_OMIT,
     CORSIM_REDIRECT_FOLLOW, "HTTP/1.1 200 OK\nX-A: 1\n"},
    {APP, API, CORSIM_MODE_CORS, CORSIM_CREDENTIALS_OMIT,
     CORSIM_REDIRECT_MANUAL,
     "HTTP/1.1 302 Found\nLocation: /b\n" ACAO_APP},
    {APP, API, CORSIM_MODE_CORS, CORSIM_CREDENTIALS_OMIT,
     CORSIM_REDIRECT_ERROR,
     "HTTP/1.1 302 Found\nLocation: /b\n" ACAO_APP},
    {APP, API, CORSIM_MODE_SAME_ORIGIN, CORSIM_CREDENTIALS_OMIT,
     CORSIM_REDIRECT_FOLLOW, "HTTP/1.1 200 OK\n"},
    {"null", API, CORSIM_MODE_CORS, CORSIM_CREDENTIALS_OMIT,
     CORSIM_REDIRECT_FOLLOW, "HTTP/1.1 404 Not Found\n" ACAO_NULL "X-A: 1\n"},
    {APP, "HTTPS://App.Example:443/p?q#f", CORSIM_MODE_CORS,
     CORSIM_CREDENTIALS_OMIT, CORSIM_REDIRECT_FOLLOW,
     "HTTP/1.1 500 Internal Server Error\n"},
};

static void expect_same_headers(const corsim_header *a, size_t na,
                                const corsim_header *b, size_t nb) {
  size_t i;
  ck_assert_uint_eq(na, nb);
  for (i = 0; i < na; i++) {
    ck_assert_bytes(a[i].name, a[i].name_len, b[i].name, b[i].name_len);
    ck_assert_bytes(a[i].value, a[i].value_len, b[i].value, b[i].value_len);
  }
}

START_TEST(test_fetch_single_hop_is_filter) {
  tu_response r;
  char err[256];
  corsim_result *f = NULL, *g = NULL;
  corsim_request *req =
      tu_request(single_rows[_i].origin, single_rows[_i].url,
                 single_rows[_i].mode, single_rows[_i].cred);
  const corsim_header *ha, *hb;
  const corsim_str *sa, *sb;
  corsim_str ua, ub;
  size_t na, nb, i;

  ck_assert_ok(corsim_request_set_redirect(req, single_rows[_i].redirect));
  ck_assert_int_eq(tu_response_parse(&r, single_rows[_i].head,
                                     strlen(single_rows[_i].head), err,
                                     sizeof err),
                   0);
  ck_assert_ok(corsim_result_new(&f, NULL));
  ck_assert_ok(corsim_result_new(&g, NULL));
  ck_assert_ok(corsim_filter(f, corsim_profile_spec(), req, &r.resp));
  ck_assert_ok(corsim_fetch(g, corsim_profile_spec(), req, NULL, &r.resp, 1,
                            NULL, 0));

  ck_assert_int_eq(corsim_result_type(g), corsim_result_type(f));
  ck_assert_int_eq(corsim_result_reason(g), corsim_result_reason(f));
  ck_assert_str_eq(corsim_result_message(g), corsim_result_message(f));
  ck_assert_int_eq(corsim_result_status(g), corsim_result_status(f));
  ua = corsim_result_status_text(f);
  ub = corsim_result_status_text(g);
  ck_assert_bytes(ub.ptr, ub.len, ua.ptr, ua.len);
  ua = corsim_result_url(f);
  ub = corsim_result_url(g);
  ck_assert_bytes(ub.ptr, ub.len, ua.ptr, ua.len);
  ck_assert_int_eq(corsim_result_redirect_pending(g),
                   corsim_result_redirect_pending(f));
  ha = corsim_result_headers(f, &na);
  hb = corsim_result_headers(g, &nb);
  expect_same_headers(hb, nb, ha, na);
  ha = corsim_result_js_headers(f, &na);
  hb = corsim_result_js_headers(g, &nb);
  expect_same_headers(hb, nb, ha, na);
  sa = corsim_result_set_cookies(f, &na);
  sb = corsim_result_set_cookies(g, &nb);
  ck_assert_uint_eq(na, nb);
  (void)sa;
  (void)sb;
  ck_assert_int_eq(corsim_result_internal_status(g),
                   corsim_result_internal_status(f));
  ha = corsim_result_internal_headers(f, &na);
  hb = corsim_result_internal_headers(g, &nb);
  expect_same_headers(hb, nb, ha, na);
  for (i = 0; i < na; i++)
    ck_assert_int_eq(corsim_result_decision(g, i),
                     corsim_result_decision(f, i));
  ck_assert_int_eq(corsim_result_expose_state(g, &sb, &nb),
                   corsim_result_expose_state(f, &sa, &na));
  ck_assert_uint_eq(nb, na);
  for (i = 0; i < na; i++)
    ck_assert_bytes(sb[i].ptr, sb[i].len, sa[i].ptr, sa[i].len);
  ck_assert_ptr_eq(corsim_result_profile(g), corsim_result_profile(f));
  ck_assert_int_eq(corsim_result_in_preflight(g), 0);
  /* the chain's own fields */
  ck_assert_int_eq(corsim_result_redirected(g), 0);
  ck_assert_int_eq(corsim_result_redirected(f), 0);
  ck_assert_uint_eq(corsim_result_hop_count(g), 1);
  ck_assert_uint_eq(corsim_result_hop_count(f), 1); /* corsim.h: 1 */
  ck_assert_int_eq(corsim_result_preflight_state(g),
                   CORSIM_PREFLIGHT_NOT_NEEDED);

  corsim_result_free(f);
  corsim_result_free(g);
  corsim_request_free(req);
  tu_response_free(&r);
}
END_TEST

/* Redirect statuses are 301, 302, 303, 307 and 308 (#redirect-status):
 * those follow the Location, the other 3xx are final responses. */
static const struct {
  int status, follows;
} status_rows[] = {
    {301, 1}, {302, 1}, {303, 1}, {307, 1}, {308, 1},
    {300, 0}, {304, 0}, {305, 0}, {306, 0}, {309, 0}, {399, 0},
};

START_TEST(test_fetch_redirect_statuses) {
  chain c;
  char head[128];
  corsim_result *res = NULL;
  corsim_request *req = tu_request(APP, API_O "/a", CORSIM_MODE_CORS,
                                   CORSIM_CREDENTIALS_OMIT);
  corsim_str u;
  int s = status_rows[_i].status;

  c.n = 0;
  snprintf(head, sizeof head, "HTTP/1.1 %d R\nLocation: /b\n" ACAO_APP, s);
  chain_add(&c, head);
  chain_add(&c, "HTTP/1.1 200 OK\n" ACAO_APP);
  ck_assert_ok(corsim_result_new(&res, NULL));
  ck_assert_ok(corsim_fetch(res, corsim_profile_spec(), req, NULL, c.hops,
                            c.n, NULL, 0));
  ck_assert_int_eq(corsim_result_type(res), CORSIM_TYPE_CORS);
  u = corsim_result_url(res);
  if (status_rows[_i].follows) {
    ck_assert_uint_eq(corsim_result_hop_count(res), 2);
    ck_assert_int_eq(corsim_result_redirected(res), 1);
    ck_assert_int_eq(corsim_result_status(res), 200);
    ck_assert_bytes(u.ptr, u.len, L(API_O "/b"));
  } else {
    ck_assert_uint_eq(corsim_result_hop_count(res), 1);
    ck_assert_int_eq(corsim_result_redirected(res), 0);
    ck_assert_int_eq(corsim_result_redirect_pending(res), 0);
    ck_assert_int_eq(corsim_result_status(res), s);
    ck_assert_bytes(u.ptr, u.len, L(API_O "/a"));
  }
  corsim_result_free(res);
  corsim_request_free(req);
  chain_free(&c);
}
END_TEST

/* redirect.empty_location: an empty Location is parsed against the
 * response's URL under the spec (the same URL again: followed), and is no
 * Location at all under skip (Chromium): the 3xx is the final response;
 * a non-empty Location after an empty one is followed under both. */
static const struct {
  const char *locations; /* Location lines of the first hop */
  const char *value;     /* redirect.empty_location */
  int follows;           /* 1: hop 2 reached */
  const char *final_url; /* path of the final URL */
} empty_location_rows[] = {
    {"Location:\n", "follow", 1, "/a"},
    {"Location:\n", "skip", 0, "/a"},
    {"Location:   \n", "follow", 1, "/a"},
    {"Location:   \n", "skip", 0, "/a"},
    {"Location:\nLocation: /b\n", "skip", 1, "/b"},
    {"Location: /b\n", "skip", 1, "/b"},
    {"Location: /b\n", "follow", 1, "/b"},
    {"", "follow", 0, "/a"},
};

START_TEST(test_fetch_empty_location) {
  struct corsim_profile prof = *corsim_profile_spec();
  const char *value = empty_location_rows[_i].value;
  int b = corsim__behaviour_find("redirect.empty_location", 23), v = 0;
  chain c;
  char head[160], want[128];
  corsim_result *res = NULL;
  corsim_request *req = tu_request(APP, API_O "/a", CORSIM_MODE_CORS,
                                   CORSIM_CREDENTIALS_OMIT);
  corsim_str u;

  ck_assert_int_ge(b, 0);
  ck_assert_ok(corsim__behaviour_parse(b, value, strlen(value), &v));
  prof.name = "test/empty-location";
  prof.v[b] = v;
  c.n = 0;
  snprintf(head, sizeof head, "HTTP/1.1 302 Found\n%s" ACAO_APP,
           empty_location_rows[_i].locations);
  chain_add(&c, head);
  chain_add(&c, "HTTP/1.1 200 OK\n" ACAO_APP);
  ck_assert_ok(corsim_result_new(&res, NULL));
  ck_assert_ok(corsim_fetch(res, &prof, req, NULL, c.hops, c.n, NULL, 0));
  ck_assert_int_eq(corsim_result_type(res), CORSIM_TYPE_CORS);
  u = corsim_result_url(res);
  ck_assert_msg(corsim_result_hop_count(res) ==
                    (empty_location_rows[_i].follows ? 2u : 1u),
                "row %d: %zu hops", _i, corsim_result_hop_count(res));
  ck_assert_int_eq(corsim_result_status(res),
                   empty_location_rows[_i].follows ? 200 : 302);
  ck_assert_int_eq(corsim_result_redirect_pending(res), 0);
  snprintf(want, sizeof want, "%s%s", API_O, empty_location_rows[_i].final_url);
  ck_assert_bytes(u.ptr, u.len, want, strlen(want));
  corsim_result_free(res);
  corsim_request_free(req);
  chain_free(&c);
}
END_TEST

/* #http-redirect-fetch: "if request's redirect count is 20, return a
 * network error": 20 redirects are followed, the 21st is not (whether or
 * not a response for it was given). */
static const struct {
  size_t redirects;
  int with_final;
  corsim_response_type type;
  corsim_block_reason reason;
  size_t hop_count;
  int pending;
} limit_rows[] = {
    {19, 1, CORSIM_TYPE_BASIC, CORSIM_BLOCK_NONE, 20, 0},
    {20, 1, CORSIM_TYPE_BASIC, CORSIM_BLOCK_NONE, 21, 0},
    {21, 1, CORSIM_TYPE_ERROR, CORSIM_BLOCK_REDIRECT_LIMIT, 21, 0},
    {20, 0, CORSIM_TYPE_BASIC, CORSIM_BLOCK_NONE, 20, 1},
    {21, 0, CORSIM_TYPE_ERROR, CORSIM_BLOCK_REDIRECT_LIMIT, 21, 0},
    {23, 0, CORSIM_TYPE_ERROR, CORSIM_BLOCK_REDIRECT_LIMIT, 21, 0},
};

START_TEST(test_fetch_redirect_limit) {
  chain c;
  char head[128];
  size_t i;
  corsim_result *res = NULL;
  corsim_request *req = tu_request(APP, APP "/r0", CORSIM_MODE_CORS,
                                   CORSIM_CREDENTIALS_OMIT);

  c.n = 0;
  for (i = 0; i < limit_rows[_i].redirects; i++) {
    snprintf(head, sizeof head, "HTTP/1.1 302 Found\nLocation: /r%zu\n",
             i + 1);
    chain_add(&c, head);
  }
  if (limit_rows[_i].with_final)
    chain_add(&c, "HTTP/1.1 200 OK\n");
  ck_assert_ok(corsim_result_new(&res, NULL));
  ck_assert_ok(corsim_fetch(res, corsim_profile_spec(), req, NULL, c.hops,
                            c.n, NULL, 0));
  ck_assert_msg(corsim_result_type(res) == limit_rows[_i].type,
                "row %d: %s %s", _i,
                corsim_response_type_name(corsim_result_type(res)),
                corsim_block_reason_name(corsim_result_reason(res)));
  ck_assert_int_eq(corsim_result_reason(res), limit_rows[_i].reason);
  ck_assert_uint_eq(corsim_result_hop_count(res), limit_rows[_i].hop_count);
  ck_assert_int_eq(corsim_result_redirect_pending(res),
                   limit_rows[_i].pending);
  if (limit_rows[_i].type == CORSIM_TYPE_ERROR) {
    ck_assert_int_eq(corsim_result_redirected(res), 0);
    ck_assert_uint_eq(corsim_result_url(res).len, 0);
  } else {
    char want[32];
    corsim_str u = corsim_result_url(res);
    snprintf(want, sizeof want, APP "/r%zu", limit_rows[_i].hop_count - 1);
    ck_assert_int_eq(corsim_result_redirected(res), 1);
    ck_assert_bytes(u.ptr, u.len, want, strlen(want));
  }
  corsim_result_free(res);
  corsim_request_free(req);
  chain_free(&c);
}
END_TEST

/* A preflight cache hit: no preflight is sent (state "cached"). */
START_TEST(test_fetch_preflight_cache) {
  chain c;
  tu_response pre, bad;
  char err[256];
  corsim_cache *cache = NULL;
  corsim_result *res = NULL;
  corsim_request *req = tu_request(APP, API_O "/a", CORSIM_MODE_CORS,
                                   CORSIM_CREDENTIALS_OMIT);
  const char *ph = "HTTP/1.1 204 No Content\n" ACAO_APP
                   "Access-Control-Allow-Methods: PUT\n"
                   "Access-Control-Max-Age: 600\n";
  const char *bh = "HTTP/1.1 204 No Content\n";

  ck_assert_ok(corsim_request_set_method(req, L("PUT")));
  c.n = 0;
  chain_add(&c, "HTTP/1.1 302 Found\nLocation: /b\n" ACAO_APP);
  chain_add(&c, "HTTP/1.1 200 OK\n" ACAO_APP);
  ck_assert_int_eq(tu_response_parse(&pre, ph, strlen(ph), err, sizeof err),
                   0);
  ck_assert_int_eq(tu_response_parse(&bad, bh, strlen(bh), err, sizeof err),
                   0);
  ck_assert_ok(corsim_cache_new(&cache, NULL, 0));
  ck_assert_ok(corsim_result_new(&res, NULL));

  ck_assert_ok(corsim_fetch(res, corsim_profile_spec(), req, &pre.resp,
                            c.hops, c.n, cache, 1000));
  ck_assert_int_eq(corsim_result_preflight_state(res),
                   CORSIM_PREFLIGHT_PASSED);
  ck_assert_int_eq(corsim_result_type(res), CORSIM_TYPE_CORS);
  ck_assert_uint_gt(corsim_cache_count(cache, 1000), 0);

  /* within max-age: cached, and the chain runs */
  ck_assert_ok(corsim_fetch(res, corsim_profile_spec(), req, NULL, c.hops,
                            c.n, cache, 1300));
  ck_assert_int_eq(corsim_result_preflight_state(res),
                   CORSIM_PREFLIGHT_CACHED);
  ck_assert_int_eq(corsim_result_type(res), CORSIM_TYPE_CORS);
  ck_assert_uint_eq(corsim_result_hop_count(res), 2);
  ck_assert_int_eq(corsim_result_redirected(res), 1);
  /* a cached preflight is not sent: the bad response given is not read */
  ck_assert_ok(corsim_fetch(res, corsim_profile_spec(), req, &bad.resp,
                            c.hops, c.n, cache, 1300));
  ck_assert_int_eq(corsim_result_preflight_state(res),
                   CORSIM_PREFLIGHT_CACHED);
  ck_assert_int_eq(corsim_result_type(res), CORSIM_TYPE_CORS);

  /* expired: needed again */
  ck_assert_ok(corsim_fetch(res, corsim_profile_spec(), req, NULL, c.hops,
                            c.n, cache, 1601));
  ck_assert_int_eq(corsim_result_preflight_state(res),
                   CORSIM_PREFLIGHT_NO_RESPONSE);
  ck_assert_int_eq(corsim_result_type(res), CORSIM_TYPE_CORS);

  corsim_cache_free(cache);
  corsim_result_free(res);
  corsim_request_free(req);
  tu_response_free(&pre);
  tu_response_free(&bad);
  chain_free(&c);
}
END_TEST

/* Later hops that would need a preflight of their own are counted, after
 * the method rewrite and the removal of Authorization on cross-origin
 * redirects (#http-redirect-fetch). */
static const struct {
  const char *method, *header, *status;
  int drop_authorization; /* the profile's redirect.drop_authorization */
  size_t want;
} later_rows[] = {
    {"PUT", NULL, "307", 1, 1},                    /* PUT stays PUT */
    {"PUT", NULL, "303", 1, 0},                    /* 303: GET */
    {"POST", "Content-Type: application/json", "302", 1, 0}, /* GET, no body */
    {"POST", "Content-Type: application/json", "307", 1, 1},
    {"DELETE", NULL, "301", 1, 1},                 /* only POST is rewritten */
    {"GET", "Authorization: Bearer x", "307", 1, 0}, /* dropped cross-origin */
    {"GET", "Authorization: Bearer x", "307", 0, 1}, /* kept: preflight */
    {"GET", "X-Custom: 1", "302", 1, 1},
    {"GET", NULL, "302", 1, 0},
};

START_TEST(test_fetch_later_preflights) {
  chain c;
  char first[256];
  corsim_result *res = NULL;
  corsim_request *req = tu_request(APP, API, CORSIM_MODE_CORS,
                                   CORSIM_CREDENTIALS_OMIT);
  corsim_profile prof = *corsim_profile_spec();
  const char *h = later_rows[_i].header;

  prof.v[CORSIM__B_REDIRECT_DROP_AUTHORIZATION] =
      later_rows[_i].drop_authorization;
  ck_assert_ok(corsim_request_set_method(req, later_rows[_i].method,
                                         strlen(later_rows[_i].method)));
  if (h) {
    const char *colon = strchr(h, ':');
    ck_assert_ok(corsim_headers_append(corsim_request_headers(req), h,
                                       (size_t)(colon - h), colon + 2,
                                       strlen(colon + 2), 0));
  }
  c.n = 0;
  snprintf(first, sizeof first,
           "HTTP/1.1 %s R\nLocation: https://other.example/next\n"
           "Access-Control-Allow-Origin: *\n",
           later_rows[_i].status);
  chain_add(&c, first);
  chain_add(&c, "HTTP/1.1 200 OK\nAccess-Control-Allow-Origin: *\n");
  ck_assert_ok(corsim_result_new(&res, NULL));
  ck_assert_ok(corsim_fetch(res, &prof, req, NULL, c.hops, c.n, NULL, 0));
  ck_assert_int_eq(corsim_result_type(res), CORSIM_TYPE_CORS);
  ck_assert_uint_eq(corsim_result_hop_count(res), 2);
  ck_assert_msg(corsim_result_later_preflights(res) == later_rows[_i].want,
                "row %d: %zu later preflights", _i,
                corsim_result_later_preflights(res));
  corsim_result_free(res);
  corsim_request_free(req);
  chain_free(&c);
}
END_TEST

START_TEST(test_fetch_bad_input) {
  chain c;
  corsim_result *res = NULL;
  corsim_request *req = tu_request(APP, APP "/a", CORSIM_MODE_CORS,
                                   CORSIM_CREDENTIALS_OMIT);
  corsim_request *bare = NULL;
  const corsim_profile *p = corsim_profile_spec();
  corsim_response hops[2];
  corsim_header bad_name = {"", 0, "v", 1};

  c.n = 0;
  chain_add(&c, "HTTP/1.1 302 Found\nLocation: /b\nX-A: 1\n");
  chain_add(&c, "HTTP/1.1 200 OK\nX-B: 2\n");
  ck_assert_ok(corsim_result_new(&res, NULL));
  ck_assert_ok(corsim_request_new(&bare, NULL));

  ck_assert_int_eq(corsim_fetch(NULL, p, req, NULL, c.hops, 2, NULL, 0),
                   CORSIM_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(corsim_fetch(res, NULL, req, NULL, c.hops, 2, NULL, 0),
                   CORSIM_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(corsim_fetch(res, p, NULL, NULL, c.hops, 2, NULL, 0),
                   CORSIM_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(corsim_fetch(res, p, req, NULL, NULL, 2, NULL, 0),
                   CORSIM_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(corsim_fetch(res, p, req, NULL, NULL, 0, NULL, 0),
                   CORSIM_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(corsim_fetch(res, p, req, NULL, c.hops, 0, NULL, 0),
                   CORSIM_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(corsim_fetch(res, p, bare, NULL, c.hops, 2, NULL, 0),
                   CORSIM_ERR_INCOMPLETE_REQUEST);
  ck_assert_ok(corsim_request_set_url(bare, L(APP "/a")));
  ck_assert_int_eq(corsim_fetch(res, p, bare, NULL, c.hops, 2, NULL, 0),
                   CORSIM_ERR_INCOMPLETE_REQUEST);

  /* a bad status in the first or a later hop; the result is reset */
  ck_assert_ok(corsim_fetch(res, p, req, NULL, c.hops, 2, NULL, 0));
  ck_assert_int_eq(corsim_result_type(res), CORSIM_TYPE_BASIC);
  hops[0] = c.hops[0];
  hops[1] = c.hops[1];
  hops[0].status = 99;
  ck_assert_int_eq(corsim_fetch(res, p, req, NULL, hops, 2, NULL, 0),
                   CORSIM_ERR_BAD_STATUS);
  hops[0].status = 302;
  hops[1].status = 1000;
  ck_assert_int_eq(corsim_fetch(res, p, req, NULL, hops, 2, NULL, 0),
                   CORSIM_ERR_BAD_STATUS);
  ck_assert_int_eq(corsim_result_type(res), CORSIM_TYPE_ERROR);
  ck_assert_int_eq(corsim_result_reason(res), CORSIM_BLOCK_NONE);
  ck_assert_str_eq(corsim_result_message(res), "");
  ck_assert_uint_eq(corsim_result_hop_count(res), 0);
  ck_assert_int_eq(corsim_result_redirected(res), 0);
  ck_assert_uint_eq(corsim_result_url(res).len, 0);
  ck_assert_ptr_null(corsim_result_profile(res));
  /* ...but a bad response after the final one is never read */
  hops[1].status = 200;
  hops[0].status = 200;
  hops[1].status = 1000;
  ck_assert_ok(corsim_fetch(res, p, req, NULL, hops, 2, NULL, 0));
  ck_assert_uint_eq(corsim_result_hop_count(res), 1);
  /* a bad header name in the second hop */
  hops[0].status = 302;
  hops[1] = c.hops[1];
  hops[1].headers = &bad_name;
  hops[1].header_count = 1;
  ck_assert_int_eq(corsim_fetch(res, p, req, NULL, hops, 2, NULL, 0),
                   CORSIM_ERR_BAD_HEADER_NAME);
  ck_assert_uint_eq(corsim_result_hop_count(res), 0);
  /* a preflight response with a bad status */
  {
    corsim_response pre = c.hops[1];
    pre.status = 42;
    ck_assert_ok(corsim_request_set_method(req, L("PUT")));
    ck_assert_ok(corsim_request_set_url(req, L(API_O "/a")));
    ck_assert_int_eq(corsim_fetch(res, p, req, &pre, c.hops, 2, NULL, 0),
                     CORSIM_ERR_BAD_STATUS);
    ck_assert_ptr_null(corsim_result_profile(res));
  }
  /* accessors accept NULL */
  ck_assert_int_eq(corsim_result_redirected(NULL), 0);
  ck_assert_uint_eq(corsim_result_hop_count(NULL), 0);
  ck_assert_int_eq(corsim_result_preflight_state(NULL),
                   CORSIM_PREFLIGHT_NOT_NEEDED);
  ck_assert_int_eq(corsim_result_in_preflight(NULL), 0);

  corsim_request_free(bare);
  corsim_request_free(req);
  corsim_result_free(res);
  chain_free(&c);
}
END_TEST

/* Every allocation of a 3-hop fetch may fail: each failure returns
 * CORSIM_ERR_NOMEM and leaves a reset result; nothing leaks.  Loop row 0:
 * a fresh result each time; row 1: one result, reused after failures. */
START_TEST(test_fetch_nomem) {
  chain c;
  corsim_request *req = tu_request(APP, APP "/a?x", CORSIM_MODE_CORS,
                                   CORSIM_CREDENTIALS_OMIT);
  tu_counter cnt = {0, 0, 0, 0};
  corsim_allocator a = tu_counting_allocator(&cnt);
  corsim_result *res = NULL;
  size_t n, failures = 0;
  int done = 0, reuse = _i == 1;

  c.n = 0;
  chain_add(&c, "HTTP/1.1 302 Found\nLocation: /b/./c?y=1\nX-A: 1\n");
  chain_add(&c, "HTTP/1.1 307 T\nLocation: https://API.example:443/d\n"
                ACAO_APP "X-B: 2\n");
  chain_add(&c, "HTTP/1.1 200 OK\n" ACAO_APP
                "Access-Control-Expose-Headers: X-C, X-D\n"
                "X-C: 3\nX-D: 4\nX-E: 5\nContent-Type: text/plain\n");
  if (reuse)
    ck_assert_ok(corsim_result_new(&res, &a));
  for (n = 1; !done; n++) {
    int rc;
    ck_assert_uint_lt(n, 200);
    if (!reuse) {
      cnt.fail_at = 0;
      ck_assert_ok(corsim_result_new(&res, &a));
    }
    cnt.fail_at = cnt.allocs + n;
    rc = corsim_fetch(res, corsim_profile_spec(), req, NULL, c.hops, c.n,
                      NULL, 0);
    if (cnt.allocs < cnt.fail_at) {
      corsim_str u = corsim_result_url(res);
      ck_assert_ok(rc);
      ck_assert_int_eq(corsim_result_type(res), CORSIM_TYPE_CORS);
      ck_assert_uint_eq(corsim_result_hop_count(res), 3);
      ck_assert_int_eq(corsim_result_redirected(res), 1);
      ck_assert_bytes(u.ptr, u.len, L(API_O "/d"));
      expect_js(res, "content-type: text/plain\nx-c: 3\nx-d: 4\n");
      done = 1;
    } else {
      ck_assert_msg(rc == CORSIM_ERR_NOMEM,
                    "allocation %zu failed but corsim_fetch returned %d", n,
                    rc);
      ck_assert_int_eq(corsim_result_type(res), CORSIM_TYPE_ERROR);
      ck_assert_int_eq(corsim_result_reason(res), CORSIM_BLOCK_NONE);
      ck_assert_uint_eq(corsim_result_hop_count(res), 0);
      ck_assert_uint_eq(corsim_result_url(res).len, 0);
      ck_assert_ptr_null(corsim_result_profile(res));
      failures++;
    }
    cnt.fail_at = 0;
    if (!reuse) {
      corsim_result_free(res);
      res = NULL;
      ck_assert_uint_eq(cnt.live, 0);
    }
  }
  if (!reuse)
    ck_assert_uint_gt(failures, 5); /* the chain allocates along the way */
  corsim_result_free(res);
  ck_assert_uint_eq(cnt.live, 0);
  corsim_request_free(req);
  chain_free(&c);
}
END_TEST

/* corsim_filter() after corsim_fetch() leaves no trace of the chain. */
START_TEST(test_fetch_then_filter) {
  chain c;
  corsim_result *res = NULL;
  corsim_request *req = tu_request(APP, APP "/a", CORSIM_MODE_CORS,
                                   CORSIM_CREDENTIALS_OMIT);
  corsim_str u;

  c.n = 0;
  chain_add(&c, "HTTP/1.1 302 Found\nLocation: /b\n");
  chain_add(&c, "HTTP/1.1 200 OK\nX-A: 1\n");
  ck_assert_ok(corsim_result_new(&res, NULL));
  ck_assert_ok(corsim_fetch(res, corsim_profile_spec(), req, NULL, c.hops,
                            c.n, NULL, 0));
  ck_assert_int_eq(corsim_result_redirected(res), 1);
  ck_assert_ok(corsim_filter(res, corsim_profile_spec(), req, &c.hops[1]));
  ck_assert_int_eq(corsim_result_redirected(res), 0);
  ck_assert_uint_eq(corsim_result_hop_count(res), 1);
  ck_assert_int_eq(corsim_result_preflight_state(res),
                   CORSIM_PREFLIGHT_NOT_NEEDED);
  u = corsim_result_url(res);
  ck_assert_bytes(u.ptr, u.len, L(APP "/a"));
  corsim_result_free(res);
  corsim_request_free(req);
  chain_free(&c);
}
END_TEST

static Suite *suite(void) {
  Suite *s = suite_create("cors");
  TCase *tc = tcase_create("tainting");
  tcase_add_loop_test(tc, test_tainting, 0,
                      sizeof tainting / sizeof tainting[0]);
  suite_add_tcase(s, tc);

  tc = tcase_create("cors-check");
  tcase_add_loop_test(tc, test_cors_check, 0,
                      sizeof check_rows / sizeof check_rows[0]);
  tcase_add_loop_test(tc, test_messages, 0,
                      sizeof message_rows / sizeof message_rows[0]);
  tcase_add_test(tc, test_message_truncates_long_values);
  suite_add_tcase(s, tc);

  tc = tcase_create("exposed");
  tcase_add_loop_test(tc, test_safelist_one_name, 0,
                      sizeof safelist_rows / sizeof safelist_rows[0]);
  tcase_add_loop_test(tc, test_aceh, 0, sizeof aceh_rows / sizeof aceh_rows[0]);
  tcase_add_test(tc, test_literal_star_header);
  tcase_add_test(tc, test_long_expose_list);
  tcase_add_loop_test(tc, test_set_cookie_never_exposed, 0,
                      sizeof cookie_rows / sizeof cookie_rows[0]);
  suite_add_tcase(s, tc);

  tc = tcase_create("filtered");
  tcase_add_test(tc, test_basic_and_sort_and_combine);
  tcase_add_test(tc, test_ok_and_status);
  tcase_add_loop_test(tc, test_final_status_errors, 0,
                      sizeof final_error_rows / sizeof final_error_rows[0]);
  tcase_add_loop_test(tc, test_status_rules, 0,
                      (int)N_ELEMS(status_rule_rows));
  tcase_add_loop_test(tc, test_fetch_empty_location, 0,
                      N_ELEMS(empty_location_rows));
  tcase_add_loop_test(tc, test_corp_same_site_ip_hosts, 0,
                      (int)N_ELEMS(corp_ip_rows));
  tcase_add_loop_test(tc, test_no_cors_rules, 0,
                      sizeof nocors_rows / sizeof nocors_rows[0]);
  tcase_add_test(tc, test_opaque);
  tcase_add_loop_test(tc, test_redirect_modes, 0,
                      sizeof redirect_rows / sizeof redirect_rows[0]);
  tcase_add_test(tc, test_cors_check_before_redirect);
  suite_add_tcase(s, tc);

  tc = tcase_create("api");
  tcase_add_test(tc, test_bad_input);
  tcase_add_test(tc, test_block_reason_table);
  tcase_add_test(tc, test_result_reuse);
  tcase_add_test(tc, test_reserve_and_failure_reset);
  tcase_add_test(tc, test_expose_state_names);
  suite_add_tcase(s, tc);

  tc = tcase_create("fetch");
  tcase_add_loop_test(tc, test_fetch_chain, 0, (int)N_ELEMS(fetch_rows));
  tcase_add_loop_test(tc, test_fetch_single_hop_is_filter, 0,
                      (int)N_ELEMS(single_rows));
  tcase_add_loop_test(tc, test_fetch_redirect_statuses, 0,
                      (int)N_ELEMS(status_rows));
  tcase_add_loop_test(tc, test_fetch_redirect_limit, 0,
                      (int)N_ELEMS(limit_rows));
  tcase_add_test(tc, test_fetch_preflight_cache);
  tcase_add_loop_test(tc, test_fetch_later_preflights, 0,
                      sizeof later_rows / sizeof later_rows[0]);
  tcase_add_test(tc, test_fetch_bad_input);
  tcase_add_loop_test(tc, test_fetch_nomem, 0, 2);
  tcase_add_test(tc, test_fetch_then_filter);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) { return tu_run(suite()); }
