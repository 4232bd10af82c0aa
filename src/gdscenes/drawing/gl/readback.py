"""Frames from the GPU to the encoder with one copy instead of three.

manim reads an OpenGL frame into new bytes (OpenGL's rows run bottom to top),
flips it into a new array, and its encoder thread copies that into a new
video frame for swscale and x264: three 8 MB copies a frame at 1080p, each
into freshly allocated memory. Here the clip-space origin is put at the top
left (``glClipControl``), so the framebuffer's first row is the image's top
row, and the frame is read straight into the plane of the ``av.VideoFrame``
the encoder sends on (:class:`FileWriter`). The pixels are the same.

Where the origin cannot be moved (no libOpenGL; OpenGL below 4.5; the call
does not reach the context), frames are read and flipped as manim does;
where a frame's rows would be padded in a video frame (widths whose rows are
not a multiple of 32 bytes), they are read into a new array.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
from collections.abc import Callable
from typing import Any

import av
import moderngl
import numpy as np
from manim.scene.scene_file_writer import SceneFileWriter
from manim.scene.video_segment_encoder import VideoSegmentEncoder

_UPPER_LEFT, _NEGATIVE_ONE_TO_ONE, _CLIP_ORIGIN = 0x8CA2, 0x935E, 0x935C


@functools.cache
def _gl() -> Any:
    """The OpenGL library (calls go to the current context), or None."""
    try:
        return ctypes.CDLL(ctypes.util.find_library("OpenGL") or ctypes.util.find_library("GL") or "libOpenGL.so.0")
    except OSError:
        return None


def origin_at_top(ctx: moderngl.Context) -> bool:
    """Put the clip-space origin of ``ctx`` (current) at the top left; whether that worked."""
    gl = _gl()
    if ctx.version_code < 450 or gl is None:
        return False
    try:
        gl.glClipControl(_UPPER_LEFT, _NEGATIVE_ONE_TO_ONE)
        origin = ctypes.c_int(0)
        gl.glGetIntegerv(_CLIP_ORIGIN, ctypes.byref(origin))  # (0 if the call reached no context)
        return origin.value == _UPPER_LEFT
    except AttributeError:
        return False


def flush() -> None:
    """Let the current context start on the commands issued so far (``glFlush``)."""
    gl = _gl()
    if gl is not None:
        gl.glFlush()


class Pixels(np.ndarray):
    """RGBA pixels (top row first) that are the plane of ``av_frame``, a ``VideoFrame``."""

    av_frame: Any = None


def read(framebuffer: moderngl.Framebuffer, top_first: bool) -> np.ndarray:
    """The frame in ``framebuffer`` as top-row-first RGBA: :class:`Pixels` when it can
    be read into a video frame's plane directly, else a plain array."""
    _, _, width, height = framebuffer.viewport
    if top_first:
        frame = av.VideoFrame(width, height, "rgba")
        plane = frame.planes[0]
        if plane.line_size == width * 4:
            framebuffer.read_into(plane, components=4, alignment=1)
            pixels = np.frombuffer(plane, dtype=np.uint8).reshape(height, width, 4).view(Pixels)
            pixels.av_frame = frame
            return pixels
    raw = np.frombuffer(framebuffer.read(components=4, alignment=1), dtype=np.uint8).reshape(height, width, 4)
    return raw.copy() if top_first else np.flipud(raw).copy()


class _SegmentEncoder(VideoSegmentEncoder):
    """manim's segment encoder, sending :class:`Pixels` on without copying them."""

    def write_frame(self, pixels: np.ndarray, *, repeat: int = 1) -> None:
        frame = getattr(pixels, "av_frame", None)
        if frame is None:
            super().write_frame(pixels, repeat=repeat)
            return
        self._validate_frame(pixels, repeat)
        frame.time_base = 1 / self.spec.frame_rate
        try:
            for _ in range(repeat):
                frame.pts = self._next_pts
                self._next_pts += 1
                for packet in self._stream.encode(frame):
                    self._container.mux(packet)
        except BaseException as error:
            raise self._operation_error("encode", error) from error


class FileWriter(SceneFileWriter):
    """manim's file writer, encoding :class:`Pixels` frames as they are.

    ``before_end``, if set, is called before an animation's frames are sealed
    (the renderer sends a frame it held back)."""

    before_end: Callable[[], None] | None = None

    def end_animation(self, allow_write: bool = False) -> None:
        if self.before_end is not None:
            self.before_end()
        super().end_animation(allow_write)

    def _create_segment_encoder(self, target: Any) -> VideoSegmentEncoder:
        if self.video_encoder is None:
            return super()._create_segment_encoder(target)
        return _SegmentEncoder(target=target, spec=self.video_encoder)
