"""The default playbook: what a new organization starts with, and seeding it twice."""

from collections import Counter

import pytest
from pytest_django import DjangoAssertNumQueries

from meetings.models import Theme
from people.models import Organization
from playbook.defaults import DEFAULT_QUESTIONS, DEFAULT_TEMPLATES
from playbook.models import Question, Template, TemplatePrompt
from playbook.services import playbook_seed_organization, template_prompts

REQUIRED_TEMPLATES = [
    "First 1:1: getting to know each other",
    "Weekly check-in",
    "Career conversation (GROW)",
    "Onboarding: 30 days",
    "Onboarding: 60 days",
    "Onboarding: 90 days",
    "Performance review prep",
    "Stay interview",
    "Skip-level 1:1",
]


def counts(organization: Organization) -> tuple[int, int, int]:
    return (
        Question.objects.filter(organization=organization).count(),
        Template.objects.filter(organization=organization).count(),
        TemplatePrompt.objects.filter(template__organization=organization).count(),
    )


def test_it_writes_each_default_question_once() -> None:
    texts = [question.text for question in DEFAULT_QUESTIONS]
    assert len(texts) == len(set(texts))


def test_it_keeps_every_default_within_the_database_limits() -> None:
    assert all(len(question.text) <= 1000 for question in DEFAULT_QUESTIONS)
    for template in DEFAULT_TEMPLATES:
        assert len(template.name) <= 200
        assert len(template.description) <= 2000
        assert all(len(prompt.text) <= 1000 for prompt in template.prompts)


def test_it_seeds_a_question_bank_covering_every_theme(acme: Organization) -> None:
    playbook_seed_organization(organization=acme)

    questions = Question.objects.filter(organization=acme)
    by_theme = Counter(questions.values_list("theme", flat=True))
    assert questions.count() >= 96
    for theme in Theme:
        minimum = 3 if theme == Theme.OTHER else 10
        assert by_theme[theme] >= minimum, theme
    assert by_theme[Theme.CAREER] >= 14
    assert (
        questions.filter(theme=Theme.FEEDBACK, audience=Question.Audience.TO_MANAGER).count() >= 10
    )
    assert questions.filter(audience=Question.Audience.TO_REPORT).exists()
    assert questions.filter(audience=Question.Audience.ANYONE).exists()


@pytest.mark.parametrize("name", REQUIRED_TEMPLATES)
def test_it_seeds_each_template_with_a_description_and_prompts(
    acme: Organization, name: str
) -> None:
    playbook_seed_organization(organization=acme)

    template = Template.objects.get(organization=acme, name=name)
    prompts = template_prompts(template=template)
    assert template.description
    assert template.is_active
    assert 4 <= len(prompts) <= 10
    assert [prompt.position for prompt in prompts] == list(range(len(prompts)))
    assert all(prompt.theme in Theme.values for prompt in prompts)


def test_it_follows_grow_in_the_career_conversation(acme: Organization) -> None:
    playbook_seed_organization(organization=acme)

    template = Template.objects.get(organization=acme, name="Career conversation (GROW)")
    sections = list(dict.fromkeys(p.section for p in template_prompts(template=template)))
    assert sections == ["Goal", "Reality", "Options", "Way forward"]


def test_it_is_idempotent(acme: Organization) -> None:
    playbook_seed_organization(organization=acme)
    first = counts(acme)

    playbook_seed_organization(organization=acme)

    assert counts(acme) == first == (len(DEFAULT_QUESTIONS), len(DEFAULT_TEMPLATES), first[2])


def test_it_seeds_in_a_fixed_number_of_queries(
    acme: Organization, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    with django_assert_max_num_queries(10):
        playbook_seed_organization(organization=acme)


def test_it_leaves_a_template_the_organization_changed(acme: Organization) -> None:
    playbook_seed_organization(organization=acme)
    template = Template.objects.get(organization=acme, name="Weekly check-in")
    template.prompts.all().delete()
    template.description = "Ours now."
    template.save()

    playbook_seed_organization(organization=acme)

    template.refresh_from_db()
    assert template.description == "Ours now."
    assert template.prompts.count() == 0


def test_it_restores_missing_defaults_without_touching_the_rest(acme: Organization) -> None:
    playbook_seed_organization(organization=acme)
    Template.objects.filter(organization=acme, name="Stay interview").delete()
    kept = Question.objects.filter(organization=acme).first()
    assert kept is not None
    kept.is_active = False
    kept.save()

    playbook_seed_organization(organization=acme)

    assert Template.objects.get(organization=acme, name="Stay interview").prompts.count() == 8
    kept.refresh_from_db()
    assert not kept.is_active
    assert Question.objects.filter(organization=acme, text=kept.text).count() == 1


def test_it_seeds_one_organization_only(acme: Organization, globex: Organization) -> None:
    playbook_seed_organization(organization=acme)

    assert counts(globex) == (0, 0, 0)

    playbook_seed_organization(organization=globex)

    assert counts(globex) == counts(acme)
