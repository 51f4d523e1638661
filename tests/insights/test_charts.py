"""The chart toolkit: geometry, summaries and tables in Python, and the partials that draw them."""

import itertools
import re
from html.parser import HTMLParser

import pytest
from django.template.loader import render_to_string
from hypothesis import given
from hypothesis import strategies as st

from insights.charts import (
    EDGE,
    GLYPH,
    LABEL_GAP,
    PLOT_BOTTOM,
    TOP,
    WIDTH,
    LineChart,
    Series,
    line_chart,
    share_bar,
    sparkline,
    whole_percents,
)

TWO_YEARS = [
    f"{m} {y}"
    for y in (2025, 2026)
    for m in ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
]
MONTHS = TWO_YEARS[11:]  # from Dec 2025
PERCENT_TICKS = [(0.0, "0 %"), (50.0, "50 %"), (100.0, "100 %")]


def percent_chart(
    labels: list[str], *series: Series, title: str = "Cadence adherence"
) -> LineChart:
    return line_chart(
        title=title,
        labels=labels,
        series=series,
        y_min=0,
        y_max=100,
        y_ticks=PERCENT_TICKS,
        value_format="{:.0f} %",
    )


def points_of(line: str) -> list[tuple[float, float]]:
    return [(float(x), float(y)) for x, y in (p.split(",") for p in line.split())]


class Tags(HTMLParser):
    """Every start tag with its attributes, in document order."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def ids(self) -> list[str]:
        return [i for _, a in self.tags if (i := a.get("id"))]

    def all(self, tag: str) -> list[dict[str, str | None]]:
        return [a for t, a in self.tags if t == tag]


# Line chart geometry


def test_a_single_point_sits_in_the_middle() -> None:
    chart = percent_chart(["Nov 2026"], Series("Adherence", [91.0]))

    (marker,) = chart.series[0].markers
    assert marker.x == pytest.approx((chart.left + chart.right) / 2, abs=0.1)
    assert chart.series[0].lines == ()  # a line needs two points; the marker shows this one
    (label,) = chart.x_labels
    assert label.x == marker.x
    assert chart.has_data


def test_many_points_span_the_plot_from_left_to_right() -> None:
    values: list[float | None] = [float(v) for v in range(50, 63)]
    chart = percent_chart(MONTHS[:13], Series("Adherence", values))

    xs = [m.x for m in chart.series[0].markers]
    assert xs[0] == chart.left
    assert xs[-1] == chart.right
    steps = {round(b - a, 1) for a, b in itertools.pairwise(xs)}
    assert max(steps) - min(steps) <= 0.2  # evenly spaced, up to rounding
    (line,) = chart.series[0].lines
    assert [x for x, _ in points_of(line)] == xs


def test_y_follows_the_value_with_the_top_at_y_max() -> None:
    chart = percent_chart(["A", "B", "C"], Series("S", [0.0, 50.0, 100.0]))

    assert [m.y for m in chart.series[0].markers] == [PLOT_BOTTOM, (PLOT_BOTTOM + TOP) / 2, TOP]
    assert [t.y for t in chart.ticks] == [PLOT_BOTTOM, (PLOT_BOTTOM + TOP) / 2, TOP]
    assert [t.label for t in chart.ticks] == ["0 %", "50 %", "100 %"]


def test_ticks_outside_the_range_are_left_out() -> None:
    chart = line_chart(
        title="Usefulness",
        labels=["A"],
        series=[Series("S", [3.0])],
        y_min=1,
        y_max=5,
        y_ticks=[(0, "0"), (1, "1"), (5, "5"), (6, "6")],
    )

    assert [t.label for t in chart.ticks] == ["1", "5"]


@pytest.mark.parametrize("labels", [[], ["Jan", "Feb"]])
def test_no_data_says_so(labels: list[str]) -> None:
    chart = percent_chart(labels, Series("Adherence", [None] * len(labels)))

    assert not chart.has_data
    assert chart.summary == "Cadence adherence: no data yet."
    assert chart.series[0].lines == ()
    assert chart.series[0].markers == ()
    assert [cells for _, cells in chart.rows] == [("—",)] * len(labels)


def test_no_series_at_all_has_no_data() -> None:
    chart = percent_chart(["Jan"])

    assert not chart.has_data
    assert chart.summary == "Cadence adherence: no data yet."


def test_gaps_split_the_line() -> None:
    values: list[float | None] = [80.0, 82.0, None, 85.0, 90.0, 91.0, None, None, 70.0]
    chart = percent_chart(MONTHS[:9], Series("Adherence", values))

    drawn = chart.series[0]
    assert [len(points_of(line)) for line in drawn.lines] == [2, 3]  # the lone 70 has no line
    assert len(drawn.markers) == 6  # but every value has its marker
    assert drawn.markers[-1].text == "Aug 2026: 70 %"


def test_values_are_clamped_for_drawing_but_not_in_the_table() -> None:
    chart = percent_chart(["A", "B"], Series("S", [130.0, -20.0]))

    assert [m.y for m in chart.series[0].markers] == [TOP, PLOT_BOTTOM]
    assert chart.rows == (("A", ("130 %",)), ("B", ("-20 %",)))
    assert chart.summary == "Cadence adherence: from 130 % in A to -20 % in B."


def test_markers_are_drawn_in_their_shape() -> None:
    chart = percent_chart(
        ["A"],
        Series("Circle", [10.0]),
        Series("Square", [20.0], marker="square"),
        Series("Triangle", [30.0], marker="triangle"),
        Series("Diamond", [40.0], marker="diamond"),
    )

    paths = [s.markers[0].path for s in chart.series]
    assert "a4.5,4.5" in paths[0]  # arcs
    assert [p.count("L") for p in paths[1:]] == [3, 2, 3]
    assert len({s.key_path for s in chart.series}) == 4


def test_series_that_would_look_alike_get_distinct_markers() -> None:
    chart = percent_chart(
        ["A"],
        Series("Jonas", [1.0]),
        Series("Mia", [2.0]),
        Series("Team", [3.0], dashed=True),
        Series("Org", [4.0], dashed=True),
    )

    looks = [(s.marker, s.dashed) for s in chart.series]
    assert looks == [
        ("circle", False),
        ("square", False),
        ("circle", True),
        ("square", True),
    ]
    assert chart.series[2].dasharray
    assert not chart.series[0].dasharray


def test_it_refuses_values_that_do_not_match_the_labels() -> None:
    with pytest.raises(ValueError, match="2 values, not 3"):
        percent_chart(["A", "B", "C"], Series("S", [1.0, 2.0]))


def test_it_refuses_an_unknown_marker_and_an_empty_range() -> None:
    with pytest.raises(ValueError, match="Unknown marker"):
        percent_chart(["A"], Series("S", [1.0], marker="star"))
    with pytest.raises(ValueError, match="must be above"):
        line_chart(title="T", labels=["A"], series=[], y_min=5, y_max=5, y_ticks=[])


# X labels


def label_spans(chart: LineChart) -> list[tuple[float, float]]:
    return [(x.x - len(x.text) * GLYPH / 2, x.x + len(x.text) * GLYPH / 2) for x in chart.x_labels]


def test_24_months_are_thinned_to_labels_that_do_not_overlap() -> None:
    chart = percent_chart(TWO_YEARS, Series("S", [50.0] * 24))

    assert 3 <= len(chart.x_labels) < 24
    assert chart.x_labels[-1].x == chart.right  # the newest is always labelled, under its point
    steps = {round(b.x - a.x, 1) for a, b in itertools.pairwise(chart.x_labels)}
    assert max(steps) - min(steps) <= 0.2  # every k-th label


@pytest.mark.parametrize("count", [1, 2, 5, 7, 12, 13, 24, 36, 60, 104])
@pytest.mark.parametrize("label", ["W1", "Dec 2025", "12 Nov 2026", "A long label indeed"])
def test_x_labels_never_overlap_nor_leave_the_chart(count: int, label: str) -> None:
    chart = percent_chart([label] * count, Series("S", [50.0] * count))

    spans = label_spans(chart)
    assert spans
    assert all(a[1] + LABEL_GAP <= b[0] for a, b in itertools.pairwise(spans))
    assert spans[0][0] >= EDGE - 0.1
    assert spans[-1][1] <= WIDTH - EDGE + 0.1


def test_short_runs_label_every_point() -> None:
    chart = percent_chart(["Jun", "Jul", "Aug", "Sep", "Oct", "Nov"], Series("S", [1.0] * 6))

    assert [x.text for x in chart.x_labels] == ["Jun", "Jul", "Aug", "Sep", "Oct", "Nov"]


# Summaries and tables


def test_the_summary_names_first_and_last_values() -> None:
    values: list[float | None] = [None, 82.0, *[85.0] * 10, 91.0]
    chart = percent_chart(["Nov 2025", *MONTHS[:12]], Series("Adherence", values))

    assert chart.summary == "Cadence adherence: from 82 % in Dec 2025 to 91 % in Nov 2026."


def test_the_summary_names_each_series() -> None:
    chart = line_chart(
        title="Usefulness",
        labels=["Jun", "Jul", "Aug"],
        series=[
            Series("Jonas", [3.2, None, 4.1]),
            Series("Mia", [None, 3.9, None], marker="square"),
            Series("Team", [None, None, None], marker="triangle"),
        ],
        y_min=1,
        y_max=5,
        y_ticks=[(1, "1"), (5, "5")],
    )

    assert chart.summary == (
        "Usefulness: Jonas from 3.2 in Jun to 4.1 in Aug; Mia 3.9 in Jul; no data yet for Team."
    )
    assert chart.headers == ("Jonas", "Mia", "Team")
    assert chart.rows == (
        ("Jun", ("3.2", "—", "—")),
        ("Jul", ("—", "3.9", "—")),
        ("Aug", ("4.1", "—", "—")),
    )


def test_a_value_format_may_be_a_function() -> None:
    chart = line_chart(
        title="Follow-through",
        labels=["Q1", "Q2"],
        series=[Series("Rate", [0.5, 0.754])],
        y_min=0,
        y_max=1,
        y_ticks=[],
        value_format=lambda v: f"{round(v * 100)} %",
    )

    assert chart.summary == "Follow-through: from 50 % in Q1 to 75 % in Q2."
    assert chart.rows[1] == ("Q2", ("75 %",))


# Share bar


def test_shares_are_whole_percents_that_add_up_to_100() -> None:
    bar = share_bar(title="Agenda balance", parts=[("Jonas", 5), ("Mia", 3)])

    assert [p.share for p in bar.parts] == [63, 37]
    assert [p.text for p in bar.parts] == ["Jonas 63 %", "Mia 37 %"]
    assert [(p.x, p.width) for p in bar.parts] == [(0.0, 62.5), (62.5, 37.5)]
    assert bar.summary == "Agenda balance: Jonas 63 %, Mia 37 %."
    assert bar.rows == (("Jonas", ("5", "63 %")), ("Mia", ("3", "37 %")))
    assert bar.separators == (62.5,)


def test_thirds_round_to_100_with_the_remainder_to_the_first() -> None:
    assert whole_percents([1, 1, 1]) == [34, 33, 33]
    assert whole_percents([2, 1, 1, 1, 1, 1, 1]) == [25, 13, 13, 13, 12, 12, 12]
    assert whole_percents([0, 7]) == [0, 100]


@given(st.lists(st.integers(min_value=0, max_value=10_000), min_size=1, max_size=8))
def test_whole_percents_always_add_up_to_100(values: list[int]) -> None:
    shares = whole_percents(values)

    if sum(values) == 0:
        assert shares == [0] * len(values)
    else:
        assert sum(shares) == 100
        for share, value in zip(shares, values, strict=True):
            assert abs(share - 100 * value / sum(values)) < 1


def test_each_part_has_its_own_pattern() -> None:
    bar = share_bar(title="Themes", parts=[(f"Theme {i}", 1) for i in range(6)])

    assert len({p.pattern for p in bar.parts}) == 6
    assert len({p.pattern_id for p in bar.parts}) == 6
    assert all(p.pattern_id.startswith("share-themes-") for p in bar.parts)


def test_an_empty_share_bar_has_no_data() -> None:
    for parts in ([], [("Jonas", 0), ("Mia", 0)]):
        bar = share_bar(title="Agenda balance", parts=parts)

        assert not bar.has_data
        assert bar.summary == "Agenda balance: no data yet."


def test_a_part_with_nothing_is_listed_but_not_drawn() -> None:
    bar = share_bar(title="Agenda balance", parts=[("Jonas", 0), ("Mia", 4)])

    assert [(p.share, p.width) for p in bar.parts] == [(0, 0.0), (100, 100.0)]
    assert bar.separators == ()


def test_negative_parts_are_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        share_bar(title="T", parts=[("A", -1)])


# Sparkline


def test_a_sparkline_marks_its_last_value_and_splits_at_gaps() -> None:
    spark = sparkline(title="Mood", values=[3.0, None, 4.0, 2.0, None, 5.0], y_min=1, y_max=5)

    assert spark.has_data
    assert spark.summary == "Mood: from 3.0 to 5.0."
    assert len(spark.lines) == 1  # 4 → 2; the lone 3 is a dot, the lone 5 is the last mark
    assert spark.dots == ((3.0, 10.0),)
    assert spark.last == (77.0, 3.0)
    assert spark.rows[1] == ("2", ("—",))


def test_a_single_value_sparkline_is_centred() -> None:
    spark = sparkline(title="Mood", values=[9.0], y_min=1, y_max=5, labels=["Nov"])

    assert spark.last == (40.0, 3.0)  # clamped to the top
    assert spark.summary == "Mood: 9.0."
    assert spark.rows == (("Nov", ("9.0",)),)


def test_an_empty_sparkline_has_no_data() -> None:
    spark = sparkline(title="Mood", values=[None, None], y_min=1, y_max=5)

    assert not spark.has_data
    assert spark.last is None
    assert spark.summary == "Mood: no data yet."


# The partials


def render_line(chart: LineChart) -> str:
    return render_to_string("insights/_charts.html#line-chart", {"chart": chart})


def usefulness() -> LineChart:
    return line_chart(
        title="Usefulness",
        labels=["Jun", "Jul"],
        series=[Series("Jonas", [3.0, 4.0]), Series("Mia", [4.0, 4.5], dashed=True)],
        y_min=1,
        y_max=5,
        y_ticks=[(1, "1"), (5, "5")],
    )


def test_the_line_chart_partial_is_an_image_named_by_its_summary() -> None:
    chart = usefulness()
    html = render_line(chart)
    tags = Tags(html)

    (svg,) = tags.all("svg")[:1]
    assert svg["role"] == "img"
    assert svg["aria-labelledby"] == "chart-usefulness-title"
    assert '<title id="chart-usefulness-title">' + chart.summary + "</title>" in html
    assert "<figcaption" in html
    assert "Usefulness</figcaption>" in html


def test_the_line_chart_partial_has_a_legend_and_the_numbers() -> None:
    html = render_line(usefulness())
    tags = Tags(html)

    legend = html[html.index('<ul class="chart-legend">') : html.index("</ul>")]
    assert "Jonas</li>" in legend
    assert "Mia</li>" in legend
    assert all(s["aria-hidden"] == "true" for s in tags.all("svg")[1:])
    assert len(tags.all("polyline")) == 2
    assert 'stroke-dasharray="6 4"' in html  # Mia's line and key
    assert "<summary>Show the numbers</summary>" in html
    assert "<caption>Usefulness</caption>" in html
    assert re.search(r'<th scope="col">When</th><th scope="col">Jonas</th>', html)
    assert '<tr><th scope="row">Jul</th><td>4.0</td><td>4.5</td></tr>' in html


def test_an_empty_line_chart_shows_a_sentence_instead_of_a_drawing() -> None:
    html = render_line(percent_chart([], Series("Adherence", [])))

    assert "<svg" not in html
    assert "No data yet." in html
    assert "Cadence adherence</figcaption>" in html


def test_two_charts_on_one_page_have_unique_ids() -> None:
    page = (
        render_line(percent_chart(["A"], Series("S", [1.0]), title="Cadence adherence"))
        + render_line(percent_chart(["A"], Series("S", [1.0]), title="Follow-through"))
        + render_to_string(
            "insights/_charts.html#share-bar",
            {"bar": share_bar(title="Agenda balance", parts=[("Jonas", 1), ("Mia", 2)])},
        )
        + render_to_string(
            "insights/_charts.html#share-bar",
            {"bar": share_bar(title="Themes", parts=[("Goals", 1), ("Career", 2)])},
        )
    )
    tags = Tags(page)

    ids = tags.ids()
    assert len(ids) == len(set(ids))
    referenced = [a["aria-labelledby"] for a in tags.all("svg") if a.get("aria-labelledby")]
    assert len(referenced) == 4
    assert set(referenced) <= set(ids)


def test_a_key_tells_apart_charts_with_the_same_title() -> None:
    first = share_bar(title="Agenda balance", parts=[("A", 1)], key="balance-jonas")
    second = share_bar(title="Agenda balance", parts=[("A", 1)], key="balance-mia")

    assert first.uid != second.uid
    assert first.parts[0].pattern_id != second.parts[0].pattern_id


def test_a_title_without_latin_letters_still_gets_an_id() -> None:
    chart = percent_chart(["A"], Series("S", [1.0]), title="平衡")

    assert re.fullmatch(r"chart-[0-9a-f]{8}", chart.uid)


def test_the_share_bar_partial_names_each_part_and_its_pattern() -> None:
    bar = share_bar(title="Agenda balance", parts=[("Jonas", 62), ("Mia", 38)])
    html = render_to_string("insights/_charts.html#share-bar", {"bar": bar})
    tags = Tags(html)

    svg = tags.all("svg")[0]
    assert svg["role"] == "img"
    assert svg["aria-labelledby"] == bar.title_id
    assert f'<title id="{bar.title_id}">Agenda balance: Jonas 62 %, Mia 38 %.</title>' in html
    assert [p["id"] for p in tags.all("pattern")] == [p.pattern_id for p in bar.parts]
    fills = [r["fill"] for r in tags.all("rect") if (r.get("fill") or "").startswith("url(")]
    assert fills == [f"url(#{p.pattern_id})" for p in bar.parts] * 2  # the bar, then the keys
    assert "Jonas 62 %</li>" in html
    assert "Mia 38 %</li>" in html


def test_an_empty_share_bar_partial_says_no_data_yet() -> None:
    html = render_to_string(
        "insights/_charts.html#share-bar", {"bar": share_bar(title="Agenda balance", parts=[])}
    )

    assert "<svg" not in html
    assert "No data yet." in html


def test_the_sparkline_partial_is_a_named_image() -> None:
    spark = sparkline(title="Mood", values=[2.0, 4.0], y_min=1, y_max=5)
    html = render_to_string("insights/_charts.html#sparkline", {"spark": spark})
    (svg,) = Tags(html).all("svg")

    assert svg["role"] == "img"
    assert svg["aria-label"] == "Mood: from 2.0 to 4.0."
    assert 'viewBox="0 0 80 20"' in html
    assert 'class="spark-last" cx="77.0" cy="6.5"' in html


def test_an_empty_sparkline_partial_says_no_data_yet() -> None:
    spark = sparkline(title="Mood", values=[], y_min=1, y_max=5)
    html = render_to_string("insights/_charts.html#sparkline", {"spark": spark})

    assert "<svg" not in html
    assert "No data yet" in html


def test_the_partials_carry_no_inline_styles_or_scripts() -> None:
    html = (
        render_line(usefulness())
        + render_to_string(
            "insights/_charts.html#share-bar",
            {"bar": share_bar(title="Agenda balance", parts=[("Jonas", 1), ("Mia", 2)])},
        )
        + render_to_string(
            "insights/_charts.html#sparkline",
            {"spark": sparkline(title="Mood", values=[1.0, 2.0], y_min=1, y_max=5)},
        )
    )
    tags = Tags(html)

    assert not tags.all("script")
    assert not tags.all("style")
    assert all("style" not in attrs for _, attrs in tags.tags)
