"""Scene classes: each lesson is a :class:`manim.Scene` subclass varied by class attributes.

Importing this module is also how manim loads gdscenes as a plugin
(entry point ``manim.plugins``: ``gdscenes = "gdscenes.scenes"``).
"""

from gdscenes.scenes.descent import DescentScene
from gdscenes.scenes.lesson import LessonScene

__all__ = ["DescentScene", "LessonScene"]
