#!/usr/bin/env python3
"""diff_recordings.py: compare two recordings of the same engine, case by case.

    diff_recordings.py OLD.jsonl NEW.jsonl

A recording is server.py's output: a header line {"engine", "version",
"user_agent", "cases", "cases_sha256"}, then one result per case.  The
results must be equal member by member; the header's version and user
agent may differ (a new build of the engine), which is reported but is not
a difference by itself.  The corpus (cases_sha256) must be the same, or the
two recordings answer different questions.

Exit status: 0 the same, 1 different (every difference printed), 2 bad input.
"""
import json
import sys


def load(path):
    try:
        with open(path, encoding="utf-8") as f:
            lines = [json.loads(line) for line in f if line.strip()]
    except (OSError, ValueError) as e:
        sys.exit("diff_recordings.py: %s: %s" % (path, e))
    if not lines or "engine" not in lines[0]:
        sys.exit("diff_recordings.py: %s: no header line" % path)
    return lines[0], {r["id"]: r for r in lines[1:]}


def short(v):
    s = json.dumps(v, ensure_ascii=True)
    return s if len(s) <= 120 else s[:117] + "..."


def main():
    if len(sys.argv) != 3:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    (h1, r1), (h2, r2) = load(sys.argv[1]), load(sys.argv[2])
    if h1["engine"] != h2["engine"]:
        print("different engines: %s, %s" % (h1["engine"], h2["engine"]))
        return 1
    name = h1["engine"]
    if h1.get("cases_sha256") != h2.get("cases_sha256"):
        print("%s: the two recordings ran different corpora (cases_sha256 "
              "%s vs %s): regenerate cases.jsonl" %
              (name, h1.get("cases_sha256"), h2.get("cases_sha256")))
        return 1
    if h1.get("version") != h2.get("version"):
        print("%s: version changed: %r -> %r" %
              (name, h1.get("version"), h2.get("version")))
    diffs = 0
    for cid in sorted(set(r1) | set(r2)):
        a, b = r1.get(cid), r2.get(cid)
        if a is None or b is None:
            diffs += 1
            print("%s %s: only in %s" % (name, cid,
                                         sys.argv[1] if b is None else sys.argv[2]))
            continue
        for key in sorted(set(a) | set(b)):
            if a.get(key) != b.get(key):
                diffs += 1
                print("%s %s: %s was %s, now %s" %
                      (name, cid, key, short(a.get(key)), short(b.get(key))))
    print("%s: %d cases, %d differences" % (name, len(r2), diffs))
    return 1 if diffs else 0


if __name__ == "__main__":
    sys.exit(main())
