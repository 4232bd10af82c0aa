"""Any lesson with a loss-against-step panel: set ``loss_curve`` (and ``loss_curve_log``).

    manim -qh scenes/loss_curve.py HimmelblauWithLoss
"""

from gdscenes.scenes import LossCurveScene


class HimmelblauWithLoss(LossCurveScene):
    loss = "himmelblau"
    lr = 0.01
    start = (-0.5, -4.5)
    loss_curve_log = True  # plot f - f* on a log scale
