"""Trust-wide linking: keyed tokens of a case's accounts, compared across schools without pooling them.

Each school turns the accounts of its case that matter (the subject, its copycats, their followers,
the first followers, the top leads) into *tokens*: ``HMAC-SHA256(trust key, platform:handle_key)``
and a second HMAC of the handle's confusable skeleton (:func:`investigate.handles.skeleton`), so
that a lookalike handle in another case collides too. A token file holds tokens and roles, never a
handle, a name or pupil data. Whoever compares files (:func:`match_files`) needs no key and learns
only which tokens two schools share and in which roles; each DSL can then ask which of its own
accounts a token is (:func:`reveal`). A plain or salted hash would not do: the handles worth
guessing are few enough to try them all, so without the key nobody can.

Everything here is pure: frames and dicts in, tokens and dicts out; the case adapter is
:mod:`investigate.link_case`.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

import pandas as pd

from .errors import InvestigateError
from .handles import skeleton
from .leads import EARLY_NEAR, lead_features, rank_leads
from .words import handle_key, ordinal

KEY_BYTES: Final = 32
KEY_FORMAT: Final = "investigate-link-key"
TOKENS_FORMAT: Final = "investigate-link-tokens"
MATCH_FORMAT: Final = "investigate-link-match"
VERSION: Final = 1
#: most tokens a file may hold: enough for a case's lists, too few to be a dictionary of guessed handles
MAX_TOKENS: Final = 5000
TOKEN_HEX: Final = 32  # 128 bits of the HMAC: collisions between different handles never happen in practice
KEY_ID_HEX: Final = 16
MIN_PREFIX: Final = 12  # `link reveal` takes a token or its first 12 hex digits
MIN_SKELETON: Final = 4  # shorter skeletons ("jo", "ab") collide by chance: no lookalike token for them
DEFAULT_TOP: Final = 10
_KEY_LABEL: Final = b"investigate link: key id v1"
_HEX = re.compile(r"^[0-9a-f]+$")


class LinkError(InvestigateError):
    """A trust key, token file or match cannot be used as asked (wrong key, malformed, over the cap)."""


@dataclass(frozen=True)
class Role:
    """A role an account has in a case: its code, its words, and how telling it is (weight)."""

    code: str
    weight: float
    words: str  # "{n}" is replaced by the ordinal when the role has a number


#: the roles a token can carry, most telling first (the weights rank the matches; see MATCH_RANKING)
ROLES: Final[dict[str, Role]] = {r.code: r for r in (
    Role("subject", 10.0, "the subject"),
    Role("copycat", 8.0, "a copycat"),
    Role("lead", 6.0, "the {n} lead for the subject"),
    Role("first_follower", 5.0, "the {n} follower of the subject"),
    Role("copycat_first_follower", 4.0, "the {n} follower of a copycat"),
    Role("follower", 1.0, "a follower of the subject"),
    Role("copycat_follower", 1.0, "a follower of a copycat"),
)}
#: roles so common between any two schools (spam accounts, popular learners, siblings) that a match in
#: them alone on both sides is counted, not listed
WEAK_ROLES: Final = frozenset({"follower", "copycat_follower"})
LOOKALIKE_FACTOR: Final = 0.75

MATCH_RANKING: Final = (
    "Matches are ranked by how telling the two roles are: an account that is itself the subject (10) or a "
    "copycat (8) counts most, then a top lead (6), then one of the first followers of the subject (5) or of a "
    "copycat (4); a plain follower (1) counts least, because spam accounts and popular learners follow "
    "fake accounts everywhere. The best role on each side is added; a lookalike (a handle that looks the "
    "same, not the same handle) counts three quarters. An account in three or more schools' files is said so: "
    "it is more often a spam or popular account than a maker. Matches in which both sides are plain followers are "
    "counted but not listed (--all lists them). A match is a lead for the two DSLs to discuss, not a finding: "
    "it shows that one account (or a lookalike) is in both cases, not who made it."
)


# ------------------------------------------------------------------------------------------- keys
def key_id(key: bytes) -> str:
    """A short name of the key that reveals nothing of it: an HMAC of a fixed label.

    >>> key_id(bytes(32))
    '6d1beec1dbb13e4f'
    """
    return hmac.new(key, _KEY_LABEL, hashlib.sha256).hexdigest()[:KEY_ID_HEX]


def new_key() -> bytes:
    """32 random bytes from the operating system's secure source."""
    return secrets.token_bytes(KEY_BYTES)


def key_file_text(key: bytes, *, officer: str, made_at: str) -> str:
    """The text of a trust key file: JSON naming its holder, when it was made, its key id and the key."""
    if not officer.strip():
        raise LinkError("Say who holds the trust key: --officer \"their name\" (the trust officer named in "
                        "the data-sharing agreement).")
    return json.dumps({"format": KEY_FORMAT, "version": VERSION, "officer": officer.strip(), "made_at": made_at,
                       "key_id": key_id(key), "key": key.hex(),
                       "note": "A trust secret: keep it in this file only (0600), never send it with token files, "
                               "never give it to whoever compares them."}, indent=2) + "\n"


def read_key_file(text: str, *, name: str) -> tuple[bytes, str]:
    """(key, officer) from a key file's text; refuses anything that is not a whole, untouched key file."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        raise LinkError(f"{name} is not a trust key file (it is not the JSON that `investigate link key new` "
                        "writes).") from None
    if not isinstance(data, dict) or data.get("format") != KEY_FORMAT:
        raise LinkError(f"{name} is not a trust key file (field 'format' is not {KEY_FORMAT!r}).")
    raw = data.get("key")
    if not isinstance(raw, str) or len(raw) != 2 * KEY_BYTES or not _HEX.match(raw):
        raise LinkError(f"{name}: field 'key' is not {KEY_BYTES} bytes in hex; the file is damaged.")
    key = bytes.fromhex(raw)
    if data.get("key_id") != key_id(key):
        raise LinkError(f"{name}: field 'key_id' does not belong to the key in the file; the file was changed. "
                        "Ask the trust officer for the key again.")
    officer = data.get("officer")
    if not isinstance(officer, str) or not officer.strip():
        raise LinkError(f"{name}: field 'officer' (who holds the key) is empty.")
    return key, officer


# ------------------------------------------------------------------------------------------ roles
def case_roles(accounts: pd.DataFrame, relationships: pd.DataFrame, interactions: pd.DataFrame,
               posts: pd.DataFrame, people: pd.DataFrame | None = None, *, top: int = DEFAULT_TOP,
               first: int = EARLY_NEAR, followers: bool = True) -> pd.DataFrame:
    """The accounts of a case worth linking, one row per (account, role).

    In: the canonical accounts, relationships, interactions, posts (and people) frames. Out: columns
    platform, handle_key, role (a code of :data:`ROLES`), n (the lead's rank or the follower's place,
    else missing). Subjects and copycats are the accounts marked so; leads are the ``top`` of
    :func:`investigate.leads.rank_leads` for each subject; first followers are the first ``first`` (by
    time or a recorded list order, as the leads count them); ``followers=False`` leaves plain followers
    out (a list of thousands). Raises :class:`LinkError` when no account is marked as the subject.
    """
    if first > EARLY_NEAR:
        raise LinkError(f"First followers are counted up to the {EARLY_NEAR}th (the leads' own limit).")
    roles = accounts["role"].astype("string").str.strip().str.casefold()
    marked = accounts.assign(role=roles)[roles.isin(["subject", "copycat"])]
    if not (marked["role"] == "subject").any():
        raise LinkError("No account in this case is marked as the subject: mark it first "
                        "(investigate account CASE HANDLE --role subject).")
    rows: list[tuple[str, str, str, int | None]] = []
    for account in marked.itertuples(index=False):
        platform, key, role = str(account.platform), str(account.handle_key), str(account.role)
        rows.append((platform, key, role, None))
        prefix = "" if role == "subject" else "copycat_"
        of_it = (relationships["followed"] == key) & (relationships["platform"] == platform)
        follows = relationships[of_it.fillna(False).astype(bool)]
        if followers:
            rows += [(platform, str(f), f"{prefix}follower", None) for f in follows["follower"].dropna().unique()]
        if len(follows):
            features = lead_features(relationships, interactions, posts, accounts, people, subject=key)
            early = features[features["follows_subject"].fillna(False).astype(bool)]
            ranks = early["follower_rank"].astype(float)
            for follower, rank in ranks[ranks <= first].items():
                rows.append((platform, str(follower), f"{prefix}first_follower", int(rank)))
        if role == "subject" and top > 0:
            try:
                leads = rank_leads(relationships, interactions, posts, accounts, people, subject=key, top=top)
            except InvestigateError:  # a subject with nothing around it yet has no leads
                leads = pd.DataFrame(columns=["handle_key", "rank"])
            rows += [(platform, str(k), "lead", int(r)) for k, r in zip(leads["handle_key"], leads["rank"],
                                                                         strict=True)]
    first_of = {(p, k, r.replace("first_", "")) for p, k, r, _ in rows if r.endswith("first_follower")}
    rows = [row for row in rows if row[:3] not in first_of]  # "the 2nd follower" says "a follower" already
    out = pd.DataFrame(rows, columns=["platform", "handle_key", "role", "n"])
    out = out[out["handle_key"].str.len() > 0].astype({"platform": "string", "handle_key": "string",
                                                         "role": "string", "n": "Int64"})
    return out.drop_duplicates(["platform", "handle_key", "role"]).reset_index(drop=True)


# ----------------------------------------------------------------------------------------- tokens
def _mac(key: bytes, text: str) -> str:
    return hmac.new(key, text.encode("utf-8"), hashlib.sha256).hexdigest()[:TOKEN_HEX]


def account_token(key: bytes, platform: str, handle: str) -> str:
    """``HMAC-SHA256(key, platform + ":" + handle_key(handle))``, its first 128 bits in hex."""
    return _mac(key, f"{platform.strip().casefold()}:{handle_key(handle)}")


def lookalike_token(key: bytes, platform: str, handle: str) -> str | None:
    """The HMAC of the handle's confusable skeleton (``None`` when the skeleton is too short to mean much)."""
    shape = skeleton(handle_key(handle))
    if len(shape) < MIN_SKELETON:
        return None
    return _mac(key, f"skeleton:{platform.strip().casefold()}:{shape}")


def token_file(roles: pd.DataFrame, key: bytes, *, school: str, case: str, made_at: str,
               cap: int = MAX_TOKENS) -> dict[str, Any]:
    """The token file of a case (a dict to write as JSON): its school, case reference, time, key id and
    one entry per account (token, lookalike token, roles), sorted by token so the order tells nothing.

    Raises :class:`LinkError` when the accounts are more than ``cap``.
    """
    entries: dict[str, dict[str, Any]] = {}
    for row in roles.itertuples(index=False):
        token = account_token(key, str(row.platform), str(row.handle_key))
        entry = entries.setdefault(token, {"token": token,
                                           "look": lookalike_token(key, str(row.platform), str(row.handle_key)),
                                           "roles": []})
        role: dict[str, Any] = {"role": str(row.role)}
        if not pd.isna(row.n):
            role["n"] = int(row.n)
        entry["roles"].append(role)
    if len(entries) > min(cap, MAX_TOKENS):
        raise LinkError(f"This case has {len(entries):,} accounts to link, more than a token file may hold "
                        f"({min(cap, MAX_TOKENS):,}, so that no file can be a dictionary of guessed handles). "
                        "Export without the plain followers (--without-followers): the subject, copycats, "
                        "leads and first followers remain.")
    for entry in entries.values():
        entry["roles"].sort(key=lambda r: (-ROLES[r["role"]].weight, r.get("n", 0)))
    return {"format": TOKENS_FORMAT, "version": VERSION, "school": school, "case": case, "made_at": made_at,
            "key_id": key_id(key), "cap": MAX_TOKENS, "count": len(entries),
            "tokens": [entries[t] for t in sorted(entries)]}


def token_file_text(content: Mapping[str, Any]) -> str:
    """A token file as text: the header fields one per line, then one token per line (easy to read and
    to compare by eye, small on disk)."""
    head = {k: v for k, v in content.items() if k != "tokens"}
    lines = [f" {json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}," for k, v in head.items()]
    tokens = ",\n".join(f"  {json.dumps(t, ensure_ascii=False, separators=(', ', ': '))}" for t in content["tokens"])
    return "{\n" + "\n".join(lines) + '\n "tokens": [\n' + tokens + ("\n" if tokens else "") + " ]\n}\n"


def role_counts(tokens: Mapping[str, Any]) -> dict[str, int]:
    """How many tokens of a file carry each role (for the audit entry and the summary)."""
    counts: dict[str, int] = {}
    for entry in tokens["tokens"]:
        for role in {r["role"] for r in entry["roles"]}:
            counts[role] = counts.get(role, 0) + 1
    return {code: counts[code] for code in ROLES if code in counts}


def read_token_file(data: bytes, *, name: str) -> dict[str, Any]:
    """A token file's content, checked whole: its format, fields, count within the cap, tokens, roles.

    Raises :class:`LinkError` naming the file and the field (and the entry) that is wrong.
    """
    try:
        content = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise LinkError(f"{name} is not a token file (it is not the JSON that `investigate link export` "
                        "writes).") from None
    if not isinstance(content, dict) or content.get("format") != TOKENS_FORMAT:
        raise LinkError(f"{name} is not a token file (field 'format' is not {TOKENS_FORMAT!r}).")
    if content.get("version") != VERSION:
        raise LinkError(f"{name}: field 'version' is {content.get('version')!r}; this kit reads version {VERSION}.")
    key = content.get("key_id")
    if not isinstance(key, str) or len(key) != KEY_ID_HEX or not _HEX.match(key):
        raise LinkError(f"{name}: field 'key_id' is missing or malformed: the file was not made with a trust key.")
    for field in ("school", "case", "made_at"):
        if not isinstance(content.get(field), str) or not content[field].strip():
            raise LinkError(f"{name}: field {field!r} is missing or empty.")
    tokens = content.get("tokens")
    if not isinstance(tokens, list):
        raise LinkError(f"{name}: field 'tokens' is not a list.")
    if len(tokens) > MAX_TOKENS:
        raise LinkError(f"{name} holds {len(tokens):,} tokens, more than the {MAX_TOKENS:,} a file may hold "
                        "(a file that large could be a dictionary of guessed handles): it is refused.")
    if content.get("count") != len(tokens):
        raise LinkError(f"{name}: field 'count' says {content.get('count')!r} but the file holds {len(tokens)} tokens.")
    seen: set[str] = set()
    for n, entry in enumerate(tokens, start=1):
        _check_entry(entry, f"{name}: token {n}")
        if entry["token"] in seen:
            raise LinkError(f"{name}: token {n} appears twice in the file.")
        seen.add(entry["token"])
    return content


def _check_entry(entry: object, where: str) -> None:
    if not isinstance(entry, dict) or set(entry) != {"token", "look", "roles"}:
        raise LinkError(f"{where} does not have exactly the fields token, look and roles.")
    for field in ("token", "look"):
        value = entry[field]
        if field == "look" and value is None:
            continue
        if not isinstance(value, str) or len(value) != TOKEN_HEX or not _HEX.match(value):
            raise LinkError(f"{where}: field {field!r} is not a token ({TOKEN_HEX} hex digits).")
    roles = entry["roles"]
    if not isinstance(roles, list) or not roles:
        raise LinkError(f"{where}: field 'roles' is empty.")
    for role in roles:
        if not isinstance(role, dict) or role.get("role") not in ROLES or not set(role) <= {"role", "n"}:
            raise LinkError(f"{where}: a role is not one of {', '.join(ROLES)}.")
        if "n" in role and (not isinstance(role["n"], int) or isinstance(role["n"], bool) or role["n"] < 1):
            raise LinkError(f"{where}: a role's 'n' is not a whole number from 1.")


# ------------------------------------------------------------------------------------------ match
def best_role(roles: Sequence[Mapping[str, Any]]) -> Mapping[str, Any]:
    """The most telling of a token's roles (the first placed among equals)."""
    return max(roles, key=lambda r: (ROLES[r["role"]].weight, -r.get("n", 0)))


def role_words(role: Mapping[str, Any]) -> str:
    """A role in words: ``{"role": "lead", "n": 2}`` -> ``'the 2nd lead for the subject'``."""
    words = ROLES[role["role"]].words
    if "{n}" in words:
        return words.format(n=ordinal(int(role["n"]))) if "n" in role else words.replace("the {n}", "one")
    return words


def _side(content: Mapping[str, Any], entry: Mapping[str, Any]) -> dict[str, Any]:
    return {"school": content["school"], "case": content["case"], "token": entry["token"],
            "roles": list(entry["roles"])}


def _score(a: Mapping[str, Any], b: Mapping[str, Any], kind: str) -> float:
    weight = ROLES[best_role(a["roles"])["role"]].weight + ROLES[best_role(b["roles"])["role"]].weight
    return round(weight * (LOOKALIKE_FACTOR if kind == "lookalike" else 1.0), 2)


def _places(link: Mapping[str, Any]) -> int:
    """The places of the two best roles added (a 1st lead before a 9th): ties of score are broken by it."""
    return sum(int(best_role(side["roles"]).get("n", 0)) for side in (link["a"], link["b"]))


def _weak(side: Mapping[str, Any]) -> bool:
    return all(r["role"] in WEAK_ROLES for r in side["roles"])


def describe(link: Mapping[str, Any]) -> str:
    """One match in words, never a handle: ``'The subject of case W-12 (...) is the 2nd follower of the
    subject in case N-04 (...)'``; a lookalike: ``'A lookalike of a copycat in case W-12 ...'``."""
    a, b = link["a"], link["b"]
    first, second = role_words(best_role(a["roles"])), role_words(best_role(b["roles"]))
    where_a, where_b = f"case {a['case']} ({a['school']})", f"case {b['case']} ({b['school']})"
    if link["kind"] == "lookalike":
        text = f"A lookalike of {first} in {where_a} is {second} in {where_b}."
    else:
        text = f"{first[0].upper()}{first[1:]} in {where_a} is {second} in {where_b}."
    more = [f"in {s['case']} also {', '.join(role_words(r) for r in s['roles'] if r is not best_role(s['roles']))}"
            for s in (a, b) if len(s["roles"]) > 1]
    text += f" ({'; '.join(more)}.)" if more else ""
    if link.get("in_files", 2) > 2:  # in many schools' lists at once: more often a spam or popular account
        shown = "This account" if link["kind"] == "same" else "This handle or a lookalike"
        text += f" {shown} is in {link['in_files']} of the {link['of_files']} files compared."
    return text


def match_files(files: Sequence[Mapping[str, Any]], *, all_links: bool = False) -> dict[str, Any]:
    """Which tokens appear in two or more files, and in which roles, ranked by how telling they are.

    In: token files as read by :func:`read_token_file` (two or more, one key id, different cases). Out:
    ``links`` (best first; each with kind ``same`` or ``lookalike``, sides a and b with school, case,
    token and roles, score and words), ``weak`` (how many links were plain followers on both sides and not
    listed, unless ``all_links``) and ``ranking`` (:data:`MATCH_RANKING`). Raises :class:`LinkError` for
    files made with different keys or twice the same case.
    """
    if len(files) < 2:
        raise LinkError("Give two or more token files to compare.")
    ids = {f["key_id"] for f in files}
    if len(ids) > 1:
        raise LinkError(f"The files were made with different trust keys (key ids {', '.join(sorted(ids))}): their "
                        "tokens cannot be compared. Every school must export with the same trust key.")
    cases = [(f["school"], f["case"]) for f in files]
    twice = sorted({c for c in cases if cases.count(c) > 1})
    if twice:
        raise LinkError(f"Case {twice[0][1]} ({twice[0][0]}) is given twice: give each case's file once.")
    by_token: dict[str, list[tuple[int, Mapping[str, Any]]]] = {}
    by_look: dict[str, list[tuple[int, Mapping[str, Any]]]] = {}
    for i, content in enumerate(files):
        for entry in content["tokens"]:
            by_token.setdefault(entry["token"], []).append((i, entry))
            if entry["look"]:
                by_look.setdefault(entry["look"], []).append((i, entry))
    links: list[dict[str, Any]] = []
    for group, kind in ((by_token, "same"), (by_look, "lookalike")):
        for hits in group.values():
            for x, (i, ea) in enumerate(hits):
                for j, eb in hits[x + 1:]:
                    if i == j or (kind == "lookalike" and ea["token"] == eb["token"]):
                        continue  # the same file, or the same account (already a "same" link)
                    a, b = _side(files[i], ea), _side(files[j], eb)
                    if ROLES[best_role(b["roles"])["role"]].weight > ROLES[best_role(a["roles"])["role"]].weight:
                        a, b = b, a  # the more telling side first
                    links.append({"kind": kind, "a": a, "b": b, "score": _score(a, b, kind),
                                  "in_files": len({k for k, _ in hits}), "of_files": len(files)})
    weak = [link for link in links if _weak(link["a"]) and _weak(link["b"])]
    shown = links if all_links else [link for link in links if not (_weak(link["a"]) and _weak(link["b"]))]
    shown.sort(key=lambda link: (-link["score"], link["kind"] != "same", _places(link), link["a"]["case"],
                                 link["b"]["case"], link["a"]["token"], link["b"]["token"]))
    for rank, link in enumerate(shown, start=1):
        link["rank"] = rank
        link["words"] = describe(link)
    return {"links": shown, "weak": 0 if all_links else len(weak), "ranking": MATCH_RANKING}


# ----------------------------------------------------------------------------------------- reveal
def case_handles(accounts: pd.DataFrame, relationships: pd.DataFrame, interactions: pd.DataFrame,
                 posts: pd.DataFrame) -> pd.DataFrame:
    """Every (platform, handle_key) the case's tables hold, role ``in the case`` (for :func:`reveal`:
    a token exported with a larger ``--top`` is still found)."""
    parts = [accounts[["platform", "handle_key"]],
             relationships[["platform", "follower"]].rename(columns={"follower": "handle_key"}),
             relationships[["platform", "followed"]].rename(columns={"followed": "handle_key"}),
             interactions[["platform", "actor"]].rename(columns={"actor": "handle_key"}),
             posts[["platform", "account"]].rename(columns={"account": "handle_key"})]
    out = pd.concat([p.astype("string") for p in parts], ignore_index=True).dropna().drop_duplicates()
    return out.assign(role="in the case", n=pd.array([pd.NA] * len(out), dtype="Int64")).reset_index(drop=True)


def reveal(roles: pd.DataFrame, key: bytes, token: str) -> pd.DataFrame:
    """Which of the case's own accounts a token (or its first :data:`MIN_PREFIX` hex digits) is.

    In: the case's :func:`case_roles` (with :func:`case_handles` beside them), the trust key, the token.
    Out: columns platform, handle_key, role, n, how ("this account" when the account token matches,
    "looks like it" when the lookalike token does), an account's other rows ("in the case") dropped
    where it has a role. Raises :class:`LinkError` for text that is not a token.
    """
    wanted = token.strip().casefold()
    if len(wanted) < MIN_PREFIX or len(wanted) > TOKEN_HEX or not _HEX.match(wanted):
        raise LinkError(f"{token.strip()[:40]!r} is not a token: give the {TOKEN_HEX} hex digits the match "
                        f"shows (or at least the first {MIN_PREFIX}).")
    rows = []
    for row in roles.itertuples(index=False):
        exact = account_token(key, str(row.platform), str(row.handle_key))
        look = lookalike_token(key, str(row.platform), str(row.handle_key))
        how = "this account" if exact.startswith(wanted) else (
            "looks like it" if look and look.startswith(wanted) else "")
        if how:
            rows.append((row.platform, row.handle_key, row.role, row.n, how))
    out = pd.DataFrame(rows, columns=["platform", "handle_key", "role", "n", "how"])
    placed = set(zip(out.loc[out["role"] != "in the case", "platform"], out.loc[out["role"] != "in the case",
                                                                                 "handle_key"], strict=True))
    keep = [(r != "in the case") or ((p, k) not in placed)
            for p, k, r in zip(out["platform"], out["handle_key"], out["role"], strict=True)]
    out = out[pd.Series(keep, index=out.index, dtype=bool)]
    out = out.drop_duplicates(["platform", "handle_key", "role", "n"]).reset_index(drop=True)
    return out.astype({"platform": "string", "handle_key": "string", "role": "string", "n": "Int64",
                       "how": "string"})


def reveal_lines(found: pd.DataFrame) -> list[str]:
    """:func:`reveal`'s rows in words, one line per account: ``'@barnaby_07 (tiktok): this account; the
    1st lead for the subject, a follower of a copycat'`` (for the DSL of the case only)."""
    lines = []
    for (platform, key, how), rows in found.groupby(["platform", "handle_key", "how"], sort=False):
        roles = [str(r) if r not in ROLES else role_words({"role": r} | ({} if pd.isna(n) else {"n": int(n)}))
                 for r, n in zip(rows["role"], rows["n"], strict=True)]
        lines.append(f"@{key} ({platform}): {how}; {', '.join(roles)}")
    return lines
