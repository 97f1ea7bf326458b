"""The report's sections: each takes a :class:`ReportContext` and returns escaped :class:`Html`.

The report notebook (``report.ipynb``) calls :func:`prepare` once, then one section per cell.
With ``redact=True`` every table is redacted in :func:`prepare`, before any analysis or
figure sees it, so that no real name of a person reaches the report.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from .. import __version__
from ..case import Case
from ..schema import handle_key
from ..seal import current_seal
from ._html import Html, bullets, definition_list, esc, figure, format_time, join, para, table, tag
from .redact import NoRedaction, Redactor, case_pseudonyms

log = logging.getLogger("investigate")

#: the tables a report reads.
TABLES = ("evidence", "accounts", "relationships", "posts", "interactions", "events", "people", "actions")
LEADS_STATEMENT = ("These are leads to follow up, not findings: an account on both lists, or one that "
                   "interacts early and often, may belong to the person behind the fake account, or may "
                   "simply be a friend, a sibling or a curious learner. Check every lead against other "
                   "information before acting on it.")
#: how many rows the long tables show at most.
MAX_ROWS = 1000
#: how many accounts the graph figure draws at most (SVG stays quick to open in a browser).
MAX_GRAPH_NODES = 400


@dataclass
class ReportContext:
    """Everything the sections need: the case, its (redacted) tables and settings."""

    case: Case
    redact: bool
    redactor: Redactor
    tables: dict[str, pd.DataFrame]
    subjects: list[str]  # handle keys (redacted when redact is on)
    now: pd.Timestamp
    zone: str
    config: dict[str, Any]
    cache: dict[str, Any] = field(default_factory=dict)

    def time(self, value: object, precision: object = "exact") -> str:
        return format_time(value, self.zone, precision=precision)

    def shown(self, key: object) -> str:
        """A handle key as a reader sees it: the account's shown handle with ``@``."""
        if "shown" not in self.cache:  # built once (not at every call, as setdefault's argument would be)
            self.cache["shown"] = _shown_handles(self.tables["accounts"])
        shown = self.cache["shown"]
        text = shown.get(str(key), str(key)) if isinstance(key, str) else ""
        return f"@{text}" if text else ""


def _shown_handles(accounts: pd.DataFrame) -> dict[str, str]:
    if accounts.empty:
        return {}
    keys = accounts["handle_key"].astype(str)
    handles = accounts["handle"].astype("string").fillna(keys)
    return dict(zip(keys, handles.astype(str), strict=True))


# ---------------------------------------------------------------------------- preparation
def prepare(case_dir: str | Path, *, redact: bool = False, accounts: list[str] | str | None = None,
            now: pd.Timestamp | None = None) -> ReportContext:
    """Open the case, read its tables and (with ``redact``) replace people by pseudonyms.

    ``accounts`` names the subject accounts (handles); by default every account whose role is
    ``subject``.
    """
    case = Case.open(case_dir)
    with case.snapshot():  # every table as at one moment, even while an import is being written
        frames = {name: case.table(name) for name in TABLES}
    if redact:
        redactor: Redactor = Redactor.from_people(frames["people"], case_pseudonyms(case))
    else:
        redactor = NoRedaction()
    if isinstance(accounts, str):
        accounts = [a for a in accounts.split(",") if a.strip()]
    if accounts:
        keys = [handle_key(a) for a in accounts]
    else:
        acc = frames["accounts"]
        keys = acc.loc[acc["role"].astype("string").str.casefold().eq("subject").fillna(False),
                       "handle_key"].astype(str).tolist()
    keys = list(dict.fromkeys(k for k in keys if k))
    config = dict(case.config)
    for key in ("title", "analyst", "reference"):
        if key in config:
            config[key] = redactor.text(config[key])
    config["school"] = [redactor.text(s) for s in config.get("school", []) or []]
    tables = redactor.tables(frames)
    subjects = [str(redactor.handle_key(k)) for k in keys]
    stamp = now if now is not None else pd.Timestamp.now(tz="UTC")
    log.info("report: prepared %s (%s), %d subject account(s)", case.path, "redacted" if redact else
             "not redacted", len(subjects))
    return ReportContext(case=case, redact=redact, redactor=redactor, tables=tables, subjects=subjects,
                         now=stamp, zone=case.timezone, config=config)


# ---------------------------------------------------------------------------- sections
def marking(ctx: ReportContext) -> Html:
    """The classification marking, shown at the top and the bottom of the report."""
    text = str(ctx.config.get("classification") or "OFFICIAL-SENSITIVE")
    extra = "REDACTED: people replaced by pseudonyms" if ctx.redact else "NOT REDACTED: contains personal data"
    return Html(f'<div class="inv-marking">{esc(text)} &middot; {esc(extra)}</div>')


def header(ctx: ReportContext) -> Html:
    """The case header: title, reference, school(s), analyst, date written, kit version."""
    cfg = ctx.config
    schools = ", ".join(str(s) for s in cfg.get("school", []) if s) or "not recorded"
    facts = {
        "Case reference": cfg.get("reference", ""),
        "School(s)": schools,
        "Analyst": cfg.get("analyst", ""),
        "Report written": ctx.time(ctx.now),
        "Seal of the case": str(current_seal(ctx.case)),  # see investigate.seal: check with verify --seal
        "Times shown in": ctx.zone,
        "Subject account(s)": ", ".join(ctx.shown(k) for k in ctx.subjects) or "none marked as subject",
        "Kit version": f"investigate {__version__}",
        "Version": "Redacted (pseudonyms)" if ctx.redact else "Internal (names shown)",
    }
    return marking(ctx) + tag("h1", cfg.get("title", "Case report"), cls="inv-title") + definition_list(facts)


def summary(ctx: ReportContext) -> Html:
    """A few lines of counts and dates that say what the case holds."""
    t = ctx.tables
    events = t["events"]
    items = []
    if ctx.subjects:
        items.append(f"Subject account(s): {', '.join(ctx.shown(k) for k in ctx.subjects)}.")
    items.append(f"{len(t['evidence']):,} evidence file(s) registered; {_verify_sentence(ctx)}")
    if len(events):
        items.append(f"{len(events):,} chronology event(s), from {ctx.time(events['at'].min())} "
                     f"to {ctx.time(events['at'].max())}.")
    posts = t["posts"]
    if len(posts):
        items.append(f"{len(posts):,} post(s) recorded from {posts['account'].nunique():,} account(s).")
    if len(t["relationships"]):
        lists = t["relationships"]["observed_list"].dropna().nunique()
        items.append(f"{len(t['relationships']):,} follower/following entries from {lists:,} list(s).")
    if len(t["interactions"]):
        items.append(f"{len(t['interactions']):,} interaction(s) (comments, likes, reshares, tags).")
    acts = _actions_marked(ctx)
    if len(acts):
        open_n = int(acts["status"].fillna("open").str.casefold().eq("open").sum())
        items.append(f"{len(acts):,} action(s) and decision(s) logged; {open_n} open, "
                     f"{int(acts['overdue'].sum())} overdue.")
    leads = _leads(ctx)
    if leads is not None and len(leads):
        items.append(f"{len(leads):,} lead(s) ranked for follow-up (leads, not findings).")
    return tag("h2", "Summary") + bullets(items)


def _verify(ctx: ReportContext) -> Any:
    if "verify" not in ctx.cache:
        from ..evidence import verify

        ctx.cache["verify"] = verify(ctx.case)
    return ctx.cache["verify"]


def _verify_sentence(ctx: ReportContext) -> str:
    result = _verify(ctx)
    if result.ok:
        return f"all {result.checked:,} checked against their SHA-256 and the audit chain is intact."
    return f"verification found {len(result.problems)} problem(s) (see the evidence appendix)."


# ---------------------------------------------------------------------------- chronology
def _chronology(ctx: ReportContext) -> pd.DataFrame:
    """The chronology frame: build_chronology when the kit has it, else events and subject posts."""
    if "chronology" in ctx.cache:
        return ctx.cache["chronology"]
    t = ctx.tables
    from ..chronology import build_chronology

    chron = build_chronology(t["posts"], t["interactions"], t["relationships"], t["events"], t["accounts"],
                             timezone=ctx.zone)
    ctx.cache["chronology"] = chron
    return chron


def chronology_figure(ctx: ReportContext) -> Html:
    """The chronology as a timeline figure (from plots.plot_timeline)."""
    from ..plots import plot_timeline

    chron = _chronology(ctx)
    head = tag("h2", "Chronology")
    if len(chron) == 0:
        return head + para("No events or posts are recorded yet.", cls="inv-empty")
    return head + figure(plot_timeline(chron, title=f"Chronology (times in {ctx.zone})"))


def chronology_table(ctx: ReportContext) -> Html:
    """The chronology as a table, in date order, times in the case's zone."""
    full = _chronology(ctx)
    if len(full) == 0:
        return Html("")
    chron = full.head(MAX_ROWS).copy()  # only the rows shown are formatted (a million follows stay in the case)
    precision = chron["precision"] if "precision" in chron else pd.Series("exact", index=chron.index)
    chron["when"] = [ctx.time(a, p) for a, p in zip(chron["at"], precision, strict=True)]
    if "accounts" in chron:
        chron["who"] = chron["accounts"].map(
            lambda v: ", ".join(ctx.shown(k) for k in str(v).split(",") if k.strip()) if isinstance(v, str) else "")
    cols = {c: h for c, h in (("when", "When"), ("kind", "What"), ("summary", "Summary"), ("who", "Accounts"),
                              ("evidence_id", "Evidence"), ("source", "Source")) if c in chron}
    rest = (para(f"Showing the first {MAX_ROWS:,} of {len(full):,} rows.", cls="inv-note")
            if len(full) > MAX_ROWS else Html(""))
    return tag("h3", "Chronology table") + table(chron, zone=ctx.zone, columns=cols) + rest


# ---------------------------------------------------------------------------- overlap and leads
def overlap(ctx: ReportContext) -> Html:
    """Follower overlap: accounts on both lists of each subject, and how the lists overlap."""
    from .. import network
    from ..plots import plot_graph, plot_overlap_matrix, plot_upset

    head = tag("h2", "Follower overlap")
    rel = ctx.tables["relationships"]
    if not ctx.subjects or len(rel) == 0:
        return head + para("No follower or following lists are recorded for the subject account(s).",
                           cls="inv-empty")
    parts = [head, para("The person behind a fake account often follows it and is followed back by it. "
                        "Accounts on both lists of a subject account are shown here.")]
    mutual_keys: list[str] = []
    for key in ctx.subjects:
        found = network.mutuals(rel, key)
        mutual_keys += found["handle_key"].astype(str).tolist()
        found = found.assign(account=found["handle_key"].map(ctx.shown))
        parts.append(tag("h3", f"On both lists of {ctx.shown(key)}"))
        parts.append(table(found, zone=ctx.zone, max_rows=200, empty="No account is on both lists.",
                           columns={"account": "Account", "follower_position": "Place in followers",
                                    "following_position": "Place in following", "followed_at": "Followed at"}))
    if len(ctx.subjects) > 1:
        matrix = network.overlap_matrix(rel, ctx.subjects)
        parts.append(figure(plot_overlap_matrix(matrix)))
        parts.append(figure(plot_upset(network.set_combinations(rel, ctx.subjects))))
        pairs = matrix[matrix["account_a"] < matrix["account_b"]].assign(
            a=lambda d: d["account_a"].map(ctx.shown), b=lambda d: d["account_b"].map(ctx.shown),
            jaccard=lambda d: d["jaccard"].round(3))
        parts.append(table(pairs, zone=ctx.zone, columns={"a": "Account", "b": "Account", "shared": "Shared followers",
                                                          "jaccard": "Overlap (Jaccard)"}))
    inter, posts = ctx.tables["interactions"], ctx.tables["posts"]
    around = network.neighbourhood(rel, inter, focus=ctx.subjects, posts=posts)
    nodes = None
    if len(around) > MAX_GRAPH_NODES:  # keep the figure readable: subjects, mutuals, top leads
        ranked = _leads(ctx)
        keep = set(ctx.subjects) | set(mutual_keys)
        if ranked is not None:
            keep |= set(ranked.sort_values("rank")["handle_key"].astype(str).head(MAX_GRAPH_NODES // 2))
        nodes = sorted(k for k in keep if k in around)[:MAX_GRAPH_NODES]
    graph = network.build_graph(rel, inter, focus=ctx.subjects, posts=posts, nodes=nodes)
    if nodes is not None:
        note = para(f"The graph shows the subject account(s), accounts on both of their lists and the "
                    f"top leads ({graph.number_of_nodes():,} accounts).", cls="inv-note")
    else:
        note = Html("")
    if graph.number_of_nodes():
        parts += [tag("h3", "Accounts around the subject account(s)"),
                  figure(plot_graph(graph, highlight=ctx.subjects), height=600), note]
    return join(parts)


def _leads(ctx: ReportContext) -> pd.DataFrame | None:
    if "leads" in ctx.cache:
        return ctx.cache["leads"]
    from ..errors import InvestigateError
    from ..leads import rank_leads

    result = None
    if ctx.subjects:
        t = ctx.tables
        frames = []
        for key in ctx.subjects:
            try:
                ranked = rank_leads(t["relationships"], t["interactions"], t["posts"], t["accounts"],
                                    t["people"], subject=key)
            except InvestigateError as exc:  # the subject has no lists or posts in the case yet
                log.warning("report: no leads for %s: %s", key, exc)
                continue
            frames.append(ranked.assign(subject=key))
        result = pd.concat(frames, ignore_index=True) if frames else result
    ctx.cache["leads"] = result
    return result


def leads(ctx: ReportContext, *, top: int = 25) -> Html:
    """The ranked leads with their reasons, and the 'leads, not findings' statement."""
    head = tag("h2", "Leads to follow up") + para(LEADS_STATEMENT, cls="inv-statement")
    ranked = _leads(ctx)
    if ranked is None:
        if not ctx.subjects:
            return head + para("No subject account is marked, so no leads are ranked.", cls="inv-empty")
        return head + para("No lists, posts or interactions of the subject account(s) are recorded yet, "
                           "so no leads are ranked.", cls="inv-empty")
    from ..plots import plot_leads

    parts = [head]
    for key, group in ranked.groupby("subject", sort=False):
        group = group.sort_values("rank").head(top)
        parts.append(tag("h3", f"Leads for {ctx.shown(key)}"))
        if len(group):
            parts.append(figure(plot_leads(group)))
        group = group.assign(account="@" + group["handle"].astype("string").fillna(group["handle_key"]),
                             score=group["score"].round(2))
        parts.append(table(group, zone=ctx.zone, columns={"rank": "Rank", "account": "Account", "score": "Score",
                                                          "reasons": "Reasons"}, empty="No leads."))
    return join(parts)


# ---------------------------------------------------------------------------- posting patterns
def patterns(ctx: ReportContext) -> Html:
    """When the subject accounts post, against the school day (heatmap)."""
    head = tag("h2", "Posting patterns")
    posts = ctx.tables["posts"]
    posts = posts[posts["account"].isin(ctx.subjects)] if ctx.subjects else posts
    if len(posts) == 0 or posts["posted_at"].notna().sum() == 0:
        return head + para("No dated posts are recorded for the subject account(s).", cls="inv-empty")
    from ..patterns import SchoolDay, Terms, pattern_summary, posting_heatmap
    from ..plots import plot_heatmap

    day = SchoolDay.from_dict(ctx.config.get("school_day"))
    terms = Terms.from_dict(ctx.config.get("terms"))
    parts = [head, para(f"Times in {ctx.zone}. Shaded bands on school days mark lessons, break and lunch.",
                        cls="inv-note")]
    parts.append(figure(plot_heatmap(posting_heatmap(posts, timezone=ctx.zone), school_day=day)))
    parts.append(table(pattern_summary(posts, school_day=day, terms=terms, timezone=ctx.zone), zone=ctx.zone,
                       columns={"when": "When", "posts": "Posts", "share": "Share of posts (%)"}))
    return join(parts)


# ---------------------------------------------------------------------------- actions
def _actions_marked(ctx: ReportContext) -> pd.DataFrame:
    acts = ctx.tables["actions"]
    out = acts.copy()
    due = out["due"]
    is_open = out["status"].fillna("open").astype(str).str.casefold().eq("open")
    out["overdue"] = (is_open & due.notna() & (due < ctx.now)).astype(bool)
    out["due_soon"] = (is_open & due.notna() & (due >= ctx.now) &
                       (due < ctx.now + pd.Timedelta(hours=72))).astype(bool)
    return out


def actions(ctx: ReportContext) -> Html:
    """Actions and decisions, oldest first; open items due soon or overdue are highlighted."""
    acts = _actions_marked(ctx).sort_values("at", kind="stable")
    head = tag("h2", "Actions and decisions")
    if len(acts) == 0:
        return head + para("No actions or decisions are logged yet.", cls="inv-empty")
    row_class = pd.Series("", index=acts.index)
    row_class[acts["due_soon"]] = "inv-due"
    row_class[acts["overdue"]] = "inv-overdue"
    acts = acts.assign(state=[
        "OVERDUE" if o else ("due within 72 hours" if d else "") for o, d in zip(acts["overdue"], acts["due_soon"],
                                                                                  strict=True)])
    legend = para(f"{int(acts['overdue'].sum())} overdue (red), {int(acts['due_soon'].sum())} due within "
                  f"72 hours (amber), as at {ctx.time(ctx.now)}.", cls="inv-note")
    return head + legend + table(acts, zone=ctx.zone, row_class=row_class, columns={
        "at": "When", "kind": "Kind", "what": "What", "who": "Who", "status": "Status", "due": "Due",
        "state": "", "outcome": "Outcome"})


# ---------------------------------------------------------------------------- evidence appendix
def evidence(ctx: ReportContext) -> Html:
    """The evidence appendix (name, SHA-256, captured by/at, URL) and verify's result now."""
    ev = ctx.tables["evidence"]
    result = _verify(ctx)
    head = tag("h2", "Evidence appendix")
    parts = [head, table(ev, zone=ctx.zone, empty="No evidence files are registered.", columns={
        "evidence_id": "Id", "original_name": "File", "sha256": "SHA-256", "captured_by": "Captured by",
        "captured_at": "Captured at", "source_url": "URL", "description": "Description"},
        cell={"sha256": lambda v: Html(f'<code class="inv-hash">{esc(v)}</code>')})]
    parts.append(tag("h3", "Verification at the time of writing"))
    if result.ok:
        parts.append(para(f"OK: {result.checked:,} evidence file(s) match their recorded SHA-256, and the "
                          "audit log's chain of hashes is intact.", cls="inv-ok"))
    else:
        parts.append(para(f"PROBLEMS: {len(result.problems)} problem(s) found on {ctx.time(ctx.now)}:",
                          cls="inv-bad"))
        parts.append(bullets(ctx.redactor.texts(result.problems)))
    head_value = ctx.case.meta("audit_head") or ""
    seq, _, digest = head_value.partition(":")
    parts.append(definition_list({"Checked at": ctx.time(ctx.now), "Audit log entries": seq or "0",
                                  "Audit chain head (SHA-256)": digest or "none"}))
    parts.append(para("Keep a copy of this report: the chain head above lets anyone check later that the "
                      "case's audit log was not changed after this report was written.", cls="inv-note"))
    return join(parts)


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
        "Follower overlap compares the followers and following lists as captured; leads are ranked from "
        "list overlap, early following and interactions, and each lead shows its reasons.",
        "Posting patterns count posts by weekday and hour in the case's time zone against the school day.",
    ]
    if ctx.redact:
        method.append("People named in the case are replaced by stable pseudonyms (such as 'Learner A'); the key "
                      "to the pseudonyms is kept in the case only. Pseudonymised data is still personal data.")
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
    return (tag("h2", "Methodology") + bullets(method) + tag("h2", "Limitations") + bullets(limits))


def footer(ctx: ReportContext) -> Html:
    """The classification marking again, and where the report came from."""
    return (para(f"Written by investigate {__version__} on {ctx.time(ctx.now)} from case "
                 f"{ctx.config.get('reference', '')}.", cls="inv-note") + marking(ctx))
