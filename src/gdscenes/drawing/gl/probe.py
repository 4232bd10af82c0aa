"""Whether a headless OpenGL context can be made here, asked once per machine state.

The probe makes an EGL context in a child process, so a broken driver cannot
take the renderer's process down. It costs about 0.7 s (a Python start-up and
the driver's initialisation), paid by every render and every sweep variant, so
a success is remembered in ``gl-probe.json`` in the cache folder, keyed by
what could change the answer: the Python, moderngl's version, the GL/EGL
environment variables, the host and the boot (a driver update needs a reboot
or a new venv). Failures are not remembered: the next render probes again.
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
from pathlib import Path

from gdscenes.cache import cache_dir
from gdscenes.atomic import OutputError, write_text

#: What the child process runs: make a context, print its renderer's name.
PROBE = ("import moderngl; ctx = moderngl.create_context(standalone=True, backend='egl'); "
         "print(ctx.info['GL_RENDERER']); ctx.release()")

#: Environment variables that choose or configure the GL driver.
_ENVIRONMENT = ("EGL_PLATFORM", "LIBGL_ALWAYS_SOFTWARE", "MESA_LOADER_DRIVER_OVERRIDE", "GALLIUM_DRIVER",
                "__EGL_VENDOR_LIBRARY_FILENAMES", "__GLX_VENDOR_LIBRARY_NAME", "CUDA_VISIBLE_DEVICES",
                "LD_LIBRARY_PATH", "DISPLAY")


def cache_file() -> Path:
    """``$XDG_CACHE_HOME/gdscenes/gl-probe.json`` (else under ``~/.cache``)."""
    return cache_dir() / "gl-probe.json"


def machine_key() -> str:
    """What the probe's answer depends on, as one string."""
    try:
        from importlib.metadata import version

        moderngl = version("moderngl")
    except Exception:  # no moderngl: the probe will say so
        moderngl = "none"
    try:
        boot = Path("/proc/sys/kernel/random/boot_id").read_text().strip()
    except OSError:
        boot = "unknown"
    env = {name: os.environ.get(name, "") for name in _ENVIRONMENT}
    return json.dumps([sys.executable, sys.version, moderngl, platform.node(), boot, env], sort_keys=True)


def run_probe(timeout: float = 60, code: str = PROBE) -> tuple[bool, str]:
    """Make a context in a child process: ``(True, the GL renderer's name)`` or ``(False, why not)`` (one line)."""
    try:
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return False, f"no context within {timeout:g} s"
    except OSError as error:
        return False, str(error)
    if done.returncode == 0:
        return True, done.stdout.strip()
    lines = (done.stderr or done.stdout).strip().splitlines()
    return False, lines[-1] if lines else f"exit status {done.returncode}"


def probe() -> str | None:
    """Make a context in a child process: ``None`` when it works, else why not (one line)."""
    ok, detail = run_probe()
    return None if ok else detail


def gl_unavailable() -> str | None:
    """Why no headless OpenGL context can be made here (``None`` when one can)."""
    path, key = cache_file(), machine_key()
    try:
        if json.loads(path.read_text()).get("ok") == key:
            return None
    except (OSError, ValueError, AttributeError):
        pass
    reason = probe()
    if reason is None:
        try:
            write_text(path, json.dumps({"ok": key}), make=True)
        except OutputError:
            pass  # a read-only home: probe every time
    return reason
