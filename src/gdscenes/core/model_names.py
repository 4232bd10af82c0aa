"""The names of the data models, known without building them.

:mod:`gdscenes.core.data` builds the models with sympy; the command line
checks whether a loss name is a model (``gdscenes trajectory LOSS --data ...``)
before it decides whether it needs sympy at all, so the names live here.
"""

from __future__ import annotations

__all__ = ["MODEL_NAMES", "model_key", "is_model"]

#: every data model, by the name :func:`gdscenes.core.data.make_model` takes
MODEL_NAMES: tuple[str, ...] = ("linear_regression", "logistic_regression")


def model_key(name: str) -> str:
    """``name`` lowercased and trimmed, with ``-`` and spaces as ``_`` (``"Linear-Regression"``)."""
    return name.strip().lower().replace("-", "_").replace(" ", "_")


def is_model(name: object) -> bool:
    """Whether ``name`` names a data model (``linear_regression``, ``logistic_regression``)."""
    return isinstance(name, str) and model_key(name) in MODEL_NAMES
