"""Web-archive captures (WACZ/WARC): verified before trusted, what the pages showed, where each row came from.

The fixtures are built here: WARC records with warcio, the WACZ zip by the WACZ 1.1.1/1.2.0 layout
(datapackage.json, datapackage-digest.json, signedData as ArchiveWeb.page writes it: an ECDSA P-384
key and a WebCrypto r||s signature of the digest's hash string), and once with py-wacz's own
``wacz create`` as an independent builder. All names are invented.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import io
import json
import sqlite3
import zipfile
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from investigate.case import Case
from investigate.errors import CaptureError, InputError
from investigate.importer import import_file
from investigate.loaders import detect

OWNER_ID = "4455667788"
VIDEO = "7300000000000000001"
FOLLOWERS = [["zephyrine.quillfeather", "barnaby_thistlewood", "ottoline.grub"],
             ["peregrine.mumblecrust", "wilhelmina.fogg", "tobias.snickwhistle"],
             ["cordelia.pumpernickel", "ignatius.bramblewick", "mirabel.quince"]]
HOSTILE = "<script>alert('x')</script>"


# ----------------------------------------------------------------------------- building captures
def _record(writer: Any, uri: str, body: bytes, *, date: str, record_id: str, content_type: str = "application/json",
            encoding: str | None = None, kind: str = "response") -> Any:
    from warcio.statusandheaders import StatusAndHeaders

    headers = {"WARC-Date": date, "WARC-Record-ID": f"<{record_id}>"}
    if kind == "resource":
        return writer.create_warc_record(uri, "resource", payload=io.BytesIO(body), warc_content_type=content_type,
                                         warc_headers_dict=headers)
    declared = "gzip" if encoding == "gzip-declared" else encoding  # ArchiveWeb.page may store a body decoded
    http = [("Content-Type", content_type)] + ([("Content-Encoding", declared)] if declared else [])
    if encoding == "gzip":
        body = gzip.compress(body)
    elif encoding == "br":
        import brotlicffi

        body = brotlicffi.compress(body)
    http.append(("Content-Length", str(len(body))))
    return writer.create_warc_record(uri, "response", payload=io.BytesIO(body), warc_headers_dict=headers,
                                     http_headers=StatusAndHeaders("200 OK", http, protocol="HTTP/1.1"))


def _png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (6, 4), (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


def _followers_page(page: int) -> bytes:
    users = [{"pk": str(9000 + page * 10 + i), "username": name, "full_name": name.replace(".", " ").title(),
              "is_private": False} for i, name in enumerate(FOLLOWERS[page])]
    if page == 1:
        users[0]["full_name"] = HOSTILE
    body: dict[str, Any] = {"users": users, "big_list": page < 2, "status": "ok"}
    if page < 2:
        body["next_max_id"] = str(12 * (page + 1))
    text = json.dumps(body)
    return (("for (;;);" + text) if page == 2 else text).encode()


def _profile_html() -> bytes:
    state = {"require": [["ScheduledServerJS", "handle", None, [{"__bbox": {"result": {"data": {"user": {
        "id": OWNER_ID, "username": "fake.head", "full_name": "Fake Head Teacher", "biography": "not the head",
        "edge_followed_by": {"count": 9}, "edge_follow": {"count": 2},
        "edge_owner_to_timeline_media": {"edges": [{"node": {
            "__typename": "GraphImage", "id": "3100000000000000001", "shortcode": "CzQuillA1",
            "taken_at_timestamp": 1760350000,
            "owner": {"id": OWNER_ID, "username": "fake.head"},
            "edge_media_to_caption": {"edges": [{"node": {"text": f"new term {HOSTILE}"}}]},
            "edge_liked_by": {"count": 4}, "edge_media_to_comment": {"count": 1}}}]}}}}}}]]]}
    embedded = json.dumps(state).replace("<", "\\u003C")  # as Instagram writes JSON into a page
    return (f"<!DOCTYPE html><html><head><title>fake.head</title></head><body><script type=\"application/json\" "
            f"data-sjs>{embedded}</script></body></html>").encode()


def _tiktok_comments() -> bytes:
    comments = [{"cid": "7301", "text": "who runs this account", "create_time": 1760440000, "aweme_id": VIDEO,
                 "reply_id": "0", "user": {"unique_id": "zephyrine.quillfeather", "nickname": "Zeph", "uid": "1"}},
                {"cid": "7302", "text": HOSTILE, "create_time": 1760440100, "aweme_id": VIDEO,
                 "reply_id": "0", "user": {"unique_id": "barnaby_thistlewood", "nickname": "Barn", "uid": "2"}}]
    return json.dumps({"comments": comments, "cursor": 20, "has_more": 0}).encode()


def capture_warc(*, followers: bool = True, extra: list[tuple[str, bytes]] | None = None) -> bytes:
    """A gzipped WARC as ArchiveWeb.page records it: the profile page, the followers dialog's three pages
    (written out of order), a background feed request, TikTok comments (br-compressed) and a screenshot."""
    from warcio.warcwriter import WARCWriter

    out = io.BytesIO()
    writer = WARCWriter(out, gzip=True)
    base = f"https://www.instagram.com/api/v1/friendships/{OWNER_ID}/followers/?count=12"
    records = [
        ("https://www.instagram.com/fake.head/", _profile_html(), "2025-10-14T09:01:00Z", "urn:uuid:0001",
         "text/html; charset=utf-8", "gzip", "response"),
        ("https://www.instagram.com/api/v1/feed/timeline/", json.dumps({"items": [{
            "code": "FeedNotMine", "taken_at": 1760000000, "user": {"username": "someone.else"}}]}).encode(),
         "2025-10-14T09:01:05Z", "urn:uuid:0002", "application/json", None, "response"),
    ]
    if followers:
        records += [
            (base + "&max_id=12&search_surface=follow_list_page", _followers_page(1), "2025-10-14T09:02:20Z",
             "urn:uuid:0012", "application/json", "gzip-declared", "response"),
            (base + "&search_surface=follow_list_page", _followers_page(0), "2025-10-14T09:02:00Z",
             "urn:uuid:0011", "application/json", "gzip", "response"),
            (base + "&max_id=24&search_surface=follow_list_page", _followers_page(2), "2025-10-14T09:02:40Z",
             "urn:uuid:0013", "application/json", None, "response"),
        ]
    records += [
        ("https://www.tiktok.com/api/recommend/item_list/?count=30", json.dumps({"itemList": [{
            "id": "7399", "desc": "for you", "createTime": 1760000000, "author": {"uniqueId": "someone.else"}}]}
        ).encode(), "2025-10-14T09:04:00Z", "urn:uuid:0003", "application/json", None, "response"),
        (f"https://www.tiktok.com/api/comment/list/?aweme_id={VIDEO}&count=20&cursor=0", _tiktok_comments(),
         "2025-10-14T09:05:00Z", "urn:uuid:0021", "application/json", "br", "response"),
        ("urn:view:https://www.instagram.com/fake.head/", _png(), "2025-10-14T09:01:02Z", "urn:uuid:0031",
         "image/png", None, "resource"),
    ]
    for uri, body, date, rid, ctype, enc, kind in records + [
            (u, b, "2025-10-14T09:06:00Z", f"urn:uuid:9{n:03d}", "application/json", None, "response")
            for n, (u, b) in enumerate(extra or [])]:
        writer.write_record(_record(writer, uri, body, date=date, record_id=rid, content_type=ctype, encoding=enc,
                                    kind=kind))
    return out.getvalue()


def _pages() -> bytes:
    lines = [{"format": "json-pages-1.0", "id": "pages", "title": "All Pages"},
             {"id": "p1", "url": "https://www.instagram.com/fake.head/", "ts": "2025-10-14T09:01:00Z",
              "title": f"fake.head {HOSTILE}"},
             {"id": "p2", "url": f"https://www.tiktok.com/@prank.page/video/{VIDEO}", "ts": "2025-10-14T09:04:50Z",
              "title": "prank video"}]
    return "".join(json.dumps(line) + "\n" for line in lines).encode()


def _sha(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def _sign(key: Any, message: str) -> str:
    """ECDSA P-384 over SHA-256, written as WebCrypto does (r||s), base64."""
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec, utils

    r, s = utils.decode_dss_signature(key.sign(message.encode(), ec.ECDSA(hashes.SHA256())))
    return base64.b64encode(r.to_bytes(48, "big") + s.to_bytes(48, "big")).decode()


def public_der(key: Any) -> bytes:
    from cryptography.hazmat.primitives import serialization

    return key.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)


def build_wacz(path: Path, warc: bytes | None = None, *, version: str = "1.1.1", key: Any = None,
               tamper: str | None = None, digest: bool = True) -> Path:
    """A WACZ by the spec; ``tamper``: "resource" (a WARC byte changed after hashing), "digest" (a wrong
    datapackage-digest hash), "signature" (signed by another key than the one given)."""
    files = {"archive/data.warc.gz": warc if warc is not None else capture_warc(), "pages/pages.jsonl": _pages(),
             "indexes/index.cdx": b""}
    package: dict[str, Any] = {
        "profile": "data-package" if version == "1.1.1" else "wacz", "title": "capture",
        "created": "2025-10-14T09:07:00Z", "software": "ArchiveWeb.page 0.12.0 (test)",
        "resources": [{"name": Path(n).name, "path": n, "hash": _sha(b), "bytes": len(b)} for n, b in files.items()]}
    if version == "1.1.1":
        package["wacz_version"] = "1.1.1"
    raw = json.dumps(package, indent=2).encode()
    if tamper == "resource":
        data = bytearray(files["archive/data.warc.gz"])
        data[len(data) // 2] ^= 0xFF
        files["archive/data.warc.gz"] = bytes(data)
    dig: dict[str, Any] = {"path": "datapackage.json", "hash": _sha(raw)}
    if key is not None:
        from cryptography.hazmat.primitives.asymmetric import ec

        signer = ec.generate_private_key(ec.SECP384R1()) if tamper == "signature" else key
        dig["signedData"] = {"hash": dig["hash"], "signature": _sign(signer, dig["hash"]),
                             "publicKey": base64.b64encode(public_der(key)).decode(),
                             "created": package["created"], "software": "ArchiveWeb.page 0.12.0 (test)"}
    if tamper == "digest":
        dig["hash"] = _sha(raw + b" ")
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data, zipfile.ZIP_STORED if name.startswith("archive/") else zipfile.ZIP_DEFLATED)
        archive.writestr("datapackage.json", raw)
        if digest:
            archive.writestr("datapackage-digest.json", json.dumps(dig))
    return path


def _p384() -> Any:
    from cryptography.hazmat.primitives.asymmetric import ec

    return ec.generate_private_key(ec.SECP384R1())


def _db(case: Case, sql: str) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(case.path / "case.sqlite")
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


# ----------------------------------------------------------------------------- import and rows
def test_wacz_imports_the_followers_dialog_in_app_order_with_provenance(case, tmp_path):
    path = build_wacz(tmp_path / "capture.wacz")
    assert detect(path) == "wacz"
    result = import_file(case, path)
    rel = case.table("relationships")
    assert rel["follower"].tolist() == [n for page in FOLLOWERS for n in page]  # pages chained by their cursors
    assert rel["position"].tolist() == list(range(1, 10))
    assert set(rel["followed"]) == {"fake.head"} and set(rel["list_order"]) == {"app"}
    assert _db(case, "SELECT list_order FROM imports") == [("app",)]
    assert set(rel["observed_list"]) == {"followers of @fake.head"}
    # each row's observed_at is its page's capture time (WARC-Date)
    assert rel["observed_at"].dt.strftime("%H:%M:%S").tolist() == ["09:02:00"] * 3 + ["09:02:20"] * 3 + \
        ["09:02:40"] * 3
    records = case.table("capture_records").set_index("record_id")
    page2 = records.loc["urn:uuid:0012"]
    assert page2["content"] == "followers of @fake.head, page 2 of 3 (3 accounts)"
    assert page2["target_uri"].startswith(f"https://www.instagram.com/api/v1/friendships/{OWNER_ID}/followers/")
    assert page2["captured_at"] == pd.Timestamp("2025-10-14T09:02:20Z")
    assert page2["payload_digest"].startswith("sha1:") or page2["payload_digest"].startswith("sha256:")
    assert page2["evidence_id"] == result.evidence_id and page2["import_id"] == result.import_id
    # the record's rows, by position in the import's part, are exactly the rows it showed
    first, count = json.loads(page2["rows"])["relationships"]
    assert rel["follower"].iloc[first:first + count].tolist() == FOLLOWERS[1]
    # the background feed request was not read
    assert "feednotmine" not in case.table("posts")["post_id"].str.casefold().tolist()
    assert "someone.else" not in case.table("accounts")["handle_key"].tolist()  # the feeds were not read
    assert "urn:uuid:0002" not in records.index and "urn:uuid:0003" not in records.index
    assert any("2 other response(s) the browser loaded (background feed" in note for note in result.notes)


def test_a_list_page_captured_twice_is_read_once(case, tmp_path):
    again = (f"https://www.instagram.com/api/v1/friendships/{OWNER_ID}/followers/?count=12&max_id=12"
             "&search_surface=follow_list_page", _followers_page(1))
    result = import_file(case, build_wacz(tmp_path / "twice.wacz", capture_warc(extra=[again])))
    assert case.table("relationships")["position"].tolist() == list(range(1, 10))
    assert any("captured twice" in note for note in result.notes)


def test_profile_page_embedded_json_and_tiktok_comments_are_read(case, tmp_path):
    import_file(case, build_wacz(tmp_path / "capture.wacz"))
    accounts = case.table("accounts").set_index("handle_key")
    assert accounts.loc["fake.head", "display_name"] == "Fake Head Teacher"
    assert accounts.loc["fake.head", "platform_id"] == OWNER_ID
    posts = case.table("posts")
    post = posts[posts["post_id"] == "CzQuillA1"].iloc[0]
    assert post["account"] == "fake.head" and post["text"] == f"new term {HOSTILE}" and post["likes"] == 4
    comments = case.table("interactions")
    comments = comments[comments["platform"] == "tiktok"].sort_values("at")
    assert comments["actor"].tolist() == ["zephyrine.quillfeather", "barnaby_thistlewood"]
    assert set(comments["on_account"]) == {"prank.page"} and set(comments["post_id"]) == {VIDEO}
    assert comments["text"].tolist() == ["who runs this account", HOSTILE]  # br undone by warcio + brotlicffi


def test_capture_times_are_in_the_chronology_with_their_record(case, tmp_path):
    from investigate.chronology import build_chronology

    result = import_file(case, build_wacz(tmp_path / "capture.wacz"))
    events = case.table("events")
    captured = events[events["kind"] == "captured"]
    assert set(captured["evidence_id"]) == {result.evidence_id}
    summary = captured.set_index("at")["summary"]
    assert summary[pd.Timestamp("2025-10-14T09:02:00Z")] == (  # one entry for the list, at its first page
        "Captured from instagram.com: followers of @fake.head, 3 pages (9 accounts) "
        "(records urn:uuid:0011 to urn:uuid:0013)")
    assert summary[pd.Timestamp("2025-10-14T09:01:00Z")] == (
        "Captured from instagram.com: profile of @fake.head, 1 post (record urn:uuid:0001)")
    assert len(captured) == 3  # the profile page, the followers list, the TikTok comments
    chron = build_chronology(case.table("posts"), case.table("interactions"), case.table("relationships"),
                             events, case.table("accounts"))
    assert chron["summary"].str.contains("records urn:uuid:0011 to urn:uuid:0013", regex=False).any()
    listed = chron[chron["kind"] == "list observed"]  # the list is one entry, at its first page's time
    assert listed["summary"].str.startswith("Recorded followers of @fake.head (9 accounts").tolist() == [True]
    assert listed["at"].tolist() == [pd.Timestamp("2025-10-14T09:02:00Z")]


def test_evidence_row_and_audit_say_what_was_proven(case, tmp_path):
    result = import_file(case, build_wacz(tmp_path / "capture.wacz"))
    ev = case.table("evidence").set_index("evidence_id").loc[result.evidence_id]
    assert "WACZ 1.1.1 capture." in ev["description"]
    assert "Every one of its 3 files matches the size and SHA-256 hash listed in datapackage.json." in ev["description"]
    assert "datapackage.json matches the SHA-256 hash in datapackage-digest.json." in ev["description"]
    assert "not signed" in ev["description"]
    assert ev["captured_at"] == pd.Timestamp("2025-10-14T09:01:00Z")  # the first record's time, not the import's
    assert ev["source_url"] == "https://www.instagram.com/fake.head/"
    cap = case.table("captures").iloc[0]
    assert cap["outcome"] == "verified" and cap["signature"] == "none" and cap["pages"] == 2
    (details,) = _db(case, "SELECT details FROM audit WHERE what = 'file imported'")[0:1]
    assert json.loads(details[0])["proof"] == ev["description"]
    assert f"note: capture.wacz: {ev['description']}" in result.summary()  # said at import, too


def test_pages_and_screenshot_are_in_the_evidence_register(case, tmp_path):
    import_file(case, build_wacz(tmp_path / "capture.wacz"))
    records = case.table("capture_records")
    pages = records[records["kind"] == "page"]
    assert pages["target_uri"].tolist() == ["https://www.instagram.com/fake.head/",
                                            f"https://www.tiktok.com/@prank.page/video/{VIDEO}"]
    assert pages["captured_at"].iloc[1] == pd.Timestamp("2025-10-14T09:04:50Z")
    shot = records[records["kind"] == "screenshot"].iloc[0]
    assert shot["target_uri"] == "urn:view:https://www.instagram.com/fake.head/"
    assert shot["warc_file"] == "archive/data.warc.gz" and shot["media_type"] == "image/png"


def test_signed_capture_shows_its_key_fingerprint(case, tmp_path):
    key = _p384()
    result = import_file(case, build_wacz(tmp_path / "signed.wacz", key=key))
    fingerprint = hashlib.sha256(public_der(key)).hexdigest()
    cap = case.table("captures").iloc[0]
    assert cap["signature"] == "anonymous" and cap["key_fingerprint"] == fingerprint
    description = case.table("evidence").set_index("evidence_id").loc[result.evidence_id, "description"]
    assert f"signed by key {fingerprint} (P-384 ECDSA)" in description and "identity not established" in description


def _domain_signed(path: Path) -> Path:
    """A WACZ whose digest carries a Browsertrix-style domain signature (not a real certificate)."""
    build_wacz(path)
    with zipfile.ZipFile(path) as archive:
        files = {i.filename: archive.read(i) for i in archive.infolist()}
    digest = json.loads(files["datapackage-digest.json"])
    digest["signedData"] = {"hash": digest["hash"], "signature": "c2ln", "domain": "sign.example.org",
                            "domainCert": "-----BEGIN CERTIFICATE-----", "timeSignature": "dHM=",
                            "timestampCert": "-----BEGIN CERTIFICATE-----", "created": "2025-10-14T09:07:01Z",
                            "software": "authsigner 0.5 (test)"}
    files["datapackage-digest.json"] = json.dumps(digest).encode()
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return path


def test_a_domain_signature_is_said_to_be_unchecked_without_authsign(case, tmp_path, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "authsign", None)  # as on a computer without the optional checker
    result = import_file(case, _domain_signed(tmp_path / "domain.wacz"))
    cap = case.table("captures").iloc[0]
    assert cap["signature"] == "domain" and cap["signed_domain"] == "sign.example.org"
    description = case.table("evidence").set_index("evidence_id").loc[result.evidence_id, "description"]
    assert "signature by the domain sign.example.org's certificate" in description
    assert "NOT verified: checking it offline needs the optional authsign package" in description


def test_a_domain_signature_checked_by_authsign_records_its_observer(case, tmp_path, monkeypatch):
    """The kit's use of authsign's verifier (a stand-in here: authsign is an optional extra)."""
    import sys
    import types

    seen: list[dict[str, Any]] = []

    class Verifier:
        def __call__(self, signed: dict[str, Any]) -> dict[str, Any] | None:
            seen.append(signed)
            return {"observer": ["sign.example.org"], "timestamp": "2025-10-14T09:07:02Z"} \
                if signed["signature"] == "c2ln" else None

    module = types.ModuleType("authsign.verifier")
    module.Verifier = Verifier  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "authsign", types.ModuleType("authsign"))
    monkeypatch.setitem(sys.modules, "authsign.verifier", module)
    result = import_file(case, _domain_signed(tmp_path / "domain.wacz"))
    assert seen and seen[0]["domain"] == "sign.example.org"
    description = case.table("evidence").set_index("evidence_id").loc[result.evidence_id, "description"]
    assert "signed by the observer sign.example.org (domain certificate checked offline with authsign), " \
        "timestamped 2025-10-14T09:07:02Z" in description


def test_wacz_1_2_0_without_a_version_is_accepted(case, tmp_path):
    import_file(case, build_wacz(tmp_path / "new.wacz", version="1.2.0"))
    assert case.table("captures")["format"].tolist() == ["WACZ 1.2.0"]
    assert len(case.table("relationships")) == 9


def test_plain_warc_says_it_has_no_package_proofs(case, tmp_path):
    path = tmp_path / "capture.warc.gz"
    path.write_bytes(capture_warc())
    assert detect(path) == "wacz"
    result = import_file(case, path)
    description = case.table("evidence").set_index("evidence_id").loc[result.evidence_id, "description"]
    assert description.startswith("WARC capture. A plain WARC file carries no package hashes, digest or signature")
    assert len(case.table("relationships")) == 9


def test_a_hostile_username_is_a_problem_naming_its_record(case, tmp_path):
    page = json.dumps({"users": [{"pk": "1", "username": HOSTILE}, {"pk": "2", "username": "quentin.marrowby"}],
                       "status": "ok"}).encode()
    warc = capture_warc(followers=False, extra=[
        (f"https://www.instagram.com/api/v1/friendships/{OWNER_ID}/following/?count=12", page)])
    path = build_wacz(tmp_path / "hostile.wacz", warc)
    with pytest.raises(InputError, match="urn:uuid:9000"):
        import_file(case, path)
    result = import_file(case, path, skip_bad_rows=True)
    rel = case.table("relationships")
    assert rel["followed"].tolist() == ["quentin.marrowby"] and rel["follower"].tolist() == ["fake.head"]
    assert len(result.problems) == 1


# ----------------------------------------------------------------------------- failures: named, nothing imported
@pytest.mark.parametrize(("tamper", "named"), [
    ("resource", "archive/data.warc.gz: tampered or damaged: its SHA-256 hash does not match"),
    ("digest", "bad digest: the hash of datapackage.json does not match the one in datapackage-digest.json"),
    ("signature", "bad signature: the signature does not match the hash of the capture under its public key"),
])
def test_a_failed_check_is_named_registered_and_imports_nothing(case, tmp_path, tamper, named):
    path = build_wacz(tmp_path / f"{tamper}.wacz", key=_p384(), tamper=tamper)
    with pytest.raises(CaptureError) as raised:
        import_file(case, path)
    assert named in str(raised.value) and "nothing was imported" in str(raised.value)
    for table in ("relationships", "posts", "interactions", "accounts", "events", "capture_records"):
        assert case.table(table).empty, table
    assert _db(case, "SELECT COUNT(*) FROM imports") == [(0,)]
    ev = case.table("evidence")
    assert len(ev) == 1 and ev["description"].iloc[0].startswith("NOT IMPORTED: WACZ 1.1.1 capture. FAILED: ")
    assert named in ev["description"].iloc[0]
    cap = case.table("captures").iloc[0]
    assert cap["outcome"] == "refused" and named in cap["proof"]
    (details,) = _db(case, "SELECT details FROM audit WHERE what = 'capture refused'")
    assert named in json.loads(details[0])["proof"]
    from investigate.evidence import verify

    assert verify(Case.open(case.path)).ok


def test_a_warc_added_after_packaging_is_refused(case, tmp_path):
    path = build_wacz(tmp_path / "added.wacz")
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr("archive/extra.warc.gz", capture_warc())
    with pytest.raises(CaptureError, match="archive/extra.warc.gz is in the zip but not in datapackage.json"):
        import_file(case, path)
    assert case.table("relationships").empty


def test_a_file_twice_in_the_zip_is_refused(case, tmp_path):
    import warnings

    path = build_wacz(tmp_path / "twice.wacz")
    with warnings.catch_warnings(), zipfile.ZipFile(path, "a") as archive:
        warnings.simplefilter("ignore")  # zipfile warns of the duplicate name: that is the point
        archive.writestr("archive/data.warc.gz", capture_warc(followers=False))
    with pytest.raises(CaptureError, match="archive/data.warc.gz appear"):
        import_file(case, path)
    assert case.table("relationships").empty and case.table("captures")["outcome"].tolist() == ["refused"]


# ----------------------------------------------------------------------------- the report
def _report_evidence(case: Case, *, redact: bool = False) -> str:
    from investigate.report.sections import evidence, prepare

    return str(evidence(prepare(case.path, redact=redact)))


def test_report_appendix_shows_proofs_provenance_and_the_screenshot(case, tmp_path):
    key = _p384()
    import_file(case, build_wacz(tmp_path / "signed.wacz", key=key))
    html = _report_evidence(case)
    assert "Web-archive captures: what their hashes and signatures prove" in html
    assert hashlib.sha256(public_der(key)).hexdigest() in html
    assert "captured from instagram.com on 14/10/2025 10:02 BST, record urn:uuid:0011" in html
    png = base64.b64encode(_png()).decode()
    assert f'<img src="data:image/png;base64,{png}"' in html
    assert "captured from instagram.com on 14/10/2025 10:01 BST, record urn:uuid:0031</figcaption>" in html
    assert "14/10/2025 10:01 BST to 14/10/2025 10:05 BST" in html  # capture time, beside the registration
    assert "<script" not in html and "&lt;script&gt;" in html  # the hostile page title is text


def test_redacted_report_leaves_the_screenshot_out(case, tmp_path):
    import_file(case, build_wacz(tmp_path / "capture.wacz"))
    html = _report_evidence(case, redact=True)
    assert "data:image/png" not in html and "a redacted report cannot redact a picture" in html


def test_report_refused_capture_says_so(case, tmp_path):
    with pytest.raises(CaptureError):
        import_file(case, build_wacz(tmp_path / "bad.wacz", tamper="digest"))
    html = _report_evidence(case)
    assert "REFUSED: it failed its checks; nothing was imported from it" in html and "bad digest" in html


# ----------------------------------------------------------------------------- py-wacz as an independent builder
@pytest.mark.slow
def test_a_wacz_made_by_py_wacz_is_verified_and_imported(case, tmp_path):
    import subprocess
    import sys

    warc = tmp_path / "data.warc.gz"
    warc.write_bytes(capture_warc())
    out = tmp_path / "pywacz.wacz"
    made = subprocess.run([sys.executable, "-m", "wacz", "create", "-o", str(out), str(warc)],
                          capture_output=True, text=True, timeout=300)
    assert made.returncode == 0, made.stderr
    result = import_file(case, out)
    assert case.table("captures")["outcome"].tolist() == ["verified"]
    assert len(case.table("relationships")) == 9
    assert "matches the SHA-256 hash in datapackage-digest.json" in \
        case.table("evidence").set_index("evidence_id").loc[result.evidence_id, "description"]


def test_tiktok_follower_list_and_instagram_post_comments(case, tmp_path):
    first = json.dumps({"userList": [{"user": {"uniqueId": "ottoline.grub", "nickname": "Otto", "id": "55",
                                                "secUid": "MS4wOtto"}, "stats": {"followerCount": 3}}],
                        "hasMore": True, "minCursor": 1760000500}).encode()
    second = json.dumps({"userList": [{"user": {"uniqueId": "mirabel.quince", "nickname": "Mira", "id": "56",
                                                 "secUid": "MS4wMira"}, "stats": {}}],
                         "hasMore": False, "minCursor": 0}).encode()
    tiktok = "https://www.tiktok.com/api/user/list/?count=30&maxCursor=0&scene=67&secUid=MS4wPrank"
    comments = json.dumps({"comments": [{"pk": "18000001", "text": "is this really sir?", "created_at": 1760300000,
                                         "user": {"username": "wilhelmina.fogg", "full_name": "Wil"}}]}).encode()
    warc = capture_warc(followers=False, extra=[  # the second page first: the cursors put them in order
        (tiktok + "&minCursor=1760000500", second), (tiktok + "&minCursor=0", first),
        ("https://www.instagram.com/api/v1/media/3100000000000000001/comments/?can_support_threading=true",
         comments)])
    import_file(case, build_wacz(tmp_path / "lists.wacz", warc))
    rel = case.table("relationships")
    assert rel[["platform", "follower", "followed", "position"]].values.tolist() == [
        ["tiktok", "ottoline.grub", "prank.page", 1], ["tiktok", "mirabel.quince", "prank.page", 2]]
    inter = case.table("interactions")
    ig = inter[inter["platform"] == "instagram"].iloc[0]
    assert (ig["actor"], ig["on_account"], ig["post_id"], ig["text"]) == (
        "wilhelmina.fogg", "fake.head", "CzQuillA1", "is this really sir?")


def test_a_record_whose_own_digest_fails_is_refused_by_name(case, tmp_path):
    from warcio.warcwriter import WARCWriter

    out = io.BytesIO()
    writer = WARCWriter(out, gzip=False)
    writer.write_record(_record(writer, f"https://www.instagram.com/api/v1/friendships/{OWNER_ID}/followers/?count=12",
                                _followers_page(0), date="2025-10-14T09:02:00Z", record_id="urn:uuid:0077"))
    path = tmp_path / "changed.warc"
    path.write_bytes(out.getvalue().replace(b"ottoline.grub", b"ottoline.grob"))
    with pytest.raises(InputError, match="urn:uuid:0077.*own digest does not match"):
        import_file(case, path, account="fake.head")
    assert case.table("relationships").empty
    path.write_bytes(out.getvalue())
    result = import_file(case, path, account="fake.head")
    description = case.table("evidence").set_index("evidence_id").loc[result.evidence_id, "description"]
    assert "Of the 1 WARC records read, 1 match their own WARC digest." in description


def test_a_capture_over_the_size_limit_is_refused(case, tmp_path, monkeypatch):
    from investigate.errors import FormatError

    path = build_wacz(tmp_path / "big.wacz")
    monkeypatch.setenv("INVESTIGATE_MAX_BYTES", "2000")
    with pytest.raises(FormatError, match="zip bomb"):
        import_file(case, path)
    assert case.table("evidence").empty


def test_the_evidence_register_panel_lists_the_capture_pages(case, tmp_path):
    from investigate import widgets as ui

    import_file(case, build_wacz(tmp_path / "capture.wacz"))
    shown = ui.EvidenceList(case).ui.value
    assert "Pages and screenshots in the captures" in shown
    assert "14/10/2025 10:01" in shown and "urn:view:https://www.instagram.com/fake.head/" in shown
    assert "<script" not in shown and "&lt;script&gt;" in shown


def test_responses_together_stay_under_the_json_limit(case, tmp_path, monkeypatch):
    path = build_wacz(tmp_path / "capture.wacz")
    monkeypatch.setenv("INVESTIGATE_MAX_JSON_BYTES", "1500")  # the profile page (~1.3 KB) fits, not the rest
    with pytest.raises(InputError, match="come to more than the 1.5 KB the kit parses as JSON"):
        import_file(case, path)
    assert case.table("relationships").empty


def test_each_captured_row_knows_its_record(case, tmp_path):
    from investigate.provenance import capture_provenance

    import_file(case, build_wacz(tmp_path / "capture.wacz"))
    rel = capture_provenance(case, "relationships")
    assert rel["follower"].tolist() == [n for page in FOLLOWERS for n in page]
    assert rel["record_id"].tolist() == ["urn:uuid:0011"] * 3 + ["urn:uuid:0012"] * 3 + ["urn:uuid:0013"] * 3
    assert set(rel["target_uri"].str.split("?").str[0]) == {
        f"https://www.instagram.com/api/v1/friendships/{OWNER_ID}/followers/"}
    assert (rel["captured_at"] == rel["observed_at"]).all() and rel["payload_digest"].notna().all()
    comments = capture_provenance(case, "interactions")
    assert comments["record_id"].tolist() == ["urn:uuid:0021"] * 2
    posts = capture_provenance(case, "posts")
    assert posts[["post_id", "record_id"]].values.tolist() == [["CzQuillA1", "urn:uuid:0001"]]


@pytest.mark.slow
def test_the_whole_report_shows_captured_hostile_text_as_text(case, tmp_path):
    import html as html_module
    import re

    from test_report import plotly_free

    from investigate.report import write_report

    import_file(case, build_wacz(tmp_path / "capture.wacz", key=_p384()))
    page = plotly_free(write_report(case, tmp_path / "report.html").read_text(encoding="utf-8"))
    assert HOSTILE not in page and "<script>alert" not in page
    figures = page.count('class="plotly-graph-div"')
    assert len(re.findall(r"<script\b[^>]*>", page, re.IGNORECASE)) == figures + 1  # the bundle, once
    shown = html_module.unescape(page)
    assert f"new term {HOSTILE}" in shown  # the captured caption, as text
    assert "captured from instagram.com on 14/10/2025 10:02 BST, record urn:uuid:0012" in shown
    assert "data:image/png;base64," in page


@pytest.mark.slow
def test_py_wacz_agrees_with_the_fixtures_and_with_the_kit_on_tampering(tmp_path):
    """py-wacz's validator, an independent reader of the spec: the fixtures are valid WACZ 1.1.1, and a
    tampered one is invalid for it too."""
    import subprocess
    import sys

    def validate(path: Path) -> str:
        run = subprocess.run([sys.executable, "-m", "wacz", "validate", "-f", str(path)], capture_output=True,
                             text=True, timeout=300)
        return run.stdout + run.stderr

    assert "Validation succeeded" in validate(build_wacz(tmp_path / "plain.wacz"))
    assert "Validation succeeded" in validate(build_wacz(tmp_path / "signed.wacz", key=_p384()))
    assert "Validation succeeded" not in validate(build_wacz(tmp_path / "tampered.wacz", tamper="resource"))
