"""/specialty, /career, /outlook, /certs and /roadmap: the article's career tables, other sources beside them."""

from __future__ import annotations

from pydantic import BaseModel, Field

from bot.core.commands import CommandSpec, Context
from bot.core.replies import Reply, ReplyField, TableData
from bot.core.services import sources_footer
from bot.salary.estimates import ARTICLE


class SpecialtyOptions(BaseModel):
    name: str | None = Field(
        default=None,
        description="A specialty, e.g. Cardiology (leave empty for all)",
        json_schema_extra={"autocomplete": "specialties"},
    )


async def specialty(ctx: Context, opts: SpecialtyOptions) -> Reply:
    data = ctx.services.salary
    table = data.dataset.specialties
    footer = sources_footer(data, [table.source])
    if opts.name:
        row = ctx.services.lookups.specialty(opts.name)
        fields = [
            ReplyField(name="Salary range", value=row.salary_range.text),
            ReplyField(name="Certification", value=row.certification),
            ReplyField(name="Demand", value=row.demand_level),
        ]
        text = ""
        if row.specialty == "Risk Adjustment/HCC":
            text = "\n".join(f"• {fact}" for fact in data.dataset.risk_adjustment_niche.facts)
        return Reply(title=f"Specialty: {row.specialty}", text=text, fields=fields, footer=footer)
    rows = [[r.specialty, r.salary_range.text, r.certification, r.demand_level] for r in table.rows]
    return Reply(
        title=table.heading,
        text="Specialty coding consistently pays more than general coding. /specialty name:<specialty> for one.",
        table=TableData(columns=list(table.columns), rows=rows, align="lrll"),
        footer=footer,
    )


async def career(ctx: Context, _opts: BaseModel) -> Reply:
    ds = ctx.services.salary.dataset
    path = ds.career_path
    alt = ds.alternative_careers
    rows = [[str(r.level), r.title, r.salary_range.text, r.experience, r.key_skills] for r in path.rows]
    fields = [
        ReplyField(name=r.career, value=f"{r.salary.text} — {r.how_to_get_there}", inline=False)
        for r in alt.rows
    ]
    return Reply(
        title=path.heading,
        text=f"{alt.heading}: see the fields below.",
        table=TableData(columns=list(path.columns), rows=rows, align="llrll"),
        fields=fields,
        footer=sources_footer(ctx.services.salary, [path.source, alt.source]),
    )


async def outlook(ctx: Context, _opts: BaseModel) -> Reply:
    ds = ctx.services.salary.dataset
    table = ds.job_outlook
    fields = [
        ReplyField(name=f"{r.metric} — {ds.source(table.source).short}", value=r.data, inline=False)
        for r in table.rows
    ]
    others = [f for f in ds.other_figures if f.topic == "outlook"]
    for fig in others:
        note = f" ({fig.note})" if fig.note else ""
        fields.append(
            ReplyField(
                name=f"{fig.metric} — {ds.source(fig.source).short}", value=fig.value + note, inline=False
            )
        )
    ai = "\n".join(f"• {fact}" for fact in ds.ai_outlook.facts)
    text = (
        "Where sources differ (the article's 8% growth, the BLS projection's 7.0% as cited), both are shown.\n\n"
        f"**{ds.ai_outlook.heading}**\n{ai}"
    )
    return Reply(
        title=table.heading,
        text=text,
        fields=fields,
        footer=sources_footer(ctx.services.salary, [table.source, *(f.source for f in others)]),
    )


async def certs(ctx: Context, _opts: BaseModel) -> Reply:
    ds = ctx.services.salary.dataset
    status = ds.certification_status
    premium = ds.certification_premium
    rows = [[r.status, r.average_salary.text, r.job_access] for r in status.rows]
    facts = "\n".join(f"• {fact}" for fact in premium.facts)
    others = [f for f in ds.other_figures if f.topic == "certification"]
    fields = [
        ReplyField(name=f"{fig.metric} — {ds.source(fig.source).short}", value=fig.value) for fig in others
    ]
    text = (
        f"**{premium.heading}** ({ds.source(premium.source).short})\n{premium.intro}\n{facts}\n\n{premium.note}\n\n"
        "AAPC's own survey figures differ from the article's; they are shown below, each labelled."
    )
    return Reply(
        title=status.heading,
        text=text,
        table=TableData(columns=list(status.columns), rows=rows, align="lrl"),
        fields=fields,
        footer=sources_footer(ctx.services.salary, [status.source, *(f.source for f in others)]),
    )


async def roadmap(ctx: Context, _opts: BaseModel) -> Reply:
    ds = ctx.services.salary.dataset
    fields = []
    for stage in ds.roadmap.stages:
        steps = "\n".join(f"• {s}" for s in stage.steps)
        pays = []
        for ref in stage.pay:
            name, pay, heading = ds.resolve_pay(ref)
            pays.append(f"{name}: {pay.text} ({heading})")
        fields.append(
            ReplyField(name=stage.title, value=f"{steps}\nPay at this step: " + "; ".join(pays), inline=False)
        )
    return Reply(
        title="Roadmap: certify, specialise, advance",
        text=f"{ds.roadmap.heading} — the article's year-by-year plan, with the pay it gives for each step.",
        fields=fields,
        footer=sources_footer(ctx.services.salary, [ARTICLE]),
    )


COMMANDS = [
    CommandSpec(
        "specialty",
        "Specialty pay, credential and demand",
        specialty,
        SpecialtyOptions,
        example="/specialty name:Cardiology",
    ),
    CommandSpec(
        "career", "The career ladder from entry coder to director, and other paths", career, example="/career"
    ),
    CommandSpec("outlook", "Job outlook 2024–2034 and what AI changes", outlook, example="/outlook"),
    CommandSpec("certs", "What certification does to pay", certs, example="/certs"),
    CommandSpec("roadmap", "The year-by-year plan with the pay at each step", roadmap, example="/roadmap"),
]
