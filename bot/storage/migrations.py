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
    (
        2,
        "daily-question posts and answers",
        [
            """CREATE TABLE posts (
                id TEXT PRIMARY KEY,
                community_id TEXT NOT NULL,
                channel_id TEXT NOT NULL,
                platform TEXT NOT NULL,
                quiz_date TEXT NOT NULL,
                question_id TEXT NOT NULL,
                state TEXT NOT NULL,
                message_id TEXT,
                claimed_at TEXT NOT NULL,
                posted_at TEXT,
                UNIQUE (community_id, channel_id, quiz_date)
            )""",
            "CREATE INDEX posts_by_channel ON posts (community_id, channel_id, state)",
            """CREATE TABLE answers (
                post_id TEXT NOT NULL REFERENCES posts (id),
                community_id TEXT NOT NULL,
                user_id TEXT NOT NULL,
                user_name TEXT NOT NULL,
                letter TEXT NOT NULL,
                correct INTEGER NOT NULL,
                answered_at TEXT NOT NULL,
                PRIMARY KEY (post_id, user_id)
            )""",
            "CREATE INDEX answers_by_member ON answers (community_id, user_id)",
        ],
    ),
    (
        3,
        "answer counts kept on the post, updated in the answer's transaction",
        [
            "ALTER TABLE posts ADD COLUMN answers INTEGER NOT NULL DEFAULT 0",
            "ALTER TABLE posts ADD COLUMN correct_answers INTEGER NOT NULL DEFAULT 0",
            """UPDATE posts SET
                answers = (SELECT COUNT(*) FROM answers a WHERE a.post_id = posts.id),
                correct_answers = (SELECT COALESCE(SUM(correct), 0) FROM answers a WHERE a.post_id = posts.id)""",
        ],
    ),
    (
        4,
        "Slack request keys seen, so a replay is dropped by every process, not only the first one",
        [
            "CREATE TABLE seen_requests (key TEXT PRIMARY KEY, seen_at TEXT NOT NULL)",
            "CREATE INDEX seen_requests_by_time ON seen_requests (seen_at)",
        ],
    ),
]
