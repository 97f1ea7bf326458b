"""Shared fixtures: tmp case folders and the test data folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from investigate.case import Case

DATA = Path(__file__).parent / "data"


@pytest.fixture
def data_dir() -> Path:
    return DATA


@pytest.fixture
def case(tmp_path: Path) -> Case:
    """A new empty case in a tmp folder."""
    return Case.create(tmp_path / "case", title="Fake account: Grimblewood Academy", school=["Grimblewood Academy"],
                       analyst="Ms Wobblethorpe")
