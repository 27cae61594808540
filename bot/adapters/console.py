"""The console adapter: the same slash syntax in a terminal, replies as aligned plain text.

``cpcbot say "/salary state:CA"`` runs one command (exit 0, or 2 for a user error);
``cpcbot console`` is an interactive prompt where ``/press N`` presses the Nth button shown.
"""

from __future__ import annotations

import asyncio
import sys
import threading
import uuid
from pathlib import Path
from typing import TextIO

from bot.core.delivery import PostRef
from bot.core.dispatch import BotCore
from bot.core.invocation import Invocation
from bot.core.replies import Reply, TableData

EXIT_OK = 0
EXIT_USER_ERROR = 2


class ConsoleDelivery:
    """Scheduled and /quiz now posts in the terminal: printed once; later edits (the live answer
    count) are not reprinted."""

    platform = "console"

    def __init__(self, out: TextIO):
        self.out = out

    async def post(self, channel_id: str, reply: Reply) -> PostRef:
        print(f"[posted in #{channel_id}]\n{render(reply)}", file=self.out, flush=True)
        return PostRef(
            platform=self.platform, channel_id=channel_id, message_id=f"console-{uuid.uuid4().hex[:12]}"
        )

    async def edit(self, ref: PostRef, reply: Reply) -> None:
        return None

    async def find(self, channel_id: str, post_id: str) -> PostRef | None:
        return None  # printing cannot time out half-way: there is never anything to look for


def console_invocation(core: BotCore) -> Invocation:
    settings = core.services.settings
    return Invocation(
        platform="console",
        community_id="local",
        channel_id="console",
        user_id=settings.console_user,
        user_name=settings.console_user,
        is_moderator=True,
        at=core.services.clock(),
    )


def render_table(table: TableData) -> str:
    widths = [len(c) for c in table.columns]
    for row in table.rows:
        for i, cell in enumerate(row):
            widths[i] = max(widths[i], len(cell))

    def line(cells: list[str]) -> str:
        out = []
        for i, cell in enumerate(cells):
            out.append(cell.rjust(widths[i]) if table.alignment(i) == "r" else cell.ljust(widths[i]))
        return "  ".join(out).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(table.columns), rule, *(line(r) for r in table.rows)])


def render(reply: Reply, image_path: Path | None = None) -> str:
    parts: list[str] = []
    if reply.title:
        prefix = "Error: " if reply.is_error else ""
        parts.append(f"{prefix}{reply.title}\n{'=' * len(prefix + reply.title)}")
    if reply.text:
        parts.append(reply.text.replace("**", ""))
    if reply.fields:
        width = max(len(f.name) for f in reply.fields)
        lines = []
        for f in reply.fields:
            value = f.value.replace("\n", "\n" + " " * (width + 2))
            lines.append(f"{f.name.ljust(width)}  {value}")
        parts.append("\n".join(lines))
    if reply.table:
        parts.append(render_table(reply.table))
    if reply.buttons:
        parts.append(
            "\n".join(f"  [{i}] {b.label}" for i, b in enumerate(reply.buttons, 1))
            + "\n  (press one with /press N)"
        )
    if image_path:
        parts.append(f"Chart written to {image_path}")
    if reply.footer:
        parts.append(reply.footer)
    return "\n\n".join(parts)


def save_image(reply: Reply, directory: Path) -> Path | None:
    if reply.image is None:
        return None
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / reply.image.filename
    path.write_bytes(reply.image.data)
    return path.resolve()


async def say(core: BotCore, line: str, out: TextIO = sys.stdout) -> int:
    core.services.deliveries.setdefault("console", ConsoleDelivery(out))
    try:
        reply = await core.run_line(line, console_invocation(core))
    finally:
        await core.aclose()
    print(render(reply, save_image(reply, core.services.settings.output_dir)), file=out)
    return EXIT_USER_ERROR if reply.is_error else EXIT_OK


async def interactive(core: BotCore, stdin: TextIO = sys.stdin, out: TextIO = sys.stdout) -> int:
    core.services.deliveries.setdefault("console", ConsoleDelivery(out))
    print("cpcbot console — type /help for commands, /quit to leave.", file=out)
    lines = _read_lines(stdin)
    last: Reply | None = None
    while True:
        print("> ", end="", file=out, flush=True)
        line = await lines.get()  # the scheduler keeps running while we wait
        if not line:
            print(file=out)
            return EXIT_OK
        line = line.strip()
        if not line:
            continue
        if line in {"/quit", "/exit", "quit", "exit"}:
            return EXIT_OK
        if line.startswith("/press"):
            reply = _press(core, last, line)
            reply = await reply if not isinstance(reply, Reply) else reply
        else:
            reply = await core.run_line(line, console_invocation(core))
        if reply.buttons:
            last = reply
        print(render(reply, save_image(reply, core.services.settings.output_dir)), file=out)


def _read_lines(stdin: TextIO) -> asyncio.Queue[str]:
    """Lines from a daemon thread, '' at end of input: waiting for the member's typing must not block
    the event loop (the scheduler runs on it), and a daemon thread never holds up exit on Ctrl-C."""
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue[str] = asyncio.Queue()

    def pump() -> None:
        try:
            for line in iter(stdin.readline, ""):
                loop.call_soon_threadsafe(queue.put_nowait, line)
            loop.call_soon_threadsafe(queue.put_nowait, "")
        except (RuntimeError, ValueError, OSError):  # the loop or stdin closed under us: we are exiting
            return

    threading.Thread(target=pump, name="console-stdin", daemon=True).start()
    return queue


def _press(core: BotCore, last: Reply | None, line: str):  # type: ignore[no-untyped-def]
    number = line.removeprefix("/press").strip()
    if last is None or not number.isdigit() or not 1 <= int(number) <= len(last.buttons):
        count = len(last.buttons) if last else 0
        return Reply.error(
            f"Press one of the buttons shown, /press 1 to /press {count}."
            if count
            else "There is no button to press."
        )
    return core.press(last.buttons[int(number) - 1].action, console_invocation(core))
