"""Who may join the lesson, and the teacher's hand on the roster (issue 24).

- **A limit per address**: at most :data:`~reseau.classe.limits.JOINS_PER_MINUTE` join (or resume)
  attempts a minute from one address, right or wrong; the next one is told « attendez N s ».  One program
  with the code cannot fill the lesson with fake students any more (it was 185 in 8 seconds).
- **Joining open or closed, and the lesson's size**: the teacher's, kept in the lesson file
  (:class:`Joining`), so a restart keeps them.
- **Removing and renaming a student**, and a **resume code**: a student whose browser lost her session
  (cleared cookies, another computer) gets her work back with a one-use code (or its link) the teacher
  hands her.  The database side is :mod:`reseau.classe.db` (its roster block).

The rules only; the routes are in :mod:`reseau.classe.routes` (their roster block).
"""

from __future__ import annotations

import logging
import math
import secrets
import threading
import time
from collections import deque
from dataclasses import dataclass
from typing import Any

from reseau import kinds
from reseau.classe.limits import JOINS_PER_MINUTE
from reseau.config import Range
from reseau.web.errors import WebError

log = logging.getLogger("reseau.classe")

WINDOW = 60.0  # seconds over which the attempts are counted
DEFAULT_SIZE = 40  # students a lesson takes unless the teacher says otherwise (a French class is up to 35)
SIZE = Range(1, 200)  # the sizes a teacher may choose
RESUME_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # the lesson code's: no 0/O, 1/I
RESUME_LENGTH = 8  # 32**8: about 10**12 codes, and five guesses a minute
RESUME_SECONDS = 24 * 3600  # a resume code is good for a day, once
MAX_ADDRESSES = 10_000  # addresses remembered at once (older ones are forgotten first)


class JoinLimiter:
    """At most ``per_minute`` attempts from one address in any :data:`WINDOW` seconds (a sliding window)."""

    def __init__(self, per_minute: int = JOINS_PER_MINUTE) -> None:
        self.per_minute = per_minute
        self._seen: dict[str, deque[float]] = {}  # address -> its attempts of the last minute, oldest first
        self._told: dict[str, float] = {}  # address -> when the teacher's terminal last read about it
        self._lock = threading.Lock()

    def check(self, address: str | None) -> None:
        """Count one attempt from ``address``; 429 « attendez N s » beyond the limit (that one is not counted)."""
        address, now = address or "", time.monotonic()
        with self._lock:
            times = self._seen.pop(address, None) or deque()
            while times and times[0] <= now - WINDOW:
                times.popleft()
            self._seen[address] = times  # put back last: the dict's order is the addresses' last use
            self._forget_oldest()
            if len(times) >= self.per_minute:
                wait = max(1, math.ceil(times[0] + WINDOW - now))
                if now - self._told.get(address, -math.inf) > WINDOW:  # once a minute at most
                    self._told[address] = now
                    log.warning("%s: more than %d joins a minute, refused for %d s", address, self.per_minute, wait)
                raise WebError("classe.error.wait", status=429, seconds=wait)
            times.append(now)

    def _forget_oldest(self) -> None:
        """Memory stays bounded whoever knocks: the addresses unused the longest are forgotten first."""
        for seen in (self._seen, self._told):
            while len(seen) > MAX_ADDRESSES:
                seen.pop(next(iter(seen)))


@dataclass
class Joining:
    """Whether new students may join, and how many the lesson takes (the teacher's, in the lesson file)."""

    open: bool = True
    size: int = DEFAULT_SIZE

    def to_dict(self) -> dict[str, Any]:
        return {"open": self.open, "size": self.size}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Joining:
        size = data.get("size")
        fits = isinstance(size, int) and SIZE.low <= size <= SIZE.high
        return cls(bool(data.get("open", True)), size if fits else DEFAULT_SIZE)  # type: ignore[arg-type]

    def check(self, students: int) -> None:
        """403 when joining is closed, or the lesson is full (the message says what the teacher can do)."""
        if not self.open:
            raise WebError("classe.error.closed", status=403)
        if students >= self.size:
            raise WebError("classe.error.full", status=403, max=self.size)


def checked_size(size: int) -> int:
    """The size the teacher typed, or 422 saying the bounds."""
    if not SIZE.low <= size <= SIZE.high:
        raise WebError("classe.error.limit", status=422, field="size", value=size, low=SIZE.low, high=SIZE.high)
    return size


def new_resume_code() -> str:
    return "".join(secrets.choice(RESUME_ALPHABET) for _ in range(RESUME_LENGTH))


def shown_code(code: str) -> str:
    """``"K7P3QXAB"`` -> ``"K7P3-QXAB"``: read aloud or from the board in two halves."""
    half = len(code) // 2
    return f"{code[:half]}-{code[half:]}"


def convolutional(modes: tuple[str, ...] | list[str]) -> bool:
    """Whether a mode the teacher allows trains a convolutional network (the page's notes about one)."""
    return any("maps" in kinds.kind(mode).views for mode in modes)
