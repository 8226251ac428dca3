import os
import threading

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


def test_workers_really_share_the_work_where_fork_is_available():
    if not render_parallel._can_fork():
        return
    pids = set(render_all(lambda job: os.getpid(), list(range(PARALLEL_THRESHOLD * 4)), workers=2))
    assert len(pids) == 2 and os.getpid() not in pids
