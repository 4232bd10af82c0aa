"""``gdscenes render SPEC|NAME --watch``: a preview re-rendered whenever the spec or the lesson is saved.

One warm process (manim and the lessons imported once, the typeset glyphs
kept in memory, one OpenGL context: :func:`gdscenes.production.job.warm_up`)
renders the spec, then polls the modification stamps of the files it used:
the spec file and the source of the lesson's modules (its class and the
classes it builds on, in :mod:`gdscenes.scenes`). When one changes it renders
again and prints one line saying where the new video is; a bad spec or a
lesson that does not import prints one line (``gdscenes: error: ...``) and
the process waits for the next save. Each render follows the rules of every
render (:func:`gdscenes.production.job.run`): made in a private folder,
moved into place only when it succeeded, under the output's lock, so a
failed render never replaces the earlier good video.

A changed lesson module is executed again from its source (not from a
cached ``.pyc``, which a save within the same second could leave looking
current), after the modules it builds on and before those that build on it;
its lessons are registered anew (the old classes' registrations are removed
first, and put back if the new source fails).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from types import ModuleType
from typing import Any, TextIO

#: Seconds between two looks at the watched files' stamps.
POLL = 0.01
#: The package whose modules are lessons (reloaded when saved).
PACKAGE = "gdscenes.scenes"

Stamp = tuple[int, int, int] | None


def stamp(path: Path) -> Stamp:
    """What changes when ``path`` is saved: its modification time, size and inode (``None``: missing)."""
    try:
        info = path.stat()
    except OSError:
        return None
    return info.st_mtime_ns, info.st_size, info.st_ino


def lesson_modules(scene: str) -> list[ModuleType]:
    """The modules of :data:`PACKAGE` that define the lesson ``scene``'s class and the classes it builds on."""
    from gdscenes.scenes.registry import get_scene

    found: dict[str, ModuleType] = {}
    for cls in get_scene(scene).__mro__:
        module = sys.modules.get(cls.__module__)
        if module is not None and cls.__module__.startswith(PACKAGE + ".") and getattr(module, "__file__", None):
            found.setdefault(cls.__module__, module)
    return list(found.values())


def _package_modules() -> dict[str, ModuleType]:
    return {name: module for name, module in list(sys.modules.items())
            if name.startswith(PACKAGE + ".") and module is not None and getattr(module, "__file__", None)}


def _uses(module: ModuleType, others: Iterable[str]) -> set[str]:
    """The modules among ``others`` that ``module`` took a class or function from."""
    names = set(others) - {module.__name__}
    used = set()
    for value in list(vars(module).values()):
        owner = getattr(value, "__module__", None)
        if isinstance(owner, str) and owner in names:
            used.add(owner)
        if isinstance(value, type):
            used.update(c.__module__ for c in value.__mro__[1:] if c.__module__ in names)
    return used


def reload_order(changed: Iterable[str]) -> list[str]:
    """``changed`` and the lesson modules that use them (directly or not), each after the ones it uses."""
    modules = _package_modules()
    uses = {name: _uses(module, modules) for name, module in modules.items()}
    affected = {name for name in changed if name in modules}
    grew = True
    while grew:
        grew = False
        for name, used in uses.items():
            if name not in affected and used & affected:
                affected.add(name)
                grew = True
    order: list[str] = []
    while len(order) < len(affected):
        ready = sorted(n for n in affected if n not in order and not (uses[n] & affected) - set(order))
        order.extend(ready or sorted(n for n in affected if n not in order)[:1])  # (a cycle: one at a time)
    return order


def reload_lessons(changed: Iterable[str]) -> list[str]:
    """Execute the changed lesson modules (and those using them) again from their source; returns their names.

    Their lessons register anew. If one fails (a syntax error, an exception), the
    lessons registered before are put back and the error is raised."""
    from gdscenes.drawing.reuse import forget
    from gdscenes.scenes.registry import SCENES

    before = dict(dict.items(SCENES))
    order = reload_order(changed)
    try:
        for name in order:
            module = sys.modules[name]
            for lesson, cls in list(dict.items(SCENES)):
                if cls.__module__ == name:
                    dict.__delitem__(SCENES, lesson)
            path = Path(module.__file__ or "")
            code = compile(path.read_bytes(), str(path), "exec", dont_inherit=True)
            exec(code, vars(module))  # (what importlib.reload does, from the source, never a stale .pyc)
    except BaseException:
        forget()
        for lesson, cls in before.items():
            if lesson not in dict.keys(SCENES):
                dict.__setitem__(SCENES, lesson, cls)
        raise
    forget()
    return order


def preview_name(spec: Any) -> str:
    """The preview's output name: the render's with ``_preview`` added, so that a preview never replaces
    a finished video of the same clip (an explicit ``--name``/``render.name`` is used as given)."""
    name = str(spec.output_name())
    return name if spec.render.get("name") else f"{name}_preview"


def error_line(error: BaseException) -> str:
    """One line for ``error``: the message (a syntax error with its file and line)."""
    from gdscenes.production.spec import one_line

    if isinstance(error, SyntaxError):
        return f"{Path(error.filename or '?').name} line {error.lineno}: {error.msg}"
    if isinstance(error, (ValueError, KeyError, OSError)):
        return one_line(error)
    return f"{type(error).__name__}: {one_line(error)}"


class Watcher:
    """Renders the spec given by ``sources`` (``spec.from_sources`` arguments), then again after each save."""

    def __init__(self, sources: dict[str, Any], out: TextIO | None = None, poll: float = POLL) -> None:
        self.sources = sources
        self.out = out or sys.stderr
        self.poll = poll
        self.path = Path(sources["path"]) if sources.get("path") else None
        #: The watched lesson modules (by name), from the last spec that resolved.
        self.modules: dict[str, Path] = {}
        self.renders = 0

    def say(self, line: str) -> None:
        self.out.write(line + "\n")
        self.out.flush()

    def files(self) -> dict[Path, str | None]:
        """The watched files, each with the lesson module it holds (``None`` for the spec)."""
        watched: dict[Path, str | None] = {path: name for name, path in self.modules.items()}
        if self.path is not None:
            watched[self.path] = None
        return watched

    def render(self) -> Path | None:
        """Resolve the spec again and render it; one line either way. The video's path, or ``None``."""
        from gdscenes.production.job import run, tidy_heap
        from gdscenes.production.spec import from_sources

        began = time.perf_counter()
        try:
            spec = from_sources(**self.sources)
            self.modules = {m.__name__: Path(m.__file__ or "") for m in lesson_modules(spec.scene)}
            record = run({"name": preview_name(spec), "raw": spec.raw}, spec, caches={"progress_bar": "none"})
        except Exception as error:  # a bad spec, a broken lesson, a refused file: one line, and wait
            self.say(f"gdscenes: error: {error_line(error)}")
            return None
        self.renders += 1
        video = Path(record["video"])
        self.say(f"[{datetime.now():%H:%M:%S}] wrote {video} ({record['width']}x{record['height']}, "
                 f"{time.perf_counter() - began:.1f} s)")
        tidy_heap()  # (while the next save is awaited: the next render's garbage collections are short)
        return video

    def wait(self, stamps: dict[Path, Stamp]) -> dict[Path, Stamp]:
        """Until a watched file's stamp differs from ``stamps`` and then holds still for one poll; the new stamps.

        An empty spec file is a save still being written (an editor, or Python's
        ``write_text``, truncates the file before it writes): it is waited past,
        never rendered as the default lesson."""
        from gdscenes.atomic import stop_if_asked

        while True:
            time.sleep(self.poll)
            stop_if_asked()  # (a Ctrl-C swallowed during the last render ends the watch now)
            now = {path: stamp(path) for path in stamps}
            if now != stamps:
                while True:  # (an editor may still be writing: wait until the stamps hold still)
                    time.sleep(self.poll)
                    settled = {path: stamp(path) for path in stamps}
                    if settled == now:
                        break
                    now = settled
                if not self.truncated(now):
                    return now

    def truncated(self, stamps: dict[Path, Stamp]) -> bool:
        """Whether the watched spec is, in ``stamps``, an empty file (a save caught half way)."""
        seen = stamps.get(self.path) if self.path is not None else None
        return seen is not None and seen[1] == 0

    def run(self, renders: int | None = None) -> int:
        """Render, then render again after each save, until Ctrl-C (or ``renders`` renders were tried)."""
        from gdscenes.production.job import warm_up

        warm_up()
        tried = 0
        stamps = {path: stamp(path) for path in self.files()}
        self.render()
        tried += 1
        watched = ", ".join(str(p) for p in self.files()) or "nothing"
        self.say(f"gdscenes: watching {watched}; saving one renders again (Ctrl-C stops)")
        while renders is None or tried < renders:
            files = self.files()
            stamps = {path: stamps.get(path, stamp(path)) for path in files}
            new = self.wait(stamps)
            changed = {files[p] for p in files if new[p] != stamps[p] and files[p] is not None}
            stamps = new
            if changed:
                try:
                    reload_lessons(name for name in changed if name)
                except Exception as error:  # a lesson that does not run: one line, and wait for the next save
                    self.say(f"gdscenes: error: {error_line(error)}")
                    continue
            self.render()
            tried += 1
        return 0


def watch(sources: dict[str, Any], out: TextIO | None = None) -> int:
    """``gdscenes render ... --watch``: exit status 0 when stopped with Ctrl-C."""
    from gdscenes.atomic import Terminated, exit_stopped, signals_unwind

    try:
        with signals_unwind():  # (SIGTERM: the render in progress cleans up, status 143)
            return Watcher(sources, out).run()
    except KeyboardInterrupt:
        (out or sys.stderr).write("\ngdscenes: stopped watching; the last video is kept\n")
        status = 0
    except Terminated as stop:
        status = stop.code if isinstance(stop.code, int) else 143
    exit_stopped(status, out)  # (the render in progress cleaned up on the way out)
