"""How a report names accounts and shows texts: as they are (internal), or redacted at rendering.

The analysis always runs on the real case; only what is shown is redacted, so an internal and a
redacted report rank the same leads in the same order. Redacted, every account is named by a
whole-handle pseudonym: the subject account(s) ("subject account"), their lookalikes ("lookalike
1"), people's handles by the person's pseudonym ("Learner A", "Learner A (2)"), school accounts by
their handle, and every other account by a stable code ("Account KQX-47", the same in every report
of the case: a keyed hash of the handle, the key kept in the case). Texts have their @mentions, the
case's handles and people's names replaced (:meth:`Redactor.thorough`).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pandas as pd

from ..handles import marked
from ..words import handle_key
from .redact import Redactor

if TYPE_CHECKING:
    from ..case import Case
    from ..view import CaseView

#: the meta key of the case's secret for account codes (never written into a report or the audit log).
KEY_META = "account_pseudonym_key"
_CODE_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"
_MENTION = re.compile(r"@([^\s@,;:!?()\[\]<>\"'#]+)")
#: the pseudonyms a redacted text can hold (as :class:`ReportNames` and the Redactor write them)
_PSEUDONYM = re.compile(r"\b(?:lookalike \d+|subject account(?: \d+)?|Account [A-Z]{3}-\d\d|"
                        r"(?:Learner|Staff|Parent|Person) [A-Z]{1,3}(?: \(\d+\))?)(?!\w)")


def _undoubled(text: str) -> str:
    """A redacted text without the words a pseudonym repeats: the text's own "the lookalike @x" became
    "the lookalike lookalike 2"; it says "the lookalike 2".

    >>> _undoubled("Report the lookalike lookalike 2 and the subject account subject account.")
    'Report the lookalike 2 and the subject account.'
    """
    out, done = "", 0
    for found in _PSEUDONYM.finditer(text):
        out += text[done:found.start()]
        kept = out.rstrip()
        words = found.group(0).split()
        for n in range(len(words), 0, -1) if kept != out else ():  # only words a space away
            said = " ".join(words[:n])
            if kept[-len(said):].casefold() == said.casefold() and not kept[:-len(said)][-1:].isalnum():
                out = kept[:-len(said)]
                break
        out += found.group(0)
        done = found.end()
    return out + text[done:]


def case_account_key(case: Case) -> bytes:
    """The case's secret for account codes, made (and audited, without the secret) on first use."""
    value = case.meta(KEY_META)
    if value is None:
        with case.transaction(what="pseudonym key created",
                              details={"purpose": "stable codes for accounts in redacted reports"}) as conn:
            found = conn.execute("SELECT value FROM meta WHERE key = ?", (KEY_META,)).fetchone()
            value = found[0] if found else secrets.token_hex(16)
            conn.execute("INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)", (KEY_META, value))
    return bytes.fromhex(value)


def account_code(key: str, secret: bytes, attempt: int = 0) -> str:
    """A short code for a handle key: three letters and two digits ("KQX-47").

    >>> account_code("zeph.q", b"k") == account_code("zeph.q", b"k") != account_code("zeph.q", b"other")
    True
    """
    digest = hmac.new(secret, f"{attempt}:{key}".encode(), hashlib.sha256).digest()
    number = int.from_bytes(digest[:8], "big")
    letters = ""
    for _ in range(3):
        number, rest = divmod(number, len(_CODE_LETTERS))
        letters += _CODE_LETTERS[rest]
    return f"{letters}-{number % 100:02d}"


def _shown_handles(accounts: pd.DataFrame) -> dict[str, str]:
    if accounts.empty:
        return {}
    keys = accounts["handle_key"].astype(str)
    handles = accounts["handle"].astype("string").fillna(keys)
    return dict(zip(keys.tolist(), handles.astype(str).tolist(), strict=True))  # lists: a million in a second


@dataclass
class ReportNames:
    """Names accounts (:meth:`account`) and shows texts (:meth:`text`) for one report; a lookalike letter
    in a handle is marked ("@brambleshaw.wobbl[е]ton") so that lookalikes can be told apart."""

    shown: dict[str, str]
    redactor: Redactor | None = None
    fixed: dict[str, str] = field(default_factory=dict)
    secret: bytes = b""
    _codes: dict[str, str] = field(default_factory=dict, repr=False)
    _taken: set[str] = field(default_factory=set, repr=False)

    @classmethod
    def internal(cls, accounts: pd.DataFrame) -> ReportNames:
        """Accounts by their handle as shown ("@Brambleshaw.Wobbleton"), texts as they are."""
        return cls(shown=_shown_handles(accounts))

    @classmethod
    def redacted(cls, accounts: pd.DataFrame, people: pd.DataFrame, pseudonyms: pd.DataFrame, *,
                 subjects: Iterable[str], lookalikes: Iterable[str], secret: bytes) -> ReportNames:
        """Whole-handle pseudonyms for every account; see the module's docstring.

        >>> acc = pd.DataFrame({"handle": ["Fake.Head", "fake.head_", "zeph.q", "random.fan", "our.school"],
        ...                     "role": ["subject", "copycat", "unknown", "unknown", "school"]})
        >>> acc["handle_key"] = acc["handle"].str.casefold()
        >>> people = pd.DataFrame({"person_id": ["P1"], "name": ["Zephyrine Quill"], "role": ["learner"],
        ...                        "handles": ["zeph.q"]})
        >>> names = ReportNames.redacted(acc, people, pd.DataFrame({"person_id": ["P1"], "pseudonym": ["Learner A"]}),
        ...                              subjects=["fake.head"], lookalikes=["fake.head_"], secret=b"k")
        >>> [names.account(k) for k in ("fake.head", "fake.head_", "zeph.q", "our.school")]
        ['subject account', 'lookalike 1', 'Learner A', '@our.school']
        >>> names.account("random.fan").startswith("Account ")
        True
        >>> names.text("@zeph.q (Zephyrine) told @Fake.Head and fake.head_: #ZephyrineQuill")
        'Learner A (Learner A) told subject account and lookalike 1: #Learner A'
        """
        base = Redactor.from_people(people, pseudonyms)
        subjects, lookalikes = list(dict.fromkeys(subjects)), list(dict.fromkeys(lookalikes))
        fixed: dict[str, str] = dict(base.handles)
        roles = accounts.dropna(subset=["handle_key"]).drop_duplicates("handle_key", keep="last")
        schools = roles.loc[roles["role"].astype("string").str.casefold().eq("school").fillna(False), "handle_key"]
        shown = _shown_handles(accounts)
        for key in schools.astype(str):
            fixed[key] = "@" + str(base.thorough(shown.get(key, key)))
        for n, key in enumerate(k for k in lookalikes if k not in subjects):
            fixed[key] = f"lookalike {n + 1}"
        for n, key in enumerate(subjects):
            fixed[key] = "subject account" if len(subjects) == 1 else f"subject account {n + 1}"
        names = cls(shown=shown, fixed=fixed, secret=secret)
        names._taken.update(fixed.values())
        # handles written without @ in texts: the case's handles that cannot be ordinary words
        bare = {k: names.account(k) for k in shown if k not in set(schools) and (
            len(k) >= 8 or re.search(r"[^\W\d_]", k) is None or re.search(r"[\d._]", k))}
        names.redactor = Redactor(handles={**bare, **base.handles}, names=base.names, short=base.short,
                                  initials=base.initials)
        return names

    @property
    def redact(self) -> bool:
        return self.redactor is not None

    def account(self, key: object) -> str:
        """How the report names the account with this handle key."""
        if not isinstance(key, str) or not key:
            return ""
        if self.redactor is None and not self.fixed:
            return "@" + marked(self.shown.get(key, key))
        if key in self.fixed:
            return self.fixed[key]
        if key not in self._codes:
            attempt = 0
            while (code := f"Account {account_code(key, self.secret, attempt)}") in self._taken:
                attempt += 1  # another account has this code already: stable as long as the case is
            self._codes[key] = code
            self._taken.add(code)
        return self._codes[key]

    def accounts(self, keys: Iterable[object]) -> dict[str, str]:
        """{handle key: name} for several accounts (e.g. for a figure's labels)."""
        return {str(k): self.account(k) for k in keys if isinstance(k, str)}

    def text(self, value: object) -> object:
        """A text as the report shows it (missing values stay missing); lookalike letters in @mentions
        marked (:func:`~investigate.handles.marked`)."""
        if not isinstance(value, str):
            return value
        if self.redactor is None:
            return value if value.isascii() else _MENTION.sub(lambda m: "@" + marked(m.group(1)), value)

        def mention(match: re.Match[str]) -> str:
            raw = match.group(1)
            trail = raw[len(raw.rstrip(".")):]
            key = handle_key(raw.rstrip("."))
            return (self.account(key) if key else match.group(0)[: len(match.group(0)) - len(trail)]) + trail

        return _undoubled(str(self.redactor.thorough(_MENTION.sub(mention, value))))


def case_names(case: Case, view: CaseView, *, redact: bool) -> ReportNames:
    """How every output of ``case`` names accounts and shows texts: as they are, or (``redact``) the
    one redaction, the same for the report, its Word file, the packs and the exports: whole-handle
    pseudonyms for every account (subjects, their lookalikes numbered in the view's order, people's
    handles, stable codes) and :meth:`Redactor.thorough` over every text."""
    if not redact:
        return ReportNames.internal(view.tables["accounts"])
    from .redact import case_pseudonyms

    lookalikes = [k for s in view.subjects for k in view.lookalikes(s)["handle_key"].astype(str)]
    return ReportNames.redacted(view.tables["accounts"], view.tables["people"], case_pseudonyms(case),
                                subjects=view.subjects, lookalikes=lookalikes, secret=case_account_key(case))
