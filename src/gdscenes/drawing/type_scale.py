"""One type scale for every lesson: title, body and caption sizes fixed to the frame.

A size is the height of a digit (about a capital's height), as pixels of a
frame whose shorter side is 1080 px (a 1080p frame's height; a 9:16 or 1:1
frame's width): the sizes scale with the frame and never with what a block
has room for. A text too wide for its block wraps onto more lines
(:func:`title`, :func:`wrapped_text`) instead of shrinking.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from manim import DOWN, LEFT, MathTex, Mobject, Text, VGroup, config

from gdscenes.drawing.typeset import latex_text, math_tex, plain_text

#: Digit heights in px at 1080 px (the frame's shorter side).
TITLE_PX = 34.0
BODY_PX = 28.0
CAPTION_PX = 24.0
SIZES = {"title": TITLE_PX, "body": BODY_PX, "caption": CAPTION_PX}
#: Line spacing of wrapped text, in digit heights.
LEADING = 0.75


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


def math(latex: str, role: str = "body", **kwargs: Any) -> MathTex:
    """``MathTex`` whose digits are ``role``'s height."""
    return math_tex(latex, **kwargs).scale(height(role) / _math_digit())


def text(content: str, role: str = "caption", **kwargs: Any) -> Text:
    """Pango text at ``role``'s size (for text that changes often: notes, status lines)."""
    size = round(100 * height(role) / _text_digit(), 2)
    return plain_text(content, font_size=size, **kwargs)


def latex(content: str, role: str = "body", **kwargs: Any) -> Mobject:
    """LaTeX text (``$...$`` for math) whose digits are ``role``'s height."""
    return latex_text(content, **kwargs).scale(height(role) / _latex_digit())


def wrapped(words: list[str], width: float, make: Any) -> VGroup:
    """Lines made by ``make(line)`` from ``words`` (kept whole), each at most ``width`` wide
    where a single word allows; lines stacked left-aligned."""
    lines: list[Mobject] = []
    current: list[str] = []
    for word in words:
        trial = [*current, word]
        if current and make(" ".join(trial)).width > width:
            lines.append(make(" ".join(current)))
            current = [word]
        else:
            current = trial
    if current:
        lines.append(make(" ".join(current)))
    group = VGroup(*lines)
    if len(lines) > 1:
        group.arrange(DOWN, aligned_edge=LEFT, buff=LEADING * lines[0].height)
    return group


def title(content: str, width: float, color: str) -> VGroup:
    """A bold title (LaTeX text; ``$...$`` typesets math) at the title size, wrapped to ``width``.

    Words are split at spaces outside ``$...$``.
    """

    def make(line: str) -> Mobject:
        return latex(rf"\textbf{{{line}}}", "title", color=color)

    whole = make(content)
    if whole.width <= width:
        return VGroup(whole)
    return wrapped(split_words(content), width, make)


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
    """``MathTex`` at ``role``'s size; if wider than ``width``, broken onto lines (``\\\\``) at its
    top-level ``,\\ `` separators, as few lines as fit. Never shrunk."""
    whole = math(latex, role, **kwargs)
    parts = latex.split(r",\ ")
    if whole.width <= width or len(parts) == 1:
        return whole
    lines: list[str] = []
    for part in parts:
        if lines and math(lines[-1] + r",\ " + part, role, **kwargs).width <= width:
            lines[-1] += r",\ " + part
        else:
            lines.append(part)
    return math(r"\\ ".join(f"&{line}" for line in lines), role, **kwargs)
