"""Forms of the accounts pages that allauth does not provide."""

from typing import Any

from allauth.account import forms as allauth_forms
from django.contrib.auth.forms import SetPasswordForm


class InvitationPasswordForm(SetPasswordForm):  # type: ignore[type-arg]
    """The invited person's first password, checked by the password validators.

    Only validates: accepting the invitation (accounts.services.invitation_accept)
    stores the password.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = "Choose a password"
        self.fields["new_password2"].label = "The same password again"
        self.fields["new_password2"].help_text = ""


def _relabel(form: Any, labels: dict[str, str]) -> None:
    """Rapport's sentence-case labels; the label says it all, so no placeholder repeats it."""
    for name, label in labels.items():
        if name in form.fields:
            form.fields[name].label = label
            form.fields[name].widget.attrs.pop("placeholder", None)


class ChangePasswordForm(allauth_forms.ChangePasswordForm):  # type: ignore[misc]
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _relabel(
            self,
            {
                "oldpassword": "Current password",
                "password1": "New password",
                "password2": "New password again",
            },
        )


class ResetPasswordKeyForm(allauth_forms.ResetPasswordKeyForm):  # type: ignore[misc]
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _relabel(self, {"password1": "New password", "password2": "New password again"})


class ResetPasswordForm(allauth_forms.ResetPasswordForm):  # type: ignore[misc]
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _relabel(self, {"email": "Email"})
