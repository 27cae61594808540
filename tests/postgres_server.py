"""A real PostgreSQL for the tests: the server `.ci/start-postgres` runs on 127.0.0.1, and one fresh
schema per test (reached through ``?search_path=``, which asyncpg passes to the server), dropped
afterwards. A schema is as isolated as a database for our tables and ten times faster to make."""

from __future__ import annotations

import asyncio
import os
import subprocess
import uuid
from pathlib import Path

import asyncpg

REPO = Path(__file__).resolve().parents[1]


def server_url() -> str:
    """CPCBOT_TEST_POSTGRES_URL if set (CI exports it), else start (and if need be install) the
    throwaway server with the same script CI uses."""
    url = os.environ.get("CPCBOT_TEST_POSTGRES_URL")
    if url:
        return url
    done = subprocess.run(
        ["bash", str(REPO / ".ci" / "start-postgres")], capture_output=True, text=True, timeout=900
    )
    if done.returncode != 0:
        raise RuntimeError(
            "could not start PostgreSQL for the tests (.ci/start-postgres failed: "
            f"{done.stderr.strip()[-400:]}); set CPCBOT_TEST_BACKENDS=sqlite to run the SQLite half only"
        )
    return done.stdout.strip().splitlines()[-1]


def create_database(server: str) -> str:
    name = f"cpcbot_t_{uuid.uuid4().hex[:12]}"
    asyncio.run(_admin(server, f'CREATE SCHEMA "{name}"'))
    return f"{server}?search_path={name}"


def drop_database(server: str, url: str) -> None:
    name = url.rsplit("search_path=", 1)[1]
    asyncio.run(_admin(server, f'DROP SCHEMA IF EXISTS "{name}" CASCADE'))


async def _admin(server: str, statement: str) -> None:
    conn = await asyncpg.connect(server)
    try:
        await conn.execute(statement)
    finally:
        await conn.close()
