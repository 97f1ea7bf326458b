"""The report's account of each web-archive capture (WACZ/WARC), beside the evidence register.

Per capture: what its hashes, digest and signature prove (the proof recorded on import), the capture
time beside the registration time, the pages it lists, each record the rows came from ("captured
from instagram.com on 14/10/2025 10:02 BST, record urn:uuid:..."), and its screenshots embedded as
data URIs (never in a redacted report: a picture cannot be redacted). Everything is escaped text.
"""

from __future__ import annotations

import base64
import logging
import re
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import pandas as pd

from ..case import evidence_file_name
from ..html import Html, breakable, definition_list, esc, join, para, tag

if TYPE_CHECKING:
    from .sections import ReportContext

log = logging.getLogger("investigate")
#: records listed per capture at most (the rest are counted)
MAX_RECORDS = 200


def _table(ctx: ReportContext, name: str) -> pd.DataFrame:
    found = ctx.tables.get(name)
    return found if found is not None else ctx.case.table(name)


def provenance_sentence(ctx: ReportContext, record: pd.Series) -> str:
    """"captured from instagram.com on 14/10/2025 10:02 BST, record urn:uuid:..." for one record."""
    uri = re.sub(r"^urn:(?:view|thumbnail):", "", str(record["target_uri"]))  # a screenshot: urn:view:<page>
    host = (urlsplit(uri).hostname or "").removeprefix("www.")
    return f"captured from {host or 'the web'} on {ctx.time(record['captured_at'])}, record {record['record_id']}"


def captures_appendix(ctx: ReportContext) -> Html:
    """One part per capture registered (empty when the case holds none)."""
    caps = _table(ctx, "captures")
    if caps.empty:
        return Html("")
    records = _table(ctx, "capture_records")
    evidence = ctx.tables["evidence"].set_index("evidence_id")
    parts = [tag("h3", "Web-archive captures: what their hashes and signatures prove"),
             para("A capture records what the browser loaded. Its hashes prove each file is unchanged since "
                  "it was packaged; a signature proves who packaged it only as far as the key or domain is "
                  "known. Neither proves what the platform's servers sent.", cls="inv-note")]
    for _, cap in caps.iterrows():
        evidence_id = str(cap["evidence_id"])
        row = evidence.loc[evidence_id] if evidence_id in evidence.index else None
        name = "" if row is None else row["original_name"]
        parts.append(tag("h4", f"{evidence_id}: {ctx.text(name)}"))
        refused = str(cap["outcome"]) != "verified"
        facts: dict[str, object] = {
            "Outcome": "REFUSED: it failed its checks; nothing was imported from it" if refused
            else "verified, then imported",
            "What it proves": ctx.text(cap["proof"]),
        }
        if not refused:
            facts["Captured"] = f"{ctx.time(cap['first_record_at'])} to {ctx.time(cap['last_record_at'])}" \
                if pd.notna(cap["first_record_at"]) else "no dated records"
        if row is not None:
            facts["Registered"] = f"{ctx.time(row['registered_at'])} by {ctx.text(row['registered_by'])}"
        if pd.notna(cap["key_fingerprint"]):
            facts["Signing key (SHA-256)"] = Html(f'<code class="inv-hash">{esc(cap["key_fingerprint"])}</code>')
        parts.append(definition_list(facts))
        mine = records[records["evidence_id"].astype("string").eq(evidence_id).fillna(False)]
        parts.append(_pages(ctx, mine))
        parts.append(_records(ctx, mine))
        if row is not None:
            parts.append(_screenshots(ctx, mine, row))
    return join(parts)


def _pages(ctx: ReportContext, records: pd.DataFrame) -> Html:
    pages = records[records["kind"].eq("page").fillna(False)]
    if pages.empty:
        return Html("")
    shown = pages[["captured_at", "target_uri", "content"]]
    return tag("h5", "Pages it lists") + ctx.table(shown, columns={
        "captured_at": "Captured at", "target_uri": "Page", "content": "Title"},
        cell={"target_uri": lambda v: breakable(ctx.text(v))}, cls="inv-table inv-capture-pages")


def _records(ctx: ReportContext, records: pd.DataFrame) -> Html:
    used = records[~records["kind"].isin(["page", "screenshot"]).fillna(False)]
    if used.empty:
        return Html("")
    items = [tag("li", join([tag("span", ctx.text(r["content"])), Html(": "),
                             tag("span", ctx.text(provenance_sentence(ctx, r)), cls="inv-provenance"),
                             Html(f' <code class="inv-hash">{esc(r["payload_digest"])}</code>')
                             if pd.notna(r["payload_digest"]) else Html("")]))
             for _, r in used.head(MAX_RECORDS).iterrows()]
    more = para(f"... and {len(used) - MAX_RECORDS} more records.", cls="inv-note") \
        if len(used) > MAX_RECORDS else Html("")
    return tag("h5", "What the rows were read from") + tag("ul", join(items), cls="inv-capture-records") + more


def _screenshots(ctx: ReportContext, records: pd.DataFrame, evidence: pd.Series) -> Html:
    shots = records[records["kind"].eq("screenshot").fillna(False)]
    if shots.empty:
        return Html("")
    if ctx.redact:
        return para(f"{len(shots)} screenshot(s) in this capture are not shown: a redacted report cannot "
                    "redact a picture.", cls="inv-note")
    from ..loaders.wacz import screenshot

    path = ctx.case.locate("evidence", evidence_file_name(str(evidence["sha256"]), str(evidence["original_name"])))
    figures = []
    for _, shot in shots.iterrows():
        try:
            found = screenshot(path, str(shot["warc_file"]), str(shot["record_id"]))
        except Exception as exc:  # noqa: BLE001 - a screenshot that cannot be read is said, not fatal
            log.warning("report: screenshot %s cannot be read: %s", shot["record_id"], exc)
            found = None
        caption = f"{ctx.text(str(shot['target_uri']))}, {provenance_sentence(ctx, shot)}"
        if found is None:
            figures.append(para(f"A screenshot ({caption}) could not be shown: it is missing, too large or not "
                                "a PNG, JPEG or WebP image.", cls="inv-note"))
            continue
        media_type, data = found
        uri = f"data:{media_type};base64,{base64.b64encode(data).decode('ascii')}"
        figures.append(Html(f'<figure class="inv-screenshot"><img src="{esc(uri)}" alt="{esc(caption)}" '
                            f'style="max-width:100%;border:1px solid #d1d5db">'
                            f"<figcaption>{esc(caption)}</figcaption></figure>"))
    return tag("h5", "Screenshots taken at capture") + join(figures)
