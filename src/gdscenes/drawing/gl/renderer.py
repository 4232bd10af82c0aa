"""manim's OpenGL renderer with the static parts of a lesson drawn from caches.

manim's :class:`~manim.renderer.opengl_renderer.OpenGLRenderer` rebuilds the
shader data of every mobject and rasterizes it on every frame. On a CPU
rasterizer (Mesa llvmpipe) most of that work redraws what did not change.
:class:`LessonRenderer` keeps three caches:

- each fixed-in-frame mobject (the equation panel, a legend, the loss curve)
  is painted with Cairo (:mod:`gdscenes.drawing.gl.overlay`: the same crisp text
  as the Cairo renderer) into a texture covering only the pixels it occupies,
  only when its contents change, and composited over each frame, in order,
  one draw call each (a loss curve growing every frame does not repaint the
  panel). A change is detected by comparing the mobject's data (points,
  colours and widths; painting reads no uniforms) with those last painted, so any
  animation of the panel is still drawn exactly; a repaint starts from the image
  after the members that did not change (:class:`Prefix`). Fixed-in-frame
  mobjects are always on top of the 3D scene, and only their fill and plain
  stroke are painted (no gradients), which is all the lesson text uses;
- mobjects marked ``gd_bake`` (the contour floor and its axes: flat, in the
  floor plane) are painted once into a mipmapped texture drawn as one quad, and
  mobjects marked ``gd_billboards`` (the floor's tick labels) once into an
  atlas of camera-facing quads (:mod:`gdscenes.drawing.gl.floor_texture`); both
  are repainted if their data ever changes;
- mobjects marked ``gd_static`` (the loss surface mesh) keep their vertex
  buffers: only the camera's uniforms are set per frame. They must not change.
  One with a ``gd_shader`` (vertex and fragment source) is drawn with that
  program (the surface's: :mod:`gdscenes.drawing.gl.surface_shader`).

Everything else is drawn by manim, by lesson layer (floor, surface, on the
surface; see :func:`gdscenes.drawing.camera.set_layer`), a group whose members
lie on several layers being split into its members.
"""

from __future__ import annotations

import collections
import itertools
import time
import zlib
from typing import Any

import cairo
import moderngl
import numpy as np
from manim import ValueTracker, config
from manim.renderer.opengl_renderer import OpenGLRenderer
from manim.mobject.opengl.opengl_vectorized_mobject import OpenGLVMobject
from manim.renderer.shader import Shader, filter_attributes, shader_program_cache
from manim.utils import opengl
from PIL import Image

from gdscenes.drawing import reuse
from gdscenes.drawing.camera import BALL, ON_SURFACE, layer_of
from gdscenes.drawing.gl.floor_texture import (
    TEXTURE_FRAGMENT,
    Billboards,
    FlatLayer,
    draw_texture,
)
from gdscenes.drawing.gl.overlay import FIXED_FRAME_SHAPE, Paths, paint_one, paints_anything
from gdscenes.drawing.gl.readback import FileWriter, flush, origin_at_top, read
from gdscenes.drawing.gl.xray import XRay, targets

_COMPOSITE_VERTEX = """
#version 330
uniform vec4 rect;  // x0, y0, x1, y1 in normalised device coordinates
in vec2 corner;
out vec2 uv;
void main() {
    uv = vec2(corner.x, 1.0 - corner.y);  // the image's first row is its top
    gl_Position = vec4(mix(rect.xy, rect.zw, corner), 0.0, 1.0);
}
"""

#: Margin around the overlay's points, in frame units (anti-aliasing, stroke width).
_MARGIN = 0.1


#: glPolygonOffset (factor, units) of a casing's depth (see :meth:`LessonRenderer.render_mobject`): towards the camera.
CASING_OFFSET = (-4.0, -64.0)

#: Texels per screen pixel of baked floor textures and label atlases.
BAKE_SUPERSAMPLING = 2.0


#: Data a mobject derives from its points, which painting does not read: left out of :func:`fingerprint`.
DERIVED_DATA = frozenset(("bounding_box", "unit_normal"))


def fingerprint(mobjects: list[Any]) -> tuple[int, int]:
    """A digest of everything Cairo paints of ``mobjects``: which mobjects, and
    their data (points, colours, widths). Uniforms are left out, and what is
    derived from the points (:data:`DERIVED_DATA`): painting does not read them.

    The data go into one CRC-32 (zlib's, of the arrays joined), the mobjects and
    array sizes into a hash of their own: a change of data is missed only if it
    keeps the CRC, about one change in four billion."""
    joined, shape = painted_data(mobjects)
    return zlib.crc32(joined), shape


def painted_data(mobjects: list[Any]) -> tuple[bytes, int]:
    """What :func:`fingerprint` digests: the data of ``mobjects``' families joined (their bytes, by value),
    and a hash of which mobjects they are and of the arrays' sizes. An overlay layer keeps these of its
    last paint and compares them (a comparison of bytes is quicker than their CRC, and exact)."""
    family = [mob for top in mobjects for mob in top.get_family()]
    arrays = [value for mob in family for key, value in mob.data.items() if key not in DERIVED_DATA]
    try:
        joined = b"".join(arrays)
    except (BufferError, TypeError, ValueError):  # (an array that is not contiguous)
        joined = b"".join(np.ascontiguousarray(value).tobytes() for value in arrays)
    return joined, hash((tuple(map(id, family)), tuple(value.nbytes for value in arrays)))


#: The model matrix manim's ``Mesh`` sets for every mobject it draws (its identity), as a uniform.
_MODEL_MATRIX = opengl.matrix_to_shader_input(np.eye(4))
#: By a program's attributes and a vertex array's dtype: whether the program takes every field as it is.
_TAKES_ALL: dict[tuple[Any, ...], bool] = {}


def _program_data(program: moderngl.Program, data: np.ndarray) -> np.ndarray:
    """``data`` as :func:`filter_attributes` leaves it for ``program``: ``data`` itself where that is the same
    array (every field taken, in order, packed), else the filtered copy."""
    names = tuple(n for n, m in program._members.items() if isinstance(m, moderngl.Attribute))
    known = (names, data.dtype)
    takes_all = _TAKES_ALL.get(known)
    if takes_all is None:
        sample = filter_attributes(np.zeros(1, data.dtype), list(names))
        takes_all = _TAKES_ALL[known] = sample.dtype == data.dtype
    if takes_all and data.flags.c_contiguous:
        return data
    return filter_attributes(data, list(names))


def baked_shape(mobjects: list[Any]) -> tuple[Any, ...]:
    """What :func:`painted_data`'s bytes leave out of what a bake reads: each family member's class, point
    tolerance, and its data's names, types and shapes (by value: the same for a copy of the mobjects)."""
    return tuple((type(mob), getattr(mob, "tolerance_for_point_equality", None), len(mob.submobjects),
                  tuple((name, value.dtype.str, value.shape) for name, value in mob.data.items() if name not in DERIVED_DATA))
                 for top in mobjects for mob in top.get_family())


class BakedCache:
    """Baked floors and label atlases (:class:`~gdscenes.drawing.gl.floor_texture.FlatLayer`,
    :class:`~gdscenes.drawing.gl.floor_texture.Billboards`) kept for the next renders of a warm process
    (one OpenGL context: :func:`gdscenes.production.job.share_gl_context`), by everything a bake reads:
    the mobjects' data (bytes, exact), their classes and shapes, the texel density and zoom, the frame.
    A landscape fading in is baked once per frame of its fade; the next render of it bakes none.
    At most :attr:`max_bytes` of textures are kept, the least recently used dropped first: dropped, not
    released, since the render that made it may still be drawing it (a 1080p render's bakes pass the limit
    within the render); the context releases it once nothing holds it (``gc_mode = "auto"``)."""

    def __init__(self, max_bytes: int = 160 << 20) -> None:
        self.max_bytes = max_bytes
        self.entries: collections.OrderedDict[Any, tuple[Any, Any, int]] = collections.OrderedDict()
        self.bytes = 0

    def get(self, ctx: moderngl.Context, key: Any) -> Any:
        entry = self.entries.get(key)
        if entry is None or entry[0] is not ctx:
            return None
        self.entries.move_to_end(key)
        return entry[1]

    def holds(self, made: Any) -> bool:
        return any(entry[1] is made for entry in self.entries.values())

    def put(self, ctx: moderngl.Context, key: Any, made: Any) -> None:
        width, height = made.texture.size
        size = width * height * 4 * 4 // 3  # (with its mipmaps)
        if size > self.max_bytes // 4:
            return
        old = self.entries.pop(key, None)
        if old is not None:
            self.bytes -= old[2]
        self.entries[key] = (ctx, made, size)
        self.bytes += size
        while self.bytes > self.max_bytes:
            _, (_, _, dropped_size) = self.entries.popitem(last=False)
            self.bytes -= dropped_size

    def clear(self) -> None:
        self.entries.clear()
        self.bytes = 0


#: The bakes of this process, kept while :mod:`gdscenes.drawing.reuse` is on.
BAKED = BakedCache()


def overlay_pixels(overlay: list[Any], width: int, height: int) -> tuple[int, int, int, int]:
    """The pixels the fixed-in-frame mobjects cover: columns ``[c0, c1)`` and rows
    from the top ``[r0, r1)``, clipped to the frame (at least one pixel)."""
    points = np.concatenate([m.points for top in overlay for m in top.get_family() if len(m.points)] or [np.zeros((1, 3))])[:, :2]
    fw, fh = FIXED_FRAME_SHAPE
    low, high = points.min(axis=0) - _MARGIN, points.max(axis=0) + _MARGIN
    c0, c1 = (int(np.clip(np.floor((low[0] / fw + 0.5) * width), 0, width - 1)),
              int(np.clip(np.ceil((high[0] / fw + 0.5) * width), 1, width)))
    r0, r1 = (int(np.clip(np.floor((0.5 - high[1] / fh) * height), 0, height - 1)),
              int(np.clip(np.ceil((0.5 - low[1] / fh) * height), 1, height)))
    return c0, r0, max(c1, c0 + 1), max(r1, r0 + 1)


def paint_region(overlay: list[Any], width: int, height: int, box: tuple[int, int, int, int],
                 prefix: Prefix | None = None) -> cairo.ImageSurface:
    """The part ``box`` (see :func:`overlay_pixels`) of a ``width`` x ``height`` frame
    with ``overlay`` painted on it, as Cairo's premultiplied image (first row at the top).

    ``prefix`` (one per overlay layer) keeps the image after the members that stayed as they
    were since the last paint (a panel's card, title, rule and labels, painted before the numbers
    that change at each step): the next paint starts from a copy of it; and the paths of the members
    it painted, added again where a member's points did not change. Cairo paints member after
    member onto the image, so starting from the image it had after the same members gives the same
    pixels, bit for bit."""
    c0, r0, c1, r1 = box
    members = [mob for top in overlay for mob in top.family_members_with_points()]
    if prefix is None:
        surface, start, keys, common = cairo.ImageSurface(cairo.FORMAT_ARGB32, c1 - c0, r1 - r0), 0, None, -1
    else:
        keys = [member_key(mob) for mob in members]
        surface, start, common = prefix.start((width, height, box), keys)
    ctx = cairo.Context(surface)
    # Frame units (y up, origin at the centre) to the box's pixels (y down).
    ctx.set_matrix(
        cairo.Matrix(width / FIXED_FRAME_SHAPE[0], 0, 0, -height / FIXED_FRAME_SHAPE[1], width / 2 - c0, height / 2 - r0)
    )
    ctx.set_fill_rule(cairo.FILL_RULE_WINDING)
    paths = prefix.paths if prefix is not None else None
    for index in range(start, len(members)):
        if index == common and prefix is not None and keys is not None:
            prefix.keep(surface, index)
        paint_one(ctx, members[index], paths)
    surface.flush()
    if paths is not None:
        paths.next_paint()
    if prefix is not None and keys is not None:
        if common == len(members):
            prefix.keep(surface, common)
        prefix.last = ((width, height, box), keys)
    return surface


def member_key(mob: Any) -> tuple[Any, ...]:
    """What :func:`~gdscenes.drawing.gl.overlay.paint_one` paints of ``mob`` alone (not its family): its class,
    its point tolerance and its data (points, colours, widths; see :func:`fingerprint`), by value."""
    arrays = [(key, value) for key, value in mob.data.items() if key not in DERIVED_DATA]
    return (type(mob), getattr(mob, "tolerance_for_point_equality", None),
            tuple((key, value.dtype.str, value.shape, np.ascontiguousarray(value).tobytes()) for key, value in arrays))


class Prefix:
    """The image of an overlay layer after its first members, for :func:`paint_region`'s next paint."""

    def __init__(self) -> None:
        #: Frame size and box, and the keys (:func:`member_key`) of the members of the last paint.
        self.last: tuple[Any, list[tuple[Any, ...]]] | None = None
        #: How many members the kept image has painted, and its pixels (Cairo's data) and stride.
        self.count = 0
        self.pixels: bytes | None = None
        #: The paths of the members painted (:class:`~gdscenes.drawing.gl.overlay.Paths`), under the last matrix.
        self.paths = Paths()

    def start(self, where: Any, keys: list[tuple[Any, ...]]) -> tuple[cairo.ImageSurface, int, int]:
        """A surface to paint on, the first member to paint, and how many members lead as in the last paint
        (where the image should be kept this time; -1: nowhere)."""
        c0, r0, c1, r1 = where[2]
        common = 0
        if self.last is not None and self.last[0] == where:
            previous = self.last[1]
            while common < min(len(keys), len(previous)) and keys[common] == previous[common]:
                common += 1
        else:
            self.pixels, self.count, self.paths = None, 0, Paths()  # (another frame size or box: another matrix)
        if self.pixels is not None and 0 < self.count <= common:
            data = bytearray(self.pixels)
            stride = len(data) // (r1 - r0)
            surface = cairo.ImageSurface.create_for_data(data, cairo.FORMAT_ARGB32, c1 - c0, r1 - r0, stride)
            return surface, self.count, common if common > self.count else -1
        self.pixels, self.count = None, 0
        return cairo.ImageSurface(cairo.FORMAT_ARGB32, c1 - c0, r1 - r0), 0, common if common > 0 else -1

    def keep(self, surface: cairo.ImageSurface, count: int) -> None:
        """Keep ``surface``'s image now, after ``count`` members."""
        surface.flush()
        self.pixels, self.count = bytes(surface.get_data()), count


class _StaticDraws:
    """A mobject's shader wrappers turned into vertex arrays once."""

    def __init__(self, ctx: moderngl.Context, mobject: Any) -> None:
        self.draws = []
        own = getattr(mobject, "gd_shader", None)  # its own program instead of manim's
        for wrapper in mobject.get_shader_wrapper_list():
            folder = wrapper.shader_folder
            if own is not None:
                program = ctx.program(**own)
            else:
                program = Shader(context=ctx, name=str(folder) if folder is not None else None).shader_program
            names = [n for n, m in program._members.items() if isinstance(m, moderngl.Attribute)]
            data = filter_attributes(wrapper.vert_data, names)
            buffers = [ctx.buffer(data.tobytes())]
            indices = wrapper.vert_indices
            if indices is not None and len(indices):
                buffers.append(ctx.buffer(np.asarray(indices).astype("i4").tobytes()))
            vao = ctx.simple_vertex_array(program, buffers[0], *data.dtype.names,
                                          index_buffer=buffers[1] if len(buffers) > 1 else None)
            self.draws.append((program, vao, buffers, dict(wrapper.uniforms), wrapper.depth_test, mobject.render_primitive))

    def render(self, ctx: moderngl.Context, uniforms: dict[str, Any]) -> None:
        for program, vao, _, own, depth_test, primitive in self.draws:
            for source in (own, uniforms):
                for name, value in source.items():
                    if name in program:
                        program[name].value = value
            if depth_test:
                ctx.enable(moderngl.DEPTH_TEST)
            else:
                ctx.disable(moderngl.DEPTH_TEST)
            vao.render(primitive)


def in_layer_order(mobjects: list[Any]) -> list[Any]:
    """``mobjects`` in lesson-layer order (floor, surface, on the surface, ball, overlay).

    manim draws VMobjects without a depth test, in add order, so a floor path
    drawn after the surface would show through it. A group whose members sit
    on different layers (a rolling ball: floor path, trail, ball) is split into
    its members; the sort is stable, so add order holds inside a layer. A
    mobject with nothing to draw (no points in its family) is left out.
    """

    def split(mobject: Any) -> list[Any]:
        layers = {layer_of(m) for m in mobject.get_family() if m.has_points()}
        if len(layers) > 1 and mobject.submobjects and not mobject.has_points():  # a pure container
            return [part for sub in mobject.submobjects for part in split(sub)]
        return [mobject] if layers else []

    return sorted((part for m in mobjects for part in split(m)), key=layer_of)


class LessonRenderer(OpenGLRenderer):
    """:class:`OpenGLRenderer` that caches the overlay, the floor and static meshes."""

    overlay_renders = 0  # how many times a fixed-in-frame mobject was painted (for tests and profiling)
    bakes = 0  # how many times floor layers or labels were painted (for tests and profiling)
    bake = True  # False: draw gd_bake and gd_billboards mobjects as manim does (for comparisons)
    #: Depth-test what lies on the surface (trails) against it; False draws it over
    #: the surface, as the Cairo renderer does (for framing comparisons).
    occlude_on_surface = True
    #: Draw an x-ray silhouette of each ball (:mod:`gdscenes.drawing.gl.xray`) under the balls,
    #: so a ball the surface covers is still seen; False: the depth test alone (for comparisons).
    xray = True
    #: Clear each fixed-in-frame mobject's box to the background before compositing it, so no
    #: part of the 3D scene shows through the text's translucent card.
    opaque_overlays = True

    def __init__(self, file_writer_class: type = FileWriter, skip_animations: bool = False) -> None:
        super().__init__(file_writer_class, skip_animations)

    def init_scene(self, scene: Any, *args: Any, **kwargs: Any) -> None:
        super().init_scene(scene, *args, **kwargs)
        ctx = self.context
        # The framebuffer's first row is the top one: frames are read without a flip.
        self._top_first = self.window is None and origin_at_top(ctx)
        self._held = False  # a frame drawn but not yet read back (see render)
        self._can_hold = isinstance(self.file_writer, FileWriter)  # (it asks for held frames)
        if self._can_hold:
            self.file_writer.before_end = self.write_held_frame
        self._overlays: dict[int, _OverlayLayer] = {}  # by id of a fixed-in-frame mobject
        program = ctx.program(vertex_shader=_COMPOSITE_VERTEX, fragment_shader=TEXTURE_FRAGMENT)
        corners = ctx.buffer(np.array([0, 0, 1, 0, 0, 1, 1, 1], dtype="f4").tobytes())
        self._composite = ctx.vertex_array(program, [(corners, "2f", "corner")])
        self._static: dict[int, _StaticDraws] = {}
        self._baked: dict[str, tuple[tuple[bytes, int], Any]] = {}  # (painted_data, texture) by key
        self._xray = XRay(ctx)

    # -- per frame -------------------------------------------------------------
    def render(self, scene: Any, frame_offset: float, moving_mobjects: list[Any]) -> None:
        """Draw the frame and let the rasterizer start on it, but read it back only when
        the next frame is drawn, or the animation ends: meanwhile manim advances the
        scene, and the next frame's panel is painted, on this thread while the
        rasterizer's threads fill in this one (on a CPU rasterizer, most of a frame's time)."""
        output = self.file_writer.output_spec
        if self.skip_animations or self.window is not None or not self._can_hold \
                or not (output.is_video or output.is_image_sequence):
            super().render(scene, frame_offset, moving_mobjects)
            return
        self.update_frame(scene)
        flush()
        self._held = True

    def play(self, scene: Any, *args: Any, **kwargs: Any) -> None:
        self._held = False  # (a frame held by an animation that raised is dropped with it)
        super().play(scene, *args, **kwargs)

    def write_held_frame(self) -> None:
        """Send the frame :meth:`render` held back to the file writer."""
        if self._held:
            self._held = False
            self.file_writer.write_frame(self.get_frame())

    def update_frame(self, scene: Any) -> None:
        shown = [m for m in scene.mobjects if m.should_render]
        # Drawn last, whole; one with nothing to paint has no box (else its box would be cleared around the centre).
        overlay = [m for m in shown if getattr(m, "is_fixed_in_frame", False) and paints_anything(m)]
        order = in_layer_order([m for m in shown if not getattr(m, "is_fixed_in_frame", False)])
        layers = self._paint_overlay(overlay)
        self.write_held_frame()  # (the work above overlapped its rasterization)
        self.frame_buffer_object.clear(*self.background_color)
        self.refresh_perspective_uniforms(scene.camera)
        drawn = set()
        balls = targets(order, BALL) if self.xray else []
        for mobject in order:
            if not mobject.should_render or isinstance(mobject, ValueTracker):
                continue  # (a ValueTracker keeps its value in a point, but draws nothing)
            if balls and (any(mobject is b for b in balls) or (layer_of(mobject) or 0.0) > BALL):
                # Before the first ball: every ball's silhouette, which the balls then cover where they are in view.
                self._xray.draw([b for b in balls if b.should_render], self.perspective_uniforms, self.background_color)
                balls = []
            if self.bake and getattr(mobject, "gd_bake", False):
                if "floor" not in drawn:  # all baked floor layers are in one texture
                    drawn.add("floor")
                    self._draw_baked("floor", [m for m in shown if getattr(m, "gd_bake", False)], FlatLayer)
            elif self.bake and getattr(mobject, "gd_billboards", False):
                self._draw_baked(f"labels {id(mobject)}", list(mobject.submobjects), Billboards)
            else:
                self.render_mobject(mobject)
        for obj in scene.meshes:
            for mesh in obj.get_meshes():
                mesh.set_uniforms(self)
                mesh.render()
        self._draw_overlay(layers)
        self.animation_elapsed_time = time.time() - self.animation_start_time

    def render_mobject(self, mobject: Any) -> None:
        if self.occlude_on_surface and layer_of(mobject, None) == ON_SURFACE and not mobject.depth_test:
            mobject.apply_depth_test()  # a trail on the surface is hidden where the surface is in front
        casing = getattr(mobject, "gd_casing", False)
        if casing or getattr(mobject, "gd_cased", False):
            # A casing under a trail or dots (gdscenes.drawing.ball): hidden where the surface is in front, but it
            # writes no depth, so the line drawn next over it shows all along (a wide stroke's depth varies across
            # its width: written, it hid stretches of the narrower line however far below it lay). Its depth is
            # offset towards the camera (CASING_OFFSET): a dot's casing, flat in the tangent plane, is wider than
            # the dot, and on a bowl its rim dips under the surface's flat facets (hidden on one side of a row of dots).
            # The trail and dots over it (``gd_cased``) get the same offset, writing depth: on a steep curved slope a
            # dot lies under the facets' chords, and was hidden where its casing showed (a black disc for a mint dot).
            self.frame_buffer_object.depth_mask = not casing
            self.context.polygon_offset = CASING_OFFSET
            try:
                self.draw_as_manim(mobject)
            finally:
                self.frame_buffer_object.depth_mask = True
                self.context.polygon_offset = (0.0, 0.0)
            return
        if not getattr(mobject, "gd_static", False):
            self.draw_as_manim(mobject)
            return
        cached = self._static.get(id(mobject))
        if cached is None:
            cached = self._static[id(mobject)] = _StaticDraws(self.context, mobject)
        cached.render(self.context, self.perspective_uniforms)

    def draw_as_manim(self, mobject: Any) -> None:
        """What manim's :meth:`OpenGLRenderer.render_mobject` draws, with the same GL calls that reach the
        rasterizer, less Python on the way: the uniforms a program has are set (manim sets every one and
        swallows the ``KeyError`` of each it lacks), each matrix once, the last value manim would set
        (it sets the view and projection twice), and the vertex data sent as they are when the program takes
        all of them (manim copies them into an identical array first: :func:`filter_attributes`)."""
        if isinstance(mobject, OpenGLVMobject) and (config["use_projection_fill_shaders"]
                                                    or config["use_projection_stroke_shaders"]):
            super().render_mobject(mobject)
            return
        ctx = self.context
        camera = self.camera
        for wrapper in mobject.get_shader_wrapper_list():
            if wrapper.texture_paths:  # (images: as manim does; no lesson draws one this way)
                super().render_mobject(mobject)
                return
        for wrapper in mobject.get_shader_wrapper_list():
            folder = wrapper.shader_folder
            name = str(folder) if folder is not None else None
            program = shader_program_cache.get(name) if name is not None else None
            if program is None or program.ctx != ctx:
                program = Shader(context=ctx, name=name).shader_program
            members = program._members
            for key, value in itertools.chain(wrapper.uniforms.items(), self.perspective_uniforms.items(),
                                              (("u_model_matrix", _MODEL_MATRIX),
                                               ("u_view_matrix", camera.formatted_view_matrix),
                                               ("u_projection_matrix", camera.projection_matrix))):
                member = members.get(key)
                if member is not None:
                    member.value = value
            if wrapper.depth_test:
                ctx.enable(moderngl.DEPTH_TEST)
            else:
                ctx.disable(moderngl.DEPTH_TEST)
            data = _program_data(program, wrapper.vert_data)
            buffer = ctx.buffer(data.tobytes())
            indices = wrapper.vert_indices
            index_data = np.asarray(indices).astype("i4").tobytes() if indices is not None else b""
            index_buffer = ctx.buffer(index_data) if index_data else None
            vao = ctx.simple_vertex_array(program, buffer, *(data.dtype.names or ()), index_buffer=index_buffer)
            vao.render(mobject.render_primitive)
            buffer.release()
            vao.release()
            if index_buffer is not None:
                index_buffer.release()

    def get_frame(self) -> np.ndarray:
        """The frame as top-row-first RGBA, read straight into a video frame where it can be
        (:mod:`gdscenes.drawing.gl.readback`)."""
        return read(self.frame_buffer_object, self._top_first)

    def get_image(self) -> Image.Image:
        """The frame as a picture (manim's reads the framebuffer as if its origin were at the bottom)."""
        return Image.fromarray(self.get_frame())

    # -- caches ----------------------------------------------------------------
    def texels_per_unit(self) -> float:
        """Texels per frame unit for baked textures: the screen's pixels per unit
        at the focal plane, times :data:`BAKE_SUPERSAMPLING`."""
        _, frame_height = self.camera.get_shape()
        return BAKE_SUPERSAMPLING * config.pixel_height / frame_height

    def _draw_baked(self, key: str, mobjects: list[Any], kind: type) -> None:
        digest = painted_data(mobjects)  # (compared with what was baked: bytes, exact)
        cached = self._baked.get(key)
        if cached is None or cached[0] != digest:
            zoom = config.frame_height / self.camera.get_shape()[1]
            made = None
            kept = reuse.enabled()  # a warm process: bakes are kept for its next renders (BakedCache)
            if kept:
                baked_key = (kind, digest[0], baked_shape(mobjects), self.texels_per_unit(), BAKE_SUPERSAMPLING, zoom,
                             float(config.frame_width), float(config.frame_height))
                made = BAKED.get(self.context, baked_key)
            if cached is not None and not (kept or BAKED.holds(cached[1])):
                cached[1].release()
            if made is None:
                made = kind(self.context, mobjects, self.texels_per_unit(), BAKE_SUPERSAMPLING, zoom)
                type(self).bakes += 1
                if kept:
                    BAKED.put(self.context, baked_key, made)
            cached = self._baked[key] = (digest, made)
        cached[1].draw(self.perspective_uniforms)

    def _paint_overlay(self, overlay: list[Any]) -> list[tuple[_OverlayLayer, Painted | None]]:
        """Each fixed-in-frame mobject's layer, with the mobject painted into its box if it
        changed since it was last painted (no OpenGL calls: this runs while the previous
        frame is rasterized)."""
        width, height = self.get_pixel_shape() or (1, 1)
        layers = []
        for top in overlay:
            layer = self._overlays.get(id(top))
            if layer is None:
                layer = self._overlays[id(top)] = _OverlayLayer()
            key, painted = painted_data([top]), None
            if key != layer.key:
                box = overlay_pixels([top], width, height)
                painted = key, box, paint_region([top], width, height, box, layer.prefix)
                type(self).overlay_renders += 1
            layers.append((layer, painted))
        return layers

    def _draw_overlay(self, layers: list[tuple[_OverlayLayer, Painted | None]]) -> None:
        """Composite the layers in order, each first repainted where ``painted`` is given;
        layers of mobjects no longer shown are released."""
        shown = {id(layer) for layer, _ in layers}
        for key, layer in list(self._overlays.items()):
            if id(layer) not in shown:
                layer.release()
                del self._overlays[key]
        width, height = self.get_pixel_shape() or (1, 1)
        for layer, painted in layers:
            if painted is not None:
                layer.upload(self.context, *painted, width, height)
            if self.opaque_overlays and layer.box is not None:
                # Nothing of the 3D scene shows through the text's translucent card (a close
                # camera, as the follow preset's, puts the surface behind it).
                c0, r0, c1, r1 = layer.box
                y = r0 if self._top_first else height - r1
                self.frame_buffer_object.clear(*self.background_color, viewport=(c0, y, c1 - c0, r1 - r0))
            self._composite.program["rect"].value = layer.rect
            draw_texture(self._composite.program, self._composite, layer.texture, {})


#: A fixed-in-frame mobject painted: its digest, its box (see :func:`overlay_pixels`) and Cairo's image of it.
Painted = tuple[tuple[bytes, int], tuple[int, int, int, int], cairo.ImageSurface]


class _OverlayLayer:
    """One fixed-in-frame mobject's texture, covering its box, and the digest it was painted from."""

    def __init__(self) -> None:
        self.key: tuple[bytes, int] | None = None  # (painted_data of the mobject painted)
        self.texture: moderngl.Texture | None = None
        self.rect = (0.0, 0.0, 0.0, 0.0)  # in normalised device coordinates
        self.box: tuple[int, int, int, int] | None = None  # in pixels (see overlay_pixels)
        self.prefix = Prefix()  # its image after the members that did not change (see paint_region)

    def upload(self, ctx: moderngl.Context, key: tuple[bytes, int], box: tuple[int, int, int, int],
               surface: cairo.ImageSurface, width: int, height: int) -> None:
        c0, r0, c1, r1 = box
        if self.texture is None or self.texture.size != (c1 - c0, r1 - r0):
            self.release()
            self.texture = ctx.texture((c1 - c0, r1 - r0), components=4)
            self.texture.swizzle = "BGRA"
            self.texture.filter = (moderngl.NEAREST, moderngl.NEAREST)
        self.texture.write(surface.get_data())
        self.rect = (2 * c0 / width - 1, 1 - 2 * r1 / height, 2 * c1 / width - 1, 1 - 2 * r0 / height)
        self.box = box
        self.key = key

    def release(self) -> None:
        if self.texture is not None:
            self.texture.release()
            self.texture = None
