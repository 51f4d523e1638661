"""Forms of the organization admin pages: HTML input parsed and checked once.

The rules that involve several rows (a manager in the same organization, no loop in
the reporting line, unique team names) live in the services; the views put their
errors back on these forms.
"""

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from lib.timezones import timezone_names
from lib.widgets import FastSelect
from people.models import Organization, Person, Team
from people.selectors import INVITATION_STATES, Status

NAME_MAX = 200
BULK_MAX_LINES = 1000

# One label: letters, digits and inner hyphens, at most 63 characters; at least two
# labels, the last alphabetic (or an IDNA "xn--" label).
_LABEL = r"(?!-)[a-z0-9-]{1,63}(?<!-)"
DOMAIN = re.compile(rf"^(?:{_LABEL}\.)+(?:[a-z]{{2,63}}|xn--[a-z0-9-]{{1,59}})$")


def _timezone_choices() -> list[tuple[str, str]]:
    return [(name, name.replace("_", " ")) for name in timezone_names()]


class ManagerField(forms.CharField):
    """A manager chosen by email address: a select of 10,000 people would be unusable."""

    def __init__(self, organization: Organization, **kwargs: Any) -> None:
        self.organization = organization
        super().__init__(required=False, max_length=254, **kwargs)

    def clean(self, value: Any) -> Person | None:
        email = str(super().clean(value) or "").strip().lower()
        if not email:
            return None
        manager = Person.objects.filter(organization=self.organization, email=email).first()
        if manager is None:
            raise ValidationError(f"No one in {self.organization.name} has the address {email}.")
        if not manager.is_active:
            raise ValidationError(f"{manager.name} has left the organization.")
        return manager


class PersonForm(forms.Form):
    """A person's profile and place in the organization (add and edit)."""

    email = forms.EmailField(max_length=254)
    name = forms.CharField(max_length=NAME_MAX)
    title = forms.CharField(max_length=NAME_MAX, required=False)
    team = forms.ModelChoiceField(
        queryset=Team.objects.none(), required=False, to_field_name="uuid", empty_label="No team"
    )
    timezone = forms.ChoiceField(
        choices=_timezone_choices, initial="UTC", label="Time zone", widget=FastSelect
    )
    is_org_admin = forms.BooleanField(
        required=False,
        label="Org admin",
        help_text="Manages people, teams and settings here; never sees 1:1 content.",
    )

    def __init__(self, *args: Any, organization: Organization, person: Person | None = None,
                 **kwargs: Any) -> None:  # fmt: skip
        super().__init__(*args, **kwargs)
        self.organization = organization
        self.person = person
        team_field = self.fields["team"]
        assert isinstance(team_field, forms.ModelChoiceField)
        team_field.queryset = Team.objects.filter(organization=organization)
        self.fields["manager"] = ManagerField(
            organization,
            label="Manager",
            help_text="The manager's email address; type part of a name to get suggestions.",
        )
        # Keep the manager right after the team, as the page shows them.
        order = ["email", "name", "title", "team", "manager", "timezone", "is_org_admin"]
        self.order_fields(order)
        if person is not None:
            self.initial.update(
                email=person.email,
                name=person.name,
                title=person.title,
                team=person.team.uuid if person.team else None,
                manager=person.manager.email if person.manager else "",
                timezone=person.timezone,
                is_org_admin=person.is_org_admin,
            )

    def clean_name(self) -> str:
        name = " ".join(str(self.cleaned_data["name"]).split())
        if not name:
            raise ValidationError("Give the person's name.")
        return name

    def clean_email(self) -> str:
        return str(self.cleaned_data["email"]).strip().lower()

    def clean_manager(self) -> Person | None:
        manager: Person | None = self.cleaned_data.get("manager")
        if manager is not None and self.person is not None and manager.pk == self.person.pk:
            raise ValidationError("A person cannot be their own manager.")
        return manager


class PersonNewForm(PersonForm):
    invite = forms.BooleanField(
        required=False,
        initial=True,
        label="Send an invitation now",
        help_text="Emails a link to set a password or sign in with single sign-on.",
    )


class PeopleFilterForm(forms.Form):
    """The people list's search and filters; bad values are ignored, never an error page."""

    q = forms.CharField(required=False, max_length=200, label="Search")
    team = forms.ModelChoiceField(
        queryset=Team.objects.none(), required=False, to_field_name="uuid", empty_label="Any team"
    )
    status = forms.ChoiceField(choices=[("", "Any status"), *Status.CHOICES], required=False)
    no_manager = forms.BooleanField(required=False, label="No manager")

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        team_field = self.fields["team"]
        assert isinstance(team_field, forms.ModelChoiceField)
        team_field.queryset = Team.objects.filter(organization=organization)

    def filters(self) -> dict[str, Any]:
        """The valid filters, as keyword arguments of people.selectors.people_search."""
        self.is_valid()
        data = self.cleaned_data
        return {
            "query": data.get("q") or "",
            "team": data.get("team"),
            "status": data.get("status") or "",
            "no_manager": bool(data.get("no_manager")),
        }


class TeamForm(forms.Form):
    name = forms.CharField(max_length=NAME_MAX, label="Team name")


class InvitationFilterForm(forms.Form):
    state = forms.ChoiceField(
        choices=[("", "All"), *[(state, state.capitalize()) for state in INVITATION_STATES]],
        required=False,
    )


class InviteForm(forms.Form):
    """Invite someone by email: a person of the organization, or a new one with a name."""

    email = forms.EmailField(max_length=254)
    name = forms.CharField(
        max_length=NAME_MAX,
        required=False,
        help_text="Needed only for someone who is not in the organization yet.",
    )

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organization = organization
        self.person: Person | None = None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        email = str(data.get("email") or "").strip().lower()
        name = " ".join(str(data.get("name") or "").split())
        data["name"] = name
        if not email:
            return data
        data["email"] = email
        field, error = _invite_error(self.organization, email, name)
        if error:
            self.add_error(field, error)
        else:
            self.person = Person.objects.filter(organization=self.organization, email=email).first()
        return data


def _invite_error(organization: Organization, email: str, name: str) -> tuple[str, str]:
    """Which field is wrong and why, when `email` (`name` for a newcomer) cannot be invited."""
    person = Person.objects.filter(email=email).only("organization_id", "is_active").first()
    if person is None:
        if not name:
            return "name", "Give the name of this new person."
        if len(name) > NAME_MAX:
            return "name", f"Keep the name under {NAME_MAX} characters."
        return "", ""
    if person.organization_id != organization.pk:
        return "email", "This address belongs to an account outside your organization."
    if not person.is_active:
        return "email", "This person has left; reactivate them on their page before inviting them."
    return "", ""


class BulkInviteForm(forms.Form):
    """One "email, name" per line; every line is checked before anything is created."""

    lines = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 10}),
        label="People to invite",
        help_text="One person per line: email, name. The name may be left out for people "
        "already in the organization.",
    )

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organization = organization
        # (line number, message) for each refused line, in order.
        self.line_errors: list[tuple[int, str]] = []

    def clean_lines(self) -> list[tuple[str, str]]:
        rows = [
            (number, line.strip())
            for number, line in enumerate(str(self.cleaned_data["lines"]).splitlines(), 1)
            if line.strip()
        ]
        if not rows:
            raise ValidationError("Give at least one email address.")
        if len(rows) > BULK_MAX_LINES:
            raise ValidationError(f"Invite at most {BULK_MAX_LINES} people at a time.")
        parsed: list[tuple[str, str]] = []
        seen: dict[str, int] = {}
        for number, line in rows:
            email, _, name = (part.strip() for part in line.partition(","))
            email = email.lower()
            name = " ".join(name.split())
            try:
                validate_email(email)
            except ValidationError:
                self.line_errors.append((number, f"“{email}” is not an email address."))
                continue
            if email in seen:
                self.line_errors.append((number, f"{email} is already on line {seen[email]}."))
                continue
            seen[email] = number
            _, error = _invite_error(self.organization, email, name)
            if error:
                self.line_errors.append((number, f"{email}: {error}"))
                continue
            parsed.append((email, name))
        if self.line_errors:
            count = len(self.line_errors)
            raise ValidationError(
                f"{count} line{'s' if count > 1 else ''} need{'' if count > 1 else 's'} "
                "fixing; nobody was invited."
            )
        return parsed


class OrgSettingsForm(forms.Form):
    email_domains = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        label="Email domains",
        help_text="One per line, for example example.com. Single sign-on creates accounts "
        "only for addresses in these domains.",
    )
    require_mfa = forms.BooleanField(
        required=False,
        label="Require two-factor authentication",
        help_text="Everyone must set up an authenticator app before using Rapport.",
    )
    retention_days = forms.IntegerField(
        min_value=30,
        max_value=3650,
        label="Retention period (days)",
        help_text="How long the data of people who left is kept: 30 to 3650 days.",
    )
    quiet_theme_after = forms.IntegerField(
        min_value=1,
        max_value=52,
        label="Quiet theme after (meetings)",
        help_text="A 1:1 highlights a theme not discussed in this many meetings: 1 to 52.",
    )

    def clean_email_domains(self) -> list[str]:
        domains: dict[str, None] = {}
        bad: list[str] = []
        for line in str(self.cleaned_data["email_domains"]).replace(",", "\n").splitlines():
            domain = line.strip().lower().lstrip("@").rstrip(".")
            if not domain:
                continue
            if len(domain) > 253 or not DOMAIN.match(domain):
                bad.append(line.strip())
            else:
                domains[domain] = None
        if bad:
            raise ValidationError(
                "Not a domain name: " + ", ".join(f"“{item}”" for item in bad) + "."
            )
        return list(domains)
