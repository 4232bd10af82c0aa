"""Several runs on one landscape, each with its colour, its legend entry and its outcome.

:class:`ComparisonScene` is the base of the lessons that compare runs
(learning rates, starts, optimizers): a lesson builds its :class:`Run` list
in :meth:`~ComparisonScene.descend`; the scene rolls every ball together,
writes each run's note when its ball stops, and holds the picture.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from gdscenes.core.outcomes import exit_step
from gdscenes.drawing.ball import RollingBall
from gdscenes.drawing import type_scale
from gdscenes.drawing.legend import Legend
from gdscenes.core.losses import Loss
from gdscenes.drawing.type_scale import latex_title
from gdscenes.scenes.lesson import LessonScene, loss_title, outcome
from gdscenes.core.trajectory import Trajectory
from gdscenes.display.view import View


#: The least height a loss curve takes under the legend: its plot's least height (1.4), its card (0.45), the gap (0.25).
LOSS_CURVE_ROOM = 1.4 + 0.45 + 0.25


@dataclass(frozen=True)
class Run:
    """One ball: its trajectory (first start), colour, legend label (LaTeX) and rule."""

    label: str
    color: str
    trajectory: Trajectory
    rule: str | None = None
    index: int = 0

    def exit(self, domain: Any) -> int | None:
        """First step outside the plot, if any."""
        return exit_step(self.trajectory, domain, self.index)

    def end(self, domain: Any) -> int:
        """Last step the ball is drawn at (its stop step, or where it leaves the plot)."""
        leaves = self.exit(domain)
        return int(self.trajectory.stop_step[self.index]) if leaves is None else leaves

    def path(self, domain: Any) -> Any:
        return self.trajectory.points[: self.end(domain) + 1, self.index]


class ComparisonScene(LessonScene):
    """Runs compared on one landscape; lessons override :meth:`descend` and :meth:`note`."""

    steps: ClassVar[int] = 60
    tol: ClassVar[float | None] = 1e-3
    #: Title of the legend; ``None`` builds one from the lesson and the loss.
    title: ClassVar[str | None] = None
    #: Write each run's note on its label's line (short notes) rather than under it.
    inline_notes: ClassVar[bool] = False
    #: With ``inline_notes``: the longest note the lesson writes (the room kept right of a label when the
    #: legend is set in columns).
    longest_note: ClassVar[str] = ""

    @classmethod
    def descend(cls, loss: Loss) -> list[Run]:
        raise NotImplementedError

    # -- what the text says (lessons override) -------------------------------
    def heading(self, loss: Loss) -> str:
        return self.title or loss_title(loss)

    def header(self, loss: Loss, runs: list[Run]) -> str | None:
        """LaTeX under the title."""
        return None

    def footer(self, loss: Loss, runs: list[Run]) -> list[str]:
        """LaTeX lines under the legend's rows (caption size): what the rules' symbols mean."""
        return []

    def note(self, i: int, runs: list[Run]) -> str:
        """The note of run ``i`` once its ball has stopped."""
        run = runs[i]
        return outcome(run.trajectory, run.index, exit_step=run.exit(self.view.domain))

    def legend_note(self, i: int, runs: list[Run]) -> str:
        """The note written in the legend under (or beside) run ``i``: :meth:`note`; where that is the run's outcome and
        does not fit the legend's column, its brief form (a run that used all its steps: its loss alone)."""
        run, note = runs[i], self.note(i, runs)
        leaves = run.exit(self.view.domain)
        if note != outcome(run.trajectory, run.index, exit_step=leaves):
            return note
        legend = getattr(self, "legend", None)
        brief = outcome(run.trajectory, run.index, exit_step=leaves, brief=True)
        return note if legend is None else legend.fitting(i, [note, brief])

    def compact(self, loss: Loss, runs: list[Run]) -> tuple[list[Run], str | None, list[str]] | None:
        """The runs, header and footer of a shorter legend, for a band too short for the full one at the
        type scale (a square frame's); ``None``: the lesson has none."""
        return None

    # -- the text blocks ------------------------------------------------------------
    def make_legend(self, loss: Loss, runs: list[Run]) -> Legend:
        """The legend of ``runs`` at the type scale. In a stacked layout (a band across a square or tall
        frame) its rows go in columns when that makes it fit: the height left for it is the band's, less
        the loss curve's least room when the curve fits under it too (:meth:`make_loss_curve` leaves the curve
        out when it does not); a legend that fits in no way is replaced by the lesson's :meth:`compact` one."""
        def build(runs: list[Run], header: str | None, footer: list[str], max_height: float | None) -> Legend:
            rules = [r.rule for r in runs] if all(r.rule for r in runs) else None
            note_width = type_scale.text(self.longest_note, "caption").width if self.longest_note else 0.0
            return Legend(latex_title(self.heading(loss), loss), [(r.color, r.label) for r in runs], self.colors,
                          width=self.layout.block_width, header=header, rules=rules, footer=footer,
                          inline_notes=self.inline_notes, max_height=max_height, note_width=note_width)

        if not self.layout.stacked:
            return build(runs, self.header(loss, runs), self.footer(loss, runs), None)
        _, room = self.layout.text_box
        under = self.room_under_legend()
        if under:
            legend = build(runs, self.header(loss, runs), self.footer(loss, runs), room - under)
            if legend.height <= room - under + 1e-9:
                return legend
        legend = build(runs, self.header(loss, runs), self.footer(loss, runs), room)
        shorter = self.compact(loss, runs) if legend.height > room + 1e-9 else None
        if shorter is not None:
            legend = build(*shorter, room)
        return legend

    def room_under_legend(self) -> float:
        """The least height the loss curve and the learning-rate panel take under the legend (0: none)."""
        from gdscenes.scenes.lesson import SCHEDULE_ROOM

        curve = LOSS_CURVE_ROOM if self.loss_curve else 0.0
        return curve + (SCHEDULE_ROOM if self.schedule_series() else 0.0)

    def make_loss_curve(self, losses: Any, colors: Any, loss: Loss, above: Any = None) -> Any:
        """The loss curve under the legend, left out in a stacked layout whose band has no room for it
        under the legend at the type scale (a square frame's: the legend's notes say how each run ended)."""
        if self.layout.stacked and above is not None:
            _, room = self.layout.text_box
            if above.height + self.room_under_legend() > room + 1e-9:
                return None
        return super().make_loss_curve(losses, colors, loss, above=above)

    # -- captions ---------------------------------------------------------------
    def headline(self) -> str:
        return self.heading(self.get_loss())

    def describe_intro(self) -> str:
        return self.heading(self.get_loss())

    def describe_steps(self, first: int, last: int) -> str:
        head = f"Step {last}" if first == last else f"Steps {first}-{last}"
        ends = [r.end(self.view.domain) for r in self.runs]
        return "; ".join([head, *(self.note(i, self.runs) for i, end in enumerate(ends) if first <= end <= last)])

    def describe_result(self) -> str:
        return "; ".join(self.note(i, self.runs) for i in range(len(self.runs)))

    def decorate_floor(self, loss: Loss, view: View, runs: list[Run]) -> None:
        """Hook: draw on the floor before the balls (e.g. basins)."""

    # -- the lesson ----------------------------------------------------------
    def construct(self) -> None:
        loss = self.get_loss()
        runs = self.runs = self.descend(loss)
        view = self.build_landscape(loss)
        domain = view.domain
        self.decorate_floor(loss, view, runs)
        ends = [r.end(domain) for r in runs]
        per_step = max(2, min(12, 1500 // max(max(ends), 1)))
        balls = [
            RollingBall(view, r.path(domain), self.colors, color=r.color, exit_step=r.exit(domain),
                        samples_per_step=per_step, trail_width=3.0, shadow_color=r.color, motion=self.motion,
                        arrows=r.trajectory.updates[: end, r.index],  # (the step taken: -eta_k g_k, Newton's step)
                        arrow_color=r.color)
            for r, end in zip(runs, ends)
        ]
        self.balls = balls
        legend = self.legend = self.make_legend(loss, runs)
        curve = self.make_loss_curve(
            [r.trajectory.losses[: end + 1, r.index] for r, end in zip(runs, ends)], [r.color for r in runs], loss,
            above=legend,
        )
        self.place_text(legend, curve)
        noted: set[int] = set()

        def on_step(k: int) -> None:
            for i, end in enumerate(ends):
                if k >= end and i not in noted:
                    noted.add(i)
                    self.keep_fixed(legend.set_note(i, self.legend_note(i, runs)))

        self.roll(balls, float(max(ends)), on_step=on_step, followers=[curve] if curve else [])
        self.hold()

