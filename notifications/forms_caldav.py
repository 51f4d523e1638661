"""Connecting a CalDAV calendar, and disconnecting it."""

from django import forms


class CalDavConnectForm(forms.Form):
    url = forms.CharField(
        label="Calendar address (CalDAV URL)",
        max_length=500,
        help_text="The address of one calendar, for example "
        "https://dav.example.com/calendars/you/work/. Your calendar provider shows it.",
        widget=forms.URLInput(attrs={"autocomplete": "url", "inputmode": "url"}),
    )
    username = forms.CharField(
        label="User name",
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )
    # Write-only: never rendered back into the page.
    password = forms.CharField(
        label="Password",
        max_length=500,
        strip=False,
        help_text="Use an app password if your provider offers one. It is stored encrypted "
        "and never shown again.",
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
    )


class CalDavDisconnectForm(forms.Form):
    remove_events = forms.BooleanField(
        label="Also remove the 1:1s Rapport put in this calendar",
        required=False,
    )
