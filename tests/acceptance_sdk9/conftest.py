import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "support"))

import spec_conformance  # noqa: E402


def pytest_configure(config):
    spec_conformance.register(config)
