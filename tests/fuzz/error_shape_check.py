"""A schemathesis check for the fuzz run: every 4xx/5xx answer has Talon.One's error shape, declared or not
(schemathesis's own schema check only covers the statuses an operation declares). Loaded via SCHEMATHESIS_HOOKS."""
import json
import os
import sys

import jsonschema_rs
import schemathesis

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))

from talon_spec import Spec  # noqa: E402

_error_shape = jsonschema_rs.validator_for(Spec().error_schema)


@schemathesis.check
def talon_error_shape(ctx, response, case):
    if response.status_code < 400:
        return None
    try:
        body = json.loads(response.content)
    except ValueError:
        raise AssertionError(f"{response.status_code} body is not JSON: {response.content[:200]!r}")
    problems = [f"/{'/'.join(map(str, error.instance_path))}: {error.message}"
                for error in _error_shape.iter_errors(body)]
    if problems:
        raise AssertionError(f"{response.status_code} body is not Talon.One's error shape: " + "; ".join(problems))
    return None
