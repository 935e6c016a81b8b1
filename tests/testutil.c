/* testutil.c -- helpers shared by the check suites. */
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

static void *tu_malloc(size_t n, void *ud) {
  tu_counter *c = ud;
  void *p;
  c->allocs++;
  if (c->fail_at && c->allocs == c->fail_at)
    return NULL;
  p = malloc(n);
  if (p)
    c->live++;
  return p;
}

static void *tu_realloc(void *p, size_t n, void *ud) {
  tu_counter *c = ud;
  void *q;
  c->allocs++;
  if (c->fail_at && c->allocs == c->fail_at)
    return NULL;
  q = realloc(p, n);
  if (q && !p)
    c->live++;
  return q;
}

static void tu_free(void *p, void *ud) {
  tu_counter *c = ud;
  if (!p)
    return;
  c->frees++;
  c->live--;
  free(p);
}

corsim_allocator tu_counting_allocator(tu_counter *c) {
  corsim_allocator a;
  a.malloc = tu_malloc;
  a.realloc = tu_realloc;
  a.free = tu_free;
  a.user_data = c;
  return a;
}

int tu_response_parse(tu_response *r, const char *text, size_t len, char *err,
                      size_t errlen) {
  size_t pos = 0;
  int first = 1;

  memset(r, 0, sizeof *r);
  if (corsim_headers_new(&r->headers, NULL) != 0) {
    snprintf(err, errlen, "out of memory");
    return -1;
  }
  r->resp.status = 200;
  strcpy(r->status_text, "OK");
  while (pos < len) {
    size_t end = pos, llen;
    const char *line = text + pos, *colon;
    while (end < len && text[end] != '\n')
      end++;
    llen = end - pos;
    if (llen && line[llen - 1] == '\r')
      llen--;
    pos = end + 1;
    if (llen == 0) {
      if (first)
        continue;
      break; /* end of head */
    }
    if (first && llen > 5 && memcmp(line, "HTTP/", 5) == 0) {
      const char *sp = memchr(line, ' ', llen);
      size_t rest;
      if (!sp) {
        snprintf(err, errlen, "bad status line");
        return -1;
      }
      r->resp.status = atoi(sp + 1);
      rest = llen - (size_t)(sp + 1 - line);
      if (rest > 4) {
        size_t tl = rest - 4;
        if (tl >= sizeof r->status_text)
          tl = sizeof r->status_text - 1;
        memcpy(r->status_text, sp + 5, tl);
        r->status_text[tl] = '\0';
      } else {
        r->status_text[0] = '\0';
      }
      first = 0;
      continue;
    }
    first = 0;
    colon = memchr(line, ':', llen);
    if (!colon) {
      snprintf(err, errlen, "header line without a colon: %.*s", (int)llen,
               line);
      return -1;
    }
    {
      int rc = corsim_headers_append(
          r->headers, line, (size_t)(colon - line), colon + 1,
          llen - (size_t)(colon + 1 - line),
          CORSIM_HEADER_NORMALIZE | CORSIM_HEADER_LENIENT_VALUE);
      if (rc) {
        snprintf(err, errlen, "%s: %.*s", corsim_strerror(rc), (int)llen,
                 line);
        return -1;
      }
    }
  }
  r->resp.status_text = r->status_text;
  r->resp.status_text_len = strlen(r->status_text);
  r->resp.headers = corsim_headers_data(r->headers, &r->resp.header_count);
  return 0;
}

void tu_response_free(tu_response *r) {
  corsim_headers_free(r->headers);
  r->headers = NULL;
}

corsim_request *tu_request(const char *origin, const char *url,
                           corsim_mode mode, corsim_credentials cred) {
  corsim_request *req = NULL;
  ck_assert_int_eq(corsim_request_new(&req, NULL), 0);
  ck_assert_int_eq(corsim_request_set_origin(req, origin, strlen(origin)), 0);
  ck_assert_int_eq(corsim_request_set_url(req, url, strlen(url)), 0);
  ck_assert_int_eq(corsim_request_set_mode(req, mode), 0);
  ck_assert_int_eq(corsim_request_set_credentials(req, cred), 0);
  return req;
}

static void put_bytes(FILE *out, const char *p, size_t n) {
  size_t i;
  for (i = 0; i < n; i++) {
    unsigned char c = (unsigned char)p[i];
    if (c >= 0x20 && c < 0x7f && c != '\\')
      fputc(c, out);
    else
      fprintf(out, "\\x%02x", c);
  }
}

void tu_dump_result(FILE *out, const corsim_result *res) {
  size_t i, n;
  const corsim_header *h;
  const corsim_str *s;
  corsim_str v;
  corsim_expose_state es;

  fprintf(out, "type: %s\n", corsim_response_type_name(corsim_result_type(res)));
  fprintf(out, "reason: %s\n",
          corsim_block_reason_name(corsim_result_reason(res)));
  fprintf(out, "message: %s\n", corsim_result_message(res));
  fprintf(out, "status: %d\n", corsim_result_status(res));
  v = corsim_result_status_text(res);
  fputs("status_text: ", out);
  put_bytes(out, v.ptr, v.len);
  fprintf(out, "\nok: %s\n", corsim_result_ok(res) ? "true" : "false");
  v = corsim_result_url(res);
  fputs("url: ", out);
  put_bytes(out, v.ptr, v.len);
  fprintf(out, "\nredirect_pending: %s\n",
          corsim_result_redirect_pending(res) ? "true" : "false");
  es = corsim_result_expose_state(res, &s, &n);
  fprintf(out, "expose: %s", corsim_expose_state_name(es));
  for (i = 0; i < n; i++) {
    fputs(i ? ", " : " [", out);
    put_bytes(out, s[i].ptr, s[i].len);
  }
  fputs(n ? "]\n" : "\n", out);
  fputs("headers:\n", out);
  h = corsim_result_js_headers(res, &n);
  for (i = 0; i < n; i++) {
    fputs("  ", out);
    put_bytes(out, h[i].name, h[i].name_len);
    fputs(": ", out);
    put_bytes(out, h[i].value, h[i].value_len);
    fputc('\n', out);
  }
  fputs("set_cookie:\n", out);
  s = corsim_result_set_cookies(res, &n);
  for (i = 0; i < n; i++) {
    fputs("  ", out);
    put_bytes(out, s[i].ptr, s[i].len);
    fputc('\n', out);
  }
  fputs("decisions:\n", out);
  h = corsim_result_internal_headers(res, &n);
  for (i = 0; i < n; i++) {
    fputs("  ", out);
    put_bytes(out, h[i].name, h[i].name_len);
    fprintf(out, ": %s\n", corsim_decision_name(corsim_result_decision(res, i)));
  }
}

int tu_bytes_eq(const char *p, size_t n, const char *q, size_t m) {
  return n == m && (n == 0 || memcmp(p, q, n) == 0);
}

const char *tu_esc(const char *p, size_t n) {
  static char bufs[4][400];
  static unsigned k;
  char *o = bufs[k++ & 3];
  size_t i, j = 0;
  if (!p)
    return "(null)";
  for (i = 0; i < n && j < sizeof bufs[0] - 8; i++) {
    unsigned char c = (unsigned char)p[i];
    if (c >= 0x20 && c < 0x7f && c != '\\')
      o[j++] = (char)c;
    else
      j += (size_t)snprintf(o + j, 5, "\\x%02x", c);
  }
  if (i < n)
    j += (size_t)snprintf(o + j, 4, "...");
  o[j] = '\0';
  return o;
}

int tu_run(Suite *s) {
  SRunner *sr = srunner_create(s);
  int failed;
  srunner_run_all(sr, CK_ENV);
  failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed == 0 ? 0 : 1;
}
