"""Exports from a rendered clip: stills (PNG), GIFs and trajectories (CSV/JSON).

Stills and GIFs decode the rendered video with PyAV (no second render); every
file is written under a temporary name and moved into place, so a failed
export never replaces an earlier good file.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import av
import numpy as np
from PIL import Image

from gdscenes.atomic import replace_into, write_text


def frames(video: str | os.PathLike[str], width: int | None = None,
           size: tuple[int, int] | None = None) -> Iterator[tuple[float, np.ndarray]]:
    """``(time in seconds, RGB array)`` for every frame of ``video``, scaled to ``width`` if
    given (keeping its shape), or to ``size`` (width, height)."""
    with av.open(str(video)) as container:
        stream = container.streams.video[0]
        for frame in container.decode(stream):
            if width and not size:
                size = width, max(2, round(frame.height * width / frame.width / 2) * 2)
            if size:
                frame = frame.reformat(width=size[0], height=size[1])
            yield float(frame.time or 0.0), frame.to_ndarray(format="rgb24")


def frame_at(video: str | os.PathLike[str], at: float | str = "last") -> np.ndarray:
    """The frame shown at ``at`` seconds (the last one at or before it), or the last frame for ``"last"``."""
    chosen = None
    for time, image in frames(video):
        if chosen is not None and at != "last" and time > float(at) + 1e-9:
            break
        chosen = image
    if chosen is None:
        raise ValueError(f"video {str(video)!r} has no frames")
    return chosen


def still(video: str | os.PathLike[str], out: str | os.PathLike[str], at: float | str = "last") -> Path:
    """Write the frame at ``at`` seconds (or ``"last"``) of ``video`` as a PNG."""
    image = Image.fromarray(frame_at(video, at))
    return replace_into(Path(out), lambda p: image.save(p, format="PNG"))


def gif(video: str | os.PathLike[str], out: str | os.PathLike[str], fps: float = 10.0, width: int = 480) -> Path:
    """Write ``video`` as a looping GIF at ``fps`` frames a second and ``width`` pixels wide."""
    picked: list[Image.Image] = []
    next_time = 0.0
    for time, image in frames(video, width):
        if time + 1e-9 >= next_time:
            picked.append(Image.fromarray(image))
            next_time += 1.0 / fps
    if not picked:
        raise ValueError(f"video {str(video)!r} has no frames")
    duration_ms = round(1000 / fps)
    return replace_into(
        Path(out),
        lambda p: picked[0].save(p, format="GIF", save_all=True, append_images=picked[1:], duration=duration_ms, loop=0),
    )


def still_name(name: str, at: float | str) -> str:
    """``clip_t3.5.png`` or ``clip_last.png``."""
    return f"{name}_last.png" if at == "last" else f"{name}_t{float(at):g}.png"


def write_exports(options: dict[str, Any], video: Path, trajectory: Any) -> list[Path]:
    """The files the ``[export]`` table asks for, next to ``video``; returns their paths."""
    folder, stem = video.parent, video.stem  # names may hold dots ("lr0.05"): no with_suffix
    written: list[Path] = []
    for kind in ("csv", "json"):
        if options.get(kind) and trajectory is not None:
            path = folder / f"{stem}.{kind}"
            written.append(write_text(path, getattr(trajectory, f"to_{kind}")(None)))
    if options.get("gif"):
        written.append(gif(video, folder / f"{stem}.gif", options.get("gif_fps", 10.0), options.get("gif_width", 480)))
    for at in options.get("stills", ()):
        written.append(still(video, folder / still_name(stem, at), at))
    return written
