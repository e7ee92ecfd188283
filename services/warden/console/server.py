"""Serves the console from the compliance process: a threaded stdlib WSGI server."""

from __future__ import annotations

import logging
import threading
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

log = logging.getLogger(__name__)


class _ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        log.debug("console %s " + format, self.address_string(), *args)


class ConsoleServer:
    """Binds at construction (port 0 picks one); `run(stop)` serves until `stop` is set."""

    def __init__(self, app: Any, host: str, port: int) -> None:
        self.httpd = make_server(
            host, port, app, server_class=_ThreadingServer, handler_class=_QuietHandler
        )
        self.host = host
        self.port = int(self.httpd.server_address[1])

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}/"

    def run(self, stop: threading.Event) -> None:
        log.info("console listening on %s", self.url)
        self.httpd.timeout = 0.2
        while not stop.is_set():
            self.httpd.handle_request()
        self.httpd.server_close()
