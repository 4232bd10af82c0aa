"""A comparison grid: a sweep's videos tiled into one video, each tile labelled.

Decoded with PyAV, tiled with numpy, labels drawn once with Pillow, encoded
with PyAV (x264, yuv420p). Clips that end early hold their last frame. The
file is written under a temporary name and moved into place when complete.
"""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from gdscenes.atomic import replace_into
from gdscenes.production.export import frames

#: Label strip height as a fraction of the tile height (at least 14 px).
LABEL_FRACTION = 0.09


#: A grid's shape (its width over its height, with 16:9 tiles) may stray from the
#: screen's by at most this factor: a 3-tile row (3 x 16:9) is just in.
GRID_SHAPE_SLACK = 3.0


def layout(count: int, tile_aspect: float = 16 / 9, screen_aspect: float = 16 / 9) -> tuple[int, int]:
    """``(columns, rows)`` for ``count`` tiles of ``tile_aspect`` (width over height).

    The fewest spare tiles first (none when ``count`` has a factorisation whose grid
    is within :data:`GRID_SHAPE_SLACK` of ``screen_aspect``: 3 tiles make a row of 3,
    6 make 3 x 2), then the shape closest to the screen's, then the wider grid.
    Only counts without such a factorisation (5, 7, 11, ...) keep a spare tile.
    """
    count = max(int(count), 1)
    options = []
    for columns in range(1, count + 1):
        rows = math.ceil(count / columns)
        if (columns - 1) * rows >= count or columns * (rows - 1) >= count:
            continue  # a whole row or column would be empty
        miss = abs(math.log(columns * tile_aspect / (rows * screen_aspect)))
        if miss <= math.log(GRID_SHAPE_SLACK) + 1e-9 or count == 1:
            options.append((columns * rows - count, round(miss, 9), -columns, (columns, rows)))
    if not options:  # (only with odd aspects) the near-square grid
        columns = math.ceil(math.sqrt(count))
        return columns, math.ceil(count / columns)
    return min(options)[-1]


def tile_size(width: int, height: int, columns: int, max_width: int) -> tuple[int, int]:
    """Tile size: the clip's size, shrunk so ``columns`` tiles fit ``max_width`` (even numbers)."""
    scale = min(1.0, max_width / (width * columns))
    return max(2, int(width * scale) // 2 * 2), max(2, int(height * scale) // 2 * 2)


def label_strip(text: str, width: int, height: int) -> np.ndarray:
    """A dark strip with ``text`` in white, as an RGB array ``(height, width, 3)``."""
    image = Image.new("RGB", (width, height), (20, 20, 24))
    draw = ImageDraw.Draw(image)
    size = max(8, int(height * 0.7))
    try:
        font = ImageFont.load_default(size=size)
    except TypeError:  # Pillow < 10.1: a fixed-size bitmap font
        font = ImageFont.load_default()
    draw.text((max(2, height // 4), height // 2), text, fill=(240, 240, 240), font=font, anchor="lm")
    return np.asarray(image)


def compose(videos: Sequence[str | os.PathLike[str]], labels: Sequence[str], out: str | os.PathLike[str],
            max_width: int = 1920, fps: float | None = None) -> Path:
    """Tile ``videos`` (one label each) into the video ``out``; returns its path.

    The grid has ``layout(len(videos))`` tiles, each the first clip's size
    shrunk to fit ``max_width``, with a label strip on top; the result lasts as
    long as the longest clip (shorter ones hold their last frame).
    """
    if not videos or len(videos) != len(labels):
        raise ValueError(f"a grid needs one label per video, got {len(videos)} videos and {len(labels)} labels")
    paths = [Path(v) for v in videos]
    with av.open(str(paths[0])) as first:
        stream = first.streams.video[0]
        width, height = stream.codec_context.width, stream.codec_context.height
        rate = Fraction(fps).limit_denominator(1000) if fps else stream.average_rate or Fraction(15)
    columns, rows = layout(len(paths))
    tile_w, tile_h = tile_size(width, height, columns, max_width)
    strip_h = max(14, int(tile_h * LABEL_FRACTION)) // 2 * 2
    strips = [label_strip(text, tile_w, strip_h) for text in labels]
    cell_h = tile_h + strip_h
    sources = [(image for _, image in frames(p, size=(tile_w, tile_h))) for p in paths]
    last: list[np.ndarray | None] = [None] * len(paths)
    canvas = np.zeros((rows * cell_h, columns * tile_w, 3), dtype=np.uint8)

    def encode(temp: Path) -> None:
        with av.open(str(temp), mode="w", format="mp4") as container:
            stream = container.add_stream("libx264", rate=rate, options={"crf": "23"})
            stream.width, stream.height, stream.pix_fmt = canvas.shape[1], canvas.shape[0], "yuv420p"
            while True:
                fresh = False
                for i, source in enumerate(sources):
                    frame = next(source, None)
                    if frame is not None:
                        last[i], fresh = frame, True
                if not fresh:
                    break
                for i, frame in enumerate(last):
                    row, col = divmod(i, columns)
                    y, x = row * cell_h, col * tile_w
                    canvas[y : y + strip_h, x : x + tile_w] = strips[i]
                    if frame is not None:
                        canvas[y + strip_h : y + cell_h, x : x + tile_w] = frame
                for packet in stream.encode(av.VideoFrame.from_ndarray(canvas, format="rgb24")):
                    container.mux(packet)
            for packet in stream.encode():
                container.mux(packet)

    return replace_into(Path(out), encode)
