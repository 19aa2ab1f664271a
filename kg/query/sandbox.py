"""The second wall against server-side request forgery: query workers without a network.

A worker process calls `close_network()` before it opens the store or starts any thread. On
Linux it moves into a new, empty network namespace (unshare(CLONE_NEWNET): not even loopback is
up, so every connect() fails), as root directly, otherwise inside a new user namespace
(CLONE_NEWUSER | CLONE_NEWNET). The socket pair to the server was made before and keeps
working: a connected AF_UNIX pair does not belong to a network namespace. Where neither call
is allowed the worker says so, and the server reports it at start-up; the parsed-query guard
(kg.query.guards) is then the only wall.
"""
from __future__ import annotations

import ctypes
import errno
import os
import socket
import sys

CLONE_NEWUSER = 0x10000000
CLONE_NEWNET = 0x40000000


def _unshare(flags: int) -> int:
    """0, or the errno of the failed call."""
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.unshare(ctypes.c_int(flags)) == 0:
        return 0
    return ctypes.get_errno()


def outbound_blocked() -> bool:
    """True when this process cannot reach even 127.0.0.1 (the probe sends nothing: with no
    interface up, connect() fails before any packet leaves)."""
    probe = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    probe.settimeout(2)
    try:
        probe.connect(("127.0.0.1", 9))
    except OSError as exc:
        return exc.errno in (errno.ENETUNREACH, errno.EHOSTUNREACH, errno.EADDRNOTAVAIL)
    finally:
        probe.close()
    return False


def close_network() -> str:
    """Cut this process off the network; a one-line account of how, or why not."""
    if not sys.platform.startswith("linux"):
        return f"open: no network namespaces on {sys.platform}"
    tried = []
    for flags, how in ((CLONE_NEWNET, "empty network namespace"),
                       (CLONE_NEWUSER | CLONE_NEWNET, "empty network namespace in a user namespace")):
        failed = _unshare(flags)
        if not failed and outbound_blocked():
            return f"closed: {how}"
        tried.append(f"{how}: {os.strerror(failed) if failed else 'still connects'}")
    return "open: " + "; ".join(tried)


def cap_memory(megabytes: int) -> None:
    """Cap this process's heap (RLIMIT_DATA: brk and private mappings, not the store's mapped
    files): past it allocations fail, a Rust allocation aborts the worker, and the server
    answers 507 for that query (kg.web.worker.WorkerPool)."""
    if megabytes > 0:
        import resource
        limit = megabytes * 2**20
        resource.setrlimit(resource.RLIMIT_DATA, (limit, limit))
