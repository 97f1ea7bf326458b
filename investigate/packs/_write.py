"""Building and writing referral packs, and recording each draft in the tracker (see :mod:`investigate.packs`)."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import pandas as pd

from ..case import private_dir, write_error, write_private
from ..errors import NobodyChosenError, PackError
from ..schema import known_platform
from . import PACK_KINDS
from ._facts import CaseFacts, add_person_hint, creator_decisions, find_person, gather, reported_accounts
from ._model import Gap, Pack, map_text
from .kinds import lado_pack, learner_pack, marking, platform_pack, police_pack, rhc_pack, staff_pack
from .redaction import pack_redactor
from .render import to_html, write_docx

if TYPE_CHECKING:
    from ..case import Case

log = logging.getLogger("investigate")

PackKind = Literal["lado", "police", "platform", "rhc", "staff", "learner"]
#: the tracker's action kind for each pack.
ACTION_OF: dict[str, str] = {"lado": "lado", "police": "police", "platform": "platform_report", "rhc": "rhc",
                             "staff": "staff_support", "learner": "learner_note"}
SCHOOL = "school"  # the tracker's ``affected`` for the school's own name and logo


def _recorded(facts: CaseFacts, kind: str) -> list[str]:
    """Who earlier drafts (or tracked reports) of this kind of pack were about (the tracker's ``affected``);
    never those of another kind: a police pack does not take on the school of a platform report."""
    acts = facts.tables["actions"]
    acts = acts[acts["kind"].eq(ACTION_OF[kind])]
    return list(dict.fromkeys(acts["affected"].dropna().astype(str)))


def _about(facts: CaseFacts, kind: str, people: list[str], school: bool) -> tuple[list[pd.Series], bool]:
    """The people the packs are about (given, else those of earlier drafts), and whether the school is."""
    table = facts.tables["people"]
    role = {"lado": "staff", "staff": "staff", "learner": "learner"}.get(kind)
    if not people and not school:
        recorded = _recorded(facts, kind)
        school = SCHOOL in recorded and kind in ("platform", "police")
        people = [r for r in recorded if r != SCHOOL]
        if kind == "learner" and not people:
            people = list(creator_decisions(facts.tables["findings"], table)["person_id"].astype(str))
    chosen = [find_person(table, p, role=role) for p in dict.fromkeys(people)]
    if kind in ("lado", "staff", "learner", "platform") and not chosen and not school:
        raise NobodyChosenError(_who_message(kind, table))
    return chosen, school


def _who_message(kind: str, people: pd.DataFrame) -> str:
    if kind == "learner":
        return ("A note for a learner's file is written only where the case records a decision, with reasons, "
                "naming the learner who made the account (a findings entry, section 'decision').")
    role = "staff" if kind in ("lado", "staff") else None
    pool = people if role is None else people[people["role"].astype("string").str.casefold().eq(role).fillna(False)]
    names = "; ".join(f"{p.person_id} {p.name}" for p in pool.head(40).itertuples(index=False))
    extra = " (or --school for the school's name and logo)" if kind == "platform" else ""
    return (f"Say who the {kind} pack is about: --person with a person id or full name{extra}. "
            + (f"{'Staff' if role else 'People'} in this case: {names}." if names else
               f"The case has no {'staff' if role else 'people'} yet. " + add_person_hint(role=role)))


def build_packs(case: Case, kind: PackKind | str, *, people: list[str] | tuple[str, ...] = (),
                platform: str | None = None, school: bool = False, redact: bool = False,
                now: pd.Timestamp | None = None) -> list[Pack]:
    """The packs of ``kind`` for this case: one per member of staff (lado, staff), per platform and person or
    the school (platform), per learner with a recorded decision (learner), one for police and for rhc.

    ``people`` names who the packs are about (person ids or full names); without it (and without
    ``school``), those of earlier drafts of the same kind. ``school``: a platform pack about the school's
    name and logo, or a police report about the school. Nothing is written.
    """
    if kind not in PACK_KINDS:
        raise PackError(f"There is no {kind!r} pack. Packs: {', '.join(PACK_KINDS)}.")
    platform = known_platform(platform) if platform else None
    facts = gather(case, now=now)
    if kind == "rhc":
        packs = [rhc_pack(facts)]
    else:
        chosen, school = _about(facts, kind, list(people), school)
        if kind == "police":
            packs = [police_pack(facts, chosen, school=school)]
        elif kind == "platform":
            platforms = [platform] if platform else list(dict.fromkeys(
                reported_accounts(facts.tables["accounts"])["platform"].dropna().astype(str)))
            if not platforms:
                raise PackError("No account is marked as the fake account (subject) or a lookalike (copycat): mark "
                                "one first (notebook 01, or investigate account), so the pack knows what to report.")
            about: list[pd.Series | None] = [*chosen, *([None] if school else [])]
            packs = [platform_pack(facts, name, person) for name in platforms for person in about]
        else:
            builder = {"lado": lado_pack, "staff": staff_pack, "learner": learner_pack}[kind]
            packs = [builder(facts, person) for person in chosen]
    if not redact:
        return packs
    hide = pack_redactor(case, True, facts.view)
    line = marking(facts.config, redacted=True)
    return [replace(map_text(p, hide), redacted=True, marking=line) for p in packs]


def file_stem(pack: Pack) -> str:
    """A file name stem for a pack: its kind, platform and who it is about (a pseudonym when redacted).

    >>> file_stem(Pack("lado", "t", "r", "Staff A (staff)", "m", True, (), affected="S1"))
    'pack-lado-staff-a-staff-redacted'
    """
    who = "" if not pack.affected else SCHOOL if pack.affected == SCHOOL else pack.about if pack.redacted \
        else pack.affected
    parts = ["pack", pack.kind, pack.platform or "", who, "redacted" if pack.redacted else "internal"]
    return re.sub(r"[^a-z0-9]+", "-", "-".join(p for p in parts if p).casefold()).strip("-")


def write_packs(case: Case, kind: PackKind | str, *, people: list[str] | tuple[str, ...] = (),
                platform: str | None = None, school: bool = False, redact: bool = False,
                output: str | Path | None = None, now: pd.Timestamp | None = None,
                who: str | None = None) -> list[Path]:
    """Write the packs of ``kind`` (HTML and DOCX each into the case's exports folder, or one ``output`` file
    ending .html or .docx), record each as drafted in the tracker, and return the files written."""
    packs = build_packs(case, kind, people=people, platform=platform, school=school, redact=redact, now=now)
    stamp = (now if now is not None else pd.Timestamp.now(tz="UTC")).tz_convert(case.timezone)
    if output is not None:
        target = Path(output)
        if len(packs) != 1:
            raise PackError(f"This makes {len(packs)} packs, so they cannot all go into {target.name}: leave out "
                            "-o (they go into the case's exports folder), or say which one with --person/--platform.")
        if target.suffix.casefold() not in (".html", ".htm", ".docx"):
            raise PackError(f"{target.name}: a pack is written as .html or .docx; end the file name with one.")
        inside = target.parent.resolve() == case.exports_dir.resolve()  # then written through the case too
        jobs: list[tuple[Pack, Path | str]] = [(packs[0], target.name if inside else target)]
    else:  # into exports/, through the case: unique names (two packs in one minute both stay), hashed, audited
        jobs = [(p, f"{file_stem(p)}-{stamp:%Y%m%d-%H%M}{suffix}") for p in packs for suffix in (".html", ".docx")]
    _record_drafts(case, kind, packs, who=who, now=stamp)
    written: list[Path] = []
    details = {"kind": kind, "redacted": redact, "files": [], "gaps": sum(len(p.gaps()) for p in packs)}
    with case.transaction(who=who, what="pack written", details=details) as conn:
        for pack, place in jobs:
            word = str(place).casefold().endswith(".docx")
            if isinstance(place, Path):  # -o FILE: where it was asked for, its SHA-256 recorded
                try:
                    if word:
                        write_docx(pack, place)
                    else:
                        private_dir(place.parent)
                        write_private(place, to_html(pack))
                except OSError as exc:
                    raise write_error(exc, place.parent, f"The pack {place.name}") from None
                case.record_output(conn, place)
                written.append(place)
            else:
                data: Callable[[Path], Any] | str = (lambda path, pack=pack: write_docx(pack, path)) if word \
                    else to_html(pack)
                written.append(case.write_output(conn, place, data))
        details["files"] = [p.name for p in written]
    log.info("packs: wrote %d file(s) for %d %s pack(s)", len(written), len(packs), kind)
    return written


def _record_drafts(case: Case, kind: str, packs: list[Pack], *, who: str | None, now: pd.Timestamp) -> None:
    """Add a tracker row (drafted) for each pack that has none yet."""
    acts = case.table("actions")
    action = ACTION_OF[kind]
    for pack in packs:
        affected, where = pack.affected, pack.platform
        same = acts["kind"].eq(action)
        same &= acts["affected"].astype("string").eq(affected).fillna(False) if affected else acts["affected"].isna()
        same &= (acts["platform"].astype("string").str.casefold().eq(where.casefold()).fillna(False)
                 if where else acts["platform"].isna())
        if same.any():
            continue
        about = "the school" if affected == SCHOOL else pack.about or "the case"  # a name, never an id
        case.add_action(kind=action, what=f"{pack.title} about {about}", who=who or "",  # its state: the tracker's
                        at=now, recorded_by=who, tracker={"affected": affected, "platform": where,
                                                          "drafted_at": now})


__all__ = ["ACTION_OF", "PACK_KINDS", "Gap", "Pack", "build_packs", "file_stem", "map_text", "pack_redactor", "to_html",
           "write_docx", "write_packs"]
