"""Resolve, across articles: duplicates and reposts, one entity per real-world entity, story clusters,
each article's reference date and the dated events, one story event per real event, and the conflicts
between sources."""
