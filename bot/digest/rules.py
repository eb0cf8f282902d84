"""The digest's due-time rules: pure functions of a schedule's local time, its IANA time zone
and what was posted (the rules themselves are in ``bot.digest``'s docstring)."""
from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from index import UserError, utc

EMPTY_MODES = ("line", "nothing")  # on a day with nothing new: a short line, or no post
LATE_AFTER = timedelta(minutes=10)
RETRY_AFTER = timedelta(minutes=30)  # after a failed post, try again this much later
DEFAULT_WINDOW = timedelta(hours=24)

_TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


# -- parsing -------------------------------------------------------------------------------


def parse_time(text: str) -> time:
    """"HH:MM" (24-hour clock, "8:00" accepted) -> time; UserError otherwise."""
    match = _TIME.match((text or "").strip())
    if not match:
        raise UserError(f"cannot read the time {text!r}: give a 24-hour time as HH:MM, for example 08:00 or 17:30")
    return time(int(match.group(1)), int(match.group(2)))


def format_time(value: time) -> str:
    return f"{value.hour:02d}:{value.minute:02d}"


def parse_timezone(name: str) -> ZoneInfo:
    """An IANA time zone ("Europe/London", "UTC") -> ZoneInfo; UserError otherwise."""
    key = (name or "").strip()
    if not key:
        raise UserError("give a time zone as an IANA name, for example Europe/London or America/New_York")
    try:
        return ZoneInfo(key)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise UserError(f"unknown time zone {key!r}: give an IANA name, for example Europe/London, "
                        "America/New_York or UTC") from None


def timezone_choices(current: str, limit: int = 25) -> list[str]:
    """IANA names containing what was typed (for autocomplete), shortest first."""
    from zoneinfo import available_timezones

    needle = (current or "").strip().casefold().replace(" ", "_")
    names = sorted(available_timezones())
    found = [n for n in names if needle in n.casefold()]
    found.sort(key=lambda n: (not n.casefold().startswith(needle), len(n), n))
    return found[:limit]


# -- due-time rules (pure) -------------------------------------------------------------------


def local_day(now: datetime, tz: ZoneInfo) -> date:
    return utc(now).astimezone(tz).date()


def scheduled_at(day: date, at: time, tz: ZoneInfo) -> datetime:
    """The UTC moment of local time ``at`` on local day ``day`` (see the module docstring
    for times skipped or repeated by a daylight-saving change)."""
    return datetime.combine(day, at).replace(tzinfo=tz, fold=0).astimezone(timezone.utc)


def due_day(now: datetime, at: time, tz: ZoneInfo, *, active_from: datetime | None = None,
            last_posted_day: date | None = None) -> date | None:
    """The day whose digest is due at ``now``, or None (see the module docstring)."""
    now = utc(now)
    today = local_day(now, tz)
    for day in (today, today - timedelta(days=1)):
        moment = scheduled_at(day, at, tz)
        if moment > now:
            continue
        if active_from is not None and moment < utc(active_from):
            return None
        if last_posted_day is not None and day <= last_posted_day:
            return None
        return day
    return None


def next_run_at(now: datetime, at: time, tz: ZoneInfo, *, active_from: datetime | None = None,
                last_posted_day: date | None = None) -> datetime:
    """The next scheduled moment after ``now`` whose day would be due then."""
    now = utc(now)
    today = local_day(now, tz)
    for offset in range(0, 4):
        day = today + timedelta(days=offset)
        moment = scheduled_at(day, at, tz)
        if moment <= now or (active_from is not None and moment < utc(active_from)):
            continue
        if last_posted_day is not None and day <= last_posted_day:
            continue
        return moment
    return scheduled_at(today + timedelta(days=4), at, tz)  # unreachable in practice


def is_late(now: datetime, day: date, at: time, tz: ZoneInfo, grace: timedelta = LATE_AFTER) -> bool:
    return utc(now) - scheduled_at(day, at, tz) > grace


def late_label(at: time, tz_name: str) -> str:
    return f"late: scheduled {format_time(at)} {tz_name}"


def window(now: datetime, last_until: datetime | None, first_set_at: datetime | None = None
           ) -> tuple[datetime, datetime]:
    """[since, until) of the next digest: since the previous digest's end; for the first
    digest, the last 24 hours or, when earlier, since the digest was first set up (so a
    first digest posted late still covers everything since set-up)."""
    until = utc(now)
    if last_until is not None:
        since = utc(last_until)
    else:
        since = until - DEFAULT_WINDOW
        if first_set_at is not None:
            since = min(since, utc(first_set_at))
    return min(since, until), until
