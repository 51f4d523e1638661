"""Usefulness blocks: the only form in which a rating ever reaches the other participant.

A block adds up both participants' ratings of RATING_BLOCK meetings that both rated.
It is written once, when the third such meeting after the previous block is rated (or
closed again after a reopen), and is never changed: a late rating of a meeting before
the latest block, a changed rating or a reopened meeting cannot move a stored block.
Each rating enters at most one block, so all the other participant can ever learn is
the sum of three of their ratings. Blocks are computed on write, in the rating's
transaction (a receiver of meetings/signals.py), so the pages only read them.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery
from django.dispatch import receiver

from insights.metrics import RATING_BLOCK
from insights.models import UsefulnessBlock
from meetings import signals
from meetings.models import Meeting, Rating, Relationship

REBUILD_CHUNK = 2000  # relationships per query when rebuilding in bulk

# (occurrence key, lead's score, member's score) of a meeting both rated.
Rated = tuple[datetime, int, int]
# (first key, last key, lead's sum, member's sum).
Block = tuple[datetime, datetime, int, int]


def complete_blocks(rated: Iterable[Rated], *, after: datetime | None) -> list[Block]:
    """Whole blocks of the meetings both rated with a key after `after`, oldest first."""
    pool = sorted(r for r in rated if after is None or r[0] > after)
    return [
        (
            chunk[0][0],
            chunk[-1][0],
            sum(c[1] for c in chunk),
            sum(c[2] for c in chunk),
        )
        for chunk in (
            pool[i : i + RATING_BLOCK] for i in range(0, len(pool) - RATING_BLOCK + 1, RATING_BLOCK)
        )
    ]


def _score(participant: str) -> Subquery:
    return Subquery(
        Rating.objects.filter(
            meeting_id=OuterRef("pk"), rater_id=OuterRef(f"relationship__{participant}")
        ).values("score")[:1]
    )


def _rated(meetings: "QuerySet[Meeting]") -> "QuerySet[Any]":
    """Held meetings with both participants' scores (each by the rating's own index)."""
    return (
        meetings.filter(status=Meeting.Status.HELD)
        .order_by()
        .annotate(lead_score=_score("lead_id"), member_score=_score("member_id"))
        .filter(lead_score__isnull=False, member_score__isnull=False)
        .values_list("relationship_id", "occurrence_start", "lead_score", "member_score")
    )


def blocks_update(relationship: Relationship) -> int:
    """Store the blocks that the relationship's ratings complete now; return how many."""
    last = (
        UsefulnessBlock.objects.filter(relationship=relationship)
        .order_by("-last_key")
        .values_list("last_key", flat=True)
        .first()
    )
    meetings = Meeting.objects.filter(relationship=relationship)
    if last is not None:
        meetings = meetings.filter(occurrence_start__gt=last)
    made = complete_blocks(((key, a, b) for _, key, a, b in _rated(meetings)), after=last)
    return _store(relationship.pk, made)


def blocks_rebuild(relationship_ids: Sequence[int]) -> int:
    """Blocks of relationships that have none yet, from all their ratings (bulk loads)."""
    have = set(
        UsefulnessBlock.objects.filter(relationship_id__in=relationship_ids).values_list(
            "relationship_id", flat=True
        )
    )
    todo = [pk for pk in relationship_ids if pk not in have]
    made = 0
    for start in range(0, len(todo), REBUILD_CHUNK):
        chunk = todo[start : start + REBUILD_CHUNK]
        rated: dict[int, list[Rated]] = defaultdict(list)
        for rel_id, key, lead, member in _rated(Meeting.objects.filter(relationship_id__in=chunk)):
            rated[rel_id].append((key, lead, member))
        made += sum(_store(pk, complete_blocks(rows, after=None)) for pk, rows in rated.items())
    return made


def _store(relationship_id: int, blocks: Sequence[Block]) -> int:
    UsefulnessBlock.objects.bulk_create(
        [
            UsefulnessBlock(
                relationship_id=relationship_id,
                first_key=first,
                last_key=last,
                lead_sum=lead,
                member_sum=member,
            )
            for first, last, lead, member in blocks
        ],
        ignore_conflicts=True,
    )
    return len(blocks)


@receiver(signals.meeting_rated)
@receiver(signals.meeting_closed)
def _on_rating(sender: object, *, relationship: Relationship, **kwargs: object) -> None:
    blocks_update(relationship)
