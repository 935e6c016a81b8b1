/*
 * fuzz_lists.c -- the list-header parsers: corsim_split_value() ("get,
 * decode, and split"), corsim_headers_get_decode_split() over several
 * header lines, and the token-list parser behind Access-Control-Expose-
 * Headers, -Allow-Methods and -Allow-Headers (lib/lists.c) under both
 * lists.invalid_item rules.
 *
 * Input: the bytes of a header value; a LF separates the values of
 * several header lines of the same name (combined as Fetch's "get" does).
 * Checked: every item is a view inside the value, the item count bound
 * that callers size their arrays with holds, and the two ways of asking
 * for the items agree.
 */
#include <string.h>

#include "fuzz.h"
#include "internal.h"

static int inside(const char *p, size_t n, const char *base, size_t len) {
  return n == 0 || (p >= base && p + n <= base + len);
}

static void token_lists(const char *v, size_t len) {
  corsim_str *out, bad;
  size_t n, i, cap = corsim__list_max_items(len);
  int rule;
  out = malloc(cap * sizeof *out);
  if (!out)
    return;
  for (rule = 0; rule < 2; rule++) {
    corsim__list_status st;
    n = 0;
    bad.ptr = NULL;
    bad.len = 0;
    st = corsim__parse_token_list(v, len, (corsim__list_parse)rule, out, &n,
                                  &bad);
    FUZZ_ASSERT(n <= cap);
    for (i = 0; i < n; i++) {
      FUZZ_ASSERT(out[i].len > 0);
      FUZZ_ASSERT(inside(out[i].ptr, out[i].len, v, len));
      FUZZ_ASSERT(corsim__is_token(out[i].ptr, out[i].len));
    }
    if (st == CORSIM__LIST_FAILURE && bad.ptr)
      FUZZ_ASSERT(inside(bad.ptr, bad.len, v, len));
    if (rule == CORSIM__LIST_DROP_INVALID)
      FUZZ_ASSERT(st == CORSIM__LIST_OK);
    (void)corsim__list_has_star(out, n);
  }
  free(out);
}

void fuzz_target_cleanup(void) {}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const char *v = (const char *)data;
  corsim_str few[4], *items;
  size_t count = 0, count2 = 0, i, value_len = 0;
  corsim_headers *h = NULL;
  const char *p, *end;
  char *buf;
  int rc;

  /* one value, as it stands */
  rc = corsim_split_value(v, size, few, 4, &count);
  FUZZ_ASSERT(rc == 0 || rc == CORSIM_ERR_BUFFER_TOO_SMALL);
  FUZZ_ASSERT(count >= 1 && count <= size + 1);
  items = malloc(count * sizeof *items);
  if (!items)
    return 0;
  rc = corsim_split_value(v, size, items, count, &count2);
  FUZZ_ASSERT(rc == 0 && count2 == count);
  for (i = 0; i < count; i++) {
    FUZZ_ASSERT(inside(items[i].ptr, items[i].len, v, size));
    if (i < 4)
      FUZZ_ASSERT(few[i].ptr == items[i].ptr && few[i].len == items[i].len);
  }
  free(items);
  token_lists(v, size);
  {
    const char *np = v;
    size_t nl = size;
    FUZZ_ASSERT(corsim_normalize_value(&np, &nl) == 0);
    FUZZ_ASSERT(inside(np, nl, v, size));
    (void)corsim_is_header_value(v, size);
  }

  /* the lines as several headers of one name */
  if (corsim_headers_new(&h, NULL))
    abort();
  for (p = v, end = v + size; p <= end;) {
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    const char *e = nl ? nl : end;
    rc = corsim_headers_append(h, "X-List", 6, p, (size_t)(e - p),
                               CORSIM_HEADER_NORMALIZE |
                                   CORSIM_HEADER_LENIENT_VALUE);
    FUZZ_ASSERT(rc == 0);
    if (!nl)
      break;
    p = nl + 1;
  }
  rc = corsim_headers_get_decode_split(h, "x-list", 6, NULL, 0, &value_len,
                                       NULL, 0, &count);
  FUZZ_ASSERT(rc == CORSIM_ERR_BUFFER_TOO_SMALL || rc == 0);
  buf = malloc(value_len ? value_len : 1);
  items = malloc((count ? count : 1) * sizeof *items);
  if (buf && items) {
    rc = corsim_headers_get_decode_split(h, "X-LIST", 6, buf, value_len,
                                         &value_len, items, count, &count2);
    FUZZ_ASSERT(rc == 0 && count2 == count);
    for (i = 0; i < count; i++)
      FUZZ_ASSERT(inside(items[i].ptr, items[i].len, buf, value_len));
    token_lists(buf, value_len);
  }
  free(buf);
  free(items);
  corsim_headers_free(h);
  return 0;
}
