"""Talon.One's published OpenAPI specs (Integration and Management API), as the yardstick for Sconto's wire shapes.

The specs live outside the repository, at `../shared/reference/talon-one-openapi` from the repo root (one YAML per
path, schemas inline); `SCONTO_TALON_SPEC` overrides that folder. Path files are parsed only when a request needs
them, because the whole set is several megabytes of YAML.
"""
import json
import os
import re
from functools import lru_cache

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
APIS = ("integration-api", "management-api")
METHODS = ("get", "put", "post", "delete", "patch")
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def spec_folder():
    return os.environ.get("SCONTO_TALON_SPEC", os.path.join(ROOT, "..", "shared", "reference", "talon-one-openapi"))


def load_yaml(path):
    with open(path) as handle:
        return yaml.load(handle, Loader=_Loader)


def template_pattern(template):
    """`/v1/applications/{applicationId}` → a regex matching one concrete path."""
    parts = re.split(r"(\{[^}]+\})", template)
    return re.compile("^" + "".join("[^/]+" if part.startswith("{") else re.escape(part) for part in parts) + "$")


class Operation:
    def __init__(self, api, method, template, document):
        self.api = api
        self.method = method
        self.template = template
        self.document = document

    @property
    def operation_id(self):
        return self.document.get("operationId", f"{self.method.upper()} {self.template}")

    def response(self, status):
        """The declared response for a status (exact code, then `4XX`-style range, then `default`), or None."""
        responses = self.document.get("responses", {})
        for key in (str(status), f"{str(status)[0]}XX", "default"):
            if key in responses:
                return responses[key]
        return None


class Spec:
    """Both APIs' paths; operations are matched by method and concrete path, literal segments winning."""

    def __init__(self, folder=None):
        self.folder = folder or spec_folder()
        self.paths = []  # (api, template, pattern, file)
        for api in APIS:
            index = load_yaml(os.path.join(self.folder, api, "openapi.yaml"))
            for template, entry in index["paths"].items():
                file = os.path.join(self.folder, api, entry["$ref"])
                self.paths.append((api, template, template_pattern(template), file))
        # More literal segments first, so `/campaigns/no_total` beats `/campaigns/{campaignId}`.
        self.paths.sort(key=lambda item: -len(re.sub(r"\{[^}]+\}", "", item[1])))

    @lru_cache(maxsize=None)
    def path_document(self, file):
        return normalise_quirks(load_yaml(file))

    def operation(self, method, path):
        method = method.lower()
        for api, template, pattern, file in self.paths:
            if pattern.match(path):
                document = self.path_document(file).get(method)
                if document is not None:
                    return Operation(api, method, template, document)
        return None

    def operations(self, api):
        """Every operation of one API: (method, template, operation document)."""
        for path_api, template, _, file in self.paths:
            if path_api == api:
                for method, document in self.path_document(file).items():
                    if method in METHODS:
                        yield method, template, document

    @property
    def error_schema(self):
        """Talon.One's error body (`ErrorResponse`): the 400 schema, which every 4xx without its own must match."""
        operation = self.operation("put", "/v2/customer_sessions/x")
        return operation.response(400)["content"]["application/json"]["schema"]


def normalise_quirks(node):
    """Repairs the published spec's two known defects in place, and only those:

    1. An effect's `props` is a `oneOf` of 35 variants that overlap (rejectCoupon's props also match acceptCoupon's,
       and most variants allow extra fields), so a correct effect matches several and fails `oneOf`. Instead, the
       variant titled like the effect's `effectType` must match (the titles are the effect type names); an effect
       type without a variant only needs object props.
    2. Some `204 No Content` responses declare a JSON body; HTTP forbids a body on 204, so the content is dropped.
    """
    if isinstance(node, dict):
        for key, value in node.items():
            normalise_quirks(value)
        props = node.get("properties", {}).get("props")
        if isinstance(props, dict) and "oneOf" in props and all("title" in variant for variant in props["oneOf"]):
            node["properties"]["props"] = {"type": "object"}
            node.setdefault("allOf", []).extend(
                {"if": {"required": ["effectType"], "properties": {"effectType": {"const": variant["title"]}}},
                 "then": {"properties": {"props": variant}}}
                for variant in props["oneOf"])
        responses = node.get("responses")
        if isinstance(responses, dict) and isinstance(responses.get("204"), dict):
            responses["204"].pop("content", None)
    elif isinstance(node, list):
        for value in node:
            normalise_quirks(value)
    return node


def json_pointer(path):
    """jsonschema's deque path → `/customerSession/coupon` style, for failure messages."""
    return "/" + "/".join(str(part) for part in path) if path else "(root)"


def dump(value, limit=400):
    text = json.dumps(value, default=str)
    return text if len(text) <= limit else text[:limit] + "…"
