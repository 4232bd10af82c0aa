"""The benchmark clip, shared by every contender: what is drawn, and the
command line that ``run.py`` calls each contender with.

Gradient descent on Himmelblau's function, lr 0.01 from (-0.5, -4.5), 30
steps over 8 s; the naive contenders draw heights as ``f / 100`` clipped to
``[0, 5]``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from gdscenes.core.runner import run
from gdscenes.core.losses import get_loss

DURATION = 8.0
STEPS = 30
LR = 0.01
START = (-0.5, -4.5)
LOSS = get_loss("himmelblau")


def path() -> np.ndarray:
    """The iterates the ball visits, shape ``(STEPS + 1, 2)``."""
    return run(LOSS, "gd", start=START, lr=LR, steps=STEPS).points[:, 0]


def himmelblau(x, y):
    return LOSS.value(x, y)


def height(x, y):
    """Heights as the naive contenders draw them."""
    return np.clip(himmelblau(x, y) / 100, 0, 5)


def sci(v: float) -> str:
    """LaTeX for ``v`` in scientific notation: ``3.951 \\times 10^{2}``."""
    m, e = f"{float(v):.3e}".split("e")
    return rf"{m} \times 10^{{{int(e)}}}"


def arguments(doc: str, default_out: str, extra: argparse.ArgumentParser | None = None) -> argparse.Namespace:
    """``--width --height --fps --out`` (and the options of ``extra``), as ``run.py`` passes them."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0], parents=[extra] if extra else [])
    parser.add_argument("--width", type=int, default=1920)
    parser.add_argument("--height", type=int, default=1080)
    parser.add_argument("--fps", type=int, default=30)
    parser.add_argument("--out", type=Path, default=Path(default_out))
    return parser.parse_args()
