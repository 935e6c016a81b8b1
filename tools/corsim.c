/*
 * corsim -- what would this browser's JavaScript see of this response?
 *
 * Subcommands: filter, explain, matrix, batch, profiles, validate (see
 * corsim(1)).  Built on the public API only: it links libcorsim like any
 * other program.  JSON via jansson.
 *
 * Exit status: 0 a result (a network error is a result), 1 bad usage or
 * input, 2 an internal error.  Errors go to stderr prefixed "corsim:".
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/types.h>
#include <unistd.h>

#include <jansson.h>

#include <corsim.h>

#define EXIT_RESULT 0
#define EXIT_USAGE 1
#define EXIT_INTERNAL 2
#define MAX_INPUT ((size_t)64 * 1024 * 1024)

/* ------------------------------------------------------------------------
 * Small helpers
 * ------------------------------------------------------------------------ */

#if defined(__GNUC__) || defined(__clang__)
static void err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
#endif
static void err(const char *fmt, ...) {
  va_list ap;
  fputs("corsim: ", stderr);
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fputc('\n', stderr);
}

static int exit_for(int rc) {
  return rc == CORSIM_ERR_NOMEM ? EXIT_INTERNAL : EXIT_USAGE;
}

/* Reads a whole file ("-" or NULL: stdin) into a malloc'd buffer. */
static int read_all(const char *path, char **out, size_t *len) {
  FILE *f = (!path || strcmp(path, "-") == 0) ? stdin : fopen(path, "rb");
  size_t cap = 65536, n = 0;
  char *buf;
  if (!f) {
    err("%s: %s", path, strerror(errno));
    return EXIT_USAGE;
  }
  buf = malloc(cap);
  while (buf) {
    size_t got = fread(buf + n, 1, cap - n, f);
    n += got;
    if (got == 0)
      break;
    if (n == cap) {
      char *nb;
      if (cap >= MAX_INPUT) {
        err("%s: input larger than 64 MiB", path ? path : "stdin");
        free(buf);
        if (f != stdin)
          fclose(f);
        return EXIT_USAGE;
      }
      nb = realloc(buf, cap * 2);
      if (!nb) {
        free(buf);
        buf = NULL;
        break;
      }
      buf = nb;
      cap *= 2;
    }
  }
  if (f != stdin)
    fclose(f);
  if (!buf) {
    err("out of memory");
    return EXIT_INTERNAL;
  }
  *out = buf;
  *len = n;
  return 0;
}

/* Colours, on a terminal only (and never with NO_COLOR set). */
static int use_color;
#define C_RESET (use_color ? "\033[0m" : "")
#define C_GREEN (use_color ? "\033[32m" : "")
#define C_RED (use_color ? "\033[31m" : "")
#define C_DIM (use_color ? "\033[2m" : "")
#define C_BOLD (use_color ? "\033[1m" : "")

/* Bytes inside a JavaScript string literal: quotes and backslashes
 * escaped, other non-printables as \xNN. */
static void put_js(FILE *f, const char *p, size_t n) {
  size_t i;
  for (i = 0; i < n; i++) {
    unsigned char c = (unsigned char)p[i];
    if (c == '"' || c == '\\')
      fprintf(f, "\\%c", c);
    else if (c >= 0x20 && c < 0x7f)
      fputc(c, f);
    else
      fprintf(f, "\\x%02x", c);
  }
}

static void put_bytes(FILE *f, const char *p, size_t n) {
  size_t i;
  for (i = 0; i < n; i++) {
    unsigned char c = (unsigned char)p[i];
    if (c >= 0x20 && c < 0x7f)
      fputc(c, f);
    else
      fprintf(f, "\\x%02x", c);
  }
}

/* Latin-1 bytes -> a JSON string (code points 0-255, NUL included). */
static json_t *jbytes(const char *p, size_t n) {
  char *u = malloc(n * 2 + 1);
  size_t i, o = 0;
  json_t *j;
  if (!u)
    return NULL;
  for (i = 0; i < n; i++) {
    unsigned char c = (unsigned char)p[i];
    if (c < 0x80) {
      u[o++] = (char)c;
    } else {
      u[o++] = (char)(0xc0 | (c >> 6));
      u[o++] = (char)(0x80 | (c & 0x3f));
    }
  }
  j = json_stringn(u, o);
  free(u);
  return j;
}

/* A JSON string (UTF-8) -> latin-1 bytes; -1 if a code point is > 255. */
static int latin1(const char *s, size_t n, char **out, size_t *out_len) {
  char *b = malloc(n + 1);
  size_t i = 0, o = 0;
  if (!b)
    return -2;
  while (i < n) {
    unsigned char c = (unsigned char)s[i];
    if (c < 0x80) {
      b[o++] = (char)c;
      i++;
    } else if ((c == 0xc2 || c == 0xc3) && i + 1 < n) {
      b[o++] = (char)(((c & 0x03) << 6) | ((unsigned char)s[i + 1] & 0x3f));
      i += 2;
    } else {
      free(b);
      return -1;
    }
  }
  *out = b;
  *out_len = o;
  return 0;
}

/* ------------------------------------------------------------------------
 * Options
 * ------------------------------------------------------------------------ */

typedef struct options {
  const char *profile, *profiles_file, *origin, *url, *method, *preflight;
  const char *format, *color, *versions, *input;
  corsim_mode mode;
  corsim_credentials credentials;
  int credentials_set;
  corsim_redirect redirect;
  const char *headers[64];
  int nheaders;
  int help;
} options;

static const char *const common_help =
    "Request options (every subcommand):\n"
    "  --profile NAME        spec, BROWSER or BROWSER/VERSION (default spec)\n"
    "  --profiles FILE       another profile data file (default: built in,\n"
    "                        or $CORSIM_PROFILES)\n"
    "  --origin ORIGIN       origin of the page calling fetch() (or null)\n"
    "  --url URL             the URL fetched\n"
    "  --mode MODE           cors, no-cors, same-origin, navigate (cors)\n"
    "  --credentials MODE    omit, same-origin, include (the browser's\n"
    "                        fetch() default: same-origin)\n"
    "  --redirect MODE       follow, error, manual (follow)\n"
    "  --method M            request method (GET)\n"
    "  -H 'Name: value'      a request header (repeatable)\n"
    "  --preflight FILE      the preflight response head, if one is needed\n"
    "  --format text|json    output format (text)\n"
    "  --color auto|always|never\n";

static int parse_options(int argc, char **argv, int first, options *o) {
  int i, rc;
  memset(o, 0, sizeof *o);
  o->profile = "spec";
  o->format = "text";
  o->color = "auto";
  o->versions = "latest";
  o->method = "GET";
  for (i = first; i < argc; i++) {
    const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
    const char *eq = NULL;
    char name[64];
    if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
      o->help = 1;
      continue;
    }
    if (a[0] != '-' || strcmp(a, "-") == 0) {
      if (o->input) {
        err("only one input file is allowed (got '%s' and '%s')", o->input,
            a);
        return -1;
      }
      o->input = a;
      continue;
    }
    /* --name=value or --name value */
    if (strncmp(a, "--", 2) == 0 && (eq = strchr(a, '=')) != NULL) {
      size_t n = (size_t)(eq - a);
      if (n >= sizeof name)
        n = sizeof name - 1;
      memcpy(name, a, n);
      name[n] = '\0';
      a = name;
      v = eq + 1;
    } else if (strcmp(a, "-H") != 0 && strncmp(a, "--", 2) != 0) {
      err("unknown option '%s' (see --help)", a);
      return -1;
    }
    if (!v) {
      err("option %s needs a value", a);
      return -1;
    }
    if (!eq)
      i++;
    if (strcmp(a, "--profile") == 0)
      o->profile = v;
    else if (strcmp(a, "--profiles") == 0)
      o->profiles_file = v;
    else if (strcmp(a, "--origin") == 0)
      o->origin = v;
    else if (strcmp(a, "--url") == 0)
      o->url = v;
    else if (strcmp(a, "--method") == 0)
      o->method = v;
    else if (strcmp(a, "--preflight") == 0)
      o->preflight = v;
    else if (strcmp(a, "--format") == 0) {
      if (strcmp(v, "text") && strcmp(v, "json")) {
        err("--format must be text or json, not '%s'", v);
        return -1;
      }
      o->format = v;
    } else if (strcmp(a, "--color") == 0) {
      if (strcmp(v, "auto") && strcmp(v, "always") && strcmp(v, "never")) {
        err("--color must be auto, always or never, not '%s'", v);
        return -1;
      }
      o->color = v;
    } else if (strcmp(a, "--versions") == 0) {
      if (strcmp(v, "latest") && strcmp(v, "all")) {
        err("--versions must be latest or all, not '%s'", v);
        return -1;
      }
      o->versions = v;
    } else if (strcmp(a, "--mode") == 0) {
      if ((rc = corsim_mode_from_string(v, strlen(v), &o->mode)) != 0) {
        err("--mode must be cors, no-cors, same-origin or navigate, not '%s'",
            v);
        return -1;
      }
    } else if (strcmp(a, "--credentials") == 0) {
      if ((rc = corsim_credentials_from_string(v, strlen(v),
                                               &o->credentials)) != 0) {
        err("--credentials must be omit, same-origin or include, not '%s'",
            v);
        return -1;
      }
      o->credentials_set = 1;
    } else if (strcmp(a, "--redirect") == 0) {
      if ((rc = corsim_redirect_from_string(v, strlen(v), &o->redirect)) !=
          0) {
        err("--redirect must be follow, error or manual, not '%s'", v);
        return -1;
      }
    } else if (strcmp(a, "-H") == 0 || strcmp(a, "--header") == 0) {
      if (o->nheaders == (int)(sizeof o->headers / sizeof o->headers[0])) {
        err("too many -H options (at most 64)");
        return -1;
      }
      o->headers[o->nheaders++] = v;
    } else {
      err("unknown option '%s' (see --help)", a);
      return -1;
    }
  }
  if (strcmp(o->color, "always") == 0)
    use_color = 1;
  else if (strcmp(o->color, "auto") == 0)
    use_color = isatty(1) && !getenv("NO_COLOR") &&
                strcmp(o->format, "text") == 0;
  return 0;
}

/* ------------------------------------------------------------------------
 * Profiles
 * ------------------------------------------------------------------------ */

static corsim_db *db;

static int open_db(const options *o) {
  corsim_diagnostics *d = NULL;
  int rc;
  size_t i;
  if (db)
    return 0;
  if (corsim_diagnostics_new(&d, NULL)) {
    err("out of memory");
    return EXIT_INTERNAL;
  }
  rc = o->profiles_file ? corsim_db_load_file(&db, o->profiles_file, NULL, d)
                        : corsim_db_load_default(&db, NULL, d);
  if (rc) {
    for (i = 0; i < corsim_diagnostics_count(d); i++) {
      const corsim_diagnostic *e = corsim_diagnostics_get(d, i);
      fprintf(stderr, "%s:%lu:%lu: %s\n", e->file, e->line, e->column,
              e->message);
    }
    err("cannot load the profiles: %s", corsim_strerror(rc));
    corsim_diagnostics_free(d);
    return exit_for(rc);
  }
  corsim_diagnostics_free(d);
  return 0;
}

static int find_profile(const options *o, const char *name,
                        const corsim_profile **p, corsim_lookup *li,
                        char *why, size_t why_len) {
  int rc;
  why[0] = '\0'; /* open_db() reports its own errors */
  if (strcmp(name, "spec") != 0 && (rc = open_db(o)) != 0)
    return rc;
  rc = corsim_db_find(db, name, strlen(name), p, li);
  if (rc) {
    char hint[512];
    corsim_db_suggest(db, name, strlen(name), hint, sizeof hint);
    snprintf(why, why_len, "unknown profile '%s': %s", name, hint);
    return EXIT_USAGE;
  }
  return 0;
}

/* ------------------------------------------------------------------------
 * Building the request
 * ------------------------------------------------------------------------ */

static int build_request(const options *o, corsim_request **out) {
  corsim_request *req = NULL;
  int rc, i;
  if (!o->url) {
    err("--url is required (the URL the page fetches)");
    return EXIT_USAGE;
  }
  if (!o->origin) {
    err("--origin is required (the origin of the page that calls fetch(), "
        "or null)");
    return EXIT_USAGE;
  }
  if ((rc = corsim_request_new(&req, NULL)) != 0) {
    err("%s", corsim_strerror(rc));
    return EXIT_INTERNAL;
  }
  if ((rc = corsim_request_set_url(req, o->url, strlen(o->url))) != 0) {
    err("--url '%s': %s", o->url, corsim_strerror(rc));
    goto fail;
  }
  if ((rc = corsim_request_set_origin(req, o->origin, strlen(o->origin))) !=
      0) {
    err("--origin '%s': %s", o->origin, corsim_strerror(rc));
    goto fail;
  }
  if ((rc = corsim_request_set_method(req, o->method, strlen(o->method))) !=
      0) {
    err("--method '%s': %s", o->method, corsim_strerror(rc));
    goto fail;
  }
  corsim_request_set_mode(req, o->mode);
  corsim_request_set_redirect(req, o->redirect);
  if (o->credentials_set)
    corsim_request_set_credentials(req, o->credentials);
  for (i = 0; i < o->nheaders; i++) {
    const char *h = o->headers[i], *colon = strchr(h, ':');
    if (!colon) {
      err("-H '%s': expected 'Name: value'", h);
      rc = CORSIM_ERR_BAD_HEADER_NAME;
      goto fail;
    }
    rc = corsim_headers_append(corsim_request_headers(req), h,
                               (size_t)(colon - h), colon + 1,
                               strlen(colon + 1), CORSIM_HEADER_NORMALIZE);
    if (rc) {
      err("-H '%s': %s", h, corsim_strerror(rc));
      goto fail;
    }
  }
  *out = req;
  return 0;
fail:
  corsim_request_free(req);
  return exit_for(rc);
}

/* Finds where the next response head starts after `from` (a line that
 * begins with "HTTP/"), or len. */
static size_t next_head_start(const char *d, size_t len, size_t from) {
  size_t i = from;
  while (i < len) {
    if ((i == 0 || d[i - 1] == '\n') && len - i >= 5 &&
        memcmp(d + i, "HTTP/", 5) == 0)
      return i;
    i++;
  }
  return len;
}

#define MAX_HOPS 64

/* One simulated fetch: the parsed heads, the result, and the context. */
typedef struct run {
  corsim_head *heads[MAX_HOPS];
  size_t nheads;
  corsim_head *pre;     /* the preflight's response, if given */
  corsim_head *head;    /* the head of the last hop used */
  corsim_result *res;
  corsim_request *req;
  const corsim_profile *profile;
  int preflight_sent;
  size_t heads_in_input;
} run;

static void run_free(run *r) {
  size_t i;
  for (i = 0; i < r->nheads; i++)
    corsim_head_free(r->heads[i]);
  corsim_head_free(r->pre);
  corsim_result_free(r->res);
  r->nheads = 0;
  r->pre = r->head = NULL;
  r->res = NULL;
}

/* Whether the browser sends a preflight, from the fetch's outcome. */
static int preflight_sent(corsim_preflight_state s) {
  return s == CORSIM_PREFLIGHT_PASSED || s == CORSIM_PREFLIGHT_FAILED ||
         s == CORSIM_PREFLIGHT_NO_RESPONSE;
}

/* Parses every head of the input (a redirect chain, in order) and the
 * preflight's response, then runs the whole fetch. */
static int simulate(const char *data, size_t len, const char *pre_data,
                    size_t pre_len, corsim_request *req,
                    const corsim_profile *p, run *r, char *why,
                    size_t why_len) {
  size_t consumed = 0, at = 0;
  int rc;
  memset(r, 0, sizeof *r);
  r->req = req;
  r->profile = p;
  if ((rc = corsim_result_new(&r->res, NULL)) != 0) {
    snprintf(why, why_len, "%s", corsim_strerror(rc));
    return EXIT_INTERNAL;
  }
  for (;;) {
    if (r->nheads == MAX_HOPS) {
      snprintf(why, why_len, "more than %d response heads", MAX_HOPS);
      return EXIT_USAGE;
    }
    if ((rc = corsim_head_new(&r->heads[r->nheads], NULL)) != 0) {
      snprintf(why, why_len, "%s", corsim_strerror(rc));
      return EXIT_INTERNAL;
    }
    r->nheads++;
    rc = corsim_head_parse(r->heads[r->nheads - 1], p, data + at, len - at,
                           &consumed);
    if (rc) {
      if (r->nheads > 1)
        snprintf(why, why_len, "response head %zu: %s", r->nheads,
                 corsim_strerror(rc));
      else
        snprintf(why, why_len, "%s", corsim_strerror(rc));
      return exit_for(rc);
    }
    at = next_head_start(data, len, at + consumed);
    if (at >= len)
      break;
  }
  r->heads_in_input = r->nheads;
  if (pre_data) {
    if ((rc = corsim_head_new(&r->pre, NULL)) != 0) {
      snprintf(why, why_len, "%s", corsim_strerror(rc));
      return EXIT_INTERNAL;
    }
    rc = corsim_head_parse(r->pre, p, pre_data, pre_len, NULL);
    if (rc) {
      snprintf(why, why_len, "the preflight's response: %s",
               corsim_strerror(rc));
      return exit_for(rc);
    }
  }
  rc = corsim_fetch_heads(r->res, p, req, r->pre,
                          (const corsim_head *const *)r->heads, r->nheads,
                          NULL, 0);
  if (rc) {
    snprintf(why, why_len, "%s", corsim_strerror(rc));
    return exit_for(rc);
  }
  r->head = r->heads[corsim_result_hop_count(r->res)
                         ? corsim_result_hop_count(r->res) - 1
                         : 0];
  r->preflight_sent = preflight_sent(corsim_result_preflight_state(r->res));
  return 0;
}

/* ------------------------------------------------------------------------
 * The filter object (JSON) and its text form
 * ------------------------------------------------------------------------ */

static json_t *filter_json(const run *r) {
  const corsim_result *res = r->res;
  json_t *o = json_object(), *hs = json_array(), *sc = json_array();
  size_t i, n;
  const corsim_header *h;
  const corsim_str *c;
  corsim_str st = corsim_result_status_text(res), url = corsim_result_url(res);
  int error = corsim_result_is_network_error(res);

  json_object_set_new(o, "network_error", json_boolean(error));
  json_object_set_new(
      o, "reason",
      error ? json_string(corsim_block_reason_name(corsim_result_reason(res)))
            : json_null());
  json_object_set_new(o, "message",
                      error ? json_string(corsim_result_message(res))
                            : json_null());
  json_object_set_new(
      o, "type",
      error ? json_null()
            : json_string(corsim_response_type_name(corsim_result_type(res))));
  json_object_set_new(o, "status", json_integer(corsim_result_status(res)));
  json_object_set_new(o, "status_text", jbytes(st.ptr, st.len));
  json_object_set_new(o, "ok", json_boolean(corsim_result_ok(res)));
  json_object_set_new(o, "redirected",
                      json_boolean(corsim_result_redirected(res)));
  json_object_set_new(o, "url", jbytes(url.ptr, url.len));
  h = corsim_result_js_headers(res, &n);
  for (i = 0; i < n; i++) {
    json_t *pair = json_array();
    json_array_append_new(pair, jbytes(h[i].name, h[i].name_len));
    json_array_append_new(pair, jbytes(h[i].value, h[i].value_len));
    json_array_append_new(hs, pair);
  }
  json_object_set_new(o, "headers", hs);
  c = corsim_result_set_cookies(res, &n);
  for (i = 0; i < n; i++)
    json_array_append_new(sc, jbytes(c[i].ptr, c[i].len));
  json_object_set_new(o, "set_cookie", sc);
  json_object_set_new(o, "preflight_sent", json_boolean(r->preflight_sent));
  json_object_set_new(o, "preflight",
                      json_string(corsim_preflight_state_name(
                          corsim_result_preflight_state(res))));
  json_object_set_new(o, "profile",
                      json_string(corsim_profile_name(r->profile)));
  return o;
}

static int print_json(json_t *o) {
  int rc = json_dumpf(o, stdout, JSON_COMPACT | JSON_ENSURE_ASCII);
  fputc('\n', stdout);
  json_decref(o);
  return rc ? EXIT_INTERNAL : 0;
}

static void print_filter_text(const run *r) {
  const corsim_result *res = r->res;
  size_t i, n;
  const corsim_header *h;
  corsim_str st = corsim_result_status_text(res);
  corsim_str u = corsim_request_url(r->req);

  printf("%sfetch(\"", C_BOLD);
  put_bytes(stdout, u.ptr, u.len);
  printf("\")%s, profile %s\n", C_RESET, corsim_profile_name(r->profile));
  {
    corsim_str o = corsim_request_origin(r->req);
    printf("  origin ");
    put_bytes(stdout, o.ptr, o.len);
    printf(", mode %s%s\n", corsim_mode_name(corsim_request_mode(r->req)),
           r->preflight_sent ? ", preceded by a CORS preflight" : "");
  }
  if (corsim_result_is_network_error(res)) {
    printf("%snetwork error%s: fetch() rejects with a TypeError\n", C_RED,
           C_RESET);
    printf("  reason:  %s\n",
           corsim_block_reason_name(corsim_result_reason(res)));
    printf("  message: %s\n", corsim_result_message(res));
    printf("  see:     https://fetch.spec.whatwg.org/#%s\n",
           corsim_block_reason_anchor(corsim_result_reason(res)));
    return;
  }
  printf("type %s%s%s, status %d%s", C_GREEN,
         corsim_response_type_name(corsim_result_type(res)), C_RESET,
         corsim_result_status(res), st.len ? " " : "");
  put_bytes(stdout, st.ptr, st.len);
  printf(", ok %s\n", corsim_result_ok(res) ? "true" : "false");
  h = corsim_result_js_headers(res, &n);
  printf("headers visible to script (%zu):\n", n);
  for (i = 0; i < n; i++) {
    printf("  %s", C_GREEN);
    put_bytes(stdout, h[i].name, h[i].name_len);
    printf("%s: ", C_RESET);
    put_bytes(stdout, h[i].value, h[i].value_len);
    putchar('\n');
  }
  h = corsim_result_internal_headers(res, &n);
  {
    size_t hidden = 0;
    for (i = 0; i < n; i++) {
      corsim_decision d = corsim_result_decision(res, i);
      if (d == CORSIM_REMOVED_FORBIDDEN || d == CORSIM_REMOVED_NOT_EXPOSED ||
          d == CORSIM_REMOVED_OPAQUE) {
        if (!hidden++)
          printf("hidden (run 'corsim explain' for why):%s\n", C_DIM);
        printf("  ");
        put_bytes(stdout, h[i].name, h[i].name_len);
        putchar('\n');
      }
    }
    if (hidden)
      printf("%s", C_RESET);
  }
  if (corsim_result_redirect_pending(res))
    printf("note: a browser would now follow this redirect\n");
}

static void warn_unsupported(const options *o, const run *r) {
  size_t used = corsim_result_hop_count(r->res);
  if (used && used < r->heads_in_input && !corsim_result_is_network_error(r->res))
    err("note: the input holds %zu response heads but the fetch ended at "
        "response %zu; the rest were not used",
        r->heads_in_input, used);
  if (corsim_result_later_preflights(r->res))
    err("note: after the redirects the browser would send %zu more "
        "preflight(s), which are not simulated (assumed to pass)",
        corsim_result_later_preflights(r->res));
  if (corsim_result_preflight_state(r->res) == CORSIM_PREFLIGHT_NO_RESPONSE)
    err("note: the browser sends a CORS preflight first; give its response "
        "with --preflight FILE to check it (filtered as if it passed)");
  else if (o->preflight &&
           corsim_result_preflight_state(r->res) ==
               CORSIM_PREFLIGHT_NOT_NEEDED)
    err("note: this request needs no preflight; --preflight is ignored");
}

/* ------------------------------------------------------------------------
 * explain
 * ------------------------------------------------------------------------ */

static const char *rule_of(corsim_decision d, const char **anchor) {
  switch (d) {
  case CORSIM_KEPT_BASIC:
    *anchor = "concept-filtered-response-basic";
    return "same-origin (basic) response: everything but Set-Cookie is "
           "visible";
  case CORSIM_KEPT_SAFELISTED:
    *anchor = "cors-safelisted-response-header-name";
    return "CORS-safelisted response-header name";
  case CORSIM_KEPT_EXPOSED:
    *anchor = "http-access-control-expose-headers";
    return "listed in Access-Control-Expose-Headers";
  case CORSIM_KEPT_WILDCARD:
    *anchor = "http-access-control-expose-headers";
    return "exposed by 'Access-Control-Expose-Headers: *' (no credentials)";
  case CORSIM_REMOVED_FORBIDDEN:
    *anchor = "forbidden-response-header-name";
    return "forbidden response-header name: never visible to script";
  case CORSIM_REMOVED_NOT_EXPOSED:
    *anchor = "concept-filtered-response-cors";
    return "not CORS-safelisted and not in Access-Control-Expose-Headers";
  case CORSIM_REMOVED_OPAQUE:
    *anchor = "concept-filtered-response-opaque";
    return "opaque response: no header is visible";
  case CORSIM_REMOVED_NETWORK_ERROR:
    *anchor = "concept-network-error";
    return "network error: nothing is visible";
  case CORSIM_KEPT_UNFILTERED:
    *anchor = "concept-main-fetch";
    return "this runtime does not filter responses";
  case CORSIM_KEPT_ENGINE_QUIRK:
    *anchor = "concept-filtered-response-cors";
    return "kept by an engine quirk (see corsim-profiles(5))";
  }
  *anchor = "";
  return "";
}

static int is_kept(corsim_decision d) {
  return d == CORSIM_KEPT_BASIC || d == CORSIM_KEPT_SAFELISTED ||
         d == CORSIM_KEPT_EXPOSED || d == CORSIM_KEPT_WILDCARD ||
         d == CORSIM_KEPT_UNFILTERED || d == CORSIM_KEPT_ENGINE_QUIRK;
}

/* The advice for a removed header. */
static void fix_for(const run *r, corsim_decision d, const corsim_header *h,
                    char *buf, size_t len) {
  buf[0] = '\0';
  if (d == CORSIM_REMOVED_NOT_EXPOSED) {
    const corsim_str *names;
    size_t n;
    corsim_expose_state es =
        corsim_result_expose_state(r->res, &names, &n);
    if (es == CORSIM_EXPOSE_INVALID)
      snprintf(buf, len, "fix the Access-Control-Expose-Headers list (it "
                         "failed to parse), then list '%.*s' in it",
               (int)h->name_len, h->name);
    else if (es == CORSIM_EXPOSE_UNSUPPORTED)
      snprintf(buf, len, "this browser ignores Access-Control-Expose-Headers: "
                         "it cannot be exposed");
    else
      snprintf(buf, len, "add '%.*s' to Access-Control-Expose-Headers",
               (int)h->name_len, h->name);
  } else if (d == CORSIM_REMOVED_OPAQUE &&
             corsim_result_type(r->res) == CORSIM_TYPE_OPAQUEREDIRECT) {
    snprintf(buf, len, "it cannot be: script never sees a redirect's "
                       "headers; use redirect mode 'follow' to read the "
                       "final response");
  } else if (d == CORSIM_REMOVED_OPAQUE) {
    snprintf(buf, len, "fetch with mode 'cors' and answer with "
                       "Access-Control-Allow-Origin");
  }
}

static int cmd_explain_text(const run *r) {
  const corsim_result *res = r->res;
  const corsim_header *h;
  size_t i, n;
  corsim_str url = corsim_request_url(r->req),
             origin = corsim_request_origin(r->req);
  int same = corsim_request_is_same_origin(r->req);
  corsim_mode mode = corsim_request_mode(r->req);
  corsim_credentials cred = corsim_request_credentials(r->req);
  const corsim_str *names;
  size_t nnames;
  corsim_expose_state es;
  int step = 1, cors_check_failed = 0;
  unsigned long line;
  const char *why;
  long enforced = 1;

  corsim_profile_behaviour(r->profile, "cors.enforced", 13, NULL, &enforced);

  printf("%sRequest%s  %.*s ", C_BOLD, C_RESET,
         (int)corsim_request_method(r->req).len,
         corsim_request_method(r->req).ptr);
  put_bytes(stdout, url.ptr, url.len);
  printf("\n  from origin ");
  put_bytes(stdout, origin.ptr, origin.len);
  printf(", mode %s, credentials %s, profile %s\n", corsim_mode_name(mode),
         corsim_credentials_name(cred), corsim_profile_name(r->profile));
  h = corsim_result_internal_headers(res, &n);
  if (corsim_result_in_preflight(res))
    printf("%sPreflight response%s %d with %zu header%s\n\n", C_BOLD,
           C_RESET, corsim_result_internal_status(res), n,
           n == 1 ? "" : "s");
  else
    printf("%sResponse%s %d with %zu header%s%s\n\n", C_BOLD, C_RESET,
           corsim_result_internal_status(res), n, n == 1 ? "" : "s",
           r->nheads > 1 ? " (the last one used)" : "");

  if (corsim_head_rejected(r->head, &line, &why)) {
    printf("%d. The network stack refuses the response: %s (line %lu).\n"
           "   [https://fetch.spec.whatwg.org/#concept-http-network-fetch]\n"
           "   fetch() rejects with a TypeError; no CORS step runs.\n",
           step++, why, line);
    return 0;
  }

  /* 1. tainting */
  printf("%d. Response tainting [#concept-main-fetch]\n   ", step++);
  if (same)
    printf("the URL is same origin with the page: a basic response.\n");
  else if (mode == CORSIM_MODE_NAVIGATE)
    printf("a navigation: a basic response.\n");
  else if (mode == CORSIM_MODE_SAME_ORIGIN)
    printf("mode 'same-origin' but the URL is cross-origin: network "
           "error.\n");
  else if (mode == CORSIM_MODE_NO_CORS)
    printf("mode 'no-cors' across origins: an opaque response (status 0, no "
           "headers).\n");
  else
    printf("mode 'cors' across origins: a CORS response; the server must "
           "opt in.\n");
  if (r->preflight_sent) {
    corsim_preflight_state ps = corsim_result_preflight_state(res);
    char acrh[512];
    size_t acrh_len = 0;
    printf("%d. CORS preflight [#cors-preflight-fetch-0]\n", step++);
    printf("   The method or request headers are not CORS-safelisted, so the "
           "browser first sends OPTIONS with\n   Access-Control-Request-"
           "Method: %.*s",
           (int)corsim_request_method(r->req).len,
           corsim_request_method(r->req).ptr);
    if (corsim_request_unsafe_headers(r->req, acrh, sizeof acrh - 1,
                                      &acrh_len) == 0 &&
        acrh_len)
      printf(" and Access-Control-Request-Headers: %.*s", (int)acrh_len,
             acrh);
    printf("\n");
    if (ps == CORSIM_PREFLIGHT_NO_RESPONSE)
      printf("   (no preflight response given: pass --preflight FILE to "
             "check it; assumed to pass)\n");
    else if (ps == CORSIM_PREFLIGHT_PASSED)
      printf("   The preflight response allows the request: %spasses%s.\n",
             C_GREEN, C_RESET);
    else if (ps == CORSIM_PREFLIGHT_FAILED)
      printf("   %sfails%s: %s\n", C_RED, C_RESET, corsim_result_message(res));
  }
  if (r->nheads > 1 || corsim_result_redirected(res)) {
    size_t k, used = corsim_result_hop_count(res);
    printf("%d. Redirects [#http-redirect-fetch]\n", step++);
    for (k = 0; k < r->nheads && k < used; k++) {
      const corsim_response *hr = corsim_head_response(r->heads[k]);
      size_t q;
      printf("   response %zu: %d", k + 1, hr->status);
      for (q = 0; q < hr->header_count; q++)
        if (hr->headers[q].name_len == 8 &&
            strncasecmp(hr->headers[q].name, "location", 8) == 0) {
          printf(" -> Location: ");
          put_bytes(stdout, hr->headers[q].value, hr->headers[q].value_len);
        }
      printf("\n");
    }
    printf("   Each hop of a CORS request passes the CORS check; after a "
           "redirect to another origin\n   (from a URL that was already "
           "cross-origin) the browser sends Origin: null, and the\n   server "
           "must then allow 'null'.\n");
    if (corsim_result_redirected(res)) {
      corsim_str fu = corsim_result_url(res);
      printf("   response.redirected is true; response.url is ");
      put_bytes(stdout, fu.ptr, fu.len);
      printf("\n");
    }
  }

  if (corsim_result_in_preflight(res)) {
    printf("%d. Result: %snetwork error%s (%s) [#%s]\n   fetch() rejects "
           "with a TypeError; the request itself is never sent.\n",
           step, C_RED, C_RESET,
           corsim_block_reason_name(corsim_result_reason(res)),
           corsim_block_reason_anchor(corsim_result_reason(res)));
    return 0;
  }

  /* 2. the CORS check */
  if (!same && mode == CORSIM_MODE_CORS && !enforced) {
    printf("%d. CORS check [#concept-cors-check]\n   this runtime does not "
           "enforce CORS (cors.enforced): no check is made.\n",
           step++);
  } else if (!same && mode == CORSIM_MODE_CORS) {
    size_t k, acao = 0, acac = 0;
    printf("%d. CORS check [#concept-cors-check]\n", step++);
    for (k = 0; k < n; k++) {
      if (strncasecmp(h[k].name, "access-control-allow-origin", 27) == 0 &&
          h[k].name_len == 27) {
        printf("   Access-Control-Allow-Origin: ");
        put_bytes(stdout, h[k].value, h[k].value_len);
        putchar('\n');
        acao++;
      }
      if (strncasecmp(h[k].name, "access-control-allow-credentials", 32) ==
              0 &&
          h[k].name_len == 32) {
        printf("   Access-Control-Allow-Credentials: ");
        put_bytes(stdout, h[k].value, h[k].value_len);
        putchar('\n');
        acac++;
      }
    }
    if (!acao)
      printf("   (no Access-Control-Allow-Origin header)\n");
    if (cred != CORSIM_CREDENTIALS_INCLUDE)
      printf("   credentials mode is not 'include': '*' is allowed and "
             "Access-Control-Allow-Credentials is not needed.\n");
    else
      printf("   credentials mode is 'include': the exact origin and "
             "'Access-Control-Allow-Credentials: true' are required.\n");
    if (corsim_result_is_network_error(res) &&
        strcmp(corsim_block_reason_anchor(corsim_result_reason(res)),
               "concept-cors-check") == 0) {
      printf("   %sfails%s: %s\n", C_RED, C_RESET, corsim_result_message(res));
      cors_check_failed = 1;
    } else if (!corsim_result_is_network_error(res) ||
               corsim_result_reason(res) == CORSIM_BLOCK_REDIRECT_MODE_ERROR)
      printf("   %spasses%s.\n", C_GREEN, C_RESET);
  }
  if (corsim_result_is_network_error(res)) {
    printf("%d. Result: %snetwork error%s (%s) [#%s]\n   fetch() rejects "
           "with a TypeError; script sees no status and no headers.\n",
           step, C_RED, C_RESET,
           corsim_block_reason_name(corsim_result_reason(res)),
           corsim_block_reason_anchor(corsim_result_reason(res)));
    if (!cors_check_failed)
      printf("   %s\n", corsim_result_message(res));
    if (corsim_result_reason(res) != CORSIM_BLOCK_SAME_ORIGIN_MODE &&
        corsim_result_reason(res) != CORSIM_BLOCK_CORS_SCHEME &&
        corsim_result_reason(res) != CORSIM_BLOCK_REDIRECT_MODE_ERROR)
      printf("   To fix it on the server: %s\n",
             corsim_result_reason(res) == CORSIM_BLOCK_ACAO_MISSING
                 ? "send Access-Control-Allow-Origin with the page's origin "
                   "(or '*' without credentials)."
             : corsim_result_reason(res) == CORSIM_BLOCK_ACAO_MULTIPLE
                 ? "send exactly one Access-Control-Allow-Origin value (check "
                   "proxies that add a second)."
             : corsim_result_reason(res) ==
                     CORSIM_BLOCK_ACAO_WILDCARD_WITH_CREDENTIALS
                 ? "echo the request's Origin instead of '*', with "
                   "Access-Control-Allow-Credentials: true and Vary: Origin."
             : corsim_result_reason(res) == CORSIM_BLOCK_ACAO_MISMATCH
                 ? "send the origin exactly as the browser sends it in the "
                   "Origin header."
             : corsim_result_reason(res) == CORSIM_BLOCK_ACAC_MISSING ||
                     corsim_result_reason(res) == CORSIM_BLOCK_ACAC_NOT_TRUE
                 ? "send 'Access-Control-Allow-Credentials: true' (lowercase, "
                   "once)."
                 : "see the message above.");
    return 0;
  }

  /* 3. Access-Control-Expose-Headers */
  es = corsim_result_expose_state(res, &names, &nnames);
  if (es != CORSIM_EXPOSE_NOT_APPLICABLE) {
    printf("%d. Access-Control-Expose-Headers "
           "[#http-access-control-expose-headers]\n   ",
           step++);
    switch (es) {
    case CORSIM_EXPOSE_ABSENT:
      printf("absent: only the CORS-safelisted names are visible.\n");
      break;
    case CORSIM_EXPOSE_LIST:
      printf("a list of %zu name%s:", nnames, nnames == 1 ? "" : "s");
      for (i = 0; i < nnames; i++) {
        printf(" ");
        put_bytes(stdout, names[i].ptr, names[i].len);
      }
      printf("\n");
      for (i = 0; i < nnames; i++)
        if (names[i].len == 1 && names[i].ptr[0] == '*')
          printf("   '*' is ignored as a wildcard because credentials are "
                 "included (it names a header called '*').\n");
      break;
    case CORSIM_EXPOSE_WILDCARD:
      printf("'*' without credentials: every header name is exposed "
             "(Set-Cookie never).\n");
      break;
    case CORSIM_EXPOSE_INVALID:
      printf("failed to parse: the element '");
      if (nnames)
        put_bytes(stdout, names[0].ptr, names[0].len);
      printf("' is not a header name (an HTTP token), so the whole list is "
             "ignored.\n");
      break;
    case CORSIM_EXPOSE_UNSUPPORTED:
      printf("this browser does not support it: only the safelisted names "
             "are visible.\n");
      break;
    default:
      break;
    }
  }

  /* 4. each header */
  printf("%d. Each response header [#concept-filtered-response]\n", step++);
  for (i = 0; i < n; i++) {
    corsim_decision d = corsim_result_decision(res, i);
    const char *anchor, *rule = rule_of(d, &anchor);
    char fix[256];
    long cl = 1;
    corsim_profile_behaviour(r->profile, "safelist.content_length", 23, NULL,
                             &cl);
    if (d == CORSIM_REMOVED_NOT_EXPOSED && !cl && h[i].name_len == 14 &&
        strncasecmp(h[i].name, "content-length", 14) == 0)
      rule = "Content-Length is not CORS-safelisted in this browser version "
             "(safelist.content_length; the Fetch Standard added it in "
             "2018), and it is not in Access-Control-Expose-Headers";
    printf("   %s%-7s%s ", is_kept(d) ? C_GREEN : C_RED,
           is_kept(d) ? "kept" : "removed", C_RESET);
    put_bytes(stdout, h[i].name, h[i].name_len);
    printf(": %s [#%s]\n", rule, anchor);
    fix_for(r, d, &h[i], fix, sizeof fix);
    if (fix[0])
      printf("           to expose it: %s\n", fix);
  }
  if (corsim_result_type(res) == CORSIM_TYPE_OPAQUEREDIRECT)
    printf("   (redirect mode 'manual': an opaque-redirect response, status "
           "0, no headers)\n");

  /* 5. script view */
  h = corsim_result_js_headers(res, &n);
  printf("%d. What script sees: response.type \"%s\", status %d\n"
         "   Array.from(response.headers) = [",
         step, corsim_response_type_name(corsim_result_type(res)),
         corsim_result_status(res));
  for (i = 0; i < n; i++) {
    printf("%s[\"", i ? ", " : "");
    put_js(stdout, h[i].name, h[i].name_len);
    printf("\", \"");
    put_js(stdout, h[i].value, h[i].value_len);
    printf("\"]");
  }
  printf("]\n");
  return 0;
}

static json_t *explain_json(const run *r) {
  json_t *o = filter_json(r), *arr = json_array(), *ex = json_object();
  const corsim_header *h;
  size_t i, n, nn;
  const corsim_str *names;
  corsim_expose_state es = corsim_result_expose_state(r->res, &names, &nn);
  unsigned long line;
  const char *why;
  h = corsim_result_internal_headers(r->res, &n);
  for (i = 0; i < n; i++) {
    corsim_decision d = corsim_result_decision(r->res, i);
    const char *anchor, *rule = rule_of(d, &anchor);
    char fix[256];
    json_t *e = json_object();
    json_object_set_new(e, "name", jbytes(h[i].name, h[i].name_len));
    json_object_set_new(e, "value", jbytes(h[i].value, h[i].value_len));
    json_object_set_new(e, "decision", json_string(corsim_decision_name(d)));
    json_object_set_new(e, "rule", json_string(rule));
    json_object_set_new(e, "anchor", json_string(anchor));
    fix_for(r, d, &h[i], fix, sizeof fix);
    json_object_set_new(e, "fix", fix[0] ? json_string(fix) : json_null());
    json_array_append_new(arr, e);
  }
  json_object_set_new(o, "decisions", arr);
  json_object_set_new(ex, "state", json_string(corsim_expose_state_name(es)));
  arr = json_array();
  for (i = 0; i < nn; i++)
    json_array_append_new(arr, jbytes(names[i].ptr, names[i].len));
  json_object_set_new(ex, "names", arr);
  json_object_set_new(o, "expose_headers", ex);
  if (corsim_head_rejected(r->head, &line, &why)) {
    json_t *w = json_object();
    json_object_set_new(w, "line", json_integer((json_int_t)line));
    json_object_set_new(w, "problem", json_string(why));
    json_object_set_new(o, "wire", w);
  }
  return o;
}

/* ------------------------------------------------------------------------
 * filter / explain commands
 * ------------------------------------------------------------------------ */

static int cmd_filter_or_explain(const options *o, int explain) {
  char *data = NULL, *pre = NULL, why[768];
  size_t len = 0, pre_len = 0;
  corsim_request *req = NULL;
  const corsim_profile *p;
  corsim_lookup li;
  run r;
  int rc;

  if ((rc = find_profile(o, o->profile, &p, &li, why, sizeof why)) != 0) {
    if (rc == EXIT_USAGE && why[0])
      err("%s", why);
    return rc;
  }
  if ((rc = build_request(o, &req)) != 0)
    return rc;
  if (!o->credentials_set) {
    /* fetch()'s default in this browser, so that explain names it */
    corsim_str t;
    corsim_credentials c;
    if (corsim_profile_behaviour(p, "fetch.default_credentials", 25, &t,
                                 NULL) == 0 &&
        corsim_credentials_from_string(t.ptr, t.len, &c) == 0)
      corsim_request_set_credentials(req, c);
  }
  if ((rc = read_all(o->input, &data, &len)) != 0) {
    corsim_request_free(req);
    return rc;
  }
  if (o->preflight && (rc = read_all(o->preflight, &pre, &pre_len)) != 0) {
    corsim_request_free(req);
    free(data);
    return rc;
  }
  rc = simulate(data, len, pre, pre_len, req, p, &r, why, sizeof why);
  if (rc) {
    err("%s: %s", o->input ? o->input : "stdin", why);
  } else {
    if (!li.exact)
      err("note: no release %s; using the nearest earlier one, %s",
          o->profile, corsim_profile_name(p));
    warn_unsupported(o, &r);
    if (strcmp(o->format, "json") == 0)
      rc = print_json(explain ? explain_json(&r) : filter_json(&r));
    else if (explain)
      rc = cmd_explain_text(&r);
    else
      print_filter_text(&r);
  }
  run_free(&r);
  corsim_request_free(req);
  free(data);
  free(pre);
  return rc;
}

/* ------------------------------------------------------------------------
 * matrix
 * ------------------------------------------------------------------------ */

typedef struct row {
  const corsim_profile *p;
  int error;
  const char *reason;
  unsigned char *visible; /* per column */
} row;

static int cmd_matrix(const options *o) {
  char *data = NULL, *pre = NULL, why[768];
  size_t len = 0, pre_len = 0, nb, i, j, k, ncol = 0, nrows = 0, cap = 0;
  size_t last_start = 0, at;
  run one;
  corsim_result *res_row = NULL;
  corsim_request *req = NULL;
  corsim_head *head = NULL;
  corsim_result *res = NULL;
  const corsim_response *resp;
  char **cols = NULL;
  row *rows = NULL;
  int rc;

  memset(&one, 0, sizeof one);
  if ((rc = open_db(o)) != 0)
    return rc;
  if ((rc = build_request(o, &req)) != 0)
    return rc;
  if ((rc = read_all(o->input, &data, &len)) != 0)
    goto out;
  if (o->preflight && (rc = read_all(o->preflight, &pre, &pre_len)) != 0)
    goto out;
  if (corsim_head_new(&head, NULL) || corsim_result_new(&res, NULL)) {
    rc = EXIT_INTERNAL;
    goto out;
  }
  /* columns: the header names of the last response in the input (the
   * final hop of a chain), lowercased, unique, in order */
  for (at = next_head_start(data, len, 0); at < len;
       at = next_head_start(data, len, at + 1))
    last_start = at;
  rc = corsim_head_parse(head, NULL, data + last_start, len - last_start,
                         NULL);
  if (rc) {
    err("%s: %s", o->input ? o->input : "stdin", corsim_strerror(rc));
    rc = exit_for(rc);
    goto out;
  }
  resp = corsim_head_response(head);
  cols = calloc(resp->header_count + 1, sizeof *cols);
  for (i = 0; cols && i < resp->header_count; i++) {
    char *lname = malloc(resp->headers[i].name_len + 1);
    int dup = 0;
    if (!lname)
      break;
    for (k = 0; k < resp->headers[i].name_len; k++) {
      char c = resp->headers[i].name[k];
      lname[k] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
    }
    lname[k] = '\0';
    for (j = 0; j < ncol; j++)
      dup |= strcmp(cols[j], lname) == 0;
    if (dup)
      free(lname);
    else
      cols[ncol++] = lname;
  }

  nb = corsim_db_browser_count(db);
  for (i = 0; i <= nb; i++) {
    corsim_browser_info bi;
    size_t first = 0, last = 0;
    const char *prev_sig = NULL;
    char *sig_buf = NULL;
    if (i == nb) { /* the spec comes last */
      first = last = 0;
    } else {
      corsim_db_browser(db, i, &bi);
      if (strcmp(o->versions, "all") == 0) {
        first = 0;
        last = bi.release_count - 1;
      } else {
        for (j = 0; j < bi.release_count; j++) {
          corsim_release_info ri;
          corsim_db_release(db, i, j, &ri);
          if (strcmp(ri.version, bi.current) == 0)
            first = last = j;
        }
      }
    }
    for (j = first; j <= last; j++) {
      const corsim_profile *p;
      row *rw;
      char *sig;
      if (i == nb) {
        p = corsim_profile_spec();
      } else {
        corsim_release_info ri;
        corsim_db_release(db, i, j, &ri);
        p = ri.profile;
      }
      {
        /* the outcome of this profile; res's views point into one's
         * heads, so one lives until this row is done */
        int src = simulate(data, len, pre, pre_len, req, p, &one, why,
                           sizeof why);
        if (src) {
          run_free(&one);
          err("%s: %s", corsim_profile_name(p), why);
          rc = src;
          free(sig_buf);
          goto out;
        }
        res_row = one.res;
      }
      sig = malloc(ncol + 64);
      if (!sig) {
        rc = EXIT_INTERNAL;
        goto out;
      }
      if (nrows == cap) {
        row *nr = realloc(rows, (cap = cap ? cap * 2 : 64) * sizeof *rows);
        if (!nr) {
          free(sig);
          rc = EXIT_INTERNAL;
          goto out;
        }
        rows = nr;
      }
      rw = &rows[nrows];
      rw->p = p;
      rw->error = corsim_result_is_network_error(res_row);
      rw->reason = corsim_block_reason_name(corsim_result_reason(res_row));
      rw->visible = calloc(ncol + 1, 1);
      if (!rw->visible) {
        free(sig);
        rc = EXIT_INTERNAL;
        goto out;
      }
      {
        size_t n;
        const corsim_header *h = corsim_result_js_headers(res_row, &n);
        for (k = 0; k < n; k++)
          for (size_t c = 0; c < ncol; c++)
            if (h[k].name_len == strlen(cols[c]) &&
                memcmp(h[k].name, cols[c], h[k].name_len) == 0)
              rw->visible[c] = 1;
      }
      {
        int w = snprintf(sig, 64, "%d:%s:", rw->error,
                         rw->error ? rw->reason : "");
        size_t pos = w > 0 && w < 64 ? (size_t)w : 0;
        for (k = 0; k < ncol; k++)
          sig[pos++] = rw->visible[k] ? '1' : '0';
        sig[pos] = '\0';
      }
      run_free(&one);
      if (prev_sig && strcmp(prev_sig, sig) == 0) {
        free(rw->visible); /* unchanged from the previous release */
        free(sig);
        continue;
      }
      free(sig_buf);
      sig_buf = sig;
      prev_sig = sig;
      nrows++;
    }
    free(sig_buf);
  }

  if (strcmp(o->format, "json") == 0) {
    json_t *arr = json_array();
    for (i = 0; i < nrows; i++) {
      json_t *e = json_object(), *vis = json_array();
      json_object_set_new(e, "profile",
                          json_string(corsim_profile_name(rows[i].p)));
      json_object_set_new(e, "network_error", json_boolean(rows[i].error));
      json_object_set_new(e, "reason", rows[i].error
                                           ? json_string(rows[i].reason)
                                           : json_null());
      for (k = 0; k < ncol; k++)
        if (rows[i].visible[k])
          json_array_append_new(vis, json_string(cols[k]));
      json_object_set_new(e, "visible", vis);
      json_array_append_new(arr, e);
    }
    rc = print_json(arr);
  } else {
    printf("%-28s", "profile");
    for (k = 0; k < ncol; k++)
      printf(" %s", cols[k]);
    printf("\n");
    for (i = 0; i < nrows; i++) {
      printf("%-28s", corsim_profile_name(rows[i].p));
      if (rows[i].error) {
        printf(" %sNETWORK ERROR (%s)%s\n", C_RED, rows[i].reason, C_RESET);
        continue;
      }
      for (k = 0; k < ncol; k++) {
        size_t w = strlen(cols[k]);
        const char *mark = rows[i].visible[k] ? "yes" : "-";
        printf(" %s%-*s%s", rows[i].visible[k] ? C_GREEN : C_DIM,
               k + 1 < ncol ? (int)w : 0, mark, C_RESET);
      }
      printf("\n");
    }
    printf("(yes: visible to script; -: hidden%s)\n",
           strcmp(o->versions, "all") == 0
               ? "; only releases where the outcome changes are listed"
               : "; current release of each browser, then the spec");
    rc = 0;
  }
out:
  for (i = 0; i < nrows; i++)
    free(rows[i].visible);
  free(rows);
  for (i = 0; cols && i < ncol; i++)
    free(cols[i]);
  free(cols);
  run_free(&one);
  corsim_head_free(head);
  corsim_result_free(res);
  corsim_request_free(req);
  free(data);
  free(pre);
  (void)why;
  return rc;
}

/* ------------------------------------------------------------------------
 * batch
 * ------------------------------------------------------------------------ */

/* The bytes of one batch response object ({"raw": ...} or structured);
 * NULL on success, else why it is malformed. */
static const char *response_bytes(json_t *first, char **raw, size_t *raw_len,
                                  const char *what) {
  int rc;
  (void)what;
  *raw = NULL;
  *raw_len = 0;
  if (!json_is_object(first))
    return "each response must be an object";
  if (json_object_get(first, "raw")) {
    json_t *jr = json_object_get(first, "raw");
    if (!json_is_string(jr)) {
      return "response.raw must be a string";
    }
    rc = latin1(json_string_value(jr), json_string_length(jr), raw,
                raw_len);
    if (rc)
      return rc == -1 ? "response.raw must hold code points 0-255 only"
                      : "out of memory";
  } else {
    /* structured: build a raw head so the same path is used */
    json_t *st = json_object_get(first, "status"),
           *tx = json_object_get(first, "status_text"),
           *hs = json_object_get(first, "headers"), *pair;
    size_t idx;
    char *buf = NULL;
    size_t blen = 0;
    FILE *m;
    if (!json_is_integer(st) || json_integer_value(st) < 100 ||
        json_integer_value(st) > 999) {
      return "response.status must be an integer from 100 to 999";
    }
    if ((tx && !json_is_string(tx)) || (hs && !json_is_array(hs))) {
      return "response.status_text must be a string and response.headers an "
            "array";
    }
    m = open_memstream(&buf, &blen);
    if (!m) {
      return "out of memory";
    }
    fprintf(m, "HTTP/1.1 %d %s\r\n", (int)json_integer_value(st),
            tx ? json_string_value(tx) : "");
    json_array_foreach(hs, idx, pair) {
      json_t *nm = json_array_get(pair, 0), *vl = json_array_get(pair, 1);
      if (!json_is_array(pair) || json_array_size(pair) != 2 ||
          !json_is_string(nm) || !json_is_string(vl) ||
          memchr(json_string_value(vl), '\n', json_string_length(vl))) {
        fclose(m);
        free(buf);
        return "response.headers must be [name, value] pairs without newlines";
      }
      fwrite(json_string_value(nm), 1, json_string_length(nm), m);
      fputs(": ", m);
      fwrite(json_string_value(vl), 1, json_string_length(vl), m);
      fputs("\r\n", m);
    }
    fputs("\r\n", m);
    fclose(m);
    rc = latin1(buf, blen, raw, raw_len);
    free(buf);
    if (rc)
      return "response strings must hold code points 0-255 only";
  }
  return NULL;
}

/* Processes one JSON line; returns the output object (never NULL unless
 * out of memory). */
static json_t *batch_line(const options *o, const char *line, size_t len,
                          corsim_head *head, corsim_result *res) {
  json_error_t jerr;
  json_t *in = json_loadb(line, len, JSON_ALLOW_NUL | JSON_REJECT_DUPLICATES,
                          &jerr);
  json_t *out = NULL, *id = NULL, *jreq, *resps;
  const char *why = NULL, *pname = "spec";
  char whybuf[768];
  corsim_request *req = NULL;
  const corsim_profile *p = NULL;
  corsim_lookup li;
  char *raw = NULL;
  size_t raw_len = 0, nheads = 0, hk;
  corsim_head *heads[64], *pre = NULL;
  int rc;
  run r;
  (void)head;

  if (!in) {
    snprintf(whybuf, sizeof whybuf, "invalid JSON at column %d: %s",
             jerr.column, jerr.text);
    why = whybuf;
    goto fail;
  }
  if (!json_is_object(in)) {
    why = "each line must be a JSON object";
    goto fail;
  }
  id = json_object_get(in, "id");
  if (json_object_get(in, "profile")) {
    if (!json_is_string(json_object_get(in, "profile"))) {
      why = "\"profile\" must be a string";
      goto fail;
    }
    pname = json_string_value(json_object_get(in, "profile"));
  } else if (o->profile) {
    pname = o->profile;
  }
  if (find_profile(o, pname, &p, &li, whybuf, sizeof whybuf) != 0) {
    why = whybuf;
    goto fail;
  }
  jreq = json_object_get(in, "request");
  if (!json_is_object(jreq)) {
    why = "\"request\" must be an object";
    goto fail;
  }
  if (corsim_request_new(&req, NULL)) {
    why = "out of memory";
    goto fail;
  }
  {
    static const char *const keys[] = {"url", "origin", "mode", "credentials",
                                       "method", "redirect"};
    size_t k;
    for (k = 0; k < sizeof keys / sizeof keys[0]; k++) {
      json_t *v = json_object_get(jreq, keys[k]);
      const char *s;
      size_t n;
      if (!v)
        continue;
      if (!json_is_string(v)) {
        snprintf(whybuf, sizeof whybuf, "request.%s must be a string",
                 keys[k]);
        why = whybuf;
        goto fail;
      }
      s = json_string_value(v);
      n = json_string_length(v);
      if (k == 0)
        rc = corsim_request_set_url(req, s, n);
      else if (k == 1)
        rc = corsim_request_set_origin(req, s, n);
      else if (k == 2) {
        corsim_mode m;
        rc = corsim_mode_from_string(s, n, &m);
        if (!rc)
          rc = corsim_request_set_mode(req, m);
      } else if (k == 3) {
        corsim_credentials c;
        rc = corsim_credentials_from_string(s, n, &c);
        if (!rc)
          rc = corsim_request_set_credentials(req, c);
      } else if (k == 4)
        rc = corsim_request_set_method(req, s, n);
      else {
        corsim_redirect rd;
        rc = corsim_redirect_from_string(s, n, &rd);
        if (!rc)
          rc = corsim_request_set_redirect(req, rd);
      }
      if (rc) {
        snprintf(whybuf, sizeof whybuf, "request.%s: %s", keys[k],
                 corsim_strerror(rc));
        why = whybuf;
        goto fail;
      }
    }
    {
      json_t *hs = json_object_get(jreq, "headers"), *pair;
      size_t idx;
      if (hs && !json_is_array(hs)) {
        why = "request.headers must be an array of [name, value] pairs";
        goto fail;
      }
      json_array_foreach(hs, idx, pair) {
        json_t *nm = json_array_get(pair, 0), *vl = json_array_get(pair, 1);
        if (!json_is_array(pair) || json_array_size(pair) != 2 ||
            !json_is_string(nm) || !json_is_string(vl)) {
          why = "request.headers must be an array of [name, value] pairs";
          goto fail;
        }
        rc = corsim_headers_append(corsim_request_headers(req),
                                   json_string_value(nm),
                                   json_string_length(nm),
                                   json_string_value(vl),
                                   json_string_length(vl),
                                   CORSIM_HEADER_NORMALIZE);
        if (rc) {
          snprintf(whybuf, sizeof whybuf, "request.headers[%zu]: %s", idx,
                   corsim_strerror(rc));
          why = whybuf;
          goto fail;
        }
      }
    }
  }
  if (!corsim_request_url(req).len || !corsim_request_origin(req).len) {
    why = "request.url and request.origin are required";
    goto fail;
  }
  resps = json_object_get(in, "responses");
  if (!json_is_array(resps) || json_array_size(resps) == 0) {
    why = "\"responses\" must be a non-empty array";
    goto fail;
  }
  if (json_array_size(resps) > 64) {
    why = "at most 64 responses";
    goto fail;
  }
  for (nheads = 0; nheads < json_array_size(resps); nheads++) {
    const char *bad = response_bytes(json_array_get(resps, nheads), &raw,
                                     &raw_len, "response");
    if (bad) {
      snprintf(whybuf, sizeof whybuf, "responses[%zu]: %s", nheads, bad);
      why = whybuf;
      goto fail;
    }
    if (corsim_head_new(&heads[nheads], NULL)) {
      why = "out of memory";
      goto fail;
    }
    rc = corsim_head_parse(heads[nheads], p, raw, raw_len, NULL);
    free(raw);
    raw = NULL;
    if (rc) {
      corsim_head_free(heads[nheads]);
      snprintf(whybuf, sizeof whybuf, "responses[%zu]: %s", nheads,
               corsim_strerror(rc));
      why = whybuf;
      goto fail;
    }
  }
  if (json_object_get(in, "preflight") &&
      !json_is_null(json_object_get(in, "preflight"))) {
    const char *bad = response_bytes(json_object_get(in, "preflight"), &raw,
                                     &raw_len, "preflight");
    if (bad) {
      snprintf(whybuf, sizeof whybuf, "preflight: %s", bad);
      why = whybuf;
      goto fail;
    }
    if (corsim_head_new(&pre, NULL)) {
      why = "out of memory";
      goto fail;
    }
    rc = corsim_head_parse(pre, p, raw, raw_len, NULL);
    free(raw);
    raw = NULL;
    if (rc) {
      snprintf(whybuf, sizeof whybuf, "preflight: %s", corsim_strerror(rc));
      why = whybuf;
      goto fail;
    }
  }
  rc = corsim_fetch_heads(res, p, req, pre,
                          (const corsim_head *const *)heads, nheads, NULL, 0);
  if (rc) {
    snprintf(whybuf, sizeof whybuf, "filter: %s", corsim_strerror(rc));
    why = whybuf;
    goto fail;
  }
  memset(&r, 0, sizeof r);
  r.res = res;
  r.req = req;
  r.profile = p;
  r.preflight_sent = preflight_sent(corsim_result_preflight_state(res));
  out = filter_json(&r);
  if (id) {
    json_t *idc = json_deep_copy(id);
    json_t *o2 = json_object();
    json_object_set_new(o2, "id", idc);
    json_object_update(o2, out);
    json_decref(out);
    out = o2;
  }
  goto done;
fail:
  out = json_object();
  json_object_set_new(out, "id", id ? json_deep_copy(id) : json_null());
  json_object_set_new(out, "error", json_string(why));
done:
  corsim_request_free(req);
  free(raw);
  for (hk = 0; hk < nheads; hk++)
    corsim_head_free(heads[hk]);
  corsim_head_free(pre);
  json_decref(in);
  return out;
}

static int cmd_batch(const options *o) {
  FILE *f = (!o->input || strcmp(o->input, "-") == 0) ? stdin
                                                      : fopen(o->input, "rb");
  char *line = NULL;
  size_t cap = 0;
  ssize_t n;
  corsim_head *head = NULL;
  corsim_result *res = NULL;
  int rc = 0;

  if (!f) {
    err("%s: %s", o->input, strerror(errno));
    return EXIT_USAGE;
  }
  if ((rc = open_db(o)) != 0) /* once, not for every line */
    goto out;
  if (corsim_head_new(&head, NULL) || corsim_result_new(&res, NULL)) {
    err("out of memory");
    rc = EXIT_INTERNAL;
    goto out;
  }
  while ((n = getline(&line, &cap, f)) >= 0) {
    json_t *out;
    size_t len = (size_t)n;
    while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
      len--;
    if (len == 0)
      continue; /* blank lines are skipped */
    if (len > MAX_INPUT) {
      printf("{\"id\": null, \"error\": \"line longer than 64 MiB\"}\n");
      continue;
    }
    out = batch_line(o, line, len, head, res);
    if (!out) {
      err("out of memory");
      rc = EXIT_INTERNAL;
      break;
    }
    if (json_dumpf(out, stdout, JSON_COMPACT | JSON_ENSURE_ASCII) != 0) {
      json_decref(out);
      rc = EXIT_INTERNAL;
      break;
    }
    fputc('\n', stdout);
    json_decref(out);
  }
out:
  free(line);
  corsim_head_free(head);
  corsim_result_free(res);
  if (f != stdin)
    fclose(f);
  return rc;
}

/* ------------------------------------------------------------------------
 * profiles, validate
 * ------------------------------------------------------------------------ */

static int cmd_profiles(const options *o, int argc, char **argv, int first) {
  size_t i, nb;
  int rc;
  if (first < argc && strcmp(argv[first], "show") == 0) {
    const corsim_profile *p;
    corsim_lookup li;
    char why[768];
    size_t b;
    if (!o->input || strcmp(o->input, "show") == 0) {
      /* the NAME follows "show" */
    }
    if (first + 1 >= argc || argv[first + 1][0] == '-') {
      err("usage: corsim profiles show NAME");
      return EXIT_USAGE;
    }
    if ((rc = find_profile(o, argv[first + 1], &p, &li, why, sizeof why)) !=
        0) {
      if (rc == EXIT_USAGE && why[0])
        err("%s", why);
      return rc;
    }
    if (strcmp(o->format, "json") == 0) {
      json_t *obj = json_object(), *bs = json_object();
      json_object_set_new(obj, "profile", json_string(corsim_profile_name(p)));
      json_object_set_new(obj, "requested", json_string(argv[first + 1]));
      json_object_set_new(obj, "exact", json_boolean(li.exact));
      for (b = 0; b < corsim_behaviour_count(); b++) {
        const char *id = corsim_behaviour_id(b);
        corsim_str t;
        long num;
        corsim_profile_behaviour(p, id, strlen(id), &t, &num);
        json_object_set_new(bs, id, t.len ? json_stringn(t.ptr, t.len)
                                          : json_integer(num));
      }
      json_object_set_new(obj, "behaviours", bs);
      return print_json(obj);
    }
    printf("profile %s%s\n", corsim_profile_name(p),
           li.exact ? "" : " (nearest earlier release)");
    for (b = 0; b < corsim_behaviour_count(); b++) {
      const char *id = corsim_behaviour_id(b);
      corsim_str t, ts;
      long num, sn;
      corsim_profile_behaviour(p, id, strlen(id), &t, &num);
      corsim_profile_behaviour(corsim_profile_spec(), id, strlen(id), &ts,
                               &sn);
      if (t.len)
        printf("  %-42s %.*s", id, (int)t.len, t.ptr);
      else
        printf("  %-42s %ld", id, num);
      if (num != sn) {
        if (ts.len)
          printf("   (spec: %.*s)", (int)ts.len, ts.ptr);
        else
          printf("   (spec: %ld)", sn);
      }
      printf("\n");
    }
    return 0;
  }
  if ((rc = open_db(o)) != 0)
    return rc;
  nb = corsim_db_browser_count(db);
  if (strcmp(o->format, "json") == 0) {
    json_t *arr = json_array();
    for (i = 0; i < nb; i++) {
      corsim_browser_info bi;
      json_t *e = json_object(), *rels = json_array();
      size_t j;
      corsim_db_browser(db, i, &bi);
      json_object_set_new(e, "id", json_string(bi.id));
      json_object_set_new(e, "name", json_string(bi.name));
      json_object_set_new(e, "current", json_string(bi.current));
      for (j = 0; j < bi.release_count; j++) {
        corsim_release_info ri;
        corsim_db_release(db, i, j, &ri);
        json_array_append_new(rels, json_string(ri.version));
      }
      json_object_set_new(e, "releases", rels);
      json_array_append_new(arr, e);
    }
    return print_json(arr);
  }
  printf("%-26s %-22s %9s  %s\n", "id", "name", "releases", "range (current)");
  printf("%-26s %-22s %9s  %s\n", "spec", "Fetch Standard 586cd2a", "-", "-");
  for (i = 0; i < nb; i++) {
    corsim_browser_info bi;
    corsim_release_info a, z;
    corsim_db_browser(db, i, &bi);
    corsim_db_release(db, i, 0, &a);
    corsim_db_release(db, i, bi.release_count - 1, &z);
    printf("%-26s %-22s %9zu  %s to %s (%s)\n", bi.id, bi.name,
           bi.release_count, a.version, z.version, bi.current);
  }
  return 0;
}

static int cmd_validate(const options *o) {
  corsim_diagnostics *d = NULL;
  corsim_db *vdb = NULL;
  size_t i;
  int rc;
  if (!o->input) {
    err("usage: corsim validate FILE");
    return EXIT_USAGE;
  }
  if (strcmp(o->input, "-") == 0) {
    err("validate reads a file, not stdin: usage: corsim validate FILE");
    return EXIT_USAGE;
  }
  if (corsim_diagnostics_new(&d, NULL))
    return EXIT_INTERNAL;
  rc = corsim_db_load_file(&vdb, o->input, NULL, d);
  for (i = 0; i < corsim_diagnostics_count(d); i++) {
    const corsim_diagnostic *e = corsim_diagnostics_get(d, i);
    printf("%s:%lu:%lu: %s\n", e->file, e->line, e->column, e->message);
  }
  if (rc == 0) {
    size_t nb = corsim_db_browser_count(vdb), rels = 0;
    for (i = 0; i < nb; i++) {
      corsim_browser_info bi;
      corsim_db_browser(vdb, i, &bi);
      rels += bi.release_count;
    }
    printf("%s: valid (%zu browser%s, %zu release%s)\n", o->input, nb,
           nb == 1 ? "" : "s", rels, rels == 1 ? "" : "s");
  } else {
    err("%s: %s", o->input, corsim_strerror(rc));
  }
  corsim_db_free(vdb);
  corsim_diagnostics_free(d);
  return rc == 0 ? 0 : exit_for(rc);
}

/* ------------------------------------------------------------------------
 * main
 * ------------------------------------------------------------------------ */

static const struct {
  const char *name, *usage, *summary;
} commands[] = {
    {"filter", "corsim filter [options] [FILE]",
     "what fetch() gives script for the response head in FILE (or stdin)"},
    {"explain", "corsim explain [options] [FILE]",
     "every decision, with its Fetch Standard rule and how to fix it"},
    {"matrix", "corsim matrix [options] [--versions latest|all] [FILE]",
     "which headers each browser exposes"},
    {"batch", "corsim batch [--profile NAME] [FILE]",
     "JSON lines in, JSON lines out (for test harnesses)"},
    {"profiles", "corsim profiles [show NAME] [--format json]",
     "list browsers and releases, or print a resolved profile"},
    {"validate", "corsim validate FILE",
     "check a profiles XML file; print file:line:column diagnostics"},
};

static void usage(FILE *f) {
  size_t i;
  fprintf(f, "usage: corsim COMMAND [options] [FILE]\n\n"
             "Simulates what a browser's fetch() exposes of a cross-origin "
             "response.\n\nCommands:\n");
  for (i = 0; i < sizeof commands / sizeof commands[0]; i++)
    fprintf(f, "  %-9s %s\n", commands[i].name, commands[i].summary);
  fprintf(f, "\n%s\nExample:\n  curl -si https://api.example/x | corsim "
             "filter --origin https://app.example \\\n      --url "
             "https://api.example/x --profile firefox\n\nSee corsim(1).\n",
          common_help);
}

int main(int argc, char **argv) {
  options o;
  const char *cmd;
  size_t i;
  int rc;

  if (argc < 2) {
    usage(stderr);
    return EXIT_USAGE;
  }
  cmd = argv[1];
  if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "version") == 0) {
    printf("corsim %s\n", CORSIM_VERSION);
    return 0;
  }
  if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 ||
      strcmp(cmd, "help") == 0) {
    usage(stdout);
    return 0;
  }
  for (i = 0; i < sizeof commands / sizeof commands[0]; i++)
    if (strcmp(cmd, commands[i].name) == 0)
      break;
  if (i == sizeof commands / sizeof commands[0]) {
    err("unknown command '%s' (commands: filter, explain, matrix, batch, "
        "profiles, validate)",
        cmd);
    return EXIT_USAGE;
  }
  if (parse_options(argc, argv,
                    strcmp(cmd, "profiles") == 0 && argc > 2 &&
                            strcmp(argv[2], "show") == 0
                        ? (argc > 3 && argv[3][0] != '-' ? 4 : 3)
                        : 2,
                    &o) != 0)
    return EXIT_USAGE;
  if (o.help) {
    printf("usage: %s\n\n%s.\n\n%s", commands[i].usage, commands[i].summary,
           common_help);
    return 0;
  }
  if (strcmp(cmd, "filter") == 0)
    rc = cmd_filter_or_explain(&o, 0);
  else if (strcmp(cmd, "explain") == 0)
    rc = cmd_filter_or_explain(&o, 1);
  else if (strcmp(cmd, "matrix") == 0)
    rc = cmd_matrix(&o);
  else if (strcmp(cmd, "batch") == 0)
    rc = cmd_batch(&o);
  else if (strcmp(cmd, "profiles") == 0)
    rc = cmd_profiles(&o, argc, argv, 2);
  else
    rc = cmd_validate(&o);
  corsim_db_free(db);
  if (fflush(stdout) != 0 && rc == 0)
    rc = EXIT_INTERNAL;
  return rc;
}
