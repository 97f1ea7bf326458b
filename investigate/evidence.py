"""The evidence registry: files copied into ``evidence/`` under their SHA-256, read-only.

Originals are never changed. :func:`verify` recomputes every hash and checks the case against its
audit chain (see :mod:`investigate.audit`).
"""

from __future__ import annotations

import errno
import hashlib
import mimetypes
import os
import shutil
import sqlite3
import uuid
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from . import _faults, audit, seal
from .audit import sha256_file
from .case import (
    CASE_FILE,
    PARTS_DIR,
    Case,
    Writing,
    current_user,
    evidence_file_name,
    insert_frame,
    recorded_files,
    schema_problems,
)
from .dates import read_optional
from .errors import EvidenceError
from .schema import validate

if TYPE_CHECKING:  # heavy libraries are imported where frames are made: opening a case and `verify` need none
    import pandas as pd

#: Shown before anything is registered (command line and notebook 01); a sentence a line (the app wraps them).
NUDE_IMAGE_RULE = """\
STOP - images of under-18s that are nude or semi-nude:
  Never view, copy, print, screenshot, store or forward them, not even as evidence.
  Record only a description and the URL, and pass it to the Designated Safeguarding Lead (DSL) at once.
  If an adult is involved, it is a police matter.
  Do not register such an image here."""

_CHUNK = 1024 * 1024


def stored_path(case: Case, sha256: str, original_name: str) -> Path:
    """Where a registered file lives: ``evidence/<sha256><suffix>``."""
    return case.evidence_dir / evidence_file_name(sha256, original_name)


@dataclass
class StagedFile:
    """A file copied under ``.staging/`` by :func:`stage`, put in ``evidence/`` when its change commits."""

    source: Path
    sha256: str
    size: int
    target: Path
    tmp: Path | None  # None when the same bytes are already stored
    name: str = ""  # the name recorded: the file's, or "<folder>.zip" for a folder

    def __post_init__(self) -> None:
        self.name = self.name or self.source.name


def stage(case: Case, conn: Writing, path: str | Path) -> StagedFile:
    """Hash and copy a file under ``.staging/`` inside ``conn``'s transaction (see :meth:`Case.stage`).

    A folder (an unzipped platform export) is stored as one zip of its files, written the same
    way every time (names in order, fixed dates), so the same folder always gets the same hash.
    """
    source = Path(path)
    _refuse_links(source)
    folder = source.is_dir()
    if not (folder or source.is_file()):
        raise EvidenceError(f"{source} is not a file that can be read.")
    # staged so that a rollback deletes it; renamed below, so it is never itself put in place
    incoming = case.stage(conn, "evidence", f".incoming-{uuid.uuid4().hex}")
    digest = hashlib.sha256()
    try:
        with open(incoming, "xb") as out:
            if folder:
                _zip_folder(source, out)
            else:
                with open(source, "rb") as handle:
                    for block in iter(lambda: handle.read(_CHUNK), b""):
                        digest.update(block)
                        out.write(block)
    except OSError as exc:
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            raise EvidenceError(f"{source} could not be copied into the case: the disk holding {case.evidence_dir} "
                                "is full. Nothing was registered; free some space and try again.") from None
        raise EvidenceError(f"{source} could not be copied into the case: {exc.strerror or exc}") from None
    _faults.point("evidence copied")
    sha = sha256_file(incoming) if folder else digest.hexdigest()
    name = f"{source.name}.zip" if folder else source.name
    target = stored_path(case, sha, name)
    size = incoming.stat().st_size
    if target.exists():
        incoming.unlink()
        return StagedFile(source, sha, size, target, None, name=name)
    tmp = case.stage(conn, "evidence", target.name)
    os.replace(incoming, tmp)
    return StagedFile(source, sha, size, target, tmp, name=name)


def _refuse_links(source: Path) -> None:
    """Refuse a symbolic link (what it points at can change) and a file with other names (a hard link: it can
    be changed through them), and a folder holding either: register the real file, or a copy of it."""
    def why(path: Path) -> str | None:
        if path.is_symlink():
            return f"{path} is a link to {os.readlink(path)}, not a file"
        if path.is_file() and path.stat().st_nlink > 1:
            return f"{path} has {path.stat().st_nlink} names (hard links): it can be changed through another one"
        return None

    found = why(source)
    if found is None and source.is_dir():
        found = next((w for w in map(why, sorted(source.rglob("*"))) if w), None)
    if found:
        raise EvidenceError(f"{found}. Evidence is registered from a regular file: register the file itself, or "
                            "a copy of it (cp), so that what the case holds is what you saw.")


def _not_regular(path: Path) -> str | None:
    """Why a stored file (or its folder) is not a regular file inside the case, or None when it is."""
    if path.parent.is_symlink():
        return f"its folder {path.parent.name}/ is a link to {os.readlink(path.parent)}, not a folder inside the case"
    if path.is_symlink():
        return f"the stored file is a link to {os.readlink(path)}, not a file inside the case"
    if path.is_file() and path.stat().st_nlink > 1:
        return f"the stored file has {path.stat().st_nlink} names (hard links): it can be changed through another one"
    return None


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
        if staged.tmp is not None:  # registered, but its stored file is missing: verify says so
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
    return evidence_id, True


def add_evidence(
    case: Case,
    files: Sequence[str | Path],
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
    when = read_optional(captured_at, case.timezone, what="the capture time")
    results: list[tuple[str, str, bool]] = []
    details: dict[str, Any] = {"files": []}
    with case.transaction(who=who, what="evidence registered", details=details) as conn:
        for path in files:
            item = stage(case, conn, path)
            evidence_id, new = record(
                conn, item, captured_by=captured_by, captured_at=when, source_url=source_url,
                description=description, registered_by=who,
            )
            details["files"].append(item.name)
            results.append((item.name, evidence_id, new))
    return results


@dataclass
class VerifyResult:
    """What :func:`verify` found: ``ok`` is True when nothing is missing or changed."""

    checked: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def verify(case: Case, *, seals: list[str] | None = None) -> VerifyResult:
    """Check the case against its audit log, as it was at one moment (a change being written meanwhile
    is not seen).

    Recomputes the SHA-256 of every evidence file and imported part, the audit chain, and the
    content of every table and of case.toml against what the chain says was written; lists any
    file in ``evidence/`` or ``tables/`` (hidden ones too) that is not recorded; and checks that
    the log still extends each seal given in ``seals`` and each one saved in ``exports/``.
    """
    result = VerifyResult()
    with case.snapshot() as conn:
        evidence = conn.execute("SELECT evidence_id, sha256, original_name FROM evidence ORDER BY evidence_id")
        for evidence_id, sha, original_name in evidence.fetchall():
            result.checked += 1
            path = case.locate("evidence", evidence_file_name(sha, original_name))
            linked = _not_regular(path)
            if linked:
                result.problems.append(f"{evidence_id} {original_name}: {linked}")
            if not path.is_file():
                result.problems.append(f"{evidence_id} {original_name}: the stored file is missing")
            elif sha256_file(path) != sha:
                result.problems.append(
                    f"{evidence_id} {original_name}: the stored file has changed "
                    "(its SHA-256 no longer matches the one recorded)"
                )
        for file, sha in conn.execute("SELECT file, sha256 FROM parts ORDER BY file").fetchall():
            path = case.locate(PARTS_DIR, file)
            linked = _not_regular(path)
            if linked:
                result.problems.append(f"imported rows {file}: {linked}")
            if not path.is_file():
                result.problems.append(f"imported rows {file}: the file is missing")
            elif sha256_file(path) != sha:
                result.problems.append(f"imported rows {file}: the file has changed since it was imported")
        result.problems.extend(audit.check_chain(conn))
        toml = case.path / CASE_FILE
        result.problems.extend(audit.check_content(conn, sha256_file(toml) if toml.is_file() else None))
        result.problems.extend(schema_problems(conn))
        result.problems.extend(audit.check_outputs(conn, case.exports_dir))
        for text, where in [(s, "") for s in seals or []] + seal.saved_seals(case):
            result.problems.extend(f"{where}{p}" for p in seal.check_seal(conn, text))
    # listed after the snapshot: a file put in place by a change committed since then is recorded now
    stray = {"evidence": sorted(case.evidence_dir.iterdir()), PARTS_DIR: sorted(case.parts_dir.iterdir())}
    with case.snapshot() as conn:
        recorded = recorded_files(conn)
    for path in stray["evidence"]:
        if path.name not in recorded["evidence"]:
            result.problems.append(f"evidence/{path.name}: a file in evidence/ that was never registered")
    for path in stray[PARTS_DIR]:
        if path.name not in recorded[PARTS_DIR]:
            result.problems.append(f"tables/{path.name}: a file in tables/ that is not one of the imported parts")
    return result


def identify(case: Case, file: str | Path) -> tuple[bool, str]:
    """Whether ``file`` (a copy of a report, pack, export or seal someone holds) is byte for byte what the case
    wrote, and which audit entry wrote it: (True, "...") or (False, why not)."""
    path = Path(file)
    if not path.is_file():
        raise EvidenceError(f"{path} is not a file that can be read.")
    digest = sha256_file(path)
    with case.snapshot() as conn:
        found = audit.find_output(conn, digest, zone=case.timezone)
        registered = conn.execute("SELECT evidence_id, original_name FROM evidence WHERE sha256 = ?",
                                  (digest,)).fetchone()
    if registered:  # a file brought into the case (an imported list too): evidence, not something it wrote
        return True, f"{path.name} is evidence {registered[0]} ({registered[1]}), byte for byte as it was registered."
    if found:
        return True, f"{path.name} is what the case wrote: {'; '.join(found)}."
    return False, (f"{path.name} is NOT what this case wrote: no audit entry records a file with its SHA-256 "
                   f"({digest}). It was changed after it left the case, or it comes from elsewhere.")


def copy_out(case: Case, evidence_id: str, destination: str | Path) -> Path:
    """Copy a registered file out of the case (a working copy; the stored one stays read-only)."""
    evidence = case.table("evidence")
    match = evidence[evidence["evidence_id"] == evidence_id]
    if match.empty:
        raise EvidenceError(f"There is no evidence {evidence_id} in this case.")
    row = match.iloc[0]
    target = Path(destination)
    shutil.copyfile(case.locate("evidence", evidence_file_name(row["sha256"], row["original_name"])), target)
    return target
