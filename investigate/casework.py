"""Thin adapters from an open case to the pure analysis functions (the CLI and notebooks call these)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from .leads import rank_leads

if TYPE_CHECKING:
    from .case import Case


def case_leads(case: Case, *, account: str, top: int | None = None) -> pd.DataFrame:
    """:func:`investigate.leads.rank_leads` over the case's tables (raises InvestigateError naming
    close handles when the account is not in the case)."""
    return rank_leads(case.table("relationships"), case.table("interactions"), case.table("posts"),
                      case.table("accounts"), case.table("people"), subject=account, top=top, zone=case.timezone,
                      events=case.table("events"))


def case_accounts_around(case: Case, *, account: str) -> pd.DataFrame:
    """:func:`investigate.leads.accounts_around` over the case's tables: the known-role accounts (context)."""
    from .leads import accounts_around

    return accounts_around(case.table("relationships"), case.table("interactions"), case.table("posts"),
                           case.table("accounts"), case.table("people"), subject=account)


def case_chronology(case: Case) -> pd.DataFrame:
    """:func:`investigate.chronology.build_chronology` over the case's tables, in the case's zone: the case
    view's chronology (:meth:`investigate.view.CaseView.chronology`, one snapshot), as the report shows it."""
    from .view import CaseView

    return CaseView.of(case).chronology()
