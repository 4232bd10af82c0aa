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
"""

from .library import ALIASES, LIBRARY, UnknownLossError, get_loss, normalize_name, user_loss
from .parser import ExpressionError, parse_expression
from .symbolic import PARAMETERS, POINT_KINDS, THETA0, THETA1, Loss, Minimum, X, Y, parameters_of

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
]
