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
def kg_store_builder():
    """`build_store` for tests that need a store of their own (other trig, other base). A
    fixture, not an import: several conftest.py modules exist, `import conftest` is ambiguous."""
    return build_store


@pytest.fixture(scope="session")
def events_store(tmp_path_factory) -> Path:
    """Directory of a KGStore loaded with tests/fixtures/events.trig at the default base."""
    return build_store(tmp_path_factory.mktemp("events-store"))


UPDATE_TOKEN = "s3cret"  # the bearer token of `update_server`


@pytest.fixture
def update_server(events_store, tmp_path):
    """The real endpoint with SPARQL Update on (token UPDATE_TOKEN), over a copy of `events_store`."""
    import shutil

    from kg.web.app import create_app
    from kg.web.server import BackgroundServer
    shutil.copytree(events_store, tmp_path / "store")
    with BackgroundServer(create_app(tmp_path / "store", allow_update=True, update_token=UPDATE_TOKEN,
                                     timeout=5, workers=1)) as server:
        yield server


@pytest.fixture(scope="session")
def events_server(events_store):
    """The real endpoint (waitress on a free port, worker processes) over `events_store`."""
    from kg.web.app import create_app
    from kg.web.server import BackgroundServer
    with BackgroundServer(create_app(events_store, timeout=5.0)) as server:
        yield server


# -- the pipeline on the seeds (tests/test_pipeline.py, test_build.py, test_cli.py, test_evaluate.py) --
REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"
GOLD = REPO.parent / "shared" / "eval" / "seeds.gold.json"


@pytest.fixture(scope="session")
def seeds_store(tmp_path_factory) -> Path:
    """Directory of a KGStore built from seeds/ with the real pipeline (in-process, built once per
    session; the write handle is released, so open it read-only or copy the folder to change it)."""
    from kg.build import build
    from kg.store import KGStore

    directory = tmp_path_factory.mktemp("seeds-store")
    store = KGStore(directory)
    report = build(store, [SEEDS])
    assert report.ok and len(report.added) == len(list(SEEDS.glob("*.txt"))), report
    del store
    gc.collect()
    return directory


@pytest.fixture(scope="session")
def gold_path() -> Path:
    """../shared/eval/seeds.gold.json (CI has ../shared beside the repo)."""
    if not GOLD.exists():
        pytest.skip(f"no gold file at {GOLD}: ../shared/eval is not beside the repository")
    return GOLD
