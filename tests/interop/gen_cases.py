#!/usr/bin/env python3
"""Generate the interop corpus: tests/interop/cases.jsonl.

    gen_cases.py [--out PATH] [--summary]

Every line is one case in exactly the input format of `corsim batch` (see
corsim(1), BATCH FORMAT), plus two members batch ignores: "category" and
"note" (a one-line description).  The same file drives the live server
(server.py writes each "raw" head byte for byte) and the predictions.

Fixed loopback origins:
  page origin      http://127.0.0.1:18610  (the runner page; also serves
                                            /case/ for same-origin cases)
  resource origin  http://127.0.0.1:18611  (most cases start here)
  third origin     http://127.0.0.1:18612  (cross-origin redirect targets)

Hop n of case <id> is at <origin>/case/<id>/<n>.  Hop 0 is on 18611 except
for the cases that test same-origin fetches (the "mode" category and the
tainting cases of "redirect"), which start on the page origin 18610.

Raw heads are JSON strings whose code points are the bytes (U+0000..U+00FF).
Unless a case is about message framing, a response has no body and says
Content-Length: 0.  Output is deterministic: running the script twice
gives identical files.
"""
import argparse
import collections
import json
import os
import sys

PAGE = "http://127.0.0.1:18610"
RES = "http://127.0.0.1:18611"
THIRD = "http://127.0.0.1:18612"
ORIGIN = PAGE

CASES = []
_counters = collections.Counter()


def case_url(cid, n, base=RES):
    return "%s/case/%s/%d" % (base, cid, n)


def head(status_line, lines, cl=True):
    """A raw head: status line, header lines (raw, no line ends), then
    Content-Length: 0 unless cl is False, then the empty line."""
    out = status_line + "\r\n"
    for ln in lines:
        out += ln + "\r\n"
    if cl:
        out += "Content-Length: 0\r\n"
    return out + "\r\n"


def ok(lines, cl=True, status="HTTP/1.1 200 OK"):
    return head(status, lines, cl)


def acao(v=ORIGIN):
    return "Access-Control-Allow-Origin: " + v


ACAC = "Access-Control-Allow-Credentials: true"


def aceh(v):
    return "Access-Control-Expose-Headers:" + v


def add(cat, note, responses=None, *, mode="cors", credentials="same-origin",
        method="GET", headers=(), redirect="follow", preflight=None,
        start=RES, make=None):
    """Append a case.  responses: list of raw heads, or None with make, a
    function of the case id returning (responses, preflight) (for cases
    whose raw bytes name their own URLs)."""
    _counters[cat] += 1
    cid = "%s-%03d" % (cat, _counters[cat])
    if make is not None:
        responses, preflight = make(cid)
    for r in responses:
        assert all(ord(ch) < 256 for ch in r), cid
    c = collections.OrderedDict()
    c["id"] = cid
    c["category"] = cat
    c["note"] = note
    c["profile"] = "spec"
    c["request"] = collections.OrderedDict([
        ("url", case_url(cid, 0, start)),
        ("origin", ORIGIN),
        ("mode", mode),
        ("credentials", credentials),
        ("method", method),
        ("headers", [list(h) for h in headers]),
        ("redirect", redirect),
    ])
    c["responses"] = [{"raw": r} for r in responses]
    if preflight is not None:
        c["preflight"] = {"raw": preflight}
    CASES.append(c)
    return cid


def allow_all_preflight(method="PUT", hdrs="x-foo", creds=False,
                        origin=ORIGIN):
    lines = [acao(origin), "Access-Control-Allow-Methods: " + method]
    if hdrs:
        lines.append("Access-Control-Allow-Headers: " + hdrs)
    if creds:
        lines.append(ACAC)
    return ok(lines, status="HTTP/1.1 204 No Content")


SAFELIST = [
    ("Cache-Control", "no-cache"),
    ("Content-Language", "en"),
    ("Content-Length", None),  # handled specially: it frames the body
    ("Content-Type", "text/plain"),
    ("Expires", "Thu, 01 Dec 2033 16:00:00 GMT"),
    ("Last-Modified", "Tue, 15 Nov 1994 12:45:26 GMT"),
    ("Pragma", "no-cache"),
]


# ---------------------------------------------------------------- safelist
def gen_safelist():
    cat = "safelist"
    for name, val in SAFELIST:
        if name == "Content-Length":
            body_lines = []
        else:
            body_lines = ["%s: %s" % (name, val)]
        extra = ["X-Other: 1"]
        variants = [
            ("%s not listed, ACAO exact" % name, [acao()], {}),
            ("%s not listed, ACAO *" % name, [acao("*")], {}),
            ("%s not listed, credentials include" % name, [acao(), ACAC],
             {"credentials": "include"}),
            ("%s listed in ACEH" % name, [acao(), aceh(" " + name.lower())],
             {}),
            ("%s not listed, name upper-case" % name, [acao()], {"upper": 1}),
            ("%s not listed, credentials omit" % name, [acao()],
             {"credentials": "omit"}),
        ]
        for note, cors, kw in variants:
            lines = list(cors)
            if kw.pop("upper", None):
                if name == "Content-Length":
                    resp = ok(lines + extra, cl=False).replace(
                        "\r\n\r\n", "\r\nCONTENT-LENGTH: 0\r\n\r\n")
                    add(cat, note, [resp], **kw)
                    continue
                lines += ["%s: %s" % (name.upper(), val)]
            else:
                lines += body_lines
            add(cat, note, [ok(lines + extra)], **kw)
    # Content-Length absent (body until close), and with a real body.
    add(cat, "no Content-Length: body read until close",
        [ok([acao(), "Content-Type: text/plain"], cl=False) + "hello"])
    add(cat, "Content-Length 5 with a 5-byte body",
        [ok([acao(), "Content-Type: text/plain", "Content-Length: 5"],
            cl=False) + "hello"])
    # Names next to the safelist that are not on it.
    near = [
        ("Content-Disposition", 'attachment; filename="a.txt"'),
        ("Content-Location", "/other"),
        ("Content-Range", "bytes 0-0/1"),
        ("Content-Security-Policy", "default-src 'none'"),
        ("Content-MD5", "Q2hlY2sgSW50ZWdyaXR5IQ=="),
        ("Content-Encoding", "identity"),
        ("Content-Base", "http://127.0.0.1:18611/"),
        ("Content-Types", "text/plain"),
        ("ContentType", "text/plain"),
        ("Expires-At", "never"),
        ("Cache-Control-Extra", "x"),
        ("X-Content-Type-Options", "nosniff"),
        ("Last-Event-ID", "7"),
        ("Pragma-X", "1"),
        ("Date", "Tue, 15 Nov 1994 08:12:31 GMT"),
    ]
    for name, val in near:
        add(cat, "%s (not safelisted), not listed" % name,
            [ok([acao(), "%s: %s" % (name, val)])])
        add(cat, "%s (not safelisted), listed" % name,
            [ok([acao(), aceh(" " + name), "%s: %s" % (name, val)])])
    # All seven at once, and all seven with a credentialed request.
    allseven = ["%s: %s" % (n, v) for n, v in SAFELIST if v]
    add(cat, "all safelisted names at once",
        [ok([acao()] + allseven + ["X-Other: 1"])])
    add(cat, "all safelisted names, credentials include",
        [ok([acao(), ACAC] + allseven + ["X-Other: 1"])],
        credentials="include")


# ---------------------------------------------------------------- headers
def gen_headers():
    cat = "headers"
    names = [
        ("X-Test", "xt"), ("x-lower", "l"), ("X-UPPER", "U"),
        ("X_Underscore", "u"), ("X.Dot", "d"), ("BB-8", "hey"),
        ("1-Digit", "1"), ("X!Bang", "b"), ("X~Tilde", "t"),
        ("Date", "Tue, 15 Nov 1994 08:12:31 GMT"), ("Server", "raw"),
        ("ETag", '"abc"'), ("Vary", "Origin"),
        ("Link", "<http://127.0.0.1:18611/next>; rel=\"next\""),
        ("Accept-Ranges", "bytes"), ("Age", "10"),
        ("Location", "http://127.0.0.1:18611/elsewhere"),
        ("WWW-Authenticate", 'Basic realm="x"'), ("Retry-After", "120"),
        ("Allow", "GET, HEAD"), ("Accept", "text/plain"),
        ("Access-Control-Allow-Methods", "GET"),
        ("Access-Control-Max-Age", "60"),
        ("Timing-Allow-Origin", "*"), ("X-Frame-Options", "DENY"),
        ("X-Powered-By", "corsim"), ("Refresh", "5"),
        ("Cross-Origin-Resource-Policy", "cross-origin"),
        ("Cross-Origin-Opener-Policy", "same-origin"),
        ("Cross-Origin-Embedder-Policy", "require-corp"),
        ("Origin-Agent-Cluster", "?1"),
        ("Keep-Alive", "timeout=5"), ("Trailer", "X-T"),
        ("Upgrade", "h2c"), ("Proxy-Connection", "close"),
        ("Connection", "close"),
    ]
    for name, val in names:
        line = "%s: %s" % (name, val)
        add(cat, "%s not listed" % name, [ok([acao(), line])])
        add(cat, "%s listed" % name,
            [ok([acao(), aceh(" " + name.lower()), line])])
        add(cat, "%s under ACEH *" % name,
            [ok([acao(), aceh(" *"), line])], credentials="omit")
    # ACEH and ACAO themselves, listed.
    add(cat, "ACAO and ACEH listed in ACEH",
        [ok([acao(), aceh(" access-control-allow-origin, "
                          "access-control-expose-headers, x-test"),
             "X-Test: 1"])])
    add(cat, "ACAO and ACEH under ACEH *",
        [ok([acao(), aceh(" *"), "X-Test: 1"])], credentials="omit")


# ---------------------------------------------------------------- aceh
ACEH_BASE = [
    "Content-Type: text/plain", "X-Test: xt", "Y-Test: yt", "BB-8: hey",
    "Content-Language: en", "Authorization: secret", "Accept: text/plain",
    "Server: raw", 'Content-Disposition: attachment; filename="a.txt"',
    "Set-Cookie: aceh=1", "Set-Cookie2: aceh2=1",
    "X!Test: bang", "X'Test: apos",
]


def gen_aceh():
    cat = "aceh"
    variants = [
        ("none", []),
        ("simple", [" x-test"]),
        ("upper-case", [" X-TEST"]),
        ("mixed case", [" x-Test, Y-TEST"]),
        ("no space after colon", ["x-test"]),
        ("trailing empty", [" x-test, "]),
        ("leading empty", [" , x-test"]),
        ("leading comma no space", [" ,x-test"]),
        ("double comma", [" x-test,,y-test"]),
        ("only commas", [" ,,,"]),
        ("only spaces", ["   "]),
        ("spaces and commas", [" , , "]),
        ("empty value", [""]),
        ("invalid after", [" x-test, bad token"]),
        ("invalid before", [" bad token, x-test"]),
        ("two lines", [" x-test", " y-test"]),
        ("two lines second invalid", [" x-test", " bad token"]),
        ("two lines first invalid", [" bad token", " x-test"]),
        ("empty line then name", ["", " x-test"]),
        ("name then empty line", [" x-test", ""]),
        ("three lines", [" x-test", " y-test", " bb-8"]),
        ("same name twice", [" x-test, x-test"]),
        ("same line twice", [" x-test", " x-test"]),
        ("tab around", ["\tx-test\t"]),
        ("tab separator", [" x-test,\ty-test"]),
        ("space before comma", [" x-test , y-test"]),
        ("many spaces", ["      x-test     ,     y-test     "]),
        ("trailing spaces", [" x-test   "]),
        ("form feed", [" x-test\x0c"]),
        ("vertical tab", [" x-test\x0b, y-test"]),
        ("DEL byte", [" x-test\x7f, y-test"]),
        ("control 0x01", [" x-test\x01, y-test"]),
        ("double-quoted", [' "x-test", y-test']),
        ("double-quoted pair", [' "x-test, y-test"']),
        ("single-quoted", [" 'x-test', y-test"]),
        ("apostrophe name", [" x'test, y-test"]),
        ("bang name", [" x!test, y-test"]),
        ("semicolon param", [" x-test;q=1, y-test"]),
        ("equals", [" x-test=1, y-test"]),
        ("slash", [" x-test/"]),
        ("at sign", [" x@test, y-test"]),
        ("parens", [" (x-test), y-test"]),
        ("brackets", [" [x-test], y-test"]),
        ("braces", [" {x-test}, y-test"]),
        ("colon", [" x-test:, y-test"]),
        ("question mark", [" x-test?, y-test"]),
        ("angle brackets", [" <x-test>, y-test"]),
        ("backslash", [" x\\test, y-test"]),
        ("non-ASCII latin-1", [" x-test, y-t\xe9st"]),
        ("non-ASCII UTF-8", [" x-test, y-t\xc3\xa9st"]),
        ("non-ASCII 0xFF alone", [" x-test, \xff"]),
        ("non-ASCII second line", [" x-test", " y-t\xe9st"]),
        ("space inside name", [" x test"]),
        ("semicolon separator", [" x-test; y-test"]),
        ("space separator", [" x-test y-test"]),
        ("content-disposition", [" content-disposition"]),
        ("authorization", [" authorization"]),
        ("accept", [" accept"]),
        ("server and bb-8", [" server, bb-8"]),
        ("set-cookie listed", [" set-cookie, set-cookie2, x-test"]),
        ("safelisted name listed", [" content-type, content-language"]),
        ("name not in response", [" x-absent"]),
        ("name not in response and x-test", [" x-absent, x-test"]),
        ("hyphen-only token", [" -, x-test"]),
        ("underscore", [" x_test, x-test"]),
        ("100 names, x-test last",
         [" " + ", ".join(["x-n%d" % i for i in range(99)] + ["x-test"])]),
        ("1000 names, x-test last",
         [" " + ", ".join(["x-n%d" % i for i in range(999)] + ["x-test"])]),
        ("100 names, invalid last",
         [" " + ", ".join(["x-test"] + ["x-n%d" % i for i in range(98)]
                          + ["bad token"])]),
        ("50 lines", [" x-n%d" % i for i in range(49)] + [" x-test"]),
        ("1000-char name", [" x-test, x-" + "a" * 998]),
        ("8000-byte list", [" " + ", ".join(["x-test"] + ["x-%04d" % i
                                                        for i in range(1140)])]),
    ]
    for note, lines in variants:
        add(cat, note, [ok([acao()] + [aceh(v) for v in lines] + ACEH_BASE)])
    # Header name spellings of ACEH itself.
    for nm in ("access-control-expose-headers",
               "ACCESS-CONTROL-EXPOSE-HEADERS",
               "Access-Control-Expose-Header",
               "Access-Control-Expose-Headers "):
        add(cat, "header name spelled %r" % nm,
            [ok([acao(), nm + ": x-test"] + ACEH_BASE)])
    # A few under credentials include.
    for note, lines in [("simple, include", [" x-test"]),
                        ("invalid after, include", [" x-test, bad token"]),
                        ("two lines, include", [" x-test", " y-test"]),
                        ("authorization, include", [" authorization"]),
                        ("accept, include", [" accept"])]:
        add(cat, note, [ok([acao(), ACAC] + [aceh(v) for v in lines]
                           + ACEH_BASE)], credentials="include")
    # ACEH on a failing CORS check changes nothing.
    add(cat, "ACEH with ACAO missing", [ok([aceh(" x-test")] + ACEH_BASE)])


# ---------------------------------------------------------------- star
def gen_star():
    cat = "star"
    lists = [
        ("*", [" *"]),
        ("* with spaces", ["  *  "]),
        ("*, x-test", [" *, x-test"]),
        ("x-test, *", [" x-test, *"]),
        ("x-test line + * line", [" x-test", " *"]),
        ("*, bad token", [" *, bad token"]),
        ("bad token, *", [" bad token, *"]),
        ("**", [" **"]),
        ("quoted *", [' "*"']),
        ("*, authorization", [" *, authorization"]),
        ("*, set-cookie", [" *, set-cookie"]),
    ]
    setups = [
        ("ACAO *, omit", [acao("*")], "omit"),
        ("ACAO *, same-origin", [acao("*")], "same-origin"),
        ("ACAO exact, omit", [acao()], "omit"),
        ("ACAO exact, same-origin", [acao()], "same-origin"),
        ("ACAO exact + ACAC, include", [acao(), ACAC], "include"),
        ("ACAO * + ACAC, include", [acao("*"), ACAC], "include"),
    ]
    for lnote, lines in lists:
        for snote, cors, cred in setups:
            add(cat, "ACEH %s; %s" % (lnote, snote),
                [ok(cors + [aceh(v) for v in lines] + ACEH_BASE)],
                credentials=cred)
    add(cat, "ACEH * with ACAC false, omit",
        [ok([acao(), "Access-Control-Allow-Credentials: false", aceh(" *")]
            + ACEH_BASE)], credentials="omit")
    add(cat, "ACEH * and a header literally named *",
        [ok([acao(), aceh(" *"), "*: star"] + ACEH_BASE)],
        credentials="omit")
    add(cat, "ACEH x-dup, * with include, header named *",
        [ok([acao(), ACAC, aceh(" x-dup, *"), "X-Dup: 1", "x-dup: 2",
             "X-DUP:  3 ", "*: star"])], credentials="include")


# ---------------------------------------------------------------- sensitive
def gen_sensitive():
    cat = "sensitive"
    hdrs = [
        ("Authorization", "Bearer secret"),
        ("Set-Cookie", "sens=1; Path=/"),
        ("Set-Cookie2", "sens2=1"),
        ("WWW-Authenticate", 'Bearer realm="x"'),
        ("Proxy-Authenticate", 'Basic realm="p"'),
        ("Cookie", "c=1"),
    ]
    for name, val in hdrs:
        line = "%s: %s" % (name, val)
        for anote, alines in [("no ACEH", []), ("ACEH *", [" *"]),
                              ("listed", [" " + name.lower()]),
                              ("listed upper", [" " + name.upper()]),
                              ("*, listed", [" *, " + name.lower()])]:
            add(cat, "%s, %s, omit" % (name, anote),
                [ok([acao("*")] + [aceh(v) for v in alines]
                    + [line, "X-Test: 1"])], credentials="omit")
            add(cat, "%s, %s, include" % (name, anote),
                [ok([acao(), ACAC] + [aceh(v) for v in alines]
                    + [line, "X-Test: 1"])], credentials="include")
    add(cat, "two Set-Cookie lines, ACEH *, omit",
        [ok([acao("*"), aceh(" *"), "Set-Cookie: s1=1", "Set-Cookie: s2=2",
             "X-Test: 1"])], credentials="omit")
    add(cat, "two Set-Cookie lines listed, include",
        [ok([acao(), ACAC, aceh(" set-cookie"), "Set-Cookie: s3=1",
             "Set-Cookie: s4=2", "X-Test: 1"])], credentials="include")
    add(cat, "set-cookie lower-case name, ACEH *",
        [ok([acao("*"), aceh(" *"), "set-cookie: s5=1", "X-Test: 1"])],
        credentials="omit")
    add(cat, "Authorization twice, ACEH *",
        [ok([acao("*"), aceh(" *"), "Authorization: a", "Authorization: b"])],
        credentials="omit")


# ---------------------------------------------------------------- acao
def gen_acao():
    cat = "acao"
    values = [
        ("exact", [acao()]),
        ("*", [acao("*")]),
        ("* padded", ["Access-Control-Allow-Origin:  *  "]),
        ("no space after colon", ["Access-Control-Allow-Origin:" + ORIGIN]),
        ("spaces around", ["Access-Control-Allow-Origin:   %s   " % ORIGIN]),
        ("tabs around", ["Access-Control-Allow-Origin:\t%s\t" % ORIGIN]),
        ("trailing slash", [acao(ORIGIN + "/")]),
        ("with path", [acao(ORIGIN + "/x")]),
        ("fragment", [acao(ORIGIN + "#")]),
        ("upper-case scheme", [acao("HTTP://127.0.0.1:18610")]),
        ("upper-case everything", [acao(ORIGIN.upper())]),
        ("no port", [acao("http://127.0.0.1")]),
        ("resource origin", [acao(RES)]),
        ("https", [acao("https://127.0.0.1:18610")]),
        ("localhost", [acao("http://localhost:18610")]),
        ("leading-zero port", [acao("http://127.0.0.1:018610")]),
        ("short IP", [acao("http://127.1:18610")]),
        ("no scheme", [acao("127.0.0.1:18610")]),
        ("null", [acao("null")]),
        ("NULL", [acao("NULL")]),
        ("empty", ["Access-Control-Allow-Origin:"]),
        ("missing", []),
        ("two identical lines", [acao(), acao()]),
        ("exact then *", [acao(), acao("*")]),
        ("* then exact", [acao("*"), acao()]),
        ("two origins in one line", [acao(ORIGIN + ", " + ORIGIN)]),
        ("origin, *", [acao(ORIGIN + ", *")]),
        ("double-quoted", [acao('"%s"' % ORIGIN)]),
        ("trailing vertical tab", [acao(ORIGIN + "\x0b")]),
        ("trailing form feed", [acao(ORIGIN + "\x0c")]),
        ("non-ASCII after", [acao(ORIGIN + "\xe9")]),
        ("lower-case name", ["access-control-allow-origin: " + ORIGIN]),
        ("upper-case name", ["ACCESS-CONTROL-ALLOW-ORIGIN: " + ORIGIN]),
        ("misspelled name", ["Access-Control-Allow-Origins: " + ORIGIN]),
        ("empty line then exact", ["Access-Control-Allow-Origin:", acao()]),
    ]
    for note, lines in values:
        add(cat, "ACAO %s, same-origin credentials" % note,
            [ok(lines + ["X-Test: 1", aceh(" x-test")])])
        add(cat, "ACAO %s, include + ACAC" % note,
            [ok(lines + [ACAC, "X-Test: 1", aceh(" x-test")])],
            credentials="include")


# ---------------------------------------------------------------- acac
def gen_acac():
    cat = "acac"
    values = [
        ("true", ["Access-Control-Allow-Credentials: true"]),
        ("True", ["Access-Control-Allow-Credentials: True"]),
        ("TRUE", ["Access-Control-Allow-Credentials: TRUE"]),
        ("padded", ["Access-Control-Allow-Credentials:  true  "]),
        ("tab", ["Access-Control-Allow-Credentials:\ttrue"]),
        ("no space", ["Access-Control-Allow-Credentials:true"]),
        ("false", ["Access-Control-Allow-Credentials: false"]),
        ("1", ["Access-Control-Allow-Credentials: 1"]),
        ("yes", ["Access-Control-Allow-Credentials: yes"]),
        ("empty", ["Access-Control-Allow-Credentials:"]),
        ("missing", []),
        ("true, true", ["Access-Control-Allow-Credentials: true, true"]),
        ("two lines true", ["Access-Control-Allow-Credentials: true"] * 2),
        ("true then false", ["Access-Control-Allow-Credentials: true",
                             "Access-Control-Allow-Credentials: false"]),
        ("quoted", ['Access-Control-Allow-Credentials: "true"']),
        ("true;", ["Access-Control-Allow-Credentials: true;"]),
        ("trailing vertical tab", ["Access-Control-Allow-Credentials: true\x0b"]),
        ("lower-case name", ["access-control-allow-credentials: true"]),
        ("empty line then true", ["Access-Control-Allow-Credentials:",
                                  "Access-Control-Allow-Credentials: true"]),
    ]
    for note, lines in values:
        add(cat, "ACAC %s, include, ACAO exact" % note,
            [ok([acao()] + lines + ["X-Test: 1", aceh(" x-test")])],
            credentials="include")
    for note, lines in values[:1] + values[6:7] + values[10:11]:
        add(cat, "ACAC %s, include, ACAO *" % note,
            [ok([acao("*")] + lines + ["X-Test: 1", aceh(" x-test")])],
            credentials="include")
    for cred in ("omit", "same-origin"):
        for note, lines in values[:1] + values[6:7] + values[1:2]:
            add(cat, "ACAC %s, %s, ACAO exact" % (note, cred),
                [ok([acao()] + lines + ["X-Test: 1", aceh(" x-test")])],
                credentials=cred)


# ---------------------------------------------------------------- combine
def gen_combine():
    cat = "combine"
    groups = [
        ("two lines", ["X-Dup: 1", "X-Dup: 2"]),
        ("three lines", ["X-Dup: 1", "X-Dup: 2", "X-Dup: 3"]),
        ("name case differs", ["X-Dup: 1", "x-dup: 2", "X-DUP: 3"]),
        ("empty then value", ["X-Dup:", "X-Dup: 2"]),
        ("value then empty", ["X-Dup: 1", "X-Dup:"]),
        ("both empty", ["X-Dup:", "X-Dup:"]),
        ("single empty", ["X-Dup:"]),
        ("single spaces only", ["X-Dup:    "]),
        ("middle empty", ["X-Dup: 1", "X-Dup:", "X-Dup: 3"]),
        ("spaces around values", ["X-Dup:   1   ", "X-Dup:\t2\t"]),
        ("internal spaces kept", ["X-Dup: a  b", "X-Dup: c\td"]),
        ("values with commas", ["X-Dup: a, b", "X-Dup: c"]),
        ("not adjacent", ["X-Dup: 1", "X-Other: o", "X-Dup: 2"]),
        ("identical values", ["X-Dup: same", "X-Dup: same"]),
        ("50 lines", ["X-Dup: %d" % i for i in range(50)]),
    ]
    for note, lines in groups:
        add(cat, "%s, listed" % note,
            [ok([acao(), aceh(" x-dup, x-other")] + lines)])
        add(cat, "%s, ACEH *" % note,
            [ok([acao(), aceh(" *")] + lines)], credentials="omit")
    safel = [
        ("Content-Type twice", ["Content-Type: text/plain",
                                "Content-Type: text/html"]),
        ("Content-Language twice", ["Content-Language: en",
                                    "Content-Language: fr"]),
        ("Cache-Control twice", ["Cache-Control: no-cache",
                                 "Cache-Control: max-age=0"]),
        ("Cache-Control empty + value", ["Cache-Control:",
                                         "Cache-Control: no-store"]),
        ("Pragma twice", ["Pragma: a", "Pragma: b"]),
        ("Expires twice", ["Expires: 0", "Expires: 1"]),
        ("Last-Modified twice", ["Last-Modified: Tue, 15 Nov 1994 12:45:26 GMT",
                                 "Last-Modified: Wed, 16 Nov 1994 12:45:26 GMT"]),
    ]
    for note, lines in safel:
        add(cat, "%s (safelisted, no ACEH)" % note, [ok([acao()] + lines)])
    # Headers the network stack may refuse to see twice.
    framing = [
        ("Content-Length twice, same", ["Content-Length: 0",
                                        "Content-Length: 0"]),
        ("Content-Length twice, different", ["Content-Length: 0",
                                             "Content-Length: 1"]),
        ("Content-Length 0, 0 in one line", ["Content-Length: 0, 0"]),
        ("Content-Disposition twice, different",
         ['Content-Disposition: attachment; filename="a"',
          'Content-Disposition: attachment; filename="b"', "Content-Length: 0"]),
        ("Location twice, different",
         ["Location: http://127.0.0.1:18611/a",
          "Location: http://127.0.0.1:18611/b", "Content-Length: 0"]),
    ]
    for note, lines in framing:
        add(cat, note, [ok([acao(), aceh(" *")] + lines, cl=False)],
            credentials="omit")
    # Sorting of names in Array.from(headers).
    add(cat, "sort order of names",
        [ok([acao(), aceh(" *"), "b: 1", "a: 2", "A-b: 3", "a_: 4", "a-: 5",
             "B0: 6", "a.: 7", "Z: 8"])], credentials="omit")
    add(cat, "sort order with duplicates interleaved",
        [ok([acao(), aceh(" *"), "b: 1", "a: 2", "B: 3", "A: 4"])],
        credentials="omit")


# ---------------------------------------------------------------- status
def gen_status():
    cat = "status"
    codes = [
        (200, "OK"), (201, "Created"), (202, "Accepted"),
        (203, "Non-Authoritative Information"), (204, "No Content"),
        (205, "Reset Content"), (206, "Partial Content"), (207, "Multi-Status"),
        (226, "IM Used"), (250, "Unknown"), (299, "Whatever"),
        (300, "Multiple Choices"), (301, "Moved Permanently"), (302, "Found"),
        (303, "See Other"), (304, "Not Modified"), (305, "Use Proxy"),
        (306, "Switch Proxy"), (307, "Temporary Redirect"),
        (308, "Permanent Redirect"), (399, "Odd"),
        (400, "Bad Request"), (401, "Unauthorized"), (402, "Payment Required"),
        (403, "Forbidden"), (404, "Not Found"), (405, "Method Not Allowed"),
        (407, "Proxy Authentication Required"), (409, "Conflict"),
        (410, "Gone"), (418, "I'm a teapot"), (421, "Misdirected Request"),
        (425, "Too Early"), (429, "Too Many Requests"),
        (451, "Unavailable For Legal Reasons"), (499, "Client Closed"),
        (500, "Internal Server Error"), (501, "Not Implemented"),
        (502, "Bad Gateway"), (503, "Service Unavailable"),
        (504, "Gateway Timeout"), (505, "HTTP Version Not Supported"),
        (511, "Network Authentication Required"), (599, "Odd"),
        (600, "Beyond"), (699, "Beyond"), (999, "Max"),
        (100, "Continue"), (101, "Switching Protocols"), (103, "Early Hints"),
        (199, "Odd"),
    ]
    for code, reason in codes:
        extra = ["Content-Range: bytes 0-0/1"] if code == 206 else []
        add(cat, "status %d" % code,
            [head("HTTP/1.1 %d %s" % (code, reason),
                  [acao(), aceh(" x-test"), "X-Test: 1"] + extra)])
    for code in (200, 404, 500):
        add(cat, "status %d without ACAO" % code,
            [head("HTTP/1.1 %d X" % code, ["X-Test: 1"])])
    for sl, note in [("HTTP/1.1 200 ", "empty reason"),
                     ("HTTP/1.1 200", "no reason, no space"),
                     ("HTTP/1.1 200 Fine", "custom reason"),
                     ("HTTP/1.1 200 Tr\xe8s bien", "non-ASCII reason"),
                     ("HTTP/1.1 200 " + "R" * 1000, "1000-byte reason"),
                     ("HTTP/1.1 200 OK  ", "reason with trailing spaces"),
                     ("HTTP/1.1 200 multiple  words here", "reason with spaces"),
                     ("HTTP/1.1 404 OK", "404 with reason OK"),
                     ("HTTP/1.1 200 Not Found", "200 with reason Not Found")]:
        add(cat, note, [head(sl, [acao(), "X-Test: 1"])])
    add(cat, "401 with ACEH www-authenticate (no challenge scheme)",
        [head("HTTP/1.1 401 Unauthorized",
              [acao(), aceh(" www-authenticate"), "WWW-Authenticate: X"])],
        credentials="omit")


# ---------------------------------------------------------------- wire
def gen_wire():
    cat = "wire"
    C = [acao(), aceh(" x-test, y-test")]
    W = []  # (note, raw)
    def w(note, lines, **kw):
        W.append((note, ok(lines, **kw)))
    # colon spacing
    w("space before colon (X-Test)", C + ["X-Test : 1"])
    w("tab before colon", C + ["X-Test\t: 1"])
    w("space before colon on ACAO",
      ["Access-Control-Allow-Origin : " + ORIGIN, aceh(" x-test"), "X-Test: 1"])
    w("space before colon on ACEH",
      [acao(), "Access-Control-Expose-Headers : x-test", "X-Test: 1"])
    w("no space after colon", C + ["X-Test:1"])
    w("no space after colon on every line",
      ["Access-Control-Allow-Origin:" + ORIGIN,
       "Access-Control-Expose-Headers:x-test", "X-Test:1"])
    w("many spaces after colon", C + ["X-Test:        1"])
    w("tab after colon", C + ["X-Test:\t1"])
    w("trailing whitespace", C + ["X-Test: 1  \t "])
    w("colon in value", C + ["X-Test: a:b:c"])
    w("two colons", C + ["X-Test:: 1"])
    # bare CR and line ends
    w("bare CR inside value", C + ["X-Test: a\rb"])
    w("bare CR ends a line", C + ["X-Test: 1\rY-Test: 2"])
    w("bare CR before ACAO line",
      [aceh(" x-test"), "X-Test: 1\r" + acao()])
    W.append(("LF-only line ends",
              ok(C + ["X-Test: 1"]).replace("\r\n", "\n")))
    W.append(("mixed CRLF and LF",
              "HTTP/1.1 200 OK\n" + acao() + "\r\n" + aceh(" x-test")
              + "\nX-Test: 1\r\nContent-Length: 0\n\r\n"))
    W.append(("CR CR LF line end",
              ok(C + ["X-Test: 1"]).replace("X-Test: 1\r\n",
                                            "X-Test: 1\r\r\n")))
    W.append(("LF then CRLF ends the head",
              ok(C + ["X-Test: 1"])[:-2].replace("Content-Length: 0\r\n",
                                                 "Content-Length: 0\n")
              + "\r\n"))
    # obs-fold
    w("obs-fold with space", C + ["X-Test: a", " b"])
    w("obs-fold with tab", C + ["X-Test: a", "\tb"])
    w("obs-fold in ACEH", [acao(), aceh(" x-test,"), " y-test",
                           "X-Test: 1", "Y-Test: 2"])
    w("obs-fold in ACAO", ["Access-Control-Allow-Origin:", " " + ORIGIN,
                           aceh(" x-test"), "X-Test: 1"])
    w("obs-fold on first line after status",
      [" X-Leading: 1", acao(), aceh(" x-test"), "X-Test: 1"])
    w("obs-fold empty continuation", C + ["X-Test: a", "  "])
    # NUL and control bytes
    w("NUL in value", C + ["X-Test: a\x00b"])
    w("NUL in name", C + ["X-T\x00est: 1"])
    w("NUL in ACEH", [acao(), aceh(" x-test\x00"), "X-Test: 1"])
    w("NUL in unrelated header", C + ["X-Test: 1", "X-Other: \x00"])
    W.append(("NUL in reason phrase",
              head("HTTP/1.1 200 O\x00K", C + ["X-Test: 1"])))
    w("0x01 in value", C + ["X-Test: a\x01b"])
    w("0x7F in value", C + ["X-Test: a\x7fb"])
    w("form feed in value", C + ["X-Test: a\x0cb"])
    w("vertical tab in value", C + ["X-Test: a\x0bb"])
    w("latin-1 byte in value", C + ["X-Test: caf\xe9"])
    w("UTF-8 bytes in value", C + ["X-Test: caf\xc3\xa9"])
    w("0xFF in value", C + ["X-Test: \xff"])
    # names
    w("line without colon", C + ["X-Nocolon", "X-Test: 1"])
    w("empty name", C + [": v", "X-Test: 1"])
    w("space inside name", C + ["X Test: 1", "X-Test: 2"])
    w("non-ASCII in name", C + ["X-T\xe9st: 1", "X-Test: 2"])
    w("slash in name", C + ["X/Test: 1", "X-Test: 2"])
    w("at sign in name", C + ["X@Test: 1", "X-Test: 2"])
    w("10 KB name", C + ["X-" + "n" * 10240 + ": 1", "X-Test: 2"])
    # sizes
    for size in (8 * 1024, 16 * 1024, 64 * 1024, 100 * 1024, 200 * 1024,
                 250 * 1024, 260 * 1024, 512 * 1024):
        w("X-Test value of %d bytes" % size, C + ["X-Test: " + "v" * size])
    for n in (100, 1000, 5000):
        w("%d header lines" % n,
          C + ["X-Test: 1"] + ["X-H%d: %d" % (i, i) for i in range(n)])
    w("ACEH of 64 KB, x-test last",
      [acao(), aceh(" " + "x-aaaaaaaa, " * 5461 + "x-test"), "X-Test: 1"])
    # status line
    for sl, note in [("HTTP/1.0 200 OK", "HTTP/1.0"),
                     ("HTTP/1.1  200 OK", "two spaces before code"),
                     ("http/1.1 200 OK", "lower-case http"),
                     ("HTTP/1.1 0200 OK", "4-digit code 0200"),
                     ("HTTP/1.1 20 OK", "2-digit code"),
                     ("HTTP/1.1 2000 OK", "4-digit code 2000"),
                     ("HTTP/1.2 200 OK", "HTTP/1.2"),
                     ("HTTP/2.0 200 OK", "HTTP/2.0"),
                     ("HTTP/1.1 200\tOK", "tab after code"),
                     ("HTTP/1.1 abc OK", "non-numeric code"),
                     ("HTTP/1.1 -200 OK", "negative code"),
                     ("HTTP/1.1 200OK", "no space after code"),
                     ("ICY 200 OK", "ICY protocol")]:
        W.append((note, head(sl, C + ["X-Test: 1"])))
    W.append(("empty line before status line",
              "\r\n" + ok(C + ["X-Test: 1"])))
    W.append(("head without final empty line",
              ok(C + ["X-Test: 1"])[:-2]))
    # framing
    W.append(("Content-Length larger than body",
              ok(C + ["X-Test: 1", "Content-Length: 5"], cl=False) + "abc"))
    W.append(("Content-Length smaller than body",
              ok(C + ["X-Test: 1", "Content-Length: 2"], cl=False) + "abc"))
    W.append(("Content-Length not a number",
              ok(C + ["X-Test: 1", "Content-Length: abc"], cl=False)))
    W.append(("Content-Length negative",
              ok(C + ["X-Test: 1", "Content-Length: -1"], cl=False)))
    W.append(("Transfer-Encoding chunked",
              ok(C + ["X-Test: 1", "Transfer-Encoding: chunked"], cl=False)
              + "3\r\nabc\r\n0\r\n\r\n"))
    W.append(("Transfer-Encoding chunked and Content-Length",
              ok(C + ["X-Test: 1", "Transfer-Encoding: chunked",
                      "Content-Length: 3"], cl=False)
              + "3\r\nabc\r\n0\r\n\r\n"))
    for note, raw in W:
        add(cat, note, [raw])


# ---------------------------------------------------------------- preflight
def gen_preflight():
    cat = "preflight"
    main_ok = ok([acao(), aceh(" x-test"), "X-Test: 1"])
    main_ok_cred = ok([acao(), ACAC, aceh(" x-test"), "X-Test: 1"])

    def pf(lines, status="HTTP/1.1 204 No Content"):
        return head(status, lines)

    # methods, ACAM variants (request PUT unless said)
    meths = [
        ("PUT", "PUT", "PUT"), ("PUT", "put", "put"), ("PUT", "PUT, DELETE", "list"),
        ("PUT", " PUT ", "padded"), ("PUT", "GET, POST", "not listed"),
        ("PUT", "*", "*"), ("PUT", "PUT,,", "trailing commas"),
        ("PUT", ",PUT", "leading comma"), ("PUT", "PUT, BAD METHOD", "invalid token"),
        ("PUT", "PUT;", "semicolon"), ("PUT", "", "empty"),
        ("put", "PUT", "lower-case request method normalised"),
        ("DELETE", "DELETE", "DELETE"), ("delete", "DELETE", "lower delete"),
        ("PATCH", "PATCH", "PATCH"), ("patch", "PATCH", "patch vs PATCH"),
        ("patch", "patch", "patch vs patch"), ("PATCH", "patch", "PATCH vs patch"),
        ("FOO", "FOO", "custom FOO"), ("foo", "FOO", "foo vs FOO"),
        ("OPTIONS", "OPTIONS", "OPTIONS method"), ("M-SEARCH", "M-SEARCH", "M-SEARCH"),
        ("PROPFIND", "*", "PROPFIND with *"),
    ]
    for m, acam, note in meths:
        add(cat, "method %s, ACAM %s" % (m, note), [main_ok], method=m,
            preflight=pf([acao(), "Access-Control-Allow-Methods: " + acam]))
    add(cat, "method PUT, ACAM missing", [main_ok], method="PUT",
        preflight=pf([acao()]))
    add(cat, "method PUT, ACAM two lines GET + PUT", [main_ok], method="PUT",
        preflight=pf([acao(), "Access-Control-Allow-Methods: GET",
                      "Access-Control-Allow-Methods: PUT"]))
    add(cat, "method PUT, ACAM * with include", [main_ok_cred], method="PUT",
        credentials="include",
        preflight=pf([acao(), ACAC, "Access-Control-Allow-Methods: *"]))
    add(cat, "method PUT, ACAM PUT with include", [main_ok_cred], method="PUT",
        credentials="include",
        preflight=pf([acao(), ACAC, "Access-Control-Allow-Methods: PUT"]))
    add(cat, "method PUT include, preflight without ACAC", [main_ok_cred],
        method="PUT", credentials="include",
        preflight=pf([acao(), "Access-Control-Allow-Methods: PUT"]))
    for m in ("GET", "HEAD", "POST"):
        add(cat, "%s with X-Foo, ACAH x-foo, no ACAM" % m, [main_ok], method=m,
            headers=[("X-Foo", "1")],
            preflight=pf([acao(), "Access-Control-Allow-Headers: x-foo"]))
    # request headers, ACAH variants (GET + X-Foo)
    acahs = [
        ("x-foo", "x-foo"), ("X-FOO", "upper"), ("x-bar, x-foo", "list"),
        ("*", "*"), ("x-foo, bad token", "invalid token"), (",x-foo", "leading comma"),
        ("", "empty"), ("x-bar", "other name"), ("x-foo\t", "trailing tab"),
        ('"x-foo"', "quoted"), ("x-f\xe9o, x-foo", "non-ASCII item"),
        ("*, x-foo", "*, x-foo"), ("x-fo", "prefix only"),
    ]
    for v, note in acahs:
        add(cat, "X-Foo, ACAH %s" % note, [main_ok], headers=[("X-Foo", "1")],
            preflight=pf([acao(), "Access-Control-Allow-Headers: " + v]))
    add(cat, "X-Foo, ACAH missing", [main_ok], headers=[("X-Foo", "1")],
        preflight=pf([acao()]))
    add(cat, "X-Foo, ACAH two lines", [main_ok], headers=[("X-Foo", "1")],
        preflight=pf([acao(), "Access-Control-Allow-Headers: x-bar",
                      "Access-Control-Allow-Headers: x-foo"]))
    add(cat, "X-Foo include, ACAH *", [main_ok_cred], headers=[("X-Foo", "1")],
        credentials="include",
        preflight=pf([acao(), ACAC, "Access-Control-Allow-Headers: *"]))
    add(cat, "X-A and X-B, ACAH x-a only", [main_ok],
        headers=[("X-A", "1"), ("X-B", "2")],
        preflight=pf([acao(), "Access-Control-Allow-Headers: x-a"]))
    add(cat, "X-A and X-B, ACAH x-b, x-a", [main_ok],
        headers=[("X-A", "1"), ("X-B", "2")],
        preflight=pf([acao(), "Access-Control-Allow-Headers: x-b, x-a"]))
    add(cat, "X-Foo twice in request", [main_ok],
        headers=[("X-Foo", "1"), ("x-foo", "2")],
        preflight=pf([acao(), "Access-Control-Allow-Headers: x-foo"]))
    add(cat, "PUT with X-Foo, ACAM * ACAH *", [main_ok], method="PUT",
        headers=[("X-Foo", "1")],
        preflight=pf([acao(), "Access-Control-Allow-Methods: *",
                      "Access-Control-Allow-Headers: *"]))
    # Authorization
    for v, note in [("authorization", "listed"), ("Authorization", "listed upper"),
                    ("*", "*"), ("*, authorization", "*, authorization"),
                    ("x-foo", "other name"), (None, "missing")]:
        lines = [acao()]
        if v is not None:
            lines.append("Access-Control-Allow-Headers: " + v)
        add(cat, "Authorization, ACAH %s, omit" % note, [main_ok],
            credentials="omit", headers=[("Authorization", "Bearer t")],
            preflight=pf(lines))
        add(cat, "Authorization, ACAH %s, include" % note, [main_ok_cred],
            credentials="include", headers=[("Authorization", "Bearer t")],
            preflight=pf(lines + [ACAC]))
    # Which request headers need a preflight at all: the answer allows them,
    # so the count of OPTIONS seen says whether one was sent.
    safe_tests = [
        ("Accept", "text/html"), ("Accept", "a" * 129),
        ("Accept", 'text/"html"'), ("Accept", "text/(html)"),
        ("Accept-Language", "en-US"), ("Accept-Language", "en;q=0.9, *"),
        ("Accept-Language", "e@n"),
        ("Content-Language", "en"), ("Content-Language", "e n"),
        ("Content-Type", "text/plain"), ("Content-Type", "text/plain; charset=utf-8"),
        ("Content-Type", "application/x-www-form-urlencoded"),
        ("Content-Type", "multipart/form-data; boundary=x"),
        ("Content-Type", "application/json"), ("Content-Type", "TEXT/PLAIN"),
        ("Content-Type", "text/plain;"), ("Content-Type", "text/plain ; x=\"(\""),
        ("Range", "bytes=0-"), ("Range", "bytes=0-1"), ("Range", "bytes=0-1,2-3"),
        ("Range", "bytes=-5"),
        ("X-Requested-With", "XMLHttpRequest"), ("DNT", "1"),
        ("Save-Data", "on"), ("Downlink", "10"),
    ]
    for name, val in safe_tests:
        shown = val if len(val) < 40 else val[:10] + "...(%d bytes)" % len(val)
        add(cat, "does %s: %s need a preflight" % (name, shown), [main_ok],
            headers=[(name, val)],
            preflight=pf([acao(), "Access-Control-Allow-Methods: GET",
                          "Access-Control-Allow-Headers: " + name.lower()]))
    add(cat, "POST Content-Type application/json", [main_ok], method="POST",
        headers=[("Content-Type", "application/json")],
        preflight=pf([acao(), "Access-Control-Allow-Headers: content-type"]))
    add(cat, "Accept of exactly 128 bytes", [main_ok],
        headers=[("Accept", "a" * 128)],
        preflight=pf([acao(), "Access-Control-Allow-Headers: accept"]))
    # preflight status, ACAO, framing
    for st in ("HTTP/1.1 200 OK", "HTTP/1.1 206 Partial Content",
               "HTTP/1.1 299 Odd", "HTTP/1.1 300 Multiple Choices",
               "HTTP/1.1 304 Not Modified", "HTTP/1.1 400 Bad Request",
               "HTTP/1.1 403 Forbidden", "HTTP/1.1 404 Not Found",
               "HTTP/1.1 500 Internal Server Error"):
        add(cat, "preflight status %s" % st[9:], [main_ok], method="PUT",
            preflight=pf([acao(), "Access-Control-Allow-Methods: PUT"], st))
    add(cat, "preflight 302 with Location", [main_ok], method="PUT",
        make=lambda cid: ([main_ok], pf(
            [acao(), "Access-Control-Allow-Methods: PUT",
             "Location: " + case_url(cid, 1)], "HTTP/1.1 302 Found")))
    for v, note in [("*", "*"), (None, "missing"), ("null", "null"),
                    (ORIGIN + "/", "trailing slash")]:
        lines = ["Access-Control-Allow-Methods: PUT"]
        if v is not None:
            lines.insert(0, acao(v))
        add(cat, "preflight ACAO %s" % note, [main_ok], method="PUT",
            preflight=pf(lines))
    add(cat, "preflight ACAO * with include", [main_ok_cred], method="PUT",
        credentials="include",
        preflight=pf([acao("*"), ACAC, "Access-Control-Allow-Methods: PUT"]))
    for v in ("60", "0", "-1", "+60", "abc", "86400000"):
        add(cat, "preflight Max-Age %s" % v, [main_ok], method="PUT",
            preflight=pf([acao(), "Access-Control-Allow-Methods: PUT",
                          "Access-Control-Max-Age: " + v]))
    add(cat, "preflight space before colon on ACAM", [main_ok], method="PUT",
        preflight=pf([acao(), "Access-Control-Allow-Methods : PUT"]))
    add(cat, "preflight obs-fold in ACAH", [main_ok], headers=[("X-Foo", "1")],
        preflight=pf([acao(), "Access-Control-Allow-Headers: x-bar,",
                      " x-foo"]))
    add(cat, "preflight passes, main response fails CORS",
        [ok(["X-Test: 1"])], method="PUT",
        preflight=pf([acao(), "Access-Control-Allow-Methods: PUT"]))
    add(cat, "preflight passes, main response 500", 
        [head("HTTP/1.1 500 Oops", [acao(), "X-Test: 1"])], method="PUT",
        preflight=pf([acao(), "Access-Control-Allow-Methods: PUT"]))
    add(cat, "no preflight needed, preflight answer given anyway", [main_ok],
        preflight=pf([acao(), "Access-Control-Allow-Methods: GET"]))


# ---------------------------------------------------------------- redirect
REDIR = [(301, "Moved Permanently"), (302, "Found"), (303, "See Other"),
         (307, "Temporary Redirect"), (308, "Permanent Redirect")]


def gen_redirect():
    cat = "redirect"

    def r(code, loc, lines=()):
        reason = dict(REDIR).get(code, "Redirect")
        return head("HTTP/1.1 %d %s" % (code, reason),
                    list(lines) + ["Location: " + loc])

    final = lambda extra=(): ok([acao(), aceh(" x-test"), "X-Test: 1"]
                                + list(extra))
    # Each status, same origin (18611 -> 18611) and cross (18611 -> 18612)
    for code, _ in REDIR:
        add(cat, "%d same-origin hop" % code,
            make=lambda cid, code=code: ([r(code, case_url(cid, 1), [acao()]),
                                          final()], None))
        add(cat, "%d cross-origin hop, final ACAO null" % code,
            make=lambda cid, code=code: ([r(code, case_url(cid, 1, THIRD),
                                            [acao()]),
                                          ok([acao("null"), aceh(" x-test"),
                                              "X-Test: 1"])], None))
        add(cat, "%d cross-origin hop, final ACAO exact" % code,
            make=lambda cid, code=code: ([r(code, case_url(cid, 1, THIRD),
                                            [acao()]), final()], None))
        add(cat, "%d cross-origin hop, final ACAO *" % code,
            make=lambda cid, code=code: ([r(code, case_url(cid, 1, THIRD),
                                            [acao()]),
                                          ok([acao("*"), aceh(" x-test"),
                                              "X-Test: 1"])], None))
        add(cat, "%d back to the page origin, final ACAO null" % code,
            make=lambda cid, code=code: ([r(code, case_url(cid, 1, PAGE),
                                            [acao()]),
                                          ok([acao("null"), aceh(" x-test"),
                                              "X-Test: 1"])], None))
        add(cat, "%d hop without ACAO" % code,
            make=lambda cid, code=code: ([r(code, case_url(cid, 1)), final()],
                                         None))
        add(cat, "%d POST, same-origin hop" % code, method="POST",
            make=lambda cid, code=code: ([r(code, case_url(cid, 1), [acao()]),
                                          final()], None))
        add(cat, "%d redirect manual" % code, redirect="manual",
            make=lambda cid, code=code: ([r(code, case_url(cid, 1), [acao()])],
                                         None))
        add(cat, "%d redirect error" % code, redirect="error",
            make=lambda cid, code=code: ([r(code, case_url(cid, 1), [acao()])],
                                         None))
        add(cat, "%d from the page origin to the resource origin (tainting)"
            % code, start=PAGE,
            make=lambda cid, code=code: ([r(code, case_url(cid, 1)), final()],
                                         None))
        add(cat, "%d page origin -> resource origin, final without ACAO"
            % code, start=PAGE,
            make=lambda cid, code=code: ([r(code, case_url(cid, 1)),
                                          ok(["X-Test: 1"])], None))
        add(cat, "%d no-cors cross-origin hop" % code, mode="no-cors",
            make=lambda cid, code=code: ([r(code, case_url(cid, 1, THIRD)),
                                          final()], None))
    # chains
    def chain(n, base_of, final_raw, hop_lines=lambda i: [acao()]):
        def mk(cid):
            rs = [r(302, case_url(cid, i + 1, base_of(i + 1)), hop_lines(i))
                  for i in range(n)]
            return rs + [final_raw], None
        return mk
    add(cat, "chain of 3 same-origin", make=chain(3, lambda i: RES, final()))
    add(cat, "chain 18611 -> 18612 -> 18611, final ACAO null",
        make=chain(2, lambda i: THIRD if i == 1 else RES,
                   ok([acao("null"), aceh(" x-test"), "X-Test: 1"]),
                   hop_lines=lambda i: [acao() if i == 0 else acao("null")]))
    add(cat, "chain 18611 -> 18612 -> 18611, final ACAO exact",
        make=chain(2, lambda i: THIRD if i == 1 else RES, final(),
                   hop_lines=lambda i: [acao() if i == 0 else acao("*")]))
    add(cat, "chain of 20 redirects", make=chain(20, lambda i: RES, final()))
    add(cat, "chain of 21 redirects", make=chain(21, lambda i: RES, final()))
    add(cat, "chain of 5 alternating origins, ACAO * everywhere",
        make=chain(5, lambda i: THIRD if i % 2 else RES,
                   ok([acao("*"), aceh(" x-test"), "X-Test: 1"]),
                   hop_lines=lambda i: [acao("*")]))
    # Location forms
    add(cat, "relative Location",
        make=lambda cid: ([r(302, "/case/%s/1" % cid, [acao()]), final()],
                          None))
    add(cat, "Location with fragment",
        make=lambda cid: ([r(302, case_url(cid, 1) + "#frag", [acao()]),
                           final()], None))
    add(cat, "Location with userinfo, cross-origin",
        make=lambda cid: ([r(302, "http://user:pw@127.0.0.1:18612/case/%s/1"
                             % cid, [acao()]), final()], None))
    add(cat, "Location with userinfo, same-origin",
        make=lambda cid: ([r(302, "http://user:pw@127.0.0.1:18611/case/%s/1"
                             % cid, [acao()]), final()], None))
    add(cat, "Location invalid URL",
        make=lambda cid: ([r(302, "http://[bad/", [acao()])], None))
    add(cat, "Location data: URL",
        make=lambda cid: ([r(302, "data:text/plain,hi", [acao()])], None))
    add(cat, "302 without Location",
        [head("HTTP/1.1 302 Found", [acao(), aceh(" x-test"), "X-Test: 1"])])
    # An empty Location resolves to the URL itself: a browser that follows
    # it asks for hop 0 again and the server sends the same head, so the
    # chain it sees is this head over and over (21 times reach the
    # 20-redirect limit).  The server only ever serves responses[0].
    add(cat, "302 with empty Location",
        [head("HTTP/1.1 302 Found", [acao(), "Location:", aceh(" x-test"),
                                     "X-Test: 1"])] * 21)
    add(cat, "ACEH on the hop only",
        make=lambda cid: ([r(302, case_url(cid, 1), [acao(), aceh(" x-test"),
                                                     "X-Test: hop"]),
                           ok([acao(), "X-Test: 1"])], None))
    # credentials over redirects
    add(cat, "include, same-origin hop with ACAC",
        credentials="include",
        make=lambda cid: ([r(302, case_url(cid, 1), [acao(), ACAC]),
                           final([ACAC])], None))
    add(cat, "include, hop without ACAC", credentials="include",
        make=lambda cid: ([r(302, case_url(cid, 1), [acao()]),
                           final([ACAC])], None))
    add(cat, "include, cross-origin hop, final ACAO null + ACAC",
        credentials="include",
        make=lambda cid: ([r(302, case_url(cid, 1, THIRD), [acao(), ACAC]),
                           ok([acao("null"), ACAC, aceh(" x-test"),
                               "X-Test: 1"])], None))
    add(cat, "include, cross-origin hop, final ACAO *",
        credentials="include",
        make=lambda cid: ([r(302, case_url(cid, 1, THIRD), [acao(), ACAC]),
                           ok([acao("*"), ACAC, aceh(" x-test"),
                               "X-Test: 1"])], None))
    # preflighted requests over redirects (later hops' preflights: the server
    # answers them with a permissive echo, see server.py)
    for code in (302, 307, 308, 303):
        add(cat, "PUT + X-Foo, %d same-origin hop" % code, method="PUT",
            headers=[("X-Foo", "1")],
            make=lambda cid, code=code: (
                [r(code, case_url(cid, 1), [acao()]), final()],
                allow_all_preflight("PUT", "x-foo")))
        add(cat, "PUT + X-Foo, %d cross-origin hop, final ACAO *" % code,
            method="PUT", headers=[("X-Foo", "1")],
            make=lambda cid, code=code: (
                [r(code, case_url(cid, 1, THIRD), [acao()]),
                 ok([acao("*"), aceh(" x-test"), "X-Test: 1"])],
                allow_all_preflight("PUT", "x-foo")))
    add(cat, "Authorization header, cross-origin hop", 
        headers=[("Authorization", "Bearer t")],
        make=lambda cid: ([r(307, case_url(cid, 1, THIRD), [acao()]),
                           ok([acao("*"), aceh(" x-test"), "X-Test: 1"])],
                          allow_all_preflight("GET", "authorization")))
    # same-origin chains from the page origin (basic responses)
    add(cat, "page origin -> page origin (basic, redirected)", start=PAGE,
        make=lambda cid: ([r(302, case_url(cid, 1, PAGE)),
                           ok(["X-Test: 1", "Set-Cookie: rd=1"])], None))
    add(cat, "page -> resource -> page, final ACAO null", start=PAGE,
        make=lambda cid: ([r(302, case_url(cid, 1)),
                           r(302, case_url(cid, 2, PAGE), [acao()]),
                           ok([acao("null"), aceh(" x-test"), "X-Test: 1"])],
                          None))
    add(cat, "page -> resource -> page, final without ACAO", start=PAGE,
        make=lambda cid: ([r(302, case_url(cid, 1)),
                           r(302, case_url(cid, 2, PAGE), [acao()]),
                           ok(["X-Test: 1"])], None))
    add(cat, "page origin, redirect manual", start=PAGE, redirect="manual",
        make=lambda cid: ([r(302, case_url(cid, 1, PAGE))], None))


# ---------------------------------------------------------------- mode
def gen_mode():
    cat = "mode"
    base = ["X-Test: 1", "Content-Type: text/plain", "Set-Cookie: md=1",
            "Set-Cookie2: md2=1", "Authorization: a", "Server: raw"]
    # no-cors to the resource origin
    for note, lines in [("ACAO exact", [acao()]), ("no ACAO", []),
                        ("ACAO * and ACEH *", [acao("*"), aceh(" *")])]:
        for cred in ("omit", "same-origin", "include"):
            add(cat, "no-cors GET, %s, %s" % (note, cred),
                [ok(lines + base)], mode="no-cors", credentials=cred)
    for st in ("HTTP/1.1 404 Not Found", "HTTP/1.1 500 Internal Server Error",
               "HTTP/1.1 204 No Content"):
        add(cat, "no-cors, status %s" % st[9:], [head(st, base)],
            mode="no-cors")
    for m in ("POST", "HEAD"):
        add(cat, "no-cors %s" % m, [ok(base)], mode="no-cors", method=m)
    for m in ("PUT", "DELETE", "PATCH"):
        add(cat, "no-cors %s (not allowed)" % m, [ok(base)], mode="no-cors",
            method=m)
    add(cat, "no-cors with safelisted header", [ok(base)], mode="no-cors",
        headers=[("Accept", "text/plain")])
    add(cat, "no-cors with X-Foo header", [ok(base)], mode="no-cors",
        headers=[("X-Foo", "1")])
    add(cat, "no-cors with Content-Type application/json", [ok(base)],
        mode="no-cors", method="POST",
        headers=[("Content-Type", "application/json")])
    for v in ("same-origin", "same-site", "cross-origin"):
        add(cat, "no-cors, CORP %s" % v,
            [ok(base + ["Cross-Origin-Resource-Policy: " + v])],
            mode="no-cors")
    add(cat, "cors, CORP same-origin", [ok([acao()] + base +
                                           ["Cross-Origin-Resource-Policy: "
                                            "same-origin"])])
    add(cat, "no-cors, NUL in a value", [ok(base + ["X-Bad: \x00"])],
        mode="no-cors")
    add(cat, "no-cors, 300 KB header", [ok(base + ["X-Big: " + "v" * 307200])],
        mode="no-cors")
    add(cat, "no-cors, redirect manual",
        make=lambda cid: ([head("HTTP/1.1 302 Found",
                                ["Location: " + case_url(cid, 1)])], None),
        mode="no-cors", redirect="manual")
    add(cat, "no-cors, redirect error",
        make=lambda cid: ([head("HTTP/1.1 302 Found",
                                ["Location: " + case_url(cid, 1)])], None),
        mode="no-cors", redirect="error")
    add(cat, "no-cors, redirect back to the page origin",
        make=lambda cid: ([head("HTTP/1.1 302 Found",
                                ["Location: " + case_url(cid, 1, PAGE)]),
                           ok(base)], None), mode="no-cors")
    # same-origin mode
    add(cat, "same-origin mode to the resource origin", [ok([acao()] + base)],
        mode="same-origin")
    add(cat, "same-origin mode to the resource origin, ACAO *",
        [ok([acao("*"), aceh(" *")] + base)], mode="same-origin")
    for cred in ("omit", "same-origin", "include"):
        add(cat, "same-origin mode to the page origin, %s" % cred,
            [ok(base)], mode="same-origin", credentials=cred, start=PAGE)
    add(cat, "same-origin mode, page origin, PUT + X-Foo", [ok(base)],
        mode="same-origin", start=PAGE, method="PUT", headers=[("X-Foo", "1")])
    add(cat, "same-origin mode, page origin, 404", [head(
        "HTTP/1.1 404 Not Found", base)], mode="same-origin", start=PAGE)
    add(cat, "same-origin mode, page -> page redirect", mode="same-origin",
        start=PAGE, make=lambda cid: ([head("HTTP/1.1 302 Found",
                                            ["Location: " + case_url(cid, 1, PAGE)]),
                                       ok(base)], None))
    add(cat, "same-origin mode, page -> resource redirect", mode="same-origin",
        start=PAGE, make=lambda cid: ([head("HTTP/1.1 302 Found",
                                            ["Location: " + case_url(cid, 1)]),
                                       ok([acao()] + base)], None))
    add(cat, "same-origin mode, redirect manual", mode="same-origin",
        start=PAGE, redirect="manual",
        make=lambda cid: ([head("HTTP/1.1 302 Found",
                                ["Location: " + case_url(cid, 1, PAGE)])],
                          None))
    # cors mode to the page origin: basic
    add(cat, "cors mode to the page origin (basic)", [ok(base)], start=PAGE)
    add(cat, "cors mode to the page origin, ACEH and ACAO ignored",
        [ok(["Access-Control-Allow-Origin: http://other.example",
             aceh(" x-none")] + base)], start=PAGE)
    add(cat, "cors mode to the page origin, PUT + X-Foo (no preflight)",
        [ok(base)], start=PAGE, method="PUT", headers=[("X-Foo", "1")])
    add(cat, "cors mode to the page origin, repeated headers",
        [ok(base + ["X-Dup: 1", "X-Dup:", "x-dup: 3"])], start=PAGE)
    add(cat, "no-cors mode to the page origin (basic)", [ok(base)],
        start=PAGE, mode="no-cors")
    add(cat, "cors mode to the page origin, wire: space before colon",
        [ok(base + ["X-Sp : 1"])], start=PAGE)
    add(cat, "cors mode to the page origin, obs-fold",
        [ok(base + ["X-Fold: a", " b"])], start=PAGE)


GENERATORS = [gen_safelist, gen_headers, gen_aceh, gen_star, gen_sensitive,
              gen_acao, gen_acac, gen_combine, gen_status, gen_wire,
              gen_preflight, gen_redirect, gen_mode]


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=os.path.join(here, "cases.jsonl"))
    ap.add_argument("--summary", action="store_true",
                    help="print the number of cases per category")
    a = ap.parse_args()
    for g in GENERATORS:
        g()
    ids = [c["id"] for c in CASES]
    assert len(ids) == len(set(ids))
    with open(a.out, "w", encoding="utf-8", newline="\n") as f:
        for c in CASES:
            f.write(json.dumps(c, ensure_ascii=True) + "\n")
    if a.summary:
        for cat, n in _counters.items():
            print("%-10s %4d" % (cat, n))
        print("%-10s %4d" % ("total", len(CASES)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
