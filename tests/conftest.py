"""Shared fixtures. Keep them generic: several test modules (and engineers) use them."""
from __future__ import annotations

import gc
from pathlib import Path

import pyoxigraph as ox
import pytest

FIXTURES = Path(__file__).parent / "fixtures"
EVENTS_TRIG = FIXTURES / "events.trig"
EVENTS_BASE = "http://localhost:5000/"


def build_store(directory: Path, trig: Path = EVENTS_TRIG, base: str = EVENTS_BASE) -> Path:
    """A real on-disk KGStore at `directory` holding `trig` (relative IRIs resolved on `base`);
    the writable handle is released before returning so servers can open it."""
    from kg.store import KGStore
    store = KGStore(directory, base=base)
    store.store.load(path=str(trig), format=ox.RdfFormat.TRIG, base_iri=base)
    store.flush()
    del store
    gc.collect()
    return directory


@pytest.fixture(scope="session")
def events_store(tmp_path_factory) -> Path:
    """Directory of a KGStore loaded with tests/fixtures/events.trig at the default base."""
    return build_store(tmp_path_factory.mktemp("events-store"))


@pytest.fixture(scope="session")
def events_server(events_store):
    """The real endpoint (waitress on a free port, worker processes) over `events_store`."""
    from kg.web.app import create_app
    from kg.web.server import BackgroundServer
    with BackgroundServer(create_app(events_store, timeout=5.0)) as server:
        yield server
