"""Load mixsmith output folders with the real consumers and compare them with a JSONL reference.

    python load_outputs.py --reference JSONL_DIR --output FORMAT=DIR [--output FORMAT=DIR ...]

JSONL_DIR is the `output.format: jsonl` output of the same recipe and seed: its rows, read with
the standard `json` module shard by shard in the manifest's order, are the reference. For each
other folder:

- `datasets.load_dataset(DIR)` (the folder's README.md card declares the splits and their files):
  the splits, each split's row count and every row, in order, compared with the reference;
- Parquet: every shard read with `pyarrow.parquet.read_table`, its row count;
- JSON lines (plain, .gz, .zst): every shard read with DuckDB's `read_json`, its rows compared
  with the reference shard of the same index.

Rows are compared as parsed values. One equivalence only: a key whose value is null equals an
absent key (Parquet has one column set for every row, JSON lines omit absent fields, and
`datasets` fills a key missing from some JSON rows with None). Nothing else is normalised.

Prints one JSON document on the last line of stdout; a consumer that raises is reported, not fatal.
"""

import argparse
import json
import os
import sys
import traceback

MAX_REPORTED_MISMATCHES = 3


def drop_nulls(value):
    if isinstance(value, dict):
        return {k: drop_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [drop_nulls(v) for v in value]
    return value


def first_difference(expected, actual, where=""):
    """A short path to where two parsed values first differ, for the report."""
    if isinstance(expected, dict) and isinstance(actual, dict):
        for key in sorted(set(expected) | set(actual)):
            if key not in expected:
                return f"{where}.{key}: unexpected key (value {actual[key]!r:.120})"
            if key not in actual:
                return f"{where}.{key}: missing (expected {expected[key]!r:.120})"
            found = first_difference(expected[key], actual[key], f"{where}.{key}")
            if found:
                return found
        return None
    if isinstance(expected, list) and isinstance(actual, list):
        if len(expected) != len(actual):
            return f"{where}: {len(actual)} items, expected {len(expected)}"
        for i, (e, a) in enumerate(zip(expected, actual)):
            found = first_difference(e, a, f"{where}[{i}]")
            if found:
                return found
        return None
    if expected != actual or type(expected) is not type(actual):
        return f"{where}: {actual!r:.120} ({type(actual).__name__}), expected {expected!r:.120} ({type(expected).__name__})"
    return None


def compare_rows(expected_rows, actual_rows):
    mismatches = []
    count = 0
    for index, (expected, actual) in enumerate(zip(expected_rows, actual_rows)):
        difference = first_difference(drop_nulls(expected), drop_nulls(actual))
        if difference:
            count += 1
            if len(mismatches) < MAX_REPORTED_MISMATCHES:
                mismatches.append({"row": index, "difference": difference})
    return {"rows": len(actual_rows), "expected_rows": len(expected_rows), "mismatch_count": count, "mismatches": mismatches}


def error_of(exc):
    return {"type": type(exc).__name__, "message": str(exc)[:2000], "traceback": traceback.format_exc()[-3000:]}


def read_manifest(folder):
    with open(os.path.join(folder, "manifest.json"), encoding="utf-8") as f:
        return json.load(f)


def read_jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def reference_rows(folder):
    """split -> [shard rows, ...] in the manifest's order."""
    shards = {}
    for entry in read_manifest(folder)["files"]:
        shards.setdefault(entry["split"], []).append(read_jsonl(os.path.join(folder, entry["path"])))
    return shards


def check_load_dataset(folder, reference):
    import datasets

    result = {"error": None, "splits": {}, "features": None}
    try:
        loaded = datasets.load_dataset(folder)
    except Exception as exc:  # noqa: BLE001 - reported to the test, which names it
        result["error"] = error_of(exc)
        return result
    result["split_names"] = sorted(loaded.keys())
    result["features"] = {name: str(split.features) for name, split in loaded.items()}
    for name, split in loaded.items():
        expected = [row for shard in reference.get(name, []) for row in shard]
        result["splits"][name] = compare_rows(expected, split.to_list())
    return result


def check_parquet_shards(folder, manifest):
    import pyarrow.parquet as pq

    shards = []
    for entry in manifest["files"]:
        item = {"path": entry["path"], "manifest_rows": entry["rows"], "rows": None, "error": None}
        try:
            table = pq.read_table(os.path.join(folder, entry["path"]))
            item["rows"] = table.num_rows
            item["columns"] = table.column_names
        except Exception as exc:  # noqa: BLE001
            item["error"] = error_of(exc)
        shards.append(item)
    return shards


def check_duckdb_shards(folder, manifest, reference):
    import duckdb

    connection = duckdb.connect()
    shards = []
    index_in_split = {}
    for entry in manifest["files"]:
        split = entry["split"]
        index = index_in_split[split] = index_in_split.get(split, -1) + 1
        item = {"path": entry["path"], "manifest_rows": entry["rows"], "rows": None, "error": None}
        try:
            relation = connection.read_json(os.path.join(folder, entry["path"]), format="newline_delimited")
            rows = relation.to_arrow_table().to_pylist()
            expected = reference[split][index]
            item.update(compare_rows(expected, rows))
        except Exception as exc:  # noqa: BLE001
            item["error"] = error_of(exc)
        shards.append(item)
    return shards


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reference", required=True, help="the JSONL output folder")
    parser.add_argument("--output", action="append", default=[], metavar="FORMAT=DIR")
    args = parser.parse_args()

    import datasets
    import duckdb
    import pyarrow

    datasets.disable_progress_bars()
    datasets.logging.set_verbosity_error()

    reference = reference_rows(args.reference)
    report = {
        "versions": {"python": sys.version.split()[0], "datasets": datasets.__version__, "pyarrow": pyarrow.__version__, "duckdb": duckdb.__version__},
        "reference": {split: sum(len(shard) for shard in shards) for split, shards in reference.items()},
        "outputs": {},
    }
    for spec in args.output:
        fmt, _, folder = spec.partition("=")
        manifest = read_manifest(folder)
        out = {"load_dataset": check_load_dataset(folder, reference)}
        if fmt == "parquet":
            out["pyarrow"] = check_parquet_shards(folder, manifest)
        if fmt.startswith("jsonl"):
            out["duckdb"] = check_duckdb_shards(folder, manifest, reference)
        report["outputs"][fmt] = out
    print(json.dumps(report))


if __name__ == "__main__":
    main()
