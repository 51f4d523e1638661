"""FastSelect renders what Django's Select renders, in one pass."""

import re

import pytest
from django import forms

from lib.widgets import FastSelect

CHOICES = [("UTC", "UTC"), ("Europe/Paris", "Europe Paris"), ('A&"B', "A<B>")]


def _form(widget: type[forms.Select]) -> type[forms.Form]:
    class Form(forms.Form):
        tz = forms.ChoiceField(choices=CHOICES, widget=widget)

    return Form


def _normalized(html: str) -> tuple[list[str], list[str]]:
    """The <select>'s attributes (sorted) and its options, whitespace ignored."""
    opening = re.match(r"<select([^>]*)>", html)
    assert opening is not None
    attributes = sorted(re.findall(r'[\w-]+(?:="[^"]*")?', opening.group(1)))
    options = re.findall(r"<option[^>]*>[^<]*</option>", html)
    return attributes, options


@pytest.mark.parametrize(
    ("initial", "data"), [({"tz": "Europe/Paris"}, None), ({}, {"tz": "nowhere"}), ({}, None)]
)
def test_it_renders_like_djangos_select(
    initial: dict[str, str], data: dict[str, str] | None
) -> None:
    slow = str(_form(forms.Select)(initial=initial, data=data)["tz"])
    fast = str(_form(FastSelect)(initial=initial, data=data)["tz"])

    assert _normalized(fast) == _normalized(slow)
    assert 'value="A&amp;&quot;B"' in fast
    assert "A&lt;B&gt;" in fast
