"""An auditor's check of a release-ledger tlog proof (c2sp.org/tlog-proof@v1) that shares no code with
release-ledger: Python's hashlib and the `cryptography` package (pip install cryptography) only.
    python3 verify_tlog_proof.py VERIFIER_KEY event.tlog-proof
Exit 0 and "ok: ..." when the checkpoint is signed by the key and the event is in its tree."""
import base64, hashlib, sys
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

vkey, text = sys.argv[1], open(sys.argv[2], encoding="utf-8").read()
name, keyid, material = vkey.split("+", 2)
raw = base64.b64decode(material, validate=True)
assert raw[0] == 1 and len(raw) == 33, "not an Ed25519 verifier key"
assert hashlib.sha256(name.encode() + b"\n" + raw).digest()[:4].hex() == keyid, "key id does not match"

proof_part, checkpoint = text.split("\n\n", 1)
lines = proof_part.split("\n")
assert lines[0] == "c2sp.org/tlog-proof@v1"
extra = base64.b64decode(lines[1].removeprefix("extra "))
index = int(lines[2].removeprefix("index "))
path = [base64.b64decode(line) for line in lines[3:]]

# The checkpoint: note text, blank line, signature lines "— name base64(keyid || signature)".
body, signatures = checkpoint.rsplit("\n\n", 1)
body += "\n"
ok = False
for line in signatures.strip("\n").split("\n"):
    dash, signer, sig = line.split(" ")
    blob = base64.b64decode(sig)
    if signer == name and blob[:4].hex() == keyid:
        Ed25519PublicKey.from_public_bytes(raw[1:]).verify(blob[4:], body.encode())  # raises if forged
        ok = True
assert ok, "no signature by this key"
origin, size, root = body.split("\n")[:3]
size, root = int(size), base64.b64decode(root)

# RFC 9162 section 2.1.3.2: recompute the root from the leaf and the path.
node = lambda l, r: hashlib.sha256(b"\x01" + l + r).digest()
leaf = hashlib.sha256(b"\x00" + extra).digest()
fn, sn, r = index, size - 1, leaf
for p in path:
    assert sn != 0, "proof too long"
    if fn & 1 or fn == sn:
        r = node(p, r)
        if not fn & 1:
            while fn & 1 == 0 and fn != 0:
                fn >>= 1; sn >>= 1
    else:
        r = node(r, p)
    fn >>= 1; sn >>= 1
assert sn == 0 and r == root, "the proof does not lead to the signed root"
print(f"ok: entry {index} is in {origin} at size {size}")
