"""Output names that stay in their folder and never collide.

A name is a readable slug of the scene (or spec file) and the values given
(``clip_lr0.05_zoom0.6``). Where the slug loses information (characters
dropped or replaced, a number printed shorter than its value, a name cut
at :data:`MAX_LENGTH`, ``.`` or ``..``), an 8-digit hash of the canonical
parameters is appended: ``descent_x+y_2_1a2b3c4d`` for ``(x+y)^2``, another for
``(x+y)*2``. The hash depends only on the values themselves (keys sorted),
so a sweep names a variant the same whatever the order of its ``--vary``
values. A name never starts with a dot and holds only ``A-Z a-z 0-9 . + - _``.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Iterable
from typing import Any

#: Characters kept in names; every run of others becomes one ``_``.
_UNSAFE = re.compile(r"[^A-Za-z0-9.+-]+")
#: Longest readable part of a name (the hash comes on top).
MAX_LENGTH = 120
#: A list of numbers as given on the command line (``--start -1,-2``): its commas print as ``_``.
_NUMBERS = re.compile(r"^[-+]?[\d.]+(e[-+]?\d+)?(,[-+]?[\d.]+(e[-+]?\d+)?)+$", re.IGNORECASE)
#: Tables whose values go into names (others, like ``render``, choose how, not what).
NAMED_TABLES = ("scene", "optimizer", "camera")


def slug(text: str) -> str:
    """A file-name-safe version of ``text``: no ``/``, no leading dot, at most :data:`MAX_LENGTH` characters."""
    return _UNSAFE.sub("_", str(text)).strip("_")[:MAX_LENGTH].lstrip(".").strip("_") or "scene"


def canonical(value: Any) -> Any:
    """``value`` as plain JSON: tuples as lists, mapping keys as strings, anything else as its ``repr``."""
    if isinstance(value, dict):
        return {str(k): canonical(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [canonical(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return repr(value)
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return repr(value)


def short_hash(value: Any) -> str:
    """8 hex digits of the SHA-256 of ``value``'s canonical JSON (keys sorted)."""
    text = json.dumps(canonical(value), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]


def label(key: str, value: Any) -> str:
    """``("optimizer.lr", 0.05)`` to ``"lr0.05"``; a loss is its bare name, the optimizer ``optimizeradam``."""
    table, _, leaf = key.partition(".")
    if isinstance(value, (list, tuple)):
        text = ",".join(f"{v:g}" if isinstance(v, float) else str(v) for v in value)
    elif isinstance(value, float):
        text = f"{value:g}"
    else:
        text = str(value)
    if key == "scene.loss":
        return text
    if key == "optimizer.name":
        return f"optimizer{text}"
    if key == "camera.preset":
        return f"camera{text}"
    return f"{leaf}{text}"


def _exact(value: Any) -> bool:
    """Whether :func:`label`'s slug of ``value`` tells it apart from every other value of its key."""
    if isinstance(value, bool) or value is None or isinstance(value, int):
        return True
    if isinstance(value, float):
        return math.isfinite(value) and float(f"{value:g}") == value
    if isinstance(value, str):
        return slug(value) == value or bool(_NUMBERS.match(value))
    if isinstance(value, (list, tuple)):  # numbers joined by "," (which the slug writes "_")
        return bool(value) and all(isinstance(v, (int, float)) and not isinstance(v, bool) and _exact(v)
                                   for v in value)
    return False


def file_name(text: str) -> str:
    """``text`` (a name the user chose) as a safe name: itself when already safe, else its slug and a hash of it."""
    text = str(text)
    readable = slug(text)
    return text if readable == text else f"{readable}_{short_hash(text)}"


def output_name(base: str, items: Iterable[tuple[str, Any]], explicit: str | None = None) -> str:
    """The output name of a render: ``explicit`` (``render.name``) if given, else ``base`` and a
    :func:`label` per given (key, value) of :data:`NAMED_TABLES`, plus a hash where the slug loses information."""
    if explicit:
        return file_name(explicit)
    named = [(k, v) for k, v in items if v is not None and k.partition(".")[0] in NAMED_TABLES]
    parts = [str(base)]
    for key, value in named:
        text = label(key, value)
        numbers = isinstance(value, (list, tuple)) or (isinstance(value, str) and _NUMBERS.match(value))
        parts.append(text.replace(",", "_") if numbers and _exact(value) else text)
    text = "_".join(parts)
    readable = slug(text)
    if readable == text and all(_exact(v) for _, v in named):
        return text
    return f"{readable}_{short_hash({'base': str(base), 'values': dict(named)})}"
