"""Shared fixtures: tmp case folders and the test data folder."""

from __future__ import annotations

import json
import sqlite3
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


def snapshot(case_dir: Path) -> dict[str, bytes]:
    """Every file of a case folder and its bytes, with SQLite's write-ahead log first folded into
    case.sqlite (a checkpoint moves pages, it changes no content); -wal and -shm are then empty."""
    conn = sqlite3.connect(case_dir / "case.sqlite")
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()
    return {p.relative_to(case_dir).as_posix(): p.read_bytes() for p in sorted(case_dir.rglob("*"))
            if p.is_file() and not p.name.endswith(("-wal", "-shm"))}


def write_files(root: Path, files: dict[str, object]) -> Path:
    """Write ``files`` (name -> bytes, text, or JSON-able content) under ``root``; returns ``root``."""
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        elif isinstance(content, str):
            path.write_text(content, encoding="utf-8")
        else:
            path.write_text(json.dumps(content, ensure_ascii=False), encoding="utf-8")
    return root


def instagram_entry(handle: str, when: int | None = 1_730_000_000) -> dict[str, object]:
    """One entry of an Instagram export's followers/following list."""
    item: dict[str, object] = {"href": f"https://www.instagram.com/{handle}", "value": handle}
    if when is not None:
        item["timestamp"] = when
    return {"title": "", "media_list_data": [], "string_list_data": [item]}
