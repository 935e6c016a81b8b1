/*
 * check_origin.c -- lib/origin.c: URL -> origin serialization (URL Standard
 * host parser, default ports, IPv4 / IPv6 canonical forms, opaque origins),
 * corsim_same_origin(), the href that corsim__parse_url() produces, and
 * relative references (corsim__resolve_url, corsim__url_has_credentials).
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "testutil.h"

/* A byte string literal and its length (NUL bytes inside count). */
#define U(s) s, sizeof(s) - 1

/* A printable rendering of a byte string, for failure messages. */
static const char *esc(const char *p, size_t len) {
  static char out[4][512];
  static int slot;
  char *o = out[slot = (slot + 1) % 4];
  size_t i, n = 0;

  if (!p)
    return "(NULL)";
  for (i = 0; i < len && n + 5 < sizeof out[0]; i++) {
    unsigned char c = (unsigned char)p[i];
    if (c >= 0x20 && c < 0x7f && c != '\\')
      o[n++] = (char)c;
    else
      n += (size_t)snprintf(o + n, 5, "\\x%02x", c);
  }
  o[n] = '\0';
  return o;
}

/* ------------------------------------------------------------------------
 * URL -> serialized origin
 * ------------------------------------------------------------------------ */

typedef struct ok_case {
  const char *in;
  size_t len;
  const char *origin;
} ok_case;

static const ok_case ok_cases[] = {
    /* lowercasing, paths, queries and fragments do not matter */
    {U("https://Example.COM/path"), "https://example.com"},
    {U("http://example.com"), "http://example.com"},
    {U("http://example.com/"), "http://example.com"},
    {U("http://example.com/a/b?c=d#e"), "http://example.com"},
    {U("http://a.com?x"), "http://a.com"},
    {U("http://a.com#frag"), "http://a.com"},
    {U("http://a.com/#/x:1@y"), "http://a.com"},
    {U("HTTPS://A"), "https://a"},
    {U("hTtP://a"), "http://a"},
    {U("WSS://WWW.EXAMPLE.ORG:443/"), "wss://www.example.org"},
    /* default ports dropped, others kept */
    {U("http://a:80"), "http://a"},
    {U("https://a:443"), "https://a"},
    {U("ws://a:80"), "ws://a"},
    {U("wss://a:443"), "wss://a"},
    {U("ftp://a:21"), "ftp://a"},
    {U("https://a:80"), "https://a:80"},
    {U("http://a:443"), "http://a:443"},
    {U("ws://a:443"), "ws://a:443"},
    {U("wss://a:80"), "wss://a:80"},
    {U("ftp://a:80"), "ftp://a:80"},
    {U("http://a:21"), "http://a:21"},
    {U("https://a:8443"), "https://a:8443"},
    {U("https://a:1"), "https://a:1"},
    {U("http://a:0"), "http://a:0"},
    {U("http://a:0080"), "http://a"},
    {U("https://a:0443/"), "https://a"},
    {U("http://a:00000000000000000000000000080/"), "http://a"},
    {U("http://a:08080"), "http://a:8080"},
    {U("http://a:/"), "http://a"},
    {U("http://a:"), "http://a"},
    {U("http://a:?q"), "http://a"},
    {U("http://a:#f"), "http://a"},
    {U("http://a:65535"), "http://a:65535"},
    {U("http://a:65535/x"), "http://a:65535"},
    {U("https://a:10000"), "https://a:10000"},
    /* userinfo is not part of the origin; the last '@' ends it */
    {U("http://user:pass@a.com:8080/x"), "http://a.com:8080"},
    {U("http://user@a.com"), "http://a.com"},
    {U("http://@a.com"), "http://a.com"},
    {U("http://:@a.com"), "http://a.com"},
    {U("http://a:b@c:d@e.com"), "http://e.com"},
    {U("https://u@[::1]:444/"), "https://[::1]:444"},
    /* backslashes are slashes, and any run of them may be missing */
    {U("http:\\\\a\\b"), "http://a"},
    {U("http:/\\a.com"), "http://a.com"},
    {U("http:a.com"), "http://a.com"},
    {U("http:/a.com"), "http://a.com"},
    {U("http:////a.com"), "http://a.com"},
    {U("https:\\\\\\a.com:8443\\x"), "https://a.com:8443"},
    {U("http://a.com\\path"), "http://a.com"},
    /* IPv4 */
    {U("http://127.0.0.1"), "http://127.0.0.1"},
    {U("http://127.1"), "http://127.0.0.1"},
    {U("http://127.0.1"), "http://127.0.0.1"},
    {U("http://0x7f.0.0.1"), "http://127.0.0.1"},
    {U("http://0X7F.0.0.1"), "http://127.0.0.1"},
    {U("http://0177.0.0.1"), "http://127.0.0.1"},
    {U("http://2130706433"), "http://127.0.0.1"},
    {U("http://0x7F000001"), "http://127.0.0.1"},
    {U("http://017700000001"), "http://127.0.0.1"},
    {U("http://1.2.3.4."), "http://1.2.3.4"},
    {U("http://1.2.3.4:8080"), "http://1.2.3.4:8080"},
    {U("http://010.010.010.010"), "http://8.8.8.8"},
    {U("http://0x08.0X08.8.010"), "http://8.8.8.8"},
    {U("http://00000001.2.3.4"), "http://1.2.3.4"},
    {U("http://0"), "http://0.0.0.0"},
    {U("http://0x"), "http://0.0.0.0"},
    {U("http://0x.0x.0x.0x"), "http://0.0.0.0"},
    {U("http://1.2.3.0x4"), "http://1.2.3.4"},
    {U("http://4294967295"), "http://255.255.255.255"},
    {U("http://0xffffffff"), "http://255.255.255.255"},
    {U("http://255.255.255.255"), "http://255.255.255.255"},
    {U("http://1.2.65535"), "http://1.2.255.255"},
    {U("http://1.16777215"), "http://1.255.255.255"},
    {U("http://1.0x10000"), "http://1.1.0.0"},
    {U("http://%31%32%37.0.0.1"), "http://127.0.0.1"},
    {U("http://%30x7f.1"), "http://127.0.0.1"},
    {U("http://0xc0.0250.01"), "http://192.168.0.1"},
    {U("http://%30%78%63%30%2e%30%32%35%30.01"), "http://192.168.0.1"},
    {U("https://127.0.0.1:443"), "https://127.0.0.1"},
    /* numeric-looking domains that do not end in a number */
    {U("http://1.2.3.a"), "http://1.2.3.a"},
    {U("http://09.a"), "http://09.a"},
    {U("http://0x1g"), "http://0x1g"},
    {U("http://1.2.3.4x"), "http://1.2.3.4x"},
    {U("http://0xg.1.2.3x"), "http://0xg.1.2.3x"},
    {U("http://./"), "http://."},
    {U("http://../"), "http://.."},
    {U("http://a../"), "http://a.."},
    {U("http://a.b."), "http://a.b."},
    /* IPv6, RFC 5952 */
    {U("http://[::1]"), "http://[::1]"},
    {U("http://[0:0:0:0:0:0:0:1]"), "http://[::1]"},
    {U("http://[0:0::0:0:1]"), "http://[::1]"},
    {U("http://[2001:DB8:0:0:1:0:0:1]"), "http://[2001:db8::1:0:0:1]"},
    {U("http://[1:0:0:2:0:0:0:3]"), "http://[1:0:0:2::3]"},
    {U("http://[1:0:0:0:2:0:0:0]"), "http://[1::2:0:0:0]"},
    {U("http://[::ffff:1.2.3.4]"), "http://[::ffff:102:304]"},
    {U("http://[::127.0.0.1]"), "http://[::7f00:1]"},
    {U("http://[1:2:3:4:5:6:1.2.3.4]"), "http://[1:2:3:4:5:6:102:304]"},
    {U("http://[::]"), "http://[::]"},
    {U("http://[0:0:0:0:0:0:0:0]"), "http://[::]"},
    {U("http://[1:2:3:4:5:6:7:8]"), "http://[1:2:3:4:5:6:7:8]"},
    {U("http://[1:0:3:4:5:6:7:8]"), "http://[1:0:3:4:5:6:7:8]"},
    {U("http://[1:2:3:4:5:6:7::]"), "http://[1:2:3:4:5:6:7:0]"},
    {U("http://[::1:2:3:4:5:6:7]"), "http://[0:1:2:3:4:5:6:7]"},
    {U("http://[1::]"), "http://[1::]"},
    {U("http://[0001:0002::0003]"), "http://[1:2::3]"},
    {U("http://[ABCD::EF]"), "http://[abcd::ef]"},
    {U("http://[ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff]"),
     "http://[ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff]"},
    {U("http://[::1]:8080"), "http://[::1]:8080"},
    {U("http://[::1]:"), "http://[::1]"},
    {U("https://[::1]:443/"), "https://[::1]"},
    {U("http://[::1]:65535"), "http://[::1]:65535"},
    /* percent-encoded hosts */
    {U("http://%41.com"), "http://a.com"},
    {U("http://%61%62%63"), "http://abc"},
    {U("http://a%2Eb"), "http://a.b"},
    {U("http://%7e"), "http://~"},
    /* opaque origins */
    {U("data:text/plain,x"), "null"},
    {U("file:///etc/passwd"), "null"},
    {U("FILE://host/x"), "null"},
    {U("about:blank"), "null"},
    {U("mailto:a@b"), "null"},
    {U("javascript:1"), "null"},
    {U("urn:isbn:0451450523"), "null"},
    {U("foo://a.com:80/"), "null"},
    {U("git+ssh://a.com"), "null"},
    {U("a:"), "null"},
    {U("a234567890123456789+.-:x"), "null"}, /* longer than any special */
    /* blob: takes the origin of the http(s) URL it wraps */
    {U("blob:https://a.com/uuid"), "https://a.com"},
    {U("blob:http://a.com:8080/uuid"), "http://a.com:8080"},
    {U("BLOB:HTTPS://A.COM:443/x"), "https://a.com"},
    {U("blob:https://[::1]/x"), "https://[::1]"},
    {U("blob:data:x"), "null"},
    {U("blob:ws://a.com/x"), "null"},
    {U("blob:ftp://a.com/x"), "null"},
    {U("blob:file:///x"), "null"},
    {U("blob:blob:https://a.com/x"), "null"},
    {U("blob:"), "null"},
    {U("blob:https://"), "null"},
    {U("blob:nothing"), "null"},
    {U("blob:ws://%C3%A9.com/x"), "null"}, /* opaque whatever IDNA says */
    /* the string "null" */
    {U("null"), "null"},
    /* leading / trailing C0 and space stripped; tab, LF, CR removed */
    {U("  http://a.c\tom  "), "http://a.com"},
    {U("\x01\x1f http://a.com\x1f\x00"), "http://a.com"},
    {U("\x00http://a.com"), "http://a.com"},
    {U("http://a\n.com"), "http://a.com"},
    {U("ht\rtp://a"), "http://a"},
    {U("http://a.com:8\t0"), "http://a.com"},
    {U("\thttps://a.com:44\n3\r\n"), "https://a.com"},
};

START_TEST(test_origin_ok) {
  const ok_case *t = &ok_cases[_i];
  char buf[256];
  size_t n = 12345, want = strlen(t->origin);
  int rc;

  memset(buf, '#', sizeof buf);
  rc = corsim_url_origin(t->in, t->len, buf, sizeof buf, &n);
  ck_assert_msg(rc == 0, "%s: returned %d (%s)", esc(t->in, t->len), rc,
                corsim_error_name(rc));
  ck_assert_msg(n == want && memcmp(buf, t->origin, n) == 0,
                "%s: got \"%s\", want \"%s\"", esc(t->in, t->len),
                esc(buf, n < sizeof buf ? n : sizeof buf), t->origin);
  ck_assert_int_eq(buf[n], '#'); /* nothing written past the origin */
}
END_TEST

/* corsim__parse_url agrees with the public function, sets opaque and
 * scheme_len, and frees everything it allocated. */
START_TEST(test_origin_ok_internal) {
  const ok_case *t = &ok_cases[_i];
  tu_counter c = {0, 0, 0, 0};
  corsim_allocator a = tu_counting_allocator(&c);
  corsim__origin o;
  char *href = (char *)1;
  size_t href_len = 99;
  int opaque = strcmp(t->origin, "null") == 0;
  int rc;

  if (t->len == 4 && memcmp(t->in, "null", 4) == 0) {
    /* "null" is not a URL: only the public functions accept it */
    ck_assert_int_eq(corsim__parse_url(&a, t->in, t->len, &o, &href,
                                       &href_len),
                     CORSIM_ERR_BAD_URL);
    ck_assert_ptr_null(href);
    ck_assert_uint_eq(c.live, 0);
    return;
  }
  rc = corsim__parse_url(&a, t->in, t->len, &o, &href, &href_len);
  ck_assert_msg(rc == 0, "%s: returned %d", esc(t->in, t->len), rc);
  ck_assert_int_eq(o.opaque, opaque);
  ck_assert_uint_eq(o.len, strlen(t->origin));
  ck_assert(memcmp(o.ser, t->origin, o.len) == 0);
  if (opaque)
    ck_assert_uint_eq(o.scheme_len, 0);
  else
    ck_assert_uint_eq(o.scheme_len,
                      (size_t)(strchr(t->origin, ':') - t->origin));
  ck_assert_ptr_nonnull(href);
  ck_assert_uint_gt(href_len, 0);
  corsim__free(&a, href);
  corsim__origin_clear(&a, &o);
  ck_assert_ptr_null(o.ser);
  ck_assert_uint_eq(c.live, 0);

  /* href may be NULL */
  rc = corsim__parse_url(&a, t->in, t->len, &o, NULL, NULL);
  ck_assert_int_eq(rc, 0);
  ck_assert_uint_eq(o.len, strlen(t->origin));
  ck_assert(memcmp(o.ser, t->origin, o.len) == 0);
  corsim__origin_clear(&a, &o);
  ck_assert_uint_eq(c.live, 0);
}
END_TEST

/* Each URL is same-origin with itself unless its origin is opaque. */
START_TEST(test_origin_ok_same_as_itself) {
  const ok_case *t = &ok_cases[_i];
  int same = -1;

  ck_assert_ok(corsim_same_origin(t->in, t->len, t->in, t->len, &same));
  ck_assert_int_eq(same, strcmp(t->origin, "null") != 0);
  /* and with its own serialization */
  same = -1;
  ck_assert_ok(corsim_same_origin(t->in, t->len, t->origin,
                                  strlen(t->origin), &same));
  ck_assert_int_eq(same, strcmp(t->origin, "null") != 0);
}
END_TEST

/* ------------------------------------------------------------------------
 * Invalid URLs
 * ------------------------------------------------------------------------ */

typedef struct err_case {
  const char *in;
  size_t len;
  int rc;
} err_case;

#define BAD CORSIM_ERR_BAD_URL
#define UNSUP CORSIM_ERR_UNSUPPORTED

static const err_case err_cases[] = {
    /* schemes */
    {U("1http://a"), BAD},
    {U("://a"), BAD},
    {U(""), BAD},
    {U("   "), BAD},
    {U("\t\n\r"), BAD},
    {U("\x00\x00"), BAD},
    {U("http"), BAD},
    {U("http//a.com"), BAD},
    {U("-http://a"), BAD},
    {U("+a:b"), BAD},
    {U("ht tp://a"), BAD},
    {U("h_ttp://a"), BAD},
    {U("http\x00://a"), BAD},
    {U("NULL"), BAD},
    {U("Null"), BAD},
    {U("null\x00"), BAD}, /* trailing NUL stripped: "null" is not a URL */
    /* missing host */
    {U("http:"), BAD},
    {U("http://"), BAD},
    {U("http:///"), BAD},
    {U("http:\\\\"), BAD},
    {U("http://:80"), BAD},
    {U("http://:80/"), BAD},
    {U("http://user@"), BAD},
    {U("http://user@/x"), BAD},
    {U("http://u:p@:8080"), BAD},
    {U("http://?x"), BAD},
    {U("http://#x"), BAD},
    {U("https:// /"), BAD},
    {U("ws:"), BAD},
    /* ports */
    {U("http://a:65536"), BAD},
    {U("http://a:65536/"), BAD},
    {U("http://a:99999999999999999999999"), BAD},
    {U("http://a:8a"), BAD},
    {U("http://a:-1"), BAD},
    {U("http://a:+80"), BAD},
    {U("http://a: 80"), BAD},
    {U("http://a:80:80"), BAD},
    {U("http://a:0x50"), BAD},
    {U("http://[::1]:65536"), BAD},
    /* invalid IPv4 */
    {U("http://1.2.3.256"), BAD},
    {U("http://256.0.0.1"), BAD},
    {U("http://1.2.3.4.5"), BAD},
    {U("http://1.2.3.4.5."), BAD},
    {U("http://0x100000000"), BAD},
    {U("http://4294967296"), BAD},
    {U("http://99999999999999999999999"), BAD},
    {U("http://1.2.3.09"), BAD},
    {U("http://08"), BAD},
    {U("http://1.2.3.0x100"), BAD},
    {U("http://1.256.3"), BAD},
    {U("http://1.2.65536"), BAD},
    {U("http://1.16777216"), BAD},
    {U("http://1..2"), BAD},
    {U("http://.1"), BAD},
    {U("http://0..0x300/"), BAD},
    {U("http://0x.0x.0x.0x.0x"), BAD},
    {U("http://a.1"), BAD},
    {U("http://foo.09"), BAD},
    {U("http://a.0x"), BAD},
    {U("http://a.b.0xff"), BAD},
    /* invalid IPv6 */
    {U("http://[::1"), BAD},
    {U("http://[::1/"), BAD},
    {U("http://[]"), BAD},
    {U("http://[:1]"), BAD},
    {U("http://[:]"), BAD},
    {U("http://[1:]"), BAD},
    {U("http://[1:2:3:4:5:6:7:8:9]"), BAD},
    {U("http://[1:2:3:4:5:6:7:8::]"), BAD},
    {U("http://[1:2:3:4:5:6:7]"), BAD},
    {U("http://[1::2::3]"), BAD},
    {U("http://[::1::]"), BAD},
    {U("http://[12345::]"), BAD},
    {U("http://[g::]"), BAD},
    {U("http://[::1 ]"), BAD},
    {U("http://[::1]x"), BAD},
    {U("http://[::1]]"), BAD},
    {U("http://[[::1]]"), BAD},
    {U("http://x[::1]"), BAD},
    {U("http://[::1.2.3]"), BAD},
    {U("http://[::1.2.3.4.5]"), BAD},
    {U("http://[::1.2.3.]"), BAD},
    {U("http://[::1.]"), BAD},
    {U("http://[::.1.2.3]"), BAD},
    {U("http://[::01.2.3.4]"), BAD},
    {U("http://[::256.0.0.1]"), BAD},
    {U("http://[::1.2.3.0x4]"), BAD},
    {U("http://[1:2:3:4:5:6:7:1.2.3.4]"), BAD},
    {U("http://[::%31]"), BAD},
    {U("http://%5B::1%5D"), BAD},
    {U("http://::1"), BAD},
    /* forbidden domain code points, raw or percent-encoded */
    {U("http://a b"), BAD},
    {U("http://a<b"), BAD},
    {U("http://a>b"), BAD},
    {U("http://a^b"), BAD},
    {U("http://a|b"), BAD},
    {U("http://a[b"), BAD},
    {U("http://a]b"), BAD},
    {U("http://a%"), BAD},
    {U("http://%"), BAD},
    {U("http://a%zz"), BAD},
    {U("http://a%2"), BAD},
    {U("http://a%2g.com"), BAD},
    {U("http://%25"), BAD},
    {U("http://a%2541"), BAD},
    {U("http://a%20b"), BAD},
    {U("http://a%2Fb"), BAD},
    {U("http://a%3Ab"), BAD},
    {U("http://a%40b"), BAD},
    {U("http://a%3c"), BAD},
    {U("http://a%00b"), BAD},
    {U("http://a%7Fb"), BAD},
    {U("http://a%09b"), BAD},
    {U("http://a\x7f" "b"), BAD},
    {U("http://a\x00" "b"), BAD},
    {U("http://a\x01" "b"), BAD},
    {U("http://a\x1f" "b"), BAD},
    /* non-ASCII hosts need IDNA */
    {U("http://\xc3\xa9.com"), UNSUP},
    {U("http://%C3%A9.com"), UNSUP},
    {U("http://%c3%a9.com/"), UNSUP},
    {U("http://a\x80"), UNSUP},
    {U("https://%ff"), UNSUP},
    {U("blob:https://%C3%A9.com/x"), UNSUP},
    {U("blob:HTTP://\xc3\xa9.com/x"), UNSUP},
};

START_TEST(test_origin_err) {
  const err_case *t = &err_cases[_i];
  char buf[64];
  size_t n = 777;
  int rc, same = -1;

  rc = corsim_url_origin(t->in, t->len, buf, sizeof buf, &n);
  ck_assert_msg(rc == t->rc, "%s: returned %d (%s), want %d (%s)",
                esc(t->in, t->len), rc, corsim_error_name(rc), t->rc,
                corsim_error_name(t->rc));
  /* either side of corsim_same_origin reports the same error */
  rc = corsim_same_origin(t->in, t->len, U("http://a.com"), &same);
  ck_assert_int_eq(rc, t->rc);
  ck_assert_int_eq(same, 0);
  same = -1;
  rc = corsim_same_origin(U("http://a.com"), t->in, t->len, &same);
  ck_assert_int_eq(rc, t->rc);
  ck_assert_int_eq(same, 0);
}
END_TEST

/* On failure corsim__parse_url leaves nothing allocated and zeroed out. */
START_TEST(test_origin_err_internal) {
  const err_case *t = &err_cases[_i];
  tu_counter c = {0, 0, 0, 0};
  corsim_allocator a = tu_counting_allocator(&c);
  corsim__origin o;
  char *href = (char *)1;
  size_t href_len = 5;
  int rc;

  memset(&o, 0x5a, sizeof o);
  rc = corsim__parse_url(&a, t->in, t->len, &o, &href, &href_len);
  ck_assert_msg(rc == t->rc, "%s: returned %d, want %d", esc(t->in, t->len),
                rc, t->rc);
  ck_assert_ptr_null(o.ser);
  ck_assert_uint_eq(o.len, 0);
  ck_assert_ptr_null(href);
  ck_assert_uint_eq(href_len, 0);
  ck_assert_uint_eq(c.live, 0);
}
END_TEST

/* ------------------------------------------------------------------------
 * Sizes, buffers and arguments
 * ------------------------------------------------------------------------ */

START_TEST(test_too_large) {
  size_t max = CORSIM__MAX_URL_LEN;
  char *u = malloc(max + 1), buf[64];
  size_t n = 0;
  int same = -1;

  ck_assert_ptr_nonnull(u);
  memcpy(u, "http://a.com/", 13);
  memset(u + 13, 'x', max + 1 - 13);
  ck_assert_uint_eq(max, (size_t)2 * 1024 * 1024);
  /* one byte over the limit */
  ck_assert_int_eq(corsim_url_origin(u, max + 1, buf, sizeof buf, &n),
                   CORSIM_ERR_TOO_LARGE);
  ck_assert_int_eq(corsim_same_origin(u, max + 1, U("http://a.com"), &same),
                   CORSIM_ERR_TOO_LARGE);
  ck_assert_int_eq(corsim_same_origin(U("http://a.com"), u, max + 1, &same),
                   CORSIM_ERR_TOO_LARGE);
  /* exactly at the limit is fine */
  ck_assert_ok(corsim_url_origin(u, max, buf, sizeof buf, &n));
  ck_assert_uint_eq(n, 12);
  ck_assert(memcmp(buf, "http://a.com", 12) == 0);
  ck_assert_ok(corsim_same_origin(u, max, U("http://a.com:80"), &same));
  ck_assert_int_eq(same, 1);
  /* the href of a URL at the limit is as long as the URL */
  {
    corsim__origin o;
    char *href;
    size_t hl;
    corsim_allocator a;
    corsim__alloc_init(&a, NULL);
    ck_assert_ok(corsim__parse_url(&a, u, max, &o, &href, &hl));
    ck_assert_uint_eq(hl, max);
    ck_assert(memcmp(href, u, max) == 0);
    corsim__free(&a, href);
    corsim__origin_clear(&a, &o);
    ck_assert_int_eq(corsim__parse_url(&a, u, max + 1, &o, &href, &hl),
                     CORSIM_ERR_TOO_LARGE);
    ck_assert_ptr_null(href);
    ck_assert_ptr_null(o.ser);
  }
  free(u);
}
END_TEST

START_TEST(test_buffer_too_small) {
  static const char url[] = "https://Example.com:8443/x";
  static const char want[] = "https://example.com:8443";
  char buf[64];
  size_t n;

  /* one byte short: the needed length is reported, nothing past buf_len */
  memset(buf, '#', sizeof buf);
  n = 0;
  ck_assert_int_eq(corsim_url_origin(U(url), buf, sizeof want - 2, &n),
                   CORSIM_ERR_BUFFER_TOO_SMALL);
  ck_assert_uint_eq(n, sizeof want - 1);
  ck_assert_int_eq(buf[sizeof want - 2], '#');
  /* a NULL buffer of length 0 asks for the length */
  n = 0;
  ck_assert_int_eq(corsim_url_origin(U(url), NULL, 0, &n),
                   CORSIM_ERR_BUFFER_TOO_SMALL);
  ck_assert_uint_eq(n, sizeof want - 1);
  /* exactly enough */
  n = 0;
  ck_assert_ok(corsim_url_origin(U(url), buf, sizeof want - 1, &n));
  ck_assert_uint_eq(n, sizeof want - 1);
  ck_assert(memcmp(buf, want, n) == 0);
  ck_assert_int_eq(buf[n], '#');
  /* "null" needs 4 */
  n = 0;
  ck_assert_int_eq(corsim_url_origin(U("data:,x"), buf, 3, &n),
                   CORSIM_ERR_BUFFER_TOO_SMALL);
  ck_assert_uint_eq(n, 4);
  n = 0;
  ck_assert_ok(corsim_url_origin(U("data:,x"), buf, 4, &n));
  ck_assert_uint_eq(n, 4);
  ck_assert(memcmp(buf, "null", 4) == 0);
  /* an invalid URL is reported as such, not as a small buffer */
  ck_assert_int_eq(corsim_url_origin(U("http://"), NULL, 0, &n),
                   CORSIM_ERR_BAD_URL);
}
END_TEST

START_TEST(test_null_arguments) {
  char buf[32];
  size_t n = 5;
  int same = 7;

  ck_assert_int_eq(corsim_url_origin(NULL, 8, buf, sizeof buf, &n),
                   CORSIM_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(corsim_url_origin(U("http://a"), buf, sizeof buf, NULL),
                   CORSIM_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(corsim_url_origin(U("http://a"), NULL, 8, &n),
                   CORSIM_ERR_INVALID_ARGUMENT);
  ck_assert_uint_eq(n, 5);
  /* NULL with length 0 is the empty string: not a URL */
  ck_assert_int_eq(corsim_url_origin(NULL, 0, buf, sizeof buf, &n),
                   CORSIM_ERR_BAD_URL);

  ck_assert_int_eq(corsim_same_origin(NULL, 3, U("http://a"), &same),
                   CORSIM_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(corsim_same_origin(U("http://a"), NULL, 3, &same),
                   CORSIM_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(corsim_same_origin(U("http://a"), U("http://a"), NULL),
                   CORSIM_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(same, 7);
  ck_assert_int_eq(corsim_same_origin(NULL, 0, U("http://a"), &same),
                   CORSIM_ERR_BAD_URL);
  ck_assert_int_eq(same, 0);

  {
    corsim_allocator a;
    corsim__origin o;
    char *href = (char *)1;
    size_t hl = 3;
    corsim__alloc_init(&a, NULL);
    ck_assert_int_eq(corsim__parse_url(&a, NULL, 4, &o, &href, &hl),
                     CORSIM_ERR_INVALID_ARGUMENT);
    ck_assert_ptr_null(href);
    ck_assert_ptr_null(o.ser);
    ck_assert_int_eq(corsim__parse_url(&a, NULL, 0, &o, &href, &hl),
                     CORSIM_ERR_BAD_URL);
  }
}
END_TEST

/* "null" is exactly those four bytes; nothing around it is trimmed. */
START_TEST(test_null_string) {
  char buf[16];
  size_t n = 0;
  int same = -1;

  ck_assert_ok(corsim_url_origin(U("null"), buf, sizeof buf, &n));
  ck_assert_uint_eq(n, 4);
  ck_assert(memcmp(buf, "null", 4) == 0);
  ck_assert_int_eq(corsim_url_origin(U(" null"), buf, sizeof buf, &n),
                   CORSIM_ERR_BAD_URL);
  ck_assert_int_eq(corsim_url_origin(U("null "), buf, sizeof buf, &n),
                   CORSIM_ERR_BAD_URL);
  ck_assert_int_eq(corsim_url_origin(U("nul"), buf, sizeof buf, &n),
                   CORSIM_ERR_BAD_URL);
  ck_assert_ok(corsim_same_origin(U("null"), U("null"), &same));
  ck_assert_int_eq(same, 0);
}
END_TEST

/* ------------------------------------------------------------------------
 * corsim_same_origin
 * ------------------------------------------------------------------------ */

typedef struct same_case {
  const char *a, *b;
  int same;
} same_case;

static const same_case same_cases[] = {
    {"http://a.com", "http://a.com", 1},
    {"http://a.com/x", "http://a.com/y?z#w", 1},
    {"http://a.com", "https://a.com", 0},
    {"http://a.com", "ws://a.com", 0},
    {"https://a.com", "wss://a.com", 0},
    {"http://a.com", "http://b.com", 0},
    {"http://a.com", "http://www.a.com", 0},
    {"http://a.com", "http://a.com.", 0},
    {"http://a.com", "http://a.com:81", 0},
    {"http://a.com:81", "http://a.com:82", 0},
    {"http://a.com:8080", "http://a.com:08080/", 1},
    {"http://a.com:80", "http://a.com", 1},
    {"http://a.com", "http://a.com:80/", 1},
    {"https://a.com:443/", "https://A.COM", 1},
    {"http://a.com:443", "https://a.com", 0},
    {"https://a.com:80", "http://a.com", 0},
    {"ws://a.com:80", "ws://a.com", 1},
    {"wss://a.com:443", "wss://a.com", 1},
    {"ftp://a.com:21", "ftp://a.com", 1},
    {"http://user:pw@a.com", "http://a.com", 1},
    {"http://127.0.0.1", "http://127.1", 1},
    {"http://127.0.0.1", "http://2130706433/", 1},
    {"http://127.0.0.1", "http://127.0.0.2", 0},
    {"http://[::1]", "http://[0:0::1]", 1},
    {"http://[::1]", "http://[::2]", 0},
    {"http://[::7f00:1]", "http://127.0.0.1", 0},
    {"http://%41.com", "http://a.com", 1},
    {"blob:https://a.com/1", "https://a.com", 1},
    {"blob:https://a.com/1", "blob:https://a.com/2", 1},
    {"blob:https://a.com/1", "http://a.com", 0},
    {"blob:data:x", "blob:data:x", 0},
    {"null", "null", 0},
    {"null", "http://a.com", 0},
    {"http://a.com", "null", 0},
    {"null", "data:text/plain,x", 0},
    {"data:text/plain,x", "data:text/plain,x", 0},
    {"file:///a", "file:///a", 0},
    {"about:blank", "about:blank", 0},
    {"foo://a.com", "foo://a.com", 0},
};

START_TEST(test_same_origin) {
  const same_case *t = &same_cases[_i];
  int same = -1;

  ck_assert_ok(corsim_same_origin(t->a, strlen(t->a), t->b, strlen(t->b),
                                  &same));
  ck_assert_msg(same == t->same, "%s vs %s: got %d, want %d", t->a, t->b,
                same, t->same);
  same = -1;
  ck_assert_ok(corsim_same_origin(t->b, strlen(t->b), t->a, strlen(t->a),
                                  &same));
  ck_assert_msg(same == t->same, "%s vs %s (swapped): got %d", t->b, t->a,
                same);
}
END_TEST

/* corsim__origin_same directly: opaque origins never match, even one
 * parsed object with itself (the public API always parses afresh). */
START_TEST(test_origin_same_internal) {
  corsim_allocator a;
  corsim__origin x, y;

  corsim__alloc_init(&a, NULL);
  ck_assert_ok(corsim__parse_url(&a, U("https://a.com:443/"), &x, NULL, NULL));
  ck_assert_ok(corsim__parse_url(&a, U("HTTPS://A.com"), &y, NULL, NULL));
  ck_assert_int_eq(corsim__origin_same(&x, &y), 1);
  ck_assert_int_eq(corsim__origin_same(&x, &x), 1);
  corsim__origin_clear(&a, &y);
  ck_assert_ok(corsim__parse_url(&a, U("https://a.com:444/"), &y, NULL, NULL));
  ck_assert_int_eq(corsim__origin_same(&x, &y), 0);
  corsim__origin_clear(&a, &y);
  ck_assert_ok(corsim__parse_url(&a, U("data:,"), &y, NULL, NULL));
  ck_assert_int_eq(y.opaque, 1);
  ck_assert_int_eq(corsim__origin_same(&x, &y), 0);
  ck_assert_int_eq(corsim__origin_same(&y, &x), 0);
  ck_assert_int_eq(corsim__origin_same(&y, &y), 0);
  corsim__origin_clear(&a, &x);
  corsim__origin_clear(&a, &y);
}
END_TEST

/* ------------------------------------------------------------------------
 * href (corsim__parse_url)
 * ------------------------------------------------------------------------ */

typedef struct href_case {
  const char *in;
  size_t len;
  const char *href;
} href_case;

static const href_case href_cases[] = {
    {U("http://a.com/x#frag"), "http://a.com/x"},
    {U("http://a.com/x#"), "http://a.com/x"},
    {U("http://a.com#"), "http://a.com/"},
    {U("http://a.com"), "http://a.com/"},
    {U("http://a.com/"), "http://a.com/"},
    {U("http://a.com?q=1"), "http://a.com/?q=1"},
    {U("http://a.com/p?q=1#f"), "http://a.com/p?q=1"},
    {U("http://a.com/p?"), "http://a.com/p?"},
    {U("http://a.com/p?q#f?g#h"), "http://a.com/p?q"},
    {U("http://a.com:80/x"), "http://a.com/x"},
    {U("https://a.com:443"), "https://a.com/"},
    {U("https://a.com:0443/"), "https://a.com/"},
    {U("https://a.com:8443/x"), "https://a.com:8443/x"},
    {U("http://a.com:65535"), "http://a.com:65535/"},
    {U("http://a.com:/x"), "http://a.com/x"},
    {U("http://user:pass@a.com/x"), "http://user:pass@a.com/x"},
    {U("http://user@A.com:8080"), "http://user@a.com:8080/"},
    {U("HTTP://A.COM/Path/To"), "http://a.com/Path/To"},
    {U("http:\\\\a.com\\b\\c?x\\y"), "http://a.com/b/c?x\\y"},
    {U("http:a.com/x"), "http://a.com/x"},
    {U("http://[::1]:8080/"), "http://[::1]:8080/"},
    {U("http://[0:0::1]"), "http://[::1]/"},
    {U("http://0x7f.1/"), "http://127.0.0.1/"},
    {U("http://%41.com/%41"), "http://a.com/%41"},
    {U("  http://a.c\tom/\n  "), "http://a.com/"},
    {U("http://a.com/a b"), "http://a.com/a b"},
    {U("data:text/plain,x#y"), "data:text/plain,x"},
    {U("DATA:X"), "data:X"},
    {U("about:blank"), "about:blank"},
    {U("blob:https://a.com/uuid#f"), "blob:https://a.com/uuid"},
    {U("Blob:HTTPS://a.com/u"), "blob:HTTPS://a.com/u"},
};

START_TEST(test_href) {
  const href_case *t = &href_cases[_i];
  tu_counter c = {0, 0, 0, 0};
  corsim_allocator a = tu_counting_allocator(&c);
  corsim__origin o;
  char *href = NULL;
  size_t hl = 0;
  int rc;

  rc = corsim__parse_url(&a, t->in, t->len, &o, &href, &hl);
  ck_assert_msg(rc == 0, "%s: returned %d", esc(t->in, t->len), rc);
  ck_assert_msg(hl == strlen(t->href) && memcmp(href, t->href, hl) == 0,
                "%s: href \"%s\", want \"%s\"", esc(t->in, t->len),
                esc(href, hl), t->href);
  corsim__free(&a, href);
  corsim__origin_clear(&a, &o);
  ck_assert_uint_eq(c.live, 0);
}
END_TEST

/* ------------------------------------------------------------------------
 * Allocation failure in corsim__parse_url
 * ------------------------------------------------------------------------ */

typedef struct nomem_case {
  const char *in;
  const char *origin;
  const char *href;
} nomem_case;

static const nomem_case nomem_cases[] = {
    {"http://u:p@Example.com:8080/p?q#f", "http://example.com:8080",
     "http://u:p@example.com:8080/p?q"},
    {"http://a.com:65535", "http://a.com:65535", "http://a.com:65535/"},
    {"http://[::1]/", "http://[::1]", "http://[::1]/"},
    {"https://0x7f.1", "https://127.0.0.1", "https://127.0.0.1/"},
    {"blob:https://a.com/x", "https://a.com", "blob:https://a.com/x"},
    {"blob:data:x", "null", "blob:data:x"},
    {"data:text/plain,x", "null", "data:text/plain,x"},
};

START_TEST(test_parse_nomem) {
  const nomem_case *t = &nomem_cases[_i];
  size_t fail_at;
  int done = 0;

  for (fail_at = 1; !done; fail_at++) {
    tu_counter c = {0, 0, 0, 0};
    corsim_allocator a = tu_counting_allocator(&c);
    corsim__origin o;
    char *href = (char *)1;
    size_t hl = 0;
    int rc, with_href = (int)(fail_at & 1);

    ck_assert_uint_lt(fail_at, 100);
    c.fail_at = fail_at;
    rc = corsim__parse_url(&a, t->in, strlen(t->in), &o,
                           with_href ? &href : NULL, with_href ? &hl : NULL);
    if (c.allocs < fail_at) {
      /* no allocation failed: this is the success case */
      ck_assert_msg(rc == 0, "%s: returned %d", t->in, rc);
      done = 1;
    } else {
      ck_assert_msg(rc == CORSIM_ERR_NOMEM,
                    "%s: allocation %zu failed but returned %d", t->in,
                    fail_at, rc);
      ck_assert_ptr_null(o.ser);
      if (with_href)
        ck_assert_ptr_null(href);
      ck_assert_uint_eq(c.live, 0);
      /* retry without failure (also with href, to cover both shapes) */
      c.fail_at = 0;
      with_href = 1;
      rc = corsim__parse_url(&a, t->in, strlen(t->in), &o, &href, &hl);
      ck_assert_int_eq(rc, 0);
    }
    ck_assert_uint_eq(o.len, strlen(t->origin));
    ck_assert(memcmp(o.ser, t->origin, o.len) == 0);
    if (with_href) {
      ck_assert_uint_eq(hl, strlen(t->href));
      ck_assert(memcmp(href, t->href, hl) == 0);
      corsim__free(&a, href);
    }
    corsim__origin_clear(&a, &o);
    ck_assert_uint_eq(c.live, 0);
  }
}
END_TEST

/* ------------------------------------------------------------------------
 * Relative references (corsim__resolve_url): a Location value resolved
 * against the current URL as the URL Standard's basic URL parser does with
 * a base (#concept-basic-url-parser: relative, relative slash, special
 * relative or authority, path and query states), href serialized without
 * the fragment.
 * ------------------------------------------------------------------------ */

#define BASE "https://h.example/a/b/c?q=1"

typedef struct resolve_case {
  const char *base;
  const char *ref;
  size_t ref_len;
  int rc;
  const char *href; /* NULL when rc != 0 */
} resolve_case;

static const resolve_case resolve_cases[] = {
    /* absolute references replace the base (fragment dropped, scheme and
     * host lowercased, default port dropped, userinfo kept) */
    {BASE, U("http://Other.example:80/x#f"), 0, "http://other.example/x"},
    {BASE, U("https://o.example:443"), 0, "https://o.example/"},
    {BASE, U("https://o.example:8443/x?y"), 0, "https://o.example:8443/x?y"},
    {BASE, U("https://u:p@o.example/x"), 0, "https://u:p@o.example/x"},
    {BASE, U("ftp://f.example/x"), 0, "ftp://f.example/x"},
    {BASE, U("data:text/plain,hi#f"), 0, "data:text/plain,hi"},
    {BASE, U("http:x.example/p"), 0, "http://x.example/p"},
    /* the base's own scheme without "//" is relative (special relative or
     * authority state; WPT urltestdata "http:foo.com", "http:/example.com/") */
    {BASE, U("https:x"), 0, "https://h.example/a/b/x"},
    {BASE, U("HTTPS:x"), 0, "https://h.example/a/b/x"},
    {BASE, U("https:/p"), 0, "https://h.example/p"},
    {BASE, U("https:?z"), 0, "https://h.example/a/b/c?z"},
    {BASE, U("https://o.example/p"), 0, "https://o.example/p"},
    {BASE, U("https:\\\\o.example\\p"), 0, "https://o.example/p"},
    /* scheme-relative */
    {BASE, U("//o.example/p"), 0, "https://o.example/p"},
    {BASE, U("//O.EXAMPLE"), 0, "https://o.example/"},
    {BASE, U("//o.example:443/p"), 0, "https://o.example/p"},
    {BASE, U("//o.example:444/p"), 0, "https://o.example:444/p"},
    {BASE, U("//u:p@o.example/p#f"), 0, "https://u:p@o.example/p"},
    {"http://h.example/", U("//o.example:80/"), 0, "http://o.example/"},
    {"http://h.example/", U("//o.example:443/"), 0, "http://o.example:443/"},
    /* absolute-path */
    {BASE, U("/p"), 0, "https://h.example/p"},
    {BASE, U("/"), 0, "https://h.example/"},
    {BASE, U("/p?x#y"), 0, "https://h.example/p?x"},
    {"https://u:p@h.example:8443/a", U("/p"), 0,
     "https://u:p@h.example:8443/p"},
    {BASE, U("/x/../y/./z"), 0, "https://h.example/y/z"},
    /* query only, fragment only */
    {BASE, U("?z"), 0, "https://h.example/a/b/c?z"},
    {BASE, U("?"), 0, "https://h.example/a/b/c?"},
    {BASE, U("?z#f"), 0, "https://h.example/a/b/c?z"},
    {BASE, U("?a/../b"), 0, "https://h.example/a/b/c?a/../b"},
    {BASE, U("#f"), 0, "https://h.example/a/b/c?q=1"},
    {BASE, U("#"), 0, "https://h.example/a/b/c?q=1"},
    /* path-relative */
    {BASE, U("d"), 0, "https://h.example/a/b/d"},
    {BASE, U("d?x#y"), 0, "https://h.example/a/b/d?x"},
    {BASE, U("d/"), 0, "https://h.example/a/b/d/"},
    {"https://h.example/a/b/", U("d"), 0, "https://h.example/a/b/d"},
    {"https://h.example/", U("d"), 0, "https://h.example/d"},
    {"https://h.example/?q", U("d"), 0, "https://h.example/d"},
    {BASE, U("../x"), 0, "https://h.example/a/x"},
    {BASE, U("./x"), 0, "https://h.example/a/b/x"},
    {BASE, U("."), 0, "https://h.example/a/b/"},
    {BASE, U(".."), 0, "https://h.example/a/"},
    {BASE, U("../"), 0, "https://h.example/a/"},
    {BASE, U("x/.."), 0, "https://h.example/a/b/"},
    {BASE, U("x/./y/../z"), 0, "https://h.example/a/b/x/z"},
    {BASE, U("..x/y"), 0, "https://h.example/a/b/..x/y"},
    {BASE, U("../../../../x"), 0, "https://h.example/x"},
    {"https://h.example/p", U("a/../../b"), 0, "https://h.example/b"},
    {"https://h.example/p", U("../.."), 0, "https://h.example/"},
    /* percent-encoded dots are dot segments too (URL Standard
     * #single-dot-path-segment, #double-dot-path-segment) */
    {BASE, U("%2e%2e/x"), 0, "https://h.example/a/x"},
    {BASE, U(".%2E/x"), 0, "https://h.example/a/x"},
    {BASE, U("%2e/x"), 0, "https://h.example/a/b/x"},
    {BASE, U("%2e%2"), 0, "https://h.example/a/b/%2e%2"},
    /* backslashes are slashes in special URLs (not in the query) */
    {BASE, U("\\p\\q"), 0, "https://h.example/p/q"},
    {BASE, U("\\\\o.example\\p"), 0, "https://o.example/p"},
    {BASE, U("/\\o.example/p"), 0, "https://o.example/p"},
    {BASE, U("d\\e"), 0, "https://h.example/a/b/d/e"},
    {BASE, U("..\\x"), 0, "https://h.example/a/x"},
    {BASE, U("?a\\b"), 0, "https://h.example/a/b/c?a\\b"},
    /* the empty reference is the base; C0 controls and spaces around are
     * trimmed; tabs and newlines inside are removed before anything else */
    {BASE, U(""), 0, "https://h.example/a/b/c?q=1"},
    {BASE, NULL, 0, 0, "https://h.example/a/b/c?q=1"},
    {BASE, U("   "), 0, "https://h.example/a/b/c?q=1"},
    {BASE, U("  /p \t"), 0, "https://h.example/p"},
    {BASE, U("\x01/p\x1f"), 0, "https://h.example/p"},
    {BASE, U("/p\tq"), 0, "https://h.example/pq"},
    {BASE, U("/\t/o.example/p"), 0, "https://o.example/p"},
    {BASE, U("ht\ttps://o.example/"), 0, "https://o.example/"},
    /* an opaque base cannot resolve a relative reference */
    {"data:text/plain,x", U("b"), CORSIM_ERR_BAD_URL, NULL},
    {"about:blank", U("/p"), CORSIM_ERR_BAD_URL, NULL},
    {"mailto:a@b.example", U("?q"), CORSIM_ERR_BAD_URL, NULL},
    {"data:text/plain,x", U("https://o.example/"), 0, "https://o.example/"},
    /* references that do not parse */
    {BASE, U("http://[::1"), CORSIM_ERR_BAD_URL, NULL},
    {BASE, U("//[::1"), CORSIM_ERR_BAD_URL, NULL},
    {BASE, U("https://a b.example/"), CORSIM_ERR_BAD_URL, NULL},
    {BASE, U("https://h.example:99999/"), CORSIM_ERR_BAD_URL, NULL},
    {BASE, U("//h.example:x/"), CORSIM_ERR_BAD_URL, NULL},
    {BASE, U("//"), CORSIM_ERR_BAD_URL, NULL},
    {BASE, U("http://"), CORSIM_ERR_BAD_URL, NULL},
    {BASE, U("//h%.example/"), CORSIM_ERR_BAD_URL, NULL},
    {BASE, U("//b\xc3\xbc" "cher.example/"), CORSIM_ERR_UNSUPPORTED, NULL},
};

START_TEST(test_resolve) {
  const resolve_case *t = &resolve_cases[_i];
  tu_counter c = {0, 0, 0, 0};
  corsim_allocator a = tu_counting_allocator(&c);
  corsim__origin o, o2;
  char *href = (char *)1;
  size_t hl = 7;
  int rc;

  rc = corsim__resolve_url(&a, t->base, strlen(t->base), t->ref, t->ref_len,
                           &o, &href, &hl);
  ck_assert_msg(rc == t->rc, "%s + \"%s\": returned %d (%s), want %d",
                t->base, esc(t->ref, t->ref_len), rc, corsim_error_name(rc),
                t->rc);
  if (t->rc) {
    ck_assert_ptr_null(href);
    ck_assert_uint_eq(hl, 0);
    ck_assert_ptr_null(o.ser);
    ck_assert_uint_eq(c.live, 0);
    return;
  }
  ck_assert_msg(hl == strlen(t->href) && memcmp(href, t->href, hl) == 0,
                "%s + \"%s\": href \"%s\", want \"%s\"", t->base,
                esc(t->ref, t->ref_len), esc(href, hl), t->href);
  /* the origin is the one of the href */
  ck_assert_ok(corsim__parse_url(&a, href, hl, &o2, NULL, NULL));
  ck_assert_int_eq(o.opaque, o2.opaque);
  ck_assert_msg(o.len == o2.len && memcmp(o.ser, o2.ser, o.len) == 0,
                "%s + \"%s\": origin \"%s\", want \"%s\"", t->base,
                esc(t->ref, t->ref_len), esc(o.ser, o.len),
                esc(o2.ser, o2.len));
  corsim__origin_clear(&a, &o2);
  corsim__free(&a, href);
  corsim__origin_clear(&a, &o);
  ck_assert_uint_eq(c.live, 0);
}
END_TEST

START_TEST(test_resolve_arguments) {
  corsim_allocator a;
  corsim__origin o;
  char *href = (char *)1;
  size_t hl = 3;

  corsim__alloc_init(&a, NULL);
  ck_assert_int_eq(corsim__resolve_url(&a, NULL, 0, U("/p"), &o, &href, &hl),
                   CORSIM_ERR_INVALID_ARGUMENT);
  ck_assert_ptr_null(href);
  ck_assert_ptr_null(o.ser);
  ck_assert_int_eq(corsim__resolve_url(&a, U(BASE), NULL, 2, &o, &href, &hl),
                   CORSIM_ERR_INVALID_ARGUMENT);
  ck_assert_ptr_null(href);
  ck_assert_int_eq(corsim__resolve_url(&a, U("not a url"), U("/p"), &o,
                                       &href, &hl),
                   CORSIM_ERR_BAD_URL);
  ck_assert_ptr_null(href);
}
END_TEST

/* Every allocation of a resolution may fail: CORSIM_ERR_NOMEM, nothing
 * left allocated, and then success with the same href. */
static const resolve_case resolve_nomem_cases[] = {
    {BASE, U("../x?y#z"), 0, "https://h.example/a/x?y"},
    {BASE, U("//u:p@O.example:8443/p"), 0, "https://u:p@o.example:8443/p"},
    {BASE, U("https://[::1]:443/"), 0, "https://[::1]/"},
    {BASE, U("data:,x"), 0, "data:,x"},
    {BASE, U("https:x"), 0, "https://h.example/a/b/x"},
    {BASE, U("/p\tq"), 0, "https://h.example/pq"},
};

START_TEST(test_resolve_nomem) {
  const resolve_case *t = &resolve_nomem_cases[_i];
  size_t fail_at;
  int done = 0;

  for (fail_at = 1; !done; fail_at++) {
    tu_counter c = {0, 0, 0, 0};
    corsim_allocator a = tu_counting_allocator(&c);
    corsim__origin o;
    char *href = NULL;
    size_t hl = 0;
    int rc;

    ck_assert_uint_lt(fail_at, 100);
    c.fail_at = fail_at;
    rc = corsim__resolve_url(&a, t->base, strlen(t->base), t->ref, t->ref_len,
                             &o, &href, &hl);
    if (c.allocs < fail_at) {
      ck_assert_msg(rc == 0, "%s: returned %d", t->ref, rc);
      ck_assert_msg(hl == strlen(t->href) && memcmp(href, t->href, hl) == 0,
                    "%s: href \"%s\"", t->ref, esc(href, hl));
      corsim__free(&a, href);
      corsim__origin_clear(&a, &o);
      done = 1;
    } else {
      ck_assert_msg(rc == CORSIM_ERR_NOMEM,
                    "%s: allocation %zu failed but returned %d", t->ref,
                    fail_at, rc);
      ck_assert_ptr_null(href);
      ck_assert_ptr_null(o.ser);
    }
    ck_assert_uint_eq(c.live, 0);
  }
}
END_TEST

/* corsim__url_has_credentials: URL Standard #include-credentials: the
 * username or the password is not empty. */
static const struct {
  const char *href;
  size_t len;
  int want;
} cred_cases[] = {
    {U("https://u:p@h.example/"), 1},
    {U("https://u@h.example/"), 1},
    {U("https://:p@h.example/"), 1},
    {U("https://u:@h.example/"), 1},
    {U("https://a@b@h.example/"), 1},
    {U("https://@b@h.example/"), 1},
    {U("https://%40@h.example/"), 1},
    {U("https://@h.example/"), 0},
    {U("https://:@h.example/"), 0},
    {U("https://h.example/"), 0},
    {U("https://h.example"), 0},
    {U("https://h.example/p@q"), 0},
    {U("https://h.example?x@y"), 0},
    {U("https://h.example#x@y"), 0},
    {U("https://[::1]:8080/"), 0},
    {U("data:text/plain,u:p@h"), 0},
    {U("mailto:a@b.example"), 0},
    {U("https:"), 0},
    {U(""), 0},
};

START_TEST(test_url_has_credentials) {
  ck_assert_msg(corsim__url_has_credentials(cred_cases[_i].href,
                                            cred_cases[_i].len) ==
                    cred_cases[_i].want,
                "%s: want %d", cred_cases[_i].href, cred_cases[_i].want);
}
END_TEST

static Suite *suite(void) {
  Suite *s = suite_create("origin");
  TCase *tc;

  tc = tcase_create("url_origin");
  tcase_add_loop_test(tc, test_origin_ok, 0,
                      (int)(sizeof ok_cases / sizeof ok_cases[0]));
  tcase_add_loop_test(tc, test_origin_ok_internal, 0,
                      (int)(sizeof ok_cases / sizeof ok_cases[0]));
  tcase_add_loop_test(tc, test_origin_ok_same_as_itself, 0,
                      (int)(sizeof ok_cases / sizeof ok_cases[0]));
  tcase_add_loop_test(tc, test_origin_err, 0,
                      (int)(sizeof err_cases / sizeof err_cases[0]));
  tcase_add_loop_test(tc, test_origin_err_internal, 0,
                      (int)(sizeof err_cases / sizeof err_cases[0]));
  suite_add_tcase(s, tc);

  tc = tcase_create("limits");
  tcase_set_timeout(tc, 60);
  tcase_add_test(tc, test_too_large);
  tcase_add_test(tc, test_buffer_too_small);
  tcase_add_test(tc, test_null_arguments);
  tcase_add_test(tc, test_null_string);
  suite_add_tcase(s, tc);

  tc = tcase_create("same_origin");
  tcase_add_loop_test(tc, test_same_origin, 0,
                      (int)(sizeof same_cases / sizeof same_cases[0]));
  tcase_add_test(tc, test_origin_same_internal);
  suite_add_tcase(s, tc);

  tc = tcase_create("href");
  tcase_add_loop_test(tc, test_href, 0,
                      (int)(sizeof href_cases / sizeof href_cases[0]));
  suite_add_tcase(s, tc);

  tc = tcase_create("resolve");
  tcase_add_loop_test(tc, test_resolve, 0,
                      (int)(sizeof resolve_cases / sizeof resolve_cases[0]));
  tcase_add_test(tc, test_resolve_arguments);
  tcase_add_loop_test(
      tc, test_resolve_nomem, 0,
      (int)(sizeof resolve_nomem_cases / sizeof resolve_nomem_cases[0]));
  tcase_add_loop_test(tc, test_url_has_credentials, 0,
                      (int)(sizeof cred_cases / sizeof cred_cases[0]));
  suite_add_tcase(s, tc);

  tc = tcase_create("nomem");
  tcase_add_loop_test(tc, test_parse_nomem, 0,
                      (int)(sizeof nomem_cases / sizeof nomem_cases[0]));
  suite_add_tcase(s, tc);
  return s;
}

int main(void) { return tu_run(suite()); }
