#!/usr/bin/env python3
"""Compare identity chains event by event.

    python3 tests/identities/compare.py EXPECTED.jsonl ACTUAL.jsonl [--labels LABELS.jsonl] [--show N]

EXPECTED: written by generate.py. ACTUAL: the output of `trailglass-scan --origins DIR` ("-" reads
stdin): JSON objects one after another (JSON Lines, or objects spread over several lines); any
object without an "id" key (the summary it prints first) is skipped. Events are matched on "id"
and compared on "origin", "chain" and "session". Prints a table per label (labels.jsonl beside
EXPECTED by default), then the first N (20) differences per field. Exit 1 if anything differs, is
missing, or is extra; 0 otherwise.
"""

import argparse
import json
import os
import sys
from collections import defaultdict

FIELDS = ("origin", "chain", "session")


def objects(text):
    dec = json.JSONDecoder()
    i, n = 0, len(text)
    while True:
        while i < n and text[i].isspace():
            i += 1
        if i >= n:
            return
        try:
            obj, i = dec.raw_decode(text, i)
        except json.JSONDecodeError as e:
            line_end = text.find("\n", i)
            bad = text[i:line_end if line_end >= 0 else n]
            print(f"compare: skipping unreadable text at offset {i}: {bad[:120]!r} ({e.msg})", file=sys.stderr)
            if line_end < 0:
                return
            i = line_end + 1
            continue
        yield obj


def load(path):
    text = sys.stdin.read() if path == "-" else open(path, encoding="utf-8").read()
    rows, dups = {}, []
    for o in objects(text):
        if not isinstance(o, dict) or "id" not in o:
            continue
        if o["id"] in rows and rows[o["id"]] != o:
            dups.append(o["id"])
        rows[o["id"]] = o
    return rows, dups


def short(v, width=160):
    s = json.dumps(v)
    return s if len(s) <= width else s[: width - 3] + "..."


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("expected")
    ap.add_argument("actual")
    ap.add_argument("--labels", help="labels.jsonl (default: beside EXPECTED)")
    ap.add_argument("--show", type=int, default=20, help="differences shown per field (default 20)")
    a = ap.parse_args()

    exp, _ = load(a.expected)
    act, dups = load(a.actual)
    lpath = a.labels or os.path.join(os.path.dirname(os.path.abspath(a.expected)), "labels.jsonl")
    labels = {}
    if os.path.exists(lpath):
        for line in open(lpath, encoding="utf-8"):
            if line.strip():
                o = json.loads(line)
                labels[o["id"]] = o["label"]
    else:
        print(f"compare: no labels file at {lpath}; one category for all", file=sys.stderr)

    stats = defaultdict(lambda: {"events": 0, "ok": 0, "missing": 0, **{f: 0 for f in FIELDS}})
    diffs = {f: [] for f in FIELDS}
    missing = []
    for eid, e in exp.items():
        lab = labels.get(eid, "(unlabelled)")
        st = stats[lab]
        st["events"] += 1
        got = act.get(eid)
        if got is None:
            st["missing"] += 1
            missing.append((eid, lab))
            continue
        bad = False
        for f in FIELDS:
            if got.get(f) != e.get(f):
                st[f] += 1
                bad = True
                diffs[f].append((eid, lab, e.get(f), got.get(f)))
        if not bad:
            st["ok"] += 1
    extra = [eid for eid in act if eid not in exp]

    w = max([len(k) for k in stats] + [5])
    print(f"{'label':{w}}  {'events':>6} {'ok':>6} {'origin':>6} {'chain':>6} {'sess':>6} {'miss':>6}")
    tot = defaultdict(int)
    for lab in sorted(stats):
        st = stats[lab]
        flag = "" if st["ok"] == st["events"] else "  <--"
        print(f"{lab:{w}}  {st['events']:6} {st['ok']:6} {st['origin']:6} {st['chain']:6} {st['session']:6} "
              f"{st['missing']:6}{flag}")
        for k, v in st.items():
            tot[k] += v
    print(f"{'TOTAL':{w}}  {tot['events']:6} {tot['ok']:6} {tot['origin']:6} {tot['chain']:6} {tot['session']:6} "
          f"{tot['missing']:6}")
    if extra:
        print(f"\n{len(extra)} events in ACTUAL are not in EXPECTED, e.g. {extra[:5]}")
    if dups:
        print(f"\n{len(dups)} ids appear in ACTUAL more than once with different values, e.g. {dups[:5]}")
    for f in FIELDS:
        if diffs[f]:
            print(f"\n{f}: {len(diffs[f])} differ; first {min(a.show, len(diffs[f]))}:")
            for eid, lab, ev, gv in diffs[f][: a.show]:
                print(f"  {eid} [{lab}]\n    expected {short(ev)}\n    actual   {short(gv)}")
    if missing:
        print(f"\nmissing from ACTUAL: {len(missing)}; first {min(a.show, len(missing))}:")
        for eid, lab in missing[: a.show]:
            print(f"  {eid} [{lab}]")
    failed = tot["ok"] != tot["events"] or extra or dups
    print("\nFAIL" if failed else "\nOK: every event matches")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
