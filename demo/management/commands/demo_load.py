"""Load the demo organization, or generate a large organization for benchmarks."""

import random
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from demo.generator import (
    DEFAULT_MONTHS,
    SMALL_ORG,
    OrganizationExists,
    accounts_for,
    accounts_table,
    default_org_name,
    find_organization,
    load,
)
from demo.growth import has_growth, seed_growth
from demo.sso import load_sso_demo
from meetings.signals import quiet

MIN_PEOPLE = 10


class Command(BaseCommand):
    help = (
        "Create the demo organization with months of 1:1 history (or, with --people, "
        "generate an organization of that size) and print the accounts to sign in with."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help=(
                "if the organization already exists, only add growth content it lacks "
                "and print the accounts"
            ),
        )
        parser.add_argument(
            "--people", type=int, help="generate an organization of this many people"
        )
        parser.add_argument(
            "--months", type=int, default=DEFAULT_MONTHS, help="months of history (default 6)"
        )
        parser.add_argument("--org-name", help="the organization's name")
        parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")

    def handle(self, *args: Any, **options: Any) -> None:
        # Demo history is not news: nobody gets invitations or reminders for it.
        with quiet():
            self._handle(**options)

    def _handle(self, **options: Any) -> None:
        people: int | None = options["people"]
        months: int = options["months"]
        if people is not None and people < MIN_PEOPLE:
            raise CommandError(f"--people must be at least {MIN_PEOPLE}.")
        if not 1 <= months <= 120:
            raise CommandError("--months must be between 1 and 120.")
        name = options["org_name"] or default_org_name(people)
        existing = find_organization(name)
        if existing is not None:
            if not options["if_empty"]:
                raise CommandError(
                    f"An organization named “{name}” already exists; nothing loaded. "
                    "Use --if-empty to just show its accounts, or choose --org-name."
                )
            if not has_growth(existing):
                # Loaded before growth existed: add its check-ins, goals, feedback, careers.
                with transaction.atomic():
                    seeded = seed_growth(
                        existing, rng=random.Random(options["seed"]), now=timezone.now()
                    )
                added = ", ".join(f"{n:,} {label}" for label, n in seeded.items())
                self.stdout.write(f"Added growth content to “{name}”: {added}.")
            self.stdout.write(f"“{name}” is already loaded. Sign in with:")
            self.stdout.write(accounts_table(accounts_for(existing)))
            self._load_sso_demo(people)
            return
        try:
            result = load(
                people=people,
                months=months,
                org_name=name,
                seed=options["seed"],
                progress=lambda message: self.stdout.write(f"  {message}"),
            )
        except OrganizationExists as exc:
            raise CommandError(f"An organization named “{exc}” already exists.") from exc
        except Exception:
            if people is not None and people > SMALL_ORG:
                # Large orgs commit chunk by chunk, so a failure leaves part of one behind.
                self.stderr.write(
                    f"The load stopped part-way: “{name}” is incomplete. Load into a fresh "
                    "database or choose another --org-name."
                )
            raise
        counts = ", ".join(f"{n:,} {label}" for label, n in result.counts.items())
        self.stdout.write(
            self.style.SUCCESS(f"Loaded “{name}” in {result.seconds:.1f} s: {counts}.")
        )
        self.stdout.write("Sign in with:")
        self.stdout.write(accounts_table(result.accounts))
        self._load_sso_demo(people)

    def _load_sso_demo(self, people: int | None) -> None:
        """The SSO-ready organization (demo/sso.py) comes with the demo, not benchmark orgs."""
        if people is None:
            for line in load_sso_demo():
                self.stdout.write(line)
