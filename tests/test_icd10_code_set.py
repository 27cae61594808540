"""The flat ICD-10-CM tables the bot reads give, for every code, the answers simple-icd-10-cm gives."""

from __future__ import annotations

import simple_icd_10_cm as icd

from bot.icd10.code_set import load_code_set


def test_every_code_matches_the_library() -> None:
    codes = load_code_set()
    every = icd.get_all_codes(True)
    assert codes.get_all_codes(True) == every
    assert codes.get_all_codes(False) == icd.get_all_codes(False)
    assert len(every) > 90_000
    for code in every:
        assert codes.get_description(code) == icd.get_description(code), code
        assert codes.get_parent(code) == icd.get_parent(code), code
        assert codes.get_children(code) == icd.get_children(code), code
        assert codes.get_ancestors(code) == icd.get_ancestors(code), code
        assert codes.is_leaf(code) == icd.is_leaf(code), code
        flags = (
            icd.is_chapter(code),
            icd.is_block(code),
            icd.is_category(code),
            icd.is_extended_subcategory(code),
        )
        assert (
            codes.is_chapter(code),
            codes.is_block(code),
            codes.is_category(code),
            codes.is_extended_subcategory(code),
        ) == flags, code
    for text in [
        "E119",
        "E11.9",
        "S72001A",
        "S72.001A",
        "e11.9",
        "B99",
        "Z99.89",
        "A00-A09",
        "1",
        "nonsense",
        "E11.",
        "",
    ]:
        assert codes.is_valid_item(text) == icd.is_valid_item(text), text
        assert codes.is_chapter_or_block(text) == icd.is_chapter_or_block(text), text
