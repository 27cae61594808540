from __future__ import annotations

import pytest

from bot.core.errors import UserError
from bot.salary.dataset import load_salary_data
from bot.salary.lookups import Lookups

LOOKUPS = Lookups(load_salary_data())


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("ca", "CA"),
        ("CA", "CA"),
        ("California", "CA"),
        ("california", "CA"),
        ("  new   york ", "NY"),
        ("DC", "DC"),
        ("dc", "DC"),
        ("D.C.", "DC"),
        ("Washington D.C.", "DC"),
        ("Washington, D.C.", "DC"),
        ("washington dc", "DC"),
        ("District of Columbia", "DC"),
        ("Washington", "WA"),
        ("washington", "WA"),
        ("WA", "WA"),
        ("West Virginia", "WV"),
        ("Puerto Rico", "PR"),
    ],
)
def test_state_names_and_codes(typed: str, code: str) -> None:
    assert LOOKUPS.state(typed).code == code


@pytest.mark.parametrize("typed", ["", "Cali", "XX", "Narnia", "C A", "'; DROP TABLE states;--"])
def test_unknown_states_name_the_valid_forms(typed: str) -> None:
    with pytest.raises(UserError) as err:
        LOOKUPS.state(typed)
    assert "postal code or a name" in err.value.message


def test_near_miss_suggests_the_state() -> None:
    with pytest.raises(UserError, match="Did you mean California"):
        LOOKUPS.state("Cali")


@pytest.mark.parametrize(
    ("typed", "key"),
    [("cpc", "CPC"), ("CPC + CCS", "CPC+CCS"), ("crc", "CRC"), ("none", "none"), ("ccs", "CCS")],
)
def test_credentials(typed: str, key: str) -> None:
    assert LOOKUPS.credential(typed).key == key


def test_unknown_credential_lists_choices() -> None:
    with pytest.raises(UserError, match="Choose one of: none, CPC"):
        LOOKUPS.credential("CPA")
