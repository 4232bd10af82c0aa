"""A legend: one row per run (colour swatch, label, optional rule) and a live note per row.

Like the update panel, the legend only shows what it is given; notes change
in place (``become``), so they stay fixed in frame under both renderers.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from manim import DOWN, LEFT, RIGHT, UP, Dot, Mobject, VGroup, VMobject

from gdscenes.drawing import type_scale
from gdscenes.drawing.card import PAD, card
from gdscenes.drawing.layout import Layout
from gdscenes.drawing.polyline import Polyline
from gdscenes.display.palette import Theme

#: Height left under each entry for its note, in caption digit heights.
NOTE_LINES = 1.6
#: The narrowest column of a legend set in columns, and the space between its columns (frame units, shorter side 8).
MIN_COLUMN = 2.9
COLUMN_GAP = 0.3
#: The most columns a legend is set in.
MAX_COLUMNS = 3


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
    max_height
        The height the legend has room for: in a wide, short band (a square or tall frame's) the rows go in
        two or three columns side by side (the title, header and footer spanning them), the fewest that
        fit this height, else the count that makes the legend shortest. ``None``: the text room of the
        current layout when it is stacked (:class:`~gdscenes.drawing.layout.Layout`), else one column.
    note_width
        With ``inline_notes``, the width to keep right of each label for its note (the longest note a
        lesson writes); labels wrap to leave it.
    notes
        Whether :meth:`set_note` writes the runs' notes (``False``: a compact legend whose notes the picture
        carries; :meth:`set_note` leaves the note empty).
    min_column
        The narrowest column the rows may be set in (default :data:`MIN_COLUMN`): a legend of short rows and
        short notes (a square frame's compact one) may go in more, narrower columns.
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
        max_height: float | None = None,
        note_width: float = 0.0,
        min_column: float = MIN_COLUMN,
        notes: bool = True,
    ) -> None:
        super().__init__()
        self.theme = theme
        self.writes_notes = notes
        inner = width - 2 * PAD
        self.inline_notes = inline_notes
        self.note_room = 0.0 if inline_notes or not notes else NOTE_LINES * type_scale.height("caption")
        if max_height is None:
            layout = Layout.current()
            max_height = layout.text_box[1] if layout.stacked else None
        counts = [1]
        if max_height is not None:
            counts += [n for n in range(2, MAX_COLUMNS + 1) if (inner - (n - 1) * COLUMN_GAP) / n >= min_column]
        self.columns = 1
        self._single(title, rows, width, header, rules, footer)
        if len(rows) < 2 or max_height is None or self.background.height <= max_height + 1e-9:
            return
        tried: list[tuple[float, int]] = [(self.background.height, 1)]
        for n in counts[1:]:
            if n > len(rows):
                break
            fits = self._in_columns(n, title, rows, width, header, rules, footer, note_width)
            tried.append((self.background.height if fits else np.inf, n))
            if fits and self.background.height <= max_height + 1e-9:
                return
        best = min(tried)[1]
        if best != self.columns:
            if best == 1:
                self._single(title, rows, width, header, rules, footer)
            else:
                self._in_columns(best, title, rows, width, header, rules, footer, note_width)

    def _entry(self, color: str, label: str, rule: str | None, inner: float) -> tuple[VGroup, VMobject]:
        """One row: the swatch and the label (wrapped to ``inner``), the rule under it; and the label."""
        caption = type_scale.height("caption")
        swatch = 0.45 * type_scale.height("body")
        tex = type_scale.wrapped_math(label, inner - 4 * swatch, "body", color=self.theme.text)
        entry = VGroup(VGroup(Dot(radius=swatch, color=color), tex).arrange(RIGHT, buff=1.5 * swatch))
        if rule is not None:
            entry.add(type_scale.wrapped_math(rule, inner - 4 * swatch, "caption", color=self.theme.muted))
        entry.arrange(DOWN, aligned_edge=LEFT, buff=0.45 * caption)
        entry[1:].shift(3.5 * swatch * RIGHT)
        return entry, tex

    def _start(self, title: str, width: float, header: str | None, footer: Sequence[str]) -> list[Mobject]:
        """Empty the legend; the title and header (spanning its width) and the footer (``self.footer``)."""
        self.remove(*self.submobjects)
        inner = width - 2 * PAD
        caption = type_scale.height("caption")
        theme = self.theme
        parts: list[Mobject] = [type_scale.title(title, inner, theme.text)]
        if header:
            parts.append(type_scale.wrapped_math(header, inner, "body", color=theme.text))
        self.labels, self.notes, self.entries = VGroup(), VGroup(), VGroup()
        self.indent = 3.5 * 0.45 * type_scale.height("body")
        self.note_indent = self.indent  # (set in columns, a note starts under the swatch: a column is narrow)
        self.footer = VGroup(*(type_scale.wrapped_math(line, inner, "caption", color=theme.muted) for line in footer))
        self.footer.arrange(DOWN, aligned_edge=LEFT, buff=0.5 * caption)
        return parts

    def _single(self, title: str, rows: Sequence[tuple[str, str]], width: float, header: str | None,
                rules: Sequence[str] | None, footer: Sequence[str]) -> None:
        """One column: the title, header, each row with a line of room under it for its note, the footer."""
        inner = width - 2 * PAD
        caption = type_scale.height("caption")
        parts = self._start(title, width, header, footer)
        for i, (color, label) in enumerate(rows):
            entry, tex = self._entry(color, label, rules[i] if rules else None, inner)
            self.labels.add(tex)
            self.entries.add(entry)
            self.notes.add(Polyline())
        # Each entry leaves a line of room under it for its note.
        body = VGroup(*parts, *self.entries, *([self.footer] if footer else [])).arrange(DOWN, aligned_edge=LEFT,
                                                                                        buff=0.6 * caption)
        for k, entry in enumerate(self.entries):
            entry.shift(k * self.note_room * DOWN)
        if footer:
            self.footer.shift(len(self.entries) * self.note_room * DOWN)
        self.background = card(body, self.theme, width, extra_height=(0 if footer else self.note_room) + 2 * PAD)
        self.design_width = self.background.width
        self.columns = 1
        self.note_right = [self.background.width - PAD] * len(rows)
        self.column_width = inner
        self.add(self.background, body, self.notes)

    def _in_columns(self, n: int, title: str, rows: Sequence[tuple[str, str]], width: float, header: str | None,
                    rules: Sequence[str] | None, footer: Sequence[str], note_width: float) -> bool:
        """``n`` columns of rows (in reading order down each column, split where the columns are most even)
        under the title and header (on the title's line if it has room), the footer under them all (its
        lines in the columns too if each fits one). Whether every row fits its column (a label or rule
        that cannot break, or no room for an inline note, does not)."""
        inner = width - 2 * PAD
        caption = type_scale.height("caption")
        buff = 0.6 * caption
        column = (inner - (n - 1) * COLUMN_GAP) / n
        parts = self._start(title, width, header, footer)
        for i, (color, label) in enumerate(rows):
            room = column - (note_width + 0.25 if self.inline_notes else 0.0)
            entry, tex = self._entry(color, label, rules[i] if rules else None, room)
            self.labels.add(tex)
            self.entries.add(entry)
            self.notes.add(Polyline())
        reserve = note_width + 0.25 if self.inline_notes else 0.0
        fits = all(e.width <= column + 1e-6 and self.indent + t.width + reserve <= column + 1e-6
                   for e, t in zip(self.entries, self.labels))
        tall = [e.height + self.note_room for e in self.entries]
        splits = _even_split(tall, n, buff)
        top = VGroup(*parts).arrange(DOWN, aligned_edge=LEFT, buff=buff)
        if len(parts) == 2 and len(parts[0]) == 1 and parts[0].width + COLUMN_GAP + parts[1].width <= inner:
            parts[1].next_to(parts[0], RIGHT, buff=0).align_to(parts[0], DOWN).set_x(
                parts[0].get_left()[0] + inner - parts[1].width / 2)  # (the header at the right of the title's line)
        if len(footer) > 1:  # footer lines that fit a column side by side, n to a row; a wider one on its own row
            rows_of: list[list[VMobject]] = []
            for line in self.footer:
                if rows_of and len(rows_of[-1]) < n and line.width <= column and all(m.width <= column for m in rows_of[-1]):
                    rows_of[-1].append(line)
                else:
                    rows_of.append([line])
            y = 0.0
            for row in rows_of:
                for c, line in enumerate(row):
                    line.move_to([c * (column + COLUMN_GAP), y, 0.0], aligned_edge=UP + LEFT)
                y -= max(line.height for line in row) + 0.5 * caption
        left, y0 = top.get_left()[0], top.get_bottom()[1] - buff
        lowest = y0
        self.note_right = []
        for c, (a, b) in enumerate(splits):
            x, y = left + c * (column + COLUMN_GAP), y0
            for entry in self.entries[a:b]:
                entry.move_to([x, y, 0.0], aligned_edge=UP + LEFT)
                y = entry.get_bottom()[1] - self.note_room - buff
                lowest = min(lowest, entry.get_bottom()[1] - self.note_room)
                self.note_right.append(x + column - (left - PAD))
        if footer:
            self.footer.move_to([left, lowest - buff, 0.0], aligned_edge=UP + LEFT)
        body = VGroup(top, self.entries, *([self.footer] if footer else []))
        extra = (0.0 if footer else max(body.get_bottom()[1] - lowest, 0.0)) + 2 * PAD
        self.background = card(body, self.theme, width, extra_height=extra)
        self.design_width = self.background.width
        self.columns = n
        self.column_width = column
        self.note_indent = 0.0
        self.add(self.background, body, self.notes)
        return fits

    def note_width(self, index: int) -> float:
        """The width a note under (or, inline, right of the label of) entry ``index`` has, at the legend's design size."""
        if self.inline_notes:
            return self.column_width - self.indent - self.labels[index].width - 0.25
        return self.column_width - self.note_indent

    def fitting(self, index: int, forms: Sequence[str]) -> str:
        """The first of ``forms`` (a note, longest first) that fits the width a note of entry ``index`` has
        (:meth:`note_width`) at the caption size; the last where none does."""
        for form in forms:
            if type_scale.text(form, "caption").width <= self.note_width(index) + 1e-6:
                return form
        return forms[-1]

    def set_note(self, index: int, text: str, color: str | None = None) -> VMobject:
        """Show ``text`` under entry ``index`` (replacing what was there), at the caption size; returns the note
        (left empty in a legend without notes)."""
        if not self.writes_notes:
            return self.notes[index]
        new = type_scale.text(text, "caption", color=color or self.theme.muted)
        new.scale(self.background.width / self.design_width)  # (as the legend, if a layout scaled it)
        if self.inline_notes:  # right of the label, on its line, ending at its column's inner edge
            label = self.labels[index]
            right = self.background.get_left()[0] + self.note_right[index] * self.background.width / self.design_width
            new.move_to([right, label.get_center()[1], 0.0], aligned_edge=RIGHT)
        else:
            corner = (self.entries[index].get_corner(DOWN + LEFT) + self.note_indent * RIGHT
                      + 0.5 * type_scale.height("caption") * DOWN)
            new.move_to(corner, aligned_edge=UP + LEFT)
        note = self.notes[index]
        note.become(new)
        return note


def _even_split(heights: Sequence[float], n: int, buff: float) -> list[tuple[int, int]]:
    """Split ``heights`` (in order) into ``n`` runs, ``buff`` between neighbours, the tallest run as short as can be:
    ``(start, stop)`` per run."""
    best: tuple[float, list[tuple[int, int]]] | None = None
    count = len(heights)

    def runs(start: int, left: int) -> list[list[tuple[int, int]]]:
        if left == 1:
            return [[(start, count)]]
        return [[(start, cut), *rest] for cut in range(start + 1, count - left + 2) for rest in runs(cut, left - 1)]

    for split in runs(0, min(n, count)):
        tallest = max(sum(heights[a:b]) + buff * (b - a - 1) for a, b in split)
        if best is None or tallest < best[0] - 1e-9:
            best = (tallest, split)
    assert best is not None
    return best[1]
