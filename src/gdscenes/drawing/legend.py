"""A legend: one row per run (colour swatch, label, optional rule) and a live note per row.

Like the update panel, the legend only shows what it is given; notes change
in place (``become``), so they stay fixed in frame under both renderers.
"""

from __future__ import annotations

from collections.abc import Sequence

from manim import DOWN, LEFT, RIGHT, UP, Dot, Mobject, VGroup, VMobject

from gdscenes.drawing.card import card, fit_width
from gdscenes.drawing.polyline import Polyline
from gdscenes.drawing.typeset import math_tex, plain_text
from gdscenes.display.palette import Theme

#: Height left under each entry for its note.
NOTE_ROOM = 0.3
NOTE_FONT_SIZE = 17


class Legend(VGroup):
    """Title, optional header formula, and one row per run.

    Parameters
    ----------
    title
        First line.
    rows
        ``(colour, label)`` per row; a label is LaTeX (math mode).
    header
        LaTeX shown under the title (e.g. the stability threshold).
    rules
        One LaTeX update rule per row, drawn under its label.
    """

    def __init__(
        self,
        title: str,
        rows: Sequence[tuple[str, str]],
        theme: Theme,
        width: float = 5.0,
        header: str | None = None,
        rules: Sequence[str] | None = None,
    ) -> None:
        super().__init__()
        self.theme = theme
        inner = width - 0.5
        parts: list[Mobject] = [fit_width(plain_text(title, color=theme.text, font_size=24, weight="BOLD"), inner)]
        if header:
            parts.append(fit_width(math_tex(header, color=theme.text).scale(0.7), inner))
        self.labels, self.notes, self.entries = VGroup(), VGroup(), VGroup()
        for i, (color, label) in enumerate(rows):
            tex = fit_width(math_tex(label, color=theme.text).scale(0.62), inner - 0.4)
            entry = VGroup(VGroup(Dot(radius=0.1, color=color), tex).arrange(RIGHT, buff=0.2))
            if rules:
                entry.add(fit_width(math_tex(rules[i], color=theme.muted).scale(0.5), inner - 0.4))
            entry.arrange(DOWN, aligned_edge=LEFT, buff=0.12)
            entry[1:].shift(0.4 * RIGHT)
            self.labels.add(tex)
            self.entries.add(entry)
            self.notes.add(Polyline())
        # Each entry leaves a line of room under it for its note.
        body = VGroup(*parts, *self.entries).arrange(DOWN, aligned_edge=LEFT, buff=0.28)
        for k, entry in enumerate(self.entries):
            entry.shift(k * NOTE_ROOM * DOWN)
        self.background = card(body, theme, width, extra_height=NOTE_ROOM + 0.5)
        self.add(self.background, body, self.notes)

    def set_note(self, index: int, text: str, color: str | None = None) -> VMobject:
        """Show ``text`` under entry ``index`` (replacing what was there); returns the note."""
        corner = self.entries[index].get_corner(DOWN + LEFT) + 0.4 * RIGHT + 0.1 * DOWN
        new = fit_width(plain_text(text, color=color or self.theme.muted, font_size=NOTE_FONT_SIZE),
                        self.background.get_right()[0] - 0.2 - corner[0])
        note = self.notes[index]
        note.become(new.move_to(corner, aligned_edge=UP + LEFT))
        return note

