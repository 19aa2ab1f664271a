"""Run the app on waitress (a production WSGI server; never Flask's development server), with
the two limits waitress lacks against slow clients (issue 10, defect 3):

- a request must arrive whole (request line, headers and body) within `request_deadline`
  seconds of its first byte, however often its sender trickles a byte; and an idle kept-alive
  connection is closed after `idle_timeout`;
- one client host holds at most `per_host` connections, so the server's connection limit
  (raised, with poll() instead of select()) cannot be reached by one host.

A point lookup that the fast lane (kg.query.fastlane) has answered before is served on the loop
thread itself, once its request has arrived whole: handing it to a task thread and back costs two
thread wake-ups, and on a loaded machine each costs more than the lookup. The lane bounds its work
(one index range, at most FAST_ROWS rows), so the loop is never held long; every other request,
and a lookup's first time (its text is parsed then), goes to a thread.
"""
from __future__ import annotations

import logging
import threading
import time
from typing import Callable
from urllib.parse import parse_qs

from flask import Flask
from waitress.adjustments import Adjustments
from waitress.channel import HTTPChannel
from waitress.server import TcpWSGIServer
from waitress.task import Task, WSGITask

from .answer_cache import (CACHE_HEADER, AnswerCache, CachedAnswer, keeping, matches,
                           not_modified_headers, request_key)

# Answers are built whole in memory (never half-sent); waitress would otherwise copy every
# answer over 1 MB into a temporary file before sending it.
BUFFERS = {"outbuf_overflow": 256 * 2**20, "outbuf_high_watermark": 256 * 2**20}
REQUEST_DEADLINE = 10.0
IDLE_TIMEOUT = 30.0
PER_HOST = 32
CONNECTION_LIMIT = 1000


INLINE_QUERY = 2000  # longest query string of a request served on the loop thread
log = logging.getLogger("kg.web.server")


def _key(channel, request):
    return request_key(request.command, request.path, request.query, request.headers, request.url_scheme)


class KeyedTask(WSGITask):
    """The app's task, with the request's answer-cache key in its environ (kg.web.answer_cache:
    the app marks what may be kept, the middleware keeps it under this key)."""

    def get_environment(self) -> dict:
        environ = super().get_environment()
        if getattr(self.channel.server, "answers", None) is not None:
            key = _key(self.channel, self.request)
            if key is not None:
                environ[CACHE_HEADER] = key
        return environ


class CachedTask(Task):
    """A kept answer, sent again as it was made (the server writes framing and date anew)."""

    def __init__(self, channel, request, answer: CachedAnswer):
        super().__init__(channel, request)
        self.answer = answer

    def execute(self) -> None:
        age = ("Age", str(int(time.monotonic() - self.answer.stored)))
        timing = ("Server-Timing", 'cache;desc="hit"')
        self.complete = True
        if matches(self.request.headers.get("IF_NONE_MATCH", ""), self.answer.etag):
            self.status = "304 Not Modified"
            self.response_headers = [*not_modified_headers(self.answer), age, timing]
            self.write(b"")
            return
        self.status = self.answer.status
        self.response_headers = [*self.answer.headers, age, timing]
        self.content_length = len(self.answer.body)
        self.write(self.answer.body)


class DeadlineChannel(HTTPChannel):
    """A channel that remembers when the request it is still receiving began, and serves a
    request that the server marked `inline` once its own lock is released."""

    task_class = KeyedTask
    request_started: float | None = None
    receiving = False   # the loop thread is in received(): add_task may mark a request inline
    inline = False
    cached: CachedAnswer | None = None  # the kept answer of the request marked inline, if it has one

    def service(self) -> None:
        """waitress' service(), with a kept answer sent by a CachedTask instead of the app."""
        answer, self.cached = self.cached, None
        if answer is None:
            return super().service()
        self.task_class = lambda channel, request: CachedTask(channel, request, answer)
        try:
            super().service()
        finally:
            del self.task_class  # back to the class's KeyedTask

    def received(self, data: bytes) -> bool:
        if self.request is None and data:
            self.request_started = time.monotonic()
        self.receiving = True
        try:
            result = super().received(data)
            if self.request is None:  # every request in `data` arrived whole
                self.request_started = None
            while self.inline:  # service() may mark the next pipelined request inline too
                self.inline = False
                try:
                    self.service()
                except Exception:  # as waitress' task threads do
                    log.exception("Exception when servicing %r", self)
        finally:
            self.receiving = False
        return result

    def _flush_outbufs_below_high_watermark(self) -> None:
        """waitress waits here, between pipelined requests, for the loop thread to send the
        backlog: on the loop thread itself that would never end, so it does not wait (the
        next request is then not served inline: add_task sees the backlog)."""
        if not self.receiving:
            super()._flush_outbufs_below_high_watermark()


class GuardedServer(TcpWSGIServer):
    channel_class = DeadlineChannel

    def __init__(self, app, *, request_deadline: float, per_host: int,
                 inline: Callable[[object], bool] | None = None, answers: AnswerCache | None = None,
                 **kw):
        self.request_deadline = request_deadline
        self.per_host = per_host
        self.inline = inline
        self.answers = answers
        super().__init__(keeping(app, answers) if answers is not None else app, adj=Adjustments(**kw))

    def add_task(self, channel) -> None:
        """A request arrived on the loop thread whose answer is kept, or that `inline`
        accepts, is served there (after the channel's lock is released:
        DeadlineChannel.received); others go to a thread."""
        if getattr(channel, "receiving", False) and len(channel.requests) == 1 \
                and not channel.total_outbufs_len:
            request = channel.requests[0]
            key = _key(channel, request) if self.answers is not None and not request.error else None
            answer = self.answers.get(key) if key is not None else None
            if answer is not None:
                channel.cached = answer
                channel.inline = True
                return
        if self.inline and getattr(channel, "receiving", False) and len(channel.requests) == 1 \
                and not channel.total_outbufs_len:
            try:
                chosen = self.inline(channel.requests[0])
            except Exception:
                chosen = False
            if chosen:
                channel.inline = True
                return
        super().add_task(channel)

    def maintenance(self, now: float) -> None:
        """waitress closes idle channels; also close those whose request is overdue."""
        super().maintenance(now)
        late = time.monotonic() - self.request_deadline
        for channel in list(self.active_channels.values()):
            started = getattr(channel, "request_started", None)
            if started is not None and started < late and not channel.requests:
                channel.will_close = True  # the loop closes it: no thread was ever given it

    def handle_accept(self) -> None:
        try:
            accepted = self.accept()
        except OSError:
            return
        if accepted is None:
            return
        conn, addr = accepted
        host = addr[0] if isinstance(addr, tuple) else addr
        held = sum(1 for c in self.active_channels.values()
                   if isinstance(c.addr, tuple) and c.addr[0] == host)
        if held >= self.per_host:
            conn.close()  # this host already holds its share of the connection limit
            return
        try:
            self.set_socket_options(conn)
        except OSError:
            conn.close()
            return
        self.channel_class(self, conn, self.fix_addr(addr), self.adj, map=self._map)


def fast_lookup(app: Flask) -> Callable[[object], bool]:
    """Whether a waitress request is GET /sparql with one short `query` parameter that the
    fast lane has answered before, on the store handle it holds now (kg.query.fastlane: decided
    there on the parsed text; nothing is parsed on the loop thread, and the app still checks the
    request as any other)."""
    def accept(request) -> bool:
        if request.command != "GET" or request.path != "/sparql" or len(request.query) > INLINE_QUERY:
            return False
        params = parse_qs(request.query, keep_blank_values=True)
        if list(params) != ["query"] or len(params["query"]) != 1:
            return False
        lane = app.extensions["kg"].local
        return lane.ready() and params["query"][0] in lane.known
    return accept


def answer_cache(app: Flask) -> AnswerCache | None:
    """The app's answer cache (kg.web.answer_cache), sized by its settings; None when off."""
    service = app.extensions.get("kg")
    if service is None or service.settings.answer_cache_mb <= 0:
        return None
    if "kg.answers" not in app.extensions:
        app.extensions["kg.answers"] = AnswerCache(lambda: service.generation,
                                                   service.settings.answer_cache_mb * 2**20)
    return app.extensions["kg.answers"]


def make_server(app: Flask, host: str = "127.0.0.1", port: int = 0, threads: int = 16, *,
                request_deadline: float = REQUEST_DEADLINE, idle_timeout: float = IDLE_TIMEOUT,
                per_host: int = PER_HOST, connection_limit: int = CONNECTION_LIMIT) -> GuardedServer:
    return GuardedServer(app, request_deadline=request_deadline, per_host=per_host,
                         inline=fast_lookup(app) if "kg" in app.extensions else None,
                         answers=answer_cache(app), host=host,
                         port=port, threads=threads, ident="kg", channel_timeout=idle_timeout,
                         cleanup_interval=1, connection_limit=connection_limit,
                         asyncore_use_poll=True, **BUFFERS)


class BackgroundServer:
    """waitress in a thread on a given or free port: for tests, benchmarks and `kg run`."""

    def __init__(self, app: Flask, host: str = "127.0.0.1", port: int = 0, threads: int = 16,
                 **limits):
        self.app = app
        self.server = make_server(app, host, port, threads, **limits)
        self.port = int(self.server.effective_port)
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
        for channel in list(self.server._map.values()):
            channel.close()
        self.server.task_dispatcher.shutdown()
        self.thread.join(5)
        self.app.extensions["kg"].close()


def serve(app: Flask, host: str = "127.0.0.1", port: int = 5000, threads: int = 16) -> None:
    """Serve until interrupted."""
    server = make_server(app, host, port, threads)
    try:
        server.run()
    finally:
        app.extensions["kg"].close()
