"""The module manim loads as the ``gdscenes`` plugin (entry point group ``manim.plugins``).

manim loads every plugin's entry point while ``import manim`` itself is
still running (``manim/plugins/__init__.py`` calls ``get_plugins()``), so
this module must not import manim: the scene classes are looked up lazily,
on first attribute access (``from gdscenes.plugin import LearningRateScene``).
"""

from __future__ import annotations

import importlib
from typing import Any


def __getattr__(name: str) -> Any:
    scenes = importlib.import_module("gdscenes.scenes")
    try:
        return getattr(scenes, name)
    except AttributeError:
        raise AttributeError(f"module 'gdscenes.plugin' has no attribute {name!r}") from None


def __dir__() -> list[str]:
    return list(importlib.import_module("gdscenes.scenes").__all__)
