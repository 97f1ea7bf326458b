"""Adding a person to a case's people table by hand (``investigate person CASE "Full name" --role staff``).

Packs about a member of staff or a learner (``investigate pack CASE lado --person NAME``) and
redaction need the person in the ``people`` table. A people list can be imported whole
(``investigate import CASE people.csv --list people``); :func:`add_person` adds one, audited.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import pandas as pd

from .case import Case
from .errors import InputError
from .loaders import bad_handles
from .schema import PERSON_ROLES
from .words import items, name_key, shown_handles

#: how a person added by hand is numbered when no id is given: P0001, P0002...
_ID = re.compile(r"^P(\d+)$")


def next_person_id(people: pd.DataFrame) -> str:
    """The first ``P`` number after every ``P`` number already in ``people`` (``P0001`` for none).

    >>> next_person_id(pd.DataFrame({"person_id": ["P0002", "WHS-S0104"]}))
    'P0003'
    """
    numbers = [int(m.group(1)) for m in people["person_id"].astype(str).map(_ID.match) if m]
    return f"P{max(numbers, default=0) + 1:04d}"


def person_handles(handles: Sequence[str]) -> str:
    """Typed handles (each an @name, a profile link, or several separated by commas) as the people table
    keeps them: handle keys, comma-separated. Refuses one that is not a username."""
    typed = [h for given in handles for h in items(given, ",;")]
    shown = shown_handles(pd.Series(typed, dtype="string"))
    wrong = [t for t, bad in zip(typed, bad_handles(shown) | shown.eq(""), strict=True) if bad]
    if wrong:
        raise InputError(f"{', '.join(repr(w) for w in wrong)}: not a username (a username has no spaces, "
                         "quotes or < >). Give each handle as the platform shows it, separated by commas.")
    return ",".join(dict.fromkeys(shown.str.casefold()))


def add_person(case: Case, name: str, role: str, *, handles: Sequence[str] = (), person_id: str | None = None,
               year_group: str | None = None, tutor_group: str | None = None,
               who: str | None = None) -> pd.Series:
    """Add one person (learner, staff, parent or other) to the case's people table, audited; returns the row.

    Without ``person_id`` the person gets the next ``P`` number. A name already in the table is refused
    (to add a second person of that name, give them their own ``person_id``), as is an id already used.
    """
    full, given_id = " ".join(str(name).split()), (person_id or "").strip()
    if not full:
        raise InputError("Give the person's full name, e.g. \"Mr Jolyon Brambleshaw\".")
    if role not in PERSON_ROLES:
        raise InputError(f"{role!r} is not a role for a person; choose one of: {', '.join(PERSON_ROLES)}.")
    people = case.table("people")
    if given_id and given_id.casefold() in set(people["person_id"].astype(str).str.casefold()):
        raise InputError(f"The person id {given_id!r} is already used in this case: choose another.")
    same = people[people["name"].map(name_key).eq(name_key(full))]
    if len(same) and not given_id:
        raise InputError(f"{full} is already in the case's people table ({', '.join(same['person_id'].astype(str))}). "
                         "To add another person with the same name, give them their own id with --id.")
    row = pd.Series({"person_id": given_id or next_person_id(people), "name": full, "role": role,
                     "year_group": year_group or None, "tutor_group": tutor_group or None,
                     "handles": person_handles(handles)})
    case.add_rows({"people": row.to_frame().T}, who=who, what="person added",
                  details={"person_id": row["person_id"], "role": role})
    return row
