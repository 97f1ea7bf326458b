"""One measured step, run in its own process: ``python -m benchmarks._child TASK JSON-ARGS``.

Prints one JSON line: ``baseline_kb`` (peak RSS once the interpreter and the step's imports are
loaded, before any work) and the seconds of each timed part. The parent reads the process's
peak RSS from ``os.wait4`` (the kernel's figure), so nothing here has to be trusted for memory.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path
from typing import Any


def _peak_kb() -> int:
    return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


def _children_peak_kb() -> int:
    """The largest peak RSS of this process's finished children (the report's kernel)."""
    return int(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)


def _common_imports() -> None:
    """The libraries every step loads before its baseline is taken (pandas, pyarrow and its readers)."""
    import pandas  # noqa: F401
    import pyarrow  # noqa: F401
    import pyarrow.csv  # noqa: F401
    import pyarrow.parquet  # noqa: F401


def bare_read(args: dict[str, Any]) -> dict[str, Any]:
    """The same file read by bare ``pandas.read_csv(engine="pyarrow")``."""
    import pandas as pd

    _common_imports()
    base = _peak_kb()
    started = time.perf_counter()
    frame = pd.read_csv(args["file"], engine="pyarrow")
    seconds = time.perf_counter() - started
    return {"baseline_kb": base, "seconds": seconds, "rows": len(frame)}


def import_rows(args: dict[str, Any]) -> dict[str, Any]:
    """``import_file`` of the follower list into a fresh case (Parquet part, evidence copy, audit)."""
    from investigate.case import Case
    from investigate.importer import import_file

    _common_imports()
    base = _peak_kb()
    started = time.perf_counter()
    case = Case.create(args["case_dir"], title="Benchmark: Grimblewood Academy", analyst="Bench Quillfeather")
    result = import_file(case, args["file"], format="csv", platform="tiktok", account=args["subject"],
                         list_kind="followers", observed_at="2025-11-06T18:00:00+00:00", who="bench")
    seconds = time.perf_counter() - started
    part = sum(p.stat().st_size for p in case.parts_dir.iterdir())
    return {"baseline_kb": base, "seconds": seconds, "rows": result.counts.get("relationships", 0),
            "accounts": result.counts.get("accounts", 0), "parquet_bytes": part}


def import_instagram_json(args: dict[str, Any]) -> dict[str, Any]:
    """``import_file`` of the same list as Instagram's followers_1.json (streamed entry by entry)."""
    from investigate.case import Case
    from investigate.importer import import_file

    _common_imports()
    base = _peak_kb()
    started = time.perf_counter()
    case = Case.create(args["case_dir"], title="Benchmark: Grimblewood Academy", analyst="Bench Quillfeather")
    result = import_file(case, args["file"], format="instagram", account=args["subject"],
                         observed_at="2025-11-06T18:00:00+00:00", order="newest-first", who="bench")
    return {"baseline_kb": base, "seconds": time.perf_counter() - started,
            "rows": result.counts.get("relationships", 0)}


def analysis(args: dict[str, Any]) -> dict[str, Any]:
    """Overlap matrix, leads and chronology over the context case's tables plus the imported rows."""
    import pandas as pd

    from investigate.case import Case
    from investigate.chronology import build_chronology
    from investigate.leads import rank_leads
    from investigate.network import overlap_matrix

    _common_imports()
    base = _peak_kb()
    started = time.perf_counter()
    context, bulk = Case.open(args["context_case"]), Case.open(args["import_case"])
    tables = {name: context.table(name) for name in ("relationships", "interactions", "posts", "accounts",
                                                      "people", "events")}
    tables["relationships"] = pd.concat([tables["relationships"], bulk.table("relationships")], ignore_index=True)
    tables["accounts"] = pd.concat([tables["accounts"], bulk.table("accounts")], ignore_index=True)
    load = time.perf_counter() - started
    subject, copycats = args["subject"], args["copycats"]

    started = time.perf_counter()
    overlap = overlap_matrix(tables["relationships"], [subject, *copycats])
    overlap_s = time.perf_counter() - started

    started = time.perf_counter()  # first, in a fresh process, as `investigate leads` runs it (--top 20)
    rank_leads(tables["relationships"], tables["interactions"], tables["posts"], tables["accounts"],
               tables["people"], subject=subject, copycats=copycats, top=20)
    leads_top_s = time.perf_counter() - started
    started = time.perf_counter()  # every account ranked, each with its reasons
    leads = rank_leads(tables["relationships"], tables["interactions"], tables["posts"], tables["accounts"],
                       tables["people"], subject=subject, copycats=copycats)
    leads_s = time.perf_counter() - started

    started = time.perf_counter()
    chronology = build_chronology(tables["posts"], tables["interactions"], tables["relationships"],
                                  tables["events"], tables["accounts"], timezone=context.timezone)
    chronology_s = time.perf_counter() - started
    return {"baseline_kb": base, "load_seconds": load, "overlap_seconds": overlap_s, "leads_seconds": leads_s,
            "leads_top_seconds": leads_top_s,
            "chronology_seconds": chronology_s, "relationships": len(tables["relationships"]),
            "overlap_rows": len(overlap), "leads": len(leads), "chronology_rows": len(chronology),
            "top_lead": str(leads["handle_key"].iloc[0]) if len(leads) else ""}


def build_context(args: dict[str, Any]) -> dict[str, Any]:
    """Build a case from a training folder (``build_case``), timed."""
    from investigate.training import build_case

    _common_imports()
    base = _peak_kb()
    started = time.perf_counter()
    case = build_case(args["case_dir"], source=args.get("source"))
    return {"baseline_kb": base, "seconds": time.perf_counter() - started, "relationships":
            case.count("relationships")}


def report(args: dict[str, Any]) -> dict[str, Any]:
    """``write_report`` on the sample case built by ``build_case`` (build timed apart)."""
    from investigate.report import write_report
    from investigate.training import build_case

    _common_imports()
    base = _peak_kb()
    started = time.perf_counter()
    case = build_case(args["case_dir"])
    build_s = time.perf_counter() - started
    started = time.perf_counter()
    out = write_report(case, Path(args["case_dir"]).parent / "report.html")
    seconds = time.perf_counter() - started
    return {"baseline_kb": base, "seconds": seconds, "build_seconds": build_s, "bytes": out.stat().st_size,
            "kernel_peak_kb": _children_peak_kb()}


def parquet_baseline(args: dict[str, Any]) -> dict[str, Any]:
    """The floor for an import: pyarrow reads the CSV and writes it as one Parquet file."""
    import pyarrow.csv as pa_csv
    import pyarrow.parquet as pq

    base = _peak_kb()
    started = time.perf_counter()
    table = pa_csv.read_csv(args["file"])
    pq.write_table(table, args["out"])
    return {"baseline_kb": base, "seconds": time.perf_counter() - started, "rows": table.num_rows}


def _duckdb_to_parquet(args: dict[str, Any], reader: str) -> dict[str, Any]:
    """DuckDB reads ``args["file"]`` with ``reader`` (read_csv, read_json) and writes it as Parquet."""
    import duckdb

    base = _peak_kb()
    started = time.perf_counter()
    path, out = args["file"].replace("'", "''"), args["out"].replace("'", "''")
    con = duckdb.connect()
    con.execute(f"COPY (SELECT * FROM {reader}('{path}')) TO '{out}' (FORMAT parquet)")
    rows = con.execute(f"SELECT count(*) FROM read_parquet('{out}')").fetchone()[0]  # type: ignore[index]
    return {"baseline_kb": base, "seconds": time.perf_counter() - started, "rows": int(rows)}


def duckdb_import(args: dict[str, Any]) -> dict[str, Any]:
    """DuckDB reads the CSV and writes it as Parquet (the other engine's whole-process figure)."""
    return _duckdb_to_parquet(args, "read_csv")


def duckdb_read_json(args: dict[str, Any]) -> dict[str, Any]:
    """DuckDB reads Instagram's followers_1.json (read_json) and writes it as Parquet: the JSON import's baseline."""
    return _duckdb_to_parquet(args, "read_json")


_DUCK_MUTUALS = """
    SELECT count(*) FROM (
      SELECT DISTINCT f.follower FROM rel f
      JOIN (SELECT DISTINCT followed FROM rel WHERE follower = $subject) g ON f.follower = g.followed
      WHERE f.followed = $subject AND f.follower <> $subject)"""
_DUCK_OVERLAP = """
    WITH m AS (SELECT DISTINCT followed AS owner, follower AS member FROM rel
               WHERE list_contains($accounts, followed) AND follower IS NOT NULL)
    SELECT a.owner, b.owner, count(*) FROM m a JOIN m b USING (member) GROUP BY 1, 2"""


def network(args: dict[str, Any]) -> dict[str, Any]:
    """Mutuals and the overlap matrix on the relationships parts, against DuckDB on the same files."""
    import duckdb
    import pandas as pd

    from investigate.case import Case
    from investigate.network import mutuals, overlap_matrix
    from investigate.schema import handle_key

    _common_imports()
    base = _peak_kb()
    cases = [Case.open(args["context_case"]), Case.open(args["import_case"])]
    files = [str(c.parts_dir / f) for c in cases for f in c.parts().query("table_name == 'relationships'")["file"]]
    subject = handle_key(args["subject"])
    accounts = list(dict.fromkeys([subject, *(handle_key(c) for c in args["copycats"])]))
    started = time.perf_counter()
    rel = pd.concat([c.table("relationships") for c in cases], ignore_index=True)
    load = time.perf_counter() - started
    best: dict[str, float] = {}
    con = duckdb.connect()
    con.execute(f"CREATE VIEW rel AS SELECT * FROM read_parquet({files!r})")
    for _ in range(args.get("repeat", 3)):  # the best of a few runs: the machine is shared
        for name, work in (("mutuals", lambda: mutuals(rel, subject)),
                           ("overlap", lambda: overlap_matrix(rel, accounts)),
                           ("duckdb_mutuals", lambda: con.execute(_DUCK_MUTUALS, {"subject": subject}).fetchone()),
                           ("duckdb_overlap", lambda: con.execute(_DUCK_OVERLAP, {"accounts": accounts}).fetchall())):
            started = time.perf_counter()
            result = work()
            best[name] = min(best.get(name, float("inf")), time.perf_counter() - started)
            best[name + "_result"] = result  # type: ignore[assignment]
    ours = best.pop("mutuals_result"), best.pop("overlap_result")
    duck = best.pop("duckdb_mutuals_result"), best.pop("duckdb_overlap_result")
    shared = {(a, b): n for a, b, n in duck[1]}  # type: ignore[union-attr]
    agree = len(ours[0]) == duck[0][0] and all(  # type: ignore[index]
        shared.get((r.account_a, r.account_b), 0) == r.shared for r in ours[1].itertuples())  # type: ignore[union-attr]
    return {"baseline_kb": base, "load_seconds": load, **best, "relationships": len(rel), "agree": bool(agree),
            "mutual_accounts": len(ours[0])}  # type: ignore[arg-type]


def leads_top(args: dict[str, Any]) -> dict[str, Any]:
    """``case_leads`` (what ``investigate leads --top 20`` runs) on the imported rows plus the context case."""
    import pandas as pd

    from investigate.case import Case
    from investigate.leads import rank_leads

    _common_imports()
    base = _peak_kb()
    started = time.perf_counter()
    context, bulk = Case.open(args["context_case"]), Case.open(args["import_case"])
    tables = {name: context.table(name) for name in ("relationships", "interactions", "posts", "accounts", "people")}
    for name in ("relationships", "accounts"):
        tables[name] = pd.concat([tables[name], bulk.table(name)], ignore_index=True)
    ranked = rank_leads(tables["relationships"], tables["interactions"], tables["posts"], tables["accounts"],
                        tables["people"], subject=args["subject"], copycats=args["copycats"], top=20)
    return {"baseline_kb": base, "seconds": time.perf_counter() - started, "leads": len(ranked)}


def report_rows(args: dict[str, Any]) -> dict[str, Any]:
    """``write_report`` on the sample case with a follower list of the subject imported (``rows`` rows)."""
    from investigate.importer import import_file
    from investigate.report import write_report
    from investigate.training import build_case

    _common_imports()
    base = _peak_kb()
    started = time.perf_counter()
    case = build_case(args["case_dir"])
    accounts = case.table("accounts")
    subject = str(accounts.loc[accounts["role"] == "subject", "handle_key"].iloc[0])
    import_file(case, args["file"], format="csv", platform="tiktok", account=subject, list_kind="followers",
                observed_at="2025-11-06T18:00:00+00:00", who="bench")
    build_s = time.perf_counter() - started
    started = time.perf_counter()
    out = write_report(case, Path(args["case_dir"]).parent / f"report-{args['rows']}.html")
    seconds = time.perf_counter() - started
    return {"baseline_kb": base, "seconds": seconds, "build_seconds": build_s, "bytes": out.stat().st_size,
            "relationships": case.count("relationships"), "kernel_peak_kb": _children_peak_kb()}


def build_with_rows(args: dict[str, Any]) -> dict[str, Any]:
    """The sample case with a follower list of its subject imported (for the whole-command benchmark)."""
    from investigate.importer import import_file
    from investigate.training import build_case

    started = time.perf_counter()
    case = build_case(args["case_dir"])
    accounts = case.table("accounts")
    subject = str(accounts.loc[accounts["role"] == "subject", "handle_key"].iloc[0])
    if args.get("file"):
        import_file(case, args["file"], format="csv", platform="tiktok", account=subject, list_kind="followers",
                    observed_at="2025-11-06T18:00:00+00:00", who="bench")
    return {"seconds": time.perf_counter() - started, "subject": subject,
            "relationships": case.count("relationships")}


def prepare_data(args: dict[str, Any]) -> dict[str, Any]:
    """Generate (or find cached) the training data and the follower lists, away from the parent.

    Kept out of the parent process on purpose: Linux carries a process's RSS high-water mark
    into the children it starts, so a parent that had built a big list would inflate every
    child's peak figure.
    """
    from . import _data

    started = time.perf_counter()
    inputs = _data.prepare(Path(args["data_dir"]), scale=args["scale"])
    prepared = time.perf_counter() - started
    files = {}
    for rows in args["sizes"]:
        files[str(rows)] = str(_data.followers_file(inputs, rows, Path(args["data_dir"])))
    largest = max(args["sizes"])
    instagram = str(_data.instagram_followers_file(inputs, largest, Path(args["data_dir"])))
    return {"training": str(inputs.training), "context": str(inputs.context), "subject": inputs.subject,
            "copycats": inputs.copycats, "files": files, "instagram": [largest, instagram],
            "prepare_seconds": prepared,
            "seconds": time.perf_counter() - started}


TASKS = {"prepare_data": prepare_data, "bare_read": bare_read, "import_rows": import_rows, "analysis": analysis,
         "import_instagram_json": import_instagram_json, "build_context": build_context, "report": report,
         "report_rows": report_rows,
         "parquet_baseline": parquet_baseline, "duckdb_import": duckdb_import, "duckdb_read_json": duckdb_read_json,
         "network": network,
         "leads_top": leads_top, "build_with_rows": build_with_rows}


def main(argv: list[str]) -> int:
    task, raw = argv[0], argv[1]
    result = TASKS[task](json.loads(raw))
    result["self_peak_kb"] = _peak_kb()
    sys.stdout.write("BENCH-RESULT " + json.dumps(result) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
