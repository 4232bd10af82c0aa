"""Gradient descent on a curve f(x): the tangent at theta_k, its slope, and the step -eta f'(theta_k).

    manim -qh scenes/descent_1d.py QuarticDescent

A loss written in x alone is a curve; copy this file and change the class attributes.
"""

from gdscenes.scenes import Descent1DScene


class QuarticDescent(Descent1DScene):
    loss = "x^4/10 + (x - 1)^2/2"
    lr = 0.15
    start = -2.6
    steps = 40


class QuadraticDescent(Descent1DScene):
    loss = "(x - 1)^2"
    lr = 0.2
    start = -2.0
    steps = 20
