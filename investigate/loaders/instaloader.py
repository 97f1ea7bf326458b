"""Instaloader downloads: ``<date>_UTC.json.xz`` (LZMA JSON ``{"node": {...}, "instaloader": {...}}``, or
``.json`` when saved uncompressed) and ``<date>_UTC_comments.json`` (``[{"created_at", "text",
"owner": {"username"}, "answers": [...]}]``); one file, or a folder or zip of them.

A post file becomes a post (graph shape: ``shortcode``, ``taken_at_timestamp``, ``owner``...). Comments
(and their answers) become comments on the post of the same name beside them; a comments file given
alone is on ``--account``'s post when given, else on an unknown account. Instaloader has no follower
list file: those come as CSV or text.
"""

from __future__ import annotations

import lzma
import re
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import FormatError
from . import LoadOptions, LoadResult
from ._exports import Bundle, Rows, decode, epoch, get, listing, parse_json, text_or_none, wrong_file
from ._files import human_size, max_bytes
from .zeeschuimer import instagram_post

NAME = "instaloader"
POST = r".+_UTC(?:_\d+)?\.json(?:\.xz)?"
COMMENTS = r".+_UTC(?:_\d+)?_comments\.json"
_XZ_MAGIC = b"\xfd7zXZ\x00"
#: most a single .json.xz may unpack to (one post's details are a few KB; a bomb is gigabytes)
UNPACKED_MAX_BYTES = 32 * 1024 * 1024


def sniff(path: Path) -> bool:
    """Files named ``..._UTC.json.xz`` / ``..._UTC_comments.json``, alone or in a folder or zip."""
    bundle = listing(path)
    if bundle is None:
        return False
    if bundle.kind in ("zip", "folder"):
        return bool(bundle.find(f"{POST}|{COMMENTS}"))
    if not re.fullmatch(f"{POST}|{COMMENTS}", path.name, re.IGNORECASE):
        return False
    head = bundle.head(bundle.names[0], 64)
    return head.startswith(_XZ_MAGIC) or head.lstrip(b"\xef\xbb\xbf \r\n\t")[:1] in (b"{", b"[")


def load(path: Path, options: LoadOptions) -> LoadResult:
    """Posts and comments of an Instaloader download."""
    if not sniff(path):
        raise wrong_file(path, NAME)
    bundle = Bundle.open(path)
    names = bundle.names if bundle.kind == "file" else bundle.find(f"{POST}|{COMMENTS}")
    rows = Rows("instagram", options.observed_at or pd.Timestamp.now(tz="UTC"))
    posts: dict[str, tuple[str | None, str | None]] = {}  # "<folder>/<date>_UTC" -> (owner, shortcode)
    comment_files = [n for n in names if re.fullmatch(COMMENTS, n.rsplit("/", 1)[-1], re.IGNORECASE)]
    for name in names:
        if name in comment_files:
            continue
        label = bundle.label(name)
        data = _read(bundle, name)
        node = get(data, "node")
        kind = str(get(get(data, "instaloader"), "node_type") or "Post")
        if not isinstance(node, dict):
            raise FormatError(f"{label}: expected Instaloader's {{\"node\": {{...}}, \"instaloader\": {{...}}}}.")
        if kind != "Post":  # profile or story metadata: not a post
            continue
        node = _graph_node(node)
        owner = text_or_none(get(get(node, "owner"), "username")) or text_or_none(get(get(node, "user"), "username"))
        posts[_stem(name)] = (owner, text_or_none(get(node, "shortcode", "code")))
        instagram_post(label, 1, node, rows)
    for name in comment_files:
        owner, code = posts.get(_stem(name), (None, None))
        if owner is None and options.account:
            owner = options.account.strip().lstrip("@")
        _comments(bundle.label(name), _read(bundle, name), owner, code, rows)
    return rows.result(NAME, bundle=bundle)


def _graph_node(node: dict[str, Any]) -> dict[str, Any]:
    """Instaloader 4.10+ (logged in) writes the post time as ``date`` and keeps the original API record
    under ``iphone_struct`` (``taken_at``, ``code``, ``user``, ``caption``): fill what the node lacks.

    >>> node = _graph_node({"date": 1700000000, "iphone_struct": {"code": "Cx1", "taken_at": 1}})
    >>> node["code"], node["taken_at_timestamp"], "taken_at" in node
    ('Cx1', 1700000000, False)
    """
    original = get(node, "iphone_struct")
    filled = {**(original if isinstance(original, dict) else {}), **node}
    if get(filled, "taken_at_timestamp") is None:
        when = get(node, "date") if get(node, "date") is not None else get(filled, "taken_at")
        filled.pop("taken_at", None)
        filled["taken_at_timestamp"] = when
    return filled


def _stem(name: str) -> str:
    return re.sub(r"(?:_comments)?\.json(?:\.xz)?$", "", name, flags=re.IGNORECASE).casefold()


def _read(bundle: Bundle, name: str) -> Any:
    label = bundle.label(name)
    data = bundle.read_bytes(name)
    if data.startswith(_XZ_MAGIC):
        limit = min(max_bytes() - bundle.unpacked, UNPACKED_MAX_BYTES)
        decompressor = lzma.LZMADecompressor()
        try:
            data = decompressor.decompress(data, max_length=limit + 1)
        except lzma.LZMAError as exc:
            raise FormatError(f"{label}: the compressed file is damaged ({exc}). Download it again.") from None
        if len(data) > limit:
            raise FormatError(f"{label}: unpacked, this file is more than {human_size(limit)}, far more than "
                              "the few kilobytes of one post's details: it is damaged or made to fill the memory.")
        bundle.unpacked += len(data)
        if not decompressor.eof:
            raise FormatError(f"{label}: the compressed file is cut short (truncated). Download it again.")
    return parse_json(decode(data, label, bundle.notes), label)


def _comments(label: str, data: Any, owner: str | None, code: str | None, rows: Rows) -> None:
    if not isinstance(data, list):
        raise FormatError(f"{label}: expected a list of comments; found a {type(data).__name__}.")
    for number, comment in enumerate(data, start=1):
        _comment(label, number, "", comment, owner, code, rows)
        answers = get(comment, "answers")
        for index, answer in enumerate(answers if isinstance(answers, list) else [], start=1):
            _comment(label, number, f"answers[{index}] ", answer, owner, code, rows)


def _comment(label: str, number: int, where: str, comment: Any, owner: str | None, code: str | None,
             rows: Rows) -> None:
    actor = text_or_none(get(get(comment, "owner"), "username"))
    raw = get(comment, "created_at")
    when, why = epoch(raw)
    if not actor:
        rows.problem(label, number, f"{where}owner.username", "a comment without its author", comment)
        return
    if why:
        rows.problem(label, number, f"{where}created_at", why, raw)
        return
    rows.interaction(actor=actor, kind="comment", on_account=owner, post_id=code, at=when,
                     text=text_or_none(get(comment, "text")))
    rows.account(actor, platform_id=text_or_none(get(get(comment, "owner"), "id")))
    if owner:
        rows.account(owner)
