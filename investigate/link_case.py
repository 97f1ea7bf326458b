"""Trust-wide linking over open cases and files: the trust key file, exporting a case's tokens,
matching token files, revealing a token, each audited (the logic is :mod:`investigate.link`)."""

from __future__ import annotations

import hashlib
import json
import os
import stat
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import link
from .errors import InvestigateError

if TYPE_CHECKING:
    import pandas as pd

    from .case import Case


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def _iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def _write_new(path: Path, text: str) -> str:
    """Write ``text`` to a new file (0600; an existing file is never overwritten); its SHA-256."""
    data = text.encode("utf-8")
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise InvestigateError(f"{path} already exists: choose a new file name (nothing was overwritten).") from None
    with os.fdopen(fd, "wb") as out:
        out.write(data)
    return hashlib.sha256(data).hexdigest()


def new_key_file(path: str | Path, *, officer: str) -> tuple[Path, str]:
    """Make a trust key in a new 0600 file naming its holder; returns (path, key id)."""
    key = link.new_key()
    target = Path(path)
    _write_new(target, link.key_file_text(key, officer=officer, made_at=_iso(_now())))
    return target, link.key_id(key)


def load_key(path: str | Path) -> tuple[bytes, str]:
    """(key, officer) from a key file; refuses a missing file or one others can read."""
    source = Path(path)
    if not source.is_file():
        raise link.LinkError(f"{source}: no such trust key file (the trust officer makes one with "
                             "`investigate link key new -o KEYFILE --officer NAME`).")
    if os.name == "posix" and stat.S_IMODE(source.stat().st_mode) & 0o077:
        raise link.LinkError(f"{source} can be read by other users: a trust key must be private. "
                             f"Make it so (chmod 600 {source}) and ask the trust officer whether it was copied.")
    return link.read_key_file(source.read_text(encoding="utf-8", errors="replace"), name=source.name)


def roles_of(case: Case, *, top: int = link.DEFAULT_TOP, followers: bool = True) -> pd.DataFrame:
    """:func:`investigate.link.case_roles` over the case's tables."""
    return link.case_roles(case.table("accounts"), case.table("relationships"), case.table("interactions"),
                           case.table("posts"), case.table("people"), top=top, followers=followers)


def _school(case: Case, school: str | None) -> str:
    """The school the token file says it comes from: as given, else the case's (never its title, which
    often names the person impersonated)."""
    if school and school.strip():
        return school.strip()
    schools = [str(s).strip() for s in case.config.get("school") or [] if str(s).strip()]
    if not schools:
        raise link.LinkError("The case records no school, and a token file must say which school it comes from: "
                             "add --school \"the school's name\".")
    return " / ".join(schools)


def export_tokens(case: Case, key_path: str | Path, *, output: str | Path | None = None,
                  top: int = link.DEFAULT_TOP, followers: bool = True, school: str | None = None,
                  who: str | None = None) -> tuple[Path, dict[str, Any]]:
    """Write the case's token file (default: a new file in its exports folder) and audit it. ``school``:
    the school the file says it comes from (default: the case's school or schools)."""
    from .case import private_dir

    key, _ = load_key(key_path)
    named = _school(case, school)
    moment = _now()
    reference = str(case.config.get("reference", ""))
    content = link.token_file(roles_of(case, top=top, followers=followers), key, school=named, case=reference,
                              made_at=_iso(moment))
    if output is None:
        safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in reference) or "case"
        target = private_dir(case.exports_dir) / f"link-{safe}-{moment:%Y%m%d-%H%M%S}.tokens.json"
    else:
        target = Path(output)
    digest = _write_new(target, link.token_file_text(content))
    details = {"file": str(target.resolve()), "sha256": digest, "key_id": content["key_id"], "tokens": content["count"],
               "roles": link.role_counts(content), "top": top, "followers": followers, "cap": link.MAX_TOKENS}
    with case.transaction(who=who, what="link tokens exported", details=details):
        pass
    return target, content


def read_tokens(path: str | Path) -> tuple[dict[str, Any], str]:
    """A token file's checked content and its SHA-256."""
    source = Path(path)
    if not source.is_file():
        raise link.LinkError(f"{source}: no such token file.")
    if source.stat().st_size > 4 * 1024 * 1024:  # the cap's tokens take well under 1 MB
        raise link.LinkError(f"{source.name} is too large to be a token file within the cap of "
                             f"{link.MAX_TOKENS:,} tokens: it is refused.")
    data = source.read_bytes()
    return link.read_token_file(data, name=source.name), hashlib.sha256(data).hexdigest()


def match_tokens(paths: Sequence[str | Path], *, output: str | Path | None = None, cases: Sequence[str | Path] = (),
                 all_links: bool = False, who: str | None = None) -> tuple[Path, dict[str, Any]]:
    """Compare token files, write the match file (default: a new file here) and, for each case given
    in ``cases`` (folders the runner holds), an audit entry with the matches that concern it."""
    read = [(Path(p), *read_tokens(p)) for p in paths]
    result = link.match_files([content for _, content, _ in read], all_links=all_links)
    moment = _now()
    compared = [{"file": path.name, "sha256": digest, "school": content["school"], "case": content["case"],
                 "made_at": content["made_at"], "tokens": content["count"]} for path, content, digest in read]
    held = _held(cases, compared)
    match = {"format": link.MATCH_FORMAT, "version": link.VERSION, "made_at": _iso(moment),
             "key_id": read[0][1]["key_id"], "compared": compared, **result}
    target = Path(output) if output is not None else Path.cwd() / f"link-match-{moment:%Y%m%d-%H%M%S}.json"
    digest = _write_new(target, json.dumps(match, indent=1, ensure_ascii=False) + "\n")
    _record(held, target, digest, compared, result, who=who)
    return target, match


def _held(folders: Sequence[str | Path], compared: Sequence[dict[str, Any]]) -> list[tuple[Case, str]]:
    """The cases the runner holds, each among those compared (else refused, before anything is written)."""
    from .case import Case

    held = []
    for folder in folders:
        case = Case.open(folder)
        reference = str(case.config.get("reference", ""))
        if reference not in {c["case"] for c in compared}:
            raise link.LinkError(f"The case in {folder} ({reference}) has no token file among those compared: "
                                 "give its file too, or leave --case out for it.")
        held.append((case, reference))
    return held


def _record(held: Sequence[tuple[Case, str]], target: Path, digest: str, compared: Sequence[dict[str, Any]],
            result: dict[str, Any], *, who: str | None, what: str = "link match") -> None:
    """One audit entry per held case: the match file, what was compared, the matches that concern it."""
    for case, reference in held:
        mine = [{"rank": lk["rank"], "kind": lk["kind"], "words": lk["words"], "score": lk["score"],
                 "token": next(s["token"] for s in (lk["a"], lk["b"]) if s["case"] == reference),
                 "other_case": next(s["case"] for s in (lk["b"], lk["a"]) if s["case"] != reference)}
                for lk in result["links"] if reference in (lk["a"]["case"], lk["b"]["case"])]
        details = {"match_file": str(target.resolve()), "sha256": digest, "compared": compared, "links": mine}
        with case.transaction(who=who, what=what, details=details):
            pass


def reveal_token(case: Case, token: str, key_path: str | Path, *, who: str | None = None) -> pd.DataFrame:
    """Which of the case's accounts a token is (:func:`investigate.link.reveal`), audited."""
    key, _ = load_key(key_path)
    import pandas as pd

    everyone = link.case_handles(case.table("accounts"), case.table("relationships"), case.table("interactions"),
                                 case.table("posts"))
    found = link.reveal(pd.concat([roles_of(case), everyone], ignore_index=True), key, token)
    details = {"token": token.strip().casefold(), "key_id": link.key_id(key), "found": len(found),
               "accounts": sorted(set(found["handle_key"].astype(str)))}
    with case.transaction(who=who, what="link token revealed", details=details):
        pass
    return found


# ---------------------------------------------------------------- private set intersection (optional)
def _read_json(path: str | Path, what: str) -> tuple[Any, str]:
    source = Path(path)
    if not source.is_file():
        raise link.LinkError(f"{source}: no such {what}.")
    if source.stat().st_size > 64 * 1024 * 1024:
        raise link.LinkError(f"{source.name} is too large to be a {what}.")
    data = source.read_bytes()
    try:
        return json.loads(data.decode("utf-8")), hashlib.sha256(data).hexdigest()
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise link.LinkError(f"{source.name} is not a {what} (it is not JSON).") from None


def psi_ask(tokens: str | Path, output: str | Path) -> tuple[Path, Path, dict[str, Any]]:
    """Write school B's ask and, beside it, its one-off secret (``ASK.secret``, 0600, never sent)."""
    from . import link_psi

    content, _ = read_tokens(tokens)
    asked, secret = link_psi.ask(content)
    target = Path(output)
    secret_path = target.with_name(target.name + ".secret")
    if secret_path.exists():
        raise InvestigateError(f"{secret_path} already exists: choose a new file name (nothing was overwritten).")
    _write_new(target, json.dumps(asked) + "\n")
    _write_new(secret_path, json.dumps({"format": "investigate-link-psi-secret", "ask": target.name,
                                        "secret": secret.hex()}) + "\n")
    return target, secret_path, asked


def psi_answer(tokens: str | Path, ask_path: str | Path, output: str | Path) -> tuple[Path, dict[str, Any]]:
    """Write school A's answer to an ask."""
    from . import link_psi

    content, _ = read_tokens(tokens)
    asked, digest = _read_json(ask_path, "PSI ask")
    answered = link_psi.answer(content, asked, ask_sha256=digest, name=Path(ask_path).name)
    target = Path(output)
    _write_new(target, json.dumps(answered) + "\n")
    return target, answered


def psi_finish(tokens: str | Path, ask_path: str | Path, answer_path: str | Path, *,
               output: str | Path | None = None, cases: Sequence[str | Path] = (), all_links: bool = False,
               who: str | None = None) -> tuple[Path, dict[str, Any]]:
    """School B: which of its tokens are in A's file; writes the match file and audits it in ``cases``."""
    from . import link_psi

    content, tokens_digest = read_tokens(tokens)
    ask_path = Path(ask_path)
    _, ask_digest = _read_json(ask_path, "PSI ask")
    secret_path = ask_path.with_name(ask_path.name + ".secret")
    kept, _ = _read_json(secret_path, "PSI secret (made with the ask)")
    try:
        secret = bytes.fromhex(str(kept["secret"]))
    except (KeyError, TypeError, ValueError):
        raise link.LinkError(f"{secret_path.name}: field 'secret' is damaged.") from None
    answered, answer_digest = _read_json(answer_path, "PSI answer")
    result = link_psi.finish(content, answered, secret, ask_sha256=ask_digest, all_links=all_links,
                             name=Path(answer_path).name)
    compared = [{"file": Path(tokens).name, "sha256": tokens_digest, "school": content["school"],
                 "case": content["case"], "made_at": content["made_at"], "tokens": content["count"]},
                {"file": Path(answer_path).name, "sha256": answer_digest, "school": answered["school"],
                 "case": answered["case"], "made_at": "", "tokens": None}]
    held = _held(cases, compared[:1])
    moment = _now()
    match = {"format": link.MATCH_FORMAT, "version": link.VERSION, "made_at": _iso(moment), "method": "psi",
             "key_id": content["key_id"], "compared": compared, **result}
    target = Path(output) if output is not None else Path.cwd() / f"link-psi-{moment:%Y%m%d-%H%M%S}.json"
    digest = _write_new(target, json.dumps(match, indent=1, ensure_ascii=False) + "\n")
    _record(held, target, digest, compared, result, who=who, what="link match (private set intersection)")
    return target, match
