"""Local minima: several starts roll into different minima over a basin-of-attraction map.

Each ball takes the colour of the minimum it reaches; the floor is tinted by
the basin map (a grid of thousands of starts run in one batched
:func:`~gdscenes.core.runner.run` call), in the same colours.

In a square frame's short band the legend is set in three columns of two
rows: each row names its start, and its note, written when the ball stops,
the minimum reached (the footer says so); the basins' note goes on the
title's line (:meth:`LocalMinimaScene.make_legend`).
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np

from gdscenes.core.outcomes import basin_map, minima_array, reached_minima
from gdscenes.core.runner import run
from gdscenes.drawing.basin_floor import basin_tint
from gdscenes.drawing.legend import Legend
from gdscenes.drawing.type_scale import latex_title
from gdscenes.core.losses import Loss
from gdscenes.core.optimizers import OPTIMIZERS
from gdscenes.display.palette import DARK, Theme, get_theme
from gdscenes.scenes.compare import ComparisonScene, Run
from gdscenes.scenes.lesson import loss_title
from gdscenes.display.view import View
from gdscenes.scenes.registry import lesson


#: In a square frame: the narrowest column of the compact legend (three columns across the band; frame units,
#: shorter side 8).
SQUARE_COLUMN = 2.0


def minimum_color(index: int, muted: str, theme: Theme = DARK) -> str:
    """The colour of minimum ``index`` (-1, none reached: ``muted``): the theme's series colour."""
    return theme.series_color(index) if index >= 0 else muted


@lesson("local-minima")
class LocalMinimaScene(ComparisonScene):
    """Several starts, one optimizer; balls and basins coloured by the minimum they reach."""

    loss = "himmelblau"
    optimizer: ClassVar[str] = "gd"
    lr: ClassVar[float | None] = 0.01
    starts: ClassVar[tuple[tuple[float, float], ...]] = (
        (-0.5, -4.5), (0.5, 4.5), (-4.5, 0.5), (4.5, 0.3), (0.0, 0.0), (1.5, -4.5),
    )
    steps = 60
    #: Grid of the basin map (``basin_samples ** 2`` starts) and its steps.
    basin_samples: ClassVar[int] = 64
    basin_steps: ClassVar[int] = 400

    @classmethod
    def descend(cls, loss: Loss) -> list[Run]:
        for start in cls.starts:
            cls.check_start(loss, start)
        t = run(loss, cls.optimizer, start=np.array(cls.starts, dtype=float), lr=cls.lr, steps=cls.steps, tol=cls.tol)
        reached = reached_minima(loss, t, cls.plot_domain(loss))
        minima = minima_array(loss)
        runs = []
        for i, m in enumerate(reached):
            x, y = t.points[0, i]
            where = rf"\to ({minima[m][0]:.2f},\ {minima[m][1]:.2f})" if m >= 0 else r"\to \text{no minimum}"
            theme = get_theme(cls.theme)
            runs.append(Run(rf"({x:g},\ {y:g}) {where}", minimum_color(int(m), theme.muted, theme), t, index=i))
        return runs

    def heading(self, loss: Loss) -> str:
        return self.title or f"Local minima of {loss_title(loss)}"

    def header(self, loss: Loss, runs: list[Run]) -> str:
        return r"\text{floor: where each start ends (basins)}"

    def footer(self, loss: Loss, runs: list[Run]) -> list[str]:
        t = runs[0].trajectory
        return [OPTIMIZERS[t.optimizer].rule_latex_lines[-1].replace("&", "") + rf",\ \eta = {float(t.hyperparams['lr']):g}",
                r"k\colon\ \text{step},\ \text{start } \theta_0 \to \text{minimum reached}"]

    def make_legend(self, loss: Loss, runs: list[Run]) -> Legend:
        """In a square frame, the compact legend: each row its start (``theta_0``), its note the minimum
        reached (:meth:`legend_note`), in three columns; the basins' note on the title's line."""
        if not self.layout.square:
            return super().make_legend(loss, runs)
        t = runs[0].trajectory
        rows = [(r.color, "({:g},\\ {:g})".format(*(float(v) for v in t.points[0, r.index]))) for r in runs]
        footer = [OPTIMIZERS[t.optimizer].rule_latex_lines[-1].replace("&", "") + rf",\ \eta = {float(t.hyperparams['lr']):g}",
                  r"k\colon\ \text{step},\ \text{row: start } \theta_0 \to \text{minimum reached}"]
        legend = Legend(latex_title(self.heading(loss), loss), rows, self.colors, width=self.layout.block_width,
                        header=r"\text{floor: basins}", footer=footer, max_height=self.layout.text_box[1],
                        min_column=SQUARE_COLUMN * self.layout.unit)
        legend.notes_name_minima = True  # (read by :meth:`legend_note`)
        return legend

    def legend_note(self, i: int, runs: list[Run]) -> str:
        """In a square frame's compact legend, the minimum run ``i`` reached (or how it ended); else its outcome."""
        if not getattr(getattr(self, "legend", None), "notes_name_minima", False):
            return super().legend_note(i, runs)
        m = int(reached_minima(self.get_loss(), runs[i].trajectory, self.view.domain)[runs[i].index])
        if m < 0 or runs[i].exit(self.view.domain) is not None:
            return "no minimum"
        x, y = minima_array(self.get_loss())[m]
        return f"\u2192 ({x:.2f}, {y:.2f})".replace("-", "\u2212")

    def decorate_floor(self, loss: Loss, view: View, runs: list[Run]) -> None:
        t = runs[0].trajectory
        self.basins = basin_map(loss, t.optimizer, lr=float(t.hyperparams["lr"]), samples=self.basin_samples,
                                steps=self.basin_steps, domain=view.domain, tol=self.tol,
                                **{k: v for k, v in t.hyperparams.items() if k != "lr"})
        colors = [minimum_color(i, self.colors.muted, self.colors) for i in range(len(self.basins.minima))]
        self.add(basin_tint(view, self.basins, colors))
