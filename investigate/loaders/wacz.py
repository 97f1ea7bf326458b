"""Web-archive captures: a WACZ (ArchiveWeb.page, Browsertrix) or a plain ``.warc``/``.warc.gz``.

Verified before it is trusted (:mod:`._capture_proof`): every file's hash and size against
``datapackage.json``, that against ``datapackage-digest.json``, and the signature when there is
one. A capture that fails any check raises :class:`~investigate.errors.CaptureError` (the importer
registers the file with the failure stated, and imports nothing from it). Then what the pages
showed is read from the WARC records (:mod:`._capture_records`), each row with its record's
provenance (the ``capture_records`` table), and the capture's proof in the ``captures`` table.
"""

from __future__ import annotations

import gzip
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

import pandas as pd

from ..errors import CaptureError, FormatError
from . import LoadOptions, LoadResult
from ._capture_proof import Proof, check_capture, is_wacz, is_warc
from ._capture_records import Captured, CaptureReader, read_records
from ._exports import Rows, wrong_file

NAME = "wacz"


def sniff(path: Path) -> bool:
    """A WACZ zip (``datapackage.json`` and ``archive/``) or a file of WARC records."""
    return is_wacz(path) or is_warc(path)


def load(path: Path, options: LoadOptions) -> LoadResult:
    """The proof of the capture, what its pages showed, and where each row came from."""
    if not sniff(path):
        raise wrong_file(path, NAME)
    proof = check_capture(path)
    if not proof.ok:
        raise CaptureError(
            f"{path.name}: this capture failed its checks, so nothing was imported from it:\n"
            + "\n".join(f"  - {f}" for f in proof.failures),
            proof.text())
    rows = Rows("instagram", options.observed_at or pd.Timestamp.now(tz="UTC"))
    items: list[Captured] = []
    ignored = 0
    for member in proof.warcs:
        with _open(path, member) as stream:
            found, skipped = read_records(stream, member, path.name, rows)
        items += found
        ignored += skipped
    items = _checked(items, path.name, rows)
    if items:
        own = sum(1 for i in items if i.checker is not None and i.checker.passed is True)
        proof.statements.append(
            f"Of the {len(items)} WARC records read, {own} match their own WARC digest"
            + (f" and {len(items) - own} carry none" if own < len(items) else "") + ".")
    reader = CaptureReader(rows, path.name, account=options.account, pages=proof.pages)
    reader.read(items)
    result = rows.result(NAME)
    result.notes[:0] = [f"{path.name}: {proof.text()}"]  # what was proven, said at once (it is also recorded)
    result.notes += proof.notes
    if ignored:
        result.notes.append(f"{path.name}: {ignored} other response(s) the browser loaded (background feed, "
                            "explore, images, scripts) hold nothing the kit reads; they stay in the capture")
    if "relationships" in result.frames:  # a list from a capture is in the app's order, unless told otherwise
        result.frames["relationships"]["list_order"] = options.order or "app"
    times = [i.at for i in items if i.at is not None]
    result.frames["captures"] = _capture_frame(proof, times)
    records = pd.DataFrame(reader.provenance.records + [
        {"record_id": None, "kind": "page", "content": p.title, "target_uri": p.url,
         "captured_at": pd.to_datetime(p.ts, utc=True, errors="coerce") if p.ts else None}
        for p in proof.pages])
    if len(records):
        records["captured_at"] = pd.to_datetime(records["captured_at"], utc=True)
        result.frames["capture_records"] = records
    if reader.provenance.events:
        result.frames["events"] = pd.DataFrame(reader.provenance.events)
    result.evidence = {
        "captured_at": min(times) if times else None,
        "source_url": proof.pages[0].url if proof.pages else (items[0].uri if items else None),
        "description": proof.text(), "proof": proof.text()}
    return result


def _capture_frame(proof: Proof, times: list[pd.Timestamp]) -> pd.DataFrame:
    return pd.DataFrame([{
        "format": proof.format, "outcome": "verified" if proof.ok else "refused", "proof": proof.text(),
        "signature": proof.signature, "key_fingerprint": proof.key_fingerprint,
        "signed_domain": proof.signed_domain, "created": proof.created, "software": proof.software,
        "first_record_at": min(times) if times else None, "last_record_at": max(times) if times else None,
        "pages": len(proof.pages)}])


def refused_frame(proof_text: str) -> pd.DataFrame:
    """The ``captures`` row of a capture that failed its checks."""
    return pd.DataFrame([{"format": proof_text.split(" capture.", 1)[0], "outcome": "refused",
                          "proof": proof_text, "signature": None}])


def _checked(items: list[Captured], label: str, rows: Rows) -> list[Captured]:
    """The records whose own WARC digest matched (or that have none); a mismatch is a problem, by record."""
    kept = []
    for item in items:
        if item.checker is not None and item.checker.passed is False:
            rows.problem(f"{label}: record {item.record_id}", None, "WARC-Block-Digest",
                         "the record's own digest does not match its content (damaged or changed); it was not read")
            continue
        kept.append(item)
    return kept


@contextmanager
def _open(path: Path, member: str) -> Iterator[IO[bytes]]:
    """A WARC member of the WACZ, read from the zip as it is consumed (or the plain WARC file)."""
    if not zipfile.is_zipfile(path) or member == path.name and not is_wacz(path):
        with open(path, "rb") as handle:
            yield handle
        return
    try:
        with zipfile.ZipFile(path) as archive, archive.open(member) as handle:
            yield handle
    except (zipfile.BadZipFile, EOFError, gzip.BadGzipFile) as exc:
        raise FormatError(f"{path.name}: {member} cannot be read from the zip ({exc}).") from None


#: the largest screenshot embedded in a report, in bytes
MAX_SCREENSHOT_BYTES = 8 * 1024 * 1024
#: image types a screenshot may be embedded as, by their first bytes
_IMAGE_MAGIC = {"image/png": (b"\x89PNG\r\n\x1a\n",), "image/jpeg": (b"\xff\xd8\xff",), "image/webp": (b"RIFF",)}


def screenshot(path: Path, warc_file: str, record_id: str) -> tuple[str, bytes] | None:
    """A screenshot record of a stored capture (its media type and bytes), read back by its record id;
    None when it is not there, too large, or not a PNG, JPEG or WebP image (by its first bytes)."""
    from warcio.archiveiterator import ArchiveIterator

    with _open(path, warc_file) as stream:
        for record in ArchiveIterator(stream):
            if str(record.rec_headers.get_header("WARC-Record-ID") or "").strip("<>") != record_id:
                continue
            data = record.content_stream().read(MAX_SCREENSHOT_BYTES + 1)
            if len(data) > MAX_SCREENSHOT_BYTES:
                return None
            for media_type, magic in _IMAGE_MAGIC.items():
                if data.startswith(magic) and (media_type != "image/webp" or data[8:12] == b"WEBP"):
                    return media_type, data
            return None
    return None
