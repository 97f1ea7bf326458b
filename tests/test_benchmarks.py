"""The benchmark harness (``python -m benchmarks``): a 2,000-row smoke run and its line fit."""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _benchmarks():  # noqa: ANN202 - the harness lives beside the package, not inside it
    sys.path.insert(0, str(ROOT))
    try:
        import benchmarks.__main__ as main
    finally:
        sys.path.remove(str(ROOT))
    return main


def test_fit_gives_slope_per_row_and_r2():
    fit = _benchmarks().fit
    slope, fixed, r2 = fit([10_000, 100_000, 1_000_000], [0.3, 1.2, 10.2])
    assert round(slope, 2) == 10.0  # µs per row
    assert round(fixed, 2) == 0.2
    assert r2 > 0.9999
    _, _, bent = fit([1, 2, 3, 4], [1.0, 4.0, 9.0, 16.0])  # quadratic: a worse straight line
    assert bent < 0.97


def test_smoke_run_prints_the_table(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    run = subprocess.run([sys.executable, "-m", "benchmarks", "--smoke", "--data-dir", str(tmp_path / "data")],
                         cwd=ROOT, capture_output=True, text=True, timeout=300, env=env)
    assert run.returncode == 0, run.stdout + run.stderr
    out = run.stdout
    # the 2k-row list was imported whole, read bare, and the analysis ran over it plus the context case
    line = next(x for x in out.splitlines() if x.startswith("2k "))
    assert "2,000" not in line  # rel rows = 2,000 + the context case's rows
    rel_rows = int(line.split()[-1].replace(",", ""))
    assert rel_rows > 2_000
    assert "imported+persisted < 5 s" in out and "within 1.5x of the bare read" in out
    assert "investigate demo end to end < 30 s" in out and "not run" in out  # the smoke run skips the demo
    verdicts = {x.rsplit(None, 1)[0].split("  ")[0]: x.split()[-1] for x in out.splitlines()
                if x.rstrip().endswith(("PASS", "MISS", "n/a"))}
    duck = importlib.util.find_spec("duckdb") is not None
    # import (4), Instagram JSON (and beside DuckDB's read_json), leads (3), demo and reports (6), CLI (3), linearity
    assert len(verdicts) == 18 + duck
    assert verdicts["investigate --help < 0.3 s"] in ("PASS", "MISS")  # measured even in the smoke run
    assert verdicts["2k-entry Instagram followers JSON import peak memory < 1 GB"] in ("PASS", "MISS")
    assert verdicts["10M import peak memory < 500 MB (flat in rows)"] == "n/a"  # behind --10m
    # every baseline beside the kit's figure, from the same run
    assert "pyarrow+Parquet s" in out and "python -c pass" in out
    if importlib.util.find_spec("duckdb") is not None:
        baseline = next(x for x in out.splitlines() if x.startswith("2k ") and x.count("x ") >= 3)
        assert baseline.count("-") == 0  # DuckDB's import, mutuals and overlap all measured
    # the generated list is cached for the next run
    assert len(list((tmp_path / "data").glob("followers-*-2000.csv"))) == 1
    with open(next((tmp_path / "data").glob("followers-*-2000.csv")), encoding="utf-8") as handle:
        assert sum(1 for _ in handle) == 2_001


def test_quality_summary_counts_a_creator_missing_from_the_leads_as_a_miss():
    sys.path.insert(0, str(ROOT))
    try:
        from benchmarks._quality import Outcome, summarise
    finally:
        sys.path.remove(str(ROOT))
    stats = summarise([Outcome(1, "hard", 1, 9), Outcome(2, "hard", 3, 9), Outcome(3, "hard", None, 9),
                       Outcome(4, "hard", 5, 9)])
    assert stats["top-1"] == 0.25 and stats["top-3"] == 0.5
    assert stats["median"] == 4.0 and stats["worst"] == 10.0  # missing: ranked after the last of its 9 leads


@pytest.mark.slow
def test_leads_quality_prints_rates_for_tuning_and_held_out_seeds():
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    run = subprocess.run([sys.executable, "-m", "benchmarks", "--leads-quality", "--seeds", "1"],
                         cwd=ROOT, capture_output=True, text=True, timeout=300, env=env)
    out = run.stdout
    assert "tuning seeds (1..1" in out and "held-out seeds (9001..9001" in out, out + run.stderr
    assert "prompt_comment" in out and "features: follows_subject" in out  # the weights and features in use
    for difficulty in ("easy", "realistic", "hard"):
        assert sum(bool(re.match(rf"{difficulty} +\d+ ", line)) for line in out.splitlines()) == 2  # a row each
    assert "easy top-1 >= 100%" in out and "realistic top-3 >= 90%" in out
    assert run.returncode == (1 if "MISS" in out else 0)
