"""The deriving equation panel: the loss and its exact gradient, then step ``k`` worked out with numbers.

The lines come from :mod:`gdscenes.core.worked_step` (every number is the
trajectory's); this module only typesets them. The step block is replaced
in place (``become``) when the step changes, so it stays fixed in frame under
both renderers.
"""

from __future__ import annotations

from collections.abc import Sequence

from manim import DOWN, LEFT, UL, VGroup, VMobject

from gdscenes.drawing import type_scale
from gdscenes.drawing.card import PAD, card
from gdscenes.drawing.polyline import Polyline
from gdscenes.display.palette import Theme

#: Size of the formulas on the type scale.
TEX_ROLE = "caption"


class DerivationPanel(VGroup):
    """Title, the fixed lines (loss, gradient), the step block and a status line.

    ``room`` is a step block's worth of lines (the largest the panel will show),
    so the card is sized once.
    """

    def __init__(self, title: str, fixed: Sequence[str], room: Sequence[str], theme: Theme, width: float = 5.0) -> None:
        super().__init__()
        self.theme, self.inner = theme, width - 2 * PAD
        self.title = type_scale.title(title, self.inner, theme.text)
        self.fixed = self._tex(fixed, theme.text)
        self.head = VGroup(self.title, self.fixed).arrange(DOWN, aligned_edge=LEFT, buff=0.3)
        self.step: VMobject = Polyline()
        self.status: VMobject = Polyline()
        self.room = self._tex(room, theme.text).height
        self.background = card(self.head, theme, width, extra_height=self.room + 1.5)
        self.add(self.background, self.head, self.step, self.status)
        self.lines: list[str] = []

    def _tex(self, lines: Sequence[str], color: str) -> VMobject:
        """The lines at the caption size, aligned at their ``&=``. A block too wide for the card (a short line
        runs over once aligned after a long left-hand side) is set as two, the gradient and the update
        (from the second line that starts with theta), each aligned on its own; a line still too wide
        goes on two lines, broken before its last ``=``, the result under the line's ``&=``."""
        def breakable(line: str) -> bool:
            at = line.rfind("=")
            return at > 0 and line[at - 1] != "&" and "&" in line

        def block(group: Sequence[str], split: set[int]) -> str:
            out: list[str] = []
            for i, line in enumerate(group):
                at = line.rfind("=")
                out += [line[:at], "&" + line[at:]] if i in split else [line]
            return r" \\ ".join(out)

        def fitted(group: Sequence[str]) -> str:
            order = sorted((i for i, line in enumerate(group) if breakable(line)),
                           key=lambda i: -type_scale.math(group[i], TEX_ROLE).width)
            split: set[int] = set()
            while type_scale.math(block(group, split), TEX_ROLE).width > self.inner and len(split) < len(order):
                split.add(order[len(split)])
            return block(group, split)

        cut = next((i for i, line in enumerate(lines) if i > 0 and line.startswith(r"\theta_")), None)
        if cut is None or type_scale.math(block(lines, set()), TEX_ROLE).width <= self.inner:
            return type_scale.math(fitted(lines), TEX_ROLE, color=color)
        parts = [type_scale.math(fitted(group), TEX_ROLE, color=color) for group in (lines[:cut], lines[cut:])]
        return VGroup(*parts).arrange(DOWN, aligned_edge=LEFT, buff=1.2 * type_scale.height(TEX_ROLE))

    def show_lines(self, lines: Sequence[str]) -> VMobject:
        """Show the lines of one step under the gradient (replacing the previous step's)."""
        self.lines = list(lines)
        new = self._tex(lines, self.theme.text)
        new.next_to(self.fixed, DOWN, buff=0.35).align_to(self.title, LEFT)
        self.step.become(new)
        return self.step

    def set_status(self, text: str) -> VMobject:
        """Replace the status line (e.g. ``"converged at step 23"``)."""
        new = type_scale.text(text, "caption", color=self.theme.muted)
        top = self.fixed.get_bottom()[1] - 0.35 - self.room - 0.3
        self.status.become(new.move_to([self.title.get_left()[0], top, 0], aligned_edge=UL))
        return self.status
