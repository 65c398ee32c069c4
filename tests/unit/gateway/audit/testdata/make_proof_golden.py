#!/usr/bin/env python3
"""Writes the proof-tampering golden files read by proof_verifier_test.cc.

One file per (case, mutation): inclusion/<case>/<mutation>.txt and
consistency/<case>/<mutation>.txt, each "key: value" lines (hashes in hex,
one "proof:" line per hash, in order) and the expected outcome:
  want: OK | INVALID_ARGUMENT | DATA_LOSS
  want_field: the message prefix naming the offending field
The tree math is an independent RFC 9162 implementation (MTH, PATH, PROOF)
over the certificate-transparency test leaves; it shares no code with
gateway/audit. Run from this directory: ./make_proof_golden.py
"""
import hashlib
import os
import shutil

LEAVES = [bytes.fromhex(h) for h in [
    "", "00", "10", "2021", "3031", "40414243", "5051525354555657",
    "606162636465666768696a6b6c6d6e6f"]]
SOME_HASH = bytes.fromhex(
    "abacaba000000000000000000000000000000000000000000060061e00123456")
EMPTY_ROOT = hashlib.sha256(b"").digest()


def leaf(d): return hashlib.sha256(b"\x00" + d).digest()
def node(l, r): return hashlib.sha256(b"\x01" + l + r).digest()


def split(n):
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def mth(d):
    if len(d) == 0:
        return EMPTY_ROOT
    if len(d) == 1:
        return leaf(d[0])
    k = split(len(d))
    return node(mth(d[:k]), mth(d[k:]))


def path(m, d):
    if len(d) == 1:
        return []
    k = split(len(d))
    if m < k:
        return path(m, d[:k]) + [mth(d[k:])]
    return path(m - k, d[k:]) + [mth(d[:k])]


def subproof(m, d, b):
    n = len(d)
    if m == n:
        return [] if b else [mth(d)]
    k = split(n)
    if m <= k:
        return subproof(m, d[:k], b) + [mth(d[k:])]
    return subproof(m - k, d[k:], False) + [mth(d[:k])]


def inclusion_len(m, n):
    return len(path(m, [b""] * n)) if 0 <= m < n else -1


def consistency_len(m, n):
    if m == n or m == 0:
        return 0
    return len(subproof(m, [b""] * n, True)) if 0 < m < n else -1


def write(dirname, name, fields, proof, want, field):
    os.makedirs(dirname, exist_ok=True)
    with open(os.path.join(dirname, name + ".txt"), "w") as f:
        for k, v in fields:
            f.write("%s: %s\n" % (k, v))
        for h in proof:
            f.write("proof: %s\n" % h.hex())
        f.write("want: %s\n" % want)
        if field:
            f.write("want_field: %s\n" % field)


def inclusion_cases():
    for m, n in [(0, 1), (0, 8), (5, 8), (2, 3), (1, 5)]:
        d = LEAVES[:n]
        root, lh, proof = mth(d), leaf(d[m]), path(m, d)
        name = "leaf%d-size%d" % (m, n)
        out = os.path.join("inclusion", name)

        def emit(mut, index, size, lh_, root_, proof_):
            if not index < size:
                want, field = "INVALID_ARGUMENT", "leaf_index"
            elif len(lh_) != 32:
                want, field = "INVALID_ARGUMENT", "leaf_hash"
            elif len(root_) != 32:
                want, field = "INVALID_ARGUMENT", "root"
            elif len(proof_) != inclusion_len(index, size):
                want, field = "INVALID_ARGUMENT", "proof"
            elif any(len(h) != 32 for h in proof_):
                want, field = "INVALID_ARGUMENT", "proof["
            else:
                want, field = "DATA_LOSS", "root mismatch"
                d2 = LEAVES[:size] if size <= 8 else None
                if (d2 is not None and index < len(d2) and lh_ == leaf(d2[index])
                        and proof_ == path(index, d2) and root_ == mth(d2)):
                    want, field = "OK", ""
            write(out, mut, [("leaf_index", index), ("tree_size", size),
                             ("leaf_hash", lh_.hex()), ("root", root_.hex())],
                  proof_, want, field)

        emit("happy-path", m, n, lh, root, proof)
        emit("leaf-index-minus-1", m - 1 if m else 2**64 - 1, n, lh, root, proof)
        emit("leaf-index-plus-1", m + 1, n, lh, root, proof)
        emit("leaf-index-xor-2", m ^ 2, n, lh, root, proof)
        emit("tree-size-times-2", m, n * 2, lh, root, proof)
        emit("tree-size-div-2", m, n // 2, lh, root, proof)
        emit("wrong-leaf-hash", m, n, SOME_HASH, root, proof)
        emit("short-leaf-hash", m, n, b"WrongLeaf", root, proof)
        emit("empty-tree-root", m, n, lh, EMPTY_ROOT, proof)
        emit("random-root", m, n, lh, SOME_HASH, proof)
        emit("trailing-empty-hash", m, n, lh, root, proof + [b""])
        emit("trailing-root", m, n, lh, root, proof + [root])
        emit("preceding-empty-hash", m, n, lh, root, [b""] + proof)
        emit("preceding-root", m, n, lh, root, [root] + proof)
        for i in range(len(proof)):
            p = list(proof)
            p[i] = bytes([p[i][0] ^ 8]) + p[i][1:]
            emit("proof-%d-bit-3-flipped" % i, m, n, lh, root, p)
        if proof:
            emit("last-hash-removed", m, n, lh, root, proof[:-1])
        if len(proof) > 1:
            emit("hash-inserted", m, n, lh, root,
                 [proof[0], SOME_HASH] + proof[1:])


def consistency_cases():
    for m, n in [(1, 8), (6, 8), (2, 5), (6, 7), (3, 3), (0, 4)]:
        r1, r2 = mth(LEAVES[:m]), mth(LEAVES[:n])
        proof = [] if m in (0, n) else subproof(m, LEAVES[:n], True)
        out = os.path.join("consistency", "size%d-to-size%d" % (m, n))

        def emit(mut, a, b, r1_, r2_, proof_):
            if a > b:
                want, field = "INVALID_ARGUMENT", "first"
            elif len(r1_) != 32:
                want, field = "INVALID_ARGUMENT", "first_root"
            elif len(r2_) != 32:
                want, field = "INVALID_ARGUMENT", "second_root"
            elif len(proof_) != consistency_len(a, b):
                want, field = "INVALID_ARGUMENT", "proof"
            elif any(len(h) != 32 for h in proof_):
                want, field = "INVALID_ARGUMENT", "proof["
            else:
                ok = (b <= 8 and r1_ == mth(LEAVES[:a]) and r2_ == mth(LEAVES[:b])
                      and proof_ == ([] if a in (0, b) else
                                     subproof(a, LEAVES[:b], True)))
                want, field = ("OK", "") if ok else ("DATA_LOSS", "root mismatch")
            write(out, mut, [("first", a), ("second", b),
                             ("first_root", r1_.hex()), ("second_root", r2_.hex())],
                  proof_, want, field)

        emit("happy-path", m, n, r1, r2, proof)
        if m == n or m == 0:
            emit("nonempty-proof", m, n, r1, r2, [SOME_HASH])
            emit("wrong-first-root", m, n, SOME_HASH, r2, proof)
            emit("first-after-second", n + 1, n, r1, r2, proof)
            continue
        emit("first-minus-1", m - 1, n, r1, r2, proof)
        emit("first-plus-1", m + 1, n, r1, r2, proof)
        emit("first-xor-2", m ^ 2, n, r1, r2, proof)
        emit("second-times-2", m, n * 2, r1, r2, proof)
        emit("second-div-2", m, n // 2, r1, r2, proof)
        emit("short-first-root", m, n, b"WrongRoot", r2, proof)
        emit("short-second-root", m, n, r1, b"WrongRoot", proof)
        emit("wrong-first-root", m, n, SOME_HASH, r2, proof)
        emit("wrong-second-root", m, n, r1, SOME_HASH, proof)
        emit("swapped-roots", m, n, r2, r1, proof)
        emit("empty-proof", m, n, r1, r2, [])
        emit("trailing-empty-hash", m, n, r1, r2, proof + [b""])
        emit("trailing-first-root", m, n, r1, r2, proof + [r1])
        emit("preceding-second-root", m, n, r1, r2, [r2] + proof)
        emit("preceding-proof-0", m, n, r1, r2, [proof[0]] + proof)
        emit("last-hash-removed", m, n, r1, r2, proof[:-1])
        for i in range(len(proof)):
            p = list(proof)
            p[i] = bytes([p[i][0] ^ 16]) + p[i][1:]
            emit("proof-%d-bit-4-flipped" % i, m, n, r1, r2, p)


if __name__ == "__main__":
    for d in ("inclusion", "consistency"):
        shutil.rmtree(d, ignore_errors=True)
    inclusion_cases()
    consistency_cases()
