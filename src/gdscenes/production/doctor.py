"""``gdscenes doctor``: is this system able to render? For each missing piece, the command that installs it.

The Debian package names are the ones ``dev.sh`` installs.
"""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from gdscenes.drawing.gl import probe as gl_probe

APT = "sudo apt-get install -y"
#: Free disk below this is reported (a sweep of 1080p clips takes a few hundred MiB).
MIN_FREE_GIB = 1.0

#: the child process's code (:data:`gdscenes.drawing.gl.probe.PROBE`; tests swap it)
GL_PROBE = gl_probe.PROBE


@dataclass(frozen=True)
class Check:
    """One line of the report."""

    name: str
    ok: bool
    detail: str
    fix: str = ""


def _which(name: str, what: str, fix: str) -> Check:
    path = shutil.which(name)
    return Check(what, path is not None, path or f"{name} not found", "" if path else fix)


def check_latex() -> Check:
    return _which("latex", "LaTeX (MathTex)",
                  f"{APT} texlive-latex-base texlive-latex-extra texlive-fonts-recommended cm-super")


def check_dvisvgm() -> Check:
    return _which("dvisvgm", "dvisvgm (LaTeX to SVG)", f"{APT} dvisvgm")


def check_ffmpeg() -> Check:
    return _which("ffmpeg", "ffmpeg", f"{APT} ffmpeg")


def check_cairo_pango() -> Check:
    missing = [m for m in ("cairo", "manimpango") if importlib.util.find_spec(m) is None]
    if missing:
        return Check("cairo and pango", False, f"python modules missing: {', '.join(missing)}",
                     f"{APT} libcairo2-dev libpango1.0-dev pkg-config build-essential python3-dev && "
                     "pip install --force-reinstall pycairo manimpango")
    done = subprocess.run([sys.executable, "-c", "import cairo, manimpango; print(cairo.cairo_version_string())"],
                          capture_output=True, text=True, timeout=60)
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["import failed"])[-1]
        return Check("cairo and pango", False, last, f"{APT} libcairo2-dev libpango1.0-dev pkg-config")
    return Check("cairo and pango", True, f"cairo {done.stdout.strip()}")


def check_gl(timeout: float = 60) -> Check:
    """A headless OpenGL context through EGL, in a subprocess (a broken driver may crash the process)."""
    ok, detail = gl_probe.run_probe(timeout, GL_PROBE)
    fix = "" if ok else f"{APT} libegl1 libegl-mesa0 libgl1-mesa-dri libgl1"
    return Check("OpenGL (EGL, for --renderer opengl)", ok, detail, fix)


def check_disk(folder: str | Path = ".") -> Check:
    path = Path(folder)
    while not path.exists() and path != path.parent:
        path = path.parent
    free = shutil.disk_usage(path).free / 2**30
    ok = free >= MIN_FREE_GIB
    return Check("free disk", ok, f"{free:.1f} GiB free in {path.resolve()}",
                 "" if ok else f"free some space: at least {MIN_FREE_GIB:g} GiB is needed for renders")


CHECKS: tuple[Callable[[], Check], ...] = (
    check_latex, check_dvisvgm, check_ffmpeg, check_cairo_pango, check_gl, check_disk,
)


def report(checks: tuple[Callable[[], Check], ...] = CHECKS) -> tuple[list[str], bool]:
    """The report's lines and whether everything is there."""
    lines, all_ok = [], True
    for check in checks:
        result = check()
        all_ok &= result.ok
        lines.append(f"{'ok' if result.ok else 'MISSING':>7}  {result.name}: {result.detail}")
        if result.fix:
            lines.append(f"         install: {result.fix}")
    return lines, all_ok
