"""Scene classes: each lesson is a :class:`manim.Scene` subclass varied by class attributes."""

from gdscenes.scenes.descent import DescentScene

__all__ = ["DescentScene"]
