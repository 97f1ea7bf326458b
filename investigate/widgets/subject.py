"""Step 3 (notebook 03): the subject account, then its mutuals, lookalikes, graph and leads, one view each."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ipywidgets as w
import pandas as pd
import plotly.graph_objects as go

from ..case import Case
from ..html import esc
from ..plain import without_empty_columns
from ._base import (
    _WIDE,
    Area,
    Status,
    _account_options,
    _Panel,
    html_table,
)


class SubjectPicker(_Panel):
    """Pick the subject account; the step views below it (mutuals, overlap, graph, leads) follow.

    ``.value`` is the chosen account's handle key; :attr:`overview` its
    :class:`~investigate.overview.SubjectOverview`, from a view of the case (what the report shows).
    """

    def __init__(self, case: Case) -> None:
        self.case = case
        self.dropdown = w.Dropdown(options=_account_options(case), description="Subject", layout=_WIDE,
                                   style={"description_width": "initial"})
        self.status = Status()
        self.overview: Any = None
        self._views: list[Callable[[], None]] = []
        self.dropdown.observe(lambda _: self.refresh(), "value")
        self.ui = w.VBox([self.dropdown, self.status.ui])
        self.refresh()

    @property
    def value(self) -> str | None:
        return self.dropdown.value

    def follow(self, refresh: Callable[[], None]) -> None:
        """Call ``refresh`` whenever another subject is chosen (the step views use this)."""
        self._views.append(refresh)

    def refresh(self) -> None:
        self.overview = None
        if self.value:
            with self.status.busy(f"Working out mutuals, lookalikes, overlap and leads for @{self.value}"):
                from ..view import CaseView

                self.overview = CaseView.of(self.case).overview(self.value)
        for refresh in self._views:
            refresh()


class _StepView(_Panel):
    """One step of notebook 03 over a :class:`SubjectPicker`'s overview (redrawn when it changes)."""

    def __init__(self, picker: SubjectPicker) -> None:
        self.picker = picker
        self.output = Area()
        self.shown: list[go.Figure | w.Widget | str] = []
        self.ui = self.output.ui
        picker.follow(self.refresh)
        self.refresh()

    @property
    def value(self) -> Any:
        return self.picker.overview

    def refresh(self) -> None:
        view = self.picker.overview
        if view is None:
            self.output.show("<p><i>No accounts in this case yet: log the account under investigation "
                             "and import its followers and following lists in notebook 01.</i></p>")
            return
        self.shown = self.items(view)
        self.output.show(*self.shown)

    def items(self, view: Any) -> list[go.Figure | w.Widget | str]:
        raise NotImplementedError

    def table(self, df: pd.DataFrame, **options: Any) -> str:
        return html_table(df, timezone=self.picker.case.timezone, **options)


class MutualsView(_StepView):
    """Step 1: the accounts on both the subject's followers and following lists."""

    def items(self, view: Any) -> list[go.Figure | w.Widget | str]:
        mutual = view.mutuals.assign(Account="@" + view.mutuals["handle_key"].astype(str))
        shown = without_empty_columns(mutual[["Account", "follower_position", "following_position", "followed_at"]])
        return [f"<h3>On both lists of @{esc(view.subject)} ({len(mutual):,})</h3>",
                self.table(shown, max_rows=100,
                           empty="No account is on both lists (or the lists are not imported yet).")]


class OverlapView(_StepView):
    """Step 2: the lookalike (copycat) accounts, how they differ, and how their followers overlap."""

    def items(self, view: Any) -> list[go.Figure | w.Widget | str]:
        from .. import plots

        items: list[go.Figure | w.Widget | str] = [
            f"<h3>Lookalikes of @{esc(view.subject)} ({len(view.lookalikes):,})</h3>",
            self.table(view.lookalikes[["handle", "how", "difference"]], empty="No lookalike handle is in the case.")]
        if len(view.compared) > 1:
            items += [plots.plot_overlap_matrix(view.matrix, title="Shared followers (0 = none, 1 = the same)"),
                      plots.plot_upset(view.combinations, top=10, title="Who follows which account")]
        return items


class GraphView(_StepView):
    """Step 3: the accounts around the subject, coloured by role (subject, lookalike, top lead, mutual)."""

    def items(self, view: Any) -> list[go.Figure | w.Widget | str]:
        from .. import plots

        if not view.graph.number_of_nodes():
            return ["<p><i>No follows or interactions around this account yet.</i></p>"]
        return [f"<h3>Accounts around @{esc(view.subject)} ({view.graph.number_of_nodes():,} of "
                f"{view.graph_total:,})</h3>", plots.plot_graph(view.graph, groups=view.groups,
                                                              title="Follows and interactions")]


class LeadsView(_StepView):
    """Step 4: the ranked leads with their reasons (leads, not findings)."""

    def __init__(self, picker: SubjectPicker, *, top: int = 20) -> None:
        self.top = top
        super().__init__(picker)

    def items(self, view: Any) -> list[go.Figure | w.Widget | str]:
        from .. import plots
        from ..leads import LEADS_STATEMENT

        ranked = view.leads.head(self.top)
        items: list[go.Figure | w.Widget | str] = [
            f"<h3>Leads for @{esc(view.subject)} ({len(view.leads):,} in all)</h3>"
            f"<p style='font-weight:bold;color:#b00020'>{esc(LEADS_STATEMENT)}</p>"]
        if not ranked.empty:
            items.append(plots.plot_leads(ranked))
        items.append(self.table(_leads_for_display(ranked), empty="No leads: import the subject's followers and "
                                "following lists, and the comments on its posts."))
        around = view.around
        if len(around):  # known roles (the impersonated person, targets, staff, the school): context, never leads
            items += [f"<h3>Accounts around @{esc(view.subject)} (known roles: context, not leads)</h3>",
                      self.table(around.assign(Account="@" + around["handle_key"].astype(str))[
                          ["Account", "role_words", "links"]].rename(columns={"role_words": "Role", "links": "Links"}))]
        return items


def _leads_for_display(leads: pd.DataFrame) -> pd.DataFrame:
    if leads.empty:
        return leads
    return leads[[c for c in ("rank", "handle", "score", "reasons") if c in leads.columns]]
