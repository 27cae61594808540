"""A throwaway PostgreSQL schema for one benchmark run (the benches share it)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import asyncpg


@asynccontextmanager
async def pg_schema(server: str) -> AsyncIterator[str]:
    """A URL whose search_path is a new schema on ``server``; the schema is dropped afterwards."""
    name = f"bench_{uuid.uuid4().hex[:10]}"
    admin = await asyncpg.connect(server)
    await admin.execute(f'CREATE SCHEMA "{name}"')
    try:
        yield f"{server}{'&' if '?' in server else '?'}search_path={name}"
    finally:
        await admin.execute(f'DROP SCHEMA "{name}" CASCADE')
        await admin.close()
