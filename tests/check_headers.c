/*
 * check_headers.c -- lib/headers.c: header names and values, get / decode /
 * split, the owning header list (append, combine, delete, get, sort and
 * combine), and the internal byte helpers (case-insensitive compare,
 * name classes, stable sorts).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "internal.h"

#define ASSERT_HDR(HV, NAME, VALUE)                                           \
  do {                                                                        \
    const corsim_header *ah_h = (HV);                                         \
    ck_assert_bytes(ah_h->name, ah_h->name_len, L(NAME));                     \
    ck_assert_bytes(ah_h->value, ah_h->value_len, L(VALUE));                  \
  } while (0)

#define ASSERT_GET(H, NAME, VALUE)                                            \
  do {                                                                        \
    char ag_buf[512];                                                         \
    size_t ag_len = 12345;                                                    \
    ck_assert_int_eq(                                                         \
        corsim_headers_get((H), L(NAME), ag_buf, sizeof ag_buf, &ag_len), 0); \
    ck_assert_bytes(ag_buf, ag_len, L(VALUE));                                \
  } while (0)

#define APPEND(H, NAME, VALUE)                                                \
  ck_assert_ok(corsim_headers_append((H), L(NAME), L(VALUE), 0))

static corsim_headers *mk(const corsim_allocator *a) {
  corsim_headers *h = NULL;
  ck_assert_ok(corsim_headers_new(&h, a));
  ck_assert_ptr_nonnull(h);
  return h;
}

/* Serializes a list ("name\x01value\x02" per header) to compare states. */
static size_t dump(const corsim_headers *h, char *out, size_t cap) {
  size_t n, i, o = 0;
  const corsim_header *d = corsim_headers_data(h, &n);
  for (i = 0; i < n; i++) {
    ck_assert_uint_le(o + d[i].name_len + d[i].value_len + 2, cap);
    memcpy(out + o, d[i].name, d[i].name_len);
    o += d[i].name_len;
    out[o++] = '\x01';
    if (d[i].value_len)
      memcpy(out + o, d[i].value, d[i].value_len);
    o += d[i].value_len;
    out[o++] = '\x02';
  }
  return o;
}

/* Deterministic PRNG (xorshift32). */
static uint32_t rng_next(uint32_t *s) {
  uint32_t x = *s;
  x ^= x << 13;
  x ^= x >> 17;
  x ^= x << 5;
  *s = x;
  return x;
}

/* Reference: compare lowercased bytes in memcmp order, shorter first. */
static int ref_ci_cmp(const char *a, size_t an, const char *b, size_t bn) {
  size_t i, n = an < bn ? an : bn;
  for (i = 0; i < n; i++) {
    unsigned char x = (unsigned char)a[i], y = (unsigned char)b[i];
    if (x >= 'A' && x <= 'Z')
      x = (unsigned char)(x + 32);
    if (y >= 'A' && y <= 'Z')
      y = (unsigned char)(y + 32);
    if (x != y)
      return x < y ? -1 : 1;
  }
  return an < bn ? -1 : an > bn ? 1 : 0;
}

static int sign(int x) { return x < 0 ? -1 : x > 0 ? 1 : 0; }

/*
 * A "poisoning" allocator: every realloc moves the block, and every
 * released block is filled with 0xDD and kept (not returned to the C
 * library) until pz_destroy().  A library that reads through a stale
 * pointer after its arena moved then reads 0xDD deterministically.
 */
typedef union pz_head {
  max_align_t align;
  size_t size;
} pz_head;

typedef struct pz_state {
  pz_head **dead;
  size_t ndead, capdead;
  size_t moves, live;
} pz_state;

static void pz_bury(pz_state *z, pz_head *b) {
  if (z->ndead == z->capdead) {
    size_t nc = z->capdead ? z->capdead * 2 : 64;
    pz_head **nd = realloc(z->dead, nc * sizeof *nd);
    ck_assert_ptr_nonnull(nd);
    z->dead = nd;
    z->capdead = nc;
  }
  z->dead[z->ndead++] = b;
}

static void *pz_malloc(size_t n, void *ud) {
  pz_state *z = ud;
  pz_head *b = malloc(sizeof *b + n);
  if (!b)
    return NULL;
  b->size = n;
  memset(b + 1, 0xA5, n);
  z->live++;
  return b + 1;
}

static void *pz_realloc(void *p, size_t n, void *ud) {
  pz_state *z = ud;
  pz_head *old;
  void *q;
  if (!p)
    return pz_malloc(n, ud);
  old = (pz_head *)p - 1;
  q = pz_malloc(n, ud);
  if (!q)
    return NULL;
  memcpy(q, p, old->size < n ? old->size : n);
  memset(p, 0xDD, old->size);
  pz_bury(z, old);
  z->live--;
  z->moves++;
  return q;
}

static void pz_free(void *p, void *ud) {
  pz_state *z = ud;
  pz_head *old;
  if (!p)
    return;
  old = (pz_head *)p - 1;
  memset(p, 0xDD, old->size);
  pz_bury(z, old);
  z->live--;
}

static corsim_allocator pz_alloc(pz_state *z) {
  corsim_allocator a;
  memset(z, 0, sizeof *z);
  a.malloc = pz_malloc;
  a.realloc = pz_realloc;
  a.free = pz_free;
  a.user_data = z;
  return a;
}

static void pz_destroy(pz_state *z) {
  size_t i;
  for (i = 0; i < z->ndead; i++)
    free(z->dead[i]);
  free(z->dead);
  z->dead = NULL;
  z->ndead = z->capdead = 0;
}

/* ------------------------------------------------------------------------
 * corsim_is_header_name
 * ------------------------------------------------------------------------ */

static int ref_tchar(unsigned b) {
  static const char extra[] = "!#$%&'*+-.^_`|~";
  size_t i;
  if ((b >= '0' && b <= '9') || (b >= 'a' && b <= 'z') ||
      (b >= 'A' && b <= 'Z'))
    return 1;
  for (i = 0; i < sizeof extra - 1; i++)
    if ((unsigned char)extra[i] == b)
      return 1;
  return 0;
}

/* Loop 0..255: every byte as a one-byte name, and inside longer names. */
START_TEST(test_name_each_byte) {
  unsigned b = (unsigned)_i;
  int want = ref_tchar(b);
  char one[1], mid[5], first[3], last[3];

  one[0] = (char)b;
  memcpy(mid, "ab?cd", 5);
  mid[2] = (char)b;
  memcpy(first, "?ab", 3);
  first[0] = (char)b;
  memcpy(last, "ab?", 3);
  last[2] = (char)b;
  ck_assert_msg(corsim_is_header_name(one, 1) == want, "byte 0x%02x", b);
  ck_assert_int_eq(corsim__tchar_table[b], want);
  ck_assert_int_eq(corsim__is_token(one, 1), want);
  ck_assert_msg(corsim_is_header_name(mid, 5) == want, "byte 0x%02x", b);
  ck_assert_msg(corsim_is_header_name(first, 3) == want, "byte 0x%02x", b);
  ck_assert_msg(corsim_is_header_name(last, 3) == want, "byte 0x%02x", b);
}
END_TEST

START_TEST(test_name_tchar_count) {
  unsigned b, n = 0;
  for (b = 0; b < 256; b++)
    n += corsim__tchar_table[b] ? 1u : 0u;
  ck_assert_uint_eq(n, 62 + 15); /* DIGIT ALPHA and 15 symbols */
}
END_TEST

START_TEST(test_name_edges) {
  static char big[10000];
  ck_assert_int_eq(corsim_is_header_name("", 0), 0);
  ck_assert_int_eq(corsim_is_header_name(NULL, 0), 0);
  ck_assert_int_eq(corsim_is_header_name(NULL, 4), 0);
  /* NUL is data: the explicit length decides */
  ck_assert_int_eq(corsim_is_header_name(L("ab\0cd")), 0);
  ck_assert_int_eq(corsim_is_header_name("ab\0cd", 2), 1);
  ck_assert_int_eq(corsim_is_header_name(L("\0")), 0);
  ck_assert_int_eq(corsim_is_header_name(L("abc\0")), 0);
  ck_assert_int_eq(corsim_is_header_name("abcdef", 3), 1);
  ck_assert_int_eq(corsim_is_header_name(L("*")), 1);
  ck_assert_int_eq(corsim_is_header_name(L("Content-Type")), 1);
  ck_assert_int_eq(corsim_is_header_name(L("X-Custom_Header.v1~")), 1);
  ck_assert_int_eq(corsim_is_header_name(L("!#$%&'*+-.^_`|~")), 1);
  ck_assert_int_eq(corsim_is_header_name(L("a b")), 0);
  ck_assert_int_eq(corsim_is_header_name(L("a:")), 0);
  ck_assert_int_eq(corsim_is_header_name(L(":authority")), 0);
  ck_assert_int_eq(corsim_is_header_name(L("a\t")), 0);
  ck_assert_int_eq(corsim_is_header_name(L("\"a\"")), 0);
  ck_assert_int_eq(corsim_is_header_name(L("a,b")), 0);
  ck_assert_int_eq(corsim_is_header_name(L("caf\xc3\xa9")), 0);
  ck_assert_int_eq(corsim_is_header_name(L("a\x7f")), 0);
  ck_assert_int_eq(corsim_is_header_name(L("a/b")), 0);
  memset(big, 'x', sizeof big);
  ck_assert_int_eq(corsim_is_header_name(big, sizeof big), 1);
  big[sizeof big - 1] = ' ';
  ck_assert_int_eq(corsim_is_header_name(big, sizeof big), 0);
  ck_assert_int_eq(corsim_is_header_name(big, sizeof big - 1), 1);
}
END_TEST

/* ------------------------------------------------------------------------
 * corsim_is_header_value
 * ------------------------------------------------------------------------ */

struct bytes_case {
  const char *p;
  size_t n;
  int want;
};

static const struct bytes_case value_cases[] = {
    {L(""), 1},
    {L("a"), 1},
    {L("a b"), 1},
    {L("a\tb"), 1},
    {L("a  \t  b"), 1},
    {L(" a"), 0},
    {L("a "), 0},
    {L("\ta"), 0},
    {L("a\t"), 0},
    {L(" "), 0},
    {L("\t"), 0},
    {L("  "), 0},
    {L("\0"), 0},
    {L("a\0b"), 0},
    {L("a\0"), 0},
    {L("\0a"), 0},
    {L("\r"), 0},
    {L("\n"), 0},
    {L("a\rb"), 0},
    {L("a\nb"), 0},
    {L("a\r\n b"), 0},
    {L("a\r"), 0},
    {L("\na"), 0},
    {L("\x01"), 1},
    {L("\x0b"), 1},
    {L("\x0c"), 1},
    {L("\x0b" "a" "\x0c"), 1},
    {L("\x1f"), 1},
    {L("\x7f"), 1},
    {L("\x80"), 1},
    {L("\xff"), 1},
    {L("caf\xc3\xa9"), 1},
    {L("\xa0" "a" "\xa0"), 1},
    {L("x/x;test=\"hi\", y"), 1},
};

START_TEST(test_value_table) {
  const struct bytes_case *c = &value_cases[_i];
  ck_assert_msg(corsim_is_header_value(c->p, c->n) == c->want,
                "\"%s\": want %d", tu_esc(c->p, c->n), c->want);
}
END_TEST

/* Loop 0..255: a byte alone, leading, trailing and in the middle. */
START_TEST(test_value_each_byte) {
  unsigned b = (unsigned)_i;
  int forbidden_anywhere = b == 0 || b == '\r' || b == '\n';
  int edge_bad = forbidden_anywhere || b == ' ' || b == '\t';
  char one[1], mid[3], lead[2], trail[2];

  one[0] = (char)b;
  memcpy(mid, "x?y", 3);
  mid[1] = (char)b;
  memcpy(lead, "?x", 2);
  lead[0] = (char)b;
  memcpy(trail, "x?", 2);
  trail[1] = (char)b;
  ck_assert_msg(corsim_is_header_value(one, 1) == !edge_bad, "0x%02x", b);
  ck_assert_msg(corsim_is_header_value(lead, 2) == !edge_bad, "0x%02x", b);
  ck_assert_msg(corsim_is_header_value(trail, 2) == !edge_bad, "0x%02x", b);
  ck_assert_msg(corsim_is_header_value(mid, 3) == !forbidden_anywhere,
                "0x%02x", b);
}
END_TEST

START_TEST(test_value_null) {
  ck_assert_int_eq(corsim_is_header_value(NULL, 0), 1);
  ck_assert_int_eq(corsim_is_header_value(NULL, 3), 0);
  /* the length decides, not a NUL terminator */
  ck_assert_int_eq(corsim_is_header_value("ab\0", 2), 1);
  ck_assert_int_eq(corsim_is_header_value("ab ", 2), 1);
  ck_assert_int_eq(corsim_is_header_value("ab ", 3), 0);
}
END_TEST

/* ------------------------------------------------------------------------
 * corsim_normalize_value
 * ------------------------------------------------------------------------ */

struct norm_case {
  const char *p;
  size_t n;
  size_t off, len;
};

static const struct norm_case norm_cases[] = {
    {L("abc"), 0, 3},
    {L(" \t\r\n a b \r\n\t "), 5, 3},
    {L("\r\nx"), 2, 1},
    {L("x\r\n"), 0, 1},
    {L(""), 0, 0},
    {L("   "), 0, 0},
    {L("\r\n\t "), 0, 0},
    {L("\x0b" "a"), 0, 2},           /* VT is not HTTP whitespace */
    {L("\x0c" " a " "\x0c"), 0, 5},  /* nor is FF */
    {L("a\0 "), 0, 2},               /* NUL is not stripped */
    {L(" \0 a"), 1, 3},
    {L("\t" "\xa0" "x" "\xa0" "\t"), 1, 3}, /* nor is 0xA0 */
    {L(" a \t b "), 1, 5},           /* interior bytes are kept */
};

START_TEST(test_normalize_table) {
  const struct norm_case *c = &norm_cases[_i];
  const char *p = c->p;
  size_t n = c->n;
  ck_assert_ok(corsim_normalize_value(&p, &n));
  ck_assert_uint_eq(n, c->len);
  if (c->len)
    ck_assert_ptr_eq(p, c->p + c->off); /* a view: same bytes, narrowed */
  else
    ck_assert_msg(p >= c->p && p <= c->p + c->n, "view left the input");
}
END_TEST

START_TEST(test_normalize_args) {
  const char *p = "x";
  size_t n = 1;
  ck_assert_int_eq(corsim_normalize_value(NULL, &n), CORSIM_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(corsim_normalize_value(&p, NULL), CORSIM_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(corsim_normalize_value(NULL, NULL),
                   CORSIM_ERR_INVALID_ARGUMENT);
  p = NULL;
  n = 3;
  ck_assert_int_eq(corsim_normalize_value(&p, &n), CORSIM_ERR_INVALID_ARGUMENT);
  p = NULL;
  n = 0;
  ck_assert_ok(corsim_normalize_value(&p, &n));
  ck_assert_ptr_null(p);
  ck_assert_uint_eq(n, 0);
}
END_TEST

/* ------------------------------------------------------------------------
 * corsim_split_value
 * ------------------------------------------------------------------------ */

struct bstr {
  const char *p;
  size_t n;
};

struct split_case {
  const char *in;
  size_t len;
  size_t n;
  struct bstr items[6];
};

static const struct split_case split_cases[] = {
    /* every example of the spec digest 2.4 */
    {L(""), 1, {{L("")}}},
    {L("nosniff,"), 2, {{L("nosniff")}, {L("")}}},
    {L("nosniff, "), 2, {{L("nosniff")}, {L("")}}}, /* "nosniff" + "" */
    {L("x/x;test=\"hi\",y/y"), 2, {{L("x/x;test=\"hi\"")}, {L("y/y")}}},
    {L("x / x,,,1"), 4, {{L("x / x")}, {L("")}, {L("")}, {L("1")}}},
    {L("\"1,2\", 3"), 2, {{L("\"1,2\"")}, {L("3")}}},
    {L("text/html;\", x/x"), 1, {{L("text/html;\", x/x")}}},
    {L("\"a\"\"b\""), 1, {{L("\"a\"\"b\"")}}},
    /* backslash as the last byte, inside a quoted string */
    {L("\"\\"), 1, {{L("\"\\")}}},
    {L("x, \"ab\\"), 2, {{L("x")}, {L("\"ab\\")}}},
    /* escaped quote and comma inside quotes */
    {L("a, \"b\\\",c\", d"), 3, {{L("a")}, {L("\"b\\\",c\"")}, {L("d")}}},
    {L("\"a\\,b\",c"), 2, {{L("\"a\\,b\"")}, {L("c")}}},
    /* after the closing quote the same item continues */
    {L("\"Hello\" World, x"), 2, {{L("\"Hello\" World")}, {L("x")}}},
    {L("a\"b,c\"d,e"), 2, {{L("a\"b,c\"d")}, {L("e")}}},
    {L("\"a,b"), 1, {{L("\"a,b")}}},
    {L("\"\",\"\""), 2, {{L("\"\"")}, {L("\"\"")}}},
    /* a backslash outside quotes is an ordinary byte */
    {L("a\\,b"), 2, {{L("a\\")}, {L("b")}}},
    /* spaces and tabs trimmed; CR, LF, VT are not */
    {L(" \t a \t , \t b \t "), 2, {{L("a")}, {L("b")}}},
    {L("a\r\n, b"), 2, {{L("a\r\n")}, {L("b")}}},
    {L("\x0b" "a, b"), 2, {{L("\x0b" "a")}, {L("b")}}},
    {L("a  b , c"), 2, {{L("a  b")}, {L("c")}}},
    {L(","), 2, {{L("")}, {L("")}}},
    {L(",,"), 3, {{L("")}, {L("")}, {L("")}}},
    {L(" , "), 2, {{L("")}, {L("")}}},
    {L("a"), 1, {{L("a")}}},
    {L("   "), 1, {{L("")}}},
    /* NUL is data */
    {L("a\0b,c"), 2, {{L("a\0b")}, {L("c")}}},
    {L("a,b,c,d,e,f"),
     6,
     {{L("a")}, {L("b")}, {L("c")}, {L("d")}, {L("e")}, {L("f")}}},
};

static void check_split_items(const struct split_case *c,
                              const corsim_str *items, size_t k) {
  size_t j;
  for (j = 0; j < k; j++) {
    ck_assert_msg(tu_bytes_eq(items[j].ptr, items[j].len, c->items[j].p,
                           c->items[j].n),
                  "input \"%s\" item %zu: got \"%s\", want \"%s\"",
                  tu_esc(c->in, c->len), j, tu_esc(items[j].ptr, items[j].len),
                  tu_esc(c->items[j].p, c->items[j].n));
    /* views into the input */
    ck_assert_msg(items[j].ptr >= c->in &&
                      items[j].ptr + items[j].len <= c->in + c->len,
                  "item %zu is not a view into the input", j);
  }
}

START_TEST(test_split_table) {
  const struct split_case *c = &split_cases[_i];
  corsim_str items[8];
  size_t count = 999, j;

  /* exact room */
  memset(items, 0, sizeof items);
  ck_assert_ok(corsim_split_value(c->in, c->len, items, c->n, &count));
  ck_assert_uint_eq(count, c->n);
  check_split_items(c, items, c->n);

  /* plenty of room: the rest is untouched */
  for (j = 0; j < 8; j++) {
    items[j].ptr = "#";
    items[j].len = 77;
  }
  count = 999;
  ck_assert_ok(corsim_split_value(c->in, c->len, items, 8, &count));
  ck_assert_uint_eq(count, c->n);
  check_split_items(c, items, c->n);
  for (j = c->n; j < 8; j++)
    ck_assert_uint_eq(items[j].len, 77);

  /* one short: BUFFER_TOO_SMALL, the count needed, the first cap written */
  for (j = 0; j < 8; j++) {
    items[j].ptr = "#";
    items[j].len = 77;
  }
  count = 999;
  ck_assert_int_eq(corsim_split_value(c->in, c->len, items, c->n - 1, &count),
                   CORSIM_ERR_BUFFER_TOO_SMALL);
  ck_assert_uint_eq(count, c->n);
  check_split_items(c, items, c->n - 1);
  ck_assert_uint_eq(items[c->n - 1].len, 77);

  /* no room at all: just the count */
  count = 999;
  ck_assert_int_eq(corsim_split_value(c->in, c->len, NULL, 0, &count),
                   CORSIM_ERR_BUFFER_TOO_SMALL);
  ck_assert_uint_eq(count, c->n);
}
END_TEST

START_TEST(test_split_too_small_and_args) {
  corsim_str items[4];
  size_t count = 0;

  items[2].ptr = "sentinel";
  items[2].len = 8;
  ck_assert_int_eq(corsim_split_value(L("a,b,c,d"), items, 2, &count),
                   CORSIM_ERR_BUFFER_TOO_SMALL);
  ck_assert_uint_eq(count, 4);
  ck_assert_bytes(items[0].ptr, items[0].len, L("a"));
  ck_assert_bytes(items[1].ptr, items[1].len, L("b"));
  ck_assert_bytes(items[2].ptr, items[2].len, L("sentinel"));

  ck_assert_int_eq(corsim_split_value(L("a,b"), items, 4, NULL),
                   CORSIM_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(corsim_split_value(NULL, 3, items, 4, &count),
                   CORSIM_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(corsim_split_value(L("a,b"), NULL, 2, &count),
                   CORSIM_ERR_INVALID_ARGUMENT);
  /* NULL with length 0 is the empty string: one empty item */
  count = 999;
  ck_assert_ok(corsim_split_value(NULL, 0, items, 4, &count));
  ck_assert_uint_eq(count, 1);
  ck_assert_uint_eq(items[0].len, 0);
}
END_TEST

/* ------------------------------------------------------------------------
 * corsim_headers: lifecycle
 * ------------------------------------------------------------------------ */

START_TEST(test_list_new_free_clear) {
  static int dummy;
  corsim_headers *h = (corsim_headers *)(void *)&dummy; /* must be reset */
  const corsim_header *d;
  size_t n = 99;

  ck_assert_int_eq(corsim_headers_new(NULL, NULL), CORSIM_ERR_INVALID_ARGUMENT);
  ck_assert_ok(corsim_headers_new(&h, NULL));
  ck_assert_uint_eq(corsim_headers_count(h), 0);
  d = corsim_headers_data(h, &n);
  ck_assert_ptr_null(d);
  ck_assert_uint_eq(n, 0);

  APPEND(h, "A", "1");
  APPEND(h, "B", "2");
  ck_assert_uint_eq(corsim_headers_count(h), 2);
  corsim_headers_clear(h);
  ck_assert_uint_eq(corsim_headers_count(h), 0);
  n = 99;
  ck_assert_ptr_null(corsim_headers_data(h, &n));
  ck_assert_uint_eq(n, 0);
  ck_assert_int_eq(corsim_headers_contains(h, L("a")), 0);
  APPEND(h, "C", "3");
  d = corsim_headers_data(h, &n);
  ck_assert_uint_eq(n, 1);
  ASSERT_HDR(&d[0], "C", "3");

  corsim_headers_free(NULL);
  corsim_headers_clear(NULL);
  corsim_headers_free(h);
}
END_TEST

START_TEST(test_list_allocator_and_clear_keeps_memory) {
  tu_counter c;
  corsim_allocator a;
  corsim_headers *h;
  size_t allocs, frees, i;

  memset(&c, 0, sizeof c);
  a = tu_counting_allocator(&c);
  h = mk(&a);
  ck_assert_uint_ge(c.allocs, 1);
  for (i = 0; i < 20; i++)
    APPEND(h, "X-Header", "some value of a certain length");
  ck_assert_uint_ge(c.live, 3); /* struct, views, bytes */
  allocs = c.allocs;
  frees = c.frees;
  corsim_headers_clear(h);
  ck_assert_uint_eq(c.frees, frees);
  for (i = 0; i < 20; i++)
    APPEND(h, "X-Header", "some value of a certain length");
  ck_assert_uint_eq(c.allocs, allocs); /* the memory was kept */
  ck_assert_uint_eq(corsim_headers_count(h), 20);
  corsim_headers_free(h);
  ck_assert_uint_eq(c.live, 0);
}
END_TEST

START_TEST(test_list_nomem) {
  tu_counter c;
  corsim_allocator a;
  static int dummy;
  corsim_headers *h = (corsim_headers *)(void *)&dummy;
  char before[4096], after[4096];
  size_t blen, alen, i;
  static char longv[1000];
  int rc;

  memset(&c, 0, sizeof c);
  memset(longv, 'v', sizeof longv);
  a = tu_counting_allocator(&c);

  /* new */
  c.fail_at = 1;
  ck_assert_int_eq(corsim_headers_new(&h, &a), CORSIM_ERR_NOMEM);
  ck_assert_ptr_null(h);
  ck_assert_uint_eq(c.live, 0);
  c.fail_at = 0;
  h = mk(&a);

  /* append: views array growth fails, then bytes growth fails */
  for (i = 0; i < 8; i++)
    APPEND(h, "A", "1");
  blen = dump(h, before, sizeof before);
  c.fail_at = c.allocs + 1;
  rc = corsim_headers_append(h, L("Next"), longv, sizeof longv, 0);
  ck_assert_int_eq(rc, CORSIM_ERR_NOMEM);
  ck_assert_uint_eq(corsim_headers_count(h), 8);
  alen = dump(h, after, sizeof after);
  ck_assert_bytes(after, alen, before, blen);

  c.fail_at = c.allocs + 2;
  rc = corsim_headers_append(h, L("Next"), longv, sizeof longv, 0);
  ck_assert_int_eq(rc, CORSIM_ERR_NOMEM);
  ck_assert_uint_eq(corsim_headers_count(h), 8);
  alen = dump(h, after, sizeof after);
  ck_assert_bytes(after, alen, before, blen);

  /* combine: the arena growth fails, the first match is unchanged */
  c.fail_at = c.allocs + 1;
  rc = corsim_headers_combine(h, L("a"), longv, sizeof longv, 0);
  ck_assert_int_eq(rc, CORSIM_ERR_NOMEM);
  alen = dump(h, after, sizeof after);
  ck_assert_bytes(after, alen, before, blen);

  c.fail_at = 0;
  ck_assert_ok(corsim_headers_append(h, L("Next"), longv, sizeof longv, 0));
  ck_assert_uint_eq(corsim_headers_count(h), 9);
  corsim_headers_free(h);
  ck_assert_uint_eq(c.live, 0);
}
END_TEST

/* ------------------------------------------------------------------------
 * corsim_headers_append: validation and flags
 * ------------------------------------------------------------------------ */

struct append_case {
  const char *name;
  size_t name_len;
  const char *value;
  size_t value_len;
  unsigned flags;
  int rc;
  const char *stored; /* the stored value when rc == 0 */
  size_t stored_len;
};

#define NRM CORSIM_HEADER_NORMALIZE
#define LEN CORSIM_HEADER_LENIENT_VALUE

static const struct append_case append_cases[] = {
    {L("X"), L("v"), 0, 0, L("v")},
    {L("*"), L(""), 0, 0, L("")},
    {L("X"), L("\x01\x7f\x80\xff"), 0, 0, L("\x01\x7f\x80\xff")},
    {L(""), L("v"), 0, CORSIM_ERR_BAD_HEADER_NAME, L("")},
    {L("a b"), L("v"), 0, CORSIM_ERR_BAD_HEADER_NAME, L("")},
    {L("a:"), L("v"), 0, CORSIM_ERR_BAD_HEADER_NAME, L("")},
    {L("a\0"), L("v"), 0, CORSIM_ERR_BAD_HEADER_NAME, L("")},
    {L("caf\xc3\xa9"), L("v"), 0, CORSIM_ERR_BAD_HEADER_NAME, L("")},
    {L(" x"), L("v"), NRM, CORSIM_ERR_BAD_HEADER_NAME, L("")},
    {L("bad name"), L(" v"), LEN, CORSIM_ERR_BAD_HEADER_NAME, L("")},
    {L("X"), L(" v"), 0, CORSIM_ERR_BAD_HEADER_VALUE, L("")},
    {L("X"), L("v "), 0, CORSIM_ERR_BAD_HEADER_VALUE, L("")},
    {L("X"), L("\tv"), 0, CORSIM_ERR_BAD_HEADER_VALUE, L("")},
    {L("X"), L("a\r\nb"), 0, CORSIM_ERR_BAD_HEADER_VALUE, L("")},
    {L("X"), L("a\0b"), 0, CORSIM_ERR_BAD_HEADER_VALUE, L("")},
    {L("X"), L("\n"), 0, CORSIM_ERR_BAD_HEADER_VALUE, L("")},
    {L("X"), L(" v"), NRM, 0, L("v")},
    {L("X"), L("\r\n v \t"), NRM, 0, L("v")},
    {L("X"), L(" \t "), NRM, 0, L("")},
    {L("X"), L("a\nb"), NRM, CORSIM_ERR_BAD_HEADER_VALUE, L("")},
    {L("X"), L(" a\0b "), NRM, CORSIM_ERR_BAD_HEADER_VALUE, L("")},
    {L("X"), L("a\nb"), LEN, 0, L("a\nb")},
    {L("X"), L(" v "), LEN, 0, L(" v ")},
    {L("X"), L("\0"), LEN, 0, L("\0")},
    {L("X"), L(" a\0b \r\n"), NRM | LEN, 0, L("a\0b")},
    {L("X"), L("v"), 1u << 2, CORSIM_ERR_INVALID_ARGUMENT, L("")},
    {L("X"), L("v"), 0x80000000u, CORSIM_ERR_INVALID_ARGUMENT, L("")},
    {L("X"), L("v"), NRM | LEN | (1u << 5), CORSIM_ERR_INVALID_ARGUMENT,
     L("")},
};

/* Each case on a list already holding two headers; errors change nothing. */
static void run_append_case(const struct append_case *c, int combine) {
  corsim_headers *h = mk(NULL);
  char before[1024], after[1024];
  size_t blen, alen, n;
  const corsim_header *d;
  int rc;

  APPEND(h, "First", "1");
  APPEND(h, "Second", "");
  blen = dump(h, before, sizeof before);
  if (combine)
    rc = corsim_headers_combine(h, c->name, c->name_len, c->value,
                                c->value_len, c->flags);
  else
    rc = corsim_headers_append(h, c->name, c->name_len, c->value,
                               c->value_len, c->flags);
  ck_assert_msg(rc == c->rc, "name \"%s\" value \"%s\" flags %u: got %d want %d",
                tu_esc(c->name, c->name_len), tu_esc(c->value, c->value_len),
                c->flags, rc, c->rc);
  d = corsim_headers_data(h, &n);
  if (rc) {
    alen = dump(h, after, sizeof after);
    ck_assert_bytes(after, alen, before, blen);
  } else {
    ck_assert_uint_eq(n, 3);
    ASSERT_HDR(&d[0], "First", "1");
    ASSERT_HDR(&d[1], "Second", "");
    ck_assert_bytes(d[2].name, d[2].name_len, c->name, c->name_len);
    ck_assert_bytes(d[2].value, d[2].value_len, c->stored, c->stored_len);
    /* copied, not referenced */
    ck_assert_ptr_ne(d[2].name, c->name);
  }
  corsim_headers_free(h);
}

START_TEST(test_append_table) { run_append_case(&append_cases[_i], 0); }
END_TEST

/* combine of a new name appends, with the same validation */
START_TEST(test_combine_table) { run_append_case(&append_cases[_i], 1); }
END_TEST

START_TEST(test_append_too_large) {
  corsim_headers *h = mk(NULL);
  char before[256], after[256];
  size_t blen, alen;
  static const char small[4] = {'a', 'b', 'c', 'd'};

  APPEND(h, "A", "1");
  blen = dump(h, before, sizeof before);
  /* Lenient values are not read before the size check. */
  ck_assert_int_eq(corsim_headers_append(h, L("X"), small, SIZE_MAX,
                                         CORSIM_HEADER_LENIENT_VALUE),
                   CORSIM_ERR_TOO_LARGE);
  ck_assert_int_eq(corsim_headers_append(h, L("X"), small,
                                         CORSIM__MAX_LIST_BYTES,
                                         CORSIM_HEADER_LENIENT_VALUE),
                   CORSIM_ERR_TOO_LARGE);
  ck_assert_int_eq(corsim_headers_combine(h, L("a"), small,
                                          CORSIM__MAX_LIST_BYTES,
                                          CORSIM_HEADER_LENIENT_VALUE),
                   CORSIM_ERR_TOO_LARGE);
  ck_assert_int_eq(corsim_headers_combine(h, L("a"), small, SIZE_MAX - 1,
                                          CORSIM_HEADER_LENIENT_VALUE),
                   CORSIM_ERR_TOO_LARGE);
  alen = dump(h, after, sizeof after);
  ck_assert_bytes(after, alen, before, blen);
  corsim_headers_free(h);
}
END_TEST

START_TEST(test_append_nul_in_lenient_value) {
  corsim_headers *h = mk(NULL);
  const corsim_header *d;
  size_t n;
  char buf[32];
  size_t vlen;

  ck_assert_ok(corsim_headers_append(h, L("X-Bin"), L("a\0b\0"),
                                     CORSIM_HEADER_LENIENT_VALUE));
  ck_assert_ok(corsim_headers_append(h, L("x-bin"), L("\0"),
                                     CORSIM_HEADER_LENIENT_VALUE));
  d = corsim_headers_data(h, &n);
  ck_assert_uint_eq(n, 2);
  ck_assert_uint_eq(d[0].value_len, 4);
  ck_assert_bytes(d[0].value, d[0].value_len, L("a\0b\0"));
  ck_assert_bytes(d[1].value, d[1].value_len, L("\0"));
  ck_assert_ok(corsim_headers_get(h, L("X-BIN"), buf, sizeof buf, &vlen));
  ck_assert_bytes(buf, vlen, L("a\0b\0, \0"));
  corsim_headers_free(h);
}
END_TEST

/* ------------------------------------------------------------------------
 * Order, duplicates, contains / get / delete
 * ------------------------------------------------------------------------ */

START_TEST(test_duplicates_order_casing) {
  corsim_headers *h = mk(NULL);
  const corsim_header *d;
  size_t n;

  APPEND(h, "Set-Cookie", "a=1");
  APPEND(h, "X-A", "1");
  APPEND(h, "set-cookie", "b=2");
  APPEND(h, "SET-COOKIE", "c=3");
  APPEND(h, "X-A", "1");
  d = corsim_headers_data(h, &n);
  ck_assert_uint_eq(n, 5);
  ck_assert_uint_eq(corsim_headers_count(h), 5);
  ASSERT_HDR(&d[0], "Set-Cookie", "a=1");
  ASSERT_HDR(&d[1], "X-A", "1");
  ASSERT_HDR(&d[2], "set-cookie", "b=2");
  ASSERT_HDR(&d[3], "SET-COOKIE", "c=3");
  ASSERT_HDR(&d[4], "X-A", "1");
  corsim_headers_free(h);
}
END_TEST

START_TEST(test_contains_get_delete_ci) {
  corsim_headers *h = mk(NULL);
  const corsim_header *d;
  size_t n;

  APPEND(h, "Set-Cookie", "a=1");
  APPEND(h, "X-A", "1");
  APPEND(h, "set-cookie", "b=2");
  APPEND(h, "a^", "caret");
  APPEND(h, "SET-COOKIE", "c=3");

  ck_assert_int_eq(corsim_headers_contains(h, L("x-a")), 1);
  ck_assert_int_eq(corsim_headers_contains(h, L("X-A")), 1);
  ck_assert_int_eq(corsim_headers_contains(h, L("x-A")), 1);
  ck_assert_int_eq(corsim_headers_contains(h, L("x-b")), 0);
  ck_assert_int_eq(corsim_headers_contains(h, L("x-")), 0);
  ck_assert_int_eq(corsim_headers_contains(h, L("x-aa")), 0);
  ck_assert_int_eq(corsim_headers_contains(h, L("x-a ")), 0);
  ck_assert_int_eq(corsim_headers_contains(h, L("x-a\0")), 0);
  ck_assert_int_eq(corsim_headers_contains(h, "", 0), 0);
  /* only ASCII letters fold: '^' (0x5e) and '~' (0x7e) differ */
  ck_assert_int_eq(corsim_headers_contains(h, L("a^")), 1);
  ck_assert_int_eq(corsim_headers_contains(h, L("A^")), 1);
  ck_assert_int_eq(corsim_headers_contains(h, L("a~")), 0);

  ASSERT_GET(h, "SET-cookie", "a=1, b=2, c=3");
  ASSERT_GET(h, "x-a", "1");
  ASSERT_GET(h, "A^", "caret");

  ck_assert_int_eq(corsim_headers_delete(h, L("a~")), 0);
  ck_assert_int_eq(corsim_headers_delete(h, L("SET-COOKIE")), 3);
  d = corsim_headers_data(h, &n);
  ck_assert_uint_eq(n, 2);
  ASSERT_HDR(&d[0], "X-A", "1");
  ASSERT_HDR(&d[1], "a^", "caret");
  ck_assert_int_eq(corsim_headers_delete(h, L("set-cookie")), 0);
  ck_assert_int_eq(corsim_headers_contains(h, L("set-cookie")), 0);
  ck_assert_int_eq(corsim_headers_delete(h, L("x-a")), 1);
  ck_assert_int_eq(corsim_headers_delete(h, L("A^")), 1);
  ck_assert_uint_eq(corsim_headers_count(h), 0);
  ck_assert_ptr_null(corsim_headers_data(h, &n));
  /* the list still works after deleting everything */
  APPEND(h, "Z", "z");
  d = corsim_headers_data(h, &n);
  ck_assert_uint_eq(n, 1);
  ASSERT_HDR(&d[0], "Z", "z");
  corsim_headers_free(h);
}
END_TEST

START_TEST(test_get_empty_values) {
  corsim_headers *h = mk(NULL);
  char buf[16];
  size_t vlen = 77;

  APPEND(h, "A", "a");
  APPEND(h, "a", "");
  APPEND(h, "E", "");
  APPEND(h, "EE", "");
  APPEND(h, "ee", "");
  APPEND(h, "F", "");
  APPEND(h, "f", "b");
  ASSERT_GET(h, "a", "a, ");
  ASSERT_GET(h, "e", "");
  ASSERT_GET(h, "ee", ", ");
  ASSERT_GET(h, "F", ", b");

  /* an empty value is found (0, length 0) ... */
  ck_assert_int_eq(corsim_headers_get(h, L("E"), buf, sizeof buf, &vlen), 0);
  ck_assert_uint_eq(vlen, 0);
  vlen = 77;
  ck_assert_int_eq(corsim_headers_get(h, L("E"), NULL, 0, &vlen), 0);
  ck_assert_uint_eq(vlen, 0);
  /* ... an absent name is null */
  vlen = 77;
  ck_assert_int_eq(corsim_headers_get(h, L("G"), buf, sizeof buf, &vlen),
                   CORSIM_ERR_NOT_FOUND);
  ck_assert_uint_eq(vlen, 0);
  ck_assert_int_eq(corsim_headers_get(h, L("G"), NULL, 0, &vlen),
                   CORSIM_ERR_NOT_FOUND);
  corsim_headers_free(h);
}
END_TEST

/* Every buffer size from 0 to past the need. */
START_TEST(test_get_buffer_sizes) {
  corsim_headers *h = mk(NULL);
  char buf[64];
  size_t cap, vlen, k;
  static const char want[] = "hello, world, !";

  APPEND(h, "X", "hello");
  APPEND(h, "Y", "other");
  APPEND(h, "x", "world");
  APPEND(h, "X", "!");
  for (cap = 0; cap <= sizeof want + 5; cap++) {
    int rc;
    memset(buf, '#', sizeof buf);
    vlen = 0;
    rc = corsim_headers_get(h, L("x"), cap ? buf : NULL, cap, &vlen);
    ck_assert_uint_eq(vlen, sizeof want - 1);
    if (cap < sizeof want - 1) {
      ck_assert_int_eq(rc, CORSIM_ERR_BUFFER_TOO_SMALL);
    } else {
      ck_assert_int_eq(rc, 0);
      ck_assert_bytes(buf, vlen, L(want));
    }
    /* never more than cap bytes; no terminator added */
    for (k = cap; k < sizeof buf; k++)
      ck_assert_msg(buf[k] == '#', "cap %zu: byte %zu written", cap, k);
  }
  corsim_headers_free(h);
}
END_TEST

/* ------------------------------------------------------------------------
 * get, decode, and split on a list
 * ------------------------------------------------------------------------ */

START_TEST(test_get_decode_split) {
  corsim_headers *h = mk(NULL);
  char buf[64];
  corsim_str items[4];
  size_t vlen, count, j;

  APPEND(h, "A", "nosniff");
  APPEND(h, "Other", "x, y");
  APPEND(h, "a", "");
  APPEND(h, "Q", "\"1,");
  APPEND(h, "q", "2\"");
  APPEND(h, "R", "\"a\\");
  APPEND(h, "r", "b, c");
  APPEND(h, "E", "");

  /* digest 2.4: "A: nosniff" and "A:" give ["nosniff", ""] */
  vlen = count = 99;
  ck_assert_ok(corsim_headers_get_decode_split(h, L("a"), buf, sizeof buf,
                                               &vlen, items, 4, &count));
  ck_assert_uint_eq(vlen, 9);
  ck_assert_uint_eq(count, 2);
  ck_assert_bytes(items[0].ptr, items[0].len, L("nosniff"));
  ck_assert_bytes(items[1].ptr, items[1].len, L(""));
  for (j = 0; j < count; j++)
    ck_assert(items[j].ptr >= buf && items[j].ptr + items[j].len <= buf + vlen);

  /* a quoted string spanning the ", " join: one item */
  ck_assert_ok(corsim_headers_get_decode_split(h, L("Q"), buf, sizeof buf,
                                               &vlen, items, 4, &count));
  ck_assert_uint_eq(count, 1);
  ck_assert_bytes(items[0].ptr, items[0].len, L("\"1,, 2\""));
  /* an escape inside quotes swallows the join's comma */
  ck_assert_ok(corsim_headers_get_decode_split(h, L("r"), buf, sizeof buf,
                                               &vlen, items, 4, &count));
  ck_assert_uint_eq(count, 1);
  ck_assert_bytes(items[0].ptr, items[0].len, L("\"a\\, b, c"));

  /* absent: null */
  vlen = count = 99;
  ck_assert_int_eq(corsim_headers_get_decode_split(h, L("zz"), buf, sizeof buf,
                                                   &vlen, items, 4, &count),
                   CORSIM_ERR_NOT_FOUND);
  ck_assert_uint_eq(count, 0);

  /* an empty value: one empty item, even without a buffer */
  vlen = count = 99;
  ck_assert_ok(corsim_headers_get_decode_split(h, L("E"), NULL, 0, &vlen,
                                               items, 4, &count));
  ck_assert_uint_eq(vlen, 0);
  ck_assert_uint_eq(count, 1);
  ck_assert_uint_eq(items[0].len, 0);

  /* items too small */
  vlen = count = 99;
  ck_assert_int_eq(corsim_headers_get_decode_split(h, L("a"), buf, sizeof buf,
                                                   &vlen, items, 1, &count),
                   CORSIM_ERR_BUFFER_TOO_SMALL);
  ck_assert_uint_eq(vlen, 9);
  ck_assert_uint_eq(count, 2);
  ck_assert_bytes(items[0].ptr, items[0].len, L("nosniff"));
  ck_assert_int_eq(corsim_headers_get_decode_split(h, L("a"), buf, sizeof buf,
                                                   &vlen, NULL, 0, &count),
                   CORSIM_ERR_BUFFER_TOO_SMALL);
  ck_assert_uint_eq(count, 2);

  /* buf too small: both needs are reported */
  vlen = count = 99;
  ck_assert_int_eq(corsim_headers_get_decode_split(h, L("a"), buf, 3, &vlen,
                                                   items, 4, &count),
                   CORSIM_ERR_BUFFER_TOO_SMALL);
  ck_assert_uint_eq(vlen, 9);
  ck_assert_uint_eq(count, 2);
  vlen = count = 99;
  ck_assert_int_eq(corsim_headers_get_decode_split(h, L("a"), NULL, 0, &vlen,
                                                   NULL, 0, &count),
                   CORSIM_ERR_BUFFER_TOO_SMALL);
  ck_assert_uint_eq(vlen, 9);
  ck_assert_uint_eq(count, 2);
  vlen = count = 99;
  ck_assert_int_eq(corsim_headers_get_decode_split(h, L("q"), NULL, 0, &vlen,
                                                   NULL, 0, &count),
                   CORSIM_ERR_BUFFER_TOO_SMALL);
  ck_assert_uint_eq(vlen, 7);
  ck_assert_uint_eq(count, 1);
  vlen = count = 99;
  ck_assert_int_eq(corsim_headers_get_decode_split(h, L("R"), NULL, 0, &vlen,
                                                   NULL, 0, &count),
                   CORSIM_ERR_BUFFER_TOO_SMALL);
  ck_assert_uint_eq(vlen, 9);
  ck_assert_uint_eq(count, 1);
  vlen = count = 99;
  ck_assert_int_eq(corsim_headers_get_decode_split(h, L("other"), buf, 2,
                                                   &vlen, items, 4, &count),
                   CORSIM_ERR_BUFFER_TOO_SMALL);
  ck_assert_uint_eq(vlen, 4);
  ck_assert_uint_eq(count, 2);

  /* arguments */
  ck_assert_int_eq(corsim_headers_get_decode_split(NULL, L("a"), buf,
                                                   sizeof buf, &vlen, items, 4,
                                                   &count),
                   CORSIM_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(corsim_headers_get_decode_split(h, L("a"), buf, sizeof buf,
                                                   NULL, items, 4, &count),
                   CORSIM_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(corsim_headers_get_decode_split(h, L("a"), buf, sizeof buf,
                                                   &vlen, items, 4, NULL),
                   CORSIM_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(corsim_headers_get_decode_split(h, L("a"), buf, sizeof buf,
                                                   &vlen, NULL, 4, &count),
                   CORSIM_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(corsim_headers_get_decode_split(h, L("a"), NULL, 8, &vlen,
                                                   items, 4, &count),
                   CORSIM_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(corsim_headers_get_decode_split(h, NULL, 1, buf, sizeof buf,
                                                   &vlen, items, 4, &count),
                   CORSIM_ERR_INVALID_ARGUMENT);
  corsim_headers_free(h);
}
END_TEST

/* Property: the item count reported when buf is too small equals the
 * count from get() followed by corsim_split_value(), for random values
 * full of quotes, backslashes and commas spread over several headers. */
START_TEST(test_get_decode_split_count_random) {
  static const char alpha[] = "a,\"\\ ,\"";
  uint32_t seed = 4242;
  size_t k, i, j;

  for (k = 0; k < 3000; k++) {
    corsim_headers *h = mk(NULL);
    char val[8], buf[256];
    size_t nh = 1 + rng_next(&seed) % 4, vlen, need = 99, count = 99, want;
    int rc;

    for (i = 0; i < nh; i++) {
      size_t len = rng_next(&seed) % sizeof val;
      for (j = 0; j < len; j++)
        val[j] = alpha[rng_next(&seed) % (sizeof alpha - 1)];
      ck_assert_ok(corsim_headers_append(h, i % 2 ? "V" : "v", 1, val, len,
                                         CORSIM_HEADER_LENIENT_VALUE));
    }
    ck_assert_ok(corsim_headers_get(h, L("v"), buf, sizeof buf, &vlen));
    rc = corsim_split_value(buf, vlen, NULL, 0, &want);
    ck_assert_int_eq(rc, CORSIM_ERR_BUFFER_TOO_SMALL);
    if (vlen == 0) {
      corsim_headers_free(h);
      continue; /* nothing is too small */
    }
    rc = corsim_headers_get_decode_split(h, L("v"), NULL, 0, &need, NULL, 0,
                                         &count);
    ck_assert_int_eq(rc, CORSIM_ERR_BUFFER_TOO_SMALL);
    ck_assert_uint_eq(need, vlen);
    if (count != want)
      ck_abort_msg("\"%s\": count %zu, want %zu", tu_esc(buf, vlen), count, want);
    corsim_headers_free(h);
  }
}
END_TEST

/* ------------------------------------------------------------------------
 * combine
 * ------------------------------------------------------------------------ */

START_TEST(test_combine_basic) {
  corsim_headers *h = mk(NULL);
  const corsim_header *d;
  size_t n;

  ck_assert_ok(corsim_headers_combine(h, L("X-A"), L("1"), 0));
  d = corsim_headers_data(h, &n);
  ck_assert_uint_eq(n, 1);
  ASSERT_HDR(&d[0], "X-A", "1");

  APPEND(h, "Y", "y");
  APPEND(h, "x-a", "3");
  ck_assert_ok(corsim_headers_combine(h, L("X-a"), L("2"), 0));
  d = corsim_headers_data(h, &n);
  ck_assert_uint_eq(n, 3);
  ASSERT_HDR(&d[0], "X-A", "1, 2"); /* first match, its casing kept */
  ASSERT_HDR(&d[1], "Y", "y");
  ASSERT_HDR(&d[2], "x-a", "3"); /* later matches untouched */
  ASSERT_GET(h, "x-a", "1, 2, 3");

  ck_assert_ok(corsim_headers_combine(h, L("x-A"), L(""), 0));
  ck_assert_ok(corsim_headers_combine(h, L("y"), L(" 7 \r\n"),
                                      CORSIM_HEADER_NORMALIZE));
  ck_assert_ok(corsim_headers_combine(h, L("Z"), L("  z "),
                                      CORSIM_HEADER_NORMALIZE));
  ck_assert_ok(corsim_headers_combine(h, L("z"), L("a\0b"),
                                      CORSIM_HEADER_LENIENT_VALUE));
  APPEND(h, "Empty", "");
  ck_assert_ok(corsim_headers_combine(h, L("EMPTY"), L("e"), 0));
  d = corsim_headers_data(h, &n);
  ck_assert_uint_eq(n, 5);
  ASSERT_HDR(&d[0], "X-A", "1, 2, ");
  ASSERT_HDR(&d[1], "Y", "y, 7");
  ASSERT_HDR(&d[2], "x-a", "3");
  ASSERT_HDR(&d[3], "Z", "z, a\0b");
  ASSERT_HDR(&d[4], "Empty", ", e");

  /* errors on an existing name leave the list unchanged */
  ck_assert_int_eq(corsim_headers_combine(h, L("y"), L(" bad"), 0),
                   CORSIM_ERR_BAD_HEADER_VALUE);
  ck_assert_int_eq(corsim_headers_combine(h, L("y "), L("v"), 0),
                   CORSIM_ERR_BAD_HEADER_NAME);
  ck_assert_int_eq(corsim_headers_combine(h, L("y"), L("v"), 8),
                   CORSIM_ERR_INVALID_ARGUMENT);
  d = corsim_headers_data(h, &n);
  ck_assert_uint_eq(n, 5);
  ASSERT_HDR(&d[1], "Y", "y, 7");
  corsim_headers_free(h);
}
END_TEST

/* Combining with values that point into the list's own storage, while the
 * arena moves (the poisoning allocator moves on every growth). */
START_TEST(test_combine_self_value) {
  pz_state z;
  corsim_allocator a = pz_alloc(&z);
  corsim_headers *h = mk(&a);
  const corsim_header *d;
  static char expect[70000];
  size_t elen = 2, n, k;

  APPEND(h, "X-A", "ab");
  APPEND(h, "Y", "yy");
  memcpy(expect, "ab", 2);
  for (k = 0; k < 12; k++) {
    d = corsim_headers_data(h, &n);
    ck_assert_ok(
        corsim_headers_combine(h, L("x-a"), d[0].value, d[0].value_len, 0));
    memcpy(expect + elen, ", ", 2);
    memcpy(expect + elen + 2, expect, elen);
    elen = 2 * elen + 2;
    d = corsim_headers_data(h, &n);
    ck_assert_uint_eq(n, 2);
    ck_assert_bytes(d[0].value, d[0].value_len, expect, elen);
    ASSERT_HDR(&d[1], "Y", "yy");
  }
  /* another header's value */
  d = corsim_headers_data(h, &n);
  ck_assert_ok(corsim_headers_combine(h, L("X-A"), d[1].value, d[1].value_len,
                                      0));
  memcpy(expect + elen, ", yy", 4);
  elen += 4;
  d = corsim_headers_data(h, &n);
  ck_assert_bytes(d[0].value, d[0].value_len, expect, elen);
  ck_assert_uint_gt(z.moves, 3);
  corsim_headers_free(h);
  ck_assert_uint_eq(z.live, 0);
  pz_destroy(&z);
}
END_TEST

/* combine of a new name (the append path) and append itself, with the name
 * and value pointing into the list's storage, when the arena must move. */
START_TEST(test_append_self_storage) {
  pz_state z;
  corsim_allocator a = pz_alloc(&z);
  corsim_headers *h = mk(&a);
  const corsim_header *d;
  size_t n, k, moves;

  /* 1 + 7 = 8 bytes: exactly the arena's first capacity */
  APPEND(h, "A", "1234567");
  d = corsim_headers_data(h, &n);
  moves = z.moves;
  ck_assert_ok(corsim_headers_combine(h, L("B"), d[0].value, d[0].value_len,
                                      0));
  ck_assert_uint_gt(z.moves, moves);
  d = corsim_headers_data(h, &n);
  ck_assert_uint_eq(n, 2);
  ASSERT_HDR(&d[0], "A", "1234567");
  ASSERT_HDR(&d[1], "B", "1234567");

  /* duplicate headers by appending views of themselves, many times */
  for (k = 0; k < 300; k++) {
    d = corsim_headers_data(h, &n);
    ck_assert_ok(corsim_headers_append(h, d[k % 2].name, d[k % 2].name_len,
                                       d[k % 2].value, d[k % 2].value_len,
                                       0));
  }
  d = corsim_headers_data(h, &n);
  ck_assert_uint_eq(n, 302);
  for (k = 0; k < n; k++) {
    if (k % 2 == 0)
      ASSERT_HDR(&d[k], "A", "1234567");
    else
      ASSERT_HDR(&d[k], "B", "1234567");
  }
  ck_assert_uint_gt(z.moves, moves + 3);
  corsim_headers_free(h);
  ck_assert_uint_eq(z.live, 0);
  pz_destroy(&z);
}
END_TEST

/* ------------------------------------------------------------------------
 * Views
 * ------------------------------------------------------------------------ */

static size_t gen_value(size_t i, char *out) {
  size_t k, r = i % 37;
  for (k = 0; k < r; k++)
    out[k] = (char)('a' + (i + k) % 26);
  return r + (size_t)sprintf(out + r, "-%zu", i);
}

START_TEST(test_views_after_growth) {
  pz_state z;
  corsim_allocator a = pz_alloc(&z);
  corsim_headers *h = mk(&a);
  const corsim_header *d;
  char name[32], val[64];
  size_t i, j, n, nl, vl;
  const size_t total = 1000;

  for (i = 0; i < total; i++) {
    nl = (size_t)sprintf(name, "H-%zu", i);
    vl = gen_value(i, val);
    ck_assert_ok(corsim_headers_append(h, name, nl, val, vl, 0));
    d = corsim_headers_data(h, &n);
    ck_assert_uint_eq(n, i + 1);
    for (j = 0; j <= i; j++) { /* no per-check I/O in this hot loop */
      nl = (size_t)sprintf(name, "H-%zu", j);
      vl = gen_value(j, val);
      if (!tu_bytes_eq(d[j].name, d[j].name_len, name, nl) ||
          !tu_bytes_eq(d[j].value, d[j].value_len, val, vl))
        ck_abort_msg("after %zu appends, header %zu is \"%s: %s\"", i + 1,
                     j, tu_esc(d[j].name, d[j].name_len),
                     tu_esc(d[j].value, d[j].value_len));
    }
  }
  ck_assert_uint_gt(z.moves, 10);
  /* delete every third, then check the survivors in order */
  for (i = 0; i < total; i += 3) {
    nl = (size_t)sprintf(name, "h-%zu", i);
    ck_assert_int_eq(corsim_headers_delete(h, name, nl), 1);
  }
  d = corsim_headers_data(h, &n);
  ck_assert_uint_eq(n, total - (total + 2) / 3);
  for (i = 0, j = 0; i < total; i++) {
    if (i % 3 == 0)
      continue;
    nl = (size_t)sprintf(name, "H-%zu", i);
    vl = gen_value(i, val);
    ck_assert_bytes(d[j].name, d[j].name_len, name, nl);
    ck_assert_bytes(d[j].value, d[j].value_len, val, vl);
    j++;
  }
  corsim_headers_free(h);
  ck_assert_uint_eq(z.live, 0);
  pz_destroy(&z);
}
END_TEST

/* Reading (get, contains, count, sort and combine from it) is not a
 * modification: earlier views stay put. */
START_TEST(test_views_stable_under_reads) {
  corsim_headers *h = mk(NULL), *out = mk(NULL);
  const corsim_header *d1, *d2;
  size_t n1, n2, vlen;
  char buf[64], before[512], after[512];
  size_t blen, alen;

  APPEND(h, "B", "2");
  APPEND(h, "a", "1");
  APPEND(h, "b", "3");
  d1 = corsim_headers_data(h, &n1);
  blen = dump(h, before, sizeof before);
  ck_assert_ok(corsim_headers_get(h, L("b"), buf, sizeof buf, &vlen));
  ck_assert_int_eq(corsim_headers_contains(h, L("A")), 1);
  ck_assert_uint_eq(corsim_headers_count(h), 3);
  ck_assert_ok(corsim_headers_sort_and_combine(h, out));
  d2 = corsim_headers_data(h, &n2);
  ck_assert_ptr_eq(d1, d2);
  ck_assert_uint_eq(n1, n2);
  alen = dump(h, after, sizeof after);
  ck_assert_bytes(after, alen, before, blen);
  ASSERT_HDR(&d1[0], "B", "2");
  corsim_headers_free(out);
  corsim_headers_free(h);
}
END_TEST

/* ------------------------------------------------------------------------
 * sort and combine
 * ------------------------------------------------------------------------ */

START_TEST(test_sort_and_combine_basic) {
  corsim_headers *in = mk(NULL), *out = mk(NULL);
  const corsim_header *d;
  size_t n;

  APPEND(out, "Junk", "cleared first");
  APPEND(in, "X-B", "1");
  APPEND(in, "x-a", "2");
  APPEND(in, "Set-Cookie", "c1");
  APPEND(in, "X-b", "3");
  APPEND(in, "set-cookie", "c2");
  APPEND(in, "A", "4");
  APPEND(in, "SET-COOKIE", "c3");
  APPEND(in, "content-type", "t");
  APPEND(in, "Set-Cookie2", "s1");
  APPEND(in, "set-cookie2", "s2");
  APPEND(in, "_x", "u");
  APPEND(in, "E", "");
  APPEND(in, "e", "");
  ck_assert_ok(corsim_headers_sort_and_combine(in, out));
  d = corsim_headers_data(out, &n);
  ck_assert_uint_eq(n, 10);
  /* '_' (0x5f) sorts before lowercase letters, after uppercase ones:
   * names are lowercased before sorting */
  ASSERT_HDR(&d[0], "_x", "u");
  ASSERT_HDR(&d[1], "a", "4");
  ASSERT_HDR(&d[2], "content-type", "t");
  ASSERT_HDR(&d[3], "e", ", ");
  ASSERT_HDR(&d[4], "set-cookie", "c1");
  ASSERT_HDR(&d[5], "set-cookie", "c2");
  ASSERT_HDR(&d[6], "set-cookie", "c3");
  ASSERT_HDR(&d[7], "set-cookie2", "s1, s2"); /* only set-cookie is special */
  ASSERT_HDR(&d[8], "x-a", "2");
  ASSERT_HDR(&d[9], "x-b", "1, 3");

  /* out owns copies: changing in does not change out */
  corsim_headers_clear(in);
  APPEND(in, "Other", "zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz");
  corsim_headers_free(in);
  d = corsim_headers_data(out, &n);
  ck_assert_uint_eq(n, 10);
  ASSERT_HDR(&d[9], "x-b", "1, 3");

  /* empty in: empty out */
  in = mk(NULL);
  ck_assert_ok(corsim_headers_sort_and_combine(in, out));
  ck_assert_uint_eq(corsim_headers_count(out), 0);

  /* arguments */
  APPEND(in, "A", "1");
  ck_assert_int_eq(corsim_headers_sort_and_combine(in, in),
                   CORSIM_ERR_INVALID_ARGUMENT);
  ck_assert_uint_eq(corsim_headers_count(in), 1);
  ck_assert_int_eq(corsim_headers_sort_and_combine(NULL, out),
                   CORSIM_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(corsim_headers_sort_and_combine(in, NULL),
                   CORSIM_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(corsim_headers_sort_and_combine(NULL, NULL),
                   CORSIM_ERR_INVALID_ARGUMENT);
  corsim_headers_free(in);
  corsim_headers_free(out);
}
END_TEST

START_TEST(test_sort_and_combine_byte_order) {
  static const char *const names[] = {"ab",  "AB-", "abc", "a.b", "A_B",
                                      "a~",  "a^",  "a0",  "~",   "`",
                                      "!",   "*",   "Zz",  "z",   "a-b",
                                      "A|b", "a'",  "a",   "B",   "_"};
  /* lowercased, memcmp order: 'b' (0x62) < '|' (0x7c) < '~' (0x7e) */
  static const char *const sorted[] = {"!",   "*",   "_",   "`",  "a",
                                       "a'",  "a-b", "a.b", "a0", "a^",
                                       "a_b", "ab",  "ab-", "abc", "a|b",
                                       "a~",  "b",   "z",   "zz", "~"};
  corsim_headers *in = mk(NULL), *out = mk(NULL);
  const corsim_header *d;
  size_t n, i;

  for (i = 0; i < N_ELEMS(names); i++)
    ck_assert_ok(corsim_headers_append(in, names[i], strlen(names[i]), "v", 1,
                                       0));
  ck_assert_ok(corsim_headers_sort_and_combine(in, out));
  d = corsim_headers_data(out, &n);
  ck_assert_uint_eq(n, N_ELEMS(sorted));
  for (i = 0; i < n; i++) {
    ck_assert_bytes(d[i].name, d[i].name_len, sorted[i], strlen(sorted[i]));
    ck_assert_bytes(d[i].value, d[i].value_len, L("v"));
  }
  corsim_headers_free(in);
  corsim_headers_free(out);
}
END_TEST

/* Long names (more than the function's 64-byte stack buffer). */
START_TEST(test_sort_and_combine_long_names) {
  corsim_headers *in = mk(NULL), *out = mk(NULL);
  const corsim_header *d;
  char nm[300], lo[300];
  size_t n, len, i;
  static const size_t lens[] = {63, 64, 65, 200, 300};

  for (i = 0; i < N_ELEMS(lens); i++) {
    len = lens[i];
    memset(nm, 'Q', len);
    nm[0] = (char)('A' + i);
    ck_assert_ok(corsim_headers_append(in, nm, len, "1", 1, 0));
    nm[len - 1] = 'q';
    ck_assert_ok(corsim_headers_append(in, nm, len, "2", 1, 0));
  }
  ck_assert_ok(corsim_headers_sort_and_combine(in, out));
  d = corsim_headers_data(out, &n);
  ck_assert_uint_eq(n, N_ELEMS(lens));
  for (i = 0; i < n; i++) {
    len = lens[i];
    memset(lo, 'q', len);
    lo[0] = (char)('a' + i);
    ck_assert_bytes(d[i].name, d[i].name_len, lo, len);
    ck_assert_bytes(d[i].value, d[i].value_len, L("1, 2"));
  }
  corsim_headers_free(in);
  corsim_headers_free(out);
}
END_TEST

/* Every allocation failing in turn: NOMEM with out empty, no leak. */
START_TEST(test_sort_and_combine_nomem) {
  tu_counter c;
  corsim_allocator a;
  corsim_headers *in = mk(NULL), *out;
  char longname[100];
  size_t k, failures = 0, n;
  const corsim_header *d;
  int rc = -1;

  memset(longname, 'L', sizeof longname);
  APPEND(in, "B", "2");
  APPEND(in, "Set-Cookie", "s1");
  APPEND(in, "a", "1");
  APPEND(in, "set-cookie", "s2");
  APPEND(in, "b", "3");
  ck_assert_ok(corsim_headers_append(in, longname, sizeof longname, "x", 1, 0));
  for (k = 0; k < 30; k++)
    APPEND(in, "X-Many", "a fairly long value to make the arena grow");
  memset(&c, 0, sizeof c);
  a = tu_counting_allocator(&c);
  for (k = 1; k < 100; k++) {
    out = mk(&a);
    APPEND(out, "Old", "o");
    c.fail_at = c.allocs + k;
    rc = corsim_headers_sort_and_combine(in, out);
    c.fail_at = 0;
    if (rc == 0) {
      d = corsim_headers_data(out, &n);
      ck_assert_uint_eq(n, 6);
      ASSERT_HDR(&d[0], "a", "1");
      ASSERT_HDR(&d[1], "b", "2, 3");
      ASSERT_HDR(&d[3], "set-cookie", "s1");
      ASSERT_HDR(&d[4], "set-cookie", "s2");
      ck_assert_uint_eq(d[5].value_len,
                        30 * strlen("a fairly long value to make the arena "
                                    "grow") + 29 * 2);
      corsim_headers_free(out);
      ck_assert_uint_eq(c.live, 0);
      break;
    }
    failures++;
    ck_assert_int_eq(rc, CORSIM_ERR_NOMEM);
    ck_assert_uint_eq(corsim_headers_count(out), 0);
    corsim_headers_free(out);
    ck_assert_uint_eq(c.live, 0);
  }
  ck_assert_int_eq(rc, 0);
  ck_assert_uint_ge(failures, 4); /* idx, tmp, long name, arena growth */
  corsim_headers_free(in);
}
END_TEST

/* Property: random lists against a reference sort-and-combine. */
START_TEST(test_sort_and_combine_random) {
  static const char *const base[] = {"a", "b", "set-cookie", "x-y", "x_y",
                                     "ab", "a-", "~", "content-type"};
  corsim_headers *in = mk(NULL), *out = mk(NULL);
  const corsim_header *d, *id;
  uint32_t seed = 12345u + (uint32_t)_i;
  size_t n, in_n, i, j, k, total = 0;
  char nm[32], want[8192];

  for (i = 0; i < 400; i++) {
    const char *b = base[rng_next(&seed) % N_ELEMS(base)];
    size_t len = strlen(b);
    char val[16];
    int vl = sprintf(val, "%zu", i);
    memcpy(nm, b, len);
    for (k = 0; k < len; k++)
      if ((rng_next(&seed) & 1) && nm[k] >= 'a' && nm[k] <= 'z')
        nm[k] = (char)(nm[k] - 32);
    ck_assert_ok(corsim_headers_append(in, nm, len, val, (size_t)vl, 0));
  }
  ck_assert_ok(corsim_headers_sort_and_combine(in, out));
  d = corsim_headers_data(out, &n);
  id = corsim_headers_data(in, &in_n);
  /* names ascending (set-cookie repeated), each lowercase */
  for (i = 0; i < n; i++) {
    for (k = 0; k < d[i].name_len; k++)
      ck_assert(!(d[i].name[k] >= 'A' && d[i].name[k] <= 'Z'));
    if (i)
      ck_assert_int_le(ref_ci_cmp(d[i - 1].name, d[i - 1].name_len,
                                  d[i].name, d[i].name_len),
                       tu_bytes_eq(d[i].name, d[i].name_len, L("set-cookie"))
                           ? 0
                           : -1);
  }
  /* each entry's value is the in-order join of the matching inputs */
  for (i = 0; i < n; i = j) {
    int sc = tu_bytes_eq(d[i].name, d[i].name_len, L("set-cookie"));
    size_t wl = 0, m = 0;
    j = i + 1;
    if (sc) {
      while (j < n && tu_bytes_eq(d[j].name, d[j].name_len, L("set-cookie")))
        j++;
    }
    for (k = 0; k < in_n; k++) {
      if (!corsim__ci_eq(id[k].name, id[k].name_len, d[i].name,
                         d[i].name_len))
        continue;
      if (sc) {
        ck_assert_uint_lt(i + m, j);
        ck_assert_bytes(d[i + m].value, d[i + m].value_len, id[k].value,
                        id[k].value_len);
      } else {
        if (m) {
          memcpy(want + wl, ", ", 2);
          wl += 2;
        }
        memcpy(want + wl, id[k].value, id[k].value_len);
        wl += id[k].value_len;
      }
      m++;
      total++;
    }
    ck_assert_uint_gt(m, 0);
    if (sc)
      ck_assert_uint_eq(m, j - i);
    else
      ck_assert_bytes(d[i].value, d[i].value_len, want, wl);
  }
  ck_assert_uint_eq(total, in_n);
  corsim_headers_free(in);
  corsim_headers_free(out);
}
END_TEST

/* ------------------------------------------------------------------------
 * NULL arguments everywhere
 * ------------------------------------------------------------------------ */

START_TEST(test_null_arguments) {
  corsim_headers *h = mk(NULL);
  char buf[16];
  size_t vlen = 5, n = 5;
  const corsim_header *d;

  APPEND(h, "A", "1");

  ck_assert_int_eq(corsim_headers_append(NULL, L("A"), L("1"), 0),
                   CORSIM_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(corsim_headers_append(h, NULL, 3, L("1"), 0),
                   CORSIM_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(corsim_headers_append(h, NULL, 0, L("1"), 0),
                   CORSIM_ERR_BAD_HEADER_NAME); /* the empty name */
  ck_assert_int_eq(corsim_headers_append(h, L("B"), NULL, 3, 0),
                   CORSIM_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(corsim_headers_append(h, L("B"), NULL, 3,
                                         CORSIM_HEADER_LENIENT_VALUE),
                   CORSIM_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(corsim_headers_combine(NULL, L("A"), L("1"), 0),
                   CORSIM_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(corsim_headers_combine(h, NULL, 3, L("1"), 0),
                   CORSIM_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(corsim_headers_combine(h, NULL, 0, L("1"), 0),
                   CORSIM_ERR_BAD_HEADER_NAME);
  ck_assert_int_eq(corsim_headers_combine(h, L("A"), NULL, 3, 0),
                   CORSIM_ERR_INVALID_ARGUMENT);
  ck_assert_uint_eq(corsim_headers_count(h), 1);
  ASSERT_GET(h, "a", "1");
  /* NULL with length 0 is the empty value */
  ck_assert_ok(corsim_headers_append(h, L("B"), NULL, 0, 0));
  ck_assert_ok(corsim_headers_append(h, L("C"), NULL, 0,
                                     CORSIM_HEADER_NORMALIZE));
  ck_assert_ok(corsim_headers_combine(h, L("A"), NULL, 0, 0));
  d = corsim_headers_data(h, &n);
  ck_assert_uint_eq(n, 3);
  ASSERT_HDR(&d[0], "A", "1, ");
  ASSERT_HDR(&d[1], "B", "");
  ASSERT_HDR(&d[2], "C", "");

  ck_assert_int_eq(corsim_headers_delete(NULL, L("A")),
                   CORSIM_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(corsim_headers_delete(h, NULL, 2),
                   CORSIM_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(corsim_headers_delete(h, NULL, 0), 0);
  ck_assert_uint_eq(corsim_headers_count(h), 3);

  ck_assert_uint_eq(corsim_headers_count(NULL), 0);
  n = 5;
  ck_assert_ptr_null(corsim_headers_data(NULL, &n));
  ck_assert_uint_eq(n, 0);
  ck_assert_ptr_null(corsim_headers_data(NULL, NULL));
  ck_assert_ptr_eq(corsim_headers_data(h, NULL), d);

  ck_assert_int_eq(corsim_headers_contains(NULL, L("A")), 0);
  ck_assert_int_eq(corsim_headers_contains(h, NULL, 1), 0);
  ck_assert_int_eq(corsim_headers_contains(h, NULL, 0), 0);

  ck_assert_int_eq(corsim_headers_get(NULL, L("A"), buf, sizeof buf, &vlen),
                   CORSIM_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(corsim_headers_get(h, L("A"), buf, sizeof buf, NULL),
                   CORSIM_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(corsim_headers_get(h, NULL, 1, buf, sizeof buf, &vlen),
                   CORSIM_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(corsim_headers_get(h, L("A"), NULL, 4, &vlen),
                   CORSIM_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(corsim_headers_get(h, NULL, 0, buf, sizeof buf, &vlen),
                   CORSIM_ERR_NOT_FOUND);

  corsim_headers_free(h);
}
END_TEST

/* ------------------------------------------------------------------------
 * Internal: corsim__ci_eq / corsim__ci_cmp
 * ------------------------------------------------------------------------ */

struct cmp_case {
  const char *a;
  size_t an;
  const char *b;
  size_t bn;
  int cmp; /* sign */
};

static const struct cmp_case cmp_cases[] = {
    {L(""), L(""), 0},
    {L("abc"), L("ABC"), 0},
    {L("Content-Type"), L("content-type"), 0},
    {L("Z"), L("z"), 0},
    {L("a\0"), L("A\0"), 0},
    {L(""), L("a"), -1},
    {L("a"), L(""), 1},
    {L("ab"), L("abc"), -1},
    {L("ABC"), L("ab"), 1},
    {L("abc"), L("abd"), -1},
    {L("a"), L("B"), -1},
    {L("B"), L("a"), 1},
    {L("_"), L("a"), -1},
    {L("_"), L("A"), -1}, /* 'A' compares as 'a' (0x61) > '_' (0x5f) */
    {L("Z"), L("["), 1},  /* 'z' (0x7a) > '[' (0x5b) */
    {L("@"), L("`"), -1}, /* not letters: no folding */
    {L("["), L("{"), -1},
    {L("^"), L("~"), -1},
    {L("\r"), L("-"), -1}, /* 0x0d | 0x20 == '-': must not fold */
    {L("\x80"), L("a"), 1}, /* unsigned bytes */
    {L("\xc0"), L("\xe0"), -1}, /* non-ASCII is not folded */
    {L("a\0b"), L("A\0c"), -1},
    {L("a\0"), L("a"), 1},
    {L("x-\xff"), L("X-\x01"), 1},
};

START_TEST(test_ci_table) {
  const struct cmp_case *c = &cmp_cases[_i];
  ck_assert_msg(sign(corsim__ci_cmp(c->a, c->an, c->b, c->bn)) == c->cmp,
                "cmp(\"%s\", \"%s\") want %d", tu_esc(c->a, c->an),
                tu_esc(c->b, c->bn), c->cmp);
  ck_assert_int_eq(sign(corsim__ci_cmp(c->b, c->bn, c->a, c->an)), -c->cmp);
  ck_assert_int_eq(corsim__ci_eq(c->a, c->an, c->b, c->bn), c->cmp == 0);
  ck_assert_int_eq(corsim__ci_eq(c->b, c->bn, c->a, c->an), c->cmp == 0);
}
END_TEST

/* Every pair of single bytes, and random strings, against the reference. */
START_TEST(test_ci_exhaustive_and_random) {
  unsigned x, y;
  uint32_t seed = 99;
  size_t k;

  for (x = 0; x < 256; x++)
    for (y = 0; y < 256; y++) {
      char a = (char)x, b = (char)y;
      int want = ref_ci_cmp(&a, 1, &b, 1);
      if (sign(corsim__ci_cmp(&a, 1, &b, 1)) != want ||
          corsim__ci_eq(&a, 1, &b, 1) != (want == 0))
        ck_abort_msg("bytes 0x%02x 0x%02x", x, y);
    }
  for (k = 0; k < 20000; k++) {
    char a[6], b[6];
    size_t an = rng_next(&seed) % 6, bn = rng_next(&seed) % 6, i;
    static const char alpha[] = "aAbB_`^~\x80";
    for (i = 0; i < an; i++)
      a[i] = alpha[rng_next(&seed) % (sizeof alpha - 1)];
    for (i = 0; i < bn; i++)
      b[i] = alpha[rng_next(&seed) % (sizeof alpha - 1)];
    if (sign(corsim__ci_cmp(a, an, b, bn)) != ref_ci_cmp(a, an, b, bn) ||
        corsim__ci_eq(a, an, b, bn) != (ref_ci_cmp(a, an, b, bn) == 0))
      ck_abort_msg("\"%s\" vs \"%s\"", tu_esc(a, an), tu_esc(b, bn));
  }
}
END_TEST

/* ------------------------------------------------------------------------
 * Internal: name classes
 * ------------------------------------------------------------------------ */

static const char *const safelisted[] = {
    "cache-control", "content-language", "content-length", "content-type",
    "expires",       "last-modified",    "pragma"};

/* Casings of a lowercase name: as is, upper, title case, alternating. */
static void casing(const char *src, int kind, char *out) {
  size_t i, n = strlen(src);
  for (i = 0; i < n; i++) {
    char c = src[i];
    int up = kind == 1 || (kind == 2 && (i == 0 || src[i - 1] == '-')) ||
             (kind == 3 && i % 2 == 1);
    out[i] = (char)(up && c >= 'a' && c <= 'z' ? c - 32 : c);
  }
  out[n] = '\0';
}

/* Loop over the seven names, one at a time. */
START_TEST(test_safelisted_each) {
  const char *name = safelisted[_i];
  int is_cl = strcmp(name, "content-length") == 0;
  char buf[40];
  size_t n = strlen(name);
  int kind;

  for (kind = 0; kind < 4; kind++) {
    casing(name, kind, buf);
    ck_assert_msg(corsim__is_safelisted_response_name(buf, n, 1) == 1, "%s",
                  buf);
    ck_assert_msg(corsim__is_safelisted_response_name(buf, n, 0) == !is_cl,
                  "%s", buf);
    ck_assert_int_eq(corsim__is_forbidden_response_name(buf, n), 0);
    /* one byte more, one byte less, an embedded NUL */
    buf[n] = 's';
    ck_assert_int_eq(corsim__is_safelisted_response_name(buf, n + 1, 1), 0);
    ck_assert_int_eq(corsim__is_safelisted_response_name(buf, n - 1, 1), 0);
    ck_assert_int_eq(corsim__is_safelisted_response_name(buf + 1, n - 1, 1),
                     0);
    buf[n] = '\0';
    ck_assert_int_eq(corsim__is_safelisted_response_name(buf, n + 1, 1), 0);
    buf[n / 2] = '\0';
    ck_assert_int_eq(corsim__is_safelisted_response_name(buf, n, 1), 0);
  }
}
END_TEST

struct class_case {
  const char *p;
  size_t n;
  int forbidden;
  int safelisted_cl;  /* with Content-Length safelisted */
  int safelisted_nocl; /* without */
};

static const struct class_case class_cases[] = {
    {L("set-cookie"), 1, 0, 0},
    {L("Set-Cookie"), 1, 0, 0},
    {L("SET-COOKIE"), 1, 0, 0},
    {L("sEt-CoOkIe"), 1, 0, 0},
    {L("set-cookie2"), 1, 0, 0},
    {L("Set-Cookie2"), 1, 0, 0},
    {L("SET-COOKIE2"), 1, 0, 0},
    {L("set-cookie3"), 0, 0, 0},
    {L("set-cookies"), 0, 0, 0},
    {L("set-cooki"), 0, 0, 0},
    {L("set_cookie"), 0, 0, 0},
    {L("setcookie"), 0, 0, 0},
    {L("set\rcookie"), 0, 0, 0},
    {L("set-cookie\0"), 0, 0, 0},
    {L("cookie"), 0, 0, 0},
    {L("set-cookie22"), 0, 0, 0},
    {L(" set-cookie"), 0, 0, 0},
    {L("Content-Length"), 0, 1, 0},
    {L("CONTENT-LENGTH"), 0, 1, 0},
    {L("content-types"), 0, 0, 0},
    {L("content-typ"), 0, 0, 0},
    {L("content_type"), 0, 0, 0},
    {L("contenttype"), 0, 0, 0},
    {L("content\rtype"), 0, 0, 0},
    {L("content-type "), 0, 0, 0},
    {L("content-lengths"), 0, 0, 0},
    {L("content-languages"), 0, 0, 0},
    {L("content-encoding"), 0, 0, 0},
    {L("content-location"), 0, 0, 0},
    {L("cache-controls"), 0, 0, 0},
    {L("last-modified2"), 0, 0, 0},
    {L("last_modified"), 0, 0, 0},
    {L("expire"), 0, 0, 0},
    {L("expiress"), 0, 0, 0},
    {L("pragmas"), 0, 0, 0},
    {L("pragm"), 0, 0, 0},
    {L("pragma\0"), 0, 0, 0},
    {L("x-pragma"), 0, 0, 0},
    {L("etag"), 0, 0, 0},
    {L("access-control-expose-headers"), 0, 0, 0},
    {L("*"), 0, 0, 0},
    {L(""), 0, 0, 0},
};

START_TEST(test_name_class_table) {
  const struct class_case *c = &class_cases[_i];
  ck_assert_msg(corsim__is_forbidden_response_name(c->p, c->n) == c->forbidden,
                "forbidden(\"%s\")", tu_esc(c->p, c->n));
  ck_assert_msg(corsim__is_safelisted_response_name(c->p, c->n, 1) ==
                    c->safelisted_cl,
                "safelisted(\"%s\", 1)", tu_esc(c->p, c->n));
  ck_assert_msg(corsim__is_safelisted_response_name(c->p, c->n, 0) ==
                    c->safelisted_nocl,
                "safelisted(\"%s\", 0)", tu_esc(c->p, c->n));
}
END_TEST

/* ------------------------------------------------------------------------
 * Internal: stable sorts
 * ------------------------------------------------------------------------ */

static const size_t sort_sizes[] = {0, 1, 2, 7, 8, 9, 15, 16, 17, 100, 1000,
                                    1025};

/* Random short names over an alphabet full of case-insensitive ties. */
static void gen_names(char *store, size_t *lens, size_t n, uint32_t seed) {
  static const char alpha[] = "aAbB-_~^";
  size_t i, k;
  for (i = 0; i < n; i++) {
    lens[i] = rng_next(&seed) % 4;
    for (k = 0; k < lens[i]; k++)
      store[i * 4 + k] = alpha[rng_next(&seed) % (sizeof alpha - 1)];
  }
}

START_TEST(test_sort_by_name) {
  size_t n = sort_sizes[_i], i, j;
  char *store = malloc(n * 4 + 1);
  size_t *lens = malloc((n + 1) * sizeof *lens);
  corsim_header *hdr = malloc((n + 1) * sizeof *hdr);
  uint32_t *idx = n ? malloc(n * sizeof *idx) : NULL;
  uint32_t *tmp = n ? malloc(n * sizeof *tmp) : NULL;
  uint32_t *ref = malloc((n + 1) * sizeof *ref);

  ck_assert(store && lens && hdr && ref && (n == 0 || (idx && tmp)));
  gen_names(store, lens, n, 7u + (uint32_t)n);
  for (i = 0; i < n; i++) {
    hdr[i].name = store + i * 4;
    hdr[i].name_len = lens[i];
    hdr[i].value = "";
    hdr[i].value_len = 0;
    idx[i] = (uint32_t)(n - 1 - i); /* start from a non-identity order */
    ref[i] = idx[i];
  }
  /* reference: stable insertion sort */
  for (i = 1; i < n; i++) {
    uint32_t v = ref[i];
    j = i;
    while (j > 0 && ref_ci_cmp(hdr[ref[j - 1]].name, hdr[ref[j - 1]].name_len,
                               hdr[v].name, hdr[v].name_len) > 0) {
      ref[j] = ref[j - 1];
      j--;
    }
    ref[j] = v;
  }
  corsim__sort_by_name(hdr, idx, tmp, n);
  for (i = 0; i < n; i++)
    ck_assert_msg(idx[i] == ref[i], "n=%zu position %zu: %u want %u", n, i,
                  (unsigned)idx[i], (unsigned)ref[i]);
  /* stability stated directly: equal names keep their input order (the
   * input order was descending indices) */
  for (i = 1; i < n; i++)
    if (ref_ci_cmp(hdr[idx[i - 1]].name, hdr[idx[i - 1]].name_len,
                   hdr[idx[i]].name, hdr[idx[i]].name_len) == 0)
      ck_assert_uint_gt(idx[i - 1], idx[i]);
  free(store);
  free(lens);
  free(hdr);
  free(idx);
  free(tmp);
  free(ref);
}
END_TEST

START_TEST(test_sort_strs_ci) {
  size_t n = sort_sizes[_i], i, j;
  char *store = malloc(n * 4 + 1);
  size_t *lens = malloc((n + 1) * sizeof *lens);
  corsim_str *v = n ? malloc(n * sizeof *v) : NULL;
  corsim_str *tmp = n ? malloc(n * sizeof *tmp) : NULL;
  corsim_str *ref = malloc((n + 1) * sizeof *ref);

  ck_assert(store && lens && ref && (n == 0 || (v && tmp)));
  gen_names(store, lens, n, 1000u + (uint32_t)n);
  for (i = 0; i < n; i++) {
    v[i].ptr = store + i * 4;
    v[i].len = lens[i];
    ref[i] = v[i];
  }
  for (i = 1; i < n; i++) {
    corsim_str x = ref[i];
    j = i;
    while (j > 0 &&
           ref_ci_cmp(ref[j - 1].ptr, ref[j - 1].len, x.ptr, x.len) > 0) {
      ref[j] = ref[j - 1];
      j--;
    }
    ref[j] = x;
  }
  corsim__sort_strs_ci(v, tmp, n);
  /* pointer identity checks stability (equal strings live apart) */
  for (i = 0; i < n; i++) {
    ck_assert_msg(v[i].ptr == ref[i].ptr && v[i].len == ref[i].len,
                  "n=%zu position %zu", n, i);
  }
  for (i = 1; i < n; i++)
    if (ref_ci_cmp(v[i - 1].ptr, v[i - 1].len, v[i].ptr, v[i].len) == 0)
      ck_assert(v[i - 1].ptr < v[i].ptr);
  free(store);
  free(lens);
  free(v);
  free(tmp);
  free(ref);
}
END_TEST

/* ------------------------------------------------------------------------ */


/* Repeated combines of one name grow the value in place: memory stays
 * linear in the combined length (a quadratic arena would need ~6 MB). */
static size_t biggest_request;
static void *track_malloc(size_t n, void *ud) {
  (void)ud;
  if (n > biggest_request)
    biggest_request = n;
  return malloc(n);
}
static void *track_realloc(void *p, size_t n, void *ud) {
  (void)ud;
  if (n > biggest_request)
    biggest_request = n;
  return realloc(p, n);
}
static void track_free(void *p, void *ud) {
  (void)ud;
  free(p);
}

START_TEST(test_combine_repeated_is_linear) {
  corsim_allocator a = {track_malloc, track_realloc, track_free, NULL};
  corsim_headers *h = NULL;
  char buf[8];
  size_t i, len = 0;
  biggest_request = 0;
  ck_assert_ok(corsim_headers_new(&h, &a));
  ck_assert_ok(corsim_headers_append(h, "Vary", 4, "a", 1, 0));
  ck_assert_ok(corsim_headers_append(h, "Other", 5, "o", 1, 0));
  ck_assert_ok(corsim_headers_combine(h, "vary", 4, "b", 1, 0));
  for (i = 0; i < 2000; i++)
    ck_assert_ok(corsim_headers_combine(h, "VARY", 4, "c", 1, 0));
  ck_assert_int_eq(corsim_headers_get(h, "vary", 4, NULL, 0, &len),
                   CORSIM_ERR_BUFFER_TOO_SMALL);
  ck_assert_uint_eq(len, 1 + 3 + 2000 * 3);
  ck_assert_int_eq(corsim_headers_get(h, "other", 5, buf, sizeof buf, &len),
                   0);
  ck_assert_uint_eq(len, 1);
  ck_assert_uint_lt(biggest_request, 64 * 1024);
  corsim_headers_free(h);
}
END_TEST

static Suite *suite(void) {
  Suite *s = suite_create("headers");
  TCase *tc;

  tc = tcase_create("names");
  tcase_add_loop_test(tc, test_name_each_byte, 0, 256);
  tcase_add_test(tc, test_name_tchar_count);
  tcase_add_test(tc, test_name_edges);
  suite_add_tcase(s, tc);

  tc = tcase_create("values");
  tcase_add_loop_test(tc, test_value_table, 0, (int)N_ELEMS(value_cases));
  tcase_add_loop_test(tc, test_value_each_byte, 0, 256);
  tcase_add_test(tc, test_value_null);
  tcase_add_loop_test(tc, test_normalize_table, 0, (int)N_ELEMS(norm_cases));
  tcase_add_test(tc, test_normalize_args);
  suite_add_tcase(s, tc);

  tc = tcase_create("split");
  tcase_add_loop_test(tc, test_split_table, 0, (int)N_ELEMS(split_cases));
  tcase_add_test(tc, test_split_too_small_and_args);
  suite_add_tcase(s, tc);

  tc = tcase_create("list");
  tcase_set_timeout(tc, 60);
  tcase_add_test(tc, test_list_new_free_clear);
  tcase_add_test(tc, test_list_allocator_and_clear_keeps_memory);
  tcase_add_test(tc, test_list_nomem);
  tcase_add_loop_test(tc, test_append_table, 0, (int)N_ELEMS(append_cases));
  tcase_add_loop_test(tc, test_combine_table, 0, (int)N_ELEMS(append_cases));
  tcase_add_test(tc, test_append_too_large);
  tcase_add_test(tc, test_append_nul_in_lenient_value);
  tcase_add_test(tc, test_duplicates_order_casing);
  tcase_add_test(tc, test_contains_get_delete_ci);
  tcase_add_test(tc, test_get_empty_values);
  tcase_add_test(tc, test_get_buffer_sizes);
  tcase_add_test(tc, test_get_decode_split);
  tcase_add_test(tc, test_get_decode_split_count_random);
  tcase_add_test(tc, test_combine_basic);
  tcase_add_test(tc, test_combine_self_value);
  tcase_add_test(tc, test_append_self_storage);
  tcase_add_test(tc, test_views_after_growth);
  tcase_add_test(tc, test_views_stable_under_reads);
  tcase_add_test(tc, test_null_arguments);
  suite_add_tcase(s, tc);

  tcase_add_test(tc, test_combine_repeated_is_linear);
  tc = tcase_create("sort_and_combine");
  tcase_set_timeout(tc, 60);
  tcase_add_test(tc, test_sort_and_combine_basic);
  tcase_add_test(tc, test_sort_and_combine_byte_order);
  tcase_add_test(tc, test_sort_and_combine_long_names);
  tcase_add_test(tc, test_sort_and_combine_nomem);
  tcase_add_loop_test(tc, test_sort_and_combine_random, 0, 8);
  suite_add_tcase(s, tc);

  tc = tcase_create("internal");
  tcase_set_timeout(tc, 60);
  tcase_add_loop_test(tc, test_ci_table, 0, (int)N_ELEMS(cmp_cases));
  tcase_add_test(tc, test_ci_exhaustive_and_random);
  tcase_add_loop_test(tc, test_safelisted_each, 0, (int)N_ELEMS(safelisted));
  tcase_add_loop_test(tc, test_name_class_table, 0, (int)N_ELEMS(class_cases));
  tcase_add_loop_test(tc, test_sort_by_name, 0, (int)N_ELEMS(sort_sizes));
  tcase_add_loop_test(tc, test_sort_strs_ci, 0, (int)N_ELEMS(sort_sizes));
  suite_add_tcase(s, tc);
  return s;
}

int main(void) { return tu_run(suite()); }
