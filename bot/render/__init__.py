"""Everything the bot shows, built from the engine's typed results: one module per feature,
over shared primitives. Nothing here talks to Discord; the cogs send what is built here.

- ``primitives``: escaping, shortening within limits, block quotes, metadata for display,
  embed packing and paging, error lines, times; ``limits``: Discord's size limits.
- ``sources`` (the /sources claim card, /search, "Find sources"), ``articles`` (/article,
  /articles, upload receipts, /edit and "Apply metadata"), ``analysis`` (/compare,
  /lineage), ``digest`` (the daily digest and its status), ``help`` (/help);
  ``quote_marks`` (changed words in bold inside a quote), ``pictures`` (PNG and HTML
  attachments, fitted to the upload limit).

Rules:
- Quotes are shown verbatim as block quotes ("> "). A passage too long for its slot is
  shortened only at a word boundary and marked with an ellipsis ("…") where text was
  left out; Markdown characters are escaped so Discord shows them literally. Removing
  the escaping and the ellipses always gives a substring of the stored article.
- Besides quotes, output holds only metadata, numbers and labels; unknown metadata is
  shown as "unknown", except in title positions, which name an untitled article by what
  is known of it (``primitives.name_of``).
- Every message fits Discord's limits (``limits``): long results are split into more
  embeds, and embeds into pages (one message each).
"""
