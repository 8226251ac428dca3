"""Render pages on every core: the jobs are split into ranges; forked workers and this process render them.

Rendering is pure (page job -> bytes or a Problem), so the result is the same list, in the
same order, as rendering one by one: the output is byte-identical either way.

Workers are forked, never spawned: a forked worker starts with the model, the Jinja
environment and its compiled templates already in memory, at no cost. A spawned one would
import everything again and unpickle the whole model, which costs more than it saves for all
but huge sites; so where fork is not the way (Windows, macOS) or not safe (another thread is
running, e.g. the preview server's), pages are rendered one by one, as before.
"""
from __future__ import annotations

import gc
import multiprocessing
import os
import sys
import threading
from concurrent.futures import ProcessPoolExecutor
from typing import Callable, Sequence, TypeVar

Job = TypeVar("Job")
Result = TypeVar("Result")

PARALLEL_THRESHOLD = 300         # fewer pages than this render faster in one process

_work: tuple[Callable, Sequence] | None = None      # set in each worker process only


def render_all(render: Callable[[Job], Result], jobs: Sequence[Job], workers: int | None) -> list[Result]:
    """[render(job) for job in jobs], on `workers` processes (None: every core) when worth it:
    this process and workers - 1 forked ones."""
    workers = workers if workers is not None else (os.cpu_count() or 1)
    workers = min(workers, len(jobs) // (PARALLEL_THRESHOLD // 2) or 1)
    if workers <= 1 or len(jobs) < PARALLEL_THRESHOLD or not _can_fork():
        return [render(job) for job in jobs]
    chunk = max(8, len(jobs) // (workers * 16))
    ranges = [(start, min(start + chunk, len(jobs))) for start in range(0, len(jobs), chunk)]
    # Long-lived objects made before the fork stay shared with the workers only if the workers'
    # garbage collector leaves them alone: freeze them into the permanent generation meanwhile.
    gc.freeze()
    try:
        with ProcessPoolExecutor(max_workers=workers - 1, mp_context=multiprocessing.get_context("fork"),
                                 initializer=_start_worker, initargs=(render, jobs)) as pool:
            futures = [pool.submit(_render_range, bounds) for bounds in ranges]
            # The workers take ranges from the front; this process from the back, each one it
            # can still withdraw from them. Each forked worker holds its own copy of whatever
            # model objects it touches, so rendering here too saves one worker's memory.
            mine: dict[int, list] = {}
            for number in range(len(ranges) - 1, -1, -1):
                if not futures[number].cancel():
                    break
                mine[number] = [render(jobs[index]) for index in range(*ranges[number])]
            return [result for number, future in enumerate(futures)
                    for result in (mine[number] if number in mine else future.result())]
    finally:
        gc.unfreeze()


def _can_fork() -> bool:
    return (sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods()
            and threading.active_count() == 1)


def _start_worker(render: Callable, jobs: Sequence) -> None:
    # Runs only in a forked worker, which renders for one render_all call and then ends: the
    # global lives and dies with that worker and is never seen by this process.
    global _work
    _work = (render, jobs)


def _render_range(bounds: tuple[int, int]) -> list:
    render, jobs = _work
    return [render(jobs[index]) for index in range(*bounds)]
