"""kg: a news-events knowledge graph builder."""

__version__ = "0.1.0"
