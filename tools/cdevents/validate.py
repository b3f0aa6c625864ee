#!/usr/bin/env python3
"""Validate CDEvents (JSON Lines) against the official CDEvents 0.5.1 JSON schemas.

usage: validate.py SPEC_DIR EVENTS.jsonl

Every schema under SPEC_DIR/schemas (links/ included) is preloaded into a `referencing`
registry by its `$id`, so `$ref: links/embeddedlinksarray` resolves without the network.
Each event is checked against the schema whose `context.type` enum names its type;
`dev.cdeventsx.*` events against the spec's custom-event schema (custom/schema.json, which
the spec folder here does not ship; rebuilt below with the 0.5 context's `specversion`).
Prints one line per problem and exits 1 if there is any.
"""
import json
import pathlib
import re
import sys
import urllib.parse

import jsonschema
from referencing import Registry, Resource

BASE = "https://cdevents.dev/0.5.1/schema/"

CUSTOM = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": BASE + "custom",
    "type": "object",
    "additionalProperties": False,
    "required": ["context", "subject"],
    "properties": {
        "context": {
            "type": "object",
            "additionalProperties": False,
            "required": ["specversion", "id", "source", "type", "timestamp"],
            "properties": {
                "specversion": {"type": "string", "minLength": 1},
                "id": {"type": "string", "minLength": 1},
                "source": {"type": "string", "minLength": 1, "format": "uri-reference"},
                "type": {"type": "string",
                         "pattern": r"^dev\.cdeventsx\.[a-zA-Z0-9]+-[a-zA-Z]+\.[a-zA-Z]+\.[0-9]\.[0-9]\.[0-9]$"},
                "timestamp": {"type": "string", "format": "date-time"},
                "schemaUri": {"type": "string", "minLength": 1, "format": "uri"},
                "chainId": {"type": "string", "minLength": 1},
                "links": {"$ref": "links/embeddedlinksarray"},
            },
        },
        "subject": {
            "type": "object",
            "additionalProperties": False,
            "required": ["id", "type", "content"],
            "properties": {
                "id": {"type": "string", "minLength": 1},
                "source": {"type": "string", "minLength": 1, "format": "uri-reference"},
                "type": {"type": "string", "pattern": r"^[a-zA-Z0-9]+-[a-zA-Z]+$"},
                "content": {"type": "object", "additionalProperties": True},
            },
        },
        "customData": {"oneOf": [{"type": "object"}, {"type": "string", "contentEncoding": "base64"}]},
        "customDataContentType": {"type": "string"},
    },
}

# jsonschema checks uri formats only with optional packages; these small checks keep them enforced.
FORMATS = jsonschema.FormatChecker()


@FORMATS.checks("uri-reference")
def is_uri_reference(value):
    return not isinstance(value, str) or (not re.search(r"[\s\x00-\x1f\x7f<>\"{}|\\^`]", value)
                                          and urllib.parse.urlsplit(value) is not None)


@FORMATS.checks("uri")
def is_uri(value):
    return not isinstance(value, str) or (is_uri_reference(value) and re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", value))


def main(spec_dir, events_path):
    schemas = pathlib.Path(spec_dir, "schemas")
    files = sorted(schemas.glob("*.json")) + sorted(schemas.glob("links/*.json"))
    resources, by_type = [], {}
    for path in files:
        schema = json.loads(path.read_text())
        resources.append((schema["$id"], Resource.from_contents(schema)))
        for event_type in schema.get("properties", {}).get("context", {}).get("properties", {}).get("type", {}).get("enum", []):
            by_type[event_type] = schema
    resources.append((CUSTOM["$id"], Resource.from_contents(CUSTOM)))
    registry = Registry().with_resources(resources)
    if len(files) < 2 or not by_type:
        print(f"no schemas under {schemas}")
        return 1
    problems = 0
    lines = pathlib.Path(events_path).read_text().splitlines()
    for number, line in enumerate(lines, 1):
        event = json.loads(line)
        event_type = event.get("context", {}).get("type", "")
        schema = CUSTOM if event_type.startswith("dev.cdeventsx.") else by_type.get(event_type)
        if schema is None:
            print(f"line {number}: no official schema for type {event_type!r}")
            problems += 1
            continue
        validator = jsonschema.Draft202012Validator(schema, registry=registry, format_checker=FORMATS)
        for error in validator.iter_errors(event):
            print(f"line {number} ({event_type}): {'/'.join(map(str, error.absolute_path))}: {error.message}")
            problems += 1
    print(f"{len(lines)} events checked against {len(files)} schemas: {problems} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        print(__doc__)
        sys.exit(64)
    sys.exit(main(sys.argv[1], sys.argv[2]))
