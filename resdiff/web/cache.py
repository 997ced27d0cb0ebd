"""Rendered responses and the bounded cache that keeps them while the store is unchanged.

A page is a pure function of the store and its URL, so it is rendered once per state of
the store (``Store.state``): asked for again, by anyone, it costs a look-up until the
next ingest. Concurrent requests for one page wait for a single rendering.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field

__all__ = ["PageCache", "Rendered"]


@dataclass(frozen=True, slots=True)
class Rendered:
    """One response as cached: body, media type, status; a file name for downloads."""

    body: bytes
    media_type: str
    status: int = 200
    filename: str | None = None
    etag: str = field(init=False)

    def __post_init__(self) -> None:
        # Once per rendering, not per response: a redline is 250 KB.
        object.__setattr__(self, "etag", '"' + hashlib.sha256(self.body).hexdigest()[:32] + '"')


class PageCache:
    """Responses by (state of the store, URL), least recently used dropped past a size;
    one request computes a page while others asking for it wait for that result."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._items: OrderedDict[tuple[str, str], Rendered] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()
        self._busy: dict[tuple[str, str], threading.Lock] = {}

    def get_or_render(self, key: tuple[str, str], render: Callable[[], Rendered]) -> Rendered:
        with self._lock:
            hit = self._items.get(key)
            if hit is not None:
                self._items.move_to_end(key)
                return hit
            busy = self._busy.setdefault(key, threading.Lock())
        with busy:
            with self._lock:
                hit = self._items.get(key)
                if hit is not None:
                    return hit
            try:
                made = render()
            finally:
                with self._lock:
                    self._busy.pop(key, None)
            if made.status in (200, 404) and len(made.body) <= self.max_bytes // 8:
                self._put(key, made)
            return made

    def _put(self, key: tuple[str, str], made: Rendered) -> None:
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self._size -= len(old.body)
            self._items[key] = made
            self._size += len(made.body)
            while self._size > self.max_bytes and self._items:
                _k, dropped = self._items.popitem(last=False)
                self._size -= len(dropped.body)
