#!/usr/bin/env python3
"""Folds the generator's nearly empty output files into Types+Operations.swift.

swift-openapi-generator writes the same `public import` lines into every file and silences Swift's warning
about unused ones only from Swift 6.4 on; with 6.3, the files that declare little (APIProtocol, the empty
Components namespaces) warn. Types+Operations.swift uses every import, so their declarations move there.
Usage: merge_generated.py GENERATED_DIRECTORY
"""
import pathlib
import sys

SMALL_FILES = ["Types.swift", "Types+Components.swift", "Types+Components+Parameters.swift",
               "Types+Components+RequestBodies.swift", "Types+Components+Responses.swift",
               "Types+Components+Headers.swift"]
HEADER_PREFIXES = ("//", "#if", "#endif", "@diagnose", "@_spi", "public import", "import")


def declarations(text):
    """The file without the generator's header of comments and imports."""
    lines = text.splitlines(keepends=True)
    start = 0
    while start < len(lines) and lines[start].startswith(HEADER_PREFIXES):
        start += 1
    return "".join(lines[start:])


directory = pathlib.Path(sys.argv[1])
target = directory / "Types+Operations.swift"
merged = target.read_text()
for name in SMALL_FILES:
    file = directory / name
    merged += declarations(file.read_text())
    file.unlink()
target.write_text(merged)
