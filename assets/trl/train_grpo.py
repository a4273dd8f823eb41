"""GRPO with TRL on one looptool round, the reward asked of looptool's reward server.

looptool writes this file beside the round's dataset and a run config (`trl-run.json`),
then runs it from `train.sh`:

    python3 train_grpo.py --config trl-run.json
    accelerate launch --num_processes 8 train_grpo.py --config trl-run.json

The reward is looptool's tool-call matcher, served by

    looptool serve-reward --port 8300          # add --host 0.0.0.0 --api-key KEY for a cluster

and reached through looptool_reward.py (the verl reward module, copied beside this file),
so there is one implementation of the rules and no Python copy of them.

Run config (JSON; looptool writes it):
    model           🤗 model id or directory to train
    dataset         JSONL rows {prompt: [{role, content}], ground_truth, sample_id, kind}
    output_dir      TRL's working checkpoints (a run resumes from the newest one)
    checkpoint_dir  where the trained model is saved in 🤗 format when training ends
    reward_url      looptool serve-reward's address
    resume          resume from the newest checkpoint in output_dir when there is one
    grpo            keyword arguments of trl.GRPOConfig (num_generations, epsilon, ...)

Environment:
    LOOPTOOL_REWARD_URL   overrides reward_url (the --reward-url flag overrides both)
    LOOPTOOL_API_KEY      sent as a Bearer token when the server requires one
    and looptool_reward.py's LOOPTOOL_REWARD_* retry, timeout and chunk settings.
"""

import argparse
import dataclasses
import json
import os
import shutil
import sys
import time
import urllib.error
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

REQUIRED_KEYS = ("model", "dataset", "output_dir", "checkpoint_dir", "reward_url", "grpo")


class RunConfigError(ValueError):
    """A run config or dataset problem, named by file, line and field."""


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description="GRPO with TRL on a looptool round, rewarded by looptool serve-reward.")
    parser.add_argument("--config", required=True, help="the run config looptool wrote (trl-run.json)")
    parser.add_argument("--reward-url", help="looptool serve-reward's address (overrides the config and LOOPTOOL_REWARD_URL)")
    parser.add_argument("--max-steps", type=int, help="stop after this many optimizer steps (overrides grpo.max_steps)")
    return parser.parse_args(argv)


def load_run_config(path):
    try:
        with open(path, encoding="utf-8") as f:
            config = json.load(f)
    except OSError as e:
        raise RunConfigError(f"{path}: cannot read the run config: {e.strerror}") from None
    except ValueError as e:
        raise RunConfigError(f"{path}: not valid JSON: {e}") from None
    if not isinstance(config, dict):
        raise RunConfigError(f"{path}: expected a JSON object")
    for key in REQUIRED_KEYS:
        if key not in config:
            raise RunConfigError(f"{path}: {key}: missing")
    for key in REQUIRED_KEYS[:-1]:
        if not isinstance(config[key], str) or config[key] == "":
            raise RunConfigError(f"{path}: {key}: expected a non-empty string")
    if not isinstance(config["grpo"], dict):
        raise RunConfigError(f"{path}: grpo: expected an object of trl.GRPOConfig settings")
    return config


def read_rows(path):
    """The dataset's rows, each checked for the columns the trainer and the reward need."""
    rows = []
    try:
        f = open(path, encoding="utf-8")
    except OSError as e:
        raise RunConfigError(f"{path}: cannot read the dataset: {e.strerror}") from None
    with f:
        for number, line in enumerate(f, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except ValueError as e:
                raise RunConfigError(f"{path}:{number}: not valid JSON: {e}") from None
            prompt = row.get("prompt") if isinstance(row, dict) else None
            if not isinstance(prompt, list) or not prompt or not all(
                isinstance(m, dict) and isinstance(m.get("role"), str) and isinstance(m.get("content"), str) for m in prompt
            ):
                raise RunConfigError(f"{path}:{number}: prompt: expected a non-empty list of {{role, content}} messages")
            if not isinstance(row.get("ground_truth"), str):
                raise RunConfigError(f"{path}:{number}: ground_truth: expected a string")
            rows.append(row)
    if not rows:
        raise RunConfigError(f"{path}: the dataset has no rows")
    return rows


def grpo_settings(config, config_path, config_class, max_steps):
    """GRPOConfig's keyword arguments; a name the installed TRL does not know is refused by name."""
    known = {f.name for f in dataclasses.fields(config_class)}
    unknown = sorted(k for k in config["grpo"] if k not in known)
    if unknown:
        raise RunConfigError(
            f"{config_path}: grpo.{unknown[0]}: trl.GRPOConfig has no such setting in the installed trl "
            f"(unknown: {', '.join(unknown)})"
        )
    settings = dict(config["grpo"])
    if max_steps is not None:
        settings["max_steps"] = max_steps
    return settings


def check_reward_server(url, attempts=3, wait=1.0):
    """Fails before the model is loaded when nothing answers at the reward server's address."""
    problem = None
    for attempt in range(attempts):
        if attempt > 0:
            time.sleep(wait)
        try:
            with urllib.request.urlopen(url.rstrip("/") + "/health", timeout=10) as response:
                answer = json.loads(response.read().decode("utf-8", "replace"))
            if isinstance(answer, dict) and answer.get("status") == "ok":
                return answer
            problem = f"/health answered {str(answer)[:200]!r}, not looptool's {{\"status\": \"ok\"}}"
        except urllib.error.HTTPError as e:
            problem = f"/health answered {e.code}"
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError, ValueError) as e:
            problem = str(getattr(e, "reason", e))
    raise SystemExit(
        f"train_grpo.py: looptool's reward server does not answer at {url} ({problem}). Start it with "
        "`looptool serve-reward --port 8300` (add `--host 0.0.0.0 --api-key KEY` to reach it across a cluster) "
        "and pass its address with --reward-url or LOOPTOOL_REWARD_URL."
    )


def render_tool_call(call):
    function = call.get("function", call) if isinstance(call, dict) else {}
    arguments = function.get("arguments", {})
    if isinstance(arguments, str):
        try:
            arguments = json.loads(arguments)
        except ValueError:
            pass
    return "<tool_call>\n" + json.dumps({"name": function.get("name"), "arguments": arguments}) + "\n</tool_call>"


def completion_text(completion):
    """The assistant's reply as text. Where TRL parsed tool calls out of the reply (tokenizers with a
    response schema), they are written back as <tool_call> blocks, so the matcher sees what the model wrote."""
    if isinstance(completion, str):
        return completion
    parts = []
    for message in completion:
        if not isinstance(message, dict) or message.get("role") != "assistant":
            continue
        content = message.get("content") or ""
        if isinstance(content, list):  # typed content blocks
            content = "".join(block.get("text", "") for block in content if isinstance(block, dict))
        calls = [render_tool_call(c) for c in message.get("tool_calls") or []]
        parts.append("\n".join(p for p in [content, *calls] if p))
    return "\n".join(parts)


def looptool_tool_call_reward(prompts, completions, ground_truth, sample_id=None, kind=None, **kwargs):
    """1.0 when a completion makes the label's calls (or replies in text to a text label), else 0.0,
    as looptool's reward server decides; one request per batch of completions."""
    import looptool_reward

    texts = [completion_text(c) for c in completions]
    ids = sample_id if sample_id is not None else [None] * len(texts)
    kinds = kind if kind is not None else [None] * len(texts)
    extra_infos = [{"id": i, "kind": k} for i, k in zip(ids, kinds)]
    return looptool_reward.compute_score_batch(["looptool"] * len(texts), texts, ground_truth, extra_infos)


def newest_checkpoint(output_dir):
    if not os.path.isdir(output_dir):
        return None
    steps = [name for name in os.listdir(output_dir) if name.startswith("checkpoint-") and name[11:].isdigit()]
    return os.path.join(output_dir, max(steps, key=lambda n: int(n[11:]))) if steps else None


def save_final_model(trainer, tokenizer, checkpoint_dir):
    """Saves the model beside its final place and renames it in, so a reader never sees half of it."""
    partial = checkpoint_dir.rstrip("/") + ".partial"
    if trainer.is_world_process_zero():
        shutil.rmtree(partial, ignore_errors=True)
    trainer.accelerator.wait_for_everyone()
    trainer.save_model(partial)  # every process takes part: sharded weights are gathered
    if trainer.is_world_process_zero():
        tokenizer.save_pretrained(partial)
        old = checkpoint_dir.rstrip("/") + ".old"
        shutil.rmtree(old, ignore_errors=True)
        if os.path.exists(checkpoint_dir):
            os.rename(checkpoint_dir, old)
        os.rename(partial, checkpoint_dir)
        shutil.rmtree(old, ignore_errors=True)
    trainer.accelerator.wait_for_everyone()


def main(argv=None):
    args = parse_args(argv)
    try:
        config = load_run_config(args.config)
        rows = read_rows(config["dataset"])
    except RunConfigError as e:
        raise SystemExit(f"train_grpo.py: {e}") from None

    url = args.reward_url or os.environ.get("LOOPTOOL_REWARD_URL") or config["reward_url"]
    os.environ["LOOPTOOL_REWARD_URL"] = url  # looptool_reward.py reads it
    health = check_reward_server(url)
    print(f"train_grpo.py: reward server at {url} ({health.get('variant', '?')} reward)", flush=True)

    from datasets import Dataset
    from transformers import AutoTokenizer
    from trl import GRPOConfig, GRPOTrainer

    try:
        settings = grpo_settings(config, args.config, GRPOConfig, args.max_steps)
    except RunConfigError as e:
        raise SystemExit(f"train_grpo.py: {e}") from None
    training_args = GRPOConfig(output_dir=config["output_dir"], **settings)
    tokenizer = AutoTokenizer.from_pretrained(config["model"])
    trainer = GRPOTrainer(
        model=config["model"],
        reward_funcs=[looptool_tool_call_reward],
        args=training_args,
        train_dataset=Dataset.from_list(rows),
        processing_class=tokenizer,
    )
    resume_from = newest_checkpoint(config["output_dir"]) if config.get("resume", True) else None
    if resume_from:
        print(f"train_grpo.py: resuming from {resume_from}", flush=True)
    trainer.train(resume_from_checkpoint=resume_from)
    save_final_model(trainer, tokenizer, config["checkpoint_dir"])
    if trainer.is_world_process_zero():
        print(f"train_grpo.py: saved the trained model to {config['checkpoint_dir']}", flush=True)


if __name__ == "__main__":
    main()
