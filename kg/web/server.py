"""Run the app on waitress (a production WSGI server; never Flask's development server)."""
from __future__ import annotations

# Answers are built whole in memory (never half-sent); waitress would otherwise copy every
# answer over 1 MB into a temporary file before sending it.
BUFFERS = {"outbuf_overflow": 256 * 2**20, "outbuf_high_watermark": 256 * 2**20}

import threading

from flask import Flask
from waitress.server import create_server


class BackgroundServer:
    """waitress in a thread on a given or free port: for tests, benchmarks and `kg run`."""

    def __init__(self, app: Flask, host: str = "127.0.0.1", port: int = 0, threads: int = 16):
        self.app = app
        self.server = create_server(app, host=host, port=port, threads=threads,
                                    channel_timeout=120, ident="kg", **BUFFERS)
        self.port = self.server.effective_port  # type: ignore[union-attr]
        self.url = f"http://{host}:{self.port}"
        self.thread = threading.Thread(target=self._run, daemon=True, name="waitress")

    def _run(self) -> None:
        try:
            self.server.run()
        except OSError:  # the socket was closed under the loop by stop()
            pass

    def __enter__(self) -> "BackgroundServer":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def stop(self) -> None:
        """Close every channel so waitress' loop ends (its map empties), then the workers."""
        for channel in list(self.server._map.values()):  # type: ignore[union-attr]
            channel.close()
        self.server.task_dispatcher.shutdown()  # type: ignore[union-attr]
        self.thread.join(5)
        self.app.extensions["kg"].close()


def serve(app: Flask, host: str = "127.0.0.1", port: int = 5000, threads: int = 16) -> None:
    """Serve until interrupted."""
    server = create_server(app, host=host, port=port, threads=threads, ident="kg", **BUFFERS)
    try:
        server.run()
    finally:
        app.extensions["kg"].close()
