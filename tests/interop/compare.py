#!/usr/bin/env python3
"""Compare corsim's predictions with what real engines recorded.

    compare.py --corsim PATH --cases cases.jsonl --recorded DIR
               [--known KNOWN.md] [--report REPORT.md] [--engine NAME ...]

For every recording DIR/<engine>.jsonl (first line: {"engine", "version"},
then one result per case, as runner.js posts them), the cases are run
through `corsim batch` under the engine's profile (ENGINES below) and each
field script can observe is compared: whether fetch() rejected, and
otherwise type, status, statusText, redirected, url, Array.from(headers)
and getSetCookie().  Differences whose case id is listed in KNOWN.md (a line
starting with "- <engine> <case id>:") are reported but do not fail.

Exit status: 0 when every difference is known, 1 otherwise, 2 on bad
input.  Standard library only.
"""
import argparse
import collections
import json
import os
import re
import subprocess
import sys

# recording name -> the corsim profile that models that build
ENGINES = {
    "chromium": "chromium/156",
    "firefox": "firefox/153",
    "webkitgtk": "webkitgtk/2.50",
}


def load_jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def predict(corsim, cases, profile):
    """corsim batch over the cases under one profile: {id: result}."""
    lines = []
    for c in cases:
        c = dict(c)
        c["profile"] = profile
        lines.append(json.dumps(c))
    out = subprocess.run([corsim, "batch"], input="\n".join(lines) + "\n",
                         capture_output=True, text=True, check=False)
    if out.returncode != 0:
        sys.exit("corsim batch failed: %s" % out.stderr.strip())
    res = {}
    for line in out.stdout.splitlines():
        r = json.loads(line)
        res[r.get("id")] = r
    return res


def observed(rec):
    """What script saw, in corsim's field names."""
    if rec.get("timeout"):
        return {"timeout": True}
    if rec.get("error"):
        return {"network_error": True}
    return {
        "network_error": False,
        "type": rec.get("type"),
        "status": rec.get("status"),
        "status_text": rec.get("statusText"),
        "redirected": rec.get("redirected"),
        "url": rec.get("url"),
        "headers": [list(h) for h in rec.get("headers", [])],
        "set_cookie": rec.get("setCookie") if rec.get("setCookie") is not None
        else [],
    }


def expected(pred):
    if "error" in pred:  # corsim could not run the case at all
        return {"corsim_error": pred["error"]}
    if pred["network_error"]:
        return {"network_error": True}
    return {k: pred[k] for k in ("network_error", "type", "status",
                                 "status_text", "redirected", "url",
                                 "headers", "set_cookie")}


def short(obj, limit=300):
    """JSON text of obj, cut to limit characters (huge header values)."""
    text = json.dumps(obj, sort_keys=True)
    return text if len(text) <= limit else text[:limit] + "...(%d chars)" % len(text)


def known_ids(path):
    known = collections.defaultdict(set)
    if path and os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            for line in f:
                m = re.match(r"^- (\S+) (\S+):", line)
                if m:
                    known[m.group(1)].add(m.group(2))
    return known


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corsim", required=True)
    ap.add_argument("--cases", required=True)
    ap.add_argument("--recorded", required=True)
    ap.add_argument("--known")
    ap.add_argument("--report")
    ap.add_argument("--engine", action="append")
    a = ap.parse_args()

    cases = load_jsonl(a.cases)
    by_id = {c["id"]: c for c in cases}
    known = known_ids(a.known)
    engines = a.engine or sorted(
        f[:-6] for f in os.listdir(a.recorded) if f.endswith(".jsonl"))
    if not engines:
        print("compare: no recordings in %s" % a.recorded)
        return 0
    unknown_diffs = 0
    table = collections.defaultdict(dict)  # category -> engine -> (ok, n)
    seen = {}  # engine -> {id: observed}
    lines = []
    for eng in engines:
        if eng not in ENGINES:
            print("compare: no profile for engine %s" % eng, file=sys.stderr)
            return 2
        recs = load_jsonl(os.path.join(a.recorded, eng + ".jsonl"))
        header, recs = recs[0], recs[1:]
        preds = predict(a.corsim, cases, ENGINES[eng])
        seen[eng] = {}
        per_cat = collections.defaultdict(lambda: [0, 0])
        diffs = []
        for rec in recs:
            cid = rec.get("id")
            if cid not in by_id:
                continue
            cat = by_id[cid].get("category", "?")
            obs = observed(rec)
            seen[eng][cid] = obs
            exp = expected(preds.get(cid, {"error": "no prediction"}))
            per_cat[cat][1] += 1
            if obs == exp:
                per_cat[cat][0] += 1
                continue
            tag = "known" if cid in known[eng] else "NEW"
            if tag == "NEW":
                unknown_diffs += 1
            diffs.append((cid, tag, exp, obs))
        missing = set(by_id) - set(seen[eng])
        for cat, (ok, n) in per_cat.items():
            table[cat][eng] = (ok, n)
        total_ok = sum(v[0] for v in per_cat.values())
        total = sum(v[1] for v in per_cat.values())
        lines.append("%s (%s): %d/%d cases agree%s" % (
            eng, header.get("version", "?"), total_ok, total,
            ", %d cases not recorded" % len(missing) if missing else ""))
        for cid, tag, exp, obs in diffs:
            lines.append("  %s %s: corsim %s / %s %s" % (
                tag, cid, short(exp), eng, short(obs)))
    print("\n".join(lines))
    if a.report:
        write_report(a.report, table, engines, seen, by_id, lines)
    return 1 if unknown_diffs else 0


def write_report(path, table, engines, seen, by_id, lines):
    out = ["# Interop report", "",
           "Generated by tests/interop/compare.py from the recordings in "
           "tests/interop/recorded/.", "",
           "## Agreement of corsim with each engine, per category", "",
           "| category | " + " | ".join(engines) + " |",
           "|---|" + "---|" * len(engines)]
    for cat in sorted(table):
        cells = []
        for eng in engines:
            ok, n = table[cat].get(eng, (0, 0))
            cells.append("%d/%d" % (ok, n))
        out.append("| %s | %s |" % (cat, " | ".join(cells)))
    out += ["", "## Where the engines disagree with each other", ""]
    ndiff = 0
    for cid in sorted(by_id):
        vals = {eng: seen[eng].get(cid) for eng in engines if cid in seen[eng]}
        if len(vals) < 2:
            continue
        distinct = {json.dumps(v, sort_keys=True) for v in vals.values()}
        if len(distinct) > 1:
            ndiff += 1
            out.append("- **%s** (%s)" % (cid, by_id[cid].get("category")))
            for eng, v in vals.items():
                out.append("  - %s: `%s`" % (eng, short(v)))
    if not ndiff:
        out.append("None among the engines recorded.")
    out += ["", "## Comparison log", "", "```"] + lines + ["```", ""]
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(out))


if __name__ == "__main__":
    sys.exit(main())
