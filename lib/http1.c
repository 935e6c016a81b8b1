/*
 * http1.c -- raw HTTP/1.x response heads, parsed as a browser's network
 * stack would (RFC 9112 sections 2-5; Fetch leaves wire parsing to HTTP,
 * #concept-http-network-fetch).  Where engines differ, the profile's wire.*
 * behaviours decide: how the status line is read, whitespace between a
 * field name and its colon, bare CR, obs-fold, NUL and bytes above 0x7F,
 * lines that are not "name: value", a Content-Length that is not a
 * number, repeated lines of a name that may appear once, and the largest
 * head accepted.
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
  corsim_limits limits; /* corsim_head_set_limits(): the head_* fields */
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
  corsim_limits_default(&h->limits);
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

CORSIM__API int corsim_head_set_limits(corsim_head *h,
                                       const corsim_limits *limits) {
  if (!h)
    return CORSIM_ERR_INVALID_ARGUMENT;
  if (limits)
    h->limits = *limits;
  else
    corsim_limits_default(&h->limits);
  return 0;
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

/* What a status line gave: the status and reason script would see, or why
 * the network stack refuses the line (then status is 0). */
typedef struct status_read {
  int status;
  const char *reason;
  size_t reason_len;
  const char *refused;
} status_read;

/* The largest status corsim models outside the strict rule: Fetch's
 * response status is an IDL unsigned short. */
#define STATUS_MAX 65535

static int is_digit(char c) { return c >= '0' && c <= '9'; }

/* strict (RFC 9112 section 4): "HTTP/x[.y] NNN[ reason]", the code three
 * digits 100-999; 0, or -1 when the line is not a status line. */
static int status_strict(const char *s, size_t n, status_read *st) {
  size_t i = 5;
  if (n < 10 || memcmp(s, "HTTP/", 5) != 0) /* "HTTP/2 200" is shortest */
    return -1;
  if (!is_digit(s[i]))
    return -1;
  while (i < n && (is_digit(s[i]) || s[i] == '.'))
    i++;
  if (i >= n || s[i] != ' ')
    return -1;
  i++;
  if (i + 3 > n || s[i] < '1' || s[i] > '9' || !is_digit(s[i + 1]) ||
      !is_digit(s[i + 2]))
    return -1;
  st->status = (s[i] - '0') * 100 + (s[i + 1] - '0') * 10 + (s[i + 2] - '0');
  i += 3;
  if (i < n && s[i] != ' ')
    return -1;
  if (i < n)
    i++;
  st->reason = s + i;
  st->reason_len = n - i;
  return 0;
}

/* chromium: "http" in any case starts the line (anything else is an
 * HTTP/0.9 response, refused); the code follows the first space and any
 * further spaces, as many digits as there are (a missing or non-numeric
 * code reads as 200 with an empty reason); spaces after the digits are
 * skipped and spaces at the end of the reason trimmed (tabs are not).
 * 0; -1 for a code above STATUS_MAX (not modelled). */
static int status_chromium(const char *s, size_t n, status_read *st) {
  const char *sp;
  size_t i, start, end;
  long v = 0;
  if (n < 4 || !corsim__ci_eq_lit(s, 4, "http")) {
    st->refused = "a status line that does not start with \"HTTP\" (an "
                  "HTTP/0.9 response, refused on this port)";
    return 0;
  }
  st->status = 200; /* a missing code */
  sp = memchr(s, ' ', n);
  if (!sp)
    return 0;
  for (i = (size_t)(sp - s); i < n && s[i] == ' '; i++)
    ;
  for (start = i; i < n && is_digit(s[i]); i++)
    if ((v = v * 10 + (s[i] - '0')) > STATUS_MAX)
      return -1;
  if (i == start)
    return 0;
  st->status = (int)v;
  while (i < n && s[i] == ' ')
    i++;
  for (end = n; end > i && s[end - 1] == ' '; end--)
    ;
  st->reason = s + i;
  st->reason_len = end - i;
  return 0;
}

/* gecko: "HTTP/" (exactly so) or "ICY" starts the line, else an HTTP/0.9
 * response, refused; after the first space and any whitespace (space,
 * tab) come 1 to 3 digits, then the end of the line or one whitespace
 * byte, and the rest, trailing spaces included, is the reason, which is
 * empty for HTTP/2 and later.  Anything else refuses the response. */
static int status_gecko(const char *s, size_t n, status_read *st) {
  const char *sp;
  size_t i, start;
  int v = 0, no_reason = 0;
  if (n >= 5 && memcmp(s, "HTTP/", 5) == 0)
    no_reason = n > 5 && s[5] >= '2' && s[5] <= '9';
  else if (!(n >= 3 && memcmp(s, "ICY", 3) == 0)) {
    st->refused = "a status line that does not start with \"HTTP/\" (an "
                  "HTTP/0.9 response, refused on this port)";
    return 0;
  }
  sp = memchr(s, ' ', n);
  if (!sp) {
    st->refused = "a status line without a status code";
    return 0;
  }
  for (i = (size_t)(sp - s); i < n && corsim__is_tab_or_space((unsigned char)s[i]); i++)
    ;
  for (start = i; i < n && is_digit(s[i]) && i - start < 4; i++)
    v = v * 10 + (s[i] - '0');
  if (i == start || i - start > 3) {
    st->refused = "a status code that is not 1 to 3 digits";
    return 0;
  }
  if (i < n && !corsim__is_tab_or_space((unsigned char)s[i])) {
    st->refused = "a status code followed by something other than "
                  "whitespace";
    return 0;
  }
  if (i < n)
    i++;
  st->status = v;
  if (!no_reason) {
    st->reason = s + i;
    st->reason_len = n - i;
  }
  return 0;
}

/* libsoup (soup_headers_parse_status_line): "HTTP/1.0" or "HTTP/1.1" (any
 * other version refuses the response) or "ICY"; then spaces or tabs,
 * exactly three digits 100-999, spaces or tabs, and the reason, trimmed
 * of trailing spaces and tabs.  Anything else refuses the response. */
static int status_libsoup(const char *s, size_t n, status_read *st) {
  size_t i, start, end;
  if (n > 5 && memcmp(s, "HTTP/", 5) == 0 && is_digit(s[5])) {
    unsigned long major = 0, minor = 0;
    for (i = 5; i < n && is_digit(s[i]); i++)
      major = major > 9 ? 10 : major * 10 + (unsigned long)(s[i] - '0');
    if (i + 1 >= n || s[i] != '.' || !is_digit(s[i + 1])) {
      st->refused = "an HTTP version that is not \"major.minor\"";
      return 0;
    }
    for (i++; i < n && is_digit(s[i]); i++)
      minor = minor > 9 ? 10 : minor * 10 + (unsigned long)(s[i] - '0');
    if (major != 1 || minor > 1) {
      st->refused = "an HTTP version other than 1.0 and 1.1";
      return 0;
    }
  } else if (n >= 3 && memcmp(s, "ICY", 3) == 0) {
    i = 3;
  } else {
    st->refused = "a status line that does not start with \"HTTP/\"";
    return 0;
  }
  while (i < n && corsim__is_tab_or_space((unsigned char)s[i]))
    i++;
  for (start = i; i < n && is_digit(s[i]) && i - start < 4; i++)
    ;
  if (i - start != 3 || s[start] == '0') {
    st->refused = "a status code that is not 3 digits from 100 to 999";
    return 0;
  }
  st->status = (s[start] - '0') * 100 + (s[start + 1] - '0') * 10 +
               (s[start + 2] - '0');
  while (i < n && corsim__is_tab_or_space((unsigned char)s[i]))
    i++;
  for (end = n; end > i && corsim__is_tab_or_space((unsigned char)s[end - 1]);
       end--)
    ;
  st->reason = s + i;
  st->reason_len = end - i;
  return 0;
}

/* The status line under the profile's wire.status_line; 0 (st->refused
 * says whether the stack refuses it), or -1: not modelled. */
static int status_line(const corsim_profile *p, const char *s, size_t n,
                       status_read *st) {
  st->status = 0;
  st->reason = s + n;
  st->reason_len = 0;
  st->refused = NULL;
  /* "HTTP/2 200" and "HTTP/3 200" are curl's rendering of an HTTP/2 or
   * HTTP/3 response, which has no status line on the wire: no engine
   * parser ever sees them, so the strict reading applies */
  if (n >= 7 && memcmp(s, "HTTP/", 5) == 0 && (s[5] == '2' || s[5] == '3') &&
      s[6] == ' ')
    return status_strict(s, n, st);
  switch (p->v[CORSIM__B_WIRE_STATUS_LINE]) {
  case 1:
    return status_chromium(s, n, st);
  case 2:
    return status_gecko(s, n, st);
  case 3:
    return status_libsoup(s, n, st);
  default:
    return status_strict(s, n, st);
  }
}

int corsim__status_valid(const corsim_profile *p, int status) {
  if (p && p->v[CORSIM__B_WIRE_STATUS_LINE] != 0)
    return status >= 0 && status <= STATUS_MAX;
  return status >= 100 && status <= 999;
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

/* wire.bare_cr skip-line: a CR left in v[0..n) once HTTP whitespace (CR
 * included) is trimmed from both ends. */
static int has_inner_cr(const char *v, size_t n) {
  corsim__trim_http_ws(&v, &n);
  return n && memchr(v, '\r', n) != NULL;
}

/*
 * The length of the well-formed UTF-8 sequence at v[0..n) (v[0] >= 0x80),
 * or 0 when it is not one; then *bad receives the number of bytes that one
 * U+FFFD replaces (the Encoding Standard's UTF-8 decoder: the longest
 * prefix of a valid sequence, at least one byte).
 */
static size_t utf8_sequence(const unsigned char *v, size_t n, size_t *bad) {
  unsigned char c = v[0], lo = 0x80, hi = 0xBF;
  size_t need, k;
  if (c >= 0xC2 && c <= 0xDF)
    need = 1;
  else if (c >= 0xE0 && c <= 0xEF) {
    need = 2;
    if (c == 0xE0)
      lo = 0xA0;
    else if (c == 0xED)
      hi = 0x9F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    need = 3;
    if (c == 0xF0)
      lo = 0x90;
    else if (c == 0xF4)
      hi = 0x8F;
  } else {
    *bad = 1;
    return 0;
  }
  for (k = 1; k <= need; k++) {
    if (k >= n || v[k] < lo || v[k] > hi) {
      *bad = k;
      return 0;
    }
    lo = 0x80;
    hi = 0xBF;
  }
  return need + 1;
}

/* Appends value bytes applying the byte rules (NUL, bare CR, non-ASCII). */
static int add_value(corsim_head *h, const corsim_profile *p, const char *v,
                     size_t n, unsigned long line) {
  size_t i, start = 0, skip;
  int rc, nul = p->v[CORSIM__B_WIRE_NUL];
  for (i = 0; i < n; i++) {
    unsigned char c = (unsigned char)v[i];
    const char *with = NULL;
    skip = 1;
    if (c == 0) {
      if (nul == 0 || nul == 3)
        reject(h, line, "a NUL byte in a header value");
      else if (nul == 1)
        with = " ";
    } else if (c == '\r') {
      if (p->v[CORSIM__B_WIRE_BARE_CR] == 0)
        reject(h, line, "a bare CR (not followed by LF)");
      with = " ";
    } else if (c >= 0x80 && p->v[CORSIM__B_WIRE_NON_ASCII] == 1) {
      reject(h, line, "a byte above 0x7F in a header value");
    } else if (c >= 0x80 && p->v[CORSIM__B_WIRE_NON_ASCII] == 2) {
      size_t ok = utf8_sequence((const unsigned char *)v + i, n - i, &skip);
      if (ok)
        i += ok - 1; /* kept as it is */
      else
        with = "\xEF\xBF\xBD"; /* U+FFFD in UTF-8 */
    }
    if (with) {
      if ((rc = scratch_add(h, v + start, i - start)) != 0 ||
          (rc = scratch_add(h, with, strlen(with))) != 0)
        return rc;
      i += skip - 1;
      start = i + 1;
    }
  }
  return scratch_add(h, v + start, n - start);
}

/* wire.content_length reject-non-numeric (libsoup's Content-Length
 * setter, g_ascii_strtoull): the last Content-Length line must be empty
 * or an optional sign and digits. */
static int content_length_ok(const corsim_headers *hs) {
  size_t count, i, k;
  const corsim_header *hd = corsim_headers_data(hs, &count);
  for (i = count; i-- > 0;) {
    const char *v = hd[i].value;
    size_t n = hd[i].value_len;
    if (!corsim__ci_eq_lit(hd[i].name, hd[i].name_len, "content-length"))
      continue;
    corsim__trim_ows(&v, &n);
    if (n == 0)
      return 1;
    k = (v[0] == '+' || v[0] == '-') ? 1 : 0;
    if (k == n)
      return 0;
    for (; k < n; k++)
      if (!is_digit(v[k]))
        return 0;
    return 1;
  }
  return 1;
}

/*
 * wire.singleton_headers gecko (Necko's nsHttpHeaderArray::SetHeaderFromNet
 * with IsSingletonHeader, and nsHttpResponseHead::ParseContentTypeValue):
 * of a name that may appear once, only the first line is stored (a later
 * line with another value of Content-Length, Content-Disposition or
 * Location is left to wire.conflicting_duplicates), except Content-Type,
 * whose lines are joined with "," (none after an empty start) into the
 * first one.  Rebuilds h->headers when some such name repeats.
 */
static const char *const gecko_singletons[] = {
    "content-type", "content-disposition", "content-length", "user-agent",
    "referer", "host", "authorization", "proxy-authorization",
    "if-modified-since", "if-unmodified-since", "from", "location",
    "max-forwards", "strict-transport-security"};
#define GECKO_SINGLETONS (sizeof gecko_singletons / sizeof gecko_singletons[0])

/* The index of name in gecko_singletons, or -1. */
static int gecko_singleton(const char *name, size_t len) {
  size_t k;
  for (k = 0; k < GECKO_SINGLETONS; k++)
    if (corsim__ci_eq_lit(name, len, gecko_singletons[k]))
      return (int)k;
  return -1;
}

static int apply_singletons(corsim_head *h) {
  size_t count, i, j;
  unsigned char seen[GECKO_SINGLETONS];
  const corsim_header *hd = corsim_headers_data(h->headers, &count);
  corsim_headers *out;
  int rc = 0, k, repeats = 0;

  memset(seen, 0, sizeof seen);
  for (i = 0; i < count && !repeats; i++)
    if ((k = gecko_singleton(hd[i].name, hd[i].name_len)) >= 0)
      repeats = seen[k]++ != 0;
  if (!repeats)
    return 0;
  rc = corsim_headers_new(&out, &h->alloc);
  if (rc)
    return rc;
  memset(seen, 0, sizeof seen);
  for (i = 0; i < count && !rc; i++) {
    const char *v = hd[i].value;
    size_t n = hd[i].value_len;
    k = gecko_singleton(hd[i].name, hd[i].name_len);
    if (k >= 0 && seen[k]++)
      continue; /* a later line: dropped, or joined below */
    if (k == 0) { /* Content-Type: every line, joined with "," */
      h->scratch_len = 0;
      for (j = i; j < count && !rc; j++) {
        if (!corsim__ci_eq_lit(hd[j].name, hd[j].name_len, "content-type"))
          continue;
        if (h->scratch_len)
          rc = scratch_add(h, ",", 1);
        if (!rc)
          rc = scratch_add(h, hd[j].value, hd[j].value_len);
      }
      v = h->scratch;
      n = h->scratch_len;
    }
    if (!rc)
      rc = corsim_headers_append(out, hd[i].name, hd[i].name_len, v ? v : "",
                                 n, CORSIM_HEADER_LENIENT_VALUE);
  }
  h->scratch_len = 0;
  if (rc) {
    corsim_headers_free(out);
    return rc;
  }
  corsim_headers_free(h->headers);
  h->headers = out;
  return 0;
}

CORSIM__API int corsim_head_parse(corsim_head *h, const corsim_profile *p,
                                  const char *data, size_t len,
                                  size_t *consumed) {
  size_t pos = 0, n, name_len = 0, head_start, header_lines = 0;
  const char *line;
  unsigned long lineno = 0;
  int status = 0, rc, cr_ends;
  const char *reason = NULL;
  size_t reason_len = 0;
  status_read st;

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
  if (n > h->limits.head_max_line ||
      pos - head_start > h->limits.head_max_bytes)
    return CORSIM_ERR_LIMIT; /* corsim_head_set_limits() */
  if (status_line(p, line, n, &st) != 0)
    return CORSIM_ERR_BAD_RESPONSE;
  status = st.status;
  reason = st.reason;
  reason_len = st.reason_len;
  if (st.refused)
    reject(h, lineno, st.refused);
  /* wire.nul reject-in-values leaves a NUL in the reason alone */
  if (memchr(line, '\0', n) && p->v[CORSIM__B_WIRE_NUL] == 0)
    reject(h, lineno, "a NUL byte in the status line");
  /* a bare CR can only be left in the reason (line-end split it off) */
  if (reason_len && memchr(reason, '\r', reason_len) &&
      p->v[CORSIM__B_WIRE_BARE_CR] == 0)
    reject(h, lineno, "a bare CR (not followed by LF)");

  /* the header lines, up to an empty line */
  while (next_line(data, len, &pos, cr_ends, &line, &n)) {
    const char *colon, *name_end;
    lineno++;
    /* the caller's bounds (corsim_head_set_limits()): stop reading */
    if (n > h->limits.head_max_line ||
        pos - head_start > h->limits.head_max_bytes)
      return CORSIM_ERR_LIMIT;
    if (n == 0)
      break;
    if (line[0] != ' ' && line[0] != '\t' &&
        ++header_lines > h->limits.head_max_headers)
      return CORSIM_ERR_LIMIT;
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
      if (p->v[CORSIM__B_WIRE_BARE_CR] == 3 && has_inner_cr(line, n)) {
        h->scratch_len = 0; /* the whole folded field is dropped */
        name_len = 0;
        continue;
      }
      if (p->v[CORSIM__B_WIRE_OBS_FOLD] == 2) {
        /* join: only the line break goes; the whitespace stays */
        if ((rc = add_value(h, p, line, n, lineno)) != 0)
          return rc;
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
    if (p->v[CORSIM__B_WIRE_BARE_CR] == 3 &&
        has_inner_cr(colon + 1, n - (size_t)(colon + 1 - line))) {
      name_len = 0; /* skip-line: a CR inside the value drops the line */
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
    header_lines = 0;
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
  /* a refused head keeps every line, for explanations */
  if (p->v[CORSIM__B_WIRE_SINGLETON_HEADERS] == 1 && !h->rejected &&
      (rc = apply_singletons(h)) != 0)
    return rc;
  if (p->v[CORSIM__B_WIRE_CONTENT_LENGTH] == 1 &&
      !content_length_ok(h->headers))
    reject(h, lineno, "a Content-Length that is not a number");
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
