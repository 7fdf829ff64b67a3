"""LLaMA-Factory's dataset loading and conversion, ported for the consumer tests.

LLaMA-Factory has no wheel in the test environment, so the functions that decide whether a
dataset_info.json entry loads are copied here from its source, trimmed to the local-file path,
with their upstream place cited. Upstream: github.com/hiyouga/LLaMA-Factory at commit
ff6d4d12eeb035d6ce06805a5733dd7b29f2ac30 (paths under src/llamafactory/).

    python llamafactory_convert.py DIR [DIR ...]

For each output folder: every entry of DIR/dataset_info.json is loaded as LLaMA-Factory loads it
(one `datasets.load_dataset(type, data_files=[file])` per entry), converted by its converter, and
the converted rows are checked the way its supervised/pretrain processors and template would use
them. Prints one JSON report on the last line: per entry, rows, KeyErrors, rows the converter
marks broken (LLaMA-Factory drops them: "Dropped invalid example"), role counts, tool texts that
do not parse, and the converted rows themselves (for the caller to compare with the shards).
"""

import json
import os
import sys
import traceback
from dataclasses import dataclass
from typing import Any

# data/data_utils.py:38-43
USER, ASSISTANT, SYSTEM, FUNCTION, OBSERVATION = "user", "assistant", "system", "function", "observation"

# extras/constants.py:41-48
FILEEXT2TYPE = {"arrow": "arrow", "csv": "csv", "json": "json", "jsonl": "json", "parquet": "parquet", "txt": "text"}


@dataclass
class DatasetAttr:
    """data/parser.py:26-91: the attributes, their defaults, and join()."""

    load_from: str
    dataset_name: str
    formatting: str = "alpaca"
    ranking: bool = False
    subset: Any = None
    split: str = "train"
    folder: Any = None
    num_samples: Any = None
    system: Any = None
    tools: Any = None
    images: Any = None
    videos: Any = None
    audios: Any = None
    chosen: Any = None
    rejected: Any = None
    kto_tag: Any = None
    prompt: Any = "instruction"
    query: Any = "input"
    response: Any = "output"
    history: Any = None
    messages: Any = "conversations"
    role_tag: Any = "from"
    content_tag: Any = "value"
    user_tag: Any = "human"
    assistant_tag: Any = "gpt"
    observation_tag: Any = "observation"
    function_tag: Any = "function_call"
    system_tag: Any = "system"

    # parser.py:69-70
    def set_attr(self, key, obj, default=None):
        setattr(self, key, obj.get(key, default))

    # parser.py:72-90: a `columns` or `tags` block resets every name it does not give to None.
    def join(self, attr):
        self.set_attr("formatting", attr, default="alpaca")
        self.set_attr("ranking", attr, default=False)
        self.set_attr("subset", attr)
        self.set_attr("split", attr, default="train")
        self.set_attr("folder", attr)
        self.set_attr("num_samples", attr)
        if "columns" in attr:
            column_names = ["prompt", "query", "response", "history", "messages", "system", "tools"]
            column_names += ["images", "videos", "audios", "chosen", "rejected", "kto_tag"]
            for column_name in column_names:
                self.set_attr(column_name, attr["columns"])
        if "tags" in attr:
            tag_names = ["role_tag", "content_tag"]
            tag_names += ["user_tag", "assistant_tag", "observation_tag", "function_tag", "system_tag"]
            for tag in tag_names:
                self.set_attr(tag, attr["tags"])


def dataset_attr_for(name, info):
    """parser.py:129-146, the `file_name` branch."""
    attr = DatasetAttr("file", dataset_name=info[name]["file_name"])
    attr.join(info[name])
    return attr


def load_single_dataset(attr, dataset_dir):
    """loader.py:73-89 and 131-141 (load_from == "file", no streaming, no sampling)."""
    from datasets import load_dataset

    data_files = []
    local_path = os.path.join(dataset_dir, attr.dataset_name)
    if os.path.isdir(local_path):
        for file_name in os.listdir(local_path):
            data_files.append(os.path.join(local_path, file_name))
    elif os.path.isfile(local_path):
        data_files.append(local_path)
    else:
        raise ValueError(f"File {local_path} not found.")
    data_path = FILEEXT2TYPE.get(os.path.splitext(data_files[0])[-1][1:], None)
    if data_path is None:
        raise ValueError("Allowed file types: {}.".format(",".join(FILEEXT2TYPE.keys())))
    if any(data_path != FILEEXT2TYPE.get(os.path.splitext(f)[-1][1:], None) for f in data_files):
        raise ValueError("File types should be identical.")
    return load_dataset(path=data_path, data_files=data_files, split=attr.split)


def convert_alpaca(attr, example):
    """converter.py:84-131 (AlpacaDatasetConverter.__call__), without the kto/ranking/media branches we never declare."""
    prompt = []
    if attr.history and isinstance(example[attr.history], list):
        for old_prompt, old_response in example[attr.history]:
            prompt.append({"role": USER, "content": old_prompt})
            prompt.append({"role": ASSISTANT, "content": old_response})
    query = []
    if attr.prompt and example[attr.prompt]:
        query.append(example[attr.prompt])
    if attr.query and example[attr.query]:
        query.append(example[attr.query])
    prompt.append({"role": USER, "content": "\n".join(query)})
    if attr.response and isinstance(example[attr.response], str):
        response = [{"role": ASSISTANT, "content": example[attr.response]}]
    else:  # unsupervised
        response = []
    return {
        "_prompt": prompt,
        "_response": response,
        "_system": example[attr.system] if attr.system else "",
        "_tools": example[attr.tools] if attr.tools else "",
    }


def convert_sharegpt(attr, example):
    """converter.py:134-227 (SharegptDatasetConverter.__call__), without kto/ranking/media."""
    tag_mapping = {
        attr.user_tag: USER,
        attr.assistant_tag: ASSISTANT,
        attr.observation_tag: OBSERVATION,
        attr.function_tag: FUNCTION,
        attr.system_tag: SYSTEM,
    }
    odd_tags = (attr.user_tag, attr.observation_tag)
    even_tags = (attr.assistant_tag, attr.function_tag)
    accept_tags = (odd_tags, even_tags)
    messages = example[attr.messages]
    if attr.system_tag and len(messages) != 0 and messages[0][attr.role_tag] == attr.system_tag:
        system = messages[0][attr.content_tag]
        messages = messages[1:]
    else:
        system = example[attr.system] if attr.system else ""
    aligned_messages = []
    broken_data = False
    for turn_idx, message in enumerate(messages):
        if message[attr.role_tag] not in accept_tags[turn_idx % 2]:
            broken_data = True  # logger.warning_rank0(f"Invalid role tag in {messages}.")
            break
        aligned_messages.append({"role": tag_mapping[message[attr.role_tag]], "content": message[attr.content_tag]})
    if (not attr.ranking and len(aligned_messages) % 2 != 0) or (attr.ranking and len(aligned_messages) % 2 == 0):
        broken_data = True  # "Invalid message count"
    if broken_data:
        prompt, response = [], []  # "Skipping this abnormal example."
    else:
        prompt = aligned_messages[:-1]
        response = aligned_messages[-1:]
    return {
        "_prompt": prompt,
        "_response": response,
        "_system": system,
        "_tools": example[attr.tools] if attr.tools else "",
    }


# converter.py:370-374 (the openai converter is left out: no mixsmith layout declares it)
CONVERTERS = {"alpaca": convert_alpaca, "sharegpt": convert_sharegpt}


def align_dataset(dataset, attr):
    """converter.py:393-425: map every row through the converter, removing the original columns."""
    column_names = list(next(iter(dataset)).keys())
    converter = CONVERTERS[attr.formatting]
    return dataset.map(lambda example: converter(attr, example), batched=False, remove_columns=column_names)


def supervised_problem(row):
    """processor/supervised.py:112-116: a row the supervised processor drops ("Dropped invalid example")."""
    if len(row["_prompt"]) % 2 != 1 or len(row["_response"]) != 1:
        return "dropped"
    return None


def template_problems(row):
    """What template.py:136-169 (Template._encode) would fail on for this row: a content that is not a
    string (formatter.py:75-80, StringFormatter.apply raises "Expected a string"), a function turn
    whose JSON does not parse (formatter.py:102-110, FunctionFormatter._parse_functions), tools that
    do not parse or lack what the default tool formatter reads (formatter.py:149-155 and
    tool_utils.py:154-182, DefaultToolUtils.tool_formatter)."""
    problems = []
    system = row["_system"] or ""  # template.py:144, default_system is "" by default
    tools = row["_tools"]
    if not isinstance(system, str):
        problems.append(f"system is {type(system).__name__}")
    for message in row["_prompt"] + row["_response"]:
        content = message["content"]
        if not isinstance(content, str):
            problems.append(f"{message['role']} content is {type(content).__name__}")
            continue
        if message["role"] == FUNCTION:
            try:
                calls = json.loads(content)
                calls = calls if isinstance(calls, list) else [calls]
                [(tc["name"], json.dumps(tc["arguments"], ensure_ascii=False)) for tc in calls]
            except Exception as exc:  # noqa: BLE001
                problems.append(f"function turn: {type(exc).__name__}: {exc}")
    if tools:
        try:
            parsed = json.loads(tools)
            for tool in parsed:
                tool = tool.get("function", "") if tool.get("type") == "function" else tool
                tool["parameters"]["properties"].items()
                tool["name"]
        except Exception as exc:  # noqa: BLE001
            problems.append(f"tools: {type(exc).__name__}: {exc}")
    return problems


# What each mixsmith record should become: roles as LLaMA-Factory names them.
EXPECTED_ROLES = {"human": USER, "gpt": ASSISTANT, "function_call": FUNCTION, "observation": OBSERVATION,
                  "user": USER, "assistant": ASSISTANT, "tool": OBSERVATION}


def expected_turns(formatting, record):
    """(system, [(role, content), ...]) as the record means it, read straight from the shard."""
    if formatting == "alpaca":
        turns = []
        for user, assistant in record.get("history") or []:
            turns += [(USER, user), (ASSISTANT, assistant)]
        query = "\n".join(x for x in (record["instruction"], record["input"]) if x)
        return record.get("system") or "", turns + [(USER, query), (ASSISTANT, record["output"])]
    if formatting == "sharegpt":
        turns = record.get("conversations") or record.get("messages")
        key_role, key_content = ("from", "value") if "conversations" in record else ("role", "content")
        system = ""
        if turns and turns[0][key_role] == "system":
            system, turns = turns[0][key_content], turns[1:]
        return system, [(EXPECTED_ROLES.get(t[key_role], t[key_role]), t[key_content]) for t in turns]
    return "", [(USER, record["text"])]  # text: pre-training prompt


def shard_rows(path):
    if path.endswith(".parquet"):
        import pyarrow.parquet as pq

        return pq.read_table(path).to_pylist()
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def check_entry(folder, name, info):
    entry = {"error": None, "rows": 0, "dropped": 0, "dropped_with_tools": 0, "template_problem_rows": 0,
             "template_problems": [], "mismatch_count": 0, "mismatches": [], "roles": {}, "with_tools": 0}
    attr = dataset_attr_for(name, info)
    aligned = align_dataset(load_single_dataset(attr, folder), attr)
    rows = aligned.to_list()
    records = shard_rows(os.path.join(folder, attr.dataset_name))
    entry["rows"] = len(rows)
    entry["formatting"] = attr.formatting
    for index, (row, record) in enumerate(zip(rows, records)):
        has_tools = bool(record.get("tools")) or any(
            t.get("from") in ("function_call", "observation") or t.get("role") == "tool" or t.get("tool_calls")
            for t in (record.get("conversations") or record.get("messages") or []))
        if row["_tools"]:
            entry["with_tools"] += 1
        # `columns: {prompt: text}` is the pre-training form: the pretrain processor reads _prompt only.
        pretrain = attr.formatting == "alpaca" and not attr.response
        if not pretrain and supervised_problem(row):
            entry["dropped"] += 1
            entry["dropped_with_tools"] += 1 if has_tools else 0
            continue
        problems = template_problems(row)
        if problems:
            entry["template_problem_rows"] += 1
            if len(entry["template_problems"]) < 3:
                entry["template_problems"].append({"row": index, "problems": problems})
        for message in row["_prompt"] + row["_response"]:
            entry["roles"][message["role"]] = entry["roles"].get(message["role"], 0) + 1
        system, turns = expected_turns("text" if pretrain else attr.formatting, record)
        got = [(m["role"], m["content"]) for m in row["_prompt"] + row["_response"]]
        if (row["_system"] or "") != system or got != turns:
            entry["mismatch_count"] += 1
            if len(entry["mismatches"]) < 3:
                entry["mismatches"].append({"row": index, "expected": [system, turns], "got": [row["_system"], got]})
    return entry, aligned


def check_folder(folder):
    """Every entry of the folder's dataset_info.json, then each split's entries merged as LLaMA-Factory merges `dataset:` lists."""
    import datasets

    with open(os.path.join(folder, "dataset_info.json"), encoding="utf-8") as f:
        info = json.load(f)
    entries, by_split = {}, {}
    for name in info:
        try:
            entries[name], aligned = check_entry(folder, name, info)
            by_split.setdefault(info[name]["file_name"].split("-", 1)[0], []).append(aligned)
        except Exception as exc:  # noqa: BLE001
            entries[name] = {"error": {"type": type(exc).__name__, "message": str(exc)[:1000], "traceback": traceback.format_exc()[-2000:]}}
    merged = {}
    for split, parts in by_split.items():
        try:
            # data_utils.py:51-62, merge_dataset with the default mix_strategy "concat"
            merged[split] = len(parts[0] if len(parts) == 1 else datasets.concatenate_datasets(parts))
        except Exception as exc:  # noqa: BLE001
            merged[split] = {"type": type(exc).__name__, "message": str(exc)[:1000]}
    return {"entries": entries, "merged_rows": merged}


def main():
    import datasets

    datasets.disable_progress_bars()
    datasets.logging.set_verbosity_error()
    print(json.dumps({folder: check_folder(folder) for folder in sys.argv[1:]}, ensure_ascii=False))


if __name__ == "__main__":
    main()
