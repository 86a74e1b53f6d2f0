"""What every sandbox shares: its HTTP server on 127.0.0.1, served from a daemon thread.

A sandbox subclasses :class:`ServedSandbox` and builds its server in ``_make_server``; start,
stop, ``with`` and ``port`` are then the same for the OpenCart, AFAS SB and VIES sandboxes.
"""

from __future__ import annotations

import threading
from http.server import ThreadingHTTPServer
from typing import TypeVar

_S = TypeVar("_S", bound="ServedSandbox")


class ServedSandbox:
    """Start, stop, ``with`` and ``port`` for a sandbox whose ``_make_server`` builds its server.

    ``_poll_interval`` is how often ``serve_forever`` looks for a shutdown, so how long ``stop``
    may wait; ``_not_running`` is the error when ``port`` is asked of a stopped sandbox.
    """

    _poll_interval: float = 0.5
    _not_running = "the sandbox is not started"
    _server: ThreadingHTTPServer | None = None
    _thread: threading.Thread | None = None

    def _make_server(self) -> ThreadingHTTPServer:
        raise NotImplementedError

    def start(self: _S) -> _S:
        if self._server is not None:
            return self
        server = self._make_server()
        server.daemon_threads = True
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": self._poll_interval}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        server, self._server = self._server, None
        if server is not None:
            server.shutdown()
            server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self: _S) -> _S:
        return self.start()

    def __exit__(self, *_: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError(self._not_running)
        return int(self._server.server_address[1])


__all__ = ["ServedSandbox"]
