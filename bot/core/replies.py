"""Platform-neutral replies. Commands return these; adapters render them (text, embeds, Block Kit)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

ButtonStyle = Literal["primary", "secondary", "success", "danger"]


class ReplyField(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str
    value: str
    inline: bool = True


class TableData(BaseModel):
    """Rows of text cells under column headings; ``align`` is 'l' or 'r' per column."""

    model_config = ConfigDict(frozen=True)

    columns: list[str]
    rows: list[list[str]]
    align: str = ""

    def alignment(self, index: int) -> str:
        return self.align[index] if index < len(self.align) else "l"


class ImageData(BaseModel):
    model_config = ConfigDict(frozen=True)

    filename: str = Field(pattern=r"^[a-z0-9_\-]+\.png$")
    data: bytes
    alt: str


class Button(BaseModel):
    """A button. ``action`` is routed back to the core's button handlers when pressed."""

    model_config = ConfigDict(frozen=True)

    label: str = Field(max_length=80)
    action: str = Field(max_length=100, pattern=r"^[a-z_]+:[A-Za-z0-9_:.\-]*$")
    style: ButtonStyle = "secondary"


class Reply(BaseModel):
    """What a command or button press answers.

    ``ephemeral`` replies are shown only to the member who asked. ``is_error`` marks a user-facing
    error (always ephemeral). ``update_message`` asks the adapter to replace the message a pressed
    button sits on instead of sending a new one.
    """

    title: str | None = None
    text: str = ""
    fields: list[ReplyField] = Field(default_factory=list)
    table: TableData | None = None
    image: ImageData | None = None
    buttons: list[Button] = Field(default_factory=list)
    footer: str | None = None
    ephemeral: bool = False
    is_error: bool = False
    update_message: bool = False

    @classmethod
    def error(cls, message: str, *, title: str = "Sorry, I can't do that") -> Reply:
        return cls(title=title, text=message, ephemeral=True, is_error=True)
