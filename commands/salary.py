"""/salary, /compare and /map: state pay from both sources, estimates with their method, charts."""

from __future__ import annotations

import asyncio
from typing import Literal

from pydantic import BaseModel, Field

from bot.core.commands import CommandSpec, Context
from bot.core.errors import UserError
from bot.core.replies import ImageData, Reply, ReplyField, TableData
from bot.core.services import Services, sources_footer
from bot.salary.dataset import Area, SalaryData
from bot.salary.estimates import ARTICLE, BLS
from bot.salary.money import MoneyRange, dollars, signed_dollars

LEVEL_ROWS = {"entry": "Entry-Level", "mid": "Mid-Career", "senior": "Senior"}


class SalaryOptions(BaseModel):
    state: str = Field(
        description="State: postal code or name (CA, California, DC)",
        json_schema_extra={"autocomplete": "states"},
    )
    cert: str | None = Field(
        default=None,
        description="Credential, e.g. CPC, CCS, CRC",
        json_schema_extra={"autocomplete": "credentials"},
    )
    level: Literal["entry", "mid", "senior"] | None = Field(default=None, description="Experience level")


def _state_fields(ctx: Context, area: Area) -> tuple[list[ReplyField], list[str]]:
    data = ctx.services.salary
    fields = []
    notes = []
    article = data.article_state_figures.get(area.code)
    bls = data.bls_by_code[area.code]
    article_source = data.dataset.source(ARTICLE)
    bls_source = data.dataset.source(BLS)
    if article:
        rank, figure = article
        table = "top 10" if rank <= 10 else "lowest-paying"
        fields.append(
            ReplyField(
                name=f"Mean annual salary — {article_source.short}",
                value=f"{figure.text} (rank {rank}, the article's {table} list)",
            )
        )
    else:
        notes.append(
            f"The article has no figure for {area.name} (it names only 15 states); the BLS figure below is the sourced one."
        )
    fields.append(
        ReplyField(
            name=f"Mean annual wage — {bls_source.short}",
            value=f"{dollars(bls.a_mean)} (${bls.h_mean:.2f}/hour)",
        )
    )
    if article and article[1].low != bls.a_mean:
        diff = bls.a_mean - article[1].low
        notes.append(
            f"The two sources differ by {dollars(abs(diff))} (BLS {'higher' if diff > 0 else 'lower'}); "
            "they cover different periods and samples, so both are shown."
        )
    return fields, notes


def _estimates(
    services: Services, national: MoneyRange, label: str, what: str, area: Area, methods: list[str]
) -> list[ReplyField]:
    """One estimate field per source that has a figure for the state; each method goes to ``methods``."""
    fields = []
    for index in services.estimator.indexes(area):
        est = services.estimator.scale(national, label, area, index)
        fields.append(
            ReplyField(name=f"Estimate for {what} in {area.code} (via {index.source_short})", value=est.text)
        )
        methods.append(est.method)
    return fields


async def salary(ctx: Context, opts: SalaryOptions) -> Reply:
    services = ctx.services
    area = services.lookups.state(opts.state)
    credential = services.lookups.credential(opts.cert) if opts.cert else None
    ds = services.salary.dataset
    fields, notes = _state_fields(ctx, area)
    indexes = services.estimator.indexes(area)
    overview = ds.national_overview
    if not services.salary.article_state_figures.get(area.code):
        fields.append(
            ReplyField(
                name=f"National median — {ds.source(ARTICLE).short}",
                value=overview.amount("Median Annual Salary").amount.text,
            )
        )
        fields.append(
            ReplyField(
                name=f"National average — {ds.source(ARTICLE).short}",
                value=overview.amount("Average Annual Salary").amount.text,
            )
        )
    table = None
    estimate_lines: list[str] = []
    if credential:
        fields.append(
            ReplyField(
                name=f"{credential.label} — national range",
                value=f"{credential.pay.text} ({ds.source(ARTICLE).short}, {credential.table})",
                inline=False,
            )
        )
        fields += _estimates(services, credential.pay, credential.label, credential.key, area, estimate_lines)
    else:
        bls_index = indexes[-1]
        rows = []
        for cred in services.lookups.credentials.values():
            est = services.estimator.scale(cred.pay, cred.label, area, bls_index)
            rows.append([cred.label, cred.pay.text, est.text])
        table = TableData(
            columns=["Credential", "National range (Article 2026)", f"{area.code} estimate (BLS index)"],
            rows=rows,
            align="lrr",
        )
        estimate_lines.append(
            f"Each national range × {area.name} mean {dollars(bls_index.state_mean)} "
            f"({bls_index.source_short}) ÷ {bls_index.reference_label}; ratio {bls_index.ratio:.3f}, rounded to $100."
        )
    if opts.level:
        row = overview.amount(LEVEL_ROWS[opts.level])
        fields.append(
            ReplyField(name=f"{row.metric} — national ({ds.source(ARTICLE).short})", value=row.amount.text)
        )
        fields += _estimates(services, row.amount, row.metric, f"{opts.level} level", area, estimate_lines)
    text = "\n".join(notes)
    methods = "\n".join(f"• {line}" for line in estimate_lines)
    method_note = f"How the ≈ estimates were made (estimates, not data):\n{methods}"
    return Reply(
        title=f"Medical coder pay in {area.name} ({area.code})"
        + (f" — {credential.key}" if credential else ""),
        text=text,
        fields=fields,
        table=table,
        footer=method_note + "\n" + sources_footer(services.salary, [ARTICLE, BLS]),
    )


class CompareOptions(BaseModel):
    states: str = Field(
        description="2 to 5 states, comma-separated: CA,TX,NY",
        max_length=200,
        json_schema_extra={"greedy": True},
    )


def _parse_states(ctx: Context, text: str) -> list[Area]:
    parts = [p.strip() for p in text.replace(";", ",").split(",") if p.strip()]
    if len(parts) == 1 and " " in parts[0]:
        words = parts[0].split()
        if all(len(w) == 2 for w in words):
            parts = words
    areas: list[Area] = []
    for part in parts:
        area = ctx.services.lookups.state(part)
        if area not in areas:
            areas.append(area)
    if not 2 <= len(areas) <= 5:
        raise UserError(
            f"Compare 2 to 5 different states, comma-separated, e.g. /compare states:CA,TX,NY (you gave {len(areas)})."
        )
    return areas


def _article_mean(data: SalaryData, area: Area) -> float | None:
    figure = data.article_state_figures.get(area.code)
    return figure[1].low if figure else None


async def compare(ctx: Context, opts: CompareOptions) -> Reply:
    from bot.salary import charts  # matplotlib loads on the first chart, not at start-up

    services = ctx.services
    data = services.salary
    ds = data.dataset
    areas = _parse_states(ctx, opts.states)
    areas.sort(key=lambda a: data.bls_by_code[a.code].a_mean, reverse=True)
    median = ds.national_overview.amount("Median Annual Salary").amount.low
    top = data.bls_by_code[areas[0].code].a_mean
    rows = []
    for rank, area in enumerate(areas, 1):
        mean = data.bls_by_code[area.code].a_mean
        article = data.article_state_figures.get(area.code)
        rows.append(
            [
                str(rank),
                f"{area.name} ({area.code})",
                dollars(mean),
                signed_dollars(mean - median),
                "—" if mean == top else signed_dollars(mean - top),
                article[1].text if article else "not listed",
            ]
        )
    bls_short = ds.source(BLS).short
    article_short = ds.source(ARTICLE).short
    low = areas[-1]
    gap = top - data.bls_by_code[low.code].a_mean
    text = (
        f"Ranked by {bls_short} annual mean wage (the only source with every state). "
        f"{areas[0].name} pays {dollars(gap)} more than {low.name} on that measure. "
        f'"vs US median" is each state\'s mean minus the national median {dollars(median)} ({article_short}).'
    )
    chart = await asyncio.to_thread(
        charts.compare_chart,
        [charts.Bar(a.code, data.bls_by_code[a.code].a_mean, _article_mean(data, a)) for a in areas],
        title="Medical records specialists / coders: annual mean pay",
        first_label=f"{bls_short} state mean",
        second_label=f"{article_short} state mean",
        reference=median,
        reference_label=f"US median {dollars(median)} ({article_short})",
        footnote=f"Sources: {ds.source(BLS).title}, {ds.source(BLS).period}; {ds.source(ARTICLE).title}.",
    )
    codes = "-".join(a.code.lower() for a in areas)
    return Reply(
        title="Compare: " + ", ".join(a.code for a in areas),
        text=text,
        table=TableData(
            columns=["#", "State", f"Mean ({bls_short})", "vs US median", "vs #1", f"Mean ({article_short})"],
            rows=rows,
            align="llrrrr",
        ),
        image=ImageData(
            filename=f"compare-{codes}.png",
            data=chart,
            alt="Bar chart of annual mean pay for " + ", ".join(a.name for a in areas),
        ),
        footer=sources_footer(data, [BLS, ARTICLE]),
    )


async def pay_map(ctx: Context, _opts: BaseModel) -> Reply:
    from bot.salary import charts  # matplotlib loads on the first chart, not at start-up

    data = ctx.services.salary
    bls = data.dataset.source(BLS)
    tiles = {a.code: (a.tile, data.bls_by_code[a.code].a_mean) for a in data.states if a.tile}
    ranked = sorted(data.states, key=lambda a: data.bls_by_code[a.code].a_mean, reverse=True)
    caption = (
        f"Annual mean wage, medical records specialists (SOC 29-2072), {bls.short}. "
        f"Source: {bls.title}, {bls.period}."
    )
    image = await asyncio.to_thread(
        charts.tile_map, tiles, title="Medical records specialist pay by state", caption=caption
    )
    top = ", ".join(f"{a.code} {dollars(data.bls_by_code[a.code].a_mean)}" for a in ranked[:3])
    bottom = ", ".join(f"{a.code} {dollars(data.bls_by_code[a.code].a_mean)}" for a in ranked[-3:])
    return Reply(
        title="Pay map (ranked by BLS OEWS May 2023 mean)",
        text=f"Highest: {top}. Lowest: {bottom}. {caption}",
        image=ImageData(
            filename="pay-map.png", data=image, alt="Tile map of the US coloured by annual mean wage"
        ),
        footer=sources_footer(data, [BLS]),
    )


COMMANDS = [
    CommandSpec(
        "salary",
        "Pay for a state and credential, with sources and estimates",
        salary,
        SalaryOptions,
        example="/salary state:CA cert:CPC",
    ),
    CommandSpec(
        "compare",
        "Compare 2 to 5 states side by side, with a chart",
        compare,
        CompareOptions,
        example="/compare states:CA,TX,NY",
        slow=True,
    ),
    CommandSpec("map", "A US map coloured by medical-coder pay", pay_map, example="/map", slow=True),
]
