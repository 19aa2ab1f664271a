"""Where the package's data lives: `queries/` (saved SPARQL) and `ontology/` (kg.ttl, shapes.ttl).

In a checkout they are folders beside `kg/`; an installed wheel carries them inside the package
as `kg/data/queries` and `kg/data/ontology` (pyproject.toml maps them there), so `pip install .`
works without the checkout and from any directory."""
from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def data_path(name: str) -> Path:
    """The folder `name` ("queries" or "ontology"): inside the installed package, else the
    checkout's folder beside `kg/`."""
    installed = _PACKAGE / name
    return installed if installed.is_dir() else _PACKAGE.parents[1] / name
