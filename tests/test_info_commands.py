"""Every info command through the core, as any adapter would call it."""

from __future__ import annotations

import io

import pytest
from matplotlib import image as mpimg

from bot.core.dispatch import BotCore
from bot.core.invocation import Invocation
from bot.salary import charts


def fields(reply) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {f.name: f.value for f in reply.fields}


async def test_salary_shows_both_sources_and_labelled_estimates(core: BotCore, member: Invocation) -> None:
    reply = await core.run_line("/salary state:CA cert:CPC", member)
    assert not reply.is_error
    f = fields(reply)
    assert f["Mean annual salary — Article 2026"].startswith("$62,300")
    assert f["Mean annual wage — BLS OEWS May 2023"].startswith("$64,070")
    assert f["CPC (AAPC) — national range"].startswith("$48,000–$58,000")
    # 48,000 × 62,300/50,200 = 59,570 → 59,600; 58,000 × 62,300/50,200 = 71,980 → 72,000
    assert f["Estimate for CPC in CA (via Article 2026)"] == "≈ $59,600–$72,000"
    assert "BLS OEWS May 2023" in reply.footer and "Article 2026" in reply.footer
    assert "differ by $1,770" in reply.text
    assert "estimates, not data" in reply.footer and "ratio 1.241" in reply.footer


async def test_salary_without_article_figure_says_so_and_shows_national(
    core: BotCore, member: Invocation
) -> None:
    reply = await core.run_line("/salary state:tx", member)
    assert "The article has no figure for Texas" in reply.text
    f = fields(reply)
    assert f["National median — Article 2026"] == "$48,780"
    assert f["Mean annual wage — BLS OEWS May 2023"].startswith("$48,030")
    assert reply.table is not None and len(reply.table.rows) == len(core.services.lookups.credentials)


async def test_salary_level_and_plain_positional_form(core: BotCore, member: Invocation) -> None:
    reply = await core.run_line("/salary New York CPC senior", member)
    assert not reply.is_error, reply.text
    assert reply.title == "Medical coder pay in New York (NY) — CPC"
    assert fields(reply)["Senior (8+ years) — national (Article 2026)"] == "$58,000–$72,000+"


async def test_salary_washington_means_the_state(core: BotCore, member: Invocation) -> None:
    reply = await core.run_line("/salary state:Washington", member)
    assert reply.title.startswith("Medical coder pay in Washington (WA)")
    reply = await core.run_line('/salary state:"Washington D.C."', member)
    assert reply.title.startswith("Medical coder pay in District of Columbia (DC)")


async def test_compare_sorted_with_differences_and_chart(core: BotCore, member: Invocation) -> None:
    reply = await core.run_line("/compare states:TX,CA,ny", member)
    assert not reply.is_error
    rows = reply.table.rows
    assert [r[1] for r in rows] == ["California (CA)", "New York (NY)", "Texas (TX)"]
    assert rows[0][3] == "+$15,290" and rows[2][3] == "−$750"
    assert rows[1][4] == "−$3,560" and rows[2][5] == "not listed"
    assert "Ranked by BLS OEWS May 2023" in reply.text
    assert reply.image.data.startswith(b"\x89PNG\r\n\x1a\n")
    pixels = mpimg.imread(io.BytesIO(reply.image.data), format="png")
    assert pixels.shape[0] > 200 and pixels.shape[1] > 400


def test_compare_chart_labels_each_state_and_cites_sources() -> None:
    fig = charts.compare_figure(
        [charts.Bar("CA", 64070, 62300), charts.Bar("TX", 48030)],
        title="t",
        first_label="BLS",
        second_label="Article",
        reference=48780,
        reference_label="median",
        footnote="Sources: X",
    )
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["TX", "CA"]
    texts = [t.get_text() for t in ax.texts] + [t.get_text() for t in fig.texts]
    assert " $64,070" in texts and " $62,300" in texts and "Sources: X" in texts


@pytest.mark.parametrize("line", ["/compare CA", "/compare CA,TX,NY,FL,GA,OH", "/compare CA,ca,California"])
async def test_compare_needs_two_to_five_states(core: BotCore, member: Invocation, line: str) -> None:
    reply = await core.run_line(line, member)
    assert reply.is_error and reply.ephemeral
    assert "2 to 5" in reply.text


async def test_specialty_one_and_all(core: BotCore, member: Invocation) -> None:
    one = await core.run_line("/specialty name:cardiology", member)
    assert fields(one) == {
        "Salary range": "$50,000–$63,000",
        "Certification": "CPC + CCC",
        "Demand": "Medium",
    }
    every = await core.run_line("/specialty", member)
    assert len(every.table.rows) == 10
    bad = await core.run_line("/specialty name:Dermatology", member)
    assert bad.is_error and "Cardiology" in bad.text


async def test_career_outlook_certs_roadmap(core: BotCore, member: Invocation) -> None:
    career = await core.run_line("/career", member)
    assert career.table.rows[-1][:3] == ["7", "Director of HIM/Coding", "$90,000–$120,000+"]
    outlook = await core.run_line("/outlook", member)
    f = fields(outlook)
    assert f["Projected Growth — Article 2026"] == "8% (2024–2034)"
    assert f["Projected growth — BLS projection (as cited)"].startswith("+7.0%")
    certs = await core.run_line("/certs", member)
    assert fields(certs)["Certified coders, average salary — AAPC 2025 survey (as cited)"] == "$66,979"
    assert "$12,000/year premium" in certs.text
    roadmap = await core.run_line("/roadmap", member)
    assert [f.name for f in roadmap.fields] == [
        "Year 1–2: Foundation",
        "Year 2–5: Specialize",
        "Year 5+: Advance",
    ]
    assert "Coding Auditor: $60,000–$80,000" in roadmap.fields[2].value


async def test_map_is_a_png_with_a_sourced_caption(core: BotCore, member: Invocation) -> None:
    reply = await core.run_line("/map", member)
    assert reply.image.data.startswith(b"\x89PNG")
    assert "BLS OEWS May 2023" in reply.text and "DC $70,900" in reply.text


async def test_help_lists_every_command_with_an_example(core: BotCore, member: Invocation) -> None:
    reply = await core.run_line("/help", member)
    listed = {row[0] for row in reply.table.rows}
    assert {f"/{name}" for name in core.commands if not core.commands[name].moderator_only} <= listed
    assert all(row[2].startswith("/") for row in reply.table.rows)


@pytest.mark.parametrize(
    ("line", "needle"),
    [
        ("/salary state:Narnia", "postal code"),
        ("/salary state:CA cert:CPA", "Choose one of"),
        ("/salary state:CA level:expert", "level must be one of: entry, mid, senior"),
        ("/salary state:CA bogus:1", "has no option 'bogus'"),
        ("/salary", "the state option is required"),
        ("/nosuch", "There is no command /nosuch"),
        ("/salary state:" + "x" * 300, "too long"),
        ('/salary state:"CA', "quotes"),
        ("/salary state:CA\x07", "control characters"),
    ],
)
async def test_bad_input_is_a_clear_ephemeral_error(
    core: BotCore, member: Invocation, line: str, needle: str
) -> None:
    reply = await core.run_line(line, member)
    assert reply.is_error and reply.ephemeral
    assert needle in reply.text


async def test_autocomplete_providers(core: BotCore) -> None:
    assert [c.value for c in core.suggest("states", "new")][:4] == ["NH", "NJ", "NM", "NY"]
    assert core.suggest("states", "ca")[0].value == "CA"
    assert "CRC" in [c.value for c in core.suggest("credentials", "c")]
    assert [c.value for c in core.suggest("specialties", "card")] == ["Cardiology"]
