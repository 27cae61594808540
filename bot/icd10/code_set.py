"""The ICD-10-CM classification, read from the data files simple-icd-10-cm ships, into flat tables.

Importing ``simple_icd_10_cm`` itself parses the whole tabular list into an element tree and then a
node object per code, with every note: about 180 MB of resident memory, most of the bot's. This reads
the same two files with a streaming parser, keeps only what the look-ups use (name, description,
kind, parent, children) and follows the library's rules exactly, so its answers are the library's
(tests/test_icd10_code_set.py compares every code): children are registered before their parent, a
leaf under a 7th-character definition gets one extended child per confirmed 7th character, the
placeholder X pads the code to six characters, and an extended description is the parent's plus
", " plus the character's meaning.
"""

from __future__ import annotations

import importlib.util
import xml.etree.ElementTree as ET
from pathlib import Path

CODE_LIST = "code-list-April-2026.txt"
TABULAR = "icd10c-tabular-April-1-2026.xml"
_NODES = {"chapter", "section", "diag"}
_NO_CHILDREN: tuple[int, ...] = ()


class CodeSet:
    """Answers the look-ups the bot makes, with the names and meanings simple-icd-10-cm gives them."""

    def __init__(self) -> None:
        self.names: list[str] = []
        # An extended code keeps only its 7th character's meaning (one string shared by its siblings);
        # its description is composed on demand: 51k fewer long strings held.
        self.descriptions: list[str] = []
        self.kinds: list[str] = []  # chapter, section, category, subcategory, extended subcategory
        self.parents: list[int] = []  # -1 for a chapter
        self.children: list[tuple[int, ...]] = []
        self.index: dict[str, int] = {}  # the first node registered under a name wins
        self.chapters: list[int] = []

    # ---- building ------------------------------------------------------------------------------
    def _add(self, name: str, description: str, kind: str, parent: int) -> int:
        self.names.append(name)
        self.descriptions.append(description)
        self.kinds.append(kind)
        self.parents.append(parent)
        self.children.append(_NO_CHILDREN)
        return len(self.names) - 1

    def _register(self, node: int) -> None:
        self.index.setdefault(self.names[node], node)

    # ---- the library's API, for the calls the bot makes ----------------------------------------
    def _node(self, code: str) -> int | None:
        if len(code) < 4 or code[3] == ".":
            return self.index.get(code)
        dotted = self.index.get(f"{code[:3]}.{code[3:]}")
        return dotted if dotted is not None else self.index.get(code)

    def _get(self, code: str) -> int:
        node = self._node(code)
        if node is None:
            raise ValueError(f'The code "{code}" does not exist.')
        return node

    def is_valid_item(self, code: str) -> bool:
        return self._node(code) is not None

    def is_chapter(self, code: str) -> bool:
        node = self._node(code)
        return node is not None and self.kinds[node] == "chapter"

    def is_block(self, code: str) -> bool:
        """A section, or a category alone in a section of the same name (as the library counts it)."""
        node = self._node(code)
        if node is None:
            return False
        parent = self.parents[node]
        return self.kinds[node] == "section" or (parent >= 0 and self.names[parent] == self.names[node])

    def is_chapter_or_block(self, code: str) -> bool:
        return self.is_block(code) or self.is_chapter(code)

    def is_category(self, code: str) -> bool:
        node = self._node(code)
        return node is not None and self.kinds[node] == "category"

    def is_extended_subcategory(self, code: str) -> bool:
        node = self._node(code)
        return node is not None and self.kinds[node] == "extended subcategory"

    def get_description(self, code: str) -> str:
        node = self._get(code)
        if self.kinds[node] == "extended subcategory":
            return f"{self.descriptions[self.parents[node]]}, {self.descriptions[node]}"
        return self.descriptions[node]

    def get_parent(self, code: str) -> str:
        parent = self.parents[self._get(code)]
        return self.names[parent] if parent >= 0 else ""

    def get_children(self, code: str) -> list[str]:
        return [self.names[c] for c in self.children[self._get(code)]]

    def is_leaf(self, code: str) -> bool:
        return not self.children[self._get(code)]

    def get_ancestors(self, code: str) -> list[str]:
        out = []
        node = self.parents[self._get(code)]
        while node >= 0:
            out.append(self.names[node])
            node = self.parents[node]
        return out

    def get_all_codes(self, with_dots: bool = True) -> list[str]:
        """Every node's name in the library's order (depth first, a node before its children)."""
        out: list[str] = []
        stack = list(reversed(self.chapters))
        while stack:
            node = stack.pop()
            name = self.names[node]
            out.append(name if with_dots or len(name) <= 4 or name[3] != "." else name[:3] + name[4:])
            stack.extend(reversed(self.children[node]))
        return out


class _Frame:
    __slots__ = ("children", "description", "inherited", "kind", "name", "own_seven", "seven")

    def __init__(self, kind: str, name: str, seven: dict[str, str] | None):
        self.kind = kind
        self.name = name
        self.description = ""
        self.children: list[int] = []
        self.own_seven: dict[str, str] | None = None  # this node's <sevenChrDef>, if it has one
        self.inherited = seven  # the nearest enclosing node's <sevenChrDef>, when this node began
        self.seven = seven  # what this node's children inherit: its own once read, else the above


def data_dir() -> Path:
    """The library's data folder, found without importing the library (its import is the cost)."""
    spec = importlib.util.find_spec("simple_icd_10_cm")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("simple-icd-10-cm is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "data"


def load_code_set() -> CodeSet:
    data = data_dir()
    confirmed = {
        line.split(" ")[0].replace(".", "")
        for line in data.joinpath(CODE_LIST).read_text("utf-8").split("\n")
    }
    codes = CodeSet()
    frames: list[_Frame] = []
    path: list[str] = []  # tags of the open elements
    with data.joinpath(TABULAR).open("rb") as xml:
        for event, element in ET.iterparse(xml, events=("start", "end")):
            tag = element.tag
            if event == "start":
                path.append(tag)
                if tag in _NODES and len(path) >= 2 and (path[-2] in _NODES or tag == "chapter"):
                    inherited = frames[-1].seven if frames else None
                    frames.append(_Frame(tag, element.attrib.get("id", ""), inherited))
                continue
            path.pop()
            owner = frames[-1] if frames and path and path[-1] in _NODES else None
            if tag in _NODES and frames and ((path[-1:] and path[-1] in _NODES) or tag == "chapter"):
                _finish(codes, frames, confirmed)
                element.clear()
            elif owner is None:
                continue
            elif tag == "name":
                if element.text is None:
                    raise ValueError(f"<name> without text under {owner.name or 'a code'}")
                owner.name = element.text
            elif tag == "desc" and element.text is not None:
                owner.description = element.text
            elif tag == "sevenChrDef":
                seven: dict[str, str] = {}
                last = None
                for item in element:
                    if item.tag == "extension":
                        last = item.attrib["char"]
                        seven[last] = item.text or ""
                    elif item.tag == "note" and last is not None and item.text is not None:
                        seven[last] += "/" + item.text
                owner.own_seven = owner.seven = seven
    return codes


def _finish(codes: CodeSet, frames: list[_Frame], confirmed: set[str]) -> None:
    """Close the innermost node: give it its index, its parent and its children."""
    frame = frames.pop()
    kind = frame.kind
    if kind == "diag":
        kind = "category" if len(frame.name) == 3 else "subcategory"
    node = codes._add(frame.name, frame.description, kind, -1)
    for child in frame.children:
        codes.parents[child] = node
    codes._register(node)
    children = frame.children
    if not children and (frame.own_seven or frame.inherited is not None):
        table = frame.own_seven or frame.inherited or {}
        base = frame.name + ("." if len(frame.name) == 3 else "")
        base += "X" * (7 - len(base))
        for char, meaning in table.items():
            if base[:3] + base[4:] + char in confirmed:
                child = codes._add(base + char, meaning, "extended subcategory", node)
                codes._register(child)
                children.append(child)
    codes.children[node] = tuple(children) if children else _NO_CHILDREN
    if frames:
        frames[-1].children.append(node)
    else:
        codes.chapters.append(node)
