"""One variant of a sweep: render a spec, export what it asks for, describe the result.

manim keeps one global configuration and one renderer per process (a Cairo
render then an OpenGL one in the same process breaks it), so a sweep renders
in child processes, never in its own: :func:`run_isolated` hands the job to a
*warm worker* (:class:`Worker`, ``python -m gdscenes.production.job --serve``)
that has imported manim and the lessons, keeps the typeset glyphs in memory
and one OpenGL context (:func:`warm_up`), and renders job after job, each
under its own manim configuration (restored afterwards, also after a failure).
Each thread has its own worker; a worker is replaced when it dies, after an
unexpected error, for another renderer, and after :data:`RENDERS_PER_WORKER`
renders. It is killed (SIGKILL) when the thread that started it ends and
terminated when its sweep is interrupted. The job and its record are plain
JSON (one line each on the worker's standard input and output), so the same
call works on a Dask worker.
"""

from __future__ import annotations

import atexit
import collections
import functools
import gc
import hashlib
import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any


class JobError(RuntimeError):
    """A variant that failed; the message is one line (the error the render ended with)."""


def sha256(path: str | os.PathLike[str]) -> str:
    """The SHA-256 of a file's content, hex."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


#: Jobs taken and renders finished by this process (a warm worker's counts; in its records).
_JOBS = _RENDERS = 0


def run(job: dict[str, Any], spec: Any = None, caches: dict[str, Any] | None = None) -> dict[str, Any]:
    """Render ``job["raw"]`` (a merged spec dict) as ``job["name"]`` in this process; returns its record.

    ``spec``, if given, is ``job["raw"]`` already resolved (``gdscenes render``
    validated it): it is not resolved, nor the trajectories computed, again.
    ``caches``: manim config of this process's private LaTeX and text folders
    (a warm worker's, see :class:`Caches`); else ``job["quiet"]`` makes ones for this job.
    The record holds the video path, its SHA-256, the trajectory summary of
    the first start, the exports written, the seconds it took, and the
    process that rendered it (``pid``; ``jobs`` and ``renders``: its counts of jobs
    taken and renders finished so far, this one included; ``reused``: how many built
    parts its renders took from earlier ones, :mod:`gdscenes.drawing.reuse`).
    """
    global _JOBS, _RENDERS
    _JOBS += 1
    from gdscenes.atomic import output_lock, signals_unwind
    from gdscenes.production.render import check_name
    from gdscenes.production.spec import resolve

    began = time.perf_counter()
    name = check_name(job["name"])
    spec = spec if spec is not None else resolve(job["raw"])
    found = spec.found
    media_dir = job.get("media_dir") or spec.render["media_dir"]
    with signals_unwind(), output_lock(Path(media_dir).resolve() / "videos", name):
        with private_caches(job.get("quiet", False) and caches is None) as made:
            extra = caches if caches is not None else made
            result = draw(spec, name, spec.render["aspect"], media_dir, extra)
            video = result.path
            exports = timing_files(spec, result)
            exports += export_all(spec, video, found[0] if found else None, media_dir, extra)
        digest = sha256(video)
    _RENDERS += 1
    return {
        "name": name,
        "video": str(video),
        "sha256": digest,
        "summary": summary(found),
        "exports": [str(p) for p in exports],
        "sections": [str(p) for p in result.sections],
        "width": result.width,
        "height": result.height,
        "fps": float(result.fps),
        "seconds": round(time.perf_counter() - began, 3),
        "pid": os.getpid(),
        "jobs": _JOBS,
        "renders": _RENDERS,
        "reused": reused(),
    }


def reused() -> int:
    """Built parts this process's renders took from earlier ones (0 where manim was never imported)."""
    module = sys.modules.get("gdscenes.drawing.reuse")
    return int(module.counts["hits"]) if module is not None else 0


#: Name start of a render process's private caches folder (in the system's temporary folder).
CACHES_PREFIX = "gdscenes-caches-"


def remove_orphan_caches() -> None:
    """Remove the private caches folders of render processes that have ended (a process killed
    before it could remove its own; those still running hold their folder's lock and are kept)."""
    import tempfile

    from gdscenes.atomic import remove_stale

    remove_stale(tempfile.gettempdir(), CACHES_PREFIX)


class Caches:
    """A private text folder in a private folder (see :func:`private_caches`); :attr:`config` points manim at it.

    manim writes a text's SVG in its ``text_dir`` and reads it back, so renders running at once must not
    share that folder. (Formulas need nothing here: :func:`gdscenes.drawing.typeset.typeset` runs each
    LaTeX in a folder of its own and keeps the SVG in the shared cache.)"""

    def __init__(self, folder: Path) -> None:
        self.config = {"progress_bar": "none", "text_dir": str(folder / "texts")}

    @classmethod
    @contextmanager
    def private(cls) -> Iterator[Caches]:
        """New private caches, removed when the block ends."""
        from gdscenes.atomic import private_folder

        with private_folder(prefix=CACHES_PREFIX) as folder:
            yield cls(folder)


@contextmanager
def private_caches(isolated: bool) -> Iterator[dict[str, Any] | None]:
    """manim config for a render that runs beside others (:class:`Caches`); ``None`` when not ``isolated``."""
    if not isolated:
        yield None
        return
    with Caches.private() as caches:
        yield caches.config


def summary(found: list[Any]) -> dict[str, Any]:
    """The first trajectory's summary and step count; ``runs`` lists every one when a scene shows several."""
    if not found:
        return {}
    rows = [t.summary()[0] | {"steps": int(t.n_steps)} for t in found]
    return rows[0] | ({"runs": rows} if len(rows) > 1 else {})


def draw(spec: Any, name: str, aspect: str, media_dir: str | None = None,
         extra: dict[str, Any] | None = None) -> Any:
    """Render ``spec``'s scene as ``name`` in ``aspect``; returns the :class:`~gdscenes.production.render.RenderResult`."""
    from gdscenes.production.render import render, variant

    options = spec.render
    scene = spec.scene_class()
    if (options.get("sections") or spec.export.get("captions")) and hasattr(scene, "sections"):
        scene = variant(scene, sections=True)  # sections time the captions
    return render(scene, name, quality=options["quality"], media_dir=media_dir or options["media_dir"],
                  fps=options["fps"], renderer=known_renderer(options["renderer"]), aspect=aspect, extra_config=extra,
                  transparent=options.get("transparent"), sections=bool(options.get("sections")))


def timing_files(spec: Any, result: Any) -> list[Path]:
    """``<name>.sections.json`` (the timing hooks, with ``render.sections`` or
    ``export.captions``) and ``<name>.srt`` (``export.captions``) next to the video."""
    from gdscenes.display import timeline as captions

    cues = getattr(result.scene, "timeline", None)
    if not cues or not (spec.render.get("sections") or spec.export.get("captions")):
        return []
    folder, stem = result.path.parent, result.path.stem
    written = [captions.write(folder / f"{stem}.sections.json", captions.to_json(cues, float(result.fps)))]
    if spec.export.get("captions"):
        written.append(captions.write(folder / f"{stem}.srt", captions.to_srt(cues)))
    return written


def export_all(spec: Any, video: Path, trajectory: Any, media_dir: str | None = None,
               extra: dict[str, Any] | None = None) -> list[Path]:
    """Everything ``spec``'s ``[export]`` table asks for, next to ``video`` (the 9:16 version is a render)."""
    from gdscenes.production.export import write_exports

    written = write_exports(spec.export, video, trajectory)
    if spec.export.get("vertical"):
        written.append(draw(spec, f"{video.stem}_9x16", "9:16", media_dir, extra).path)
    return written


# -- warm processes -------------------------------------------------------------------
def share_gl_context() -> None:
    """Make every OpenGL render of this process use one headless context (``moderngl.create_context``
    with ``standalone=True`` returns the same context each time, by arguments).

    manim makes a new context per scene and never releases it; its compiled
    shader programs are cached by name for the context they were made in, so a
    second scene in a new context compiles them all again, for every mobject.
    With one context they are compiled once. Its objects are released when
    they are garbage (``gc_mode = "auto"``), so a worker's memory stays flat."""
    import moderngl

    if getattr(moderngl.create_context, "gdscenes_shared", False):
        return
    made = moderngl.create_context
    contexts: dict[str, Any] = {}
    lock = threading.Lock()

    @functools.wraps(made)
    def create_context(*args: Any, **kwargs: Any) -> Any:
        if args or not kwargs.get("standalone"):
            return made(*args, **kwargs)
        key = repr(sorted(kwargs.items()))
        with lock:
            if key not in contexts:
                context = made(**kwargs)
                context.gc_mode = "auto"
                contexts[key] = context
            return contexts[key]

    create_context.gdscenes_shared = True  # type: ignore[attr-defined]
    moderngl.create_context = create_context


def keep_class_bases() -> None:
    """Make setting manim's ``config.renderer`` leave alone the bases of classes that already have them.

    manim's setter assigns ``__bases__`` of every class it converts (:class:`ConvertToOpenGL`: a few hundred)
    each time the renderer is set, which :func:`manim.tempconfig` does twice a render, even to the value it
    had: each assignment rebuilds the class's method order and empties Python's method caches (about 20 ms
    a render). Here a class's bases are assigned only where they change, so the classes end up as manim's
    setter leaves them."""
    from manim._config.utils import ManimConfig

    prop = ManimConfig.renderer
    if getattr(prop.fset, "gdscenes_kept", False):
        return
    from manim.constants import RendererType
    from manim.mobject.opengl.opengl_compatibility import ConvertToOpenGL

    def renderer(self: Any, value: Any) -> None:
        converted = ConvertToOpenGL._converted_classes
        before = [cls.__bases__ for cls in converted]
        classes, ConvertToOpenGL._converted_classes = list(converted), []  # (manim's setter walks none of them)
        try:
            prop.fset(self, value)
        finally:
            ConvertToOpenGL._converted_classes = converted
        swap = _base_swap(self.renderer == RendererType.OPENGL)
        for cls, bases in zip(classes, before):
            wanted = tuple(swap.get(base, base) for base in bases)
            if wanted != bases:
                cls.__bases__ = wanted

    renderer.gdscenes_kept = True  # type: ignore[attr-defined]
    ManimConfig.renderer = property(prop.fget, renderer, prop.fdel, prop.__doc__)  # type: ignore[method-assign]


def _base_swap(opengl: bool) -> dict[type, type]:
    """The bases manim's renderer setter swaps for the OpenGL renderer (``opengl``) or Cairo (its ``conversion_dict``)."""
    from manim.mobject.mobject import Mobject
    from manim.mobject.opengl.opengl_mobject import OpenGLMobject
    from manim.mobject.opengl.opengl_vectorized_mobject import OpenGLVMobject
    from manim.mobject.types.vectorized_mobject import VMobject

    if opengl:
        return {Mobject: OpenGLMobject, VMobject: OpenGLVMobject}
    return {OpenGLMobject: Mobject, OpenGLVMobject: VMobject}


def warm_up() -> None:
    """Pay once what every render of a process needs: manim and the lessons imported, one GL context
    (the typeset glyphs stay in manim's memory after the first render), the renderer ``"auto"`` stands
    for (:func:`known_renderer`), and the parts of a landscape that the next render of it reuses
    (:mod:`gdscenes.drawing.reuse`)."""
    global _WARM
    import manim  # noqa: F401

    from gdscenes.drawing import reuse
    from gdscenes.scenes.registry import SCENES

    len(SCENES)  # (imports every lesson module)
    share_gl_context()
    keep_class_bases()
    reuse.enable()
    _WARM = True
    tidy_heap()  # (what was imported stays: the renders' garbage collections leave it alone)


def tidy_heap() -> None:
    """Collect this process's garbage in full now, then freeze what is left (``gc.freeze``), so that the
    collections of the next render leave it alone: a warm process holds some 200,000 objects (manim, the
    lessons, the typeset glyphs) that Python's full collection scanned once a render, about 0.12 to 0.16 s of
    a warm render's 1.9 s CPU on a shared 2-core machine. What the next render leaves is unfrozen
    and collected the next time this runs: call it where the process would wait anyway (``--watch``, between saves)."""
    # Ctrl-C and SIGTERM wait until it is done: raised inside a finalizer the collection runs, the KeyboardInterrupt
    # would be printed and dropped ("Exception ignored in ...") and a --watch would go on watching.
    if threading.current_thread() is not threading.main_thread():
        _collect_and_freeze()
        return
    held: list[int] = []
    before = {signum: signal.signal(signum, lambda got, _: held.append(got))
              for signum in (signal.SIGINT, signal.SIGTERM) if signal.getsignal(signum) is not None}  # (None: not Python's)
    try:
        _collect_and_freeze()
    finally:
        for signum, handler in before.items():
            signal.signal(signum, handler)
        for number in held:  # (now, to the handlers there were)
            signal.raise_signal(number)


def _collect_and_freeze() -> None:
    gc.unfreeze()
    gc.collect()
    gc.freeze()


#: This process renders job after job (:func:`warm_up` was called).
_WARM = False
#: The renderer ``"auto"`` chose in this warm process, by what the choice depends on (:func:`known_renderer`).
_CHOSEN: dict[str, str] = {}


def known_renderer(name: str) -> str:
    """``name``; for ``"auto"`` in a warm process, OpenGL again without asking when it was chosen before
    under the same GL environment (:func:`gdscenes.drawing.gl.probe.machine_key` and ``$GDSCENES_RENDERER``):
    the probe's file is not read, nor (where another Python's answer replaced it there) a child process
    started, for every variant. Cairo, chosen when no context could be made, is not remembered (asked again)."""
    if name != "auto" or not _WARM:
        return name
    from gdscenes.drawing.gl.probe import machine_key
    from gdscenes.production.render import choose_renderer

    asked = machine_key() + "|" + os.environ.get("GDSCENES_RENDERER", "")
    chosen = _CHOSEN.get(asked) or choose_renderer(name)
    if chosen == "opengl":
        _CHOSEN[asked] = chosen
    return chosen


@contextmanager
def own_config() -> Iterator[None]:
    """manim's global ``config`` as it was before the block, afterwards (whatever the block did, or raised)."""
    from manim import tempconfig

    with tempconfig({}):
        yield


#: A worker is replaced after this many renders (bounds what a long sweep could accumulate).
RENDERS_PER_WORKER = 200
#: Seconds a render process has to clean up after SIGTERM before it is killed.
STOP_GRACE = 15.0


class WorkerGone(RuntimeError):
    """The worker process ended without answering (killed, crashed, or stopped by an interrupted sweep)."""


class Worker:
    """A warm render process (``python -m gdscenes.production.job --serve``) and the threads that read it.

    It dies with the thread that started it (``PR_SET_PDEATHSIG``): use it from that thread."""

    def __init__(self, kind: str, command: list[str] | None = None) -> None:
        #: The renderer it was started for (manim keeps one per process).
        self.kind = kind
        #: Jobs handed to it so far.
        self.jobs = 0
        #: It said it exits after its last answer.
        self.retired = False
        command = command or [sys.executable, "-m", "gdscenes.production.job", "--serve"]
        env = dict(os.environ, GDSCENES_PARENT_PID=str(os.getpid()))
        self.process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.PIPE, text=True, env=env)
        self.answers: queue.Queue[str | None] = queue.Queue()
        self.errors: collections.deque[str] = collections.deque(maxlen=20)
        threading.Thread(target=self._read_answers, daemon=True).start()
        self.error_reader = threading.Thread(target=self._read_errors, daemon=True)
        self.error_reader.start()
        with _WORKERS_GUARD:
            WORKERS.add(self)

    def _read_answers(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.answers.put(line)
        self.answers.put(None)

    def _read_errors(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            if line.strip():
                self.errors.append(line.strip().split("\r")[-1])

    def alive(self) -> bool:
        return self.process.poll() is None

    def ask(self, message: dict[str, Any], timeout: float | None = None) -> dict[str, Any]:
        """Send ``message`` (one line of JSON) and return the worker's answer (one line of JSON);
        :class:`WorkerGone` if the process ended without answering (it is then of no further use)."""
        assert self.process.stdin is not None
        self.errors.clear()
        try:
            self.process.stdin.write(json.dumps(message) + "\n")
            self.process.stdin.flush()
        except OSError:
            raise WorkerGone(self._last_error()) from None
        RUNNING.add(self)
        try:
            answer = self.answers.get(timeout=timeout)
        except queue.Empty:
            self.stop(STOP_GRACE)
            raise JobError(f"{message.get('name', 'the worker')}: timed out after {timeout:g} s") from None
        except BaseException:  # interrupted here: the render stops too (and cleans up after itself)
            self.stop(STOP_GRACE)
            raise
        finally:
            RUNNING.discard(self)
        if answer is None:
            self.process.wait()
            remove_orphan_caches()
            raise WorkerGone(self._last_error())
        self.jobs += 1
        reply = json.loads(answer)
        if reply.get("exits"):
            self.retired = True
            self.close()
        return dict(reply)

    def render(self, job: dict[str, Any], timeout: float | None = None) -> dict[str, Any]:
        """The record of ``job`` rendered by this worker; :class:`JobError` (one line) if it failed,
        :class:`WorkerGone` if the process ended without answering (it is then of no further use)."""
        reply = self.ask(dict(job, quiet=True), timeout)
        if "error" in reply:
            raise JobError(f"{job['name']}: {reply['error']}")
        return dict(reply["record"])

    def _last_error(self) -> str:
        self.error_reader.join(timeout=2.0)  # (the process ended: its last lines are read)
        return self.errors[-1] if self.errors else f"exit status {self.process.poll()}"

    def stop(self, grace: float) -> None:
        """SIGTERM the process (it removes its temporary folders and exits), SIGKILL it if it has
        not ended within ``grace`` seconds (a folder it leaves is removed by the next run)."""
        _stop(self.process, grace)
        with _WORKERS_GUARD:
            WORKERS.discard(self)

    def close(self, grace: float = STOP_GRACE) -> None:
        """End an idle worker in order: it sees the end of its input, removes its folders and exits."""
        try:
            if self.process.stdin is not None:
                self.process.stdin.close()
            self.process.wait(timeout=grace)
        except (OSError, subprocess.TimeoutExpired):
            _stop(self.process, 1.0)
        with _WORKERS_GUARD:
            WORKERS.discard(self)


#: Every warm worker of this process, and those rendering now (so an interrupted sweep can stop them).
WORKERS: set[Worker] = set()
RUNNING: set[Worker] = set()
_WORKERS_GUARD = threading.Lock()
_MINE = threading.local()


def renderer_kind(job: dict[str, Any]) -> str:
    """What a worker for ``job`` is started for: the renderer its spec asks for, and ``$GDSCENES_RENDERER``."""
    render = job.get("raw", {}).get("render", {})
    kind = render.get("renderer", "auto") if isinstance(render, dict) else "auto"
    return f"{kind}|{os.environ.get('GDSCENES_RENDERER', '')}"


def thread_worker(job: dict[str, Any]) -> Worker:
    """This thread's warm worker for ``job`` (a spare one or a new one if it has none, or one for another
    renderer, or one that died or did its :data:`RENDERS_PER_WORKER`)."""
    worker: Worker | None = getattr(_MINE, "worker", None)
    kind = renderer_kind(job)
    if worker is not None and (worker.retired or not worker.alive() or worker.kind != kind
                               or worker.jobs >= RENDERS_PER_WORKER):
        worker.close()
        worker = None
    if worker is None:
        worker = _MINE.worker = _take_spare(kind) or Worker(kind)
    return worker


#: Warm workers started before a sweep's threads (:func:`gdscenes.production.sweep.expand_warm`), for the
#: first thread that needs one (:func:`worker_spare`).
_SPARES: list[Worker] = []


def _take_spare(kind: str) -> Worker | None:
    with _WORKERS_GUARD:
        for worker in list(_SPARES):
            _SPARES.remove(worker)
            if worker.kind == kind and worker.alive() and not worker.retired:
                return worker
            threading.Thread(target=worker.close, daemon=True).start()  # (another renderer's: it exits in order)
    return None


def close_spares() -> None:
    """End the spare workers no thread took (a sweep with nothing left to render)."""
    with _WORKERS_GUARD:
        spares = list(_SPARES)
        _SPARES.clear()
    close_workers(spares)


def worker_spare(worker: Worker) -> None:
    """Keep ``worker`` (warm, idle) for the first thread that needs one of its kind."""
    if worker.alive() and not worker.retired:
        with _WORKERS_GUARD:
            _SPARES.append(worker)


def run_isolated(job: dict[str, Any], timeout: float | None = None) -> dict[str, Any]:
    """:func:`run` in this thread's warm worker process; :class:`JobError` with the error's line if it fails.

    The job goes to the process on its standard input and its record comes back on
    its standard output (no temporary files). A worker that ended without answering
    (killed, crashed) is replaced, and the job is reported as failed with the
    worker's last error line; the next job gets a fresh worker."""
    worker = thread_worker(job)
    try:
        return worker.render(job, timeout)
    except WorkerGone as gone:
        _MINE.worker = None
        with _WORKERS_GUARD:
            WORKERS.discard(worker)
        raise JobError(f"{job['name']}: {gone}") from None


def current_worker() -> Worker | None:
    """The warm worker of the calling thread, if it has one."""
    return getattr(_MINE, "worker", None)


def close_workers(workers: Any = None) -> None:
    """End ``workers`` (default: every warm worker of this process) in order: idle ones exit, busy ones
    are terminated."""
    for worker in list(WORKERS if workers is None else workers):
        if worker in RUNNING:
            threading.Thread(target=worker.stop, args=(STOP_GRACE,), daemon=True).start()
        else:
            worker.close()


atexit.register(close_workers)


def _stop(process: subprocess.Popen[str], grace: float) -> None:
    """SIGTERM ``process``, SIGKILL it if it has not ended within ``grace`` seconds."""
    process.terminate()
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
        remove_orphan_caches()


def stop_running(grace: float | None = None) -> None:
    """Terminate the render processes rendering now (killed after ``grace`` seconds, default
    :data:`STOP_GRACE`); returns at once."""
    for worker in list(RUNNING):
        threading.Thread(target=worker.stop, args=(STOP_GRACE if grace is None else grace,), daemon=True).start()


def serve(answers: Any, handlers: Mapping[str, Callable[[Any], dict[str, Any]]] | None = None) -> int:
    """A warm worker's loop: a job (JSON, one line) from standard input, its answer (one line,
    ``{"record": ...}`` or ``{"error": "Type: message"}``) to ``answers``, until the input ends.
    ``handlers``: other requests it answers, by key (``{"expand": ...}``: the handler of ``"expand"``
    answers with what it returns; :func:`gdscenes.production.sweep.serve_worker`).

    Each job runs under its own manim configuration (restored afterwards, whatever
    happened); after an error that is not a bad value or a refused file (a crash
    inside manim may leave it in any state) the worker answers and exits, and
    the next job gets a fresh process."""
    from gdscenes.atomic import Terminated, terminating

    warm_up()
    with Caches.private() as caches:
        for line in sys.stdin:
            if not line.strip():
                continue
            clean = True
            try:
                with own_config():
                    message = json.loads(line)
                    asked = [key for key in (handlers or {}) if key in message]
                    if asked:
                        reply: dict[str, Any] = dict((handlers or {})[asked[0]](message[asked[0]]))
                        json.dumps(reply)  # (values that do not travel as JSON: an error, the caller copes)
                    else:
                        reply = {"record": run(message, caches=caches.config)}
            except Exception as error:  # reported as one line by run_isolated
                message = str(error).strip().splitlines()[0] if str(error).strip() else ""
                reply = {"error": f"{type(error).__name__}: {message}"}
                clean = isinstance(error, (ValueError, OSError))
                reply["exits"] = not clean
            if terminating():  # (stopped mid-render, the Terminated lost on the way: no answer, unwind now)
                raise Terminated(143)
            answers.write(json.dumps(reply) + "\n")
            answers.flush()
            if not clean:
                break
    return 0


def main(argv: list[str], handlers: Mapping[str, Callable[[Any], dict[str, Any]]] | None = None) -> int:
    """``python -m gdscenes.production.job``: a job (JSON) on standard input, its record (JSON) on standard
    output; with ``--serve``, a warm worker (:func:`serve`, answering ``handlers`` too): one job per line,
    one answer per line."""
    from gdscenes.atomic import Terminated, die_with_parent, exit_stopped, signals_unwind

    parent = os.environ.get("GDSCENES_PARENT_PID")
    die_with_parent(int(parent) if parent and parent.isdigit() else None)
    record_out = os.fdopen(os.dup(1), "w")  # the record's channel; whatever else prints goes to stderr
    os.dup2(2, 1)
    try:
        with signals_unwind():
            if argv == ["--serve"]:
                return serve(record_out, handlers)
            try:
                record = run(json.loads(sys.stdin.read()))
            except Exception as error:  # reported as one line by run_isolated
                message = str(error).strip().splitlines()[0] if str(error).strip() else ""
                print(f"{type(error).__name__}: {message}", file=sys.stderr)
                return 1
    except (Terminated, KeyboardInterrupt) as stop:  # (Ctrl-C reaches the whole process group: the sweep reports it)
        # Stopped mid-render, its folders removed on the way out: exit now.
        exit_stopped(stop.code if isinstance(stop, Terminated) and isinstance(stop.code, int) else 130)
    record_out.write(json.dumps(record))
    record_out.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
