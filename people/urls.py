"""URLs of the people app, collected from each view module."""

from people.views import imports, mydata, orgadmin

app_name = "people"
urlpatterns = [*orgadmin.urlpatterns, *imports.urlpatterns, *mydata.urlpatterns]
