"""What sourcedesk draws, from the results of the layers below and nothing else: the story
picture (``story_picture``), the claim timeline (``claim_timeline``), their shared style
(``style``: palette, dated axis, undated lane) and the side-by-side compare page
(``compare_page``, HTML). Matplotlib ``Figure`` objects only, so drawing is thread-safe.

May import: ``index.stories``, ``index.search``, ``index.compare`` results and the base modules."""
