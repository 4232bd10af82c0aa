"""Curvature at the ball: Hessian ellipse (dashed where negative) and condition number.

    manim -qh scenes/curvature.py Curvature
"""

from gdscenes.scenes import CurvatureScene


class Curvature(CurvatureScene):
    loss = "himmelblau"
    lr = 0.01
    start = (0.5, -0.2)  # near the local maximum: both directions curve down at first
    ellipse_size = 0.12  # longer semi-axis at the start, as a fraction of the domain's width
