"""Fixtures: three `sconto serve` nodes on one database (see sconto_server.Cluster) for the whole module."""
import os
import sys

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "support"))

from sconto_server import Admin, Cluster  # noqa: E402


@pytest.fixture(scope="module")
def cluster():
    cluster = Cluster(3)
    yield cluster
    codes = cluster.stop()
    assert all(code in (0, None) for code in codes), codes


@pytest.fixture(scope="module")
def admin(cluster):
    return Admin(cluster.nodes[0].base_url)
