"""Every URL of growth, one list per area (in its views module).

Each one is listed in a permission table under tests/growth/.
"""

from growth.views import career, checkins, feedback, goals

app_name = "growth"

urlpatterns = [
    *checkins.urlpatterns,
    *goals.urlpatterns,
    *feedback.urlpatterns,
    *career.urlpatterns,
]
