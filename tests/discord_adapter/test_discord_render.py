"""Reply → embed within Discord's limits: oversized replies are clipped and say so, never rejected."""

from __future__ import annotations

from bot.adapters.discord._render import (
    DESCRIPTION_LIMIT,
    EMBED_TOTAL_LIMIT,
    ERROR_COLOUR,
    build_embed,
    build_file,
    render,
)
from bot.core.replies import ImageData, Reply, ReplyField, TableData


def test_a_long_table_drops_rows_and_says_how_many() -> None:
    table = TableData(columns=["State", "Mean"], rows=[[f"State number {i}", f"${i:,}"] for i in range(400)])
    embed = build_embed(Reply(title="All", text="Intro.", table=table))
    description = embed.description or ""
    assert len(description) <= DESCRIPTION_LIMIT
    assert description.startswith("Intro.\n\n```\nState")
    block, note = description.rsplit("```", 1)
    assert block.count("```") == 1  # the fence is closed
    shown = block.count("State number")
    assert note.strip() == f"… {400 - shown} more rows not shown"
    assert 100 < shown < 400


def test_more_than_25_fields_keeps_24_and_counts_the_rest() -> None:
    fields = [ReplyField(name=f"F{i}", value=str(i)) for i in range(30)]
    embed = build_embed(Reply(title="Many", fields=fields))
    assert len(embed.fields) == 25
    assert [f.name for f in embed.fields[:24]] == [f"F{i}" for i in range(24)]
    assert embed.fields[-1].value == "6 more entries not shown"


def test_everything_oversized_still_fits_in_6000_characters() -> None:
    reply = Reply(
        title="T" * 300,
        text="x" * 5000,
        fields=[ReplyField(name="n" * 300, value="v" * 1500) for _ in range(10)],
        table=TableData(columns=["a"], rows=[["r" * 50]] * 100),
        footer="Sources: " + "s" * 3000,
    )
    embed = build_embed(reply)
    assert len(embed) <= EMBED_TOTAL_LIMIT
    assert len(embed.title or "") == 256 and (embed.title or "").endswith("…")
    assert all(len(f.value or "") <= 1024 and len(f.name or "") <= 256 for f in embed.fields)
    assert (embed.footer.text or "").startswith("Sources:")
    assert embed.fields[-1].value.endswith("more entries not shown")


def test_errors_are_red_and_images_are_attached_with_alt_text() -> None:
    assert build_embed(Reply.error("No.")).colour == ERROR_COLOUR
    reply = Reply(title="Chart", image=ImageData(filename="chart.png", data=b"\x89PNG", alt="A bar chart"))
    message = render(reply)
    assert message.embed.image.url == "attachment://chart.png"
    file = build_file(reply)
    assert file is not None and file.filename == "chart.png" and file.description == "A bar chart"
    assert message.view is None
    assert message.edit_kwargs()["attachments"][0].filename == "chart.png"
