"""Enrich: what is derived after extraction (a pair's deal record, money in USD)."""
