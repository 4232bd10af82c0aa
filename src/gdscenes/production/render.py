"""Render a scene class to a video file from Python (what the CLI calls).

A scene is varied by class attributes: :func:`variant` builds the subclass,
:func:`render` runs manim on it under a temporary configuration and moves the
finished file into place only when the render succeeded, so a failed render
never replaces an earlier good video.
"""

from __future__ import annotations

import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from manim import tempconfig
from manim.constants import QUALITIES
from manim.scene.scene import Scene

from gdscenes.cache import cache_dir
from gdscenes.drawing.gl.probe import gl_unavailable
from gdscenes.production.settings import ALPHA_FORMATS, ASPECTS, QUALITY_FLAGS, RENDERERS, SHORT_SIDE_UNITS
from gdscenes.production.spec import slug


def frame_config(quality: str, aspect: str = "16:9") -> dict[str, Any]:
    """manim config entries for ``aspect`` at ``quality``'s resolution (one-line error otherwise)."""
    if aspect not in ASPECTS:
        raise ValueError(f"unknown aspect {aspect!r}; choose one of: {', '.join(ASPECTS)}")
    if quality not in QUALITY_FLAGS:
        raise ValueError(f"unknown quality {quality!r}; choose one of: {', '.join(QUALITY_FLAGS)}")
    short = QUALITIES[QUALITY_FLAGS[quality]]["pixel_height"]
    w, h = ASPECTS[aspect]
    long_px = int(round(short * max(w, h) / min(w, h) / 2)) * 2  # even, for yuv420p
    long_units = SHORT_SIDE_UNITS * max(w, h) / min(w, h)
    if w >= h:
        return {"pixel_width": long_px, "pixel_height": short, "frame_width": long_units, "frame_height": SHORT_SIDE_UNITS}
    return {"pixel_width": short, "pixel_height": long_px, "frame_width": SHORT_SIDE_UNITS, "frame_height": long_units}


@dataclass(frozen=True)
class RenderResult:
    """Where the video went and what it cost."""

    path: Path
    seconds: float
    width: int
    height: int
    fps: float
    #: The rendered scene, in its final state (camera included).
    scene: Scene


def choose_renderer(name: str = "auto") -> str:
    """The renderer to use: ``name``, or for ``"auto"`` (and ``$GDSCENES_RENDERER``
    unset) OpenGL when a context can be made, else Cairo with a one-line notice."""
    if name == "auto":
        name = os.environ.get("GDSCENES_RENDERER", "auto")
    if name not in RENDERERS:
        raise ValueError(f"unknown renderer {name!r}; choose one of: {', '.join(RENDERERS)}")
    if name != "auto":
        return name
    reason = gl_unavailable()
    if reason is None:
        return "opengl"
    import sys

    print(f"gdscenes: no OpenGL context ({reason}); rendering with Cairo, which is slower", file=sys.stderr)
    return "cairo"


#: x264 settings of every video gdscenes writes (manim's are crf 23 at preset
#: medium). "superfast" at the same crf measured on the benchmark clip at 1080p
#: against a lossless encode: PSNR 50.8 dB, SSIM 0.9981 (medium: 50.1 dB,
#: 0.9980) for 0.46x the encoder's CPU time and 2.1x the file size (1.1 MB for
#: 8 s). The encoding floor in ``bench/`` uses these same settings.
ENCODER_OPTIONS = {"crf": "23", "preset": "superfast"}
ENCODER_QUEUE = 3


def variant(scene: type[Scene], **attributes: Any) -> type[Scene]:
    """A subclass of ``scene`` with ``attributes`` as class attributes (``None`` values are skipped)."""
    unknown = sorted(k for k, v in attributes.items() if v is not None and not hasattr(scene, k))
    if unknown:
        raise ValueError(f"{scene.__name__} has no setting {unknown[0]!r}")
    chosen = {k: v for k, v in attributes.items() if v is not None}
    return type(scene.__name__, (scene,), chosen)


def tex_cache() -> Path:
    """Where typeset LaTeX is kept between renders (manim names files by content hash).

    ``$GDSCENES_TEX_CACHE``, else ``$XDG_CACHE_HOME/gdscenes/Tex``, else
    ``~/.cache/gdscenes/Tex``. Sharing it across media folders saves the
    LaTeX runs of every label and digit on each new render.
    """
    if os.environ.get("GDSCENES_TEX_CACHE"):
        return Path(os.environ["GDSCENES_TEX_CACHE"])
    return cache_dir() / "Tex"


def render(
    scene: type[Scene],
    name: str,
    quality: str = "h",
    media_dir: str | os.PathLike[str] = "media",
    fps: float | None = None,
    renderer: str = "auto",
    extra_config: dict[str, Any] | None = None,
    aspect: str = "16:9",
    transparent: str | None = None,
    sections: bool = False,
) -> RenderResult:
    """Render ``scene`` to ``<media_dir>/videos/<name>.mp4``.

    Parameters
    ----------
    scene
        The scene class (already configured, see :func:`variant`).
    name
        Output file name without extension.
    quality
        manim's quality flag: ``l`` (480p15), ``m`` (720p30), ``h`` (1080p60),
        ``p`` (1440p60), ``k`` (2160p60).
    fps
        Frame rate overriding the quality's.
    renderer
        ``"opengl"``, ``"cairo"`` or ``"auto"`` (see :func:`choose_renderer`).
        manim keeps one renderer per process: render with one kind only in a process.
    aspect
        Frame shape, a key of :data:`ASPECTS` (``"9:16"`` for Shorts/Reels).
    transparent
        ``"mov"`` or ``"webm"`` (:data:`ALPHA_FORMATS`): a video with an alpha
        channel, the background transparent.
    sections
        Also write manim's section videos and their index into
        ``<media_dir>/videos/sections/<name>/`` (``--save_sections``).
    """
    frame = frame_config(quality, aspect)
    media = Path(media_dir).resolve()
    final_dir = media / "videos"
    final_dir.mkdir(parents=True, exist_ok=True)
    temp_name = f".{slug(name)}.partial-{os.getpid()}"
    options: dict[str, Any] = {
        "quality": QUALITY_FLAGS[quality],
        "media_dir": str(media),
        "video_dir": str(final_dir),
        "partial_movie_dir": str(media / "partial" / slug(name)),
        "tex_dir": str(tex_cache()),
        "output_file": temp_name,
        "disable_caching": True,
        "renderer": choose_renderer(renderer),
        "write_to_movie": True,
        "preview": False,
        "verbosity": "WARNING",
        "progress_bar": "display",
        "video_encoder_options": dict(ENCODER_OPTIONS),
        # Frames waiting for the encoder thread (manim: 8, 66 MB at 1080p); the
        # renderer is rarely ahead of x264 at "superfast" by more than a few.
        "encoder_queue_size": ENCODER_QUEUE,
    }
    options.update(frame)
    if fps:
        options["frame_rate"] = fps
    if transparent:
        if transparent not in ALPHA_FORMATS:
            raise ValueError(f"unknown transparent format {transparent!r}; choose one of: {', '.join(ALPHA_FORMATS)}")
        container, codec, pixels, codec_options = ALPHA_FORMATS[transparent]
        # (the codec's own encoder options: no x264 setting applies)
        options.update(transparent=True, format=container, video_codec=codec, pixel_format=pixels,
                       video_encoder_options=dict(codec_options))
    sections_dir = final_dir / "sections" / slug(name)
    if sections:
        shutil.rmtree(sections_dir, ignore_errors=True)  # (the sections of an earlier render of this name)
        options.update(save_sections=True, sections_dir=str(sections_dir))
    options.update(extra_config or {})
    began = time.perf_counter()
    with tempconfig(options):
        from manim import config

        instance = scene()
        instance.render()
        written = Path(instance.renderer.file_writer.movie_file_path)
        size = (config.pixel_width, config.pixel_height, config.frame_rate)
    if transparent == "mov":
        tag_prores_4444(written)
    target = final_dir / f"{slug(name)}{written.suffix}"
    os.replace(written, target)
    if sections:
        name_sections(sections_dir, slug(name))
        for video in sections_dir.glob("*.mov") if transparent == "mov" else ():
            tag_prores_4444(video)
    return RenderResult(target, time.perf_counter() - began, *size, instance)


def tag_prores_4444(path: Path) -> None:
    """Label a ProRes 4444 video as such (``ap4h``): manim's concatenation of its
    partial files (each ``ap4h``) writes the HQ tag ``apch``, which editors read
    as a video without alpha. The packets are copied as they are."""
    import av

    temp = path.with_name(f".{path.stem}.tag{path.suffix}")
    with av.open(str(path)) as source, av.open(str(temp), "w") as out:
        stream = source.streams.video[0]
        copy = out.add_stream_from_template(stream)
        copy.codec_context.codec_tag = "ap4h"
        for packet in source.demux(stream):
            if packet.dts is None:  # the demuxer's flushing packet
                continue
            packet.stream = copy
            out.mux(packet)
    os.replace(temp, path)


def name_sections(folder: Path, name: str) -> None:
    """Rename manim's section videos and index, written under the render's
    temporary name, to ``name``: ``<name>_0001_step-1.mp4``, ``<name>.json``."""
    import json

    for index in folder.glob(".*.json"):
        prefix = index.stem
        entries = json.loads(index.read_text())
        for entry in entries:
            entry["video"] = name + entry["video"][len(prefix):]
        for video in folder.glob(f"{prefix}_*"):
            os.replace(video, folder / (name + video.name[len(prefix):]))
        (folder / f"{name}.json").write_text(json.dumps(entries, indent=4))
        index.unlink()
