"""Render a scene class to a video file from Python (what the CLI calls).

A scene is varied by class attributes: :func:`variant` builds the subclass,
:func:`render` runs manim on it under a temporary configuration and moves the
finished file into place only when the render succeeded, so a failed render
never replaces an earlier good video.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from manim import tempconfig
from manim.constants import QUALITIES
from manim.scene.scene import Scene

from gdscenes.atomic import OutputError, make_folder, move_into, output_lock, private_folder, signals_unwind, stop_if_asked
from gdscenes.cache import cache_dir
from gdscenes.drawing.encoding import mend_seal
from gdscenes.drawing.gl.probe import gl_unavailable
from gdscenes.production.names import slug
from gdscenes.production.settings import ALPHA_FORMATS, ASPECTS, QUALITY_FLAGS, RENDERERS, SHORT_SIDE_UNITS


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
    #: With ``sections``: the section videos and their index, in ``videos/sections/<name>/``.
    sections: tuple[Path, ...] = ()


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

    Everything is made in a private folder ``<media_dir>/partial/<name>@XXXX/``
    and moved into place when the render succeeded (removed when it did not,
    also on Ctrl-C or SIGTERM). While it runs, the output ``name`` is locked
    (``videos/.<name>.lock``): a second render of the same name in the same
    folder fails at once with a one-line :class:`~gdscenes.atomic.OutputBusy`.
    """
    frame = frame_config(quality, aspect)
    check_name(name)
    media = Path(media_dir).resolve()
    final_dir = make_folder(media / "videos")
    try:
        with signals_unwind(), output_lock(final_dir, name), private_folder(media / "partial", f"{name}@") as scratch:
            return _render_in(scratch, final_dir, scene, name, frame, quality, media, fps, renderer, extra_config,
                              transparent, sections)
    finally:
        try:
            (media / "partial").rmdir()  # (only when empty: no other render is using it)
        except OSError:
            pass


def _render_in(scratch: Path, final_dir: Path, scene: type[Scene], name: str, frame: dict[str, Any], quality: str,
               media: Path, fps: float | None, renderer: str, extra_config: dict[str, Any] | None,
               transparent: str | None, sections: bool) -> RenderResult:
    """:func:`render`'s work, in the private folder ``scratch``."""
    options: dict[str, Any] = {
        "quality": QUALITY_FLAGS[quality],
        "media_dir": str(media),
        # everything manim writes for this render goes into this process's own folder first
        "video_dir": str(scratch),
        "partial_movie_dir": str(scratch / "partial"),
        "tex_dir": str(tex_cache()),
        # with its extension, so manim's stem (section videos, their index) is the whole name, dots included
        "output_file": f"{name}.{ALPHA_FORMATS[transparent][0] if transparent in ALPHA_FORMATS else 'mp4'}",
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
    if sections:
        options.update(save_sections=True, sections_dir=str(scratch / "sections"))
    options.update(extra_config or {})
    mend_seal()  # (a Ctrl-C while the encoder is behind must not hang the process)
    began = time.perf_counter()
    try:
        with tempconfig(options):
            from manim import config

            instance = scene()
            try:
                instance.render()
            except BaseException:  # (stopped between animations: no encoder thread still writing in the private folder)
                writer = getattr(instance.renderer, "file_writer", None)
                if writer is not None and hasattr(writer, "abort_encode_jobs"):
                    writer.abort_encode_jobs()
                raise
            written = Path(instance.renderer.file_writer.movie_file_path)
            size = (config.pixel_width, config.pixel_height, config.frame_rate)
        stop_if_asked()  # (a Ctrl-C or SIGTERM swallowed during the render: nothing is published, earlier videos stay)
        if transparent == "mov":
            tag_prores_4444(written)
        placed: list[Path] = []
        if sections:
            placed = place_sections(scratch / "sections", final_dir / "sections" / name, name, transparent == "mov")
        target = move_into(written, final_dir / f"{name}{written.suffix}")
    except Exception as error:  # a full disk, a folder made read-only meanwhile: one line naming the path
        cause = os_error_in(error)
        if cause is None or isinstance(error, OutputError):
            raise
        where = f" (at {cause.filename})" if cause.filename else ""
        raise OutputError(f"cannot render {name!r} into {final_dir}: {cause.strerror or cause}{where}") from error
    return RenderResult(target, time.perf_counter() - began, *size, instance, tuple(placed))


def os_error_in(error: BaseException) -> OSError | None:
    """The ``OSError`` behind ``error`` (itself, or what it was raised from: manim wraps a full
    disk in a ``RuntimeError``), else ``None``."""
    seen = 0
    current: BaseException | None = error
    while current is not None and seen < 10:
        if isinstance(current, OSError) and current.errno is not None:
            return current
        current, seen = current.__cause__ or current.__context__, seen + 1
    return None


def check_name(name: str) -> str:
    """``name`` if it is a safe output name (see :mod:`gdscenes.production.names`), else a one-line ``ValueError``."""
    if not name or slug(name) != name:
        raise ValueError(f"output name {name!r} is not a plain file name; use letters, digits, '.', '+', '-' and '_' "
                         "(not starting with '.')")
    return name


def tag_prores_4444(path: Path) -> None:
    """Label a ProRes 4444 video as such (``ap4h``): manim's concatenation of its
    partial files (each ``ap4h``) writes the HQ tag ``apch``, which editors read
    as a video without alpha. The packets are copied as they are."""
    import av

    from gdscenes.atomic import replace_into

    def retag(temp: Path) -> None:
        with av.open(str(path)) as source, av.open(str(temp), "w", format="mov") as out:
            stream = source.streams.video[0]
            copy = out.add_stream_from_template(stream)
            copy.codec_context.codec_tag = "ap4h"
            for packet in source.demux(stream):
                if packet.dts is None:  # the demuxer's flushing packet
                    continue
                packet.stream = copy
                out.mux(packet)

    replace_into(path, retag)


def place_sections(made: Path, folder: Path, name: str, tag: bool = False) -> list[Path]:
    """Move manim's section videos and their index ``<name>.json`` from ``made`` (this render's own
    folder) into ``folder``; the index goes last and lists this render's sections. Nothing else in
    ``folder`` is touched (a section video of an earlier, longer render of ``name`` stays, unlisted).
    Returns the files placed."""
    index = made / f"{name}.json"
    if not index.is_file():
        return []
    make_folder(folder)
    placed = []
    for video in sorted(made.iterdir()):
        if video.is_file() and video != index:
            if tag and video.suffix == ".mov":
                tag_prores_4444(video)
            placed.append(move_into(video, folder / video.name))
    placed.append(move_into(index, folder / index.name))
    return placed
