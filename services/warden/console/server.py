"""Serves the console from the compliance process with waitress: a bounded pool of worker
threads, a cap on open connections, and idle or slow connections dropped after a timeout."""

from __future__ import annotations

import logging
import threading
from typing import Any

from waitress.server import create_server

log = logging.getLogger(__name__)


class ConsoleServer:
    """Binds at construction (port 0 picks one); `run(stop)` serves until `stop` is set.

    Connections are read and written by one event loop, so a client that connects and sends
    nothing (or half a request) holds no worker thread; after `timeout_s` without activity
    it is dropped. At most `threads` requests run at once; beyond `connection_limit` open
    connections new ones wait in the listen backlog."""

    def __init__(
        self,
        app: Any,
        host: str,
        port: int,
        threads: int = 8,
        connection_limit: int = 100,
        timeout_s: float = 30.0,
    ) -> None:
        self._map: dict[int, Any] = {}
        self.server: Any = create_server(
            app,
            map=self._map,
            host=host,
            port=port,
            threads=threads,
            connection_limit=connection_limit,
            channel_timeout=timeout_s,
            # How often idle connections are looked for: a slow client is dropped within
            # timeout_s plus this.
            cleanup_interval=max(1, int(timeout_s / 4)),
            # The console's forms are small (the app reads at most 64,000 bytes of one).
            max_request_body_size=256_000,
            max_request_header_size=65_536,
            ident="warden",
            expose_tracebacks=False,
        )
        self.host = host
        self.port = int(self.server.effective_port)

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}/"

    def run(self, stop: threading.Event) -> None:
        log.info("console listening on %s", self.url)
        try:
            while not stop.is_set():
                self.server.asyncore.loop(timeout=0.2, map=self._map, use_poll=True, count=1)
        finally:
            for channel in list(self._map.values()):
                channel.close()
            self.server.task_dispatcher.shutdown()
