/*
 * cors.c -- one hop of the Fetch Standard's main fetch as it affects what
 * script sees: response tainting (#concept-main-fetch step 2), the CORS
 * check (#concept-cors-check), the redirect mode on a 3xx
 * (#concept-http-fetch step 4), the CORS-exposed header-name list (main
 * fetch step 4.a), the filtered responses (#concept-filtered-response) and
 * the script view (#concept-header-list-sort-and-combine).
 *
 * Hot path: corsim_filter() allocates only when the result lacks room; its
 * views point into the caller's response and request, and the only bytes
 * it writes (lowercased names, combined values, the message) go into
 * memory the result already owns.  Its cost is linear in the number of
 * headers, apart from sorting the kept ones for the script view: one pass
 * classifies every name (corsim__response_name_kind()), the CORS check
 * and the exposed-name list use what that pass found, and the exposed
 * names are looked up in a hash table when there are many.
 * tests/bench/ measures it.
 */
#include <config.h>

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"

#define MESSAGE_CAP 768
/* Above this many exposed names, lookups use a hash table. */
#define LINEAR_LOOKUP_MAX 16

/* One kept header in the script view's sort: its name's key and index. */
typedef struct view_entry {
  uint64_t key;
  uint32_t i;
} view_entry;

struct corsim_result {
  corsim_allocator alloc;
  const corsim_profile *profile;
  corsim_response_type type;
  corsim_block_reason reason;
  int status, internal_status, redirect_pending;
  corsim_str status_text, url;
  const corsim_header *internal;
  size_t internal_count;

  /* outputs */
  corsim_header *kept;
  size_t kept_count, kept_cap;
  corsim_header *js;
  size_t js_count, js_cap;
  corsim_str *cookies;
  size_t cookie_count, cookies_cap;
  unsigned char *decisions;
  size_t decisions_cap;
  corsim_expose_state expose;
  corsim_str *items; /* ACEH names in order */
  size_t item_count, items_cap;
  uint64_t item_lens; /* bit len % 64 set for the length of each item */
  corsim_str bad_item;
  int in_preflight;

  /* the hop being filtered: its URL and the origin the server must allow
   * ("null" after a cross-origin redirect) */
  corsim_str cur_url, cur_origin;
  /* corsim_fetch(): the chain */
  corsim_preflight_state preflight_state;
  int redirected;
  size_t hops_used;
  size_t later_preflights;
  char *url_buf; /* the final URL of a chain */
  size_t url_buf_cap;

  /* scratch */
  unsigned char *kinds; /* corsim__name_kind of each internal header */
  size_t kinds_cap;
  view_entry *order, *order_tmp; /* the script view's sort */
  size_t order_cap, order_tmp_cap;
  corsim_str *lnames; /* the kept headers' names, lowercased */
  size_t lnames_cap;
  uint32_t *slots; /* hash table of the exposed names: item index + 1 */
  size_t slots_cap, slot_mask;
  char *buf; /* lowercased names and combined values */
  size_t buf_cap, buf_used;
  /* every array above has room for this many headers and list items */
  size_t room_headers, room_items;

  char message[MESSAGE_CAP];
};

/* ------------------------------------------------------------------------
 * Names of enums
 * ------------------------------------------------------------------------ */

CORSIM__API const char *corsim_response_type_name(corsim_response_type t) {
  static const char *const names[] = {"basic", "cors", "opaque",
                                      "opaqueredirect", "error"};
  return (unsigned)t < sizeof names / sizeof names[0] ? names[t] : NULL;
}

CORSIM__API const char *corsim_block_reason_name(corsim_block_reason r) {
  switch (r) {
#define XX(name, value, id, anchor)                                           \
  case CORSIM_BLOCK_##name:                                                   \
    return id;
    CORSIM_BLOCK_MAP(XX)
#undef XX
  }
  return NULL;
}

CORSIM__API const char *corsim_block_reason_anchor(corsim_block_reason r) {
  switch (r) {
#define XX(name, value, id, anchor)                                           \
  case CORSIM_BLOCK_##name:                                                   \
    return anchor;
    CORSIM_BLOCK_MAP(XX)
#undef XX
  }
  return NULL;
}

CORSIM__API const char *corsim_expose_state_name(corsim_expose_state s) {
  static const char *const names[] = {"not-applicable", "absent", "list",
                                      "wildcard", "invalid", "unsupported"};
  return (unsigned)s < sizeof names / sizeof names[0] ? names[s] : NULL;
}

CORSIM__API const char *corsim_decision_name(corsim_decision d) {
  static const char *const names[] = {
      "kept-basic",        "kept-safelisted",    "kept-exposed",
      "kept-wildcard",     "removed-forbidden",  "removed-not-exposed",
      "removed-opaque",    "removed-network-error", "kept-unfiltered",
      "kept-engine-quirk"};
  return (unsigned)d < sizeof names / sizeof names[0] ? names[d] : NULL;
}

/* ------------------------------------------------------------------------
 * The result object
 * ------------------------------------------------------------------------ */

static void reset(corsim_result *r) {
  r->profile = NULL;
  r->in_preflight = 0;
  r->cur_url.ptr = r->cur_origin.ptr = "";
  r->cur_url.len = r->cur_origin.len = 0;
  r->preflight_state = CORSIM_PREFLIGHT_NOT_NEEDED;
  r->redirected = 0;
  r->hops_used = 0;
  r->later_preflights = 0;
  r->type = CORSIM_TYPE_ERROR;
  r->reason = CORSIM_BLOCK_NONE;
  r->status = r->internal_status = r->redirect_pending = 0;
  r->status_text.ptr = r->url.ptr = "";
  r->status_text.len = r->url.len = 0;
  r->internal = NULL;
  r->internal_count = 0;
  r->kept_count = r->js_count = r->cookie_count = r->item_count = 0;
  r->expose = CORSIM_EXPOSE_NOT_APPLICABLE;
  r->bad_item.ptr = "";
  r->bad_item.len = 0;
  r->buf_used = 0;
  r->message[0] = '\0';
}

CORSIM__API int corsim_result_new(corsim_result **out,
                                  const corsim_allocator *alloc) {
  corsim_allocator a;
  corsim_result *r;

  if (!out)
    return CORSIM_ERR_INVALID_ARGUMENT;
  *out = NULL;
  r = corsim__object_new(alloc, sizeof *r, &a);
  if (!r)
    return CORSIM_ERR_NOMEM;
  r->alloc = a;
  reset(r);
  *out = r;
  return 0;
}

CORSIM__API void corsim_result_free(corsim_result *r) {
  if (!r)
    return;
  corsim__free(&r->alloc, r->kept);
  corsim__free(&r->alloc, r->js);
  corsim__free(&r->alloc, r->cookies);
  corsim__free(&r->alloc, r->decisions);
  corsim__free(&r->alloc, r->items);
  corsim__free(&r->alloc, r->kinds);
  corsim__free(&r->alloc, r->order);
  corsim__free(&r->alloc, r->order_tmp);
  corsim__free(&r->alloc, r->lnames);
  corsim__free(&r->alloc, r->slots);
  corsim__free(&r->alloc, r->buf);
  corsim__free(&r->alloc, r->url_buf);
  corsim__free(&r->alloc, r);
}

/* The size of the hash table for n exposed names: a power of two, at
 * least twice n, so that probe sequences stay short. */
static size_t table_size(size_t n) {
  size_t size = 16;
  while (size < 2 * n)
    size *= 2;
  return size;
}

/* Grows every array for n headers, `items` list items, `bytes` of names
 * and values. */
static int ensure(corsim_result *r, size_t n, size_t items, size_t bytes) {
  size_t bufneed;
  int rc;

  if (n > UINT32_MAX || bytes > SIZE_MAX / 4 || n > SIZE_MAX / 4 ||
      items > SIZE_MAX / 8)
    return CORSIM_ERR_TOO_LARGE;
  bufneed = 2 * bytes + 2 * n;
  if (n <= r->room_headers && items <= r->room_items && bufneed <= r->buf_cap)
    return 0; /* the steady state */
#define GROW(field, cap, count)                                               \
  if ((rc = corsim__grow(&r->alloc, (void **)&r->field, &r->cap, (count),     \
                         sizeof *r->field)) != 0)                             \
    return rc;
  GROW(kept, kept_cap, n);
  GROW(js, js_cap, n);
  GROW(cookies, cookies_cap, n);
  GROW(decisions, decisions_cap, n);
  GROW(kinds, kinds_cap, n);
  GROW(order, order_cap, n);
  GROW(order_tmp, order_tmp_cap, n);
  GROW(lnames, lnames_cap, n);
  GROW(items, items_cap, items);
  GROW(slots, slots_cap, table_size(items));
  GROW(buf, buf_cap, bufneed);
#undef GROW
  if (n > r->room_headers)
    r->room_headers = n;
  if (items > r->room_items)
    r->room_items = items;
  return 0;
}

CORSIM__API int corsim_result_reserve(corsim_result *r, size_t max_headers,
                                      size_t max_bytes) {
  if (!r)
    return CORSIM_ERR_INVALID_ARGUMENT;
  reset(r); /* growing may move storage that the last result's views use */
  if (max_bytes > SIZE_MAX / 4 || max_headers > SIZE_MAX / 4)
    return CORSIM_ERR_TOO_LARGE;
  return ensure(r, max_headers, max_bytes / 2 + max_headers, max_bytes);
}

/* ------------------------------------------------------------------------
 * Messages
 * ------------------------------------------------------------------------ */

typedef struct msg {
  char *buf;
  size_t len, cap;
} msg;

static void msg_bytes(msg *m, const char *p, size_t n) {
  if (m->len + 1 >= m->cap)
    return;
  if (n > m->cap - 1 - m->len)
    n = m->cap - 1 - m->len;
  memcpy(m->buf + m->len, p, n);
  m->len += n;
  m->buf[m->len] = '\0';
}

static void msg_lit(msg *m, const char *s) { msg_bytes(m, s, strlen(s)); }

/* Bytes from the network: printable ASCII as is, others as \xNN, at most
 * max bytes of input. */
static void msg_quoted(msg *m, const char *p, size_t n, size_t max) {
  static const char hex[] = "0123456789abcdef";
  size_t i;
  msg_lit(m, "'");
  for (i = 0; i < n && i < max; i++) {
    unsigned char c = (unsigned char)p[i];
    if (c >= 0x20 && c < 0x7f && c != '\\') {
      msg_bytes(m, (const char *)&p[i], 1);
    } else {
      char e[4] = {'\\', 'x', hex[c >> 4], hex[c & 15]};
      msg_bytes(m, e, 4);
    }
  }
  if (n > max)
    msg_lit(m, "...");
  msg_lit(m, "'");
}

static void block(corsim_result *r, const corsim_request *req,
                  corsim_block_reason why, corsim_str value) {
  msg m = {r->message, 0, MESSAGE_CAP};
  corsim_str origin = r->cur_origin.len ? r->cur_origin
                                        : corsim_request_origin(req);
  corsim_str url = r->cur_url.len ? r->cur_url : corsim_request_url(req);
  char num[16];

  r->type = CORSIM_TYPE_ERROR;
  r->reason = why;
  r->message[0] = '\0';
  switch (why) {
  case CORSIM_BLOCK_SAME_ORIGIN_MODE:
    msg_lit(&m, "The request's mode is 'same-origin', but ");
    msg_quoted(&m, url.ptr, url.len, 200);
    msg_lit(&m, " is not same origin with the request's origin ");
    msg_quoted(&m, origin.ptr, origin.len, 200);
    msg_lit(&m, ", so fetch() fails without sending it.");
    break;
  case CORSIM_BLOCK_NO_CORS_REDIRECT_MODE:
    msg_lit(&m, "A 'no-cors' request must use redirect mode 'follow'; "
                "redirect mode '");
    msg_lit(&m, corsim_redirect_name(req->redirect));
    msg_lit(&m, "' makes it a network error.");
    break;
  case CORSIM_BLOCK_CORS_SCHEME:
    msg_quoted(&m, url.ptr, url.len, 200);
    msg_lit(&m, " is cross-origin and its scheme is not http or https, so "
                "it cannot be fetched with CORS.");
    break;
  case CORSIM_BLOCK_ACAO_MISSING:
    msg_lit(&m, "The response has no 'Access-Control-Allow-Origin' header, "
                "so the CORS check fails for the cross-origin request from ");
    msg_quoted(&m, origin.ptr, origin.len, 200);
    msg_lit(&m, ".");
    break;
  case CORSIM_BLOCK_ACAO_MULTIPLE:
    msg_lit(&m, "The 'Access-Control-Allow-Origin' header holds several "
                "values, ");
    msg_quoted(&m, value.ptr, value.len, 200);
    msg_lit(&m, ", but the CORS check accepts exactly one origin or '*', "
                "even when the values are identical.");
    break;
  case CORSIM_BLOCK_ACAO_WILDCARD_WITH_CREDENTIALS:
    msg_lit(&m, "The value of the 'Access-Control-Allow-Origin' header must "
                "not be the wildcard '*' when the request's credentials mode "
                "is 'include'; the server must send the origin ");
    msg_quoted(&m, origin.ptr, origin.len, 200);
    msg_lit(&m, " itself.");
    break;
  case CORSIM_BLOCK_ACAO_MISMATCH:
    msg_lit(&m, "The 'Access-Control-Allow-Origin' header is ");
    msg_quoted(&m, value.ptr, value.len, 200);
    msg_lit(&m, ", which is not the request's origin ");
    msg_quoted(&m, origin.ptr, origin.len, 200);
    msg_lit(&m, " (compared byte for byte: case, trailing slash and default "
                "port all count).");
    break;
  case CORSIM_BLOCK_ACAC_MISSING:
    msg_lit(&m, "The request's credentials mode is 'include', but the "
                "response has no 'Access-Control-Allow-Credentials' header; "
                "it must be present with the value 'true'.");
    break;
  case CORSIM_BLOCK_ACAC_NOT_TRUE:
    msg_lit(&m, "The 'Access-Control-Allow-Credentials' header is ");
    msg_quoted(&m, value.ptr, value.len, 200);
    msg_lit(&m, ", but with credentials mode 'include' it must be exactly "
                "'true' (one value, lowercase).");
    break;
  case CORSIM_BLOCK_REDIRECT_MODE_ERROR:
    snprintf(num, sizeof num, "%d", r->internal_status);
    msg_lit(&m, "The response is a redirect (status ");
    msg_lit(&m, num);
    msg_lit(&m, ") and the request's redirect mode is 'error'.");
    break;
  case CORSIM_BLOCK_INVALID_RESPONSE:
    msg_lit(&m, "The network stack refuses this response before any CORS "
                "step runs: ");
    msg_bytes(&m, value.ptr, value.len);
    break;
  case CORSIM_BLOCK_PREFLIGHT_STATUS:
    msg_lit(&m, "Preflight: the response to the OPTIONS request has status ");
    msg_bytes(&m, value.ptr, value.len);
    msg_lit(&m, ", not an ok status (200-299); a redirect is not followed "
                "either.");
    break;
  case CORSIM_BLOCK_PREFLIGHT_ALLOW_METHODS_INVALID:
    msg_lit(&m, "Preflight: 'Access-Control-Allow-Methods' does not parse: "
                "the element ");
    msg_quoted(&m, value.ptr, value.len, 200);
    msg_lit(&m, " is not a method token.");
    break;
  case CORSIM_BLOCK_PREFLIGHT_ALLOW_HEADERS_INVALID:
    msg_lit(&m, "Preflight: 'Access-Control-Allow-Headers' does not parse: "
                "the element ");
    msg_quoted(&m, value.ptr, value.len, 200);
    msg_lit(&m, " is not a header name.");
    break;
  case CORSIM_BLOCK_PREFLIGHT_METHOD_NOT_ALLOWED:
    msg_lit(&m, "Preflight: method ");
    msg_quoted(&m, req->method, req->method_len, 200);
    msg_lit(&m, " is not in 'Access-Control-Allow-Methods' (compared byte "
                "for byte; '*' counts only without credentials).");
    break;
  case CORSIM_BLOCK_PREFLIGHT_AUTHORIZATION_NOT_ALLOWED:
    msg_lit(&m, "Preflight: the request header 'Authorization' must be "
                "listed in 'Access-Control-Allow-Headers' by name; this "
                "browser does not let '*' cover it.");
    break;
  case CORSIM_BLOCK_PREFLIGHT_HEADER_NOT_ALLOWED:
    msg_lit(&m, "Preflight: the request header ");
    msg_quoted(&m, value.ptr, value.len, 200);
    msg_lit(&m, " is not allowed by 'Access-Control-Allow-Headers' ('*' "
                "counts only without credentials).");
    break;
  case CORSIM_BLOCK_REDIRECT_LOCATION_INVALID:
    msg_lit(&m, "The redirect's Location cannot be followed: ");
    msg_quoted(&m, value.ptr, value.len, 200);
    msg_lit(&m, " is not a valid URL (or there are several Location "
                "headers).");
    break;
  case CORSIM_BLOCK_REDIRECT_SCHEME:
    msg_lit(&m, "The redirect goes to ");
    msg_quoted(&m, value.ptr, value.len, 200);
    msg_lit(&m, ", whose scheme is not http or https.");
    break;
  case CORSIM_BLOCK_REDIRECT_LIMIT:
    msg_lit(&m, "More than ");
    msg_bytes(&m, value.len ? value.ptr : "20", value.len ? value.len : 2);
    msg_lit(&m, " redirects: fetch() gives up.");
    break;
  case CORSIM_BLOCK_REDIRECT_CREDENTIALS:
    msg_lit(&m, "The redirect goes to ");
    msg_quoted(&m, value.ptr, value.len, 200);
    msg_lit(&m, ", a URL with credentials (user:password@), which a CORS "
                "request may not follow across origins.");
    break;
  case CORSIM_BLOCK_PROXY_AUTHENTICATION:
    msg_lit(&m, "The response is 407 (Proxy Authentication Required): with "
                "no way to ask the user for proxy credentials, fetch() gives "
                "a network error.");
    break;
  case CORSIM_BLOCK_NO_CORS_METHOD:
    msg_lit(&m, "A 'no-cors' request may only use GET, HEAD or POST; "
                "method ");
    msg_quoted(&m, req->method, req->method_len, 100);
    msg_lit(&m, " makes new Request()/fetch() throw a TypeError.");
    break;
  case CORSIM_BLOCK_CORP:
    msg_lit(&m, "Cross-Origin-Resource-Policy ");
    msg_quoted(&m, value.ptr, value.len, 100);
    msg_lit(&m, " forbids this no-cors response to the request's origin.");
    break;
  case CORSIM_BLOCK_NONE:
    break;
  }
}

/* Internal entry points for preflight.c (see internal.h). */
void corsim__result_block(corsim_result *r, const corsim_request *req,
                          corsim_block_reason why, corsim_str value,
                          int in_preflight) {
  block(r, req, why, value);
  if (in_preflight && r->message[0] &&
      strncmp(r->message, "Preflight: ", 11) != 0) {
    /* a CORS-check message: say that it was the preflight's */
    static const char prefix[] = "Preflight: ";
    size_t len = strlen(r->message), pl = sizeof prefix - 1;
    if (len > MESSAGE_CAP - 1 - pl)
      len = MESSAGE_CAP - 1 - pl;
    memmove(r->message + pl, r->message, len);
    memcpy(r->message, prefix, pl);
    r->message[pl + len] = '\0';
  }
  r->in_preflight = in_preflight;
}

/* The credentials mode in effect: the request's, or the default of fetch()
 * in the profile's browser when the request never set one. */
static corsim_credentials credentials(const corsim_request *req,
                                      const corsim_profile *p) {
  if (req->credentials_set)
    return req->credentials;
  return p->v[CORSIM__B_FETCH_DEFAULT_CREDENTIALS] == 1
             ? CORSIM_CREDENTIALS_OMIT
             : CORSIM_CREDENTIALS_SAME_ORIGIN;
}

/* ------------------------------------------------------------------------
 * The CORS check (#concept-cors-check)
 * ------------------------------------------------------------------------ */

/*
 * get(name) for the CORS check, fed one matching header line at a time.
 * *state: 0 = absent; 1 = only empty values so far, which drop_empty
 * (combine.empty_values drop) does not count when another line has a
 * value (ACAC only: Firefox reads its combined value, but refuses an
 * empty ACAO line next to a valid one, tests/interop acao-069); 2 = one value; 3 = several lines.  *v is the first value that
 * counts, HTTP whitespace trimmed.
 */
static void note_single(const corsim_header *h, int drop_empty, int *state,
                        corsim_str *v) {
  const char *p = h->value ? h->value : "";
  size_t l = h->value_len;
  if (*state == 3)
    return;
  corsim__trim_http_ws(&p, &l);
  if (drop_empty && *state && l == 0)
    return; /* an empty line adds nothing */
  if (*state == 2) {
    *state = 3;
    return;
  }
  v->ptr = p;
  v->len = l;
  *state = l || !drop_empty ? 2 : 1;
}

/* What get_single() says for a final state: 0 = absent, 1 = one value,
 * 2 = several header lines. */
static int single_lines(int state) { return state == 3 ? 2 : state ? 1 : 0; }

/* get(name) for the CORS check over a whole list: as single_lines(). */
static int get_single(const corsim_header *h, size_t n, const char *name,
                      size_t name_len, int drop_empty, corsim_str *v) {
  size_t i;
  int state = 0;
  for (i = 0; i < n && state != 3; i++)
    if (corsim__ci_eq(h[i].name, h[i].name_len, name, name_len))
      note_single(&h[i], drop_empty, &state, v);
  return single_lines(state);
}

/* The headers the CORS check reads: get_single()'s answers. */
typedef struct cors_headers {
  int acao_lines, acac_lines;
  corsim_str acao, acac;
} cors_headers;

/* For messages: the ", "-joined value of several lines, in r->buf. */
static corsim_str joined(corsim_result *r, const corsim_header *h, size_t n,
                         const char *name, size_t name_len) {
  corsim_str s;
  size_t i, len = 0, cap = r->buf_cap - r->buf_used;
  char *out = r->buf + r->buf_used;
  int first = 1;

  for (i = 0; i < n; i++) {
    const char *p;
    size_t l;
    if (!corsim__ci_eq(h[i].name, h[i].name_len, name, name_len))
      continue;
    p = h[i].value ? h[i].value : "";
    l = h[i].value_len;
    corsim__trim_http_ws(&p, &l);
    if (!first && len + 2 <= cap) {
      memcpy(out + len, ", ", 2);
      len += 2;
    }
    if (l > cap - len)
      l = cap - len;
    memcpy(out + len, p, l);
    len += l;
    first = 0;
  }
  s.ptr = out;
  s.len = len;
  return s;
}

static corsim_block_reason cors_check(corsim_result *r,
                                      const corsim_request *req,
                                      const corsim_response *resp,
                                      const cors_headers *found,
                                      corsim_str *value);

int corsim__result_prepare(corsim_result *r, const corsim_profile *p,
                           const corsim_response *resp) {
  size_t i, bytes = 0;
  reset(r);
  for (i = 0; i < resp->header_count; i++) {
    if (!resp->headers[i].name || resp->headers[i].name_len == 0)
      return CORSIM_ERR_BAD_HEADER_NAME;
    if (!resp->headers[i].value && resp->headers[i].value_len)
      return CORSIM_ERR_INVALID_ARGUMENT;
    if (resp->headers[i].value_len > SIZE_MAX / 8 - bytes ||
        resp->headers[i].name_len > SIZE_MAX / 8 - bytes -
                                        resp->headers[i].value_len)
      return CORSIM_ERR_TOO_LARGE;
    bytes += resp->headers[i].name_len + resp->headers[i].value_len;
  }
  r->profile = p;
  return ensure(r, resp->header_count, 0, bytes);
}

static const char acao_name[] = "access-control-allow-origin";
static const char acac_name[] = "access-control-allow-credentials";

corsim_block_reason corsim__cors_check(corsim_result *r,
                                       const corsim_request *req,
                                       const corsim_response *resp,
                                       corsim_str *value) {
  int drop_empty = r->profile->v[CORSIM__B_COMBINE_EMPTY_VALUES] == 1;
  cors_headers found = {0, 0, {"", 0}, {"", 0}};
  found.acao_lines =
      get_single(resp->headers, resp->header_count, acao_name,
                 sizeof acao_name - 1, 0, &found.acao); /* acao-069 */
  found.acac_lines =
      get_single(resp->headers, resp->header_count, acac_name,
                 sizeof acac_name - 1, drop_empty, &found.acac);
  return cors_check(r, req, resp, &found, value);
}

void corsim__result_set_internal(corsim_result *r,
                                 const corsim_response *resp) {
  size_t i;
  r->internal = resp->headers;
  r->internal_count = resp->header_count;
  r->internal_status = resp->status;
  for (i = 0; i < resp->header_count; i++)
    r->decisions[i] = CORSIM_REMOVED_NETWORK_ERROR;
}

corsim_credentials corsim__credentials(const corsim_request *req,
                                       const corsim_profile *p) {
  return credentials(req, p);
}

/* found: what get_single() says about the response's ACAO and ACAC. */
static corsim_block_reason cors_check(corsim_result *r,
                                      const corsim_request *req,
                                      const corsim_response *resp,
                                      const cors_headers *found,
                                      corsim_str *value) {
  int include = credentials(req, r->profile) == CORSIM_CREDENTIALS_INCLUDE;
  corsim_str v = found->acao;

  if (found->acao_lines == 0)
    return CORSIM_BLOCK_ACAO_MISSING;
  if (found->acao_lines == 2) {
    *value = joined(r, resp->headers, resp->header_count, acao_name,
                    sizeof acao_name - 1);
    return CORSIM_BLOCK_ACAO_MULTIPLE;
  }
  *value = v;
  if (!include && v.len == 1 && v.ptr[0] == '*')
    return CORSIM_BLOCK_NONE;
  if (r->cur_origin.len == 0) { /* a check outside filter_hop (preflight) */
    r->cur_origin.ptr = req->origin.ser;
    r->cur_origin.len = req->origin.len;
  }
  if (v.len != r->cur_origin.len ||
      memcmp(v.ptr, r->cur_origin.ptr, v.len) != 0) {
    if (v.len == 1 && v.ptr[0] == '*')
      return CORSIM_BLOCK_ACAO_WILDCARD_WITH_CREDENTIALS;
    if (memchr(v.ptr, ',', v.len))
      return CORSIM_BLOCK_ACAO_MULTIPLE;
    return CORSIM_BLOCK_ACAO_MISMATCH;
  }
  if (!include)
    return CORSIM_BLOCK_NONE;
  v = found->acac;
  if (found->acac_lines == 0)
    return CORSIM_BLOCK_ACAC_MISSING;
  if (found->acac_lines == 2) {
    *value = joined(r, resp->headers, resp->header_count, acac_name,
                    sizeof acac_name - 1);
    return CORSIM_BLOCK_ACAC_NOT_TRUE;
  }
  *value = v;
  if (v.len != 4 || memcmp(v.ptr, "true", 4) != 0)
    return CORSIM_BLOCK_ACAC_NOT_TRUE;
  return CORSIM_BLOCK_NONE;
}

/* ------------------------------------------------------------------------
 * Name keys: the first eight bytes of a lowercased name as one number
 * ------------------------------------------------------------------------ */

/* x with the bytes 'A'-'Z' of its eight turned into 'a'-'z' (SWAR: bit 7
 * of each byte of ge_a / gt_z says whether that byte's low seven bits are
 * >= 'A' / > 'Z'; no sum carries into the next byte). */
static inline uint64_t lower8(uint64_t x) {
  const uint64_t ones = 0x0101010101010101u;
  uint64_t low7 = x & 0x7f * ones;
  uint64_t ge_a = low7 + (0x80 - 'A') * ones;
  uint64_t gt_z = low7 + (0x80 - 'Z' - 1) * ones;
  uint64_t upper = ge_a & ~gt_z & ~x & 0x80 * ones;
  return x | upper >> 2;
}

/* The eight bytes at p, in memory order. */
static inline uint64_t word_at(const char *p) {
  uint64_t x;
  memcpy(&x, p, 8);
  return x;
}

/* The eight bytes at b as a number, the first the most significant. */
static inline uint64_t big_endian(const unsigned char *b) {
  return (uint64_t)b[0] << 56 | (uint64_t)b[1] << 48 | (uint64_t)b[2] << 40 |
         (uint64_t)b[3] << 32 | (uint64_t)b[4] << 24 | (uint64_t)b[5] << 16 |
         (uint64_t)b[6] << 8 | (uint64_t)b[7];
}

/*
 * The sort key of a name: its first eight bytes lowercased, the first as
 * the most significant, zeros after the end of a shorter name.  Keys
 * order as the lowercased names do (byte values, then length): a smaller
 * key means a smaller name, and only equal keys need a look at the rest.
 * Equal keys and equal lengths of at most 8 mean equal names.
 */
static uint64_t name_key(const char *p, size_t len) {
  unsigned char b[8] = {0};
  size_t i;
  if (len >= 8) {
    uint64_t x = lower8(word_at(p));
    memcpy(b, &x, 8);
  } else {
    for (i = 0; i < len; i++)
      b[i] = corsim__lower((unsigned char)p[i]);
  }
  return big_endian(b);
}

/* ------------------------------------------------------------------------
 * The CORS-exposed header-name list (main fetch step 4.a)
 * ------------------------------------------------------------------------ */

/* A hash of the lowercased name, for the exposed names' hash table: each
 * word (the key for a name shorter than eight bytes) multiplied in, then
 * mixed so that the low bits, which the table uses, depend on every
 * byte. */
static uint32_t name_hash(const char *p, size_t len) {
  const uint64_t m = 0x9e3779b97f4a7c15u; /* odd; 2^64 / the golden ratio */
  uint64_t h = len;
  size_t i;
  if (len < 8) {
    h = (h ^ name_key(p, len)) * m;
  } else {
    for (i = 0; i + 8 < len; i += 8)
      h = (h ^ lower8(word_at(p + i))) * m;
    h = (h ^ lower8(word_at(p + len - 8))) * m;
  }
  h ^= h >> 32;
  h *= m;
  return (uint32_t)(h >> 32);
}

/* Puts the r->item_count names of r->items into the hash table r->slots
 * (open addressing, linear probing; a slot holds an item index + 1). */
static void index_names(corsim_result *r) {
  size_t size = table_size(r->item_count), i;
  r->slot_mask = size - 1;
  memset(r->slots, 0, size * sizeof *r->slots);
  for (i = 0; i < r->item_count; i++) {
    size_t s = name_hash(r->items[i].ptr, r->items[i].len) & r->slot_mask;
    while (r->slots[s])
      s = (s + 1) & r->slot_mask;
    r->slots[s] = (uint32_t)(i + 1);
  }
}

/* kinds: corsim__name_kind of each header, to find the ACEH lines, which
 * all lie in headers [first, end). */
static void expose_list(corsim_result *r, const corsim_profile *p,
                        const corsim_request *req,
                        const corsim_response *resp,
                        const unsigned char *kinds, size_t first,
                        size_t end) {
  size_t i, n = 0;
  int seen = 0;
  int include = credentials(req, p) == CORSIM_CREDENTIALS_INCLUDE;

  for (i = first; i < end; i++) {
    const corsim_header *h = &resp->headers[i];
    if (kinds[i] != CORSIM__NAME_ACEH)
      continue;
    seen = 1;
    if (!p->v[CORSIM__B_ACEH_SUPPORTED])
      break;
    if (corsim__parse_token_list(
            h->value ? h->value : "", h->value_len,
            (corsim__list_parse)p->v[CORSIM__B_LISTS_INVALID_ITEM], r->items,
            &n, &r->bad_item) != CORSIM__LIST_OK) {
      /* Gecko: a "*" met before the invalid element has already switched
       * on "expose everything" (engines.md (b) row b4). */
      if (p->v[CORSIM__B_ACEH_WILDCARD_SURVIVES_INVALID] &&
          p->v[CORSIM__B_ACEH_WILDCARD] && !include &&
          corsim__list_has_star(r->items, n)) {
        r->expose = CORSIM_EXPOSE_WILDCARD;
        r->item_count = n;
        return;
      }
      r->expose = CORSIM_EXPOSE_INVALID;
      r->item_count = 0;
      return;
    }
  }
  r->item_count = n;
  if (!p->v[CORSIM__B_ACEH_SUPPORTED]) {
    r->expose = CORSIM_EXPOSE_UNSUPPORTED;
    r->item_count = 0;
  } else if (!seen) {
    r->expose = CORSIM_EXPOSE_ABSENT;
  } else if (p->v[CORSIM__B_ACEH_WILDCARD] && !include &&
             corsim__list_has_star(r->items, n)) {
    r->expose = CORSIM_EXPOSE_WILDCARD;
  } else {
    r->expose = CORSIM_EXPOSE_LIST;
    r->item_lens = 0;
    for (i = 0; i < n; i++)
      r->item_lens |= (uint64_t)1 << (r->items[i].len & 63);
    if (n > LINEAR_LOOKUP_MAX)
      index_names(r);
  }
}

/* 1 when a[0..len) and b[0..len) are equal ignoring case: a word at a
 * time where there are eight bytes, the last word overlapping the one
 * before. */
static int same_name(const char *a, const char *b, size_t len) {
  size_t i;
  if (len < 8) {
    for (i = 0; i < len; i++)
      if (corsim__lower((unsigned char)a[i]) !=
          corsim__lower((unsigned char)b[i]))
        return 0;
    return 1;
  }
  for (i = 0; i + 8 < len; i += 8)
    if (lower8(word_at(a + i)) != lower8(word_at(b + i)))
      return 0;
  return lower8(word_at(a + len - 8)) == lower8(word_at(b + len - 8));
}

static int is_exposed(const corsim_result *r, const char *name, size_t len) {
  size_t i, s;
  if (!(r->item_lens >> (len & 63) & 1))
    return 0; /* no item has this length: most names end here */
  if (r->item_count <= LINEAR_LOOKUP_MAX) {
    for (i = 0; i < r->item_count; i++)
      if (r->items[i].len == len && same_name(r->items[i].ptr, name, len))
        return 1;
    return 0;
  }
  for (s = name_hash(name, len) & r->slot_mask; r->slots[s];
       s = (s + 1) & r->slot_mask) {
    i = r->slots[s] - 1;
    if (r->items[i].len == len && same_name(r->items[i].ptr, name, len))
      return 1;
  }
  return 0;
}

/* ------------------------------------------------------------------------
 * The script view (sort and combine over the filtered list)
 * ------------------------------------------------------------------------ */

/* Name p[0..len) lowercased for the script view: p itself when it has no
 * uppercase byte, else a copy in r->buf; *key receives its name_key(). */
static const char *lowercased(corsim_result *r, const char *p, size_t len,
                              uint64_t *key) {
  char *out = r->buf + r->buf_used; /* kept only if some byte changes */
  unsigned char b[8] = {0};
  uint64_t x, y, changed = 0;
  size_t i;

  if (len < 8) {
    for (i = 0; i < len; i++) {
      b[i] = corsim__lower((unsigned char)p[i]);
      out[i] = (char)b[i];
      changed |= b[i] ^ (unsigned char)p[i];
    }
  } else {
    /* a word at a time, the last overlapping the one before */
    for (i = 0; i + 8 < len; i += 8) {
      x = word_at(p + i);
      y = lower8(x);
      changed |= x ^ y;
      memcpy(out + i, &y, 8);
    }
    x = word_at(p + len - 8);
    y = lower8(x);
    changed |= x ^ y;
    memcpy(out + len - 8, &y, 8);
    memcpy(b, out, 8);
  }
  *key = big_endian(b);
  if (!changed)
    return p; /* already lowercase: point into the input */
  r->buf_used += len;
  return out;
}

/* Byte order of two lowercased names whose keys are equal (so: the order
 * of sort-and-combine).  Equal keys mean equal first bytes, up to the
 * eighth or the end of the shorter name: the rest is compared a word at a
 * time (as numbers, the first byte the most significant), then bytewise. */
static int lname_cmp(const corsim_str *a, const corsim_str *b) {
  const unsigned char *x = (const unsigned char *)a->ptr;
  const unsigned char *y = (const unsigned char *)b->ptr;
  size_t n = a->len < b->len ? a->len : b->len;
  size_t i = n < 8 ? n : 8;
  for (; i + 8 <= n; i += 8) {
    uint64_t wx = big_endian(x + i), wy = big_endian(y + i);
    if (wx != wy)
      return wx < wy ? -1 : 1;
  }
  for (; i < n; i++)
    if (x[i] != y[i])
      return x[i] - y[i];
  return a->len < b->len ? -1 : a->len > b->len;
}

/* 1 when entry a sorts before entry b: by key, then by the whole name. */
static int entry_less(const corsim_str *names, const view_entry *a,
                      const view_entry *b) {
  if (a->key != b->key)
    return a->key < b->key;
  return lname_cmp(&names[a->i], &names[b->i]) < 0;
}

/* Stable sort of e[0..n) by name: insertion sort of runs of RUN entries
 * (for most responses, the whole list), then bottom-up merges through
 * tmp.  Allocates nothing. */
#define RUN 16
static void sort_entries(const corsim_str *names, view_entry *e,
                         view_entry *tmp, size_t n) {
  size_t width, i;
  view_entry *src = e, *dst = tmp;

  for (i = 0; i < n; i += RUN) {
    size_t end = i + RUN < n ? i + RUN : n, j;
    for (j = i + 1; j < end; j++) {
      view_entry v = src[j];
      size_t k = j;
      while (k > i && entry_less(names, &v, &src[k - 1])) {
        src[k] = src[k - 1];
        k--;
      }
      src[k] = v;
    }
  }
  for (width = RUN; width < n; width *= 2) {
    for (i = 0; i < n; i += 2 * width) {
      size_t mid = i + width < n ? i + width : n;
      size_t end = i + 2 * width < n ? i + 2 * width : n;
      size_t a = i, b = mid, o = i;
      while (a < mid && b < end)
        dst[o++] = entry_less(names, &src[b], &src[a]) ? src[b++] : src[a++];
      while (a < mid)
        dst[o++] = src[a++];
      while (b < end)
        dst[o++] = src[b++];
    }
    {
      view_entry *t = src;
      src = dst;
      dst = t;
    }
  }
  if (src != e)
    memcpy(e, src, n * sizeof *e);
}
#undef RUN

static void js_view(corsim_result *r) {
  size_t n = r->kept_count, i, j, k;
  const corsim_header *h = r->kept;
  corsim_str *names = r->lnames;
  view_entry *e = r->order;
  /* #concept-header-list-get joins with ", " and keeps empty values;
   * profiles may say otherwise (combine.separator, combine.empty_values) */
  int space = r->profile->v[CORSIM__B_COMBINE_SEPARATOR] == 0;
  int drop_empty = r->profile->v[CORSIM__B_COMBINE_EMPTY_VALUES] == 1;

  /* Each name is lowercased once: the sort compares these bytes (their
   * first eight as the key) and the script view shows them. */
  for (i = 0; i < n; i++) {
    names[i].ptr = lowercased(r, h[i].name, h[i].name_len, &e[i].key);
    names[i].len = h[i].name_len;
    e[i].i = (uint32_t)i;
  }
  sort_entries(names, e, r->order_tmp, n);
  r->js_count = 0;
  r->cookie_count = 0;
  for (i = 0; i < n; i = j) {
    const corsim_str *name = &names[e[i].i];
    int cookie = name->len == 10 && memcmp(name->ptr, "set-cookie", 10) == 0;

    for (j = i + 1; j < n && e[j].key == e[i].key &&
                    lname_cmp(&names[e[j].i], name) == 0;
         j++)
      ;
    if (cookie || j - i == 1) {
      /* Set-Cookie lines stay apart; the stable sort kept them in list
       * order, which is also getSetCookie()'s */
      for (k = i; k < j; k++) {
        corsim_header *o = &r->js[r->js_count++];
        o->name = name->ptr;
        o->name_len = name->len;
        o->value = h[e[k].i].value; /* never NULL in the kept list */
        o->value_len = h[e[k].i].value_len;
        if (cookie) {
          r->cookies[r->cookie_count].ptr = o->value;
          r->cookies[r->cookie_count].len = o->value_len;
          r->cookie_count++;
        }
      }
    } else {
      corsim_header *o = &r->js[r->js_count++];
      char *out = r->buf + r->buf_used;
      size_t len = 0;
      int first_value = 1;
      for (k = i; k < j; k++) {
        const corsim_header *v = &h[e[k].i];
        if (v->value_len == 0 && drop_empty)
          continue;
        if (!first_value) {
          out[len++] = ',';
          if (space)
            out[len++] = ' ';
        }
        first_value = 0;
        if (v->value_len)
          memcpy(out + len, v->value, v->value_len);
        len += v->value_len;
      }
      r->buf_used += len;
      o->name = name->ptr;
      o->name_len = name->len;
      o->value = out;
      o->value_len = len;
    }
  }
}

/* ------------------------------------------------------------------------
 * corsim_filter
 * ------------------------------------------------------------------------ */

static int is_redirect_status(int s) {
  return s == 301 || s == 302 || s == 303 || s == 307 || s == 308;
}


/* One hop of a fetch: where it goes, and what earlier hops decided. */
typedef struct hop {
  corsim_str url;                /* the current URL */
  const corsim__origin *url_origin;
  corsim_str origin;             /* the serialized request origin */
  corsim_response_type prior;    /* tainting so far; ERROR: first hop */
} hop;


/* Makes the (filtered or half-filtered) result a network error. */
static void make_error(corsim_result *r, const corsim_request *req,
                       corsim_block_reason why, corsim_str value) {
  size_t i;
  block(r, req, why, value);
  r->status = 0;
  r->status_text.ptr = r->url.ptr = "";
  r->status_text.len = r->url.len = 0;
  r->redirect_pending = 0;
  r->kept_count = r->js_count = r->cookie_count = r->item_count = 0;
  r->expose = CORSIM_EXPOSE_NOT_APPLICABLE;
  for (i = 0; i < r->internal_count; i++)
    r->decisions[i] = CORSIM_REMOVED_NETWORK_ERROR;
}

/* What the filter's decision for each header depends on, besides the
 * header: the same for the whole list. */
typedef struct filter_mode {
  corsim_response_type type;
  corsim_expose_state expose;
  int enforced;                /* cors.enforced */
  int safelist_content_length; /* safelist.content_length */
  int leak_accept; /* aceh.credentialed_wildcard_leaks_accept applies */
} filter_mode;

/* Not a decision: decide_kind()'s answer when the header's name itself
 * decides (decide_by_name()). */
#define BY_NAME 0xff
/* The number of corsim__name_kind values. */
#define NAME_KINDS (CORSIM__NAME_ACEH + 1)
/* The decisions that keep a header. */
#define KEPT_DECISIONS                                                        \
  (1u << CORSIM_KEPT_BASIC | 1u << CORSIM_KEPT_SAFELISTED |                   \
   1u << CORSIM_KEPT_EXPOSED | 1u << CORSIM_KEPT_WILDCARD |                   \
   1u << CORSIM_KEPT_UNFILTERED | 1u << CORSIM_KEPT_ENGINE_QUIRK)

/* Why a header of name class kind is kept or removed (#concept-filtered-
 * response-basic, -cors, -opaque, -opaque-redirect), or BY_NAME. */
static unsigned decide_kind(const filter_mode *m, corsim__name_kind kind) {
  if (m->type == CORSIM_TYPE_OPAQUE || m->type == CORSIM_TYPE_OPAQUEREDIRECT)
    return CORSIM_REMOVED_OPAQUE;
  if (!m->enforced)
    return CORSIM_KEPT_UNFILTERED;
  if (kind == CORSIM__NAME_FORBIDDEN)
    return CORSIM_REMOVED_FORBIDDEN;
  if (m->type == CORSIM_TYPE_BASIC)
    return CORSIM_KEPT_BASIC;
  if (kind == CORSIM__NAME_SAFELISTED ||
      (kind == CORSIM__NAME_CONTENT_LENGTH && m->safelist_content_length))
    return CORSIM_KEPT_SAFELISTED;
  if (m->expose == CORSIM_EXPOSE_WILDCARD)
    return CORSIM_KEPT_WILDCARD;
  if (m->expose == CORSIM_EXPOSE_LIST)
    return BY_NAME;
  return CORSIM_REMOVED_NOT_EXPOSED;
}

/* The rest of the decision for a header that decide_kind() left to its
 * name: an exposed-list response's header that is not safelisted. */
static corsim_decision decide_by_name(const corsim_result *r,
                                      const filter_mode *m,
                                      const corsim_header *h) {
  if (is_exposed(r, h->name, h->name_len))
    return CORSIM_KEPT_EXPOSED;
  if (m->leak_accept && corsim__ci_eq_lit(h->name, h->name_len, "accept"))
    return CORSIM_KEPT_ENGINE_QUIRK; /* engines.md (b) row b2 */
  return CORSIM_REMOVED_NOT_EXPOSED;
}

/*
 * Main fetch for one hop (steps 2 and 4) with HTTP fetch's CORS check and
 * redirect-mode handling (steps 2.d and 4).  *tainting receives the
 * response tainting.
 */
static int filter_hop(corsim_result *r, const corsim_profile *p,
                      const corsim_request *req, const corsim_response *resp,
                      const hop *hc, corsim_response_type *tainting_out) {
  size_t i, bytes = 0, items = 0;
  size_t aceh_first = 0, aceh_end = 0; /* the ACEH lines lie in between */
  corsim_response_type tainting = CORSIM_TYPE_ERROR;
  corsim_block_reason why = CORSIM_BLOCK_NONE;
  corsim_str value = {"", 0};
  cors_headers found = {0, 0, {"", 0}, {"", 0}};
  int acao_state = 0, acac_state = 0; /* see note_single() */
  int drop_empty = p->v[CORSIM__B_COMBINE_EMPTY_VALUES] == 1;
  filter_mode mode;
  int leak_accept, rc;

  reset(r);
  if (!resp || (!resp->headers && resp->header_count) ||
      (!resp->status_text && resp->status_text_len))
    return CORSIM_ERR_INVALID_ARGUMENT;
  if (!corsim__status_valid(p, resp->status))
    return CORSIM_ERR_BAD_STATUS;

  /* The one pass over the header list that looks at names: validate the
   * views, size the work, classify each name (r->kinds) and note what the
   * CORS check reads. */
  if (resp->header_count > r->room_headers &&
      (rc = ensure(r, resp->header_count, 0, 0)) != 0)
    return rc;
  {
    /* locals: the byte-sized stores below could alias any field of r */
    const corsim_header *hs = resp->headers;
    unsigned char *kinds = r->kinds;
    size_t n = resp->header_count;
    for (i = 0; i < n; i++) {
      const corsim_header *h = &hs[i];
      corsim__name_kind kind;
      if (!h->name || h->name_len == 0)
        return CORSIM_ERR_BAD_HEADER_NAME;
      if (!h->value && h->value_len)
        return CORSIM_ERR_INVALID_ARGUMENT;
      /* the total may not exceed SIZE_MAX / 4; with both lengths at most
       * that (no high bit in either), the sum cannot overflow */
      if ((h->name_len | h->value_len) > SIZE_MAX / 4)
        return CORSIM_ERR_TOO_LARGE;
      bytes += h->name_len + h->value_len;
      if (bytes > SIZE_MAX / 4)
        return CORSIM_ERR_TOO_LARGE;
      kind = corsim__response_name_kind(h->name, h->name_len);
      kinds[i] = (unsigned char)kind;
      if (kind == CORSIM__NAME_ACAO)
        note_single(h, 0, &acao_state, &found.acao); /* acao-069 */
      else if (kind == CORSIM__NAME_ACAC)
        note_single(h, drop_empty, &acac_state, &found.acac);
      else if (kind == CORSIM__NAME_ACEH) {
        items += corsim__list_max_items(h->value_len);
        if (aceh_end == 0)
          aceh_first = i;
        aceh_end = i + 1;
      }
    }
  }
  found.acao_lines = single_lines(acao_state);
  found.acac_lines = single_lines(acac_state);
  rc = ensure(r, resp->header_count, items, bytes);
  if (rc)
    return rc;

  r->profile = p;
  r->internal = resp->headers;
  r->internal_count = resp->header_count;
  r->internal_status = resp->status;
  r->cur_url = hc->url;
  r->cur_origin = hc->origin;

  /* Checks before tainting: a request fetch() refuses to make, and final
   * responses that are not really final. */
  if (req->mode == CORSIM_MODE_NO_CORS &&
      !((req->method_len == 3 && memcmp(req->method, "GET", 3) == 0) ||
        (req->method_len == 4 && (memcmp(req->method, "HEAD", 4) == 0 ||
                                  memcmp(req->method, "POST", 4) == 0))))
    why = CORSIM_BLOCK_NO_CORS_METHOD; /* #dom-request step 30.1 */
  else if (resp->status >= 100 && resp->status <= 199 &&
           !(resp->status == 101 &&
             p->v[CORSIM__B_STATUS_SWITCHING_PROTOCOLS] == 1)) {
    value.ptr = "an interim (1xx) response cannot end a fetch";
    value.len = strlen(value.ptr);
    why = CORSIM_BLOCK_INVALID_RESPONSE; /* HTTP-network fetch skips 1xx */
  } else if (resp->status == 407 &&
             p->v[CORSIM__B_STATUS_PROXY_AUTH_REQUIRED] == 0)
    why = CORSIM_BLOCK_PROXY_AUTHENTICATION;
  else if (resp->status == 421 && p->v[CORSIM__B_STATUS_MISDIRECTED] == 1) {
    /* Fetch retries a 421 on a new connection, then returns it */
    value.ptr = "a 421 (Misdirected Request), also after the retry on a new "
                "connection";
    value.len = strlen(value.ptr);
    why = CORSIM_BLOCK_INVALID_RESPONSE;
  }

  /* 1. Response tainting (main fetch step 2, branches b-g).  Once "cors"
   * or "opaque", tainting never returns to "basic" (A -> B -> A). */
  if (why != CORSIM_BLOCK_NONE) {
    /* decided above */
  } else if ((corsim__origin_same(hc->url_origin, &req->origin) &&
       (hc->prior == CORSIM_TYPE_ERROR || hc->prior == CORSIM_TYPE_BASIC)) ||
      corsim__url_has_scheme(hc->url.ptr, hc->url.len, "data") ||
      req->mode == CORSIM_MODE_NAVIGATE) {
    tainting = CORSIM_TYPE_BASIC;
  } else if (req->mode == CORSIM_MODE_SAME_ORIGIN) {
    why = CORSIM_BLOCK_SAME_ORIGIN_MODE;
  } else if (req->mode == CORSIM_MODE_NO_CORS) {
    if (req->redirect != CORSIM_REDIRECT_FOLLOW)
      why = CORSIM_BLOCK_NO_CORS_REDIRECT_MODE;
    tainting = CORSIM_TYPE_OPAQUE;
  } else if (!corsim__url_has_scheme(hc->url.ptr, hc->url.len, "http") &&
             !corsim__url_has_scheme(hc->url.ptr, hc->url.len, "https")) {
    why = CORSIM_BLOCK_CORS_SCHEME;
  } else {
    tainting = CORSIM_TYPE_CORS;
  }
  if (why == CORSIM_BLOCK_NONE && tainting == CORSIM_TYPE_CORS &&
      p->v[CORSIM__B_CORS_ENFORCED])
    why = cors_check(r, req, resp, &found, &value); /* HTTP fetch 2.d */
  /* #cross-origin-resource-policy-check, for opaque (no-cors) responses */
  if (why == CORSIM_BLOCK_NONE && tainting == CORSIM_TYPE_OPAQUE &&
      p->v[CORSIM__B_CORS_ENFORCED]) {
    corsim_str corp = {"", 0};
    if (get_single(resp->headers, resp->header_count,
                   "cross-origin-resource-policy", 28,
                   p->v[CORSIM__B_COMBINE_EMPTY_VALUES] == 1, &corp) == 1) {
      int blocked = 0;
      if (corp.len == 11 && memcmp(corp.ptr, "same-origin", 11) == 0)
        blocked = !corsim__origin_same(hc->url_origin, &req->origin);
      else if (corp.len == 9 && memcmp(corp.ptr, "same-site", 9) == 0)
        blocked = !corsim__origin_same(hc->url_origin, &req->origin) &&
                  !corsim__same_site(hc->url_origin, &req->origin,
                                     p->v[CORSIM__B_CORP_SAME_SITE_IP_HOSTS]);
      if (blocked) {
        value = corp;
        why = CORSIM_BLOCK_CORP;
      }
    }
  }

  /* 2. Redirect statuses (HTTP fetch step 4). */
  r->type = tainting;
  *tainting_out = tainting;
  if (why == CORSIM_BLOCK_NONE && is_redirect_status(resp->status)) {
    if (req->redirect == CORSIM_REDIRECT_ERROR) {
      why = CORSIM_BLOCK_REDIRECT_MODE_ERROR;
    } else if (req->redirect == CORSIM_REDIRECT_MANUAL) {
      if (req->mode != CORSIM_MODE_NAVIGATE)
        r->type = CORSIM_TYPE_OPAQUEREDIRECT;
    } else {
      /* redirect.empty_location = skip (Chromium): an empty Location is
       * no Location, and without another the response is final. */
      int skip_empty = p->v[CORSIM__B_REDIRECT_EMPTY_LOCATION] != 0;
      for (i = 0; i < resp->header_count; i++)
        if (corsim__ci_eq_lit(resp->headers[i].name,
                              resp->headers[i].name_len, "location") &&
            (resp->headers[i].value_len > 0 || !skip_empty))
          r->redirect_pending = 1;
    }
  }

  if (why != CORSIM_BLOCK_NONE) {
    block(r, req, why, value);
    for (i = 0; i < resp->header_count; i++)
      r->decisions[i] = CORSIM_REMOVED_NETWORK_ERROR;
    r->redirect_pending = 0;
    return 0;
  }

  /* 3. The exposed-name list and the filtered response (step 4). */
  if (r->type == CORSIM_TYPE_CORS && p->v[CORSIM__B_CORS_ENFORCED]) {
    expose_list(r, p, req, resp, r->kinds, aceh_first, aceh_end);
    if (r->item_count > req->list_max_items)
      return CORSIM_ERR_LIMIT; /* corsim_limits.list_max_items */
  }
  leak_accept = r->expose == CORSIM_EXPOSE_LIST &&
                p->v[CORSIM__B_ACEH_CREDENTIALED_WILDCARD_LEAKS_ACCEPT] &&
                corsim__list_has_star(r->items, r->item_count);
  mode.type = r->type;
  mode.expose = r->expose;
  mode.enforced = p->v[CORSIM__B_CORS_ENFORCED];
  mode.safelist_content_length = p->v[CORSIM__B_SAFELIST_CONTENT_LENGTH];
  mode.leak_accept = leak_accept;
  {
    /* locals: the byte-sized stores below could alias any field of r */
    const corsim_header *hs = resp->headers;
    const unsigned char *kinds = r->kinds;
    unsigned char *decisions = r->decisions;
    corsim_header *kept = r->kept;
    size_t n = resp->header_count, nkept = 0;
    unsigned char by_kind[NAME_KINDS]; /* decide_kind() of each class */
    for (i = 0; i < NAME_KINDS; i++)
      by_kind[i] = (unsigned char)decide_kind(&mode, (corsim__name_kind)i);
    for (i = 0; i < n; i++) {
      unsigned d = by_kind[kinds[i]];
      if (d == BY_NAME)
        d = decide_by_name(r, &mode, &hs[i]);
      decisions[i] = (unsigned char)d;
      if (KEPT_DECISIONS >> d & 1) {
        kept[nkept] = hs[i];
        if (!hs[i].value)
          kept[nkept].value = "";
        nkept++;
      }
    }
    r->kept_count = nkept;
  }

  /* 4. What script sees (#concept-filtered-response-opaque etc.). */
  if (r->type == CORSIM_TYPE_OPAQUE || r->type == CORSIM_TYPE_OPAQUEREDIRECT) {
    r->status = 0;
    if (r->type == CORSIM_TYPE_OPAQUEREDIRECT)
      r->url = hc->url;
  } else {
    r->status = resp->status;
    r->status_text.ptr = resp->status_text ? resp->status_text : "";
    r->status_text.len = resp->status_text_len;
    r->url = hc->url;
  }
  js_view(r);
  return 0;
}

CORSIM__API int corsim_filter(corsim_result *r, const corsim_profile *p,
                              const corsim_request *req,
                              const corsim_response *resp) {
  hop hc;
  corsim_response_type tainting;
  int rc;
  if (!r)
    return CORSIM_ERR_INVALID_ARGUMENT;
  if (!p || !req || !resp) {
    reset(r);
    return CORSIM_ERR_INVALID_ARGUMENT;
  }
  if (!req->has_url || !req->has_origin) {
    reset(r);
    return CORSIM_ERR_INCOMPLETE_REQUEST;
  }
  /* filter_hop() resets r */
  hc.url.ptr = req->url;
  hc.url.len = req->url_len;
  hc.url_origin = &req->url_origin;
  hc.origin.ptr = req->origin.ser;
  hc.origin.len = req->origin.len;
  hc.prior = CORSIM_TYPE_ERROR;
  rc = filter_hop(r, p, req, resp, &hc, &tainting);
  if (rc == 0)
    r->hops_used = 1; /* corsim_result_hop_count(): 1 for corsim_filter() */
  return rc;
}

CORSIM__API int corsim_filter_head(corsim_result *r, const corsim_profile *p,
                                   const corsim_request *req,
                                   const corsim_head *h) {
  const corsim_response *resp = corsim_head_response(h);
  unsigned long line = 0;
  const char *why = NULL;
  int rc;

  if (!r)
    return CORSIM_ERR_INVALID_ARGUMENT;
  if (!resp) {
    reset(r);
    return CORSIM_ERR_INVALID_ARGUMENT;
  }
  rc = corsim_filter(r, p, req, resp);
  if (rc || !corsim_head_rejected(h, &line, &why))
    return rc;
  /* the network stack never hands this response to fetch */
  {
    char detail[160];
    corsim_str v;
    int n = snprintf(detail, sizeof detail, "%s (line %lu of the input; %s "
                                            "treats it so).",
                     why ? why : "invalid", line, p->name);
    v.ptr = detail;
    v.len = n < 0 ? 0 : (size_t)n < sizeof detail ? (size_t)n
                                                   : sizeof detail - 1;
    make_error(r, req, CORSIM_BLOCK_INVALID_RESPONSE, v);
  }
  return 0;
}

/* ------------------------------------------------------------------------
 * A whole fetch: preflight, then the redirect chain (#http-redirect-fetch)
 * ------------------------------------------------------------------------ */


/* The single Location value of resp: 1 found, 0 absent, -1 several.
 * skip_empty (redirect.empty_location = skip) ignores empty values. */
static int location_of(const corsim_response *resp, int skip_empty,
                       corsim_str *v) {
  size_t i;
  int found = 0;
  for (i = 0; i < resp->header_count; i++)
    if (corsim__ci_eq_lit(resp->headers[i].name, resp->headers[i].name_len,
                          "location") &&
        (resp->headers[i].value_len > 0 || !skip_empty)) {
      if (found)
        return -1;
      v->ptr = resp->headers[i].value ? resp->headers[i].value : "";
      v->len = resp->headers[i].value_len;
      found = 1;
    }
  return found;
}

/* heads, when not NULL, are the parsed heads behind hops (for the wire
 * verdict of each); pre_head likewise for the preflight. */
static int fetch_impl(corsim_result *r, const corsim_profile *p,
                      const corsim_request *req,
                      const corsim_response *preflight,
                      const corsim_head *pre_head,
                      const corsim_response *hops,
                      const corsim_head *const *heads, size_t hop_count,
                      corsim_cache *cache, double now) {
  corsim_preflight_state pstate = CORSIM_PREFLIGHT_NOT_NEEDED;
  corsim__origin cur_origin, next_origin;
  char *cur = NULL, *next = NULL;
  size_t cur_len, next_len, i, redirects = 0;
  int rc = 0, tainted = 0, drop_auth = 0, drop_body = 0;
  size_t later_preflights = 0;
  const char *method = NULL;
  size_t method_len = 0;
  corsim_response_type tainting, prior = CORSIM_TYPE_ERROR;
  corsim_block_reason stop = CORSIM_BLOCK_NONE;
  corsim_str stop_value = {"", 0};
  char limit_text[24]; /* the redirect limit, for the message */

  if (!r)
    return CORSIM_ERR_INVALID_ARGUMENT;
  reset(r);
  if (!p || !req || !hops || hop_count == 0)
    return CORSIM_ERR_INVALID_ARGUMENT;
  if (!req->has_url || !req->has_origin)
    return CORSIM_ERR_INCOMPLETE_REQUEST;
  method = req->method;
  method_len = req->method_len;

  /* HTTP fetch step 2.a: the preflight comes first. */
  rc = corsim_preflight(r, p, req, preflight, cache, now, &pstate);
  if (rc)
    return rc;
  if (pstate == CORSIM_PREFLIGHT_PASSED && pre_head &&
      corsim_head_rejected(pre_head, NULL, NULL)) {
    /* the network stack refused the preflight's response */
    unsigned long line = 0;
    const char *why = NULL;
    char detail[200];
    corsim_str v;
    int n;
    corsim_head_rejected(pre_head, &line, &why);
    n = snprintf(detail, sizeof detail,
                 "the preflight's response: %s (line %lu of its input; %s "
                 "treats it so).",
                 why ? why : "invalid", line, p->name);
    v.ptr = detail;
    v.len = n < 0 ? 0 : (size_t)n < sizeof detail ? (size_t)n
                                                   : sizeof detail - 1;
    corsim__result_prepare(r, p, preflight);
    corsim__result_block(r, req, CORSIM_BLOCK_INVALID_RESPONSE, v, 1);
    r->preflight_state = CORSIM_PREFLIGHT_FAILED;
    return 0;
  }
  if (pstate == CORSIM_PREFLIGHT_FAILED) {
    r->preflight_state = pstate;
    return 0;
  }

  memset(&cur_origin, 0, sizeof cur_origin);
  memset(&next_origin, 0, sizeof next_origin);
  rc = corsim__parse_url(&r->alloc, req->url, req->url_len, &cur_origin, &cur,
                         &cur_len);
  if (rc) {
    reset(r);
    return rc;
  }
  for (i = 0; i < hop_count; i++) {
    hop hc;
    corsim_str loc = {"", 0};
    int has_loc;
    hc.url.ptr = cur;
    hc.url.len = cur_len;
    hc.url_origin = &cur_origin;
    /* #serializing-a-request-origin: "null" once the chain is tainted */
    hc.origin.ptr = tainted ? "null" : req->origin.ser;
    hc.origin.len = tainted ? 4 : req->origin.len;
    hc.prior = prior;
    /* a redirected request may need a preflight of its own (HTTP fetch
     * step 2.a on the new URL); not simulated: counted, assumed to pass */
    if (i > 0 && corsim__preflight_needed_at(req, p, cur, cur_len,
                                             &cur_origin, method,
                                             method_len, drop_auth,
                                             drop_body))
      later_preflights++;
    rc = filter_hop(r, p, req, &hops[i], &hc, &tainting);
    if (rc)
      goto done;
    r->hops_used = i + 1;
    if (heads && corsim_head_rejected(heads[i], NULL, NULL)) {
      unsigned long line = 0;
      const char *why = NULL;
      char detail[200];
      int n;
      corsim_head_rejected(heads[i], &line, &why);
      n = snprintf(detail, sizeof detail,
                   "%s (line %lu of response %zu's input; %s treats it so).",
                   why ? why : "invalid", line, i + 1, p->name);
      stop_value.ptr = detail;
      stop_value.len = n < 0 ? 0 : (size_t)n < sizeof detail
                                       ? (size_t)n
                                       : sizeof detail - 1;
      make_error(r, req, CORSIM_BLOCK_INVALID_RESPONSE, stop_value);
      stop_value.len = 0;
      break;
    }
    if (corsim_result_is_network_error(r) || !r->redirect_pending)
      break; /* a final response */

    /* #http-redirect-fetch: follow the Location.  Its checks need only
     * this response, so they apply to the last hop given too. */
    has_loc = location_of(
        &hops[i], p->v[CORSIM__B_REDIRECT_EMPTY_LOCATION] != 0, &loc);
    if (has_loc < 0) {
      stop = CORSIM_BLOCK_REDIRECT_LOCATION_INVALID;
      stop_value.ptr = "several Location headers";
      stop_value.len = strlen(stop_value.ptr);
      break;
    }
    rc = corsim__resolve_url(&r->alloc, cur, cur_len, loc.ptr, loc.len,
                             &next_origin, &next, &next_len);
    if (rc == CORSIM_ERR_NOMEM)
      goto done;
    if (rc) {
      rc = 0;
      stop = CORSIM_BLOCK_REDIRECT_LOCATION_INVALID;
      stop_value = loc;
      break;
    }
    if (!corsim__url_has_scheme(next, next_len, "http") &&
        !corsim__url_has_scheme(next, next_len, "https")) {
      stop = CORSIM_BLOCK_REDIRECT_SCHEME;
      stop_value = loc;
      break;
    }
    if (redirects >= req->max_redirects) { /* 20 unless lowered */
      stop = CORSIM_BLOCK_REDIRECT_LIMIT;
      stop_value.ptr = limit_text;
      stop_value.len = (size_t)snprintf(limit_text, sizeof limit_text, "%zu",
                                        req->max_redirects);
      break;
    }
    /* steps 7 and 8: credentials in a cross-origin or CORS redirect */
    if (corsim__url_has_credentials(next, next_len) &&
        (tainting == CORSIM_TYPE_CORS ||
         (req->mode == CORSIM_MODE_CORS &&
          !corsim__origin_same(&req->origin, &next_origin)))) {
      stop = CORSIM_BLOCK_REDIRECT_CREDENTIALS;
      stop_value = loc;
      break;
    }
    if (i + 1 == hop_count)
      break; /* the chain given ends here: the redirect is pending */
    redirects++;
    /* #http-redirect-fetch: 301/302 turn POST into GET, 303 turns every
     * method but GET and HEAD into GET, and the request-body headers go */
    if (((hops[i].status == 301 || hops[i].status == 302) &&
         method_len == 4 && memcmp(method, "POST", 4) == 0) ||
        (hops[i].status == 303 &&
         !(method_len == 3 && memcmp(method, "GET", 3) == 0) &&
         !(method_len == 4 && memcmp(method, "HEAD", 4) == 0))) {
      method = "GET";
      method_len = 3;
      drop_body = 1;
    }
    /* ... and Authorization goes on a cross-origin redirect (2022) */
    if (!corsim__origin_same(&cur_origin, &next_origin) &&
        p->v[CORSIM__B_REDIRECT_DROP_AUTHORIZATION])
      drop_auth = 1;
    /* #concept-request-tainted-origin (same-origin vs. anything else) */
    if (!corsim__origin_same(&cur_origin, &next_origin) &&
        !corsim__origin_same(&req->origin, &cur_origin))
      tainted = 1;
    prior = tainting;
    corsim__free(&r->alloc, cur);
    corsim__origin_clear(&r->alloc, &cur_origin);
    cur = next;
    cur_len = next_len;
    cur_origin = next_origin;
    next = NULL;
    memset(&next_origin, 0, sizeof next_origin);
  }
  if (stop != CORSIM_BLOCK_NONE)
    make_error(r, req, stop, stop_value);
  /* the final URL outlives the loop: keep it in the result */
  if (!corsim_result_is_network_error(r) && r->url.len) {
    rc = corsim__grow(&r->alloc, (void **)&r->url_buf, &r->url_buf_cap,
                      cur_len, 1);
    if (rc)
      goto done;
    memcpy(r->url_buf, cur, cur_len);
    r->url.ptr = r->url_buf;
    r->url.len = cur_len;
  }
  /* response.redirected: URL list size > 1; an opaque filtered response's
   * URL list is empty (#concept-filtered-response-opaque) */
  r->redirected = redirects > 0 && (r->type == CORSIM_TYPE_BASIC ||
                                    r->type == CORSIM_TYPE_CORS);
  r->preflight_state = pstate;
  r->later_preflights = later_preflights;
  r->cur_url.len = r->cur_origin.len = 0; /* they pointed into cur */
done:
  corsim__free(&r->alloc, cur);
  corsim__free(&r->alloc, next);
  corsim__origin_clear(&r->alloc, &cur_origin);
  corsim__origin_clear(&r->alloc, &next_origin);
  if (rc)
    reset(r);
  return rc;
}

CORSIM__API int corsim_fetch(corsim_result *r, const corsim_profile *p,
                             const corsim_request *req,
                             const corsim_response *preflight,
                             const corsim_response *hops, size_t hop_count,
                             corsim_cache *cache, double now) {
  return fetch_impl(r, p, req, preflight, NULL, hops, NULL, hop_count, cache,
                    now);
}

#define MAX_HEADS 64

CORSIM__API int corsim_fetch_heads(corsim_result *r, const corsim_profile *p,
                                   const corsim_request *req,
                                   const corsim_head *preflight,
                                   const corsim_head *const *hops,
                                   size_t hop_count, corsim_cache *cache,
                                   double now) {
  corsim_response resp[MAX_HEADS];
  const corsim_response *pre = NULL;
  size_t i;
  if (!r)
    return CORSIM_ERR_INVALID_ARGUMENT;
  if (!hops || hop_count == 0) {
    reset(r);
    return CORSIM_ERR_INVALID_ARGUMENT;
  }
  if (hop_count > MAX_HEADS)
    hop_count = MAX_HEADS; /* more than 20 redirects fail anyway */
  for (i = 0; i < hop_count; i++) {
    const corsim_response *x = corsim_head_response(hops[i]);
    if (!x) {
      reset(r);
      return CORSIM_ERR_INVALID_ARGUMENT;
    }
    resp[i] = *x;
  }
  if (preflight) {
    pre = corsim_head_response(preflight);
    if (!pre) {
      reset(r);
      return CORSIM_ERR_INVALID_ARGUMENT;
    }
  }
  return fetch_impl(r, p, req, pre, preflight, resp, hops, hop_count, cache,
                    now);
}

/* ------------------------------------------------------------------------
 * Accessors
 * ------------------------------------------------------------------------ */

CORSIM__API corsim_response_type corsim_result_type(const corsim_result *r) {
  return r ? r->type : CORSIM_TYPE_ERROR;
}

CORSIM__API int corsim_result_is_network_error(const corsim_result *r) {
  return !r || r->type == CORSIM_TYPE_ERROR;
}

CORSIM__API corsim_block_reason corsim_result_reason(const corsim_result *r) {
  return r ? r->reason : CORSIM_BLOCK_NONE;
}

CORSIM__API const char *corsim_result_message(const corsim_result *r) {
  return r ? r->message : "";
}

CORSIM__API int corsim_result_status(const corsim_result *r) {
  return r ? r->status : 0;
}

CORSIM__API corsim_str corsim_result_status_text(const corsim_result *r) {
  corsim_str empty = {"", 0};
  return r ? r->status_text : empty;
}

CORSIM__API int corsim_result_ok(const corsim_result *r) {
  return r && r->status >= 200 && r->status <= 299;
}

CORSIM__API corsim_str corsim_result_url(const corsim_result *r) {
  corsim_str empty = {"", 0};
  return r ? r->url : empty;
}

CORSIM__API int corsim_result_redirect_pending(const corsim_result *r) {
  return r ? r->redirect_pending : 0;
}

CORSIM__API const corsim_header *corsim_result_headers(const corsim_result *r,
                                                       size_t *count) {
  if (count)
    *count = r ? r->kept_count : 0;
  return r && r->kept_count ? r->kept : NULL;
}

CORSIM__API const corsim_header *
corsim_result_js_headers(const corsim_result *r, size_t *count) {
  if (count)
    *count = r ? r->js_count : 0;
  return r && r->js_count ? r->js : NULL;
}

CORSIM__API const corsim_str *corsim_result_set_cookies(const corsim_result *r,
                                                        size_t *count) {
  if (count)
    *count = r ? r->cookie_count : 0;
  return r && r->cookie_count ? r->cookies : NULL;
}

CORSIM__API int corsim_result_internal_status(const corsim_result *r) {
  return r ? r->internal_status : 0;
}

CORSIM__API const corsim_header *
corsim_result_internal_headers(const corsim_result *r, size_t *count) {
  if (count)
    *count = r ? r->internal_count : 0;
  return r && r->internal_count ? r->internal : NULL;
}

CORSIM__API corsim_decision corsim_result_decision(const corsim_result *r,
                                                   size_t i) {
  if (!r || i >= r->internal_count)
    return CORSIM_REMOVED_NETWORK_ERROR;
  return (corsim_decision)r->decisions[i];
}

CORSIM__API corsim_expose_state corsim_result_expose_state(
    const corsim_result *r, const corsim_str **names, size_t *count) {
  if (names)
    *names = NULL;
  if (count)
    *count = 0;
  if (!r)
    return CORSIM_EXPOSE_NOT_APPLICABLE;
  if (r->expose == CORSIM_EXPOSE_INVALID) {
    if (names)
      *names = &r->bad_item;
    if (count)
      *count = 1;
  } else if (r->expose == CORSIM_EXPOSE_LIST ||
             r->expose == CORSIM_EXPOSE_WILDCARD) {
    if (names)
      *names = r->item_count ? r->items : NULL;
    if (count)
      *count = r->item_count;
  }
  return r->expose;
}

CORSIM__API int corsim_result_redirected(const corsim_result *r) {
  return r ? r->redirected : 0;
}

CORSIM__API size_t corsim_result_later_preflights(const corsim_result *r) {
  return r ? r->later_preflights : 0;
}

CORSIM__API size_t corsim_result_hop_count(const corsim_result *r) {
  return r ? r->hops_used : 0;
}

CORSIM__API corsim_preflight_state
corsim_result_preflight_state(const corsim_result *r) {
  return r ? r->preflight_state : CORSIM_PREFLIGHT_NOT_NEEDED;
}

CORSIM__API int corsim_result_in_preflight(const corsim_result *r) {
  return r ? r->in_preflight : 0;
}

CORSIM__API const corsim_profile *corsim_result_profile(const corsim_result *r) {
  return r ? r->profile : NULL;
}
