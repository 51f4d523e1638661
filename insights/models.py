"""Rollups of the organization view: content-free counts per team and period.

The organization view reads only these rows, so it costs the same on a 10,000-person
organization as on a small one. The worker keeps them current (insights/rollups.py):
the recent window every hour, the current and two previous months with it, and every
earlier month once. Every figure is as of 00:00 UTC of the day it is computed, so they
change at most once a day. Each row holds sums, so groups merge by adding them up (the
k >= 5 rule merges small teams into "other teams" at read time, insights/org.py).
"""

from django.db import models
from django.db.models import Q
from django.utils.timezone import now


class TeamRollup(models.Model):
    class Kind(models.TextChoices):
        # 1:1s over the 90 days and people met over the 30 days before period_start 00:00 UTC.
        RECENT = "recent", "Recent"
        # One calendar month (UTC), period_start is its first day.
        MONTH = "month", "Month"

    class Scope(models.TextChoices):
        ORGANIZATION = "org", "Whole organization"
        TEAM = "team", "Team"
        NO_TEAM = "none", "People without a team"

    organization = models.ForeignKey(
        "people.Organization", on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=8, choices=Kind.choices)
    period_start = models.DateField()
    scope = models.CharField(max_length=4, choices=Scope.choices)
    team = models.ForeignKey(
        "people.Team", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    # Active people in the group (for a month: those who worked here during it).
    people = models.PositiveIntegerField(default=0)
    # Of them, those who took part in a held 1:1 in the period (recent: the last 30 days).
    people_met = models.PositiveIntegerField(default=0)
    # Distinct team members whose series had an occurrence planned in the period, people
    # who rated one of its meetings and people who own one of its action items due in the
    # period, each rater and owner counted in one group only (so the counts add up over
    # merged groups without ever overstating): a figure is shown only when at least k
    # people contributed to it, not merely when the team has k people.
    members = models.PositiveIntegerField(default=0)
    raters = models.PositiveIntegerField(default=0)
    owners = models.PositiveIntegerField(default=0)
    # 1:1 occurrences of the group's series (by the team member's team) in the period.
    planned = models.PositiveIntegerField(default=0)
    held = models.PositiveIntegerField(default=0)
    cancelled = models.PositiveIntegerField(default=0)  # cancelled or skipped
    rescheduled = models.PositiveIntegerField(default=0)
    # Action items due in the period (and already due): done by the due date, done later,
    # still open.
    actions_due = models.PositiveIntegerField(default=0)
    actions_on_time = models.PositiveIntegerField(default=0)
    actions_late = models.PositiveIntegerField(default=0)
    actions_overdue = models.PositiveIntegerField(default=0)
    # Usefulness ratings (1-5) given to the period's meetings, by either participant.
    rating_sum = models.PositiveIntegerField(default=0)
    rating_count = models.PositiveIntegerField(default=0)
    computed_at = models.DateTimeField(default=now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "kind", "period_start", "team"],
                condition=Q(team__isnull=False),
                name="rollup_one_per_team",
            ),
            models.UniqueConstraint(
                fields=["organization", "kind", "period_start", "scope"],
                condition=Q(team__isnull=True),
                name="rollup_one_per_scope",
            ),
            models.CheckConstraint(
                condition=(Q(scope="team") & Q(team__isnull=False))
                | (~Q(scope="team") & Q(team__isnull=True)),
                name="rollup_team_matches_scope",
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "kind", "period_start"], name="rollup_org_idx")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.period_start} {self.scope} {self.team_id or ''}"


class UsefulnessBlock(models.Model):
    """Both participants' ratings of RATING_BLOCK meetings they both rated, added up.

    Written once, when a rating (or closing a meeting again) completes a block of the
    meetings both rated after the previous block, and never changed afterwards: a late
    rating of an older meeting, a changed rating or a reopened meeting cannot move it,
    so comparing two views of a 1:1's insights never isolates one rating
    (insights/blocks.py).
    """

    relationship = models.ForeignKey(
        "meetings.Relationship", on_delete=models.CASCADE, related_name="+"
    )
    # The occurrence keys of its first and last meeting.
    first_key = models.DateTimeField()
    last_key = models.DateTimeField()
    lead_sum = models.PositiveSmallIntegerField()
    member_sum = models.PositiveSmallIntegerField()
    created_at = models.DateTimeField(default=now)

    class Meta:
        ordering = ["relationship", "last_key"]
        constraints = [
            models.UniqueConstraint(
                fields=["relationship", "last_key"], name="usefulness_block_once"
            )
        ]

    def __str__(self) -> str:
        return f"Usefulness block {self.relationship_id} {self.last_key:%Y-%m-%d}"
