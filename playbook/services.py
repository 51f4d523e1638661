"""Writes for templates and the question bank."""

from django.db import transaction

from people.models import Organization
from playbook.defaults import DEFAULT_QUESTIONS, DEFAULT_TEMPLATES
from playbook.models import Question, Template, TemplatePrompt


@transaction.atomic
def playbook_seed_organization(*, organization: Organization) -> None:
    """Give an organization the default questions and templates it does not have yet."""
    # Lock the organization so two concurrent seeds cannot both insert the same defaults.
    list(Organization.objects.select_for_update().filter(pk=organization.pk).values_list("pk"))
    _seed_questions(organization)
    _seed_templates(organization)


def _seed_questions(organization: Organization) -> None:
    # A default counts as present by its wording, so an org admin's edits to audience or
    # is_active are kept; deactivate a default to hide it, since a deleted one comes back.
    present = set(Question.objects.filter(organization=organization).values_list("theme", "text"))
    Question.objects.bulk_create(
        Question(
            organization=organization,
            theme=default.theme,
            audience=default.audience,
            text=default.text,
        )
        for default in DEFAULT_QUESTIONS
        if (default.theme, default.text) not in present
    )


def _seed_templates(organization: Organization) -> None:
    # Templates are matched by name: one the org has changed is never touched again.
    present = set(Template.objects.filter(organization=organization).values_list("name", flat=True))
    missing = [default for default in DEFAULT_TEMPLATES if default.name not in present]
    if not missing:
        return
    Template.objects.bulk_create(
        Template(organization=organization, name=default.name, description=default.description)
        for default in missing
    )
    # Re-read the ids: not every database backend returns them from a bulk insert.
    ids = dict(
        Template.objects.filter(
            organization=organization, name__in=[default.name for default in missing]
        ).values_list("name", "id")
    )
    TemplatePrompt.objects.bulk_create(
        TemplatePrompt(
            template_id=ids[default.name],
            section=prompt.section,
            text=prompt.text,
            theme=prompt.theme,
            position=position,
        )
        for default in missing
        for position, prompt in enumerate(default.prompts)
    )


def template_prompts(*, template: Template) -> list[TemplatePrompt]:
    """A template's prompts in the order they are asked."""
    return list(template.prompts.order_by("position", "id"))
