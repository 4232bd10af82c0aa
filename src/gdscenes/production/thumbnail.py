"""A designed 1280x720 still for a clip: a big title, the landscape with the path, the final point.

The scene is rendered at 1280x720 with few frames (its last frame shows the
whole path and where the ball rests); the text column of that frame is
replaced by the title, set large, and one line saying how the run ended,
in the theme's colours. Written through a temporary file.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from gdscenes.display.palette import get_theme, hex_to_rgb

SIZE = (1280, 720)
#: Share of the width given to the title (the landscape keeps the rest, as in a 16:9 clip).
TITLE_SHARE = 0.37
TITLE_PX = 76
SUBTITLE_PX = 38
PAD = 48
FONT_DIRS = ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu", "/usr/local/share/fonts")


def font(size: int, bold: bool = True) -> Any:
    """DejaVu Sans (bold) where installed, else Pillow's own scalable font."""
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    for folder in FONT_DIRS:
        path = Path(folder) / name
        if path.exists():
            return ImageFont.truetype(str(path), size)
    return ImageFont.load_default(size)


def wrap(draw: ImageDraw.ImageDraw, text: str, face: Any, width: float) -> list[str]:
    """``text`` broken into lines no wider than ``width`` pixels (a long word keeps its own line)."""
    lines: list[str] = []
    for word in text.split():
        trial = f"{lines[-1]} {word}" if lines else word
        if lines and draw.textlength(trial, font=face) <= width:
            lines[-1] = trial
        else:
            lines.append(word)
    return lines


def compose(frame: np.ndarray, title: str, subtitle: str, theme_name: str = "dark") -> Image.Image:
    """The thumbnail from a 1280x720 RGB ``frame``: the title column over its left part."""
    theme = get_theme(theme_name)
    image = Image.fromarray(frame).convert("RGB").resize(SIZE)
    width, height = SIZE
    column = int(TITLE_SHARE * width)
    fade = 60
    background = np.array(hex_to_rgb(theme.background) * 255)
    pixels = np.asarray(image, dtype=float)
    cover = np.clip((column + fade - np.arange(width)) / fade, 0.0, 1.0)[None, :, None]  # 1 left, 0 right
    pixels = pixels * (1 - cover) + background * cover
    image = Image.fromarray(pixels.astype(np.uint8))
    draw = ImageDraw.Draw(image)
    size = TITLE_PX
    while True:  # the largest title that fits the column in at most four lines
        face = font(size)
        lines = wrap(draw, title, face, column - PAD)
        tall = len(lines) * size * 1.12
        if (len(lines) <= 4 and tall <= height * 0.6 and all(draw.textlength(x, font=face) <= column - PAD
                                                              for x in lines)) or size <= 28:
            break
        size -= 4
    y = (height - tall - SUBTITLE_PX * 2.6) / 2
    text_rgb = tuple(int(v * 255) for v in hex_to_rgb(theme.text))
    for line in lines:
        draw.text((PAD, y), line, font=face, fill=text_rgb)
        y += size * 1.12
    draw.rectangle((PAD, y + 14, PAD + 120, y + 22), fill=tuple(int(v * 255) for v in hex_to_rgb(theme.ball)))
    y += 44
    small = font(SUBTITLE_PX, bold=False)
    muted = tuple(int(v * 255) for v in hex_to_rgb(theme.muted))
    parts = subtitle.split("; ")
    while len(parts) > 1 and len(wrap(draw, "; ".join(parts), small, column - PAD)) > 2:
        parts.pop()  # whole clauses only
    for line in wrap(draw, "; ".join(parts), small, column - PAD)[:2]:
        draw.text((PAD, y), line, font=small, fill=muted)
        y += SUBTITLE_PX * 1.2
    return image


def headline(scene: Any) -> str:
    """The title of a rendered lesson scene (its own ``headline()`` if it has one)."""
    if hasattr(scene, "headline"):
        return str(scene.headline())
    return type(scene).__name__


def make(spec: Any, out: str | os.PathLike[str]) -> Path:
    """Render ``spec``'s scene at 1280x720 and write its thumbnail PNG to ``out``."""
    from gdscenes.atomic import OutputError, private_folder, replace_into, signals_unwind, writable_target
    from gdscenes.production.export import frame_at
    from gdscenes.production.render import render

    target = Path(out)
    # the folder is made only inside the media folder (the default place); elsewhere it must exist
    inside_media = target.resolve().is_relative_to(Path(spec.render["media_dir"]).resolve())
    if not inside_media and not writable_target(target).parent.is_dir():
        raise OutputError(f"cannot write {target}: the folder {target.parent} does not exist")
    writable_target(target)  # a directory, device or FIFO: refused before anything renders
    with signals_unwind(), private_folder(prefix="gdscenes-thumb-") as folder:
        result = render(spec.scene_class(), "thumbnail", quality="m", fps=5, media_dir=folder,
                        renderer=spec.render["renderer"], aspect="16:9")
        frame = frame_at(result.path, "last")
        scene = result.scene
        subtitle = scene.describe_result() if hasattr(scene, "describe_result") else ""
        image = compose(frame, headline(scene), subtitle, getattr(scene, "theme", "dark"))
    return replace_into(target, lambda p: image.save(p, format="PNG"), make=inside_media)
