"""axolotl's dataset loading and chat_template message handling, ported for the consumer tests.

axolotl has no wheel in the test environment, so the functions that decide what a `datasets:`
entry loads and which turns reach the chat template are copied here from its source, trimmed to
local folders, with their upstream place cited. Upstream: github.com/axolotl-ai-cloud/axolotl at
commit 067b021c8b87a9e5e380b9173c704cf7340e30f5 (paths under src/axolotl/).

    python axolotl_load.py --cwd SOMEWHERE DIR [DIR ...]

For each output folder, DIR/axolotl.yaml's entries are used as the file says to: `path: .`
replaced by the folder's path as seen from SOMEWHERE, the process working in SOMEWHERE (training
rarely starts inside the data folder). Each entry is loaded (load_dataset_with_config), its split
selected, and every row turned into the turns the chat template sees (get_conversation_thread,
transform_message, _get_tools), then rendered with the Qwen2.5 chat template axolotl ships.
Prints one JSON report on the last line: per entry, rows, the error if loading failed, turns with
no string content (a null system turn among them), template failures, roles, rows with tools, and
mismatches with the turns the shard's records hold.
"""

import argparse
import json
import os
import traceback
from pathlib import Path

import yaml


class DictDefault(dict):
    """utils/dict.py: attribute access, None for a missing key."""

    def __getattr__(self, name):
        return self.get(name)


# utils/data/shared.py:102-119
EXTENSIONS_TO_DATASET_TYPES = {".parquet": "parquet", ".arrow": "arrow", ".csv": "csv", ".txt": "text"}


def get_dataset_type(dataset_config):
    if dataset_config.ds_type:
        return dataset_config.ds_type
    for extension, dataset_type in EXTENSIONS_TO_DATASET_TYPES.items():
        if extension in dataset_config.path:
            return dataset_type
    return "json"


def load_dataset_with_config(dataset_config, streaming=False):
    """utils/data/shared.py:155-180, the local-path branch (hub, cloud and URL paths are not ours)."""
    load_dataset_kwargs = {
        "split": dataset_config.split if dataset_config.split else None,
        "name": dataset_config.name,
        "streaming": streaming,
        "trust_remote_code": dataset_config.trust_remote_code,
    }
    if Path(dataset_config.path).exists():
        return _load_from_local_path(dataset_config, load_dataset_kwargs)
    raise ValueError(
        f"The dataset could not be loaded. This could be due to a misconfigured dataset path "
        f"({dataset_config.path}). Try double-check your path / name / data_files. "
        f"This is not caused by the dataset type."
    )


def _load_from_local_path(dataset_config, load_dataset_kwargs):
    """utils/data/shared.py:284-319."""
    from datasets import load_dataset, load_from_disk

    local_path = Path(dataset_config.path)
    if local_path.is_dir():
        if dataset_config.data_files:
            # data_files go to load_dataset as written: relative to the working directory, not to path.
            dataset_type = get_dataset_type(dataset_config)
            return load_dataset(dataset_type, data_files=dataset_config.data_files, **load_dataset_kwargs)
        try:
            return load_from_disk(dataset_config.path)
        except FileNotFoundError:
            return load_dataset(dataset_config.path, **load_dataset_kwargs)
    elif local_path.is_file():
        dataset_type = get_dataset_type(dataset_config)
        if not load_dataset_kwargs.get("split"):
            load_dataset_kwargs["split"] = "train"
        return load_dataset(dataset_type, data_files=dataset_config.path, **load_dataset_kwargs)
    raise ValueError("Unhandled dataset load: local path exists, but is neither a directory or a file")


def select_split(dataset, dataset_config, split):
    """utils/data/sft.py:390-399 (_load_and_process_single_dataset)."""
    from datasets import DatasetDict

    if isinstance(dataset, DatasetDict):
        if dataset_config.split and dataset_config.split in dataset:
            return dataset[dataset_config.split]
        if split in dataset:
            return dataset[split]
        raise ValueError(f"no {split} split found for dataset {dataset_config.path}, you may specify a split with 'split: ...'")
    return dataset


class ChatTemplate:
    """prompt_strategies/chat_template.py: the prompter's settings (ChatTemplatePrompter.__init__, 42-97, as
    StrategyLoader.__call__, 1188-1247, fills them from the dataset config) and the strategy's message handling."""

    # What the Qwen2.5 template below reads from a message besides role and content
    # (ChatTemplatePrompter.get_chat_template_msg_variables, 271-276, finds these by analysing the template).
    TEMPLATE_MESSAGE_VARS = {"role", "content", "tool_calls"}

    def __init__(self, ds_cfg):
        mappings = ds_cfg.get("message_property_mappings") or {}
        if not mappings:  # 60-67
            mappings = {"role": "role", "content": "content", "reasoning_content": "reasoning_content"}
        roles = ds_cfg.get("roles")
        if roles:  # 69-80
            self.roles = {s: t for t, sources in roles.items() for s in sources}
        else:
            self.roles = {"human": "user", "user": "user", "assistant": "assistant", "gpt": "assistant", "system": "system", "tool": "tool"}
        self.message_property_mappings = mappings
        self.field_messages = ds_cfg.get("field_messages", "messages")
        self.field_system = "system"  # 52: not settable from the dataset config
        self.field_tools = "tools"  # 53: likewise
        self.drop_system_message = ds_cfg.get("drop_system_message", False)

    def get_conversation_thread(self, prompt):
        """872-920 (content-part and reasoning conversions left out: mixsmith writes string content)."""
        turns = []
        messages = self._get_messages(prompt)
        possible_sys_turn = self.transform_message(messages[0])
        if possible_sys_turn["role"] != "system" and self.field_system in prompt:
            turn = {"role": "system", "content": prompt[self.field_system]}
            turns.append(turn)
        for message in messages:
            turns.append(self.transform_message(message))
        if self.drop_system_message and turns[0]["role"] == "system":
            turns = turns[1:]
        return turns

    def transform_message(self, message):
        """922-1015 (split_thinking off, the default)."""
        transformed_message = {}
        for key, value in self.message_property_mappings.items():
            if message.get(value) is not None:
                transformed_message[key] = message[value]
        if "role" in transformed_message:
            transformed_message["role"] = self.roles.get(transformed_message["role"], transformed_message["role"])
        mapped_values = set(self.message_property_mappings.values())
        remaining_keys = set(message) - mapped_values
        for key in self.TEMPLATE_MESSAGE_VARS:
            if key in remaining_keys:
                val = message.get(key)
                if val is not None:
                    transformed_message[key] = val
        if "tool_calls" in transformed_message and transformed_message["tool_calls"]:
            for tool_call in transformed_message["tool_calls"]:
                if "function" in tool_call and "arguments" in tool_call["function"]:
                    args = tool_call["function"]["arguments"]
                    if isinstance(args, str):
                        tool_call["function"]["arguments"] = json.loads(args)
        return transformed_message

    def _get_tools(self, prompt):
        """1020-1056."""
        tools = prompt.get(self.field_tools, None)
        if tools is None:
            return None
        if isinstance(tools, str):
            tools = json.loads(tools)
        if isinstance(tools, list):
            for tool in tools:
                if isinstance(tool, dict) and "function" in tool:
                    function = tool["function"]
                    if "parameters" in function and isinstance(function["parameters"], str):
                        function["parameters"] = json.loads(function["parameters"])
            return tools
        raise ValueError(f"Unknown tools format. Please convert it into a list[dict].\nCurrent format: {type(tools)}")

    def _get_messages(self, prompt):
        """1058-1085."""
        messages = prompt.get(self.field_messages, None)
        if messages is None:
            raise ValueError("Messages is null. Please check `field_messages`.")
        if isinstance(messages, str):
            messages = json.loads(messages)
        if isinstance(messages, list):
            return messages
        raise ValueError(f"Unknown messages format. Please convert it into a list[dict].\nCurrent format: {type(messages)}")


# utils/chat_templates/templates/qwen_25.jinja (the Qwen2.5 chat template as axolotl ships it).
QWEN_25 = (
    "{%- if tools %}\n    {{- '<|im_start|>system\\n' }}\n    {%- if messages[0]['role'] == 'system' %}\n"
    "        {{- messages[0]['content'] }}\n    {%- else %}\n"
    "        {{- 'You are Qwen, created by Alibaba Cloud. You are a helpful assistant.' }}\n    {%- endif %}\n"
    "    {{- \"\\n\\n# Tools\\n\\nYou may call one or more functions to assist with the user query.\\n\\nYou are provided with function signatures within <tools></tools> XML tags:\\n<tools>\" }}\n"
    "    {%- for tool in tools %}\n        {{- \"\\n\" }}\n        {{- tool | tojson }}\n    {%- endfor %}\n"
    "    {{- \"\\n</tools>\\n\\nFor each function call, return a json object with function name and arguments within <tool_call></tool_call> XML tags:\\n<tool_call>\\n{\\\"name\\\": <function-name>, \\\"arguments\\\": <args-json-object>}\\n</tool_call><|im_end|>\\n\" }}\n"
    "{%- else %}\n    {%- if messages[0]['role'] == 'system' %}\n"
    "        {{- '<|im_start|>system\\n' + messages[0]['content'] + '<|im_end|>\\n' }}\n    {%- else %}\n"
    "        {{- '<|im_start|>system\\nYou are Qwen, created by Alibaba Cloud. You are a helpful assistant.<|im_end|>\\n' }}\n"
    "    {%- endif %}\n{%- endif %}\n{%- for message in messages %}\n"
    "    {%- if (message.role == \"user\") or (message.role == \"system\" and not loop.first) or (message.role == \"assistant\" and not message.tool_calls) %}\n"
    "        {{- '<|im_start|>' + message.role + '\\n' + message.content + '<|im_end|>' + '\\n' }}\n"
    "    {%- elif message.role == \"assistant\" %}\n        {{- '<|im_start|>' + message.role }}\n"
    "        {%- if message.content %}\n            {{- '\\n' + message.content }}\n        {%- endif %}\n"
    "        {%- for tool_call in message.tool_calls %}\n            {%- if tool_call.function is defined %}\n"
    "                {%- set tool_call = tool_call.function %}\n            {%- endif %}\n"
    "            {{- '\\n<tool_call>\\n{\"name\": \"' }}\n            {{- tool_call.name }}\n"
    "            {{- '\", \"arguments\": ' }}\n            {{- tool_call.arguments | tojson }}\n"
    "            {{- '}\\n</tool_call>' }}\n        {%- endfor %}\n        {{- '<|im_end|>\\n' }}\n"
    "    {%- elif message.role == \"tool\" %}\n"
    "        {%- if (loop.index0 == 0) or (messages[loop.index0 - 1].role != \"tool\") %}\n"
    "            {{- '<|im_start|>user' }}\n        {%- endif %}\n"
    "        {{- '\\n<tool_response>\\n' }}\n        {{- message.content }}\n        {{- '\\n</tool_response>' }}\n"
    "        {%- if loop.last or (messages[loop.index0 + 1].role != \"tool\") %}\n"
    "            {{- '<|im_end|>\\n' }}\n        {%- endif %}\n    {%- endif %}\n{%- endfor %}\n"
    "{%- if add_generation_prompt %}\n    {{- '<|im_start|>assistant\\n' }}\n{%- endif %}\n"
)


def chat_renderer():
    """How transformers compiles a chat template: a sandboxed environment, trim/lstrip blocks, a tojson that keeps non-ASCII."""
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True)
    env.filters["tojson"] = lambda x, indent=None: json.dumps(x, ensure_ascii=False, indent=indent)
    return env.from_string(QWEN_25)


EXPECTED_ROLES = {"human": "user", "gpt": "assistant", "observation": "tool", "function_call": "assistant"}


def expected_turns(record):
    """The turns a record holds, as role/content pairs (tool calls as their function names)."""
    turns = record.get("messages") if "messages" in record else record.get("conversations")
    out = []
    for t in turns:
        role = t.get("role", t.get("from"))
        content = t.get("content", t.get("value"))
        calls = [c["function"]["name"] for c in t.get("tool_calls") or []]
        out.append([EXPECTED_ROLES.get(role, role), content if not calls else calls])
    return out


def seen_turns(turns):
    return [[t["role"], t.get("content") if not t.get("tool_calls") else [c["function"]["name"] for c in t["tool_calls"]]] for t in turns]


def check_entry(entry_cfg, folder, kind, template):
    cfg = DictDefault(entry_cfg)
    if cfg.path == ".":
        cfg["path"] = os.path.relpath(folder)  # what the file's header says to do
    result = {"error": None, "rows": 0, "null_content_turns": 0, "empty_system_turns": 0, "template_errors": 0,
              "template_error_examples": [], "roles": {}, "with_tools": 0, "mismatch_count": 0, "mismatches": []}
    try:
        dataset = select_split(load_dataset_with_config(cfg), cfg, "train" if kind == "datasets" else "test")
    except Exception as exc:  # noqa: BLE001
        result["error"] = {"type": type(exc).__name__, "message": str(exc)[:1000], "traceback": traceback.format_exc()[-2000:]}
        return result, None
    rows = dataset.to_list()
    result["rows"] = len(rows)
    if cfg.type != "chat_template":
        # prompt_tokenizers.py:168-173 (alpaca) and prompt_strategies/completion.py:88-89 (field)
        fields = ["instruction", "output"] if cfg.type == "alpaca" else [cfg.field or "text"]
        result["missing_fields"] = sum(1 for row in rows for f in fields if not isinstance(row.get(f), str))
        return result, rows
    strategy = ChatTemplate(cfg)
    for index, row in enumerate(rows):
        turns = strategy.get_conversation_thread(row)
        tools = strategy._get_tools(row)
        result["with_tools"] += 1 if tools else 0
        for turn in turns:
            result["roles"][turn.get("role")] = result["roles"].get(turn.get("role"), 0) + 1
            if not isinstance(turn.get("content"), str) and not turn.get("tool_calls"):
                result["null_content_turns"] += 1
            if turn.get("role") == "system" and not turn.get("content"):
                result["empty_system_turns"] += 1
        try:
            # ChatTemplatePrompter.build_prompt, 103-167: tools passed only when there are some
            template.render(messages=turns, **({"tools": tools} if tools else {}), add_generation_prompt=False)
        except Exception as exc:  # noqa: BLE001
            result["template_errors"] += 1
            if len(result["template_error_examples"]) < 3:
                result["template_error_examples"].append({"row": index, "error": f"{type(exc).__name__}: {exc}"})
        if seen_turns(turns) != expected_turns(row):
            result["mismatch_count"] += 1
            if len(result["mismatches"]) < 3:
                result["mismatches"].append({"row": index, "expected": expected_turns(row), "got": seen_turns(turns)})
    return result, rows


def check_folder(folder, template):
    """Every entry of the folder's axolotl.yaml, used as its header says."""
    with open(os.path.join(folder, "axolotl.yaml"), encoding="utf-8") as f:
        config = yaml.safe_load(f)
    out = {}
    for kind in ("datasets", "test_datasets"):
        for i, entry in enumerate(config.get(kind) or []):
            out[f"{kind}[{i}]"], _ = check_entry(entry, folder, kind, template)
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cwd", required=True, help="where training starts (not the output folder)")
    parser.add_argument("folders", nargs="+")
    args = parser.parse_args()

    import datasets

    datasets.disable_progress_bars()
    datasets.logging.set_verbosity_error()
    folders = [os.path.abspath(f) for f in args.folders]
    os.chdir(args.cwd)
    template = chat_renderer()
    print(json.dumps({folder: check_folder(folder, template) for folder in folders}, ensure_ascii=False))


if __name__ == "__main__":
    main()
