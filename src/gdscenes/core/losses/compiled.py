"""A loss's compiled numpy code, kept on disk so that the next run needs no sympy.

Importing sympy takes about a second, more than everything else
``gdscenes trajectory`` does.  The first time a loss (a library name or a
user's formula) is used, :func:`load_loss` builds it with sympy as usual and
writes what :func:`sympy.lambdify` generated (the source of the value, gradient
and Hessian functions) with the loss's metadata into
``~/.cache/gdscenes/losses/``.  The next time the same text is asked for, a
:class:`CompiledLoss` is rebuilt from that source, without importing sympy; it
computes the same numbers bit for bit (same source, same numpy functions).

The library's losses come compiled with the package (``library_code.json``,
written by ``python -m gdscenes.core.losses.compiled``; a test checks it
against the live library), used when the installed sympy is the release that
wrote it, so even the first run of a library name needs no sympy.

The source is read back as data, never trusted: before it is compiled it must
parse as a single ``return`` of arithmetic on the parameters, number
constants and an allow-list of numpy functions (:data:`NUMPY_NAMES`); no
attribute access, subscript, import or other name passes.  A record that fails
any check is ignored and the loss is built with sympy again.  The cache key
covers the text, this package's loss modules and sympy's release, so editing
either recompiles.
"""

from __future__ import annotations

import ast
import functools
import hashlib
import importlib.util
import inspect
import json
import os
import re
from pathlib import Path
from typing import Any

import numpy as np

from gdscenes.atomic import read_at_most, write_text
from gdscenes.cache import cache_dir
from gdscenes.core.losses.numeric import Minimum, NumericLoss, NumpyFunction

__all__ = ["CompiledLoss", "load_loss", "record", "NUMPY_NAMES", "SourceError"]

#: numpy names a compiled loss may use (what lambdify prints for the functions a formula may contain)
NUMPY_NAMES: frozenset[str] = frozenset({
    "sin", "cos", "tan", "arcsin", "arccos", "arctan", "arctan2", "sinh", "cosh", "tanh", "arcsinh", "arccosh",
    "arctanh", "exp", "exp2", "expm1", "log", "log2", "log10", "log1p", "sqrt", "cbrt", "abs", "absolute", "sign",
    "power", "hypot", "maximum", "minimum", "amax", "amin", "floor", "ceil", "heaviside", "select", "where",
    "less", "less_equal", "greater", "greater_equal", "equal", "not_equal", "logical_and", "logical_or",
    "logical_not", "sinc", "pi", "e", "inf", "nan", "isnan",
})  # fmt: skip
#: largest cache record read back, in bytes
MAX_RECORD_BYTES: int = 1 << 20
#: record layout version (bump when the fields change)
FORMAT: int = 1

_NODES: tuple[type[ast.AST], ...] = (
    ast.Module, ast.FunctionDef, ast.arguments, ast.arg, ast.Return, ast.Load, ast.Name, ast.Constant,
    ast.BinOp, ast.UnaryOp, ast.BoolOp, ast.Compare, ast.Call, ast.keyword, ast.List, ast.Tuple, ast.IfExp,
    ast.operator, ast.unaryop, ast.boolop, ast.cmpop,
)  # fmt: skip


class SourceError(ValueError):
    """Generated source that is not plain arithmetic on the parameters and :data:`NUMPY_NAMES`."""


def _checked_function(source: str, params: tuple[str, ...]) -> tuple[ast.Module, str]:
    """Parse ``source`` as one ``def f(<params>): return <expression>`` and check every node."""
    tree = ast.parse(source)
    if len(tree.body) != 1 or not isinstance(tree.body[0], ast.FunctionDef):
        raise SourceError("expected one function definition")
    fn = tree.body[0]
    if fn.decorator_list or fn.returns or len(fn.body) != 1 or not isinstance(fn.body[0], ast.Return):
        raise SourceError("expected a single return statement")
    a = fn.args
    if a.posonlyargs or a.vararg or a.kwonlyargs or a.kwarg or a.defaults or tuple(p.arg for p in a.args) != params:
        raise SourceError(f"expected the arguments {params}")
    for node in ast.walk(fn.body[0]):
        if isinstance(node, ast.Return):
            continue
        if not isinstance(node, _NODES):
            raise SourceError(f"{type(node).__name__} is not allowed")
        if isinstance(node, ast.Name) and node.id not in params and node.id not in NUMPY_NAMES:
            raise SourceError(f"name {node.id!r} is not allowed")
        if isinstance(node, ast.Constant) and not isinstance(node.value, int | float | bool):
            raise SourceError(f"constant {node.value!r} is not allowed")
    return tree, fn.name


def _compile_source(source: str, params: tuple[str, ...]) -> NumpyFunction:
    """The function defined by checked ``source``, with only the allowed numpy names in reach."""
    tree, name = _checked_function(source, params)
    namespace: dict[str, Any] = {"__builtins__": {}}
    namespace.update({name: getattr(np, name) for name in NUMPY_NAMES if hasattr(np, name)})
    exec(compile(tree, "<gdscenes compiled loss>", "exec"), namespace)  # checked above: arithmetic only
    fn: NumpyFunction = namespace[name]
    return fn


def _source_of(fn: NumpyFunction, params: tuple[str, ...]) -> str:
    """The source lambdify generated for ``fn``, checked; its numpy names must be numpy's own objects."""
    source = inspect.getsource(fn)
    tree, _ = _checked_function(source, params)
    names: dict[str, Any] = getattr(fn, "__globals__", {})
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id not in params and names.get(node.id) is not getattr(np, node.id, None):
            raise SourceError(f"{node.id!r} is not numpy's {node.id}")
    return source


class CompiledLoss(NumericLoss):
    """A loss rebuilt from its recorded numpy source (see :func:`record`); no sympy needed."""

    def __init__(self, data: dict[str, Any]) -> None:
        self._names = tuple(str(n) for n in data["params"])
        if not 1 <= len(self._names) <= 2:
            raise SourceError(f"a loss has one or two parameters, got {self._names}")
        self._set_metadata(
            str(data["name"]), domain=data["domain"], start=data["start"],
            minima=tuple(Minimum(*m) for m in data["minima"]), saddles=tuple(Minimum(*m) for m in data["saddles"]),
            description=str(data["description"]), smooth=bool(data["smooth"]),
        )
        self.latex: str = str(data["latex"])
        d = self.dim
        grad, hess = list(data["gradient"]), dict(data["hessian"])
        if len(grad) != d or set(hess) != {f"{i},{j}" for i in range(d) for j in range(i, d)}:
            raise SourceError("the record's gradient or Hessian has the wrong number of entries")
        self._value = _compile_source(data["value"], self._names)
        self._grads = tuple(_compile_source(s, self._names) for s in grad)
        self._hessian = {(int(k[0]), int(k[2])): _compile_source(s, self._names) for k, s in sorted(hess.items())}

    @property
    def param_names(self) -> tuple[str, ...]:
        return self._names

    @property
    def _value_fn(self) -> NumpyFunction:
        return self._value

    @property
    def _grad_fns(self) -> tuple[NumpyFunction, ...]:
        return self._grads

    @property
    def _hessian_fns(self) -> dict[tuple[int, int], NumpyFunction]:
        return self._hessian

    def __repr__(self) -> str:
        return f"CompiledLoss({self.name!r})"


def record(loss: NumericLoss) -> dict[str, Any]:
    """The JSON-able record of a sympy-built loss: its metadata and lambdify's source of each function.

    Raises :class:`SourceError` when the generated code uses anything outside :data:`NUMPY_NAMES`
    (such a loss is simply not cached).
    """
    names = loss.param_names
    d = loss.dim
    return {
        "format": FORMAT,
        "name": loss.name,
        "params": list(names),
        "domain": [list(pair) for pair in loss.domain],
        "start": list(loss.start),
        "minima": [[m.x, m.y, m.f, m.kind] for m in loss.minima],
        "saddles": [[m.x, m.y, m.f, m.kind] for m in loss.saddles],
        "description": loss.description,
        "smooth": loss.smooth,
        "latex": str(getattr(loss, "latex", "")),
        "value": _source_of(loss._value_fn, names),
        "gradient": [_source_of(fn, names) for fn in loss._grad_fns],
        "hessian": {f"{i},{j}": _source_of(loss._hessian_fns[(i, j)], names) for i in range(d) for j in range(i, d)},
    }


def _key(text: str) -> str:
    """Hash of the text, this package's loss modules and sympy's release file."""
    h = hashlib.sha256(json.dumps([FORMAT, text]).encode())
    here = Path(__file__).parent
    for module in sorted(here.glob("*.py")):
        h.update(module.read_bytes())
    h.update(str(_sympy_release()).encode())
    return h.hexdigest()[:32]


def _cached(path: Path) -> CompiledLoss | None:
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    except OSError:
        return None
    try:
        data = json.loads(read_at_most(fd, MAX_RECORD_BYTES))
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            return None
        return CompiledLoss(data)
    except (OSError, ValueError, KeyError, TypeError, IndexError, SyntaxError, RecursionError):
        return None  # unreadable, damaged or rejected: build it again
    finally:
        os.close(fd)


#: the library's records, shipped with the package
LIBRARY_CODE: Path = Path(__file__).with_name("library_code.json")


@functools.lru_cache(maxsize=1)
def _sympy_release() -> str | None:
    """The installed sympy's version, read from its ``release.py`` without importing it."""
    spec = importlib.util.find_spec("sympy")
    if spec is None or spec.origin is None:
        return None
    try:
        text = Path(spec.origin).with_name("release.py").read_text(encoding="utf-8")
    except OSError:
        return None
    found = re.search(r"""__version__\s*=\s*["']([^"']+)["']""", text)
    return found.group(1) if found else None


def build_library_code() -> dict[str, Any]:
    """The shipped records: every library loss under its name and each alias, with the sympy release."""
    from gdscenes.core.losses.library import ALIASES, LIBRARY

    records = {name: record(loss) for name, loss in LIBRARY.items()}
    records.update({alias: records[name] for alias, name in ALIASES.items()})
    return {"format": FORMAT, "sympy": _sympy_release(), "losses": dict(sorted(records.items()))}


def _shipped(text: str) -> CompiledLoss | None:
    try:
        data = json.loads(LIBRARY_CODE.read_text(encoding="utf-8"))
        if data.get("format") != FORMAT or data.get("sympy") != _sympy_release() or text not in data["losses"]:
            return None
        return CompiledLoss(data["losses"][text])
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def load_loss(text: str) -> NumericLoss:
    """The loss named or written ``text``: from the on-disk record if there is a valid one, else built by sympy.

    Raises what :func:`gdscenes.core.losses.get_loss` raises for an unknown name or a bad formula.
    """
    shipped = _shipped(text.strip()) if isinstance(text, str) else None
    if shipped is not None:
        return shipped
    path = cache_dir() / "losses" / f"{_key(text)}.json"
    loss = _cached(path)
    if loss is not None:
        return loss
    from gdscenes.core.losses.library import get_loss  # sympy: only on a cache miss

    built = get_loss(text)
    try:
        write_text(path, json.dumps(record(built)), make=True)
    except (OSError, SourceError, TypeError, ValueError):
        pass  # a cache that cannot be written or a loss that cannot be recorded costs only time
    return built


if __name__ == "__main__":
    write_text(LIBRARY_CODE, json.dumps(build_library_code(), indent=1) + "\n")
    print(f"wrote {LIBRARY_CODE}")
