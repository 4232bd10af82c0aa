"""Learning rate on a curve: too small, about right, too large, and beyond 2/f''(theta*).

    manim -qh scenes/learning_rate_1d.py LearningRateOnAParabola

On a quadratic, 2/f''(theta*) is exact: each run's distance to the minimum is
multiplied by |1 - eta f''| at every step.
"""

from gdscenes.scenes import LearningRate1DScene


class LearningRateOnAParabola(LearningRate1DScene):
    loss = "x^2"
    start = 1.5
    fractions = (0.05, 0.45, 0.9, 1.1)  # of 2 / f''(theta*), computed from the exact f''
    steps = 25


class NarrowParabola(LearningRate1DScene):
    loss = "2*(x - 1)^2"
    start = -1.0
    fractions = (0.2, 0.5, 0.95, 1.05)
    steps = 30
