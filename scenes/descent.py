"""Gradient descent rolling down Himmelblau's function.

Render (from the repository root):

    manim -qh scenes/descent.py HimmelblauDescent

Copy this file and change the class attributes to make your own lesson.
"""

from gdscenes.scenes import DescentScene


class HimmelblauDescent(DescentScene):
    loss = "himmelblau"
    optimizer = "gd"
    lr = 0.01
    start = (-0.5, -4.5)
    steps = 40


class RosenbrockMomentum(DescentScene):
    loss = "rosenbrock"
    optimizer = "momentum"
    lr = 0.0015
    hyperparams = {"momentum": 0.9}
    start = (-1.5, 2.5)
    steps = 120
    seconds_per_step = 0.08
