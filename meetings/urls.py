"""Every URL of the 1:1 app. Each one is listed in tests/meetings/test_permissions.py."""

from django.urls import path

from meetings.views import actions, agenda, home, occurrences, relationships, shares

app_name = "meetings"

R = "1on1s/<uuid:relationship_uuid>/"
M = R + "meetings/<str:key>/"

urlpatterns = [
    path("", home.home, name="home"),
    path("1on1s/new/", relationships.relationship_new, name="relationship_new"),
    path(R, relationships.relationship_detail, name="relationship"),
    path(R + "live/", relationships.relationship_live, name="live"),
    path(R + "plan/", relationships.relationship_plan, name="plan"),
    path(R + "plan/cadence/", relationships.relationship_cadence, name="plan_cadence"),
    path(R + "plan/pause/", relationships.relationship_pause_view, name="plan_pause"),
    path(R + "plan/resume/", relationships.relationship_resume_view, name="plan_resume"),
    path(R + "plan/end/", relationships.relationship_end_view, name="plan_end"),
    path(R + "points/", agenda.point_add_view, name="point_add"),
    path(R + "suggest/", agenda.question_suggest, name="suggest"),
    path(R + "suggest/accept/", agenda.question_accept_view, name="suggest_accept"),
    path(R + "template/", agenda.template_apply_view, name="template_apply"),
    path(R + "actions/", actions.action_add_view, name="action_add"),
    path(M, occurrences.meeting_detail, name="meeting"),
    path(M + "reschedule/", occurrences.meeting_reschedule_view, name="meeting_reschedule"),
    path(M + "cancel/", occurrences.meeting_cancel_view, name="meeting_cancel"),
    path(M + "close/", occurrences.meeting_close_view, name="meeting_close"),
    path(M + "reopen/", occurrences.meeting_reopen_view, name="meeting_reopen"),
    path(M + "rate/", occurrences.meeting_rate_view, name="meeting_rate"),
    path(M + "notes/", occurrences.notes_edit, name="notes"),
    path(M + "private-note/", occurrences.private_note_edit, name="private_note"),
    path("points/<uuid:point_uuid>/edit/", agenda.point_edit_view, name="point_edit"),
    path("points/<uuid:point_uuid>/delete/", agenda.point_delete_view, name="point_delete"),
    path("points/<uuid:point_uuid>/move/", agenda.point_move_view, name="point_move"),
    path(
        "points/<uuid:point_uuid>/discussed/", agenda.point_discussed_view, name="point_discussed"
    ),
    path("points/<uuid:point_uuid>/standing/", agenda.point_standing_view, name="point_standing"),
    path("actions/<uuid:item_uuid>/edit/", actions.action_edit_view, name="action_edit"),
    path("actions/<uuid:item_uuid>/done/", actions.action_done_view, name="action_done"),
    path("actions/<uuid:item_uuid>/delete/", actions.action_delete_view, name="action_delete"),
    # Sharing chosen meetings of an archived manager 1:1 with the new manager.
    path(R + "share/", shares.share_view, name="share"),
    path(R + "share/withdraw/", shares.share_withdraw_view, name="share_withdraw"),
    path("people/<uuid:person_uuid>/shared/", shares.shared_history, name="shared_history"),
]
