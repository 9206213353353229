#!/usr/bin/env python3
"""Builds the request and response contract of every operation Sconto serves, for `GET /openapi.json`.

Talon.One-compatible operations take Talon.One's own parameters, request body and responses from its
OpenAPI spec (../shared/reference/talon-one-openapi, one YAML per path); Sconto's extensions take theirs
from scripts/openapi/sconto-operations.yaml. The result is written into
Sources/HTTPAPI/Server/OpenAPIContract.generated.swift, so the binary never reads the spec at run time.

    build_contract.py          rewrite the Swift file
    build_contract.py --check  exit 1 when the committed file differs from what the spec gives (CI)

Needs PyYAML. The operations come from OpenAPIDocument.swift's table, the one list of served routes.
"""
import copy
import json
import pathlib
import re
import sys

import yaml

ROOT = pathlib.Path(__file__).resolve().parents[2]
SPEC = ROOT.parent / "shared" / "reference" / "talon-one-openapi"
TABLE = ROOT / "Sources/HTTPAPI/Server/OpenAPIDocument.swift"
EXTENSIONS = ROOT / "scripts/openapi/sconto-operations.yaml"
OUTPUT = ROOT / "Sources/HTTPAPI/Server/OpenAPIContract.generated.swift"

# Path parameters that are text (integration ids chosen by the shop); any other one is a positive integer id.
TEXT_PARAMETERS = {"customerSessionId", "integrationId", "batchId", "loyaltyCardId", "couponValue"}
# Schema keywords that only document: dropped to keep the served document (and the binary) small.
DOCUMENTATION_KEYWORDS = {"description", "title", "example", "examples", "externalDocs"}
SCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems")
SCHEMA_VALUES = ("items", "not", "additionalProperties", "contains", "propertyNames")


def served_operations():
    """(method, OpenAPI path, operationId) for each row of OpenAPIDocument.operations."""
    rows = re.findall(r'\.init\(\.(\w+), "([^"]+)", "(\w+)"', TABLE.read_text())
    return [(method, re.sub(r":(\w+)", r"{\1}", path), operation_id) for method, path, operation_id in rows]


def talon_operation(method, path):
    name = path.strip("/").replace("/", "-") + ".yaml"
    for api in ("integration-api", "management-api"):
        file = SPEC / api / "paths" / name
        # A path can be in both APIs with different methods (`…/cards`: POST on Integration, GET on Management).
        operation = (yaml.safe_load(file.read_text()) or {}).get(method) if file.exists() else None
        if operation:
            return operation
    return None


def bare_schema(schema):
    """The schema without its documentation keywords (property names are kept, whatever they are)."""
    if not isinstance(schema, dict):
        return schema
    result = {}
    for key, value in schema.items():
        if key in DOCUMENTATION_KEYWORDS:
            continue
        if key == "properties":
            value = {name: bare_schema(child) for name, child in value.items()}
        elif key in SCHEMA_LISTS:
            value = [bare_schema(child) for child in value]
            if key in ("oneOf", "anyOf"):
                # Talon.One lists some alternatives twice (effect props of the same shape, told apart only by
                # their descriptions); one copy each says the same, and generated clients need distinct cases.
                value = [child for index, child in enumerate(value)
                         if canonical(child) not in {canonical(other) for other in value[:index]}]
        elif key in SCHEMA_VALUES:
            value = bare_schema(value)
        result[key] = value
    return result


def bare_contents(contents):
    return {media: {"schema": bare_schema(body.get("schema", {}))} for media, body in (contents or {}).items()}


def contract_of(operation):
    """Parameters, request body and responses of an operation, schemas without their documentation."""
    contract = {"responses": {}}
    parameters = [
        {key: bare_schema(value) if key == "schema" else value
         for key, value in parameter.items() if key not in ("example", "examples")}
        for parameter in operation.get("parameters", [])
    ]
    if parameters:
        contract["parameters"] = parameters
    if "requestBody" in operation:
        body = operation["requestBody"]
        contract["requestBody"] = {"required": body.get("required", False), "content": bare_contents(body["content"])}
        for media in contract["requestBody"]["content"].values():
            # A body Talon.One states as a bare `type: object` (updateAudienceCustomersAttributes: any attributes)
            # is said to be a free-form object, so clients generate a map rather than an empty type.
            schema = media["schema"]
            if schema.get("type") == "object" and not {"properties", "additionalProperties", "allOf", "oneOf"} & set(schema):
                schema["additionalProperties"] = True
    for status, response in operation.get("responses", {}).items():
        answer = {"description": response.get("description", "")}
        if response.get("content"):
            answer["content"] = bare_contents(response["content"])
        contract["responses"][str(status)] = answer
    return contract


def path_parameters(path, given):
    """Talon.One's path parameters where it names them, a typed id otherwise; the query ones as given."""
    names = re.findall(r"{(\w+)}", path)
    by_name = {p["name"]: p for p in given if p.get("in") == "path"}
    result = []
    for name in names:
        schema = {"type": "string"} if name in TEXT_PARAMETERS else {"type": "integer", "minimum": 1}
        result.append(by_name.get(name, {"name": name, "in": "path", "required": True, "schema": schema}))
    return result + [p for p in given if p.get("in") != "path"]


def build():
    extensions = yaml.safe_load(EXTENSIONS.read_text())
    served = served_operations()
    talon = {}
    for method, path, operation_id in served:
        operation = talon_operation(method, path)
        if operation and operation.get("operationId") == operation_id:
            talon[operation_id] = contract_of(operation)
    # Sibling operations that extensions borrow schemas or parameters from, even where Sconto serves them under
    # another operation: looked up by operationId across the served paths.
    for method, path, _ in served:
        for verb in ("get", "post", "put", "delete"):
            operation = talon_operation(verb, path)
            if operation and operation.get("operationId") and operation["operationId"] not in talon:
                talon[operation["operationId"]] = contract_of(operation)

    operations = {}
    for method, path, operation_id in served:
        served_by_talon = talon_operation(method, path)
        if served_by_talon and served_by_talon.get("operationId") == operation_id:
            contract = copy.deepcopy(talon[operation_id])
        elif operation_id in extensions["operations"]:
            own = extensions["operations"][operation_id]
            contract = copy.deepcopy({k: v for k, v in own.items() if not k.startswith("x-")})
            borrowed = own.get("x-talon-parameters")
            if borrowed:
                contract["parameters"] = [p for p in talon[borrowed].get("parameters", []) if p["in"] == "path"]
            contract["responses"] = {key: contract_of({"responses": {key: value}})["responses"][key]
                                     for key, value in contract["responses"].items()}
        else:
            sys.exit(f"{operation_id} ({method.upper()} {path}): neither in Talon.One's spec nor in {EXTENSIONS.name}")
        contract["parameters"] = path_parameters(path, contract.get("parameters", []))
        if not contract["parameters"]:
            del contract["parameters"]
        # Every refusal, whatever its status, comes in Sconto's error shape.
        contract["responses"]["default"] = {
            "description": "Refused: the error names the field or parameter at fault.",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorResponseWithStatus"}}},
        }
        operations[f"{method.upper()} {path}"] = contract
    schemas = dict(extensions["x-schemas"])
    share_repeated_schemas(operations, schemas, {f"{m.upper()} {p}": o for m, p, o in served}, talon_models(extensions, talon))
    return {"operations": operations, "schemas": schemas}


# Talon.One's spec inlines every model wherever it is used (IntegrationStateV2's effects, sessions and profiles
# appear in eight operations). A schema of this many characters or more that occurs twice or more is stated once
# under components/schemas and referred to, which keeps the document and a generated client a fraction the size.
SHARED_SCHEMA_SIZE = 200


def canonical(schema):
    return json.dumps(schema, sort_keys=True)


def is_model(schema):
    return isinstance(schema, dict) and ("properties" in schema or "allOf" in schema or "oneOf" in schema)


def child_schemas(schema, name):
    """(child schema, a name for it, how to put a replacement back) for each schema directly inside this one."""
    for key, child in (schema.get("properties") or {}).items():
        yield child, pascal(key), (schema["properties"], key)
    for key in SCHEMA_LISTS:
        for index, child in enumerate(schema.get(key) or []):
            yield child, f"{name}{key[0].upper()}{key[1:]}{index + 1}", (schema[key], index)
    for key in SCHEMA_VALUES:
        if isinstance(schema.get(key), dict):
            yield schema[key], name + ("Item" if key == "items" else pascal(key)), (schema, key)


def pascal(text):
    return "".join(part[:1].upper() + part[1:] for part in re.split(r"[^A-Za-z0-9]+", text) if part)


def body_schemas(operation_id, contract):
    """(schema, name, slot) for the request body and each response body of an operation."""
    if "requestBody" in contract:
        for body in contract["requestBody"]["content"].values():
            yield body["schema"], pascal(operation_id) + "Request", (body, "schema")
    for status, response in contract["responses"].items():
        for body in (response.get("content") or {}).values():
            yield body["schema"], f"{pascal(operation_id)}Response{pascal(status)}", (body, "schema")


def share_repeated_schemas(operations, schemas, operation_ids, models):
    """Replaces each SDK model (`models`, by name) and each large repeated schema by a reference to it."""
    counts = {}

    def count(schema, name):
        if not isinstance(schema, dict):
            return
        if is_model(schema):
            counts[canonical(schema)] = counts.get(canonical(schema), 0) + 1
        for child, child_name, _ in child_schemas(schema, name):
            count(child, child_name)

    for key, contract in operations.items():
        for schema, name, _ in body_schemas(operation_ids[key], contract):
            count(schema, name)

    names = {canonical(schema): name for name, schema in models.items()}  # canonical text -> component name

    def share(schema, name, slot):
        if not isinstance(schema, dict):
            return
        text = canonical(schema)
        if text in names or (is_model(schema) and counts.get(text, 0) > 1 and len(text) >= SHARED_SCHEMA_SIZE):
            if text not in names:
                unique, number = name, 2
                while unique in schemas or unique in models:
                    unique, number = f"{name}{number}", number + 1
                names[text] = unique
                schemas[unique] = schema
                share_inside(schema, unique)
            slot[0][slot[1]] = {"$ref": f"#/components/schemas/{names[text]}"}
            return
        share_inside(schema, name)

    def share_inside(schema, name):
        for child, child_name, child_slot in list(child_schemas(schema, name)):
            share(child, child_name, child_slot)

    for name, schema in models.items():
        schemas[name] = schema
        share_inside(schema, name)
    for key, contract in operations.items():
        for schema, name, slot in list(body_schemas(operation_ids[key], contract)):
            share(schema, name, slot)


def talon_models(extensions, talon):
    """The SDK models named in sconto-operations.yaml (`x-talon-models`), taken from Talon.One's operations."""
    models = {}
    for name, place in extensions["x-talon-models"].items():
        contract = talon[place["operation"]]
        if "status" in place:
            body = contract["responses"][place["status"]]["content"]["application/json"]
        else:
            body = contract["requestBody"]["content"]["application/json"]
        schema = body["schema"]
        for step in place.get("pointer", "").strip("/").split("/") if place.get("pointer") else []:
            schema = schema[int(step) if isinstance(schema, list) else step]
        models[name] = copy.deepcopy(schema)
    return models

def swift_source(contract):
    text = json.dumps(contract, indent=0, sort_keys=True, ensure_ascii=False)
    return (
        "// Generated by scripts/openapi/build_contract.py from Talon.One's OpenAPI spec and\n"
        "// scripts/openapi/sconto-operations.yaml; do not edit. Rerun the script after changing either.\n\n"
        "/// Parameters, request bodies and responses of the served operations, keyed \"METHOD /path\".\n"
        "enum OpenAPIContract {\n"
        f'    static let json = #"""\n{text}\n"""#\n'
        "}\n"
    )


def main():
    if not SPEC.is_dir():
        sys.exit(f"Talon.One's spec is not at {SPEC}")
    source = swift_source(build())
    if "--check" in sys.argv[1:]:
        if OUTPUT.read_text() != source:
            sys.exit(f"{OUTPUT.relative_to(ROOT)} is stale: run scripts/openapi/build_contract.py")
        print(f"{OUTPUT.relative_to(ROOT)} matches Talon.One's spec and sconto-operations.yaml")
    else:
        OUTPUT.write_text(source)
        print(f"wrote {OUTPUT.relative_to(ROOT)} ({len(source)} bytes)")


if __name__ == "__main__":
    main()
