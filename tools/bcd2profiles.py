#!/usr/bin/env python3
"""Regenerate the BCD-derived parts of corsim's data/profiles.xml.

Usage:
    tools/bcd2profiles.py --bcd DIR [--profiles data/profiles.xml] [--check]

DIR may be any of three layouts (detected in this order):

  1. The extracted CORS subset used by corsim (for example
     /work/shared/data/bcd): browsers/*.json plus cors-features.flat.json,
     with "mirror" already resolved.
  2. An installed npm package @mdn/browser-compat-data (a directory holding
     the built data.json; "mirror" is already resolved there as well).
  3. A source checkout of mdn/browser-compat-data: browsers/*.json plus the
     feature JSON tree (api/, http/, html/, ...).  Downstream browsers given
     as "mirror" are resolved the way BCD's scripts/build/mirror.js does it
     (same engine and engine version as the upstream release; Chromium forks
     map pre-Blink upstream releases to their first Blink release; Safari
     for iOS uses BCD's fixed macOS-to-iOS table; flagged statements become
     unsupported in browsers that do not accept flags), and
     ie: {version_added: false} is added where edge exists but ie does not,
     as BCD's build does.  Notes are carried over without rewriting the
     browser names and versions inside them; this script only copies notes
     into XML comments, so nothing it decides depends on them.

What the script changes in the profiles file:

  * Inside every <browser id="ID"> element, only the text between the
    comments <!-- bcd:begin ID --> and <!-- bcd:end ID --> is replaced: with
    the browser's BCD release list and one <set> per version range in which a
    BCD-backed behaviour differs from the spec.  Everything else in the file
    (the header, the <behaviours> block, hand-maintained <set> elements and
    comments) is kept byte for byte.
  * A browser that BCD has and the file lacks gets a new <browser> element
    (name and type from BCD) with the two markers and an empty
    hand-maintained part delimited by <!-- hand:begin ID --> and
    <!-- hand:end ID -->.
  * A <browser> element that exists but has no bcd markers gets the marker
    pair inserted right after its start tag (reported on stderr).
  * <browser> elements whose id BCD does not know are left alone.

How a behaviour is derived (only behaviours with a <bcd> child):
  The feature path comes from <bcd>.  For a bool behaviour the supported
  value is "true" ("false" with invert="true") and the other value is its
  negation; value-if-supported / value-if-not on <bcd> give the values
  explicitly (required for enum and int behaviours).  The first statement
  without flags, prefix or alternative_name is used; when there is none the
  feature counts as unsupported.  version_added false or "preview": the
  unsupported value everywhere.  null or no entry: nothing (the spec value
  stands; an XML comment records that).  "X" / "<=X": the unsupported value
  before X, the supported value from X on, and the unsupported value again
  from version_removed on.  Only ranges whose value differs from the spec
  value are written, as since/until attributes naming releases of that
  browser; a BCD version that is not a release is mapped to the first
  release after it, and one past the last release drops its range (both
  with a comment).

The output is deterministic and the script is idempotent: running it twice
with the same data leaves the file unchanged.  It prints a summary
(browsers, releases per browser, generated <set> elements per behaviour) on
stdout and warnings on stderr.

Python 3 standard library only (3.7 or later).
"""

import argparse
import json
import os
import re
import sys
import tempfile
import xml.etree.ElementTree as ET

NS = "urn:corsim:profiles:1"
LE = "\u2264"  # "≤", BCD's ranged-version prefix

# BCD's fixed mapping from Safari (macOS) releases to Safari on iOS releases
# for the years when the version numbers differed (scripts/build/mirror.js).
SAFARI_TO_IOS = {
    "1": "1", "1.1": "1", "1.2": "1", "1.3": "1", "2": "1",
    "3": "2", "3.1": "2", "4": "3.2", "5": "4.2", "5.1": "5",
    "9.1": "9.3", "10.1": "10.3", "11.1": "11.3", "12.1": "12.2",
    "13.1": "13.4", "14.1": "14.5",
}


class BcdError(Exception):
    pass


# ---------------------------------------------------------------------------
# Versions
# ---------------------------------------------------------------------------

def _parts(version):
    out = []
    for p in str(version).split("."):
        if p.isdigit():
            out.append((0, int(p), ""))
        else:
            m = re.match(r"(\d*)(.*)$", p)
            out.append((0 if m.group(1) else 1,
                        int(m.group(1)) if m.group(1) else 0, m.group(2)))
    return out


def vcmp(a, b):
    """Compare dotted versions numerically, component by component;
    missing components count as 0 ("5" == "5.0")."""
    pa, pb = _parts(a), _parts(b)
    n = max(len(pa), len(pb))
    pa += [(0, 0, "")] * (n - len(pa))
    pb += [(0, 0, "")] * (n - len(pb))
    return (pa > pb) - (pa < pb)


def vkey(version):
    p = _parts(version)
    p += [(0, 0, "")] * (8 - len(p))
    return (p, str(version))


# ---------------------------------------------------------------------------
# Loading BCD
# ---------------------------------------------------------------------------

def _load_json(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def as_statements(value):
    """A support value (dict, list or None) as a list of statements."""
    if value is None:
        return None
    if isinstance(value, list):
        return [dict(s) for s in value]
    if isinstance(value, dict):
        return [dict(value)]
    raise BcdError("unexpected support value %r" % (value,))


class Bcd:
    """Browsers and support statements from one of the three layouts."""

    def __init__(self, root):
        self.root = root
        self.browsers = {}
        self.meta = {}
        self._flat = None
        self._bundle = None
        self._files = {}
        if os.path.isfile(os.path.join(root, "cors-features.flat.json")):
            self.layout = "extracted"
            self._load_browser_dir()
            flat = _load_json(os.path.join(root, "cors-features.flat.json"))
            self._flat = flat.get("features", {})
            m = flat.get("__meta", {})
            self.meta = {"commit": m.get("commit"),
                         "version": m.get("package_version")}
        elif os.path.isfile(os.path.join(root, "data.json")):
            self.layout = "npm package"
            data = _load_json(os.path.join(root, "data.json"))
            if "browsers" not in data:
                raise BcdError("%s/data.json is not a BCD build" % root)
            self._bundle = data
            self.browsers = data["browsers"]
            self.meta = {"commit": None,
                         "version": data.get("__meta", {}).get("version")}
        elif os.path.isdir(os.path.join(root, "browsers")):
            self.layout = "source checkout"
            self._load_browser_dir()
            self.meta = {"commit": _git_head(root),
                         "version": _package_version(root)}
        else:
            raise BcdError(
                "%s: neither cors-features.flat.json, data.json nor browsers/"
                % root)
        if not self.browsers:
            raise BcdError("%s: no browsers found" % root)

    def _load_browser_dir(self):
        d = os.path.join(self.root, "browsers")
        for name in sorted(os.listdir(d)):
            if not name.endswith(".json"):
                continue
            data = _load_json(os.path.join(d, name)).get("browsers", {})
            for bid, b in data.items():
                self.browsers[bid] = b

    # -- features ----------------------------------------------------------

    def support(self, path):
        """{browser: [statement, ...]} for a dotted feature path, with
        "mirror" resolved; raises BcdError when the feature is unknown."""
        if self._flat is not None:
            feat = self._flat.get(path)
            if feat is None:
                raise BcdError("feature %s is not in cors-features.flat.json"
                               % path)
            return {b: as_statements(s.get("statements"))
                    for b, s in feat.get("support", {}).items()}
        if self._bundle is not None:
            compat = _walk(self._bundle, path)
            if compat is None:
                raise BcdError("feature %s is not in data.json" % path)
            return {b: as_statements(s)
                    for b, s in compat.get("support", {}).items()}
        compat = self._find_in_tree(path)
        if compat is None:
            raise BcdError("feature %s not found under %s" % (path, self.root))
        return self._resolve(compat.get("support", {}))

    def _file(self, path):
        if path not in self._files:
            try:
                self._files[path] = _load_json(path)
            except (OSError, ValueError):
                self._files[path] = None
        return self._files[path]

    def _find_in_tree(self, path):
        parts = path.split(".")
        cands = []
        for k in range(len(parts), 1, -1):
            cands.append(os.path.join(self.root, *parts[:k]) + ".json")
            cands.append(os.path.join(self.root, parts[0], "_globals",
                                      *parts[1:k]) + ".json")
        for c in cands:
            if os.path.isfile(c):
                compat = _walk(self._file(c), path)
                if compat is not None:
                    return compat
        top = os.path.join(self.root, parts[0])
        for dirpath, dirnames, filenames in os.walk(top):
            dirnames.sort()
            for fn in sorted(filenames):
                if fn.endswith(".json"):
                    compat = _walk(self._file(os.path.join(dirpath, fn)), path)
                    if compat is not None:
                        return compat
        return None

    # -- mirroring (source checkout only) ----------------------------------

    def _resolve(self, support):
        out = {}
        for b in support:
            value = support[b]
            if value == "mirror":
                value = self._mirror(b, support)
            out[b] = as_statements(value)
        if "edge" in out and "ie" not in out:
            out["ie"] = [{"version_added": False}]
        return out

    def _mirror(self, dest, support):
        up = self.browsers.get(dest, {}).get("upstream")
        if not up:
            raise BcdError("%s is \"mirror\" but has no upstream" % dest)
        data = support.get(up)
        if data is None:
            raise BcdError("%s mirrors %s, which has no data" % (dest, up))
        if data == "mirror":
            data = self._mirror(up, support)
        return self._bump(data, up, dest)

    def _bump(self, data, source, dest):
        if isinstance(data, list):
            stmts = [self._bump(s, source, dest) for s in data]
            stmts = [s for s in stmts if s.get("version_added")]
            if not stmts:
                return {"version_added": False}
            return stmts[0] if len(stmts) == 1 else stmts
        new = dict(data)
        if not self.browsers[dest].get("accepts_flags") and new.get("flags"):
            return {"version_added": False}
        if isinstance(data.get("version_added"), str):
            new["version_added"] = self._matching(dest, data["version_added"])
        if new["version_added"] is False and \
                data.get("version_added") is not False:
            return {"version_added": False}
        if isinstance(data.get("version_removed"), str):
            vr = self._matching(dest, data["version_removed"])
            if isinstance(vr, str):
                new["version_removed"] = vr
            else:
                new.pop("version_removed", None)
        if new.get("version_added") == new.get("version_removed"):
            return {"version_added": False}
        return new

    def _matching(self, dest, version):
        """The release of dest that matches release `version` of its
        upstream (BCD's getMatchingBrowserVersion)."""
        b = self.browsers[dest]
        ranged = LE in version
        plain = version.replace(LE, "")
        if plain == "preview":
            return "preview" if b.get("preview_name") else False
        if dest == "safari_ios":
            if plain in SAFARI_TO_IOS:
                return (LE if ranged else "") + SAFARI_TO_IOS[plain]
            if plain in b.get("releases", {}):
                return version
            raise BcdError("no Safari on iOS release matches Safari %s"
                           % version)
        src = self.browsers[b["upstream"]].get("releases", {}).get(plain)
        if src is None:
            raise BcdError("%s has no release %s (mirroring to %s)"
                           % (b["upstream"], version, dest))
        prev_engine = None
        for r in sorted(b.get("releases", {}), key=vkey):
            rel = b["releases"][r]
            delimiter = ranged and prev_engine == src.get("engine")
            webkit_to_blink = (
                b["upstream"] in ("chrome", "chrome_android")
                and dest != "chrome_android"
                and rel.get("engine") == "Blink"
                and src.get("engine") == "WebKit")
            same_engine = (
                rel.get("engine") == src.get("engine")
                and rel.get("engine_version") and src.get("engine_version")
                and vcmp(rel["engine_version"], src["engine_version"]) >= 0)
            if webkit_to_blink or same_engine:
                return (LE + r) if delimiter else r
            prev_engine = rel.get("engine")
        return False


def _walk(obj, path):
    for p in path.split("."):
        if not isinstance(obj, dict) or p not in obj:
            return None
        obj = obj[p]
    if isinstance(obj, dict) and isinstance(obj.get("__compat"), dict):
        return obj["__compat"]
    return None


def _git_head(root):
    git = os.path.join(root, ".git")
    try:
        with open(os.path.join(git, "HEAD")) as f:
            head = f.read().strip()
        if not head.startswith("ref: "):
            return head
        ref = head[5:]
        p = os.path.join(git, ref)
        if os.path.isfile(p):
            with open(p) as f:
                return f.read().strip()
        with open(os.path.join(git, "packed-refs")) as f:
            for line in f:
                fields = line.split()
                if len(fields) == 2 and fields[1] == ref:
                    return fields[0]
    except OSError:
        pass
    return None


def _package_version(root):
    try:
        return _load_json(os.path.join(root, "package.json")).get("version")
    except (OSError, ValueError):
        return None


# ---------------------------------------------------------------------------
# The profiles file
# ---------------------------------------------------------------------------

class Behaviour:
    def __init__(self, el):
        self.id = el.get("id")
        self.type = el.get("type")
        self.spec = el.get("spec")
        self.values = (el.get("values") or "").split()
        bcd = el.find("{%s}bcd" % NS)
        if bcd is None:
            bcd = el.find("bcd")
        self.path = None
        if bcd is None:
            return
        self.path = (bcd.text or "").strip()
        invert = bcd.get("invert") == "true"
        sup = bcd.get("value-if-supported")
        nsup = bcd.get("value-if-not")
        if self.type == "bool":
            if sup is None:
                sup = "false" if invert else "true"
            if nsup is None:
                nsup = "true" if sup == "false" else "false"
        elif invert and sup is not None and nsup is not None:
            sup, nsup = nsup, sup
        if sup is None or nsup is None:
            raise BcdError("behaviour %s: <bcd> needs value-if-supported and "
                           "value-if-not for type %s" % (self.id, self.type))
        for v in (sup, nsup):
            if self.type == "enum" and v not in self.values:
                raise BcdError("behaviour %s: %r is not one of its values"
                               % (self.id, v))
            if self.type == "bool" and v not in ("true", "false"):
                raise BcdError("behaviour %s: %r is not a bool" % (self.id, v))
        self.sup, self.nsup = sup, nsup


def read_behaviours(text):
    try:
        root = ET.fromstring(text.encode("utf-8"))
    except ET.ParseError as e:
        raise BcdError("profiles file is not well-formed XML: %s" % e)
    beh = root.find("{%s}behaviours" % NS)
    if beh is None:
        beh = root.find("behaviours")
    if beh is None:
        raise BcdError("profiles file has no <behaviours> block")
    out = []
    for el in beh:
        if el.tag in ("{%s}behaviour" % NS, "behaviour"):
            out.append(Behaviour(el))
    return root, out


def xml_attr(value):
    return (str(value).replace("&", "&amp;").replace("<", "&lt;")
            .replace(">", "&gt;").replace('"', "&quot;"))


def xml_comment(text):
    text = " ".join(str(text).split())
    text = text.replace("--", "- -")
    while "--" in text:
        text = text.replace("--", "- -")
    if text.endswith("-"):
        text += " "
    return "<!-- %s -->" % text


# ---------------------------------------------------------------------------
# Deriving <set> elements
# ---------------------------------------------------------------------------

def _describe(stmt):
    parts = []
    for k in ("version_added", "version_removed", "prefix",
              "alternative_name"):
        if k in stmt:
            parts.append("%s %s" % (k, json.dumps(stmt[k], ensure_ascii=False)))
    for fl in stmt.get("flags") or []:
        s = "%s %s" % (fl.get("type", "flag"), fl.get("name", "?"))
        if "value_to_set" in fl:
            s += "=%s" % fl["value_to_set"]
        parts.append(s)
    return ", ".join(parts)


def derive(beh, bid, stmts, releases):
    """(lines, n_sets): comment and <set> lines for one behaviour and one
    browser.  releases: sorted list of release versions."""
    lines = []
    sets = []
    note = lambda s: lines.append(xml_comment("%s: %s" % (beh.id, s)))
    if stmts is None:
        note("no BCD data; the spec value stands")
        return lines, 0
    usable = [s for s in stmts if not s.get("flags") and "prefix" not in s
              and "alternative_name" not in s]
    skipped = [s for s in stmts if s not in usable]
    for s in skipped:
        if s.get("version_added") not in (False, None):
            note("BCD statement not used (not default behaviour): %s"
                 % _describe(s))
    if not usable:
        stmt = {"version_added": False}
        if skipped:
            note("every BCD statement is flagged, prefixed or renamed; "
                 "counted as not supported")
    else:
        stmt = usable[0]
        if len(usable) > 1:
            note("BCD has %d more statement(s) (%s); only the first is used"
                 % (len(usable) - 1,
                    "; ".join(_describe(s) for s in usable[1:])))
    if stmt.get("partial_implementation"):
        note("BCD marks this a partial implementation")
    notes = stmt.get("notes")
    if notes:
        for n in (notes if isinstance(notes, list) else [notes]):
            note("BCD note: %s" % n)

    va = stmt.get("version_added")
    if va is None:
        note("no BCD data; the spec value stands")
        return lines, 0
    n = len(releases)

    def locate(version, what):
        """Index of the first release >= version, or None past the end."""
        for i, r in enumerate(releases):
            c = vcmp(r, version)
            if c >= 0:
                if c > 0 and i > 0:
                    note("BCD %s %s is not a %s release; mapped to the "
                         "first release after it, %s" % (what, version, bid, r))
                return i
        note("BCD %s %s is after the last %s release (%s); that range is "
             "left out" % (what, version, bid, releases[-1]))
        return None

    segs = []  # (start index, end index or None, value)
    if va is True:
        note("BCD says supported without a version; counted as supported "
             "in every release")
        segs.append((0, None, beh.sup))
    elif va is False or va == "preview":
        if va == "preview":
            note("BCD: supported in preview builds only")
        segs.append((0, None, beh.nsup))
    else:
        x = str(va)
        if x.startswith(LE):
            x = x[len(LE):]
            note("BCD only knows %s%s; %s is used as the first release with "
                 "support" % (LE, x, x))
        ia = locate(x, "version_added")
        if ia is None:
            segs.append((0, None, beh.nsup))
        else:
            if ia > 0:
                segs.append((0, ia, beh.nsup))
            vr = stmt.get("version_removed")
            ir = None
            if isinstance(vr, str) and vr != "preview":
                r = vr
                if r.startswith(LE):
                    r = r[len(LE):]
                    note("BCD only knows version_removed %s%s; %s is used"
                         % (LE, r, r))
                ir = locate(r, "version_removed")
            elif vr == "preview":
                note("BCD: removed in preview builds only")
            if ir is not None and ir <= ia:
                segs.append((ia, None, beh.nsup))
            elif ir is not None:
                segs.append((ia, ir, beh.sup))
                segs.append((ir, None, beh.nsup))
            else:
                segs.append((ia, None, beh.sup))
    merged = []
    for s in segs:
        if merged and merged[-1][2] == s[2] and merged[-1][1] == s[0]:
            merged[-1] = (merged[-1][0], s[1], s[2])
        else:
            merged.append(s)
    for start, end, value in merged:
        if value == beh.spec:
            continue
        attrs = ['behaviour="%s"' % xml_attr(beh.id),
                 'value="%s"' % xml_attr(value)]
        if start > 0:
            attrs.append('since="%s"' % xml_attr(releases[start]))
        if end is not None and end < n:
            attrs.append('until="%s"' % xml_attr(releases[end]))
        attrs.append('source="bcd:%s"' % xml_attr(beh.path))
        sets.append("<set %s/>" % " ".join(attrs))
    lines.extend(sets)
    return lines, len(sets)


def generate(bcd, bid, behaviours, supports, counts):
    b = bcd.browsers[bid]
    rels = b.get("releases", {})
    versions = sorted(rels, key=vkey)
    out = []
    desc = "BCD"
    if bcd.meta.get("version"):
        desc += " %s" % bcd.meta["version"]
    if bcd.meta.get("commit"):
        desc += " (%s)" % bcd.meta["commit"][:8]
    out.append(xml_comment("generated by tools/bcd2profiles.py from %s; "
                           "edits here are overwritten" % desc))
    out.append("<releases>")
    for v in versions:
        r = rels[v]
        attrs = ['version="%s"' % xml_attr(v)]
        for key, name in (("release_date", "date"), ("status", "status"),
                          ("engine", "engine"),
                          ("engine_version", "engine-version")):
            if r.get(key) is not None:
                attrs.append('%s="%s"' % (name, xml_attr(r[key])))
        out.append("  <release %s/>" % " ".join(attrs))
    out.append("</releases>")
    for beh in behaviours:
        lines, nsets = derive(beh, bid, supports[beh.path].get(bid), versions)
        counts[beh.id] = counts.get(beh.id, 0) + nsets
        out.extend(lines)
    return out, len(versions)


# ---------------------------------------------------------------------------
# Rewriting the file
# ---------------------------------------------------------------------------

COMMENT_RE = re.compile(r"<!--(.*?)-->", re.S)
BROWSER_RE = re.compile(r"<browser(?=[\s/>])[^>]*>")
ID_RE = re.compile(r"""\sid\s*=\s*(["'])(.*?)\1""")


def _mask_comments(text):
    return COMMENT_RE.sub(lambda m: " " * len(m.group(0)), text)


def _line_indent(text, pos):
    start = text.rfind("\n", 0, pos) + 1
    lead = text[start:pos]
    return lead if lead.strip() == "" else None


def rewrite(text, bcd, behaviours, supports, warn):
    nl = "\r\n" if "\r\n" in text else "\n"
    masked = _mask_comments(text)
    comments = [(m.start(), m.end(), m.group(1).strip())
                for m in COMMENT_RE.finditer(text)]

    m = re.search(r"<behaviours[\s>]", masked)
    unit = _line_indent(text, m.start()) if m else None
    if not unit:
        unit = "  "

    browsers = []  # (id, start, start-tag end, end of </browser>)
    for m in BROWSER_RE.finditer(masked):
        idm = ID_RE.search(m.group(0))
        if not idm:
            raise BcdError("a <browser> element has no id")
        if m.group(0).endswith("/>"):
            raise BcdError("<browser id=\"%s\"> is empty" % idm.group(2))
        close = masked.find("</browser>", m.end())
        if close < 0:
            raise BcdError("<browser id=\"%s\"> is not closed" % idm.group(2))
        browsers.append((idm.group(2), m.start(), m.end(),
                         close + len("</browser>")))
    seen = set()
    for bid, _, _, _ in browsers:
        if bid in seen:
            raise BcdError("browser %s appears twice" % bid)
        seen.add(bid)

    counts = {}
    nrel = {}
    edits = []  # (start, end, replacement)
    order = sorted(bcd.browsers)
    existing = {b[0]: b for b in browsers}

    def region(bid, indent):
        lines, nrel[bid] = generate(bcd, bid, behaviours, supports, counts)
        return [indent + l for l in lines]

    for bid, start, tag_end, end in browsers:
        begins = [c for c in comments if c[2] == "bcd:begin %s" % bid
                  and start < c[0] < end]
        ends = [c for c in comments if c[2] == "bcd:end %s" % bid
                and start < c[0] < end]
        stray = [c for c in comments if start < c[0] < end
                 and re.match(r"bcd:(begin|end)\s", c[2])
                 and c[2].split(None, 1)[1] != bid]
        if stray:
            raise BcdError("browser %s holds markers of another browser: %s"
                           % (bid, stray[0][2]))
        if bid not in bcd.browsers:
            if begins or ends:
                warn("browser %s is not in BCD; its bcd part is left as it is"
                     % bid)
            continue
        bindent = _line_indent(text, start)
        inner = (bindent if bindent is not None else unit) + unit
        if not begins and not ends:
            warn("browser %s had no bcd markers; inserted them after its "
                 "start tag" % bid)
            body = region(bid, inner)
            new = (nl + inner + "<!-- bcd:begin %s -->" % bid + nl
                   + nl.join(body) + nl + inner + "<!-- bcd:end %s -->" % bid)
            edits.append((tag_end, tag_end, new))
            continue
        if len(begins) != 1 or len(ends) != 1 or begins[0][0] > ends[0][0]:
            raise BcdError("browser %s needs exactly one bcd:begin marker "
                           "followed by one bcd:end marker" % bid)
        b0, e0 = begins[0][1], ends[0][0]
        ind = _line_indent(text, begins[0][0])
        ind = ind if ind is not None else inner
        end_ind = _line_indent(text, e0)
        if end_ind is None:
            end_ind = ind
        body = region(bid, ind)
        edits.append((b0, e0, nl + nl.join(body) + nl + end_ind))

    # Browsers BCD has and the file lacks.
    m = re.search(r"</profiles\s*>", masked)
    if not m:
        raise BcdError("no </profiles> end tag")
    profiles_end = m.start()
    groups = {}
    for i, bid in enumerate(order):
        if bid in existing:
            continue
        before = [b for b in order[:i] if b in existing]
        after = [b for b in order[i + 1:] if b in existing]
        if before:
            anchor = ("after", existing[before[-1]][3])
        elif after:
            s = existing[after[0]][1]
            anchor = ("before", s - len(_line_indent(text, s) or ""))
        else:
            anchor = ("end",
                      profiles_end - len(_line_indent(text, profiles_end)
                                         or ""))
        groups.setdefault(anchor, []).append(bid)
    for (kind, pos), bids in groups.items():
        blocks = []
        for bid in bids:
            b = bcd.browsers[bid]
            attrs = 'id="%s" name="%s"' % (xml_attr(bid),
                                           xml_attr(b.get("name", bid)))
            if b.get("type"):
                attrs += ' type="%s"' % xml_attr(b["type"])
            lines = ["%s<browser %s>" % (unit, attrs),
                     "%s%s<!-- bcd:begin %s -->" % (unit, unit, bid)]
            lines += region(bid, unit + unit)
            lines += ["%s%s<!-- bcd:end %s -->" % (unit, unit, bid),
                      "%s%s<!-- hand:begin %s: hand-maintained <set> elements "
                      "go here; tools/bcd2profiles.py never changes them -->"
                      % (unit, unit, bid),
                      "%s%s<!-- hand:end %s -->" % (unit, unit, bid),
                      "%s</browser>" % unit]
            blocks.append(nl.join(lines))
        if kind == "after":      # just after an existing </browser>
            new = "".join(nl + nl + blk for blk in blocks)
        elif kind == "before":   # at the start of an existing <browser> line
            new = "".join(blk + nl + nl for blk in blocks)
        else:                    # at the start of the </profiles> line
            new = "".join(nl + blk + nl for blk in blocks)
        edits.append((pos, pos, new))

    edits.sort(key=lambda e: (e[0], e[1]))
    out = []
    last = 0
    for s, e, new in edits:
        if s < last:
            raise BcdError("internal error: overlapping edits")
        out.append(text[last:s])
        out.append(new)
        last = e
    out.append(text[last:])
    return "".join(out), counts, nrel


def main(argv=None):
    ap = argparse.ArgumentParser(
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Regenerate the BCD parts (between <!-- bcd:begin ID --> "
        "and <!-- bcd:end ID -->) of corsim's profiles file in place.",
        epilog="""\
DIR is one of:
  - the extracted CORS subset: browsers/*.json + cors-features.flat.json
    ("mirror" already resolved);
  - an installed @mdn/browser-compat-data npm package (its data.json);
  - a source checkout of mdn/browser-compat-data: browsers/*.json and the
    feature tree; "mirror" statements are resolved here the way BCD's
    build (scripts/build/mirror.js) does it.
Everything outside the bcd markers is kept byte for byte; the result is
deterministic, and a second run changes nothing.""")
    here = os.path.dirname(os.path.abspath(__file__))
    ap.add_argument("--bcd", required=True, metavar="DIR",
                    help="BCD data directory")
    ap.add_argument("--profiles", metavar="FILE",
                    default=os.path.join(os.path.dirname(here), "data",
                                         "profiles.xml"),
                    help="profiles file to rewrite (default: data/profiles.xml "
                    "next to this script's tools/ directory)")
    ap.add_argument("--check", action="store_true",
                    help="change nothing; exit with 1 if the file is not up "
                    "to date")
    args = ap.parse_args(argv)

    def warn(msg):
        sys.stderr.write("bcd2profiles: warning: %s\n" % msg)

    try:
        bcd = Bcd(args.bcd)
        with open(args.profiles, encoding="utf-8", newline="") as f:
            text = f.read()
        root, behaviours = read_behaviours(text)
        behaviours = [b for b in behaviours if b.path]
        supports = {}
        for beh in behaviours:
            if beh.path not in supports:
                supports[beh.path] = bcd.support(beh.path)
        for attr, key in (("bcd-commit", "commit"), ("bcd-version", "version")):
            have, got = root.get(attr), bcd.meta.get(key)
            if have and got and not got.startswith(have):
                warn("<profiles %s=\"%s\"> but the BCD data is %s; update the "
                     "attribute by hand" % (attr, have, got))
        new, counts, nrel = rewrite(text, bcd, behaviours, supports, warn)
        try:
            ET.fromstring(new.encode("utf-8"))
        except ET.ParseError as e:
            raise BcdError("the rewritten file would not be well-formed: %s"
                           % e)
    except (BcdError, OSError, ValueError) as e:
        sys.stderr.write("bcd2profiles: error: %s\n" % e)
        return 2

    changed = new != text
    print("BCD: %s (%s layout%s%s)" % (
        args.bcd, bcd.layout,
        ", version %s" % bcd.meta["version"] if bcd.meta.get("version") else "",
        ", commit %s" % bcd.meta["commit"] if bcd.meta.get("commit") else ""))
    order = sorted(nrel)
    print("browsers: %d" % len(order))
    print("releases per browser:")
    for bid in order:
        print("  %-24s %4d" % (bid, nrel[bid]))
    print("generated <set> elements per behaviour:")
    for beh in behaviours:
        print("  %-36s %4d  (bcd:%s)" % (beh.id, counts.get(beh.id, 0),
                                         beh.path))
    print("  %-36s %4d" % ("total", sum(counts.values())))
    if args.check:
        print("%s: %s" % (args.profiles,
                          "out of date" if changed else "up to date"))
        return 1 if changed else 0
    if changed:
        d = os.path.dirname(os.path.abspath(args.profiles))
        fd, tmp = tempfile.mkstemp(prefix=".profiles.", dir=d)
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
                f.write(new)
            try:
                os.chmod(tmp, os.stat(args.profiles).st_mode & 0o7777)
            except OSError:
                pass
            os.replace(tmp, args.profiles)
        except BaseException:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            raise
    print("%s: %s" % (args.profiles, "rewritten" if changed else "unchanged"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
