"""What setuptools buys at run time: the epoch kernel compiled ahead of time, against numba's just in time alone.

    python benchmarks/bench_aot.py [--repeat 5] [--data-dir DIR]

``numba.pycc``, which builds reseau's ahead-of-time epoch kernel (``src/reseau/compiled.py``), imports
setuptools to compile and link it, on every Python version.  Without setuptools, reseau falls back to numba's
just-in-time kernel, which computes the same numbers.  This times whole ``reseau train`` processes (the
document's 3 epochs, the test, the save) in both setups, taking turns so that a busy machine slows them alike:

* first run: an empty compiled-kernel cache and an empty numba cache, so the ahead-of-time build
  (said on screen) or numba's just-in-time compilation;
* later runs (the median of ``--repeat``): importing the built module, or starting numba and reading its
  cached machine code.

"Without setuptools" puts first on ``PYTHONPATH`` a folder whose ``setuptools`` cannot be imported, as
if it were not installed.  MNIST's decompressed arrays are made once beforehand and shared by both setups.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SETUPS = ("ahead of time", "without setuptools")


def timed(command: list[str], env: dict[str, str], cwd: Path) -> float:
    """Seconds from the process's start to its exit; the command must succeed."""
    started = time.perf_counter()
    subprocess.run(command, env=env, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def setup_env(root: Path, name: str, shared_arrays: Path, data_dir: str | None) -> dict[str, str]:
    """The environment of one setup: its own user cache (MNIST's arrays shared) and its own numba cache."""
    home = root / name.replace(" ", "-")
    (home / "cache" / "reseau").mkdir(parents=True)
    (home / "cache" / "reseau" / "arrays").symlink_to(shared_arrays, target_is_directory=True)
    env = dict(os.environ, XDG_CACHE_HOME=str(home / "cache"), NUMBA_CACHE_DIR=str(home / "numba"))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    if data_dir:
        env["RESEAU_DATA"] = data_dir
    if name == "without setuptools":
        blocker = home / "no-setuptools" / "setuptools"
        blocker.mkdir(parents=True)
        (blocker / "__init__.py").write_text('raise ImportError("setuptools is not installed (bench_aot.py)")\n')
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(blocker.parent), env.get("PYTHONPATH")]))
    return env


def built_modules(env: dict[str, str]) -> int:
    """How many ahead-of-time modules the setup's cache holds (1 ahead of time, 0 without setuptools)."""
    folder = Path(env["XDG_CACHE_HOME"]) / "reseau" / "compiled"
    return sum(1 for path in folder.rglob("*") if path.suffix in (".so", ".pyd"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5, help="later runs of each setup (median)")
    parser.add_argument("--data-dir", default=os.environ.get("RESEAU_DATA"), help="the MNIST folder (RESEAU_DATA)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-aot-") as folder:
        root = Path(folder)
        command = [sys.executable, "-m", "reseau", "train", "--out", str(root / "model.safetensors")]
        warm = dict(os.environ, XDG_CACHE_HOME=str(root / "warm"), NUMBA_CACHE_DIR=str(root / "warm-numba"))
        if args.data_dir:
            warm["RESEAU_DATA"] = args.data_dir
        timed(command, warm, root)  # MNIST's arrays decompressed once, for both setups
        envs = {name: setup_env(root, name, root / "warm" / "reseau" / "arrays", args.data_dir) for name in SETUPS}
        first = {name: timed(command, envs[name], root) for name in SETUPS}
        later: dict[str, list[float]] = {name: [] for name in SETUPS}
        for _ in range(args.repeat):
            for name in SETUPS:
                later[name].append(timed(command, envs[name], root))
        print(f"`reseau train`, whole process, Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, "
              f"load {os.getloadavg()[0]:.1f}; later runs: median of {args.repeat}")
        print("| setup | modules built | first run | later runs |")
        print("|---|---:|---:|---:|")
        for name in SETUPS:
            print(f"| {name} | {built_modules(envs[name])} | {first[name]:.2f} s | "
                  f"{statistics.median(later[name]):.2f} s |")
        aot, jit = (statistics.median(later[name]) for name in SETUPS)
        print(f"Without setuptools every later run takes {jit - aot:+.2f} s ({jit / aot:.2f}x).")


if __name__ == "__main__":
    main()
