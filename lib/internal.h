/*
 * internal.h -- helpers shared by the files of lib/.  Not installed.
 * Internal non-static functions are named corsim__*.
 */
#ifndef CORSIM_INTERNAL_H
#define CORSIM_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "corsim.h"

#define CORSIM__API CORSIM_EXTERN

/* Limits.  Chromium's url::kMaxURLChars is 2 MiB; we use the same. */
#define CORSIM__MAX_URL_LEN ((size_t)2 * 1024 * 1024)
#define CORSIM__MAX_METHOD_LEN ((size_t)1024)
/* A header list never holds more bytes than this (names + values). */
#define CORSIM__MAX_LIST_BYTES ((size_t)256 * 1024 * 1024)

/* The defaults of corsim_limits (limits.c; sources in
 * corsim_limits_default(3)). */
#define CORSIM__DEFAULT_HEAD_MAX_HEADERS ((size_t)1 << 20)
#define CORSIM__DEFAULT_HEAD_MAX_LINE CORSIM__MAX_LIST_BYTES
#define CORSIM__DEFAULT_HEAD_MAX_BYTES CORSIM__MAX_LIST_BYTES
#define CORSIM__MAX_REDIRECTS ((size_t)20) /* #http-redirect-fetch step 6 */
#define CORSIM__DEFAULT_XML_MAX_BYTES ((size_t)16 * 1024 * 1024)
#define CORSIM__DEFAULT_XML_MAX_DEPTH ((size_t)64)
#define CORSIM__DEFAULT_XML_MAX_NODES ((size_t)250000)
#define CORSIM__DEFAULT_CACHE_ENTRIES ((size_t)4096)
#define CORSIM__DEFAULT_LIST_MAX_ITEMS ((size_t)1 << 20)

/* ---- memory (alloc.c) ---- */

/* Fills *dst from src, or the C library's functions when src is NULL. */
void corsim__alloc_init(corsim_allocator *dst, const corsim_allocator *src);
void *corsim__malloc(const corsim_allocator *a, size_t n);
/* A zeroed object of size bytes from src (NULL: the C library); *a
 * receives the allocator to keep in it.  NULL when out of memory. */
void *corsim__object_new(const corsim_allocator *src, size_t size,
                         corsim_allocator *a);
void *corsim__realloc(const corsim_allocator *a, void *p, size_t n);
void corsim__free(const corsim_allocator *a, void *p);

/*
 * Grows the array *ptr (element size elem) so it holds at least need
 * elements; *cap is updated.  Growth is geometric.  Returns 0,
 * CORSIM_ERR_NOMEM or CORSIM_ERR_TOO_LARGE (size overflow); on error *ptr
 * and *cap are unchanged.
 */
int corsim__grow(const corsim_allocator *a, void **ptr, size_t *cap,
                 size_t need, size_t elem);

/* ---- bytes (headers.c) ---- */

/* 1 for RFC 9110 tchar bytes. */
extern const unsigned char corsim__tchar_table[256];

static inline unsigned char corsim__lower(unsigned char c) {
  return (unsigned char)(c >= 'A' && c <= 'Z' ? c | 0x20 : c);
}

static inline int corsim__is_tab_or_space(unsigned char c) {
  return c == ' ' || c == '\t';
}

static inline int corsim__is_http_ws(unsigned char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Byte-case-insensitive equality of two byte strings. */
int corsim__ci_eq(const char *a, size_t alen, const char *b, size_t blen);

/* Byte-case-insensitive equality with a lowercase NUL-terminated literal. */
static inline int corsim__ci_eq_lit(const char *a, size_t alen,
                                    const char *lit) {
  return corsim__ci_eq(a, alen, lit, strlen(lit));
}

/* Compares the lowercased forms by byte value (memcmp order): <0, 0, >0. */
int corsim__ci_cmp(const char *a, size_t alen, const char *b, size_t blen);

int corsim__is_token(const char *p, size_t len);

/* Trims HTTP tab-or-space (0x09, 0x20) from both ends of a view. */
void corsim__trim_ows(const char **p, size_t *len);
/* Trims HTTP whitespace (tab, space, CR, LF) from both ends of a view. */
void corsim__trim_http_ws(const char **p, size_t *len);

/* The response-header names that filtering treats specially, found with
 * one look at a name (headers.c; the two functions below use it). */
typedef enum corsim__name_kind {
  CORSIM__NAME_OTHER = 0,
  CORSIM__NAME_SAFELISTED,     /* safelisted in every profile */
  CORSIM__NAME_CONTENT_LENGTH, /* safelisted where the profile says so */
  CORSIM__NAME_FORBIDDEN,      /* Set-Cookie, Set-Cookie2 */
  CORSIM__NAME_ACAO,           /* Access-Control-Allow-Origin */
  CORSIM__NAME_ACAC,           /* Access-Control-Allow-Credentials */
  CORSIM__NAME_ACEH            /* Access-Control-Expose-Headers */
} corsim__name_kind;
corsim__name_kind corsim__response_name_kind(const char *p, size_t len);

/* Header-name classes (Fetch #forbidden-response-header-name and
 * #cors-safelisted-response-header-name without the list part). */
int corsim__is_forbidden_response_name(const char *p, size_t len);
/* content_length: whether Content-Length counts (profiles differ). */
int corsim__is_safelisted_response_name(const char *p, size_t len,
                                        int content_length);

/*
 * Stable merge sort of idx[0..n) by the lowercased names hdr[idx[i]].name,
 * using tmp (n elements) as scratch.  Allocates nothing.
 */
void corsim__sort_by_name(const corsim_header *hdr, uint32_t *idx,
                          uint32_t *tmp, size_t n);

/* Same for byte-string views, case-insensitively (used for ACEH items). */
void corsim__sort_strs_ci(corsim_str *v, corsim_str *tmp, size_t n);

/* 1 when the serialized URL url[0..len) has this (lowercase) scheme. */
static inline int corsim__url_has_scheme(const char *url, size_t len,
                                         const char *scheme) {
  size_t n = strlen(scheme);
  return len > n && memcmp(url, scheme, n) == 0 && url[n] == ':';
}

/* ---- origins (origin.c) ---- */

/* A parsed origin: opaque, or a tuple serialized into ser[0..len). */
typedef struct corsim__origin {
  int opaque;
  char *ser;   /* "scheme://host[:port]" or "null"; owned */
  size_t len;
  size_t scheme_len; /* length of the scheme part of ser */
} corsim__origin;

/*
 * Parses an absolute URL.  On success, *origin holds its origin
 * (allocated with a) and, when href is non-NULL, *href the serialized URL
 * (allocated, fragment dropped).  Returns 0 or a negative corsim_error.
 */
int corsim__parse_url(const corsim_allocator *a, const char *url, size_t len,
                      corsim__origin *origin, char **href, size_t *href_len);

void corsim__origin_clear(const corsim_allocator *a, corsim__origin *o);

/* Resolves ref (e.g. a Location value) against the absolute URL base (a
 * corsim href) and parses the result like corsim__parse_url(). */
int corsim__resolve_url(const corsim_allocator *a, const char *base,
                        size_t base_len, const char *ref, size_t ref_len,
                        corsim__origin *origin, char **href,
                        size_t *href_len);

/* Schemeful same site (HTML), approximated without a public suffix list:
 * same scheme, and the same host for IP addresses or the same last two
 * labels for domains.  With ip_hosts 0, an origin whose host is an IP
 * address is same site with nothing (Chromium's CORP check; the profile's
 * corp.same_site_ip_hosts). */
int corsim__same_site(const corsim__origin *x, const corsim__origin *y,
                      int ip_hosts);

/* 1 when a serialized URL carries user information ("user:pass@"). */
int corsim__url_has_credentials(const char *href, size_t len);

/* Same origin (HTML): tuple origins with equal serialization.  Opaque
 * origins are never same-origin with anything parsed separately. */
int corsim__origin_same(const corsim__origin *x, const corsim__origin *y);

/* ---- requests (request.c) ---- */

struct corsim_request {
  corsim_allocator alloc;
  corsim_mode mode;
  corsim_credentials credentials;
  int credentials_set; /* 0: the profile's fetch() default applies */
  corsim_redirect redirect;
  char *method;
  size_t method_len;
  char *url;
  size_t url_len;
  corsim__origin url_origin; /* origin of the URL */
  corsim__origin origin;     /* the request's origin */
  int has_url;
  int has_origin;
  corsim_headers *headers;
  size_t max_redirects;  /* corsim_request_set_limits() */
  size_t list_max_items; /* corsim_request_set_limits() */
};

/* ---- profiles (profile.c) ---- */

typedef enum corsim__list_parse {
  CORSIM__LIST_STRICT = 0, /* one invalid item fails the whole list */
  CORSIM__LIST_DROP_INVALID /* invalid items are skipped */
} corsim__list_parse;

/*
 * CORSIM__BEHAVIOUR_MAP(XX): every behaviour a profile carries, once:
 * XX(NAME, "id", type, spec value, enum values ("a b c" or NULL)).
 * Bool values are 0/1, enum values the index into the names, ints as is.
 * data/profiles.xml must declare exactly these, with these spec values.
 */
#define CORSIM__BEHAVIOUR_MAP(XX)                                             \
  XX(CORS_ENFORCED, "cors.enforced", BOOL, 1, NULL)                           \
  XX(ACEH_SUPPORTED, "aceh.supported", BOOL, 1, NULL)                         \
  XX(ACEH_WILDCARD, "aceh.wildcard", BOOL, 1, NULL)                           \
  XX(ACEH_WILDCARD_SURVIVES_INVALID, "aceh.wildcard_survives_invalid", BOOL,  \
     0, NULL)                                                                 \
  XX(ACEH_CREDENTIALED_WILDCARD_LEAKS_ACCEPT,                                 \
     "aceh.credentialed_wildcard_leaks_accept", BOOL, 0, NULL)                \
  XX(SAFELIST_CONTENT_LENGTH, "safelist.content_length", BOOL, 1, NULL)       \
  XX(SAFELIST_RANGE, "safelist.range", BOOL, 1, NULL)                         \
  XX(LISTS_INVALID_ITEM, "lists.invalid_item", ENUM, 0, "strict drop-invalid") \
  XX(ACAH_WILDCARD, "acah.wildcard", BOOL, 1, NULL)                           \
  XX(ACAM_WILDCARD, "acam.wildcard", BOOL, 1, NULL)                           \
  XX(ACAH_WILDCARD_COVERS_AUTHORIZATION, "acah.wildcard_covers_authorization", \
     BOOL, 0, NULL)                                                           \
  XX(COMBINE_EMPTY_VALUES, "combine.empty_values", ENUM, 0, "keep drop")      \
  XX(COMBINE_SEPARATOR, "combine.separator", ENUM, 0, "comma-space comma")    \
  XX(WIRE_SPACE_BEFORE_COLON, "wire.space_before_colon", ENUM, 0,             \
     "reject strip ignore")                                                   \
  XX(WIRE_BARE_CR, "wire.bare_cr", ENUM, 0,                                   \
     "reject space line-end skip-line")                                       \
  XX(WIRE_OBS_FOLD, "wire.obs_fold", ENUM, 1, "reject unfold join")           \
  XX(WIRE_NUL, "wire.nul", ENUM, 0, "reject space keep reject-in-values")     \
  XX(WIRE_NON_ASCII, "wire.non_ascii", ENUM, 0, "keep reject utf8-replace")   \
  XX(WIRE_INVALID_LINE, "wire.invalid_line", ENUM, 0, "reject ignore")        \
  XX(WIRE_CONFLICTING_DUPLICATES, "wire.conflicting_duplicates", ENUM, 0,     \
     "keep reject")                                                           \
  XX(WIRE_MAX_HEAD_BYTES, "wire.max_head_bytes", INT, 0, NULL)                \
  XX(WIRE_STATUS_LINE, "wire.status_line", ENUM, 0,                           \
     "strict chromium gecko libsoup")                                         \
  XX(WIRE_CONTENT_LENGTH, "wire.content_length", ENUM, 0,                     \
     "keep reject-non-numeric")                                               \
  XX(WIRE_SINGLETON_HEADERS, "wire.singleton_headers", ENUM, 0, "keep gecko") \
  XX(STATUS_PROXY_AUTH_REQUIRED, "status.proxy_auth_required", ENUM, 0,       \
     "network-error expose")                                                  \
  XX(STATUS_SWITCHING_PROTOCOLS, "status.switching_protocols", ENUM, 0,       \
     "network-error expose")                                                  \
  XX(STATUS_MISDIRECTED, "status.misdirected", ENUM, 0,                       \
     "expose network-error")                                                  \
  XX(CORP_SAME_SITE_IP_HOSTS, "corp.same_site_ip_hosts", BOOL, 1, NULL)       \
  XX(PREFLIGHT_MAX_AGE_DEFAULT, "preflight.max_age_default", INT, 5, NULL)    \
  XX(PREFLIGHT_MAX_AGE_CAP, "preflight.max_age_cap", INT, 0, NULL)            \
  XX(PREFLIGHT_MAX_AGE_NEGATIVE, "preflight.max_age_negative", ENUM, 0,       \
     "default no-cache")                                                      \
  XX(PREFLIGHT_CACHE_WILDCARD_REUSE, "preflight.cache_wildcard_reuse", BOOL,  \
     1, NULL)                                                                 \
  XX(REDIRECT_DROP_AUTHORIZATION, "redirect.drop_authorization", BOOL, 1,     \
     NULL)                                                                    \
  XX(REDIRECT_EMPTY_LOCATION, "redirect.empty_location", ENUM, 0,             \
     "follow skip")                                                           \
  XX(HEADERS_GET_SET_COOKIE, "headers.get_set_cookie", BOOL, 1, NULL)         \
  XX(FETCH_DEFAULT_CREDENTIALS, "fetch.default_credentials", ENUM, 0,         \
     "same-origin omit")                                                      \
  XX(FETCH_SUPPORTED, "fetch.supported", BOOL, 1, NULL)

typedef enum corsim__behaviour {
#define CORSIM__XX(name, id, type, spec, values) CORSIM__B_##name,
  CORSIM__BEHAVIOUR_MAP(CORSIM__XX)
#undef CORSIM__XX
  CORSIM__B_COUNT
} corsim__behaviour;

typedef enum corsim__btype {
  CORSIM__BT_BOOL,
  CORSIM__BT_ENUM,
  CORSIM__BT_INT
} corsim__btype;

typedef struct corsim__behaviour_info {
  const char *id;
  corsim__btype type;
  int spec;
  const char *values; /* enum names separated by single spaces, or NULL */
} corsim__behaviour_info;

extern const corsim__behaviour_info corsim__behaviours[CORSIM__B_COUNT];

/* The largest int behaviour value a profile file may give. */
#define CORSIM__BEHAVIOUR_INT_MAX 1000000000L

struct corsim_profile {
  const char *name; /* "spec", "chrome/65" */
  int v[CORSIM__B_COUNT];
};

/* The behaviour with this id, or -1. */
int corsim__behaviour_find(const char *id, size_t len);

/* Parses a value text for behaviour b: 0 and *out, or -1. */
int corsim__behaviour_parse(int b, const char *text, size_t len, int *out);

/* The canonical text of value v of behaviour b, into buf (at least 24
 * bytes for ints); returns a pointer to static or buf memory. */
const char *corsim__behaviour_text(int b, int v, char *buf, size_t len,
                                   size_t *out_len);

/* ---- heads (http1.c), for cors.c and preflight.c ---- */

/* Whether a response may have this status under p (NULL: spec): 100-999,
 * or 0-65535 when the profile's wire.status_line is an engine's (its head
 * parser may read such statuses, and a refused head carries 0). */
int corsim__status_valid(const corsim_profile *p, int status);

/* ---- preflight.c, for cors.c ---- */

/* Whether the request needs a preflight at URL url (a redirect hop), with
 * the given method and without Authorization / the request-body headers
 * when a redirect dropped them. */
int corsim__preflight_needed_at(const corsim_request *req,
                                const corsim_profile *p, const char *url,
                                size_t url_len,
                                const corsim__origin *url_origin,
                                const char *method, size_t mlen,
                                int drop_authorization,
                                int drop_body_headers);

/* ---- results (cors.c), for preflight.c ---- */

/* Resets r and sizes it for resp's headers; 0 or an error. */
int corsim__result_prepare(corsim_result *r, const corsim_profile *p,
                           const corsim_response *resp);
/* The CORS check of resp for req under r's profile. */
corsim_block_reason corsim__cors_check(corsim_result *r,
                                       const corsim_request *req,
                                       const corsim_response *resp,
                                       corsim_str *value);
/* Records resp as r's internal response, every header removed (a
 * failed preflight's response, for explanations). */
void corsim__result_set_internal(corsim_result *r,
                                 const corsim_response *resp);
/* Makes r a network error for why (value: the offending text). */
void corsim__result_block(corsim_result *r, const corsim_request *req,
                          corsim_block_reason why, corsim_str value,
                          int in_preflight);
/* The credentials mode in effect (the profile's fetch() default when the
 * request never set one). */
corsim_credentials corsim__credentials(const corsim_request *req,
                                       const corsim_profile *p);

/* ---- lists (lists.c) ---- */

typedef enum corsim__list_status {
  CORSIM__LIST_OK = 0,
  CORSIM__LIST_FAILURE
} corsim__list_status;

/*
 * Parses one value of a comma-separated list of tokens (the #field-name and
 * #method rules) under the profile's rule, appending non-empty items to
 * out[*n] (capacity cap, which the caller sized with
 * corsim__list_max_items()).  On failure under the strict rule, *bad is the
 * offending item.  Allocates nothing.
 */
corsim__list_status corsim__parse_token_list(const char *v, size_t len,
                                             corsim__list_parse rule,
                                             corsim_str *out, size_t *n,
                                             corsim_str *bad);

/* An upper bound on the number of items a value of len bytes yields. */
static inline size_t corsim__list_max_items(size_t len) {
  return len / 2 + 1;
}

/* 1 if the items contain exactly "*". */
int corsim__list_has_star(const corsim_str *items, size_t n);

#endif /* CORSIM_INTERNAL_H */
