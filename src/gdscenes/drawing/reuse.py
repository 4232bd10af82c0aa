"""Mobjects built once in a warm process and handed to each later render as a copy of its own.

A warm process (a sweep worker, ``gdscenes render --watch``:
:func:`gdscenes.production.job.warm_up`) renders variant after variant of
one landscape: a learning-rate sweep draws the same contour floor and axes
every time. :func:`reuse` keeps what a builder made, pickled right after it
was built (before any scene could change it; as :func:`gdscenes.drawing.typeset.dumps`
does, arrays as their bytes, and paths shared: :func:`dumps`), and gives a later render with the same key
``pickle.loads`` of it: a new object that nothing else holds, so a scene may
animate it freely, made about ten times quicker than by building it again
(or by manim's ``copy``). Unpickling restores every array bit for bit, so the
frames are those of a render that built it.

A key is a digest of everything the mobject is made from (:func:`key`: numbers,
strings, arrays by their bytes, dataclasses by their fields; the renderer is
always part of it, the mobject classes differ). Callers pass what the builder
reads, never an object whose content could change under the same key.
It is on only after :func:`enable` (a one-off render has nothing to reuse and
would pay for the pickling); at most :data:`MAX_ENTRIES` entries and
:data:`MAX_BYTES` are kept, the least recently used dropped first, and nothing
larger than an eighth of that (a 4K floor texture) is kept at all.
"""

from __future__ import annotations

import collections
import dataclasses
import functools
import hashlib
import io
import pickle
from collections.abc import Callable
from pathlib import PurePath
from typing import Any, TypeVar

import numpy as np
from manim import config

from gdscenes.drawing import typeset

T = TypeVar("T")

#: Entries kept at the most (a landscape makes about 20: its mobjects, a few hundred kB each, and the
#: images of its floor and labels, up to 19 MB each at 1080p), and their bytes at the most.
MAX_ENTRIES = 96
MAX_BYTES = 256 << 20

_KEPT: collections.OrderedDict[str, bytes] = collections.OrderedDict()
_BYTES = 0
_ON = False
#: ``hits``, ``misses`` and ``unpicklable`` builds of this process (for tests and profiling).
counts: collections.Counter[str] = collections.Counter()


def enable(on: bool = True) -> None:
    """Keep built mobjects from now on (``on=False``: stop, and drop what is kept)."""
    global _ON, _BYTES
    _ON = on
    if not on:
        _KEPT.clear()
        _BYTES = 0


def enabled() -> bool:
    return _ON


def forget() -> None:
    """Drop everything kept (keeping on if it was): after a lesson's code was executed again
    (``--watch``), a landscape its old code built is never handed to its new code."""
    global _BYTES
    _KEPT.clear()
    _BYTES = 0


def key(*parts: Any) -> str:
    """A digest of ``parts`` and the renderer: numbers (by ``repr``, which round-trips a float),
    strings, ``None``, tuples, lists, dicts, numpy arrays (dtype, shape and bytes) and dataclasses
    (class and fields). Anything else (a function, a mobject) is a ``TypeError``: it cannot be keyed."""
    digest = hashlib.blake2b(digest_size=20)
    _feed(digest, (str(config.renderer), parts))
    return digest.hexdigest()


def _feed(digest: Any, value: Any) -> None:
    if isinstance(value, np.ndarray):
        digest.update(f"A{value.dtype.str}{value.shape}".encode())
        digest.update(np.ascontiguousarray(value).tobytes())
    elif isinstance(value, (str, int, float, bool, type(None), np.generic)):
        digest.update(f"{type(value).__name__}:{value!r};".encode())
    elif isinstance(value, (tuple, list)):
        digest.update(f"{type(value).__name__}{len(value)}(".encode())
        for item in value:
            _feed(digest, item)
        digest.update(b")")
    elif isinstance(value, dict):
        digest.update(f"dict{len(value)}(".encode())
        for name in sorted(value, key=repr):
            _feed(digest, (name, value[name]))
        digest.update(b")")
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        digest.update(f"{type(value).__module__}.{type(value).__qualname__}(".encode())
        for field in dataclasses.fields(value):
            _feed(digest, (field.name, getattr(value, field.name)))
        digest.update(b")")
    else:
        raise TypeError(f"cannot key a {type(value).__name__}")


@functools.lru_cache(maxsize=4096)
def shared_path(cls: type[PurePath], text: str) -> PurePath:
    """The one ``cls(text)`` of this process (a path cannot change: kept mobjects may share it)."""
    return cls(text)


class _Pickler(typeset._Pickler):
    """:func:`~gdscenes.drawing.typeset.dumps`' pickler, paths loaded as :func:`shared_path` (every glyph's
    shader wrappers name their shader folder: making those paths anew was a third of a label's loading)."""

    def reducer_override(self, obj: Any) -> Any:
        if isinstance(obj, PurePath):
            return shared_path, (type(obj), str(obj))
        return super().reducer_override(obj)


def dumps(made: Any) -> bytes:
    """``made`` pickled as :func:`reuse` keeps it."""
    out = io.BytesIO()
    _Pickler(out, protocol=pickle.HIGHEST_PROTOCOL).dump(made)
    return out.getvalue()


def reuse(name: str, build: Callable[[], T]) -> T:
    """``build()``, or when on and made before under the key ``name`` (see :func:`key`), a copy of
    what it made then. What cannot be pickled (or is too large to keep) is built every time."""
    global _BYTES
    if not _ON:
        return build()
    kept = _KEPT.get(name)
    if kept is not None:
        _KEPT.move_to_end(name)
        counts["hits"] += 1
        made: T = pickle.loads(kept)
        return made
    made = build()
    counts["misses"] += 1
    try:
        kept = dumps(made)
    except Exception:  # (a lambda, an open file: built again next time)
        counts["unpicklable"] += 1
        return made
    if len(kept) <= MAX_BYTES // 8:
        _KEPT[name] = kept
        _BYTES += len(kept)
        while len(_KEPT) > MAX_ENTRIES or _BYTES > MAX_BYTES:
            _BYTES -= len(_KEPT.popitem(last=False)[1])
    return made
