"""Shared helpers of the browser tests: accessible names, expected answers from the store."""
from __future__ import annotations

import os
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "tests" / "screenshots"
CHROMIUM = os.environ.get("KG_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-default-apps", "--disable-extensions", "--metrics-recording-only"]
XSS_SCRIPT = "<script>alert(1)</script>"
XSS_IMG = '"><img src=x onerror=alert(1)>'
XSS_ARTICLE = (f"date 2025-06-02 Istanbul. Russia and Ukraine held a second round of talks in Istanbul "
               f"on Monday, officials said.\n\nA reader wrote {XSS_SCRIPT} and {XSS_IMG} under the story.\n")

# Every visible control's accessible name (a close approximation of the accname spec) and
# whether the keyboard can reach it; returns the ones that fail either.
UNREACHABLE_OR_UNLABELLED = r"""
() => {
  const sel = 'a[href], button, input:not([type=hidden]), select, textarea, summary, [role=button], [tabindex]:not([tabindex="-1"])';
  function text(el) { return (el.textContent || '').replace(/\s+/g, ' ').trim(); }
  function name(el) {
    const lb = el.getAttribute('aria-labelledby');
    if (lb) return lb.split(/\s+/).map(id => text(document.getElementById(id) || document.createElement('i'))).join(' ').trim();
    const al = (el.getAttribute('aria-label') || '').trim();
    if (al) return al;
    if (el.labels && el.labels.length) { const t = Array.from(el.labels).map(text).join(' ').trim(); if (t) return t; }
    if (/^(INPUT|SELECT|TEXTAREA)$/.test(el.tagName)) return (el.getAttribute('title') || '').trim();
    if (text(el)) return text(el);
    const img = el.querySelector('img[alt]');
    if (img && img.alt.trim()) return img.alt.trim();
    return (el.getAttribute('title') || '').trim();
  }
  const bad = [];
  for (const el of document.querySelectorAll(sel)) {
    if (el.disabled || el.getAttribute('aria-disabled') === 'true') continue;
    if (!el.getClientRects().length || getComputedStyle(el).visibility === 'hidden') continue;
    if (el.closest('[hidden], [aria-hidden=true]')) continue;
    const problems = [];
    if (!name(el)) problems.push('no name');
    if (el.tabIndex < 0) problems.push('not in tab order');
    if (problems.length) bad.push(el.outerHTML.slice(0, 160) + ' :: ' + problems.join(', '));
  }
  return bad;
}
"""

ACTIVE = r"""() => { const e = document.activeElement; if (!e) return '';
  return (e.getAttribute('aria-label') || e.textContent || e.getAttribute('href') || e.id || e.tagName).replace(/\s+/g, ' ').trim().slice(0, 80); }"""


def tab_through(page, steps: int) -> list[str]:
    """What has focus after each Tab press, from the top of the page."""
    seen = []
    for _ in range(steps):
        page.keyboard.press("Tab")
        seen.append(page.evaluate(ACTIVE))
    return seen


def local_path(iri: str, base: str) -> str:
    assert iri.startswith(base), iri
    return "/" + iri[len(base):]


def event_classes() -> str:
    return "kg:Meeting kg:Demand kg:Agreement"


def norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def shot(page, name: str) -> Path:
    """A full-page screenshot into tests/screenshots/ (kept out of git)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
