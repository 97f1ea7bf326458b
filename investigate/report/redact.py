"""Redaction for reports: people and their handles replaced by stable pseudonyms.

Each person in the ``people`` table gets a pseudonym by role ("Learner A", "Staff B",
"Parent C", "Person D"), kept in the case's ``pseudonyms`` table so that it stays the same
from one report to the next; the mapping is never written into a report.

A :class:`Redactor` replaces, in every text it is given:

- handles that belong to people (``people.handles``), with or without ``@``, by the person's
  pseudonym ("Learner A", or "Learner A (2)" for a second handle);
- whole names, and each first, middle and last name, case-insensitively, by the pseudonym
  (a name part shared by two people becomes "[name removed]"); a name is bounded by non-letters,
  so it is also found inside file names and handles ("screenshot_zephyrine_1.png").

Redact the frames *before* analysis and figures, so that figures never see a real name.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pandas as pd

from ..schema import validate

if TYPE_CHECKING:
    from ..case import Case

log = logging.getLogger("investigate")

#: pseudonym prefix for each person role (anything else is a "Person").
PREFIXES: dict[str, str] = {"learner": "Learner", "staff": "Staff", "parent": "Parent", "other": "Person"}
#: what an ambiguous name part (shared by several people) becomes.
AMBIGUOUS = "[name removed]"
# name particles that are replaced only as part of a whole name, never on their own
_PARTICLES = frozenset(
    "de la le van von der den da di du del al el bin ibn st mc mac des dos das ter ten".split()
    + "mr mrs ms miss mx dr prof sir dame rev revd".split()  # titles
)

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
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return []
    from ..schema import handle_key

    return [k for k in (handle_key(p) for p in str(value).split(",")) if k]


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
    _pattern: re.Pattern[str] | None = field(default=None, repr=False)
    _loose_pattern: re.Pattern[str] | None = field(default=None, repr=False)

    @classmethod
    def from_people(cls, people: pd.DataFrame, pseudonyms: pd.DataFrame) -> Redactor:
        """A redactor for these people (``people`` table) and their ``pseudonyms`` rows."""
        label_of = dict(zip(pseudonyms["person_id"].astype(str), pseudonyms["pseudonym"].astype(str),
                            strict=True)) if len(pseudonyms) else {}
        handles: dict[str, str] = {}
        names: dict[str, str] = {}
        parts: dict[str, set[str]] = {}
        for person in people.itertuples(index=False):
            pid = str(person.person_id)
            label = label_of.get(pid)
            if label is None:  # no pseudonym yet: still hide the person
                label = AMBIGUOUS
            for i, key in enumerate(dict.fromkeys(_split_handles(getattr(person, "handles", None)))):
                if key not in handles:
                    handles[key] = label if i == 0 else f"{label} ({i + 1})"
            name = " ".join(str(person.name).split()) if pd.notna(person.name) else ""
            if name:
                names[name.lower()] = label
                for part in _name_parts(name):
                    parts.setdefault(part.lower(), set()).add(label)
        for part, labels in parts.items():
            if part in names:
                continue  # a whole name wins over a part of another name
            names[part] = labels.pop() if len(labels) == 1 else AMBIGUOUS
        for key, label in list(names.items()):  # "Siân" is also written "sian" (in handles above all)
            plain = fold_accents(key)
            if plain != key:
                names[plain] = label if names.get(plain, label) == label else AMBIGUOUS
        return cls(handles=handles, names=names)

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
            text = match.group("h")
            label = self.handles.get(text.lstrip("@").casefold()) or self.handles.get(text.lstrip("@").lower())
            return ("@" if text.startswith("@") else "") + (label or AMBIGUOUS)
        key = " ".join(match.group(0).split()).lower()
        return self.names.get(key, AMBIGUOUS)

    def _loose(self) -> re.Pattern[str] | None:
        """Name parts of 4+ letters found anywhere, even run into other letters (for handles, URLs)."""
        if self._loose_pattern is None:
            parts = sorted((n for n in self.names if len(n) >= 4 and " " not in n), key=len, reverse=True)
            if parts:
                self._loose_pattern = re.compile("|".join(re.escape(n) for n in parts), re.IGNORECASE)
        return self._loose_pattern

    def _in_handle(self, text: str) -> str:
        """A handle or URL with any name part inside it replaced ("xxottolinexx" -> "xxLearner Cxx")."""
        loose = self._loose()
        if loose is None:
            return text
        return loose.sub(lambda m: self.names.get(m.group(0).lower(), AMBIGUOUS), text)

    def text(self, value: object) -> object:
        """A text with names and people's handles replaced (missing values stay missing).

        Names inside @mentions and URLs are replaced even when run into other letters.
        """
        if value is None or value is pd.NA or (isinstance(value, float) and value != value):
            return value
        pattern = self._regex()
        out = pattern.sub(self._replace, str(value)) if pattern else str(value)
        if self._loose() is not None:
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
                out[column] = _map_unique(series, self.handle_key)
            elif column in list_cols:
                out[column] = _map_unique(series, self._handle_list)
            elif column in shown_cols:
                out[column] = _map_unique(series, self.shown_handle)
            elif column in KEEP_COLUMNS:
                continue
            elif series.dtype == "string" or series.dtype == object:
                if series.dtype == object and not series.map(
                        lambda v: isinstance(v, str) or v is None or v is pd.NA, na_action="ignore").all():
                    out[column] = series.map(self._deep, na_action="ignore")
                else:
                    out[column] = _map_unique(series, self.text)
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
