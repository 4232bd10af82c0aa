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
import tempfile
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
    from gdscenes.production.spec import resolve

    began = time.perf_counter()
    spec = spec if spec is not None else resolve(job["raw"])
    found = spec.found
    media_dir = job.get("media_dir") or spec.render["media_dir"]
    with private_caches(job.get("quiet", False)) as extra:
        result = draw(spec, job["name"], spec.render["aspect"], media_dir, extra)
        video = result.path
        exports = timing_files(spec, result)
        exports += export_all(spec, video, found[0] if found else None, media_dir, extra)
    return {
        "name": job["name"],
        "video": str(video),
        "sha256": sha256(video),
        "summary": summary(found),
        "exports": [str(p) for p in exports],
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
    from gdscenes.production.render import tex_cache

    shared = tex_cache()
    with tempfile.TemporaryDirectory(prefix="gdscenes-caches-") as folder:
        tex, text = Path(folder) / "Tex", Path(folder) / "texts"
        tex.mkdir()
        for svg in shared.glob("*.svg") if shared.is_dir() else ():
            try:
                os.link(svg, tex / svg.name)
            except OSError:  # another file system: copy
                shutil.copy2(svg, tex / svg.name)
        yield {"progress_bar": "none", "tex_dir": str(tex), "text_dir": str(text)}
        shared.mkdir(parents=True, exist_ok=True)
        for svg in tex.glob("*.svg"):
            if not (shared / svg.name).exists():
                temp = shared / f".{svg.name}.{os.getpid()}.tmp"
                shutil.copy2(svg, temp)
                os.replace(temp, shared / svg.name)


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
    """:func:`run` in a fresh Python process; :class:`JobError` with the last error line if it fails."""
    with tempfile.TemporaryDirectory(prefix="gdscenes-job-") as folder:
        source, result = Path(folder) / "job.json", Path(folder) / "record.json"
        source.write_text(json.dumps(dict(job, quiet=True)))
        command = [sys.executable, "-m", "gdscenes.production.job", str(source), str(result)]
        with subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True) as process:
            RUNNING.add(process)
            try:
                _, stderr = process.communicate(timeout=timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                process.communicate()
                raise JobError(f"{job['name']}: timed out after {timeout:g} s") from None
            finally:
                RUNNING.discard(process)
        if process.returncode != 0 or not result.exists():
            lines = [line for line in stderr.strip().splitlines() if line.strip()]
            raise JobError(f"{job['name']}: {lines[-1] if lines else f'exit status {process.returncode}'}")
        return json.loads(result.read_text())


def stop_running() -> None:
    """Terminate the render processes started by :func:`run_isolated` that are still running."""
    for process in list(RUNNING):
        process.terminate()


def main(argv: list[str]) -> int:
    source, result = argv
    try:
        record = run(json.loads(Path(source).read_text()))
    except Exception as error:  # reported as one line by run_isolated
        message = str(error).strip().splitlines()[0] if str(error).strip() else ""
        print(f"{type(error).__name__}: {message}", file=sys.stderr)
        return 1
    Path(result).write_text(json.dumps(record))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
