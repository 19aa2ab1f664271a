"""Browser-test harness: a graph store, the real app under waitress on a free port, Debian's
Chromium driven by Playwright, and a guard that fails any test whose page asked a host other
than 127.0.0.1.

Data: with the pipeline present (`kg.cli`), the seeds plus one hostile article are built with
`kg build`; before it lands (or with KG_UI_DATA=fixture), tests/fixtures/ui.trig is loaded.
"""
from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from ui_harness import CHROMIUM, CHROMIUM_ARGS, ROOT, SHOTS, XSS_ARTICLE  # noqa: F401

playwright_api = pytest.importorskip("playwright.sync_api")

def data_mode() -> str:
    mode = os.environ.get("KG_UI_DATA")
    if mode:
        return mode
    return "seeds" if importlib.util.find_spec("kg.cli") else "fixture"


def build_seeds(work: Path) -> Path:
    """`kg build` over the seeds plus an article holding markup, into a fresh store."""
    articles, store = work / "articles", work / "store"
    shutil.copytree(ROOT / "seeds", articles)
    (articles / "zz_hostile_markup.txt").write_text(XSS_ARTICLE, encoding="utf-8")
    cmd = [sys.executable, "-c", "import sys; from kg.cli import main; sys.exit(main())",
           "build", str(articles), "--store", str(store)]
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, f"kg build failed:\n{done.stdout}\n{done.stderr}"
    return store


def load_fixture(work: Path) -> Path:
    import pyoxigraph as ox
    from kg.store import KGStore
    store = KGStore(work / "store")
    store.store.load(path=str(ROOT / "tests" / "fixtures" / "ui.trig"), format=ox.RdfFormat.TRIG)
    store.flush()
    del store
    return work / "store"


@pytest.fixture(scope="session")
def store_dir(tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("kg-ui")
    return build_seeds(work) if data_mode() == "seeds" else load_fixture(work)


@pytest.fixture(scope="session")
def kg(store_dir):
    """The test's own read-only view of the store, to compute what the pages must show."""
    from kg.store import KGStore
    return KGStore(store_dir, read_only=True)


class Server:
    """The real app (endpoint + UI) on the server `kg serve` runs (kg.web.server: waitress with
    its guards, the answer cache and the lookups on the loop thread), on 127.0.0.1 and a free
    port, in a thread."""

    def __init__(self, store_dir: Path):
        from kg.web.app import create_app
        from kg.web.server import BackgroundServer
        self.app = create_app(store_dir, workers=2)
        self.srv = BackgroundServer(self.app, threads=6).__enter__()
        self.url = self.srv.url

    def close(self) -> None:
        self.srv.stop()  # its channels closed before the loop ends, then the workers


@pytest.fixture(scope="session")
def server(store_dir):
    srv = Server(store_dir)
    yield srv.url
    srv.close()


@pytest.fixture(scope="session")
def fixture_store(tmp_path_factory, store_dir) -> Path:
    """tests/fixtures/ui.trig in a store: exact, known conflicts and markup in every field."""
    if data_mode() == "fixture":
        return store_dir
    return load_fixture(tmp_path_factory.mktemp("kg-ui-fixture"))


@pytest.fixture(scope="session")
def fixture_kg(fixture_store):
    from kg.store import KGStore
    return KGStore(fixture_store, read_only=True)


@pytest.fixture(scope="session")
def fixture_server(fixture_store, store_dir, server):
    if fixture_store == store_dir:
        yield server
        return
    srv = Server(fixture_store)
    yield srv.url
    srv.close()


@pytest.fixture(scope="session")
def browser():
    with playwright_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


class Traffic:
    """Every URL the page asked for, and those that were not on this machine's loopback."""

    def __init__(self) -> None:
        self.urls: list[str] = []
        self.outside: list[str] = []
        self.dialogs: list[str] = []

    def route(self, route) -> None:
        url = route.request.url
        self.urls.append(url)
        parts = urlsplit(url)
        if parts.scheme in ("data", "blob", "about") or parts.hostname == "127.0.0.1":
            route.continue_()
        else:
            self.outside.append(url)
            route.abort()


@pytest.fixture
def traffic() -> Traffic:
    return Traffic()


@pytest.fixture
def page(browser, server, traffic):
    """A fresh page whose every request is recorded; the test fails if one left 127.0.0.1."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=server,
                                  accept_downloads=True)
    context.route("**/*", traffic.route)
    pg = context.new_page()
    pg.on("dialog", lambda d: (traffic.dialogs.append(d.message), d.dismiss()))
    pg.set_default_timeout(15_000)
    yield pg
    context.close()
    assert not traffic.outside, f"the page made requests off this machine: {traffic.outside}"
    assert not traffic.dialogs, f"a script opened dialogs (injected markup ran?): {traffic.dialogs}"
