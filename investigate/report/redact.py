"""Redaction for reports: people and their handles replaced by stable pseudonyms.

Each person in the ``people`` table gets a pseudonym by role ("Learner A", "Staff B",
"Parent C", "Person D"), kept in the case's ``pseudonyms`` table so that it stays the same
from one report to the next; the mapping is never written into a report.

A :class:`Redactor` replaces, in every text it is given:

- handles that belong to people (``people.handles``), with or without ``@``, by the person's
  pseudonym ("Learner A", or "Learner A (2)" for a second handle);
- whole names, and each first, middle and last name, case-insensitively, by the pseudonym
  (a name part shared by two people becomes "[name removed]"), and a title with a surname ("Mr
  Brambleshaw") by the pseudonym of the one adult it names; a name is bounded by non-letters,
  so it is also found inside file names and handles ("screenshot_zephyrine_1.png").

The report redacts only what it shows, after the analysis ran on the real case
(:mod:`investigate.report.naming`, which also uses :meth:`Redactor.thorough` for names hidden in
other ways); :meth:`Redactor.frame` redacts whole tables where a copy must hold no name at all.

The rules are written as two regular expressions (every handle and name; name parts run into other
letters), kept as the reference (``Redactor(..., reference=True)``). By default an Aho-Corasick matcher
(``ahocorasick-rs``) gives the same output much faster, and a whole column is first searched in one
pass, so that the many handles holding no name at all are left alone at once.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd

from ..schema import validate
from ..words import handle_key, is_missing, items

if TYPE_CHECKING:
    from ..case import Case

log = logging.getLogger("investigate")

#: pseudonym prefix for each person role (anything else is a "Person").
PREFIXES: dict[str, str] = {"learner": "Learner", "staff": "Staff", "parent": "Parent", "other": "Person"}
#: what an ambiguous name part (shared by several people) becomes.
AMBIGUOUS = "[name removed]"
#: titles: "Mr Brambleshaw" names the one adult of that surname whose name has this title
_TITLES = frozenset("mr mrs ms miss mx dr prof sir dame rev revd".split())
# name particles and titles, replaced only as part of a whole name, never on their own
_PARTICLES = frozenset(
    "de la le van von der den da di du del al el bin ibn st mc mac des dos das ter ten".split()) | _TITLES

#: which columns of each canonical table hold handle keys, lists of handle keys, or free text.
HANDLE_COLUMNS: dict[str, tuple[str, ...]] = {
    "accounts": ("handle_key",),
    "relationships": ("follower", "followed"),
    "posts": ("account",),
    "interactions": ("actor", "on_account"),
    "imports": ("account",),
}
HANDLE_LIST_COLUMNS: dict[str, tuple[str, ...]] = {"events": ("accounts",), "people": ("handles",)}
#: columns holding handles as shown.
SHOWN_HANDLE_COLUMNS: dict[str, tuple[str, ...]] = {"accounts": ("handle",)}
_MENTION_OR_URL = re.compile(r"@[^\s@,;:!?()\[\]<>\"']+|\b(?:https?://|www\.)\S+", re.IGNORECASE)
#: columns left as they are (identifiers, hashes, fixed vocabularies).
KEEP_COLUMNS: frozenset[str] = frozenset({
    "evidence_id", "sha256", "media_type", "platform", "role", "kind", "precision", "source", "status",
    "person_id", "pseudonym", "prev_hash", "hash", "format", "list_kind", "platform_id",
})


def letters(n: int) -> str:
    """The n-th (0-based) letter code: A..Z, then AA, AB, ...

    >>> [letters(0), letters(25), letters(26), letters(27), letters(701), letters(702)]
    ['A', 'Z', 'AA', 'AB', 'ZZ', 'AAA']
    """
    out = ""
    n += 1
    while n:
        n, rest = divmod(n - 1, 26)
        out = chr(65 + rest) + out
    return out


def assign_pseudonyms(people: pd.DataFrame, existing: pd.DataFrame) -> pd.DataFrame:
    """Pseudonyms for the people who have none yet (people + existing pseudonyms -> new rows).

    Existing pseudonyms are never changed; new people get the next letter for their role,
    in person_id order. Returns the new ``pseudonyms`` rows only (maybe none).

    >>> people = pd.DataFrame({"person_id": ["P2", "P1", "P3"], "name": ["B", "A", "C"],
    ...                        "role": ["learner", "learner", "staff"]})
    >>> old = pd.DataFrame({"person_id": ["P9"], "pseudonym": ["Learner A"]})
    >>> assign_pseudonyms(people, old)[["person_id", "pseudonym"]].values.tolist()
    [['P1', 'Learner B'], ['P2', 'Learner C'], ['P3', 'Staff A']]
    """
    taken = set(existing["pseudonym"].dropna().astype(str)) if len(existing) else set()
    known = set(existing["person_id"].dropna().astype(str)) if len(existing) else set()
    rows = []
    todo = people[~people["person_id"].astype(str).isin(known)].copy()
    todo["person_id"] = todo["person_id"].astype(str)
    todo = todo.drop_duplicates("person_id").sort_values("person_id", kind="stable")
    now = pd.Timestamp.now(tz="UTC")
    for person in todo.itertuples(index=False):
        role = str(person.role).strip().casefold() if pd.notna(person.role) else "other"
        prefix = PREFIXES.get(role, "Person")
        n = 0
        while f"{prefix} {letters(n)}" in taken:
            n += 1
        name = f"{prefix} {letters(n)}"
        taken.add(name)
        rows.append({"person_id": person.person_id, "pseudonym": name, "assigned_at": now})
    return validate(pd.DataFrame(rows, columns=["person_id", "pseudonym", "assigned_at"]), "pseudonyms")


def case_pseudonyms(case: Case, *, who: str | None = None) -> pd.DataFrame:
    """The case's pseudonyms, assigning (and storing, audited) any that people still lack."""
    people = case.table("people")
    existing = case.table("pseudonyms")
    new = assign_pseudonyms(people, existing)
    if len(new):
        case.add_rows({"pseudonyms": new}, who=who, what="pseudonyms assigned",
                      details={"people": len(new)})  # no names or pseudonyms in the audit log
        log.info("assigned pseudonyms to %d people", len(new))
        existing = pd.concat([existing, new], ignore_index=True)
    return existing.drop_duplicates("person_id", keep="first").reset_index(drop=True)


def _split_handles(value: object) -> list[str]:
    return [k for k in (handle_key(p) for p in items(value)) if k]


def fold_accents(text: str) -> str:
    """Text without accents (NFKD, combining marks dropped).

    >>> fold_accents("Siân Zoë Chloé")
    'Sian Zoe Chloe'
    """
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _name_parts(name: str) -> set[str]:
    parts = set()
    for token in name.split():
        if len(token) >= 2 and token.casefold() not in _PARTICLES:
            parts.add(token)
        for run in re.findall(r"\w{2,}", token):
            if run.casefold() not in _PARTICLES and not run.isdigit():
                parts.add(run)
    return parts


def _titled_names(name: str, *, adult: bool) -> list[str]:
    """How a person is addressed by title and surname ("mr brambleshaw"): the title their name is written
    with ("Mr Jolyon Brambleshaw"), else, for an adult, any title; never for a learner without one.

    >>> _titled_names("Mr Jolyon Brambleshaw", adult=True), _titled_names("Florian Brambleshaw", adult=False)
    (['mr brambleshaw'], [])
    """
    words = name.lower().split()
    if len(words) < 2 or words[-1] in _PARTICLES:
        return []
    titles = [words[0]] if words[0] in _TITLES else sorted(_TITLES) if adult else []
    return [f"{t} {words[-1]}" for t in titles]




@dataclass
class Redactor:
    """Replaces people's names and handles by pseudonyms in texts and frames.

    Build one with :meth:`from_people`. ``handles`` maps a handle key to its pseudonym label,
    ``names`` maps a name or name part (lower case, single spaces) to its replacement.

    >>> people = pd.DataFrame({"person_id": ["P1"], "name": ["Zephyrine Quillfeather"],
    ...                        "role": ["learner"], "handles": ["@zeph.q"]})
    >>> r = Redactor.from_people(people, pd.DataFrame({"person_id": ["P1"], "pseudonym": ["Learner A"]}))
    >>> r.text("ZEPHYRINE said @zeph.q is Miss quillfeather's, not zeph.qx")
    "Learner A said @Learner A is Miss Learner A's, not zeph.qx"
    >>> r.handle_key("zeph.q")
    'learner a'
    """

    handles: dict[str, str] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    #: surname (folded) -> [(given names folded, label)]: short forms of a given name written beside the surname
    short: dict[str, list[tuple[tuple[str, ...], str]]] = field(default_factory=dict)
    #: initials ("TW" for Thaddeus Wobble) -> label (AMBIGUOUS when two people share them)
    initials: dict[str, str] = field(default_factory=dict)
    #: True: plain regular expressions only (slow; the reference the fast matcher is tested against).
    reference: bool = field(default=False, repr=False)
    _pattern: re.Pattern[str] | None = field(default=None, repr=False)
    _loose_pattern: re.Pattern[str] | None = field(default=None, repr=False)
    _fast: _Matcher | Literal[False] | None = field(default=None, repr=False)
    _hidden: _HiddenNames | None = field(default=None, repr=False)
    _near: dict[str, set[str]] | None = field(default=None, repr=False)

    @classmethod
    def from_people(cls, people: pd.DataFrame, pseudonyms: pd.DataFrame) -> Redactor:
        """A redactor for these people (``people`` table) and their ``pseudonyms`` rows."""
        label_of = dict(zip(pseudonyms["person_id"].astype(str), pseudonyms["pseudonym"].astype(str),
                            strict=True)) if len(pseudonyms) else {}
        handles: dict[str, str] = {}
        names: dict[str, str] = {}
        parts: dict[str, set[str]] = {}
        titled: dict[str, set[str]] = {}
        short: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        initials: dict[str, str] = {}
        for person in people.itertuples(index=False):
            pid = str(person.person_id)
            label = label_of.get(pid)
            if label is None:  # no pseudonym yet: still hide the person
                label = AMBIGUOUS
            for i, key in enumerate(dict.fromkeys(_split_handles(getattr(person, "handles", None)))):
                if key not in handles:
                    handles[key] = label if i == 0 else f"{label} ({i + 1})"
            name = " ".join(str(person.name).split()) if pd.notna(person.name) else ""
            for other in items(getattr(person, "known_as", None)):  # a nickname hides like a name
                names[other.lower()] = label if names.get(other.lower(), label) == label else AMBIGUOUS
                for part in _name_parts(other):
                    parts.setdefault(part.lower(), set()).add(label)
            if name:
                names[name.lower()] = label
                for part in _name_parts(name):
                    parts.setdefault(part.lower(), set()).add(label)
                role = str(person.role).strip().casefold() if pd.notna(getattr(person, "role", None)) else ""
                for title_surname in _titled_names(name, adult=role != "learner"):
                    titled.setdefault(title_surname, set()).add(label)
                words = [fold_text(w)[0] for w in name.split() if w.casefold().strip(".") not in _PARTICLES]
                words = [w for w in words if re.fullmatch(r"[^\W\d_][\w'’\-]*", w)]
                if len(words) >= 2:
                    short.setdefault(words[-1], []).append((tuple(words[:-1]), label))
                    pair = (words[0][0] + words[-1][0]).upper()
                    initials[pair] = label if initials.get(pair, label) == label else AMBIGUOUS
        for part, labels in (parts | titled).items():
            if part in names:
                continue  # a whole name wins over a part of another name
            names[part] = labels.pop() if len(labels) == 1 else AMBIGUOUS
        for key, label in list(names.items()):  # "Siân" is also written "sian" (in handles above all)
            plain = fold_accents(key)
            if plain != key:
                names[plain] = label if names.get(plain, label) == label else AMBIGUOUS
        return cls(handles=handles, names=names, short=short, initials=initials)

    # ---------------------------------------------------------------- texts
    def _regex(self) -> re.Pattern[str] | None:
        if self._pattern is None and (self.handles or self.names):
            alternatives = []
            if self.handles:
                hs = "|".join(re.escape(h) for h in sorted(self.handles, key=len, reverse=True))
                alternatives.append(rf"(?P<h>(?<![\w.])@?(?:{hs})(?!\w|\.\w))")
            if self.names:
                ns = "|".join(r"\s+".join(re.escape(w) for w in n.split())
                              for n in sorted(self.names, key=len, reverse=True))
                alternatives.append(rf"(?P<n>(?<![^\W\d_])(?:{ns})(?![^\W\d_]))")  # letters bound a name
            self._pattern = re.compile("|".join(alternatives), re.IGNORECASE)
        return self._pattern

    def _replace(self, match: re.Match[str]) -> str:
        if "h" in match.re.groupindex and match.group("h") is not None:
            return self._replacement("h", match.group("h"))
        return self._replacement("n", match.group(0))

    def _replacement(self, kind: str, text: str) -> str:
        """What a matched handle (``kind`` "h") or name ("n") becomes."""
        if kind == "h":
            label = self.handles.get(text.lstrip("@").casefold()) or self.handles.get(text.lstrip("@").lower())
            return ("@" if text.startswith("@") else "") + (label or AMBIGUOUS)
        key = " ".join(text.split()).lower()
        return self.names.get(key, AMBIGUOUS)

    def _loose_parts(self) -> list[str]:
        return sorted((n for n in self.names if len(n) >= 4 and " " not in n), key=len, reverse=True)

    def _loose(self) -> re.Pattern[str] | None:
        """Name parts of 4+ letters found anywhere, even run into other letters (for handles, URLs)."""
        if self._loose_pattern is None:
            parts = self._loose_parts()
            if parts:
                self._loose_pattern = re.compile("|".join(re.escape(n) for n in parts), re.IGNORECASE)
        return self._loose_pattern

    def _matcher(self) -> _Matcher | None:
        """The multi-pattern matcher (built once), or None to use the regular expressions only."""
        if self.reference:
            return None
        if self._fast is None:
            try:
                self._fast = _Matcher(self.handles, self.names, self._loose_parts(), self._replacement)
            except _NoMatcher as reason:
                log.debug("redaction: regular expressions only (%s)", reason)
                self._fast = False
        return self._fast or None

    def _strict_sub(self, text: str) -> str:
        """Names and people's handles (bounded by non-letters, non-word characters) replaced."""
        matcher = self._matcher()
        out = matcher.strict(text) if matcher is not None else None
        if out is None:
            pattern = self._regex()
            out = pattern.sub(self._replace, text) if pattern else text
        return out

    def _in_handle(self, text: str) -> str:
        """A handle or URL with any name part inside it replaced ("xxottolinexx" -> "xxLearner Cxx")."""
        matcher = self._matcher()
        out = matcher.loose(text) if matcher is not None else None
        if out is not None:
            return out
        loose = self._loose()
        if loose is None:
            return text
        return loose.sub(lambda m: self.names.get(m.group(0).lower(), AMBIGUOUS), text)

    def text(self, value: object) -> object:
        """A text with names and people's handles replaced (missing values stay missing).

        Names inside @mentions and URLs are replaced even when run into other letters.
        """
        if is_missing(value):
            return value
        out = self._strict_sub(str(value))
        matcher = self._matcher()
        if matcher is not None:
            if matcher.may_loose(out):  # else no mention or URL can hold a name part
                out = _MENTION_OR_URL.sub(lambda m: self._in_handle(m.group(0)), out)
        elif self._loose() is not None:
            out = _MENTION_OR_URL.sub(lambda m: self._in_handle(m.group(0)), out)
        return out

    def handle_key(self, key: object) -> object:
        """A handle key, replaced by its pseudonym's key ("learner a") when it belongs to a person."""
        if not isinstance(key, str):
            return key
        label = self.handles.get(key)
        return label.casefold() if label else self._in_handle(str(self.text(key))).casefold()

    def shown_handle(self, key: object) -> object:
        """A handle as shown, replaced by the pseudonym ("Learner A") when it belongs to a person."""
        if not isinstance(key, str):
            return key
        label = self.handles.get(key.lstrip("@").casefold())
        return label if label else self._in_handle(str(self.text(key)))

    def thorough(self, value: object) -> object:
        """Short forms and initials (:meth:`short_forms`), then :meth:`text`, then names hidden in other ways
        (:meth:`hidden`): the one redaction of everything that leaves the case redacted."""
        if isinstance(value, str):
            value = self.short_forms(value)
        out = self.text(value)
        return self.hidden(out) if isinstance(out, str) else out

    def _near_surnames(self) -> dict[str, set[str]]:
        """Surnames of five or more letters by each spelling one letter shorter (a deletion index)."""
        if self._near is None:
            self._near = {}
            for surname in self.short:
                if len(surname) >= 5:
                    for variant in {surname, *(surname[:i] + surname[i + 1:] for i in range(len(surname)))}:
                        self._near.setdefault(variant, set()).add(surname)
        return self._near

    def short_forms(self, text: str) -> str:
        """A short form of a given name beside the surname ("seun Crumbleton" for Oluwaseun Crumbleton)
        and a person's initials written with full stops ("T.W.", "T. W.") replaced by the pseudonym.

        A short form is three or more letters that begin or end one of the person's given names.
        """
        spans: list[tuple[int, int, str]] = []
        if self.short:
            near = self._near_surnames()
            for found in _WORD_PAIR.finditer(text):
                first, second = (fold_text(found.group(g))[0] for g in (1, 2))
                for given, label in self.short.get(second, ()):
                    if first not in given and any(g.startswith(first) or g.endswith(first) or _one_edit(first, g)
                                                  for g in given):
                        spans.append((found.start(1), found.end(2), label))
                        break
                else:  # a misspelt full name: both words one letter off one person's given name and surname
                    for surname in _within_one(second, near):
                        found_label = next((label for given, label in self.short[surname]
                                            if first in given or any(_one_edit(first, g) for g in given)), None)
                        if found_label is not None:
                            spans.append((found.start(1), found.end(2), found_label))
                            break
        if self.initials:
            for found in _INITIALS.finditer(text):
                pseudonym = self.initials.get(found.group(1) + found.group(2))
                if pseudonym is not None:
                    spans.append((found.start(), found.end(), pseudonym))
        if not spans:
            return text
        pieces, done = [], 0
        for start, end, label in sorted(spans):
            if start < done:
                continue
            pieces += [text[done:start], label]
            done = end
        return "".join([*pieces, text[done:]])

    def hidden(self, text: str) -> str:
        """Names hidden from :meth:`text`: behind zero-width characters, homoglyphs (a Cyrillic е) or
        accents, run together in hashtags, file names and camelCase (``#RosalindPemberton``,
        ``ZephyrineQuill.png``) or spelt out in spaced letters (``Z e p h y r i n e``).

        The text is folded (format characters dropped, non-Latin lookalikes and accents folded,
        casefolded) keeping each folded character's place in the original, the names are found in the
        folded text, and the original stretch is replaced.
        """
        found = _HiddenNames.of(self).spans(text)
        if not found:
            return text
        pieces, done = [], 0
        for start, end, label in found:
            pieces += [text[done:start], label]
            done = end
        return "".join([*pieces, text[done:]])

    # ---------------------------------------------------------------- frames
    def frame(self, df: pd.DataFrame, table: str | None = None) -> pd.DataFrame:
        """A redacted copy of a frame (canonical table ``table`` or any frame of text columns).

        Handle columns are mapped to pseudonym keys, handle lists element-wise, identifiers and
        fixed vocabularies are kept, and every other text column goes through :meth:`text`.
        """
        out = df.copy()
        handle_cols = set(HANDLE_COLUMNS.get(table or "", ()))
        list_cols = set(HANDLE_LIST_COLUMNS.get(table or "", ()))
        shown_cols = set(SHOWN_HANDLE_COLUMNS.get(table or "", ()))
        for column in out.columns:
            series = out[column]
            if column in handle_cols:
                out[column] = self._map_unique(series, self.handle_key, self._quiet_handle_key)
            elif column in list_cols:
                out[column] = _map_unique(series, self._handle_list)
            elif column in shown_cols:
                out[column] = self._map_unique(series, self.shown_handle, self._quiet_shown_handle)
            elif column in KEEP_COLUMNS:
                continue
            elif series.dtype == "string" or series.dtype == object:
                if series.dtype == object and not series.map(
                        lambda v: isinstance(v, str) or v is None or v is pd.NA, na_action="ignore").all():
                    out[column] = series.map(self._deep, na_action="ignore")
                else:
                    out[column] = self._map_unique(series, self.text, None)
        if table == "accounts" and "handle_key" in df.columns:
            mapped = df["handle_key"].isin(list(self.handles))
            labels = df["handle_key"].map(self.handles)
            for column in ("handle", "display_name"):
                if column in out.columns:
                    out.loc[mapped, column] = labels[mapped]
            for column in ("profile_url", "platform_id"):
                if column in out.columns:
                    out.loc[mapped, column] = pd.NA
        if table == "people":
            # the names themselves: whole replacement by the pseudonym
            out["name"] = df["person_id"].astype(str).map(self._label_of_person(df)).astype("string")
        return out

    def _map_unique(self, series: pd.Series, function: Callable[[object], object],
                    quiet: Callable[[str], object] | None) -> pd.Series:
        """``series.map(function)`` once per distinct value; ``quiet(value)`` (None: the value itself)
        instead for the texts in which no name or handle occurs at all (found for all of them at once:
        most handles of a list)."""
        matcher = self._matcher()
        if matcher is None:
            return _map_unique(series, function)
        if series.dtype == "string":
            codes, uniques = pd.factorize(series)
            values = uniques.tolist()
        else:
            values = series.dropna().unique().tolist()
            if not all(isinstance(v, str) for v in values):
                return _map_unique(series, function)
        calm = matcher.quiet(values)
        if quiet is None:
            new = [value if still else function(value) for value, still in zip(values, calm, strict=True)]
        else:
            new = [quiet(value) if still else function(value) for value, still in zip(values, calm, strict=True)]
        if series.dtype == "string":
            mapped = pd.array(new, dtype=series.dtype).take(codes, allow_fill=True)
            return pd.Series(mapped, index=series.index, name=series.name)
        return series.map(dict(zip(values, new, strict=True)), na_action="ignore").astype(series.dtype)

    def _quiet_handle_key(self, key: str) -> str:
        """:meth:`handle_key` of a key in which no name or handle occurs."""
        label = self.handles.get(key)
        return label.casefold() if label else key.casefold()

    def _quiet_shown_handle(self, key: str) -> str:
        """:meth:`shown_handle` of a handle in which no name or handle occurs."""
        label = self.handles.get(key.lstrip("@").casefold())
        return label if label else key

    def _label_of_person(self, people: pd.DataFrame) -> dict[str, str]:
        return {str(p.person_id): str(self.text(p.name)) for p in people.itertuples(index=False)}

    def _handle_list(self, value: object) -> object:
        keys = _split_handles(value)
        return ",".join(str(self.handle_key(k)) for k in keys)

    def _deep(self, value: object) -> object:
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, (list, tuple)):
            return type(value)(self._deep(v) for v in value)
        return value

    def tables(self, frames: Mapping[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
        """Redacted copies of canonical tables ({name: frame})."""
        return {name: self.frame(df, name) for name, df in frames.items()}

    def texts(self, values: Iterable[object]) -> list[object]:
        """:meth:`text` over several values."""
        return [self.text(v) for v in values]


def _map_unique(series: pd.Series, function: Callable[[object], object]) -> pd.Series:
    """``series.map(function)`` computed once per distinct value (lists of millions of rows repeat a lot)."""
    values = series.dropna().unique()
    mapping = {value: function(value) for value in values}
    return series.map(mapping, na_action="ignore").astype(series.dtype)


class NoRedaction(Redactor):
    """A redactor that changes nothing (the internal, unredacted report)."""

    def text(self, value: object) -> object:
        return value

    def handle_key(self, key: object) -> object:
        return key

    def shown_handle(self, key: object) -> object:
        return key

    def frame(self, df: pd.DataFrame, table: str | None = None) -> pd.DataFrame:
        return df.copy()


# ------------------------------------------------------------------------ the fast matcher
# The boundaries of the strict pattern, as the regular expressions themselves (exact by construction).
_HANDLE_BEFORE = re.compile(r"(?<![\w.])", re.IGNORECASE)
_HANDLE_AFTER = re.compile(r"(?!\w|\.\w)", re.IGNORECASE)
_NAME_BEFORE = re.compile(r"(?<![^\W\d_])", re.IGNORECASE)
_NAME_AFTER = re.compile(r"(?![^\W\d_])", re.IGNORECASE)
_SPACES = re.compile(r"\s+", re.IGNORECASE)


class _NoMatcher(Exception):
    """These names or handles are better left to the regular expressions."""


class _Matcher:
    """Aho-Corasick stand-in for :class:`Redactor`'s two big regular expressions, with the same results.

    Texts are *folded* character by character (the same length) so that a text character and a
    pattern character fold alike exactly when ``re.IGNORECASE`` matches them; what matches which
    is asked of ``re`` itself, one character at a time. A text with a character that folds
    ambiguously gets None (use the regular expressions). The strict pattern is replayed from every
    occurrence of every handle and name word (the same order of alternatives, the same boundaries,
    checked with the same regular expressions on the original text); the loose one, an alternation
    of plain words longest first, is leftmost-longest matching.
    """

    def __init__(self, handles: Iterable[str], names: Mapping[str, str], loose: list[str],
                 replacement: Callable[[str, str], str]) -> None:
        import ahocorasick_rs as ac

        handles = list(handles)
        self._names = names
        self._replacement = replacement
        ranked = sorted(names, key=len, reverse=True)  # the order of the regex's alternatives
        tokens = {name: name.split() for name in ranked}
        if any(not words for words in tokens.values()):
            raise _NoMatcher("a name of spaces only")
        chars = set().union(*map(set, handles), *(set("".join(w)) for w in tokens.values()), *map(set, loose))
        self._literals = [(p, re.compile(re.escape(p), re.IGNORECASE)) for p in sorted(chars)]
        matches = {p: self._matching(p) for p in chars}
        for p, group in matches.items():  # re's case-insensitive equality must be an equivalence here
            if p not in group or any(matches[q] != group for q in group):
                raise _NoMatcher(f"pattern character {p!r} folds ambiguously")
        self._groups = matches
        key_table = str.maketrans({p: min(group) for p, group in matches.items()})
        self._none = next(chr(i) for i in range(0x110000) if chr(i) not in chars)  # matches no pattern
        self._table: dict[int, str] = {}
        self._unsafe: set[str] = set()
        self._learn([*map(chr, range(128)), self._none])

        variants: dict[str, int] = {}
        self._is_handle: list[bool] = []
        self._by_first: list[list[tuple[int, list[str]]]] = []  # per pattern: names starting with it

        def index(variant: str) -> int:
            if variant not in variants:
                variants[variant] = len(variants)
                self._is_handle.append(False)
                self._by_first.append([])
            return variants[variant]

        for key in handles:
            self._is_handle[index(key.translate(key_table))] = True
        for rank, name in enumerate(ranked):
            words = [w.translate(key_table) for w in tokens[name]]
            self._by_first[index(words[0])].append((rank, words))
        self._strict = ac.AhoCorasick(list(variants), matchkind=ac.MatchKind.Standard) if variants else None
        loose_variants = list(dict.fromkeys(p.translate(key_table) for p in loose))
        self._loose = (ac.AhoCorasick(loose_variants, matchkind=ac.MatchKind.LeftmostLongest)
                       if loose_variants else None)

    # ------------------------------------------------------------ folding
    def _matching(self, char: str) -> frozenset[str]:
        return frozenset(p for p, literal in self._literals if literal.fullmatch(char))

    def _learn(self, chars: Iterable[str]) -> None:
        for char in chars:
            group = self._matching(char)
            if not group:
                self._table[ord(char)] = self._none
            elif all(self._groups[q] == group for q in group):
                self._table[ord(char)] = min(group)
            else:
                self._unsafe.add(char)

    def fold(self, text: str) -> str | None:
        """The text folded (same length), or None when a character folds ambiguously."""
        if text.isascii():
            seen: Iterable[str] = text
        else:
            seen = set(text)
            new = [c for c in seen if ord(c) not in self._table and c not in self._unsafe]
            if new:
                self._learn(new)
        if self._unsafe and not self._unsafe.isdisjoint(seen):
            return None
        return text.translate(self._table)

    def quiet(self, texts: list[str]) -> list[bool]:
        """For each text: True when no handle, name word or loose name part occurs in it at all
        (so that neither pattern can change it). All texts are searched in one pass."""
        if not texts:
            return []
        folded = self.fold(self._none.join(texts))  # no pattern holds the separator: no match spans two texts
        if folded is None:  # an ambiguous character somewhere: text by text
            return [self._quiet_one(text) for text in texts]
        starts = np.cumsum([0, *(len(text) + 1 for text in texts[:-1])])
        busy = np.zeros(len(texts), dtype=bool)
        for automaton in (self._strict, self._loose):  # any text with an occurrence has a match reported in it
            found = automaton.find_matches_as_indexes(folded) if automaton is not None else []
            if found:
                at = np.fromiter((start for _, start, _ in found), dtype=np.int64, count=len(found))
                busy[np.searchsorted(starts, at, side="right") - 1] = True
        return (~busy).tolist()

    def _quiet_one(self, text: str) -> bool:
        folded = self.fold(text)
        automata = [automaton for automaton in (self._strict, self._loose) if automaton is not None]
        return folded is not None and not any(automaton.find_matches_as_indexes(folded) for automaton in automata)

    # ------------------------------------------------------------ the strict pattern
    def strict(self, text: str) -> str | None:
        """``Redactor._regex().sub(Redactor._replace, text)``, or None to let the regex do it."""
        if self._strict is None:
            return text
        folded = self.fold(text)
        if folded is None:
            return None
        found = self._strict.find_matches_as_indexes(folded, overlapping=True)
        if not found:
            return text
        handles: dict[int, list[int]] = {}  # start -> lengths of handles found there
        words: dict[int, list[int]] = {}  # start -> patterns found there that begin names
        for pattern, start, stop in found:
            if self._is_handle[pattern]:
                handles.setdefault(start, []).append(stop - start)
            if self._by_first[pattern]:
                words.setdefault(start, []).append(pattern)
        starts = set(handles) | set(words) | {s - 1 for s in handles if s and text[s - 1] == "@"}
        pieces: list[str] = []
        done = 0
        for pos in sorted(starts):
            if pos < done:
                continue
            end, kind = None, "h"
            if _HANDLE_BEFORE.match(text, pos):
                if text[pos] == "@":
                    end = self._handle_end(text, pos + 1, handles)
                if end is None:
                    end = self._handle_end(text, pos, handles)
            if end is None and pos in words and _NAME_BEFORE.match(text, pos):
                end, kind = self._name_end(text, folded, pos, words[pos]), "n"
            if end is not None:
                pieces += [text[done:pos], self._replacement(kind, text[pos:end])]
                done = end
        return "".join([*pieces, text[done:]]) if pieces else text

    @staticmethod
    def _handle_end(text: str, start: int, handles: dict[int, list[int]]) -> int | None:
        for length in sorted(handles.get(start, ()), reverse=True):  # longest first, as the alternatives
            if _HANDLE_AFTER.match(text, start + length):
                return start + length
        return None

    def _name_end(self, text: str, folded: str, pos: int, patterns: list[int]) -> int | None:
        best_rank, best_end = len(self._names), None
        for pattern in patterns:
            for rank, words in self._by_first[pattern]:
                if rank >= best_rank:
                    break
                end = pos + len(words[0])
                for word in words[1:]:
                    spaces = _SPACES.match(text, end)
                    if spaces is None or not folded.startswith(word, spaces.end()):
                        end = -1
                        break
                    end = spaces.end() + len(word)
                if end >= 0 and _NAME_AFTER.match(text, end):
                    best_rank, best_end = rank, end
                    break
        return best_end

    # ------------------------------------------------------------ the loose pattern
    def loose(self, text: str) -> str | None:
        """``Redactor._loose()`` substitution, or None to let the regex do it."""
        if self._loose is None:
            return text
        folded = self.fold(text)
        if folded is None:
            return None
        pieces: list[str] = []
        done = 0
        for _, start, end in self._loose.find_matches_as_indexes(folded):
            pieces += [text[done:start], self._names.get(text[start:end].lower(), AMBIGUOUS)]
            done = end
        return "".join([*pieces, text[done:]]) if pieces else text

    def may_loose(self, text: str) -> bool:
        """False when no name part of the loose pattern occurs anywhere in the text."""
        if self._loose is None:
            return False
        folded = self.fold(text)
        return folded is None or bool(self._loose.find_matches_as_indexes(folded))


# ------------------------------------------------------------------------ names hidden in other ways
_SPACED = re.compile(r"(?<![^\W\d_])[^\W\d_](?:[ .\-_*\u00b7/|]{1,2}[^\W\d_](?![^\W\d_])){3,}")
_TOKEN = re.compile(r"\S+")
_SEPARATED = re.compile(r"[#@/._\-\d]")


def _run_together(token: str) -> bool:
    """A handle-like token: separators or digits inside, or camelCase (any script: ``ChloéÉlodie``)."""
    pairs = zip(token, token[1:], strict=False)
    return bool(_SEPARATED.search(token)) or any(a.islower() and b.isupper() for a, b in pairs)


def _fold_char(char: str) -> str:
    """One character folded: format characters dropped, compatibility forms and accents folded (NFKD),
    then non-Latin lookalikes (a Cyrillic е) mapped to the Latin letter, casefolded."""
    if unicodedata.category(char) == "Cf":
        return ""
    from ..handles import confusable_map

    lookalike = confusable_map()
    plain = (c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
    return "".join(c if c.isascii() else lookalike.get(ord(c), c) for c in plain).casefold()


#: a word and the next (for a short form beside a surname)
_WORD_PAIR = re.compile(r"(?<![^\W\d_])(?=([^\W\d_]{3,})\s+([^\W\d_][\w'’]*[^\W\d_])(?![^\W\d_]))")
#: two initials written with full stops: "T.W.", "T. W."
_INITIALS = re.compile(r"(?<![\w.])([A-Z])\.\s?([A-Z])\.?(?![\w])")
#: what splits a word without being part of it: a tag ("Zephy<b>rine"), a hyphen at a line break ("Zephy-\nrine",
#: or "Zephy- rine" once the line break became a space)
_SPLIT = re.compile(r"(?<=[^\W\d_])(?:<[^<>\s][^<>]{0,60}>|-[ \t]*\r?\n\s*|-[ \t]+)(?=[^\W\d_])")


def _one_edit(a: str, b: str) -> bool:
    """True when ``a`` is ``b`` with one letter changed, added, left out or two neighbours swapped (both of
    four or more letters; the same word is not an edit).

    >>> _one_edit("quilfeather", "quillfeather"), _one_edit("zephyrnie", "zephyrine"), _one_edit("ann", "anne")
    (True, True, False)
    """
    if a == b or min(len(a), len(b)) < 4 or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
        return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]]
                                  and a[diff[1]] == b[diff[0]])
    short, long = (a, b) if len(a) < len(b) else (b, a)
    i = next((i for i, (x, y) in enumerate(zip(short, long, strict=False)) if x != y), len(short))
    return short[i:] == long[i + 1:]


def _within_one(word: str, near: dict[str, set[str]]) -> set[str]:
    """The surnames one edit from ``word`` (by the deletion index of :meth:`Redactor._near_surnames`)."""
    if len(word) < 4:
        return set()
    found = set(near.get(word, ()))
    for i in range(len(word)):
        found |= near.get(word[:i] + word[i + 1:], set())
    return {s for s in found if _one_edit(word, s)}


def _split_marks(text: str) -> set[int]:
    """The places of tags and hyphenated line breaks inside a word (left out when folding)."""
    if "<" not in text and "-" not in text:
        return set()
    return {i for found in _SPLIT.finditer(text) for i in range(found.start(), found.end())}


def fold_text(text: str) -> tuple[str, list[int]]:
    """The folded text and, for each of its characters, the index of the original character it came from.

    >>> fold_text("Z\u200be\u0301D")
    ('zed', [0, 2, 4])
    """
    chars: list[str] = []
    origin: list[int] = []
    gone = _split_marks(text)
    for i, char in enumerate(text):
        if i in gone:
            continue
        folded = char.casefold() if char.isascii() else _fold_char(char)
        chars.append(folded)
        origin += [i] * len(folded)
    return "".join(chars), origin


class _HiddenNames:
    """The folded names of a :class:`Redactor` as two patterns (bounded, and run together)."""

    def __init__(self, names: Mapping[str, str]) -> None:
        self.labels: dict[str, str] = {}
        for name, label in names.items():
            key = " ".join(fold_text(name)[0].split())
            for variant in dict.fromkeys([key, re.sub(r"['’]", "", key)]):  # "ORourke" for O'Rourke
                if variant:
                    self.labels[variant] = label if self.labels.get(variant, label) == label else AMBIGUOUS
        ordered = sorted(self.labels, key=len, reverse=True)
        alternatives = "|".join(r"\s+".join(re.escape(w) for w in n.split()) for n in ordered)
        self.bounded = re.compile(rf"(?<![^\W\d_])(?:{alternatives})(?![^\W\d_])") if ordered else None
        loose = [n for n in ordered if len(n) >= 4 and " " not in n]
        self.loose = re.compile("|".join(re.escape(n) for n in loose)) if loose else None
        # a whole name of two or more words run into one ("chloeelodie"), found anywhere: no ordinary word
        self.joined: dict[str, str] = {}
        for name in ordered:
            words = name.split()
            if len(words) > 1 and len("".join(words)) >= 8:
                for joined in ("".join(words), "".join(words[1:] + words[:1])):
                    self.joined.setdefault(joined, self.labels[name])
        together = sorted(self.joined, key=len, reverse=True)
        self.together = re.compile("|".join(re.escape(n) for n in together)) if together else None

    @classmethod
    def of(cls, redactor: Redactor) -> _HiddenNames:
        if redactor._hidden is None:
            redactor._hidden = cls(redactor.names)
        return redactor._hidden

    def label(self, folded: str) -> str:
        return self.labels.get(" ".join(folded.split()), AMBIGUOUS)

    def spans(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, label) of every hidden name in the original text, leftmost first, not overlapping."""
        if self.bounded is None:
            return []
        folded, origin = fold_text(text)
        found: list[tuple[int, int, str]] = []

        def add(start: int, end: int, label: str) -> None:  # folded positions -> original positions
            if end > start:
                found.append((origin[start], origin[end - 1] + 1, label))

        for match in self.bounded.finditer(folded):
            add(match.start(), match.end(), self.label(match.group(0)))
        if self.together is not None:
            for match in self.together.finditer(folded):
                add(match.start(), match.end(), self.joined[match.group(0)])
        if self.loose is not None:
            for token in _TOKEN.finditer(text):  # names run into other letters, in handle-like tokens only
                if _run_together(token.group(0)):
                    part, part_origin = fold_text(token.group(0))
                    for match in self.loose.finditer(part):
                        start = token.start() + part_origin[match.start()]
                        end = token.start() + part_origin[match.end() - 1] + 1
                        found.append((start, end, self.label(match.group(0))))
            for match in _SPACED.finditer(folded):
                letters = re.sub(r"[^\w]|_", "", match.group(0))
                hit = self.loose.search(letters)
                if hit:
                    add(match.start(), match.end(), self.label(hit.group(0)))
        found.sort(key=lambda span: (span[0], -span[1]))
        kept: list[tuple[int, int, str]] = []
        for span in found:
            if kept and span[0] <= kept[-1][1] and span[2] == kept[-1][2]:  # one name run into itself
                kept[-1] = (kept[-1][0], max(span[1], kept[-1][1]), span[2])
            elif not kept or span[0] >= kept[-1][1]:
                kept.append(span)
            elif span[1] > kept[-1][1]:  # overlapping: one stretch, one label
                kept[-1] = (kept[-1][0], span[1], kept[-1][2] if kept[-1][2] == span[2] else AMBIGUOUS)
        return kept
