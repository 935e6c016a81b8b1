/*
 * headers.c -- header names, values and lists (Fetch section 2, "HTTP
 * header layer"): byte classes, validity, get / combine / get-decode-split
 * / sort-and-combine, and the owning corsim_headers list.
 */
#include <config.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* ------------------------------------------------------------------------
 * Byte tables
 * ------------------------------------------------------------------------ */

/* tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." /
 *         "^" / "_" / "`" / "|" / "~" / DIGIT / ALPHA   (RFC 9110 5.6.2) */
const unsigned char corsim__tchar_table[256] = {
    ['!'] = 1, ['#'] = 1, ['$'] = 1, ['%'] = 1, ['&'] = 1, ['\''] = 1,
    ['*'] = 1, ['+'] = 1, ['-'] = 1, ['.'] = 1, ['^'] = 1, ['_'] = 1,
    ['`'] = 1, ['|'] = 1, ['~'] = 1, ['0'] = 1, ['1'] = 1, ['2'] = 1,
    ['3'] = 1, ['4'] = 1, ['5'] = 1, ['6'] = 1, ['7'] = 1, ['8'] = 1,
    ['9'] = 1, ['A'] = 1, ['B'] = 1, ['C'] = 1, ['D'] = 1, ['E'] = 1,
    ['F'] = 1, ['G'] = 1, ['H'] = 1, ['I'] = 1, ['J'] = 1, ['K'] = 1,
    ['L'] = 1, ['M'] = 1, ['N'] = 1, ['O'] = 1, ['P'] = 1, ['Q'] = 1,
    ['R'] = 1, ['S'] = 1, ['T'] = 1, ['U'] = 1, ['V'] = 1, ['W'] = 1,
    ['X'] = 1, ['Y'] = 1, ['Z'] = 1, ['a'] = 1, ['b'] = 1, ['c'] = 1,
    ['d'] = 1, ['e'] = 1, ['f'] = 1, ['g'] = 1, ['h'] = 1, ['i'] = 1,
    ['j'] = 1, ['k'] = 1, ['l'] = 1, ['m'] = 1, ['n'] = 1, ['o'] = 1,
    ['p'] = 1, ['q'] = 1, ['r'] = 1, ['s'] = 1, ['t'] = 1, ['u'] = 1,
    ['v'] = 1, ['w'] = 1, ['x'] = 1, ['y'] = 1, ['z'] = 1};

int corsim__ci_eq(const char *a, size_t alen, const char *b, size_t blen) {
  size_t i;
  if (alen != blen)
    return 0;
  for (i = 0; i < alen; i++)
    if (corsim__lower((unsigned char)a[i]) !=
        corsim__lower((unsigned char)b[i]))
      return 0;
  return 1;
}

int corsim__ci_cmp(const char *a, size_t alen, const char *b, size_t blen) {
  size_t n = alen < blen ? alen : blen, i;
  for (i = 0; i < n; i++) {
    unsigned char x = corsim__lower((unsigned char)a[i]);
    unsigned char y = corsim__lower((unsigned char)b[i]);
    if (x != y)
      return x < y ? -1 : 1;
  }
  return alen < blen ? -1 : alen > blen ? 1 : 0;
}

int corsim__is_token(const char *p, size_t len) {
  size_t i;
  if (len == 0 || !p)
    return 0;
  for (i = 0; i < len; i++)
    if (!corsim__tchar_table[(unsigned char)p[i]])
      return 0;
  return 1;
}

void corsim__trim_ows(const char **p, size_t *len) {
  const char *s = *p;
  size_t n = *len;
  while (n && corsim__is_tab_or_space((unsigned char)s[0])) {
    s++;
    n--;
  }
  while (n && corsim__is_tab_or_space((unsigned char)s[n - 1]))
    n--;
  *p = s;
  *len = n;
}

void corsim__trim_http_ws(const char **p, size_t *len) {
  const char *s = *p;
  size_t n = *len;
  while (n && corsim__is_http_ws((unsigned char)s[0])) {
    s++;
    n--;
  }
  while (n && corsim__is_http_ws((unsigned char)s[n - 1]))
    n--;
  *p = s;
  *len = n;
}

CORSIM__API int corsim_is_header_name(const char *p, size_t len) {
  return corsim__is_token(p, len);
}

CORSIM__API int corsim_is_header_value(const char *p, size_t len) {
  size_t i;
  if (len == 0)
    return 1;
  if (!p)
    return 0;
  if (corsim__is_tab_or_space((unsigned char)p[0]) ||
      corsim__is_tab_or_space((unsigned char)p[len - 1]))
    return 0;
  for (i = 0; i < len; i++) {
    unsigned char c = (unsigned char)p[i];
    if (c == 0 || c == '\r' || c == '\n')
      return 0;
  }
  return 1;
}

CORSIM__API int corsim_normalize_value(const char **p, size_t *len) {
  if (!p || !len || (!*p && *len))
    return CORSIM_ERR_INVALID_ARGUMENT;
  corsim__trim_http_ws(p, len);
  return 0;
}

/* ------------------------------------------------------------------------
 * Header-name classes
 * ------------------------------------------------------------------------ */

/*
 * 1 when name[0..len) equals lit ignoring ASCII case, where lit is a
 * lowercase name of letters, digits and '-' with the same length.  In such
 * a literal the letters are exactly the bytes with bit 0x40 set, and only
 * there may the name's byte differ, by 0x20 (its uppercase form): so a
 * name byte c matches a literal byte k when (c | (k & 0x40) >> 1) == k.
 * Eight bytes at a time where the name has eight: the last eight may
 * overlap the eight before, which only compares some bytes twice.
 */
static int name_word_is(const char *name, const char *lit) {
  const uint64_t letter_bits = 0x4040404040404040u;
  uint64_t x, k;
  memcpy(&x, name, 8);
  memcpy(&k, lit, 8);
  return (x | (k & letter_bits) >> 1) == k;
}

static int name_is(const char *name, const char *lit, size_t len) {
  size_t i;
  if (len < 8) {
    for (i = 0; i < len; i++) {
      unsigned char c = (unsigned char)name[i], l = (unsigned char)lit[i];
      if ((c | (l & 0x40) >> 1) != l)
        return 0;
    }
    return 1;
  }
  for (i = 0; i + 8 < len; i += 8)
    if (!name_word_is(name + i, lit + i))
      return 0;
  return name_word_is(name + len - 8, lit + len - 8);
}

/* The one name of each length that can have a class (of length 13, the
 * first of two: see below).  A table, not a switch on the length: that
 * compiles to an indirect jump whose target changes from header to header,
 * which predicts badly (tests/bench/RESULTS.md). */
static const struct {
  const char *lit;
  corsim__name_kind kind;
} special_names[33] = {
    /* #cors-safelisted-response-header-name */
    [6] = {"pragma", CORSIM__NAME_SAFELISTED},
    [7] = {"expires", CORSIM__NAME_SAFELISTED},
    [12] = {"content-type", CORSIM__NAME_SAFELISTED},
    [13] = {"cache-control", CORSIM__NAME_SAFELISTED}, /* or last-modified */
    [14] = {"content-length", CORSIM__NAME_CONTENT_LENGTH},
    [16] = {"content-language", CORSIM__NAME_SAFELISTED},
    /* #forbidden-response-header-name */
    [10] = {"set-cookie", CORSIM__NAME_FORBIDDEN},
    [11] = {"set-cookie2", CORSIM__NAME_FORBIDDEN},
    /* the CORS protocol's response headers */
    [27] = {"access-control-allow-origin", CORSIM__NAME_ACAO},
    [29] = {"access-control-expose-headers", CORSIM__NAME_ACEH},
    [32] = {"access-control-allow-credentials", CORSIM__NAME_ACAC}};

corsim__name_kind corsim__response_name_kind(const char *p, size_t len) {
  /* The length picks the one name that can match; most names are
   * rejected here, or by name_is() at their first bytes. */
  const char *lit;
  if (len >= sizeof special_names / sizeof special_names[0] ||
      !special_names[len].lit)
    return CORSIM__NAME_OTHER;
  lit = special_names[len].lit;
  if (len == 13 && corsim__lower((unsigned char)p[0]) == 'l')
    lit = "last-modified";
  return name_is(p, lit, len) ? special_names[len].kind : CORSIM__NAME_OTHER;
}

int corsim__is_forbidden_response_name(const char *p, size_t len) {
  return corsim__response_name_kind(p, len) == CORSIM__NAME_FORBIDDEN;
}

int corsim__is_safelisted_response_name(const char *p, size_t len,
                                        int content_length) {
  corsim__name_kind k = corsim__response_name_kind(p, len);
  return k == CORSIM__NAME_SAFELISTED ||
         (content_length && k == CORSIM__NAME_CONTENT_LENGTH);
}

/* ------------------------------------------------------------------------
 * Sorting (stable bottom-up merge sort; no allocation)
 * ------------------------------------------------------------------------ */

void corsim__sort_by_name(const corsim_header *hdr, uint32_t *idx,
                          uint32_t *tmp, size_t n) {
  size_t width, i;
  uint32_t *src = idx, *dst = tmp;

  /* Insertion sort runs of 8, then merge. */
  for (i = 0; i < n; i += 8) {
    size_t end = i + 8 < n ? i + 8 : n, j;
    for (j = i + 1; j < end; j++) {
      uint32_t v = src[j];
      size_t k = j;
      while (k > i && corsim__ci_cmp(hdr[src[k - 1]].name,
                                     hdr[src[k - 1]].name_len, hdr[v].name,
                                     hdr[v].name_len) > 0) {
        src[k] = src[k - 1];
        k--;
      }
      src[k] = v;
    }
  }
  for (width = 8; width < n; width *= 2) {
    for (i = 0; i < n; i += 2 * width) {
      size_t mid = i + width < n ? i + width : n;
      size_t end = i + 2 * width < n ? i + 2 * width : n;
      size_t a = i, b = mid, o = i;
      while (a < mid && b < end) {
        const corsim_header *x = &hdr[src[a]], *y = &hdr[src[b]];
        if (corsim__ci_cmp(y->name, y->name_len, x->name, x->name_len) < 0)
          dst[o++] = src[b++];
        else
          dst[o++] = src[a++];
      }
      while (a < mid)
        dst[o++] = src[a++];
      while (b < end)
        dst[o++] = src[b++];
    }
    {
      uint32_t *t = src;
      src = dst;
      dst = t;
    }
  }
  if (src != idx)
    memcpy(idx, src, n * sizeof *idx);
}

void corsim__sort_strs_ci(corsim_str *v, corsim_str *tmp, size_t n) {
  size_t width, i;
  corsim_str *src = v, *dst = tmp;

  for (i = 0; i < n; i += 8) {
    size_t end = i + 8 < n ? i + 8 : n, j;
    for (j = i + 1; j < end; j++) {
      corsim_str x = src[j];
      size_t k = j;
      while (k > i &&
             corsim__ci_cmp(src[k - 1].ptr, src[k - 1].len, x.ptr, x.len) > 0) {
        src[k] = src[k - 1];
        k--;
      }
      src[k] = x;
    }
  }
  for (width = 8; width < n; width *= 2) {
    for (i = 0; i < n; i += 2 * width) {
      size_t mid = i + width < n ? i + width : n;
      size_t end = i + 2 * width < n ? i + 2 * width : n;
      size_t a = i, b = mid, o = i;
      while (a < mid && b < end) {
        if (corsim__ci_cmp(src[b].ptr, src[b].len, src[a].ptr, src[a].len) <
            0)
          dst[o++] = src[b++];
        else
          dst[o++] = src[a++];
      }
      while (a < mid)
        dst[o++] = src[a++];
      while (b < end)
        dst[o++] = src[b++];
    }
    {
      corsim_str *t = src;
      src = dst;
      dst = t;
    }
  }
  if (src != v)
    memcpy(v, src, n * sizeof *v);
}

/* ------------------------------------------------------------------------
 * get, decode, and split on a value (#header-value-get-decode-and-split)
 * ------------------------------------------------------------------------ */

CORSIM__API int corsim_split_value(const char *value, size_t value_len,
                                   corsim_str *items, size_t cap,
                                   size_t *count) {
  size_t pos = 0, start = 0, n = 0;

  if (!count || (!value && value_len) || (!items && cap))
    return CORSIM_ERR_INVALID_ARGUMENT;
  if (!value)
    value = ""; /* NULL + 0 would be undefined behaviour */
  for (;;) {
    /* (a) collect up to the next '"' or ',' */
    while (pos < value_len && value[pos] != '"' && value[pos] != ',')
      pos++;
    if (pos < value_len && value[pos] == '"') {
      /* collect an HTTP quoted string, raw (quotes and backslashes kept) */
      pos++;
      for (;;) {
        while (pos < value_len && value[pos] != '"' && value[pos] != '\\')
          pos++;
        if (pos >= value_len)
          break;
        if (value[pos] == '\\') {
          pos++;
          if (pos >= value_len)
            break;
          pos++;
          continue;
        }
        pos++; /* closing quote */
        break;
      }
      if (pos < value_len)
        continue;
    }
    {
      const char *p = value + start;
      size_t len = pos - start;
      corsim__trim_ows(&p, &len);
      if (n < cap) {
        items[n].ptr = p;
        items[n].len = len;
      }
      n++;
    }
    if (pos >= value_len)
      break;
    pos++; /* the ',' */
    start = pos;
  }
  *count = n;
  return n > cap ? CORSIM_ERR_BUFFER_TOO_SMALL : 0;
}

/* ------------------------------------------------------------------------
 * The owning header list
 * ------------------------------------------------------------------------ */

struct corsim_headers {
  corsim_allocator alloc;
  corsim_header *views; /* count entries; pointers into bytes */
  size_t count, views_cap;
  char *bytes; /* names and values, back to back */
  size_t used, bytes_cap;
};

CORSIM__API int corsim_headers_new(corsim_headers **out,
                                   const corsim_allocator *alloc) {
  corsim_allocator a;
  corsim_headers *h;

  if (!out)
    return CORSIM_ERR_INVALID_ARGUMENT;
  *out = NULL;
  h = corsim__object_new(alloc, sizeof *h, &a);
  if (!h)
    return CORSIM_ERR_NOMEM;
  h->alloc = a;
  *out = h;
  return 0;
}

CORSIM__API void corsim_headers_free(corsim_headers *h) {
  if (!h)
    return;
  corsim__free(&h->alloc, h->views);
  corsim__free(&h->alloc, h->bytes);
  corsim__free(&h->alloc, h);
}

CORSIM__API void corsim_headers_clear(corsim_headers *h) {
  if (!h)
    return;
  h->count = 0;
  h->used = 0;
}

/* Makes room for extra bytes, re-pointing the views if the arena moved. */
static int reserve_bytes(corsim_headers *h, size_t extra) {
  char *old = h->bytes;
  size_t i;
  int rc;

  if (extra > CORSIM__MAX_LIST_BYTES - h->used)
    return CORSIM_ERR_TOO_LARGE;
  rc = corsim__grow(&h->alloc, (void **)&h->bytes, &h->bytes_cap,
                    h->used + extra, 1);
  if (rc)
    return rc;
  if (old && h->bytes != old) {
    for (i = 0; i < h->count; i++) {
      h->views[i].name = h->bytes + (h->views[i].name - old);
      h->views[i].value = h->bytes + (h->views[i].value - old);
    }
  }
  return 0;
}

/* The offset of p in the arena's used bytes, or -1 if p points elsewhere:
 * arguments may be views into this very list, which an arena move would
 * leave dangling. */
static ptrdiff_t arena_offset(const corsim_headers *h, const char *p) {
  uintptr_t b = (uintptr_t)h->bytes, x = (uintptr_t)p;
  if (!h->bytes || !p || x < b || x >= b + h->used)
    return -1;
  return (ptrdiff_t)(x - b);
}

static int check_pair(const char *name, size_t name_len, const char **value,
                      size_t *value_len, unsigned flags) {
  if ((!name && name_len) || (!*value && *value_len) ||
      (flags & ~(unsigned)(CORSIM_HEADER_NORMALIZE |
                           CORSIM_HEADER_LENIENT_VALUE)))
    return CORSIM_ERR_INVALID_ARGUMENT;
  if (!corsim__is_token(name, name_len))
    return CORSIM_ERR_BAD_HEADER_NAME;
  if (flags & CORSIM_HEADER_NORMALIZE)
    corsim__trim_http_ws(value, value_len);
  if (!(flags & CORSIM_HEADER_LENIENT_VALUE) &&
      !corsim_is_header_value(*value, *value_len))
    return CORSIM_ERR_BAD_HEADER_VALUE;
  return 0;
}

CORSIM__API int corsim_headers_append(corsim_headers *h, const char *name,
                                      size_t name_len, const char *value,
                                      size_t value_len, unsigned flags) {
  corsim_header *v;
  ptrdiff_t noff, voff;
  int rc;

  if (!h)
    return CORSIM_ERR_INVALID_ARGUMENT;
  rc = check_pair(name, name_len, &value, &value_len, flags);
  if (rc)
    return rc;
  if (value_len > SIZE_MAX - name_len)
    return CORSIM_ERR_TOO_LARGE;
  rc = corsim__grow(&h->alloc, (void **)&h->views, &h->views_cap, h->count + 1,
                    sizeof *h->views);
  if (rc)
    return rc;
  /* The name or value may point into our own arena: remember offsets. */
  noff = arena_offset(h, name);
  voff = arena_offset(h, value);
  rc = reserve_bytes(h, name_len + value_len);
  if (rc)
    return rc;
  if (noff >= 0)
    name = h->bytes + noff;
  if (voff >= 0)
    value = h->bytes + voff;
  v = &h->views[h->count];
  v->name = h->bytes + h->used;
  v->name_len = name_len;
  if (name_len)
    memcpy(h->bytes + h->used, name, name_len);
  h->used += name_len;
  v->value = h->bytes + h->used;
  v->value_len = value_len;
  if (value_len)
    memcpy(h->bytes + h->used, value, value_len);
  h->used += value_len;
  h->count++;
  return 0;
}

static size_t find_first(const corsim_headers *h, const char *name,
                         size_t name_len) {
  size_t i;
  for (i = 0; i < h->count; i++)
    if (corsim__ci_eq(h->views[i].name, h->views[i].name_len, name, name_len))
      return i;
  return SIZE_MAX;
}

CORSIM__API int corsim_headers_combine(corsim_headers *h, const char *name,
                                       size_t name_len, const char *value,
                                       size_t value_len, unsigned flags) {
  size_t i, old_len, total;
  const char *old_value;
  char *dst;
  int rc;

  if (!h)
    return CORSIM_ERR_INVALID_ARGUMENT;
  rc = check_pair(name, name_len, &value, &value_len, flags);
  if (rc)
    return rc;
  i = find_first(h, name, name_len);
  if (i == SIZE_MAX)
    return corsim_headers_append(h, name, name_len, value, value_len,
                                 flags & ~(unsigned)CORSIM_HEADER_NORMALIZE);
  old_len = h->views[i].value_len;
  if (value_len > SIZE_MAX - 2 - old_len)
    return CORSIM_ERR_TOO_LARGE;
  total = old_len + 2 + value_len;
  if (h->views[i].value + old_len == h->bytes + h->used) {
    /* The old value ends the arena (e.g. repeated combines of one name):
     * extend it in place, so n combines cost O(total) and not O(n^2). */
    ptrdiff_t voff = arena_offset(h, value);
    rc = reserve_bytes(h, 2 + value_len);
    if (rc)
      return rc;
    if (voff >= 0)
      value = h->bytes + voff;
    dst = h->bytes + h->used;
    dst[0] = ',';
    dst[1] = ' ';
    if (value_len)
      memcpy(dst + 2, value, value_len);
    h->views[i].value_len = total;
    h->used += 2 + value_len;
    return 0;
  }
  /* The value may point into our own arena: remember its offset. */
  {
    ptrdiff_t voff = arena_offset(h, value);
    rc = reserve_bytes(h, total);
    if (rc)
      return rc;
    if (voff >= 0)
      value = h->bytes + voff;
  }
  old_value = h->views[i].value;
  dst = h->bytes + h->used;
  memcpy(dst, old_value, old_len);
  dst[old_len] = ',';
  dst[old_len + 1] = ' ';
  if (value_len)
    memcpy(dst + old_len + 2, value, value_len);
  h->views[i].value = dst;
  h->views[i].value_len = total;
  h->used += total;
  return 0;
}

CORSIM__API int corsim_headers_delete(corsim_headers *h, const char *name,
                                      size_t name_len) {
  size_t i, o = 0;
  int removed = 0;

  if (!h || (!name && name_len))
    return CORSIM_ERR_INVALID_ARGUMENT;
  for (i = 0; i < h->count; i++) {
    if (corsim__ci_eq(h->views[i].name, h->views[i].name_len, name,
                      name_len)) {
      if (removed < INT32_MAX)
        removed++;
      continue;
    }
    h->views[o++] = h->views[i];
  }
  h->count = o;
  return removed;
}

CORSIM__API size_t corsim_headers_count(const corsim_headers *h) {
  return h ? h->count : 0;
}

CORSIM__API const corsim_header *corsim_headers_data(const corsim_headers *h,
                                                     size_t *count) {
  if (count)
    *count = h ? h->count : 0;
  if (!h || h->count == 0)
    return NULL;
  return h->views;
}

CORSIM__API int corsim_headers_contains(const corsim_headers *h,
                                        const char *name, size_t name_len) {
  if (!h || (!name && name_len))
    return 0;
  return find_first(h, name, name_len) != SIZE_MAX;
}

CORSIM__API int corsim_headers_get(const corsim_headers *h, const char *name,
                                   size_t name_len, char *buf, size_t buf_len,
                                   size_t *value_len) {
  size_t i, total = 0;
  int found = 0;

  if (!h || !value_len || (!name && name_len) || (!buf && buf_len))
    return CORSIM_ERR_INVALID_ARGUMENT;
  for (i = 0; i < h->count; i++) {
    const corsim_header *v = &h->views[i];
    if (!corsim__ci_eq(v->name, v->name_len, name, name_len))
      continue;
    if (found) {
      if (total + 2 <= buf_len)
        memcpy(buf + total, ", ", 2);
      total += 2;
    }
    if (v->value_len && total + v->value_len <= buf_len)
      memcpy(buf + total, v->value, v->value_len);
    total += v->value_len;
    found = 1;
  }
  *value_len = total;
  if (!found)
    return CORSIM_ERR_NOT_FOUND;
  return total > buf_len ? CORSIM_ERR_BUFFER_TOO_SMALL : 0;
}

/*
 * How many items corsim_split_value() gives for get(name), without the
 * joined bytes: one more than the commas outside quoted strings (a
 * backslash inside quotes takes the next byte literally), scanning the
 * values and the ", " between them as one stream.
 */
static size_t joined_item_count(const corsim_headers *h, const char *name,
                                size_t name_len) {
  size_t i, k, n = 1;
  int first = 1, state = 0; /* 0 outside, 1 in quotes, 2 after a '\\' */

  for (i = 0; i < h->count; i++) {
    const corsim_header *v = &h->views[i];
    if (!corsim__ci_eq(v->name, v->name_len, name, name_len))
      continue;
    for (k = first ? 2 : 0; k < 2 + v->value_len; k++) {
      char c = k < 2 ? ", "[k] : v->value[k - 2];
      if (state == 2)
        state = 1;
      else if (state == 1)
        state = c == '\\' ? 2 : c == '"' ? 0 : 1;
      else if (c == '"')
        state = 1;
      else if (c == ',')
        n++;
    }
    first = 0;
  }
  return n;
}

CORSIM__API int corsim_headers_get_decode_split(const corsim_headers *h,
                                                const char *name,
                                                size_t name_len, char *buf,
                                                size_t buf_len,
                                                size_t *value_len,
                                                corsim_str *items, size_t cap,
                                                size_t *count) {
  int rc;

  if (!count || (!items && cap))
    return CORSIM_ERR_INVALID_ARGUMENT;
  *count = 0;
  rc = corsim_headers_get(h, name, name_len, buf, buf_len, value_len);
  if (rc == CORSIM_ERR_BUFFER_TOO_SMALL)
    *count = joined_item_count(h, name, name_len); /* what is needed */
  if (rc)
    return rc;
  return corsim_split_value(buf, *value_len, items, cap, count);
}

/* Appends (name, v1 ", " v2 ", " ...) for the headers hdr[idx[0..n)]. */
static int append_joined(corsim_headers *h, const char *name, size_t name_len,
                         const corsim_header *hdr, const uint32_t *idx,
                         size_t n) {
  size_t total = 0, k;
  corsim_header *v;
  char *dst;
  int rc;

  for (k = 0; k < n; k++) {
    size_t add = hdr[idx[k]].value_len + (k ? 2 : 0);
    if (add > CORSIM__MAX_LIST_BYTES - total)
      return CORSIM_ERR_TOO_LARGE;
    total += add;
  }
  if (total > CORSIM__MAX_LIST_BYTES - name_len)
    return CORSIM_ERR_TOO_LARGE;
  rc = corsim__grow(&h->alloc, (void **)&h->views, &h->views_cap, h->count + 1,
                    sizeof *h->views);
  if (rc)
    return rc;
  rc = reserve_bytes(h, name_len + total);
  if (rc)
    return rc;
  dst = h->bytes + h->used;
  v = &h->views[h->count];
  memcpy(dst, name, name_len);
  v->name = dst;
  v->name_len = name_len;
  dst += name_len;
  v->value = dst;
  v->value_len = total;
  for (k = 0; k < n; k++) {
    if (k) {
      *dst++ = ',';
      *dst++ = ' ';
    }
    if (hdr[idx[k]].value_len)
      memcpy(dst, hdr[idx[k]].value, hdr[idx[k]].value_len);
    dst += hdr[idx[k]].value_len;
  }
  h->used += name_len + total;
  h->count++;
  return 0;
}

CORSIM__API int corsim_headers_sort_and_combine(const corsim_headers *in,
                                                corsim_headers *out) {
  uint32_t *idx = NULL, *tmp = NULL;
  size_t i, j, n;
  int rc = 0;

  if (!in || !out || in == out)
    return CORSIM_ERR_INVALID_ARGUMENT;
  corsim_headers_clear(out);
  n = in->count;
  if (n == 0)
    return 0;
  if (n > UINT32_MAX)
    return CORSIM_ERR_TOO_LARGE;
  idx = corsim__malloc(&out->alloc, n * sizeof *idx);
  tmp = corsim__malloc(&out->alloc, n * sizeof *tmp);
  if (!idx || !tmp) {
    rc = CORSIM_ERR_NOMEM;
    goto done;
  }
  for (i = 0; i < n; i++)
    idx[i] = (uint32_t)i;
  corsim__sort_by_name(in->views, idx, tmp, n);
  for (i = 0; i < n; i = j) {
    const corsim_header *first = &in->views[idx[i]];
    char lname[64];
    char *lower = lname;
    size_t k;

    for (j = i + 1; j < n && corsim__ci_eq(in->views[idx[j]].name,
                                           in->views[idx[j]].name_len,
                                           first->name, first->name_len);
         j++)
      ;
    if (first->name_len > sizeof lname) {
      lower = corsim__malloc(&out->alloc, first->name_len);
      if (!lower) {
        rc = CORSIM_ERR_NOMEM;
        goto done;
      }
    }
    for (k = 0; k < first->name_len; k++)
      lower[k] = (char)corsim__lower((unsigned char)first->name[k]);
    if (corsim__ci_eq_lit(first->name, first->name_len, "set-cookie")) {
      for (k = i; k < j && !rc; k++)
        rc = corsim_headers_append(out, lower, first->name_len,
                                   in->views[idx[k]].value,
                                   in->views[idx[k]].value_len,
                                   CORSIM_HEADER_LENIENT_VALUE);
    } else {
      rc = append_joined(out, lower, first->name_len, in->views, idx + i,
                         j - i);
    }
    if (lower != lname)
      corsim__free(&out->alloc, lower);
    if (rc)
      goto done;
  }
done:
  if (rc)
    corsim_headers_clear(out);
  corsim__free(&out->alloc, idx);
  corsim__free(&out->alloc, tmp);
  return rc;
}
