"""Server-rendered SVG charts: the numbers a template needs, computed in Python.

The templates in insights/templates/insights/_charts.html only print these numbers, so the
geometry is tested here and pages stay free of scripts. Every chart is readable without
colour: series differ by marker shape and dash pattern, parts of a share bar by fill
pattern, and each chart has a one-sentence summary (its accessible name) and its numbers
as text (a table or a labelled legend).
"""

import hashlib
import itertools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.utils.text import slugify

# A format string ("{:.0f} %") or a function, applied to a value for the summary and table.
ValueFormat = str | Callable[[float], str]

MARKERS = ("circle", "square", "triangle", "diamond")
NO_VALUE = "—"
# Series look alike in grey only if marker and dash are both equal; colour merely adds to it.
SERIES_INKS = 4
DASH = "6 4"

# Line chart geometry (SVG user units). About 340 units wide, so that at a 375 px phone
# screen one unit is about one CSS pixel and the 11-unit labels stay readable.
WIDTH = 340
HEIGHT = 190
TOP = 12
RIGHT = 10
PLOT_BOTTOM = 162
X_LABELS_Y = 180
FONT = 11
# A generous average glyph width (digits, capitals and spaces of a sans-serif): labels thinned by
# it never touch, even in a wide font.
GLYPH = 0.58 * FONT
LABEL_GAP = 6
EDGE = 2  # x labels may reach under the y tick labels, not past the chart's edges
MARKER_SIZE = 4.5

# Sparkline geometry: a word-sized chart inside a sentence or a table cell.
SPARK_WIDTH, SPARK_HEIGHT, SPARK_PAD = 80, 20, 3

# Fill patterns of a share bar's parts, in order of use (distinct in greyscale).
PATTERNS = ("hatch", "dots", "solid", "cross", "rows", "columns")


@dataclass(frozen=True)
class Series:
    label: str  # shown in the legend, e.g. "Jonas" or "Adherence"
    values: Sequence[float | None]  # one per x label; None = no data (gap in the line)
    marker: str = "circle"  # "circle" | "square" | "triangle" | "diamond"
    dashed: bool = False


@dataclass(frozen=True)
class Marker:
    """One data point drawn as a shape; `text` is its tooltip ("Dec 2025: 82 %")."""

    x: float
    y: float
    path: str
    text: str


@dataclass(frozen=True)
class DrawnSeries:
    label: str
    marker: str
    dashed: bool
    ink: int  # index of the CSS colour class (chart-ink-<n>), an extra cue only
    lines: tuple[str, ...]  # polyline points per run of values without a gap (2+ points)
    markers: tuple[Marker, ...]
    key_path: str  # the marker shape in the legend's 32 x 12 key

    @property
    def dasharray(self) -> str:
        return DASH if self.dashed else ""


@dataclass(frozen=True)
class Tick:
    y: float
    label: str


@dataclass(frozen=True)
class XLabel:
    x: float  # the middle of the text
    text: str


Row = tuple[str, tuple[str, ...]]


@dataclass(frozen=True)
class LineChart:
    title: str
    uid: str  # unique per title on a page: the figure's id and the prefix of its ids
    summary: str
    has_data: bool
    width: int
    height: int
    left: float
    right: float
    top: float
    bottom: float
    ticks: tuple[Tick, ...]
    tick_x: float  # right edge of the y tick labels
    x_labels: tuple[XLabel, ...]
    x_labels_y: float
    series: tuple[DrawnSeries, ...]
    x_title: str  # header of the table's first column
    rows: tuple[Row, ...]

    @property
    def title_id(self) -> str:
        return f"{self.uid}-title"

    @property
    def headers(self) -> tuple[str, ...]:
        return tuple(s.label for s in self.series)


@dataclass(frozen=True)
class SharePart:
    label: str
    value: float
    share: int  # whole percent; the parts of a bar add up to 100
    x: float  # percent of the bar's width
    width: float  # percent of the bar's width
    pattern: str  # one of PATTERNS
    pattern_id: str
    ink: int

    @property
    def text(self) -> str:
        return f"{self.label} {self.share} %"


@dataclass(frozen=True)
class ShareBar:
    title: str
    uid: str
    summary: str
    has_data: bool
    parts: tuple[SharePart, ...]
    rows: tuple[Row, ...]  # (label, (value, share))

    @property
    def title_id(self) -> str:
        return f"{self.uid}-title"

    @property
    def separators(self) -> tuple[float, ...]:
        """Where one visible part ends and the next begins (percent of the width)."""
        drawn = [p for p in self.parts if p.width > 0]
        return tuple(p.x for p in drawn[1:])


@dataclass(frozen=True)
class Sparkline:
    title: str
    summary: str
    has_data: bool
    width: int
    height: int
    lines: tuple[str, ...]  # polyline points per run without a gap (2+ points)
    dots: tuple[tuple[float, float], ...]  # lone points between gaps, which no line shows
    last: tuple[float, float] | None  # the newest value, marked
    rows: tuple[Row, ...]


def line_chart(
    *,
    title: str,
    labels: Sequence[str],
    series: Sequence[Series],
    y_min: float,
    y_max: float,
    y_ticks: Sequence[tuple[float, str]],
    value_format: ValueFormat = "{:.1f}",
    x_title: str = "When",
    key: str = "",
) -> LineChart:
    """A line chart of series over labelled x positions (`key` disambiguates equal titles)."""
    _check_range(y_min, y_max)
    for s in series:
        if len(s.values) != len(labels):
            raise ValueError(f"Series {s.label!r} has {len(s.values)} values, not {len(labels)}.")
        if s.marker not in MARKERS:
            raise ValueError(f"Unknown marker {s.marker!r}; use one of {MARKERS}.")
    ticks_in = [(v, t) for v, t in y_ticks if y_min <= v <= y_max]
    tick_width = max((_text_width(t) for _, t in ticks_in), default=0.0)
    left = math.ceil(tick_width + 8 + MARKER_SIZE)
    # Room for the newest x label centred under the last point, where a reader looks first.
    right = WIDTH - max(RIGHT, math.ceil(_text_width(labels[-1]) / 2 + EDGE) if labels else 0)
    xs = _spread(len(labels), left, right)

    def y_of(value: float) -> float:
        return _scale(value, y_min, y_max, PLOT_BOTTOM, TOP)

    drawn = tuple(
        _draw_series(s, look, index, labels, xs, y_of, value_format)
        for index, (s, look) in enumerate(zip(series, _looks(series), strict=True))
    )
    return LineChart(
        title=title,
        uid=_uid("chart", key or title),
        summary=_line_summary(title, labels, series, value_format),
        has_data=any(v is not None for s in series for v in s.values) and bool(labels),
        width=WIDTH,
        height=HEIGHT,
        left=left,
        right=right,
        top=TOP,
        bottom=PLOT_BOTTOM,
        ticks=tuple(Tick(y=y_of(v), label=t) for v, t in ticks_in),
        tick_x=left - MARKER_SIZE - 4,
        x_labels=_x_labels(labels, xs),
        x_labels_y=X_LABELS_Y,
        series=drawn,
        x_title=x_title,
        rows=tuple(
            (label, tuple(_cell(value_format, s.values[i]) for s in series))
            for i, label in enumerate(labels)
        ),
    )


def _draw_series(
    s: Series,
    look: tuple[str, bool],
    index: int,
    labels: Sequence[str],
    xs: Sequence[float],
    y_of: Callable[[float], float],
    value_format: ValueFormat,
) -> DrawnSeries:
    """One series' lines (split at gaps) and markers, with tooltips."""
    marker, dashed = look
    points = [None if v is None else (xs[i], y_of(v)) for i, v in enumerate(s.values)]
    return DrawnSeries(
        label=s.label,
        marker=marker,
        dashed=dashed,
        ink=index % SERIES_INKS,
        lines=_runs(points),
        markers=tuple(
            Marker(
                x=p[0],
                y=p[1],
                path=_shape(marker, *p),
                text=f"{labels[i]}: {_format(value_format, v)}",
            )
            for i, (p, v) in enumerate(zip(points, s.values, strict=True))
            if p is not None and v is not None
        ),
        key_path=_shape(marker, 16, 6),
    )


def share_bar(*, title: str, parts: Sequence[tuple[str, float]], key: str = "") -> ShareBar:
    """A 100 % bar of parts (label, value >= 0), each with its share and its own fill pattern."""
    if any(value < 0 for _, value in parts):
        raise ValueError("Share bar parts cannot be negative.")
    uid = _uid("share", key or title)
    total = sum(value for _, value in parts)
    shares = whole_percents([value for _, value in parts])
    built, x = [], 0.0
    for index, ((label, value), share) in enumerate(zip(parts, shares, strict=True)):
        width = round(100 * value / total, 2) if total else 0.0
        pattern = PATTERNS[index % len(PATTERNS)]
        built.append(
            SharePart(
                label=label,
                value=value,
                share=share,
                x=round(x, 2),
                width=width,
                pattern=pattern,
                pattern_id=f"{uid}-p{index}",
                ink=index % SERIES_INKS,
            )
        )
        x += width
    has_data = total > 0
    if has_data:
        summary = f"{title}: " + ", ".join(p.text for p in built) + "."
    else:
        summary = f"{title}: no data yet."
    return ShareBar(
        title=title,
        uid=uid,
        summary=summary,
        has_data=has_data,
        parts=tuple(built),
        rows=tuple((p.label, (f"{p.value:g}", f"{p.share} %")) for p in built),
    )


def sparkline(
    *,
    title: str,
    values: Sequence[float | None],
    y_min: float,
    y_max: float,
    value_format: ValueFormat = "{:.1f}",
    labels: Sequence[str] | None = None,
) -> Sparkline:
    """A word-sized trend line (newest value marked), named by its summary."""
    _check_range(y_min, y_max)
    if labels is not None and len(labels) != len(values):
        raise ValueError(f"{len(values)} values but {len(labels)} labels.")
    xs = _spread(len(values), SPARK_PAD, SPARK_WIDTH - SPARK_PAD)
    points = [
        None if v is None else (xs[i], _scale(v, y_min, y_max, SPARK_HEIGHT - SPARK_PAD, SPARK_PAD))
        for i, v in enumerate(values)
    ]
    present = [p for p in points if p is not None]
    known = [v for v in values if v is not None]
    if not known:
        summary = f"{title}: no data yet."
    elif len(known) == 1:
        summary = f"{title}: {_format(value_format, known[0])}."
    else:
        summary = (
            f"{title}: from {_format(value_format, known[0])} "
            f"to {_format(value_format, known[-1])}."
        )
    names = labels if labels is not None else [str(i + 1) for i in range(len(values))]
    return Sparkline(
        title=title,
        summary=summary,
        has_data=bool(known),
        width=SPARK_WIDTH,
        height=SPARK_HEIGHT,
        lines=_runs(points),
        dots=tuple(
            p
            for i, p in enumerate(points)
            if p is not None
            and (i == 0 or points[i - 1] is None)
            and (i == len(points) - 1 or points[i + 1] is None)
            and p != present[-1]
        ),
        last=present[-1] if present else None,
        rows=tuple(
            (name, (_cell(value_format, v),)) for name, v in zip(names, values, strict=True)
        ),
    )


def whole_percents(values: Sequence[float]) -> list[int]:
    """Shares in whole percent that add up to exactly 100 (largest remainders get the rest)."""
    total = sum(values)
    if total <= 0:
        return [0 for _ in values]
    exact = [100 * v / total for v in values]
    floors = [math.floor(e) for e in exact]
    # Ties go to the earlier part, so the same numbers always round the same way.
    by_remainder = sorted(range(len(values)), key=lambda i: (floors[i] - exact[i], i))
    for i in by_remainder[: 100 - sum(floors)]:
        floors[i] += 1
    return floors


def _check_range(y_min: float, y_max: float) -> None:
    if not y_max > y_min:
        raise ValueError(f"y_max ({y_max}) must be above y_min ({y_min}).")


def _format(value_format: ValueFormat, value: float) -> str:
    return value_format.format(value) if isinstance(value_format, str) else value_format(value)


def _cell(value_format: ValueFormat, value: float | None) -> str:
    """A table cell: the formatted value, or a dash where there is none."""
    return NO_VALUE if value is None else _format(value_format, value)


def _text_width(text: str) -> float:
    return len(text) * GLYPH


def _uid(kind: str, name: str) -> str:
    """An HTML id from a chart's title; a title without ASCII letters gets a digest of it."""
    slug = slugify(name)
    if not slug:
        slug = hashlib.blake2s(name.encode(), digest_size=4).hexdigest()
    return f"{kind}-{slug}"


def _spread(count: int, lo: float, hi: float) -> list[float]:
    """Evenly spaced x positions; a single point sits in the middle."""
    if count == 1:
        return [round((lo + hi) / 2, 1)]
    step = (hi - lo) / (count - 1) if count > 1 else 0.0
    return [round(lo + i * step, 1) for i in range(count)]


def _scale(value: float, lo: float, hi: float, at_lo: float, at_hi: float) -> float:
    """Map a value (clamped to [lo, hi]: outliers sit on the edge) to a coordinate."""
    clamped = min(max(value, lo), hi)
    return round(at_lo + (clamped - lo) / (hi - lo) * (at_hi - at_lo), 1)


def _runs(points: Sequence[tuple[float, float] | None]) -> tuple[str, ...]:
    """Polyline point strings, one per run of consecutive points with at least two points."""
    runs: list[list[tuple[float, float]]] = [[]]
    for p in points:
        if p is None:
            runs.append([])
        else:
            runs[-1].append(p)
    return tuple(" ".join(f"{x:.1f},{y:.1f}" for x, y in run) for run in runs if len(run) > 1)


def _looks(series: Sequence[Series]) -> list[tuple[str, bool]]:
    """Each series' marker and dash; one that would look like an earlier one gets a free shape."""
    used: set[tuple[str, bool]] = set()
    looks = []
    for s in series:
        look = (s.marker, s.dashed)
        if look in used:
            free = [m for m in MARKERS if (m, s.dashed) not in used]
            look = (free[0], s.dashed) if free else (s.marker, not s.dashed)
        used.add(look)
        looks.append(look)
    return looks


def _shape(marker: str, x: float, y: float) -> str:
    """The SVG path of a marker centred on (x, y)."""
    m = MARKER_SIZE
    if marker == "circle":
        return f"M{x - m:.1f},{y:.1f}a{m},{m} 0 1,0 {2 * m},0a{m},{m} 0 1,0 {-2 * m},0Z"
    if marker == "square":
        s = m * 0.85
        corners = [(x - s, y - s), (x + s, y - s), (x + s, y + s), (x - s, y + s)]
    elif marker == "triangle":
        corners = [(x, y - m - 0.5), (x + m, y + m - 1), (x - m, y + m - 1)]
    else:  # diamond
        d = m * 1.15
        corners = [(x, y - d), (x + d, y), (x, y + d), (x - d, y)]
    return "M" + "L".join(f"{px:.1f},{py:.1f}" for px, py in corners) + "Z"


def _x_labels(labels: Sequence[str], xs: Sequence[float]) -> tuple[XLabel, ...]:
    """Every k-th label counting back from the newest, k the smallest that keeps them apart."""
    count = len(labels)
    for step in range(1, count + 1):
        chosen = sorted(range(count - 1, -1, -step))
        placed = [_place(labels[i], xs[i]) for i in chosen]
        spans = [_span(p) for p in placed]
        if all(a[1] + LABEL_GAP <= b[0] for a, b in itertools.pairwise(spans)):
            return tuple(placed)
    return ()


def _place(text: str, x: float) -> XLabel:
    """A label centred under its point, moved inwards where it would leave the chart."""
    half = _text_width(text) / 2
    return XLabel(x=round(min(max(x, EDGE + half), WIDTH - EDGE - half), 1), text=text)


def _span(label: XLabel) -> tuple[float, float]:
    half = _text_width(label.text) / 2
    return (label.x - half, label.x + half)


def _line_summary(
    title: str,
    labels: Sequence[str],
    series: Sequence[Series],
    value_format: ValueFormat,
) -> str:
    """One sentence: each series' first and last value, with when."""
    if not labels or all(v is None for s in series for v in s.values):
        return f"{title}: no data yet."
    parts = []
    for s in series:
        known = [(labels[i], v) for i, v in enumerate(s.values) if v is not None]
        name = f"{s.label} " if len(series) > 1 else ""
        if not known:
            parts.append(f"no data yet for {s.label}")
        elif len(known) == 1:
            ((when, value),) = known
            parts.append(f"{name}{_format(value_format, value)} in {when}")
        else:
            (first_when, first), (last_when, last) = known[0], known[-1]
            parts.append(
                f"{name}from {_format(value_format, first)} in {first_when} "
                f"to {_format(value_format, last)} in {last_when}"
            )
    return f"{title}: " + "; ".join(parts) + "."
