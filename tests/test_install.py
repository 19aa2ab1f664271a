"""`pip install .` (a wheel, not editable) into a fresh virtualenv works from another directory:
the package carries queries/, ontology/ and the web assets (issue 10, "a package that installs").

The virtualenv sees the machine's site-packages for the heavy dependencies (spaCy and its
model, pyoxigraph, ...; nothing is downloaded), and pip resolves kg's declared dependencies
against them with --no-index, so a dependency missing from pyproject.toml still fails here."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
import requests

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"


def _run(args: list, cwd: Path, env: dict, timeout: float = 600) -> subprocess.CompletedProcess:
    result = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True,
                            text=True, timeout=timeout)
    assert result.returncode == 0, f"{args}: {result.stdout[-2000:]}\n{result.stderr[-2000:]}"
    return result


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    _run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", out, REPO], out, env)
    return next(out.glob("kg-*.whl"))


def test_the_wheel_carries_every_package_and_data_file(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {str(p.relative_to(REPO)) for p in (REPO / "kg").rglob("*")
                if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"}
    expected |= {f"kg/data/queries/{p.name}" for p in (REPO / "queries").glob("*.rq")}
    expected |= {f"kg/data/ontology/{p.name}" for p in (REPO / "ontology").glob("*.ttl")}
    missing = sorted(expected - names)
    assert not missing, f"not in the wheel (add them to pyproject.toml): {missing[:20]}"


def test_fresh_virtualenv_builds_queries_and_serves_from_another_directory(wheel, tmp_path):
    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", "--system-site-packages", venv], tmp_path, dict(os.environ))
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    python = venv / "bin" / "python"
    _run([python, "-m", "pip", "install", "-q", "--no-index", "--find-links", wheel.parent,
          "--force-reinstall", "--no-deps", wheel], tmp_path, env)
    _run([python, "-m", "pip", "check"], tmp_path, env)  # declared dependencies are all present
    work = tmp_path / "elsewhere"
    work.mkdir()
    where = _run([python, "-c", "import kg, kg.data as d; print(kg.__file__); print(d.data_path('queries'))"],
                 work, env).stdout.split()
    assert all(str(venv) in line for line in where), where  # the installed copy, not the checkout
    articles = work / "articles"
    articles.mkdir()
    for path in sorted(SEEDS.glob("*.txt"))[:2]:
        shutil.copy(path, articles / path.name)
    kg = venv / "bin" / "kg"
    _run([kg, "build", articles, "--store", work / "store"], work, env)
    listed = _run([kg, "queries"], work, env).stdout
    assert "timeline" in listed and "meetings" in listed
    _run([kg, "query", "ASK { ?s ?p ?o }", "--store", work / "store"], work, env)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen([kg, "serve", "--store", work / "store", "--port", str(port),
                               "--workers", "1"], cwd=work, env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True)
    try:
        url = f"http://127.0.0.1:{port}"
        end = time.monotonic() + 120
        while True:
            try:
                ask = requests.get(url + "/sparql", params={"query": "ASK { ?s ?p ?o }"}, timeout=10)
                break
            except requests.ConnectionError:
                assert server.poll() is None and time.monotonic() < end, server.stdout.read()
                time.sleep(0.3)
        assert ask.status_code == 200 and ask.json()["boolean"] is True
        for path in ("/queries", "/queries/meetings", "/ontology", "/export.ttl", "/", "/openapi.json"):
            r = requests.get(url + path, timeout=60)
            assert r.status_code == 200, (path, r.status_code, r.text[:300])
    finally:
        server.terminate()
        server.wait(20)
