"""The choices a spec offers, without manim: qualities, frame shapes, renderers, sizes.

:mod:`gdscenes.production.spec` validates against these and the command
line lists them in its help, so neither needs to import manim (about a
second) to say what is allowed; :mod:`gdscenes.production.render` takes
them from here. A test keeps the copy below in step with manim's quality
table (``tests/test_hostile_input.py``).
"""

from __future__ import annotations

from typing import Any

#: manim's quality presets (``manim.constants.QUALITIES``, without the flagless example one).
QUALITIES: dict[str, dict[str, Any]] = {
    "low_quality": {"flag": "l", "pixel_height": 480, "pixel_width": 854, "frame_rate": 15},
    "medium_quality": {"flag": "m", "pixel_height": 720, "pixel_width": 1280, "frame_rate": 30},
    "high_quality": {"flag": "h", "pixel_height": 1080, "pixel_width": 1920, "frame_rate": 60},
    "production_quality": {"flag": "p", "pixel_height": 1440, "pixel_width": 2560, "frame_rate": 60},
    "fourk_quality": {"flag": "k", "pixel_height": 2160, "pixel_width": 3840, "frame_rate": 60},
}

#: ``-q`` flags, as in manim's own CLI.
QUALITY_FLAGS = {q["flag"]: name for name, q in QUALITIES.items() if q["flag"]}

#: Frame shapes, width:height. The quality's pixel height becomes the short
#: side, and the short side is 8 frame units in every shape, so a landscape
#: that fits a 16:9 frame's height fits a 9:16 frame's width.
ASPECTS = {"16:9": (16, 9), "9:16": (9, 16), "1:1": (1, 1)}
SHORT_SIDE_UNITS = 8.0

RENDERERS = ("auto", "opengl", "cairo")

#: Named sizes: ``--size NAME`` sets the quality and the aspect together.
SIZES = {
    "1080p": ("h", "16:9"),
    "4k": ("k", "16:9"),
    "shorts": ("h", "9:16"),
    "square": ("h", "1:1"),
}

#: Videos with an alpha channel (``--transparent``): container, encoder, pixel format, encoder options.
#: ProRes 4444 in a .mov is what video editors import; VP9 in a .webm is what browsers play.
ALPHA_FORMATS = {
    "mov": ("mov", "prores_ks", "yuva444p10le", {"profile": "4444"}),
    "webm": ("webm", "libvpx-vp9", "yuva420p", {"crf": "23", "b": "0"}),
}

def quality_order() -> tuple[str, ...]:
    """The ``-q`` flags from the smallest picture to the largest."""
    return tuple(sorted(QUALITY_FLAGS, key=lambda flag: QUALITIES[QUALITY_FLAGS[flag]]["pixel_height"]))
