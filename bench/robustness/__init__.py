"""Robustness: SIGKILLed ingests, a Chroma server restarted mid-load and the bot under load;
each run fails when an article is lost or the event loop stalls past its bound."""
