"""What Slack sends us (slash commands, button presses) and the users.info answer, read by pydantic
so a malformed payload fails in one place with a clear error instead of a KeyError deep inside."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class _Payload(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class SlashCommand(_Payload):
    command: str = Field(pattern=r"^/[a-z0-9_\-]{1,32}$")
    text: str = ""
    user_id: str
    user_name: str = ""
    channel_id: str
    team_id: str
    response_url: str
    trigger_id: str = ""


class ActionUser(_Payload):
    id: str
    username: str = ""
    name: str = ""
    team_id: str = ""


class ActionTeam(_Payload):
    id: str


class ActionChannel(_Payload):
    id: str


class ActionContainer(_Payload):
    type: str = ""
    channel_id: str = ""
    message_ts: str = ""
    is_ephemeral: bool = False


class ButtonAction(_Payload):
    action_id: str
    block_id: str = ""
    value: str = ""
    type: str = "button"


class BlockActions(_Payload):
    type: str = Field(pattern=r"^block_actions$")
    user: ActionUser
    team: ActionTeam | None = None
    channel: ActionChannel | None = None
    container: ActionContainer = ActionContainer()
    actions: list[ButtonAction] = Field(min_length=1)
    response_url: str = ""
    trigger_id: str = ""

    @property
    def team_id(self) -> str:
        return self.team.id if self.team else self.user.team_id

    @property
    def channel_id(self) -> str:
        return self.channel.id if self.channel else self.container.channel_id


class SlackUser(_Payload):
    """The parts of users.info we use: who may run moderator commands."""

    id: str
    is_admin: bool = False
    is_owner: bool = False
    is_primary_owner: bool = False

    @property
    def is_workspace_admin(self) -> bool:
        return self.is_admin or self.is_owner or self.is_primary_owner
