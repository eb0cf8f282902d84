"""One cog per feature; ``COGS`` lists them in the order they are loaded."""
from __future__ import annotations

from .analysis import AnalysisCog
from .articles import ArticlesCog
from .digest import DigestCog
from .edit import EditCog
from .feeds import FeedsCog
from .help import HelpCog
from .inbox import InboxCog
from .outlets import OutletsCog
from .sources import SourcesCog
from .upload import UploadCog
from .watch import WatchCog

COGS = (SourcesCog, ArticlesCog, AnalysisCog, UploadCog, EditCog, InboxCog, DigestCog, FeedsCog, WatchCog, OutletsCog, HelpCog)
