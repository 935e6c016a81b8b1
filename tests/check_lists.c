/*
 * check_lists.c -- lib/lists.c: parsing comma-separated token lists
 * (Access-Control-Expose-Headers and friends) under the strict and the
 * drop-invalid rules, the "*" check, and the item-count bound.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "internal.h"


static uint32_t rng_next(uint32_t *s) {
  uint32_t x = *s;
  x ^= x << 13;
  x ^= x >> 17;
  x ^= x << 5;
  *s = x;
  return x;
}

static const corsim_str SENTINEL = {"#sentinel", 9};

static int is_sentinel(corsim_str s) {
  return s.ptr == SENTINEL.ptr && s.len == SENTINEL.len;
}

/* An output array sized by the bound, plus one sentinel slot past it. */
static corsim_str *alloc_out(size_t len, size_t *cap) {
  size_t i;
  corsim_str *out;
  *cap = corsim__list_max_items(len);
  out = malloc((*cap + 1) * sizeof *out);
  ck_assert_ptr_nonnull(out);
  for (i = 0; i <= *cap; i++)
    out[i] = SENTINEL;
  return out;
}

/* ------------------------------------------------------------------------
 * Table
 * ------------------------------------------------------------------------ */

struct bstr {
  const char *p;
  size_t n;
};

struct list_case {
  const char *in;
  size_t len;
  /* strict: items, or (bad != NULL) the failure and the offending item */
  size_t sn;
  struct bstr strict[4];
  const char *bad;
  size_t bad_len;
  /* drop-invalid: items (never fails) */
  size_t dn;
  struct bstr drop[4];
};

#define NONE {{NULL, 0}}
#define OKAY NULL, 0

static const struct list_case list_cases[] = {
    {L(""), 0, NONE, OKAY, 0, NONE},
    {L("a"), 1, {{L("a")}}, OKAY, 1, {{L("a")}}},
    {L("a,b"), 2, {{L("a")}, {L("b")}}, OKAY, 2, {{L("a")}, {L("b")}}},
    {L(" a , b "), 2, {{L("a")}, {L("b")}}, OKAY, 2, {{L("a")}, {L("b")}}},
    {L("\ta\t,\tb\t"), 2, {{L("a")}, {L("b")}}, OKAY, 2, {{L("a")}, {L("b")}}},
    {L(" \t a \t "), 1, {{L("a")}}, OKAY, 1, {{L("a")}}},
    {L(",a"), 1, {{L("a")}}, OKAY, 1, {{L("a")}}},
    {L("a,"), 1, {{L("a")}}, OKAY, 1, {{L("a")}}},
    {L("a,,b"), 2, {{L("a")}, {L("b")}}, OKAY, 2, {{L("a")}, {L("b")}}},
    {L("a , , b"), 2, {{L("a")}, {L("b")}}, OKAY, 2, {{L("a")}, {L("b")}}},
    {L(","), 0, NONE, OKAY, 0, NONE},
    {L(",,,,"), 0, NONE, OKAY, 0, NONE},
    {L(" , \t , "), 0, NONE, OKAY, 0, NONE},
    {L("   "), 0, NONE, OKAY, 0, NONE},
    {L("*"), 1, {{L("*")}}, OKAY, 1, {{L("*")}}},
    {L("*, x"), 2, {{L("*")}, {L("x")}}, OKAY, 2, {{L("*")}, {L("x")}}},
    {L("X-Custom, x-custom"),
     2,
     {{L("X-Custom")}, {L("x-custom")}},
     OKAY,
     2,
     {{L("X-Custom")}, {L("x-custom")}}},
    {L("!#$%&'*+-.^_`|~"),
     1,
     {{L("!#$%&'*+-.^_`|~")}},
     OKAY,
     1,
     {{L("!#$%&'*+-.^_`|~")}}},
    /* single quotes are tchars: 'x' is a valid token, not a quoted x */
    {L("'x'"), 1, {{L("'x'")}}, OKAY, 1, {{L("'x'")}}},
    {L("x-test, 'x-test'"),
     2,
     {{L("x-test")}, {L("'x-test'")}},
     OKAY,
     2,
     {{L("x-test")}, {L("'x-test'")}}},
    /* invalid items */
    {L("bad token"), 0, NONE, L("bad token"), 0, NONE},
    {L("a, bad token, b"), 0, NONE, L("bad token"), 2, {{L("a")}, {L("b")}}},
    {L("a b, c"), 0, NONE, L("a b"), 1, {{L("c")}}},
    {L("a, b c, d e"), 0, NONE, L("b c"), 1, {{L("a")}}},
    {L("\"x\""), 0, NONE, L("\"x\""), 0, NONE},
    {L("\"x\", y"), 0, NONE, L("\"x\""), 1, {{L("y")}}},
    {L("\"x,y\""), 0, NONE, L("\"x"), 0, NONE},
    {L("x;q=1"), 0, NONE, L("x;q=1"), 0, NONE},
    {L("x/"), 0, NONE, L("x/"), 0, NONE},
    {L("x:y"), 0, NONE, L("x:y"), 0, NONE},
    {L("caf\xc3\xa9"), 0, NONE, L("caf\xc3\xa9"), 0, NONE},
    {L("a, \xe9"), 0, NONE, L("\xe9"), 1, {{L("a")}}},
    {L("\x0b" "x"), 0, NONE, L("\x0b" "x"), 0, NONE},
    {L("x" "\x0c"), 0, NONE, L("x" "\x0c"), 0, NONE},
    {L(" \x0b" "x" "\x0b "), 0, NONE, L("\x0b" "x" "\x0b"), 0, NONE},
    {L("a,\x0c,b"), 0, NONE, L("\x0c"), 2, {{L("a")}, {L("b")}}},
    {L("a\r\n"), 0, NONE, L("a\r\n"), 0, NONE},
    {L("a\t\tb"), 0, NONE, L("a\t\tb"), 0, NONE},
    {L("a\0b, c"), 0, NONE, L("a\0b"), 1, {{L("c")}}},
    {L("x, y, \x7f"), 0, NONE, L("\x7f"), 2, {{L("x")}, {L("y")}}},
};

static void check_items(const struct list_case *c, const corsim_str *out,
                        const struct bstr *want, size_t n) {
  size_t j;
  for (j = 0; j < n; j++) {
    ck_assert_msg(tu_bytes_eq(out[j].ptr, out[j].len, want[j].p, want[j].n),
                  "input \"%s\" item %zu: got \"%s\", want \"%s\"",
                  tu_esc(c->in, c->len), j, tu_esc(out[j].ptr, out[j].len),
                  tu_esc(want[j].p, want[j].n));
    ck_assert_msg(out[j].ptr >= c->in && out[j].ptr + out[j].len <=
                                             c->in + c->len,
                  "item %zu is not a view into the input", j);
  }
}

START_TEST(test_strict_table) {
  const struct list_case *c = &list_cases[_i];
  size_t cap, n = 0;
  corsim_str *out = alloc_out(c->len, &cap);
  corsim_str bad = SENTINEL;
  corsim__list_status st =
      corsim__parse_token_list(c->in, c->len, CORSIM__LIST_STRICT, out, &n,
                               &bad);
  if (c->bad) {
    ck_assert_msg(st == CORSIM__LIST_FAILURE, "\"%s\" should fail",
                  tu_esc(c->in, c->len));
    ck_assert_bytes(bad.ptr, bad.len, c->bad, c->bad_len);
    ck_assert(bad.ptr >= c->in && bad.ptr + bad.len <= c->in + c->len);
  } else {
    ck_assert_msg(st == CORSIM__LIST_OK, "\"%s\" should parse",
                  tu_esc(c->in, c->len));
    ck_assert_uint_eq(n, c->sn);
    check_items(c, out, c->strict, n);
    ck_assert(is_sentinel(bad)); /* not touched on success */
  }
  ck_assert_uint_le(n, cap);
  ck_assert(is_sentinel(out[cap]));
  free(out);
}
END_TEST

START_TEST(test_drop_table) {
  const struct list_case *c = &list_cases[_i];
  size_t cap, n = 0;
  corsim_str *out = alloc_out(c->len, &cap);
  corsim_str bad = SENTINEL;
  corsim__list_status st = corsim__parse_token_list(
      c->in, c->len, CORSIM__LIST_DROP_INVALID, out, &n, &bad);
  ck_assert_msg(st == CORSIM__LIST_OK, "\"%s\"", tu_esc(c->in, c->len));
  ck_assert_uint_eq(n, c->dn);
  check_items(c, out, c->drop, n);
  ck_assert(is_sentinel(bad));
  ck_assert(is_sentinel(out[n]));
  ck_assert(is_sentinel(out[cap]));
  free(out);
}
END_TEST

/* Items are appended at out[*n]; earlier entries are left alone; bad may
 * be NULL. */
START_TEST(test_append_to_existing) {
  corsim_str out[8];
  corsim_str bad = SENTINEL;
  size_t n = 2, i;
  static const char v[] = "x, y";

  for (i = 0; i < 8; i++)
    out[i] = SENTINEL;
  out[0].ptr = "keep0";
  out[0].len = 5;
  out[1].ptr = "keep1";
  out[1].len = 5;
  ck_assert_int_eq(corsim__parse_token_list(L(v), CORSIM__LIST_STRICT, out, &n,
                                            &bad),
                   CORSIM__LIST_OK);
  ck_assert_uint_eq(n, 4);
  ck_assert_bytes(out[0].ptr, out[0].len, L("keep0"));
  ck_assert_bytes(out[1].ptr, out[1].len, L("keep1"));
  ck_assert_ptr_eq(out[2].ptr, v);
  ck_assert_uint_eq(out[2].len, 1);
  ck_assert_ptr_eq(out[3].ptr, v + 3);
  ck_assert_uint_eq(out[3].len, 1);
  ck_assert(is_sentinel(out[4]));

  /* a second line continues the same list */
  ck_assert_int_eq(corsim__parse_token_list(L(" , z"), CORSIM__LIST_STRICT,
                                            out, &n, &bad),
                   CORSIM__LIST_OK);
  ck_assert_uint_eq(n, 5);
  ck_assert_bytes(out[4].ptr, out[4].len, L("z"));

  /* bad == NULL on failure */
  ck_assert_int_eq(corsim__parse_token_list(L("a b"), CORSIM__LIST_STRICT, out,
                                            &n, NULL),
                   CORSIM__LIST_FAILURE);
  ck_assert(is_sentinel(bad));
  ck_assert_bytes(out[0].ptr, out[0].len, L("keep0"));
}
END_TEST

/* ------------------------------------------------------------------------
 * Long lists
 * ------------------------------------------------------------------------ */

#define LONG_N 10000

/* "h0, h1, ..., h9999", optionally with item bad_at replaced by "b d". */
static char *long_list(size_t bad_at, size_t *len) {
  char *v = malloc(LONG_N * 12 + 1);
  size_t i, o = 0;
  ck_assert_ptr_nonnull(v);
  for (i = 0; i < LONG_N; i++) {
    if (i)
      o += (size_t)sprintf(v + o, ", ");
    if (i == bad_at)
      o += (size_t)sprintf(v + o, "b d");
    else
      o += (size_t)sprintf(v + o, "h%zu", i);
  }
  *len = o;
  return v;
}

START_TEST(test_long_list) {
  size_t len, cap, n = 0, i;
  char *v = long_list(SIZE_MAX, &len);
  corsim_str *out = alloc_out(len, &cap);
  corsim_str bad = SENTINEL;
  char want[32];

  ck_assert_int_eq(corsim__parse_token_list(v, len, CORSIM__LIST_STRICT, out,
                                            &n, &bad),
                   CORSIM__LIST_OK);
  ck_assert_uint_eq(n, LONG_N);
  for (i = 0; i < n; i++) {
    int wl = sprintf(want, "h%zu", i);
    if (!tu_bytes_eq(out[i].ptr, out[i].len, want, (size_t)wl))
      ck_abort_msg("item %zu is \"%s\"", i, tu_esc(out[i].ptr, out[i].len));
  }
  ck_assert(is_sentinel(out[cap]));
  ck_assert(corsim__list_has_star(out, n) == 0);
  free(out);
  free(v);
}
END_TEST

/* Loop: a bad item first, in the middle, last. */
static const size_t long_bad_at[] = {0, 5000, LONG_N - 1};

START_TEST(test_long_list_bad_item) {
  size_t at = long_bad_at[_i];
  size_t len, cap, n = 0, i, j;
  char *v = long_list(at, &len);
  corsim_str *out = alloc_out(len, &cap);
  corsim_str bad = SENTINEL;
  char want[32];

  ck_assert_int_eq(corsim__parse_token_list(v, len, CORSIM__LIST_STRICT, out,
                                            &n, &bad),
                   CORSIM__LIST_FAILURE);
  ck_assert_bytes(bad.ptr, bad.len, L("b d"));
  ck_assert(bad.ptr >= v && bad.ptr + bad.len <= v + len);

  n = 0;
  bad = SENTINEL;
  ck_assert_int_eq(corsim__parse_token_list(v, len, CORSIM__LIST_DROP_INVALID,
                                            out, &n, &bad),
                   CORSIM__LIST_OK);
  ck_assert_uint_eq(n, LONG_N - 1);
  ck_assert(is_sentinel(bad));
  for (i = 0, j = 0; i < LONG_N; i++) {
    int wl;
    if (i == at)
      continue;
    wl = sprintf(want, "h%zu", i);
    if (!tu_bytes_eq(out[j].ptr, out[j].len, want, (size_t)wl))
      ck_abort_msg("item %zu is \"%s\"", j, tu_esc(out[j].ptr, out[j].len));
    j++;
  }
  ck_assert(is_sentinel(out[cap]));
  free(out);
  free(v);
}
END_TEST

/* The densest list, "a,a,...,a": exactly the bound; and only commas. */
START_TEST(test_dense_and_commas_only) {
  size_t len = 2 * LONG_N - 1, cap, n = 0, i;
  char *v = malloc(len);
  corsim_str *out;

  ck_assert_ptr_nonnull(v);
  for (i = 0; i < len; i++)
    v[i] = i % 2 ? ',' : 'a';
  out = alloc_out(len, &cap);
  ck_assert_uint_eq(cap, LONG_N);
  ck_assert_int_eq(corsim__parse_token_list(v, len, CORSIM__LIST_STRICT, out,
                                            &n, NULL),
                   CORSIM__LIST_OK);
  ck_assert_uint_eq(n, LONG_N);
  for (i = 0; i < n; i++)
    if (out[i].ptr != v + 2 * i || out[i].len != 1)
      ck_abort_msg("item %zu", i);
  ck_assert(is_sentinel(out[cap]));
  free(out);

  memset(v, ',', len);
  out = alloc_out(len, &cap);
  n = 0;
  ck_assert_int_eq(corsim__parse_token_list(v, len, CORSIM__LIST_STRICT, out,
                                            &n, NULL),
                   CORSIM__LIST_OK);
  ck_assert_uint_eq(n, 0);
  ck_assert(is_sentinel(out[0]));
  free(out);
  free(v);
}
END_TEST

/* ------------------------------------------------------------------------
 * corsim__list_has_star
 * ------------------------------------------------------------------------ */

struct star_case {
  size_t n;
  struct bstr items[3];
  int want;
};

static const struct star_case star_cases[] = {
    {0, {{NULL, 0}}, 0},
    {1, {{L("*")}}, 1},
    {2, {{L("x")}, {L("*")}}, 1},
    {2, {{L("*")}, {L("x")}}, 1},
    {3, {{L("a")}, {L("b")}, {L("*")}}, 1},
    {1, {{L("**")}}, 0},
    {1, {{L("*x")}}, 0},
    {1, {{L("x*")}}, 0},
    {1, {{L(" *")}}, 0},
    {1, {{L("* ")}}, 0},
    {1, {{L("\"*\"")}}, 0},
    {1, {{L("")}}, 0},
    {1, {{"*", 0}}, 0}, /* the length decides */
    {2, {{L("x")}, {L("y")}}, 0},
    {2, {{L("*")}, {L("*")}}, 1},
};

START_TEST(test_has_star) {
  const struct star_case *c = &star_cases[_i];
  corsim_str items[3];
  size_t j;
  for (j = 0; j < c->n; j++) {
    items[j].ptr = c->items[j].p;
    items[j].len = c->items[j].n;
  }
  ck_assert_int_eq(corsim__list_has_star(c->n ? items : NULL, c->n), c->want);
  /* only the first n items count */
  if (c->n > 0 && c->want)
    ck_assert_int_eq(
        corsim__list_has_star(items, 0), 0);
}
END_TEST

START_TEST(test_has_star_after_parse) {
  corsim_str out[8];
  size_t n = 0;
  ck_assert_int_eq(corsim__parse_token_list(L("x, * ,y"), CORSIM__LIST_STRICT,
                                            out, &n, NULL),
                   CORSIM__LIST_OK);
  ck_assert_int_eq(corsim__list_has_star(out, n), 1);
  n = 0;
  ck_assert_int_eq(corsim__parse_token_list(L("x, **, *y"),
                                            CORSIM__LIST_STRICT, out, &n, NULL),
                   CORSIM__LIST_OK);
  ck_assert_uint_eq(n, 3);
  ck_assert_int_eq(corsim__list_has_star(out, n), 0);
  /* drop-invalid keeps a star next to a bad item */
  n = 0;
  ck_assert_int_eq(corsim__parse_token_list(L("\"*\", *"),
                                            CORSIM__LIST_DROP_INVALID, out, &n,
                                            NULL),
                   CORSIM__LIST_OK);
  ck_assert_uint_eq(n, 1);
  ck_assert_int_eq(corsim__list_has_star(out, n), 1);
}
END_TEST

/* ------------------------------------------------------------------------
 * Properties: the bound, a reference parser, line-by-line == combined
 * ------------------------------------------------------------------------ */

static int ref_tchar(unsigned char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
         (c >= 'A' && c <= 'Z') ||
         (c != 0 && strchr("!#$%&'*+-.^_`|~", c) != NULL);
}

/* The recipient-side #rule reading, written independently. */
static int ref_parse(const char *v, size_t len, int strict, corsim_str *out,
                     size_t *n, corsim_str *bad) {
  size_t start = 0, end, i;
  for (;;) {
    const char *p;
    size_t ilen;
    int ok = 1;
    end = start;
    while (end < len && v[end] != ',')
      end++;
    p = v + start;
    ilen = end - start;
    while (ilen && (p[0] == ' ' || p[0] == '\t')) {
      p++;
      ilen--;
    }
    while (ilen && (p[ilen - 1] == ' ' || p[ilen - 1] == '\t'))
      ilen--;
    if (ilen) {
      for (i = 0; i < ilen; i++)
        ok = ok && ref_tchar((unsigned char)p[i]);
      if (ok) {
        out[*n].ptr = p;
        out[*n].len = ilen;
        (*n)++;
      } else if (strict) {
        bad->ptr = p;
        bad->len = ilen;
        return 0;
      }
    }
    if (end >= len)
      return 1;
    start = end + 1;
  }
}

static void gen_value(uint32_t *seed, char *v, size_t len) {
  static const char alpha[] = "aB*',,,  \t\"\x0b;\xe9";
  size_t i;
  for (i = 0; i < len; i++)
    v[i] = alpha[rng_next(seed) % (sizeof alpha - 1)];
}

/* Parses v both ways, compares, and checks the bound with a sentinel. */
static void compare_with_reference(const char *v, size_t len,
                                   corsim__list_parse rule) {
  corsim_str out[64], ref[64], bad = SENTINEL, rbad = SENTINEL;
  size_t cap = corsim__list_max_items(len), n = 0, rn = 0, i;
  int st, rst;

  if (cap + 1 > N_ELEMS(out))
    ck_abort_msg("test buffer too small");
  for (i = 0; i <= cap; i++)
    out[i] = SENTINEL;
  st = corsim__parse_token_list(v, len, rule, out, &n, &bad) == CORSIM__LIST_OK;
  rst = ref_parse(v, len, rule == CORSIM__LIST_STRICT, ref, &rn, &rbad);
  if (st != rst || n > cap || !is_sentinel(out[cap]))
    ck_abort_msg("\"%s\" rule %d: status %d want %d, n %zu cap %zu",
                 tu_esc(v, len), (int)rule, st, rst, n, cap);
  if (!st) {
    if (bad.ptr != rbad.ptr || bad.len != rbad.len)
      ck_abort_msg("\"%s\": bad item \"%s\" want \"%s\"", tu_esc(v, len),
                   tu_esc(bad.ptr, bad.len), tu_esc(rbad.ptr, rbad.len));
    return;
  }
  if (n != rn)
    ck_abort_msg("\"%s\" rule %d: %zu items, want %zu", tu_esc(v, len), (int)rule,
                 n, rn);
  for (i = 0; i < n; i++)
    if (out[i].ptr != ref[i].ptr || out[i].len != ref[i].len)
      ck_abort_msg("\"%s\" item %zu: \"%s\" want \"%s\"", tu_esc(v, len), i,
                   tu_esc(out[i].ptr, out[i].len), tu_esc(ref[i].ptr, ref[i].len));
}

START_TEST(test_random_against_reference) {
  uint32_t seed = 2024u + (uint32_t)_i * 7919u;
  char v[80];
  size_t k;
  for (k = 0; k < 20000; k++) {
    size_t len = rng_next(&seed) % 80;
    gen_value(&seed, v, len);
    compare_with_reference(v, len, CORSIM__LIST_STRICT);
    compare_with_reference(v, len, CORSIM__LIST_DROP_INVALID);
  }
}
END_TEST

/* Every string over {a, ',', ' '} up to length 11: the bound holds, and is
 * reached for every odd length (so it is tight). */
START_TEST(test_bound_exhaustive) {
  static const char alpha[3] = {'a', ',', ' '};
  char v[11];
  corsim_str out[16];
  size_t len, i, n, cap, best;
  uint32_t code, total;

  for (len = 0; len <= sizeof v; len++) {
    cap = corsim__list_max_items(len);
    ck_assert_uint_lt(cap, N_ELEMS(out));
    total = 1;
    for (i = 0; i < len; i++)
      total *= 3;
    best = 0;
    for (code = 0; code < total; code++) {
      uint32_t c = code;
      for (i = 0; i < len; i++) {
        v[i] = alpha[c % 3];
        c /= 3;
      }
      int rule;
      for (rule = 0; rule < 2; rule++) {
        /* the bound holds whatever the status (strict fails on "a a") */
        for (i = 0; i <= cap; i++)
          out[i] = SENTINEL;
        n = 0;
        (void)corsim__parse_token_list(
            v, len, rule ? CORSIM__LIST_DROP_INVALID : CORSIM__LIST_STRICT,
            out, &n, NULL);
        if (n > cap || !is_sentinel(out[cap]))
          ck_abort_msg("\"%s\" rule %d: n %zu cap %zu", tu_esc(v, len), rule, n,
                       cap);
        if (n > best)
          best = n;
      }
    }
    ck_assert_uint_eq(best, (len + 1) / 2);
  }
}
END_TEST

/* Parsing two lines one after the other into the same array equals parsing
 * their ", "-joined value (the strict rule fails on the first bad item). */
START_TEST(test_lines_equal_combined) {
  uint32_t seed = 77;
  char a[40], b[40], ab[82];
  corsim_str o1[64], o2[64], bad1, bad2;
  size_t k, i, al, bl, n1, n2;
  int rule;

  for (k = 0; k < 10000; k++) {
    al = rng_next(&seed) % 40;
    bl = rng_next(&seed) % 40;
    gen_value(&seed, a, al);
    gen_value(&seed, b, bl);
    memcpy(ab, a, al);
    memcpy(ab + al, ", ", 2);
    memcpy(ab + al + 2, b, bl);
    for (rule = 0; rule < 2; rule++) {
      corsim__list_parse r =
          rule ? CORSIM__LIST_DROP_INVALID : CORSIM__LIST_STRICT;
      int s1, s2;
      n1 = n2 = 0;
      bad1 = bad2 = SENTINEL;
      s1 = corsim__parse_token_list(a, al, r, o1, &n1, &bad1) ==
               CORSIM__LIST_OK &&
           corsim__parse_token_list(b, bl, r, o1, &n1, &bad1) ==
               CORSIM__LIST_OK;
      s2 = corsim__parse_token_list(ab, al + 2 + bl, r, o2, &n2, &bad2) ==
           CORSIM__LIST_OK;
      if (s1 != s2)
        ck_abort_msg("\"%s\" + \"%s\": %d vs %d", tu_esc(a, al), tu_esc(b, bl), s1,
                     s2);
      if (!s1) {
        if (!tu_bytes_eq(bad1.ptr, bad1.len, bad2.ptr, bad2.len))
          ck_abort_msg("bad \"%s\" vs \"%s\"", tu_esc(bad1.ptr, bad1.len),
                       tu_esc(bad2.ptr, bad2.len));
        continue;
      }
      if (n1 != n2)
        ck_abort_msg("\"%s\" + \"%s\": %zu vs %zu items", tu_esc(a, al),
                     tu_esc(b, bl), n1, n2);
      for (i = 0; i < n1; i++)
        if (!tu_bytes_eq(o1[i].ptr, o1[i].len, o2[i].ptr, o2[i].len))
          ck_abort_msg("item %zu differs", i);
    }
  }
}
END_TEST

START_TEST(test_max_items_values) {
  ck_assert_uint_eq(corsim__list_max_items(0), 1);
  ck_assert_uint_eq(corsim__list_max_items(1), 1);
  ck_assert_uint_eq(corsim__list_max_items(2), 2);
  ck_assert_uint_eq(corsim__list_max_items(3), 2);
  ck_assert_uint_eq(corsim__list_max_items(19999), 10000);
  /* at least the densest count, (len + 1) / 2, for every length */
  {
    size_t len;
    for (len = 0; len < 100000; len++)
      if (corsim__list_max_items(len) < (len + 1) / 2)
        ck_abort_msg("len %zu", len);
  }
}
END_TEST

static Suite *suite(void) {
  Suite *s = suite_create("lists");
  TCase *tc;

  tc = tcase_create("parse");
  tcase_add_loop_test(tc, test_strict_table, 0, (int)N_ELEMS(list_cases));
  tcase_add_loop_test(tc, test_drop_table, 0, (int)N_ELEMS(list_cases));
  tcase_add_test(tc, test_append_to_existing);
  suite_add_tcase(s, tc);

  tc = tcase_create("long");
  tcase_set_timeout(tc, 60);
  tcase_add_test(tc, test_long_list);
  tcase_add_loop_test(tc, test_long_list_bad_item, 0,
                      (int)N_ELEMS(long_bad_at));
  tcase_add_test(tc, test_dense_and_commas_only);
  suite_add_tcase(s, tc);

  tc = tcase_create("star");
  tcase_add_loop_test(tc, test_has_star, 0, (int)N_ELEMS(star_cases));
  tcase_add_test(tc, test_has_star_after_parse);
  suite_add_tcase(s, tc);

  tc = tcase_create("properties");
  tcase_set_timeout(tc, 120);
  tcase_add_loop_test(tc, test_random_against_reference, 0, 4);
  tcase_add_test(tc, test_bound_exhaustive);
  tcase_add_test(tc, test_lines_equal_combined);
  tcase_add_test(tc, test_max_items_values);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) { return tu_run(suite()); }
