"""Following the news: feeds whose new items are fetched and stored (``feeds``), claims
watched on every new article (``watches``), their state in the corpus's ``follow.sqlite3``
(``store``) and results (``results``). Above ingest and search: a feed item is ingested as a
link is, and a watch judges new articles with the verdicts of ``sources``."""
