/*
 * fuzz_head.c -- the HTTP/1 response-head parser (lib/http1.c) under every
 * combination of the wire.* behaviours.
 *
 * Input: five selector bytes, then the bytes of one or more response heads
 * (as curl -si prints a redirect chain).  The selectors pick the value of
 * each wire behaviour, so the whole space of wire profiles is reachable,
 * not only the releases data/profiles.xml describes: bytes 0-3, read as a
 * little-endian number, are digits in mixed radix, one per enum behaviour
 * whose id starts with "wire." (in the order of CORSIM__BEHAVIOUR_MAP;
 * radix: its number of values), each added to the spec's value; byte 4
 * picks wire.max_head_bytes from {spec, 64, 4096, 262144}.  Five zero
 * bytes give the spec profile.  New wire behaviours join automatically.
 * Checked: a parse never reads or reports past the input, every header is
 * a valid name, a rejected head says where and why, and filtering the head
 * works.
 */
#include <string.h>

#include "fuzz.h"
#include "internal.h"

#define SELECTOR_BYTES 5

static int enum_count(const char *values) {
  int n = 1;
  for (; *values; values++)
    n += *values == ' ';
  return n;
}

static void make_profile(corsim_profile *p, const uint8_t *sel) {
  static const int max_head[] = {0, 64, 4096, 262144};
  uint32_t digits = (uint32_t)sel[0] | (uint32_t)sel[1] << 8 |
                    (uint32_t)sel[2] << 16 | (uint32_t)sel[3] << 24;
  int b;
  *p = *corsim_profile_spec();
  p->name = "fuzz";
  for (b = 0; b < CORSIM__B_COUNT; b++) {
    const corsim__behaviour_info *bi = &corsim__behaviours[b];
    int n;
    if (strncmp(bi->id, "wire.", 5) != 0 || bi->type != CORSIM__BT_ENUM)
      continue;
    n = enum_count(bi->values);
    p->v[b] = (int)((bi->spec + digits % (uint32_t)n) % (uint32_t)n);
    digits /= (uint32_t)n;
  }
  p->v[CORSIM__B_WIRE_MAX_HEAD_BYTES] =
      sel[4] % 4 ? max_head[sel[4] % 4]
                 : corsim__behaviours[CORSIM__B_WIRE_MAX_HEAD_BYTES].spec;
}

static corsim_request *req; /* kept for the whole run */

void fuzz_target_cleanup(void) {
  corsim_request_free(req);
  req = NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  corsim_profile prof;
  corsim_head *h = NULL;
  corsim_result *res = NULL;
  const char *d;
  size_t len, pos = 0, hops = 0;

  if (size < SELECTOR_BYTES)
    return 0;
  if (!req) { /* kept for the whole run */
    if (corsim_request_new(&req, NULL) ||
        corsim_request_set_origin(req, "https://app.example", 19) ||
        corsim_request_set_url(req, "https://api.example/x", 21))
      abort();
  }
  make_profile(&prof, data);
  d = (const char *)data + SELECTOR_BYTES;
  len = size - SELECTOR_BYTES;
  if (corsim_head_new(&h, NULL) || corsim_result_new(&res, NULL))
    abort();
  while (pos < len && hops < 16) {
    size_t consumed = 0, count, i;
    const corsim_response *r;
    const corsim_header *hd;
    unsigned long line = 0;
    const char *why = NULL;
    int rc = corsim_head_parse(h, &prof, d + pos, len - pos, &consumed);
    if (rc) {
      FUZZ_ASSERT(rc == CORSIM_ERR_BAD_RESPONSE || rc == CORSIM_ERR_TOO_LARGE);
      FUZZ_ASSERT(corsim_head_response(h) == NULL);
      break;
    }
    FUZZ_ASSERT(consumed <= len - pos);
    r = corsim_head_response(h);
    FUZZ_ASSERT(r != NULL);
    FUZZ_ASSERT(corsim__status_valid(&prof, r->status));
    hd = r->headers;
    count = r->header_count;
    for (i = 0; i < count; i++) {
      FUZZ_ASSERT(corsim_is_header_name(hd[i].name, hd[i].name_len));
      /* values never keep a line terminator */
      FUZZ_ASSERT(!memchr(hd[i].value, '\n', hd[i].value_len));
    }
    FUZZ_ASSERT(!memchr(r->status_text, '\n', r->status_text_len));
    if (corsim_head_rejected(h, &line, &why)) {
      FUZZ_ASSERT(why != NULL && line >= 1);
    }
    rc = corsim_filter_head(res, &prof, req, h);
    FUZZ_ASSERT(rc == 0 || rc == CORSIM_ERR_TOO_LARGE);
    if (rc == 0 && corsim_head_rejected(h, NULL, NULL))
      FUZZ_ASSERT(corsim_result_reason(res) == CORSIM_BLOCK_INVALID_RESPONSE);
    (void)strlen(corsim_result_message(res));
    if (consumed == 0)
      break;
    pos += consumed;
    /* the next head starts on a line beginning "HTTP/" (after a body) */
    while (pos < len && !((pos == 0 || d[pos - 1] == '\n') &&
                          len - pos >= 5 && memcmp(d + pos, "HTTP/", 5) == 0))
      pos++;
    hops++;
  }
  corsim_result_free(res);
  corsim_head_free(h);
  return 0;
}
