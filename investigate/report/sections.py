"""The report's sections: each takes a :class:`ReportContext` and returns escaped :class:`Html`.

The report notebook (``report.ipynb``) calls :func:`prepare` once, then one section per cell. The
analysis always runs on the real case (:func:`investigate.overview.subject_overview`, the same call
notebook 03 makes); with ``redact=True`` only what is shown is redacted, through ``ctx.names``
(:class:`~investigate.report.naming.ReportNames`): every account name, every text, every figure label.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from .. import __version__
from ..actions import action_kind
from ..case import Case
from ..findings import SECTION_TITLES, findings_record
from ..handles import marked_note
from ..html import Html, breakable, bullets, count, definition_list, esc, figure, format_time, join, para, table, tag
from ..leads import LEADS_STATEMENT
from ..overview import LABELLED_LEADS, SubjectOverview
from ..plain import GLOSSARY, kind_words, reason_points, reason_rows
from ..seal import current_seal
from ..view import TABLES as TABLES
from ..view import CaseView
from .captures import captures_appendix
from .naming import ReportNames, case_names

log = logging.getLogger("investigate")

#: how many leads the leads section lists per subject (the summary shows three).
TOP_LEADS = 10
#: how many rows the long tables show at most.
MAX_ROWS = 1000
#: how to read the "Who follows which account" chart (an UpSet chart), under it in the report
UPSET_HOW_TO_READ = ("How to read 'Who follows which account': each bar counts the followers of exactly the "
                     "accounts marked with a filled dot beneath it (a line joins the dots of several accounts). "
                     "A tall bar over several joined dots means many people follow all of those accounts.")
_PLOTLY_ID = re.compile(r'<div id="([^"]+)" class="plotly-graph-div"')


@dataclass
class ReportContext:
    """Everything the sections need: the case, its real tables, settings, and how names are shown."""

    case: Case
    redact: bool
    names: ReportNames
    tables: dict[str, pd.DataFrame]
    subjects: list[str]  # handle keys, real
    now: pd.Timestamp
    zone: str
    config: dict[str, Any]
    view: CaseView
    cache: dict[str, Any] = field(default_factory=dict)
    figures: dict[str, Any] = field(default_factory=dict)  # plotly div id -> figure (for the Word file)

    def time(self, value: object, precision: object = "exact") -> str:
        return format_time(value, self.zone, precision=precision)

    def shown(self, key: object) -> str:
        """A handle key as the report names it ("@Handle", or its pseudonym when redacted)."""
        return self.names.account(key)

    def text(self, value: object) -> Any:
        """A text as the report shows it (redacted when the report is)."""
        return self.names.text(value)

    def table(self, df: pd.DataFrame, **options: Any) -> Html:
        """:func:`investigate.html.table` in the case's zone, with every text shown through :meth:`text`."""
        return table(df, zone=self.zone, text=self.text, **options)

    def figure(self, fig: Any, *, height: int) -> Html:
        """:func:`investigate.html.figure`, remembering the figure by its div id (the Word file draws it)."""
        out = figure(fig, height=height)
        found = _PLOTLY_ID.search(out.html)
        if found:
            self.figures[found.group(1)] = fig
        return out

    def overview(self, key: str) -> SubjectOverview:
        """The subject overview of one subject account (the case view's, computed once)."""
        return self.view.overview(key)


# ---------------------------------------------------------------------------- preparation
def prepare(case_dir: str | Path, *, redact: bool = False, accounts: list[str] | str | None = None,
            now: pd.Timestamp | None = None) -> ReportContext:
    """Open the case and read its tables; with ``redact``, set up the pseudonyms the report shows.

    ``accounts`` names the subject accounts (handles); by default every account whose role is
    ``subject``. Nothing is redacted here: the analysis runs on the real case.
    """
    case = Case.open(case_dir)
    view = CaseView.of(case, now=now, accounts=accounts)  # every table as at one moment
    frames, subjects = view.tables, view.subjects
    ctx = ReportContext(case=case, redact=redact, names=case_names(case, view, redact=redact), tables=frames,
                        subjects=subjects, now=view.now, zone=view.zone, config=dict(view.config), view=view)
    if redact:
        for key in ("title", "analyst", "reference"):
            if key in ctx.config:
                ctx.config[key] = ctx.text(str(ctx.config[key]))
        ctx.config["school"] = [ctx.text(str(s)) for s in ctx.config.get("school", []) or []]
    log.info("report: prepared %s (%s), %d subject account(s)", case.path, "redacted" if redact else
             "not redacted", len(subjects))
    return ctx


# ---------------------------------------------------------------------------- helpers
def _actions(ctx: ReportContext) -> pd.DataFrame:
    """Every action's state and due time (:func:`investigate.tracker.action_states`, the one rule the
    tracker, the start page, notebook 05, the packs and the export show too), oldest done first;
    ``at`` is when each was done."""
    if "actions" not in ctx.cache:
        states = ctx.view.states()
        ctx.cache["actions"] = states.assign(at=states["done_at"])
    return ctx.cache["actions"]


def _takedowns(ctx: ReportContext) -> pd.DataFrame:
    events = ctx.tables["events"]
    kind = events["kind"].astype("string").fillna("")
    from ..chronology import MARKER_KINDS

    return events[kind.str.contains(MARKER_KINDS["takedown"]).fillna(False)]


def _reasons(reasons: Iterable[object] | None) -> list[str]:
    """A lead's reasons (a list of sentences, or an array of them once stored) as a list."""
    return [] if reasons is None or isinstance(reasons, str) else [str(r) for r in reasons]


def _verify(ctx: ReportContext) -> Any:
    if "verify" not in ctx.cache:
        from ..evidence import verify

        ctx.cache["verify"] = verify(ctx.case)
    return ctx.cache["verify"]


# ---------------------------------------------------------------------------- header and summary
def marking_text(ctx: ReportContext) -> str:
    """The classification marking, and whether the report is redacted."""
    text = str(ctx.config.get("classification") or "OFFICIAL-SENSITIVE")
    extra = "REDACTED: people replaced by pseudonyms" if ctx.redact else "NOT REDACTED: contains personal data"
    return f"{text} · {extra}"


def marking(ctx: ReportContext, *, foot: bool = False) -> Html:
    """The classification marking (printed, it repeats at the top and the foot of every page)."""
    return tag("div", marking_text(ctx), cls="inv-marking inv-marking-foot" if foot else "inv-marking")


def header(ctx: ReportContext) -> Html:
    """The case header: title, reference, school(s), analyst, date written, version."""
    cfg = ctx.config
    schools = [str(s) for s in cfg.get("school", []) if s]
    facts = {
        "Case reference": cfg.get("reference", ""),
        "Schools" if len(schools) > 1 else "School": ", ".join(schools) or "not recorded",
        "Analyst": cfg.get("analyst", ""),
        "Report written": f"{ctx.time(ctx.now)} (times in {ctx.zone})",
        "Seal of the case": str(current_seal(ctx.case)),  # see investigate.seal: check with verify --seal
        "Version": ("Redacted (pseudonyms)" if ctx.redact else "Internal (names shown)")
                   + f", investigate {__version__}",
    }
    return marking(ctx) + tag("h1", cfg.get("title", "Case report"), cls="inv-title") + definition_list(facts)


def _status(ctx: ReportContext) -> str:
    status = str(ctx.config.get("status") or "open")
    taken = _takedowns(ctx)
    subjects = ", ".join(ctx.shown(k) for k in ctx.subjects) or "no subject account marked"
    if len(taken):
        when = ctx.time(taken["at"].max(), taken.sort_values("at")["precision"].iloc[-1])
        said = str(ctx.text(str(taken.sort_values("at")["summary"].iloc[-1]))).strip().rstrip(".")
        down = f"a takedown was recorded on {when} ({said})"
    else:
        down = "no takedown is recorded: the account may still be up"
        states = ctx.view.states()
        replies = states[states["kind"].eq("platform_report") & states["answered_at"].notna()
                         & states["outcome"].astype("string").str.strip().fillna("").ne("")]
        if len(replies):  # what the platform said, as recorded: never read as a takedown (it is free text)
            last = replies.sort_values("answered_at").iloc[-1]
            said = str(ctx.text(str(last["outcome"]))).strip().rstrip(".")
            down = (f"no takedown is recorded as an event, but the platform answered the report on "
                    f"{ctx.time(last['answered_at'])}: \"{said}\" (record the takedown in the chronology once "
                    "the account is gone)")
    under = "Accounts under investigation" if len(ctx.subjects) > 1 else "Account under investigation"
    return f"Case {status}. {under}: {subjects}; {down}."


def summary(ctx: ReportContext) -> Html:
    """The first page: status, the accounts and how lookalikes differ, the top three leads, open and
    overdue actions, what is still to do."""
    parts = [tag("h2", "Summary"), para(_status(ctx), cls="inv-status")]
    rows = []
    for key in ctx.subjects:
        rows.append({"account": ctx.shown(key), "what": "account under investigation", "difference": ""})
        for look in ctx.overview(key).lookalikes.itertuples(index=False):
            rows.append({"account": ctx.shown(look.handle_key), "what": f"lookalike of {ctx.shown(key)} "
                         f"({look.how})", "difference": look.difference})
    if rows:
        parts += [tag("h3", "Accounts"), ctx.table(pd.DataFrame(rows), columns={
            "account": "Account", "what": "What it is", "difference": "How its handle differs"}),
                  _marked_note(r["account"] for r in rows)]
    for key in ctx.subjects:
        top = ctx.overview(key).leads.head(LABELLED_LEADS)  # the three the graph names "top lead"
        parts.append(tag("h3", f"Top leads for {ctx.shown(key)} (leads, not findings)"))
        if top.empty:
            parts.append(para("No leads: the case holds no lists, posts or interactions around it yet.",
                              cls="inv-empty"))
            continue
        parts.append(_reasons_table(ctx, top, most=3))
    acts = _actions(ctx)
    still = acts[acts["open"]]
    parts.append(tag("h3", "Actions"))
    if acts.empty:
        parts.append(para("No actions are logged yet.", cls="inv-empty"))
    else:
        parts.append(para(f"{len(acts):,} logged; {len(still):,} open, {int(acts['overdue'].sum()):,} overdue "
                          f"as at {ctx.time(ctx.now)}."))
        if len(still):
            parts.append(ctx.table(still.assign(state=_states(still)),
                                   columns={"what": "Open action", "who": "Who", "due": "Due", "state": "Follow-up"},
                                   row_class=_row_classes(still)))
    nexts = findings_record(ctx.tables["findings"])
    nexts = nexts[nexts["current"] & nexts["section"].eq("next_steps")]
    parts.append(tag("h3", "Still to do"))
    todo = [str(ctx.text(t)) for t in nexts["text"]] + [_open_item(ctx, a) for a in still.itertuples(index=False)]
    parts.append(bullets(todo) if todo else para("Nothing is recorded as still to do.", cls="inv-empty"))
    return join(parts)


def _states(acts: pd.DataFrame) -> list[str]:
    """Each action's follow-up state in words: "OVERDUE", "due within 72 hours" or nothing."""
    return ["OVERDUE" if o else ("due within 72 hours" if d else "")
            for o, d in zip(acts["overdue"], acts["due_soon"], strict=True)]


def _open_item(ctx: ReportContext, action: Any) -> str:
    """An open action as a line of "Still to do": what (or its kind), who, and when it is due."""
    line = str(ctx.text(action.what) or "").strip().rstrip(".") or action_kind(str(action.kind)).label
    who = str(ctx.text(action.who) or "").strip()
    due = f"due {ctx.time(action.due)}" if pd.notna(action.due) else "no due date set"
    return f"{line} ({who + ', ' if who else ''}{due}{', OVERDUE' if action.overdue else ''})."


def _marked_note(names: Iterable[str]) -> Html:
    """The note saying what a bracketed letter in these account names is (nothing when none is)."""
    note = marked_note(names)
    return para(note, cls="inv-note") if note else Html("")


def _row_classes(acts: pd.DataFrame) -> pd.Series:
    out = pd.Series("", index=acts.index)
    out[acts["due_soon"]] = "inv-due"
    out[acts["overdue"]] = "inv-overdue"
    return out


# ---------------------------------------------------------------------------- the findings record
def findings(ctx: ReportContext) -> Html:
    """The analyst's findings, in their words, section by section; corrections shown as corrections."""
    record = findings_record(ctx.tables["findings"])
    parts = [tag("h2", "Findings of the analyst")]
    if record.empty:
        return join(parts + [para("No findings are recorded yet: write them in notebook 06 or with "
                                  "'investigate note'.", cls="inv-empty")] + withdrawn_list(ctx))
    current = record[record["current"]]
    for section, title in SECTION_TITLES.items():
        entries = current[current["section"] == section]
        if entries.empty:
            continue
        items = []
        for entry in entries.itertuples(index=False):
            said = tag("span", ctx.text(entry.text), cls="inv-words")
            reasons = entry.reasons if isinstance(entry.reasons, str) else ""
            if reasons.strip():
                why = tag("span", f" Reasons: {ctx.text(reasons)}", cls="inv-reasons")
            else:  # a decision is recorded with its reasons: say plainly when they are missing
                why = tag("span", " No reasons recorded.", cls="inv-reasons inv-missing") if section == "decision" \
                    else Html("")
            note = f" (corrects entry {entry.amends})" if pd.notna(entry.amends) else ""
            who = tag("span", f" Entry {entry.finding_id}, {ctx.text(entry.who)}, {ctx.time(entry.at)}{note}.",
                      cls="inv-who")
            items.append(said + why + who)
        parts += [tag("h3", title), bullets(items)]
    old = record[~record["current"]]
    if len(old):
        parts += [tag("h3", "Corrected entries (kept as first written)"), bullets([
            f"Entry {e.finding_id} ({SECTION_TITLES.get(e.section, e.section)}, {ctx.text(e.who)}, "
            f"{ctx.time(e.at)}), corrected by entry {e.amended_by}: {ctx.text(e.text)}"
            for e in old.itertuples(index=False)], cls="inv-corrected")]
    return join(parts + withdrawn_list(ctx))


def withdrawn_list(ctx: ReportContext) -> list[Html]:
    """What was withdrawn as a mistake (imports, findings entries), when, by whom and why: kept in the record."""
    gone = ctx.tables.get("withdrawals")
    if gone is None or gone.empty:
        return []
    return [tag("h3", "Withdrawn as mistakes (kept in the record, no longer counted)"), bullets([
        f"{ctx.text(w.what)}: withdrawn by {ctx.text(w.who)}, "
        f"{ctx.time(w.at)}. Reason: {ctx.text(w.reason)}" for w in gone.itertuples(index=False)],
        cls="inv-corrected")]


# ---------------------------------------------------------------------------- chronology
def _chronology(ctx: ReportContext) -> pd.DataFrame:
    return ctx.view.chronology()


def _incident(ctx: ReportContext) -> pd.DataFrame:
    return ctx.view.incident()


def _chronology_table(ctx: ReportContext, chron: pd.DataFrame) -> Html:
    shown = chron.head(MAX_ROWS)  # only the rows shown are formatted (a million follows stay in the case)
    precision = shown["precision"] if "precision" in shown else pd.Series("exact", index=shown.index)
    shown = shown.assign(when=[ctx.time(a, p) for a, p in zip(shown["at"], precision, strict=True)])
    rest = (para(f"Showing the first {MAX_ROWS:,} of {len(chron):,} rows.", cls="inv-note")
            if len(chron) > MAX_ROWS else Html(""))
    return ctx.table(shown, columns={"when": "When", "kind": "What", "summary": "Summary",
                                     "evidence_id": "Evidence"}, cell={"kind": kind_words},
                     cls="inv-table inv-chronology") + rest


def chronology(ctx: ReportContext) -> Html:
    """The incident: entered events, the subject's and lookalikes' posts and what was done on them;
    bulk follows and interactions summarised (every row is in the appendix)."""
    from ..plots import plot_timeline

    chron = _incident(ctx)
    head = tag("h2", "Chronology of the incident")
    if len(chron) == 0:
        return head + para("No events or posts are recorded yet.", cls="inv-empty")
    full = len(_chronology(ctx))
    shown = chron.assign(summary=chron["summary"].map(ctx.text))
    return join([head, para(f"Times in {ctx.zone}. {len(chron):,} entries; follows and interactions in bulk are "
                            f"summarised. Every one of the case's {full:,} dated entries is in Appendix A.",
                            cls="inv-note"),
                 ctx.figure(plot_timeline(shown, title="Chronology of the incident"), height=300),
                 _chronology_table(ctx, chron)])


# ---------------------------------------------------------------------------- accounts, overlap, leads
def overlap(ctx: ReportContext) -> Html:
    """Lookalikes, accounts on both lists, how the lists overlap (matrix, UpSet) and the graph."""
    from ..plots import plot_graph, plot_overlap_matrix, plot_upset

    parts = [tag("h2", "Accounts, lookalikes and follower overlap")]
    if not ctx.subjects:
        return join(parts + [para("No account is marked as the subject, so nothing is compared.", cls="inv-empty")])
    parts.append(para("The person behind a fake account often follows it and is followed back by it; lookalike "
                      "accounts are often followed by the same people."))
    for key in ctx.subjects:
        view = ctx.overview(key)
        names = ctx.names.accounts(view.compared + list(view.graph.nodes))
        parts.append(tag("h3", f"Lookalikes of {ctx.shown(key)} ({len(view.lookalikes):,})"))
        parts.append(ctx.table(view.lookalikes.assign(account=view.lookalikes["handle_key"].map(ctx.shown)),
                               columns={"account": "Account", "how": "Found by",
                                        "difference": "How its handle differs"},
                               empty="No lookalike handle is in the case."))
        parts.append(_marked_note(ctx.shown(k) for k in view.compared))
        mutual = view.mutuals.assign(account=view.mutuals["handle_key"].map(ctx.shown))
        parts.append(tag("h3", f"On both lists of {ctx.shown(key)} ({len(mutual):,})"))
        shown = {"account": "Account", "follower_position": "Place in followers",
                 "following_position": "Place in following", "followed_at": "Followed at"}
        if "followed_at" in mutual and mutual["followed_at"].isna().all():
            del shown["followed_at"]  # no list gave the times: an empty column says nothing
        parts.append(ctx.table(mutual, max_rows=100, empty="No account is on both lists.", columns=shown))
        if len(view.compared) > 1:
            parts.append(tag("h3", "How the followers lists overlap"))
            pair = (ctx.figure(plot_overlap_matrix(view.matrix, names=names,
                                                   title="Shared followers (0 = none in common, 1 = the same)"),
                           height=320)
                    + ctx.figure(plot_upset(view.combinations, names=names, top=10, title="Who follows which account"),
                             height=320))
            parts.append(tag("div", pair, cls="inv-pair"))
            parts.append(para(UPSET_HOW_TO_READ, cls="inv-note"))
        if view.graph.number_of_nodes():
            note = "" if view.graph_total == view.graph.number_of_nodes() else (
                f" ({view.graph.number_of_nodes():,} of {view.graph_total:,} accounts: the subject, its lookalikes, "
                "accounts on both lists and the leads)")
            parts.append(tag("h3", f"Accounts around {ctx.shown(key)}{note}"))
            parts.append(ctx.figure(plot_graph(view.graph, groups=view.groups, names=names,
                                           title="Follows and interactions"), height=640))
    return join(parts)


def leads(ctx: ReportContext, *, top: int = TOP_LEADS) -> Html:
    """The ranked leads with their reasons, and the 'leads, not findings' statement."""
    from ..plots import plot_leads

    parts = [tag("h2", "Leads to follow up"), para(LEADS_STATEMENT, cls="inv-statement")]
    if not ctx.subjects:
        return join(parts + [para("No subject account is marked, so no leads are ranked.", cls="inv-empty")])
    for key in ctx.subjects:
        ranked = ctx.overview(key).leads.head(top)
        parts.append(tag("h3", f"Leads for {ctx.shown(key)} ({len(ctx.overview(key).leads):,} in all)"))
        if ranked.empty:
            parts.append(para("No lists, posts or interactions around this account are recorded yet.",
                              cls="inv-empty"))
            continue
        parts.append(ctx.figure(plot_leads(ranked, names=ctx.names.accounts(ranked["handle_key"]),
                                       reasons=lambda r: _reason_words(ctx, r)),
                                height=max(300, 28 * len(ranked) + 120)))
        parts.append(_reasons_table(ctx, ranked, score=True, cls="inv-table inv-leads"))
        around = ctx.overview(key).around
        if len(around):  # known roles: context, never leads (issue 25)
            parts.append(tag("h3", f"Accounts around {ctx.shown(key)} (known roles: context, not leads)"))
            parts.append(ctx.table(around.assign(account=around["handle_key"].map(ctx.shown)),
                                   columns={"account": "Account", "role_words": "Role", "links": "Links"},
                                   cls="inv-table inv-around"))
    return join(parts)


def _reason_words(ctx: ReportContext, reason: str) -> object:
    """One reason as the figure's hover shows it: in plain words, its points after it ("3 points")."""
    text, points = reason_points(reason)
    return ctx.text(text if points is None else f"{text}: {points:g} point{'' if points == 1 else 's'}")


def _reasons_table(ctx: ReportContext, leads: pd.DataFrame, *, most: int | None = None, score: bool = False,
                   cls: str = "inv-table") -> Html:
    """Leads with their reasons one to a row, strongest first, and each reason's points in a column."""
    rows = reason_rows(leads.assign(reasons=leads["reasons"].map(_reasons)), most=most)
    rows["account"] = [ctx.shown(k) if k else "" for k in rows["handle_key"]]
    columns = {"rank": "Rank", "account": "Account", "reason": "Why", "points": "Points"}
    if score:  # the lead's score (the sum of its points) on its first row
        scores = dict(zip(leads["handle_key"].astype(str), leads["score"].astype(float).round(2), strict=True))
        rows["score"] = [f"{scores[k]:g}" if k else "" for k in rows["handle_key"]]
        columns = {"rank": "Rank", "account": "Account", "score": "Score", "reason": "Why", "points": "Points"}
    return ctx.table(rows, columns=columns, cls=cls)


def ranked_leads(ctx: ReportContext) -> pd.DataFrame:
    """The leads the report shows, as it names them: subject, rank, account, score (for checks)."""
    frames = [ctx.overview(k).leads.head(TOP_LEADS).assign(subject=ctx.shown(k)) for k in ctx.subjects]
    if not frames:
        return pd.DataFrame(columns=["subject", "rank", "account", "score"])
    out = pd.concat(frames, ignore_index=True)
    return out.assign(account=out["handle_key"].map(ctx.shown))[["subject", "rank", "account", "score"]]


# ---------------------------------------------------------------------------- posting patterns
def patterns(ctx: ReportContext) -> Html:
    """When the subject accounts post, against the school day (heatmap)."""
    head = tag("h2", "Posting patterns")
    posts = ctx.tables["posts"]
    posts = posts[posts["account"].isin(ctx.subjects)] if ctx.subjects else posts
    if len(posts) == 0 or posts["posted_at"].notna().sum() == 0:
        whose = "subject accounts" if len(ctx.subjects) > 1 else "subject account"
        return head + para(f"No dated posts are recorded for the {whose}.", cls="inv-empty")
    from ..patterns import SchoolDay, Terms, pattern_summary, posting_heatmap
    from ..plots import plot_heatmap

    day = SchoolDay.from_dict(ctx.config.get("school_day"))
    terms = Terms.from_dict(ctx.config.get("terms"))
    return join([head, para(f"Times in {ctx.zone}. Outlined cells on school days mark lessons, break and lunch.",
                            cls="inv-note"), _school_year_note(ctx, day, terms),
                 ctx.figure(plot_heatmap(posting_heatmap(posts, timezone=ctx.zone), school_day=day), height=300),
                 ctx.table(pattern_summary(posts, school_day=day, terms=terms, timezone=ctx.zone),
                           columns={"when": "When", "posts": "Posts", "share": "Share of posts (%)"})])


def _school_year_note(ctx: ReportContext, day: Any, terms: Any) -> Html:
    """Says when the school day or the term dates were never entered (the case holds them only once
    saved), so that a reader knows the lesson and holiday counts rest on the kit's defaults."""
    said = []
    if not ctx.config.get("school_day"):
        said.append(f"The school day was not entered: the kit's default day ({day.start} to {day.end}, Monday to "
                    "Friday, with its usual lessons, break and lunch) was used.")
    if not (terms.terms or terms.holidays):
        said.append("No term dates or holidays were entered, so no day is counted as a holiday.")
    return para(" ".join(said) + " Enter them in notebook 04 for counts that fit this school.",
                cls="inv-note inv-defaults") if said else Html("")


# ---------------------------------------------------------------------------- actions
def actions(ctx: ReportContext) -> Html:
    """Actions and decisions, oldest first; open items due soon or overdue are highlighted."""
    acts = _actions(ctx)
    head = tag("h2", "Actions and decisions")
    if len(acts) == 0:
        return head + para("No actions or decisions are logged yet.", cls="inv-empty")
    acts = acts.assign(state=_states(acts), kind=acts["kind"].map(lambda k: action_kind(str(k)).label))
    legend = para(f"{int(acts['overdue'].sum())} overdue (red), {int(acts['due_soon'].sum())} due within "
                  f"72 hours (amber), as at {ctx.time(ctx.now)}.", cls="inv-note")
    return head + legend + ctx.table(acts, row_class=_row_classes(acts), columns={
        "at": "When", "kind": "Kind", "what": "What", "who": "Who", "stage": "Status", "due": "Due",
        "state": "Follow-up", "outcome": "Outcome"})


# ---------------------------------------------------------------------------- methodology
def methodology(ctx: ReportContext) -> Html:
    """How the analysis was done and what it cannot show."""
    method = [
        "Evidence files were registered into the case unchanged, stored read-only under their SHA-256; the "
        "hashes were recomputed when this report was written.",
        "Every change to the case is recorded in an append-only audit log whose entries are chained by "
        "SHA-256, so that a later edit is detectable.",
        f"Times are stored in UTC and shown in {ctx.zone}. Times marked 'about' are approximate; "
        "dates without a time were recorded to the day only.",
        "Follower overlap compares the followers and following lists as captured; lookalike handles are found "
        "by how they look (a letter from another alphabet, such as a Cyrillic е, separators, small edits); "
        "leads are ranked from "
        "list overlap, early following and interactions, and each lead shows its reasons.",
        "Posting patterns count posts by weekday and hour in the case's time zone against the school day.",
    ]
    if ctx.redact:
        method.append("The analysis was run on the case as recorded; only this copy's wording is redacted. "
                      "People named in the case are replaced by stable pseudonyms (such as 'Learner A'), "
                      "accounts by 'subject account', 'lookalike 1' or a stable code ('Account KQX-47'); "
                      "the key is kept in the case only. Pseudonymised data is still personal data.")
    limits = [
        "Leads are leads to follow up, not findings. Sharing followers with a fake account does not show "
        "that someone runs it.",
        "Lists and posts reflect what was visible when they were captured: private accounts, deleted posts "
        "and later changes are not seen.",
        "Platforms may show lists in an order of their own; positions in a list are not a reliable time order.",
        "Handles can be changed, and lookalike handles can belong to unrelated people.",
        "Nude or semi-nude images of under-18s are never captured or stored by this kit; only their "
        "description and URL are recorded, and such matters go to the DSL and, where an adult is involved, "
        "the police.",
    ]
    words = definition_list({term: meaning for term, meaning in GLOSSARY.items()})
    return (tag("h2", "Methodology") + bullets(method) + tag("h2", "Limitations") + bullets(limits)
            + tag("h2", "Words used in this report") + words)


# ---------------------------------------------------------------------------- appendices
def appendix_chronology(ctx: ReportContext) -> Html:
    """Appendix A: every dated entry of the case, in time order."""
    chron = _chronology(ctx)
    head = tag("h2", "Appendix A: the full chronology", cls="inv-appendix")
    if len(chron) == 0:
        return head + para("Nothing dated is recorded.", cls="inv-empty")
    return head + _chronology_table(ctx, chron)


def evidence(ctx: ReportContext) -> Html:
    """Appendix B: the evidence (name, SHA-256, captured by/at, URL) and verify's result now."""
    ev = ctx.tables["evidence"]
    result = _verify(ctx)
    parts = [tag("h2", "Appendix B: evidence"),
             ctx.table(ev, empty="No evidence files are registered.", columns={
                 "evidence_id": "Id", "original_name": "File", "captured_by": "Captured by",
                 "captured_at": "Captured at", "source_url": "URL", "description": "Description", "sha256": "SHA-256"},
                 cell={"sha256": lambda v: Html(f'<code class="inv-hash">{esc(v)}</code>'),
                      "original_name": lambda v: breakable(ctx.text(v)),
                      "source_url": lambda v: breakable(ctx.text(v))},
                 cls="inv-table inv-evidence")]
    parts.append(captures_appendix(ctx))  # web-archive captures: what their proofs prove, their screenshots
    parts.append(tag("h3", "Verification at the time of writing"))
    if result.ok:
        parts.append(para(f"OK: {count(result.checked, 'evidence file')} "
                          f"{'matches its' if result.checked == 1 else 'match their'} recorded SHA-256, and the "
                          "audit log's chain of hashes is intact.", cls="inv-ok"))
    else:
        parts.append(para(f"PROBLEMS: {count(len(result.problems), 'problem')} found on {ctx.time(ctx.now)}:",
                          cls="inv-bad"))
        parts.append(bullets([ctx.text(str(p)) for p in result.problems]))
    head_value = ctx.case.meta("audit_head") or ""
    seq, _, digest = head_value.partition(":")
    parts.append(definition_list({"Checked at": ctx.time(ctx.now), "Audit log entries": seq or "0",
                                  "Audit chain head (SHA-256)": digest or "none"}))
    parts += [para(text, cls="inv-note") for text in SEAL_WORDS]
    return join(parts)


#: what verify and a seal prove, in the report's words (the README says the same)
SEAL_WORDS = (
    "What this check proves: every evidence file, list read in, record, setting and output of the case is what "
    "its audit log says was written. A file, a record or the case database's structure changed, added or removed "
    "behind the kit's back is named, even when whoever did it also recomputed the hashes kept beside it: records "
    "are only ever added to, never edited, and every change is one entry of the log, with the computer login "
    "that made it.",
    "What only a seal kept outside the case proves: someone in control of this computer could rebuild the whole "
    "case, every record and hash recomputed, so that it checks as OK again. A seal made before that (the 'Seal "
    "of the case' at the top of this report, or one made with investigate seal) no longer matches a rebuilt "
    "case. A seal proves nothing while it is only inside the case: send it or write it somewhere else (an "
    "email, a CPOMS/MyConcern note, this report printed).",
    "To check later: investigate verify CASE --seal SEAL (the case still extends the seal), and "
    "investigate verify CASE --file REPORT (a copy of this report is the one the case wrote, and when).",
)


def footer(ctx: ReportContext) -> Html:
    """The classification marking again, and where the report came from."""
    return (para(f"Written by investigate {__version__} on {ctx.time(ctx.now)} from case "
                 f"{ctx.config.get('reference', '')}.", cls="inv-note") + marking(ctx, foot=True))


#: the sections in report order (the report notebook, the Word file and the tests follow this).
SECTIONS = (header, summary, findings, chronology, overlap, leads, patterns, actions, methodology,
            appendix_chronology, evidence, footer)
