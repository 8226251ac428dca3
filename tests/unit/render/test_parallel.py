import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from builder.render.parallel import PARALLEL_THRESHOLD, render_all


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
from builder.render.parallel import PARALLEL_THRESHOLD, render_all
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
                          cwd=Path(__file__).resolve().parents[3])
    found = json.loads(proc.stdout)
    by_process = {int(pid): count for pid, count in found["by_process"].items()}
    assert found["order"] and len(by_process) == 2 and found["me"] in by_process
    assert min(by_process.values()) > PARALLEL_THRESHOLD // 2       # neither did almost everything


AROUND_THRESHOLDS = """
import json, os
from builder.render.parallel import PARALLEL_THRESHOLD as T, _can_fork, render_all
base = 7
def render(job):                        # a closure over `base`, as render_site's is
    return f"{job}:{job * base}".encode("utf-8")
checked = []
for count in (0, 1, T - 1, T, T + 1, 2 * T - 1, 2 * T, 2 * T + 1, 4 * T + 3):
    jobs = list(range(count))
    for workers in (1, 2, 3, None):
        assert render_all(render, jobs, workers) == [render(job) for job in jobs], (count, workers)
        checked.append([count, workers])
print(json.dumps({"can_fork": _can_fork(), "checked": len(checked)}))
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="rendering forks workers only on Linux")
def test_results_and_their_order_are_those_of_serial_rendering_around_the_thresholds():
    proc = subprocess.run([sys.executable, "-c", AROUND_THRESHOLDS], capture_output=True, text=True,
                          cwd=Path(__file__).resolve().parents[3])
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == {"can_fork": True, "checked": 36}


PROBLEMS_FROM_BOTH = """
import json, os, time
from builder.errors import Problem
from builder.render.parallel import PARALLEL_THRESHOLD, render_all
def render(job):
    time.sleep(0.001)
    if job % 2:
        return Problem(f"templates/case.html", 3, "template_error", {"detail": str(os.getpid()), "page": f"/p/{job}/"})
    return f"{job}".encode()
jobs = list(range(PARALLEL_THRESHOLD * 4))
results = render_all(render, jobs, workers=2)
problems = [r for r in results if isinstance(r, Problem)]
print(json.dumps({"me": os.getpid(), "pages": [r.decode() for r in results if isinstance(r, bytes)],
                  "problem_pages": [p.params["page"] for p in problems],
                  "problem_pids": sorted({int(p.params["detail"]) for p in problems}),
                  "line": sorted({p.line for p in problems})}))
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="rendering forks workers only on Linux")
def test_problems_of_pages_rendered_in_a_worker_and_in_this_process_are_all_reported():
    proc = subprocess.run([sys.executable, "-c", PROBLEMS_FROM_BOTH], capture_output=True, text=True, check=True,
                          cwd=Path(__file__).resolve().parents[3])
    found = json.loads(proc.stdout)
    count = PARALLEL_THRESHOLD * 4
    assert found["pages"] == [str(job) for job in range(0, count, 2)]
    assert found["problem_pages"] == [f"/p/{job}/" for job in range(1, count, 2)]
    assert len(found["problem_pids"]) == 2 and found["me"] in found["problem_pids"]
    assert found["line"] == [3]


BROKEN_TEMPLATE_BUILD = """
import json, sys
from pathlib import Path
from builder.build import BuildOptions, build_site
from builder.errors import BuildError
try:
    build_site(Path(sys.argv[1]), BuildOptions(write=False, use_cache=False, workers=int(sys.argv[2])))
except BuildError as exc:
    print(json.dumps(sorted(p.format("en") for p in exc.problems)))
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="rendering forks workers only on Linux")
def test_a_template_error_on_every_case_page_of_a_big_site_is_reported_for_each_page_as_in_one_process(make_site):
    from tests.conftest import case_md
    count = PARALLEL_THRESHOLD + 20
    files = {f"content/cases/c{i:03d}/index.md": case_md(title=f"案例{i:03d}") for i in range(count)}
    files["templates/case.html"] = "{% extends 'base.html' %}\n{% block content %}\n{{ case.no_such_field }}\n{% endblock %}\n"
    root = make_site(files)

    def problems(workers: int) -> list[str]:
        proc = subprocess.run([sys.executable, "-c", BROKEN_TEMPLATE_BUILD, str(root), str(workers)],
                              capture_output=True, text=True, check=True, cwd=Path(__file__).resolve().parents[3])
        return json.loads(proc.stdout)

    serial, parallel = problems(1), problems(2)
    assert parallel == serial and len(serial) == count
    assert serial[0].startswith("templates/case.html:3: template error: ")
    assert "(while rendering content/cases/c000/index.md)" in serial[0]
    assert f"(while rendering content/cases/c{count - 1:03d}/index.md)" in serial[-1]


KEYS_ON_TWO_CORES = """
import json, sys
from pathlib import Path
from builder.build import BuildOptions, build_site
from builder.render import pages, parallel
root, out, cold = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
calls = []
render_all = parallel.render_all
def counted(render, jobs, workers):
    calls.append([len(jobs), workers, parallel._can_fork()])
    return render_all(render, jobs, workers)
pages.render_all = counted
pages.KEYS_PARALLEL_FROM = 1
build_site(root, BuildOptions(output=out, workers=2))
case = root / "content/cases/c007/index.md"
case.write_text(case.read_text(encoding="utf-8") + "\\n又补了一句。\\n", encoding="utf-8")
calls.clear()
again = build_site(root, BuildOptions(output=out, workers=2))
build_site(root, BuildOptions(output=cold, workers=1, use_cache=False))
print(json.dumps({"calls": calls, "rendered": again.pages_rendered, "kept": again.pages_kept}))
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="rendering forks workers only on Linux")
def test_page_keys_made_on_two_cores_keep_the_pages_one_core_keeps(make_site, tmp_path):
    from tests.conftest import case_md, snapshot
    count = PARALLEL_THRESHOLD + 20               # a page a case and more
    root = make_site({f"content/cases/c{i:03d}/index.md": case_md(title=f"案例{i:03d}", body=f"第{i}个案例的正文。\n")
                      for i in range(count)})
    out, cold = tmp_path / "out", tmp_path / "cold"
    proc = subprocess.run([sys.executable, "-c", KEYS_ON_TWO_CORES, str(root), str(out), str(cold)],
                          capture_output=True, text=True, cwd=Path(__file__).resolve().parents[3])
    assert proc.returncode == 0, proc.stderr
    found = json.loads(proc.stdout)
    keys = found["calls"][0]                      # _unchanged's: every page, on two cores
    assert keys[0] >= PARALLEL_THRESHOLD and keys[1:] == [2, True]
    assert 0 < found["rendered"] <= 5 and found["kept"] >= keys[0] - 5
    assert snapshot(out) == snapshot(cold)
