"""The daily digest's schedule: its due-time rules (``rules``), the schedules in SQLite
(``store``) and the loop that posts them (``scheduler``); the commands are in
``bot.cogs.digest``, the pages in ``bot.render.digest``.

Rules (README.md, "Daily digest", says the same for users):

- A schedule posts the digest of local day ``D`` (the date in its IANA time zone) at
  ``D``'s configured local time. A local time that does not exist on ``D`` (the hour
  skipped when clocks go forward) means the same wall-clock reading before the jump,
  which lands just after it (01:30 on the spring-forward night in London is 02:30
  BST); a time that occurs twice (clocks go back) means its first occurrence.
- The due day at ``now`` is the latest day whose scheduled moment has passed, provided
  that moment is not before the schedule was set (``active_from``: setting a schedule
  at 10:00 for 08:00 does not post at once) and that day has not been posted yet. Only
  the latest missed day is ever due, so a bot that was down for days posts one late
  digest, not one per missed day.
- A digest is "late" when it is posted more than ``LATE_AFTER`` after its scheduled
  moment.
- A scheduled day is claimed in the database before it is posted and marked done after,
  so it is posted once however often the bot restarts; a claim left by a crash mid-post
  is resolved at start-up by looking for the post in the channel. A channel that is gone
  or that the bot may not post in is reported to the manager who set the digest up (by
  direct message, once a day), in the log, and on the next /digest command.
"""
