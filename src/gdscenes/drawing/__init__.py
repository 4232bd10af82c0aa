"""Building blocks that scenes are composed from (manim mobjects).

Each module holds one drawing concept: :mod:`camera` (draw order under
Cairo, framing, orbit), :mod:`landscape` (axes, surface, contour floor), :mod:`ball`
(ball, trail, shadow path), :mod:`panel` (update rule with live numbers).
Geometry comes from :mod:`gdscenes.display.view`; colours from :mod:`gdscenes.display.palette`.
"""
