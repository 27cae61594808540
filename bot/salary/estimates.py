"""Estimates derived from sourced figures, each carrying the method that made it.

A state's pay index is its mean wage divided by a national reference from the same source:
- Article (2026): the state's mean ÷ the article's national average salary ($50,200).
- BLS OEWS May 2023: the state's mean ÷ the unweighted average of the 51 state and DC means
  (computed here; the BLS national mean itself is not in our sources).
A national range (a credential's or an experience level's) times the index is the estimate.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from bot.salary.dataset import Area, SalaryData
from bot.salary.money import MoneyRange, dollars, round_to

ARTICLE = "article-2026"
BLS = "bls-oews-may2023"


@dataclass(frozen=True)
class PayIndex:
    source_id: str
    source_short: str
    state_mean: float
    reference: float
    reference_label: str

    @property
    def ratio(self) -> float:
        return self.state_mean / self.reference


@dataclass(frozen=True)
class Estimate:
    low: float
    high: float
    open_ended: bool
    method: str

    @property
    def text(self) -> str:
        high = dollars(self.high) + ("+" if self.open_ended else "")
        return f"≈ {dollars(self.low)}–{high}" if self.low != self.high else f"≈ {high}"


class Estimator:
    def __init__(self, data: SalaryData):
        self.data = data
        self.article = data.dataset.source(ARTICLE)
        self.bls = data.dataset.source(BLS)

    @cached_property
    def article_reference(self) -> float:
        return self.data.dataset.national_overview.amount("Average Annual Salary").amount.low

    @cached_property
    def bls_reference(self) -> float:
        means = [self.data.bls_by_code[a.code].a_mean for a in self.data.states]
        return sum(means) / len(means)

    def indexes(self, area: Area) -> list[PayIndex]:
        out = []
        article = self.data.article_state_figures.get(area.code)
        if article is not None:
            out.append(
                PayIndex(
                    ARTICLE,
                    self.article.short,
                    article[1].low,
                    self.article_reference,
                    f"national average salary {dollars(self.article_reference)} ({self.article.short})",
                )
            )
        bls = self.data.bls_by_code[area.code]
        out.append(
            PayIndex(
                BLS,
                self.bls.short,
                bls.a_mean,
                self.bls_reference,
                f"unweighted average of the 51 state and DC means, {dollars(self.bls_reference)} "
                f"(computed from {self.bls.short})",
            )
        )
        return out

    def scale(self, national: MoneyRange, label: str, area: Area, index: PayIndex) -> Estimate:
        low = round_to(national.low * index.ratio)
        high = round_to(national.high * index.ratio)
        method = (
            f"{label} {national.text} (national, {self.article.short}) × {area.name} mean "
            f"{dollars(index.state_mean)} ({index.source_short}) ÷ {index.reference_label}; "
            f"ratio {index.ratio:.3f}, rounded to $100"
        )
        return Estimate(low, high, national.open_ended, method)
