"""The README's screenshots of the UI, from a running server (a dev-set graph):
`python3 tests/ui/readme_shots.py http://127.0.0.1:5000 timeline network ...` writes docs/img/<name>.png.
Each picture is taken once the page says it is drawn (data-ready), never after a fixed pause."""
from __future__ import annotations

import sys

from playwright.sync_api import sync_playwright

from ui_harness import CHROMIUM, CHROMIUM_ARGS, ROOT

READY = "() => document.querySelector('{}')?.dataset.ready === '1'"


def search(page) -> None:
    page.goto("/browse")
    box = page.locator("#site-search")
    box.click()
    box.type("obam", delay=40)
    page.locator("#site-search-list [role=option]").first.wait_for()


def browse_facets(page) -> None:
    page.goto("/browse/events?min_sources=2")


def timeline(page) -> None:
    page.goto("/timeline")
    page.wait_for_function(READY.format("#timeline"), timeout=60_000)


def network(page) -> None:
    page.goto("/network")
    page.wait_for_function(READY.format("#network"), timeout=60_000)
    page.locator("details summary", has_text="Ties as a list").click()
    page.locator(".tie-button").first.click()
    page.wait_for_function("() => document.getElementById('tie-panel').dataset.b", timeout=60_000)
    page.locator("details summary", has_text="Ties as a list").click()
    page.locator(".type-filter").scroll_into_view_if_needed()


SHOTS = {"search": search, "browse-facets": browse_facets, "timeline": timeline, "network": network}


def main(base: str, names: list[str]) -> None:
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for name in names or list(SHOTS):
            page = browser.new_page(viewport={"width": 1280, "height": 800}, base_url=base)
            SHOTS[name](page)
            page.screenshot(path=str(ROOT / "docs" / "img" / f"{name}.png"))
            page.close()
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
