"""Square (1:1) frames: the lessons whose text changes layout there, read from the built mobjects.

- local-minima: a compact legend in three columns, each row its start, its note the minimum reached;
- derivation: the panel in turns: the loss and its gradient until the first step is worked out, then the
  step in their place (five lines, the update rule on the iterate's line, the status there at the end).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from manim import DL, UR, tempconfig

from gdscenes.drawing.layout import boxes_overlap
from gdscenes.production.render import frame_config

from tests.test_square_text import placed_text

#: Himmelblau's four minima (closed form for (3, 2); the others to two decimals, as in the literature).
HIMMELBLAU_MINIMA = {(3.00, 2.00), (-2.81, 3.13), (-3.78, -3.28), (3.58, -1.85)}


def inside(inner: Any, outer: Any, pad: float = 0.0) -> bool:
    """Whether ``inner``'s box lies inside ``outer``'s, ``pad`` in from its edges."""
    (ix0, iy0), (ix1, iy1) = inner.get_corner(DL)[:2], inner.get_corner(UR)[:2]
    (ox0, oy0), (ox1, oy1) = outer.get_corner(DL)[:2], outer.get_corner(UR)[:2]
    eps = 1e-6
    return bool(ix0 >= ox0 + pad - eps and ix1 <= ox1 - pad + eps and iy0 >= oy0 + pad - eps and iy1 <= oy1 - pad + eps)


def test_local_minima_square_legend_in_three_columns_with_the_minimum_reached(monkeypatch: pytest.MonkeyPatch) -> None:
    scene = placed_text("local-minima", "1:1", monkeypatch)["scene"]
    legend = scene.text_blocks[0]
    assert legend.columns == 3
    labels = list(legend.labels)
    # Down each column, two rows, then the next column.
    assert labels[0].get_y() > labels[1].get_y() and labels[2].get_y() == pytest.approx(labels[0].get_y())
    assert labels[2].get_left()[0] > labels[1].get_right()[0]
    with tempconfig(frame_config("l", "1:1")):
        notes = [legend.set_note(i, scene.legend_note(i, scene.runs)) for i in range(len(scene.runs))]
    for i, (run, note) in enumerate(zip(scene.runs, notes)):
        # The note: the minimum this start reached (the 16:9 label's, worked out from the same run), one of Himmelblau's.
        text = note.text if hasattr(note, "text") else ""
        reached = run.label.split(r"\to")[1].strip(" ()").replace(r"\ ", "").split(",")
        x, y = (float(v) for v in reached)
        assert (round(x, 2), round(y, 2)) in HIMMELBLAU_MINIMA
        assert note.height > 0
        # Under its own label, inside its column and the card, clear of the next row's label.
        assert note.get_top()[1] < labels[i].get_bottom()[1]
        column_left = legend.entries[i].get_left()[0]
        assert note.get_left()[0] >= column_left - 1e-6
        assert note.get_right()[0] <= column_left + legend.column_width + 1e-6
        assert inside(note, legend.background)
        if i % 2 == 0:
            assert note.get_bottom()[1] > labels[i + 1].get_top()[1]
        del text
    # The notes are the reached minima, in the order of the runs (read back from the typeset text's width
    # would be weak: compare the strings the lesson wrote).
    written = [scene.legend_note(i, scene.runs) for i in range(len(scene.runs))]
    for run, note in zip(scene.runs, written):
        x, y = (float(v) for v in run.label.split(r"\to")[1].strip(" ()").replace(r"\ ", "").split(","))
        assert note == f"\u2192 ({x:.2f}, {y:.2f})".replace("-", "\u2212")
    # Nothing of the legend under the landscape's region, the colour bar clear of it.
    assert not boxes_overlap(legend, scene.colour_key, 0.0)


def test_local_minima_keeps_its_full_legend_in_wide_frames(monkeypatch: pytest.MonkeyPatch) -> None:
    scene = placed_text("local-minima", "16:9", monkeypatch)["scene"]
    scene.legend = scene.text_blocks[0]
    assert not getattr(scene.legend, "notes_name_minima", False)
    assert scene.legend_note(0, scene.runs).startswith("converged")


def derivation_panel(aspect: str, monkeypatch: pytest.MonkeyPatch) -> tuple[Any, Any]:
    scene = placed_text("derivation", aspect, monkeypatch)["scene"]
    return scene, scene.text_blocks[0]


def test_derivation_square_panel_in_turns(monkeypatch: pytest.MonkeyPatch) -> None:
    scene, panel = derivation_panel("1:1", monkeypatch)
    assert panel.turns
    t = scene.trajectory
    lr, last = float(t.hyperparams["lr"]), int(t.stop_step[0])
    with tempconfig(frame_config("l", "1:1")):
        # Before the opening: the loss and its gradient, under the title, inside the card.
        scene._show_step(panel, t, lr, 0, last)
        assert not panel.stepped
        assert panel.step.height == pytest.approx(panel.fixed.height) and panel.step.get_top()[1] < panel.title.get_bottom()[1]
        assert inside(panel.step, panel.background, 0.2)
        for k in range(last + 1):  # the clock: every step in its place
            scene._show_step(panel, t, lr, k, last)
            assert panel.stepped
            block = panel.shown[0]
            assert len(block) == (5 if k < last else 3), f"step {k}"
            assert inside(panel.step, panel.background, 0.2), f"step {k} leaves the card"
            assert panel.step.get_top()[1] < panel.title.get_bottom()[1]
            if k < last:  # the rule right of the iterate's line, clear of it and of the gradient's lines under it
                rule = panel.shown[1]
                assert rule.get_left()[0] > block[0].get_right()[0] + 0.3
                assert abs(rule.get_y() - block[0].get_y()) < 0.05
                assert not boxes_overlap(rule, block[1], 0.0)
        status = panel.set_status("converged at step 8")
        assert inside(status, panel.background, 0.2)
        assert not boxes_overlap(status, panel.shown[0][0], 0.2)
        assert abs(status.get_y() - panel.shown[0][0].get_y()) < 0.05


def test_derivation_square_status_replaces_the_rule_when_the_run_ends_on_a_full_step(monkeypatch: pytest.MonkeyPatch) -> None:
    """A run that leaves the plot ends on a step with its update: the status takes the rule's place."""
    scene, panel = derivation_panel("1:1", monkeypatch)
    t = scene.trajectory
    with tempconfig(frame_config("l", "1:1")):
        scene._show_step(panel, t, 0.03, 0, 8)
        scene._show_step(panel, t, 0.03, 3, 8)
        assert len(panel.shown) == 2
        status = panel.set_status("left the plot at step 4")
        assert len(panel.shown) == 1
        assert not boxes_overlap(status, panel.shown[0][0], 0.2) and inside(status, panel.background, 0.2)


@pytest.mark.parametrize("aspect", ["16:9", "9:16"])
def test_derivation_keeps_its_panel_in_other_frames(aspect: str, monkeypatch: pytest.MonkeyPatch) -> None:
    _, panel = derivation_panel(aspect, monkeypatch)
    assert not panel.turns


def test_the_worked_step_numbers_are_the_trajectory(monkeypatch: pytest.MonkeyPatch) -> None:
    """The step shown at k = 0 is worked from the start (-4, -3) with Booth's gradient by hand:
    10x + 8y - 34 = -98, 8x + 10y - 38 = -100; x1 = -4 + 0.03 * 98 = -1.06, y1 = -3 + 0.03 * 100 = 0."""
    scene, panel = derivation_panel("1:1", monkeypatch)
    t = scene.trajectory
    with tempconfig(frame_config("l", "1:1")):
        scene._show_step(panel, t, 0.03, 0, 8)
        scene._show_step(panel, t, 0.03, 0, 8)
    joined = " ".join(panel.lines)
    for number in ("-98.000", "-100.000", "-1.060", "0.000"):
        assert number in joined
    assert np.allclose(t.points[1, 0], [-1.06, 0.0])


def test_schedules_square_legend_and_plot_side_by_side(monkeypatch: pytest.MonkeyPatch) -> None:
    """In a square frame the compact legend (each schedule's formula; the rule and the noise in its footer; no notes)
    and the learning-rate plot stand side by side in the band, tops level, 0.2 apart, inside the frame."""
    from gdscenes.drawing.legend import Legend
    from gdscenes.drawing.schedule_plot import SchedulePlot

    scene = placed_text("schedules", "1:1", monkeypatch)["scene"]
    legend, plot = scene.text_blocks
    assert isinstance(legend, Legend) and isinstance(plot, SchedulePlot)
    assert legend.get_right()[0] + 0.2 < plot.get_left()[0]
    assert legend.get_top()[1] == pytest.approx(plot.get_top()[1])
    half = scene.layout.width / 2
    assert legend.get_left()[0] >= -half and plot.get_right()[0] <= half
    _, room = scene.layout.text_box
    assert plot.height <= room + 1e-6 and plot.height >= 0.9 * room  # (as tall as the band)
    # The labels keep each schedule's formula (the 16:9 legend's rows).
    assert [tex.tex_string for tex in legend.labels] == [r.label for r in scene.runs]
    # Every symbol of the rule is defined in the footer: k, xi_k, sigma (with its value), g_k.
    footer = " ".join(line.tex_string for line in legend.footer)
    for symbol in (r"k\colon", r"\xi_k \sim", rf"\sigma = {scene.runs[0].trajectory.noise:g}", "g_k ="):
        assert symbol in footer
    with tempconfig(frame_config("l", "1:1")):
        note = legend.set_note(0, "f = 1, last eta = 0.1")
    assert note.width == 0 or len(note.get_all_points()) == 0  # (no notes: the plot and the picture carry them)


def test_schedules_keeps_its_legend_with_notes_in_wide_frames(monkeypatch: pytest.MonkeyPatch) -> None:
    scene = placed_text("schedules", "16:9", monkeypatch)["scene"]
    legend = scene.text_blocks[0]
    assert legend.writes_notes
    with tempconfig(frame_config("l", "16:9")):
        note = legend.set_note(0, "f = 1")
    assert note.width > 0


def test_adam_square_panel_in_turns(monkeypatch: pytest.MonkeyPatch) -> None:
    """In a square frame: Adam's rule in two columns over a cover that hides the rows until the steps run (all
    inside the card, under the title); then the rows (step, rate, loss, gradient, m, v, P) under P's definition, the
    ellipse's key in the card under them; elsewhere the panel keeps its rule and rows."""
    scene = placed_text("adam-preconditioner", "1:1", monkeypatch)["scene"]
    panel = scene.text_blocks[0]
    assert panel.grid and scene.key in panel.content
    assert [key for key, _ in panel.rows] == [
        key for key in ("k", "grad", "lr", "loss", "m", "v", "precond")]
    assert inside(scene.key, panel.background, 0.1) and scene.key.get_top()[1] < panel.labels.get_bottom()[1]
    # Every symbol the rows and the key show is defined while the steps run (the rule is covered then):
    # v-hat over the rows, P and m, v in the key.
    def latex(mobject: Any) -> str:
        return " ".join(str(m.tex_string) for m in mobject.get_family() if hasattr(m, "tex_string"))

    assert r"\hat v_{k+1} = v_{k+1} / (1 - \beta_2^{\,k+1})" in latex(panel.rule)
    assert r"P = \eta / (\sqrt{\hat v}+\epsilon)" in latex(scene.key) and r"m, v\colon" in latex(scene.key)
    cover, rule = scene.rule_cover, scene.rule_columns
    assert inside(cover, panel.background) and inside(rule, panel.background, 0.2)
    assert rule.get_top()[1] < panel.title.get_bottom()[1] and cover.get_top()[1] < panel.title.get_bottom()[1]
    for hidden in (*panel.labels, panel.rule, scene.key):  # (everything under the title)
        assert inside(hidden, cover), "the cover leaves part of the rows in sight"
    left, right = rule
    assert left.get_right()[0] < right.get_left()[0] and len(rule) == 2
    assert panel.submobjects.index(cover) > panel.submobjects.index(panel.content)  # (drawn over the rows)
    t = scene.trajectory
    with tempconfig(frame_config("l", "1:1")):
        scene._show_step(panel, t, 0.2, 0, 60)  # (before the opening: the rule stays)
        assert cover.get_fill_opacity() == 1.0
        scene._show_step(panel, t, 0.2, 0, 60)  # (the clock runs: the rows)
        assert cover.get_fill_opacity() == 0.0 and all(m.get_fill_opacity() == 0.0 for m in rule.family_members_with_points())
    half = scene.layout.height / 2
    assert -half <= scene.key.get_bottom()[1] and scene.key.get_top()[1] <= half


@pytest.mark.parametrize("aspect", ["16:9", "9:16"])
def test_adam_keeps_its_panel_in_other_frames(aspect: str, monkeypatch: pytest.MonkeyPatch) -> None:
    scene = placed_text("adam-preconditioner", aspect, monkeypatch)["scene"]
    assert getattr(scene, "rule_cover", None) is None
    assert len(scene.text_blocks[0].rows) == 9
