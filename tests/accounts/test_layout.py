"""allauth pages without a template of Rapport's own still render inside base.html, in Pico markup."""

from django import forms
from django.template import Context, Origin, Template
from django.test import RequestFactory

from people.models import Person

PAGE = """{% extends "allauth/layouts/entrance.html" %}{% load allauth %}
{% block head_title %}A page{% endblock %}
{% block content %}
{% element h1 %}A page{% endelement %}
{% element form form=form method="post" action="/x/" %}
  {% slot body %}{% element fields form=form %}{% endelement %}{% endslot %}
  {% slot actions %}{% element button type="submit" %}Go{% endelement %}
  {% element button type="submit" tags="link,cancel" %}Cancel{% endelement %}{% endslot %}
{% endelement %}
{% element panel %}{% slot title %}Panel{% endslot %}{% slot body %}Body{% endslot %}{% endelement %}
{% endblock %}"""


class CodeForm(forms.Form):
    code = forms.CharField(label="Code")


def test_allauth_elements_render_inside_rapports_page(maya: Person) -> None:
    request = RequestFactory().get("/")
    request.user = maya
    form = CodeForm({"code": ""})
    form.is_valid()
    origin = Origin(name="test/page.html", template_name="test/page.html")
    html = Template(PAGE, origin=origin).render(
        Context({"form": form, "request": request, "user": maya})
    )
    assert "<title>A page · Rapport</title>" in html
    assert "pico.min.css" in html
    assert '<main id="main"' in html
    assert "<h1>A page</h1>" in html
    assert '<label for="id_code">Code</label>' in html
    assert 'class="field-error"' in html
    assert "This field is required." in html
    assert '<button type="submit" class="link-button">Cancel</button>' in html
    assert '<section class="card">' in html
