"""HTML input of single sign-on: the work email at /sso/ and the admin's settings."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from sso.services import normalize_issuer, validate_issuer_url


class StartForm(forms.Form):
    email = forms.EmailField(
        label="Work email",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
        error_messages={"required": "Enter your work email address."},
    )

    def clean_email(self) -> str:
        return str(self.cleaned_data["email"]).strip().lower()


class SettingsForm(forms.Form):
    issuer = forms.CharField(
        label="Issuer URL",
        max_length=500,
        help_text="For example https://example.okta.com or "
        "https://login.microsoftonline.com/<tenant id>/v2.0.",
        widget=forms.URLInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={"required": "Enter the identity provider's issuer URL."},
    )
    client_id = forms.CharField(
        label="Client id",
        max_length=255,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={"required": "Enter the client id the identity provider gave you."},
    )
    client_secret = forms.CharField(
        label="Client secret",
        max_length=1000,
        required=False,
        strip=True,
        # Never rendered back: the field is always empty.
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
    )
    enabled = forms.BooleanField(label="Turn single sign-on on", required=False)
    allow_jit = forms.BooleanField(
        label="Create accounts at first sign-in (just in time)", required=False
    )

    def __init__(self, *args: Any, has_secret: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["client_secret"].help_text = (
            "Leave blank to keep the current secret. It is stored encrypted and never shown."
            if has_secret
            else "Stored encrypted and never shown again."
        )

    def clean_issuer(self) -> str:
        issuer = normalize_issuer(self.cleaned_data["issuer"])
        validate_issuer_url(issuer)
        return issuer

    def clean_client_id(self) -> str:
        client_id = str(self.cleaned_data["client_id"]).strip()
        if any(ch.isspace() for ch in client_id):
            raise ValidationError("A client id has no spaces.")
        return client_id
