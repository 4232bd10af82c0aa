"""Local minima: each ball takes the colour of the minimum it reaches; the floor shows the basins.

    manim -qh scenes/local_minima.py LocalMinima
"""

from gdscenes.scenes import LocalMinimaScene


class LocalMinima(LocalMinimaScene):
    loss = "himmelblau"
    optimizer = "gd"
    lr = 0.01
    starts = ((-0.5, -4.5), (0.5, 4.5), (-4.5, 0.5), (4.5, 0.3), (0.0, 0.0), (1.5, -4.5))
