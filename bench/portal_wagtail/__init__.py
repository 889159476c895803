"""Bench-only Django app: the benchmark's documents as a Wagtail-indexed model (bench/bench_portal_search.py).

Installed only by bench/portal_search_settings.py; the project and its tests never import it or Wagtail.
"""
