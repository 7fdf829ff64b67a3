"""Write Arrow inputs with Hugging Face `datasets` itself, for mixsmith's Arrow reader to read back.

    python save_to_disk_fixture.py OUT_DIR

Writes OUT_DIR/saved (a DatasetDict saved with save_to_disk: train in 3 shards, test in 1) and
OUT_DIR/cache-map.arrow (a `datasets` cache file, written by `Dataset.map` with a
cache_file_name: the stream format of the Hub caches). Prints one JSON document on the last line:
each split's rows and the cache file's rows as `Dataset.to_list()` gives them, the reference the
reader must match record for record.
"""

import json
import os
import sys


def main():
    out = sys.argv[1]
    import datasets
    from datasets import Dataset, DatasetDict, Features, List, Value

    datasets.disable_progress_bars()
    features = Features(
        {
            "id": Value("int64"),
            "conversations": List({"from": Value("string"), "value": Value("string")}),
            "score": Value("float64"),
            "tags": List(Value("string")),
            "meta": {"department": Value("string"), "year": Value("int32")},
            "note": Value("string"),
        }
    )

    def rows(start, count):
        return [
            {
                "id": start + i,
                "conversations": [
                    {"from": "human", "value": f"问题 {start + i}: what follows {start + i}?"},
                    {"from": "gpt", "value": f"{start + i + 1} follows {start + i}."},
                ]
                + ([{"from": "human", "value": "and then?"}, {"from": "gpt", "value": f"{start + i + 2}."}] if i % 4 == 0 else []),
                "score": (start + i) / 4,
                "tags": [f"t{j}" for j in range(i % 3)],
                "meta": {"department": ["cardiology", "neurology"][i % 2], "year": 2000 + i},
                "note": None if i % 5 == 0 else f"note {start + i}",
            }
            for i in range(count)
        ]

    def dataset(items):
        return Dataset.from_list(items, features=features)

    train = dataset(rows(0, 90))
    test = dataset(rows(1000, 12))
    DatasetDict({"train": train, "test": test}).save_to_disk(
        os.path.join(out, "saved"), num_shards={"train": 3, "test": 1}
    )
    cache = os.path.join(out, "cache-map.arrow")
    mapped = train.map(lambda row: {"note": (row["note"] or "").upper()}, cache_file_name=cache, writer_batch_size=16)
    report = {
        "versions": {"datasets": datasets.__version__},
        "train": train.to_list(),
        "test": test.to_list(),
        "cache": mapped.to_list(),
    }
    print(json.dumps(report, ensure_ascii=False))


if __name__ == "__main__":
    main()
