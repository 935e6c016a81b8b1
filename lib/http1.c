/*
 * http1.c -- raw HTTP/1.x response heads, parsed as a browser's network
 * stack would (RFC 9112 sections 2-5; Fetch leaves wire parsing to HTTP,
 * #concept-http-network-fetch).  Where engines differ, the profile's wire.*
 * behaviours decide: whitespace between a field name and its colon, bare
 * CR, obs-fold, NUL and bytes above 0x7F, and the largest head accepted.
 * A head the stack would refuse is parsed anyway, for explanations, and
 * marked rejected.
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "internal.h"

struct corsim_head {
  corsim_allocator alloc;
  corsim_headers *headers;
  char *status_text;
  size_t status_text_len, status_text_cap;
  char *scratch; /* the logical header line being built */
  size_t scratch_len, scratch_cap;
  corsim_response resp;
  int parsed;
  int rejected;
  unsigned long reject_line;
  const char *reject_why;
};

CORSIM__API int corsim_head_new(corsim_head **out,
                                const corsim_allocator *alloc) {
  corsim_allocator a;
  corsim_head *h;
  int rc;
  if (!out)
    return CORSIM_ERR_INVALID_ARGUMENT;
  *out = NULL;
  h = corsim__object_new(alloc, sizeof *h, &a);
  if (!h)
    return CORSIM_ERR_NOMEM;
  h->alloc = a;
  rc = corsim_headers_new(&h->headers, &a);
  if (rc) {
    corsim__free(&a, h);
    return rc;
  }
  *out = h;
  return 0;
}

CORSIM__API void corsim_head_free(corsim_head *h) {
  if (!h)
    return;
  corsim_headers_free(h->headers);
  corsim__free(&h->alloc, h->status_text);
  corsim__free(&h->alloc, h->scratch);
  corsim__free(&h->alloc, h);
}

static void reject(corsim_head *h, unsigned long line, const char *why) {
  if (h->rejected)
    return; /* keep the first problem */
  h->rejected = 1;
  h->reject_line = line;
  h->reject_why = why;
}

/* The next line of data from *pos: [*start, *start + *n), without its
 * terminator (LF, CRLF, or -- when bare CR ends lines -- a lone CR). */
static int next_line(const char *d, size_t len, size_t *pos, int cr_ends,
                     const char **start, size_t *n) {
  size_t i = *pos;
  if (i >= len)
    return 0;
  *start = d + i;
  while (i < len && d[i] != '\n' &&
         !(cr_ends && d[i] == '\r' && (i + 1 >= len || d[i + 1] != '\n')))
    i++;
  *n = i - *pos;
  if (*n && (*start)[*n - 1] == '\r' && i < len && d[i] == '\n')
    (*n)--; /* CRLF */
  if (cr_ends && i + 2 < len && d[i] == '\r' && d[i + 1] == '\r' &&
      d[i + 2] == '\n')
    i += 2; /* CR CR LF: one line end (as Chromium reads it) */
  *pos = i < len ? i + 1 : i;
  return 1;
}

/* Parses "HTTP/x[.y] NNN[ reason]"; 0 or -1. */
static int status_line(const char *s, size_t n, int *status,
                       const char **reason, size_t *reason_len) {
  size_t i = 5;
  if (n < 10 || memcmp(s, "HTTP/", 5) != 0) /* "HTTP/2 200" is shortest */
    return -1;
  if (s[i] < '0' || s[i] > '9')
    return -1;
  while (i < n && ((s[i] >= '0' && s[i] <= '9') || s[i] == '.'))
    i++;
  if (i >= n || s[i] != ' ')
    return -1;
  i++;
  if (i + 3 > n || s[i] < '1' || s[i] > '9' || s[i + 1] < '0' ||
      s[i + 1] > '9' || s[i + 2] < '0' || s[i + 2] > '9')
    return -1;
  *status = (s[i] - '0') * 100 + (s[i + 1] - '0') * 10 + (s[i + 2] - '0');
  i += 3;
  if (i < n && s[i] != ' ')
    return -1;
  if (i < n)
    i++;
  *reason = s + i;
  *reason_len = n - i;
  return 0;
}

/* Commits the logical header in scratch ("name\0value" as name_len). */
static int commit(corsim_head *h, size_t name_len) {
  int rc;
  if (!h->scratch_len)
    return 0;
  rc = corsim_headers_append(h->headers, h->scratch, name_len,
                             h->scratch + name_len,
                             h->scratch_len - name_len,
                             CORSIM_HEADER_NORMALIZE |
                                 CORSIM_HEADER_LENIENT_VALUE);
  h->scratch_len = 0;
  return rc == CORSIM_ERR_BAD_HEADER_NAME ? 0 : rc;
}

static int scratch_add(corsim_head *h, const char *p, size_t n) {
  int rc;
  if (n > SIZE_MAX - h->scratch_len)
    return CORSIM_ERR_TOO_LARGE;
  rc = corsim__grow(&h->alloc, (void **)&h->scratch, &h->scratch_cap,
                    h->scratch_len + n, 1);
  if (rc)
    return rc;
  if (n)
    memcpy(h->scratch + h->scratch_len, p, n);
  h->scratch_len += n;
  return 0;
}

/* Appends value bytes applying the byte rules (NUL, bare CR, non-ASCII). */
static int add_value(corsim_head *h, const corsim_profile *p, const char *v,
                     size_t n, unsigned long line) {
  size_t i, start = 0;
  int rc;
  for (i = 0; i < n; i++) {
    unsigned char c = (unsigned char)v[i];
    int replace = 0;
    if (c == 0) {
      if (p->v[CORSIM__B_WIRE_NUL] == 0)
        reject(h, line, "a NUL byte in a header value");
      else if (p->v[CORSIM__B_WIRE_NUL] == 1)
        replace = 1;
    } else if (c == '\r') {
      if (p->v[CORSIM__B_WIRE_BARE_CR] == 0)
        reject(h, line, "a bare CR (not followed by LF)");
      replace = 1;
    } else if (c >= 0x80 && p->v[CORSIM__B_WIRE_NON_ASCII] == 1) {
      reject(h, line, "a byte above 0x7F in a header value");
    }
    if (replace) {
      if ((rc = scratch_add(h, v + start, i - start)) != 0 ||
          (rc = scratch_add(h, " ", 1)) != 0)
        return rc;
      start = i + 1;
    }
  }
  return scratch_add(h, v + start, n - start);
}

CORSIM__API int corsim_head_parse(corsim_head *h, const corsim_profile *p,
                                  const char *data, size_t len,
                                  size_t *consumed) {
  size_t pos = 0, n, name_len = 0, head_start;
  const char *line;
  unsigned long lineno = 0;
  int status = 0, rc, cr_ends;
  const char *reason = NULL;
  size_t reason_len = 0;

  if (!h || (!data && len))
    return CORSIM_ERR_INVALID_ARGUMENT;
  if (!p)
    p = corsim_profile_spec();
  if (!data)
    data = "";
  cr_ends = p->v[CORSIM__B_WIRE_BARE_CR] == 2;
  h->parsed = 0;
  h->rejected = 0;
  h->reject_line = 0;
  h->reject_why = NULL;
  h->scratch_len = 0;
  corsim_headers_clear(h->headers);
  if (consumed)
    *consumed = 0;

next_head:
  /* the status line, after any empty lines */
  for (;;) {
    head_start = pos;
    if (!next_line(data, len, &pos, cr_ends, &line, &n))
      return CORSIM_ERR_BAD_RESPONSE;
    lineno++;
    if (n)
      break;
  }
  if (status_line(line, n, &status, &reason, &reason_len) != 0)
    return CORSIM_ERR_BAD_RESPONSE;
  if (reason_len && memchr(reason, '\0', reason_len) &&
      p->v[CORSIM__B_WIRE_NUL] == 0)
    reject(h, lineno, "a NUL byte in the status line");
  /* a bare CR can only be left in the reason (line-end split it off) */
  if (reason_len && memchr(reason, '\r', reason_len) &&
      p->v[CORSIM__B_WIRE_BARE_CR] == 0)
    reject(h, lineno, "a bare CR (not followed by LF)");

  /* the header lines, up to an empty line */
  while (next_line(data, len, &pos, cr_ends, &line, &n)) {
    const char *colon, *name_end;
    lineno++;
    if (n == 0)
      break;
    if (line[0] == ' ' || line[0] == '\t') { /* obs-fold */
      if (h->scratch_len == 0) {
        if (p->v[CORSIM__B_WIRE_INVALID_LINE] == 0)
          reject(h, lineno, "a header block that starts with whitespace");
        continue;
      }
      if (p->v[CORSIM__B_WIRE_OBS_FOLD] == 0) {
        reject(h, lineno, "a folded header line (obs-fold)");
        continue;
      }
      corsim__trim_ows(&line, &n);
      if ((rc = scratch_add(h, " ", 1)) != 0 ||
          (rc = add_value(h, p, line, n, lineno)) != 0)
        return rc;
      continue;
    }
    if ((rc = commit(h, name_len)) != 0)
      return rc;
    if (p->v[CORSIM__B_WIRE_NUL] == 0 && memchr(line, '\0', n)) {
      /* a NUL anywhere in the line, its name included */
      reject(h, lineno, "a NUL byte in a header line");
      name_len = 0;
      continue;
    }
    colon = memchr(line, ':', n);
    if (!colon) {
      if (p->v[CORSIM__B_WIRE_INVALID_LINE] == 0)
        reject(h, lineno, "a header line without a colon");
      continue;
    }
    name_end = colon;
    while (name_end > line &&
           corsim__is_tab_or_space((unsigned char)name_end[-1]))
      name_end--;
    if (name_end != colon && p->v[CORSIM__B_WIRE_SPACE_BEFORE_COLON] == 2) {
      name_len = 0; /* the line is skipped */
      continue;
    }
    if (name_end != colon && p->v[CORSIM__B_WIRE_SPACE_BEFORE_COLON] == 0)
      reject(h, lineno, "whitespace between a header name and its colon");
    name_len = (size_t)(name_end - line);
    if (!corsim__is_token(line, name_len)) {
      if (p->v[CORSIM__B_WIRE_INVALID_LINE] == 0)
        reject(h, lineno, "a header name that is not an HTTP token");
      name_len = 0;
      continue;
    }
    if ((rc = scratch_add(h, line, name_len)) != 0 ||
        (rc = add_value(h, p, colon + 1, n - (size_t)(colon + 1 - line),
                        lineno)) != 0)
      return rc;
  }
  if ((rc = commit(h, name_len)) != 0)
    return rc;
  name_len = 0;

  /* interim responses: skip to the final one (Fetch skips 1xx but 101) */
  if (status >= 100 && status <= 199 && status != 101 && pos < len) {
    corsim_headers_clear(h->headers);
    h->rejected = 0;
    h->reject_why = NULL;
    goto next_head;
  }
  if (p->v[CORSIM__B_WIRE_CONFLICTING_DUPLICATES] == 1) {
    static const char *const singletons[] = {"content-length",
                                             "content-disposition",
                                             "location"};
    size_t count, i, j, k;
    const corsim_header *hd = corsim_headers_data(h->headers, &count);
    for (k = 0; k < 3; k++)
      for (i = 0; i < count; i++) {
        if (!corsim__ci_eq_lit(hd[i].name, hd[i].name_len, singletons[k]))
          continue;
        for (j = i + 1; j < count; j++)
          if (corsim__ci_eq_lit(hd[j].name, hd[j].name_len, singletons[k]) &&
              (hd[j].value_len != hd[i].value_len ||
               memcmp(hd[j].value, hd[i].value, hd[i].value_len) != 0))
            reject(h, lineno, "two different values of a header that may "
                              "appear once (Content-Length, "
                              "Content-Disposition or Location)");
        break; /* the first occurrence against the later ones */
      }
  }
  if (p->v[CORSIM__B_WIRE_MAX_HEAD_BYTES] > 0 &&
      pos - head_start > (size_t)p->v[CORSIM__B_WIRE_MAX_HEAD_BYTES])
    reject(h, lineno, "a response head larger than this browser accepts");

  rc = corsim__grow(&h->alloc, (void **)&h->status_text, &h->status_text_cap,
                    reason_len + 1, 1);
  if (rc)
    return rc;
  if (reason_len)
    memcpy(h->status_text, reason, reason_len);
  for (n = 0; n < reason_len; n++)
    if (h->status_text[n] == '\r')
      h->status_text[n] = ' '; /* rejected above, or wire.bare_cr space */
  h->status_text_len = reason_len;
  h->resp.status = status;
  h->resp.status_text = h->status_text;
  h->resp.status_text_len = reason_len;
  h->resp.headers = corsim_headers_data(h->headers, &h->resp.header_count);
  h->parsed = 1;
  if (consumed)
    *consumed = pos;
  return 0;
}

CORSIM__API const corsim_response *corsim_head_response(const corsim_head *h) {
  return h && h->parsed ? &h->resp : NULL;
}

CORSIM__API int corsim_head_rejected(const corsim_head *h, unsigned long *line,
                                     const char **why) {
  if (!h || !h->parsed || !h->rejected)
    return 0;
  if (line)
    *line = h->reject_line;
  if (why)
    *why = h->reject_why;
  return 1;
}
