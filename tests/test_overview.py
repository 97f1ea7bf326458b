"""One subject overview: notebook 03's step views and the report show the same numbers from one function."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pandas as pd
import pytest

from investigate import widgets as ui
from investigate.case import Case
from investigate.overview import find_lookalikes, subject_overview
from investigate.report import sections
from investigate.training import build_case

SUBJECT = "brambleshaw.wobbleton"


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Case:
    return build_case(tmp_path_factory.mktemp("overview") / "case")


def _text(markup: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", markup))


def _numbers(text: str) -> dict[str, str]:
    found = {}
    for label, pattern in (("mutuals", rf"On both lists of @{SUBJECT} \(([\d,]+)\)"),
                           ("lookalikes", rf"Lookalikes of @{SUBJECT} \(([\d,]+)\)"),
                           ("leads", rf"Leads for @{SUBJECT} \(([\d,]+) in all\)")):
        match = re.search(pattern, text)
        found[label] = match.group(1) if match else None
    return found


def test_lookalikes_of_the_sample_are_found_and_their_difference_spelled_out(sample: Case) -> None:
    found = find_lookalikes(sample.table("accounts"), SUBJECT).set_index("handle")
    assert found.loc["brambleshaw.wobbl\u0435ton", "difference"] == "Cyrillic \u0435 in place of e"
    assert found.loc["_brambleshaw.wobbleton", "difference"] == "an underscore added at the start"
    assert set(found["role"]) == {"copycat"}


def test_notebook_03_and_the_report_show_the_same_numbers(sample: Case) -> None:
    picker = ui.SubjectPicker(sample)
    picker.dropdown.value = SUBJECT
    views = [ui.MutualsView(picker), ui.OverlapView(picker), ui.GraphView(picker),
             ui.LeadsView(picker, top=sections.TOP_LEADS)]
    notebook = _text(" ".join(item for v in views for item in v.shown if isinstance(item, str)))
    ctx = sections.prepare(sample.path)
    report = _text(sections.overlap(ctx).html + sections.leads(ctx).html)
    shown_by_notebook, shown_by_report = _numbers(notebook), _numbers(report)
    assert None not in shown_by_notebook.values() and shown_by_notebook == shown_by_report
    view = picker.overview
    assert shown_by_report == {"mutuals": str(len(view.mutuals)), "lookalikes": str(len(view.lookalikes)),
                               "leads": str(len(view.leads))}
    # the same leads in the same order, in both tables
    leads_table = notebook[notebook.index("Leads for"):]
    order_notebook = [h for h in view.leads["handle"].head(sections.TOP_LEADS) if h in leads_table]
    report_leads = report[report.index(" Rank ", report.index("Leads for")):]  # the table, after the figure
    positions = [report_leads.index(f"@{h} ") for h in order_notebook]
    assert len(order_notebook) == sections.TOP_LEADS and positions == sorted(positions)


def test_the_graph_is_capped_and_keeps_the_subject_lookalikes_and_top_leads(sample: Case) -> None:
    t = {n: sample.table(n) for n in ("relationships", "interactions", "posts", "accounts", "people")}
    view = subject_overview(**t, subject=SUBJECT, max_graph_nodes=20)
    assert view.graph.number_of_nodes() == 20 < view.graph_total
    assert {SUBJECT, *view.compared} <= set(view.graph.nodes)
    assert view.groups[SUBJECT] == "subject" and {view.groups[k] for k in view.compared[1:]} == {"lookalike"}
    assert set(view.leads["handle_key"].head(10)) <= set(view.graph.nodes)


def test_an_account_with_nothing_around_it_has_an_empty_overview(case: Case) -> None:
    accounts = pd.DataFrame({"platform": ["tiktok"], "handle": ["lonely.fake"], "handle_key": ["lonely.fake"],
                             "role": ["subject"]})
    case.add_rows({"accounts": accounts}, what="account")
    t = {n: case.table(n) for n in ("relationships", "interactions", "posts", "accounts", "people")}
    view = subject_overview(**t, subject="lonely.fake")
    assert view.numbers == {"mutuals": 0, "lookalikes": 0, "leads": 0, "graph accounts": 1, "lists compared": 1}
    assert Path(case.path).is_dir()


def test_known_roles_are_shown_apart_in_the_report_never_as_leads(sample: Case) -> None:
    """The sample's copycats and the school's account have roles: the overview lists them in
    'around' with their role and the report shows them in their own table after the leads; none of
    them is a lead."""
    ctx = sections.prepare(sample.path)
    view = ctx.overview(SUBJECT)
    roles = dict(zip(view.around["handle_key"], view.around["role"], strict=True))
    assert {"copycat", "school"} <= set(roles.values())
    assert not set(roles) & set(view.leads["handle_key"])
    text = _text(sections.leads(ctx).html)
    table = text[text.index(f"Accounts around @{SUBJECT} (known roles: context, not leads)"):]
    assert "copycat of the subject" in table and "the school's account" in table


def test_the_case_view_finds_a_subjects_lookalikes_once(sample: Case, monkeypatch: pytest.MonkeyPatch) -> None:
    """The focus (chronology, packs) and the overview (report, notebook 03) compare the same lookalikes, found
    once per subject: over a million accounts each search is seconds."""
    from investigate import overview
    from investigate.view import CaseView

    calls: list[str] = []
    real = overview.find_lookalikes
    monkeypatch.setattr(overview, "find_lookalikes", lambda accounts, key: calls.append(key) or real(accounts, key))
    view = CaseView.of(sample)
    focus = view.focus()
    for key in view.subjects:
        assert view.overview(key).compared == [key, *view.lookalikes(key)["handle_key"].astype(str)]
        assert set(view.overview(key).compared) <= set(focus)
    assert sorted(calls) == sorted(view.subjects)
    fresh = subject_overview(*(view.tables[t] for t in ("relationships", "interactions", "posts", "accounts",
                                                        "people")), subject=view.subjects[0], zone=view.zone,
                             events=view.tables["events"])
    pd.testing.assert_frame_equal(fresh.lookalikes, view.overview(view.subjects[0]).lookalikes)
    pd.testing.assert_frame_equal(fresh.leads, view.overview(view.subjects[0]).leads)
