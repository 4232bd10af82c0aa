"""manim's OpenGL renderer with the fixed-in-frame overlay painted once per change.

manim's :class:`~manim.renderer.opengl_renderer.OpenGLRenderer` rebuilds the
shader data of every mobject and rasterizes it on every frame. The equation
panel is hundreds of glyph outlines fixed in the frame, and on a CPU
rasterizer (Mesa llvmpipe) its curves cost as much as the whole landscape,
although it changes only once per optimizer step.

:class:`LessonRenderer` paints the fixed-in-frame mobjects with Cairo
(:mod:`gdscenes.drawing.overlay`: the same crisp text as the Cairo renderer)
into an overlay texture only when their contents change, and composites that
texture over each frame in one draw call. A change is
detected from a digest of the mobjects' data (points, colours, uniforms), so
any animation of the panel is still drawn exactly; nothing needs to tell the
renderer. Fixed-in-frame mobjects are always on top of the 3D scene (which
is what they are for), and only their fill and plain stroke are painted
(no gradients), which is all the lesson text uses.
"""

from __future__ import annotations

import hashlib
import time
from typing import Any

import moderngl
import numpy as np
from manim.renderer.opengl_renderer import OpenGLRenderer

from gdscenes.drawing.camera import SURFACE
from gdscenes.drawing.overlay import FIXED_FRAME_SHAPE, paint

_COMPOSITE_VERTEX = """
#version 330
uniform vec4 rect;  // x0, y0, x1, y1 in normalised device coordinates
in vec2 corner;
out vec2 uv;
void main() {
    vec2 ndc = mix(rect.xy, rect.zw, corner);
    uv = ndc * 0.5 + 0.5;
    gl_Position = vec4(ndc, 0.0, 1.0);
}
"""

#: Margin around the overlay's points, in frame units (anti-aliasing, stroke width).
_MARGIN = 0.1

_COMPOSITE_FRAGMENT = """
#version 330
uniform sampler2D overlay;
in vec2 uv;
out vec4 color;
void main() {
    color = texture(overlay, uv);
}
"""

_PREMULTIPLIED_OVER = (moderngl.ONE, moderngl.ONE_MINUS_SRC_ALPHA, moderngl.ONE, moderngl.ONE)


def fingerprint(mobjects: list[Any]) -> bytes:
    """A digest of everything that decides how ``mobjects`` look."""
    digest = hashlib.blake2b(digest_size=16)
    for top in mobjects:
        for mob in top.get_family():
            digest.update(id(mob).to_bytes(8, "little"))
            for key in sorted(mob.data):
                digest.update(key.encode())
                digest.update(np.ascontiguousarray(mob.data[key]).tobytes())
            for key in sorted(mob.uniforms):
                digest.update(key.encode())
                digest.update(np.asarray(mob.uniforms[key], dtype=float).tobytes())
    return digest.digest()


def overlay_rect(overlay: list[Any]) -> tuple[float, float, float, float]:
    """The part of the frame the fixed-in-frame mobjects cover, in normalised device coordinates."""
    points = np.vstack([m.points[:, :2] for top in overlay for m in top.get_family() if len(m.points)] or [np.zeros((1, 2))])
    low = (points.min(axis=0) - _MARGIN) * 2 / np.array(FIXED_FRAME_SHAPE)
    high = (points.max(axis=0) + _MARGIN) * 2 / np.array(FIXED_FRAME_SHAPE)
    x0, y0 = np.clip(low, -1, 1)
    x1, y1 = np.clip(high, -1, 1)
    return float(x0), float(y0), float(x1), float(y1)


def _layer(mobject: Any) -> float:
    return getattr(mobject, "gd_layer", SURFACE)


def in_layer_order(mobjects: list[Any]) -> list[Any]:
    """``mobjects`` in lesson-layer order (floor, surface, on the surface, ball, overlay).

    manim draws VMobjects without a depth test, in add order, so a floor path
    drawn after the surface would show through it. A group whose members sit
    on different layers (a rolling ball: floor path, trail, ball) is split into
    its members; the sort is stable, so add order holds inside a layer.
    """

    def split(mobject: Any) -> list[Any]:
        mixed = len({_layer(m) for m in mobject.get_family() if m.has_points()}) > 1
        if mixed and mobject.submobjects and not mobject.has_points():  # a pure container
            return [part for sub in mobject.submobjects for part in split(sub)]
        return [mobject]

    return sorted((part for m in mobjects for part in split(m)), key=_layer)


class LessonRenderer(OpenGLRenderer):
    """:class:`OpenGLRenderer` that caches the fixed-in-frame layer as a texture."""

    overlay_renders = 0  # how many times the overlay was rasterized (for tests and profiling)

    def init_scene(self, scene: Any, *args: Any, **kwargs: Any) -> None:
        super().init_scene(scene, *args, **kwargs)
        ctx = self.context
        width, height = self.get_pixel_shape() or (1, 1)
        self._overlay_texture = ctx.texture((width, height), components=4)
        program = ctx.program(vertex_shader=_COMPOSITE_VERTEX, fragment_shader=_COMPOSITE_FRAGMENT)
        corners = ctx.buffer(np.array([0, 0, 1, 0, 0, 1, 1, 1], dtype="f4").tobytes())
        self._composite = ctx.vertex_array(program, [(corners, "2f", "corner")])
        self._overlay_key: bytes | None = None

    def update_frame(self, scene: Any) -> None:
        self.frame_buffer_object.clear(*self.background_color)
        self.refresh_perspective_uniforms(scene.camera)
        overlay = []
        for mobject in in_layer_order(scene.mobjects):
            if not mobject.should_render:
                continue
            if getattr(mobject, "is_fixed_in_frame", False):
                overlay.append(mobject)
            else:
                self.render_mobject(mobject)
        for obj in scene.meshes:
            for mesh in obj.get_meshes():
                mesh.set_uniforms(self)
                mesh.render()
        if overlay:
            self._draw_overlay(overlay)
        self.animation_elapsed_time = time.time() - self.animation_start_time

    def _draw_overlay(self, overlay: list[Any]) -> None:
        ctx = self.context
        key = fingerprint(overlay)
        if key != self._overlay_key:
            width, height = self._overlay_texture.size
            self._overlay_texture.write(paint(overlay, width, height))
            self._overlay_key = key
            self._composite.program["rect"].value = overlay_rect(overlay)
            type(self).overlay_renders += 1
        ctx.disable(moderngl.DEPTH_TEST)
        ctx.blend_func = _PREMULTIPLIED_OVER
        self._overlay_texture.use(0)
        self._composite.render(moderngl.TRIANGLE_STRIP)
        ctx.blend_func = (moderngl.SRC_ALPHA, moderngl.ONE_MINUS_SRC_ALPHA, moderngl.ONE, moderngl.ONE)
