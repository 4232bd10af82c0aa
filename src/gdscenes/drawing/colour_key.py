"""The landscape's colour bar, built once per landscape in a warm process."""

from __future__ import annotations

from manim import Mobject

from gdscenes.display.palette import Theme
from gdscenes.display.view import View
from gdscenes.drawing.colour_bar import colour_bar
from gdscenes.drawing.landscape import type_key
from gdscenes.drawing.reuse import key, reuse


def colour_key(view: View, theme: Theme, upright: bool = False, name: str = "f") -> Mobject:
    """:func:`gdscenes.drawing.colour_bar.colour_bar` of ``view``'s heights, built once per landscape in a
    warm process (:func:`~gdscenes.drawing.reuse.reuse`; it reads the view's height map and height only)."""
    parts = ("colour bar", view.heights, view.height, theme, upright, name, type_key())
    return reuse(key(*parts), lambda: colour_bar(view, theme, upright=upright, name=name))
