"""Pytest plugin: every response Sconto gives the acceptance tests must match Talon.One's published spec.

It wraps urllib3's `HTTPConnectionPool.urlopen`, the layer both official SDKs and `requests` go through, so no test
has to opt in. For each response from the Sconto under test (a loopback address) it finds the spec operation by
method and path (Integration and Management API), then validates the body for that status with JSON Schema
2020-12 (OpenAPI 3.1's dialect), date-time formats included. A status the operation does not declare must be an
error (4xx/5xx) in Talon.One's error shape. A violation fails the test that caused it, naming the operation, the
status and the JSON pointer of each mismatch. Operations Sconto adds on top of Talon.One are listed in
`EXTENSIONS` and validated against the contract Sconto declares for them (scripts/openapi/sconto-operations.yaml, as
the server under test serves it at `/openapi.json`); a request that is neither in the spec nor listed fails too, so a
new endpoint cannot slip past unchecked.
"""
import io
import json
import re
from urllib.parse import urlsplit

import pytest
import urllib3
from jsonschema import Draft202012Validator
from urllib3.connectionpool import HTTPConnectionPool

from talon_spec import Spec, dump, json_pointer, template_pattern

LOOPBACK = {"127.0.0.1", "localhost", "::1"}

# Sconto operations that Talon.One's public spec does not have: held to the schemas Sconto declares for them.
EXTENSIONS = [
    ("GET", "/healthz"),  # liveness probe
    ("GET", "/readyz"),  # readiness probe for load balancers
    ("GET", "/v1/accounts/current/ip_allowlist"),  # Sconto's per-account IP allowlist
    ("PUT", "/v1/accounts/current/ip_allowlist"),
    ("GET", "/metrics"),  # Prometheus text
    ("GET", "/openapi.json"),  # Sconto's own description of what it serves
    ("POST", "/v1/applications"),  # Talon.One creates applications in its web UI only
    ("POST", "/v1/giveaways/pools"),  # Talon.One creates giveaway pools in its web UI only
    ("GET", "/v1/giveaways/pools"),
    ("GET", "/v1/giveaways/pools/{poolId}"),
    ("PUT", "/v1/applications/{applicationId}"),
    ("DELETE", "/v1/applications/{applicationId}"),
    ("POST", "/v1/applications/{applicationId}/api_keys"),  # integration keys: web UI only in Talon.One
    ("GET", "/v1/applications/{applicationId}/api_keys"),
    ("DELETE", "/v1/applications/{applicationId}/api_keys/{apiKeyId}"),
    ("POST", "/v1/management_keys"),  # management keys: web UI only in Talon.One
    ("GET", "/v1/management_keys"),
    ("GET", "/v1/management_keys/{keyId}"),
    ("DELETE", "/v1/management_keys/{keyId}"),
    ("POST", "/v1/applications/{applicationId}/campaigns/{campaignId}/rulesets"),  # writing rules: web UI only
    ("POST", "/v1/applications/{applicationId}/campaigns"),  # the spec creates campaigns from templates only
    # Sconto's batch job status (the spec's createCouponsAsync answers without a pollable batch).
    ("GET", "/v1/applications/{applicationId}/campaigns/{campaignId}/coupons_async/{batchId}"),
    ("GET", "/v1/applications/{applicationId}/campaign_set"),  # evaluation tree: web UI only
    ("PUT", "/v1/applications/{applicationId}/campaign_set"),
    ("POST", "/v1/campaign_groups"),  # changing campaign access groups: web UI only
    ("PUT", "/v1/campaign_groups/{campaignGroupId}"),
    ("DELETE", "/v1/campaign_groups/{campaignGroupId}"),
    ("POST", "/v1/campaign_templates"),  # making templates: web UI only in Talon.One
    ("POST", "/v1/password_changes"),  # Talon.One changes passwords by e-mail only
    ("POST", "/v1/loyalty_programs"),  # loyalty programs: created and changed in Talon.One's web UI only
    ("PUT", "/v1/loyalty_programs/{loyaltyProgramId}"),
    ("DELETE", "/v1/loyalty_programs/{loyaltyProgramId}"),
    ("POST", "/v1/catalogs"),  # cart item catalogs: created in Talon.One's web UI only
    ("POST", "/v1/webhooks"),  # making webhooks: web UI only in Talon.One
    ("PUT", "/v1/webhooks/{webhookId}"),
    ("DELETE", "/v1/webhooks/{webhookId}"),
    ("GET", "/v1/webhooks/{webhookId}/logs"),  # Sconto's log of delivery attempts
]
_EXTENSION_PATTERNS = [(method, template_pattern(template)) for method, template in EXTENSIONS]


def is_extension(method, path):
    return any(method == known and pattern.match(path) for known, pattern in _EXTENSION_PATTERNS)


class SpecConformance:
    def __init__(self, spec=None):
        self.spec = spec or Spec()
        self.validators = {}
        self.violations = []  # found since the current test phase began
        self.all_violations = []
        self.validated = 0
        self.unchecked = 0
        self.extensions_validated = 0
        self.extension_operations = set()
        self._contract = None  # Sconto's served OpenAPI document, fetched once (every server runs the same binary)
        self.operations = set()
        self._original = None

    # --- the urllib3 hook -------------------------------------------------------------------------------------

    def install(self):
        original = self._original = HTTPConnectionPool.urlopen
        plugin = self

        def urlopen(pool, method, url, *args, **kwargs):
            response = original(pool, method, url, *args, **kwargs)
            if pool.host.strip("[]") not in LOOPBACK:
                return response
            response, body = _readable(response, method)
            path = urlsplit(url).path
            if is_extension(method.upper(), path):
                plugin.check_extension(method.upper(), path, response.status, body,
                                       lambda: plugin.contract(lambda: original(pool, "GET", "/openapi.json")))
            else:
                plugin.check(method.upper(), path, response.status, body)
            return response

        HTTPConnectionPool.urlopen = urlopen

    def uninstall(self):
        if self._original is not None:
            HTTPConnectionPool.urlopen = self._original

    # --- validation -------------------------------------------------------------------------------------------

    def contract(self, fetch):
        """Sconto's own OpenAPI document (`GET /openapi.json`): the declared shapes of its extension operations."""
        if self._contract is None:
            response = fetch()
            document = json.loads(response.data)
            paths = [(template, template_pattern(template), item) for template, item in document["paths"].items()]
            paths.sort(key=lambda entry: -len(re.sub(r"\{[^}]+\}", "", entry[0])))
            self._contract = (document, paths)
        return self._contract

    def check_extension(self, method, path, status, body, contract):
        """A Sconto extension's response against the schema Sconto declares for it (refs resolve in that document)."""
        document, paths = contract()
        declared_operation = next((item[method.lower()] for template, pattern, item in paths
                                   if pattern.match(path) and method.lower() in item), None)
        if declared_operation is None:
            return self.fail(f"{method} {path} → {status}: a Sconto extension that /openapi.json does not declare "
                             "(add it to scripts/openapi/sconto-operations.yaml)")
        name = f"{declared_operation.get('operationId', path)} ({method} {path}) → {status}"
        responses = declared_operation.get("responses", {})
        declared = next((responses[key] for key in (str(status), f"{str(status)[0]}XX", "default") if key in responses),
                        None)
        if declared is None:
            if status < 400:
                return self.fail(f"{name}: Sconto's contract declares no {status} for this extension")
            schema = self.spec.error_schema
        else:
            schema = _json_schema(declared)
        if status == 204 or schema is None:
            self.unchecked += 1  # no JSON body declared (text, CSV, Prometheus)
            return
        self.extensions_validated += 1
        self.extension_operations.add(declared_operation.get("operationId", path))
        try:
            instance = json.loads(body) if body else None
        except ValueError:
            return self.fail(f"{name}: body is not JSON: {dump(body.decode(errors='replace'))}")
        rooted = dict(schema, components=document.get("components", {}))  # `#/components/…` resolves in the root
        errors = sorted(self._validator(rooted, key=(name.split(' (')[0], method, status)).iter_errors(instance),
                        key=lambda error: list(error.absolute_path))
        if errors:
            lines = [f"  {json_pointer(error.absolute_path)}: {_describe(error, instance)}" for error in errors[:8]]
            self.fail(f"{name}: response does not match Sconto's declared contract\n" + "\n".join(lines))

    def check(self, method, path, status, body):
        operation = self.spec.operation(method, path)
        if operation is None and status < 400:
            return self.fail(f"{method} {path} → {status}: neither in Talon.One's spec nor listed as a Sconto "
                             "extension in tests/support/spec_conformance.py")
        # An unknown route or method is still an error response, so it must have the error shape.
        name = f"{operation.operation_id} ({method} {operation.template})" if operation else f"{method} {path}"
        name += f" → {status}"
        declared = operation.response(status) if operation else None
        if declared is None and status < 400:
            return self.fail(f"{name}: the spec declares no {status} for this operation")
        self.validated += 1
        self.operations.add(operation.operation_id if operation else "(unknown route)")
        if status == 204:
            if body:
                self.fail(f"{name}: a 204 must have no body, got {dump(body)}")
            return
        schema = _json_schema(declared) if declared is not None else self.spec.error_schema
        if schema is None:
            return
        try:
            document = json.loads(body) if body else None
        except ValueError:
            return self.fail(f"{name}: body is not JSON: {dump(body.decode(errors='replace'))}")
        errors = sorted(self._validator(schema).iter_errors(document), key=lambda error: list(error.absolute_path))
        if errors:
            lines = [f"  {json_pointer(error.absolute_path)}: {_describe(error, document)}" for error in errors[:8]]
            more = f"\n  … and {len(errors) - 8} more" if len(errors) > 8 else ""
            self.fail(f"{name}: response does not match the spec\n" + "\n".join(lines) + more)

    def _validator(self, schema, key=None):
        key = key or id(schema)
        if key not in self.validators:
            self.validators[key] = Draft202012Validator(_python_patterns(schema),
                                                        format_checker=Draft202012Validator.FORMAT_CHECKER)
        return self.validators[key]

    def fail(self, message):
        self.violations.append(message)
        self.all_violations.append(message)

    # --- pytest hooks -----------------------------------------------------------------------------------------

    def _phase(self):
        self.violations = []
        result = yield
        if self.violations:
            found, self.violations = self.violations, []
            raise AssertionError("Talon.One spec conformance:\n" + "\n".join(dict.fromkeys(found)))
        return result

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_setup(self, item):
        return (yield from self._phase())

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_call(self, item):
        return (yield from self._phase())

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_teardown(self, item, nextitem):
        return (yield from self._phase())

    def pytest_terminal_summary(self, terminalreporter):
        terminalreporter.write_line(
            f"spec conformance: {self.validated} responses validated against Talon.One's spec "
            f"({len(self.operations)} operations); {self.extensions_validated} Sconto-extension responses validated against "
            f"Sconto's declared contract ({len(self.extension_operations)} operations), {self.unchecked} without a "
            f"JSON body; "
            f"{len(self.all_violations)} violations")


def _json_schema(response):
    content = (response.get("content") or {}).get("application/json")
    return content.get("schema") if content else None


def _python_patterns(schema):
    """The schema with the spec's POSIX class `[:cntrl:]` (collection names) spelled for Python's `re`, which would
    read it as a set of the letters c, n, t, r, l and refuse every name."""
    if isinstance(schema, dict):
        return {key: (value.replace("[:cntrl:]", "\\x00-\\x1f\\x7f") if key == "pattern" and isinstance(value, str)
                      else _python_patterns(value)) for key, value in schema.items()}
    if isinstance(schema, list):
        return [_python_patterns(item) for item in schema]
    return schema


def _describe(error, document):
    """The mismatch, with the keys of an object missing one and the type of the effect it sits in."""
    message = error.message if len(error.message) <= 300 else error.message[:300] + "…"
    if error.validator == "required" and isinstance(error.instance, dict):
        message += f" (has {sorted(error.instance)})"
    node, effect_type = document, None
    for part in error.absolute_path:
        if isinstance(node, dict) and "effectType" in node:
            effect_type = node["effectType"]
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            break
    return message + (f" [in a {effect_type} effect]" if effect_type else "")


def _readable(response, method):
    """The response's decoded body, leaving the caller a response it can still read from start to end."""
    if response._body is not None or response._fp is None:
        return response, response.data or b""
    raw = response.read(decode_content=False)
    response.release_conn()
    copy = urllib3.HTTPResponse(
        body=io.BytesIO(raw), headers=response.headers, status=response.status, version=response.version,
        reason=response.reason, preload_content=False, decode_content=response.decode_content,
        request_method=method, retries=response.retries, enforce_content_length=False)
    decoded = urllib3.HTTPResponse(body=io.BytesIO(raw), headers=response.headers, preload_content=True).data
    return copy, decoded or b""


def register(config):
    """Called from a suite's conftest: installs the hook for the whole run."""
    plugin = SpecConformance()
    plugin.install()
    config.pluginmanager.register(plugin, "sconto-spec-conformance")
    config.add_cleanup(plugin.uninstall)
