#!/usr/bin/env python3
"""Check a `trailglass-scan --out x.parquet` export with an independent reader (DuckDB).

    python3 tests/parquet/check.py EXPORT.parquet EXPORT.ndjson SUMMARY.json [SUMMARY2.json]

EXPORT.ndjson is the same query's `--out x.ndjson` export and SUMMARY.json the JSON summary
`trailglass-scan` printed for the Parquet one (SUMMARY2.json, if given, the NDJSON one's). The
NDJSON lines are read with Python's json module, the Parquet file with DuckDB, and they must
agree: the row count (also equal to the summaries' "written"), the count of the most common
eventName, the distinct eventIDs, min/max eventTime (over the records whose eventTime is in
CloudTrail's own format), and every row's eventName and eventSource column against its own raw
JSON (json_extract on `raw`, Insight events aside: their names come from insightDetails).
Prints one line per check; exit 1 on the first disagreement, 0 when all agree.
"""

import json
import re
import sys
from collections import Counter
from datetime import datetime, timezone

try:
    import duckdb
except ImportError:
    sys.exit("duckdb is not importable: run scripts/setup (it installs it into .venv-duckdb/)")

TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$")


def fail(what):
    print(f"FAIL {what}")
    sys.exit(1)


def agree(what, duck, py):
    if duck != py:
        fail(f"{what}: DuckDB {duck!r} != NDJSON {py!r}")
    print(f"ok   {what}: {duck!r}")


def ms(text):
    t = datetime.strptime(text[:19], "%Y-%m-%dT%H:%M:%S").replace(tzinfo=timezone.utc)
    frac = text[19:-1]
    return int(t.timestamp() * 1000) + (int((frac[1:] + "000")[:3]) if frac else 0)


def main():
    if len(sys.argv) not in (4, 5):
        sys.exit(__doc__)
    parquet, ndjson = sys.argv[1], sys.argv[2]
    summaries = [json.load(open(p)) for p in sys.argv[3:]]
    events = [json.loads(line) for line in open(ndjson, encoding="utf-8")]
    if not events:
        fail("the NDJSON export is empty: nothing to compare")
    db = duckdb.connect()
    db.execute(f"CREATE VIEW t AS SELECT * FROM read_parquet('{parquet}')")
    one = lambda q: db.execute(q).fetchone()[0]  # noqa: E731

    rows = one("SELECT count(*) FROM t")
    agree("rows", rows, len(events))
    for i, s in enumerate(summaries):
        agree(f"rows against summary {i + 1}'s written", rows, s.get("written"))

    name, n = Counter(e.get("eventName") for e in events).most_common(1)[0]
    agree(f"count of eventName {name!r}", one(f"SELECT count(*) FROM t WHERE eventName = '{name}'"), n)

    ids = {e["eventID"] for e in events if isinstance(e.get("eventID"), str)}
    agree("distinct eventIDs", one("SELECT count(DISTINCT eventID) FROM t"), len(ids))

    times = [ms(e["eventTime"]) for e in events if TIME.match(str(e.get("eventTime", "")))]
    if not times:
        fail("no eventTime in CloudTrail's format to compare")
    where = r"WHERE regexp_matches(json_extract_string(raw, '$.eventTime'), '^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$')"
    lo, hi = db.execute(f"SELECT epoch_ms(min(eventTime)), epoch_ms(max(eventTime)) FROM t {where}").fetchone()
    agree("min eventTime (ms)", lo, min(times))
    agree("max eventTime (ms)", hi, max(times))

    bad = one(
        "SELECT count(*) FROM t WHERE coalesce(eventType, '') <> 'AwsCloudTrailInsight' AND "
        "json_type(raw, '$.eventName') = 'VARCHAR' AND "
        "(eventName IS DISTINCT FROM json_extract_string(raw, '$.eventName') OR "
        " eventSource IS DISTINCT FROM json_extract_string(raw, '$.eventSource'))"
    )
    agree("rows whose eventName/eventSource columns differ from their raw JSON", bad, 0)
    print(f"parquet check: {rows} rows agree")


if __name__ == "__main__":
    main()
