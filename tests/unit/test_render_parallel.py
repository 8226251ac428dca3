import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

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


SHARE_CHECK = """
import os, time, json
from collections import Counter
from builder.render_parallel import PARALLEL_THRESHOLD, render_all
def render(job):
    time.sleep(0.001)           # long enough for the worker to start and take its share
    return job, os.getpid()
results = render_all(render, list(range(PARALLEL_THRESHOLD * 4)), workers=2)
print(json.dumps({"order": [job for job, _ in results] == list(range(PARALLEL_THRESHOLD * 4)),
                  "me": os.getpid(), "by_process": Counter(pid for _, pid in results)}))
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="rendering forks workers only on Linux")
def test_this_process_and_a_forked_worker_share_the_work_and_keep_the_order():
    # In a fresh interpreter: threads other tests leave running (servers) rightly stop forking here.
    proc = subprocess.run([sys.executable, "-c", SHARE_CHECK], capture_output=True, text=True, check=True,
                          cwd=Path(__file__).resolve().parents[2])
    found = json.loads(proc.stdout)
    by_process = {int(pid): count for pid, count in found["by_process"].items()}
    assert found["order"] and len(by_process) == 2 and found["me"] in by_process
    assert min(by_process.values()) > PARALLEL_THRESHOLD // 2       # neither did almost everything
