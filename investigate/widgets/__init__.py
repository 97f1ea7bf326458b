"""Small ipywidgets panels over a case, for the guided notebooks and the app view.

Each panel is a thin class: build it with a case, show it with ``display(panel)`` (it never
shows itself), read what it holds with ``.value``. Panels compute nothing: figures and tables
come from the analysis and plots modules, and every write goes through the case's own methods
(which add an audit entry). Text from the case (handles, comments, file names) is escaped
before it is put into HTML, by :mod:`investigate.html`: hostile handles exist.

One module per step, on a small shared base (``_base``): ``start`` (00), ``evidence``,
``accounts`` and ``imports`` (01), ``chronology`` (02), ``subject`` (03), ``patterns`` (04),
``actions`` and ``packs`` (05), ``findings`` and ``report`` (06), ``training`` (07). Everything
is importable from here: ``from investigate import widgets as ui``.

This package is the only part of the kit that imports ipywidgets and IPython.
"""

from ._base import (
    EVENT_KINDS,
    PLATFORMS,
    START_PAGE,
    Area,
    Status,
    TableView,
    after_change,
    case_header,
    figure_bundle,
    html_table,
    said_back,
    show_figure,
    show_table,
    warning_box,
)
from .accounts import AccountLogger, AccountMarker
from .actions import ActionsPanel, overdue_actions
from .chronology import ChronologyView, EventForm
from .evidence import EvidenceList, EvidenceUploader, evidence_table, nude_image_rule, verify_box
from .findings import FindingsPanel
from .imports import LIST_ORDER_CHOICES, ORDER_HINT, ImportsView, ListImporter
from .packs import PackPanel
from .patterns import SchoolDayForm
from .report import ReportWriter
from .start import case_summary, start_page
from .subject import GraphView, LeadsView, MutualsView, OverlapView, SubjectPicker
from .training import TrainingAnswer

__all__ = [
    "EVENT_KINDS", "LIST_ORDER_CHOICES", "ORDER_HINT", "PLATFORMS", "START_PAGE",
    "AccountLogger", "AccountMarker", "ActionsPanel", "Area", "ChronologyView", "EventForm", "EvidenceList",
    "EvidenceUploader",
    "FindingsPanel", "GraphView", "ImportsView", "LeadsView", "ListImporter", "MutualsView", "OverlapView",
    "PackPanel", "ReportWriter", "SchoolDayForm", "Status", "SubjectPicker", "TableView", "TrainingAnswer",
    "after_change", "case_header", "case_summary", "evidence_table", "figure_bundle", "html_table", "nude_image_rule",
    "overdue_actions", "said_back", "show_figure", "show_table", "start_page", "verify_box", "warning_box",
]
