"""`manage.py rapport_setup`: a new installation's first organization and its admin."""

import io

import pytest
from django.core.management import CommandError, call_command

from people.models import Organization, Person
from playbook.defaults import DEFAULT_QUESTIONS, DEFAULT_TEMPLATES
from tests.conftest import PASSWORD


def setup(**options: str) -> str:
    out = io.StringIO()
    arguments = {"org": "Initech", "email": "Bill@Initech.example", "name": "Bill Lumbergh"}
    call_command("rapport_setup", **{**arguments, **options}, stdout=out)
    return out.getvalue()


@pytest.fixture
def no_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("RAPPORT_ADMIN_PASSWORD", raising=False)
    monkeypatch.setattr("sys.stdin", io.StringIO())


def test_it_creates_an_organization_and_its_admin(db: None) -> None:
    output = setup(password=PASSWORD, timezone="America/Chicago")

    organization = Organization.objects.get(name="Initech")
    admin = Person.objects.get(email="bill@initech.example")
    assert admin.organization == organization
    assert admin.name == "Bill Lumbergh"
    assert admin.timezone == "America/Chicago"
    assert admin.is_org_admin
    assert admin.is_staff
    assert not admin.is_superuser
    assert admin.check_password(PASSWORD)
    assert organization.questions.count() == len(DEFAULT_QUESTIONS)
    assert organization.templates.count() == len(DEFAULT_TEMPLATES)
    assert "Initech" in output
    assert "bill@initech.example" in output
    assert f"{len(DEFAULT_QUESTIONS)} questions" in output


def test_it_reads_the_password_from_the_environment(
    db: None, no_terminal: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RAPPORT_ADMIN_PASSWORD", PASSWORD)

    setup()

    assert Person.objects.get(email="bill@initech.example").check_password(PASSWORD)


def test_it_prompts_for_the_password_on_a_terminal(
    db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("RAPPORT_ADMIN_PASSWORD", raising=False)
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("people.management.commands.rapport_setup.getpass", lambda prompt: PASSWORD)

    setup()

    assert Person.objects.get(email="bill@initech.example").check_password(PASSWORD)


def test_it_refuses_prompted_passwords_that_differ(
    db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    answers = iter([PASSWORD, "something else"])
    monkeypatch.delenv("RAPPORT_ADMIN_PASSWORD", raising=False)
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr(
        "people.management.commands.rapport_setup.getpass", lambda prompt: next(answers)
    )

    with pytest.raises(CommandError, match="did not match"):
        setup()

    assert not Organization.objects.exists()


def test_it_refuses_to_run_without_a_password(db: None, no_terminal: None) -> None:
    with pytest.raises(CommandError, match="RAPPORT_ADMIN_PASSWORD"):
        setup()

    assert not Organization.objects.exists()


def test_it_refuses_an_email_that_already_exists(ada: Person) -> None:
    organizations = Organization.objects.count()

    with pytest.raises(CommandError, match="already exists"):
        setup(email="ADA@acme.test", password=PASSWORD)

    assert Organization.objects.count() == organizations


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"email": "bill-at-initech", "password": PASSWORD}, "valid email"),
        ({"password": "12345678"}, "too common"),
        ({"password": "short"}, "too short"),
        ({"password": PASSWORD, "timezone": "Moon/Tranquility"}, "time zone"),
        ({"password": PASSWORD, "org": "   "}, "name"),
    ],
)
def test_it_refuses_bad_input_and_creates_nothing(
    db: None, options: dict[str, str], message: str
) -> None:
    with pytest.raises(CommandError, match=message):
        setup(**options)

    assert not Organization.objects.exists()
    assert not Person.objects.exists()
