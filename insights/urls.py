"""Every URL of insights, each in a permission table: tests/insights/test_permissions_personal.py
and tests/insights/test_org_permissions.py (checked by tests/test_urls_covered.py)."""

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
