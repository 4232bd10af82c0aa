"""Static floor layers under OpenGL: painted once by Cairo, drawn as textured quads.

The contour floor, its axes and their tick labels never change during a
clip, but manim's OpenGL renderer rebuilds and strokes them every frame (a
geometry-shader pass per curve, the most expensive part of a frame on a CPU
rasterizer). :class:`FlatLayer` paints flat mobjects lying in one horizontal
plane (the floor) into a mipmapped texture once,
with Cairo's anti-aliasing, and draws it as one quad at the plane's place.
:class:`Billboards` paints labels once into an atlas and draws each as a
quad that keeps facing the camera (manim's fixed orientation), so tick numbers
stay upright and readable as under the Cairo renderer.

Both project points with manim's own shader code, so they land exactly where
manim would draw the vector mobjects. In a warm process the painted images are
kept (:func:`gdscenes.drawing.reuse.reuse`, keyed on every array of the painted
mobjects' data and the texture's placement): the next render of the same
landscape uploads them without painting them again.
"""

from __future__ import annotations

from typing import Any

import cairo
import moderngl
import numpy as np
from manim import config

from gdscenes.drawing.gl.overlay import LINE_WIDTH_UNIT, paint_one
from gdscenes.drawing.gl.surface_shader import include
from gdscenes.drawing.reuse import key, reuse

#: Largest texture side painted (4096 texels: 64 MiB of RGBA at most).
MAX_TEXTURE = 4096
#: Lines baked into the floor are widened by this factor: a line on the floor
#: seen at manim's default tilt is foreshortened (by half across the view at
#: 60 degrees), while Cairo's strokes keep their width on screen.
FLOOR_LINE_SCALE = 1.4


_HEADER = "#version 330\n" + include("camera_uniform_declarations.glsl")
_PROJECT = include("position_point_into_frame.glsl") + include("get_gl_Position.glsl")

_FLAT_VERTEX = _HEADER + """
in vec3 point;
in vec2 texel;
out vec2 uv;
""" + _PROJECT + """
void main() {
    uv = texel;
    // manim's projection divides by the perspective itself and leaves w at 1, so
    // the texture would be interpolated affinely on screen, each of the quad's two
    // triangles its own way: straight lines on the floor would kink along the
    // diagonal. Handing the perspective to w makes the interpolation perspective-correct.
    vec3 xyz = position_point_into_frame(point);
    vec4 p = get_gl_Position(xyz);
    float psf = perspective_scale_factor(xyz.z, focal_distance);
    float w = psf > 0.0 ? 1.0 / psf : 1.0;
    gl_Position = vec4(p.xyz * w, w);
}
"""

_BILLBOARD_VERTEX = _HEADER + """
in vec3 center;
in vec2 offset;  // in normalised device coordinates
in vec2 texel;
out vec2 uv;
""" + _PROJECT + """
void main() {
    uv = texel;
    // As the Cairo renderer's fixed orientation: the centre is projected, the
    // label keeps its size on screen, whatever the zoom and the perspective.
    gl_Position = get_gl_Position(rotate_point_into_frame(center - camera_center)) + vec4(offset, 0.0, 0.0);
}
"""

#: Samples texture unit 0 (premultiplied colours).
TEXTURE_FRAGMENT = """
#version 330
uniform sampler2D image;
in vec2 uv;
out vec4 color;
void main() {
    color = texture(image, uv);
}
"""

#: Blending of Cairo's premultiplied colours.
PREMULTIPLIED_OVER = (moderngl.ONE, moderngl.ONE_MINUS_SRC_ALPHA, moderngl.ONE, moderngl.ONE)
#: manim's blending, restored after drawing.
MANIM_BLEND = (moderngl.SRC_ALPHA, moderngl.ONE_MINUS_SRC_ALPHA, moderngl.ONE, moderngl.ONE)


def pixels(surface: cairo.ImageSurface) -> bytes:
    """The bytes of Cairo's image (premultiplied BGRA, rows of ``4 * width`` bytes)."""
    surface.flush()
    return bytes(surface.get_data())


def content_key(mobjects: list[Any]) -> list[Any]:
    """Everything painting ``mobjects`` can read: each family member with points, in order, by its
    class, every array of its data and its point tolerance (a part of a :func:`~gdscenes.drawing.reuse.key`)."""
    return [(type(mob).__name__, dict(mob.data), getattr(mob, "tolerance_for_point_equality", None))
            for top in mobjects for mob in top.family_members_with_points()]


def _texture(ctx: moderngl.Context, data: bytes, size: tuple[int, int], mipmaps: bool = True) -> moderngl.Texture:
    """A texture of Cairo's premultiplied BGRA image ``data`` (:func:`pixels`; row 0 at texture
    coordinate 0), with mipmaps and trilinear filtering (for a plane seen at a slant) or without.

    No anisotropic filtering: llvmpipe's takes 14 ms a frame for the floor at
    1080p (any level above 1), trilinear 3.5 ms; the texture is painted at
    twice the screen's density, so trilinear stays sharp at manim's tilt."""
    texture = ctx.texture(size, 4, data)
    texture.swizzle = "BGRA"
    if mipmaps:
        texture.build_mipmaps()
        texture.filter = (moderngl.LINEAR_MIPMAP_LINEAR, moderngl.LINEAR)
    else:
        texture.filter = (moderngl.LINEAR, moderngl.LINEAR)
    texture.repeat_x = texture.repeat_y = False
    return texture


def _points(mobjects: list[Any]) -> np.ndarray:
    return np.vstack([m.points for top in mobjects for m in top.family_members_with_points()] or [np.zeros((1, 3))])


def paint_flat(mobjects: list[Any], scale: float, origin: np.ndarray, size: tuple[int, int],
               line_scale: float = FLOOR_LINE_SCALE) -> cairo.ImageSurface:
    """Cairo image of the flat ``mobjects`` seen from above: world ``(x, y)`` at
    texel ``(x, y) - origin`` times ``scale``; the paths are taken as polylines
    through their anchors (the floor's lines are), strokes widened by ``line_scale``."""
    surface = cairo.ImageSurface(cairo.FORMAT_ARGB32, *size)
    ctx = cairo.Context(surface)
    ctx.scale(scale, scale)
    ctx.translate(-origin[0], -origin[1])
    ctx.set_line_join(cairo.LINE_JOIN_ROUND)
    ctx.set_line_cap(cairo.LINE_CAP_ROUND)
    for top in mobjects:
        for mob in top.family_members_with_points():
            fill = np.asarray(mob.fill_rgba).reshape(-1, 4)[0]
            stroke = np.asarray(mob.stroke_rgba).reshape(-1, 4)[0]
            width = float(np.asarray(mob.stroke_width).ravel()[0]) * LINE_WIDTH_UNIT * line_scale
            ctx.new_path()
            for subpath in mob.get_subpaths():
                anchors = np.vstack([subpath[:1], subpath[2::3]])[:, :2]
                ctx.move_to(*anchors[0])
                for x, y in anchors[1:]:
                    ctx.line_to(x, y)
            if fill[3] > 0:
                ctx.set_source_rgba(*fill)
                ctx.fill_preserve()
            if stroke[3] > 0 and width > 0:
                ctx.set_source_rgba(*stroke)
                ctx.set_line_width(width)
                ctx.stroke_preserve()
    return surface


class FlatLayer:
    """Flat mobjects in one horizontal plane, baked into one textured quad.

    ``texels_per_unit`` sets the texture's sharpness (about twice the
    screen's pixels per unit; mipmaps take it down smoothly where the plane recedes);
    ``zoom`` is the camera's, by which lines are widened so that they keep
    the width the Cairo renderer gives them on screen.
    """

    def __init__(self, ctx: moderngl.Context, mobjects: list[Any], texels_per_unit: float, supersampling: float = 1.0,
                 zoom: float = 1.0) -> None:
        points = _points(mobjects)
        widest = max((float(np.max(m.stroke_width)) for top in mobjects for m in top.family_members_with_points()),
                     default=0.0)
        line_scale = FLOOR_LINE_SCALE / zoom  # widths in world units that look like Cairo's on screen
        margin = widest * LINE_WIDTH_UNIT * line_scale + 0.02
        low, high = points[:, :2].min(axis=0) - margin, points[:, :2].max(axis=0) + margin
        self.z = float(np.median(points[:, 2]))
        scale = min(texels_per_unit, MAX_TEXTURE / float(max(high - low)))
        size = tuple(int(np.ceil(s)) for s in (high - low) * scale)
        high = low + np.array(size) / scale
        painted = key("flat layer", content_key(mobjects), scale, low, size, line_scale)
        self.texture = _texture(ctx, reuse(painted, lambda: pixels(paint_flat(mobjects, scale, low, size, line_scale))), size)
        self.program = ctx.program(vertex_shader=_FLAT_VERTEX, fragment_shader=TEXTURE_FRAGMENT)
        (x0, y0), (x1, y1) = low, high
        quad = np.array([
            [x0, y0, self.z, 0, 0], [x1, y0, self.z, 1, 0], [x0, y1, self.z, 0, 1], [x1, y1, self.z, 1, 1],
        ], dtype="f4")
        self.buffer = ctx.buffer(quad.tobytes())
        self.vao = ctx.vertex_array(self.program, [(self.buffer, "3f 2f", "point", "texel")])

    def draw(self, uniforms: dict[str, Any]) -> None:
        draw_texture(self.program, self.vao, self.texture, uniforms)

    def release(self) -> None:
        for thing in (self.vao, self.buffer, self.texture, self.program):
            thing.release()


class Billboards:
    """Labels (flat mobjects in planes parallel to the floor) painted once into an
    atlas and drawn facing the camera, each around its centre.

    They face the camera, so they are painted at the screen's own density
    (``texels_per_unit / supersampling``) and sampled without mipmaps: crisp.
    """

    def __init__(self, ctx: moderngl.Context, labels: list[Any], texels_per_unit: float, supersampling: float = 1.0,
                 zoom: float = 1.0) -> None:
        texels_per_unit /= zoom * supersampling  # screen pixels per frame unit
        pad = 2.0 / texels_per_unit
        boxes = []
        for label in labels:
            points = _points([label])
            low, high = points[:, :2].min(axis=0) - pad, points[:, :2].max(axis=0) + pad
            boxes.append((label, low, high, label.get_center()))
        widths = [int(np.ceil((h[0] - lo[0]) * texels_per_unit)) + 1 for _, lo, h, _ in boxes]
        height = max((int(np.ceil((h[1] - lo[1]) * texels_per_unit)) + 1 for _, lo, h, _ in boxes), default=1)
        width = max(sum(widths), 1)
        painted = key("billboards", content_key(labels), texels_per_unit, pad, width, height)
        atlas = reuse(painted, lambda: pixels(paint_atlas(boxes, widths, (width, height), texels_per_unit)))
        vertices, left = [], 0
        ndc = 2 / np.array([config.frame_width, config.frame_height])  # frame units to device coordinates
        for (_, low, high, centre), w in zip(boxes, widths):
            u0, u1 = left / width, (left + (high[0] - low[0]) * texels_per_unit) / width
            v1 = (high[1] - low[1]) * texels_per_unit / height
            (ox0, oy0), (ox1, oy1) = (low - centre[:2]) * ndc, (high - centre[:2]) * ndc
            corners = [(ox0, oy0, u0, 0), (ox1, oy0, u1, 0), (ox0, oy1, u0, v1),
                       (ox0, oy1, u0, v1), (ox1, oy0, u1, 0), (ox1, oy1, u1, v1)]
            vertices += [[*centre, ox, oy, u, v] for ox, oy, u, v in corners]
            left += w
        self.texture = _texture(ctx, atlas, (width, height), mipmaps=False)
        self.program = ctx.program(vertex_shader=_BILLBOARD_VERTEX, fragment_shader=TEXTURE_FRAGMENT)
        self.buffer = ctx.buffer(np.array(vertices, dtype="f4").tobytes())
        self.vao = ctx.vertex_array(self.program, [(self.buffer, "3f 2f 2f", "center", "offset", "texel")])

    def draw(self, uniforms: dict[str, Any]) -> None:
        draw_texture(self.program, self.vao, self.texture, uniforms, moderngl.TRIANGLES)

    def release(self) -> None:
        for thing in (self.vao, self.buffer, self.texture, self.program):
            thing.release()


def paint_atlas(boxes: list[tuple[Any, np.ndarray, np.ndarray, np.ndarray]], widths: list[int], size: tuple[int, int],
                texels_per_unit: float) -> cairo.ImageSurface:
    """Cairo image of the labels side by side, each ``(label, low corner, high corner, centre)`` of
    ``boxes`` in a column ``widths`` texels wide, ``texels_per_unit`` texels a frame unit."""
    surface = cairo.ImageSurface(cairo.FORMAT_ARGB32, *size)
    paint = cairo.Context(surface)
    paint.set_fill_rule(cairo.FILL_RULE_WINDING)
    left = 0
    for (label, low, _, _), w in zip(boxes, widths):
        paint.save()
        paint.translate(left, 0)
        paint.scale(texels_per_unit, texels_per_unit)
        paint.translate(-low[0], -low[1])
        for mob in label.family_members_with_points():
            paint_one(paint, mob)
        paint.restore()
        left += w
    return surface


def draw_texture(program: moderngl.Program, vao: moderngl.VertexArray, texture: moderngl.Texture,
                 uniforms: dict[str, Any], mode: int = moderngl.TRIANGLE_STRIP) -> None:
    """Draw ``vao`` with ``texture`` (Cairo's premultiplied colours) over what is there, no depth test."""
    for name, value in uniforms.items():
        if name in program:
            program[name].value = value
    for name in ("is_fixed_in_frame", "is_fixed_orientation"):
        if name in program:
            program[name].value = 0.0
    ctx = program.ctx
    ctx.disable(moderngl.DEPTH_TEST)  # drawn first, on the floor layer: everything else covers it
    ctx.blend_func = PREMULTIPLIED_OVER
    texture.use(0)
    vao.render(mode)
    ctx.blend_func = MANIM_BLEND
