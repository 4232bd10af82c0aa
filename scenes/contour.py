"""Top-down contour view: the path and the step arrow -eta * grad f at every step.

    manim -qh scenes/contour.py TopDown
"""

from gdscenes.scenes import ContourScene


class TopDown(ContourScene):
    loss = "himmelblau"
    lr = 0.01
    start = (-0.5, -4.5)
