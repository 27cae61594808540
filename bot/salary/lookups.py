"""Resolving what members type into states, credentials and specialties, with helpful errors."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from bot.core.choices import Choice, ChoiceProvider
from bot.core.errors import UserError
from bot.salary.dataset import Area, SalaryData, SpecialtyRow
from bot.salary.money import MoneyRange


def _norm(text: str) -> str:
    return " ".join(re.sub(r"[.,]", " ", text).lower().split())


def _compact(text: str) -> str:
    return re.sub(r"[^a-z0-9+]", "", text.lower())


@dataclass(frozen=True)
class Credential:
    """A credential (or combination) with a sourced pay range."""

    key: str
    label: str
    pay: MoneyRange
    table: str
    row: str


class Lookups:
    def __init__(self, data: SalaryData):
        self.data = data
        self._areas: dict[str, Area] = {}
        for area in data.areas:
            for name in (area.code, area.name, *area.aliases):
                self._areas[_norm(name)] = area
        ds = data.dataset
        self.credentials: dict[str, Credential] = {}
        for row in ds.certification_status.rows:
            self.credentials[_compact(row.key)] = Credential(
                row.key, row.status, row.average_salary, ds.certification_status.heading, row.status
            )
        for row in ds.specialties.rows:
            cert = _specialty_credential(row)
            if cert and _compact(cert) not in self.credentials:
                self.credentials[_compact(cert)] = Credential(
                    cert, f"{cert} ({row.specialty})", row.salary_range, ds.specialties.heading, row.specialty
                )
        self._credential_aliases = {
            "nocertification": "none",
            "uncertified": "none",
            "noncertified": "none",
            "cpcaapc": "cpc",
            "ccsahima": "ccs",
            "cpcspecialtycert": "cpc+specialty",
            "cpcccs": "cpc+ccs",
            "cpc+ccsboth": "cpc+ccs",
            "cpcmanagement": "cpc+management",
            "cpc+managementexperience": "cpc+management",
        }

    # ---- states --------------------------------------------------------------------------------
    def area(self, text: str) -> Area:
        key = _norm(text)
        area = self._areas.get(key)
        if area is None:
            raise UserError(self._unknown_state(text))
        return area

    def state(self, text: str) -> Area:
        """A state or DC (territories are accepted too: they have BLS figures)."""
        return self.area(text)

    def _unknown_state(self, text: str) -> str:
        shown = text if len(text) <= 40 else text[:40] + "…"
        names = [a.name for a in self.data.areas] + [a.code for a in self.data.areas]
        typed = _norm(text)
        close = [a.name for a in self.data.areas if len(typed) >= 3 and _norm(a.name).startswith(typed)][:3]
        close = close or difflib.get_close_matches(text.strip().title(), names, n=3, cutoff=0.6)
        hint = f" Did you mean {' or '.join(close)}?" if close else ""
        return (
            f"I don't know the state {shown!r}.{hint} Use a postal code or a name, e.g. CA, California, "
            'DC or Washington D.C. ("Washington" means the state).'
        )

    # ---- credentials -----------------------------------------------------------------------------
    def credential(self, text: str) -> Credential:
        key = _compact(text)
        key = self._credential_aliases.get(key, key)
        cred = self.credentials.get(key)
        if cred is None:
            valid = ", ".join(c.key for c in self.credentials.values())
            shown = text if len(text) <= 40 else text[:40] + "…"
            raise UserError(f"I don't know the credential {shown!r}. Choose one of: {valid}.")
        return cred

    # ---- specialties -----------------------------------------------------------------------------
    def specialty(self, text: str) -> SpecialtyRow:
        rows = self.data.dataset.specialties.rows
        key = _compact(text)
        for row in rows:
            if _compact(row.specialty) == key or _compact(row.specialty.split("/")[0]) == key:
                return row
        matches = [row for row in rows if key and key in _compact(row.specialty)]
        if len(matches) == 1:
            return matches[0]
        valid = ", ".join(r.specialty for r in rows)
        shown = text if len(text) <= 40 else text[:40] + "…"
        raise UserError(f"I don't know the specialty {shown!r}. Choose one of: {valid}.")

    # ---- choice providers ------------------------------------------------------------------------
    def providers(self) -> dict[str, ChoiceProvider]:
        return {
            "states": ChoiceProvider(
                options=lambda: [Choice(f"{a.name} ({a.code})", a.code) for a in self.data.areas],
                accepts=lambda t: _norm(t) in self._areas,
            ),
            "credentials": ChoiceProvider(
                options=lambda: [Choice(c.label, c.key) for c in self.credentials.values()],
                accepts=lambda t: self._credential_aliases.get(_compact(t), _compact(t)) in self.credentials,
            ),
            "specialties": ChoiceProvider(
                options=lambda: [
                    Choice(r.specialty, r.specialty) for r in self.data.dataset.specialties.rows
                ],
                accepts=lambda t: _accepts(self.specialty, t),
            ),
        }


def _accepts(resolve: object, text: str) -> bool:
    try:
        resolve(text)  # type: ignore[operator]
    except UserError:
        return False
    return True


def _specialty_credential(row: SpecialtyRow) -> str | None:
    """'CPC + CEDC' → 'CEDC'; 'CRC (AAPC)' → 'CRC'; 'CPC' and 'CPC specialty' → None."""
    cert = row.certification.replace("(AAPC)", "").replace("(AHIMA)", "").strip()
    if cert.startswith("CPC + "):
        return cert.removeprefix("CPC + ").strip()
    if re.fullmatch(r"[A-Z]{3,5}", cert) and cert != "CPC":
        return cert
    return None
