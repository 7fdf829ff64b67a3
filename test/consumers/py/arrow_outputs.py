"""Load mixsmith's Arrow outputs (save_to_disk folders) with `datasets.load_from_disk` and compare
them with the JSONL output of the same recipe and seed.

    python arrow_outputs.py --reference JSONL_DIR --output SCHEMA=ARROW_DIR [--output ...]

For each Arrow folder:

- `datasets.load_from_disk(DIR)`: the split names, each split's rows in order compared with the
  reference (one equivalence, as load_outputs.py: a null-valued key equals an absent one; and a
  passthrough row's `record` column is the record itself, provenance beside it);
- memory-mapped without conversion: the split's table is made of MemoryMappedTables over exactly the
  manifest's shard files, and every shard's own Arrow schema (pyarrow, stream format) equals
  `features.arrow_schema`, so `datasets` had nothing to cast;
- `datasets.load_dataset(DIR)` through the folder's dataset card: the same rows;
- a control: the same comparison against a reference with one value changed reports it.

Prints one JSON document on the last line of stdout.
"""

import argparse
import copy
import json
import os
import sys

from load_outputs import compare_rows, error_of, read_manifest, reference_rows


def unwrap(schema, rows):
    if schema != "passthrough":
        return rows
    out = []
    for row in rows:
        row = dict(row)
        record = row.pop("record")
        out.append({**record, **row})
    return out


def check(schema, folder, reference):
    import datasets
    import pyarrow as pa
    from datasets.table import ConcatenationTable, MemoryMappedTable

    def memory_mapped(table):
        if isinstance(table, ConcatenationTable):
            return all(isinstance(block, MemoryMappedTable) for row in table.blocks for block in row)
        return isinstance(table, MemoryMappedTable)

    manifest = read_manifest(folder)
    result = {"error": None, "splits": {}, "mapped": {}, "load_dataset": {}}
    try:
        loaded = datasets.load_from_disk(folder)
    except Exception as exc:  # noqa: BLE001
        result["error"] = error_of(exc)
        return result
    result["split_names"] = sorted(loaded.keys())
    for name, split in loaded.items():
        expected = [row for shard in reference.get(name, []) for row in shard]
        actual = unwrap(schema, split.to_list())
        result["splits"][name] = compare_rows(expected, actual)
        shards = [os.path.realpath(os.path.join(folder, f["path"])) for f in manifest["files"] if f["split"] == name]
        cached = [os.path.realpath(f["filename"]) for f in split.cache_files]
        schemas_equal = []
        for shard in shards:
            with pa.memory_map(shard) as source:
                schemas_equal.append(pa.ipc.open_stream(source).schema.equals(split.features.arrow_schema))
        result["mapped"][name] = {
            "memory_mapped": memory_mapped(split.data),
            "cache_files_are_shards": cached == shards,
            "shard_schemas_equal_features": all(schemas_equal) and len(schemas_equal) > 0,
            "table_schema_equal_features": split.data.schema.equals(split.features.arrow_schema),
        }
        if name == "train" and expected:
            changed = copy.deepcopy(expected)
            first = changed[0]
            key = next(k for k in first if isinstance(first[k], str))
            first[key] = first[key] + " (changed)"
            result["control_mismatches"] = compare_rows(changed, actual)["mismatch_count"]
    try:
        via_card = datasets.load_dataset(folder)
        for name, split in via_card.items():
            expected = [row for shard in reference.get(name, []) for row in shard]
            result["load_dataset"][name] = compare_rows(expected, unwrap(schema, split.to_list()))
    except Exception as exc:  # noqa: BLE001
        result["load_dataset"] = {"error": error_of(exc)}
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reference", action="append", required=True, metavar="SCHEMA=JSONL_DIR")
    parser.add_argument("--output", action="append", required=True, metavar="SCHEMA=ARROW_DIR")
    args = parser.parse_args()

    import datasets

    datasets.disable_progress_bars()
    datasets.logging.set_verbosity_error()
    references = dict(spec.split("=", 1) for spec in args.reference)
    report = {"versions": {"python": sys.version.split()[0], "datasets": datasets.__version__}, "outputs": {}}
    for spec in args.output:
        schema, folder = spec.split("=", 1)
        report["outputs"][schema] = check(schema, folder, reference_rows(references[schema]))
    print(json.dumps(report))


if __name__ == "__main__":
    main()
