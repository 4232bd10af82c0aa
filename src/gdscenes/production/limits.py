"""What each value may be: the ranges a spec is checked against, and how spec files are read.

:func:`gdscenes.production.spec.resolve` checks every value here before
manim starts; the command line checks its own flags (``--jobs``,
``--max-variants``, ``trajectory --steps``) with the same ranges. A refusal
is a :class:`SpecError`, one line naming the key, the value and what is
allowed (the CLI prints it as ``gdscenes: error: ...`` with exit status 2).

No manim, no sympy: the command line imports this to start fast.
"""

from __future__ import annotations

import errno
import math
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gdscenes.atomic import RefusedFile, read_regular_text
from gdscenes.suggest import PATH_SHOWN, shorten


class SpecError(ValueError):
    """A bad spec value: one line naming the key, the value and what is allowed."""


@dataclass(frozen=True)
class Range:
    """A closed interval ``[low, high]`` (``low`` left out with ``low_open``), of integers with ``integer``."""

    low: float
    high: float
    low_open: bool = False
    integer: bool = False

    def __contains__(self, value: object) -> bool:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return False
        if not math.isfinite(value) or (self.integer and not float(value).is_integer()):
            return False
        return (self.low < value if self.low_open else self.low <= value) and value <= self.high

    def describe(self) -> str:
        kind = "an integer" if self.integer else "a number"
        low, high = _number(self.low), _number(self.high)
        if self.low_open:
            return f"{kind} > {low} and <= {high}"
        return f"{kind} from {low} to {high}"


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() and abs(value) < 1e16 else f"{value:g}"


def check(key: str, value: Any, allowed: Range) -> Any:
    """``value`` if it lies in ``allowed``, else a :class:`SpecError` naming ``key``."""
    if value not in allowed:
        raise SpecError(f"{key} = {show(value)} is not allowed; allowed: {allowed.describe()}")
    return value


def show(value: Any, limit: int = 80) -> str:
    """``value`` as the message prints it (short: a long list or path has its middle cut)."""
    return shorten(repr(value), limit)


# -- the ranges ------------------------------------------------------------------
#: Longest clip, in seconds (``render.duration``, and the length the steps would take).
MAX_CLIP_SECONDS = 3600.0
#: Most optimizer steps a scene may take (as :data:`gdscenes.core.runner.MAX_STEPS`).
MAX_STEPS = 1_000_000
#: Variants one ``gdscenes sweep`` renders unless ``--max-variants`` says more.
MAX_VARIANTS = 1000
#: Largest spec file read, in bytes, and the deepest nesting of its arrays and tables.
MAX_SPEC_BYTES = 1 << 20
MAX_DEPTH = 16
#: Most stills one export writes.
MAX_STILLS = 100

RENDER: dict[str, Range] = {
    "fps": Range(1, 240),
    "duration": Range(0, MAX_CLIP_SECONDS, low_open=True),
}

EXPORT: dict[str, Range] = {
    "gif_fps": Range(0.1, 50),  # GIF frame delays are whole hundredths of a second; browsers slow < 2/100 s
    "gif_width": Range(16, 3840, integer=True),
}

#: Fields of the scene's camera orbit (``[camera]``); a list field's range holds for each element.
CAMERA: dict[str, Range] = {
    "phi": Range(0, 180),
    "theta": Range(-3600, 3600),
    "theta_rate": Range(-360, 360),
    "zoom": Range(0, 20, low_open=True),
    "screen_offset": Range(-20, 20),
}

#: Scene class attributes, by name (whichever scene has them); for a list or a
#: table the range holds for each element, and ``COUNTS`` bounds its length.
SCENE: dict[str, Range] = {
    "steps": Range(1, MAX_STEPS, integer=True),
    "tol": Range(0, 1e6),
    "lr": Range(0, 1e6, low_open=True),
    "lrs": Range(0, 1e6, low_open=True),
    "seconds_per_step": Range(0, 60, low_open=True),
    "intro_seconds": Range(0, 600),
    "hold_seconds": Range(0, 600),
    "max_roll_seconds": Range(0, MAX_CLIP_SECONDS, low_open=True),
    "resolution": Range(4, 400, integer=True),
    "noise": Range(0, 1e6),
    "seed": Range(0, 2**32 - 1, integer=True),
    "batch_size": Range(1, 1_000_000, integer=True),  # (at most the data's rows: the runner says so, naming m)
    "ellipse_size": Range(0, 10, low_open=True),
    "arrow_scale": Range(0, 100, low_open=True),
    "basin_samples": Range(2, 256, integer=True),
    "basin_steps": Range(1, 10_000, integer=True),
    "start": Range(-1e6, 1e6),
    "starts": Range(-1e6, 1e6),
    "fractions": Range(0, 10, low_open=True),
}

#: Longest lists (and tables) among the scene attributes: one colour each (seven accents) or one ball each.
COUNTS: dict[str, tuple[int, int]] = {
    "fractions": (1, 7),
    "optimizers": (1, 7),
    "starts": (1, 64),
    "lrs": (0, 16),
}

#: ``view_sizes`` keys and their ranges (frame units).
VIEW_SIZES: dict[str, Range] = {
    "width": Range(0, 50, low_open=True),
    "depth": Range(0, 50, low_open=True),
    "height": Range(0, 50),
    "floor_gap": Range(0, 50),
}

#: A domain's corners: within the runner's hard limit, each side at least this wide.
DOMAIN_LIMIT = 1e6
MIN_DOMAIN_WIDTH = 1e-6

#: Longest free-text values (titles).
MAX_TEXT = 200

#: Folders a media folder may not be in (``/dev/shm`` is a normal tmpfs and allowed).
SYSTEM_FOLDERS = ("/proc", "/sys", "/dev")


def check_scene(key: str, name: str, value: Any) -> None:
    """The scene attribute ``name`` (given as ``key``) against :data:`SCENE`, :data:`COUNTS` and the special rules."""
    if name == "domain" and value is not None:
        check_domain(key, value)
    if name == "view_sizes":
        check_view_sizes(key, value)
    if name == "title" and isinstance(value, str) and len(value) > MAX_TEXT:
        raise SpecError(f"{key} = {show(value)} is not allowed; allowed: at most {MAX_TEXT} characters")
    if name in COUNTS and isinstance(value, (list, tuple, dict)):
        low, high = COUNTS[name]
        if not low <= len(value) <= high:
            raise SpecError(f"{key} = {show(value)} has {len(value)} entries; allowed: {low} to {high}")
    if name not in SCENE or value is None:
        return
    for where, item in _leaves(key, value):
        check(where, item, SCENE[name])


def _leaves(key: str, value: Any) -> list[tuple[str, Any]]:
    """``(key, number)`` pairs of a number, a list of them, a list of lists or a table of them."""
    if isinstance(value, dict):
        return [pair for k, v in value.items() for pair in _leaves(f"{key}.{k}", v)]
    if isinstance(value, (list, tuple)):
        return [pair for v in value for pair in _leaves(key, v)]
    return [(key, value)]


def check_domain(key: str, value: Any) -> None:
    """``((xmin, xmax), (ymin, ymax))``: finite, inside the hard limit, min < max on each axis."""
    wanted = (f"allowed: ((xmin, xmax), (ymin, ymax)), finite, |value| <= {DOMAIN_LIMIT:g}, "
              f"each max at least {MIN_DOMAIN_WIDTH:g} above its min")
    try:
        (x0, x1), (y0, y1) = value
    except (TypeError, ValueError):
        raise SpecError(f"{key} = {show(value)} is not allowed; {wanted}") from None
    corners = (x0, x1, y0, y1)
    if (any(v not in Range(-DOMAIN_LIMIT, DOMAIN_LIMIT) for v in corners)
            or not (x1 - x0 >= MIN_DOMAIN_WIDTH and y1 - y0 >= MIN_DOMAIN_WIDTH)):
        raise SpecError(f"{key} = {show(value)} is not allowed; {wanted}")


def check_view_sizes(key: str, value: Any) -> None:
    """A table of the :data:`VIEW_SIZES` keys, each a number in its range."""
    if not isinstance(value, dict):
        raise SpecError(f"{key} = {show(value)} is not allowed; expected a table of {', '.join(VIEW_SIZES)}")
    for name, size in value.items():
        if name not in VIEW_SIZES:
            raise SpecError(f"unknown key {key}.{name}; allowed: {', '.join(VIEW_SIZES)}")
        check(f"{key}.{name}", size, VIEW_SIZES[name])


def check_media_dir(key: str, value: str) -> None:
    """A folder gdscenes can write videos into: not empty, not a device or a system folder, not a file."""
    if not value.strip():
        raise SpecError(f"{key} = {value!r} is not allowed; allowed: a folder name (default 'media')")
    path = Path(value).expanduser()
    try:
        resolved = path.resolve()
    except (OSError, RuntimeError) as error:  # a symlink loop
        raise SpecError(f"{key} = {value!r} is not allowed: {_reason(error)}") from None
    text = str(resolved)
    for system in SYSTEM_FOLDERS:
        if (text == system or text.startswith(system + "/")) and not (text == "/dev/shm" or text.startswith("/dev/shm/")):
            raise SpecError(f"{key} = {value!r} is not allowed; allowed: a folder outside {', '.join(SYSTEM_FOLDERS)}")
    if resolved.exists() and not resolved.is_dir():
        raise SpecError(f"{key} = {value!r} is not allowed: it exists and is not a folder")


def check_depth(value: Any, where: str, limit: int = MAX_DEPTH) -> None:
    """Refuse arrays and tables nested deeper than ``limit`` (walked without recursion)."""
    stack = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, (dict, list, tuple)):
            if depth >= limit:
                raise SpecError(f"{where} nests arrays or tables more than {limit} deep; allowed: at most {limit} levels")
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children)


def check_finite(value: Any, key: str) -> None:
    """Refuse NaN and infinity anywhere in ``value`` (a number, or arrays and tables of them)."""
    stack = [(value, key)]
    while stack:
        item, where = stack.pop()
        if isinstance(item, float) and not math.isfinite(item):
            raise SpecError(f"{where} = {item!r} is not allowed; allowed: a finite number")
        if isinstance(item, Mapping):
            stack.extend((v, f"{where}.{k}") for k, v in item.items())
        elif isinstance(item, (list, tuple)):
            stack.extend((v, where) for v in item)


# -- files -----------------------------------------------------------------------
def _reason(error: BaseException) -> str:
    if isinstance(error, OSError) and error.strerror:
        return error.strerror.lower() if error.errno != errno.ELOOP else "a loop of symbolic links"
    if isinstance(error, RuntimeError):
        return "a loop of symbolic links"
    return str(error) or type(error).__name__


def read_text(path: str | os.PathLike[str], what: str = "spec file", limit: int = MAX_SPEC_BYTES) -> str:
    """The UTF-8 text of the regular file ``path``, at most ``limit`` bytes; a one-line :class:`SpecError` otherwise.

    A directory, FIFO, socket or device is refused without being opened for
    reading (a FIFO would block, ``/dev/zero`` never ends); so is a symlink loop.
    """
    try:
        return read_regular_text(path, limit)
    except RefusedFile as error:
        raise SpecError(f"{what} {show(str(path), PATH_SHOWN)} {error}") from None

