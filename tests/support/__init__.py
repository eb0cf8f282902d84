"""What the tests (and bench/) build their worlds from: SimCord newsrooms with a running bot
(``bot_world``)."""
