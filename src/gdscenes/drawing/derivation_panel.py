"""The deriving equation panel: the loss and its exact gradient, then step ``k`` worked out with numbers.

The lines come from :mod:`gdscenes.core.worked_step` (every number is the
trajectory's); this module only typesets them. The step block is replaced
in place (``become``) when the step changes, so it stays fixed in frame under
both renderers.

In turns (``turns=True``, a square frame's short band): the loss' formula stays
under the title the whole clip; its gradient is shown under it until the first
step is worked out, which then takes the gradient's place (the gradient's formula
stays readable in it, its numbers substituted); a step is set in five lines, the
update rule right of the iterate's line, and the status line goes on the iterate's line.
"""

from __future__ import annotations

from collections.abc import Sequence

from manim import DOWN, LEFT, RIGHT, UL, VGroup, VMobject

from gdscenes.drawing import type_scale
from gdscenes.drawing.card import PAD, card
from gdscenes.drawing.polyline import Polyline
from gdscenes.display.palette import Theme

#: Size of the formulas on the type scale.
TEX_ROLE = "caption"
#: In turns: the space between the title and the lines under it, and the least space between the iterate's line
#: and the rule right of it (frame units, shorter side 8).
TURNS_GAP = 0.2
RULE_GAP = 0.45
#: In turns: the space between the loss' formula and the lines under it (caption digit heights).
LINE_GAP = 0.45


class DerivationPanel(VGroup):
    """Title, the fixed lines (loss, gradient), the step block and a status line.

    ``room`` is a step block's worth of lines (the largest the panel will show),
    so the card is sized once.
    """

    def __init__(self, title: str, fixed: Sequence[str], room: Sequence[str], theme: Theme, width: float = 5.0,
                 turns: bool = False) -> None:
        super().__init__()
        self.theme, self.inner = theme, width - 2 * PAD
        self.title = type_scale.title(title, self.inner, theme.text)
        self.fixed = self._tex(fixed, theme.text)
        self.step: VMobject = Polyline()
        self.status: VMobject = Polyline()
        self.lines: list[str] = []
        #: In turns, whether a step has taken the place of the loss and its gradient, and the step shown
        #: (:meth:`_turn`'s group: the lines, then the rule; ``step`` is drawn from it).
        self.turns, self.stepped = turns and self._turn(room, theme.text) is not None, False
        self.shown = VGroup()
        if self.turns:
            # The loss' formula stays under the title the whole clip; its gradient, then each step, under it.
            self.formula = type_scale.math(fixed[0].replace("&", ""), TEX_ROLE, color=theme.text)
            self.formula.next_to(self.title, DOWN, buff=TURNS_GAP * _unit()).align_to(self.title, LEFT)
            self.fixed = self._tex(fixed[1:], theme.text)
            self.fixed.next_to(self.formula, DOWN, buff=LINE_GAP * type_scale.height(TEX_ROLE)).align_to(self.title, LEFT)
            self.head = VGroup(self.title, self.formula)
            self._show(self.fixed)
            slot = max(self.fixed.height, self._turn(room, theme.text).height)  # type: ignore[union-attr]
            self.room = slot
            self.background = card(self.head, theme, width,
                                   extra_height=LINE_GAP * type_scale.height(TEX_ROLE) + slot + 2 * PAD)
            self.add(self.background, self.head, self.step, self.status)
            return
        self.head = VGroup(self.title, self.fixed).arrange(DOWN, aligned_edge=LEFT, buff=0.3)
        self.room = self._tex(room, theme.text).height
        self.background = card(self.head, theme, width, extra_height=self.room + 1.5)
        self.add(self.background, self.head, self.step, self.status)

    def _turn(self, lines: Sequence[str], color: str) -> VGroup | None:
        """A step set in turns: the iterate, the gradient's two lines and the two update lines aligned at their ``&=``
        (one line each), the update rule (the fourth line) at the right of the iterate's line; ``None`` when that is
        wider than the card. The last step (three lines, no update) is the three lines alone."""
        lines = list(lines)
        rule = None
        if len(lines) == 6:
            rule = type_scale.math(lines[3].replace("&", ""), TEX_ROLE, color=color)
            lines = lines[:3] + lines[4:]
        # One line each, aligned at their "=": each left-hand side ends where the widest does.
        block = VGroup(*(type_scale.math(line.replace("&", ""), TEX_ROLE, color=color) for line in lines))
        sides = [type_scale.math(line.split("&")[0], TEX_ROLE).width if "&" in line else 0.0 for line in lines]
        pitch = 1.9 * type_scale.height(TEX_ROLE)
        for i, (line, side) in enumerate(zip(block, sides)):
            line.move_to([max(sides) - side, -i * pitch, 0.0], aligned_edge=LEFT)
        group = VGroup(block)
        if block.width > self.inner + 1e-9:
            return None
        if rule is not None:
            rule.move_to([block.get_left()[0] + self.inner, block[0].get_center()[1], 0.0], aligned_edge=RIGHT)
            if rule.get_left()[0] < block[0].get_right()[0] + RULE_GAP * _unit():
                return None
            group.add(rule)
        return group

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
        """Show the lines of one step under the gradient (replacing the previous step's); in turns, under the title,
        in the place of the loss and its gradient (or of the previous step)."""
        self.lines = list(lines)
        new = self._turn(lines, self.theme.text) if self.turns else None
        if new is not None:
            corner = self.formula.get_corner(DOWN + LEFT)
            new.move_to(corner + LINE_GAP * type_scale.height(TEX_ROLE) * DOWN, aligned_edge=UL)
            new.scale(self.shrunk, about_point=corner)
            self.stepped, self.shown = True, new
        else:
            new = self._tex(lines, self.theme.text)
            new.next_to(self.fixed, DOWN, buff=0.35).align_to(self.title, LEFT)
        if self.stepped:
            self._show(new)
        else:
            self.step.become(new)
        return self.step

    def _show(self, group: VMobject) -> None:
        """Draw ``group`` in the step's place (in turns): its glyphs as one flat list, padded with invisible copies to
        at least as many as the step holds (``become`` pads the shorter family with visible copies, which draw a glyph
        twice: bold), so each glyph is drawn once; ``group`` itself is kept whole (:attr:`shown`)."""
        leaves = [m.copy() for m in group.family_members_with_points()]
        while len(leaves) < len(self.step.submobjects):
            leaves.append(leaves[-1].copy().set_opacity(0))
        self.step.become(VGroup(*leaves))

    @property
    def shrunk(self) -> float:
        """How much a layout shrank the panel (1: not at all)."""
        return float(self.background.width) / (self.inner + 2 * PAD)

    def set_status(self, text: str) -> VMobject:
        """Replace the status line (e.g. ``"converged at step 23"``); in turns, at the right of the iterate's line
        (under the step when that line has no room)."""
        new = type_scale.text(text, "caption", color=self.theme.muted)
        if self.turns and self.stepped:
            new.scale(self.shrunk)
            if len(self.shown) > 1:  # (a run that left the plot ends on a step with its rule: the status takes its place)
                self.shown = VGroup(self.shown[0])
                self._show(self.shown)
            first = self.shown[0][0]
            right = self.background.get_right()[0] - PAD * self.shrunk
            if first.get_right()[0] + 0.3 * self.shrunk + new.width <= right:
                self.status.become(new.move_to([right, first.get_center()[1], 0], aligned_edge=RIGHT))
            else:
                self.status.become(new.next_to(self.step, DOWN, buff=0.2 * self.shrunk).align_to(self.title, LEFT))
            return self.status
        top = self.fixed.get_bottom()[1] - 0.35 - self.room - 0.3
        self.status.become(new.move_to([self.title.get_left()[0], top, 0], aligned_edge=UL))
        return self.status


def _unit() -> float:
    """The frame's shorter side over 8."""
    return type_scale.shorter_side() / 8.0
