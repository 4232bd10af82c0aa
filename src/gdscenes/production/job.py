"""One variant of a sweep: render a spec, export what it asks for, describe the result.

manim keeps one global configuration and one renderer per process (a Cairo
render then an OpenGL one in the same process breaks it), so a sweep runs each
variant in a fresh Python process: :func:`run_isolated` starts
``python -m gdscenes.production.job IN.json OUT.json``, which calls :func:`run`.
The job and its record are plain JSON, so the same call works on a Dask worker.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
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


def run(job: dict[str, Any], spec: Any = None) -> dict[str, Any]:
    """Render ``job["raw"]`` (a merged spec dict) as ``job["name"]`` in this process; returns its record.

    ``spec``, if given, is ``job["raw"]`` already resolved (``gdscenes render``
    validated it): it is not resolved, nor the trajectories computed, again.
    The record holds the video path, its SHA-256, the trajectory summary of
    the first start, the exports written and the seconds it took.
    """
    from gdscenes.atomic import output_lock, signals_unwind
    from gdscenes.production.render import check_name
    from gdscenes.production.spec import resolve

    began = time.perf_counter()
    name = check_name(job["name"])
    spec = spec if spec is not None else resolve(job["raw"])
    found = spec.found
    media_dir = job.get("media_dir") or spec.render["media_dir"]
    with signals_unwind(), output_lock(Path(media_dir).resolve() / "videos", name):
        with private_caches(job.get("quiet", False)) as extra:
            result = draw(spec, name, spec.render["aspect"], media_dir, extra)
            video = result.path
            exports = timing_files(spec, result)
            exports += export_all(spec, video, found[0] if found else None, media_dir, extra)
        digest = sha256(video)
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
    }


@contextmanager
def private_caches(isolated: bool) -> Iterator[dict[str, Any] | None]:
    """manim config for a render that runs beside others: private LaTeX and text folders.

    manim deletes every non-SVG file of its LaTeX folder after each formula
    and writes text SVGs in place, so renders running at once must not share
    those folders. The private LaTeX folder starts with hard links to the
    shared cache's SVGs (manim only reads them), and the new SVGs are moved
    into the shared cache afterwards (atomically), so later renders reuse them.
    """
    if not isolated:
        yield None
        return
    from gdscenes.atomic import OutputError, private_folder, replace_into
    from gdscenes.production.render import tex_cache

    shared = tex_cache()
    with private_folder(prefix="gdscenes-caches-") as folder:
        tex, text = folder / "Tex", folder / "texts"
        tex.mkdir()
        for svg in shared.glob("*.svg") if shared.is_dir() else ():
            try:
                os.link(svg, tex / svg.name)
            except OSError:  # another file system: copy
                shutil.copy2(svg, tex / svg.name)
        yield {"progress_bar": "none", "tex_dir": str(tex), "text_dir": str(text)}
        for svg in tex.glob("*.svg"):
            if not (shared / svg.name).exists():
                try:
                    replace_into(shared / svg.name, lambda temp, svg=svg: shutil.copy2(svg, temp), make=True)
                except OutputError:  # (a read-only cache: these formulas are typeset again next time)
                    break


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
                  fps=options["fps"], renderer=options["renderer"], aspect=aspect, extra_config=extra,
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


#: Render processes running now (so an interrupted sweep can stop them).
RUNNING: set[subprocess.Popen[str]] = set()


def run_isolated(job: dict[str, Any], timeout: float | None = None) -> dict[str, Any]:
    """:func:`run` in a fresh Python process; :class:`JobError` with the last error line if it fails.

    The job goes to the process on its standard input and its record comes back on
    its standard output (no temporary files). The process is killed (SIGKILL) when the
    thread that started it ends, so no render outlives a killed sweep; it is
    terminated too when this call is interrupted."""
    command = [sys.executable, "-m", "gdscenes.production.job"]
    env = dict(os.environ, GDSCENES_PARENT_PID=str(os.getpid()))
    with subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          text=True, env=env) as process:
        RUNNING.add(process)
        try:
            stdout, stderr = process.communicate(json.dumps(dict(job, quiet=True)), timeout=timeout)
        except subprocess.TimeoutExpired:
            process.terminate()
            process.communicate()
            raise JobError(f"{job['name']}: timed out after {timeout:g} s") from None
        except BaseException:  # interrupted here: the render stops too (and cleans up after itself)
            _stop(process, STOP_GRACE)
            raise
        finally:
            RUNNING.discard(process)
    if process.returncode != 0 or not stdout.strip():
        lines = [line for line in stderr.strip().splitlines() if line.strip()]
        raise JobError(f"{job['name']}: {lines[-1] if lines else f'exit status {process.returncode}'}")
    return json.loads(stdout)


#: Seconds a render process has to clean up after SIGTERM before it is killed.
STOP_GRACE = 15.0


def _stop(process: subprocess.Popen[str], grace: float) -> None:
    """SIGTERM ``process`` (it removes its temporary folders and exits), SIGKILL it if it has not
    ended within ``grace`` seconds (a folder it leaves is removed by the next run)."""
    process.terminate()
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        process.kill()


def stop_running(grace: float | None = None) -> None:
    """Terminate the render processes started by :func:`run_isolated` that are still running
    (killed after ``grace`` seconds, default :data:`STOP_GRACE`); returns at once."""
    import threading

    for process in list(RUNNING):
        threading.Thread(target=_stop, args=(process, STOP_GRACE if grace is None else grace), daemon=True).start()


def main(argv: list[str]) -> int:
    """``python -m gdscenes.production.job``: a job (JSON) on standard input, its record (JSON) on standard output."""
    from gdscenes.atomic import die_with_parent, signals_unwind

    parent = os.environ.get("GDSCENES_PARENT_PID")
    die_with_parent(int(parent) if parent and parent.isdigit() else None)
    record_out = os.fdopen(os.dup(1), "w")  # the record's channel; whatever else prints goes to stderr
    os.dup2(2, 1)
    with signals_unwind():
        try:
            record = run(json.loads(sys.stdin.read()))
        except Exception as error:  # reported as one line by run_isolated
            message = str(error).strip().splitlines()[0] if str(error).strip() else ""
            print(f"{type(error).__name__}: {message}", file=sys.stderr)
            return 1
    record_out.write(json.dumps(record))
    record_out.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
