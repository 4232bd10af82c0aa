"""The math layer: losses (sympy), optimizers, the descent loop and its trajectory (numpy).

Nothing here imports manim or any display code: every module is usable from a
notebook or another tool. Layers above (``display``, ``drawing``, ``scenes``,
``production``, ``cli``) import from here, never the other way round.
"""
