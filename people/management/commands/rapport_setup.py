"""Create a new installation's first organization and the person who administers it."""

import os
import sys
from getpass import getpass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.validators import validate_email
from django.db import transaction

from people.models import Person
from people.services import organization_create, person_add
from playbook.models import Question, Template

ENVIRONMENT_VARIABLE = "RAPPORT_ADMIN_PASSWORD"


class Command(BaseCommand):
    help = (
        "Create an organization with the default templates and question bank, and its "
        f"first org admin. The password comes from --password, then ${ENVIRONMENT_VARIABLE}, "
        "then a prompt."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--org", required=True, help="the organization's name")
        parser.add_argument("--email", required=True, help="the org admin's email address")
        parser.add_argument("--name", required=True, help="the org admin's full name")
        parser.add_argument(
            "--password",
            help=f"the org admin's password; prefer ${ENVIRONMENT_VARIABLE} or the prompt, since "
            "command lines are visible to other users of the machine",
        )
        parser.add_argument("--timezone", default="UTC", help="IANA time zone, e.g. Europe/Paris")

    def handle(self, *args: Any, **options: Any) -> None:
        email = options["email"].strip().lower()
        try:
            validate_email(email)
        except ValidationError as exc:
            raise CommandError(f"“{email}” is not a valid email address.") from exc
        if Person.objects.filter(email__iexact=email).exists():
            raise CommandError(f"Someone with the email {email} already exists; nothing created.")
        password = self._password(options["password"])

        try:
            # One transaction: a refused password or time zone leaves no orphan organization.
            with transaction.atomic():
                organization = organization_create(name=options["org"])
                admin = person_add(
                    organization=organization,
                    email=email,
                    name=options["name"],
                    password=password,
                    timezone=options["timezone"],
                    is_org_admin=True,
                )
        except ValidationError as exc:
            raise CommandError("Nothing created: " + " ".join(exc.messages)) from exc

        questions = Question.objects.filter(organization=organization).count()
        templates = Template.objects.filter(organization=organization).count()
        self.stdout.write(
            self.style.SUCCESS(
                f"Created organization “{organization.name}” with {templates} templates "
                f"and {questions} questions."
            )
        )
        self.stdout.write(self.style.SUCCESS(f"Created org admin {admin.name} <{admin.email}>."))
        self.stdout.write("Sign in at /admin/ to add teams and people.")

    def _password(self, given: str | None) -> str:
        if given:
            return given
        from_env = os.environ.get(ENVIRONMENT_VARIABLE)
        if from_env:
            return from_env
        if not sys.stdin.isatty():
            raise CommandError(f"Give a password with --password or ${ENVIRONMENT_VARIABLE}.")
        password = getpass("Password for the org admin: ")
        if password != getpass("Password (again): "):
            raise CommandError("The passwords did not match; nothing created.")
        if not password:
            raise CommandError("The password must not be empty; nothing created.")
        return password
