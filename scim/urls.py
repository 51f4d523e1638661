"""SCIM 2.0 provisioning under /scim/v2/, and the token settings page for org admins."""

from django.urls import path, re_path

from scim import api, views

app_name = "scim"

V2 = "scim/v2"

urlpatterns = [
    path("org/scim/", views.settings_page, name="settings"),
    path("org/scim/tokens/new/", views.token_create_view, name="token_create"),
    path("org/scim/tokens/rotate/", views.token_rotate_view, name="token_rotate"),
    path("org/scim/tokens/<uuid:token_uuid>/revoke/", views.token_revoke_view, name="token_revoke"),
    path(f"{V2}/", api.unknown_route, name="root"),
    path(f"{V2}/ServiceProviderConfig", api.service_provider_config_view, name="spc"),
    path(f"{V2}/ResourceTypes", api.resource_types_view, name="resource_types"),
    path(f"{V2}/ResourceTypes/<str:type_id>", api.resource_types_view, name="resource_type"),
    path(f"{V2}/Schemas", api.schemas_view, name="schemas"),
    path(f"{V2}/Schemas/<str:schema_id>", api.schemas_view, name="schema"),
    path(f"{V2}/Users", api.users_view, name="users"),
    path(f"{V2}/Users/.search", api.users_search_view, name="users_search"),
    path(f"{V2}/Users/<str:user_id>", api.user_view, name="user"),
    path(f"{V2}/Groups", api.groups_view, name="groups"),
    path(f"{V2}/Groups/.search", api.groups_search_view, name="groups_search"),
    path(f"{V2}/Groups/<str:group_id>", api.group_view, name="group"),
    path(f"{V2}/.search", api.root_search_view, name="search"),
    re_path(r"^scim/v2/(?P<rest>.*)$", api.unknown_route, name="unknown"),
]
