"""What vulture (`vulture index bot vulture_allowlist.py --min-confidence 60`) cannot see being
used: names that only a framework or an entry point calls. Each line says who calls it. Not
imported by anything; vulture only reads the names (``_`` stands for any object)."""

# -- bot: what only discord.py (or the CLI's entry points) calls -------------------------------

_.guild_messages  # Intents flag, read by discord.py when it connects (bot/__init__.py intents)
_.message_content  # Intents flag, read by discord.py when it connects (the inbox reads files)
_.warn_nacl  # VoiceClient switch discord.py reads before warning about voice libraries
_.warn_dave  # VoiceClient switch discord.py reads before warning about voice libraries
_.setup_hook  # commands.Bot hook, called by discord.py before it connects: loads cogs, syncs
_.on_ready  # gateway event handler, called by discord.py
_.on_error  # CommandTree hook, called by discord.py with a command's unhandled error
_.guild_only  # app command flag, sent by discord.py when it syncs the commands
_.cog_load  # Cog hook, called by discord.py when the cog is added (the digest starts its loop)
_.cog_unload  # Cog hook, called by discord.py when the cog is removed or the bot closes
_.on_message  # Cog listener (@commands.Cog.listener), called by discord.py for each message
_.help  # /help's callback, called by discord.py (@app_commands.command)
_.now_  # /digest now's callback, called by discord.py (@digest.command)
_.off  # /digest off's callback, called by discord.py (@digest.command)
_.list_feeds  # /feeds list's callback, called by discord.py (@feeds.command)
_.list_watches  # /watch list's callback, called by discord.py (@watch.command)
_.on_articles_added  # Cog listener of the bot's own event (common.ARTICLES_ADDED), called by discord.py
_.list_  # /outlets list's callback, called by discord.py (@outlets.command; "list" is a builtin)
_._article  # autocomplete callback of the article options, called by discord.py
_._outlet  # autocomplete callback of the outlet options, called by discord.py
_._timezone  # autocomplete callback of /digest setup's timezone, called by discord.py
_._command  # autocomplete callback of /help's command option, called by discord.py
_.interaction_check  # View hook, called by discord.py before a button's callback
_.on_timeout  # View hook, called by discord.py when the buttons time out
_.disabled  # button state, sent by discord.py when the view is edited
_.register  # entry point sourcedesk.commands (pyproject.toml): adds `sourcedesk bot` to the CLI

# -- index: the public API's methods that only the bot calls, and what sqlite3 reads ----------

_.ingest_bytes  # Engine.ingest_bytes: /upload and the inbox channel (bot/ingest.py)
_.find_articles  # Engine.find_articles: the article options' autocomplete (bot/common.py)
_.plan_edit  # Engine.plan_edit: /edit's preview before it asks to confirm (bot/cogs/edit.py)
_.record_uploader  # Engine.record_uploader: who added an upload, for edit rights (bot/ingest.py)
_.uploader  # Engine.uploader: edit rights (bot/policy.py)
_.row_factory  # sqlite3.Connection attribute, read by sqlite3 when it builds rows (store/article_db.py)
