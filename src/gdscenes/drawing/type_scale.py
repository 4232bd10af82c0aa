"""One type scale for every lesson: title, body and caption sizes fixed to the frame.

A size is the height of a digit (about a capital's height), as pixels of a
frame whose shorter side is 1080 px (a 1080p frame's height; a 9:16 or 1:1
frame's width): the sizes scale with the frame and never with what a block
has room for. A text too wide for its block wraps onto more lines
(:func:`title`, :func:`wrapped_text`) instead of shrinking.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from manim import DOWN, LEFT, MathTex, Mobject, Text, VGroup, config

from gdscenes.drawing.typeset import latex_text, math_tex, plain_text

#: Digit heights in px at 1080 px (the frame's shorter side).
TITLE_PX = 30.0
BODY_PX = 25.0
CAPTION_PX = 23.0
SIZES = {"title": TITLE_PX, "body": BODY_PX, "caption": CAPTION_PX}
#: Space between wrapped lines, in digit heights.
LEADING = 0.55


def shorter_side() -> float:
    """The frame's shorter side in frame units (8 in a 16:9 frame)."""
    return float(min(config.frame_height, config.frame_width))


def height(role: str) -> float:
    """Digit height of ``role`` (``"title"``, ``"body"``, ``"caption"``) in frame units."""
    return SIZES[role] / 1080.0 * shorter_side()


def px_at_1080(frame_units: float) -> float:
    """A height in frame units as px in a frame whose shorter side is 1080 px."""
    return frame_units / shorter_side() * 1080.0


@lru_cache(maxsize=1)
def _math_digit() -> float:
    """Height of a MathTex digit at scale 1 (font size 48)."""
    return float(math_tex("0").height)


@lru_cache(maxsize=1)
def _latex_digit() -> float:
    return float(latex_text("0").height)


@lru_cache(maxsize=1)
def _text_digit() -> float:
    """Height of a Pango digit at font size 100."""
    return float(plain_text("0", font_size=100).height)


def math_scale(role: str) -> float:
    """The scale that gives a ``MathTex`` of the default font size ``role``'s digit height."""
    return height(role) / _math_digit()


def math(latex: str, role: str = "body", **kwargs: Any) -> MathTex:
    """``MathTex`` whose digits are ``role``'s height."""
    return math_tex(latex, **kwargs).scale(height(role) / _math_digit())


def italic(name: str) -> str:
    """A mathematical name for Pango text, in Unicode's mathematical italic letters (``f`` as U+1D453,
    ``η`` as U+1D702): set as LaTeX sets a variable, without running LaTeX (the font is Latin Modern Math's)."""
    def one(ch: str) -> str:
        if ch == "h":
            return "\u210e"  # (Planck's constant: the alphabet's gap)
        if "a" <= ch <= "z":
            return chr(0x1D44E + ord(ch) - ord("a"))
        if "A" <= ch <= "Z":
            return chr(0x1D434 + ord(ch) - ord("A"))
        if "\u03b1" <= ch <= "\u03c9":
            return chr(0x1D6FC + ord(ch) - 0x03B1)
        return ch

    return "".join(one(ch) for ch in name)


#: Unicode's superscript digits and minus, for a power of ten in Pango text.
SUPERSCRIPTS = str.maketrans("0123456789-", "\u2070\u00b9\u00b2\u00b3\u2074\u2075\u2076\u2077\u2078\u2079\u207b")


def number(value: float, digits: int = 4) -> str:
    """``value`` in ``digits`` significant digits for Pango text, a power of ten written as one
    (``1.01 × 10⁻⁵``, ``10⁻⁸``), never in e-notation (``1.009e-05``)."""
    spelled = f"{value:.{digits}g}"
    if "e" not in spelled:
        return spelled
    mantissa, exponent = spelled.split("e")
    power = "10" + str(int(exponent)).translate(SUPERSCRIPTS)
    if mantissa.lstrip("-") == "1":
        return ("\u2212" if mantissa.startswith("-") else "") + power
    return f"{mantissa.replace('-', chr(0x2212))} \u00d7 {power}"


def text(content: str, role: str = "caption", **kwargs: Any) -> Text:
    """Pango text at ``role``'s size (for text that changes often: notes, status lines)."""
    size = round(100 * height(role) / _text_digit(), 2)
    return plain_text(content, font_size=size, **kwargs)


def latex(content: str, role: str = "body", **kwargs: Any) -> Mobject:
    """LaTeX text (``$...$`` for math) whose digits are ``role``'s height."""
    return latex_text(content, **kwargs).scale(height(role) / _latex_digit())


def wrapped(words: list[str], width: float, make: Any, clause_lines: bool = False) -> VGroup:
    """Lines made by ``make(line)`` from ``words`` (kept whole), each at most ``width`` wide
    where a single word allows; lines stacked left-aligned. ``clause_lines``: a word ending in ``;``
    ends its line (each clause starts a line of its own)."""
    lines: list[Mobject] = []
    current: list[str] = []
    for word in words:
        trial = [*current, word]
        if current and ((clause_lines and current[-1].endswith(";")) or make(" ".join(trial)).width > width):
            lines.append(make(" ".join(current)))
            current = [word]
        else:
            current = trial
    if current:
        lines.append(make(" ".join(current)))
    group = VGroup(*lines)
    if len(lines) > 1:
        group.arrange(DOWN, aligned_edge=LEFT, buff=LEADING * _digit_of(lines[0]))
    return group


def _digit_of(line: Mobject) -> float:
    """The digit height of a typeset line (its height without descenders is about 1.4 digits)."""
    return float(line.height) / 1.4


def title(content: str, width: float, color: str) -> VGroup:
    """A bold title (LaTeX text; ``$...$`` typesets math) at the title size, wrapped to ``width``.

    Words are split at spaces outside ``$...$``.
    """
    return wrapped_latex(content, width, lambda line: latex(rf"\textbf{{{line}}}", "title", color=color))


def wrapped_latex(content: str, width: float, make: Any, clause_lines: bool = False) -> VGroup:
    """Lines of LaTeX text made by ``make(line)``, wrapped to ``width`` at spaces outside ``$...$``
    (``clause_lines``: when it wraps, each clause after a ``;`` starts a line: :func:`wrapped`). Words joined by
    ``~`` (LaTeX's unbreakable space: ``above~$f = 385$``) stay on one line, unless together they are wider than
    ``width``: then they are words of their own."""
    whole = make(content)
    if whole.width <= width:
        return VGroup(whole)
    words = [part for word in split_words(content)
             for part in (word.split("~") if "~" in word and make(word).width > width else [word])]
    return wrapped(words, width, make, clause_lines)


def wrapped_text(content: str, width: float, color: str, role: str = "caption") -> VGroup:
    """Pango text at ``role``'s size, wrapped at spaces to ``width``."""
    whole = text(content, role, color=color)
    if whole.width <= width:
        return VGroup(whole)
    return wrapped(content.split(" "), width, lambda line: text(line, role, color=color))


def split_words(content: str) -> list[str]:
    """Words of LaTeX text: split at spaces, never inside ``$...$`` or braces."""
    words, current, depth, in_math = [], "", 0, False
    for ch in content:
        if ch == "$":
            in_math = not in_math
        elif ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        if ch == " " and not in_math and depth == 0:
            if current:
                words.append(current)
            current = ""
        else:
            current += ch
    if current:
        words.append(current)
    return words


def wrapped_math(latex: str, width: float, role: str = "body", **kwargs: Any) -> MathTex:
    """``MathTex`` at ``role``'s size; a line (of those separated by ``\\\\``) wider than
    ``width`` is broken onto more lines at its top-level ``,\\ `` separators, as few as fit (each
    measured as it is set: with its indent and the comma it ends in); the lines are aligned left. Never shrunk."""
    whole = math(latex, role, **kwargs)
    if whole.width <= width or r",\ " not in latex:
        return whole
    lines: list[str] = []
    for given in latex.split(r"\\"):
        parts = given.strip().lstrip("&").split(r",\ ")
        current = parts[0]
        for at, part in enumerate(parts[1:], start=2):
            comma = "," if at < len(parts) else ""  # (a line broken after this part ends in a comma: measured with it)
            if math(current + r",\ " + part + comma, role, **kwargs).width <= width:
                current += r",\ " + part
            else:
                lines.append(current + ",")
                current = r"\quad " + part
        lines.append(current)
    return math(r" \\ ".join(f"&{line}" for line in lines), role, **kwargs)


#: Names of symbols written out in plain titles (``eta = 0.03``), as LaTeX.
GREEK = {"eta": r"\eta", "mu": r"\mu", "beta1": r"\beta_1", "beta2": r"\beta_2", "beta_1": r"\beta_1",
         "beta_2": r"\beta_2", "alpha": r"\alpha", "sigma": r"\sigma", "lambda": r"\lambda", "epsilon": r"\epsilon",
         "lr": r"\eta", "momentum": r"\mu"}
_SPECIALS = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "#": r"\#", "_": r"\_", "{": r"\{", "}": r"\}",
             "~": r"\textasciitilde{}", "^": r"\textasciicircum{}", "$": r"\$"}


def escape(text: str) -> str:
    """Plain text made safe for LaTeX text mode."""
    return "".join(_SPECIALS.get(ch, ch) for ch in text)


def latex_title(plain: str, loss: Any = None) -> str:
    """A plain title as LaTeX text with its mathematics typeset: a user's loss expression
    (``sin(x)*cos(y)``, when ``loss`` is given and its name appears) becomes its formula, and
    ``eta = 0.03``-style settings become ``$\\eta = 0.03$``; the rest is escaped."""
    pieces: list[tuple[bool, str]] = [(False, plain)]
    if loss is not None and getattr(loss, "latex", None) and loss.name in plain and not loss.name.replace("_", "").isalpha():
        head, _, tail = plain.partition(loss.name)
        pieces = [(False, head), (True, loss.latex), (False, tail)]
    setting = re.compile(r"\b(" + "|".join(sorted(GREEK, key=len, reverse=True)) + r")\s*=\s*([-+]?[0-9.]+(?:e[-+]?[0-9]+)?)")
    out = []
    for is_math, part in pieces:
        if is_math:
            out.append(f"${part}$")
            continue
        last = 0
        for m in setting.finditer(part):
            out.append(escape(part[last:m.start()]))
            out.append(f"${GREEK[m.group(1)]} = {m.group(2)}$")
            last = m.end()
        out.append(escape(part[last:]))
    return "".join(out)
