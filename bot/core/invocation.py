"""Who asked, where, and when: the platform-neutral context of a command or button press."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Platform = Literal["console", "discord", "slack"]


class Invocation(BaseModel):
    model_config = ConfigDict(frozen=True)

    platform: Platform
    community_id: str = Field(description="Discord guild id, Slack team id, or 'local' on the console")
    channel_id: str
    user_id: str
    user_name: str
    is_moderator: bool = False
    at: datetime = Field(default_factory=lambda: datetime.now(UTC))
