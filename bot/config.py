"""Settings, built once at start-up from ``CPCBOT_*`` environment variables and an optional ``.env``."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="CPCBOT_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    data_dir: Path = Field(default=Path("var"), description="where the embedded SQLite file and outputs live")
    database_path: Path | None = Field(
        default=None, description="SQLite file; default <data_dir>/cpcbot.sqlite3"
    )
    database_url: SecretStr | None = Field(
        default=None, description="postgresql://user:password@host/db to use PostgreSQL instead of SQLite"
    )
    database_pool_size: int = Field(
        default=10, ge=1, le=100, description="PostgreSQL connections per process"
    )
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"

    discord_token: SecretStr | None = None
    discord_guild_id: int | None = None
    discord_shard_count: int | None = None
    discord_shard_ids: list[int] | None = Field(
        default=None, description="the shards this process runs, when shards are split across processes"
    )
    discord_auto_shard: bool = Field(
        default=False, description="AutoShardedClient with Discord's shard count"
    )
    discord_sync_commands: bool = Field(
        default=True, description="register slash commands at start-up (to the guild if set, else globally)"
    )

    slack_bot_token: SecretStr | None = None
    slack_app_token: SecretStr | None = None
    slack_signing_secret: SecretStr | None = None
    slack_port: int = 3000
    slack_host: str = Field(default="0.0.0.0", description="address the HTTP-mode server listens on")
    slack_api_url: str = Field(
        default="https://slack.com/api/", description="Slack Web API base URL (a proxy, or a fake in tests)"
    )
    slack_moderators: list[str] = Field(
        default_factory=list, description="Slack user ids allowed to moderate"
    )

    console_user: str = "local-member"

    discord_posts_per_second: float = Field(
        default=45.0,
        gt=0,
        description="pace of the bot's own posts and edits (Discord's global limit is 50/s)",
    )
    slack_posts_per_second: float = Field(
        default=1.0, gt=0, description="pace of the bot's own posts and edits on Slack"
    )
    fanout_concurrency: int = Field(
        default=64, ge=1, le=1000, description="channels the scheduler posts to at once (still paced)"
    )
    delivery_timeout: float = Field(
        default=10.0, gt=0, description="seconds one post or edit may take before it counts as uncertain"
    )
    delivery_attempts: int = Field(
        default=4, ge=1, le=20, description="tries per post or edit on server errors and timeouts"
    )

    @property
    def posts_per_second(self) -> dict[str, float]:
        return {"discord": self.discord_posts_per_second, "slack": self.slack_posts_per_second}

    health_host: str = Field(default="0.0.0.0", description="where /healthz and /metrics listen")
    health_port: int | None = Field(default=None, description="serve /healthz and /metrics on this port")

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    @field_validator("database_url")
    @classmethod
    def _postgres_only(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not value.get_secret_value().startswith(("postgresql://", "postgres://")):
            raise ValueError("CPCBOT_DATABASE_URL must be a postgresql:// URL (unset it to use SQLite)")
        return value

    @property
    def sqlite_path(self) -> Path:
        return self.database_path or self.data_dir / "cpcbot.sqlite3"

    @property
    def output_dir(self) -> Path:
        """Where the console writes chart images."""
        return self.data_dir / "images"
