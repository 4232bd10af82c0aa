"""Square (1:1) frames: the derivation keeps the loss' formula on screen the whole clip.

In a square frame the derivation's panel shows the loss' gradient, then each step in its place; the loss' own formula
(``f(x, y) = ...``, shown at 16:9 the whole clip) stays under the title through the opening and every step, read
from the built panel: a typeset line in the card, drawn (not transparent), clear of the lines that change under it.
"""

from __future__ import annotations

from typing import Any

import pytest
from manim import tempconfig

from gdscenes.drawing.layout import boxes_overlap
from gdscenes.production.render import frame_config

from tests.test_square_turns import derivation_panel, inside


def formula_lines(panel: Any, latex: str) -> list[Any]:
    """The drawn typeset lines of ``panel`` that write ``f(x, y) = <the loss' LaTeX>``."""
    found = []
    for m in panel.get_family():
        tex = str(getattr(m, "tex_string", ""))
        leaves = m.family_members_with_points()
        drawn = bool(leaves) and min(leaf.get_fill_opacity() for leaf in leaves) > 0
        if type(m).__name__ == "MathTex" and "f(x, y)" in tex and latex in tex and drawn:
            found.append(m)
    return found


def test_the_loss_formula_stays_through_every_step(monkeypatch: pytest.MonkeyPatch) -> None:
    scene, panel = derivation_panel("1:1", monkeypatch)
    assert panel.turns
    latex = scene.loss_ref.latex
    assert latex == "(x + 2y - 7)^{2} + (2x + y - 5)^{2}"  # (Booth)
    t = scene.trajectory
    lr, last = float(t.hyperparams["lr"]), int(t.stop_step[0])
    with tempconfig(frame_config("l", "1:1")):
        scene._show_step(panel, t, lr, 0, last)  # (before the opening: the loss and its gradient)
        for k in [None, *range(last + 1)]:
            if k is not None:
                scene._show_step(panel, t, lr, k, last)
            shown = formula_lines(panel, latex)
            assert len(shown) == 1, f"step {k}: the loss' formula drawn {len(shown)} times"
            formula = shown[0]
            assert inside(formula, panel.background, 0.2)
            assert formula.get_top()[1] < panel.title.get_bottom()[1]
            assert not boxes_overlap(formula, panel.step, 0.0), f"step {k}: the formula overlaps the lines under it"
            assert formula.get_bottom()[1] > panel.step.get_top()[1]
        status = panel.set_status("converged at step 8")
        assert not boxes_overlap(status, formula_lines(panel, latex)[0], 0.0)
