"""Every URL of insights. Each one is listed in tests/insights/test_permissions.py."""

from django.urls import path

from insights.views import org, personal

app_name = "insights"

urlpatterns = [
    path("insights/", personal.home, name="home"),
    path("insights/mine.csv", personal.mine_csv, name="mine_csv"),
    path("1on1s/<uuid:relationship_uuid>/insights/", personal.relationship, name="relationship"),
    path("org/insights/", org.org, name="org"),
    path("org/insights.csv", org.org_csv, name="org_csv"),
]
