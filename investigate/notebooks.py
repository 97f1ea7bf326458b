"""Where the guided notebooks live, and which case they open.

The numbered notebooks sit in ``notebooks/`` beside the package (the repository layout). Each
starts with a papermill ``parameters`` cell holding ``case_dir``; :func:`open_case` turns that
into an open case: the given folder, else the ``INVESTIGATE_CASE`` environment variable (set by
``investigate lab`` and ``investigate app``), else the bundled sample case, built on first use
into a working folder (never into the repository's ``sample_data/``).
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import tempfile
from pathlib import Path

from .case import Case
from .errors import CaseError
from .steps import NOTEBOOKS

log = logging.getLogger("investigate")

#: the environment variable naming the case the notebooks open when no case_dir is given.
CASE_ENV = "INVESTIGATE_CASE"
#: the environment variable naming the kit's working folder (default: ~/.cache/investigate).
WORK_ENV = "INVESTIGATE_WORK"



def notebooks_dir() -> Path:
    """The folder holding the numbered notebooks (``notebooks/`` beside ``investigate/``)."""
    folder = Path(__file__).resolve().parent.parent / "notebooks"
    if not (folder / NOTEBOOKS[1]).is_file():
        raise CaseError(
            f"The guided notebooks were not found in {folder}. Run the kit from its folder "
            "(pip install -e .), where notebooks/ sits beside investigate/."
        )
    return folder


def notebook_paths() -> list[Path]:
    """The numbered notebooks that exist, in order."""
    folder = notebooks_dir()
    return [folder / name for name in NOTEBOOKS if (folder / name).is_file()]


def work_dir() -> Path:
    """The kit's working folder: ``$INVESTIGATE_WORK`` or ``~/.cache/investigate``."""
    given = os.environ.get(WORK_ENV)
    if given:
        return Path(given).expanduser()
    cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(cache) / "investigate"


def sample_case_dir() -> Path:
    """The bundled training case, built into the working folder the first time it is asked for.

    Several notebooks may ask at once: the case is built in a private folder and moved into
    place in one step, so nobody ever opens a half-built case. The folder is named for the
    training files' fingerprint, so a kit whose bundled case changed builds its own.
    """
    from .training import build_case, sample_data_dir

    source = sample_data_dir()
    key = hashlib.sha256(b"".join((source / name).read_bytes() for name in ("case.json", "manifest.json")))
    target = work_dir() / f"sample-case-{key.hexdigest()[:12]}"
    if (target / "case.toml").is_file():
        return target

    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".sample-case-", dir=target.parent))
    try:
        log.info("building the sample case in %s", target)
        build_case(staging / "case")
        try:
            os.rename(staging / "case", target)
        except OSError:
            if not (target / "case.toml").is_file():  # not a concurrent build that won the race
                raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target


def resolve_case_dir(case_dir: str | os.PathLike[str] | None = None) -> Path:
    """The case folder a notebook should open (see the module docstring for the order)."""
    if case_dir:
        return Path(case_dir).expanduser()
    from_env = os.environ.get(CASE_ENV)
    if from_env:
        return Path(from_env).expanduser()
    return sample_case_dir()


def open_case(case_dir: str | os.PathLike[str] | None = None) -> Case:
    """Open the case a notebook works on: ``case_dir``, else ``$INVESTIGATE_CASE``, else the sample."""
    return Case.open(resolve_case_dir(case_dir))
