"""Who may run moderator commands on Slack: workspace admins and owners (users.info), or the user
ids listed in ``CPCBOT_SLACK_MODERATORS``. Answers are cached for a few minutes per user, so a busy
channel doesn't call users.info for every command."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable

from pydantic import ValidationError
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack._errors import error_code
from bot.adapters.slack._payloads import SlackUser

log = logging.getLogger(__name__)

CACHE_SECONDS = 300.0
CACHE_SIZE = 5000


class Moderators:
    def __init__(
        self,
        client: AsyncWebClient,
        listed: Iterable[str] = (),
        *,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.client = client
        self.listed = frozenset(listed)
        self.clock = clock
        self._cache: dict[tuple[str, str], tuple[float, bool]] = {}

    async def is_moderator(self, team_id: str, user_id: str) -> bool:
        if user_id in self.listed:
            return True
        key = (team_id, user_id)
        cached = self._cache.get(key)
        now = self.clock()
        if cached and now - cached[0] < CACHE_SECONDS:
            return cached[1]
        try:
            response = await self.client.users_info(user=user_id)
            answer = SlackUser.model_validate(response["user"]).is_workspace_admin
        except SlackApiError as exc:
            log.warning("users.info for %s failed (%s); treating as a member", user_id, error_code(exc))
            return False
        except (KeyError, TypeError, ValidationError) as exc:
            log.warning(
                "users.info for %s gave an unexpected answer (%s); treating as a member", user_id, exc
            )
            return False
        if len(self._cache) >= CACHE_SIZE:
            self._cache.clear()
        self._cache[key] = (now, answer)
        return answer
