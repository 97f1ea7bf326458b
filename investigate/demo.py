"""``investigate demo``: the training case, every notebook executed against it, and the HTML report.

``run_demo(out_dir)`` writes ``out_dir/case`` (the bundled training case), ``out_dir/executed/``
(each numbered notebook run top to bottom with papermill, with its outputs) and
``out_dir/report.html``, and returns the report's path.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import shutil
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

from .errors import InvestigateError
from .notebooks import CASE_ENV, notebook_paths

log = logging.getLogger("investigate")

MARKER = ".investigate-demo"


class NotebookError(InvestigateError):
    """A notebook stopped with an error; the message names the notebook and the failing cell."""


def _prepare(out: Path) -> None:
    """Make ``out`` ready: new, empty, or an earlier demo (whose case and outputs are replaced)."""
    if out.exists() and any(out.iterdir()) and not (out / MARKER).is_file():
        raise InvestigateError(
            f"{out} is not empty and was not made by 'investigate demo': choose a new folder for the demo."
        )
    for part in ("case", "executed"):
        shutil.rmtree(out / part, ignore_errors=True)
    out.mkdir(parents=True, exist_ok=True)
    (out / MARKER).write_text("made by investigate demo; safe to delete\n", encoding="utf-8")


def execute_notebook(notebook: Path, output: Path, case_dir: Path, *, timeout: int = 600) -> Path:
    """Run one notebook top to bottom against ``case_dir`` (papermill, this Python's kernel)."""
    import papermill as pm
    from papermill.exceptions import PapermillExecutionError

    from .kernels import PrivateKernelManager

    output.parent.mkdir(parents=True, exist_ok=True)
    try:
        pm.execute_notebook(
            str(notebook), str(output), parameters={"case_dir": str(case_dir)}, kernel_name="python3",
            cwd=str(output.parent), progress_bar=False, log_output=False, execution_timeout=timeout,
            kernel_manager_class=PrivateKernelManager,
        )
    except PapermillExecutionError as exc:
        raise NotebookError(
            f"{notebook.name} stopped at cell {exc.exec_count}: {exc.ename}: {exc.evalue} "
            f"(the executed copy with the error is {output})"
        ) from None
    return output


def try_notebook(notebook: Path, output: Path, case_dir: Path, timeout: int = 600) -> str | None:
    """:func:`execute_notebook`, returning the error message instead of raising (None: it ran)."""
    try:
        execute_notebook(notebook, output, case_dir, timeout=timeout)
    except Exception as exc:  # noqa: BLE001 - reported to the caller, with the notebook's name
        return f"{notebook.name}: {exc}"
    return None


def run_notebooks(jobs: Sequence[tuple[Path, Path, Path]], *, workers: int | None = None, timeout: int = 600,
                  progress: Callable[[str], None] | None = None) -> list[str | None]:
    """Run (notebook, output, case_dir) jobs in parallel, one process and kernel each.

    Returns one entry per job, in order: None when the notebook ran, else its error message.
    """
    say = progress or log.info
    workers = workers or max(2, os.cpu_count() or 2)
    results: list[str | None] = [None] * len(jobs)
    with ProcessPoolExecutor(max_workers=max(1, min(workers, len(jobs) or 1)),
                             mp_context=multiprocessing.get_context("spawn")) as pool:
        started = time.monotonic()
        futures = {pool.submit(try_notebook, nb, out, case, timeout): i for i, (nb, out, case) in enumerate(jobs)}
        for future in as_completed(futures):
            i = futures[future]
            results[i] = future.result()
            state = "ran" if results[i] is None else "FAILED"
            say(f"  {state} {jobs[i][0].name} ({time.monotonic() - started:.1f} s)")
    return results


def execute_notebooks(notebooks: Sequence[Path], out_dir: Path, case_dir: Path, *, workers: int | None = None,
                      progress: Callable[[str], None] | None = None) -> list[Path]:
    """Run notebooks in parallel against one case into ``out_dir``; returns the executed copies.

    Raises :class:`NotebookError` naming every notebook that stopped with an error.
    """
    outputs = [out_dir / nb.name for nb in notebooks]
    errors = [e for e in run_notebooks(list(zip(notebooks, outputs, [case_dir] * len(notebooks), strict=True)),
                                       workers=workers, progress=progress) if e]
    if errors:
        raise NotebookError("Some notebooks stopped with an error:\n  - " + "\n  - ".join(errors))
    return outputs


def run_demo(out_dir: str | os.PathLike[str], *, progress: Callable[[str], None] | None = None) -> Path:
    """Build the training case into ``out_dir/case``, run every notebook, write the report; return its path."""
    from .case import Case
    from .report import write_report
    from .training import build_case, record_casework

    say = progress or log.info
    out = Path(out_dir).resolve()
    started = time.monotonic()
    _prepare(out)
    case_dir = out / "case"
    say(f"Building the training case in {case_dir} ...")
    record_casework(build_case(case_dir))  # the actions and findings a newcomer should see in the report
    say(f"  built in {time.monotonic() - started:.1f} s")
    notebooks = notebook_paths()
    say(f"Running {len(notebooks)} notebooks against it ...")
    previous = os.environ.get(CASE_ENV)
    try:
        os.environ[CASE_ENV] = str(case_dir)  # for any notebook that falls back to the environment
        execute_notebooks(notebooks, out / "executed", case_dir, progress=say)
    finally:
        if previous is None:
            os.environ.pop(CASE_ENV, None)
        else:
            os.environ[CASE_ENV] = previous
    say("Writing the HTML report ...")
    report = write_report(Case.open(case_dir), out / "report.html", redact=False,
                          progress=lambda text, fraction: say(f"  {text} ({fraction:.0%})"))
    say(f"Done in {time.monotonic() - started:.1f} s.")
    return Path(report)
