#!/usr/bin/env python3
"""Checks a GoLive proof bundle with no GoLive installed: Python's standard library for the
chain, OpenSSH's `ssh-keygen -Y verify` for every signature. Run it in the bundle's folder
(or pass the folder): exit 0 when everything holds, 1 naming the first bad record's seq.

What it checks, and where each rule comes from, is in README.md next to it."""

import base64
import hashlib
import json
import os
import subprocess
import sys
import tempfile

GENESIS = "0" * 64
HASH_MARK = b',"hash":"'
SIG_MARK = b',"sig":"'
NAMESPACE = "golive"
# Records that are decisions (GoLive's SignaturePolicy.decisionKinds): in a rollout with
# identity: signed each carries its actor's signature, except the levers (hold, rollback).
DECISIONS = {
    "item.set", "item.evidence", "canary.approved", "contour.signed_off", "item.waived",
    "canary.transition_started", "canary.transition_done", "canary.transition_failed",
    "canary.outcome_unknown", "canary.held", "canary.resumed", "canary.reconciled",
    "config.adopted", "config.proposed", "config.approved", "journal.set_aside",
}
TRANSITIONS = {"canary.transition_started", "canary.transition_done", "canary.transition_failed", "canary.outcome_unknown"}
APPROVALS = {"canary.approved", "config.approved", "contour.signed_off"}
MEMBER_TOUCH = APPROVALS | {"config.proposed", "config.adopted"}


def safe(text):
    """What reaches the terminal: no control characters from the records (an actor named with an
    escape sequence prints as '?', never as a command to the auditor's terminal)."""
    return "".join("?" if ord(c) < 0x20 or 0x7f <= ord(c) < 0xa0 else c for c in str(text))


class Bad(Exception):
    def __init__(self, seq, message):
        super().__init__(message)
        self.seq = seq
        self.message = message


def wire_string(b, at):
    if at + 4 > len(b):
        raise ValueError("truncated")
    n = int.from_bytes(b[at:at + 4], "big")
    if at + 4 + n > len(b):
        raise ValueError("truncated")
    return b[at + 4:at + 4 + n], at + 4 + n


def read_signature(text):
    """An SSHSIG blob's public key and, for a FIDO2 key, the flags it signed (PROTOCOL.sshsig, PROTOCOL.u2f)."""
    blob = base64.b64decode(text, validate=True)
    if blob[:6] != b"SSHSIG":
        raise ValueError("not an SSH signature")
    at = 10
    key, at = wire_string(blob, at)
    namespace, at = wire_string(blob, at)
    _, at = wire_string(blob, at)
    _, at = wire_string(blob, at)
    sig, at = wire_string(blob, at)
    algorithm, sat = wire_string(sig, 0)
    _, sat = wire_string(sig, sat)
    flags = None
    if algorithm.startswith(b"sk-") or algorithm.startswith(b"webauthn-sk-"):
        flags = sig[sat]
    key_type, _ = wire_string(key, 0)
    return {"key": key, "type": key_type.decode(), "namespace": namespace.decode(), "flags": flags,
            "fingerprint": "SHA256:" + base64.b64encode(hashlib.sha256(key).digest()).decode().rstrip("=")}


def armored(text):
    lines = [text[i:i + 70] for i in range(0, len(text), 70)]
    return "-----BEGIN SSH SIGNATURE-----\n" + "\n".join(lines) + "\n-----END SSH SIGNATURE-----\n"


class Bundle:
    def __init__(self, folder):
        self.folder = folder
        with open(os.path.join(folder, "rosters.json"), encoding="utf-8") as f:
            self.rosters = json.load(f)
        self.adoptions = sorted(self.rosters["adoptions"], key=lambda a: a["seq"])
        self.demo = set(self.rosters.get("demo_keys", []))
        self.work = tempfile.mkdtemp(prefix="golive-verify-")

    def roster(self, seq, own=None):
        """The roster in force at a record: the last adoption before it (the first adoption is judged by its own)."""
        before = [a for a in self.adoptions if a["seq"] < seq]
        if before:
            return before[-1]
        return own

    def ssh_verify(self, payload, signature, principal, members, seq):
        signers = os.path.join(self.work, "allowed_signers")
        with open(signers, "w", encoding="utf-8") as f:
            for m in members:
                for k in m["keys"]:
                    f.write('%s namespaces="%s" %s\n' % (m["id"], NAMESPACE, " ".join(k.split()[:2])))
        sig = os.path.join(self.work, "sig")
        with open(sig, "w", encoding="utf-8") as f:
            f.write(armored(signature))
        run = subprocess.run(["ssh-keygen", "-Y", "verify", "-f", signers, "-I", principal, "-n", NAMESPACE, "-s", sig],
                             input=payload, capture_output=True)
        if run.returncode != 0:
            said = (run.stderr or run.stdout).decode(errors="replace").strip().splitlines()
            raise Bad(seq, "ssh-keygen does not verify it as %s's: %s" % (principal, said[-1] if said else "failed"))


def records(path):
    data = open(path, "rb").read()
    if data and not data.endswith(b"\n"):
        raise Bad(None, "the last line is unfinished (no newline): an interrupted write or a cut file")
    prev, expected = GENESIS, None
    for number, line in enumerate(data.split(b"\n")[:-1], 1):
        i = line.rfind(HASH_MARK)
        if i < 0 or not line.endswith(b'"}'):
            raise Bad(expected, "line %d is not a record" % number)
        stated = line[i + len(HASH_MARK):-2].decode()
        body = line[:i]
        try:
            record = json.loads(line)
        except ValueError:
            raise Bad(expected, "line %d is not JSON" % number)
        seq = record.get("seq")
        if hashlib.sha256(body).hexdigest() != stated:
            raise Bad(seq, "its hash does not match its bytes: the record was edited")
        if record.get("prev") != prev:
            raise Bad(seq, "it does not follow the record before it: a record was removed, inserted or moved")
        if expected is not None and seq != expected:
            raise Bad(seq, "seq %s where %d was due" % (seq, expected))
        sig = None
        if body.endswith(b'"'):
            j = body.rfind(SIG_MARK)
            if j >= 0 and b'"' not in body[j + len(SIG_MARK):-1]:
                sig = (body[:j], body[j + len(SIG_MARK):-1].decode())
        yield seq, stated, record, sig
        prev, expected = stated, seq + 1


def is_lever(record):
    kind = record.get("kind")
    if kind == "canary.held":
        return True
    return kind in TRANSITIONS and ((record.get("data") or {}).get("transition") or {}).get("action") == "rollback"


def main(folder):
    bundle = Bundle(folder)
    by_seq, heads = {}, {}
    signed, keys, demo, touched, unsigned_levers = 0, {}, 0, 0, 0
    set_aside = set()
    count, head = 0, GENESIS
    adoption_at = {a["seq"]: a for a in bundle.adoptions}
    for seq, hash_, record, sig in records(os.path.join(folder, "records.jsonl")):
        count, head = count + 1, hash_
        heads[seq] = hash_
        kind, actor, data = record.get("kind"), record.get("actor"), record.get("data") or {}
        if kind == "journal.set_aside":
            set_aside.update(e["seq"] for e in (data.get("set_aside") or {}).get("records", []))
        own = adoption_at.get(seq)
        if own is not None:
            check_adoption(seq, record, own)
        roster = bundle.roster(seq, own)
        if roster is None:
            if sig is not None:
                raise Bad(seq, "signed before any adoption named a roster")
            continue
        members = roster["members"]
        member = next((m for m in members if m["id"] == actor), None)
        first = roster is own  # the first adoption, judged by its own roster: a signature is not required of it
        if sig is None:
            if roster["identity"] == "signed" and kind in DECISIONS and not first:
                if is_lever(record):
                    unsigned_levers += 1
                elif seq not in set_aside:
                    raise Bad(seq, "%s by %s is not signed; this rollout is identity: signed" % (kind, actor))
            continue
        prefix, text = sig
        try:
            info = read_signature(text)
        except (ValueError, IndexError) as e:
            raise Bad(seq, "its signature cannot be read: %s" % e)
        if member is None:
            raise Bad(seq, "signed by %s for %s, who is not in the roster in force (adopted at seq %d)" % (info["fingerprint"], actor, roster["seq"]))
        if not any(base64.b64decode(k.split()[1]) == info["key"] for k in member["keys"]):
            raise Bad(seq, "claims %s but is signed by %s, which is not %s's key in the roster in force (adopted at seq %d)"
                      % (actor, info["fingerprint"], actor, roster["seq"]))
        if data.get("rollout") != roster["rollout"]:
            raise Bad(seq, "signed for rollout '%s', not '%s'" % (data.get("rollout"), roster["rollout"]))
        bundle.ssh_verify(b"golive record v1\n" + prefix, text, actor, members, seq)
        need = [t for t in (member.get("touch") if kind in MEMBER_TOUCH else None,
                            roster.get("approvals_touch") if kind in APPROVALS else None) if t]
        if need:
            flags = info["flags"]
            if flags is None:
                raise Bad(seq, "%s by %s needs a touch of a hardware key and is signed with a %s key" % (kind, actor, info["type"]))
            if not flags & 0x01:
                raise Bad(seq, "%s by %s: the key was not touched" % (kind, actor))
            if "verified" in need and not flags & 0x04:
                raise Bad(seq, "%s by %s: the key was touched but the person was not verified" % (kind, actor))
        if kind in DECISIONS:
            signed += 1
            keys[info["fingerprint"]] = actor
            if base64.b64encode(info["key"]).decode() in bundle.demo:
                demo += 1
            if info["flags"] is not None and info["flags"] & 0x01:
                touched += 1
    for a in bundle.adoptions:
        if a["seq"] not in heads:
            raise Bad(a["seq"], "rosters.json names an adoption at seq %d, which the records do not hold" % a["seq"])
    vouched = check_checkpoints(bundle, heads, count and max(heads))
    identity = bundle.adoptions[-1]["identity"] if bundle.adoptions else None
    origin = ""
    if identity == "signed" and not vouched:
        origin = "; decisions signed, but its head is vouched for by no checkpoint (a cut tail or a history rewritten before the last signature would pass; use --checkpoint)"
    print(safe("records.jsonl: ok — %d records, chain intact%s, head %s" % (count, origin, head)))
    if identity == "signed":
        touch = "" if touched == 0 else "; %d of them show a touch of a hardware key" % touched
        levers = "" if unsigned_levers == 0 else "; %d hold/rollback record(s) unsigned (allowed: the levers never wait for a key)" % unsigned_levers
        demos = "" if demo == 0 else "; DEMO: %d of them by the published demo keys, which anyone can sign with: they prove nothing" % demo
        print(safe("  decisions: %d signed decision(s) by %d key(s)%s%s%s" % (signed, len(keys), touch, levers, demos)))
    elif identity == "names":
        print("  decisions: identity: names — UNSIGNED: who decided is what each operator typed (--as), not verified")
    else:
        print("  decisions: no adopted configuration in the journal: signatures not judged")
    for line in vouched:
        print(safe("  " + line))


def check_adoption(seq, record, adoption):
    """rosters.json's roster at an adoption is the one the record adopts: the same actor and time,
    and every key it grants written in the adopted rollout.yaml under that member's id."""
    if record.get("kind") != "config.adopted" or record.get("actor") != adoption["by"] or record.get("ts") != adoption["at"]:
        raise Bad(seq, "rosters.json names an adoption here, and the record is not that adoption")
    files = (record.get("data") or {}).get("files") or []
    text = next((f.get("text") or "" for f in files if f.get("path") == "rollout.yaml"), "")
    for m in adoption["members"]:
        if "id: %s" % m["id"] not in text:
            raise Bad(seq, "rosters.json grants %s, whom the adopted rollout.yaml does not name" % m["id"])
        for k in m["keys"]:
            if k.split()[1] not in text:
                raise Bad(seq, "rosters.json grants %s a key the adopted rollout.yaml does not hold" % m["id"])


def check_checkpoints(bundle, heads, last):
    out = []
    folder = os.path.join(bundle.folder, "checkpoints")
    names = sorted(n for n in os.listdir(folder) if n.endswith(".json")) if os.path.isdir(folder) else []
    for name in names:
        with open(os.path.join(folder, name), encoding="utf-8") as f:
            cp = json.load(f)
        seq = cp["seq"]
        if seq not in heads:
            raise Bad(seq, "checkpoints/%s: the records end at seq %d, before this checkpoint's seq %d (head %s… at %s): records were dropped"
                      % (name, last or 0, seq, cp["head"][:12], cp["time"]))
        if heads[seq] != cp["head"]:
            raise Bad(seq, "checkpoints/%s: the records diverge from this checkpoint at or before seq %d (history was rewritten)" % (name, seq))
        if cp.get("sig"):
            roster = [a for a in bundle.adoptions if a["seq"] <= seq]
            if not roster:
                raise Bad(seq, "checkpoints/%s is signed, and no roster was in force at seq %d" % (name, seq))
            payload = "golive checkpoint v1\nrollout %s\nseq %d\nhead %s\ntime %s\n" % (cp["rollout"], seq, cp["head"], cp["time"])
            bundle.ssh_verify(payload.encode(), cp["sig"], cp["signer"], roster[-1]["members"], seq)
        out.append("extends checkpoint seq %d%s" % (seq, " signed by %s" % cp["signer"] if cp.get("sig") else ""))
    return out


if __name__ == "__main__":
    where = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
    try:
        main(where)
    except Bad as bad:
        print(safe("records.jsonl:%s: FAILED — %s" % (bad.seq if bad.seq is not None else "?", bad.message)))
        sys.exit(1)
    except FileNotFoundError as missing:
        print(safe("verify.py: the bundle lacks %s" % missing.filename))
        sys.exit(2)
    except (ValueError, KeyError, TypeError, AttributeError, IndexError) as e:
        # A bundle shaped unlike GoLive's (hand-edited JSON, a record that is not an object): not verified.
        print(safe("records.jsonl:?: FAILED — the bundle cannot be read as GoLive writes it: %r" % e))
        sys.exit(1)
