#!/usr/bin/env bash
# Installs the Python stack the parity tests compare against (torch CPU, transformers,
# tokenizers, safetensors; pyarrow and 🤗 datasets read the verl Parquet back; trl runs the
# TRL end-to-end test). It is a test-time reference only: looptool itself never
# imports Python. pip is pointed at the machine's configured package indexes, so it
# never waits on an unreachable public index.
set -euo pipefail
if python3 -c 'import torch, transformers, tokenizers, safetensors, pyarrow, datasets, trl' 2>/dev/null; then
  exit 0
fi
read -r -a indexes <<<"$(pip config get global.extra-index-url 2>/dev/null || true)"
args=()
if [ "${#indexes[@]}" -gt 0 ]; then
  args+=(--index-url "${indexes[0]}")
  for extra in "${indexes[@]:1}"; do args+=(--extra-index-url "$extra"); done
fi
links="$(pip config get global.find-links 2>/dev/null || true)"
[ -n "$links" ] && args+=(--find-links "$links")
python3 -m pip install --quiet --disable-pip-version-check "${args[@]}" torch transformers tokenizers safetensors pyarrow datasets trl
