"""Serving the web app: the listening socket and uvicorn (the only module that imports it).

    serve(url, host="127.0.0.1", port=8422, read_only=False, ...)   blocks until Ctrl-C
    is_loopback(host) -> bool

The socket is bound before uvicorn starts, so a busy port is one clear error, port 0
gives a free port, and the address announced is the one listening.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable

from resdiff.errors import UsageError
from resdiff.web.guard import ASGIApp

__all__ = ["is_loopback", "serve"]


def is_loopback(host: str) -> bool:
    """True when ``host`` only accepts connections from this machine."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _bind(host: str, port: int) -> socket.socket:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as exc:
        raise UsageError(f"--host {host}: cannot be resolved ({exc.strerror})") from None
    family, kind, proto, _name, address = infos[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(128)
    except OSError as exc:
        sock.close()
        why = "it is in use" if exc.errno in (98, 48) else (exc.strerror or str(exc))
        raise UsageError(
            f"cannot listen on {host}:{port}: {why}; choose another with --port"
        ) from None
    sock.set_inheritable(True)
    return sock


def serve(
    url: str | None = None,
    *,
    host: str = "127.0.0.1",
    port: int = 8422,
    read_only: bool = False,
    debug: bool = False,
    announce: Callable[[str], None] = print,
) -> None:
    """Serve the store at ``url`` on ``host:port`` until interrupted; ``announce`` gets
    the address to open once the socket listens (port 0: a free port is chosen)."""
    from resdiff.store import open_store
    from resdiff.web.app import app_over

    with open_store(url, read_only=True) as store:
        app = app_over(store, read_only=read_only, loopback=is_loopback(host), debug=debug)
        _run(app, host, port, debug, announce)


def _run(app: ASGIApp, host: str, port: int, debug: bool, announce: Callable[[str], None]) -> None:
    import uvicorn

    sock = _bind(host, port)
    bound = sock.getsockname()[1]
    shown = f"[{host}]" if ":" in host and not host.startswith("[") else host
    config = uvicorn.Config(
        app,
        log_level="info" if debug else "warning",
        access_log=debug,
        lifespan="off",
        http="h11",
        ws="none",
        server_header=False,
        proxy_headers=False,
        timeout_keep_alive=15,
    )
    server = uvicorn.Server(config)
    announce(f"http://{shown}:{bound}/")
    try:
        server.run(sockets=[sock])
    finally:
        sock.close()
