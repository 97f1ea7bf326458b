"""The case view's facts from the pruned reads equal those over the whole tables (issue 30).

:class:`investigate.view.CaseView` ranks the overview's leads over the rows they rest on
(:mod:`investigate.lead_rows`), finds lookalikes among the handles that could imitate the subject
(:func:`investigate.handles.lookalike_candidates`) and counts the graph's accounts in Arrow
(:func:`investigate.network.within`); every fact the report, notebook 03 and the packs show must be
what the whole tables give: checked on the training case (with a crowd of followers, some of them
lookalikes, so that the graph is cut to what is drawn) and on generated hard cases.
"""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pandas as pd
import pytest

from investigate import network, overview
from investigate.case import Case
from investigate.importer import import_file
from investigate.training import SHAPES, build_case, generate
from investigate.view import CaseView


def _graph(graph: nx.DiGraph) -> tuple[list[object], list[object]]:
    return sorted(graph.nodes(data=True)), sorted(graph.edges(data=True))


def _old_neighbourhood(view: CaseView, focus: list[str]) -> list[str]:
    """The accounts one link from ``focus`` as the kit found them in pandas before (the focus first)."""
    t = view.tables
    edges = network._all_edges(t["relationships"], t["interactions"], t["posts"])
    touching = edges["source"].isin(focus) | edges["target"].isin(focus)
    ends = pd.concat([edges.loc[touching, "source"], edges.loc[touching, "target"]]).unique().tolist()
    return list(dict.fromkeys([*focus, *ends]))


def _same_overviews(case: Case, monkeypatch: pytest.MonkeyPatch) -> int:
    view = CaseView.of(case)
    assert set(view.lead_rows) == set(view.subjects)
    t = view.tables
    for key in view.subjects:
        pruned = view.overview(key)
        with monkeypatch.context() as m:  # every account judged one by one, as before
            m.setattr(overview, "_lookalike_rows", lambda accounts, _key: accounts)
            found = overview.find_lookalikes(t["accounts"], key)
        whole = overview.subject_overview(t["relationships"], t["interactions"], t["posts"], t["accounts"],
                                          t["people"], subject=key, zone=view.zone, events=t["events"],
                                          lookalikes=found)
        pd.testing.assert_frame_equal(pruned.lookalikes, whole.lookalikes)
        assert pruned.compared == whole.compared
        for name in ("mutuals", "matrix", "combinations", "leads", "around"):
            pd.testing.assert_frame_equal(getattr(pruned, name), getattr(whole, name))
        assert _graph(pruned.graph) == _graph(whole.graph)
        assert (pruned.graph_total, pruned.groups) == (whole.graph_total, whole.groups)
        reach = network.within(t["relationships"], t["interactions"], focus=whole.compared, posts=t["posts"])
        assert reach.to_pylist() == _old_neighbourhood(view, whole.compared)
        assert list(network.neighbourhood(t["relationships"], t["interactions"], focus=whole.compared,
                                          posts=t["posts"])) == reach.to_pylist()
    # what the report's chronology, Appendix A and the packs list is the view's, whatever it read
    again = CaseView.of(case, now=view.now)
    pd.testing.assert_frame_equal(again.incident(), view.incident())
    return len(view.subjects)


@pytest.fixture(scope="module")
def crowded_case(tmp_path_factory: pytest.TempPathFactory) -> Case:
    """The training case with 400 more followers of its subject, three of them lookalikes of it."""
    folder = tmp_path_factory.mktemp("crowded")
    case = build_case(folder / "case")
    accounts = case.table("accounts")
    subject = str(accounts.loc[accounts["role"].eq("subject").fillna(False), "handle"].iloc[0])
    crowd = [f"Crowd.Member{i}" for i in range(397)] + [subject + "1", subject.replace(".", "_"), "x" + subject]
    listed = folder / "crowd.csv"
    listed.write_text("Username\n" + "".join(f"{h}\n" for h in crowd), encoding="utf-8")
    import_file(case, listed, format="csv", platform="tiktok", account=subject, list_kind="followers", who="test")
    return case


def test_the_crowded_training_case_shows_the_same_facts_from_the_pruned_reads(
        crowded_case: Case, monkeypatch: pytest.MonkeyPatch) -> None:
    assert _same_overviews(crowded_case, monkeypatch) >= 1
    view = CaseView.of(crowded_case)
    key = view.subjects[0]
    assert len(view.lead_rows[key]["accounts"]) < len(view.tables["accounts"])  # the leads read fewer rows
    assert len(view.overview(key).lookalikes) >= 3  # the crowd's lookalikes are found among 400 handles
    assert view.overview(key).graph_total > overview.MAX_GRAPH_NODES  # the graph is cut to what is drawn
    assert key not in view.lead_rows  # let go once ranked (a million-row list is not held twice)


def test_the_training_case_shows_the_same_facts_from_the_pruned_reads(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert _same_overviews(build_case(tmp_path / "case"), monkeypatch) >= 1


@pytest.mark.parametrize("shape", ["", *SHAPES[:2]])
def test_hard_cases_show_the_same_facts_from_the_pruned_reads(tmp_path: Path, shape: str,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    folder = generate(tmp_path / "data", seed=11, difficulty="hard", shape=shape)
    case = build_case(tmp_path / "case", source=folder)
    assert _same_overviews(case, monkeypatch) >= 1


def test_a_subject_not_read_with_the_view_is_ranked_over_the_whole_tables(crowded_case: Case) -> None:
    view = CaseView.of(crowded_case)
    key = view.subjects[0]
    bare = CaseView.of(crowded_case, now=view.now)
    bare.lead_rows.clear()
    pd.testing.assert_frame_equal(bare.overview(key).leads, view.overview(key).leads)
    pd.testing.assert_frame_equal(bare.overview(key).around, view.overview(key).around)
