"""A comparison grid: a sweep's videos tiled into one video, each tile labelled.

Decoded with PyAV, tiled with numpy, labels drawn once with Pillow, encoded
with PyAV (x264, yuv420p). Clips that end early hold their last frame. The
file is written under a temporary name and moved into place when complete.
A count that leaves spare tiles (5, 7, 11) fills them with a legend naming
the varied settings (:func:`legend_tile`), never with black.

:func:`share_camera` gives the variants of a sweep one camera that keeps
every variant's path in sight (so the tiles compare like with like).
"""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from dataclasses import replace
from fractions import Fraction
from pathlib import Path
from typing import Any

import av
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from gdscenes.atomic import replace_into
from gdscenes.display.camera_presets import shared_turn
from gdscenes.display.view import View
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


#: Colours of a legend tile: background, heading, text (the label strips' tones).
LEGEND_BACKGROUND, LEGEND_HEADING, LEGEND_TEXT = (20, 20, 24), (240, 240, 240), (200, 200, 210)


def varied_names(labels: Sequence[str]) -> list[str]:
    """The settings the labels vary (``"learning rate = 0.01  momentum = 0.9"`` names ``learning rate`` and
    ``momentum``), in order."""
    names: list[str] = []
    for label in labels:
        for part in label.split("  "):
            name, equals, _ = part.strip().partition("=")
            name = name.strip()
            if equals and name and name not in names:
                names.append(name)
    return names


def legend_tile(labels: Sequence[str], width: int, height: int) -> np.ndarray:
    """A spare tile's picture ``(height, width, 3)``: which settings the grid varies, and each tile's
    values in reading order (left to right, top to bottom), as many lines as fit at a readable size."""
    names = varied_names(labels)
    heading = ("varied: " + ", ".join(names)) if names else "variants"
    lines = [heading, "left to right, top to bottom:", *labels]
    image = Image.new("RGB", (width, height), LEGEND_BACKGROUND)
    draw = ImageDraw.Draw(image)
    size = max(8, min(int(height / (len(lines) + 1) * 0.75), int(height * 0.09) + 6))
    try:
        font = ImageFont.load_default(size=size)
    except TypeError:  # Pillow < 10.1: a fixed-size bitmap font
        font = ImageFont.load_default()
    pad, step = max(4, width // 24), int(size * 1.3)
    for i, line in enumerate(lines):
        y = pad + i * step
        if y + size > height - pad:
            break
        draw.text((pad, y), line, fill=LEGEND_HEADING if i == 0 else LEGEND_TEXT, font=font)
    return np.asarray(image)


def compose(videos: Sequence[str | os.PathLike[str]], labels: Sequence[str], out: str | os.PathLike[str],
            max_width: int = 1920, fps: float | None = None) -> Path:
    """Tile ``videos`` (one label each) into the video ``out``; returns its path.

    The grid has ``layout(len(videos))`` tiles, each the first clip's size
    shrunk to fit ``max_width``, with a label strip on top; the result lasts as
    long as the longest clip (shorter ones hold their last frame). Spare tiles
    show the legend (:func:`legend_tile`).
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
    if columns * rows > len(paths):
        legend = legend_tile(labels, tile_w, cell_h)
        for spare in range(len(paths), columns * rows):
            row, col = divmod(spare, columns)
            canvas[row * cell_h : (row + 1) * cell_h, col * tile_w : (col + 1) * tile_w] = legend

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


#: The balls' radius the shared camera keeps in sight (:class:`~gdscenes.drawing.ball.RollingBall`'s).
BALL_RADIUS = 0.15


def share_camera(specs: Sequence[Any]) -> float | None:
    """Give every spec (a sweep's variants) one camera that keeps every variant's ball path in
    sight: the lesson's orbit turned by :func:`~gdscenes.display.camera_presets.shared_turn`
    over all the variants' paths (their trajectories, ``spec.found``), ``keep_in_sight`` off,
    in their settings and in their raw tables (``camera.theta``: what a worker resolves).
    Returns the turn in degrees, or ``None`` (nothing changed) for scenes without an orbit or a
    landscape (a lesson on a curve: its camera does not turn).
    """
    entries = []
    for spec in specs:
        cls = spec.scene_class()
        orbit = getattr(cls, "orbit", None)
        if orbit is None or not hasattr(cls, "get_loss") or not hasattr(cls, "plot_domain"):
            return None
        loss = cls.get_loss()
        if len(cls.plot_domain(loss)) != 2:
            return None
        minima = [m.f for m in loss.minima if m.kind == "global"]
        view = View.fit(loss.value, cls.plot_domain(loss), f_min=min(minima, default=None),
                        scale=getattr(cls, "height_scale", "auto"), **getattr(cls, "view_sizes", {}))
        paths, longest = [], 1
        for t in spec.found:
            for i in range(t.points.shape[1]):
                stop = int(t.stop_step[i])
                longest = max(longest, stop)
                points = np.asarray(t.points[: stop + 1, i], float)
                points = points[np.isfinite(points).all(axis=1)]
                if len(points):
                    paths.append(view.resting_points(points[:, 0], points[:, 1], BALL_RADIUS))
        opening, steps, hold = cls.clip_timing(longest) if hasattr(cls, "clip_timing") else (0.0, np.zeros(1), 0.0)
        entries.append((view, paths, opening, float(np.sum(steps)), hold))
    if not entries:
        return None
    # One orbit speed for every tile: no faster than turns the longest clip as far as a lesson's orbit may turn.
    moving = max(steps + hold for *_, steps, hold in entries)
    # (before any is changed: specs may share a settings dict)
    owns = [spec.scene_class().orbit.turning_at_most(moving) for spec in specs]
    owns = [replace(own, theta_rate=round(own.theta_rate, 6)) for own in owns]
    # Where the orbit looks from in the middle of each variant's steps and at the end of its clip.
    turn = shared_turn([(view, paths, orbit.theta + orbit.theta_rate * (opening + 0.6 * steps),
                         orbit.theta + orbit.theta_rate * (opening + steps + hold))
                        for (view, paths, opening, steps, hold), orbit in zip(entries, owns)],
                       specs[0].scene_class().orbit.phi, BALL_RADIUS)
    for spec, own in zip(specs, owns):
        theta = round(float(own.theta + turn), 6)
        spec.settings["orbit"] = replace(own, theta=theta, keep_in_sight=False)
        # (a worker process resolves the spec again from its raw tables)
        spec.raw["camera"] = {**spec.raw.get("camera", {}), "theta": theta, "theta_rate": own.theta_rate,
                              "keep_in_sight": False}
    return turn
