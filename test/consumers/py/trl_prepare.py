"""TRL's own dataset preparation over mixsmith outputs, with TRL's bundled chat templates.

    python trl_prepare.py < plan.json

plan.json: {"work": DIR, "checks": [{"label": L, "folder": DIR, "templates": ["qwen2_5", ...]}, ...],
            "configs": [{"label": L, "cwd": DIR, "argv": [...], "template": T}, ...]}

Nothing is downloaded. A byte-level BPE tokenizer (the 256 bytes, no merges, plus the templates'
special tokens) is built here and saved as tokenizer.json, then loaded from that file with
transformers' PreTrainedTokenizerFast; its chat template is TRL's bundled copy (trl/chat_templates/
qwen2_5.jinja, llama3.jinja, gemma.jinja); the model is a one-layer Llama of random weights.
Each check loads the folder with `datasets.load_dataset(DIR)` and constructs `trl.SFTTrainer` on its
train and validation splits: the trainer's constructor runs TRL's whole preparation
(SFTTrainer._prepare_dataset: ChatML conversion, EOS, tokenization through the chat template,
prompt/completion masks, labels). Then, per prepared row, the token ids are decoded back to the
text the model would be trained on (the tokenizer round-trips bytes exactly) and compared with the
record: every turn's content in order, tool calls by function name, no role TRL's templates do not
know (`human`, `gpt`) and no "None" that the record does not hold; for prompt/completion rows, the
completion is the trained part. `configs` entries parse a command line (`trl sft` argv, or
`--config trl.yaml ...`) with TRL's own sft parser (trl/scripts/sft.py make_parser) and load the
splits the way trl/scripts/sft.py main does, then prepare them the same way.

Prints one JSON document on the last line of stdout.
"""

import importlib.resources
import json
import os
import sys
import traceback

# Per template: the special tokens it writes, BOS and EOS, and how a role opens a turn.
TEMPLATES = {
    "qwen2_5": {"bos": None, "eos": "<|im_end|>", "special": ["<|im_start|>", "<|im_end|>", "<tool_call>", "</tool_call>"],
                "role_open": "<|im_start|>{role}\n", "trims": False},
    "llama3": {"bos": "<|begin_of_text|>", "eos": "<|eot_id|>",
               "special": ["<|begin_of_text|>", "<|start_header_id|>", "<|end_header_id|>", "<|eot_id|>"],
               "role_open": "<|start_header_id|>{role}<|end_header_id|>", "trims": True},
    "gemma": {"bos": "<bos>", "eos": "<eos>", "special": ["<bos>", "<eos>", "<start_of_turn>", "<end_of_turn>"],
              "role_open": "<start_of_turn>{role}\n", "trims": True},
    # Plain text (schema text): no chat template is applied.
    "none": {"bos": None, "eos": "<eos>", "special": ["<eos>"], "role_open": None, "trims": False},
}
PAD = "<pad>"
UNKNOWN_ROLES = ("human", "gpt", "function_call", "observation")


def build_tokenizer(work, name):
    """A byte-level BPE without merges, saved as tokenizer.json and loaded from it."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers
    from transformers import PreTrainedTokenizerFast

    spec = TEMPLATES[name]
    alphabet = pre_tokenizers.ByteLevel.alphabet()
    vocab = {ch: i for i, ch in enumerate(sorted(alphabet))}
    tok = Tokenizer(models.BPE(vocab=vocab, merges=[]))
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False)
    tok.decoder = decoders.ByteLevel()
    tok.add_special_tokens([PAD, *spec["special"]])
    folder = os.path.join(work, f"tokenizer-{name}")
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, "tokenizer.json")
    tok.save(path)
    kwargs = {"tokenizer_file": path, "pad_token": PAD, "eos_token": spec["eos"]}
    if spec["bos"]:
        kwargs["bos_token"] = spec["bos"]
    tokenizer = PreTrainedTokenizerFast(**kwargs)
    if name != "none":
        template = importlib.resources.files("trl").joinpath("chat_templates", f"{name}.jinja")
        tokenizer.chat_template = template.read_text(encoding="utf-8")
    return tokenizer


def tiny_model(vocab_size):
    import torch
    from transformers import LlamaConfig, LlamaForCausalLM

    torch.manual_seed(0)
    config = LlamaConfig(vocab_size=vocab_size, hidden_size=16, intermediate_size=32, num_hidden_layers=1,
                         num_attention_heads=2, num_key_value_heads=2, max_position_embeddings=1 << 16)
    return LlamaForCausalLM(config)


def sft_config(work, tag, **over):
    from trl import SFTConfig

    # max_length None: TRL would otherwise truncate at 1024 tokens and drop rows truncation leaves
    # without a trained token, a length policy of the trainer's, not a loading problem.
    args = {"output_dir": os.path.join(work, "runs", tag), "report_to": [], "max_length": None,
            "dataset_num_proc": None, "use_cpu": True, "save_strategy": "no"}
    args.update(over)
    return SFTConfig(**args)


def turns_of(row):
    """The record's turns as TRL sees them: messages, or prompt + completion (lists), or conversations."""
    if isinstance(row.get("messages"), list):
        return row["messages"]
    if isinstance(row.get("prompt"), list):
        return row["prompt"] + row["completion"]
    if isinstance(row.get("conversations"), list):
        return [{"role": t.get("from"), "content": t.get("value")} for t in row["conversations"]]
    return None


def expected_pieces(turn, trims):
    """What of a turn must appear in the rendered text: its content, or its tool calls' names."""
    calls = turn.get("tool_calls") or []
    pieces = [c["function"]["name"] for c in calls]
    content = turn.get("content")
    if isinstance(content, str) and content.strip():
        pieces.append(content.strip() if trims else content)
    return pieces


def check_row(row, text, trained, spec):
    """Problems of one prepared row: what of the record is missing from the text, or is there and should not be."""
    problems = []
    turns = turns_of(row)
    if turns is None:  # language modelling on `text`
        if not text.startswith(row["text"]):
            problems.append("text not rendered whole")
        return problems
    position = 0
    for index, turn in enumerate(turns):
        for piece in expected_pieces(turn, spec["trims"]):
            found = text.find(piece, position)
            if found < 0:
                problems.append(f"turn {index} ({turn.get('role')}) missing or out of order: {piece[:60]!r}")
            else:
                position = found + len(piece)
    for role in UNKNOWN_ROLES:
        if spec["role_open"] and spec["role_open"].format(role=role) in text:
            problems.append(f"a {role!r} turn reached the chat template")
    held = sum(str(t.get("content")).count("None") for t in turns if isinstance(t.get("content"), str))
    held += sum(json.dumps(row.get("tools")).count("None") for _ in [0] if row.get("tools"))
    if text.count("None") > held:
        problems.append(f"'None' rendered {text.count('None')} times, the record holds {held}")
    if isinstance(row.get("completion"), list):
        answer = row["completion"][-1].get("content") or ""
        answer = answer.strip() if spec["trims"] else answer
        if answer and answer not in trained:
            problems.append("the completion is not the trained part")
        prompt_text = next((t.get("content") for t in row["prompt"] if t.get("role") == "user"), "") or ""
        if len(prompt_text) > 8 and prompt_text in trained and prompt_text not in answer:
            problems.append("the prompt is trained on")
    return problems


def prepare(trainer_inputs, tokenizer, name, model, work, tag, splits, **config):
    """Construct SFTTrainer (which prepares train and eval) and check every prepared row against its record."""
    from trl import SFTTrainer

    spec = TEMPLATES[name]
    result = {"error": None, "splits": {}}
    try:
        trainer = SFTTrainer(model=model, args=sft_config(work, tag, **config), processing_class=tokenizer,
                             train_dataset=trainer_inputs["train"], eval_dataset=trainer_inputs.get("validation"))
    except Exception as exc:  # noqa: BLE001
        result["error"] = {"type": type(exc).__name__, "message": str(exc)[:1000], "traceback": traceback.format_exc()[-3000:]}
        return result
    prepared = {"train": trainer.train_dataset, "validation": trainer.eval_dataset}
    for split in splits:
        source, done = trainer_inputs[split], prepared[split]
        entry = {"rows": len(source), "prepared": len(done) if done is not None else 0, "problem_rows": 0,
                 "problems": [], "tokens": 0, "trained_tokens": 0, "tool_call_turns": 0, "tool_turns": 0}
        if done is not None:
            for index, (row, ready) in enumerate(zip(source, done)):
                ids, labels = ready["input_ids"], ready["labels"]
                text = tokenizer.decode(ids)
                trained = tokenizer.decode([t for t, label in zip(ids, labels) if label != -100])
                entry["tokens"] += len(ids)
                entry["trained_tokens"] += sum(1 for label in labels if label != -100)
                turns = turns_of(row) or []
                entry["tool_call_turns"] += sum(1 for t in turns if t.get("tool_calls"))
                entry["tool_turns"] += sum(1 for t in turns if t.get("role") == "tool")
                problems = check_row(row, text, trained, spec)
                if problems:
                    entry["problem_rows"] += 1
                    if len(entry["problems"]) < 3:
                        entry["problems"].append({"row": index, "problems": problems, "text": text[:600]})
        result["splits"][split] = entry
    return result


def run_check(check, work, tokenizers, models):
    import datasets

    loaded = datasets.load_dataset(check["folder"])
    out = {}
    for name in check["templates"]:
        tag = f"{check['label']}-{name}".replace("/", "-")
        config = {"dataset_text_field": "text"} if name == "none" else {}
        out[name] = prepare(loaded, tokenizers[name], name, models[name], work, tag, list(loaded.keys()), **config)
    return out


def run_config(entry, work, tokenizers, models):
    """A `trl sft` argv, parsed by TRL's sft parser; the splits loaded as trl/scripts/sft.py main loads them."""
    from datasets import load_dataset
    from trl.scripts.sft import make_parser

    name = entry["template"]
    result = {"error": None}
    cwd = os.getcwd()
    os.chdir(entry["cwd"])
    try:
        # --use_cpu: this machine has no GPU, and SFTConfig refuses its bf16 default without one.
        script_args, training_args, _model_args, dataset_args = make_parser().parse_args_and_config(
            args=[*entry["argv"], "--use_cpu", "true"], fail_with_unknown_args=True)
        result["args"] = {"dataset_name": script_args.dataset_name, "train_split": script_args.dataset_train_split,
                          "test_split": script_args.dataset_test_split, "eval_strategy": getattr(training_args.eval_strategy, "value", str(training_args.eval_strategy)),
                          "dataset_text_field": training_args.dataset_text_field}
        if dataset_args.datasets:
            raise ValueError("the command line uses a dataset mixture, not the folder")
        # trl/scripts/sft.py main: load_dataset(dataset_name, name=dataset_config), then the two splits.
        dataset = load_dataset(script_args.dataset_name, name=script_args.dataset_config)
        inputs = {"train": dataset[script_args.dataset_train_split]}
        if training_args.eval_strategy != "no":
            inputs["validation"] = dataset[script_args.dataset_test_split]
        result["prepared"] = prepare(inputs, tokenizers[name], name, models[name], work, entry["label"], list(inputs),
                                     dataset_text_field=training_args.dataset_text_field)
    except BaseException as exc:  # noqa: BLE001  (argparse exits with SystemExit)
        result["error"] = {"type": type(exc).__name__, "message": str(exc)[:1000], "traceback": traceback.format_exc()[-3000:]}
    finally:
        os.chdir(cwd)
    return result


def main():
    import datasets
    import transformers

    datasets.disable_progress_bars()
    datasets.logging.set_verbosity_error()
    transformers.logging.set_verbosity_error()
    plan = json.load(sys.stdin)
    work = plan["work"]
    names = {n for c in plan.get("checks", []) for n in c["templates"]} | {c["template"] for c in plan.get("configs", [])}
    tokenizers = {n: build_tokenizer(work, n) for n in sorted(names)}
    models = {n: tiny_model(len(tokenizers[n])) for n in sorted(names)}
    report = {"checks": {}, "configs": {}}
    for check in plan.get("checks", []):
        try:
            report["checks"][check["label"]] = run_check(check, work, tokenizers, models)
        except Exception as exc:  # noqa: BLE001
            report["checks"][check["label"]] = {"error": {"type": type(exc).__name__, "message": str(exc)[:1000],
                                                          "traceback": traceback.format_exc()[-3000:]}}
    for entry in plan.get("configs", []):
        report["configs"][entry["label"]] = run_config(entry, work, tokenizers, models)
    print(json.dumps(report, ensure_ascii=False))


if __name__ == "__main__":
    main()
