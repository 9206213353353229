#!/usr/bin/env python3
"""The generator's input: the served document with its one normalisation for the Swift client.

swift-openapi-generator maps `type: number` to Double (Float with `format: float`), which would make prices
and discounts inexact in Swift. Every non-integer number therefore refers to a `Decimal` schema, which the
generator config (Sources/ScontoClient/openapi-generator-config.yaml) overrides with ExactNumber (Foundation.Decimal).
Parameters keep their numbers: the runtime's URI coder has no Decimal.
`deprecated` markers are dropped: the generated code itself refers to the deprecated schemas (e.g. an achievement's
`periodEndOverride`), and every such use would be a compiler warning in our own target.
Usage: client_input.py SERVED_DOCUMENT OUTPUT
"""
import json
import sys


def exact_numbers(value):
    if isinstance(value, list):
        return [exact_numbers(child) for child in value]
    if not isinstance(value, dict):
        return value
    if value.get("type") == "number":
        return {"$ref": "#/components/schemas/Decimal"}
    return {key: child if key == "parameters" else exact_numbers(child) for key, child in value.items()
            if not (key == "deprecated" and child is True)}


document = json.load(open(sys.argv[1]))
document = exact_numbers(document)
document["components"]["schemas"]["Decimal"] = {"type": "number"}
json.dump(document, open(sys.argv[2], "w"), sort_keys=True, indent=1)
