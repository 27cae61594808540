"""ICD-10-CM look-ups on the official code set shipped by simple-icd-10-cm (April 2026 release):
one code's place in the classification, and ranked description search. No network. The code set is
read into flat tables by :mod:`bot.icd10.code_set` (the library's own import costs ~180 MB)."""

from __future__ import annotations

import bisect
import difflib
import re
from array import array
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

from bot.icd10.code_set import CodeSet, load_code_set


@lru_cache(maxsize=1)
def _icd() -> CodeSet:
    """The code set, read on first use (the whole tabular list, about 2 s)."""
    return load_code_set()


CODE_SHAPE = re.compile(r"^[A-Za-z][0-9][0-9A-Za-z](?:\.?[0-9A-Za-z]{1,4})?$")
CODE_SET = "ICD-10-CM, April 1, 2026 release (CMS/NCHS), via simple-icd-10-cm"
_WORD = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True)
class CodeInfo:
    code: str
    description: str
    billable: bool
    kind: str
    chapter: tuple[str, str]
    block: tuple[str, str]
    parent: tuple[str, str] | None
    children: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class SearchHit:
    code: str
    description: str
    billable: bool


def normalise(text: str) -> str:
    """'e119' / 'E11.9' / ' e11.9 ' → 'E11.9' (the dotted form the code set uses)."""
    raw = text.strip().upper().replace(".", "")
    return f"{raw[:3]}.{raw[3:]}" if len(raw) > 3 else raw


def looks_like_code(text: str) -> bool:
    return bool(CODE_SHAPE.match(text.strip()))


def _kind(code: str) -> str:
    if _icd().is_category(code):
        return "category"
    if _icd().is_extended_subcategory(code):
        return "code with 7th character"
    return "subcategory"


@lru_cache(maxsize=1)
def _searchable_codes() -> list[str]:
    """Categories and subcategories, without the 51k 7th-character extensions (found via their parent)."""
    return [
        c
        for c in _icd().get_all_codes(True)
        if not _icd().is_chapter_or_block(c) and not _icd().is_extended_subcategory(c)
    ]


@dataclass(frozen=True)
class _Index:
    """Each searchable code's words, and for each word of the vocabulary (sorted, so the words that
    start with a query word are one contiguous slice found by bisection) the codes using it."""

    entries: list[tuple[str, str, tuple[str, ...]]]
    vocabulary: list[str]
    postings: list[array[int]]

    def with_prefix(self, word: str) -> set[int]:
        lo = bisect.bisect_left(self.vocabulary, word)
        hi = bisect.bisect_left(self.vocabulary, word + "{")  # "{" sorts after every [a-z0-9]
        return set().union(*self.postings[lo:hi])


@lru_cache(maxsize=1)
def _search_index() -> _Index:
    """Built once per process (about 0.6 s)."""
    entries = []
    postings: dict[str, array[int]] = defaultdict(lambda: array("I"))
    for i, code in enumerate(_searchable_codes()):
        description = _icd().get_description(code)
        words = tuple(sorted(set(_WORD.findall(description.lower()))))
        entries.append((code, description, words))
        for word in words:
            postings[word].append(i)
    vocabulary = sorted(postings)
    return _Index(entries, vocabulary, [postings[w] for w in vocabulary])


class Icd10Lookup:
    def describe(self, text: str) -> CodeInfo | None:
        code = normalise(text)
        if not _icd().is_valid_item(code) or _icd().is_chapter_or_block(code):
            return None
        ancestors = _icd().get_ancestors(code)
        chapter, block = ancestors[-1], ancestors[-2]
        parent = _icd().get_parent(code)
        return CodeInfo(
            code=code,
            description=_icd().get_description(code),
            billable=_icd().is_leaf(code),
            kind=_kind(code),
            chapter=(chapter, _icd().get_description(chapter)),
            block=(block, _icd().get_description(block)),
            parent=(parent, _icd().get_description(parent))
            if parent and not _icd().is_block(parent)
            else None,
            children=tuple((c, _icd().get_description(c)) for c in _icd().get_children(code)),
        )

    def nearest(self, text: str, limit: int = 5) -> list[str]:
        """Valid codes near an unknown one: its longest valid prefix and that code's children,
        then codes that are spelled alike."""
        code = normalise(text)
        raw = code.replace(".", "")
        out: list[str] = []
        for cut in range(len(raw) - 1, 2, -1):
            prefix = normalise(raw[:cut])
            if _icd().is_valid_item(prefix):
                out = [prefix, *_icd().get_children(prefix)]
                break
        if len(out) < limit:
            same_letter = [c for c in self._codes if c[:1] == code[:1]]
            out += [
                c for c in difflib.get_close_matches(code, same_letter, n=limit, cutoff=0.6) if c not in out
            ]
        return out[:limit]

    # ---- search --------------------------------------------------------------------------------
    @property
    def _codes(self) -> list[str]:
        return _searchable_codes()

    def search(self, text: str, limit: int = 10) -> list[SearchHit]:
        """Codes whose description contains every query word (as a word or word prefix), ranked by
        exact-word matches, then billable first, then shorter descriptions."""
        query = _WORD.findall(text.lower())
        if not query:
            return []
        index = _search_index()
        entries = index.entries
        matched: set[int] | None = None
        for word in query:
            ids = index.with_prefix(word)
            matched = ids if matched is None else matched & ids
            if not matched:
                return []
        assert matched is not None

        phrase = " ".join(query)
        single = len(query) == 1

        def rank(i: int) -> tuple[int, int, int, int, str]:
            code, description, words = entries[i]
            exact = sum(1 for w in query if w in words)
            # One query word always appears "in order" (it matched as a word or word prefix).
            in_order = single or phrase in " ".join(_WORD.findall(description.lower()))
            return (-exact, 0 if in_order else 1, 0 if _icd().is_leaf(code) else 1, len(words), code)

        best = sorted(matched, key=rank)[:limit]
        return [SearchHit(entries[i][0], entries[i][1], _icd().is_leaf(entries[i][0])) for i in best]
