"""The equation panel: the optimizer's update rule and the live numbers of a step.

The panel only displays numbers it is given (those of the trajectory); it
computes nothing. Labels are typeset once; each step re-spells the value rows
from glyphs typeset once (:mod:`gdscenes.drawing.glyphs`), so a step costs no
LaTeX run and no copy. The scene keeps the panel fixed in frame.
"""

from __future__ import annotations

import math
import re

from collections.abc import Collection, Mapping, Sequence

import numpy as np
from manim import DOWN, LEFT, RIGHT, UL, UP, VGroup, VMobject

from gdscenes.drawing import type_scale
from gdscenes.drawing.card import PAD, card
from gdscenes.drawing.glyphs import GlyphString, spell_number, spell_vector
from gdscenes.drawing.layout import Layout
from gdscenes.drawing.polyline import Polyline
from gdscenes.drawing.typeset import math_tex
from gdscenes.display.palette import Theme

ROWS: tuple[tuple[str, str], ...] = (
    ("k", r"k ="),
    ("theta", r"\theta_k ="),
    ("grad", r"\nabla f(\theta_k) ="),
    ("lr", r"\eta ="),
    ("next", r"\theta_{k+1} ="),
    ("loss", r"f(\theta_k) ="),
)


#: Room for a row's numbers (a 2D vector), in body digit heights; the space between a wide panel's columns;
#: the narrowest the title and rule column of a wide panel may be (frame units).
VALUES_WIDTH = 12.5
COLUMN_GAP = 0.3
MIN_TEXT_COLUMN = 2.8
#: A panel set as a grid: the rows that show one number (the others show a vector), each with the widest
#: number it is given room for; the space between two of them on their line; the space between the first
#: column of vectors (room for the widest, ``(-8.888, -8.888)``) and the second; the width right of the rule
#: that puts the status line there (frame units), else it goes under the rows, this many caption digits tall.
NUMBER_ROOM = {"k": "000", "lr": "0.000", "loss": "000.0000", "kappa": "000.00"}
NUMBER_GAP = 0.35
VECTOR_GAP = 0.2
STATUS_ROOM = 3.2
STATUS_LINE = 1.4
#: Room for the status line under a panel's rule or rows (with the space above it), in caption digit heights.
STATUS_HEIGHT = 2.6


class UpdatePanel(VGroup):
    """Title, update rule and one row per live quantity.

    Parameters
    ----------
    title
        First line, LaTeX text (``$...$`` for math; e.g. ``"Gradient descent on Himmelblau"``);
        wrapped at the title size, never shrunk.
    rule_latex
        The optimizer's update rule (lines separated by ``\\``), at the body size.
    theme
        Colours.
    width
        Width of the panel in frame units; the text keeps its size (:mod:`~gdscenes.drawing.type_scale`).
    extra_rows
        More ``(key, label LaTeX ending in "=")`` rows under the usual ones
        (an optimizer's state, the curvature), filled by ``show_step(extra=...)``.
    colors
        Colour of a row's label and numbers by key (default: ``theta`` and ``next``
        like the ball, which they name); the others are muted labels and text numbers.
    max_height
        The height the panel has room for: a panel taller than this (many extra rows in a square
        frame's short band) sets its rows as a grid under the title and the rule instead, when that is
        shorter (:attr:`grid`). ``None``: the text room of the current layout when it is stacked
        (:class:`~gdscenes.drawing.layout.Layout`), else no limit.
    shown_rows
        The keys of the rows shown (``None``: all): a compact panel beside a lesson's own block (the loss curve)
        leaves out what that block or the picture shows. :meth:`show_step` still takes every row's numbers.
    """

    def __init__(
        self, title: str, rule_latex: str, theme: Theme, width: float = 5.0,
        extra_rows: Sequence[tuple[str, str]] = (), colors: Mapping[str, str] | None = None,
        max_height: float | None = None, shown_rows: Collection[str] | None = None,
    ) -> None:
        super().__init__()
        self.theme = theme
        given = (*ROWS, *extra_rows)
        self.given_keys = [key for key, _ in given]
        self.rows = tuple(row for row in given if shown_rows is None or row[0] in shown_rows)
        inner = width - 2 * PAD
        coloured = {"theta": theme.ball, "next": theme.ball, **(colors or {})}
        body_px = type_scale.height("body")
        self.labels = VGroup(*(type_scale.math(tex, "body", color=coloured.get(key, theme.muted)) for key, tex in self.rows))
        self.labels.arrange(DOWN, aligned_edge=RIGHT, buff=0.7 * body_px)
        # A wide panel (a band across a square or tall frame) puts the rows in a column of their own,
        # right of the title and the rule: half as tall, at the same type sizes.
        rows_width = self.labels.width + 0.35 + VALUES_WIDTH * body_px
        self.wide = inner - rows_width - COLUMN_GAP >= MIN_TEXT_COLUMN
        text_width = inner - rows_width - COLUMN_GAP if self.wide else inner
        self.title = type_scale.title(title, text_width, theme.text)
        self.rule = rule_block(rule_latex, text_width, theme.text)
        scale = type_scale.math_scale("body")
        self.values = VGroup(*(GlyphString(coloured.get(key, theme.text), scale) for key, _ in self.rows))
        self.status: VMobject = Polyline()
        if self.wide:
            text = VGroup(self.title, self.rule).arrange(DOWN, aligned_edge=LEFT, buff=1.0 * body_px)
            self.labels.next_to(text, RIGHT, buff=0, aligned_edge=UP)
            self.labels.set_x(text.get_left()[0] + inner - VALUES_WIDTH * body_px - 0.15 - self.labels.width / 2)
            body = VGroup(text, self.labels)
            extra = wide_extra(text, body)
        else:
            body = VGroup(self.title, self.rule, self.labels).arrange(DOWN, aligned_edge=LEFT, buff=1.0 * body_px)
            self.labels.shift(0.2 * RIGHT)
            extra = 2 * PAD + STATUS_HEIGHT * type_scale.height("caption")
        self.content = VGroup(body, self.values, self.status)
        self.background = card(body, theme, width, extra_height=extra)
        #: In a grid (:meth:`_grid`): each row's right edge for its numbers and the status line's left edge, from
        #: the card's left edge, and whether the status line stands right of the rule (else under the rows).
        self.grid = False
        self.value_rights: list[float] = []
        self.status_left, self.status_beside = 0.0, True
        if max_height is None:
            layout = Layout.current()
            max_height = layout.text_box[1] if layout.stacked else None
        if max_height is not None and self.background.height > max_height + 1e-9:
            self._grid(title, rule_latex, theme, width)
            if self.wide and not self.grid and self.background.height > max_height + 1e-9:
                self._constants_by_rate(rule_latex, theme, width, text_width)
        self.design_width = self.background.width
        self.add(self.background, self.content)

    def _grid(self, title: str, rule_latex: str, theme: Theme, width: float) -> None:
        """Set the panel as a grid if that makes it shorter: the title and the rule across the card, the rows of
        one number side by side on as few lines as hold them, the others (vectors) two to a line in two aligned
        columns (one where two do not fit); the status line right of the rule where it has room, else under the
        rows. Leaves the panel as it is if the rows do not fit the width."""
        inner = width - 2 * PAD
        body_px = type_scale.height("body")
        title_tex = type_scale.title(title, inner, theme.text)
        rule = rule_block(rule_latex, inner, theme.text)
        beside = inner - rule.width - COLUMN_GAP >= STATUS_ROOM
        keys = [key for key, _ in self.rows]
        natural = self.values[0].font.width
        numbers = [i for i, key in enumerate(keys) if key in NUMBER_ROOM]
        vectors = [i for i in range(len(keys)) if i not in numbers]
        labels = list(self.labels)
        spots: dict[int, tuple[float, float]] = {}  # row: (left of its label, right edge of its numbers), from the card's
        lines: list[list[int]] = []
        x = inner
        for i in numbers:
            cell = labels[i].width + 0.15 + natural(list(NUMBER_ROOM[keys[i]]))
            if cell > inner + 1e-9:
                return
            if x + NUMBER_GAP + cell > inner + 1e-9:
                lines.append([])
                x = -NUMBER_GAP
            spots[i] = (x + NUMBER_GAP, x + NUMBER_GAP + cell)
            lines[-1].append(i)
            x = spots[i][1]
        widest = natural(spell_vector((-8.888, -8.888)))
        firsts, seconds = vectors[0::2], vectors[1::2]
        first_labels = max((labels[i].width for i in firsts), default=0.0)
        second_labels = max((labels[i].width for i in seconds), default=0.0)
        first_right = first_labels + 0.15 + widest
        second_left = first_right + VECTOR_GAP
        if inner - (second_left + second_labels + 0.15) < widest:  # (one column)
            firsts, seconds = vectors, []
            first_labels = max((labels[i].width for i in firsts), default=0.0)
            if vectors and inner - first_labels - 0.15 < widest:
                return
            first_right = inner
        for i in firsts:
            spots[i] = (first_labels - labels[i].width, first_right)
        for i in seconds:
            spots[i] = (second_left + second_labels - labels[i].width, inner)
        lines += [[a, b] for a, b in zip(firsts, seconds)] + [[a] for a in firsts[len(seconds):]]
        # Top to bottom: the title, the rule, the lines of rows, each label's "=" on its line's middle.
        gap = 0.7 * body_px
        left = title_tex.get_left()[0]
        rule.next_to(title_tex, DOWN, buff=gap).align_to(title_tex, LEFT)
        y = rule.get_bottom()[1] - gap
        was = [label.get_center().copy() for label in labels]  # (a copy: under OpenGL it is a view of the points)
        for line in lines:
            tallest = max(labels[i].height for i in line)
            middle = y - tallest / 2
            for i in line:
                equals = labels[i][0][-1]
                labels[i].shift((left + spots[i][0] - labels[i].get_left()[0]) * RIGHT + (middle - equals.get_center()[1]) * UP)
            y = min(labels[i].get_bottom()[1] for i in line) - gap
        body = VGroup(title_tex, rule, self.labels)
        status_room = 0.0 if beside else body_px + STATUS_LINE * type_scale.height("caption")
        background = card(body, theme, width, extra_height=2 * PAD + status_room)
        if background.height >= self.background.height:  # (not shorter: the rows go back where they were)
            for label, centre in zip(labels, was):
                label.move_to(centre)
            return
        self.grid, self.title, self.rule, self.background = True, title_tex, rule, background
        self.value_rights = [PAD + spots[i][1] for i in range(len(keys))]
        self.status_beside = beside
        self.status_left = PAD + max(rule.width + COLUMN_GAP, second_left if seconds else 0.0) if beside else PAD
        self.content = VGroup(body, self.values, self.status)

    def _constants_by_rate(self, rule_latex: str, theme: Theme, width: float, text_width: float) -> None:
        """A wide panel too tall for its band (its title and rule column, the taller): the rule's constants
        (``mu = 0.8``: hyperparameters, as the learning rate is) stand on the learning rate's row, right of its
        number, so the rule is a line or more shorter. Leaves the panel as it is where they do not fit on that
        row or the panel is not shorter."""
        keys = [key for key, _ in self.rows]
        rule_latex, constants = split_constants(rule_latex)
        if not constants or "lr" not in keys:
            return
        body_px = type_scale.height("body")
        row = keys.index("lr")
        label = self.labels[row]
        room = self.values[row].font.width(NUMBER_ROOM["lr"])
        pairs = VGroup(*(math_tex(symbol + " =", value, color=theme.text).scale(type_scale.math_scale("body"))
                         for symbol, value in constants)).arrange(RIGHT, buff=NUMBER_GAP)
        for pair in pairs:  # (labelled as the rows are; each "=" on the row's middle, as the rate's)
            pair[0].set_color(theme.muted)
            pair.shift((label[0][-1].get_center()[1] - pair[0][-1].get_center()[1]) * UP)
        left = label.get_right()[0] + 0.15 + room + NUMBER_GAP
        pairs.shift((left - pairs.get_left()[0]) * RIGHT)
        card_left = self.title.get_left()[0] - PAD
        if pairs.get_right()[0] > card_left + width - PAD + 1e-9:
            return
        rule = rule_block(rule_latex, text_width, theme.text)
        rule.next_to(self.title, DOWN, buff=1.0 * body_px).align_to(self.title, LEFT)
        text = VGroup(self.title, rule)
        body = VGroup(text, self.labels, pairs)
        background = card(body, theme, width, extra_height=wide_extra(text, body))
        if background.height >= self.background.height:
            return
        self.rule, self.background, self.constants = rule, background, pairs
        right = width - 0.2
        self.value_rights = [left - NUMBER_GAP / 2 - card_left if i == row else right for i in range(len(keys))]
        self.content = VGroup(body, self.values, self.status)

    @property
    def shrunk(self) -> float:
        """How much a layout shrank the panel (1: not at all): the numbers and the status line follow it."""
        return float(self.background.width / self.design_width)

    def place(self, corner: np.ndarray = UL, buff: float = 0.3) -> UpdatePanel:
        """Move the panel to a corner of the frame."""
        return self.to_corner(corner, buff=buff)

    def show_step(
        self,
        k: int,
        theta: Sequence[float],
        grad: Sequence[float],
        lr: float,
        theta_next: Sequence[float] | None,
        loss: float,
        extra: Sequence[list[str]] = (),
    ) -> list[GlyphString]:
        """Show the numbers of step ``k``; returns the value rows (changed in place).

        ``extra`` holds the glyph keys of the extra rows (``spell_vector``,
        ``spell_number``), in their order.
        """
        rows = [
            list(str(k)),
            spell_vector(theta),
            spell_vector(grad),
            spell_number(lr, decimals=max(3, _decimals_for(lr))),
            spell_vector(theta_next) if theta_next is not None else ["-"],
            spell_number(loss, decimals=4),
            *extra,
        ]
        given = dict(zip(self.given_keys, rows))
        rows = [given[key] for key, _ in self.rows]
        right_edge = self.background.get_right()[0] - 0.2
        shrunk = self.shrunk
        for i, (label, slot, keys) in enumerate(zip(self.labels, self.values, rows)):
            equals = label[0][-1]
            left = label.get_right() + 0.15 * RIGHT * shrunk
            if self.value_rights:  # (up to the row's own right edge: the next column's, or the constants')
                right_edge = self.background.get_left()[0] + self.value_rights[i] * shrunk
            room = right_edge - left[0]
            if shrunk < 1.0:  # (as the labels: the glyphs are spelled at the panel's own size, then shrunk)
                room = min(room, slot.font.width(keys) * shrunk)
            slot.spell(keys, left, equals.get_center()[1], max_width=room)
        return list(self.values)

    def add_below(self, lines: VMobject) -> VMobject:
        """Put ``lines`` (the key of what is drawn at the ball) under a grid's rows, inside the card, which grows
        to hold them: a square frame's short band has no room for a card of their own. Returns ``lines``."""
        if not self.grid:
            raise ValueError("only a panel set as a grid takes lines under its rows")
        lines.next_to(self.labels, DOWN, buff=0.7 * type_scale.height("body") * self.shrunk).align_to(self.title, LEFT)
        self.under_rows = lines  # (a status line under the rows goes under these: set_status)
        status = 0.0 if self.status_beside else type_scale.height("body") + STATUS_LINE * type_scale.height("caption")
        self.background.become(card(VGroup(self.title, self.rule, self.labels, lines), self.theme, self.background.width,
                                    extra_height=(2 * PAD + status) * self.shrunk))
        self.content.add(lines)
        return lines

    def set_status(self, text: str) -> VMobject:
        """Replace the status line (e.g. ``"converged at step 23"``)."""
        if self.grid:  # (right of the rule, on its line, or under the rows)
            left = self.background.get_left()[0] + self.status_left * self.shrunk
            room = self.background.get_right()[0] - PAD * self.shrunk - left
            new = type_scale.wrapped_text(text, room / self.shrunk, self.theme.muted, "caption").scale(self.shrunk)
            top = self.rule.get_top()[1] if self.status_beside else (
                getattr(self, "under_rows", self.labels).get_bottom()[1] - type_scale.height("body") * self.shrunk)
            self.status.become(new.move_to([left, top, 0.0], aligned_edge=UL))
            return self.status
        new = type_scale.text(text, "caption", color=self.theme.muted).scale(self.shrunk)
        above = self.rule if self.wide else self.labels
        self.status.become(new.next_to(above, DOWN, buff=self.shrunk * type_scale.height("body")).align_to(self.title, LEFT))
        return self.status


def wide_extra(text: VMobject, body: VMobject) -> float:
    """The height a wide panel's card adds to its ``body`` (the title and rule column ``text`` beside the rows): the
    padding, and room for the status line under the rule where that column, with it, is the taller."""
    return 2 * PAD + max(text.height + STATUS_HEIGHT * type_scale.height("caption") - body.height, 0.0)


def rule_block(rule_latex: str, width: float, color: str) -> VMobject:
    """The update rule, ``width`` wide at most: equations joined by ``, \\quad`` (or ``,\\quad``) on a line too
    wide go on lines of their own; at the body size if it is one or two lines that fit, else at the caption size; a
    rule still too wide (NAdam's) is the one thing scaled down to fit."""
    lines: list[str] = []
    for line in rule_latex.split(r"\\"):
        parts = re.split(r",\s*\\quad", line)
        if len(parts) == 1 or type_scale.math(line, "caption").width <= width:
            lines.append(line.strip())
            continue
        lines.append(parts[0].strip())
        lines += [part.strip() if "&" in part else part.strip().replace("=", "&=", 1) for part in parts[1:]]
    latex = r" \\ ".join(lines)
    rule = type_scale.math(latex, "body", color=color)
    if len(lines) > 2 or rule.width > width:
        rule = type_scale.math(latex, "caption", color=color)
    rule.shrunk = 1.0  # (how much the last resort scaled it: below the caption size where under 1)
    if rule.width > width:
        rule.shrunk = width / rule.width
        rule.scale_to_fit_width(width)
    return rule


#: A constant of an update rule, as :func:`~gdscenes.scenes.descent.with_constants` appends it to a line:
#: ``\mu = 0.8``, ``\beta_2 = 0.999``, ``\epsilon = 10^{-8}``.
CONSTANT = re.compile(r"\s*(\\?[A-Za-z]+(?:_\w|_\{\w+\})?)\s*=\s*(-?[\d.]+(?:e[-+]?\d+)?|10\^\{-?\d+\})\s*")


def split_constants(rule_latex: str) -> tuple[str, list[tuple[str, str]]]:
    """An update rule (lines separated by ``\\``) without its constants, and the constants: ``(symbol, value)``."""
    lines, constants = [], []
    for line in rule_latex.split(r"\\"):
        parts = re.split(r",\s*\\quad", line)
        kept = [parts[0].strip()]
        for part in parts[1:]:
            match = CONSTANT.fullmatch(part)
            if match:
                constants.append((match[1], match[2]))
            else:
                kept.append(part.strip())
        lines.append(r", \quad ".join(kept))
    return r" \\ ".join(lines), constants


def _decimals_for(value: float) -> int:
    """Decimals needed to show a small hyperparameter like 0.0005 exactly, and no more than three
    significant digits need (a scheduled rate such as 0.1190838939 shows as 0.119)."""
    text = f"{value:.10f}".rstrip("0")
    exact = len(text.split(".")[1]) if "." in text else 0
    if value == 0 or not math.isfinite(value):
        return exact
    return min(exact, max(0, 2 - math.floor(math.log10(abs(value)))))
