"""Whole-page cache for anonymous visitors, invalidated by a site-wide generation number.

- `generation.py`: the generation number (read, bump on commit) and `cached_per_generation()`.
- `signals.py`: every write to a model that can appear on a public page bumps the generation.
- `middleware.py`: serves allowlisted public pages to anonymous visitors from the cache.
"""
