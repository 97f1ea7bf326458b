"""The user's commands as whole processes: the bundled case beside the same case with a big list added.

Each command runs in a fresh process (interpreter, imports, the report's kernel: everything the user
waits for), the two cases interleaved so that a busy machine slows both alike; the best of ``repeat``
runs of each is kept, for time and for peak memory (``os.wait4``: the process and the children it
waited for, so the report's kernel counts).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from ._run import Measure, run

#: each command's target: (time ratio, memory ratio) to the bundled case's, or an absolute MiB ceiling
TARGETS: dict[str, tuple[float | None, float | None, float | None]] = {
    "report -o report.html": (1.3, 1.5, None),
    "report -o report.docx": (1.3, None, None),
    "leads --top 20": (None, None, 5e8 / 2**20),
    "verify": (None, None, None),
}


def _cli() -> list[str]:
    script = Path(sys.executable).with_name("investigate")
    return [str(script)] if script.exists() else [sys.executable, "-m", "investigate.cli"]


def _argv(command: str, case: Path, subject: str, out: Path) -> list[str]:
    cli = _cli()
    if command.startswith("report"):
        return [*cli, "report", str(case), "-o", str(out / f"{case.name}.{command.rsplit('.', 1)[-1]}")]
    if command.startswith("leads"):
        return [*cli, "leads", str(case), "--account", subject, "--top", "20"]
    return [*cli, command, str(case)]


def measure(cases: dict[str, Path], subject: str, out: Path, *, repeat: int = 3,
            say: Callable[[str], None] = print) -> dict[tuple[str, str], Measure]:
    """(command, case name) -> the best wall time and the lowest peak memory of ``repeat`` runs."""
    best: dict[tuple[str, str], Measure] = {}
    for attempt in range(1, repeat + 1):
        for command in TARGETS:
            for name, case in cases.items():
                m, _ = run(_argv(command, case, subject, out))
                old = best.get((command, name))
                best[(command, name)] = m if old is None else Measure(min(old.wall, m.wall),
                                                                     min(old.peak_kb, m.peak_kb))
        say(f"  commands, round {attempt} of {repeat} done")
    return best


def table(best: dict[tuple[str, str], Measure], base: str, big: str) -> list[list[str]]:
    """Rows: command, base s, big s, x, base MiB, big MiB, x, target, result."""
    rows = []
    for command, (time_x, mem_x, ceiling) in TARGETS.items():
        a, b = best[(command, base)], best[(command, big)]
        tx, mx = b.wall / max(a.wall, 1e-9), b.peak_mib / max(a.peak_mib, 1e-9)
        wanted, ok = [], True
        if time_x is not None:
            wanted.append(f"<= {time_x:g}x time")
            ok &= tx <= time_x
        if mem_x is not None:
            wanted.append(f"<= {mem_x:g}x memory")
            ok &= mx <= mem_x
        if ceiling is not None:
            wanted.append(f"<= {ceiling:,.0f} MiB with the big list")
            ok &= b.peak_mib <= ceiling
        rows.append([f"investigate {command}", f"{a.wall:.2f}", f"{b.wall:.2f}", f"{tx:.2f}x", f"{a.peak_mib:,.0f}",
                     f"{b.peak_mib:,.0f}", f"{mx:.2f}x", ", ".join(wanted) or "-",
                     ("PASS" if ok else "MISS") if wanted else "-"])
    return rows
