/*
 * lists.c -- the comma-separated list headers of CORS
 * (Access-Control-Expose-Headers, -Allow-Methods, -Allow-Headers).
 *
 * The Fetch Standard says to "extract header list values" with the ABNF
 * #field-name / #method (#extract-header-list-values), which leaves the
 * exact algorithm open (whatwg/fetch#814, #827).  What the spec's text and
 * Chromium, Gecko and WebKit agree on (research/engines.md, table (a)):
 * split at commas, trim spaces and tabs, ignore empty elements (RFC 9110
 * 5.6.1.2), and require every remaining element to be a token; a single
 * bad element makes the whole extraction fail.  Every header line is
 * parsed the same way, so parsing the lines one by one equals parsing
 * their ", "-combined value.
 */
#include <config.h>

#include "internal.h"

corsim__list_status corsim__parse_token_list(const char *v, size_t len,
                                             corsim__list_parse rule,
                                             corsim_str *out, size_t *n,
                                             corsim_str *bad) {
  const unsigned char *tchar = corsim__tchar_table;
  size_t pos = 0;

  if (!v)
    v = ""; /* NULL with length 0 is the empty value */
  /* One pass: each element is spaces or tabs, a run of token bytes, spaces
   * or tabs, then a comma or the end.  Anything else makes the element
   * (up to the next comma, trimmed) invalid. */
  while (pos <= len) {
    size_t start, end;

    while (pos < len && corsim__is_tab_or_space((unsigned char)v[pos]))
      pos++;
    start = pos;
    /* four token bytes per test while there are four, then one */
    while (pos + 4 <= len && (tchar[(unsigned char)v[pos]] &
                              tchar[(unsigned char)v[pos + 1]] &
                              tchar[(unsigned char)v[pos + 2]] &
                              tchar[(unsigned char)v[pos + 3]]))
      pos += 4;
    while (pos < len && tchar[(unsigned char)v[pos]])
      pos++;
    end = pos;
    while (pos < len && corsim__is_tab_or_space((unsigned char)v[pos]))
      pos++;
    if (pos < len && v[pos] != ',') {
      const char *p = v + start;
      size_t ilen;
      while (pos < len && v[pos] != ',')
        pos++;
      ilen = pos - start;
      corsim__trim_ows(&p, &ilen);
      if (rule == CORSIM__LIST_STRICT) {
        if (bad) {
          bad->ptr = p;
          bad->len = ilen;
        }
        return CORSIM__LIST_FAILURE;
      }
      pos++;
      continue; /* dropped */
    }
    pos++; /* past the ',' (or past the end, which ends the loop) */
    if (end == start)
      continue; /* empty elements are ignored */
    out[*n].ptr = v + start;
    out[*n].len = end - start;
    (*n)++;
  }
  return CORSIM__LIST_OK;
}

int corsim__list_has_star(const corsim_str *items, size_t n) {
  size_t i;
  for (i = 0; i < n; i++)
    if (items[i].len == 1 && items[i].ptr[0] == '*')
      return 1;
  return 0;
}
