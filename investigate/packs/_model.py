"""A pack as plain data: sections of fields, paragraphs, lists and tables, with gaps marked.

Builders make a :class:`Pack`; :func:`map_text` runs one function over every text in it (that is
how a pack is redacted: nothing escapes the pass); the renderers turn it into HTML or DOCX.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Literal


@dataclass(frozen=True)
class Gap:
    """Something the analyst must fill in before sending (shown highlighted as ``[TO FILL: prompt]``)."""

    prompt: str

    def __str__(self) -> str:
        return f"[TO FILL: {self.prompt}]"


Value = str | Gap


@dataclass(frozen=True)
class Fields:
    """Label: value pairs (a value may be a gap)."""

    rows: tuple[tuple[str, Value], ...]


@dataclass(frozen=True)
class Paragraph:
    text: Value
    style: Literal["plain", "note", "warning"] = "plain"


@dataclass(frozen=True)
class Bullets:
    items: tuple[Value, ...]


@dataclass(frozen=True)
class Table:
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    empty: Value = "None recorded in the case."


Block = Fields | Paragraph | Bullets | Table


@dataclass(frozen=True)
class Section:
    heading: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Pack:
    """One referral pack: for whom, about whom, and its sections."""

    kind: str  # lado, police, platform, rhc, staff, learner
    title: str
    recipient: str
    about: str  # who or what it is about, as shown in the pack
    marking: str  # the classification line, top and bottom
    redacted: bool
    sections: tuple[Section, ...]
    affected: str | None = None  # the person_id it is about, "school", or None (the tracker's ``affected``)
    platform: str | None = None  # platform packs: the platform

    def gaps(self) -> list[Gap]:
        """Every gap the analyst must fill, in order."""
        found: list[Gap] = []
        map_text(self, lambda text: text, on_gap=found.append)
        return found


def map_text(pack: Pack, function: Callable[[str], str], *, on_gap: Callable[[Gap], None] | None = None) -> Pack:
    """A copy of ``pack`` with ``function`` applied to every text in it (headings, values, cells, prompts)."""

    def value(v: Value) -> Value:
        if isinstance(v, Gap):
            if on_gap is not None:
                on_gap(v)
            return Gap(function(v.prompt))
        return function(v)

    def block(b: Block) -> Block:
        if isinstance(b, Fields):
            return Fields(tuple((function(k), value(v)) for k, v in b.rows))
        if isinstance(b, Paragraph):
            return replace(b, text=value(b.text))
        if isinstance(b, Bullets):
            return Bullets(tuple(value(i) for i in b.items))
        return Table(tuple(function(h) for h in b.headers), tuple(tuple(function(c) for c in r) for r in b.rows),
                     value(b.empty))

    sections = tuple(Section(function(s.heading), tuple(block(b) for b in s.blocks)) for s in pack.sections)
    return replace(pack, title=function(pack.title), recipient=function(pack.recipient), about=function(pack.about),
                   marking=function(pack.marking), sections=sections)
