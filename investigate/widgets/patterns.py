"""Step 4 (notebook 04): the school day and terms, and when the account posts against them."""

from __future__ import annotations

from typing import Any

import ipywidgets as w

from ..case import Case
from ..patterns import (
    WEEKDAYS,
    SchoolDay,
    Terms,
    pattern_summary,
    posting_heatmap,
    school_day_from_text,
    terms_from_text,
    terms_in_words,
)
from ._base import (
    _WIDE,
    LABELLED,
    Area,
    Status,
    _account_options,
    _Panel,
    button,
    html_table,
    said_back,
)


class SchoolDayForm(_Panel):
    """The school day and term dates (kept in case.toml), and the posting heatmap against them.

    ``.value`` is the settings as saved: ``{"school_day": {...}, "terms": {...}}`` (the
    ``to_dict`` forms of :class:`~investigate.patterns.SchoolDay` and :class:`~investigate.patterns.Terms`).
    """

    def __init__(self, case: Case) -> None:
        self.case = case
        day = SchoolDay.from_dict(case.config.get("school_day"))
        terms = Terms.from_dict(case.config.get("terms"))
        self.periods = w.Textarea(
            style=LABELLED, value="\n".join(f"{p.name}, {p.start}, {p.end}, {p.kind}" for p in day.periods),
            description="School day", placeholder="one slot per line: name, start, end, lesson/break/lunch",
            layout=w.Layout(width="60%", height="12em"))
        self.days = w.SelectMultiple(style=LABELLED, options=[(d, i) for i, d in enumerate(WEEKDAYS)],
                                     value=tuple(day.school_days), description="School days", rows=7)
        self.terms = w.Textarea(style=LABELLED, value="\n".join(", ".join(t) for t in terms.terms),
                                description="Terms",
                                placeholder="one term per line: Autumn 2025, 03/09/2025, 19/12/2025",
                                layout=w.Layout(width="60%", height="6em"))
        self.terms_words = said_back(self.terms, terms_in_words)
        self.holidays = w.Textarea(style=LABELLED, value="\n".join(", ".join(t) for t in terms.holidays),
                                   description="Holidays",
                                   placeholder="half terms, INSET days: Half term, 27/10/2025, 31/10/2025",
                                   layout=w.Layout(width="60%", height="6em"))
        self.holidays_words = said_back(self.holidays, terms_in_words)
        self.account = w.Dropdown(style=LABELLED, options=[("All accounts", "")] + _account_options(case),
                                  description="Account", layout=_WIDE)
        self.button = button("Save and redraw", button_style="primary")
        self.status = Status()
        self.output = Area()
        self.button.on_click(lambda _: self.save())
        self.account.observe(lambda _: self.refresh(), "value")
        self.ui = w.VBox([self.periods, self.days, self.terms, self.terms_words, self.holidays, self.holidays_words,
                          self.button, self.status.ui,
                          self.account, self.output.ui])
        self.refresh()

    @property
    def value(self) -> dict[str, Any]:
        return {"school_day": dict(self.case.config.get("school_day", {})),
                "terms": dict(self.case.config.get("terms", {}))}

    def save(self) -> bool:
        """Check the form and keep it in case.toml (audited), then redraw. True when saved."""
        saved = False
        with self.status.busy("Saving the school day and terms"):
            day = school_day_from_text(self.periods.value, self.days.value)
            terms = terms_from_text(self.terms.value, self.holidays.value)
            self.case.set_config(school_day=day.to_dict(), terms=terms.to_dict())
            saved = True
        if saved:
            self.refresh()
        return saved

    def refresh(self) -> None:
        from .. import plots

        with self.status.busy("Drawing posting patterns"):
            posts = self.case.table("posts")
            if self.account.value:
                posts = posts[posts["account"] == self.account.value]
            day = SchoolDay.from_dict(self.case.config.get("school_day"))
            terms = Terms.from_dict(self.case.config.get("terms"))
            if posts.empty:
                self.output.show("<p><i>No posts in this case yet: import the account's posts in notebook 01.</i></p>")
                return
            heatmap = posting_heatmap(posts, timezone=self.case.timezone)
            summary = pattern_summary(posts, school_day=day, terms=terms, timezone=self.case.timezone)
            self.output.show(plots.plot_heatmap(heatmap, school_day=day), html_table(summary))

