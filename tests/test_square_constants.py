"""Square (1:1) frames: Adam's constants (beta_1, beta_2, epsilon) stay defined on screen while the steps run.

In a square frame the adam-preconditioner panel covers Adam's full rule once the steps run, leaving the rows, the
definition of v-hat (which names beta_2) and the ellipse's key (which names epsilon). The constants' values, as the
16:9 panel gives them, stand on v-hat's line, at the type scale; the status line takes their place once the steps are
done. Read from the built panel: which typeset lines are drawn (not transparent), where, and at what size.
"""

from __future__ import annotations

from typing import Any

import pytest
from manim import tempconfig

from gdscenes.drawing import type_scale
from gdscenes.drawing.layout import boxes_overlap
from gdscenes.production.render import frame_config

from tests.test_square_text import placed_text
from tests.test_square_turns import inside

#: Adam's constants at the lesson's defaults (torch's: betas (0.9, 0.999), eps 1e-8), as LaTeX.
CONSTANTS = (r"\beta_1 = 0.9", r"\beta_2 = 0.999", r"\epsilon = 10^{-8}")


def drawn_tex(mobject: Any) -> list[Any]:
    """The typeset formulas of ``mobject`` that are drawn: every glyph opaque."""
    out = []
    for m in mobject.get_family():
        leaves = m.family_members_with_points()
        if type(m).__name__ == "MathTex" and leaves and min(leaf.get_fill_opacity() for leaf in leaves) > 0:
            out.append(m)
    return out


def defining(mobject: Any, symbol: str) -> list[Any]:
    return [m for m in drawn_tex(mobject) if symbol in str(m.tex_string)]


def test_adam_square_defines_its_constants_while_the_steps_run(monkeypatch: pytest.MonkeyPatch) -> None:
    scene = placed_text("adam-preconditioner", "1:1", monkeypatch)["scene"]
    panel = scene.text_blocks[0]
    t = scene.trajectory
    assert tuple(t.hyperparams["betas"]) == (0.9, 0.999) and t.hyperparams["eps"] == 1e-8
    with tempconfig(frame_config("l", "1:1")):
        scene._show_step(panel, t, 0.2, 0, 60)  # (before the opening: the full rule over the rows)
        # The opening: the constants under the rule's first column, on the cover (gone with it once the steps run).
        for constant in CONSTANTS:
            on_cover = defining(scene.cover_constants, constant)
            assert len(on_cover) == 1, constant
            assert inside(on_cover[0], scene.rule_cover) and inside(on_cover[0], panel.background, 0.2)
        scene._show_step(panel, t, 0.2, 0, 60)  # (the clock runs: the rows)
        assert not drawn_tex(scene.cover_constants)
        for k in (1, 10, 59):
            scene._show_step(panel, t, 0.2, k, 60)
            for constant in CONSTANTS:
                shown = defining(panel, constant)
                assert len(shown) == 1, f"step {k}: {constant} drawn {len(shown)} times"
            values = shown[0]
            assert str(values.tex_string) == r",\ ".join(CONSTANTS)
            # On v-hat's line, right of it, inside the card, clear of everything else drawn.
            assert inside(values, panel.background, 0.2)
            assert abs(values.get_y() - panel.rule.get_y()) < 1e-6
            assert values.get_left()[0] > panel.rule.get_right()[0] + 0.2
            for other in (*panel.labels, panel.title, scene.key, *[v for v in panel.values if v.width > 0]):
                assert not boxes_overlap(values, other, 0.0)
            # At the type scale: the body size (as the line it stands on), not shrunk.
            assert values.height == pytest.approx(type_scale.math(str(values.tex_string), "body").height, rel=1e-6)
        # Once the steps are done the status line takes their place.
        status = panel.set_status(scene.status(t, None))
        assert not defining(panel, CONSTANTS[0])
        assert boxes_overlap(status, values, 0.0) and inside(status, panel.background, 0.1)


@pytest.mark.parametrize("aspect", ["16:9", "9:16"])
def test_adam_keeps_its_constants_in_the_rule_in_other_frames(aspect: str, monkeypatch: pytest.MonkeyPatch) -> None:
    scene = placed_text("adam-preconditioner", aspect, monkeypatch)["scene"]
    assert getattr(scene, "constants", None) is None
    rule = str(scene.text_blocks[0].rule.tex_string)
    for constant in CONSTANTS:
        assert constant in rule
