# The two commands of the README: `make demo` and `make test` (each sets up first).
.PHONY: setup demo test lint test-embedded test-server bench bot transcript

setup:
	bash scripts/setup.sh

demo: setup
	HF_HUB_OFFLINE=1 .venv/bin/sourcedesk demo

# The whole suite on the embedded store, then the engine suites against `chroma run` (and the
# bot through a `chroma run` restart, which starts its own server).
test: setup lint test-embedded test-server

# The layer contract: index/ layered bottom-up, bot/ through index's public API only, product
# code never importing tests/ or bench/, tests/ never importing bench/ (.importlinter).
lint: setup
	.venv/bin/lint-imports

test-embedded: setup
	HF_HUB_OFFLINE=1 .venv/bin/python -m pytest -q -p no:cacheprovider $(PYTEST_ARGS)

test-server: setup
	HF_HUB_OFFLINE=1 scripts/with-chroma-server.sh .venv/bin/python -m pytest -q -p no:cacheprovider \
		tests/test_engine.py tests/test_cli.py tests/test_compare.py tests/test_lineage.py \
		tests/test_stories.py tests/test_metadata_edit.py tests/test_scale_limits.py \
		tests/test_bot_restart.py $(PYTEST_ARGS)

bench: setup
	HF_HUB_OFFLINE=1 .venv/bin/python -m bench.run_all

bot: setup
	HF_HUB_OFFLINE=1 .venv/bin/sourcedesk bot

# Every message the bot sends in a realistic session, as text (docs/transcript.md).
transcript: setup
	HF_HUB_OFFLINE=1 .venv/bin/python scripts/transcript.py docs/transcript.md
