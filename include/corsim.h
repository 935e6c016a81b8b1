/*
 * corsim.h -- the one public header of libcorsim.
 *
 * corsim simulates what a browser does to a response before JavaScript may
 * read it: the WHATWG Fetch Standard's CORS protocol and its "filtered
 * response" step (https://fetch.spec.whatwg.org/, read at commit 586cd2a,
 * 2026-07-02).  A request and the response a server sent go in; out comes
 * what fetch() would give script: a network error with its reason, or a
 * basic / cors / opaque / opaqueredirect response holding only the headers
 * the chosen browser profile exposes, as Array.from(response.headers)
 * lists them.
 *
 * Conventions (every function below follows them):
 *
 *  - Functions that can fail return 0 on success or a negative
 *    corsim_error; corsim_strerror() describes it.  A response that the
 *    simulated browser blocks is NOT a library error: corsim_filter()
 *    returns 0 and the result says "network error" and why.
 *  - Byte strings are (pointer, length) pairs.  NUL bytes are data, never
 *    terminators.  A NULL pointer with length 0 is the empty string.
 *  - Opaque types own memory and come in _new/_free pairs; _free(NULL)
 *    does nothing.  Plain structs (corsim_header, corsim_str,
 *    corsim_response) are views: they own nothing.
 *  - Each function states ownership in one sentence starting "Ownership:".
 *  - No global state and no threads; the only I/O is the profile loader
 *    reading a file (and the CORSIM_PROFILES variable) when asked to.
 *    Objects are not locked: use one object from one thread at a time;
 *    const objects (a loaded database and its profiles, a request or header
 *    list that nobody is modifying) may be shared for reading.
 *
 * Every function has a man page, corsim_<name>(3); corsim(3) is the
 * overview.
 */
#ifndef CORSIM_H
#define CORSIM_H

#include <stddef.h>

#include "corsim_version.h"

#ifdef __cplusplus
extern "C" {
#endif

#if defined(_WIN32)
#  if defined(BUILDING_CORSIM) && defined(DLL_EXPORT)
#    define CORSIM_EXTERN __declspec(dllexport)
#  else
#    define CORSIM_EXTERN
#  endif
#elif defined(BUILDING_CORSIM) && defined(__GNUC__)
#  define CORSIM_EXTERN __attribute__((visibility("default")))
#else
#  define CORSIM_EXTERN
#endif

/* ------------------------------------------------------------------------
 * Errors
 * ------------------------------------------------------------------------ */

/*
 * CORSIM_ERROR_MAP(XX) lists every error code once:
 * XX(name, value, message).  Codes are never renumbered or reused.
 */
#define CORSIM_ERROR_MAP(XX)                                                  \
  XX(OK, 0, "success")                                                        \
  XX(INVALID_ARGUMENT, -1, "invalid argument (a NULL pointer or an "          \
                           "out-of-range value)")                             \
  XX(NOMEM, -2, "out of memory")                                              \
  XX(BAD_HEADER_NAME, -3, "invalid header name: it must be a non-empty "      \
                          "HTTP token")                                       \
  XX(BAD_HEADER_VALUE, -4, "invalid header value: it must not contain NUL, "  \
                           "CR or LF, nor start or end with a space or tab")  \
  XX(BAD_URL, -5, "invalid URL")                                              \
  XX(BAD_ORIGIN, -6, "invalid origin: expected 'null' or "                   \
                     "scheme://host[:port]")                                  \
  XX(BAD_METHOD, -7, "invalid method: it must be an HTTP token")              \
  XX(BAD_STATUS, -8, "invalid status: it must be between 100 and 999")        \
  XX(BAD_ENUM, -9, "unknown enumeration value")                               \
  XX(BUFFER_TOO_SMALL, -10, "the output buffer is too small")                 \
  XX(NOT_FOUND, -11, "not found")                                             \
  XX(UNSUPPORTED, -12, "not supported by this version of corsim")             \
  XX(TOO_LARGE, -13, "input exceeds a size limit")                            \
  XX(INCOMPLETE_REQUEST, -14, "the request has no URL or no origin yet")      \
  XX(UNKNOWN_PROFILE, -15, "unknown profile name")                          \
  XX(BAD_PROFILES, -16, "invalid profile data (see the diagnostics)")         \
  XX(IO, -17, "cannot read the file")                                        \
  XX(BAD_RESPONSE, -18, "not an HTTP response head (expected a status line "  \
                        "such as 'HTTP/1.1 200 OK')")                         \
  XX(LIMIT, -19, "input exceeds a configured limit (see corsim_limits_"       \
                 "default(3))")

typedef enum corsim_error {
#define CORSIM_XX_(name, value, msg) CORSIM_ERR_##name = (value),
  CORSIM_ERROR_MAP(CORSIM_XX_)
#undef CORSIM_XX_
} corsim_error;

#define CORSIM_OK CORSIM_ERR_OK

/*
 * A static English sentence for an error code (0 included).  Unknown codes
 * give "unknown error".  Ownership: the string is static; never free it.
 */
CORSIM_EXTERN const char *corsim_strerror(int code);

/*
 * The code's stable identifier, e.g. "CORSIM_ERR_NOMEM"; unknown codes give
 * "CORSIM_ERR_UNKNOWN".  Ownership: the string is static.
 */
CORSIM_EXTERN const char *corsim_error_name(int code);

/* ------------------------------------------------------------------------
 * Memory
 * ------------------------------------------------------------------------ */

/*
 * An allocator.  Every object takes one at creation (NULL, or a struct
 * with any of the three functions NULL, means the C library's
 * malloc/realloc/free) and uses it for all its memory.  realloc must
 * behave like C's realloc (NULL ptr allocates); free(NULL) must be
 * harmless.  corsim copies the struct: it need not outlive the call.
 */
typedef struct corsim_allocator {
  void *(*malloc)(size_t size, void *user_data);
  void *(*realloc)(void *ptr, size_t size, void *user_data);
  void (*free)(void *ptr, void *user_data);
  void *user_data;
} corsim_allocator;

/* ------------------------------------------------------------------------
 * Limits
 * ------------------------------------------------------------------------ */

/*
 * Bounds on the work and memory that hostile input can cause.  A plain
 * struct (it owns nothing): fill it with corsim_limits_default(), lower or
 * raise the fields you care about, then hand it to the object it applies
 * to, which copies it: corsim_head_set_limits() (the head_* fields),
 * corsim_request_set_limits() (max_redirects, list_max_items),
 * corsim_db_load_memory_ex()
 * and corsim_db_load_file_ex() (the xml_* fields), corsim_cache_new()
 * (max_cache_entries, passed as its argument).  Objects that were never
 * given limits use the defaults.  The defaults never refuse what
 * corsim accepted before limits existed; what an engine refuses is its
 * profile's business (wire.max_head_bytes), not a limit's.
 * corsim_limits_default(3) lists each default and where it comes from.
 */
typedef struct corsim_limits {
  /* Response heads (corsim_head_parse()); over one: CORSIM_ERR_LIMIT. */
  size_t head_max_headers; /* header lines in one head (1048576) */
  size_t head_max_line;    /* bytes in one line, its line end excluded
                              (268435456: 256 MiB) */
  size_t head_max_bytes;   /* bytes of one head, status line to empty
                              line included (268435456: 256 MiB) */
  /* Redirects (corsim_fetch()); 0..20, over it: the network error
   * CORSIM_BLOCK_REDIRECT_LIMIT, as a browser gives. */
  size_t max_redirects;    /* (20, Fetch #http-redirect-fetch step 6) */
  /* Profile files (corsim_db_load_*_ex()). */
  size_t xml_max_bytes;    /* CORSIM_ERR_TOO_LARGE (16777216: 16 MiB) */
  size_t xml_max_depth;    /* CORSIM_ERR_BAD_PROFILES (64) */
  size_t xml_max_nodes;    /* CORSIM_ERR_BAD_PROFILES (250000) */
  /* The preflight cache (corsim_cache_new()): the oldest entry goes. */
  size_t max_cache_entries; /* (4096) */
  /* Elements of the list headers CORS reads, all lines of one name
   * together (corsim_request_set_limits(): Access-Control-Expose-Headers
   * in corsim_filter() and corsim_fetch(), -Allow-Methods and
   * -Allow-Headers in corsim_preflight()); over it: CORSIM_ERR_LIMIT. */
  size_t list_max_items;   /* (1048576) */
} corsim_limits;

/*
 * Fills *limits with the documented defaults (see corsim_limits above and
 * corsim_limits_default(3)).  NULL is a no-op.  Ownership: writes the
 * caller's struct only.
 */
CORSIM_EXTERN void corsim_limits_default(corsim_limits *limits);

/* ------------------------------------------------------------------------
 * Byte strings and headers (views)
 * ------------------------------------------------------------------------ */

/* A byte string view.  Owns nothing. */
typedef struct corsim_str {
  const char *ptr;
  size_t len;
} corsim_str;

/* One header: a name and a value, as byte string views.  Owns nothing. */
typedef struct corsim_header {
  const char *name;
  size_t name_len;
  const char *value;
  size_t value_len;
} corsim_header;

/*
 * 1 if the bytes are a valid header name (an RFC 9110 token: one or more
 * of ALPHA DIGIT ! # $ % & ' * + - . ^ _ ` | ~), else 0.  Fetch #header-name.
 * Ownership: reads the bytes only.
 */
CORSIM_EXTERN int corsim_is_header_name(const char *p, size_t len);

/*
 * 1 if the bytes are a valid header value: no NUL, CR or LF, and no space
 * or tab at either end (the empty value is valid), else 0.
 * Fetch #header-value.  Ownership: reads the bytes only.
 */
CORSIM_EXTERN int corsim_is_header_value(const char *p, size_t len);

/*
 * Normalizes a potential header value in place, as a view: *p and *len are
 * narrowed to drop leading and trailing HTTP whitespace (tab, space, CR,
 * LF).  Fetch #concept-header-value-normalize.  Returns 0, or
 * CORSIM_ERR_INVALID_ARGUMENT if p or len is NULL.  Ownership: changes the
 * view only; the bytes are not touched.
 */
CORSIM_EXTERN int corsim_normalize_value(const char **p, size_t *len);

/*
 * Fetch's "get, decode, and split" on one value (#header-value-get-decode-
 * and-split): split at commas outside double-quoted strings, trim spaces
 * and tabs around each item, keep empty items and keep quoted strings raw.
 * Writes up to cap items to items[] as views into value, and the total
 * number of items to *count.  Returns 0, CORSIM_ERR_BUFFER_TOO_SMALL when
 * there were more than cap items (the first cap are written, *count says
 * how many are needed), or CORSIM_ERR_INVALID_ARGUMENT.  Ownership: the
 * items point into value; nothing is allocated.
 */
CORSIM_EXTERN int corsim_split_value(const char *value, size_t value_len,
                                     corsim_str *items, size_t cap,
                                     size_t *count);

/* ------------------------------------------------------------------------
 * Header lists (owning)
 * ------------------------------------------------------------------------ */

/*
 * An ordered list of headers that owns copies of its names and values.
 * Duplicates are kept, names keep their casing, and names compare
 * byte-case-insensitively (Fetch #concept-header-list).
 */
typedef struct corsim_headers corsim_headers;

/* Flags for corsim_headers_append() and corsim_headers_combine(). */
enum {
  /* Strip leading and trailing HTTP whitespace from the value first. */
  CORSIM_HEADER_NORMALIZE = 1u << 0,
  /* Do not validate the value (the name must still be a token): for bytes
   * that a lenient network stack accepted. */
  CORSIM_HEADER_LENIENT_VALUE = 1u << 1
};

/*
 * Creates an empty header list in *out.  alloc may be NULL.  Returns 0,
 * CORSIM_ERR_INVALID_ARGUMENT or CORSIM_ERR_NOMEM.  Ownership: the caller
 * owns *out and frees it with corsim_headers_free().
 */
CORSIM_EXTERN int corsim_headers_new(corsim_headers **out,
                                     const corsim_allocator *alloc);

/* Frees the list; NULL is a no-op.  Ownership: views into it become
 * invalid. */
CORSIM_EXTERN void corsim_headers_free(corsim_headers *h);

/* Removes every header, keeping the memory.  Ownership: views into the
 * list become invalid. */
CORSIM_EXTERN void corsim_headers_clear(corsim_headers *h);

/*
 * Appends (name, value) at the end (Fetch #concept-header-list-append,
 * except that the name keeps its own casing: the spec's reuse of the first
 * casing is invisible to script).  Validates the name and, unless
 * CORSIM_HEADER_LENIENT_VALUE, the value.  Returns 0,
 * CORSIM_ERR_BAD_HEADER_NAME, CORSIM_ERR_BAD_HEADER_VALUE,
 * CORSIM_ERR_INVALID_ARGUMENT, CORSIM_ERR_TOO_LARGE or CORSIM_ERR_NOMEM;
 * on error the list is unchanged.  Ownership: the bytes are copied; views
 * obtained earlier from the list become invalid.
 */
CORSIM_EXTERN int corsim_headers_append(corsim_headers *h, const char *name,
                                        size_t name_len, const char *value,
                                        size_t value_len, unsigned flags);

/*
 * Fetch "combine" (#concept-header-list-combine): if the name is present,
 * the first match's value becomes old + ", " + value; otherwise appends.
 * Same validation, flags and errors as corsim_headers_append().
 * Ownership: as corsim_headers_append().
 */
CORSIM_EXTERN int corsim_headers_combine(corsim_headers *h, const char *name,
                                         size_t name_len, const char *value,
                                         size_t value_len, unsigned flags);

/*
 * Removes every header whose name matches case-insensitively.  Returns the
 * number removed (>= 0) or CORSIM_ERR_INVALID_ARGUMENT.  Ownership: views
 * obtained earlier become invalid.
 */
CORSIM_EXTERN int corsim_headers_delete(corsim_headers *h, const char *name,
                                        size_t name_len);

/* Number of headers (0 for NULL).  Ownership: reads only. */
CORSIM_EXTERN size_t corsim_headers_count(const corsim_headers *h);

/*
 * The headers as an array of views, in list order; *count receives the
 * length.  Returns NULL (and *count 0) for an empty list.  Ownership: the
 * array and the bytes belong to the list and stay valid until it is next
 * modified or freed.  The array is exactly what corsim_response.headers
 * wants.
 */
CORSIM_EXTERN const corsim_header *corsim_headers_data(const corsim_headers *h,
                                                       size_t *count);

/* 1 if some header's name matches case-insensitively, else 0 (0 for NULL
 * arguments).  Fetch #header-list-contains.  Ownership: reads only. */
CORSIM_EXTERN int corsim_headers_contains(const corsim_headers *h,
                                          const char *name, size_t name_len);

/*
 * Fetch "get" (#concept-header-list-get): the values of every matching
 * header, in order, joined with ", ".  Writes at most buf_len bytes to buf
 * (no terminating NUL is added) and the full length to *value_len.
 * Returns 0; CORSIM_ERR_NOT_FOUND when no header has that name (the spec's
 * null, which differs from an empty value); CORSIM_ERR_BUFFER_TOO_SMALL
 * when the value is longer than buf_len (*value_len says how long);
 * CORSIM_ERR_INVALID_ARGUMENT.  buf may be NULL when buf_len is 0, to ask
 * for the length.  Ownership: the caller owns buf.
 */
CORSIM_EXTERN int corsim_headers_get(const corsim_headers *h, const char *name,
                                     size_t name_len, char *buf,
                                     size_t buf_len, size_t *value_len);

/*
 * Fetch "get, decode, and split" (#concept-header-list-get-decode-split):
 * get() into buf, then corsim_split_value() into items[] (views into buf).
 * Returns 0, CORSIM_ERR_NOT_FOUND (null: no such header),
 * CORSIM_ERR_BUFFER_TOO_SMALL (buf or items too small; *value_len and
 * *count say what is needed), or CORSIM_ERR_INVALID_ARGUMENT.  Ownership:
 * the caller owns buf and items; items point into buf.
 */
CORSIM_EXTERN int corsim_headers_get_decode_split(const corsim_headers *h,
                                                  const char *name,
                                                  size_t name_len, char *buf,
                                                  size_t buf_len,
                                                  size_t *value_len,
                                                  corsim_str *items, size_t cap,
                                                  size_t *count);

/*
 * Fetch "sort and combine" (#concept-header-list-sort-and-combine): fills
 * out (cleared first) with one header per lowercased name, sorted by byte
 * value, values joined with ", ", except that each Set-Cookie header stays
 * a separate entry in its original order.  This is what
 * Array.from(headers) shows.  in and out must differ.  Returns 0,
 * CORSIM_ERR_INVALID_ARGUMENT or CORSIM_ERR_NOMEM (out is then empty).
 * Ownership: out owns copies of the bytes.
 */
CORSIM_EXTERN int corsim_headers_sort_and_combine(const corsim_headers *in,
                                                  corsim_headers *out);

/* ------------------------------------------------------------------------
 * Origins and URLs
 * ------------------------------------------------------------------------ */

/*
 * Serializes the origin of a URL (Fetch/HTML "ASCII serialization of an
 * origin"): scheme "://" host [":" port], lowercased, default ports
 * dropped, IPv4 and IPv6 hosts canonicalized; "null" for URLs whose origin
 * is opaque (data:, file:, about:, and other non-special schemes).  The
 * string "null" itself is accepted and gives "null".  Writes up to buf_len
 * bytes (no NUL added) and the length to *out_len.  Returns 0,
 * CORSIM_ERR_BAD_URL, CORSIM_ERR_UNSUPPORTED (a non-ASCII host, which needs
 * IDNA), CORSIM_ERR_TOO_LARGE, CORSIM_ERR_BUFFER_TOO_SMALL,
 * CORSIM_ERR_NOMEM (it uses the C library's allocator for scratch memory)
 * or CORSIM_ERR_INVALID_ARGUMENT.  A blob: URL that wraps an http(s) URL
 * has that URL's origin.  Ownership: the caller owns buf.
 */
CORSIM_EXTERN int corsim_url_origin(const char *url, size_t url_len, char *buf,
                                    size_t buf_len, size_t *out_len);

/*
 * Compares the origins of two URLs (either may also be "null" or an origin
 * serialization): *same is 1 when both are tuple origins with equal scheme,
 * host and port, else 0 (an opaque origin is never same-origin with a
 * parsed URL, since each parse makes a new opaque origin).  Returns 0 or
 * an error as corsim_url_origin().  Ownership: reads only.
 */
CORSIM_EXTERN int corsim_same_origin(const char *a, size_t a_len,
                                     const char *b, size_t b_len, int *same);

/* ------------------------------------------------------------------------
 * Requests
 * ------------------------------------------------------------------------ */

/*
 * A profile: every behaviour on which a browser (at some version) can
 * differ from another, resolved to plain values.  Profiles are immutable
 * and may be shared between threads.
 */
typedef struct corsim_profile corsim_profile;

/* Request mode (Fetch #concept-request-mode). */
typedef enum corsim_mode {
  CORSIM_MODE_CORS = 0, /* fetch()'s default */
  CORSIM_MODE_NO_CORS,
  CORSIM_MODE_SAME_ORIGIN,
  CORSIM_MODE_NAVIGATE
} corsim_mode;

/* Credentials mode (Fetch #concept-request-credentials-mode). */
typedef enum corsim_credentials {
  CORSIM_CREDENTIALS_SAME_ORIGIN = 0, /* fetch()'s default */
  CORSIM_CREDENTIALS_OMIT,
  CORSIM_CREDENTIALS_INCLUDE
} corsim_credentials;

/* Redirect mode (Fetch #concept-request-redirect-mode). */
typedef enum corsim_redirect {
  CORSIM_REDIRECT_FOLLOW = 0, /* fetch()'s default */
  CORSIM_REDIRECT_ERROR,
  CORSIM_REDIRECT_MANUAL
} corsim_redirect;

/*
 * Names as fetch() spells them ("cors", "no-cors", "same-origin",
 * "navigate"; "omit", "same-origin", "include"; "follow", "error",
 * "manual"), and back.  The _name functions return NULL for unknown values;
 * the _from_string functions return 0 or CORSIM_ERR_BAD_ENUM (or
 * CORSIM_ERR_INVALID_ARGUMENT).  Matching is exact (fetch() itself rejects
 * other casings).  Ownership: the names are static.
 */
CORSIM_EXTERN const char *corsim_mode_name(corsim_mode mode);
CORSIM_EXTERN int corsim_mode_from_string(const char *s, size_t len,
                                          corsim_mode *out);
CORSIM_EXTERN const char *corsim_credentials_name(corsim_credentials c);
CORSIM_EXTERN int corsim_credentials_from_string(const char *s, size_t len,
                                                 corsim_credentials *out);
CORSIM_EXTERN const char *corsim_redirect_name(corsim_redirect r);
CORSIM_EXTERN int corsim_redirect_from_string(const char *s, size_t len,
                                              corsim_redirect *out);

/*
 * A request as the fetch algorithm sees it: URL, origin (of the document
 * that calls fetch()), mode, credentials mode, redirect mode, method and
 * header list.  A new request has mode cors, redirect follow and method
 * GET, like fetch(url) with no init, and no credentials mode of its own:
 * until one is set, filtering uses the default of fetch() in the
 * profile's browser ("same-origin" in the spec and current browsers,
 * "omit" in older ones).  URL and origin must be set before filtering.
 */
typedef struct corsim_request corsim_request;

/*
 * Creates a request in *out.  alloc may be NULL.  Returns 0,
 * CORSIM_ERR_INVALID_ARGUMENT or CORSIM_ERR_NOMEM.  Ownership: the caller
 * owns *out and frees it with corsim_request_free().
 */
CORSIM_EXTERN int corsim_request_new(corsim_request **out,
                                     const corsim_allocator *alloc);

/* Frees the request; NULL is a no-op. */
CORSIM_EXTERN void corsim_request_free(corsim_request *req);

/*
 * Sets the limits that filtering this request applies: max_redirects
 * (0..20) is the number of redirects corsim_fetch() and
 * corsim_fetch_heads() follow before the network error
 * CORSIM_BLOCK_REDIRECT_LIMIT; the other fields are ignored here.  NULL
 * restores the defaults.  Returns 0, or CORSIM_ERR_INVALID_ARGUMENT (req
 * NULL, or max_redirects above 20, which no browser follows) and leaves
 * the request unchanged.  Ownership: the struct is copied.
 */
CORSIM_EXTERN int corsim_request_set_limits(corsim_request *req,
                                            const corsim_limits *limits);

/*
 * Sets the request URL (absolute; the fragment is dropped).  Returns 0,
 * CORSIM_ERR_BAD_URL, CORSIM_ERR_UNSUPPORTED, CORSIM_ERR_TOO_LARGE,
 * CORSIM_ERR_NOMEM or CORSIM_ERR_INVALID_ARGUMENT; on error the request is
 * unchanged.  Ownership: the bytes are copied.
 */
CORSIM_EXTERN int corsim_request_set_url(corsim_request *req, const char *url,
                                         size_t len);

/*
 * Sets the request's origin: "null" (an opaque origin, e.g. a sandboxed
 * iframe or a data: document) or an origin such as "https://app.example"
 * (a URL is accepted and reduced to its origin).  Returns 0,
 * CORSIM_ERR_BAD_ORIGIN, CORSIM_ERR_UNSUPPORTED, CORSIM_ERR_TOO_LARGE,
 * CORSIM_ERR_NOMEM or CORSIM_ERR_INVALID_ARGUMENT; on error the request is
 * unchanged.  Ownership: the bytes are copied.
 */
CORSIM_EXTERN int corsim_request_set_origin(corsim_request *req,
                                            const char *origin, size_t len);

/* Set the modes.  Return 0, or CORSIM_ERR_BAD_ENUM for values outside the
 * enum, or CORSIM_ERR_INVALID_ARGUMENT for NULL. */
CORSIM_EXTERN int corsim_request_set_mode(corsim_request *req,
                                          corsim_mode mode);
CORSIM_EXTERN int corsim_request_set_credentials(corsim_request *req,
                                                 corsim_credentials c);
CORSIM_EXTERN int corsim_request_set_redirect(corsim_request *req,
                                              corsim_redirect r);

/*
 * Sets the method.  It must be a token; DELETE, GET, HEAD, OPTIONS, POST and
 * PUT are upper-cased (Fetch #concept-method-normalize), others keep their
 * case.  Returns 0, CORSIM_ERR_BAD_METHOD, CORSIM_ERR_TOO_LARGE,
 * CORSIM_ERR_NOMEM or CORSIM_ERR_INVALID_ARGUMENT.  Ownership: copied.
 */
CORSIM_EXTERN int corsim_request_set_method(corsim_request *req,
                                            const char *method, size_t len);

/*
 * The request's header list, to add request headers with
 * corsim_headers_append().  Ownership: the list belongs to the request;
 * never free it.
 */
CORSIM_EXTERN corsim_headers *corsim_request_headers(corsim_request *req);

/* Getters.  The string views belong to the request and stay valid until
 * the matching setter is called again or the request is freed.  A getter
 * for something not yet set returns an empty view. */
CORSIM_EXTERN corsim_mode corsim_request_mode(const corsim_request *req);
/* The credentials mode set, or CORSIM_CREDENTIALS_SAME_ORIGIN (the spec's
 * default) when none was. */
CORSIM_EXTERN corsim_credentials
corsim_request_credentials(const corsim_request *req);
CORSIM_EXTERN corsim_redirect corsim_request_redirect(const corsim_request *req);
CORSIM_EXTERN corsim_str corsim_request_method(const corsim_request *req);
/* The URL as corsim serializes it: scheme and host lowercased, default port
 * and fragment dropped, "/" for an empty path of a special URL (http,
 * https, ws, wss, ftp); user information, path and query kept as given. */
CORSIM_EXTERN corsim_str corsim_request_url(const corsim_request *req);
/* The serialized origin ("null" for an opaque origin), exactly the bytes a
 * browser sends in the Origin header and compares with ACAO. */
CORSIM_EXTERN corsim_str corsim_request_origin(const corsim_request *req);

/*
 * 1 when URL and origin are set and the URL's origin is same origin with
 * the request's origin, else 0.  Ownership: reads only.
 */
CORSIM_EXTERN int corsim_request_is_same_origin(const corsim_request *req);

/*
 * Would a browser send a CORS preflight before this request?  Fetch main
 * fetch step 2.f: only a cors-mode request to another origin preflights,
 * and only when its method is not a CORS-safelisted method (GET, HEAD,
 * POST) or its header list has CORS-unsafe request-header names
 * (#cors-unsafe-request-header-names: the safelist rules for Accept,
 * Accept-Language, Content-Language, Content-Type and Range, the 128-byte
 * value limit and the 1024-byte total).  The preflight cache is not
 * consulted.  *needed receives 1 or 0.  Returns 0,
 * CORSIM_ERR_INCOMPLETE_REQUEST or CORSIM_ERR_INVALID_ARGUMENT.
 * Ownership: reads only.
 */
CORSIM_EXTERN int corsim_request_needs_preflight(const corsim_request *req,
                                                 const corsim_profile *profile,
                                                 int *needed);

/*
 * The value of Access-Control-Request-Headers a preflight would carry:
 * the CORS-unsafe request-header names, lowercased, sorted, unique,
 * joined with "," (no spaces); empty when there are none.  Writes at most
 * buf_len bytes (no NUL added) and the full length to *out_len.  Returns
 * 0, CORSIM_ERR_BUFFER_TOO_SMALL, CORSIM_ERR_NOMEM or
 * CORSIM_ERR_INVALID_ARGUMENT.  Ownership: the caller owns buf.
 */
CORSIM_EXTERN int corsim_request_unsafe_headers(const corsim_request *req,
                                                char *buf, size_t buf_len,
                                                size_t *out_len);

/* ------------------------------------------------------------------------
 * Profiles
 * ------------------------------------------------------------------------ */

/* (corsim_profile is declared with the requests, which use it.) */

/*
 * The built-in "spec" profile: the Fetch Standard at commit 586cd2a.
 * Ownership: static; never free it.
 */
CORSIM_EXTERN const corsim_profile *corsim_profile_spec(void);

/*
 * Finds a built-in profile by name ("spec").  Returns 0 and sets *out, or
 * CORSIM_ERR_UNKNOWN_PROFILE, or CORSIM_ERR_INVALID_ARGUMENT.  Browser
 * profiles come from a profile database (a later API).  Ownership: the
 * profile is static.
 */
CORSIM_EXTERN int corsim_profile_builtin(const char *name, size_t len,
                                         const corsim_profile **out);

/* The profile's name, e.g. "spec" or "chrome/65".  Ownership: belongs to
 * the profile (and so to its database). */
CORSIM_EXTERN const char *corsim_profile_name(const corsim_profile *p);

/*
 * Behaviours: every way in which profiles differ has a stable id such as
 * "aceh.wildcard" or "preflight.max_age_cap" (corsim-profiles(5) lists
 * them).  corsim_behaviour_count() says how many there are and
 * corsim_behaviour_id() names the i-th (NULL past the end).  Ownership:
 * the ids are static.
 */
CORSIM_EXTERN size_t corsim_behaviour_count(void);
CORSIM_EXTERN const char *corsim_behaviour_id(size_t i);

/*
 * Reads one behaviour of a profile.  *number receives the value (bool
 * 0/1, the index of an enum value, or the integer); *text the value's name
 * for bool and enum behaviours ("true", "strict", ...) and an empty view
 * for integer ones.  Either pointer may be NULL.  Returns 0,
 * CORSIM_ERR_NOT_FOUND for an unknown id, or CORSIM_ERR_INVALID_ARGUMENT.
 * Ownership: text points to static memory.
 */
CORSIM_EXTERN int corsim_profile_behaviour(const corsim_profile *p,
                                           const char *id, size_t id_len,
                                           corsim_str *text, long *number);

/* ------------------------------------------------------------------------
 * Profile databases (data/profiles.xml; corsim-profiles(5))
 * ------------------------------------------------------------------------ */

/*
 * Problems found while loading a profile file, each with a position.
 * The caller creates the list, passes it to a loader, and reads it back.
 */
typedef struct corsim_diagnostics corsim_diagnostics;

/* One problem: "file:line:column: message".  line and column count from
 * 1; 0 means unknown.  A view owned by its diagnostics list. */
typedef struct corsim_diagnostic {
  const char *file;
  unsigned long line;
  unsigned long column;
  const char *message;
} corsim_diagnostic;

/* Creates an empty list.  Returns 0, CORSIM_ERR_INVALID_ARGUMENT or
 * CORSIM_ERR_NOMEM.  Ownership: the caller frees it with
 * corsim_diagnostics_free(). */
CORSIM_EXTERN int corsim_diagnostics_new(corsim_diagnostics **out,
                                         const corsim_allocator *alloc);
/* Frees the list; NULL is a no-op. */
CORSIM_EXTERN void corsim_diagnostics_free(corsim_diagnostics *d);
/* Removes every entry.  Views obtained earlier become invalid. */
CORSIM_EXTERN void corsim_diagnostics_clear(corsim_diagnostics *d);
/* Number of entries (0 for NULL). */
CORSIM_EXTERN size_t corsim_diagnostics_count(const corsim_diagnostics *d);
/* Entry i, or NULL when out of range.  Ownership: belongs to the list. */
CORSIM_EXTERN const corsim_diagnostic *
corsim_diagnostics_get(const corsim_diagnostics *d, size_t i);

/*
 * A loaded profile database: the browsers, their releases, and one
 * resolved profile per release.  Immutable once loaded: it may be shared
 * between threads.
 */
typedef struct corsim_db corsim_db;

/*
 * Loads profiles from XML in memory (name labels diagnostics; NULL means
 * "<memory>").  The document is parsed with libxml2 without network access,
 * and a document with any DOCTYPE (so any DTD or entity declaration),
 * elements nested over 64 deep or over 250000 nodes is refused; it is
 * validated against the compiled-in RelaxNG schema
 * (data/profiles.rng) and then checked for meaning (known behaviours and
 * values, unique browsers, releases in ascending order, since/until naming
 * releases).  Every problem is appended to diag (which may be NULL).
 * Returns 0, CORSIM_ERR_BAD_PROFILES, CORSIM_ERR_TOO_LARGE (over 16 MiB),
 * CORSIM_ERR_NOMEM or CORSIM_ERR_INVALID_ARGUMENT.  The first call
 * initializes libxml2: make it before using corsim from several threads.
 * Ownership: the data is not kept; the caller owns *out and frees it with
 * corsim_db_free().
 */
CORSIM_EXTERN int corsim_db_load_memory(corsim_db **out, const char *data,
                                        size_t len, const char *name,
                                        const corsim_allocator *alloc,
                                        corsim_diagnostics *diag);

/* As corsim_db_load_memory() for a file; also CORSIM_ERR_IO when it
 * cannot be read. */
CORSIM_EXTERN int corsim_db_load_file(corsim_db **out, const char *path,
                                      const corsim_allocator *alloc,
                                      corsim_diagnostics *diag);

/*
 * corsim_db_load_memory() and corsim_db_load_file() with the caller's
 * bounds on the document: limits->xml_max_bytes (over it:
 * CORSIM_ERR_TOO_LARGE, nothing parsed; a file is read no further),
 * xml_max_depth and xml_max_nodes (over one: CORSIM_ERR_BAD_PROFILES, the
 * parse stopped, with a diagnostic naming the limit).  The other fields
 * are ignored.  NULL limits means the defaults, which are the bounds
 * corsim_db_load_memory() applies.  Returns as those functions.
 * Ownership: as those functions; limits is only read.
 */
CORSIM_EXTERN int corsim_db_load_memory_ex(corsim_db **out, const char *data,
                                           size_t len, const char *name,
                                           const corsim_allocator *alloc,
                                           corsim_diagnostics *diag,
                                           const corsim_limits *limits);
CORSIM_EXTERN int corsim_db_load_file_ex(corsim_db **out, const char *path,
                                         const corsim_allocator *alloc,
                                         corsim_diagnostics *diag,
                                         const corsim_limits *limits);

/* Loads the copy of data/profiles.xml compiled into the library. */
CORSIM_EXTERN int corsim_db_load_builtin(corsim_db **out,
                                         const corsim_allocator *alloc,
                                         corsim_diagnostics *diag);

/* Loads the file named by the environment variable CORSIM_PROFILES when it
 * is set and not empty, else the compiled-in copy. */
CORSIM_EXTERN int corsim_db_load_default(corsim_db **out,
                                         const corsim_allocator *alloc,
                                         corsim_diagnostics *diag);

/* Frees the database and every profile in it; NULL is a no-op. */
CORSIM_EXTERN void corsim_db_free(corsim_db *db);

/* The compiled-in data/profiles.xml and data/profiles.rng, as bytes.
 * Ownership: static. */
CORSIM_EXTERN corsim_str corsim_builtin_profiles_xml(void);
CORSIM_EXTERN corsim_str corsim_builtin_profiles_schema(void);

/* How a profile name was resolved. */
typedef struct corsim_lookup {
  const char *browser;   /* browser id ("chrome"), or "spec" */
  const char *version;   /* the release used ("65"); "" for spec */
  int exact;             /* 1: the release asked for (or "browser"
                            alone, meaning its current release) */
} corsim_lookup;

/*
 * Finds a profile: "spec", "BROWSER" (its current release), or
 * "BROWSER/VERSION" (that release, or else the nearest earlier one, with
 * exact = 0).  BROWSER is a BCD identifier ("chrome", "safari_ios", ...)
 * or an alias from the file.  Returns 0, CORSIM_ERR_UNKNOWN_PROFILE (no
 * such browser, or a version before its first release: see
 * corsim_db_suggest()), or CORSIM_ERR_INVALID_ARGUMENT.  db may be NULL:
 * then only "spec" is found.  Ownership: the profile and the lookup's
 * strings belong to the database.
 */
CORSIM_EXTERN int corsim_db_find(const corsim_db *db, const char *name,
                                 size_t len, const corsim_profile **out,
                                 corsim_lookup *info);

/*
 * Writes a NUL-terminated, human-readable hint for a name that
 * corsim_db_find() did not find: the nearest browser ids, or the range of
 * releases of the browser named.  Returns 0, CORSIM_ERR_BUFFER_TOO_SMALL
 * (the hint is truncated) or CORSIM_ERR_INVALID_ARGUMENT.  Ownership: the
 * caller owns buf.
 */
CORSIM_EXTERN int corsim_db_suggest(const corsim_db *db, const char *name,
                                    size_t len, char *buf, size_t buf_len);

/* A browser of the database (views owned by it). */
typedef struct corsim_browser_info {
  const char *id;        /* "chrome" */
  const char *name;      /* "Chrome" */
  const char *type;      /* "desktop", "mobile", "server", ... or "" */
  size_t release_count;
  const char *current;   /* the version "BROWSER" alone resolves to */
} corsim_browser_info;

/* A release of a browser (views owned by the database). */
typedef struct corsim_release_info {
  const char *version;
  const char *date;      /* "YYYY-MM-DD" or "" */
  const char *status;    /* "retired", "current", "beta", ... or "" */
  const char *engine;    /* "Blink", ... or "" */
  const char *engine_version;
  const corsim_profile *profile;
} corsim_release_info;

/* Number of browsers (0 for NULL). */
CORSIM_EXTERN size_t corsim_db_browser_count(const corsim_db *db);

/* Browser i, in file order.  Returns 0, CORSIM_ERR_NOT_FOUND (out of
 * range) or CORSIM_ERR_INVALID_ARGUMENT. */
CORSIM_EXTERN int corsim_db_browser(const corsim_db *db, size_t i,
                                    corsim_browser_info *out);

/* Release j of browser i, in ascending version order.  Returns 0,
 * CORSIM_ERR_NOT_FOUND or CORSIM_ERR_INVALID_ARGUMENT. */
CORSIM_EXTERN int corsim_db_release(const corsim_db *db, size_t i, size_t j,
                                    corsim_release_info *out);

/* ------------------------------------------------------------------------
 * Filtering
 * ------------------------------------------------------------------------ */

/*
 * The response a server sent, as views.  status is 100..999; under a
 * profile whose wire.status_line is an engine's (chromium, gecko,
 * libsoup), 0..65535, since those parsers hand statuses such as 20 or
 * 2000 to script (see corsim-profiles(5)); anything else makes the filter
 * return CORSIM_ERR_BAD_STATUS.  Header
 * values are taken as the network stack stored them (leading and trailing
 * whitespace is ignored where a browser ignores it).  Owns nothing; the
 * bytes must outlive any result that was filled from it.
 */
typedef struct corsim_response {
  int status;
  const char *status_text;
  size_t status_text_len;
  const corsim_header *headers;
  size_t header_count;
} corsim_response;

/* Response type as script sees it (Fetch #concept-response-type). */
typedef enum corsim_response_type {
  CORSIM_TYPE_BASIC = 0,
  CORSIM_TYPE_CORS,
  CORSIM_TYPE_OPAQUE,
  CORSIM_TYPE_OPAQUEREDIRECT,
  CORSIM_TYPE_ERROR /* a network error: fetch() rejects with a TypeError */
} corsim_response_type;

/* "basic", "cors", "opaque", "opaqueredirect", "error"; NULL if unknown.
 * Ownership: static. */
CORSIM_EXTERN const char *corsim_response_type_name(corsim_response_type t);

/*
 * Why the simulated browser turned the response into a network error.
 * CORSIM_BLOCK_MAP(XX) lists each once: XX(NAME, value, "identifier",
 * "spec anchor").  Values are never renumbered; new reasons are appended.
 */
#define CORSIM_BLOCK_MAP(XX)                                                  \
  XX(NONE, 0, "none", "")                                                     \
  XX(SAME_ORIGIN_MODE, 1, "same-origin-mode", "concept-main-fetch")           \
  XX(NO_CORS_REDIRECT_MODE, 2, "no-cors-redirect-mode", "concept-main-fetch") \
  XX(CORS_SCHEME, 3, "cors-scheme-not-http", "concept-main-fetch")            \
  XX(ACAO_MISSING, 4, "acao-missing", "concept-cors-check")                   \
  XX(ACAO_MULTIPLE, 5, "acao-multiple", "concept-cors-check")                 \
  XX(ACAO_WILDCARD_WITH_CREDENTIALS, 6, "acao-wildcard-with-credentials",     \
     "concept-cors-check")                                                    \
  XX(ACAO_MISMATCH, 7, "acao-mismatch", "concept-cors-check")                 \
  XX(ACAC_MISSING, 8, "acac-missing", "concept-cors-check")                   \
  XX(ACAC_NOT_TRUE, 9, "acac-not-true", "concept-cors-check")                 \
  XX(REDIRECT_MODE_ERROR, 10, "redirect-mode-error", "concept-http-fetch")  \
  XX(INVALID_RESPONSE, 11, "invalid-response", "concept-http-network-fetch") \
  XX(PREFLIGHT_STATUS, 12, "preflight-status", "cors-preflight-fetch-0")      \
  XX(PREFLIGHT_ALLOW_METHODS_INVALID, 13, "preflight-allow-methods-invalid",  \
     "cors-preflight-fetch-0")                                                \
  XX(PREFLIGHT_ALLOW_HEADERS_INVALID, 14, "preflight-allow-headers-invalid",  \
     "cors-preflight-fetch-0")                                                \
  XX(PREFLIGHT_METHOD_NOT_ALLOWED, 15, "preflight-method-not-allowed",        \
     "cors-preflight-fetch-0")                                                \
  XX(PREFLIGHT_AUTHORIZATION_NOT_ALLOWED, 16,                                 \
     "preflight-authorization-not-allowed", "cors-preflight-fetch-0")         \
  XX(PREFLIGHT_HEADER_NOT_ALLOWED, 17, "preflight-header-not-allowed",        \
     "cors-preflight-fetch-0")                                                \
  XX(REDIRECT_LOCATION_INVALID, 18, "redirect-location-invalid",              \
     "http-redirect-fetch")                                                   \
  XX(REDIRECT_SCHEME, 19, "redirect-scheme-not-http", "http-redirect-fetch")  \
  XX(REDIRECT_LIMIT, 20, "redirect-limit", "http-redirect-fetch")             \
  XX(REDIRECT_CREDENTIALS, 21, "redirect-credentials", "http-redirect-fetch") \
  XX(PROXY_AUTHENTICATION, 22, "proxy-authentication-required",              \
     "concept-http-network-or-cache-fetch")                                   \
  XX(NO_CORS_METHOD, 23, "no-cors-method", "dom-request")                     \
  XX(CORP, 24, "corp-blocked", "cross-origin-resource-policy-check")

typedef enum corsim_block_reason {
#define CORSIM_XX_(name, value, id, anchor) CORSIM_BLOCK_##name = (value),
  CORSIM_BLOCK_MAP(CORSIM_XX_)
#undef CORSIM_XX_
} corsim_block_reason;

/* The stable identifier, e.g. "acao-missing"; NULL if unknown.
 * Ownership: static. */
CORSIM_EXTERN const char *corsim_block_reason_name(corsim_block_reason r);

/* The Fetch Standard anchor of the step that blocks, e.g.
 * "concept-cors-check" (append to https://fetch.spec.whatwg.org/#);
 * NULL if unknown.  Ownership: static. */
CORSIM_EXTERN const char *corsim_block_reason_anchor(corsim_block_reason r);

/* The state of Access-Control-Expose-Headers after parsing. */
typedef enum corsim_expose_state {
  CORSIM_EXPOSE_NOT_APPLICABLE = 0, /* not a cors response */
  CORSIM_EXPOSE_ABSENT,   /* no ACEH header: only the safelist */
  CORSIM_EXPOSE_LIST,     /* a list of names (perhaps with a literal *) */
  CORSIM_EXPOSE_WILDCARD, /* "*" without credentials: every name */
  CORSIM_EXPOSE_INVALID,  /* parse failure: only the safelist */
  CORSIM_EXPOSE_UNSUPPORTED /* the profile's browser ignores ACEH */
} corsim_expose_state;

/* "not-applicable", "absent", "list", "wildcard", "invalid",
 * "unsupported"; NULL if unknown.  Ownership: static. */
CORSIM_EXTERN const char *corsim_expose_state_name(corsim_expose_state s);

/* Why one header of the internal response was kept or removed. */
typedef enum corsim_decision {
  CORSIM_KEPT_BASIC = 0,     /* basic filter: everything but Set-Cookie */
  CORSIM_KEPT_SAFELISTED,    /* CORS-safelisted response-header name */
  CORSIM_KEPT_EXPOSED,       /* named by Access-Control-Expose-Headers */
  CORSIM_KEPT_WILDCARD,      /* exposed by "Access-Control-Expose-Headers: *" */
  CORSIM_REMOVED_FORBIDDEN,  /* Set-Cookie or Set-Cookie2: never exposed */
  CORSIM_REMOVED_NOT_EXPOSED, /* cors: not safelisted and not exposed */
  CORSIM_REMOVED_OPAQUE,     /* opaque or opaqueredirect: no headers */
  CORSIM_REMOVED_NETWORK_ERROR, /* network error: no headers */
  CORSIM_KEPT_UNFILTERED,    /* the profile's runtime filters nothing */
  CORSIM_KEPT_ENGINE_QUIRK   /* kept by a documented engine quirk */
} corsim_decision;

/* "kept-basic", "kept-safelisted", ...; NULL if unknown.  Static. */
CORSIM_EXTERN const char *corsim_decision_name(corsim_decision d);

/*
 * The outcome of filtering one response.  Reusable: each corsim_filter()
 * call overwrites it.  It grows its storage to the largest response seen
 * and never shrinks, so a reused result reaches a state where filtering
 * allocates nothing; corsim_result_reserve() gets there up front.
 */
typedef struct corsim_result corsim_result;

/*
 * Creates an empty result in *out.  alloc may be NULL.  Returns 0,
 * CORSIM_ERR_INVALID_ARGUMENT or CORSIM_ERR_NOMEM.  Ownership: the caller
 * owns *out and frees it with corsim_result_free().
 */
CORSIM_EXTERN int corsim_result_new(corsim_result **out,
                                    const corsim_allocator *alloc);

/* Frees the result; NULL is a no-op. */
CORSIM_EXTERN void corsim_result_free(corsim_result *res);

/*
 * Reserves room so that filtering any response with at most max_headers
 * headers whose names and values total at most max_bytes bytes performs no
 * allocation.  The result is reset first (to an empty network error with
 * reason NONE): views obtained from it earlier become invalid.  Returns
 * 0, CORSIM_ERR_NOMEM, CORSIM_ERR_TOO_LARGE or
 * CORSIM_ERR_INVALID_ARGUMENT.  Ownership: the memory belongs to the
 * result.
 */
CORSIM_EXTERN int corsim_result_reserve(corsim_result *res, size_t max_headers,
                                        size_t max_bytes);

/*
 * Runs the Fetch Standard's main fetch for one hop, as the profile's
 * browser does: response tainting (basic, cors, opaque), the CORS check
 * (Access-Control-Allow-Origin / -Allow-Credentials), the redirect mode on
 * a 3xx, the CORS-exposed header-name list (Access-Control-Expose-Headers)
 * and the filtered response, then the script view (sort and combine).
 * A blocked response is not an error: the function returns 0 and the
 * result's type is CORSIM_TYPE_ERROR with a reason.  Preflight and
 * redirect following are not modelled by this function.
 *
 * Returns 0; CORSIM_ERR_INVALID_ARGUMENT (a NULL argument, or a NULL
 * pointer with a non-zero length: headers, status_text or a header value);
 * CORSIM_ERR_INCOMPLETE_REQUEST (no URL or origin set);
 * CORSIM_ERR_BAD_STATUS; CORSIM_ERR_BAD_HEADER_NAME (a response header
 * with a NULL or empty name); CORSIM_ERR_TOO_LARGE; CORSIM_ERR_NOMEM (only
 * when the result had to grow).  On error the result is reset to a
 * network error with reason NONE and no profile.  The request's method
 * and header list matter only for preflight, which this function does not
 * run.
 *
 * Performs no heap allocation when the result already has room (see
 * corsim_result_reserve()).  Ownership: the result refers to the
 * request's and the response's bytes (it does not copy them): both must
 * outlive the use of the result's views.
 */
CORSIM_EXTERN int corsim_filter(corsim_result *res,
                                const corsim_profile *profile,
                                const corsim_request *req,
                                const corsim_response *resp);

/* ------------------------------------------------------------------------
 * Preflight (lib/preflight.c)
 * ------------------------------------------------------------------------ */

/*
 * A CORS-preflight cache (Fetch #concept-cache): entries keyed by the
 * request's serialized origin, URL and credentials, each for one method or
 * one header name, that expire max-age seconds after they were stored on
 * the caller's clock.  At most max_entries are kept (0: 4096, the
 * max_cache_entries of corsim_limits_default()); the oldest go first.
 */
typedef struct corsim_cache corsim_cache;

/* Creates an empty cache.  Returns 0, CORSIM_ERR_INVALID_ARGUMENT or
 * CORSIM_ERR_NOMEM.  Ownership: the caller frees it with
 * corsim_cache_free(). */
CORSIM_EXTERN int corsim_cache_new(corsim_cache **out,
                                   const corsim_allocator *alloc,
                                   size_t max_entries);
/* Frees the cache; NULL is a no-op. */
CORSIM_EXTERN void corsim_cache_free(corsim_cache *c);
/* Removes every entry. */
CORSIM_EXTERN void corsim_cache_clear(corsim_cache *c);
/* Number of entries still valid at time now (seconds). */
CORSIM_EXTERN size_t corsim_cache_count(const corsim_cache *c, double now);

/* What happened to the preflight. */
typedef enum corsim_preflight_state {
  CORSIM_PREFLIGHT_NOT_NEEDED = 0, /* the request is not preflighted */
  CORSIM_PREFLIGHT_CACHED,    /* needed, but the cache answered: none sent */
  CORSIM_PREFLIGHT_PASSED,    /* sent; its response allows the request */
  CORSIM_PREFLIGHT_FAILED,    /* sent; it failed: a network error */
  CORSIM_PREFLIGHT_NO_RESPONSE /* needed and not cached, but no preflight
                                  response was given to check */
} corsim_preflight_state;

/* "not-needed", "cached", "passed", "failed", "no-response"; NULL if
 * unknown.  Ownership: static. */
CORSIM_EXTERN const char *
corsim_preflight_state_name(corsim_preflight_state s);

/*
 * Runs the CORS preflight for req, as the profile's browser does
 * (#cors-preflight-fetch-0): decides whether one is needed (consulting
 * cache when not NULL, at time now), and checks the preflight response:
 * the CORS check (with the request's credentials mode), an ok status,
 * Access-Control-Allow-Methods and -Allow-Headers (the wildcard only
 * without credentials; whether it covers Authorization is the profile's
 * acah.wildcard_covers_authorization), then stores the result in the cache
 * for Access-Control-Max-Age seconds (default and cap from the profile).
 * A failure clears the cache's entries for this origin and URL.
 *
 * On CORSIM_PREFLIGHT_FAILED, res holds the network error (its reason,
 * message, and corsim_result_in_preflight() = 1); in every other state res
 * is reset and the caller goes on to filter the actual response.  preflight
 * may be NULL (then a needed, uncached preflight gives
 * CORSIM_PREFLIGHT_NO_RESPONSE).  Returns 0, CORSIM_ERR_INVALID_ARGUMENT,
 * CORSIM_ERR_INCOMPLETE_REQUEST, CORSIM_ERR_BAD_STATUS,
 * CORSIM_ERR_BAD_HEADER_NAME, CORSIM_ERR_TOO_LARGE or CORSIM_ERR_NOMEM; on
 * an error *state says how far it got (the cache may hold some of a passed
 * preflight's entries) and res should not be read.  Ownership: res refers
 * to the preflight response's bytes.
 */
CORSIM_EXTERN int corsim_preflight(corsim_result *res,
                                   const corsim_profile *profile,
                                   const corsim_request *req,
                                   const corsim_response *preflight,
                                   corsim_cache *cache, double now,
                                   corsim_preflight_state *state);

/*
 * A whole fetch: the preflight (corsim_preflight(), when the request needs
 * one; preflight may be NULL), then the responses of a redirect chain in
 * order (hops[0] answers req's URL; each 3xx with a Location under
 * redirect mode "follow" leads to the next).  Every hop gets the response
 * tainting and CORS check of main fetch (once "cors", always "cors"; after
 * a cross-origin redirect the origin the server must allow becomes
 * "null"), and #http-redirect-fetch's rules: a Location that does not
 * parse, a scheme other than http(s), more than 20 redirects (fewer when
 * lowered with corsim_request_set_limits()), credentials
 * in the Location URL of a CORS request: network errors.  The final
 * response is filtered as corsim_filter() does, with response.url the
 * final URL and response.redirected set (never for an opaque result).  A
 * chain that ends on a 3xx whose Location passes the redirect checks
 * leaves corsim_result_redirect_pending() set; responses after a final one
 * are ignored (corsim_result_hop_count() says how many were used).
 * Preflights that later hops would need are counted
 * (corsim_result_later_preflights()) but not simulated.
 *
 * Returns 0 (a blocked fetch is a result), CORSIM_ERR_INVALID_ARGUMENT
 * (hops NULL or hop_count 0 included), CORSIM_ERR_INCOMPLETE_REQUEST,
 * CORSIM_ERR_BAD_STATUS, CORSIM_ERR_BAD_HEADER_NAME, CORSIM_ERR_TOO_LARGE
 * or CORSIM_ERR_NOMEM.  Unlike corsim_filter() it allocates (URLs along
 * the chain).  Ownership: the result refers to the responses' bytes (the
 * final URL is copied into the result).
 */
CORSIM_EXTERN int corsim_fetch(corsim_result *res,
                               const corsim_profile *profile,
                               const corsim_request *req,
                               const corsim_response *preflight,
                               const corsim_response *hops, size_t hop_count,
                               corsim_cache *cache, double now);

typedef struct corsim_head corsim_head;

/*
 * corsim_fetch() on parsed heads (see corsim_head_parse()): a head that
 * the profile's network stack refuses ends the fetch with a network error
 * (CORSIM_BLOCK_INVALID_RESPONSE) when the chain reaches it; so does a
 * refused preflight response.  preflight may be NULL.  At most 64 hops are
 * looked at.  Returns as corsim_fetch(); CORSIM_ERR_INVALID_ARGUMENT also
 * for a head that was never parsed.  Ownership: the result refers to the
 * heads' bytes.
 */
CORSIM_EXTERN int corsim_fetch_heads(corsim_result *res,
                                     const corsim_profile *profile,
                                     const corsim_request *req,
                                     const corsim_head *preflight,
                                     const corsim_head *const *hops,
                                     size_t hop_count, corsim_cache *cache,
                                     double now);

/* ------------------------------------------------------------------------
 * Raw HTTP/1.x response heads (lib/http1.c)
 * ------------------------------------------------------------------------ */

/*
 * A response head parsed from raw bytes (as curl -si or a server log shows
 * it) the way the profile's network stack would: the wire.* behaviours
 * decide what happens to whitespace before a colon, bare CR, obs-fold, NUL
 * and non-ASCII bytes, and the head size limit.  A head the stack would
 * refuse is still parsed (for explanations) but marked rejected;
 * corsim_filter_head() then gives a network error.
 */
/* (corsim_head is declared above, with corsim_fetch_heads().) */

/* Creates an empty head.  Returns 0, CORSIM_ERR_INVALID_ARGUMENT or
 * CORSIM_ERR_NOMEM.  Ownership: the caller frees it with
 * corsim_head_free(). */
CORSIM_EXTERN int corsim_head_new(corsim_head **out,
                                  const corsim_allocator *alloc);
/* Frees the head; NULL is a no-op. */
CORSIM_EXTERN void corsim_head_free(corsim_head *h);

/*
 * Parses the first final response head in data (interim 1xx heads such as
 * "100 Continue" are skipped; leading empty lines are skipped; the head
 * ends at an empty line or at the end of data).  The status line is
 * "HTTP/<version> <3 digits>[ <reason>]" under the spec profile; the
 * profile's wire.status_line may read it as an engine does (then a status
 * outside 100..999 may result, and a line the engine refuses gives a head
 * marked rejected, with status 0).  *consumed (may be NULL)
 * receives the bytes used, up to and including the empty line, so the
 * caller can look for a following head (a redirect chain) after the body.
 * NULL profile means the spec profile.  Returns 0 (the head may still be
 * rejected: see corsim_head_rejected()), CORSIM_ERR_BAD_RESPONSE (no
 * status line, or under wire.status_line chromium a code above 65535,
 * which corsim does not model), CORSIM_ERR_LIMIT (a head over one of the
 * bounds set with corsim_head_set_limits(), the defaults included),
 * CORSIM_ERR_NOMEM or CORSIM_ERR_INVALID_ARGUMENT.
 * Ownership: the bytes are copied into h; earlier views into h become
 * invalid.
 */
CORSIM_EXTERN int corsim_head_parse(corsim_head *h,
                                    const corsim_profile *profile,
                                    const char *data, size_t len,
                                    size_t *consumed);

/*
 * Sets the bounds that corsim_head_parse() applies to h from now on:
 * limits->head_max_headers, head_max_line and head_max_bytes (the other
 * fields are ignored).  Going over one makes corsim_head_parse() stop
 * reading and return CORSIM_ERR_LIMIT: it is the caller's bound, not the
 * browser's.  A profile's own head size limit (wire.max_head_bytes) still
 * applies as the engine does it, by marking the head rejected; whichever
 * of the two is smaller is met first.  NULL restores the defaults.
 * Returns 0 or CORSIM_ERR_INVALID_ARGUMENT (h NULL).  Ownership: the
 * struct is copied.
 */
CORSIM_EXTERN int corsim_head_set_limits(corsim_head *h,
                                         const corsim_limits *limits);

/* The parsed response, as views owned by h (valid until the next parse or
 * free); NULL before a successful parse. */
CORSIM_EXTERN const corsim_response *corsim_head_response(const corsim_head *h);

/*
 * 1 when the profile's network stack refuses the response (then *line, if
 * not NULL, receives the 1-based line of the first problem within the
 * input and *why, if not NULL, a static sentence), else 0.
 */
CORSIM_EXTERN int corsim_head_rejected(const corsim_head *h,
                                       unsigned long *line, const char **why);

/*
 * corsim_filter() on a parsed head; a rejected head becomes a network
 * error with reason CORSIM_BLOCK_INVALID_RESPONSE.  Same returns and
 * ownership as corsim_filter(); the result refers to h's bytes.
 */
CORSIM_EXTERN int corsim_filter_head(corsim_result *res,
                                     const corsim_profile *profile,
                                     const corsim_request *req,
                                     const corsim_head *h);

/* --- reading a result (all return plain values or views that belong to
 * the result, or to the request and response it was filled from, and stay
 * valid until the next corsim_filter() on it or its free) --- */

/* The type script sees; CORSIM_TYPE_ERROR for a network error. */
CORSIM_EXTERN corsim_response_type corsim_result_type(const corsim_result *res);

/* 1 for a network error (fetch() rejects), else 0. */
CORSIM_EXTERN int corsim_result_is_network_error(const corsim_result *res);

/* Why it is a network error; CORSIM_BLOCK_NONE otherwise. */
CORSIM_EXTERN corsim_block_reason
corsim_result_reason(const corsim_result *res);

/* A sentence saying why, naming the headers and values involved, as
 * specific as a browser console's; "" when not blocked.  NUL-terminated.
 * Non-printable bytes from the response appear as \xNN. */
CORSIM_EXTERN const char *corsim_result_message(const corsim_result *res);

/* response.status (0 for opaque, opaqueredirect and network errors). */
CORSIM_EXTERN int corsim_result_status(const corsim_result *res);

/* response.statusText ("" for opaque, opaqueredirect, network error). */
CORSIM_EXTERN corsim_str corsim_result_status_text(const corsim_result *res);

/* response.ok: 1 when status is 200..299. */
CORSIM_EXTERN int corsim_result_ok(const corsim_result *res);

/* response.url: the request URL for basic and cors; "" for opaque and
 * network errors; the URL for opaqueredirect. */
CORSIM_EXTERN corsim_str corsim_result_url(const corsim_result *res);

/* 1 when the response has a redirect status, the redirect mode is
 * "follow" and a Location header is present: a browser would now fetch
 * the next hop (this function does not). */
CORSIM_EXTERN int corsim_result_redirect_pending(const corsim_result *res);

/* The filtered response's header list: the internal list minus what the
 * filter removed, original order, casing and duplicates. */
CORSIM_EXTERN const corsim_header *corsim_result_headers(
    const corsim_result *res, size_t *count);

/* Array.from(response.headers): lowercase names, sorted, values combined
 * with ", ", Set-Cookie entries separate. */
CORSIM_EXTERN const corsim_header *corsim_result_js_headers(
    const corsim_result *res, size_t *count);

/* response.headers.getSetCookie(): the Set-Cookie values of the filtered
 * list, in order (always empty for browser fetch() responses). */
CORSIM_EXTERN const corsim_str *corsim_result_set_cookies(
    const corsim_result *res, size_t *count);

/* The internal response's status and headers (what the server sent). */
CORSIM_EXTERN int corsim_result_internal_status(const corsim_result *res);
CORSIM_EXTERN const corsim_header *corsim_result_internal_headers(
    const corsim_result *res, size_t *count);

/* For internal header i (0-based, < internal count): why it was kept or
 * removed.  Out-of-range i gives CORSIM_REMOVED_NETWORK_ERROR. */
CORSIM_EXTERN corsim_decision corsim_result_decision(const corsim_result *res,
                                                     size_t i);

/* How Access-Control-Expose-Headers was read; for CORSIM_EXPOSE_LIST and
 * CORSIM_EXPOSE_WILDCARD the names as parsed (views into the response, in
 * order, duplicates kept) via names and count; for CORSIM_EXPOSE_INVALID
 * the first offending item as names[0]; otherwise none.  names and count
 * may be NULL. */
CORSIM_EXTERN corsim_expose_state corsim_result_expose_state(
    const corsim_result *res, const corsim_str **names, size_t *count);

/* response.redirected: 1 when corsim_fetch() followed at least one
 * redirect to the final response. */
CORSIM_EXTERN int corsim_result_redirected(const corsim_result *res);

/* How many of the responses given to corsim_fetch() were used (1 for
 * corsim_filter()). */
CORSIM_EXTERN size_t corsim_result_hop_count(const corsim_result *res);

/* How many hops after the first would have needed a preflight of their own
 * (a cross-origin redirect of a non-simple request, after the method
 * rewrite of 301/302/303 and the removal of Authorization where the
 * profile says so).  corsim_fetch() does not simulate those preflights:
 * they are assumed to pass. */
CORSIM_EXTERN size_t corsim_result_later_preflights(const corsim_result *res);

/* What corsim_fetch() did about the preflight. */
CORSIM_EXTERN corsim_preflight_state
corsim_result_preflight_state(const corsim_result *res);

/* 1 when the network error came from the CORS preflight (its CORS check
 * or one of the CORSIM_BLOCK_PREFLIGHT_* rules), else 0. */
CORSIM_EXTERN int corsim_result_in_preflight(const corsim_result *res);

/* The profile the result was filtered under (NULL before the first
 * filter). */
CORSIM_EXTERN const corsim_profile *corsim_result_profile(
    const corsim_result *res);

#ifdef __cplusplus
}
#endif

#endif /* CORSIM_H */
