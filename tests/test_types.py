"""The package type-checks: mypy with pyproject.toml's [tool.mypy] settings finds nothing."""

from __future__ import annotations

import hashlib
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent


@pytest.mark.slow
def test_mypy_finds_no_errors():
    # the cache outlives the run (a rerun takes seconds), one per checkout so worktrees do not share one
    key = hashlib.sha256(str(ROOT.resolve()).encode()).hexdigest()[:12]
    cache = Path(tempfile.gettempdir()) / f"investigate-mypy-{key}"
    result = subprocess.run([sys.executable, "-m", "mypy", "--cache-dir", str(cache), "investigate"],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, f"mypy found problems:\n{result.stdout}{result.stderr}"
