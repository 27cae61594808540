"""``cpcbot migrate``, ``cpcbot export`` and ``cpcbot import``: operator commands on the configured store
(CPCBOT_DATABASE_URL, else the SQLite file). They print one line a step and exit non-zero with a clear
reason on failure; they never print the database URL (it may hold a password)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TextIO

from bot.config import Settings
from bot.storage.store import Store, open_store
from bot.storage.transfer import ExportFileError, export_lines, import_rows, parse_export


def describe(store: Store, settings: Settings) -> str:
    return "PostgreSQL" if store.dialect == "postgresql" else f"SQLite file {settings.sqlite_path}"


async def migrate(settings: Settings) -> int:
    store = open_store(settings)
    try:
        version = await store.schema_version()
    except (OSError, ConnectionError) as exc:
        print(f"cpcbot migrate: cannot reach the database ({type(exc).__name__})", file=sys.stderr)
        return 1
    finally:
        await store.close()
    print(f"{describe(store, settings)}: schema at version {version}")
    return 0


async def export(settings: Settings, out: Path | None, community_id: str | None) -> int:
    store = open_store(settings)
    count = -1
    try:
        handle: TextIO = out.open("w", encoding="utf-8") if out else sys.stdout
        try:
            async for line in export_lines(store, community_id):
                handle.write(line + "\n")
                count += 1
        finally:
            if out:
                handle.close()
    finally:
        await store.close()
    print(f"exported {count} rows from {describe(store, settings)}", file=sys.stderr)
    return 0


async def import_file(settings: Settings, source: Path) -> int:
    try:
        with source.open(encoding="utf-8") as handle:
            header, rows = parse_export(handle)
    except OSError as exc:
        print(f"cpcbot import: cannot read {source}: {exc.strerror}", file=sys.stderr)
        return 2
    except ExportFileError as exc:
        print(f"cpcbot import: {source}: {exc}", file=sys.stderr)
        return 2
    store = open_store(settings)
    try:
        done = await import_rows(store, rows)
    finally:
        await store.close()
    scope = f"community {header.community_id}" if header.community_id else "every community"
    print(f"imported into {describe(store, settings)} ({scope}):")
    for table, (inserted, skipped) in done.items():
        print(f"  {table}: {inserted} inserted, {skipped} already present")
    return 0
