"""Gradient descent on Himmelblau's function, one hop per step.

Render (from the repository root, or from scenes/ as ``manim -qh descent.py ...``;
either way the video lands in the repository's media/; add --renderer=opengl for OpenGL):

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
    motion = "roll"  # the heavy-ball picture of momentum: the ball rolls on the surface
