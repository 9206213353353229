"""Fixtures: one real server for the whole run, a logged-in admin, a fresh application per test."""
import os
import sys

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "support"))

import talon_one  # noqa: E402
from sconto_server import Admin, Server  # noqa: E402
import spec_conformance  # noqa: E402


def pytest_configure(config):
    spec_conformance.register(config)


@pytest.fixture(scope="session")
def server():
    server = Server()
    yield server
    code = server.stop()
    assert code == 0, f"sconto did not shut down cleanly ({code}):\n{server.logs()}"


@pytest.fixture(scope="session")
def base_url(server):
    return server.base_url


@pytest.fixture(scope="session")
def admin(base_url):
    return Admin(base_url)


@pytest.fixture(scope="session")
def mgmt_api(base_url, admin):
    configuration = talon_one.Configuration(
        host=base_url, api_key={"manager_auth": admin.token}, api_key_prefix={"manager_auth": "Bearer"})
    return talon_one.ManagementApi(talon_one.ApiClient(configuration))


@pytest.fixture
def application(admin):
    return admin.create_application()


@pytest.fixture
def integration_key(admin, application):
    return admin.create_api_key(application["id"])


def integration_client(base_url, key):
    configuration = talon_one.Configuration(
        host=base_url, api_key={"api_key_v1": key}, api_key_prefix={"api_key_v1": "ApiKey-v1"})
    return talon_one.IntegrationApi(talon_one.ApiClient(configuration))


@pytest.fixture
def integration_api(base_url, integration_key):
    return integration_client(base_url, integration_key)
