"""Peak memory and outcome of `resdiff ingest` on every PDF decompression bomb variant.

Usage: ``.venv/bin/python benchmarks/bench_hostile.py [--size-gb N] [--cap-gb N] [NAME...]``

Each bomb (``tests/hostile_files.py``, inflating to ``--size-gb`` GiB) is written
to a temporary folder and ingested into a fresh SQLite store by a ``resdiff``
subprocess. Reported per variant: exit code (or signal), wall time, peak resident
memory of the whole process tree (sampled from /proc every 10 ms), the largest
single process's peak (``getrusage(RUSAGE_CHILDREN)``), and stderr's last line.
``--cap-gb`` puts an address-space limit on the subprocess, so a reader without a
bound fails there instead of exhausting the machine (Linux only).
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from hostile_files import BOMBS, GB  # noqa: E402


def _tree_rss(pid: int) -> int:
    """Resident bytes of ``pid`` and all its descendants (0 once gone)."""
    total = 0
    stack = [pid]
    while stack:
        p = stack.pop()
        try:
            with open(f"/proc/{p}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1]) * 1024
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as f:
                    stack.extend(int(c) for c in f.read().split())
        except (FileNotFoundError, ProcessLookupError, ValueError):
            continue
    return total


def run(path: Path, db: Path, cap: int | None, timeout: float) -> tuple[str, float, int, str]:
    exe = str(Path(sys.executable).with_name("resdiff"))

    def limit() -> None:
        if cap:
            resource.setrlimit(resource.RLIMIT_AS, (cap, cap))

    start = time.perf_counter()
    proc = subprocess.Popen(
        [exe, "--db", f"sqlite:///{db}", "ingest", str(path)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        preexec_fn=limit,  # noqa: PLW1509 - this script starts no threads
    )
    peak = 0
    while proc.poll() is None:
        peak = max(peak, _tree_rss(proc.pid))
        if time.perf_counter() - start > timeout:
            proc.kill()
        time.sleep(0.01)
    wall = time.perf_counter() - start
    err = proc.stderr.read().decode("utf-8", "replace") if proc.stderr else ""
    lines = [ln for ln in err.splitlines() if ln.strip()]
    code = proc.returncode
    status = f"exit {code}" if code >= 0 else f"signal {-code}"
    return status, wall, peak, (lines[-1] if lines else "") + f"  [{len(lines)} stderr lines]"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*")
    parser.add_argument("--size-gb", type=float, default=4.0)
    parser.add_argument("--cap-gb", type=float, default=0.0)
    parser.add_argument("--timeout", type=float, default=120.0)
    args = parser.parse_args()
    cap = int(args.cap_gb * GB) or None
    names = args.names or list(BOMBS)
    with tempfile.TemporaryDirectory() as tmp:
        for name in names:
            data = BOMBS[name](int(args.size_gb * GB))
            path = Path(tmp) / (name.replace(" ", "_").replace("/", "") + ".pdf")
            path.write_bytes(data)
            db = Path(tmp) / f"{path.stem}.db"
            status, wall, peak, last = run(path, db, cap, args.timeout)
            child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
            print(
                f"{name:<20} {len(data):>6} B  {status:<9} {wall:6.1f} s  "
                f"tree peak {peak / 2**20:7.0f} MiB  largest child so far {child:6.0f} MiB  {last}",
                flush=True,
            )
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
