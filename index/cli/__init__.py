"""The ``sourcedesk`` command: one thin subcommand per ``Engine`` method (``commands``), their
terminal text (``text_output``) and the demo (``demo``). The JSON is the contract in
shared/cli-contract.md; other packages add subcommands through the ``sourcedesk.commands``
entry-point group (how ``sourcedesk bot`` exists without ``index`` importing ``bot``).

May import: anything in ``index``. Nothing in ``index`` imports it."""
