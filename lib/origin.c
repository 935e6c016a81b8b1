/*
 * origin.c -- origins of URLs (HTML #concept-origin, WHATWG URL host
 * parsing), reduced to what CORS needs: scheme, host and port of the
 * special schemes, opaque origins for the rest, and the ASCII
 * serialization that the Origin header carries and ACAO is compared with.
 *
 * Scope: the host parser follows the URL Standard for ASCII hosts
 * (percent-decoding, lowercasing, forbidden code points, IPv4 in decimal /
 * octal / hex parts, IPv6 with RFC 5952 compression).  Hosts that are not
 * ASCII after percent-decoding need IDNA (UTS #46) and are reported as
 * CORSIM_ERR_UNSUPPORTED rather than guessed.  Paths and queries are kept
 * as given (backslashes become slashes in special URLs); the fragment is
 * dropped.
 */
#include <config.h>

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"

typedef struct scheme_info {
  const char *name;
  size_t len;
  int default_port; /* -1: none */
} scheme_info;

static const scheme_info special_schemes[] = {
    {"http", 4, 80}, {"https", 5, 443}, {"ws", 2, 80},
    {"wss", 3, 443}, {"ftp", 3, 21},    {"file", 4, -1},
};

static const scheme_info *find_special(const char *s, size_t len) {
  size_t i;
  for (i = 0; i < sizeof special_schemes / sizeof special_schemes[0]; i++)
    if (special_schemes[i].len == len &&
        memcmp(special_schemes[i].name, s, len) == 0)
      return &special_schemes[i];
  return NULL;
}

static int is_alpha(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
static int is_digit(unsigned char c) { return c >= '0' && c <= '9'; }
static int hexval(unsigned char c) {
  if (is_digit(c))
    return c - '0';
  c = corsim__lower(c);
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  return -1;
}

/* URL Standard "forbidden domain code point", for ASCII bytes. */
static int forbidden_domain_byte(unsigned char c) {
  if (c <= 0x20 || c == 0x7f)
    return 1;
  return strchr("#/:<>?@[\\]^|%", c) != NULL && c != 0;
}

/* ---- IPv4 (URL Standard #concept-ipv4-parser) ---- */

/* Parses one IPv4 part; returns 0 and *out, or -1. */
static int ipv4_number(const char *p, size_t len, uint64_t *out) {
  unsigned base = 10;
  uint64_t v = 0;
  size_t i;

  if (len == 0)
    return -1;
  if (len >= 2 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
    base = 16;
    p += 2;
    len -= 2;
  } else if (len >= 2 && p[0] == '0') {
    base = 8;
    p += 1;
    len -= 1;
  }
  for (i = 0; i < len; i++) {
    int d = hexval((unsigned char)p[i]);
    if (d < 0 || (unsigned)d >= base)
      return -1;
    v = v * base + (unsigned)d;
    if (v > 0xffffffffull * 256) /* far beyond any valid part: stop early */
      v = 0xffffffffull * 256;
  }
  *out = v;
  return 0;
}

/* "ends in a number" checker (#ends-in-a-number-checker). */
static int ends_in_number(const char *h, size_t len) {
  size_t end = len, start, i;
  uint64_t dummy;

  if (end && h[end - 1] == '.')
    end--;
  if (end == 0)
    return 0;
  start = end;
  while (start && h[start - 1] != '.')
    start--;
  if (start == end) /* the last part is empty ("a..", ".."): not a number */
    return 0;
  for (i = start; i < end && is_digit((unsigned char)h[i]); i++)
    ;
  if (i == end)
    return 1;
  return ipv4_number(h + start, end - start, &dummy) == 0 &&
         end - start >= 2 && h[start] == '0' &&
         (h[start + 1] == 'x' || h[start + 1] == 'X');
}

/* Returns 0 and the address, or CORSIM_ERR_BAD_URL. */
static int parse_ipv4(const char *h, size_t len, uint32_t *addr) {
  uint64_t parts[4], v;
  size_t n = 0, pos = 0, i;

  if (len && h[len - 1] == '.')
    len--;
  while (pos <= len) {
    size_t start = pos;
    while (pos < len && h[pos] != '.')
      pos++;
    if (n == 4)
      return CORSIM_ERR_BAD_URL;
    if (ipv4_number(h + start, pos - start, &parts[n]) != 0)
      return CORSIM_ERR_BAD_URL;
    n++;
    pos++;
  }
  for (i = 0; i + 1 < n; i++)
    if (parts[i] > 255)
      return CORSIM_ERR_BAD_URL;
  if (parts[n - 1] >= (1ull << (8 * (5 - n))))
    return CORSIM_ERR_BAD_URL;
  v = parts[n - 1];
  for (i = 0; i + 1 < n; i++)
    v += parts[i] << (8 * (3 - i));
  *addr = (uint32_t)v;
  return 0;
}

/* ---- IPv6 (URL Standard #concept-ipv6-parser and serializer) ---- */

static int parse_ipv6(const char *s, size_t len, uint16_t addr[8]) {
  size_t piece = 0, pos = 0;
  int compress = -1;

  memset(addr, 0, 8 * sizeof addr[0]);
  if (len && s[0] == ':') {
    if (len < 2 || s[1] != ':')
      return -1;
    pos = 2;
    piece = 1;
    compress = 1;
  }
  while (pos < len) {
    unsigned value = 0, length = 0;
    if (piece == 8)
      return -1;
    if (s[pos] == ':') {
      if (compress >= 0)
        return -1;
      pos++;
      piece++;
      compress = (int)piece;
      continue;
    }
    while (length < 4 && pos < len && hexval((unsigned char)s[pos]) >= 0) {
      value = value * 16 + (unsigned)hexval((unsigned char)s[pos]);
      pos++;
      length++;
    }
    if (pos < len && s[pos] == '.') {
      int seen = 0;
      if (length == 0)
        return -1;
      pos -= length;
      if (piece > 6)
        return -1;
      while (pos < len) {
        int v4 = -1;
        if (seen > 0) {
          if (s[pos] == '.' && seen < 4)
            pos++;
          else
            return -1;
        }
        if (pos >= len || !is_digit((unsigned char)s[pos]))
          return -1;
        while (pos < len && is_digit((unsigned char)s[pos])) {
          int d = s[pos] - '0';
          if (v4 == -1)
            v4 = d;
          else if (v4 == 0)
            return -1;
          else
            v4 = v4 * 10 + d;
          if (v4 > 255)
            return -1;
          pos++;
        }
        addr[piece] = (uint16_t)(addr[piece] * 0x100 + v4);
        seen++;
        if (seen == 2 || seen == 4)
          piece++;
      }
      if (seen != 4)
        return -1;
      break;
    } else if (pos < len && s[pos] == ':') {
      pos++;
      if (pos >= len)
        return -1;
    } else if (pos < len) {
      return -1;
    }
    addr[piece] = (uint16_t)value;
    piece++;
  }
  if (compress >= 0) {
    size_t swaps = piece - (size_t)compress;
    piece = 7;
    while (piece != 0 && swaps > 0) {
      uint16_t t = addr[piece];
      addr[piece] = addr[(size_t)compress + swaps - 1];
      addr[(size_t)compress + swaps - 1] = t;
      piece--;
      swaps--;
    }
  } else if (piece != 8) {
    return -1;
  }
  return 0;
}

/* Writes "[...]" into out (at least 48 bytes); returns the length. */
static size_t serialize_ipv6(const uint16_t addr[8], char *out) {
  int best = -1, best_len = 1, i, cur = -1, cur_len = 0;
  size_t n = 0;
  int ignore0 = 0;

  for (i = 0; i < 8; i++) {
    if (addr[i] == 0) {
      if (cur < 0) {
        cur = i;
        cur_len = 0;
      }
      cur_len++;
      if (cur_len > best_len) {
        best = cur;
        best_len = cur_len;
      }
    } else {
      cur = -1;
    }
  }
  out[n++] = '[';
  for (i = 0; i < 8; i++) {
    if (ignore0 && addr[i] == 0)
      continue;
    ignore0 = 0;
    if (i == best) {
      out[n++] = ':';
      if (i == 0)
        out[n++] = ':';
      ignore0 = 1;
      continue;
    }
    n += (size_t)snprintf(out + n, 6, "%x", addr[i]);
    if (i != 7)
      out[n++] = ':';
  }
  out[n++] = ']';
  return n;
}

/* ---- the URL ---- */

void corsim__origin_clear(const corsim_allocator *a, corsim__origin *o) {
  corsim__free(a, o->ser);
  memset(o, 0, sizeof *o);
}

int corsim__origin_same(const corsim__origin *x, const corsim__origin *y) {
  if (x->opaque || y->opaque)
    return 0;
  return x->len == y->len && memcmp(x->ser, y->ser, x->len) == 0;
}

static int set_opaque(const corsim_allocator *a, corsim__origin *o) {
  o->opaque = 1;
  o->ser = corsim__malloc(a, 4);
  if (!o->ser)
    return CORSIM_ERR_NOMEM;
  memcpy(o->ser, "null", 4);
  o->len = 4;
  o->scheme_len = 0;
  return 0;
}

/*
 * Parses the host h[0..len) of a special URL into out (lowercase ASCII,
 * canonical IP forms).  out must hold 3 * len + 48 bytes.
 */
static int parse_host(const char *h, size_t len, char *out, size_t *out_len) {
  size_t i, n = 0;

  if (len == 0)
    return CORSIM_ERR_BAD_URL;
  if (h[0] == '[') {
    uint16_t addr[8];
    if (len < 2 || h[len - 1] != ']' || parse_ipv6(h + 1, len - 2, addr))
      return CORSIM_ERR_BAD_URL;
    *out_len = serialize_ipv6(addr, out);
    return 0;
  }
  /* percent-decode, then require ASCII (IDNA is not implemented) */
  for (i = 0; i < len; i++) {
    unsigned char c = (unsigned char)h[i];
    if (c == '%' && i + 2 < len && hexval((unsigned char)h[i + 1]) >= 0 &&
        hexval((unsigned char)h[i + 2]) >= 0) {
      c = (unsigned char)(hexval((unsigned char)h[i + 1]) * 16 +
                          hexval((unsigned char)h[i + 2]));
      i += 2;
      if (c == '%') { /* a decoded '%' is forbidden too */
        return CORSIM_ERR_BAD_URL;
      }
    } else if (c == '%') {
      return CORSIM_ERR_BAD_URL;
    }
    if (c >= 0x80)
      return CORSIM_ERR_UNSUPPORTED;
    if (forbidden_domain_byte(c))
      return CORSIM_ERR_BAD_URL;
    out[n++] = (char)corsim__lower(c);
  }
  if (ends_in_number(out, n)) {
    uint32_t a;
    int rc = parse_ipv4(out, n, &a);
    if (rc)
      return rc;
    n = (size_t)snprintf(out, 16, "%u.%u.%u.%u", (a >> 24) & 255,
                         (a >> 16) & 255, (a >> 8) & 255, a & 255);
  }
  *out_len = n;
  return 0;
}

static int parse_clean(const corsim_allocator *a, const char *u, size_t len,
                       corsim__origin *origin, char **href, size_t *href_len,
                       int depth) {
  size_t i, slen, pos;
  const scheme_info *sp;
  char scheme[16];
  char *hostbuf = NULL, *ser = NULL, *out = NULL;
  size_t host_len = 0, auth_start, auth_end, at, hstart, hend, port_start = 0;
  long port = -1;
  int rc = 0, have_port = 0;

  /* scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":" */
  if (len == 0 || !is_alpha((unsigned char)u[0]))
    return CORSIM_ERR_BAD_URL;
  for (i = 1; i < len && (is_alpha((unsigned char)u[i]) ||
                          is_digit((unsigned char)u[i]) || u[i] == '+' ||
                          u[i] == '-' || u[i] == '.');
       i++)
    ;
  if (i >= len || u[i] != ':')
    return CORSIM_ERR_BAD_URL;
  slen = i;
  sp = NULL;
  if (slen < sizeof scheme) {
    for (i = 0; i < slen; i++)
      scheme[i] = (char)corsim__lower((unsigned char)u[i]);
    sp = find_special(scheme, slen);
  }
  pos = slen + 1;

  if (!sp || sp->default_port == -1) {
    /* Non-special schemes and file: have opaque origins, except blob:,
     * whose origin is that of the URL it wraps when that is http(s). */
    if (slen == 4 && memcmp(scheme, "blob", 4) == 0 && depth == 0) {
      corsim__origin inner;
      memset(&inner, 0, sizeof inner);
      rc = parse_clean(a, u + pos, len - pos, &inner, NULL, NULL, 1);
      if (rc == CORSIM_ERR_NOMEM)
        return rc;
      if (rc == CORSIM_ERR_UNSUPPORTED) {
        /* an http(s) URL whose host needs IDNA: it may well be valid, so
         * its origin is unknown rather than opaque.  Other schemes give
         * an opaque origin either way. */
        const char *colon = memchr(u + pos, ':', len - pos);
        size_t n = colon ? (size_t)(colon - (u + pos)) : 0;
        if (corsim__ci_eq_lit(u + pos, n, "http") ||
            corsim__ci_eq_lit(u + pos, n, "https"))
          return rc;
      }
      if (rc == 0 && !inner.opaque &&
          (inner.scheme_len == 4 || inner.scheme_len == 5) &&
          memcmp(inner.ser, "http", 4) == 0) {
        *origin = inner;
      } else {
        corsim__origin_clear(a, &inner);
        rc = set_opaque(a, origin);
      }
    } else {
      rc = set_opaque(a, origin);
    }
    if (rc)
      return rc;
    if (href) {
      size_t end = len;
      const char *hash = memchr(u, '#', len);
      if (hash)
        end = (size_t)(hash - u);
      *href = corsim__malloc(a, end);
      if (!*href) {
        corsim__origin_clear(a, origin);
        return CORSIM_ERR_NOMEM;
      }
      for (i = 0; i < slen; i++)
        (*href)[i] = (char)corsim__lower((unsigned char)u[i]);
      memcpy(*href + slen, u + slen, end - slen);
      *href_len = end;
    }
    return 0;
  }

  /* special authority: ignore any run of slashes and backslashes */
  while (pos < len && (u[pos] == '/' || u[pos] == '\\'))
    pos++;
  auth_start = pos;
  while (pos < len && u[pos] != '/' && u[pos] != '\\' && u[pos] != '?' &&
         u[pos] != '#')
    pos++;
  auth_end = pos;
  /* userinfo ends at the last '@' */
  at = auth_start;
  for (i = auth_start; i < auth_end; i++)
    if (u[i] == '@')
      at = i + 1;
  hstart = at;
  if (hstart < auth_end && u[hstart] == '[') {
    for (hend = hstart; hend < auth_end && u[hend] != ']'; hend++)
      ;
    if (hend == auth_end)
      return CORSIM_ERR_BAD_URL;
    hend++;
    if (hend < auth_end && u[hend] != ':')
      return CORSIM_ERR_BAD_URL;
  } else {
    for (hend = hstart; hend < auth_end && u[hend] != ':'; hend++)
      ;
  }
  if (hend < auth_end) { /* ':' port */
    port_start = hend + 1;
    if (port_start < auth_end) {
      port = 0;
      for (i = port_start; i < auth_end; i++) {
        if (!is_digit((unsigned char)u[i]))
          return CORSIM_ERR_BAD_URL;
        port = port * 10 + (u[i] - '0');
        if (port > 65535)
          return CORSIM_ERR_BAD_URL;
      }
      have_port = 1;
    }
  }
  if (have_port && port == sp->default_port)
    have_port = 0;

  hostbuf = corsim__malloc(a, 3 * (hend - hstart) + 48);
  if (!hostbuf)
    return CORSIM_ERR_NOMEM;
  rc = parse_host(u + hstart, hend - hstart, hostbuf, &host_len);
  if (rc)
    goto fail;

  /* origin: scheme "://" host [":" port]; snprintf below needs room for
   * ":65535" and its terminating NUL */
  ser = corsim__malloc(a, slen + 3 + host_len + 7);
  if (!ser) {
    rc = CORSIM_ERR_NOMEM;
    goto fail;
  }
  memcpy(ser, scheme, slen);
  memcpy(ser + slen, "://", 3);
  memcpy(ser + slen + 3, hostbuf, host_len);
  origin->len = slen + 3 + host_len;
  if (have_port)
    origin->len += (size_t)snprintf(ser + origin->len, 7, ":%ld", port);
  origin->ser = ser;
  origin->opaque = 0;
  origin->scheme_len = slen;

  if (href) {
    size_t end = len, n, plen;
    const char *hash = memchr(u + auth_end, '#', len - auth_end);
    if (hash)
      end = (size_t)(hash - u);
    plen = end - auth_end;
    out = corsim__malloc(a, origin->len + (at - auth_start) + plen + 2);
    if (!out) {
      rc = CORSIM_ERR_NOMEM;
      goto fail;
    }
    memcpy(out, ser, slen + 3);
    n = slen + 3;
    if (at > auth_start) { /* userinfo, kept as given */
      memcpy(out + n, u + auth_start, at - auth_start);
      n += at - auth_start;
    }
    memcpy(out + n, ser + slen + 3, origin->len - slen - 3);
    n += origin->len - slen - 3;
    if (plen == 0 || u[auth_end] == '?')
      out[n++] = '/';
    {
      int in_query = 0;
      for (i = auth_end; i < end; i++) {
        if (u[i] == '?')
          in_query = 1;
        out[n++] = (u[i] == '\\' && !in_query) ? '/' : u[i];
      }
    }
    *href = out;
    *href_len = n;
  }
  corsim__free(a, hostbuf);
  return 0;

fail:
  corsim__free(a, hostbuf);
  corsim__free(a, ser);
  memset(origin, 0, sizeof *origin);
  return rc;
}

int corsim__parse_url(const corsim_allocator *a, const char *url, size_t len,
                      corsim__origin *origin, char **href, size_t *href_len) {
  char *clean;
  size_t i, n = 0;
  int rc;

  memset(origin, 0, sizeof *origin);
  if (href) {
    *href = NULL;
    *href_len = 0;
  }
  if (!url && len)
    return CORSIM_ERR_INVALID_ARGUMENT;
  if (len > CORSIM__MAX_URL_LEN)
    return CORSIM_ERR_TOO_LARGE;
  /* URL Standard: strip leading/trailing C0 control or space, and remove
   * every ASCII tab or newline. */
  while (len && (unsigned char)url[0] <= 0x20) {
    url++;
    len--;
  }
  while (len && (unsigned char)url[len - 1] <= 0x20)
    len--;
  if (len == 0)
    return CORSIM_ERR_BAD_URL;
  clean = corsim__malloc(a, len);
  if (!clean)
    return CORSIM_ERR_NOMEM;
  for (i = 0; i < len; i++)
    if (url[i] != '\t' && url[i] != '\n' && url[i] != '\r')
      clean[n++] = url[i];
  rc = parse_clean(a, clean, n, origin, href, href_len, 0);
  corsim__free(a, clean);
  return rc;
}

/* ---- public helpers ---- */

static int parse_origin_or_null(const corsim_allocator *a, const char *s,
                                size_t len, corsim__origin *o) {
  if (len == 4 && memcmp(s, "null", 4) == 0) {
    memset(o, 0, sizeof *o);
    return set_opaque(a, o);
  }
  return corsim__parse_url(a, s, len, o, NULL, NULL);
}

CORSIM__API int corsim_url_origin(const char *url, size_t url_len, char *buf,
                                  size_t buf_len, size_t *out_len) {
  corsim_allocator a;
  corsim__origin o;
  int rc;

  if (!out_len || (!url && url_len) || (!buf && buf_len))
    return CORSIM_ERR_INVALID_ARGUMENT;
  corsim__alloc_init(&a, NULL);
  rc = parse_origin_or_null(&a, url, url_len, &o);
  if (rc)
    return rc;
  *out_len = o.len;
  if (o.len > buf_len)
    rc = CORSIM_ERR_BUFFER_TOO_SMALL;
  else
    memcpy(buf, o.ser, o.len);
  corsim__origin_clear(&a, &o);
  return rc;
}

CORSIM__API int corsim_same_origin(const char *x, size_t x_len, const char *y,
                                   size_t y_len, int *same) {
  corsim_allocator a;
  corsim__origin ox, oy;
  int rc;

  if (!same || (!x && x_len) || (!y && y_len))
    return CORSIM_ERR_INVALID_ARGUMENT;
  *same = 0;
  corsim__alloc_init(&a, NULL);
  rc = parse_origin_or_null(&a, x, x_len, &ox);
  if (rc)
    return rc;
  rc = parse_origin_or_null(&a, y, y_len, &oy);
  if (rc) {
    corsim__origin_clear(&a, &ox);
    return rc;
  }
  *same = corsim__origin_same(&ox, &oy);
  corsim__origin_clear(&a, &ox);
  corsim__origin_clear(&a, &oy);
  return 0;
}

/* ------------------------------------------------------------------------
 * Relative references (a Location header against the current URL)
 * ------------------------------------------------------------------------ */

/* 1 for a single-dot path segment ("." or "%2e"), 2 for a double-dot one
 * ("..", ".%2e", "%2e.", "%2e%2e"; URL Standard #single-dot-path-segment,
 * #double-dot-path-segment, %2e in either case), else 0. */
static int dot_segment(const char *s, size_t n) {
  size_t i = 0;
  int dots = 0;
  while (i < n && dots < 3) {
    if (s[i] == '.')
      i++;
    else if (n - i >= 3 && s[i] == '%' && s[i + 1] == '2' &&
             (s[i + 2] == 'e' || s[i + 2] == 'E'))
      i += 3;
    else
      return 0;
    dots++;
  }
  return i == n && dots <= 2 ? dots : 0;
}

/* Removes "." and ".." segments from path[0..n) in place (RFC 3986 5.2.4
 * in spirit, as the URL Standard's path state does); returns the length. */
static size_t remove_dot_segments(char *path, size_t n) {
  size_t in = 0, out = 0;
  while (in < n) {
    size_t end = in + 1, seg_len;
    int dots;
    while (end < n && path[end] != '/')
      end++;
    /* the segment is path[in+1 .. end) (path[in] is '/') */
    seg_len = end - in - 1;
    dots = dot_segment(path + in + 1, seg_len);
    if (dots == 1) {
      if (end == n)
        path[out++] = '/';
    } else if (dots == 2) {
      while (out > 0 && path[--out] != '/')
        ;
      if (end == n)
        path[out++] = '/';
    } else {
      memmove(path + out, path + in, end - in);
      out += end - in;
    }
    in = end;
  }
  if (out == 0)
    path[out++] = '/';
  return out;
}

int corsim__resolve_url(const corsim_allocator *a, const char *base,
                        size_t base_len, const char *ref, size_t ref_len,
                        corsim__origin *origin, char **href,
                        size_t *href_len) {
  size_t i, auth_end, path_start, qpos;
  char *buf, *clean = NULL;
  size_t n = 0, cap;
  int rc;

  memset(origin, 0, sizeof *origin);
  *href = NULL;
  *href_len = 0;
  if ((!ref && ref_len) || !base)
    return CORSIM_ERR_INVALID_ARGUMENT;
  if (ref_len > CORSIM__MAX_URL_LEN || base_len > CORSIM__MAX_URL_LEN)
    return CORSIM_ERR_TOO_LARGE;
  while (ref_len && (unsigned char)ref[0] <= 0x20) {
    ref++;
    ref_len--;
  }
  while (ref_len && (unsigned char)ref[ref_len - 1] <= 0x20)
    ref_len--;
  /* URL Standard: every ASCII tab or newline goes before parsing starts
   * (so "/\t/host" is scheme-relative) */
  for (i = 0; i < ref_len && ref[i] != '\t' && ref[i] != '\n' &&
              ref[i] != '\r';
       i++)
    ;
  if (i < ref_len) {
    size_t k = 0;
    clean = corsim__malloc(a, ref_len);
    if (!clean)
      return CORSIM_ERR_NOMEM;
    for (i = 0; i < ref_len; i++)
      if (ref[i] != '\t' && ref[i] != '\n' && ref[i] != '\r')
        clean[k++] = ref[i];
    ref = clean;
    ref_len = k;
  }
  /* absolute: a scheme followed by ':' */
  if (ref_len && is_alpha((unsigned char)ref[0])) {
    for (i = 1; i < ref_len && (is_alpha((unsigned char)ref[i]) ||
                                is_digit((unsigned char)ref[i]) ||
                                ref[i] == '+' || ref[i] == '-' ||
                                ref[i] == '.');
         i++)
      ;
    if (i < ref_len && ref[i] == ':') {
      /* scheme state: the base's own special scheme not followed by "//"
       * is relative to the base ("https:x", "https:/p"; special relative
       * or authority state) */
      const scheme_info *sp = NULL;
      size_t k;
      if (i < base_len && base[i] == ':')
        for (k = 0; k < sizeof special_schemes / sizeof special_schemes[0];
             k++)
          if (special_schemes[k].len == i &&
              special_schemes[k].default_port != -1 &&
              corsim__ci_eq(ref, i, special_schemes[k].name, i) &&
              corsim__ci_eq(base, i, special_schemes[k].name, i))
            sp = &special_schemes[k];
      if (sp && !(ref_len >= i + 3 && ref[i + 1] == '/' && ref[i + 2] == '/')) {
        ref += i + 1;
        ref_len -= i + 1;
      } else {
        rc = corsim__parse_url(a, ref, ref_len, origin, href, href_len);
        corsim__free(a, clean);
        return rc;
      }
    }
  }
  /* base = scheme "://" authority path [?query]; it is a special URL */
  {
    const char *sep = base_len >= 3 ? memchr(base, ':', base_len) : NULL;
    if (!sep || (size_t)(sep - base) + 3 > base_len || sep[1] != '/' ||
        sep[2] != '/') {
      corsim__free(a, clean);
      return CORSIM_ERR_BAD_URL; /* an opaque base cannot resolve it */
    }
    auth_end = (size_t)(sep - base) + 3;
    while (auth_end < base_len && base[auth_end] != '/' &&
           base[auth_end] != '?')
      auth_end++;
  }
  path_start = auth_end;
  for (qpos = path_start; qpos < base_len && base[qpos] != '?'; qpos++)
    ;
  cap = base_len + ref_len + 4;
  buf = corsim__malloc(a, cap);
  if (!buf) {
    corsim__free(a, clean);
    return CORSIM_ERR_NOMEM;
  }
  if (ref_len >= 2 && (ref[0] == '/' || ref[0] == '\\') &&
      (ref[1] == '/' || ref[1] == '\\')) {
    /* scheme-relative */
    size_t s = (size_t)((const char *)memchr(base, ':', base_len) - base) + 1;
    memcpy(buf, base, s);
    n = s;
    memcpy(buf + n, ref, ref_len);
    n += ref_len;
  } else if (ref_len && (ref[0] == '/' || ref[0] == '\\')) {
    memcpy(buf, base, auth_end);
    n = auth_end;
    memcpy(buf + n, ref, ref_len);
    n += ref_len;
  } else if (ref_len && ref[0] == '?') {
    memcpy(buf, base, qpos);
    n = qpos;
    memcpy(buf + n, ref, ref_len);
    n += ref_len;
  } else if (ref_len == 0 || ref[0] == '#') {
    memcpy(buf, base, base_len);
    n = base_len;
  } else {
    /* path-relative: the base path up to its last '/', then ref */
    size_t last = qpos;
    while (last > path_start && base[last - 1] != '/')
      last--;
    memcpy(buf, base, last > path_start ? last : path_start);
    n = last > path_start ? last : path_start;
    if (n == path_start)
      buf[n++] = '/';
    memcpy(buf + n, ref, ref_len);
    n += ref_len;
  }
  /* normalize the path's dot segments (up to '?' or '#') */
  {
    size_t p0 = auth_end, pe;
    /* for scheme-relative refs the authority changed: find it again */
    const char *sep = memchr(buf, ':', n);
    if (sep && (size_t)(sep - buf) + 3 <= n) {
      p0 = (size_t)(sep - buf) + 3;
      while (p0 < n && buf[p0] != '/' && buf[p0] != '\\' && buf[p0] != '?' &&
             buf[p0] != '#')
        p0++;
    }
    for (pe = p0; pe < n && buf[pe] != '?' && buf[pe] != '#'; pe++)
      if (buf[pe] == '\\')
        buf[pe] = '/';
    if (pe > p0 && buf[p0] == '/') {
      size_t newlen = remove_dot_segments(buf + p0, pe - p0);
      memmove(buf + p0 + newlen, buf + pe, n - pe);
      n = n - (pe - p0) + newlen;
    }
  }
  rc = corsim__parse_url(a, buf, n, origin, href, href_len);
  corsim__free(a, buf);
  corsim__free(a, clean);
  return rc;
}

/* 1 when the URL includes credentials (URL Standard #include-credentials:
 * its username or password is not empty), i.e. the user information
 * before the authority's last '@' is neither "" nor ":". */
int corsim__url_has_credentials(const char *href, size_t len) {
  const char *sep = memchr(href, ':', len);
  size_t i, start, at = 0;
  int found = 0;
  if (!sep || (size_t)(sep - href) + 3 > len || sep[1] != '/' ||
      sep[2] != '/')
    return 0;
  start = (size_t)(sep - href) + 3;
  for (i = start; i < len && href[i] != '/' && href[i] != '?' &&
                  href[i] != '#';
       i++)
    if (href[i] == '@') {
      at = i;
      found = 1;
    }
  if (!found)
    return 0;
  return !(at == start || (at == start + 1 && href[start] == ':'));
}

/* The host part of a tuple origin's serialization. */
static corsim_str origin_host(const corsim__origin *o) {
  corsim_str h = {"", 0};
  size_t i, start;
  if (o->opaque || o->len < o->scheme_len + 3)
    return h;
  start = o->scheme_len + 3;
  if (o->ser[start] == '[') {
    for (i = start; i < o->len && o->ser[i] != ']'; i++)
      ;
    i = i < o->len ? i + 1 : i;
  } else {
    for (i = start; i < o->len && o->ser[i] != ':'; i++)
      ;
  }
  h.ptr = o->ser + start;
  h.len = i - start;
  return h;
}

/* Whether a host (as origin_host() gives it) is an IPv4 or IPv6 address:
 * serialized hosts end in a digit only when they are IPv4 (the URL parser
 * refuses a domain whose last label is a number). */
static int host_is_ip(corsim_str host) {
  return host.len && (host.ptr[0] == '[' ||
                      (host.ptr[host.len - 1] >= '0' &&
                       host.ptr[host.len - 1] <= '9'));
}

/* The last two labels of a domain (a stand-in for its registrable domain:
 * corsim carries no public suffix list), or the whole host for an IP. */
static corsim_str site_of(corsim_str host) {
  size_t i, dots = 0;
  if (host_is_ip(host))
    return host;
  for (i = host.len; i-- > 0;)
    if (host.ptr[i] == '.' && ++dots == 2) {
      host.ptr += i + 1;
      host.len -= i + 1;
      break;
    }
  return host;
}

int corsim__same_site(const corsim__origin *x, const corsim__origin *y,
                      int ip_hosts) {
  corsim_str a, b;
  if (x->opaque || y->opaque)
    return 0;
  if (x->scheme_len != y->scheme_len ||
      memcmp(x->ser, y->ser, x->scheme_len) != 0)
    return 0; /* schemeful same site */
  a = origin_host(x);
  b = origin_host(y);
  if (!ip_hosts && (host_is_ip(a) || host_is_ip(b)))
    return 0; /* no registrable domain, so no site to share */
  a = site_of(a);
  b = site_of(b);
  return a.len == b.len && memcmp(a.ptr, b.ptr, a.len) == 0;
}
