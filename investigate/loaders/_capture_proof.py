"""Checking a web-archive capture before anything is read from it.

A WACZ (ArchiveWeb.page, Browsertrix) is a zip whose ``datapackage.json`` lists every file with its
hash and size; ``datapackage-digest.json`` holds the hash of ``datapackage.json`` and, when the
capture was signed, a ``signedData`` object (WACZ Signing and Verification 0.1.0): either an
anonymous ECDSA signature (``publicKey`` + ``signature`` of the digest's hash string) or a domain
signature (``domain``, ``domainCert``, ``timeSignature``: an RFC 3161 timestamp). WACZ 1.1.1 says
``wacz_version``; 1.2.0 says ``profile: wacz`` and no version.

:func:`check_capture` streams each file of the zip through its hash (nothing is unpacked to disk,
and the kit's size limits apply), and returns a :class:`Proof`: what was proven, in sentences a
court can read, and each failure by name. A plain ``.warc``/``.warc.gz`` has no package proofs:
the proof says so.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import FormatError
from ._files import check_size, human_size, max_bytes, max_json_bytes

_CHUNK = 1024 * 1024
#: hash algorithms a datapackage may name; md5/sha1 are read but said to be weak
_ALGORITHMS = ("sha256", "sha384", "sha512", "sha1", "md5")
_WEAK = ("sha1", "md5")
_NAMES = {"sha256": "SHA-256", "sha384": "SHA-384", "sha512": "SHA-512", "sha1": "SHA-1", "md5": "MD5"}
_CURVES = {"secp256r1": "P-256", "secp384r1": "P-384", "secp521r1": "P-521"}
_PACKAGE = "datapackage.json"
_DIGEST = "datapackage-digest.json"
#: pages listed in pages/*.jsonl that the kit keeps (a crawl may list very many)
MAX_PAGES = 10_000


@dataclass
class Page:
    """A page the capture lists in ``pages/pages.jsonl``: its address, time (RFC 3339 text) and title."""

    url: str
    ts: str | None
    title: str | None


@dataclass
class Proof:
    """What checking a capture proved (``statements``) and what failed (``failures``, by name)."""

    format: str  # "WACZ 1.1.1", "WACZ 1.2.0", "WARC"
    statements: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    signature: str = "none"  # none, anonymous, domain
    key_fingerprint: str | None = None  # SHA-256 of the anonymous public key (DER), hex
    signed_domain: str | None = None
    created: str | None = None  # when the capture says it was packaged or signed
    software: str | None = None
    warcs: list[str] = field(default_factory=list)  # zip members holding WARC records (verified), or the file
    pages: list[Page] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures

    def text(self) -> str:
        """The proof in words: the format, then each failure, then what was proven."""
        lines = [f"{self.format} capture."]
        lines += [f"FAILED: {f}." for f in self.failures]
        if self.failures and self.statements:
            lines.append("Checks that held:")
        lines += self.statements
        return " ".join(lines)


def is_wacz(path: Path) -> bool:
    """A zip holding ``datapackage.json`` and at least one file under ``archive/``."""
    if not path.is_file() or not zipfile.is_zipfile(path):
        return False
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError):
        return False
    return _PACKAGE in names and any(n.startswith("archive/") for n in names)


def is_warc(path: Path) -> bool:
    """A file starting with a WARC record (``WARC/1.0``/``WARC/1.1``), plain or gzipped."""
    if not path.is_file():
        return False
    try:
        with open(path, "rb") as handle:
            head = handle.read(16)
            if head.startswith(b"\x1f\x8b"):
                handle.seek(0)
                with gzip.GzipFile(fileobj=handle) as unzipped:
                    head = unzipped.read(16)
    except (OSError, EOFError, gzip.BadGzipFile):
        return False
    return head.startswith(b"WARC/1.")


def check_capture(path: Path) -> Proof:
    """The proof of a WACZ (its hashes, digest and signature checked) or of a plain WARC (none to check)."""
    if is_wacz(path):
        return _check_wacz(path)
    check_size(path)
    proof = Proof("WARC", warcs=[path.name])
    proof.statements.append(
        "A plain WARC file carries no package hashes, digest or signature, so nothing proves it is what "
        "the browser recorded; from its registration on, its SHA-256 proves it has not changed since.")
    return proof


# ----------------------------------------------------------------------------- WACZ
def _check_wacz(path: Path) -> Proof:
    try:
        with zipfile.ZipFile(path) as archive:
            return _check_archive(path, archive)
    except (zipfile.BadZipFile, EOFError) as exc:
        raise FormatError(f"{path.name}: the WACZ zip cannot be read ({exc}); the file is damaged.") from None


def _check_archive(path: Path, archive: zipfile.ZipFile) -> Proof:
    listing = [i for i in archive.infolist() if not i.is_dir()]
    infos = {i.filename: i for i in listing}
    if len(infos) < len(listing):  # readers disagree on which copy counts: refuse, never pick one
        twice = sorted({i.filename for i in listing if sum(j.filename == i.filename for j in listing) > 1})
        proof = Proof("WACZ")
        proof.failures.append(f"{', '.join(twice)} appear(s) more than once in the zip, so which copy is the "
                              "capture cannot be told")
        return proof
    total = sum(i.file_size for i in infos.values())
    if total > max_bytes():
        raise FormatError(f"{path.name}: the files in this WACZ unpack to {human_size(total)}, more than the "
                          f"{human_size(max_bytes())} the kit reads; it may be a zip bomb. Raise "
                          "INVESTIGATE_MAX_BYTES if the capture really is this large.")
    raw = _small(path, archive, infos[_PACKAGE])
    package = _json(path, _PACKAGE, raw)
    version = str(package.get("wacz_version") or "").strip()
    proof = Proof(f"WACZ {version}" if version else ("WACZ 1.2.0" if package.get("profile") == "wacz"
                                                       else "WACZ (version not stated)"))
    proof.created = _text(package.get("created"))
    proof.software = _text(package.get("software"))
    resources = package.get("resources")
    if not isinstance(resources, list) or not resources:
        proof.failures.append(f"{_PACKAGE} lists no files (no resources), so nothing in the capture can be checked")
        return proof
    good: list[str] = []
    for number, resource in enumerate(resources, start=1):
        name = _check_resource(archive, infos, resource, number, proof)
        if name:
            good.append(name)
    listed = {str(r.get("path")) for r in resources if isinstance(r, dict)}
    unlisted = sorted(n for n in infos if n not in listed and n not in (_PACKAGE, _DIGEST))
    for name in unlisted:
        if name.startswith(("archive/", "pages/")):
            proof.failures.append(f"{name} is in the zip but not in {_PACKAGE}, so no hash covers it "
                                  "(a file added after the capture was packaged)")
        else:
            proof.notes.append(f"{path.name}: {name} is not listed in {_PACKAGE}; it was not read")
    if good and not proof.failures:
        algorithms = sorted({str(r.get("hash", "")).partition(":")[0] or "md5" for r in resources
                             if isinstance(r, dict)})
        proof.statements.append(
            f"Every one of its {len(good)} files matches the size and {'/'.join(_NAMES.get(a, a) for a in algorithms)} "
            f"hash listed in {_PACKAGE}.")
        if any(a in _WEAK for a in algorithms):
            proof.statements.append(f"({', '.join(_NAMES[a] for a in algorithms if a in _WEAK)} shows accidental "
                                    "change, but can be forged: it is weak proof.)")
    _check_digest(path, archive, infos, raw, proof)
    proof.warcs = [n for n in good if n.startswith("archive/")]
    if not proof.failures:
        proof.pages = _pages(path, archive, [n for n in good if n.startswith("pages/") and n.endswith(".jsonl")],
                             proof)
    return proof


def _check_resource(archive: zipfile.ZipFile, infos: dict[str, zipfile.ZipInfo], resource: Any, number: int,
                    proof: Proof) -> str | None:
    """Check one listed file's size and hash; its name when it matches, else None (the failure added)."""
    if not isinstance(resource, dict) or not isinstance(resource.get("path"), str):
        proof.failures.append(f"{_PACKAGE}, file {number}: has no path")
        return None
    name = resource["path"]
    info = infos.get(name)
    if info is None:
        proof.failures.append(f"{name} is listed in {_PACKAGE} but missing from the zip")
        return None
    algorithm, _, expected = str(resource.get("hash") or "").partition(":")
    if not expected:  # Frictionless: a hash without a prefix is MD5
        algorithm, expected = "md5", algorithm
    algorithm = algorithm.strip().lower()
    if algorithm not in _ALGORITHMS or not expected:
        proof.failures.append(f"{name}: {_PACKAGE} gives no hash the kit can check "
                              f"(found {str(resource.get('hash'))[:40]!r})")
        return None
    digest = hashlib.new(algorithm)
    size = 0
    try:
        with archive.open(info) as handle:
            while block := handle.read(_CHUNK):
                size += len(block)
                digest.update(block)
    except (zipfile.BadZipFile, EOFError, OSError) as exc:
        proof.failures.append(f"{name}: cannot be read from the zip ({exc})")
        return None
    declared = resource.get("bytes")
    if isinstance(declared, int) and not isinstance(declared, bool) and declared != size:
        proof.failures.append(f"{name}: tampered or damaged: it is {size} bytes, but {_PACKAGE} says {declared}")
        return None
    if digest.hexdigest() != expected.strip().lower():
        proof.failures.append(f"{name}: tampered or damaged: its {_NAMES[algorithm]} hash does not match the one "
                              f"in {_PACKAGE} (the file was changed after the capture was packaged)")
        return None
    return name


def _check_digest(path: Path, archive: zipfile.ZipFile, infos: dict[str, zipfile.ZipInfo], raw: bytes,
                  proof: Proof) -> None:
    """``datapackage-digest.json``: the hash of ``datapackage.json``, and the signature of that hash."""
    if _DIGEST not in infos:
        proof.statements.append(f"It has no {_DIGEST}: nothing proves {_PACKAGE} itself (the list of hashes) "
                                "is as the capturing tool wrote it, and it is not signed.")
        return
    digest = _json(path, _DIGEST, _small(path, archive, infos[_DIGEST]))
    stated = str(digest.get("hash") or "")
    algorithm, _, expected = stated.partition(":")
    algorithm = algorithm.lower()
    if algorithm not in _ALGORITHMS or not expected:
        proof.failures.append(f"bad digest: {_DIGEST} gives no hash of {_PACKAGE} the kit can check")
        return
    if hashlib.new(algorithm, raw).hexdigest() != expected.strip().lower():
        proof.failures.append(f"bad digest: the hash of {_PACKAGE} does not match the one in {_DIGEST} "
                              f"({_PACKAGE} was changed after the capture was packaged)")
        return
    proof.statements.append(f"{_PACKAGE} matches the {_NAMES[algorithm]} hash in {_DIGEST}.")
    signed = digest.get("signedData")
    if signed is None:
        proof.statements.append("The capture is not signed: nothing shows who made it.")
        return
    if not isinstance(signed, dict):
        proof.failures.append(f"bad signature: {_DIGEST} has a signedData that is not an object")
        return
    proof.created = _text(signed.get("created")) or proof.created
    proof.software = _text(signed.get("software")) or proof.software
    if str(signed.get("hash") or "") != stated:
        proof.failures.append(f"bad signature: the signed hash is not the hash of {_PACKAGE} in {_DIGEST}")
        return
    if signed.get("publicKey"):
        _check_anonymous(signed, stated, proof)
    elif signed.get("domain") or signed.get("domainCert"):
        _check_domain(signed, proof)
    else:
        proof.failures.append("bad signature: signedData has neither a publicKey nor a domain certificate")


def _check_anonymous(signed: dict[str, Any], stated: str, proof: Proof) -> None:
    """An ArchiveWeb.page signature: ECDSA (P-384 there) with SHA-256 over the hash string."""
    from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec, utils

    proof.signature = "anonymous"
    try:
        der = base64.b64decode(str(signed["publicKey"]), validate=True)
        key = serialization.load_der_public_key(der)
        signature = base64.b64decode(str(signed.get("signature") or ""), validate=True)
    except (ValueError, UnsupportedAlgorithm):
        proof.failures.append("bad signature: its public key or signature is not valid base64 DER")
        return
    if not isinstance(key, ec.EllipticCurvePublicKey):
        proof.failures.append("bad signature: the public key is not an ECDSA key")
        return
    message = stated.encode("utf-8")
    candidates = [signature]
    width = (key.curve.key_size + 7) // 8
    if len(signature) == 2 * width:  # WebCrypto writes r||s, not DER
        candidates.append(utils.encode_dss_signature(int.from_bytes(signature[:width], "big"),
                                                     int.from_bytes(signature[width:], "big")))
    for candidate in candidates:
        try:
            key.verify(candidate, message, ec.ECDSA(hashes.SHA256()))
            break
        except (InvalidSignature, ValueError):
            continue
    else:
        proof.failures.append("bad signature: the signature does not match the hash of the capture under its "
                              "public key (the capture or its signature was changed)")
        return
    proof.key_fingerprint = hashlib.sha256(der).hexdigest()
    proof.statements.append(
        f"It is signed by key {proof.key_fingerprint} ({_CURVES.get(key.curve.name, key.curve.name)} ECDSA), "
        "and the signature "
        f"matches: the capture is unchanged since that key signed it{_when(proof)}. The key is anonymous: "
        "identity not established (it shows the same browser signed it, only if that key is known to be "
        "the analyst's).")


def _check_domain(signed: dict[str, Any], proof: Proof) -> None:
    """A Browsertrix/authsign signature: checked offline with authsign when it is installed."""
    proof.signature = "domain"
    proof.signed_domain = _text(signed.get("domain"))
    where = f"the domain {proof.signed_domain}" if proof.signed_domain else "a domain"
    try:
        from authsign.verifier import Verifier
    except ImportError:
        proof.statements.append(
            f"It carries a signature by {where}'s certificate with an RFC 3161 timestamp{_when(proof)}; "
            "NOT verified: checking it offline needs the optional authsign package "
            "(pip install 'investigate[authsign]'), which this computer does not have.")
        return
    try:
        result = Verifier()(signed)  # {"observer": domain, "timestamp": ...}, or None when it does not verify
    except Exception as exc:  # noqa: BLE001 - the checker broke (not the signature): said, not counted as proof
        proof.statements.append(f"It carries a signature by {where}'s certificate{_when(proof)}; NOT verified: "
                                f"authsign could not check it ({str(exc)[:200]}).")
        return
    if not result:
        proof.failures.append(f"bad signature: the signature by {where} does not verify")
        return
    observer = result.get("observer") if isinstance(result, dict) else None
    stamp = result.get("timestamp") if isinstance(result, dict) else None
    shown = ", ".join(observer) if isinstance(observer, list) else str(observer or proof.signed_domain or "")
    proof.statements.append(f"It is signed by the observer {shown} (domain certificate checked offline with "
                            f"authsign), timestamped {stamp or 'at an unstated time'} by an RFC 3161 time server.")


def _when(proof: Proof) -> str:
    return f" (it says it was signed at {proof.created})" if proof.created else ""


# ----------------------------------------------------------------------------- small files
def _small(path: Path, archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    if info.file_size > max_json_bytes():
        raise FormatError(f"{path.name}: {info.filename} is {human_size(info.file_size)}, too large to be a "
                          "WACZ manifest.")
    try:
        return archive.read(info)
    except (zipfile.BadZipFile, EOFError, OSError) as exc:
        raise FormatError(f"{path.name}: {info.filename} cannot be read from the zip ({exc}).") from None


def _json(path: Path, name: str, raw: bytes) -> dict[str, Any]:
    try:
        value = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise FormatError(f"{path.name}: {name} is not readable JSON ({exc}); the capture is damaged.") from None
    if not isinstance(value, dict):
        raise FormatError(f"{path.name}: {name} is not a JSON object; the capture is damaged.")
    return value


def _text(value: Any) -> str | None:
    return str(value).strip() or None if isinstance(value, str | int | float) and not isinstance(value, bool) \
        else None


def _pages(path: Path, archive: zipfile.ZipFile, names: list[str], proof: Proof) -> list[Page]:
    """The pages listed in ``pages/*.jsonl`` (already checked against their hashes)."""
    pages: list[Page] = []
    for name in names:
        info = archive.getinfo(name)
        text = _small(path, archive, info).decode("utf-8", errors="replace")
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
            except (json.JSONDecodeError, RecursionError):
                proof.notes.append(f"{path.name}: {name}, line {number}: not JSON; that page is not listed")
                continue
            if not isinstance(item, dict) or "format" in item or not isinstance(item.get("url"), str):
                continue  # the header line ({"format": "json-pages-1.0", ...})
            if len(pages) >= MAX_PAGES:
                proof.notes.append(f"{path.name}: more than {MAX_PAGES} pages are listed; the first {MAX_PAGES} "
                                   "are kept in the evidence register")
                return pages
            pages.append(Page(item["url"], _text(item.get("ts")), _text(item.get("title"))))
    return pages
