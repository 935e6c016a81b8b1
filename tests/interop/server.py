#!/usr/bin/env python3
"""Loopback server for the interop suite: serves each case's raw bytes to a
browser and records what the runner page saw.

    server.py --engine NAME --version STRING [--cases cases.jsonl]
              [--out recorded/NAME.jsonl] [--timeout SECONDS]
              [--ready-file PATH] [--only ID[,ID...]]

It listens on 127.0.0.1 only, on three ports:

  18610  the page origin: GET / (index.html), /runner.js, /cases.json (the
         requests of the cases), POST /results (a JSON array of results),
         POST /log (a line for the server log), POST /done ({"userAgent"})
  18611  the resource origin
  18612  a third origin, for cross-origin redirects

On every port, /case/<id>/<n> answers hop n of case <id>:

  * any request but a preflight: the bytes of responses[n].raw, written to
    the socket exactly as given (each code point U+0000..U+00FF is one byte),
    then the connection is closed.  An unknown case or hop gets a 404.
  * OPTIONS with Access-Control-Request-Method, a CORS preflight (an
    OPTIONS without it is answered like any other method): for hop 0, the
    case's preflight.raw; a case without one gets "404 Not Found" with no
    CORS headers, so the preflight fails.  For a later hop (a redirect
    target), the case's preflight answers only hop 0: if the case has one,
    the later preflight gets an answer that allows whatever it asks for
    (ACAO echoing Origin, ACAC true, ACAM/ACAH echoing
    Access-Control-Request-Method/-Headers), because
    corsim counts later preflights and assumes they pass.

Cookies: GET /setup/cookie on 18611 answers with
  Set-Cookie: corsim_interop=1; Path=/; SameSite=Lax
and ACAO http://127.0.0.1:18610 + ACAC true.  The runner fetches it once
with credentials "include" before the cases, so credentialed requests carry
a cookie (cookies are per host, not per port: all three origins get it).
Each request's "cookie" flag in the recording says whether one was sent.

When the runner posts /done, the server writes --out: a first line
{"engine", "version", "user_agent", "cases", "cases_sha256"}, then one line
per case sorted by id: the runner's record followed by "server":
{"preflights": number of preflights seen, "requests": [{port, method, hop,
origin, cookie, acrm, acrh, preflight}, ...] in arrival order}.  Exit
status 0 when every case has a result, 1 when some are missing (they are
written with "missing": true), 2 when --timeout passes first (what there
is goes to OUT.partial).
"""
import argparse
import hashlib
import json
import os
import re
import socket
import socketserver
import sys
import threading
import time

HOST = "127.0.0.1"
PAGE_PORT, RES_PORT, THIRD_PORT = 18610, 18611, 18612
PORTS = (PAGE_PORT, RES_PORT, THIRD_PORT)
HERE = os.path.dirname(os.path.abspath(__file__))
CASE_RE = re.compile(r"^/case/([A-Za-z0-9_.-]+)/([0-9]+)$")
REFUSAL = b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"
COOKIE_SETUP = ("HTTP/1.1 200 OK\r\n"
                "Access-Control-Allow-Origin: http://127.0.0.1:18610\r\n"
                "Access-Control-Allow-Credentials: true\r\n"
                "Set-Cookie: corsim_interop=1; Path=/; SameSite=Lax\r\n"
                "Cache-Control: no-store\r\n"
                "Content-Length: 0\r\n\r\n").encode("latin-1")


class State:
    def __init__(self, cases, engine, version, out, cases_sha):
        self.cases = cases            # id -> case
        self.order = sorted(cases)
        self.engine = engine
        self.version = version
        self.out = out
        self.cases_sha = cases_sha
        self.lock = threading.Lock()
        self.results = {}             # id -> runner record
        self.requests = {i: [] for i in cases}
        self.preflights = {i: 0 for i in cases}
        self.unexpected = []
        self.user_agent = None
        self.done = threading.Event()


STATE = None


def log(msg):
    sys.stderr.write("server: %s\n" % msg)
    sys.stderr.flush()


def read_request(sock):
    """(method, path, headers{lower: value}, body) or None."""
    buf = b""
    while b"\r\n\r\n" not in buf:
        chunk = sock.recv(65536)
        if not chunk:
            return None
        buf += chunk
        if len(buf) > 4 * 1024 * 1024:
            return None
    head, _, rest = buf.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    parts = lines[0].split(" ")
    if len(parts) < 3:
        return None
    method, target = parts[0], parts[1]
    headers = {}
    for ln in lines[1:]:
        name, sep, value = ln.partition(":")
        if sep:
            key = name.strip().lower()
            value = value.strip()
            headers[key] = headers[key] + ", " + value if key in headers \
                else value
    try:
        n = int(headers.get("content-length", "0"))
    except ValueError:
        n = 0
    while len(rest) < n:
        chunk = sock.recv(65536)
        if not chunk:
            break
        rest += chunk
    path = target.split("?", 1)[0]
    if path.startswith("http://"):  # absolute form
        path = "/" + path.split("/", 3)[3] if path.count("/") >= 3 else "/"
    return method, path, headers, rest


def send_and_close(sock, data):
    try:
        # With TCP_CORK held until after shutdown(), Linux sends the FIN on
        # the last data segment, so the client sees the end of the response
        # and the close together.  Without it, a keep-alive client
        # (WebKitGTK's libsoup) can pick the idle connection for its next
        # request before the FIN arrives; the request is lost, libsoup
        # retries, and now and then fails it instead ("Load failed"), so
        # the recording changed from run to run.
        cork = getattr(socket, "TCP_CORK", None)
        if cork is not None:
            sock.setsockopt(socket.IPPROTO_TCP, cork, 1)
        sock.sendall(data)
        sock.shutdown(socket.SHUT_WR)
        if cork is not None:
            sock.setsockopt(socket.IPPROTO_TCP, cork, 0)
        # Drain what the client still sends so that close() does not turn
        # into a reset that could discard the response.
        sock.settimeout(2.0)
        while sock.recv(65536):
            pass
    except OSError:
        pass


def simple(status, ctype, body, extra=""):
    return ("HTTP/1.1 %s\r\nContent-Type: %s\r\nContent-Length: %d\r\n"
            "Cache-Control: no-store\r\nConnection: close\r\n%s\r\n"
            % (status, ctype, len(body), extra)).encode("latin-1") + body


def permissive_preflight(headers):
    lines = ["HTTP/1.1 204 No Content",
             "Access-Control-Allow-Origin: " + headers.get("origin", "*"),
             "Access-Control-Allow-Credentials: true"]
    if "access-control-request-method" in headers:
        lines.append("Access-Control-Allow-Methods: "
                     + headers["access-control-request-method"])
    if "access-control-request-headers" in headers:
        lines.append("Access-Control-Allow-Headers: "
                     + headers["access-control-request-headers"])
    lines.append("Content-Length: 0")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def runner_requests():
    out = []
    for cid in STATE.order:
        c = STATE.cases[cid]
        r = c["request"]
        out.append({"id": cid, "url": r["url"], "mode": r["mode"],
                    "credentials": r["credentials"], "method": r["method"],
                    "headers": r["headers"], "redirect": r["redirect"]})
    return json.dumps(out).encode("ascii")


def serve_case(port, method, cid, hop, headers):
    case = STATE.cases.get(cid)
    entry = {"port": port, "method": method, "hop": hop,
             "origin": headers.get("origin"),
             "cookie": "cookie" in headers,
             "acrm": headers.get("access-control-request-method"),
             "acrh": headers.get("access-control-request-headers")}
    if case is None:
        with STATE.lock:
            STATE.unexpected.append(dict(entry, id=cid))
        return REFUSAL
    # A CORS preflight is an OPTIONS request with
    # Access-Control-Request-Method; a fetch() whose own method is OPTIONS
    # has none and gets the case's response like any other method.
    is_preflight = (method == "OPTIONS"
                    and "access-control-request-method" in headers)
    entry["preflight"] = is_preflight
    with STATE.lock:
        STATE.requests[cid].append(entry)
        if is_preflight:
            STATE.preflights[cid] += 1
    if is_preflight:
        pre = case.get("preflight")
        if hop == 0:
            return pre["raw"].encode("latin-1") if pre else REFUSAL
        return permissive_preflight(headers) if pre else REFUSAL
    resps = case["responses"]
    if hop >= len(resps):
        return REFUSAL
    return resps[hop]["raw"].encode("latin-1")


class Handler(socketserver.BaseRequestHandler):
    def handle(self):
        sock = self.request
        port = self.server.server_address[1]
        try:
            sock.settimeout(30.0)
            req = read_request(sock)
        except OSError:
            return
        if req is None:
            return
        method, path, headers, body = req
        m = CASE_RE.match(path)
        if m:
            send_and_close(sock, serve_case(port, method, m.group(1),
                                            int(m.group(2)), headers))
            return
        if port == RES_PORT and path == "/setup/cookie":
            send_and_close(sock, COOKIE_SETUP)
            return
        if port != PAGE_PORT:
            send_and_close(sock, REFUSAL)
            return
        self.page(sock, method, path, body)

    def page(self, sock, method, path, body):
        if method == "GET" and path in ("/", "/index.html", "/runner.js"):
            name = "runner.js" if path == "/runner.js" else "index.html"
            ctype = ("text/javascript" if name == "runner.js"
                     else "text/html; charset=utf-8")
            with open(os.path.join(HERE, name), "rb") as f:
                send_and_close(sock, simple("200 OK", ctype, f.read()))
            return
        if method == "GET" and path == "/cases.json":
            send_and_close(sock, simple("200 OK", "application/json",
                                        runner_requests()))
            return
        if method == "POST" and path in ("/results", "/log", "/done"):
            try:
                data = json.loads(body.decode("utf-8"))
            except ValueError as e:
                send_and_close(sock, simple("400 Bad Request", "text/plain",
                                            str(e).encode()))
                return
            if path == "/results":
                with STATE.lock:
                    for rec in data:
                        STATE.results[rec["id"]] = rec
                    n = len(STATE.results)
                log("%d/%d results" % (n, len(STATE.cases)))
            elif path == "/log":
                log("page: %s" % data)
            else:
                STATE.user_agent = data.get("userAgent")
            send_and_close(sock, simple("204 No Content", "text/plain", b""))
            if path == "/done":
                STATE.done.set()
            return
        send_and_close(sock, simple("404 Not Found", "text/plain", b"no\n"))


class Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True
    request_queue_size = 128


def write_recording(path, partial=False):
    lines = [json.dumps({"engine": STATE.engine, "version": STATE.version,
                         "user_agent": STATE.user_agent,
                         "cases": len(STATE.cases),
                         "cases_sha256": STATE.cases_sha})]
    missing = 0
    for cid in STATE.order:
        rec = STATE.results.get(cid)
        if rec is None:
            missing += 1
            rec = {"id": cid, "missing": True}
        rec = dict(rec)
        rec["server"] = {"preflights": STATE.preflights[cid],
                         "requests": STATE.requests[cid]}
        lines.append(json.dumps(rec, ensure_ascii=True))
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(lines) + "\n")
    os.replace(tmp, path)
    return missing


def main():
    global STATE
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", default=os.path.join(HERE, "cases.jsonl"))
    ap.add_argument("--engine", required=True)
    ap.add_argument("--version", required=True)
    ap.add_argument("--out")
    ap.add_argument("--timeout", type=float, default=300.0)
    ap.add_argument("--ready-file")
    ap.add_argument("--only", help="comma-separated case ids (debugging)")
    a = ap.parse_args()
    out = a.out or os.path.join(HERE, "recorded", a.engine + ".jsonl")

    with open(a.cases, "rb") as f:
        raw = f.read()
    cases = {}
    for line in raw.decode("utf-8").splitlines():
        if line.strip():
            c = json.loads(line)
            cases[c["id"]] = c
    if a.only:
        keep = set(a.only.split(","))
        cases = {k: v for k, v in cases.items() if k in keep}
    STATE = State(cases, a.engine, a.version, out,
                  hashlib.sha256(raw).hexdigest())

    servers = []
    for port in PORTS:
        s = Server((HOST, port), Handler)
        servers.append(s)
        threading.Thread(target=s.serve_forever, daemon=True).start()
    log("listening on %s ports %s, %d cases" % (HOST, PORTS, len(cases)))
    if a.ready_file:
        with open(a.ready_file, "w") as f:
            f.write("ready\n")
    t0 = time.monotonic()
    finished = STATE.done.wait(a.timeout)
    for s in servers:
        s.shutdown()
        s.server_close()
    with STATE.lock:
        if not finished:
            write_recording(out + ".partial", partial=True)
            log("time limit of %gs reached with %d/%d results; wrote %s"
                % (a.timeout, len(STATE.results), len(cases),
                   out + ".partial"))
            return 2
        missing = write_recording(out)
    for u in STATE.unexpected:
        log("unexpected request: %s" % json.dumps(u))
    log("wrote %s (%d cases, %d missing) in %.1fs"
        % (out, len(cases), missing, time.monotonic() - t0))
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
