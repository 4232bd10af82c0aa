"""Display geometry without manim: where a loss value is drawn, contour levels, which
camera keeps a ball in sight, the palette and the lesson's timeline.

Imports only :mod:`gdscenes.core` and the base modules; the drawing layer
(manim) asks these modules for coordinates, colours and times.
"""
