"""``python -m benchmarks [--smoke] [--sizes 10000,100000,1000000] [--10m [--10m-rows N]] [--no-demo] [--no-report]``,
or ``python -m benchmarks --leads-quality [--seeds N]`` (how often the ranking finds the creator)."""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import resource
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from . import _data
from ._run import Measure, StepFailed, run, step

SIZES = (10_000, 100_000, 1_000_000)
#: the list --10m adds (--10m-rows gives it fewer rows: the same steps, to check they run to the end)
TEN_MILLION = 10_000_000
#: the size the report and the whole commands are measured at, with its rows added to the bundled case
REPORT_ROWS = 1_000_000
GB_MIB = 1e9 / 2**20  # 1 GB (10^9 bytes) in MiB: the memory target, read strictly
MB500_MIB = 5e8 / 2**20
#: above this, the analysis step (every account ranked, the chronology: several GB at 10M) is left out
ANALYSIS_MAX_ROWS = 1_000_000
ROOT = Path(__file__).resolve().parent.parent


@dataclass
class SizeRun:
    rows: int
    imported: Measure
    bare: Measure
    analysis: Measure | None  # None above ANALYSIS_MAX_ROWS
    parquet: Measure  # pyarrow read_csv + Parquet write, a whole process
    duckdb: Measure | None  # DuckDB read_csv -> Parquet (None when duckdb is not installed)
    network: Measure | None  # mutuals and overlap, beside DuckDB on the same parts
    leads: Measure  # rank_leads top 20 alone (its own peak)


@dataclass
class Extras:
    """What is measured once: reports, the demo and the command line."""

    report: Measure | None = None
    report_rows: Measure | None = None
    demo: Measure | None = None
    demo_bytes: int | None = None
    cli: dict[str, Measure] | None = None


def fit(rows: list[int], seconds: list[float]) -> tuple[float, float, float]:
    """Least-squares line of seconds against rows: (µs per row, fixed seconds, R²).

    >>> slope, fixed, r2 = fit([10, 20, 30], [1.0, 2.0, 3.0])
    >>> round(slope), round(fixed, 6) + 0.0, round(r2, 6)
    (100000, 0.0, 1.0)
    """
    x, y = np.asarray(rows, dtype=float), np.asarray(seconds, dtype=float)
    slope, intercept = np.polyfit(x, y, 1)
    residual = float(((y - (slope * x + intercept)) ** 2).sum())
    total = float(((y - y.mean()) ** 2).sum())
    r2 = 1.0 - residual / total if total > 0 else 1.0
    return float(slope * 1e6), float(intercept), r2


def _mib(kb: int) -> str:
    return f"{kb / 1024:,.0f}"


def _rows(n: int) -> str:
    return f"{n // 1_000_000}M" if n % 1_000_000 == 0 else f"{n // 1000}k" if n % 1000 == 0 else str(n)


def table(header: list[str], rows: list[list[str]]) -> str:
    """A plain text table, columns right-aligned except the first."""
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    line = "  ".join("-" * w for w in widths)

    def fmt(r: list[str]) -> str:
        return "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths, strict=True)))

    return "\n".join([fmt(header), line, *map(fmt, rows)])


def _self_peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def say(text: str = "") -> None:
    print(text, flush=True)


def report_size(files: dict[int, Path], ten: int | None) -> int | None:
    """The list the report and the whole commands are measured with: the 1M one (their targets are for
    1M rows), else the largest one of 1M rows or more that is not the --10m list; None when there is none.

    >>> report_size({10_000: Path("a"), 1_000_000: Path("b"), 10_000_000: Path("c")}, 10_000_000)
    1000000
    >>> report_size({2_000: Path("a"), 50_000: Path("b")}, 50_000) is None
    True
    """
    if REPORT_ROWS in files:
        return REPORT_ROWS
    return max((r for r in files if r >= REPORT_ROWS and r != ten), default=None)


def measure_sizes(inputs: _data.Inputs, files: dict[int, Path], work: Path, *,
                  ten: int | None = None) -> list[SizeRun]:
    context = work / "context-case"
    built = step("build_context", case_dir=str(context), source=str(inputs.context))
    say(f"context case (training case without its bulk lists): {built.result['relationships']:,} relationship "
        f"rows, built in {built.result['seconds']:.1f} s")
    runs = []
    has_duckdb = importlib.util.find_spec("duckdb") is not None
    if not has_duckdb:
        say("duckdb is not installed (pip install -e '.[bench]'): its baselines are left out")
    for rows, path in files.items():
        bare = step("bare_read", file=str(path))
        parquet = step("parquet_baseline", file=str(path), out=str(work / "baseline.parquet"))
        duck = step("duckdb_import", file=str(path), out=str(work / "duckdb.parquet")) if has_duckdb else None
        case_dir = work / f"import-{rows}"
        imported = step("import_rows", file=str(path), case_dir=str(case_dir), subject=inputs.subject)
        if imported.result["rows"] != rows:
            raise StepFailed(f"{path.name}: {imported.result['rows']:,} of {rows:,} rows were imported")
        cases = {"context_case": str(context), "import_case": str(case_dir), "subject": inputs.subject,
                 "copycats": inputs.copycats}
        # the --10m list is never analysed whole (several GB at 10M), whatever rows --10m-rows gives it
        analysis = step("analysis", **cases) if rows <= ANALYSIS_MAX_ROWS and rows != ten else None
        network = step("network", **cases) if has_duckdb else None
        if network is not None and not network.result["agree"]:
            raise StepFailed(f"{rows:,} rows: mutuals or overlap differ from DuckDB's on the same parts")
        leads = step("leads_top", **cases)
        say(f"{_rows(rows):>5} rows ({path.stat().st_size / 2**20:,.1f} MiB file): "
            f"import {imported.wall:.2f} s / {imported.peak_mib:,.0f} MiB (pyarrow+Parquet {parquet.wall:.2f} s"
            + (f", DuckDB {duck.wall:.2f} s" if duck else "") + "), "
            f"leads top 20 {leads.result['seconds']:.2f} s / {leads.peak_mib:,.0f} MiB")
        runs.append(SizeRun(rows, imported, bare, analysis, parquet, duck, network, leads))
        shutil.rmtree(case_dir, ignore_errors=True)
    return runs


def instagram_json(inputs: _data.Inputs, rows: int, path: str, work: Path) -> tuple[int, Measure, Measure | None]:
    """The largest follower list as Instagram's followers_1.json, imported (streamed) into a fresh case,
    beside DuckDB's read_json of the same file to Parquet (None when duckdb is not installed)."""
    duck = (step("duckdb_read_json", file=path, out=str(work / "duckdb-json.parquet"))
            if importlib.util.find_spec("duckdb") is not None else None)
    imported = step("import_instagram_json", file=path, case_dir=str(work / "import-instagram"),
                    subject=inputs.subject)
    if imported.result["rows"] != rows:
        raise StepFailed(f"{path}: {imported.result['rows']:,} of {rows:,} entries were imported")
    say(f"{_rows(rows):>5} entries as Instagram JSON ({Path(path).stat().st_size / 2**20:,.1f} MiB file): "
        f"import {imported.wall:.2f} s / {imported.peak_mib:,.0f} MiB"
        + (f" (DuckDB read_json {duck.wall:.2f} s, {_ratio(imported.wall, duck.wall)})" if duck else ""))
    shutil.rmtree(work / "import-instagram", ignore_errors=True)
    return rows, imported, duck


def measure_extras(inputs: _data.Inputs, files: dict[int, Path], work: Path, *, report: bool,
                   demo: bool, ten: int | None = None) -> Extras:
    """The sample case's report, the report with 1M follower rows, the demo and CLI latencies."""
    extras = Extras()
    sample = work / "sample-case"
    if report:
        extras.report = step("report", case_dir=str(sample))
        big = report_size(files, ten)
        if big is not None:
            say(f"report with {_rows(big)} follower rows imported ...")
            extras.report_rows = step("report_rows", case_dir=str(work / f"report-{big}" / "case"),
                                      file=str(files[big]), rows=big)
    else:
        step("build_context", case_dir=str(sample), source=None)
    if demo:
        extras.demo = demo_seconds(work)
        demo_report = work / "demo" / "report.html"
        extras.demo_bytes = demo_report.stat().st_size if demo_report.is_file() else None
    extras.cli = cli_latencies(sample)
    return extras


def cli_latencies(sample: Path) -> dict[str, Measure]:
    """Wall time of a bare interpreter and of three commands on the sample (demo) case: the best of 3."""
    subject = json.loads((ROOT / "sample_data" / "case.json").read_text(encoding="utf-8"))["subject"]["handle"]
    script = Path(sys.executable).with_name("investigate")
    cli = [str(script)] if script.exists() else [sys.executable, "-m", "investigate.cli"]
    commands = {"python -c pass": [sys.executable, "-c", "pass"], "investigate --help": [*cli, "--help"],
                "investigate verify (demo case)": [*cli, "verify", str(sample)],
                "investigate leads (demo case)": [*cli, "leads", str(sample), "--account", subject]}
    return {name: min((run(argv)[0] for _ in range(3)), key=lambda m: m.wall) for name, argv in commands.items()}


def demo_seconds(work: Path) -> Measure:
    """``investigate demo`` end to end in its own process (wall time seen from here)."""
    script = Path(sys.executable).with_name("investigate")
    argv = [str(script)] if script.exists() else [sys.executable, "-m", "investigate.cli"]
    measure, _ = run([*argv, "demo", str(work / "demo")])
    return measure


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--smoke", action="store_true",
                        help="a few seconds: small training data, 2,000 rows, no report and no demo")
    parser.add_argument("--sizes", help="comma-separated row counts (default 10000,100000,1000000)")
    parser.add_argument("--10m", dest="ten_million", action="store_true",
                        help="add a 10,000,000-row list (several minutes and ~1.2 GB of data on disk)")
    parser.add_argument("--10m-rows", dest="ten_million_rows", type=int, default=TEN_MILLION,
                        help="with --10m: the rows of that list (default 10,000,000); fewer run the same steps "
                             "(import, Instagram JSON, leads, targets) quickly, to check they go to the end")
    parser.add_argument("--data-dir", type=Path, default=_data.DATA_DIR,
                        help="where generated data is cached (default benchmarks/data)")
    parser.add_argument("--no-report", action="store_true", help="skip the sample case's report")
    parser.add_argument("--no-demo", action="store_true", help="skip `investigate demo`")
    parser.add_argument("--leads-quality", action="store_true",
                        help="rank training cases of each difficulty: top-1/top-3 hit rates of the creator instead")
    parser.add_argument("--commands", action="store_true",
                        help="only the user's commands as whole processes: the bundled case beside it with "
                             "--rows follower rows added (default 1,000,000)")
    parser.add_argument("--rows", type=int, default=1_000_000, help="with --commands: rows added to the bundled case")
    parser.add_argument("--seeds", type=int, default=20, help="with --leads-quality: seeds per difficulty and set")
    args = parser.parse_args(argv)
    if args.leads_quality:
        from ._quality import run as quality

        return quality(args.seeds, say)
    if args.commands:
        return commands_only(args.rows, args.data_dir.resolve())
    sizes = [int(s) for s in args.sizes.split(",")] if args.sizes else [2_000] if args.smoke else list(SIZES)
    ten = args.ten_million_rows if args.ten_million else None
    if ten is not None and ten not in sizes:
        sizes.append(ten)
    scale = "small" if args.smoke else "large"
    skip_report, skip_demo = args.no_report or args.smoke, args.no_demo or args.smoke
    data_dir = args.data_dir.resolve()
    data_dir.mkdir(parents=True, exist_ok=True)

    say(f"investigate benchmarks on {os.cpu_count()} cores, python {sys.version.split()[0]}; "
        f"each step in a fresh subprocess, peak RSS from os.wait4")
    try:  # in a subprocess: a parent's RSS high-water mark would be inherited by every child measured
        data = step("prepare_data", data_dir=str(data_dir), scale=scale, sizes=sizes).result
    except StepFailed as exc:
        say(f"The benchmark data could not be made: {exc}")
        return 1
    inputs = _data.Inputs(Path(data["training"]), Path(data["context"]), data["subject"], data["copycats"])
    files = {int(rows): Path(path) for rows, path in data["files"].items()}
    say(f"training data ({scale}, seed {_data.SEED}) in {inputs.training}, follower lists beside it "
        f"({data['seconds']:.1f} s, cached); subject @{inputs.subject}, {len(inputs.copycats)} copycats; "
        f"this process's peak RSS so far {_self_peak_mib():.0f} MiB")
    with tempfile.TemporaryDirectory(prefix="investigate-bench-") as tmp:
        work = Path(tmp)
        try:
            runs = measure_sizes(inputs, files, work, ten=ten)
            instagram = instagram_json(inputs, *data["instagram"], work)
            extras = measure_extras(inputs, files, work, report=not skip_report, demo=not skip_demo, ten=ten)
            big = report_size(files, ten)
            commands = commands_table(files[big], big, work / "commands") if big and not skip_report else ""
        except StepFailed as exc:
            say(f"A step failed: {exc}")
            return 1
    say()
    say(results_table(runs))
    say()
    say(baselines_table(runs))
    say()
    say(extras_table(extras))
    say()
    if commands:
        say(commands)
        say()
    verdicts = targets(runs, extras, ten=ten)
    verdicts.insert(4, [f"{_rows(instagram[0])}-entry Instagram followers JSON import peak memory < 1 GB",
                        f"{instagram[1].result['seconds']:.1f} s, {instagram[1].peak_mib:,.0f} MiB",
                        "PASS" if instagram[1].peak_mib < GB_MIB else "MISS"])
    if instagram[2] is not None:  # whole processes, as the CSV import beside pyarrow
        ours, theirs = instagram[1].wall, instagram[2].wall
        verdicts.insert(5, [f"{_rows(instagram[0])}-entry Instagram JSON import within 2x of DuckDB read_json -> "
                            "Parquet (whole processes)", f"{ours:.2f} / {theirs:.2f} s = {_ratio(ours, theirs)}",
                            "PASS" if ours <= 2 * theirs else "MISS"])
    say(table(["target", "measured", "result"], verdicts))
    return 0


COMMANDS_HEADER = ["command (whole process, best of 3)", "bundled s", "+rows s", "x", "bundled MiB", "+rows MiB",
                   "x", "target", "result"]


def commands_table(inputs_file: Path, rows: int, work: Path) -> str:
    """The user's commands on the bundled case and on the same case with ``rows`` follower rows."""
    from . import _commands

    work.mkdir(parents=True, exist_ok=True)
    small = step("build_with_rows", case_dir=str(work / "bundled"))
    big = step("build_with_rows", case_dir=str(work / f"plus-{rows}"), file=str(inputs_file))
    say(f"whole commands: the bundled case ({small.result['relationships']:,} relationship rows) beside it with "
        f"{_rows(rows)} follower rows added ({big.result['relationships']:,}) ...")
    out = work / "outputs"
    out.mkdir()
    best = _commands.measure({"bundled": work / "bundled", "big": work / f"plus-{rows}"}, small.result["subject"],
                             out, say=say)
    return table(COMMANDS_HEADER, _commands.table(best, "bundled", "big"))


def commands_only(rows: int, data_dir: Path) -> int:
    """``--commands``: only the whole-command table."""
    data_dir.mkdir(parents=True, exist_ok=True)
    try:
        data = step("prepare_data", data_dir=str(data_dir), scale="large", sizes=[rows]).result
        with tempfile.TemporaryDirectory(prefix="investigate-bench-") as tmp:
            say(commands_table(Path(data["files"][str(rows)]), rows, Path(tmp)))
    except StepFailed as exc:
        say(f"A step failed: {exc}")
        return 1
    return 0


def _ratio(ours: float, theirs: float) -> str:
    return f"{ours / max(theirs, 1e-9):.2f}x"


def baselines_table(runs: list[SizeRun]) -> str:
    """Each figure of the kit beside its baseline, measured in the same run."""
    header = ["rows", "import s", "pyarrow+Parquet s", "x", "DuckDB s", "x", "mutuals s", "DuckDB s", "x",
              "overlap s", "DuckDB s", "x", "load s", "leads top 20 s", "leads peak MiB"]
    body = []
    for r in runs:
        duck, net = r.duckdb, r.network.result if r.network else None
        body.append([
            _rows(r.rows), f"{r.imported.wall:.2f}", f"{r.parquet.wall:.2f}", _ratio(r.imported.wall, r.parquet.wall),
            f"{duck.wall:.2f}" if duck else "-", _ratio(r.imported.wall, duck.wall) if duck else "-",
            *([f"{net['mutuals']:.3f}", f"{net['duckdb_mutuals']:.3f}", _ratio(net["mutuals"], net["duckdb_mutuals"]),
               f"{net['overlap']:.3f}", f"{net['duckdb_overlap']:.3f}", _ratio(net["overlap"], net["duckdb_overlap"]),
               f"{net['load_seconds']:.2f}"] if net else ["-"] * 7),
            f"{r.leads.result['seconds']:.2f}", f"{r.leads.peak_mib:,.0f}"])
    return "\n".join([
        table(header, body), "",
        "import, pyarrow+Parquet and DuckDB: wall time of the whole process (interpreter, imports, work). "
        "mutuals, overlap: the kit's function on the loaded frames, DuckDB's query reading the same Parquet "
        "parts; the best of 3 in one process, answers checked equal. load: reading the parts into frames."])


def extras_table(extras: Extras) -> str:
    lines = []
    rows = []
    for name, m in (("sample (demo) case", extras.report), ("with 1M follower rows", extras.report_rows)):
        if m is not None:
            rows.append([name, f"{m.result['seconds']:.1f}", f"{m.result['kernel_peak_kb'] / 1024:,.0f}",
                         f"{m.peak_mib:,.0f}", f"{m.result['bytes']:,}"])
    if rows:
        lines += [table(["report", "write_report s", "kernel peak MiB", "process peak MiB", "bytes"], rows), ""]
    if extras.demo is not None:
        size = f", report {extras.demo_bytes:,} bytes" if extras.demo_bytes else ""
        lines += [f"investigate demo end to end: {extras.demo.wall:.1f} s{size}", ""]
    if extras.cli:
        lines.append(table(["command (best of 3, whole process)", "s"],
                           [[name, f"{m.wall:.3f}"] for name, m in extras.cli.items()]))
    return "\n".join(lines)


def results_table(runs: list[SizeRun]) -> str:
    header = ["rows", "import s", "import peak MiB", "(baseline)", "bare read s", "bare peak MiB", "(baseline)",
              "time x", "peak x", "net peak x", "parquet MiB", "overlap s", "top 20 s", "leads s", "chronology s",
              "rel rows"]
    body = []
    for r in runs:
        imp, bare = r.imported, r.bare
        an = r.analysis.result if r.analysis else {k: float("nan") for k in (
            "overlap_seconds", "leads_top_seconds", "leads_seconds", "chronology_seconds")} | {"relationships": 0}
        net = (imp.peak_kb - imp.baseline_kb) / max(1, bare.peak_kb - bare.baseline_kb)
        body.append([
            _rows(r.rows), f"{imp.result['seconds']:.2f}", _mib(imp.peak_kb), _mib(imp.baseline_kb),
            f"{bare.result['seconds']:.2f}", _mib(bare.peak_kb), _mib(bare.baseline_kb),
            f"{imp.result['seconds'] / max(bare.result['seconds'], 1e-9):.1f}", f"{imp.peak_kb / bare.peak_kb:.2f}",
            f"{net:.2f}", f"{imp.result['parquet_bytes'] / 2**20:.1f}", f"{an['overlap_seconds']:.2f}",
            f"{an['leads_top_seconds']:.2f}", f"{an['leads_seconds']:.2f}", f"{an['chronology_seconds']:.2f}",
            f"{an['relationships']:,}",
        ])
    lines = [table(header, body), "",
             "peak = the process's peak RSS (interpreter, imports and work); baseline = peak RSS once python, pandas, "
             "pyarrow and the kit are imported, before the work; net = peak - baseline. x = import / bare read."]
    if any(r.analysis is None for r in runs):
        lines.append(f"nan: the analysis step (every account ranked, the chronology) is left out above "
                     f"{ANALYSIS_MAX_ROWS:,} rows; leads top 20 is measured at every size (next table).")
    analysed = [r for r in runs if r.analysis]
    if len(runs) >= 3:
        lines.append("growth with rows (least squares over the sizes):")
        for name, values in [
            ("import+persist", [r.imported.result["seconds"] for r in runs]),
            ("import peak RSS", [r.imported.peak_kb / 1024 for r in runs]),
            ("overlap matrix", [r.analysis.result["overlap_seconds"] for r in analysed]),  # type: ignore[union-attr]
            ("leads", [r.analysis.result["leads_seconds"] for r in analysed]),  # type: ignore[union-attr]
            ("chronology", [r.analysis.result["chronology_seconds"] for r in analysed]),  # type: ignore[union-attr]
        ]:
            sizes = [r.rows for r in (runs if len(values) == len(runs) else analysed)]
            if len(sizes) < 3:
                continue
            slope, fixed, r2 = fit(sizes, values)
            unit = "KiB/row" if "RSS" in name else "µs/row"
            scale = 1024 / 1e6 if "RSS" in name else 1.0  # MiB per row * 1e6 -> KiB per row
            lines.append(f"  {name:<16} slope {slope * scale:8.3f} {unit}, intercept {fixed:8.3f}, R² {r2:.4f}")
    return "\n".join(lines)


def targets(runs: list[SizeRun], extras: Extras, *, ten: int | None = None) -> list[list[str]]:
    """The issues' targets, each with what was measured and PASS or MISS (or n/a if not measured)."""
    def verdict(ok: bool) -> str:
        return "PASS" if ok else "MISS"

    out: list[list[str]] = []
    big = max(runs, key=lambda r: r.rows)
    label = _rows(big.rows)
    if big.rows < 1_000_000:
        label += " (targets are for 1M rows)"
    imp, bare = big.imported, big.bare
    seconds = imp.result["seconds"]
    out.append([f"{label} imported+persisted < 5 s", f"{seconds:.2f} s", verdict(seconds < 5)])
    out.append([f"{label} import peak memory < 1 GB ({GB_MIB:.0f} MiB)", f"{imp.peak_mib:,.0f} MiB",
                verdict(imp.peak_mib < GB_MIB)])
    ratio = imp.peak_kb / bare.peak_kb
    out.append([f"{label} import peak within 1.5x of the bare read's",
                f"{imp.peak_mib:,.0f} / {bare.peak_mib:,.0f} MiB = {ratio:.2f}x", verdict(ratio <= 1.5)])
    out += [[f"{_rows(r.rows)} import within 2x of pyarrow read + Parquet write (whole processes)",
             f"{r.imported.wall:.2f} / {r.parquet.wall:.2f} s = {_ratio(r.imported.wall, r.parquet.wall)}",
             verdict(r.imported.wall <= 2 * r.parquet.wall)] for r in runs if r.rows >= 1_000_000]
    listed = next((r for r in runs if r.rows == ten), None)
    out.append(["10M import peak memory < 500 MB (flat in rows)"
                + (f" (--10m-rows: {_rows(listed.rows)})" if listed and listed.rows != TEN_MILLION else ""),
                f"{listed.imported.peak_mib:,.0f} MiB" if listed else "not run (--10m)",
                verdict(listed.imported.peak_mib < MB500_MIB) if listed else "n/a"])
    for r in (r for r in runs if r.rows >= 1_000_000 and r.network):
        net = r.network.result  # type: ignore[union-attr]
        for name in ("mutuals", "overlap"):
            out.append([f"{_rows(r.rows)} {name} within 1.5x of DuckDB on the same parts",
                        f"{net[name]:.3f} / {net['duckdb_' + name]:.3f} s = {_ratio(net[name], net['duckdb_' + name])}",
                        verdict(net[name] <= 1.5 * net["duckdb_" + name])])
    one = next((r for r in runs if r.rows == 1_000_000), None)
    out.append(["1M leads --top 20 peak < 500 MB", f"{one.leads.peak_mib:,.0f} MiB" if one else "not run",
                verdict(one.leads.peak_mib < MB500_MIB) if one else "n/a"])
    analysed = max((r for r in runs if r.analysis), key=lambda r: r.rows).analysis.result  # type: ignore[union-attr]
    leads, top = analysed["leads_seconds"], analysed["leads_top_seconds"]
    out.append([f"leads over {analysed['relationships']:,} rows < 2 s: top 20 (the CLI's default)",
                f"{top:.2f} s", verdict(top < 2)])
    out.append([f"... and every one of the {analysed['leads']:,} accounts ranked with its reasons",
                f"{leads:.2f} s", verdict(leads < 2)])
    out += _report_targets(extras)
    out += _cli_targets(extras)
    if len(runs) >= 3:
        rows = [r.rows for r in runs]
        times = [r.imported.result["seconds"] for r in runs]
        slope, _, r2 = fit(rows, times)
        small = sorted(runs, key=lambda r: r.rows)[-2]
        per_row_big = seconds / big.rows
        per_row_small = small.imported.result["seconds"] / small.rows
        ok = r2 >= 0.99 and per_row_big <= 1.5 * per_row_small
        out.append(["import time linear in rows (R² >= 0.99, per-row cost at the largest size <= 1.5x the next)",
                    f"{slope:.2f} µs/row, R² {r2:.4f}, {per_row_big * 1e6:.2f} vs {per_row_small * 1e6:.2f} µs/row",
                    verdict(ok)])
    else:
        out.append(["import time linear in rows", "needs 3 sizes", "n/a"])
    return out


def _report_targets(extras: Extras) -> list[list[str]]:
    def verdict(ok: bool) -> str:
        return "PASS" if ok else "MISS"

    demo, sample, big = extras.demo, extras.report, extras.report_rows
    out = [["investigate demo end to end < 30 s", f"{demo.wall:.1f} s" if demo else "not run",
            verdict(demo.wall < 30) if demo else "n/a"]]
    size = extras.demo_bytes or (sample.result["bytes"] if sample else None)
    out.append(["demo case report < 1.5 MB", f"{size:,} bytes" if size else "not run",
                verdict(size < 1_500_000) if size else "n/a"])
    out.append(["demo case report written < 5 s", f"{sample.result['seconds']:.1f} s" if sample else "not run",
                verdict(sample.result["seconds"] < 5) if sample else "n/a"])
    for name, key, unit, scale in (("time", "seconds", "s", 1), ("kernel peak", "kernel_peak_kb", "MiB", 1024),
                                   ("size", "bytes", "bytes", 1)):
        if sample is None or big is None:
            out.append([f"report with 1M follower rows: {name} within 2x of the demo case's", "not run", "n/a"])
            continue
        ours, theirs = big.result[key] / scale, sample.result[key] / scale
        shown = (lambda v: f"{v:,.1f}") if key == "seconds" else (lambda v: f"{v:,.0f}")
        out.append([f"report with 1M follower rows: {name} within 2x of the demo case's",
                    f"{shown(ours)} / {shown(theirs)} {unit} = {_ratio(ours, theirs)}", verdict(ours <= 2 * theirs)])
    return out


def _cli_targets(extras: Extras) -> list[list[str]]:
    cli = extras.cli or {}
    out = []
    for name, limit in (("investigate --help", 0.3), ("investigate verify (demo case)", 0.3),
                        ("investigate leads (demo case)", 1.0)):
        m = cli.get(name)
        out.append([f"{name} < {limit:g} s", f"{m.wall:.3f} s" if m else "not run",
                    ("PASS" if m.wall < limit else "MISS") if m else "n/a"])
    return out


if __name__ == "__main__":
    raise SystemExit(main())
