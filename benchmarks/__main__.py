"""``python -m benchmarks [--smoke] [--sizes 10000,100000,1000000] [--no-demo] [--no-report]``."""

from __future__ import annotations

import argparse
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
GB_MIB = 1e9 / 2**20  # 1 GB (10^9 bytes) in MiB: the memory target, read strictly


@dataclass
class SizeRun:
    rows: int
    imported: Measure
    bare: Measure
    analysis: Measure


def fit(rows: list[int], seconds: list[float]) -> tuple[float, float, float]:
    """Least-squares line of seconds against rows: (µs per row, fixed seconds, R²).

    >>> slope, fixed, r2 = fit([10, 20, 30], [1.0, 2.0, 3.0])
    >>> round(slope), round(fixed, 6), round(r2, 6)
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


def measure_sizes(inputs: _data.Inputs, files: dict[int, Path], work: Path) -> list[SizeRun]:
    context = work / "context-case"
    built = step("build_context", case_dir=str(context), source=str(inputs.context))
    say(f"context case (training case without its bulk lists): {built.result['relationships']:,} relationship "
        f"rows, built in {built.result['seconds']:.1f} s")
    runs = []
    for rows, path in files.items():
        bare = step("bare_read", file=str(path))
        case_dir = work / f"import-{rows}"
        imported = step("import_rows", file=str(path), case_dir=str(case_dir), subject=inputs.subject)
        if imported.result["rows"] != rows:
            raise StepFailed(f"{path.name}: {imported.result['rows']:,} of {rows:,} rows were imported")
        analysis = step("analysis", context_case=str(context), import_case=str(case_dir), subject=inputs.subject,
                        copycats=inputs.copycats)
        say(f"{_rows(rows):>5} rows ({path.stat().st_size / 2**20:,.1f} MiB file): "
            f"import {imported.result['seconds']:.2f} s / {imported.peak_mib:,.0f} MiB, "
            f"bare read {bare.result['seconds']:.2f} s / {bare.peak_mib:,.0f} MiB, "
            f"leads {analysis.result['leads_top_seconds']:.2f} s (top 20) / "
            f"{analysis.result['leads_seconds']:.2f} s (all)")
        runs.append(SizeRun(rows, imported, bare, analysis))
        shutil.rmtree(case_dir, ignore_errors=True)
    return runs


def instagram_json(inputs: _data.Inputs, rows: int, path: str, work: Path) -> tuple[int, Measure]:
    """The largest follower list as Instagram's followers_1.json, imported (streamed) into a fresh case."""
    imported = step("import_instagram_json", file=path, case_dir=str(work / "import-instagram"),
                    subject=inputs.subject)
    if imported.result["rows"] != rows:
        raise StepFailed(f"{path}: {imported.result['rows']:,} of {rows:,} entries were imported")
    say(f"{_rows(rows):>5} entries as Instagram JSON ({Path(path).stat().st_size / 2**20:,.1f} MiB file): "
        f"import {imported.result['seconds']:.2f} s / {imported.peak_mib:,.0f} MiB")
    shutil.rmtree(work / "import-instagram", ignore_errors=True)
    return rows, imported


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
    parser.add_argument("--data-dir", type=Path, default=_data.DATA_DIR,
                        help="where generated data is cached (default benchmarks/data)")
    parser.add_argument("--no-report", action="store_true", help="skip the sample case's report")
    parser.add_argument("--no-demo", action="store_true", help="skip `investigate demo`")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")] if args.sizes else [2_000] if args.smoke else list(SIZES)
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
            runs = measure_sizes(inputs, files, work)
            instagram = instagram_json(inputs, *data["instagram"], work)
            report = None if skip_report else step("report", case_dir=str(work / "sample-case"))
            demo = None if skip_demo else demo_seconds(work)
        except StepFailed as exc:
            say(f"A step failed: {exc}")
            return 1
    say()
    say(results_table(runs))
    say()
    if report is not None:
        say(f"report of the sample case: write_report {report.result['seconds']:.1f} s "
            f"(build_case {report.result['build_seconds']:.1f} s before it), {report.result['bytes']:,} bytes, "
            f"peak {report.peak_mib:,.0f} MiB")
    if demo is not None:
        say(f"investigate demo end to end: {demo.wall:.1f} s")
    say()
    verdicts = targets(runs, demo)
    verdicts.insert(3, [f"{_rows(instagram[0])}-entry Instagram followers JSON import peak memory < 1 GB",
                        f"{instagram[1].result['seconds']:.1f} s, {instagram[1].peak_mib:,.0f} MiB",
                        "PASS" if instagram[1].peak_mib < GB_MIB else "MISS"])
    say(table(["target", "measured", "result"], verdicts))
    return 0


def results_table(runs: list[SizeRun]) -> str:
    header = ["rows", "import s", "import peak MiB", "(baseline)", "bare read s", "bare peak MiB", "(baseline)",
              "time x", "peak x", "net peak x", "parquet MiB", "overlap s", "top 20 s", "leads s", "chronology s",
              "rel rows"]
    body = []
    for r in runs:
        imp, bare, an = r.imported, r.bare, r.analysis.result
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
    if len(runs) >= 3:
        lines.append("growth with rows (least squares over the sizes):")
        for name, values in [
            ("import+persist", [r.imported.result["seconds"] for r in runs]),
            ("import peak RSS", [r.imported.peak_kb / 1024 for r in runs]),
            ("overlap matrix", [r.analysis.result["overlap_seconds"] for r in runs]),
            ("leads", [r.analysis.result["leads_seconds"] for r in runs]),
            ("chronology", [r.analysis.result["chronology_seconds"] for r in runs]),
        ]:
            slope, fixed, r2 = fit([r.rows for r in runs], values)
            unit = "KiB/row" if "RSS" in name else "µs/row"
            scale = 1024 / 1e6 if "RSS" in name else 1.0  # MiB per row * 1e6 -> KiB per row
            lines.append(f"  {name:<16} slope {slope * scale:8.3f} {unit}, intercept {fixed:8.3f}, R² {r2:.4f}")
    return "\n".join(lines)


def targets(runs: list[SizeRun], demo: Measure | None) -> list[list[str]]:
    """The issue's targets, each with what was measured and PASS or MISS (or n/a if not measured)."""
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
    leads, top = big.analysis.result["leads_seconds"], big.analysis.result["leads_top_seconds"]
    out.append([f"leads over {big.analysis.result['relationships']:,} rows < 2 s: top 20 (the CLI's default)",
                f"{top:.2f} s", verdict(top < 2)])
    out.append([f"... and every one of the {big.analysis.result['leads']:,} accounts ranked with its reasons",
                f"{leads:.2f} s", verdict(leads < 2)])
    out.append(["investigate demo end to end < 60 s", f"{demo.wall:.1f} s" if demo else "not run",
                verdict(demo.wall < 60) if demo else "n/a"])
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


if __name__ == "__main__":
    raise SystemExit(main())
