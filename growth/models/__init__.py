"""Growth inside the 1:1: check-ins, goals, feedback both ways, recognition, career.

One module per area; every row carries its organization (the tenant). Who may see
what is decided in growth/access.py, the only door views use to load these rows.
"""

from growth.models.career import CareerProfile, CareerProfileRevision
from growth.models.checkins import CheckIn
from growth.models.feedback import Feedback
from growth.models.goals import Goal, GoalUpdate

__all__ = [
    "CareerProfile",
    "CareerProfileRevision",
    "CheckIn",
    "Feedback",
    "Goal",
    "GoalUpdate",
]
