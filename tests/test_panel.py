"""The equation panel shows the numbers it is given, inside its frame."""

from __future__ import annotations

import numpy as np
import pytest
from manim import DecimalNumber

from gdscenes.drawing.panel import UpdatePanel, number
from gdscenes.optimizers import OPTIMIZERS
from gdscenes.palette import DARK


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_values_stay_inside_the_panel_even_for_a_diverging_run(name: str) -> None:
    cls = OPTIMIZERS[name]
    panel = UpdatePanel(f"{cls.label} on Goldstein price", r" \\ ".join(cls.rule_latex_lines), DARK)
    for theta, grad in (((0.5, -1.25), (3.0, 4.0)), ((-4.35e6, 2.2e8), (-1.23e15, 9.9e17))):
        slots = panel.show_step(7, theta, grad, 0.01, (1.0, 2.0), 1.18e8)
        right = panel.background.get_right()[0]
        for slot in slots:
            assert slot.get_right()[0] <= right + 1e-6
        assert all(label.get_right()[0] < slot.get_left()[0] for label, slot in zip(panel.labels, slots))


def test_numbers_show_the_value_given() -> None:
    assert isinstance(number(3.14159, DARK), DecimalNumber)
    assert number(3.14159, DARK).get_value() == pytest.approx(3.14159)
    assert "10^{8}" in number(1.18e8, DARK).tex_string
    assert number(float("nan"), DARK).tex_string == r"\text{--}"
    assert np.isfinite(number(-2.5e-7, DARK).get_center()).all()
