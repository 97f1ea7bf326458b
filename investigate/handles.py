"""Lookalike handles: confusable skeletons, edit distance, copycat groups.

A *skeleton* is what a handle looks like to a reader: Unicode NFKC, accents dropped, homoglyphs
from Unicode's confusables data (Cyrillic ``о`` -> ``o``) and the ASCII lookalikes that data lacks
(``0`` -> ``o``, ``1``/``I``/``|`` -> ``l``, ``rn`` -> ``m``, ``vv`` -> ``w``), casefolded, with the
separators ``. _ -`` and spaces removed. Two handles with the same skeleton look alike; a small
edit distance between skeletons means they nearly do. Results are leads to check, not findings.
"""

from __future__ import annotations

import functools
import logging
import re
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Final

import networkx as nx
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

log = logging.getLogger("investigate")

#: ASCII lookalikes applied before casefolding (so a capital I still reads as l).
ASCII_LOOKALIKES: Final[dict[str, str]] = {
    "0": "o", "1": "l", "I": "l", "|": "l", "3": "e", "5": "s", "$": "s", "@": "a",
}
#: letter groups that read as one letter, applied after casefolding (longest first).
MULTI_LOOKALIKES: Final[tuple[tuple[str, str], ...]] = (("rn", "m"), ("vv", "w"), ("cl", "d"))
SEPARATORS: Final = re.compile(r"[\s._\-\u00b7]+")


@functools.cache
def confusable_map() -> dict[int, str]:
    """Single non-ASCII characters -> an ASCII letter or digit they are confused with."""
    table: dict[int, str] = {}
    try:
        from confusable_homoglyphs import confusables
    except ImportError:  # pragma: no cover - the package is a dependency
        log.warning("confusable-homoglyphs is not installed: only ASCII lookalikes are checked")
        return table
    for char, glyphs in confusables.confusables_data.items():
        if len(char) != 1 or char.isascii():
            continue
        for glyph in glyphs:
            target = glyph["c"].strip("\u200e")
            if len(target) == 1 and target.isascii() and target.isalnum():
                table[ord(char)] = target
                break
    for char, target in ASCII_LOOKALIKES.items():
        table[ord(char)] = target
    return table


def skeleton(handle: object) -> str:
    """What a handle looks like: NFKC, no accents, homoglyphs and lookalikes folded, no separators.

    >>> skeleton("@Grimblewood.Academy")
    'grlmblewoodacademy'
    >>> skeleton("grimblew\\u043e\\u043ed_academy") == skeleton("grimblewood.academy")
    True
    >>> skeleton("Zephyrine_Quil1feather") == skeleton("zephyrinequillfeather")
    True
    >>> skeleton("rnrs.quill") == skeleton("mrs_quill")
    True
    """
    if handle is None or (isinstance(handle, float) and handle != handle):
        return ""
    text = unicodedata.normalize("NFKC", str(handle)).strip().lstrip("@")
    text = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    text = text.translate(confusable_map())
    text = unicodedata.normalize("NFKC", text).casefold()
    # a lowercase i reads as l too once capitals and digits are folded to l
    text = text.replace("i", "l")
    text = SEPARATORS.sub("", text)
    for group, letter in MULTI_LOOKALIKES:
        text = text.replace(group, letter)
    return text


#: handles of this alphabet (what Instagram, TikTok and X allow, a leading @ at most) fold in Arrow:
#: their skeleton needs no Unicode step, only the ASCII lookalikes, lower case and the separators.
_PLAIN_HANDLE: Final = r"^@?[A-Za-z0-9._\-]+$"


def skeletons(handles: Sequence[str]) -> list[str]:
    """:func:`skeleton` of each handle, in order; equal to ``[skeleton(h) for h in handles]``.

    Plain handles (letters, digits, ``. _ -``) are folded in Arrow compute, the rest one by one, so a
    list of a million handles takes a second, not minutes.

    >>> skeletons(["Grimb1e.Head", "grimbl\u0435_head", "rnrs.quill"])
    ['grlmblehead', 'grlmblehead', 'mrsqulll']
    """
    return [str(s) for s in skeleton_array(pa.array(list(handles), pa.string())).to_pylist()]


def skeleton_array(handles: pa.Array | pa.ChunkedArray) -> pa.Array:
    """:func:`skeleton` of each of ``handles`` (an Arrow string array; a null's skeleton is ""), as an Arrow
    array: the plain handles folded in Arrow compute, the rest (few) one by one.

    >>> skeleton_array(pa.array(["Grimb1e.Head", "grimbl\u0435_head", None])).to_pylist()
    ['grlmblehead', 'grlmblehead', '']
    """
    values = handles.cast(pa.string())
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    plain = pc.fill_null(pc.match_substring_regex(values, _PLAIN_HANDLE), False)
    folded = pc.replace_substring_regex(values, "^@", "")
    for char, letter in ASCII_LOOKALIKES.items():
        if char not in "|$@":  # not in the plain alphabet
            folded = pc.replace_substring(folded, char, letter)
    folded = pc.replace_substring(pc.ascii_lower(folded), "i", "l")
    folded = pc.replace_substring_regex(folded, r"[._\-]+", "")
    for group, letter in MULTI_LOOKALIKES:
        folded = pc.replace_substring(folded, group, letter)
    odd = pc.invert(plain)
    others = pc.filter(values, odd).to_pylist()
    if not others:
        return folded
    return pc.replace_with_mask(folded, odd, pa.array([skeleton(h) for h in others], pa.string()))


def lookalike_candidates(handles: pa.Array | pa.ChunkedArray, target: str, *, max_distance: int = 2) -> pa.Array:
    """Which of ``handles`` (Arrow strings) :func:`lookalikes` could match to ``target``: a boolean mask, in
    Arrow, true for every handle whose skeleton is within ``max_distance`` characters of the target's in
    length or contains it (an edit distance is at least the difference in length), so that a list of a
    million handles is judged one by one only for its few candidates.

    >>> lookalike_candidates(pa.array(["grimblew00d_academy", "zeph.art", None]), "Grimblewood Academy").to_pylist()
    [True, False, False]
    """
    tsk = _target_skeleton(target)
    sk = skeleton_array(handles)
    length = pc.utf8_length(sk)
    near = pc.and_(pc.greater_equal(length, len(tsk) - max_distance), pc.less_equal(length, len(tsk) + max_distance))
    if tsk:
        near = pc.or_(near, pc.match_substring(sk, tsk))
    return pc.fill_null(pc.and_(near, pc.is_valid(handles)), False)


def _target_skeleton(target: object) -> str:
    """Targets are names typed by the analyst: their capitals are not a trick, so casefold first."""
    return skeleton(unicodedata.normalize("NFKC", str(target)).casefold())


def lookalikes(
    handles: Iterable[str],
    targets: Iterable[str],
    *,
    max_distance: int = 2,
    min_length: int = 4,
) -> pd.DataFrame:
    """Handles that imitate a target (the school's name, a staff name, another account).

    In: handles as shown; targets as names or handles. Out: one row per (handle, target) match with
    columns handle, target, handle_skeleton, target_skeleton, distance (edit distance between
    skeletons; 0 = looks the same), how ("looks the same", "contains the name", "differs by N
    character(s)"), sorted by distance. A handle equal to the target itself (the real account) is
    not listed. Targets shorter than ``min_length`` once folded only match exactly.

    >>> lookalikes(["grimblew00d_academy", "zeph.art"], ["Grimblewood Academy"])[["handle", "distance"]]
                    handle  distance
    0  grimblew00d_academy         0
    """
    handle_list = list(dict.fromkeys(str(h) for h in handles if h is not None and str(h).strip()))
    target_list = list(dict.fromkeys(str(t) for t in targets if t is not None and str(t).strip()))
    columns = ["handle", "target", "handle_skeleton", "target_skeleton", "distance", "how"]
    if not handle_list or not target_list:
        return pd.DataFrame({c: pd.Series(dtype="Int64" if c == "distance" else "string") for c in columns})
    hs = skeletons(handle_list)
    ts = [_target_skeleton(t) for t in target_list]
    matrix = process.cdist(hs, ts, scorer=Levenshtein.distance, score_cutoff=max_distance, workers=1)
    shown = pa.array(hs, pa.string())
    rows = []
    for j, (target, tsk) in enumerate(zip(target_list, ts, strict=True)):
        fuzzy = len(tsk) >= min_length
        target_key = _plain_key(target)
        # the few handles that can match, found in bulk; each is then judged as before
        near = matrix[:, j] <= (max_distance if fuzzy else 0)
        if fuzzy:
            near |= np.asarray(pc.fill_null(pc.match_substring(shown, tsk), False), dtype=bool)
        for i in np.flatnonzero(near).tolist():
            handle, hsk = handle_list[i], hs[i]
            if not hsk or _plain_key(handle) == target_key:
                continue
            distance = int(matrix[i, j])
            if distance == 0 and hsk == tsk:
                how = "looks the same"
            elif fuzzy and distance <= max_distance:
                how = f"differs by {distance} character{'s' if distance > 1 else ''}"
            elif fuzzy and tsk in hsk:
                distance, how = 0, "contains the name"
            else:
                continue
            rows.append((handle, target, hsk, tsk, distance, how))
    out = pd.DataFrame(rows, columns=columns)
    out = out.astype({c: "string" for c in columns if c != "distance"}).astype({"distance": "Int64"})
    return out.sort_values(["distance", "target", "handle"], kind="stable").reset_index(drop=True)


def _plain_key(handle: str) -> str:
    return unicodedata.normalize("NFKC", handle).strip().lstrip("@").casefold()


def copycat_groups(handles: Sequence[str], *, max_distance: int = 1, min_length: int = 4,
                   chunk: int = 2000) -> pd.DataFrame:
    """Group handles that look alike (same skeleton, or skeletons within ``max_distance`` edits).

    In: handles as shown. Out: columns handle, skeleton, group (1 = largest group), size; only
    handles in a group of two or more are listed. Skeletons shorter than ``min_length`` group only
    when identical.

    >>> copycat_groups(["grimble.head", "grimb1e_head", "grimble.heads", "zeph.art"])["handle"].tolist()
    ['grimb1e_head', 'grimble.head', 'grimble.heads']
    """
    names = list(dict.fromkeys(str(h) for h in handles if h is not None and str(h).strip()))
    sk = skeletons(names)
    graph = nx.Graph()
    graph.add_nodes_from(range(len(names)))
    by_skeleton: dict[str, int] = {}
    for i, s in enumerate(sk):
        if s in by_skeleton:
            graph.add_edge(by_skeleton[s], i)
        else:
            by_skeleton[s] = i
    unique = [(s, i) for s, i in by_skeleton.items() if len(s) >= min_length]
    if max_distance > 0 and len(unique) > 1:
        keys = [s for s, _ in unique]
        for start in range(0, len(keys), chunk):
            block = process.cdist(keys[start:start + chunk], keys, scorer=Levenshtein.distance,
                                  score_cutoff=max_distance, workers=1)
            rows, cols = (block <= max_distance).nonzero()
            for r, c in zip(rows.tolist(), cols.tolist(), strict=True):
                if start + r < c:
                    graph.add_edge(unique[start + r][1], unique[c][1])
    groups = [sorted(g) for g in nx.connected_components(graph) if len(g) > 1]
    groups.sort(key=lambda g: (-len(g), names[g[0]]))
    rows_out = [(names[i], sk[i], n, len(g)) for n, g in enumerate(groups, start=1) for i in g]
    out = pd.DataFrame(rows_out, columns=["handle", "skeleton", "group", "size"])
    out = out.astype({"handle": "string", "skeleton": "string", "group": "Int64", "size": "Int64"})
    return out.sort_values(["group", "handle"], kind="stable").reset_index(drop=True)


_CHARACTER_WORDS: Final[dict[str, str]] = {
    "_": "an underscore", ".": "a full stop", "-": "a hyphen", " ": "a space", "0": "a zero", "1": "a one",
}


def _character(char: str) -> str:
    """One character in words: 'e', 'an underscore', 'Cyrillic е', 'é (e with acute)'."""
    if char in _CHARACTER_WORDS:
        return _CHARACTER_WORDS[char]
    if char.isascii():
        return char
    name = unicodedata.name(char, "")
    if not name:
        return f"the invisible character U+{ord(char):04X}"
    if unicodedata.category(char) in ("Cf", "Zs", "Mn"):
        return f"an invisible {name.lower()} (U+{ord(char):04X})"
    script = name.split()[0].title()
    if script == "Latin":
        base = "".join(c for c in unicodedata.normalize("NFD", char) if not unicodedata.combining(c))
        detail = name.lower().split(" with ", 1)
        return f"{char} ({base} with {detail[1]})" if len(detail) == 2 else f"{char} ({name.lower()})"
    return f"{script} {char}"


def _characters(text: str) -> str:
    if len(text) >= 3 and text.isascii() and text.isprintable() and " " not in text:
        return f'"{text}"'  # a word added is read as the word: ".official", not "a full stop, o, f, f..."
    words = [_character(c) for c in text]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def describe_difference(handle: object, target: object) -> str:
    """How a lookalike handle differs from the handle it imitates, in words a reader can check.

    >>> describe_difference("brambleshaw.wobbl\\u0435ton", "brambleshaw.wobbleton")
    'Cyrillic е in place of e'
    >>> describe_difference("_brambleshaw.wobbleton", "@brambleshaw.wobbleton")
    'an underscore added at the start'
    >>> describe_difference("grimblew00d", "grimblewood")
    'a zero and a zero in place of o and o'
    >>> describe_difference("Head.Teacher", "head.teacher")
    'H in place of h; T in place of t'
    >>> describe_difference("wobbleton.official", "wobbleton")
    '".official" added at the end'
    """
    from difflib import SequenceMatcher

    new = str(handle or "").strip().lstrip("@")
    old = str(target or "").strip().lstrip("@")
    parts = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        where = " at the start" if i1 == 0 else (" at the end" if i2 == len(old) else "")
        if op == "replace":
            parts.append(f"{_characters(new[j1:j2])} in place of {_characters(old[i1:i2])}")
        elif op == "insert":
            parts.append(f"{_characters(new[j1:j2])} added{where}")
        elif op == "delete":
            parts.append(f"{_characters(old[i1:i2])} left out{where}")
    return "; ".join(parts) if parts else "no visible difference"


def _hidden_letter(char: str) -> bool:
    """A character a reader cannot tell from a Latin letter or cannot see: a homoglyph from another
    alphabet (Cyrillic е), or an invisible character. Accented Latin letters show, so they are not."""
    if char.isascii():
        return False
    if unicodedata.category(char) in ("Cf", "Mn", "Zs", "Cc"):
        return True
    base = unicodedata.normalize("NFD", char)[0]
    return ord(char) in confusable_map() and not base.isascii()


def marked(handle: object) -> str:
    """A handle with each lookalike letter shown in brackets, so that two handles that look the same
    can be told apart in print ("[е]" is the Cyrillic letter; see :func:`marked_note`).

    >>> marked("brambleshaw.wobbl\\u0435ton"), marked("siân.b"), marked("a\\u200bb")
    ('brambleshaw.wobbl[е]ton', 'siân.b', 'a[U+200B]b')
    """
    text = "" if handle is None else str(handle)
    if text.isascii():
        return text
    return "".join((f"[{c}]" if unicodedata.category(c).startswith("L") else f"[U+{ord(c):04X}]")
                   if _hidden_letter(c) else c for c in text)


def marked_note(texts: Iterable[object]) -> str:
    """What the brackets of :func:`marked` mean for the letters in these texts ("" when none is marked).

    >>> marked_note(["@brambleshaw.wobbl\\u0435ton", "@plain"])
    'A letter in brackets looks like a Latin letter but is not one: [е] = Cyrillic е.'
    """
    found = dict.fromkeys(c for t in texts if t is not None and not str(t).isascii() for c in str(t)
                          if _hidden_letter(c))
    if not found:
        return ""
    return "A letter in brackets looks like a Latin letter but is not one: " + "; ".join(
        f"{marked(c)} = {_character(c)}" for c in found) + "."
