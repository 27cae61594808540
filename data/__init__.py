"""Validated data files shipped with cpcbot (salary dataset, question bank, sources)."""
