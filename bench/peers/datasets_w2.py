#!/usr/bin/env python3
"""W2's near-duplicate pass the way a data engineer writes it today: datasets_w1.py plus
MinHash-LSH built from `datasets.map` with numpy and xxhash (issue #22).

Usage: datasets_w2.py DATA_DIR OUT_DIR DOMAIN_ROWS GENERAL_ROWS

Imitates text-dedup's MinHash script (github.com/ChenghaoMou/text-dedup, text_dedup/minhash.py,
read at commit 09fe44ae: `embed_func` and `main`), with datatrove's LSH shape (14 buckets × 8
hashes, 5-gram word shingles):
  - tokens: `re.split(r"\\W", text.lower())` (empty strings kept, as there), 5-gram shingles
    joined by spaces; a document shorter than 5 tokens is one shingle of all of them;
  - each distinct shingle hashed with xxhash xxh3-64 truncated to 32 bits (text-dedup's
    `xxh3_32hash`), permuted by (a·h + b) mod (2^61 − 1) & (2^32 − 1) in uint64 with 112
    (a, b) pairs from np.random.RandomState(42) (text-dedup's 64-bit "backwards compatible"
    config), minimum per permutation;
  - 14 bands of 8 rows, each band's values byteswapped to bytes as the bucket key; every bucket
    with more than one row unions its rows to the smallest index (union-find); a row is kept when
    it is its cluster's root, so the first row (domain first) of every cluster survives.
No candidate-pair Jaccard check (text-dedup's default). Runs over the whole pool after exact
dedup and before the 30/70 sample; unlike mixsmith's W2 it does no eval decontamination.

Besides train.jsonl it writes removed.tsv (id, reason: dup-exact | dup-near), from which the
bench measures precision and recall on the corpus's planted near-duplicate pairs.
Versions: datasets 5.0.1, numpy 2.4.6, xxhash 4.0.1, CPython 3.11 (bench/python/requirements.txt).
"""
import os
import re
import sys

import numpy as np
import xxhash

import datasets_w1 as w1

BANDS, ROWS, NGRAM = 14, 8, 5
NUM_PERM = BANDS * ROWS
NON_ALPHA = re.compile(r"\W", re.UNICODE)
DTYPE, MAX_HASH, MODULO_PRIME = np.uint64, np.uint64((1 << 32) - 1), np.uint64((1 << 61) - 1)
RNG = np.random.RandomState(42)
PERMUTATIONS = (
    RNG.randint(1, MODULO_PRIME, size=(NUM_PERM,), dtype=DTYPE),
    RNG.randint(0, MODULO_PRIME, size=(NUM_PERM,), dtype=DTYPE),
)
HASH_RANGES = [(i * ROWS, (i + 1) * ROWS) for i in range(BANDS)]


def ngrams(tokens, n):
    if len(tokens) < n:
        return [tuple(tokens)]
    return zip(*[tokens[i:] for i in range(n)])


def embed(example):
    text = "\n".join([example["instruction"] or "", example["input"] or "", example["output"] or ""])
    shingles = {" ".join(t).encode("utf-8") for t in ngrams(NON_ALPHA.split(text.lower()), NGRAM)}
    a, b = PERMUTATIONS
    hashes = np.array([xxhash.xxh3_64_intdigest(s) & 0xFFFFFFFF for s in shingles], dtype=DTYPE).reshape(len(shingles), 1)
    hashes = (hashes * a + b) % MODULO_PRIME & MAX_HASH
    signature = np.vstack([hashes, np.full(NUM_PERM, MAX_HASH, dtype=DTYPE)]).min(axis=0)
    return {"__bands__": [bytes(signature[start:end].byteswap().data) for start, end in HASH_RANGES]}


class UnionFind:
    def __init__(self):
        self.parent = {}

    def find(self, x):
        parent = self.parent.setdefault(x, x)
        if parent != x:
            parent = self.parent[x] = self.find(parent)
        return parent

    def union(self, x, y):
        px, py = self.find(x), self.find(y)
        self.parent[px] = self.parent[py] = min(px, py)


def drop_near_duplicates(ds):
    ds = ds.map(lambda _, i: {"__index__": i}, with_indices=True)
    embedded = ds.map(embed, num_proc=w1.NUM_PROC, remove_columns=[c for c in ds.column_names if c != "__index__"])
    tables = [{} for _ in range(BANDS)]
    for index, bands in zip(embedded["__index__"], embedded["__bands__"]):
        for table, key in zip(tables, bands):
            table.setdefault(key, []).append(index)
    uf = UnionFind()
    for table in tables:
        for cluster in table.values():
            if len(cluster) > 1:
                root = min(cluster)
                for x in cluster:
                    uf.union(x, root)
    ds = ds.map(lambda i: {"__cluster__": uf.find(i)}, input_columns="__index__")
    kept = ds.filter(lambda c, i: c == i, input_columns=["__cluster__", "__index__"])
    removed = ds.filter(lambda c, i: c != i, input_columns=["__cluster__", "__index__"])
    return kept, removed["id"]


if __name__ == "__main__":
    loaded = w1.load_sources()
    unique = w1.drop_exact_duplicates(loaded)
    exact_removed = set(loaded["id"]) - set(unique["id"])
    kept, near_removed = drop_near_duplicates(unique)
    print(f"near duplicates removed: {len(near_removed)}", file=sys.stderr)
    with open(os.path.join(w1.out, "removed.tsv"), "w", encoding="utf-8") as f:
        f.writelines(f"{i}\tdup-exact\n" for i in sorted(exact_removed))
        f.writelines(f"{i}\tdup-near\n" for i in near_removed)
    mixture = w1.sample(kept)
    mixture.to_json(os.path.join(w1.out, "train.jsonl"), lines=True, force_ascii=False)
