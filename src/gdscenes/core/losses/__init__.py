"""Loss landscapes for gradient-descent scenes (math layer; no manim).

Public contract (see ``docs/ARCHITECTURE.md``)::

    from gdscenes.core.losses import (
        Loss, Minimum, LIBRARY, get_loss, parse_expression, ExpressionError, X, Y,
    )

* :class:`Loss` -- a sympy formula in ``X``, ``Y`` with lazily compiled numpy
  value, gradient and Hessian that broadcast like ufuncs.
* :data:`LIBRARY` -- named landscapes (``"himmelblau"``, ``"rosenbrock"``, ...).
* :func:`get_loss` -- a library name or else a user formula.
* :func:`parse_expression` -- safe formula parser; raises
  :class:`ExpressionError` (a ``ValueError``).
* :func:`load_loss` -- the same loss, from its compiled numpy code on disk
  when it was built before (no sympy import; :mod:`.compiled`).

The names are looked up on first use, so that importing a submodule that
needs no sympy (:mod:`.numeric`, :mod:`.compiled`) does not import it.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .compiled import CompiledLoss, load_loss
    from .library import ALIASES, LIBRARY, UnknownLossError, get_loss, normalize_name, user_loss
    from .numeric import POINT_KINDS, Minimum, NumericLoss
    from .parser import ExpressionError, parse_expression
    from .symbolic import PARAMETERS, THETA0, THETA1, Loss, X, Y, parameters_of

_WHERE: dict[str, str] = {
    "Loss": "symbolic", "X": "symbolic", "Y": "symbolic", "THETA0": "symbolic", "THETA1": "symbolic",
    "PARAMETERS": "symbolic", "parameters_of": "symbolic",
    "Minimum": "numeric", "POINT_KINDS": "numeric", "NumericLoss": "numeric",
    "LIBRARY": "library", "get_loss": "library", "UnknownLossError": "library", "ALIASES": "library",
    "normalize_name": "library", "user_loss": "library",
    "parse_expression": "parser", "ExpressionError": "parser",
    "CompiledLoss": "compiled", "load_loss": "compiled",
}  # fmt: skip

__all__ = [
    "Loss",
    "Minimum",
    "LIBRARY",
    "get_loss",
    "parse_expression",
    "ExpressionError",
    "X",
    "Y",
    "UnknownLossError",
    "ALIASES",
    "POINT_KINDS",
    "normalize_name",
    "user_loss",
    "THETA0",
    "THETA1",
    "PARAMETERS",
    "parameters_of",
    "NumericLoss",
    "CompiledLoss",
    "load_loss",
]


def __getattr__(name: str) -> object:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'gdscenes.core.losses' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
