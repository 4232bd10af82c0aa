"""Lessons by name: ``gdscenes render NAME``, ``scene.name`` in a spec, ``gdscenes list``.

A lesson registers itself where it is defined::

    @lesson("momentum-inertia")
    class MomentumInertiaScene(InternalsScene): ...

and :data:`SCENES` finds every lesson by importing each module of
:mod:`gdscenes.scenes` (``pkgutil``) the first time it is read.  Adding a
lesson is therefore its module here plus its short file in the repository's
``scenes/`` folder; the name, the module and the class agree
(``race`` -> ``scenes/race.py`` -> ``RaceScene``).
"""

from __future__ import annotations

import ast
import importlib
import importlib.util
import pkgutil
from pathlib import Path
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, TypeVar

from gdscenes.suggest import did_you_mean

if TYPE_CHECKING:
    from _collections_abc import dict_items, dict_keys, dict_values

    from manim import Scene

__all__ = ["SCENES", "lesson", "get_scene", "exported", "catalog", "PACKAGE"]

PACKAGE = "gdscenes.scenes"
_S = TypeVar("_S", bound="type[Scene]")


class _Lessons(dict[str, "type[Scene]"]):
    """The registered lessons; the scene modules are imported (and so register) on the first read."""

    _found = False

    def _discover(self) -> None:
        if not self._found:
            self._found = True
            for module in sorted(pkgutil.iter_modules(importlib.import_module(PACKAGE).__path__), key=lambda m: m.name):
                importlib.import_module(f"{PACKAGE}.{module.name}")

    def __getitem__(self, name: str) -> type[Scene]:
        self._discover()
        return super().__getitem__(name)

    def __contains__(self, name: object) -> bool:
        self._discover()
        return super().__contains__(name)

    def __iter__(self) -> Iterator[str]:
        self._discover()
        return super().__iter__()

    def __len__(self) -> int:
        self._discover()
        return super().__len__()

    def get(self, name: str, default: type[Scene] | None = None) -> type[Scene] | None:  # type: ignore[override]
        self._discover()
        return super().get(name, default)

    def keys(self) -> dict_keys[str, type[Scene]]:
        self._discover()
        return super().keys()

    def values(self) -> dict_values[str, type[Scene]]:
        self._discover()
        return super().values()

    def items(self) -> dict_items[str, type[Scene]]:
        self._discover()
        return super().items()

    def __repr__(self) -> str:
        self._discover()
        return super().__repr__()


#: registry name -> lesson class, e.g. ``SCENES["race"] is RaceScene``
SCENES: _Lessons = _Lessons()


def lesson(name: str) -> Callable[[_S], _S]:
    """Class decorator: register the lesson under ``name`` (``"momentum-inertia"``)."""

    def register(cls: _S) -> _S:
        known = dict.get(SCENES, name)
        if known is not None and known is not cls:
            raise ValueError(f"lesson name {name!r} is taken by {known.__module__}.{known.__qualname__}")
        dict.__setitem__(SCENES, name, cls)
        return cls

    return register


def get_scene(name: str) -> type[Scene]:
    """The scene class called ``name``; a one-line error with a suggestion otherwise."""
    try:
        return SCENES[name]
    except KeyError:
        raise ValueError(f"unknown scene {name!r}{did_you_mean(name, SCENES, 'choose one of')}") from None


def exported() -> dict[str, type]:
    """The public classes of the scene modules (lessons, their bases, ``Run``), by name, aliases included."""
    SCENES._discover()
    names: dict[str, type] = {}
    for info in pkgutil.iter_modules(importlib.import_module(PACKAGE).__path__):
        module = importlib.import_module(f"{PACKAGE}.{info.name}")
        for attr, value in vars(module).items():
            if isinstance(value, type) and not attr.startswith("_") and value.__module__.startswith(PACKAGE + "."):
                names.setdefault(attr, value)
    return names


def catalog() -> dict[str, str]:
    """Every lesson's name and the first line of its docstring, read from the source: no manim, no import.

    What ``gdscenes list`` shows; the same names as :data:`SCENES` (a test checks it).
    """
    spec = importlib.util.find_spec(PACKAGE)
    assert spec is not None and spec.submodule_search_locations
    found: dict[str, str] = {}
    for folder in spec.submodule_search_locations:
        for path in sorted(Path(folder).glob("*.py")):
            for node in ast.parse(path.read_text(encoding="utf-8"), str(path)).body:
                if isinstance(node, ast.ClassDef):
                    for name in _lesson_names(node):
                        doc = (ast.get_docstring(node) or "").strip().splitlines()
                        found[name] = doc[0] if doc else ""
    return dict(sorted(found.items()))


def _lesson_names(node: ast.ClassDef) -> list[str]:
    """The names in ``@lesson("name")`` decorators of a class."""
    return [d.args[0].value for d in node.decorator_list
            if isinstance(d, ast.Call) and isinstance(d.func, ast.Name) and d.func.id == "lesson"
            and d.args and isinstance(d.args[0], ast.Constant) and isinstance(d.args[0].value, str)]
