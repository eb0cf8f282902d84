"""Following the news in Discord: the feeds' polling loop (``poller``) and the watched
claims' alerts (``alerts``). What is due and what was posted lives in the corpus's
``follow.sqlite3`` (index/follow/), so both survive restarts: a feed's next poll and its
backoff are stored there, each feed item is ingested once, and each alert is claimed before
it is posted, so no restart or second round posts it twice. The commands are
``cogs/feeds.py`` and ``cogs/watch.py``."""
