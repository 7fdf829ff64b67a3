"""One Python run of every trainer-side check over many mixsmith output folders.

    python check_trainers.py < plan.json

plan.json: {"cwd": DIR, "load": [{"reference": JSONL_DIR, "outputs": {"LABEL": DIR, ...}, "unwrap": false}, ...],
            "llamafactory": [DIR, ...], "axolotl": [DIR, ...]}

- load: `datasets.load_dataset(DIR)` on each output, rows compared with its JSONL reference
  (load_outputs.py); with "unwrap" (passthrough Parquet, each record whole in a `record` column)
  a row's `record` is unwrapped beside its provenance columns before the comparison;
- llamafactory: every dataset_info.json entry through LLaMA-Factory's loader and converter
  (llamafactory_convert.py);
- axolotl: every axolotl.yaml entry through axolotl's loader and chat_template handling, from
  `cwd` (axolotl_load.py).

Prints one JSON document on the last line of stdout.
"""

import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import axolotl_load  # noqa: E402
import llamafactory_convert  # noqa: E402
import load_outputs  # noqa: E402


def unwrap(row):
    if "record" not in row:
        return row  # the comparison then shows what came back instead
    record = row.pop("record")
    return {**record, **row} if isinstance(record, dict) else {"value": record, **row}


def check_load(folder, reference, unwrap_record):
    if not unwrap_record:
        return load_outputs.check_load_dataset(folder, reference)
    import datasets

    result = {"error": None, "splits": {}}
    try:
        loaded = datasets.load_dataset(folder)
    except Exception as exc:  # noqa: BLE001
        result["error"] = load_outputs.error_of(exc)
        return result
    result["split_names"] = sorted(loaded.keys())
    for name, split in loaded.items():
        expected = [row for shard in reference.get(name, []) for row in shard]
        result["splits"][name] = load_outputs.compare_rows(expected, [unwrap(row) for row in split.to_list()])
    return result


def main():
    import datasets

    datasets.disable_progress_bars()
    datasets.logging.set_verbosity_error()
    plan = json.load(sys.stdin)
    report = {"versions": {"datasets": datasets.__version__}, "load": {}, "llamafactory": {}, "axolotl": {}}
    for group in plan.get("load", []):
        reference = load_outputs.reference_rows(group["reference"])
        for label, folder in group["outputs"].items():
            report["load"][label] = check_load(folder, reference, group.get("unwrap", False))
    for folder in plan.get("llamafactory", []):
        report["llamafactory"][folder] = llamafactory_convert.check_folder(folder)
    folders = [os.path.abspath(f) for f in plan.get("axolotl", [])]
    if folders:
        os.chdir(plan["cwd"])
        template = axolotl_load.chat_renderer()
        for folder in folders:
            report["axolotl"][folder] = axolotl_load.check_folder(folder, template)
    print(json.dumps(report, ensure_ascii=False))


if __name__ == "__main__":
    main()
