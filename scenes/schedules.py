"""Learning-rate schedules: constant, step decay and cosine annealing from one start, same noisy gradients.

    manim -qh scenes/schedules.py Schedules
"""

from gdscenes.scenes import SchedulesScene


class Schedules(SchedulesScene):
    loss = "ill_conditioned"
    lr = 0.15
    schedules = (
        ("constant", {}),
        ("step", {"step_size": 10, "gamma": 0.3}),  # torch.optim.lr_scheduler.StepLR
        ("cosine", {"T_max": 40}),  # CosineAnnealingLR over the whole run
    )
    noise, seed = 2.0, 97  # the same gradient noise for every ball
    steps = 40
