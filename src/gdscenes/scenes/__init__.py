"""Scene classes: each lesson is a :class:`manim.Scene` subclass varied by class attributes.

``from gdscenes.scenes import DescentScene`` (any lesson, ``LessonScene``,
``ComparisonScene``, ``InternalsScene``, ``Run``) works: the names are looked
up on first use in the scene modules, which register themselves with
:func:`gdscenes.scenes.registry.lesson`, so adding a lesson edits nothing here.
manim loads gdscenes as a plugin through :mod:`gdscenes.plugin`, which hands
out these classes the same way.
"""

from __future__ import annotations

import importlib


def __getattr__(name: str) -> object:
    registry = importlib.import_module("gdscenes.scenes.registry")
    public = registry.exported()
    if name == "__all__":
        return sorted(public)
    try:
        return public[name]
    except KeyError:
        raise AttributeError(f"module 'gdscenes.scenes' has no attribute {name!r}") from None


def __dir__() -> list[str]:
    return sorted(importlib.import_module("gdscenes.scenes.registry").exported())
