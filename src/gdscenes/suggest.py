""""Did you mean ...?": the one close-match helper behind every unknown-name message, and the
one shortener of a value a message quotes (:func:`shorten`).

Base module (standard library only), used by every layer: optimizer and loss
names (core), scene names (scenes), spec keys (production).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

__all__ = ["PATH_SHOWN", "closest", "did_you_mean", "shorten"]


def closest(word: str, choices: Iterable[str], cutoff: float = 0.6) -> str | None:
    """The choice closest to ``word`` (difflib's ratio >= ``cutoff``), or ``None``."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=cutoff)
    return close[0] if close else None


def did_you_mean(word: str, choices: Iterable[str], otherwise: str = "allowed") -> str:
    """``"; did you mean 'lr'?"``, or, with no close choice, ``"; allowed: a, b, c"`` (sorted).

    ``otherwise`` is the word before the list (``"allowed"``, ``"choose one of"``).
    """
    options = sorted(choices)
    close = closest(word, options)
    if close is not None:
        return f"; did you mean {close!r}?"
    return f"; {otherwise}: {', '.join(options)}"


#: At most this many characters of a file's path are quoted (a longer one has its middle cut).
PATH_SHOWN = 200


def shorten(text: str, limit: int = 80) -> str:
    """``text`` as a one-line message quotes it: at most ``limit`` characters, the middle cut out
    (``"/tmp/a-long-folder/.../three.csv"``): a path keeps its file name, a list its last items."""
    if len(text) <= limit:
        return text
    tail = (limit - 3) // 2
    return text[: limit - 3 - tail] + "..." + text[-tail:]
