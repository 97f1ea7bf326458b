"""The evidence registry: files copied into ``evidence/`` under their SHA-256, read-only.

Originals are never changed. :func:`verify` recomputes every hash and checks the audit chain.
"""

from __future__ import annotations

import hashlib
import mimetypes
import os
import shutil
import sqlite3
import stat
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from . import audit
from .case import Case, current_user, insert_frame
from .errors import EvidenceError
from .schema import validate

if TYPE_CHECKING:  # imported where a row is made: `verify` needs no pandas
    import pandas as pd

#: Shown before anything is registered (command line and notebook 01).
NUDE_IMAGE_RULE = """\
STOP - images of under-18s that are nude or semi-nude:
  Never view, copy, print, screenshot, store or forward them, not even as evidence.
  Record only a description and the URL, and pass it to the Designated Safeguarding Lead (DSL)
  at once. If an adult is involved, it is a police matter.
  Do not register such an image here."""

_CHUNK = 1024 * 1024


def sha256_file(path: Path) -> str:
    """SHA-256 (hex) of a file, read in chunks (any size)."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(_CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


def stored_path(case: Case, sha256: str, original_name: str) -> Path:
    """Where a registered file lives: ``evidence/<sha256><suffix>``."""
    suffix = "".join(Path(original_name).suffixes[-2:])[:20]
    return case.evidence_dir / f"{sha256}{suffix}"


@dataclass
class StagedFile:
    """A file copied into the evidence folder but not yet recorded (see :func:`stage`)."""

    source: Path
    sha256: str
    size: int
    target: Path
    tmp: Path | None  # None when the same bytes are already stored
    moved: bool = False
    name: str = ""  # the name recorded: the file's, or "<folder>.zip" for a folder

    def __post_init__(self) -> None:
        self.name = self.name or self.source.name

    def keep(self) -> None:
        """Move the copy into place, read-only. Call inside the recording transaction."""
        if self.tmp is not None:
            os.chmod(self.tmp, stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
            os.replace(self.tmp, self.target)
            self.tmp = None
            self.moved = True

    def discard(self) -> None:
        """Undo the copy (also after :meth:`keep`, when the recording transaction failed)."""
        if self.tmp is not None:
            self.tmp.unlink(missing_ok=True)
            self.tmp = None
        if self.moved:
            os.chmod(self.target, stat.S_IWUSR | stat.S_IRUSR)
            self.target.unlink(missing_ok=True)
            self.moved = False


def stage(case: Case, path: str | Path) -> StagedFile:
    """Hash and copy a file into the evidence folder under a temporary name.

    A folder (an unzipped platform export) is stored as one zip of its files, written the same
    way every time (names in order, fixed dates), so the same folder always gets the same hash.
    """
    source = Path(path)
    folder = source.is_dir()
    if not (folder or source.is_file()):
        raise EvidenceError(f"{source} is not a file that can be read.")
    fd, tmp_name = tempfile.mkstemp(prefix=".incoming-", dir=case.evidence_dir)
    tmp = Path(tmp_name)
    digest = hashlib.sha256()
    try:
        with os.fdopen(fd, "wb") as out:
            if folder:
                _zip_folder(source, out)
            else:
                with open(source, "rb") as handle:
                    for block in iter(lambda: handle.read(_CHUNK), b""):
                        digest.update(block)
                        out.write(block)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise EvidenceError(f"{source} could not be copied into the case: {exc.strerror or exc}") from None
    sha = sha256_file(tmp) if folder else digest.hexdigest()
    name = f"{source.name}.zip" if folder else source.name
    target = stored_path(case, sha, name)
    size = tmp.stat().st_size
    if target.exists():
        tmp.unlink()
        return StagedFile(source, sha, size, target, None, name=name)
    return StagedFile(source, sha, size, target, tmp, name=name)


def _zip_folder(folder: Path, out: BinaryIO) -> None:
    """Write every file under ``folder`` into a zip on ``out``: sorted names, fixed dates and modes."""
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for file in sorted(p for p in folder.rglob("*") if p.is_file() and not p.is_symlink()):
            info = zipfile.ZipInfo(file.relative_to(folder).as_posix(), date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            with open(file, "rb") as handle, archive.open(info, "w") as member:
                shutil.copyfileobj(handle, member, _CHUNK)


def record(
    conn: sqlite3.Connection,
    staged: StagedFile,
    *,
    captured_by: str | None = None,
    captured_at: pd.Timestamp | None = None,
    source_url: str | None = None,
    description: str | None = None,
    registered_by: str | None = None,
) -> tuple[str, bool]:
    """Record a staged file inside an open transaction; returns (evidence_id, is_new).

    A file whose bytes are already registered keeps its first evidence id.
    """
    import pandas as pd

    row = conn.execute("SELECT evidence_id FROM evidence WHERE sha256 = ?", (staged.sha256,)).fetchone()
    if row:
        if staged.tmp is not None:
            staged.tmp.unlink(missing_ok=True)
            staged.tmp = None
        return row[0], False
    count = conn.execute("SELECT COUNT(*) FROM evidence").fetchone()[0]
    evidence_id = f"E{count + 1:04d}"
    media_type = mimetypes.guess_type(staged.name)[0] or "application/octet-stream"
    frame = validate(pd.DataFrame([{
        "evidence_id": evidence_id,
        "sha256": staged.sha256,
        "original_name": staged.name,
        "media_type": media_type,
        "size_bytes": staged.size,
        "captured_at": captured_at,
        "captured_by": captured_by,
        "source_url": source_url,
        "description": description,
        "registered_at": pd.Timestamp.now(tz="UTC"),
        "registered_by": registered_by or current_user(),
    }]), "evidence")
    insert_frame(conn, "evidence", frame)
    staged.keep()
    return evidence_id, True


def add_evidence(
    case: Case,
    files: list[str | Path],
    *,
    captured_by: str | None = None,
    captured_at: str | pd.Timestamp | None = None,
    source_url: str | None = None,
    description: str | None = None,
    who: str | None = None,
) -> list[tuple[str, str, bool]]:
    """Register files as evidence; returns (file name, evidence_id, is_new) for each.

    All files are registered together or, on any error, none is.
    """
    when = _to_utc(captured_at, case.timezone)
    staged: list[StagedFile] = []
    try:
        for path in files:
            staged.append(stage(case, path))
        results: list[tuple[str, str, bool]] = []
        names = [s.name for s in staged]
        with case.transaction(who=who, what="evidence registered", details={"files": names}) as conn:
            for item in staged:
                evidence_id, new = record(
                    conn, item, captured_by=captured_by, captured_at=when, source_url=source_url,
                    description=description, registered_by=who,
                )
                results.append((item.name, evidence_id, new))
        return results
    except BaseException:
        for item in staged:
            item.discard()
        raise


def _to_utc(value: str | pd.Timestamp | None, zone: str) -> pd.Timestamp | None:
    import pandas as pd

    if value is None or value == "":
        return None
    try:
        stamp = pd.Timestamp(value)
    except ValueError:
        raise EvidenceError(
            f"The capture time {value!r} is not a date and time; write it like 2025-11-27T13:05."
        ) from None
    if stamp.tzinfo is None:
        stamp = stamp.tz_localize(zone)
    return stamp.tz_convert("UTC")


@dataclass
class VerifyResult:
    """What :func:`verify` found: ``ok`` is True when nothing is missing or changed."""

    checked: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def verify(case: Case) -> VerifyResult:
    """Recompute the hash of every evidence file and check the audit chain."""
    result = VerifyResult()
    conn = case._connect()  # plain SQLite rows: checking a case needs no pandas (a quick `investigate verify`)
    try:
        evidence = conn.execute("SELECT evidence_id, sha256, original_name FROM evidence ORDER BY rowid").fetchall()
        parts = conn.execute("SELECT file, sha256 FROM parts").fetchall()
        chain = audit.check_chain(conn)
    finally:
        conn.close()
    for evidence_id, sha256, original_name in evidence:
        result.checked += 1
        path = stored_path(case, sha256, original_name)
        if not path.is_file():
            result.problems.append(f"{evidence_id} {original_name}: the stored file is missing")
        elif sha256_file(path) != sha256:
            result.problems.append(
                f"{evidence_id} {original_name}: the stored file has changed "
                "(its SHA-256 no longer matches the one recorded)"
            )
    for file, sha256 in parts:
        path = case.parts_dir / file
        if not path.is_file():
            result.problems.append(f"imported rows {file}: the file is missing")
        elif sha256_file(path) != sha256:
            result.problems.append(f"imported rows {file}: the file has changed since it was imported")
    result.problems.extend(chain)
    known = {stored_path(case, sha256, name).name for _, sha256, name in evidence}
    for path in sorted(case.evidence_dir.iterdir()):
        if path.name not in known and not path.name.startswith(".incoming-"):
            result.problems.append(f"{path.name}: a file in evidence/ that was never registered")
    return result


def copy_out(case: Case, evidence_id: str, destination: str | Path) -> Path:
    """Copy a registered file out of the case (a working copy; the stored one stays read-only)."""
    evidence = case.table("evidence")
    match = evidence[evidence["evidence_id"] == evidence_id]
    if match.empty:
        raise EvidenceError(f"There is no evidence {evidence_id} in this case.")
    row = match.iloc[0]
    target = Path(destination)
    shutil.copyfile(stored_path(case, row["sha256"], row["original_name"]), target)
    return target
