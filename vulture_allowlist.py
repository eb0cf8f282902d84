"""What vulture (`vulture index bot vulture_allowlist.py --min-confidence 60`) cannot see being
used: names that only a framework or an entry point calls. Each line says who calls it. Not
imported by anything; vulture only reads the names (``_`` stands for any object)."""

# -- index: the public API's methods that only the bot calls, and what sqlite3 reads ----------

_.ingest_bytes  # Engine.ingest_bytes: /upload and the inbox channel (bot/ingest.py)
_.find_articles  # Engine.find_articles: the article options' autocomplete (bot/common.py)
_.plan_edit  # Engine.plan_edit: /edit's preview before it asks to confirm (bot/cogs/edit.py)
_.record_uploader  # Engine.record_uploader: who added an upload, for edit rights (bot/ingest.py)
_.uploader  # Engine.uploader: edit rights (bot/edit_rights.py)
_.row_factory  # sqlite3.Connection attribute, read by sqlite3 when it builds rows (store/article_db.py)
