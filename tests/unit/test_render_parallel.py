import os
import threading
import time
from collections import Counter

import pytest

from builder import render_parallel
from builder.render_parallel import PARALLEL_THRESHOLD, render_all


def test_parallel_rendering_gives_the_same_results_in_the_same_order():
    jobs = [f"page-{i}" for i in range(PARALLEL_THRESHOLD * 2 + 7)]
    offset = 3          # a closure, as render_site's is: forked workers need no pickling of it
    render = lambda job: (job + str(offset)).encode("utf-8")  # noqa: E731
    assert render_all(render, jobs, workers=2) == [render(job) for job in jobs]


def test_small_sites_and_busy_processes_render_in_this_process(monkeypatch):
    pid_of = lambda job: os.getpid()  # noqa: E731
    me = os.getpid()
    assert set(render_all(pid_of, list(range(10)), workers=2)) == {me}
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert set(render_all(pid_of, list(range(PARALLEL_THRESHOLD * 2)), workers=2)) == {me}
    finally:
        stop.set()
        thread.join()


@pytest.mark.skipif(not render_parallel._can_fork(), reason="rendering forks workers only on Linux")
def test_this_process_and_a_forked_worker_share_the_work_and_keep_the_order():
    def render(job):
        time.sleep(0.001)           # long enough for the worker to start and take its share
        return job, os.getpid()
    results = render_all(render, list(range(PARALLEL_THRESHOLD * 4)), workers=2)
    assert [job for job, _ in results] == list(range(PARALLEL_THRESHOLD * 4))
    by_process = Counter(pid for _, pid in results)
    assert len(by_process) == 2 and os.getpid() in by_process
    assert min(by_process.values()) > PARALLEL_THRESHOLD // 2       # neither did almost everything
