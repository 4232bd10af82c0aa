"""Logistic regression on the bundled exam data: hours studied against passed (0/1).

Render (from the repository root, or from scenes/ as ``manim -qh logistic_fit.py ...``):

    manim -qh scenes/logistic_fit.py ExamSigmoid
"""

from gdscenes.scenes import LogisticFitScene


class ExamSigmoid(LogisticFitScene):
    data = "exam"
    optimizer = "gd"
    lr = 2.0
    start = (0.0, 0.0)
    steps = 100


class ExamMomentum(LogisticFitScene):
    data = "exam"
    optimizer = "momentum"
    lr = 0.5
    hyperparams = {"momentum": 0.9}
    steps = 80
