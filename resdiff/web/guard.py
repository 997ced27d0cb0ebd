"""The outer guard of the web app (plain ASGI): host names, body cap, security headers.

It wraps the whole app, error pages included: every response gets the
Content-Security-Policy (no inline script, nothing from elsewhere, no framing) and
its companions; a request addressed to another host name than loopback's is refused
when serving on loopback (a page elsewhere cannot reach the server by DNS rebinding);
a request body is refused past the cap, whether declared or streamed.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

__all__ = ["CSP", "SECURITY_HEADERS", "BodyTooLarge", "Guard", "too_large"]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
SECURITY_HEADERS = (
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
)
# Oversized uploads up to this many times the cap are read to the end before the refusal
# (a browser shows the page only once it has sent everything); larger ones are cut off.
DRAIN = 8
_LOOPBACK_NAMES = frozenset({"127.0.0.1", "localhost", "::1", "[::1]"})


class BodyTooLarge(Exception):
    """The request body passed the upload cap while it was being read."""


# --- the outer guard: host names, body cap, security headers ---------------------------


class Guard:
    """ASGI middleware around the whole app (errors included): refuses requests addressed
    to other host names when serving on loopback, caps request bodies, and adds the
    security headers to every response."""

    def __init__(self, app: ASGIApp, *, loopback: bool, max_body: int) -> None:
        self.app = app
        self.loopback = loopback
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        if self.loopback and not _loopback_host(headers.get(b"host", b"").decode("latin-1")):
            await _plain(send, 421, "This server only answers requests to 127.0.0.1 or localhost.")
            return
        declared = headers.get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_body:
            if int(declared) <= DRAIN * self.max_body:
                await _drain(receive, DRAIN * self.max_body)
            await _plain(send, 413, too_large(int(declared), self.max_body))
            return
        seen = 0
        done = False

        async def capped() -> Message:
            nonlocal seen, done
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                done = not message.get("more_body", False)
                if seen > self.max_body:
                    raise BodyTooLarge(too_large(seen, self.max_body))
            else:
                done = True
            return message

        async def secured(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _v in message.get("headers", [])}
                extra = [(k, v) for k, v in SECURITY_HEADERS if k not in names]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await self.app(scope, capped, secured)
        if not done and seen <= DRAIN * self.max_body:
            # A browser still sending an oversized upload reads the answer once it has
            # sent everything: reading the rest lets it see the page, not a reset.
            await _drain(receive, DRAIN * self.max_body - seen)


async def _drain(receive: Receive, limit: int) -> None:
    """Read and drop the rest of a request body, at most ``limit`` bytes."""
    while limit > 0:
        message = await receive()
        if message["type"] != "http.request":
            return
        limit -= len(message.get("body", b""))
        if not message.get("more_body", False):
            return


def _loopback_host(host: str) -> bool:
    if not host:
        return True  # HTTP/1.0 without Host: only a local client sends that here
    name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
    if host.startswith("[") and "]" in host:
        name = host[: host.index("]") + 1]
    return name.lower() in _LOOPBACK_NAMES


def too_large(size: int, cap: int) -> str:
    return (
        f"upload refused: {size / 2**20:.1f} MB is more than the {cap // 2**20} MB accepted; "
        "send the draft itself (a PDF, DOCX, text or HTML file)"
    )


async def _plain(send: Send, status: int, text: str) -> None:
    body = text.encode("utf-8")
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"text/plain; charset=utf-8"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
                *SECURITY_HEADERS,
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
