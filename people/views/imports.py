"""The org admin's CSV import page and its template file. URLs collected by people/urls.py.

Only an org admin reaches them, for their own organization (people.access); everyone
else gets 404. The import itself is people/imports.py, shared with the operator command.
"""

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.views.decorators.http import require_GET, require_http_methods

from lib.http import PersonRequest
from people.access import org_admin_of
from people.imports import COLUMNS, MAX_BYTES, MAX_ROWS, TEMPLATE_CSV, ImportResult, people_import

# The error table shows this many problems; the rest are counted.
SHOWN_ERRORS = 200


class ImportForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        help_text=f"UTF-8 CSV with a header row, up to {MAX_BYTES // (1024 * 1024)} MB "
        f"and {MAX_ROWS:,} people.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
        error_messages={"required": "Choose the CSV file to import."},
    )
    check_only = forms.BooleanField(
        label="Check the file only",
        required=False,
        help_text="Validate the file and show what would change, without importing anything.",
    )
    invite = forms.BooleanField(
        label="Send invitations to the new people",
        required=False,
        help_text="Each person added by the file gets an email to set a password.",
    )


def _page(
    request: PersonRequest,
    form: ImportForm,
    *,
    result: ImportResult | None = None,
    filename: str = "",
    status: int = 200,
) -> HttpResponse:
    context = {
        "organization": request.user.organization,
        "form": form,
        "columns": COLUMNS,
        "result": result,
        "filename": filename,
        "errors_shown": result.errors[:SHOWN_ERRORS] if result else [],
        "errors_hidden": max(0, len(result.errors) - SHOWN_ERRORS) if result else 0,
    }
    return render(request, "people/import.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def import_view(request: PersonRequest) -> HttpResponse:
    """Upload a CSV of people; show what was imported, or every problem of the file."""
    organization = org_admin_of(request.user)
    if request.method == "GET":
        return _page(request, ImportForm())
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, form, status=400)
    upload = form.cleaned_data["file"]
    # One byte past the limit is enough to tell the file is too large.
    data = upload.read(MAX_BYTES + 1)
    result = people_import(
        organization=organization,
        data=data,
        actor=request.user,
        check_only=form.cleaned_data["check_only"],
        invite=form.cleaned_data["invite"],
        base_url=request.build_absolute_uri("/"),
    )
    return _page(
        request, ImportForm(), result=result, filename=upload.name, status=200 if result.ok else 400
    )


@login_required
@require_GET
def import_template_view(request: PersonRequest) -> HttpResponse:
    """A tiny CSV with the header and one example row, to fill in a spreadsheet."""
    org_admin_of(request.user)
    response = HttpResponse(TEMPLATE_CSV, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="rapport-people.csv"'
    return response


urlpatterns: list[URLPattern] = [
    path("org/people/import/", import_view, name="import"),
    path("org/people/import/template.csv", import_template_view, name="import_template"),
]
