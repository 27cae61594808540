"""A real bot process for the reliability tests: builds the core from the environment (CPCBOT_DATA_DIR,
CPCBOT_DATABASE_URL) exactly as ``cpcbot`` does, then either answers a daily post or runs scheduler
passes, printing one line per acknowledged effect, flushed at once, so a test that SIGKILLs it knows
what the process had acknowledged.

    python driver.py answer POST_ID MEMBERS WAVE   # "ACK <user> <letter>" after daily_post.answer returns
    python driver.py schedule NOW_ISO [HANG_AFTER] # "SENT <channel> <message id>" once a post is sent;
                                                   # with HANG_AFTER, the next send never returns
                                                   # ("HANG <channel>"): its claim is taken, nothing sent

The "platform" these processes post to is a file beside the database (one line per message, with the
post id its buttons carry), so a later process can look for what a killed one sent ("LOOK <channel>",
then "FOUND <channel> <message id>" when it is there), as the Discord and Slack deliveries do.
"""

from __future__ import annotations

import asyncio
import sys
from datetime import datetime
from pathlib import Path

from bot.bootstrap import build_core
from bot.core.delivery import PostRef
from bot.core.invocation import Invocation
from bot.core.replies import Reply
from bot.quiz import daily_post
from bot.quiz.scheduler import QuizScheduler

PLATFORM = "console"
COMMUNITY = "g1"


def say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def letter_for(user: int, answer: str) -> str:
    """Even members answer right, odd members wrong: the tests derive streaks from this."""
    return answer if user % 2 == 0 else next(x for x in "ABCD" if x != answer)


async def answer(post_id: str, members: int, wave: int) -> None:
    core = build_core()
    try:
        post = await core.services.storage.posts.get(post_id)
        assert post is not None
        key = core.services.questions.by_id[post.question_id].answer

        async def one(user: int) -> None:
            letter = letter_for(user, key)
            who = Invocation(
                platform=PLATFORM, community_id=COMMUNITY, channel_id=post.channel_id, user_id=f"u{user}",
                user_name=f"U{user}",
            )  # fmt: skip
            reply = await daily_post.answer(core.services, who, post_id, letter)
            if not reply.title.startswith("You already answered"):
                say(f"ACK u{user} {letter}")

        for start in range(0, members, wave):
            await asyncio.gather(*(one(u) for u in range(start, min(start + wave, members))))
        say("DONE")
    finally:
        await core.aclose()


class PrintingDelivery:
    platform = PLATFORM

    def __init__(self, hang_after: int | None, messages: Path):
        self.sent = 0
        self.hang_after = hang_after
        self.messages = messages

    async def post(self, channel_id: str, reply: Reply) -> PostRef:
        if self.hang_after is not None and self.sent >= self.hang_after:
            say(f"HANG {channel_id}")
            await asyncio.Event().wait()  # the platform never answers; the test kills us here
        self.sent += 1
        post_id = reply.buttons[0].action.split(":")[1]
        message_id = f"msg-{channel_id}-{post_id}"
        with self.messages.open("a") as platform:  # the platform has the message from now on
            platform.write(f"{channel_id} {message_id} {post_id}\n")
        say(f"SENT {channel_id} {message_id}")
        return PostRef(platform=PLATFORM, channel_id=channel_id, message_id=message_id)

    async def edit(self, ref: PostRef, reply: Reply) -> None:
        return None

    async def find(self, channel_id: str, post_id: str) -> PostRef | None:
        say(f"LOOK {channel_id}")  # asked before re-sending a claim another process may have sent
        lines = self.messages.read_text().splitlines() if self.messages.exists() else []
        for channel, message_id, posted_id in (line.split() for line in lines):
            if channel == channel_id and posted_id == post_id:
                say(f"FOUND {channel_id} {message_id}")
                return PostRef(platform=PLATFORM, channel_id=channel_id, message_id=message_id)
        return None


async def schedule(now: datetime, hang_after: int | None) -> None:
    core = build_core()
    core.services.clock = lambda: now
    core.services.deliveries[PLATFORM] = PrintingDelivery(
        hang_after, core.services.settings.data_dir / "platform-messages.txt"
    )
    try:
        made = await QuizScheduler(core.services, PLATFORM).run_due(now)
        say(f"DONE {len(made)}")
    finally:
        await core.aclose()


if __name__ == "__main__":
    mode, *args = sys.argv[1:]
    if mode == "answer":
        asyncio.run(answer(args[0], int(args[1]), int(args[2])))
    else:
        asyncio.run(schedule(datetime.fromisoformat(args[0]), int(args[1]) if len(args) > 1 else None))
