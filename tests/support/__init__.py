"""What the tests build their worlds from, and what bench/ reuses: SimCord newsrooms with a
running bot (``bot_world``, loaded as a pytest plugin by tests/conftest.py), a `chroma run`
server on loopback (``chroma_server``), the synthetic news corpus (``synthetic``), a
model-free embedder (``hashing_embedder``), the crash experiment (``crash``) and the bot's
load and restart scenarios on SimCord (``bot_load``, ``bot_restart``).

bench/ imports from here; nothing here (nor anywhere in tests/) imports bench/
(`.importlinter`, contract tests-never-import-bench).
"""
