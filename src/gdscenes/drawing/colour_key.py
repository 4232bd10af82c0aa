"""The landscape's colour bar, built once per landscape in a warm process."""

from __future__ import annotations

from manim import Mobject

from gdscenes.display.palette import Theme
from gdscenes.display.view import View
from gdscenes.drawing import type_scale
from gdscenes.drawing.colour_bar import LENGTH, colour_bar
from gdscenes.drawing.landscape import type_key
from gdscenes.drawing.reuse import key, reuse


def colour_key(view: View, theme: Theme, upright: bool = False, name: str = "f", room: float | None = None) -> Mobject:
    """:func:`gdscenes.drawing.colour_bar.colour_bar` of ``view``'s heights, built once per landscape in a
    warm process (:func:`~gdscenes.drawing.reuse.reuse`; it reads the view's height map and height only).
    ``room``: the height an upright bar has (:meth:`~gdscenes.drawing.layout.Layout.bar_room`): a bar taller than
    that has its strip shortened by the difference (never under half its length)."""
    bar = _colour_key(view, theme, upright, name, LENGTH)
    if room is not None and bar.height > room + 1e-9:
        unit = type_scale.shorter_side() / 8.0
        bar = _colour_key(view, theme, upright, name, max(LENGTH / 2, LENGTH - (bar.height - room) / unit))
    return bar


def _colour_key(view: View, theme: Theme, upright: bool, name: str, length: float) -> Mobject:
    parts = ("colour bar", view.heights, view.height, theme, upright, name, type_key(), length)
    return reuse(key(*parts), lambda: colour_bar(view, theme, upright=upright, name=name, length=length))
