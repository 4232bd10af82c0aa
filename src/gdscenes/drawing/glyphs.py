"""Numbers spelled from glyphs typeset once.

A panel that shows new numbers at every step would otherwise build a
``DecimalNumber`` per value and step: a LaTeX lookup and a deep copy per
character, which dominated render time under OpenGL. Here the digits, signs
and brackets are typeset once per colour and size (one ``MathTex`` each for
normal and superscript glyphs), and a :class:`GlyphString` re-spells itself by
copying glyph outlines into a fixed set of slots. The slots never change
identity, so they stay fixed in frame under both renderers and the Cairo
renderer's per-animation list of mobjects stays valid.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import numpy as np
from manim import VGroup

from gdscenes.drawing.polyline import Polyline
from gdscenes.drawing.typeset import math_tex

MAIN = "0123456789.-,()×"
SUPER = "0123456789-"
#: Numbers at least this large are spelled ``m × 10^e``.
SCIENTIFIC_FROM = 1e4


class GlyphFont:
    """Outlines of the glyphs of one colour and size, relative to the baseline."""

    def __init__(self, color: str, scale: float) -> None:
        main = math_tex(r"0123456789.-,()\times", color=color).scale(scale)[0]
        sup = math_tex(r"10^{0123456789-}", color=color).scale(scale)[0]
        self.color = color
        self.outlines: dict[str, np.ndarray] = {}
        self.widths: dict[str, float] = {}
        for keys, glyphs, one in ((list(MAIN), list(main), main[1]), (["^" + c for c in SUPER], list(sup)[2:], sup[0])):
            baseline = one.get_bottom()[1]
            for key, glyph in zip(keys, glyphs):
                self.outlines[key] = np.asarray(glyph.points) - np.array([glyph.get_left()[0], baseline, 0.0])
                self.widths[key] = float(glyph.width)
        self.digit_height = float(main[0].height)
        self.gap = 0.04 * scale / 0.62

    def advances(self, keys: Sequence[str]) -> list[float]:
        """How far each of ``keys`` moves the pen: its glyph's width and the gap (a space: two and a half gaps)."""
        return [self.widths.get(k, 0.0) + self.gap if k != " " else 2.5 * self.gap for k in keys]

    def width(self, keys: Sequence[str]) -> float:
        """The natural width of ``keys`` spelled at this size."""
        return sum(self.advances(keys))


@lru_cache(maxsize=8)
def font(color: str, scale: float) -> GlyphFont:
    """The (cached) font of ``color`` at ``scale``."""
    return GlyphFont(color, scale)


def spell_number(value: float, decimals: int = 3) -> list[str]:
    """Glyph keys of a number: fixed decimals (a small negative one that rounds to zero without its sign: ``0.000``,
    not ``-0.000``), or ``m × 10^e`` when large."""
    if not np.isfinite(value):
        return ["-"]
    if abs(value) >= SCIENTIFIC_FROM:
        mantissa, exponent = f"{value:.2e}".split("e")
        return [*mantissa, "×", "1", "0", *("^" + c for c in str(int(exponent)))]
    text = f"{value:.{decimals}f}"
    return list(text.lstrip("-") if float(text) == 0 else text)


def spell_vector(values: tuple[float, ...] | np.ndarray, decimals: int = 3) -> list[str]:
    """Glyph keys of ``(a, b)``; a space after the comma."""
    keys = ["("]
    for i, v in enumerate(values):
        if i:
            keys += [",", " "]
        keys += spell_number(float(v), decimals)
    return keys + [")"]


_EMPTY = np.zeros((0, 3))


def _place(slot: Polyline, points: np.ndarray) -> None:
    """Give ``slot`` these ``points``, unless it has exactly these already (byte for byte): then nothing
    changes, and manim's refresh of the slot, its parents' bounding boxes and (OpenGL) its triangulation
    is skipped. A panel re-spells every row at every step, but most slots keep their glyph or stay empty."""
    old = slot.points
    if old.shape == points.shape and (not len(points) or old.tobytes() == points.tobytes()):
        return
    slot.set_points(points)


class GlyphString(VGroup):
    """A line of up to ``capacity`` glyphs that can be re-spelled in place."""

    def __init__(self, color: str, scale: float, capacity: int = 40) -> None:
        self.font = font(color, scale)
        super().__init__(*(Polyline(fill_color=color, fill_opacity=1.0, stroke_width=0) for _ in range(capacity)))
        self.keys: list[str] = []

    def spell(self, keys: list[str], left: np.ndarray, centre_y: float, max_width: float | None = None) -> GlyphString:
        """Show ``keys`` starting at ``left``, digits centred on ``centre_y``; shrink to ``max_width``."""
        f = self.font
        keys = keys[: len(self.submobjects)]
        advances = f.advances(keys)
        total = sum(advances)
        shrink = min(1.0, max_width / total) if max_width and total > 0 else 1.0
        x = float(left[0])
        baseline = centre_y - f.digit_height * shrink / 2
        for slot, key, advance in zip(self.submobjects, keys, advances):
            _place(slot, f.outlines[key] * shrink + np.array([x, baseline, 0.0]) if key in f.outlines else _EMPTY)
            x += advance * shrink
        for slot in self.submobjects[len(keys) :]:
            _place(slot, _EMPTY)
        self.keys = list(keys)
        return self

    @property
    def text(self) -> str:
        """What is spelled, as text (superscripts as ``^d``)."""
        return "".join(self.keys)
