# The two commands of the README: `make demo` and `make test` (each sets up first).
.PHONY: setup demo test bench bot

setup:
	bash scripts/setup.sh

demo: setup
	HF_HUB_OFFLINE=1 .venv/bin/sourcedesk demo

test: setup
	HF_HUB_OFFLINE=1 .venv/bin/python -m pytest -q -p no:cacheprovider $(PYTEST_ARGS)

bench: setup
	HF_HUB_OFFLINE=1 .venv/bin/python -m bench.run_all

bot: setup
	HF_HUB_OFFLINE=1 .venv/bin/sourcedesk bot
