#!/usr/bin/env python3
"""W1 the way a data engineer writes it today with Hugging Face `datasets` (issue #22).

Usage: datasets_w1.py DATA_DIR OUT_DIR DOMAIN_ROWS GENERAL_ROWS
  (npm run bench runs it with .bench/venv/bin/python, built by scripts/python-env.sh --bench)

Imitates the usual `datasets` preprocessing script, as in the Hugging Face codeparrot recipe
(transformers/examples/research_projects/codeparrot/scripts/preprocessing.py: a hash column from
`map`, `uniques = set(ds.unique("hash"))`, then a single-process `filter` that keeps the first
row of each hash): load both JSONL sources with `load_dataset("json")`, add the normalised-text
key with `map`, drop exact duplicates across sources (domain first), seeded
`shuffle(seed).select(range(k))` per source to the 30/70 quotas, shuffle the concatenation, write
JSONL with `to_json`. Same job and normalisation as ../shared/bench/peers/python_w1.py.

Versions (bench/python/requirements.txt and its lock): datasets 5.0.1, pyarrow 25.0.1,
numpy 2.4.6, CPython 3.11. NUM_PROC (default 2, the machine's cores) is the `map` num_proc; SEED the seed.
The datasets cache goes to OUT_DIR/.hf-cache, so every timed run converts the JSONL to Arrow
as a first run does (the bench deletes the output folder afterwards).
"""
import hashlib
import os
import sys
import unicodedata

data, out = sys.argv[1], sys.argv[2]
WANT = {"domain": int(sys.argv[3]), "general": int(sys.argv[4])}
SEED = int(os.environ.get("SEED", "42"))
NUM_PROC = int(os.environ.get("NUM_PROC", "2"))
os.makedirs(out, exist_ok=True)
os.environ.setdefault("HF_DATASETS_CACHE", os.path.join(out, ".hf-cache"))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_DATASETS_OFFLINE", "1")

import datasets  # noqa: E402  (after the cache location is set)
from datasets import concatenate_datasets, load_dataset  # noqa: E402

datasets.disable_progress_bars()
datasets.logging.set_verbosity_error()


def norm(s):
    return " ".join(unicodedata.normalize("NFKC", s).lower().split())


def add_key(example):
    text = "\n".join([example["instruction"] or "", example["input"] or "", example["output"] or ""])
    return {"__hash__": hashlib.md5(norm(text).encode("utf-8")).hexdigest()}


def load_sources():
    files = {src: os.path.join(data, f"{src}.jsonl") for src in WANT}
    raw = load_dataset("json", data_files=files)
    parts = [raw[src].map(lambda _: {"__source__": src}).map(add_key, num_proc=NUM_PROC) for src in WANT]
    return concatenate_datasets(parts)


def drop_exact_duplicates(ds):
    """The codeparrot recipe: keep the first row of every hash (rows in order: domain first)."""
    uniques = set(ds.unique("__hash__"))

    def first_of_hash(example):
        if example["__hash__"] in uniques:
            uniques.remove(example["__hash__"])
            return True
        return False

    return ds.filter(first_of_hash)


def sample(ds):
    picked = []
    for src, rows in WANT.items():
        pool = ds.filter(lambda s, want=src: s == want, input_columns="__source__")
        print(f"{src}: kept {len(pool)}", file=sys.stderr)
        picked.append(pool.shuffle(seed=SEED).select(range(rows)))
    mixed = concatenate_datasets(picked).shuffle(seed=SEED)
    return mixed.remove_columns([c for c in mixed.column_names if c.startswith("__")])


if __name__ == "__main__":
    mixture = sample(drop_exact_duplicates(load_sources()))
    mixture.to_json(os.path.join(out, "train.jsonl"), lines=True, force_ascii=False)
