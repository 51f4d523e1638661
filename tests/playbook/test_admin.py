"""The admin for templates and questions: an org admin sees and writes only their own."""

from django.urls import reverse

from people.models import Organization, Person
from playbook.models import Question, Template, TemplatePrompt
from tests.conftest import PASSWORD, client_for


def question(organization: Organization, text: str) -> Question:
    return Question.objects.create(organization=organization, theme="career", text=text)


def template(organization: Organization, name: str) -> Template:
    return Template.objects.create(organization=organization, name=name)


def test_it_lists_only_the_admins_own_questions(
    ada: Person, acme: Organization, globex: Organization
) -> None:
    ours = question(acme, "Where do you want to grow?")
    question(globex, "A Globex question")

    response = client_for(ada).get(reverse("admin:playbook_question_changelist"))

    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [ours]
    assert b"A Globex question" not in response.content


def test_it_lists_only_the_admins_own_templates(
    ada: Person, acme: Organization, globex: Organization
) -> None:
    ours = template(acme, "Acme weekly")
    template(globex, "Globex weekly")

    response = client_for(ada).get(reverse("admin:playbook_template_changelist"))

    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [ours]


def test_it_answers_404_for_another_organizations_objects(
    ada: Person, globex: Organization
) -> None:
    client = client_for(ada)
    theirs_q = question(globex, "A Globex question")
    theirs_t = template(globex, "Globex weekly")

    for url in [
        reverse("admin:playbook_question_change", args=[theirs_q.pk]),
        reverse("admin:playbook_question_delete", args=[theirs_q.pk]),
        reverse("admin:playbook_question_history", args=[theirs_q.pk]),
        reverse("admin:playbook_template_change", args=[theirs_t.pk]),
        reverse("admin:playbook_template_delete", args=[theirs_t.pk]),
    ]:
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"post": "yes"}).status_code == 404, url
    assert Question.objects.filter(pk=theirs_q.pk).exists()
    assert Template.objects.filter(pk=theirs_t.pk).exists()


def test_it_adds_a_question_to_the_admins_organization(ada: Person, acme: Organization) -> None:
    response = client_for(ada).post(
        reverse("admin:playbook_question_add"),
        {
            "theme": "feedback",
            "audience": "to_manager",
            "text": "What should I hear more often?",
            "is_active": "on",
        },
    )

    assert response.status_code == 302
    added = Question.objects.get(text="What should I hear more often?")
    assert added.organization == acme


def test_it_ignores_an_organization_smuggled_into_the_form(
    ada: Person, acme: Organization, globex: Organization
) -> None:
    client_for(ada).post(
        reverse("admin:playbook_question_add"),
        {
            "organization": globex.pk,
            "theme": "goals",
            "audience": "anyone",
            "text": "Smuggled?",
        },
    )

    assert Question.objects.get(text="Smuggled?").organization == acme


def prompts_formset(*rows: dict[str, str]) -> dict[str, str]:
    data = {
        "prompts-TOTAL_FORMS": str(len(rows)),
        "prompts-INITIAL_FORMS": "0",
        "prompts-MIN_NUM_FORMS": "0",
        "prompts-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        data.update({f"prompts-{index}-{key}": value for key, value in row.items()})
    return data


def test_it_adds_a_template_with_prompts_to_the_admins_organization(
    ada: Person, acme: Organization
) -> None:
    response = client_for(ada).post(
        reverse("admin:playbook_template_add"),
        {
            "name": "Quarterly reflection",
            "description": "Look back, look ahead.",
            "is_active": "on",
            **prompts_formset(
                {
                    "position": "0",
                    "section": "Back",
                    "text": "What went well?",
                    "theme": "recognition",
                },
                {"position": "1", "section": "Ahead", "text": "What next?", "theme": "goals"},
            ),
        },
    )

    assert response.status_code == 302
    added = Template.objects.get(name="Quarterly reflection")
    assert added.organization == acme
    assert [p.text for p in added.prompts.all()] == ["What went well?", "What next?"]


def test_it_refuses_a_duplicate_template_name_as_a_form_error(
    ada: Person, acme: Organization, globex: Organization
) -> None:
    template(acme, "Weekly check-in")
    template(globex, "Retro")
    client = client_for(ada)

    duplicate = client.post(
        reverse("admin:playbook_template_add"),
        {"name": "Weekly check-in", **prompts_formset()},
    )
    same_as_globex = client.post(
        reverse("admin:playbook_template_add"), {"name": "Retro", **prompts_formset()}
    )

    assert duplicate.status_code == 200
    assert duplicate.context["adminform"].form.non_field_errors()
    assert Template.objects.filter(organization=acme, name="Weekly check-in").count() == 1
    assert same_as_globex.status_code == 302
    assert Template.objects.filter(organization=acme, name="Retro").exists()


def test_it_edits_a_templates_prompts(ada: Person, acme: Organization) -> None:
    ours = template(acme, "Weekly")
    prompt = TemplatePrompt.objects.create(template=ours, text="Old", theme="other")

    response = client_for(ada).post(
        reverse("admin:playbook_template_change", args=[ours.pk]),
        {
            "name": "Weekly",
            "is_active": "on",
            "prompts-TOTAL_FORMS": "1",
            "prompts-INITIAL_FORMS": "1",
            "prompts-MIN_NUM_FORMS": "0",
            "prompts-MAX_NUM_FORMS": "1000",
            "prompts-0-id": str(prompt.pk),
            "prompts-0-template": str(ours.pk),
            "prompts-0-position": "0",
            "prompts-0-section": "",
            "prompts-0-text": "New",
            "prompts-0-theme": "wellbeing",
        },
    )

    assert response.status_code == 302
    prompt.refresh_from_db()
    assert (prompt.text, prompt.theme) == ("New", "wellbeing")


def test_it_shows_superusers_every_organization(acme: Organization, globex: Organization) -> None:
    root = Person.objects.create_superuser("root@example.test", PASSWORD, name="Root")
    question(acme, "Acme's")
    question(globex, "Globex's")

    response = client_for(root).get(reverse("admin:playbook_question_changelist"))

    assert response.status_code == 200
    assert {q.text for q in response.context["cl"].result_list} == {"Acme's", "Globex's"}


def test_it_keeps_staff_who_are_not_org_admins_out(acme: Organization) -> None:
    staff = Person.objects.create_user(
        "sam@acme.test", PASSWORD, name="Sam Staff", organization=acme, is_staff=True
    )
    question(acme, "Acme's")

    client = client_for(staff)

    assert client.get(reverse("admin:playbook_question_changelist")).status_code == 403
    assert client.get(reverse("admin:playbook_template_add")).status_code == 403
