"""The card behind every text block (update panel, legend, loss curve): one look for all."""

from __future__ import annotations

import numpy as np
from manim import DOWN, LEFT, UP, Line, Mobject, RoundedRectangle, VGroup

from gdscenes.display.palette import CARD_OPACITY, Theme

#: Space between a card's edge and its contents (left and top).
PAD = 0.25
#: A leader line's stroke widths: the line (the theme's text colour) and its casing (the card's plate colour) under it.
LEADER_WIDTH, LEADER_CASING = 1.5, 4.5


def card(body: Mobject, theme: Theme, width: float, extra_height: float = 0.5) -> RoundedRectangle:
    """A rounded card ``width`` wide whose top-left corner is :data:`PAD` outside ``body``'s, opaque in the
    theme's panel colour (a camera that comes close, ``follow``, may put the landscape behind it).

    ``extra_height`` is added to ``body``'s height (room for the padding and
    for lines the block fills in later, like a status line).
    """
    background = RoundedRectangle(
        corner_radius=0.15, width=width, height=body.height + extra_height,
        fill_color=theme.panel, fill_opacity=1.0, stroke_color=theme.axes, stroke_width=1,
    )
    return background.align_to(body, UP).shift(PAD * UP).align_to(body, LEFT).shift(PAD * LEFT)


def plate(body: Mobject, theme: Theme, pad: tuple[float, float] = (0.16, 0.12)) -> RoundedRectangle:
    """The small plate behind a label drawn over the landscape (a minimum's value, a tick label over the surface):
    the theme's panel colour, :data:`~gdscenes.display.palette.CARD_OPACITY`, ``pad`` (x, y) wider and taller than
    ``body``, centred on it: the label keeps its contrast over any colour of the surface."""
    return RoundedRectangle(corner_radius=0.06, width=body.width + pad[0], height=body.height + pad[1], stroke_width=0,
                            fill_color=theme.panel, fill_opacity=CARD_OPACITY).move_to(body)


def leader_ends(box: Mobject, point: np.ndarray, touch: float, mark: float = 0.0) -> tuple[np.ndarray, np.ndarray] | None:
    """Where a leader line from a card (``box``, its plate) to ``point`` runs: from the point of the card's border
    nearest ``point`` to ``mark`` short of ``point`` (the radius of what marks it); ``None`` where the card lies within
    ``touch`` of ``point`` (beside it: no line needed). In the plane of the box (x, y: the card's own layout), at its
    depth."""
    centre, half = np.asarray(box.get_center(), dtype=float), np.array([box.width, box.height]) / 2
    target = np.array([float(point[0]), float(point[1]), centre[2]])
    start = np.array([*np.clip(target[:2], centre[:2] - half, centre[:2] + half), centre[2]])
    gap = float(np.linalg.norm(target - start))
    if gap <= max(touch, mark):
        return None
    return start, target - mark * (target - start) / gap


def leader_line(theme: Theme, at: np.ndarray) -> VGroup:
    """A card's leader line, hidden (a tiny stroke at ``at``) until :func:`show_leader` places it: made with the card,
    so that it belongs to the card from the start (a camera-facing card keeps the members it had when the scene added
    it). The theme's text colour on a casing of the card's plate colour (``panel``): the pair keeps at least 3:1
    against any colour of the surface behind it in both themes (:func:`~gdscenes.display.palette.surround_contrast`).
    Its members: the casing and the line (``group[1]``)."""
    at = np.asarray(at, dtype=float)
    lines = [Line(at, at + [1e-3, 0.0, 0.0], stroke_color=color, stroke_width=width, stroke_opacity=0.0)
             for color, width in ((theme.panel, LEADER_CASING), (theme.text, LEADER_WIDTH))]
    return VGroup(*lines)


def show_leader(leader: VGroup, ends: tuple[np.ndarray, np.ndarray] | None) -> None:
    """Run ``leader`` (:func:`leader_line`) between ``ends`` (:func:`leader_ends`) and show it, or hide it (``None``)."""
    for line in leader.submobjects:
        if ends is not None:
            line.put_start_and_end_on(*ends)
        line.set_stroke(opacity=0.0 if ends is None else 1.0)


def fit_width(mobject: Mobject, width: float) -> Mobject:
    """Shrink ``mobject`` to ``width`` if it is wider; returns it."""
    if mobject.width > width:
        mobject.scale_to_fit_width(width)
    return mobject


def split_terms(latex: str) -> list[str]:
    """The top-level terms of a LaTeX sum, each with its sign (``"a + b - c"`` to ``["a", "+ b", "- c"]``):
    split at `` + `` and `` - `` outside braces and ``\\left ... \\right`` pairs."""
    terms, current, depth, i = [], "", 0, 0
    while i < len(latex):
        if latex.startswith(r"\left", i):
            depth += 1
        elif latex.startswith(r"\right", i):
            depth -= 1
        ch = latex[i]
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        if depth == 0 and latex.startswith((" + ", " - "), i) and current.strip():
            terms.append(current.strip())
            current = latex[i + 1]
            i += 2
            continue
        current += ch
        i += 1
    if current.strip():
        terms.append(current.strip())
    return terms


def formula_block(lhs: str, latex: str, width: float, color: str) -> Mobject:
    """``lhs = latex`` at the body size, ``width`` wide at most: a formula too wide is broken
    between its terms (:func:`split_terms`) onto lines aligned at the ``=``; still too wide, at the
    caption size; a single term wider than that (never seen in the library) is the one thing scaled down."""
    from gdscenes.drawing import type_scale

    for role in ("body", "caption"):
        whole = type_scale.math(f"{lhs} = {latex}", role, color=color)
        if whole.width <= width:
            return whole
        lines: list[str] = []
        current = ""
        for term in split_terms(latex):
            trial = f"{current} {term}".strip()
            head = rf"{lhs} = " if not lines else rf"{lhs} = \quad "  # (later lines sit right of the "=")
            if current and type_scale.math(head + trial, role).width > width:
                lines.append(current)
                current = term
            else:
                current = trial
        lines.append(current)
        rows = [rf"{lhs} &= {lines[0]}", *(rf"&\quad {line}" for line in lines[1:])]
        block = type_scale.math(r" \\ ".join(rows), role, color=color)
        if block.width <= width:
            return block
    return fit_width(block, width)


def title_card(title: str, formula: str | None, color: str, width: float, short_title: str | None = None) -> VGroup:
    """The opening's card: ``title`` (LaTeX text) at the title size and ``f(x, y) = formula`` at the
    body size, each line centred, ``width`` wide at most: lines too long wrap (never shrink). A title
    that cannot wrap narrow enough (a long formula in it, which wraps only under it) gives way to
    ``short_title`` (naming the loss ``f``)."""
    from gdscenes.drawing import type_scale

    head = type_scale.title(title, width, color)
    if short_title is not None and head.width > width:
        head = type_scale.title(short_title, width, color)
    for line in head:
        line.set_x(head.get_x())
    parts: list[Mobject] = [head]
    if formula:
        parts.append(formula_block("f(x, y)", formula, width, color))
    return VGroup(*parts).arrange(DOWN, buff=0.6 * type_scale.height("title"))
