"""Learning rate: too small, about right, too large, and beyond 2/lambda_max.

    manim -qh scenes/learning_rate.py LearningRate
"""

from gdscenes.scenes import LearningRateScene


class LearningRate(LearningRateScene):
    loss = "quadratic_bowl"
    fractions = (0.01, 0.45, 0.93, 1.05)  # of 2 / lambda_max, computed from the Hessian
    steps = 40


class IllConditioned(LearningRateScene):
    loss = "ill_conditioned"
    domain = ((-3.0, 3.0), (-2.0, 2.0))
    steps = 60
