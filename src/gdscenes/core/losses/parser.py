"""Safe parsing of user loss formulas such as ``"x^2 + 3*y^2"``.

The text is never handed to ``eval``, ``exec``, ``sympify`` or ``parse_expr``.
Instead it is

1. checked for length and tokenized with a small regular-expression lexer that
   turns the ``^`` operator into ``**`` and inserts ``*`` for implicit
   multiplication (``2x``, ``3(x+y)``, ``(x+1)(y-1)``, ``x y``);
2. parsed into a Python syntax tree with :func:`ast.parse` (``mode="eval"``),
   which only builds a tree and runs nothing;
3. walked by :class:`_Builder`, which accepts a small whitelist of node types
   and builds the sympy expression itself.

Everything else raises :class:`ExpressionError` with a one-line message that
names the offending token. Constant powers are bounded before sympy sees them
so that inputs like ``"9**9**9**9"`` are rejected immediately instead of
hanging.

Grammar accepted: int/float literals; the names ``x``, ``y``, ``theta0``,
``theta1`` (a model's intercept and slope), ``pi``, ``e``
(also ``E``); unary ``+``/``-``; binary ``+ - * / ** ^``; parentheses; calls
``f(arg)`` of the functions in :data:`FUNCTIONS` (``atan2(y, x)`` takes two).
"""

from __future__ import annotations

import ast
import keyword
import math
import re
import warnings
from collections.abc import Callable

import sympy as sp

from .symbolic import THETA0, THETA1, X, Y

__all__ = [
    "ExpressionError",
    "parse_expression",
    "FUNCTIONS",
    "CONSTANTS",
    "VARIABLES",
    "MAX_LENGTH",
    "MAX_DEPTH",
    "MAX_EXPONENT",
    "MAX_POWER_TOWER",
]

#: Longest accepted input, in characters.
MAX_LENGTH = 500
#: Deepest accepted nesting of operators and calls.
MAX_DEPTH = 40
#: Largest accepted absolute value of a constant exponent.
MAX_EXPONENT = 100
#: Largest accepted height of a power tower such as ``x**x**x``.
MAX_POWER_TOWER = 3
#: Largest accepted ``log10`` of the magnitude of a constant power.
_MAX_CONSTANT_LOG10 = 300
_MAX_CONSTANT_BITS = 1000  # about 10**301

#: Variable names and their sympy symbols.
VARIABLES: dict[str, sp.Symbol] = {"x": X, "y": Y, "theta0": THETA0, "theta1": THETA1}
#: Constant names and their sympy values.
CONSTANTS: dict[str, sp.Expr] = {"pi": sp.pi, "e": sp.E, "E": sp.E}
#: Whitelisted functions: name -> (sympy function, number of arguments).
FUNCTIONS: dict[str, tuple[Callable[..., sp.Expr], int]] = {
    "sin": (sp.sin, 1),
    "cos": (sp.cos, 1),
    "tan": (sp.tan, 1),
    "exp": (sp.exp, 1),
    "log": (sp.log, 1),
    "ln": (sp.log, 1),
    "sqrt": (sp.sqrt, 1),
    "abs": (sp.Abs, 1),
    "tanh": (sp.tanh, 1),
    "sinh": (sp.sinh, 1),
    "cosh": (sp.cosh, 1),
    "atan": (sp.atan, 1),
    "asin": (sp.asin, 1),
    "acos": (sp.acos, 1),
    "atan2": (sp.atan2, 2),
}

_BINARY_OPS: dict[type, str] = {
    ast.Add: "+",
    ast.Sub: "-",
    ast.Mult: "*",
    ast.Div: "/",
    ast.Pow: "**",
}
_FORBIDDEN_OPS: dict[type, str] = {
    ast.Mod: "%",
    ast.FloorDiv: "//",
    ast.MatMult: "@",
    ast.BitXor: "^",
    ast.BitAnd: "&",
    ast.BitOr: "|",
    ast.LShift: "<<",
    ast.RShift: ">>",
    ast.Invert: "~",
    ast.Not: "not",
}
_NODE_DESCRIPTIONS: dict[type, str] = {
    ast.Attribute: "attribute access",
    ast.Subscript: "subscript",
    ast.Lambda: "lambda",
    ast.ListComp: "comprehension",
    ast.SetComp: "comprehension",
    ast.DictComp: "comprehension",
    ast.GeneratorExp: "comprehension",
    ast.Compare: "comparison",
    ast.BoolOp: "boolean operator",
    ast.IfExp: "conditional expression",
    ast.Starred: "starred argument",
    ast.NamedExpr: "assignment expression",
    ast.Tuple: "tuple",
    ast.List: "list",
    ast.Dict: "dict",
    ast.Set: "set",
    ast.JoinedStr: "f-string",
    ast.Await: "await",
    ast.Yield: "yield",
    ast.YieldFrom: "yield",
    ast.Slice: "slice",
}

_TOKEN_RE = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<number>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)
  | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<op>\*\*|[-+*/^(),])
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)


class ExpressionError(ValueError):
    """A user formula was rejected; the message is a single line."""


def _show(text: str, limit: int = 60) -> str:
    """Render user text for a one-line message (whitespace collapsed, cut)."""
    flat = "".join(c if c.isprintable() else "?" for c in " ".join(text.split()))
    return flat if len(flat) <= limit else flat[: limit - 3] + "..."


# ---------------------------------------------------------------- lexing --
def _ends_operand(kind: str, token: str) -> bool:
    """Whether a token can end an operand (``2``, ``x``, ``pi``, ``)``)."""
    return (
        kind == "number"
        or token == ")"
        or (kind == "name" and (token in VARIABLES or token in CONSTANTS))
    )


def _starts_operand(kind: str, token: str) -> bool:
    """Whether a token can start an operand that directly follows another."""
    return (kind == "name" and not keyword.iskeyword(token)) or token == "("


def _to_python(text: str) -> str:
    """Rewrite formula syntax to Python syntax (``^`` -> ``**``, implicit ``*``).

    Whitespace runs become single spaces (so ``"2 3"`` stays a syntax error and
    line breaks are harmless); unknown characters are kept so that the tree
    walker can name them.
    """
    out: list[str] = []
    previous: tuple[str, str] | None = None
    for match in _TOKEN_RE.finditer(text):
        kind, token = match.lastgroup or "other", match.group()
        if kind == "space":
            out.append(" ")  # newlines and tabs become plain spaces
            continue
        if previous is not None and previous[1] in FUNCTIONS and token != "(":
            raise ExpressionError(
                f"function '{previous[1]}' must be called with parentheses, e.g. "
                f"{previous[1]}(x), in expression '{_show(text)}'"
            )
        if previous is not None and _ends_operand(*previous) and _starts_operand(kind, token):
            out.append("*")
        out.append("**" if token == "^" else token)
        previous = (kind, token)
    return "".join(out).strip()


# --------------------------------------------------------------- walking --
class _Builder:
    """Build a sympy expression from a whitelisted Python syntax tree."""

    def __init__(self, source: str, original: str) -> None:
        self.source = source
        self.original = original

    def fail(self, what: str, hint: str = "") -> ExpressionError:
        """A one-line error naming ``what``, the user's expression and a hint."""
        tail = f"; {hint}" if hint else ""
        return ExpressionError(f"{what} in expression '{_show(self.original)}'{tail}")

    def segment(self, node: ast.AST) -> str:
        """Source text of ``node`` for messages."""
        return _show(ast.get_source_segment(self.source, node) or type(node).__name__, 30)

    def build(self, node: ast.AST, depth: int = 0) -> sp.Expr:
        """Build ``node``; constant results must stay finite, real and moderate."""
        result = self.dispatch(node, depth)
        if result.is_number and not _moderate_constant(result):
            raise self.fail(
                f"constant '{self.segment(node)}' is too large or not a finite real number"
            )
        return result

    def dispatch(self, node: ast.AST, depth: int) -> sp.Expr:
        """Dispatch on the node type; anything not listed is rejected."""
        if depth > MAX_DEPTH:
            raise self.fail(f"nesting deeper than {MAX_DEPTH} levels")
        if isinstance(node, ast.Constant):
            return self.constant(node)
        if isinstance(node, ast.Name):
            return self.name(node)
        if isinstance(node, ast.UnaryOp):
            return self.unary(node, depth)
        if isinstance(node, ast.BinOp):
            return self.binary(node, depth)
        if isinstance(node, ast.Call):
            return self.call(node, depth)
        raise self.fail(self.describe(node))

    def describe(self, node: ast.AST) -> str:
        """Name a rejected node for the error message."""
        what = _NODE_DESCRIPTIONS.get(type(node), f"unsupported syntax ({type(node).__name__})")
        return f"{what} '{self.segment(node)}' is not allowed"

    def constant(self, node: ast.Constant) -> sp.Expr:
        """Integer and float literals only (no strings, bools, complex)."""
        value = node.value
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            kind = "string" if isinstance(value, (str, bytes)) else type(value).__name__
            raise self.fail(f"{kind} literal {_show(repr(value), 30)} is not allowed")
        if isinstance(value, float):
            if not math.isfinite(value):
                raise self.fail(f"number '{self.segment(node)}' is too large")
            return sp.Float(value)
        return sp.Integer(value)

    def name(self, node: ast.Name) -> sp.Expr:
        """Variables and constants; functions must be called."""
        ident = node.id
        if ident in VARIABLES:
            return VARIABLES[ident]
        if ident in CONSTANTS:
            return CONSTANTS[ident]
        if ident in FUNCTIONS:
            raise self.fail(f"function '{ident}' must be called with parentheses, e.g. {ident}(x),")
        hint = "allowed names: x, y (or theta0, theta1), pi, e"
        if set(ident) <= {"x", "y"}:
            hint += f" (write products explicitly, e.g. '{'*'.join(ident)}')"
        raise self.fail(f"unknown name '{_show(ident, 30)}'", hint)

    def unary(self, node: ast.UnaryOp, depth: int) -> sp.Expr:
        """Unary plus and minus."""
        if isinstance(node.op, ast.UAdd):
            return self.build(node.operand, depth + 1)
        if isinstance(node.op, ast.USub):
            return -self.build(node.operand, depth + 1)
        symbol = _FORBIDDEN_OPS.get(type(node.op), type(node.op).__name__)
        raise self.fail(f"operator '{symbol}' is not allowed")

    def binary(self, node: ast.BinOp, depth: int) -> sp.Expr:
        """``+ - * / **`` with bounded powers."""
        op = type(node.op)
        if op not in _BINARY_OPS:
            symbol = _FORBIDDEN_OPS.get(op, op.__name__)
            raise self.fail(f"operator '{symbol}' is not allowed")
        if op is ast.Pow:
            return self.power(node, depth)
        left = self.build(node.left, depth + 1)
        right = self.build(node.right, depth + 1)
        if op is ast.Add:
            return left + right
        if op is ast.Sub:
            return left - right
        if op is ast.Mult:
            return left * right
        if right.is_zero:
            raise self.fail(f"division by zero '{self.segment(node)}'")
        return left / right

    def power(self, node: ast.BinOp, depth: int) -> sp.Expr:
        """``base ** exponent`` after checks that keep sympy fast and real."""
        if _tower_height(node) > MAX_POWER_TOWER:
            raise self.fail(f"power tower higher than {MAX_POWER_TOWER} '{self.segment(node)}'")
        base = self.build(node.left, depth + 1)
        exponent = self.build(node.right, depth + 1)
        if exponent.is_number:
            self.check_exponent(node, base, exponent)
        return sp.Pow(base, exponent)

    def check_exponent(self, node: ast.BinOp, base: sp.Expr, exponent: sp.Expr) -> None:
        """Reject huge, complex or undefined constant powers before sympy evaluates them."""
        exp_value = _finite_real(exponent)
        if exp_value is None or abs(exp_value) > MAX_EXPONENT:
            raise self.fail(
                f"exponent '{self.segment(node.right)}' is too large "
                f"(limit |exponent| <= {MAX_EXPONENT})"
            )
        if not base.is_number:
            return
        base_value = _finite_real(base)
        if base_value is None:
            raise self.fail(f"power base '{self.segment(node.left)}' is not a finite real number")
        if base_value == 0.0 and exp_value < 0:
            raise self.fail(f"division by zero '{self.segment(node)}'")
        if base_value < 0 and not exp_value.is_integer():
            raise self.fail(f"negative base with fractional exponent '{self.segment(node)}'")
        if base_value != 0.0 and abs(exp_value * math.log10(abs(base_value))) > _MAX_CONSTANT_LOG10:
            raise self.fail(f"constant power '{self.segment(node)}' is out of range")

    def call(self, node: ast.Call, depth: int) -> sp.Expr:
        """Calls of whitelisted functions by plain name with positional args."""
        if not isinstance(node.func, ast.Name):
            raise self.fail(f"call of '{self.segment(node.func)}' is not allowed")
        fname = node.func.id
        if fname not in FUNCTIONS:
            allowed = "allowed functions: " + ", ".join(FUNCTIONS)
            raise self.fail(f"unknown function '{_show(fname, 30)}'", allowed)
        func, arity = FUNCTIONS[fname]
        if node.keywords:
            raise self.fail(f"keyword arguments in '{self.segment(node)}' are not allowed")
        if any(isinstance(a, ast.Starred) for a in node.args):
            raise self.fail(f"starred argument in '{self.segment(node)}' is not allowed")
        if len(node.args) != arity:
            raise self.fail(f"function '{fname}' takes {arity} argument(s), got {len(node.args)}")
        args = [self.build(a, depth + 1) for a in node.args]
        result = func(*args)
        if result.has(sp.I) and not any(a.has(sp.I) for a in args):
            # sympy rewrites e.g. atan2(1, tan(e)) with logs of complex numbers;
            # keep the real function instead (its value is checked in build()).
            result = func(*args, evaluate=False)
        return result


def _tower_height(node: ast.AST) -> int:
    """Height of a power tower: ``x**2`` is 1, ``x**y**2`` is 2, ..."""
    height = 0
    while isinstance(node, ast.BinOp) and isinstance(node.op, ast.Pow):
        height += 1
        node = node.right
        while isinstance(node, ast.UnaryOp):
            node = node.operand
    return height


def _moderate_constant(value: sp.Expr) -> bool:
    """Whether a constant is real, finite and at most ``10**300`` in magnitude.

    Exact rationals are checked by size without evaluating them, so integers
    with thousands of digits (which sympy cannot even print) are refused.
    """
    if isinstance(value, sp.Rational):
        return bool(max(abs(value.p).bit_length(), value.q.bit_length()) <= _MAX_CONSTANT_BITS)
    number = _finite_real(value)
    return number is not None and abs(number) <= 10.0**_MAX_CONSTANT_LOG10


def _finite_real(value: sp.Expr) -> float | None:
    """Numeric value of a constant sympy expression, or None if not finite and real."""
    if value.has(sp.zoo, sp.oo, sp.nan, -sp.oo):
        return None
    try:
        number = complex(sp.N(value, 20))
    except (TypeError, ValueError, OverflowError):
        return None
    if not (math.isfinite(number.real) and abs(number.imag) <= 1e-12 * max(1.0, abs(number.real))):
        return None
    return number.real


# ---------------------------------------------------------------- public --
def parse_expression(text: str) -> sp.Expr:
    """Parse a user formula in ``x`` and ``y`` into a sympy expression, safely.

    Parameters
    ----------
    text : str
        Formula such as ``"x^2 + 3*y^2"``, ``"sin(x)*cos(y)"`` or ``"2x + 3y"``.
        ``^`` means power; implicit multiplication is accepted.

    Returns
    -------
    sympy.Expr
        Expression in the real symbols :data:`X` and :data:`Y` (constants are
        allowed).

    Raises
    ------
    ExpressionError
        With a one-line message naming the offending token, for anything
        outside the grammar, over-long input, huge powers, or constants that
        are not finite real numbers.
    TypeError
        If ``text`` is not a string.
    """
    if not isinstance(text, str):
        raise TypeError(f"expected a string expression, got {type(text).__name__}")
    if len(text) > MAX_LENGTH:
        raise ExpressionError(
            f"expression is too long ({len(text)} characters; the limit is {MAX_LENGTH})"
        )
    if not text.strip():
        raise ExpressionError("empty expression")
    source = _to_python(text)
    tree = _parse_tree(source, text)
    expr = _Builder(source, text).build(tree.body)
    if expr.has(sp.zoo, sp.oo, -sp.oo, sp.nan, sp.I):
        raise ExpressionError(f"expression '{_show(text)}' is not finite and real-valued")
    return expr


def _parse_tree(source: str, original: str) -> ast.Expression:
    """``ast.parse`` in eval mode with every failure mapped to ExpressionError."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # e.g. SyntaxWarning for '1ee'
            return ast.parse(source, mode="eval")
    except SyntaxError as exc:
        detail = f" ({exc.msg})" if exc.msg and exc.msg != "invalid syntax" else ""
        message = f"invalid syntax{detail} in expression '{_show(original)}'"
        raise ExpressionError(message) from None
    except (Warning, ValueError, RecursionError, MemoryError):
        raise ExpressionError(f"cannot parse expression '{_show(original)}'") from None
