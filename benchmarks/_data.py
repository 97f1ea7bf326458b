"""Benchmark inputs: the large training case (generated once) and follower lists of N rows cut from it."""

from __future__ import annotations

import csv
import json
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

DATA_DIR = Path(__file__).resolve().parent / "data"
SEED = 7
HEADER = "Username,Full name,Followed at\r\n"
#: follow times run from here, one every 7 s (every second above 1M rows): no clock change in
#: Europe/London within the list, whose local times (written without a zone) would be ambiguous
START = np.datetime64("2025-04-01T08:00:00")
_NAMES = np.array(["Sky", "Luna", "Max", "Milo", "Nova", "Ella", "Leo", "Ruby", "Finn", "Iris", "Kai", "Maya",
                   "Zéphyrine", "Bartholomew", "Anaïs", "Ottoline", "Grimble ⚽", "Wobble 🎨", "Quill ✨", "Fizz"])


@dataclass(frozen=True)
class Inputs:
    """Where the benchmark's inputs are."""

    training: Path  # the generated training folder (scale large, or small for --smoke)
    context: Path  # the same folder without its bulk follower lists (posts, comments, small lists)
    subject: str  # the fake account under investigation (the follower lists are its followers)
    copycats: list[str]


def training_folder(data_dir: Path, *, scale: str) -> Path:
    """Generate the training case once into ``data_dir/training-<scale>-seed7`` and return it."""
    from investigate.training import generate

    folder = data_dir / f"training-{scale}-seed{SEED}"
    if (folder / "answer_key.json").is_file():
        return folder
    tmp = folder.with_name(folder.name + ".incoming")
    shutil.rmtree(tmp, ignore_errors=True)
    generate(tmp, seed=SEED, scale=scale)  # type: ignore[arg-type]
    shutil.rmtree(folder, ignore_errors=True)
    os.replace(tmp, folder)
    return folder


def context_folder(training: Path) -> Path:
    """The training folder without its bulk lists (copies of its files, a shorter manifest).

    Copies, not links: the case refuses to register a link as evidence (what it holds must be what was seen).
    """
    folder = training.with_name(training.name + "-context")
    if (folder / "manifest.json").is_file() and not any(p.is_symlink() for p in folder.iterdir()):
        return folder
    tmp = folder.with_name(folder.name + ".incoming")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    for item in training.iterdir():
        if item.name not in ("bulk", "manifest.json"):
            if item.is_dir():
                shutil.copytree(item, tmp / item.name)
            else:
                shutil.copy2(item, tmp / item.name)
    manifest = json.loads((training / "manifest.json").read_text(encoding="utf-8"))
    kept = [entry for entry in manifest if not entry["file"].startswith("bulk/")]
    (tmp / "manifest.json").write_text(json.dumps(kept, indent=2), encoding="utf-8")
    shutil.rmtree(folder, ignore_errors=True)
    os.replace(tmp, folder)
    return folder


def prepare(data_dir: Path, *, scale: str) -> Inputs:
    """The training data (generated if missing), its context folder, subject and copycats."""
    training = training_folder(data_dir, scale=scale)
    key = json.loads((training / "answer_key.json").read_text(encoding="utf-8"))
    case = json.loads((training / "case.json").read_text(encoding="utf-8"))
    subject = case["subject"]["handle"]
    copycats = [c if isinstance(c, str) else c.get("handle", "") for c in key.get("copycats", [])]
    return Inputs(training, context_folder(training), subject, [c for c in copycats if c])


def _bulk_handles(training: Path) -> Iterator[str]:
    """Handles of the training case's follower lists, bulk lists first, in manifest order."""
    manifest = json.loads((training / "manifest.json").read_text(encoding="utf-8"))
    files = [e["file"] for e in manifest if e["file"].endswith(".csv") and e.get("list") == "followers"]
    files.sort(key=lambda name: not name.startswith("bulk/"))
    from investigate.loaders._files import sniff_encoding

    for name in files:
        with open(training / name, "rb") as raw:
            encoding = sniff_encoding(raw.read(64 * 1024))
        with open(training / name, encoding=encoding, errors="replace", newline="") as handle:
            reader = csv.reader(handle)
            header = [h.strip().lstrip("\ufeff").casefold() for h in next(reader)]
            column = next((i for i, h in enumerate(header) if h in ("username", "handle", "user")), 0)
            for row in reader:
                if len(row) > column and row[column].strip():
                    yield row[column].strip()


def handles(training: Path, count: int) -> list[str]:
    """``count`` handles from the training lists; topped up with generated ones if they run out."""
    out: list[str] = []
    for handle in _bulk_handles(training):
        out.append(handle)
        if len(out) == count:
            return out
    from investigate.training._writers import bulk_handles

    return out + bulk_handles(SEED, count - len(out))


def followers_file(inputs: Inputs, rows: int, data_dir: Path) -> Path:
    """A follower list of ``rows`` rows of the subject: username, display name, ISO follow time.

    The harder shape of a manual list: every row has a display name (some not ASCII) and a
    local time without zone (each one different, so every time is parsed).
    """
    path = data_dir / f"followers-{inputs.training.name}-{rows}.csv"
    if path.is_file():
        return path
    names = handles(inputs.training, rows)
    rng = np.random.default_rng(rows)
    first = _NAMES[rng.integers(0, len(_NAMES), rows)].tolist()
    second = _NAMES[rng.integers(0, len(_NAMES), rows)].tolist()
    step = np.timedelta64(7 if rows <= 1_000_000 else 1, "s")  # 10M rows: 116 days, April to July
    times = np.datetime_as_string(START + np.arange(rows) * step, unit="s").tolist()
    tmp = path.with_suffix(".incoming")
    with open(tmp, "w", encoding="utf-8", newline="") as out:
        out.write(HEADER)
        for start in range(0, rows, 100_000):
            stop = min(rows, start + 100_000)
            out.write("".join(f"{names[i]},{first[i]} {second[i]},{times[i]}\r\n" for i in range(start, stop)))
    os.replace(tmp, path)
    return path


def instagram_followers_file(inputs: Inputs, rows: int, data_dir: Path) -> Path:
    """The same follower list as :func:`followers_file`, as Instagram's ``followers_1.json`` (a bare
    list of ``string_list_data`` entries with epoch follow times), written without holding it whole."""
    path = data_dir / f"instagram-{inputs.training.name}-{rows}" / "followers_1.json"
    if path.is_file():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    names = handles(inputs.training, rows)
    start = int(START.astype("datetime64[s]").astype(int))
    tmp = path.with_suffix(".incoming")
    with open(tmp, "w", encoding="utf-8") as out:
        out.write("[")
        for first in range(0, rows, 100_000):
            out.write(",".join(
                '{"title": "", "media_list_data": [], "string_list_data": [{"href": '
                f'"https://www.instagram.com/{names[i]}", "value": "{names[i]}", "timestamp": {start + 7 * i}}}]}}'
                for i in range(first, min(rows, first + 100_000))) + ("," if first + 100_000 < rows else ""))
        out.write("]")
    os.replace(tmp, path)
    return path
