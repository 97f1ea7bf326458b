"""Training (notebook 07): the answer key, shown only when the trainer asks."""

from __future__ import annotations

import ipywidgets as w

from ..case import Case
from ..errors import InvestigateError
from ._base import (
    _Panel,
    button,
)


class TrainingAnswer(_Panel):
    """Reveals the training case's answer key, only when the trainer asks. ``.value``: the text shown."""

    def __init__(self, case: Case) -> None:
        self.case = case
        self.value = ""
        self.confirm = w.Checkbox(description="I am the trainer and the session is over",
                                  layout=w.Layout(width="auto"))
        self.button = button("Reveal the answer", button_style="warning", disabled=True)
        self.output = w.HTML()
        self.confirm.observe(lambda change: setattr(self.button, "disabled", not change["new"]), "value")
        self.button.on_click(lambda _: self.reveal())
        self.ui = w.VBox([self.confirm, self.button, self.output])

    def reveal(self) -> str:
        """Show the answer key (as escaped text)."""
        from ..training import reveal_answer

        try:
            self.value = str(reveal_answer(self.case))
        except InvestigateError as exc:
            self.value = str(exc)
        import mistune

        page = mistune.create_markdown(escape=True, plugins=["table"])(self.value)  # no HTML from the text
        self.output.value = f"<div style='border:2px solid #e65100;padding:8px'>{page}</div>"
        return self.value
