/*
 * request.c -- the request model (Fetch #requests): URL, origin, mode,
 * credentials mode, redirect mode, method and header list.
 */
#include <config.h>

#include <string.h>

#include "internal.h"

CORSIM__API int corsim_request_new(corsim_request **out,
                                   const corsim_allocator *alloc) {
  corsim_allocator a;
  corsim_request *r;
  int rc;

  if (!out)
    return CORSIM_ERR_INVALID_ARGUMENT;
  *out = NULL;
  r = corsim__object_new(alloc, sizeof *r, &a);
  if (!r)
    return CORSIM_ERR_NOMEM;
  r->alloc = a;
  r->mode = CORSIM_MODE_CORS;
  r->credentials = CORSIM_CREDENTIALS_SAME_ORIGIN;
  r->redirect = CORSIM_REDIRECT_FOLLOW;
  r->max_redirects = CORSIM__MAX_REDIRECTS;
  r->list_max_items = CORSIM__DEFAULT_LIST_MAX_ITEMS;
  rc = corsim_headers_new(&r->headers, &a);
  if (rc == 0) {
    r->method = corsim__malloc(&a, 3);
    if (!r->method)
      rc = CORSIM_ERR_NOMEM;
  }
  if (rc) {
    corsim_request_free(r);
    return rc;
  }
  memcpy(r->method, "GET", 3);
  r->method_len = 3;
  *out = r;
  return 0;
}

CORSIM__API void corsim_request_free(corsim_request *r) {
  if (!r)
    return;
  corsim__free(&r->alloc, r->method);
  corsim__free(&r->alloc, r->url);
  corsim__origin_clear(&r->alloc, &r->url_origin);
  corsim__origin_clear(&r->alloc, &r->origin);
  corsim_headers_free(r->headers);
  corsim__free(&r->alloc, r);
}

CORSIM__API int corsim_request_set_limits(corsim_request *r,
                                          const corsim_limits *l) {
  if (!r || (l && l->max_redirects > CORSIM__MAX_REDIRECTS))
    return CORSIM_ERR_INVALID_ARGUMENT;
  r->max_redirects = l ? l->max_redirects : CORSIM__MAX_REDIRECTS;
  r->list_max_items = l ? l->list_max_items : CORSIM__DEFAULT_LIST_MAX_ITEMS;
  return 0;
}

CORSIM__API int corsim_request_set_url(corsim_request *r, const char *url,
                                       size_t len) {
  corsim__origin o;
  char *href;
  size_t href_len;
  int rc;

  if (!r || (!url && len))
    return CORSIM_ERR_INVALID_ARGUMENT;
  rc = corsim__parse_url(&r->alloc, url, len, &o, &href, &href_len);
  if (rc)
    return rc;
  corsim__free(&r->alloc, r->url);
  corsim__origin_clear(&r->alloc, &r->url_origin);
  r->url = href;
  r->url_len = href_len;
  r->url_origin = o;
  r->has_url = 1;
  return 0;
}

CORSIM__API int corsim_request_set_origin(corsim_request *r,
                                          const char *origin, size_t len) {
  corsim__origin o;
  int rc;

  if (!r || (!origin && len))
    return CORSIM_ERR_INVALID_ARGUMENT;
  if (len == 4 && memcmp(origin, "null", 4) == 0) {
    memset(&o, 0, sizeof o);
    o.ser = corsim__malloc(&r->alloc, 4);
    if (!o.ser)
      return CORSIM_ERR_NOMEM;
    memcpy(o.ser, "null", 4);
    o.len = 4;
    o.opaque = 1;
  } else {
    rc = corsim__parse_url(&r->alloc, origin, len, &o, NULL, NULL);
    if (rc == CORSIM_ERR_BAD_URL)
      rc = CORSIM_ERR_BAD_ORIGIN;
    if (rc)
      return rc;
  }
  corsim__origin_clear(&r->alloc, &r->origin);
  r->origin = o;
  r->has_origin = 1;
  return 0;
}

CORSIM__API int corsim_request_set_mode(corsim_request *r, corsim_mode mode) {
  if (!r)
    return CORSIM_ERR_INVALID_ARGUMENT;
  if (!corsim_mode_name(mode))
    return CORSIM_ERR_BAD_ENUM;
  r->mode = mode;
  return 0;
}

CORSIM__API int corsim_request_set_credentials(corsim_request *r,
                                               corsim_credentials c) {
  if (!r)
    return CORSIM_ERR_INVALID_ARGUMENT;
  if (!corsim_credentials_name(c))
    return CORSIM_ERR_BAD_ENUM;
  r->credentials = c;
  r->credentials_set = 1;
  return 0;
}

CORSIM__API int corsim_request_set_redirect(corsim_request *r,
                                            corsim_redirect rd) {
  if (!r)
    return CORSIM_ERR_INVALID_ARGUMENT;
  if (!corsim_redirect_name(rd))
    return CORSIM_ERR_BAD_ENUM;
  r->redirect = rd;
  return 0;
}

/* Methods that #concept-method-normalize upper-cases. */
static const char *const normalized_methods[] = {"DELETE", "GET",  "HEAD",
                                                 "OPTIONS", "POST", "PUT"};

CORSIM__API int corsim_request_set_method(corsim_request *r,
                                          const char *method, size_t len) {
  char *m;
  size_t i;

  if (!r || (!method && len))
    return CORSIM_ERR_INVALID_ARGUMENT;
  if (len > CORSIM__MAX_METHOD_LEN)
    return CORSIM_ERR_TOO_LARGE;
  if (!corsim__is_token(method, len))
    return CORSIM_ERR_BAD_METHOD;
  m = corsim__malloc(&r->alloc, len);
  if (!m)
    return CORSIM_ERR_NOMEM;
  memcpy(m, method, len);
  for (i = 0; i < sizeof normalized_methods / sizeof normalized_methods[0];
       i++) {
    if (corsim__ci_eq_lit(method, len, normalized_methods[i])) {
      memcpy(m, normalized_methods[i], len);
      break;
    }
  }
  corsim__free(&r->alloc, r->method);
  r->method = m;
  r->method_len = len;
  return 0;
}

CORSIM__API corsim_headers *corsim_request_headers(corsim_request *r) {
  return r ? r->headers : NULL;
}

CORSIM__API corsim_mode corsim_request_mode(const corsim_request *r) {
  return r ? r->mode : CORSIM_MODE_CORS;
}

CORSIM__API corsim_credentials
corsim_request_credentials(const corsim_request *r) {
  return r ? r->credentials : CORSIM_CREDENTIALS_SAME_ORIGIN;
}

CORSIM__API corsim_redirect corsim_request_redirect(const corsim_request *r) {
  return r ? r->redirect : CORSIM_REDIRECT_FOLLOW;
}

static corsim_str view(const char *p, size_t len) {
  corsim_str s;
  s.ptr = p ? p : "";
  s.len = p ? len : 0;
  return s;
}

CORSIM__API corsim_str corsim_request_method(const corsim_request *r) {
  return r ? view(r->method, r->method_len) : view(NULL, 0);
}

CORSIM__API corsim_str corsim_request_url(const corsim_request *r) {
  return r && r->has_url ? view(r->url, r->url_len) : view(NULL, 0);
}

CORSIM__API corsim_str corsim_request_origin(const corsim_request *r) {
  return r && r->has_origin ? view(r->origin.ser, r->origin.len)
                            : view(NULL, 0);
}

CORSIM__API int corsim_request_is_same_origin(const corsim_request *r) {
  if (!r || !r->has_url || !r->has_origin)
    return 0;
  return corsim__origin_same(&r->url_origin, &r->origin);
}

/* ---- enum names ---- */

static const char *const mode_names[] = {"cors", "no-cors", "same-origin",
                                         "navigate"};
static const char *const credentials_names[] = {"same-origin", "omit",
                                                "include"};
static const char *const redirect_names[] = {"follow", "error", "manual"};

#define NAME_OF(table, v)                                                     \
  ((unsigned)(v) < sizeof(table) / sizeof(table)[0] ? (table)[(unsigned)(v)] \
                                                     : NULL)

static int lookup(const char *const *table, size_t n, const char *s,
                  size_t len) {
  size_t i;
  if (!s && len)
    return -1;
  for (i = 0; i < n; i++)
    if (strlen(table[i]) == len && memcmp(table[i], s, len) == 0)
      return (int)i;
  return -1;
}

CORSIM__API const char *corsim_mode_name(corsim_mode m) {
  return NAME_OF(mode_names, m);
}
CORSIM__API const char *corsim_credentials_name(corsim_credentials c) {
  return NAME_OF(credentials_names, c);
}
CORSIM__API const char *corsim_redirect_name(corsim_redirect r) {
  return NAME_OF(redirect_names, r);
}

#define FROM_STRING(table, type)                                              \
  int i;                                                                      \
  if (!out || (!s && len))                                                    \
    return CORSIM_ERR_INVALID_ARGUMENT;                                       \
  i = lookup(table, sizeof(table) / sizeof(table)[0], s, len);                \
  if (i < 0)                                                                  \
    return CORSIM_ERR_BAD_ENUM;                                               \
  *out = (type)i;                                                             \
  return 0

CORSIM__API int corsim_mode_from_string(const char *s, size_t len,
                                        corsim_mode *out) {
  FROM_STRING(mode_names, corsim_mode);
}
CORSIM__API int corsim_credentials_from_string(const char *s, size_t len,
                                               corsim_credentials *out) {
  FROM_STRING(credentials_names, corsim_credentials);
}
CORSIM__API int corsim_redirect_from_string(const char *s, size_t len,
                                            corsim_redirect *out) {
  FROM_STRING(redirect_names, corsim_redirect);
}
