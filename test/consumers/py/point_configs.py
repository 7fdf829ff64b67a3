"""A sweep's per-point LLaMA-Factory and axolotl configs (configs/<point>/), used as their headers say.

    python point_configs.py SWEEP POINT [POINT ...]

The process works in the sweep folder (the files' paths are relative to it). For each point:
- configs/<point>/llama-factory.yaml: `dataset_dir`, `dataset` and `eval_dataset` read as
  LLaMA-Factory's data arguments; each named entry looked up in dataset_dir/dataset_info.json and
  loaded and converted with the ported loader (llamafactory_convert.check_entry);
- configs/<point>/axolotl.yaml: every `datasets:` / `test_datasets:` entry loaded as it stands (no
  path replaced) with the ported axolotl loader (axolotl_load.check_entry).

Prints one JSON document on the last line: per point, per file, the rows per split and what went wrong.
"""

import json
import os
import sys
import traceback

import yaml

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import axolotl_load  # noqa: E402
import llamafactory_convert  # noqa: E402


def error_of(exc):
    return {"type": type(exc).__name__, "message": str(exc)[:1000], "traceback": traceback.format_exc()[-2000:]}


def llama_factory(point):
    """hparams/data_args.py: dataset and eval_dataset are comma-separated names in dataset_dir/dataset_info.json."""
    with open(os.path.join("configs", point, "llama-factory.yaml"), encoding="utf-8") as f:
        args = yaml.safe_load(f)
    out = {"dataset_dir": args.get("dataset_dir"), "splits": {}, "errors": [], "dropped": 0, "mismatches": 0}
    with open(os.path.join(args["dataset_dir"], "dataset_info.json"), encoding="utf-8") as f:
        info = json.load(f)
    for key, split in (("dataset", "train"), ("eval_dataset", "validation")):
        names = [n.strip() for n in (args.get(key) or "").split(",") if n.strip()]
        rows = 0
        for name in names:
            try:
                if name not in info:  # data/loader.py: get_dataset_list raises on a name dataset_info.json lacks
                    raise ValueError(f"Undefined dataset {name} in dataset_info.json.")
                entry, _ = llamafactory_convert.check_entry(args["dataset_dir"], name, info)
                rows += entry["rows"] - entry["dropped"]
                out["dropped"] += entry["dropped"]
                out["mismatches"] += entry["mismatch_count"]
            except Exception as exc:  # noqa: BLE001
                out["errors"].append({"name": name, **error_of(exc)})
        if names:
            out["splits"][split] = rows
    return out


def axolotl(point, template):
    with open(os.path.join("configs", point, "axolotl.yaml"), encoding="utf-8") as f:
        config = yaml.safe_load(f)
    out = {"paths": [], "splits": {}, "errors": [], "mismatches": 0, "template_errors": 0}
    for kind, split in (("datasets", "train"), ("test_datasets", "validation")):
        for entry in config.get(kind) or []:
            out["paths"].append(entry.get("path"))
            result, _ = axolotl_load.check_entry(entry, None, kind, template)
            if result["error"]:
                out["errors"].append(result["error"])
                continue
            out["splits"][split] = out["splits"].get(split, 0) + result["rows"]
            out["mismatches"] += result["mismatch_count"]
            out["template_errors"] += result["template_errors"]
    return out


def main():
    import datasets

    datasets.disable_progress_bars()
    datasets.logging.set_verbosity_error()
    sweep, points = sys.argv[1], sys.argv[2:]
    os.chdir(sweep)
    template = axolotl_load.chat_renderer()
    report = {}
    for point in points:
        report[point] = {}
        for name, check in (("llama-factory", lambda p: llama_factory(p)), ("axolotl", lambda p: axolotl(p, template))):
            try:
                report[point][name] = check(point)
            except Exception as exc:  # noqa: BLE001
                report[point][name] = {"error": error_of(exc)}
    print(json.dumps(report, ensure_ascii=False))


if __name__ == "__main__":
    main()
