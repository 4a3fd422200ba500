"""The web app (WSGI: Flask) called from the serving front: an environ from an ASGI request, a response back.

The front has already read the whole body (under its time and size limits), so the app never waits for a
client: ``wsgi.input`` is the body in memory. The environ is what granian's own WSGI server made, with two
differences: ``RAW_URI`` carries the path as sent (an encoded ``%2F`` stays one), and the public address
(:class:`PublicAddress`) replaces what the client says in ``Host``, so that links and redirects never
point where a client (or a proxy's client) chose.

A file the app sends whole (Flask's ``send_file``) comes back as its path, for the HTTP engine to stream
from disk; anything else comes back as bytes.
"""

from __future__ import annotations

import io
import os
import sys
from dataclasses import dataclass
from typing import Any, Callable
from urllib.parse import unquote_to_bytes, urlsplit

WsgiApp = Callable[..., Any]


@dataclass(frozen=True)
class PublicAddress:
    """Where clients reach this server: scheme, host (with port when not the default) and path prefix."""

    scheme: str
    host: str
    prefix: str = ""

    @classmethod
    def parse(cls, url: str) -> PublicAddress:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
            raise ValueError(f"not a public base URL (http[s]://host[:port][/prefix]): {url!r}")
        return cls(parts.scheme, parts.netloc, parts.path.rstrip("/"))

    @property
    def url(self) -> str:
        return f"{self.scheme}://{self.host}{self.prefix}/"

    @property
    def name(self) -> str:
        """The host without its port (``SERVER_NAME``)."""
        return urlsplit(f"//{self.host}").hostname or self.host

    @property
    def port(self) -> str:
        port = urlsplit(f"//{self.host}").port
        return str(port) if port else ("443" if self.scheme == "https" else "80")


@dataclass
class WsgiResponse:
    """What the app answered: status, headers, and either ``body`` or ``file`` (a path to send whole)."""

    status: int
    headers: list[tuple[str, str]]
    body: bytes = b""
    file: str | None = None


class _FileWrapper:
    """``wsgi.file_wrapper``: lets :func:`call` see that the app sends a file, and which."""

    def __init__(self, filelike, block_size: int = 64 * 1024):
        self.filelike = filelike
        self.block_size = block_size

    def __iter__(self):
        while True:
            block = self.filelike.read(self.block_size)
            if not block:
                return
            yield block

    def close(self) -> None:
        self.filelike.close()


_BASE = {
    "GATEWAY_INTERFACE": "CGI/1.1", "SCRIPT_NAME": "", "SERVER_SOFTWARE": "stm-kg", "wsgi.errors": sys.stderr,
    "wsgi.input_terminated": True, "wsgi.multiprocess": True, "wsgi.multithread": True, "wsgi.run_once": False,
    "wsgi.version": (1, 0), "wsgi.file_wrapper": _FileWrapper,
    "stm_kg.served_by_front": True,  # the front writes the access log (stm_kg.web.fast_path.SERVED_BY_FRONT)
}


def environ(scope: dict, body: bytes, public: PublicAddress | None) -> dict:
    """The WSGI environ of an ASGI HTTP ``scope`` whose body is ``body``.

    With ``public`` (always, in a serving process), ``Host``, the scheme and ``SCRIPT_NAME`` are the public
    address's; the client's ``Host`` is not used.
    """
    raw_path = scope.get("raw_path") or scope["path"].encode("utf-8")
    query = scope.get("query_string", b"").decode("latin-1")
    env = dict(_BASE)
    env.update({
        "REQUEST_METHOD": scope["method"],
        "PATH_INFO": unquote_to_bytes(raw_path).decode("latin-1"),
        "QUERY_STRING": query,
        "RAW_URI": raw_path.decode("latin-1") + ("?" + query if query else ""),
        "SERVER_PROTOCOL": f"HTTP/{scope.get('http_version', '1.1')}",
        "wsgi.url_scheme": scope.get("scheme", "http"),
        "wsgi.input": io.BytesIO(body),
        "CONTENT_LENGTH": str(len(body)),
    })
    server = scope.get("server") or ("127.0.0.1", "80")
    env["SERVER_NAME"], env["SERVER_PORT"] = str(server[0]), str(server[1])
    client = scope.get("client")
    if client:
        env["REMOTE_ADDR"], env["REMOTE_PORT"] = str(client[0]), str(client[1])
    cookies = []
    for raw_name, raw_value in scope.get("headers", ()):
        name, value = raw_name.decode("latin-1").lower(), raw_value.decode("latin-1")
        if name == "content-type":
            env["CONTENT_TYPE"] = value
        elif name == "content-length" or name == "transfer-encoding":
            continue  # the body is read already: CONTENT_LENGTH is its length
        elif name == "cookie":
            cookies.append(value)
        else:
            key = "HTTP_" + name.upper().replace("-", "_")
            env[key] = f"{env[key]},{value}" if key in env else value
    if cookies:
        env["HTTP_COOKIE"] = "; ".join(cookies)
    if public is not None:
        env["HTTP_HOST"] = public.host
        env["wsgi.url_scheme"] = public.scheme
        env["SCRIPT_NAME"] = public.prefix
        env["SERVER_NAME"], env["SERVER_PORT"] = public.name, public.port
    return env


def call(app: WsgiApp, env: dict) -> WsgiResponse:
    """Run ``app`` on ``env`` (in a thread of the front's pool) and collect its response."""
    started: list = []
    written: list[bytes] = []

    def start_response(status: str, headers: list, exc_info=None):
        if exc_info is not None and started:
            raise exc_info[1].with_traceback(exc_info[2])
        started[:] = [int(status.split(" ", 1)[0]), [(str(k), str(v)) for k, v in headers]]
        return written.append

    iterable = app(env, start_response)
    try:
        if isinstance(iterable, _FileWrapper) and started:
            path = getattr(iterable.filelike, "name", None)
            if isinstance(path, str) and os.path.isfile(path) and not any(
                    name.lower() == "content-range" for name, _ in started[1]):
                return WsgiResponse(started[0], started[1], file=path)
        chunks = list(iterable)
    finally:
        close = getattr(iterable, "close", None)
        if close is not None:
            close()
    status, headers = started
    return WsgiResponse(status, headers, b"".join([*written, *chunks]))
