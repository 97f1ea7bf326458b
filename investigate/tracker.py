"""The report tracker: each report or referral, its route and reference, and what is due next.

A report or referral is a row of the ``actions`` table whose kind is one of :data:`TRACKED`. Its
tracker columns say where it stands: ``drafted_at`` (its pack was drafted), ``sent_at`` (the report
was made), ``answered_at`` (the recipient replied), with the ``route`` and ``reference``. A row logged
without these (in notebook 05's log) counts as made at its ``at`` time.

What is due:

- a platform report: a follow-up 72 hours after it was made (the guidance: allow at least 72 hours);
  Report Harmful Content becomes possible when the platform replies, or 48 hours on without a reply;
- a LADO referral drafted but not made: due within one working day of the draft;
- anything else: its own ``due`` time, if it has one.

Due times are elapsed hours, shown in the case's time zone: across the change between BST and GMT a
report made at 10:00 BST on Friday 24 October 2025 is due at 09:00 GMT on Monday 27 October, which is
72 hours later. :func:`overdue` is the one function the start page and the report's summary call.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from .actions import action_kind
from .dates import read_when
from .errors import CaseError
from .words import show

if TYPE_CHECKING:  # heavy libraries are imported where frames are made: opening a case and `verify` need none
    import pandas as pd

if TYPE_CHECKING:
    from .case import Case

#: action kinds the tracker follows (reports and referrals).
TRACKED: tuple[str, ...] = ("platform_report", "lado", "police", "rhc", "posh", "staff_support", "learner_note")
#: a platform report's follow-up: at least 72 hours after it was made.
FOLLOW_UP = timedelta(hours=72)
#: how long Report Harmful Content (and POSH) expect a platform to have had without replying.
RHC_WAIT = timedelta(hours=48)
#: the columns of :func:`track` (times in the case's zone).
TRACK_COLUMNS: tuple[str, ...] = (
    "action_id", "kind", "label", "what", "platform", "route", "reference", "affected", "status", "stage",
    "drafted_at", "sent_at", "answered_at", "due", "rhc_from", "overdue", "next_step")


def next_working_day(at: pd.Timestamp, zone: str) -> pd.Timestamp:
    """The same local time on the next weekday (Monday to Friday) after ``at``, as UTC.

    Bank holidays are not known to the kit. A local time the clocks skip moves forward; one that
    happens twice takes the earlier.

    >>> import pandas as pd
    >>> next_working_day(pd.Timestamp("2025-10-24 09:00", tz="UTC"), "Europe/London")  # Fri BST -> Mon GMT
    Timestamp('2025-10-27 10:00:00+0000', tz='UTC')
    """
    local = at.tz_convert(zone).tz_localize(None) + timedelta(days=1)
    while local.weekday() >= 5:
        local += timedelta(days=1)
    return local.tz_localize(zone, ambiguous=True, nonexistent="shift_forward").tz_convert("UTC")


#: the columns of :func:`action_states` (times in the case's zone).
STATE_COLUMNS: tuple[str, ...] = (
    "action_id", "kind", "label", "what", "who", "status", "outcome", "platform", "route", "reference", "affected",
    "at", "done_at", "drafted_at", "sent_at", "answered_at", "due", "rhc_from", "stage", "open", "overdue",
    "due_soon", "next_step")
#: how soon an open action counts as "due soon" (the report's amber rows).
DUE_SOON = timedelta(hours=72)


def _said(value: object) -> bool:
    """True for a non-blank text (an outcome that says something)."""
    return isinstance(value, str) and bool(value.strip())


def action_states(actions: pd.DataFrame, *, now: pd.Timestamp, zone: str) -> pd.DataFrame:
    """Every action's state and due time, as one function of its log: the one rule every view shows.

    In: the ``actions`` table (tracker columns included), the time to judge at (UTC) and the case's zone.
    Out: one row per action, oldest done first, with :data:`STATE_COLUMNS`:

    - ``stage``: for a tracked report or referral (:data:`TRACKED`) drafted, sent, answered or closed;
      for any other action open or closed. An action is closed when its status is done or cancelled,
      and a tracked one also when its reply is recorded with an outcome (an outcome closes what it
      answers);
    - ``done_at``: when it was done: a report when it was made, else when its pack was drafted; any
      other action at its own time (``at`` is when it was typed in);
    - ``due``: what is due next: a platform report's follow-up 72 hours after it was made, a drafted
      LADO referral the next working day, else the action's own due time; nothing once the reply
      came or the action is closed;
    - ``open`` (still to do: not closed), ``overdue`` (open, due before ``now``), ``due_soon`` (open, due
      within 72 hours of ``now``); ``next_step`` in words.
    """
    import pandas as pd

    rows = actions.copy()
    for column in ("platform", "route", "reference", "affected", "drafted_at", "sent_at", "answered_at"):
        if column not in rows:
            rows[column] = pd.NA
    for column in ("at", "due", "drafted_at", "sent_at", "answered_at"):
        rows[column] = pd.to_datetime(rows[column], utc=True)
    tracked = rows["kind"].isin(TRACKED)
    status = rows["status"].fillna("open").astype(str).str.casefold()
    logged_as_made = tracked & rows["drafted_at"].isna() & rows["sent_at"].isna()
    sent = rows["sent_at"].where(~logged_as_made, rows["at"])
    answered = rows["answered_at"].where(tracked)
    is_platform = rows["kind"].eq("platform_report")
    due = rows["due"].copy()
    due = due.where(~(is_platform & sent.notna()), sent + FOLLOW_UP)
    lado_draft = rows["kind"].eq("lado") & sent.isna() & rows["drafted_at"].notna()
    if lado_draft.any():
        due[lado_draft] = [next_working_day(t, zone) for t in rows.loc[lado_draft, "drafted_at"]]
    rhc_from = answered.where(answered.notna(), sent + RHC_WAIT).where(is_platform & sent.notna())
    outcome_said = rows["outcome"].map(_said).astype(bool)
    closed = status.isin(["done", "cancelled"]) | (tracked & answered.notna() & outcome_said)
    due = due.where(~closed & answered.isna())
    stage = pd.Series("open", index=rows.index, dtype=object)
    stage[tracked] = "drafted"
    stage[tracked & sent.notna()] = "sent"
    stage[tracked & answered.notna()] = "answered"
    stage[closed] = "closed"
    done_at = sent.where(tracked).fillna(rows["drafted_at"].where(tracked)).fillna(rows["at"])
    is_open = ~closed
    overdue = (is_open & due.notna() & (due < now)).astype(bool)
    due_soon = (is_open & due.notna() & (due >= now) & (due < now + DUE_SOON)).astype(bool)
    out = rows.assign(label=rows["kind"].map(lambda k: action_kind(str(k)).label), sent_at=sent, due=due,
                      answered_at=answered, rhc_from=rhc_from, stage=stage, done_at=done_at,
                      open=is_open.astype(bool), overdue=overdue, due_soon=due_soon)
    for column in ("at", "done_at", "drafted_at", "sent_at", "answered_at", "due", "rhc_from"):
        out[column] = pd.to_datetime(out[column], utc=True).dt.tz_convert(zone)
    out["next_step"] = [_next_step(r, now, zone) for r in out.itertuples(index=False)]
    return out.sort_values(["done_at", "action_id"], kind="stable")[list(STATE_COLUMNS)].reset_index(drop=True)


def track(actions: pd.DataFrame, *, now: pd.Timestamp, zone: str) -> pd.DataFrame:
    """The tracked reports and referrals (actions in, one row each out), oldest first: the rows of
    :func:`action_states` whose kind is in :data:`TRACKED`, with :data:`TRACK_COLUMNS`.

    ``stage`` is drafted, sent, answered or closed (done, cancelled, or answered with an outcome);
    ``due`` the next time something is due, ``rhc_from`` when Report Harmful Content becomes possible
    (platform reports), ``overdue`` True for an open item past its due time without a reply;
    ``next_step`` says what to do, in words. Times are in ``zone``.
    """
    return tracked_of(action_states(actions, now=now, zone=zone))


def tracked_of(states: pd.DataFrame) -> pd.DataFrame:
    """:func:`track`'s rows out of :func:`action_states`'s frame (for a view that holds the states already)."""
    rows = states[states["kind"].isin(TRACKED)]
    return rows.sort_values(["at", "action_id"], kind="stable")[list(TRACK_COLUMNS)].reset_index(drop=True)


def _next_step(row: Any, now: pd.Timestamp, zone: str) -> str:
    """What to do next for one action, in plain words."""
    import pandas as pd

    kind, stage, due = row.kind, row.stage, row.due
    late = bool(row.overdue)
    when = show(due, zone=zone, weekday=True)
    outcome = str(row.outcome).strip() if _said(row.outcome) else ""
    if stage == "closed":
        text = f"Closed ({outcome.rstrip('.')})." if outcome else "Closed."
        if kind == "platform_report" and pd.notna(row.answered_at):
            text += " If the reply does not resolve the matter, Report Harmful Content or POSH can help."
        return text
    if stage == "open":
        if late:
            return f"Due {when}: OVERDUE."
        return f"Due {when}." if when else "Open."
    if stage == "drafted":
        if kind == "lado":
            return (f"Refer to the LADO by {when} (within one working day)" + (": OVERDUE." if late else "."))
        return "Pack drafted: complete the gaps, send it, then record the date and reference."
    if stage == "answered":
        return "Reply received: record the outcome; if it does not resolve the matter, Report Harmful Content " \
               "or POSH can help." if kind == "platform_report" else "Reply received: record the outcome."
    if kind == "platform_report":
        rhc = row.rhc_from
        text = f"Follow up with the platform {'now (due ' + when + ')' if late else 'at ' + when}"
        if pd.notna(rhc) and rhc <= now:
            text += "; Report Harmful Content and POSH can be used now (no reply in 48 hours)"
        return text + "."
    if late:
        return f"Due {when}: OVERDUE."
    return f"Due {when}." if when else "Made: record the reply when it comes."


def overdue(case: Case, now: pd.Timestamp | None = None) -> pd.DataFrame:
    """The case's overdue items, most overdue first, to lead the start page and the report's summary
    (:func:`overdue_actions` over the case's actions, now by default)."""
    import pandas as pd

    stamp = now if now is not None else pd.Timestamp.now(tz="UTC")
    return overdue_actions(case.table("actions"), now=stamp, zone=case.timezone)


def overdue_actions(actions: pd.DataFrame, *, now: pd.Timestamp, zone: str) -> pd.DataFrame:
    """Every open action past its due time, most overdue first: the rows of :func:`action_states` marked
    overdue, which the start page, notebook 05, the report and the export all show.

    Out: columns action_id, label, what, reference, due (in ``zone``), next_step.
    """
    states = action_states(actions, now=now, zone=zone)
    late = states[states["overdue"]]
    columns = ["action_id", "label", "what", "reference", "due", "next_step"]
    return late.sort_values("due", kind="stable")[columns].reset_index(drop=True)


def with_overdue(actions: pd.DataFrame, *, now: pd.Timestamp, zone: str) -> pd.DataFrame:
    """The ``actions`` table with :func:`action_states`'s ``overdue`` (and ``open``, ``stage``,
    ``done_at``, the computed ``due``) beside its own columns, in the table's order."""
    import pandas as pd

    states = action_states(actions, now=now, zone=zone).set_index("action_id")
    out = actions.copy()
    ids = out["action_id"]
    for column in ("stage", "open", "overdue", "due_soon", "done_at", "next_step", "due"):
        out[column] = pd.Series(states[column].reindex(ids).array, index=out.index)
    out["due"] = pd.to_datetime(out["due"], utc=True)
    out["done_at"] = pd.to_datetime(out["done_at"], utc=True)
    for column in ("open", "overdue", "due_soon"):
        out[column] = out[column].astype(bool)
    return out


def record_sent(case: Case, action_id: int, *, at: object, reference: str | None = None,
                route: str | None = None, who: str | None = None) -> None:
    """Record that a tracked report was made (``at``: a typed time in the case's zone), with its reference."""
    sent = read_when(at, case.timezone, what="when it was made")
    kind = _kind_of(case, action_id)
    due = sent + FOLLOW_UP if kind == "platform_report" else None
    tracker = {"sent_at": sent} | ({"reference": reference} if reference else {}) | ({"route": route} if route else {})
    case.update_action(action_id, due=due, tracker=tracker, recorded_by=who)


def record_answered(case: Case, action_id: int, *, at: object, outcome: str | None = None,
                    who: str | None = None) -> None:
    """Record the recipient's reply to a tracked report (``at``: a typed time in the case's zone)."""
    answered = read_when(at, case.timezone, what="when the reply came")
    _kind_of(case, action_id)
    case.update_action(action_id, outcome=outcome, tracker={"answered_at": answered}, recorded_by=who)


def _kind_of(case: Case, action_id: int) -> str:
    actions = case.table("actions")
    row = actions[actions["action_id"].eq(action_id)]
    if row.empty:
        raise CaseError(f"There is no action number {action_id} in this case.")
    return str(row["kind"].iloc[0])
