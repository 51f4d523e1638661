"""Django admin for org admins: teams and people of their own organization only.

An org admin (is_org_admin and is_staff) manages their organization without any
Django model permission; superusers, the server operators, see every organization.
Nothing here, or in any other admin module, shows 1:1 content.
"""

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from django import forms
from django.contrib import admin
from django.contrib.admin import RelatedOnlyFieldListFilter
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import BaseUserCreationForm
from django.contrib.auth.models import Group
from django.db import models
from django.db.models import Count, QuerySet
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString

from lib.timezones import timezone_names
from meetings.models import Relationship
from meetings.services.common import bump_shared
from people.models import Organization, Person, Team
from people.services import manager_changed, person_deactivate

if TYPE_CHECKING:
    # django-stubs' generic bases; Django's own classes are not subscriptable at run time.
    ModelAdminBase = admin.ModelAdmin[Any]
    ModelFormBase = forms.ModelForm[Any]
    UserAdminBase = UserAdmin[Person]
else:
    ModelAdminBase = admin.ModelAdmin
    ModelFormBase = forms.ModelForm
    UserAdminBase = UserAdmin


def _person(request: HttpRequest) -> Person | None:
    user = request.user
    return user if isinstance(user, Person) and user.is_active else None


def _is_superuser(request: HttpRequest) -> bool:
    person = _person(request)
    return person is not None and person.is_superuser


def admin_organization_id(request: HttpRequest) -> int | None:
    """The organization an org admin manages; None for anyone who is not an org admin."""
    person = _person(request)
    if person is None or not (person.is_staff and person.is_org_admin):
        return None
    return person.organization_id


def _may_administer(request: HttpRequest, obj: models.Model | None = None) -> bool:
    if _is_superuser(request):
        return True
    organization_id = admin_organization_id(request)
    if organization_id is None:
        return False
    return obj is None or getattr(obj, "organization_id", None) == organization_id


class OrganizationScopedForm(ModelFormBase):
    """A model form whose `organization` is fixed by the admin for org admins."""

    # Set per request by OrganizationScopedAdmin.get_form; None when a superuser edits.
    scoped_organization_id: ClassVar[int | None] = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.scoped_organization_id is not None:
            # Set before validation, so per-organization rules see the right tenant.
            self.instance.organization_id = self.scoped_organization_id

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        # Superusers get every organization's teams and people to choose from.
        organization = cleaned.get("organization", getattr(self.instance, "organization", None))
        for name, value in list(cleaned.items()):
            related_org = getattr(value, "organization_id", None)
            if organization is not None and related_org not in (None, organization.pk):
                self.add_error(name, "Choose one from the same organization.")
        return cleaned

    def validate_unique(self) -> None:
        super().validate_unique()
        if "organization" in self.fields or self.scoped_organization_id is None:
            return
        # Django skips constraints on fields left out of the form, so a duplicate name in
        # the organization would otherwise be a database error instead of a form error.
        exclude = {
            field.name
            for field in self.instance._meta.concrete_fields
            if field.name != "organization" and field.name not in self.cleaned_data
        }
        try:
            self.instance.validate_constraints(exclude=exclude)
        except forms.ValidationError as error:
            self.add_error(None, error)


class OrganizationScopedAdmin(ModelAdminBase):
    """Everything an org admin sees or writes stays inside their organization."""

    form = OrganizationScopedForm

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        queryset = super().get_queryset(request)
        if _is_superuser(request):
            return queryset
        return queryset.filter(organization_id=admin_organization_id(request))

    def get_object(
        self, request: HttpRequest, object_id: str, from_field: str | None = None
    ) -> Any:
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            # Another organization's object answers exactly like a missing one.
            raise Http404("No such object.")
        return obj

    def get_exclude(self, request: HttpRequest, obj: Any = None) -> list[str]:
        excluded = list(super().get_exclude(request, obj) or ())
        if not _is_superuser(request):
            excluded.append("organization")
        return excluded

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> type[forms.ModelForm[Any]]:
        form = super().get_form(request, obj, change=change, **kwargs)
        organization_id = admin_organization_id(request)
        if _is_superuser(request) or organization_id is None:
            return form
        return type(form.__name__, (form,), {"scoped_organization_id": organization_id})

    def formfield_for_foreignkey(
        self, db_field: models.ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> forms.ModelChoiceField[Any] | None:
        related = db_field.related_model
        if not _is_superuser(request) and _has_organization(related):
            assert not isinstance(related, str)
            kwargs["queryset"] = related._default_manager.filter(
                organization_id=admin_organization_id(request)
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: Any) -> None:
        if not _is_superuser(request):
            obj.organization_id = admin_organization_id(request)
        super().save_model(request, obj, form, change)

    def get_list_display(self, request: HttpRequest) -> list[Any]:
        columns = list(super().get_list_display(request))
        return [*columns, "organization"] if _is_superuser(request) else columns

    def get_list_filter(self, request: HttpRequest) -> list[Any]:
        filters = list(super().get_list_filter(request))
        return [*filters, "organization"] if _is_superuser(request) else filters

    def get_deleted_objects(
        self, objs: Sequence[Any] | QuerySet[Any], request: HttpRequest
    ) -> tuple[list[str], dict[str, int], set[str], list[str]]:
        _, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        # Cascaded rows can be 1:1 content: list only what was chosen, count the rest.
        return [str(obj) for obj in objs], counts, perms_needed, protected

    def has_module_permission(self, request: HttpRequest) -> bool:
        return _may_administer(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _may_administer(request, obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return _may_administer(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _may_administer(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _may_administer(request, obj)


def _has_organization(model: type[models.Model] | str) -> bool:
    if isinstance(model, str):
        return False
    return any(field.name == "organization" for field in model._meta.concrete_fields)


@admin.register(Organization)
class OrganizationAdmin(ModelAdminBase):
    """Tenants are created and removed by the server operators only.

    An org admin sees their own organization and changes its settings (when a theme
    counts as quiet on the 1:1 page); they never see anything of its 1:1s here.
    """

    list_display = ("name", "people_count", "quiet_theme_after", "created_at")
    search_fields = ("name",)
    readonly_fields = ("created_at",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Organization]:
        organizations: QuerySet[Organization] = super().get_queryset(request)
        if not _is_superuser(request):
            organization_id = admin_organization_id(request)
            organizations = (
                organizations.filter(pk=organization_id)
                if organization_id is not None
                else organizations.none()
            )
        return organizations.annotate(people_count=Count("people"))

    def get_object(
        self, request: HttpRequest, object_id: str, from_field: str | None = None
    ) -> Organization | None:
        obj = super().get_object(request, object_id, from_field)
        if obj is None and not _is_superuser(request):
            # Another organization answers exactly like a missing one.
            raise Http404("No such object.")
        return obj

    def get_fields(self, request: HttpRequest, obj: Organization | None = None) -> Any:
        if _is_superuser(request):
            return super().get_fields(request, obj)
        return ("name", "quiet_theme_after")

    def get_readonly_fields(self, request: HttpRequest, obj: Organization | None = None) -> Any:
        if _is_superuser(request):
            return self.readonly_fields
        # The name is the tenant's identity, kept by the operators.
        return ("name",)

    @admin.display(description="People", ordering="people_count")
    def people_count(self, obj: Organization) -> int:
        return obj.people_count  # type: ignore[attr-defined,no-any-return]

    def get_deleted_objects(
        self, objs: Sequence[Organization] | QuerySet[Organization], request: HttpRequest
    ) -> tuple[list[str], dict[str, int], set[str], list[str]]:
        _, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        # An organization's rows include its 1:1s: count them, never list them.
        return [str(obj) for obj in objs], counts, perms_needed, protected

    def _own_organization(self, request: HttpRequest, obj: Organization | None) -> bool:
        organization_id = admin_organization_id(request)
        return organization_id is not None and (obj is None or obj.pk == organization_id)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return _is_superuser(request) or admin_organization_id(request) is not None

    def has_view_permission(self, request: HttpRequest, obj: Organization | None = None) -> bool:
        return _is_superuser(request) or self._own_organization(request, obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return _is_superuser(request)

    def has_change_permission(self, request: HttpRequest, obj: Organization | None = None) -> bool:
        return _is_superuser(request) or self._own_organization(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Organization | None = None) -> bool:
        return _is_superuser(request)


@admin.register(Team)
class TeamAdmin(OrganizationScopedAdmin):
    list_display = ("name", "member_count")
    search_fields = ("name",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Team]:
        teams: QuerySet[Team] = super().get_queryset(request)
        return teams.annotate(member_count=Count("members"))

    @admin.display(description="Members", ordering="member_count")
    def member_count(self, obj: Team) -> int:
        return obj.member_count  # type: ignore[attr-defined,no-any-return]


def _timezone_choices() -> list[tuple[str, str]]:
    return [(name, name) for name in timezone_names()]


class PersonForm(OrganizationScopedForm):
    timezone = forms.ChoiceField(choices=_timezone_choices, initial="UTC", label="Time zone")

    class Meta:
        model = Person
        fields = ("email", "name", "title", "team", "manager", "timezone", "is_org_admin")

    def clean_email(self) -> str:
        # Sign-in looks addresses up exactly, and every address is stored in lower case.
        email: str = self.cleaned_data["email"]
        return email.strip().lower()

    def clean_manager(self) -> Person | None:
        manager: Person | None = self.cleaned_data.get("manager")
        if manager is not None and self.instance.pk is not None:
            boss: Person | None = manager
            while boss is not None:
                if boss.pk == self.instance.pk:
                    raise forms.ValidationError("A person cannot report to themselves.")
                boss = boss.manager
        return manager


class PersonChangeForm(PersonForm):
    """Edits a person; the password is changed on its own page, and its hash never shown."""


class PersonCreationForm(BaseUserCreationForm[Person], PersonForm):
    """Adds a person with a first password, checked by the password validators."""

    class Meta(PersonForm.Meta):
        pass


_PROFILE = ("email", "name", "title")
_PLACE = ("team", "manager", "timezone")


@admin.register(Person)
class PersonAdmin(OrganizationScopedAdmin, UserAdminBase):
    form = PersonChangeForm
    add_form = PersonCreationForm
    # Django's user add template speaks of usernames; the plain change form fits ours.
    add_form_template = None
    list_display = ("name", "email", "title", "team", "manager", "is_org_admin", "is_active")
    list_select_related = ("team", "manager")
    list_filter = ("is_org_admin", "is_active", ("team", RelatedOnlyFieldListFilter))
    search_fields = ("name", "email", "title")
    ordering = ("name",)
    filter_horizontal = ("groups", "user_permissions")

    def get_fieldsets(self, request: HttpRequest, obj: Person | None = None) -> Any:
        superuser = _is_superuser(request)
        place = ("organization", *_PLACE) if superuser else _PLACE
        access: tuple[str, ...] = ("is_org_admin",)
        if superuser:
            access = (*access, "is_staff", "is_superuser", "groups", "user_permissions")
        if obj is None:
            return (
                (None, {"fields": (*_PROFILE, "password1", "password2")}),
                ("Place in the organization", {"fields": place}),
                ("Access", {"fields": access}),
            )
        return (
            (None, {"fields": (*_PROFILE, "password_link")}),
            ("Place in the organization", {"fields": place}),
            ("Access", {"fields": ("is_active", *access)}),
            ("Dates", {"fields": ("last_login", "date_joined")}),
        )

    def get_readonly_fields(self, request: HttpRequest, obj: Person | None = None) -> Any:
        readonly: tuple[str, ...] = ("password_link", "last_login", "date_joined")
        if obj is not None and obj.pk == request.user.pk and not _is_superuser(request):
            # An org admin who demotes or deactivates themselves is locked out.
            readonly = (*readonly, "is_org_admin", "is_active")
        return readonly

    @admin.display(description="Password")
    def password_link(self, obj: Person) -> SafeString:
        url = reverse("admin:auth_user_password_change", args=[obj.pk])
        return format_html('<a href="{}">Set a new password</a>', url)

    def save_model(self, request: HttpRequest, obj: Person, form: Any, change: Any) -> None:
        if not _is_superuser(request):
            # An org admin grants admin rights through one flag; staff is what Django needs.
            obj.is_staff = obj.is_org_admin
        elif obj.is_org_admin:
            obj.is_staff = True
        # Leaving goes through the service, which also ends the person's 1:1s and sessions.
        leaving = bool(change and "is_active" in form.changed_data and not obj.is_active)
        if leaving:
            obj.is_active = True
        super().save_model(request, obj, form, change)
        if leaving:
            actor = _person(request)
            person_deactivate(actor=actor if actor and actor.organization_id else None, person=obj)
        if change and "manager" in form.changed_data:
            # Like person_update: the 1:1 with the former manager is archived for both.
            old_manager = form.initial.get("manager")
            manager_changed(obj, int(old_manager) if old_manager else None)
            # A manager 1:1 shows the report's career profile only while the lead is their
            # manager: refresh its cached pages so a former manager stops seeing it at once.
            for relationship in Relationship.objects.filter(
                member=obj, kind=Relationship.Kind.MANAGER
            ):
                bump_shared(relationship)

    def has_change_permission(self, request: HttpRequest, obj: Person | None = None) -> bool:
        # Server operators' accounts are out of an org admin's reach.
        if obj is not None and obj.is_superuser and not _is_superuser(request):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Person | None = None) -> bool:
        if obj is not None and obj.is_superuser and not _is_superuser(request):
            return False
        return super().has_delete_permission(request, obj)


# Rapport does not use groups; org admins get their rights from `is_org_admin`.
admin.site.unregister(Group)
