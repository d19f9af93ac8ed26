"""Compiled kernels that start in milliseconds: numba ahead of time, with numba's just-in-time as the fallback.

A numba kernel compiled just in time and cached on disk still costs about
0.25 s in every new process before its first image: importing numba (0.11 s)
and preparing its compiler's type and code tables (0.14 s), even when the
machine code itself is read from the cache.  ``reseau train`` trains the
document's network in 0.27 s, so that start-up was a third of the command.

So the document's epoch kernel is also compiled *ahead of time* with
``numba.pycc``: the same Python function, turned once into an ordinary Python
extension module (a ``.so``/``.pyd`` file) that needs neither numba nor
LLVM to run, kept in the user cache (``<cache>/reseau/compiled/<key>/``)
and imported in a few milliseconds by every later process.  The first process
builds it (about 3 s, a C compiler is needed to link it) and checks it
against the plain Python function on a few images before keeping it.

Whenever that is not possible — no C compiler, no ``setuptools``, a future
numba without ``pycc`` (it is marked "pending deprecation" since 0.57), a
build that failed once already (remembered in a ``.failed`` file beside it), or
another process building it right now — :func:`kernel` answers numba's
just-in-time version, which computes the same numbers.  Nothing is ever
said about it beyond one line while the first build runs.

The build's key covers everything the machine code depends on: the kernel's
source, its signatures, the versions of numba, NumPy and Python, and the
processor (the code uses the host's vector instructions, as numba's
just-in-time code does), so a cache shared between machines or an upgrade
builds again instead of loading the wrong code.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.machinery
import importlib.util
import inspect
import os
import platform
import shutil
import sys
import tempfile
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

Announce = Callable[[], None]
announce: Announce | None = None  # called once before a build starts (the CLI says "compiling, once")

MODULE = "reseau_kernels"  # the name of every built extension module (one per key folder)


def kernel(function: Callable, signatures: dict[str, str], pick: Callable[..., str], build: bool = True) -> Callable:
    """``function`` compiled: ahead of time when possible, else just in time (numba, cached on disk).

    ``signatures`` maps a name to a numba signature (``"i8(f8[::1], f8)"``);
    ``pick(*args)`` names the signature that fits a call, or ``""`` for none
    (that call then goes to the just-in-time version, which takes any types).
    With ``build=False`` a missing ahead-of-time module is not built.
    """
    key = build_key(function, signatures)
    compiled = load(key, signatures) or (_build_and_load(key, function, signatures) if build else None)
    if compiled is None:
        return just_in_time(function)

    def call(*args: Any) -> Any:
        chosen = compiled.get(pick(*args))
        return chosen(*args) if chosen is not None else just_in_time(function)(*args)

    call.ahead_of_time = compiled  # type: ignore[attr-defined]  # for tests and benchmarks
    return call


_JIT: dict[Callable, Callable] = {}


def just_in_time(function: Callable) -> Callable:
    """numba's just-in-time ``function`` (compiled on first call, cached beside the source)."""
    if function not in _JIT:
        import numba

        _JIT[function] = numba.njit(cache=True, nogil=True)(function)
    return _JIT[function]


# ---------------------------------------------------------------------------
# Where a build lives, and its key
# ---------------------------------------------------------------------------


def cache_dir() -> Path:
    """``<user cache>/reseau/compiled`` (``XDG_CACHE_HOME`` on Linux)."""
    import platformdirs

    return Path(platformdirs.user_cache_dir("reseau")) / "compiled"


def build_key(function: Callable, signatures: dict[str, str]) -> str:
    """A short hash of all the machine code depends on (see the module's docstring)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        numba_version = version("numba")
    except PackageNotFoundError:
        numba_version = "none"
    parts = [
        inspect.getsource(function),
        repr(sorted(signatures.items())),
        numba_version,
        version("numpy"),
        sys.implementation.cache_tag or "",
        platform.machine(),
        processor(),
    ]
    return f"{function.__name__}-" + hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


def processor() -> str:
    """What identifies this processor's instruction set: its name and flags on Linux, else the platform's word."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as f:
            lines = f.read(1 << 16).splitlines()
    except OSError:
        return platform.processor()
    wanted = ("model name", "flags", "Features", "CPU part")  # x86, and the ARM lines
    return "\n".join(sorted({line.strip() for line in lines if line.split(":")[0].strip() in wanted}))


def module_file(key: str) -> Path:
    """The built extension module of ``key`` (its file name ends as this Python's extensions do)."""
    return cache_dir() / key / f"{MODULE}{importlib.machinery.EXTENSION_SUFFIXES[0]}"


def failed_file(key: str) -> Path:
    """Written when a build of ``key`` fails: the reason, and no new try until the key changes."""
    return cache_dir() / f"{key}.failed"


# ---------------------------------------------------------------------------
# Loading and building
# ---------------------------------------------------------------------------


def load(key: str, signatures: dict[str, str]) -> dict[str, Callable] | None:
    """The functions of the built module of ``key``, or None if there is none (or it cannot be loaded)."""
    path = module_file(key)
    if not path.is_file():
        return None
    try:
        module = _import(path)
        return {name: getattr(module, name) for name in signatures}
    except (ImportError, OSError, AttributeError, AssertionError):  # damaged, or built for something else
        return None


def _build_and_load(key: str, function: Callable, signatures: dict[str, str]) -> dict[str, Callable] | None:
    if failed_file(key).exists():
        return None
    with _build_lock(key) as mine:
        if not mine:  # another process is building it: this one uses the just-in-time kernel
            return None
        found = load(key, signatures)  # built while this process waited for the lock
        if found is not None:
            return found
        if announce is not None:
            announce()
        try:
            build(key, function, signatures)
        except Exception as exc:  # any failure of the toolchain means: use the just-in-time kernel
            _remember_failure(key, exc)
            return None
    return load(key, signatures)


@contextlib.contextmanager
def _build_lock(key: str) -> Iterator[bool]:
    """An exclusive lock on ``<key>.lock`` if one is free now (True), else False; no lock on systems without fcntl."""
    try:
        import fcntl
    except ImportError:  # Windows: two builds at once both succeed, the second replaces nothing
        yield True
        return
    try:
        cache_dir().mkdir(parents=True, exist_ok=True)
        lock = open(cache_dir() / f"{key}.lock", "w")  # noqa: SIM115 - closed below
    except OSError:
        yield False
        return
    try:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            yield False
            return
        yield True
    finally:
        lock.close()


def build(key: str, function: Callable, signatures: dict[str, str], reference: Callable | None = None) -> Path:
    """Compile ``function`` for each signature into the module of ``key``; check it; put it in place.

    The check runs the module on ``function.example(name)`` and compares with
    the plain Python ``reference`` (``function`` itself unless told).
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pycc's "pending deprecation" notice: the fallback is ready for it
        from numba.pycc import CC

    target = module_file(key)
    target.parent.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{key}-", dir=target.parent.parent))
    try:
        cc = CC(MODULE, source_module=sys.modules[function.__module__])
        cc.output_dir = str(work)
        cc.target_cpu = "host"  # the processor is in the key
        for name, signature in signatures.items():
            cc.export(name, signature)(function)
        with _quiet():
            cc.compile()
        built = work / target.name
        _check(built, reference or function, signatures)
        shutil.rmtree(target.parent, ignore_errors=True)  # a damaged one (this process holds the build lock)
        try:
            os.rename(work, target.parent)  # whole or not at all
        except OSError:
            if not target.is_file():
                raise
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return target


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """The C compiler's own output (warnings about numba's generated C) kept off the user's terminal."""
    sys.stdout.flush()
    sys.stderr.flush()
    saved = {fd: os.dup(fd) for fd in (1, 2)}  # stdout, stderr
    with open(os.devnull, "w") as null:
        for fd in saved:
            os.dup2(null.fileno(), fd)
        try:
            yield
        finally:
            for fd, copy in saved.items():
                os.dup2(copy, fd)
                os.close(copy)


def _check(built: Path, function: Callable, signatures: dict[str, str]) -> None:
    """Run the built module on the function's own ``example`` and compare with the plain Python function."""
    example = getattr(function, "example", None)
    if example is None:
        return
    module = _import(built)
    for name in signatures:
        expected_args, got_args = example(name), example(name)
        expected, got = function(*expected_args), getattr(module, name)(*got_args)
        if not _close(expected, got) or not all(map(_close, expected_args, got_args)):
            raise ArithmeticError(f"the compiled {name} does not compute what {function.__name__} does")


def _import(path: Path) -> Any:
    """The extension module built at ``path``, imported under :data:`MODULE`."""
    spec = importlib.util.spec_from_file_location(MODULE, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _close(a: Any, b: Any) -> bool:
    import numpy as np

    return bool(np.allclose(a, b, rtol=1e-12, atol=1e-12))


def _remember_failure(key: str, exc: BaseException) -> None:
    with contextlib.suppress(OSError):
        failed_file(key).write_text(f"{type(exc).__name__}: {exc}\n", encoding="utf-8")
