"""The slack-bolt AsyncApp: one listener per top-level command, one for every button, acknowledged at
once; the command itself runs after the ack (a lazy listener) and answers through response_url.

Nothing here knows a particular command: the slash command's text goes to ``BotCore.run_line`` as
``/name text`` (so ``state:CA cert:CPC``, ``CA CPC`` and ``CA TX NY`` all work, and ``/quiz schedule …``
reaches the group), and a button's value is the core's own button action.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Awaitable, Callable

from aiohttp import web
from pydantic import ValidationError
from slack_bolt.async_app import AsyncApp
from slack_bolt.response import BoltResponse
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack._blocks import render
from bot.adapters.slack._delivery import SlackDelivery, upload_image
from bot.adapters.slack._moderators import Moderators
from bot.adapters.slack._payloads import BlockActions, SlashCommand
from bot.adapters.slack._replay import SeenRequests, request_key
from bot.core.dispatch import BotCore
from bot.core.invocation import Invocation
from bot.core.replies import Reply

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
BUTTON_ACTION = re.compile(r"^[a-z_]+:")
_CURLY_DOUBLE_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"'})

Respond = Callable[..., Awaitable[object]]


def slash_command_names(core: BotCore) -> list[str]:
    """Top-level names Slack knows: plain commands, and each group once (``/quiz``)."""
    return sorted({spec.group or spec.name for spec in core.commands.values()})


def command_text(text: str) -> str:
    """Slack escapes &, < and > in command text, and its clients turn straight quotes curly."""
    text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    return text.translate(_CURLY_DOUBLE_QUOTES)


class SlackAdapter:
    """Owns the AsyncApp and the work it started after each ack."""

    def __init__(
        self,
        core: BotCore,
        client: AsyncWebClient,
        *,
        signing_secret: str = "",
        moderators: Moderators | None = None,
    ):
        self.core = core
        self.client = client
        self.signing_secret = signing_secret
        self.moderators = moderators or Moderators(client, core.services.settings.slack_moderators)
        self.seen = SeenRequests()
        self.delivery = SlackDelivery(client)
        self._work: set[asyncio.Task[object]] = set()
        self.app = AsyncApp(
            client=client,
            signing_secret=signing_secret,
            name="cpcbot",
            logger=logging.getLogger("cpcbot.slack.bolt"),
        )
        self.app.middleware(self._drop_replays)
        for name in slash_command_names(core):
            self.app.command(f"/{name}")(ack=self._ack, lazy=[self._run_command])
        self.app.action(BUTTON_ACTION)(ack=self._ack, lazy=[self._press])
        self.app.error(self._on_error)

    def register_delivery(self) -> None:
        self.core.services.deliveries["slack"] = self.delivery

    def web_app(self) -> web.Application:
        """The aiohttp application for HTTP mode; refuses to exist without a signing secret."""
        if not self.signing_secret:
            raise ValueError("HTTP mode needs the signing secret to verify requests")
        return self.app.web_app(path=EVENTS_PATH)

    async def drain(self, seconds: float) -> None:
        """Waits for commands already acknowledged to finish answering (at shutdown, in tests)."""
        pending = [t for t in self._work if not t.done()]
        if pending:
            await asyncio.wait(pending, timeout=seconds)

    # ---- listeners -----------------------------------------------------------------------------
    async def _drop_replays(self, body: dict, next: Callable[[], Awaitable[None]]) -> BoltResponse | None:
        key = request_key(body)
        if key is not None and not await self._first_time(key):
            log.info("ignored a repeated delivery (%s)", key.split(":", 1)[0])
            return BoltResponse(status=200, body="")
        await next()
        return None

    async def _first_time(self, key: str) -> bool:
        """This process's memory first (free), then the database every replica shares."""
        if not self.seen.first_time(key):
            return False
        try:
            return await self.core.services.storage.seen_requests.first_time(
                f"slack:{key}", self.core.services.clock()
            )
        except Exception as exc:  # a database hiccup must not drop a real request: the local check stands
            log.warning("could not check the shared replay guard: %s", type(exc).__name__)
            return True

    async def _ack(self, ack: Callable[[], Awaitable[object]]) -> None:
        await ack()

    async def _on_error(self, error: Exception) -> None:
        log.error("Slack listener failed: %s", type(error).__name__, exc_info=error)

    async def _run_command(self, body: dict, respond: Respond) -> None:
        async with self._tracked(body.get("command", "command")):
            try:
                command = SlashCommand.model_validate(body)
            except ValidationError as exc:
                log.warning("unreadable slash command payload: %s", exc.errors()[0]["loc"])
                return
            invocation = await self._invocation(
                command.team_id, command.channel_id, command.user_id, command.user_name
            )
            line = f"{command.command} {command_text(command.text)}".strip()
            try:
                reply = await self.core.run_line(line, invocation)
            except Exception:
                log.exception("%s failed before the core could answer", command.command)
                reply = Reply.error("Something went wrong on our side. It has been logged; please try again.")
            await self._answer(reply, respond, command.channel_id)

    async def _press(self, body: dict, respond: Respond) -> None:
        async with self._tracked("button"):
            try:
                payload = BlockActions.model_validate(body)
            except ValidationError as exc:
                log.warning("unreadable block_actions payload: %s", exc.errors()[0]["loc"])
                return
            action = payload.actions[0]
            invocation = await self._invocation(
                payload.team_id,
                payload.channel_id,
                payload.user.id,
                payload.user.username or payload.user.name,
            )
            reply = await self.core.press(action.value or action.action_id.split("#", 1)[0], invocation)
            await self._answer(reply, respond, payload.channel_id, replace=reply.update_message)

    # ---- helpers -------------------------------------------------------------------------------
    def _tracked(self, what: object) -> _Tracked:
        return _Tracked(self._work, str(what)[:40])

    async def _invocation(self, team_id: str, channel_id: str, user_id: str, user_name: str) -> Invocation:
        return Invocation(
            platform="slack",
            community_id=team_id,
            channel_id=channel_id,
            user_id=user_id,
            user_name=user_name or user_id,
            is_moderator=await self.moderators.is_moderator(team_id, user_id),
            at=self.core.services.clock(),
        )

    async def _answer(
        self, reply: Reply, respond: Respond, channel_id: str, *, replace: bool = False
    ) -> None:
        """Ephemeral for errors and private replies, in the channel otherwise; a chart follows as a
        file in the channel (an ephemeral reply can't carry one, so it says so)."""
        private = reply.ephemeral or reply.is_error
        note = None
        upload = False
        if reply.image is not None:
            if private:
                note = f"The chart ({reply.image.alt}) is only posted with replies the whole channel sees."
            else:
                note = f"Chart: {reply.image.alt} (posted below)."
                upload = True
        message = render(reply, note=note)
        if replace:
            response = await respond(text=message.text, blocks=message.blocks, replace_original=True)
        else:
            response = await respond(
                text=message.text,
                blocks=message.blocks,
                response_type="ephemeral" if private else "in_channel",
                replace_original=False,
            )
        status = getattr(response, "status_code", 200)
        if status != 200:
            log.warning("response_url answered HTTP %s; the reply was not shown", status)
            return
        if upload:
            error = await upload_image(self.client, channel_id, reply)
            if error is not None:
                await respond(
                    text=(
                        f"I couldn't post the chart in this channel ({error}). "
                        "Invite me with /invite and try again, or ask in a channel I'm in."
                    ),
                    response_type="ephemeral",
                    replace_original=False,
                )


class _Tracked:
    """Registers the running lazy listener so shutdown (and tests) can wait for it, and logs what
    escaped it with a traceback (bolt would log only the message)."""

    def __init__(self, work: set[asyncio.Task[object]], what: str):
        self.work = work
        self.what = what
        self.task: asyncio.Task[object] | None = None

    async def __aenter__(self) -> None:
        self.task = asyncio.current_task()
        if self.task is not None:
            self.work.add(self.task)

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: object
    ) -> bool:
        if self.task is not None:
            self.work.discard(self.task)
        if isinstance(exc, Exception):
            log.error("Slack %s failed after the ack", self.what, exc_info=exc)
            return True
        return False
