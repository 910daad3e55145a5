#!/usr/bin/env python3
"""Runs the Sigma reference over every fixture of tests/sigma/ and writes reference.json.

    scripts/sigma-reference --help >/dev/null   # once, to set up .venv-sigma/
    .venv-sigma/bin/python tests/sigma/check_reference.py

For each fixture `<stem>.json` the rule file `<stem>.yml` (found under crates/core/rules/) is run
over it twice, as the backend converts it (`ids`) and with the spec patches (`spec_ids`, the
reference's --spec), and both are compared with the fixture's `match-*` events (`expected`).
Prints the fixtures where either disagrees; exits 1 when a `--spec` run disagrees, since the
backend's own divergences are expected and listed in tests/sigma/README.md.
"""

from __future__ import annotations

import importlib.util
import json
import os
import sys
import time

sys.dont_write_bytecode = True  # importing the reference must not leave __pycache__ in scripts/

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
HERE = os.path.join(ROOT, "tests", "sigma")
RULES = os.path.join(ROOT, "crates", "core", "rules")

spec = importlib.util.spec_from_file_location("sigma_reference", os.path.join(ROOT, "scripts", "sigma-reference.py"))
assert spec and spec.loader
ref = importlib.util.module_from_spec(spec)
spec.loader.exec_module(ref)


def rule_file(stem: str) -> str:
    for root, _, files in os.walk(RULES):
        if stem + ".yml" in files:
            return os.path.join(root, stem + ".yml")
    raise SystemExit(f"no rule file for fixture {stem}")


def brief(ids: list[str]) -> str:
    return str(ids) if len(ids) <= 4 else f"[{ids[0]} … {ids[-1]}] ({len(ids)})"


def main() -> int:
    started = time.monotonic()
    out, errors, bad_spec = [], [], 0
    for name in sorted(os.listdir(HERE)):
        if not name.endswith(".json") or name.startswith("reference"):
            continue
        stem = name[: -len(".json")]
        fixture = os.path.join(HERE, name)
        rule = rule_file(stem)
        with open(fixture, encoding="utf-8") as f:
            events = json.load(f)["Records"]
        expected = sorted(e["eventID"] for e in events if e["eventID"].startswith("match-"))
        backend = ref.run([rule], [fixture])
        patched = ref.run([rule], [fixture], spec=True)
        errors += [{**e, "fixture": name} for e in backend["errors"] + patched["errors"]]
        for got, fixed in zip(backend["rules"], patched["rules"]):
            entry = {
                "fixture": name,
                "rule_file": os.path.relpath(rule, ROOT),
                "id": got["id"],
                "title": got["title"],
                "expected": expected,
                "ids": got["ids"],
                "spec_ids": fixed["ids"],
                "agrees": got["ids"] == expected,
                "spec_agrees": fixed["ids"] == expected,
            }
            out.append(entry)
            if not entry["agrees"] or not entry["spec_agrees"]:
                extra = sorted(set(got["ids"]) - set(expected))
                missing = sorted(set(expected) - set(got["ids"]))
                print(
                    f"{name}: backend misses {brief(missing)}, adds {brief(extra)}"
                    + ("" if entry["spec_agrees"] else f"; --spec gives {brief(fixed['ids'])}")
                )
            bad_spec += not entry["spec_agrees"]
    result = {
        "reference": "pySigma 1.5.1, pySigma-backend-duckdb 0.1.4, duckdb 2.0.1 (scripts/sigma-reference)",
        "fixtures": out,
        "errors": errors,
    }
    with open(os.path.join(HERE, "reference.json"), "w", encoding="utf-8") as f:
        json.dump(result, f, indent=1)
        f.write("\n")
    agree = sum(e["agrees"] for e in out)
    print(
        f"{len(out)} fixtures: backend agrees on {agree}, --spec on {len(out) - bad_spec}; "
        f"{len(errors)} errors; {time.monotonic() - started:.1f}s",
        file=sys.stderr,
    )
    return 1 if bad_spec or errors else 0


if __name__ == "__main__":
    sys.exit(main())
