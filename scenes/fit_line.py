"""A line fitted to the bundled housing data by gradient descent, beside J(theta0, theta1).

Render (from the repository root, or from scenes/ as ``manim -qh fit_line.py ...``):

    manim -qh scenes/fit_line.py HousingLine

Your own data: ``data = "my.csv"`` (two numeric columns, feature then target; header optional).
"""

from gdscenes.scenes import FitLineScene


class HousingLine(FitLineScene):
    data = "housing"
    optimizer = "gd"
    lr = 0.3
    start = (0.0, 0.0)
    steps = 60


class HousingMinibatches(FitLineScene):
    data = "housing"
    lr = 0.1
    batch_size = 8  # each step: the exact gradient of 8 shuffled houses
    seed = 1
    steps = 60
