"""Django admin for templates and the question bank, scoped to the org admin's organization."""

from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import admin
from django.db.models import Count, Field, QuerySet
from django.http import HttpRequest

from people.admin import OrganizationScopedAdmin, admin_organization_id
from playbook.models import Question, Template, TemplatePrompt

if TYPE_CHECKING:
    # django-stubs' generic base; Django's own class is not subscriptable at run time.
    TabularInlineBase = admin.TabularInline[TemplatePrompt, Template]
else:
    TabularInlineBase = admin.TabularInline


def _may_edit_templates(request: HttpRequest) -> bool:
    user = request.user
    return bool(getattr(user, "is_superuser", False)) or admin_organization_id(request) is not None


class TemplatePromptInline(TabularInlineBase):
    model = TemplatePrompt
    fields = ("position", "section", "text", "theme")
    extra = 1

    def formfield_for_dbfield(
        self, db_field: Field[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> forms.Field | None:
        if db_field.name == "text":
            kwargs["widget"] = forms.Textarea(attrs={"rows": 2, "cols": 60})
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    # The parent template is already scoped to the organization; prompts follow it.
    def has_view_permission(self, request: HttpRequest, obj: Template | None = None) -> bool:
        return _may_edit_templates(request)

    # Django's inline takes the parent here; the stubs inherit the model admin's signature.
    def has_add_permission(self, request: HttpRequest, obj: Template | None) -> bool:  # type: ignore[override]
        return _may_edit_templates(request)

    def has_change_permission(self, request: HttpRequest, obj: Template | None = None) -> bool:
        return _may_edit_templates(request)

    def has_delete_permission(self, request: HttpRequest, obj: Template | None = None) -> bool:
        return _may_edit_templates(request)


@admin.register(Template)
class TemplateAdmin(OrganizationScopedAdmin):
    list_display = ("name", "prompt_count", "is_active")
    list_filter = ("is_active",)
    search_fields = ("name", "description")
    inlines = (TemplatePromptInline,)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Template]:
        templates: QuerySet[Template] = super().get_queryset(request)
        return templates.annotate(prompt_count=Count("prompts"))

    @admin.display(description="Prompts", ordering="prompt_count")
    def prompt_count(self, obj: Template) -> int:
        return obj.prompt_count  # type: ignore[attr-defined,no-any-return]


@admin.register(Question)
class QuestionAdmin(OrganizationScopedAdmin):
    list_display = ("text", "theme", "audience", "is_active")
    list_filter = ("theme", "audience", "is_active")
    search_fields = ("text",)

    def formfield_for_dbfield(
        self, db_field: Field[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> forms.Field | None:
        if db_field.name == "text":
            kwargs["widget"] = forms.Textarea(attrs={"rows": 3, "cols": 80})
        return super().formfield_for_dbfield(db_field, request, **kwargs)
