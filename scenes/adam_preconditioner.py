"""Adam's per-coordinate effective step as an axis-aligned ellipse; live m and v.

    manim -qh scenes/adam_preconditioner.py AdamPreconditioner
"""

from gdscenes.scenes import AdamPreconditionerScene


class AdamPreconditioner(AdamPreconditionerScene):
    loss = "ill_conditioned"
    lr = 0.2
    start = (-2.5, 1.2)
