"""Versioned schema migrations. Each entry runs once, in order, inside one transaction, and the
``schema_version`` table records it. SQL stays portable (SQLite and PostgreSQL): TEXT ids, ISO-8601
UTC timestamps, INTEGER flags."""

from __future__ import annotations

MIGRATIONS: list[tuple[int, str, list[str]]] = [
    (
        1,
        "daily-question schedules",
        [
            """CREATE TABLE schedules (
                community_id TEXT NOT NULL,
                channel_id TEXT NOT NULL,
                platform TEXT NOT NULL,
                post_time TEXT NOT NULL,
                timezone TEXT NOT NULL,
                days TEXT NOT NULL,
                topics TEXT NOT NULL DEFAULT '',
                paused INTEGER NOT NULL DEFAULT 0,
                updated_by TEXT NOT NULL,
                updated_at TEXT NOT NULL,
                PRIMARY KEY (community_id, channel_id)
            )""",
            "CREATE INDEX schedules_by_platform ON schedules (platform, paused)",
        ],
    ),
]
