"""The Discord client: every core command as a slash command, buttons that survive restarts,
command sync (one guild or global), optional sharding, and ``run`` for ``cpcbot discord``."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import sys
from typing import Any

import aiohttp
import discord
from discord import app_commands

from bot.adapters.discord._commands import build_commands
from bot.adapters.discord._delivery import DiscordDelivery, delivery_trace
from bot.adapters.discord._interactions import DEFER_AFTER, Responder
from bot.adapters.discord._views import ACTION_TEMPLATE, ActionButton
from bot.config import Settings
from bot.core.dispatch import BotCore
from bot.core.pacing import pacer_for

log = logging.getLogger(__name__)

EXIT_OK = 0
EXIT_DISCONNECTED = 1
EXIT_CONFIG = 2

SCOPES = ("bot", "applications.commands")
REQUIRED_PERMISSIONS = discord.Permissions(
    send_messages=True,
    embed_links=True,
    attach_files=True,
    read_message_history=True,
    use_application_commands=True,
)
IDENTIFY_INTERVAL = 5.0

STALE_COMMAND = "That command isn't available any more (Discord may still show an old version). Try /help."
UNREADABLE_OPTION = "I couldn't read the {option} option. Please pick it again from the list Discord offers."
STALE_BUTTON = "That button no longer works. Run the command again for a fresh one."
SERVER_FAULT = "Something went wrong on our side. It has been logged; please try again later."


class CoreCommandTree(app_commands.CommandTree):
    """Turns what the library could not run (a stale command, an unreadable option) into a polite
    ephemeral reply and one log line, instead of a silent failure."""

    async def on_error(self, interaction: discord.Interaction, error: app_commands.AppCommandError) -> None:
        responder: Responder = interaction.client.responder  # type: ignore[attr-defined]
        if isinstance(error, app_commands.CommandNotFound | app_commands.CommandSignatureMismatch):
            log.warning("interaction %s: %s", interaction.id, error)
            message = STALE_COMMAND
        elif isinstance(error, app_commands.TransformerError):
            log.warning("interaction %s: unreadable option value (%s)", interaction.id, error.type.name)
            message = UNREADABLE_OPTION.format(option=_failed_option(interaction, error))
        else:
            log.error("interaction %s failed", interaction.id, exc_info=error)
            message = SERVER_FAULT
        if interaction.type is discord.InteractionType.application_command:
            await responder.answer_error(interaction, message)


def _failed_option(interaction: discord.Interaction, error: app_commands.TransformerError) -> str:
    for option in _flat_options((interaction.data or {}).get("options", [])):  # type: ignore[arg-type]
        if str(option.get("value")) == str(getattr(error.value, "id", error.value)):
            return str(option.get("name"))
    return "given"


def _flat_options(options: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for option in options:
        out.append(option)
        out.extend(_flat_options(option.get("options", [])))
    return out


def _guard_interaction_parser(client: discord.Client) -> None:
    """discord.py parses INTERACTION_CREATE inside the gateway loop, where an exception (a payload
    missing a key) would stop the client. Log and drop such payloads; keep serving the rest."""
    parsers = client._connection.parsers
    parse = parsers["INTERACTION_CREATE"]

    def guarded(data: Any) -> None:
        try:
            parse(data)
        except Exception as exc:
            ident = data.get("id") if isinstance(data, dict) else None
            log.warning("ignored a malformed interaction (id %s): %s: %s", ident, type(exc).__name__, exc)

    parsers["INTERACTION_CREATE"] = guarded


class _CoreClientBehaviour:
    """What both client kinds share (a mixin, since sharding means a different discord.py base)."""

    tree: CoreCommandTree

    def __init__(
        self, core: BotCore, settings: Settings, *, defer_after: float = DEFER_AFTER, **options: Any
    ):
        options.setdefault("intents", discord.Intents(guilds=True))
        pacer = pacer_for(core.services.pacers, "discord", settings.posts_per_second)
        options.setdefault("http_trace", delivery_trace(pacer))
        super().__init__(**options)  # type: ignore[call-arg]
        client: discord.Client = self  # type: ignore[assignment]
        self.core = core
        self.settings = settings
        self.responder = Responder(core, defer_after=defer_after)
        self.tree = CoreCommandTree(client)
        for command in build_commands(core, self.responder):
            self.tree.add_command(command)
        core.services.deliveries["discord"] = DiscordDelivery(client)
        _guard_interaction_parser(client)

    async def setup_hook(self) -> None:
        client: discord.Client = self  # type: ignore[assignment]
        client.add_dynamic_items(ActionButton)
        if self.settings.discord_sync_commands:
            await self.sync_commands()

    async def sync_commands(self) -> None:
        guild_id = self.settings.discord_guild_id
        where = f"guild {guild_id}" if guild_id else "all guilds (global; may take up to an hour to appear)"
        try:
            if guild_id:
                guild = discord.Object(guild_id)
                self.tree.copy_global_to(guild=guild)
                synced = await self.tree.sync(guild=guild)
            else:
                synced = await self.tree.sync()
        except discord.HTTPException as exc:
            log.error(
                "could not register slash commands for %s (%s %s); commands registered earlier still work",
                where,
                exc.status,
                exc.text,
            )
            return
        log.info("registered %d slash commands for %s", len(synced), where)

    async def on_interaction(self, interaction: discord.Interaction) -> None:
        """A button whose id is not a core action (from an old version of the bot) gets an answer
        too; presses that are actions are answered by ``ActionButton``."""
        if interaction.type is not discord.InteractionType.component:
            return
        custom_id = str((interaction.data or {}).get("custom_id", ""))
        if not ACTION_TEMPLATE.fullmatch(custom_id):
            log.warning("interaction %s: no handler for component %r", interaction.id, custom_id[:100])
            await self.responder.answer_error(interaction, STALE_BUTTON)

    async def on_ready(self) -> None:
        client: discord.Client = self  # type: ignore[assignment]
        log.info("connected to Discord as %s in %d guilds", client.user, len(client.guilds))
        if client.application_id:
            log.info("invite link: %s", invite_url(client.application_id))


class CoreClient(_CoreClientBehaviour, discord.Client):
    pass


class ShardedCoreClient(_CoreClientBehaviour, discord.AutoShardedClient):
    """Shards IDENTIFY as fast as Discord allows: one per ``max_concurrency`` bucket every 5 s,
    rather than discord.py's default of one shard every 5 s."""

    def __init__(self, core: BotCore, settings: Settings, **options: Any):
        super().__init__(core, settings, **options)
        self._identify_buckets = 1
        self._identify_locks: dict[int, asyncio.Lock] = {}
        self._last_identify: dict[int, float] = {}

    async def setup_hook(self) -> None:
        await super().setup_hook()
        try:
            _shards, _url, limit = await self.http.get_bot_gateway()
        except discord.GatewayNotFound:
            return
        self._identify_buckets = max(1, int(limit.get("max_concurrency", 1)))

    async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
        bucket = (shard_id or 0) % self._identify_buckets
        lock = self._identify_locks.setdefault(bucket, asyncio.Lock())
        async with lock:
            loop = asyncio.get_running_loop()
            last = self._last_identify.get(bucket)
            if last is not None and (delay := last + IDENTIFY_INTERVAL - loop.time()) > 0:
                await asyncio.sleep(delay)
            self._last_identify[bucket] = loop.time()


class _NoVoiceNotice(logging.Filter):
    """cpcbot never joins voice; discord.py's start-up notice about missing voice libraries would
    only send operators looking for a problem that isn't there."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "voice will NOT be supported" not in record.getMessage()


def invite_url(application_id: int) -> str:
    return discord.utils.oauth_url(application_id, permissions=REQUIRED_PERMISSIONS, scopes=SCOPES)


def build_client(core: BotCore, settings: Settings, **options: Any) -> CoreClient | ShardedCoreClient:
    """A sharded client when a shard count, shard ids or auto sharding is configured."""
    voice_log = logging.getLogger("discord.client")
    if not any(isinstance(f, _NoVoiceNotice) for f in voice_log.filters):
        voice_log.addFilter(_NoVoiceNotice())
    if settings.discord_auto_shard or settings.discord_shard_count or settings.discord_shard_ids:
        return ShardedCoreClient(
            core,
            settings,
            shard_count=settings.discord_shard_count,
            shard_ids=settings.discord_shard_ids,
            **options,
        )
    return CoreClient(core, settings, **options)


def _fail(message: str, code: int) -> int:
    print(f"cpcbot: {message}", file=sys.stderr)
    return code


async def run(core: BotCore, settings: Settings, **options: Any) -> int:
    """Run until closed. Configuration and login problems give one line on stderr and exit 2."""
    if settings.discord_token is None:
        return _fail(
            "CPCBOT_DISCORD_TOKEN is not set. Create a bot in the Discord developer portal and set its "
            "token (see README, Running on Discord).",
            EXIT_CONFIG,
        )
    if settings.discord_shard_ids and not settings.discord_shard_count:
        return _fail("CPCBOT_DISCORD_SHARD_IDS needs CPCBOT_DISCORD_SHARD_COUNT (the total).", EXIT_CONFIG)
    client = build_client(core, settings, **options)
    loop = asyncio.get_running_loop()
    with contextlib.suppress(NotImplementedError, RuntimeError):
        loop.add_signal_handler(signal.SIGTERM, lambda: asyncio.ensure_future(client.close()))
    try:
        async with client:
            await client.start(settings.discord_token.get_secret_value())
    except discord.LoginFailure:
        return _fail(
            "Discord rejected the token in CPCBOT_DISCORD_TOKEN (401 Unauthorized). Reset the bot token "
            "in the developer portal and set it again.",
            EXIT_CONFIG,
        )
    except discord.PrivilegedIntentsRequired:
        return _fail(
            "Discord refused the requested gateway intents; cpcbot needs none privileged.", EXIT_CONFIG
        )
    except (discord.HTTPException, discord.GatewayNotFound, discord.ConnectionClosed) as exc:
        return _fail(f"Discord closed the connection ({type(exc).__name__}: {exc}).", EXIT_DISCONNECTED)
    except (aiohttp.ClientError, OSError) as exc:
        return _fail(f"could not reach Discord ({type(exc).__name__}: {exc}).", EXIT_DISCONNECTED)
    finally:
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.remove_signal_handler(signal.SIGTERM)
    return EXIT_OK
