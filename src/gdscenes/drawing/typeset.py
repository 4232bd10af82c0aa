"""``MathTex`` and ``Text`` mobjects kept between runs.

manim caches the SVG of every formula on disk, but turns it into mobjects
again in every process: parsing the SVG and building one vectorized mobject
per glyph takes about 20 ms a formula, half the start-up of a lesson. Here
the finished mobject is kept too, pickled in ``<cache>/mobjects/`` under a
hash of everything it is made from (the class and its arguments, the
renderer, manim's version, the LaTeX template for formulas, manimpango's
version for text: a font installed later is seen by new texts only), and unpickled on the next
run in a fraction of a millisecond a glyph. The pickles are compressed
(zlib; about 50 kB for a panel's formula), and the folder keeps the
:data:`MAX_FILES` most recently used. A missing or unreadable file is made again; a
pickle is only ever read from the user's own cache folder.

Each glyph's SVG path (``path_obj``: hundreds of small objects a formula,
read only while its points are made) is dropped from the mobject kept and
from the one returned: loading and copying a formula then take about a third
less time. Its arrays are written as their bytes (read back as one writable
array each), the empty ones that manim keeps for shader data as one shared
empty array per type: numpy's own form of them is read about a third slower.
"""

from __future__ import annotations

import functools
import hashlib
import io
import os
import pickle
import shutil
import zlib
from pathlib import Path
from typing import Any

import manim
import manimpango
import numpy as np
from manim import MathTex, Tex, Text, config

from gdscenes.atomic import OutputError, private_folder, replace_into
from gdscenes.cache import cache_dir

#: At most this many kept mobjects; past it the least recently used fifth is deleted.
MAX_FILES = 1000

#: Part of every key: a new value makes the mobjects kept in another form again.
FORM = "no svg paths, arrays as bytes"


def folder() -> Path:
    """Where the mobjects are kept."""
    return cache_dir() / "mobjects"


def math_tex(*tex_strings: str, **kwargs: Any) -> MathTex:
    """``MathTex(*tex_strings, **kwargs)``, from the cache when it was made before."""
    template = config.tex_template
    return _kept(MathTex, tex_strings, kwargs, repr((template.body, template.tex_compiler, template.output_format)))


def latex_text(*tex_strings: str, **kwargs: Any) -> Tex:
    """``Tex(*tex_strings, **kwargs)`` (LaTeX text mode), from the cache when it was made before."""
    template = config.tex_template
    return _kept(Tex, tex_strings, kwargs, repr((template.body, template.tex_compiler, template.output_format)))


def plain_text(content: str, **kwargs: Any) -> Text:
    """``Text(content, **kwargs)``, from the cache when it was made before."""
    return _kept(Text, (content,), kwargs, manimpango.__version__)


def _kept(cls: type, args: tuple[Any, ...], kwargs: dict[str, Any], source: str) -> Any:
    key = repr((cls.__name__, args, sorted(kwargs.items()), str(config.renderer), manim.__version__, source, FORM))
    path = folder() / f"{hashlib.sha256(key.encode()).hexdigest()[:32]}.pickle"
    try:
        made = pickle.loads(zlib.decompress(path.read_bytes()))
        if isinstance(made, cls):
            os.utime(path)  # (recently used: pruned last)
            return made
    except Exception:  # missing, damaged, or from another manim: make it again
        pass
    made = lean(typeset(cls, args, kwargs))
    try:
        data = zlib.compress(dumps(made), 1)
        replace_into(path, lambda temp: temp.write_bytes(data), make=True)
        _prune(path.parent)
    except Exception:  # (a read-only cache, or a mobject that does not pickle: made again next time)
        pass
    return made


#: Name start of the folder a formula is typeset in (in the system's temporary folder; a render process's
#: private caches, removed with them: see :func:`gdscenes.production.job.remove_orphan_caches`).
TYPESET_PREFIX = "gdscenes-caches-tex-"


def typeset(cls: type, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    """``cls(*args, **kwargs)``; a formula's LaTeX run in a folder of this call's own.

    manim runs LaTeX in its ``tex_dir`` (the shared cache, :func:`gdscenes.production.render.tex_cache`,
    or a media folder's) and then deletes every file there but the SVGs and the sources: another
    process's LaTeX files too, while its ``dvisvgm`` reads them (two renders at once then failed
    with "No such file" for the SVG). Here LaTeX runs in a private folder that starts with hard
    links to the shared folder's SVGs (manim only reads them); the new SVG is then moved into
    the shared folder atomically, so the next formula like it needs no LaTeX."""
    if cls is Text:  # (no LaTeX)
        return cls(*args, **kwargs)
    shared = Path(config.get_dir("tex_dir"))
    with private_folder(prefix=TYPESET_PREFIX) as own:
        for svg in shared.glob("[!.]*.svg") if shared.is_dir() else ():  # (not SVGs being written)
            try:
                _link_or_copy(svg, own / svg.name)
            except FileNotFoundError:  # (pruned or replaced since it was listed: typeset again if needed)
                continue
        was = config.tex_dir
        config.tex_dir = str(own)
        try:
            made = cls(*args, **kwargs)
        finally:
            config.tex_dir = was
        for svg in own.glob("*.svg"):
            if not (shared / svg.name).exists():
                try:
                    replace_into(shared / svg.name, functools.partial(_copy_from, svg), make=True)
                except OutputError:  # (a read-only cache: typeset again next time)
                    break
    return made


def _copy_from(source: Path, temp: Path) -> None:
    shutil.copy2(source, temp)


def _link_or_copy(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except FileNotFoundError:
        raise
    except OSError:  # (another file system)
        shutil.copy2(source, target)


@functools.cache
def empty_array(dtype: bytes, shape: tuple[int, ...]) -> np.ndarray:
    """The one empty array of ``shape`` and (pickled) ``dtype`` that kept mobjects share
    (nothing can be written into it: manim replaces such an array when it fills it)."""
    return np.empty(shape, dtype=np.dtype(pickle.loads(dtype)))


def array_from_bytes(raw: bytes, dtype: str, shape: tuple[int, ...]) -> np.ndarray:
    """A writable array of ``shape`` and ``dtype`` holding ``raw``."""
    return np.frombuffer(bytearray(raw), dtype=np.dtype(dtype)).reshape(shape)


class _Pickler(pickle.Pickler):
    def reducer_override(self, obj: Any) -> Any:
        if type(obj) is np.ndarray:
            if obj.size == 0:
                return empty_array, (pickle.dumps(obj.dtype), obj.shape)
            if obj.dtype.fields is None and obj.flags.c_contiguous:
                return array_from_bytes, (obj.tobytes(), obj.dtype.str, obj.shape)
        return NotImplemented


def dumps(mobject: Any) -> bytes:
    """``mobject`` pickled, its arrays in the quicker form (see the module's docstring)."""
    out = io.BytesIO()
    _Pickler(out, protocol=pickle.HIGHEST_PROTOCOL).dump(mobject)
    return out.getvalue()


def lean(mobject: Any) -> Any:
    """``mobject`` without its glyphs' SVG paths (their points are made already)."""
    for part in mobject.get_family():
        if getattr(part, "path_obj", None) is not None:
            part.path_obj = None
    return mobject


def _prune(where: Path) -> None:
    """Delete the least recently used fifth of the kept mobjects once there are more than :data:`MAX_FILES`."""
    kept = list(where.glob("[!.]*.pickle"))  # (not other runs' temporary files)
    if len(kept) <= MAX_FILES:
        return
    kept.sort(key=lambda p: p.stat().st_mtime)
    for old in kept[: len(kept) - MAX_FILES * 4 // 5]:
        old.unlink(missing_ok=True)
