"""PNG charts for /compare and /map, drawn with matplotlib's Agg backend (no display needed).

Figures are built with ``matplotlib.figure.Figure``, not pyplot, so no global state is shared and a
chart can be drawn in a worker thread (``asyncio.to_thread``) while the event loop keeps answering."""

from __future__ import annotations

import io
from dataclasses import dataclass

import matplotlib

matplotlib.use("Agg")

from matplotlib import colormaps
from matplotlib.cm import ScalarMappable
from matplotlib.colors import Normalize
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    second: float | None = None


def png(fig: Figure) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110)
    return buffer.getvalue()


def compare_chart(bars: list[Bar], **kwargs: object) -> bytes:
    return png(compare_figure(bars, **kwargs))  # type: ignore[arg-type]


def compare_figure(
    bars: list[Bar],
    *,
    title: str,
    first_label: str,
    second_label: str,
    reference: float,
    reference_label: str,
    footnote: str,
) -> Figure:
    """Horizontal bars (highest on top) with an optional second series and a reference line."""
    fig = Figure(figsize=(8, 2.2 + 0.75 * len(bars)))
    ax = fig.subplots()
    labels = [b.label for b in reversed(bars)]
    ys = list(range(len(bars)))
    height = 0.38
    firsts = [b.value for b in reversed(bars)]
    ax.barh([y + height / 2 for y in ys], firsts, height, color="#2b6cb0", label=first_label)
    seconds = [b.second for b in reversed(bars)]
    if any(s is not None for s in seconds):
        ax.barh(
            [y - height / 2 for y in ys],
            [s or 0 for s in seconds],
            height,
            color="#ed8936",
            label=second_label,
        )
    for y, value in zip(ys, firsts, strict=True):
        ax.text(value, y + height / 2, f" ${value:,.0f}", va="center", fontsize=9)
    for y, value in zip(ys, seconds, strict=True):
        if value is not None:
            ax.text(value, y - height / 2, f" ${value:,.0f}", va="center", fontsize=9)
    ax.axvline(reference, color="#444444", linestyle="--", linewidth=1, label=reference_label)
    ax.set_yticks(ys, labels, fontsize=11)
    ax.set_xlabel("Annual wage (USD)")
    ax.xaxis.set_major_formatter(lambda x, _pos: f"${x / 1000:,.0f}k")
    ax.set_xlim(0, max(firsts + [s or 0 for s in seconds] + [reference]) * 1.22)
    ax.set_title(title, fontsize=12)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.22), ncol=3, fontsize=8, frameon=False)
    fig.text(0.01, 0.01, footnote, fontsize=7, color="#555555", wrap=True)
    fig.tight_layout(rect=(0, 0.07, 1, 1))
    return fig


def tile_map(tiles: dict[str, tuple[tuple[int, int], float]], *, title: str, caption: str) -> bytes:
    return png(tile_map_figure(tiles, title=title, caption=caption))


def tile_map_figure(tiles: dict[str, tuple[tuple[int, int], float]], *, title: str, caption: str) -> Figure:
    """A US tile-grid map: one square per state at its (row, col), coloured by value."""
    values = [v for _, v in tiles.values()]
    norm = Normalize(min(values), max(values))
    cmap = colormaps["viridis"]
    fig = Figure(figsize=(10, 7))
    ax = fig.subplots()
    for code, ((row, col), value) in tiles.items():
        color = cmap(norm(value))
        ax.add_patch(Rectangle((col, -row), 0.94, 0.94, color=color))
        text_color = "white" if norm(value) < 0.6 else "black"
        ax.text(
            col + 0.47,
            -row + 0.6,
            code,
            ha="center",
            va="center",
            fontsize=11,
            weight="bold",
            color=text_color,
        )
        ax.text(
            col + 0.47,
            -row + 0.3,
            f"${value / 1000:.1f}k",
            ha="center",
            va="center",
            fontsize=7.5,
            color=text_color,
        )
    ax.set_xlim(-0.2, 12.2)
    ax.set_ylim(-7.3, 1.1)
    ax.set_aspect("equal")
    ax.axis("off")
    bar = fig.colorbar(
        ScalarMappable(norm=norm, cmap=cmap), ax=ax, orientation="horizontal", fraction=0.04, pad=0.02
    )
    bar.set_label("Annual mean wage (USD)")
    ax.set_title(title, fontsize=13)
    fig.text(0.01, 0.01, caption, fontsize=8, color="#444444", wrap=True)
    return fig
