"""The version header a write hands back to its own page."""

import pytest

from meetings.live import version_header


@pytest.mark.parametrize(
    ("bumps", "header"),
    [
        ([], None),
        ([(1, 8)], "7 8"),
        ([(1, 8), (1, 9), (1, 10)], "7 10"),
        ([(1, 8), (1, 10)], None),  # someone else's bump in between
        ([(1, 8), (2, 3)], None),  # two relationships
    ],
)
def test_only_an_unbroken_run_of_bumps_is_reported(
    bumps: list[tuple[int, int]], header: str | None
) -> None:
    assert version_header(bumps) == header
