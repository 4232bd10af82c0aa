"""Sweeps on a Dask cluster: ``gdscenes sweep clip.toml --scheduler tcp://host:8786``.

Needs the optional extra (``pip install 'gdscenes[distributed]'``) here and
gdscenes with its system packages (LaTeX, cairo, ffmpeg) on every worker.
Workers need no shared file system: each renders into its own temporary
folder and sends the finished video back; this machine writes it into the
media folder (temporary name, then rename). As locally, the render runs in a
warm child process of the Dask worker (one per worker thread, see
:func:`gdscenes.production.job.run_isolated`), which renders task after task
without paying manim's start-up again. dask is imported only when this backend is used.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import Any

from gdscenes.atomic import OutputError, make_folder, output_lock, private_folder, write_bytes
from gdscenes.production.job import close_workers, run_isolated
from gdscenes.production.names import slug
from gdscenes.production.spec import one_line

#: Seconds to wait for the first worker before giving up with a one-line error.
WORKER_TIMEOUT = 30.0
#: Times a task is tried again after it raised (a lost worker's task is also moved by the scheduler).
RETRIES = 2


def remote_render(job: dict[str, Any]) -> tuple[dict[str, Any], dict[str, bytes]]:
    """Run on a worker: render ``job`` in this thread's warm render process; returns its record and its files' bytes.

    Paths in the record and keys of the files are relative to the media folder's
    ``videos/`` (a section video: ``sections/<name>/<file>``).

    The render runs in a private temporary folder, removed afterwards; folders of
    earlier tasks whose worker was killed are removed first."""
    with private_folder(prefix="gdscenes-worker-") as folder:
        record = run_isolated(dict(job, media_dir=str(folder)))
        videos = folder.resolve() / "videos"

        def relative(path: str) -> str:
            return Path(path).resolve().relative_to(videos).as_posix()

        record = dict(record, video=relative(record["video"]), exports=[relative(p) for p in record["exports"]],
                      sections=[relative(p) for p in record.get("sections", [])])
        files = [record["video"], *record["exports"], *record["sections"]]
        return record, {name: (videos / name).read_bytes() for name in files}


def close_warm_workers(dask_worker: Any = None) -> None:
    """End the warm render processes of this Dask worker's process in order (its plugin's teardown)."""
    close_workers()


def _warm_workers_plugin() -> Any:
    """A Dask ``WorkerPlugin`` whose teardown calls :func:`close_warm_workers`: when a Dask worker
    closes, its warm render processes exit in order (removing their folders) before its threads end
    (which would kill them)."""
    from distributed.diagnostics.plugin import WorkerPlugin

    class CloseWarmWorkers(WorkerPlugin):  # (pickled by value by Dask: defined here, dask imported late)
        name = "gdscenes-warm-workers"

        def teardown(self, worker: Any) -> None:
            close_warm_workers(worker)

    return CloseWarmWorkers()


def _safe_relative(name: str, job_name: str) -> PurePosixPath:
    """A file name sent back by a worker, checked: a plain name, or ``sections/<job name>/<plain name>``."""
    path = PurePosixPath(name)
    parts = path.parts
    plain = all(slug(part) == part for part in parts)
    if plain and (len(parts) == 1 or (len(parts) == 3 and parts[:2] == ("sections", job_name))):
        return path
    raise OutputError(f"a worker sent back the file {name!r}, which is not one of {job_name!r}'s outputs")


class DaskBackend:
    """Runs each job as a task on the cluster at ``address`` (or on a given ``distributed.Client``).

    ``worker_timeout``: seconds to wait for a first worker (``$GDSCENES_DASK_WORKER_TIMEOUT``,
    default :data:`WORKER_TIMEOUT`); none by then is a one-line error."""

    def __init__(self, address: str | None = None, client: Any = None, worker_timeout: float | None = None) -> None:
        try:
            from distributed import Client
        except ImportError:
            raise ValueError("--scheduler needs Dask: pip install 'gdscenes[distributed]'") from None
        self.owns_client = client is None
        try:
            self.client = client or Client(address, timeout="10s")
        except OSError as error:
            raise ValueError(f"cannot reach the Dask scheduler {address!r}: {error}") from None
        if worker_timeout is None:
            worker_timeout = float(os.environ.get("GDSCENES_DASK_WORKER_TIMEOUT", WORKER_TIMEOUT))
        try:
            self.client.wait_for_workers(1, timeout=worker_timeout)
        except (TimeoutError, OSError) as error:
            where = address or getattr(self.client, "scheduler", None) and self.client.scheduler.address
            if self.owns_client:
                self.client.close()
            if isinstance(error, TimeoutError) or "imeout" in type(error).__name__:
                raise ValueError(f"no Dask worker joined the scheduler {where} within {worker_timeout:g} s; "
                                 f"start one with: dask worker {where}") from None
            raise ValueError(f"cannot reach the Dask scheduler {where!r}: {error}") from None
        try:
            self.client.register_plugin(_warm_workers_plugin(), name="gdscenes-warm-workers")
        except Exception as error:  # (an older Dask: the warm processes then end with their worker's threads)
            import sys

            print(f"gdscenes: warning: cannot register the Dask plugin that ends warm workers: {error}", file=sys.stderr)
        workers = self.client.scheduler_info().get("workers", {})
        self.parallel = max(1, sum(int(w.get("nthreads", 1)) for w in workers.values()))

    def results(self, jobs: list[dict[str, Any]]) -> Iterator[tuple[dict[str, Any], dict[str, Any] | None, str | None]]:
        try:
            yield from self._results(jobs)
        finally:
            if self.owns_client:
                self.client.close()

    def _results(self, jobs: list[dict[str, Any]]) -> Iterator[tuple[dict[str, Any], dict[str, Any] | None, str | None]]:
        from distributed import as_completed

        if not jobs:
            return
        futures = {self.client.submit(remote_render, job, pure=False, retries=RETRIES,
                                      key=f"gdscenes-{job['name']}-{id(job)}"): job
                   for job in jobs}
        try:
            for future in as_completed(list(futures)):
                job = futures[future]
                try:
                    record, files = future.result()
                    record = self._receive(job, record, files)
                except Exception as error:  # reported, the others go on
                    yield job, None, one_line(error)
                    continue
                yield job, record, None
        except BaseException:  # interrupted: the queued tasks are not started
            self.client.cancel(list(futures))
            raise

    @staticmethod
    def _receive(job: dict[str, Any], record: dict[str, Any], files: dict[str, bytes]) -> dict[str, Any]:
        """Write a finished task's files into this machine's media folder (under the output's lock)."""
        folder = make_folder(Path(job["raw"].get("render", {}).get("media_dir", "media")) / "videos")
        checked = {_safe_relative(name, job["name"]): data for name, data in files.items()}
        with output_lock(folder, job["name"]):
            written = {str(rel): write_bytes(folder / rel, data, make=True) for rel, data in checked.items()}

        def here(name: str) -> str:
            return str(written[str(_safe_relative(name, job["name"]))])

        return dict(record, video=here(record["video"]), exports=[here(p) for p in record["exports"]],
                    sections=[here(p) for p in record.get("sections", [])])
