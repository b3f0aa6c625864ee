#!/usr/bin/env python3
"""Recompute a release-ledger export's hash chain and check it against its head.

Standard library only. Usage: python3 verify.py [BUNDLE_DIR]  (default: this script's folder).
Prints "OK: ..." and exits 0, or "BAD: position N: ..." naming the first bad position and exits 1.
The layouts mirror Sources/ReleaseLedgerCore/Chain/ChainHasher.swift.
"""
import hashlib
import json
import os
import struct
import sys

GENESIS = "0" * 64
V2_TAG = b"release-ledger chain v2\n"
ESCAPES = {0x22: b'\\"', 0x5C: b"\\\\", 0x08: b"\\b", 0x0C: b"\\f", 0x0A: b"\\n", 0x0D: b"\\r", 0x09: b"\\t"}


def json_string(text):
    """A JSON string as the ledger writes it: escapes for quote, backslash and controls only."""
    out = bytearray(b'"')
    for byte in text.encode("utf-8"):
        if byte in ESCAPES:
            out += ESCAPES[byte]
        elif byte < 0x20:
            out += b"\\u00%02x" % byte
        else:
            out.append(byte)
    return bytes(out + b'"')


def integer(value):
    # Swift's UInt64(bitPattern:): a negative Int64 keeps its two's-complement bits.
    return struct.pack(">Q", value & 0xFFFFFFFFFFFFFFFF)


def counted(text):
    data = text.encode("utf-8")
    return integer(len(data)) + data


def envelope(e):
    """The bytes that are hashed, for chain version 1 or 2."""
    if e["chainVersion"] == 1:
        # Canonical JSON with keys sorted; data and metadata are spliced in as their stored text.
        return b"".join([
            b'{"data":', e["data"].encode("utf-8"), b',"id":', json_string(e["id"]),
            b',"metadata":', e["metadata"].encode("utf-8"), b',"position":', str(e["position"]).encode(),
            b',"previousHash":', json_string(e["previousHash"]), b',"recordedAt":', json_string(e["recordedAt"]),
            b',"sha":', json_string(e["sha"]), b',"stream":', json_string(e["stream"]),
            b',"type":', json_string(e["type"]), b',"typeVersion":', str(e["typeVersion"]).encode(),
            b',"version":', str(e["version"]).encode(), b"}"])
    # Version 2: a tag, integers as 8 big-endian bytes, texts as their length and UTF-8 bytes.
    return b"".join([
        V2_TAG, integer(e["position"]), counted(e["previousHash"]), counted(e["id"]), counted(e["stream"]),
        integer(e["version"]), counted(e["type"]), integer(e["typeVersion"]), counted(e["sha"]),
        counted(e["recordedAt"]), counted(e["data"]), counted(e["metadata"])])


def check(folder):
    """Returns (None, summary) when the chain holds, else (position, problem)."""
    with open(os.path.join(folder, "head.json"), encoding="utf-8") as f:
        head = json.load(f)
    last_hash, last_version, expected = GENESIS, 1, 1
    with open(os.path.join(folder, "events.jsonl"), encoding="utf-8") as f:
        for line in f:
            try:
                e = json.loads(line)
                if not isinstance(e, dict):
                    raise ValueError("not an object")
                for key in ("position", "version", "typeVersion", "chainVersion"):
                    if type(e[key]) is not int:
                        raise ValueError(key + " is not an integer")
                for key in ("id", "stream", "type", "sha", "data", "metadata", "recordedAt", "previousHash", "hash"):
                    if not isinstance(e[key], str):
                        raise ValueError(key + " is not a string")
            except (ValueError, KeyError) as error:
                return expected, "the line is not a complete event (%s)" % error
            if e["position"] != expected:
                return min(expected, e["position"]), "expected position %d, found %d" % (expected, e["position"])
            # Versions never go back: a row moved back to version 1 would use the ambiguous layout.
            if e["chainVersion"] not in (1, 2) or e["chainVersion"] < last_version:
                return expected, "chain version %d does not follow %d" % (e["chainVersion"], last_version)
            if e["previousHash"] != last_hash:
                return expected, "the link to the previous event is broken (previousHash does not match)"
            if hashlib.sha256(envelope(e)).hexdigest() != e["hash"]:
                return expected, "the event's content does not match its hash"
            last_hash, last_version, expected = e["hash"], e["chainVersion"], expected + 1
    last = expected - 1
    if type(head.get("position")) is not int or not isinstance(head.get("hash"), str):
        return last + 1, "head.json has no position and hash"
    if head["position"] > last:
        return last + 1, "events are missing at the end: head.json names position %d, the last event is %d" % (head["position"], last)
    if head["position"] != last or head["hash"] != last_hash:
        return head["position"], "head.json does not match the events (last event %d:%s)" % (last, last_hash)
    return None, "%d events, chain intact, head %d:%s" % (last, last, last_hash)


def main():
    folder = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
    try:
        position, message = check(folder)
    except (OSError, ValueError) as error:
        print("BAD: cannot read the bundle: %s" % error)
        return 1
    if position is None:
        print("OK: " + message)
        return 0
    print("BAD: position %d: %s" % (position, message))
    return 1


if __name__ == "__main__":
    sys.exit(main())
