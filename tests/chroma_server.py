"""The tests' name for bench/chroma_server.py (the restart load test uses it too)."""
from bench.chroma_server import ChromaServer, chroma_command, free_port

__all__ = ["ChromaServer", "chroma_command", "free_port"]
