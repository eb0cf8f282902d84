"""Text rules, pure functions over strings with offsets: words and their keys (``words``),
the word diff (``word_diff``), names, aliases and titles (``names``), quotations and their
attributions (``quotations``), and the roles of passages in a text (``roles``: headline,
caption, dateline, body). The one place each rule lives; every other layer reads text through it.

May import: the base modules (``index.records``, ``index.errors``). Nothing above."""
