"""Full-batch gradient descent against minibatch SGD on the bundled housing data.

Render (from the repository root, or from scenes/ as ``manim -qh sgd_batches.py ...``):

    manim -qh scenes/sgd_batches.py HousingBatches

The same seed gives the same video; change it to see another shuffle.
"""

from gdscenes.scenes import SGDBatchesScene


class HousingBatches(SGDBatchesScene):
    data = "housing"
    batch_size = 4
    seed = 25
    lr = 0.15
    steps = 60


class HousingTinyBatches(SGDBatchesScene):
    data = "housing"
    batch_size = 2
    seed = 3
    lr = 0.05
    steps = 60
