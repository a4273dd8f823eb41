"""verl reward function that asks looptool's reward server for the LoopTool tool-call reward.

looptool scores replies with one implementation (its TypeScript matcher); this module only
carries verl's calls to it over HTTP, so no Python copy of the rules can drift from it.

Start the server where the trainer can reach it:

    looptool serve-reward --port 8300            # add --host 0.0.0.0 --api-key KEY for a cluster

and point verl at this file:

    custom_reward_function.path=/path/to/looptool_reward.py
    custom_reward_function.name=compute_score            # one request per reply (naive manager)
    # or, one request per batch:
    reward_model.reward_manager=batch custom_reward_function.name=compute_score_batch

Environment:
    LOOPTOOL_REWARD_URL      server address (default http://127.0.0.1:8300)
    LOOPTOOL_API_KEY         sent as "Authorization: Bearer KEY" when set
    LOOPTOOL_REWARD_RETRIES  attempts after the first on connection errors and 5xx (default 5)
    LOOPTOOL_REWARD_BACKOFF  first wait in seconds, doubled each retry up to 10 s (default 0.5)
    LOOPTOOL_REWARD_TIMEOUT  seconds per request (default 60)
    LOOPTOOL_REWARD_CHUNK    replies per request for batches (default 512)

Standard library only, so it imports in any verl environment.
"""

import json
import os
import time
import urllib.error
import urllib.request

DEFAULT_URL = "http://127.0.0.1:8300"

__all__ = ["compute_score", "compute_score_batch", "LooptoolRewardError", "LooptoolRewardUnavailable"]


class LooptoolRewardError(RuntimeError):
    """The server answered, but not with scores (a 4xx or a malformed answer): retrying cannot help."""


class LooptoolRewardUnavailable(LooptoolRewardError):
    """The server could not be reached, or kept failing, after every retry."""


def _env_number(name, default, cast):
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return cast(raw)
    except ValueError:
        raise LooptoolRewardError(f"{name}={raw!r} is not a number") from None


def _base_url():
    return os.environ.get("LOOPTOOL_REWARD_URL", DEFAULT_URL).rstrip("/")


def _jsonable(value):
    # verl hands over numpy scalars and arrays inside extra_info; the server only needs JSON.
    if hasattr(value, "item") and getattr(value, "ndim", 0) == 0:
        return value.item()
    if hasattr(value, "tolist"):
        return value.tolist()
    return str(value)


def _how_to_start(url):
    return (
        f"Is looptool's reward server running at {url}? Start it with "
        "`looptool serve-reward --port 8300` (add `--host 0.0.0.0 --api-key KEY` to reach it "
        "across a cluster) and set LOOPTOOL_REWARD_URL to its address (and LOOPTOOL_API_KEY to the key)."
    )


def _post_reward(items):
    """POSTs items to /reward, retrying connection errors, timeouts and 5xx with backoff."""
    url = _base_url() + "/reward"
    retries = _env_number("LOOPTOOL_REWARD_RETRIES", 5, int)
    backoff = _env_number("LOOPTOOL_REWARD_BACKOFF", 0.5, float)
    timeout = _env_number("LOOPTOOL_REWARD_TIMEOUT", 60.0, float)
    body = json.dumps(items, default=_jsonable).encode("utf-8")
    headers = {"content-type": "application/json"}
    key = os.environ.get("LOOPTOOL_API_KEY")
    if key:
        headers["authorization"] = f"Bearer {key}"

    last_problem = None
    for attempt in range(retries + 1):
        if attempt > 0:
            time.sleep(min(backoff * 2 ** (attempt - 1), 10.0))
        request = urllib.request.Request(url, data=body, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                text = response.read().decode("utf-8", "replace")
            break
        except urllib.error.HTTPError as e:
            detail = e.read().decode("utf-8", "replace")[:500]
            if e.code < 500:
                # A refused body or key: the same request would be refused again.
                raise LooptoolRewardError(f"POST {url} answered {e.code}: {detail}") from None
            last_problem = f"{e.code}: {detail}"
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError) as e:
            last_problem = str(getattr(e, "reason", e))
    else:
        raise LooptoolRewardUnavailable(
            f"POST {url} failed after {retries + 1} attempts (last: {last_problem}). {_how_to_start(_base_url())}"
        )

    try:
        answer = json.loads(text)
    except ValueError:
        raise LooptoolRewardError(f"POST {url} answered with something that is not JSON: {text[:200]!r}") from None
    if not isinstance(answer, list) or len(answer) != len(items):
        raise LooptoolRewardError(f"POST {url} answered {str(answer)[:200]!r}, expected a list of {len(items)} results")
    scores = []
    for i, result in enumerate(answer):
        score = result.get("score") if isinstance(result, dict) else None
        if isinstance(score, bool) or not isinstance(score, (int, float)):
            raise LooptoolRewardError(f"POST {url}: result {i} has no numeric score: {str(result)[:200]!r}")
        scores.append(float(score))
    return scores


def _item(solution_str, ground_truth, extra_info):
    item = {"response": solution_str, "ground_truth": ground_truth}
    if isinstance(extra_info, dict):
        item["extra_info"] = extra_info
    return item


def compute_score(data_source, solution_str, ground_truth, extra_info=None, **kwargs):
    """verl's per-reply reward: 1.0 when the reply makes the label's calls (or replies in text to a text label), else 0.0."""
    return _post_reward([_item(solution_str, ground_truth, extra_info)])[0]


def compute_score_batch(data_sources, solution_strs, ground_truths, extra_infos=None, **kwargs):
    """verl's batch reward manager calls this with lists; returns the scores in the same order."""
    if extra_infos is None:
        extra_infos = [None] * len(solution_strs)
    if not (len(solution_strs) == len(ground_truths) == len(extra_infos)):
        raise LooptoolRewardError(
            f"solution_strs, ground_truths and extra_infos differ in length: "
            f"{len(solution_strs)}, {len(ground_truths)}, {len(extra_infos)}"
        )
    chunk = max(1, _env_number("LOOPTOOL_REWARD_CHUNK", 512, int))
    items = [_item(s, g, e) for s, g, e in zip(solution_strs, ground_truths, extra_infos)]
    scores = []
    for start in range(0, len(items), chunk):
        scores.extend(_post_reward(items[start : start + chunk]))
    return scores
