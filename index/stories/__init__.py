"""Articles as stories: what lineage and the digest decide within one story (``analysis``:
origin, placement, relations), same-event clusters of a digest window (``clusters``; the
average linkage and the split by nearest neighbours in ``linkage``), the lineage of one
article (``lineage``), the daily digest (``digest``) and their result types (``results``).

May import: ``index.compare``, ``index.store``, ``index.text`` and the base modules."""
