"""A legend: one row per run (colour swatch, label, optional rule) and a live note per row.

Like the update panel, the legend only shows what it is given; notes change
in place (``become``), so they stay fixed in frame under both renderers.
"""

from __future__ import annotations

from collections.abc import Sequence

from manim import DOWN, LEFT, RIGHT, UP, Dot, Mobject, VGroup, VMobject

from gdscenes.drawing import type_scale
from gdscenes.drawing.card import PAD, card
from gdscenes.drawing.polyline import Polyline
from gdscenes.display.palette import Theme

#: Height left under each entry for its note, in caption digit heights.
NOTE_LINES = 1.6


class Legend(VGroup):
    r"""Title, optional header formula, and one row per run.

    Sizes come from the type scale (:mod:`gdscenes.drawing.type_scale`): the
    title wraps, a label too wide breaks onto lines at its ``,\ `` separators;
    nothing is shrunk.

    Parameters
    ----------
    title
        First line (LaTeX text, ``$...$`` for math).
    rows
        ``(colour, label)`` per row; a label is LaTeX (math mode).
    header
        LaTeX shown under the title (e.g. the stability threshold, the symbols' definitions).
    rules
        One LaTeX update rule per row, drawn under its label.
    footer
        LaTeX lines (math mode) under the rows at the caption size: where the symbols of the
        rules are defined.
    inline_notes
        Write each row's note right of its label (short notes) instead of on a line under the row.
    """

    def __init__(
        self,
        title: str,
        rows: Sequence[tuple[str, str]],
        theme: Theme,
        width: float = 5.0,
        header: str | None = None,
        rules: Sequence[str] | None = None,
        footer: Sequence[str] = (),
        inline_notes: bool = False,
    ) -> None:
        super().__init__()
        self.theme = theme
        inner = width - 2 * PAD
        caption = type_scale.height("caption")
        self.inline_notes = inline_notes
        self.note_room = 0.0 if inline_notes else NOTE_LINES * caption
        parts: list[Mobject] = [type_scale.title(title, inner, theme.text)]
        if header:
            parts.append(type_scale.wrapped_math(header, inner, "body", color=theme.text))
        self.labels, self.notes, self.entries = VGroup(), VGroup(), VGroup()
        swatch = 0.45 * type_scale.height("body")
        for i, (color, label) in enumerate(rows):
            tex = type_scale.wrapped_math(label, inner - 4 * swatch, "body", color=theme.text)
            entry = VGroup(VGroup(Dot(radius=swatch, color=color), tex).arrange(RIGHT, buff=1.5 * swatch))
            if rules:
                entry.add(type_scale.wrapped_math(rules[i], inner - 4 * swatch, "caption", color=theme.muted))
            entry.arrange(DOWN, aligned_edge=LEFT, buff=0.45 * caption)
            entry[1:].shift(3.5 * swatch * RIGHT)
            self.labels.add(tex)
            self.entries.add(entry)
            self.notes.add(Polyline())
        self.indent = 3.5 * swatch
        # Each entry leaves a line of room under it for its note.
        self.footer = VGroup(*(type_scale.wrapped_math(line, inner, "caption", color=theme.muted) for line in footer))
        self.footer.arrange(DOWN, aligned_edge=LEFT, buff=0.5 * caption)
        body = VGroup(*parts, *self.entries, *([self.footer] if footer else [])).arrange(DOWN, aligned_edge=LEFT,
                                                                                        buff=0.6 * caption)
        for k, entry in enumerate(self.entries):
            entry.shift(k * self.note_room * DOWN)
        if footer:
            self.footer.shift(len(self.entries) * self.note_room * DOWN)
        self.background = card(body, theme, width, extra_height=(0 if footer else self.note_room) + 2 * PAD)
        self.design_width = self.background.width
        self.add(self.background, body, self.notes)

    def set_note(self, index: int, text: str, color: str | None = None) -> VMobject:
        """Show ``text`` under entry ``index`` (replacing what was there), at the caption size; returns the note."""
        new = type_scale.text(text, "caption", color=color or self.theme.muted)
        new.scale(self.background.width / self.design_width)  # (as the legend, if a layout scaled it)
        if self.inline_notes:  # right of the label, on its line, ending at the card's inner edge
            label = self.labels[index]
            new.move_to([self.background.get_right()[0] - PAD, label.get_center()[1], 0.0], aligned_edge=RIGHT)
        else:
            corner = (self.entries[index].get_corner(DOWN + LEFT) + self.indent * RIGHT
                      + 0.5 * type_scale.height("caption") * DOWN)
            new.move_to(corner, aligned_edge=UP + LEFT)
        note = self.notes[index]
        note.become(new)
        return note
