"""Moving a community's data between stores (SQLite → PostgreSQL, or a backup): JSON Lines.

The first line is a header (format, schema version, community filter); each further line is one row
``{"table": ..., "row": {...}}``. Every row is validated by a pydantic model on the way in, and the
import runs in one transaction: it lands whole or not at all. Rows already present (same primary key)
are left as they are and counted as skipped, so re-running an import is harmless.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterable
from typing import Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from bot.storage.store import TABLES, Store, latest_schema

FORMAT = "cpcbot-export"
CHUNK = 500


class ExportHeader(BaseModel):
    model_config = ConfigDict(extra="forbid")

    format: Literal["cpcbot-export"]
    schema_version: int
    community_id: str | None = None


class ScheduleRow(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    community_id: str
    channel_id: str
    platform: str
    post_time: str
    timezone: str
    days: str
    topics: str
    paused: int
    updated_by: str
    updated_at: str


class PostRow(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    id: str
    community_id: str
    channel_id: str
    platform: str
    quiz_date: str
    question_id: str
    state: Literal["claimed", "posted", "closed"]
    message_id: str | None
    claimed_at: str
    posted_at: str | None
    answers: int
    correct_answers: int


class AnswerRow(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    post_id: str
    community_id: str
    user_id: str
    user_name: str
    letter: Literal["A", "B", "C", "D"]
    correct: int
    answered_at: str


ROW_MODELS: dict[str, type[BaseModel]] = {"schedules": ScheduleRow, "posts": PostRow, "answers": AnswerRow}
KEYS = {"schedules": ("community_id", "channel_id"), "posts": ("id",), "answers": ("post_id", "user_id")}


class ExportFileError(ValueError):
    """The file is not an export this version can read; the message says which line and why."""


async def export_lines(store: Store, community_id: str | None = None) -> AsyncIterator[str]:
    header = ExportHeader(
        format=FORMAT, schema_version=await store.schema_version(), community_id=community_id
    )
    yield header.model_dump_json()
    for table, (columns, key) in TABLES.items():
        where = " WHERE community_id = ?" if community_id else ""
        rows = await store.fetch_all(
            f"SELECT {', '.join(columns)} FROM {table}{where} ORDER BY {key}",
            (community_id,) if community_id else (),
        )
        for row in rows:
            yield json.dumps(
                {"table": table, "row": dict(zip(columns, row, strict=True))}, ensure_ascii=False
            )


def parse_export(lines: Iterable[str]) -> tuple[ExportHeader, dict[str, list[BaseModel]]]:
    rows: dict[str, list[BaseModel]] = {table: [] for table in TABLES}
    header: ExportHeader | None = None
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            if header is None:
                header = ExportHeader.model_validate(item)
                if header.schema_version > latest_schema():
                    raise ExportFileError(
                        f"line 1: the export has schema {header.schema_version}, this cpcbot knows up to "
                        f"{latest_schema()}; upgrade cpcbot first"
                    )
                continue
            table = item.get("table") if isinstance(item, dict) else None
            if table not in ROW_MODELS:
                raise ExportFileError(f"line {number}: unknown table {table!r}")
            rows[table].append(ROW_MODELS[table].model_validate(item.get("row")))
        except json.JSONDecodeError as exc:
            raise ExportFileError(f"line {number}: not JSON ({exc.msg})") from None
        except ValidationError as exc:
            error = exc.errors()[0]
            where = ".".join(str(p) for p in error["loc"])
            raise ExportFileError(f"line {number}: {where}: {error['msg']}") from None
    if header is None:
        raise ExportFileError("the file is empty: expected a cpcbot export")
    return header, rows


async def import_rows(store: Store, rows: dict[str, list[BaseModel]]) -> dict[str, tuple[int, int]]:
    """Insert every row in one transaction; returns {table: (inserted, skipped)}."""
    await store.schema_version()  # opens the store and brings its schema up to date first
    done: dict[str, tuple[int, int]] = {}
    async with store.transaction() as tx:
        for table, models in rows.items():
            columns = TABLES[table][0]
            inserted = 0
            for start in range(0, len(models), CHUNK):
                chunk = models[start : start + CHUNK]
                values = ", ".join("(" + ", ".join("?" * len(columns)) + ")" for _ in chunk)
                params = [getattr(model, column) for model in chunk for column in columns]
                inserted += await tx.execute(
                    f"INSERT INTO {table} ({', '.join(columns)}) VALUES {values} "
                    f"ON CONFLICT ({', '.join(KEYS[table])}) DO NOTHING",
                    params,
                )
            done[table] = (inserted, len(models) - inserted)
    return done
