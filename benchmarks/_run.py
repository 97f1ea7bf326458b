"""Running one step in a fresh subprocess and reading its peak memory from the kernel."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


class StepFailed(RuntimeError):
    """A measured step exited with an error (its stderr is in the message)."""


@dataclass
class Measure:
    """One subprocess: wall seconds seen by the parent, its peak RSS and what it reported."""

    wall: float
    peak_kb: int  # ru_maxrss of this child from os.wait4 (KiB on Linux)
    result: dict[str, Any] = field(default_factory=dict)

    @property
    def baseline_kb(self) -> int:
        return int(self.result.get("baseline_kb", 0))

    @property
    def peak_mib(self) -> float:
        return self.peak_kb / 1024

    @property
    def baseline_mib(self) -> float:
        return self.baseline_kb / 1024


def run(argv: list[str], *, env: dict[str, str] | None = None) -> tuple[Measure, str]:
    """Run ``argv``; return its Measure (without a result) and its stdout. Raises StepFailed on error."""
    started = time.perf_counter()
    with tempfile.TemporaryFile() as errors:
        proc = subprocess.Popen(argv, cwd=ROOT, stdout=subprocess.PIPE, stderr=errors, env=env)
        assert proc.stdout is not None
        out = proc.stdout.read().decode("utf-8", errors="replace")  # until the child closes it (exits)
        _, status, usage = os.wait4(proc.pid, 0)  # this child's own rusage, not a max over all children
        proc.returncode = os.waitstatus_to_exitcode(status)
        wall = time.perf_counter() - started
        if proc.returncode != 0:
            errors.seek(0)
            tail = errors.read().decode("utf-8", errors="replace")[-3000:]
            raise StepFailed(f"{' '.join(argv[:4])} ... exited with {proc.returncode}:\n{tail}")
    return Measure(wall, int(usage.ru_maxrss)), out


def step(task: str, **args: Any) -> Measure:
    """Run one task of :mod:`benchmarks._child` in a fresh interpreter."""
    measure, out = run([sys.executable, "-m", "benchmarks._child", task, json.dumps(args)])
    line = next((x for x in out.splitlines() if x.startswith("BENCH-RESULT ")), None)
    if line is None:
        raise StepFailed(f"{task} printed no result:\n{out[-2000:]}")
    measure.result = json.loads(line.removeprefix("BENCH-RESULT "))
    return measure
