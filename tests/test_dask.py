"""`kg build --scheduler tcp://HOST:PORT`: extraction on a real Dask distributed cluster (a
`dask scheduler` and two `dask worker` processes started here on loopback), resolution and loading
on the client; the result equals a local build."""
from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.facts import facts
from kg.store import KGStore

from conftest import REPO, SEEDS

distributed = pytest.importorskip("distributed", reason="dask[distributed] is not installed")
DASK = shutil.which("dask")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def cluster():
    """tcp://127.0.0.1:PORT of a scheduler with two single-threaded workers, all real processes."""
    assert DASK, "the `dask` command (dask[distributed]) is not on PATH"
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    address = f"tcp://127.0.0.1:{port}"
    # each in a session of its own: a dask process signals its whole process group when it stops,
    # which must not reach the test runner
    procs = [subprocess.Popen([DASK, "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"],
                              env=env, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              start_new_session=True)]
    procs += [subprocess.Popen([DASK, "worker", address, "--nworkers", "1", "--nthreads", "1", "--no-dashboard",
                                "--name", f"kg-test-worker-{i}"], env=env, cwd=REPO, start_new_session=True,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for i in range(2)]
    try:
        client = distributed.Client(address, timeout="120s")
        client.wait_for_workers(2, timeout=300)
        client.close()
        yield address
    finally:
        for p in reversed(procs):
            os.killpg(p.pid, signal.SIGTERM)  # the group of this one process we started, and its children
        for p in procs:
            try:
                p.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)
                p.wait()


def loaded_models(address: str) -> dict[str, int]:
    """How many workers have loaded the spaCy model (so did the parsing)."""
    def models() -> int:
        import kg.pipeline

        return kg.pipeline.build_pipeline.cache_info().currsize  # the model and the kg components

    client = distributed.Client(address, timeout="60s")
    try:
        return client.run(models)
    finally:
        client.close()


def test_a_build_on_the_cluster_equals_a_local_build(cluster, seeds_store, tmp_path):
    assert sum(loaded_models(cluster).values()) == 0
    result = CliRunner().invoke(main, ["build", str(SEEDS), "--store", str(tmp_path / "store"),
                                       "--scheduler", cluster], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "SHACL: the graph conforms" in result.stdout
    assert sum(loaded_models(cluster).values()) >= 1  # the workers parsed the articles
    assert facts(KGStore(tmp_path / "store", read_only=True)) == facts(KGStore(seeds_store, read_only=True))


def test_an_unreachable_scheduler_is_a_clear_error(tmp_path):
    address = f"tcp://127.0.0.1:{free_port()}"
    result = CliRunner().invoke(main, ["build", str(SEEDS), "--store", str(tmp_path / "store"),
                                       "--scheduler", address], catch_exceptions=False)
    assert result.exit_code == 1
    assert f"cannot reach the Dask scheduler at {address}" in result.stderr
    assert "Traceback" not in result.output
