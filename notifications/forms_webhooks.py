"""The webhook form: HTML input only; the address itself is checked by the service."""

from typing import Any

from django import forms

from notifications.models import Webhook
from notifications.webhooks import MAX_NAME, WebhookInput

URL_INPUT_MAX = 2000  # longer input is refused by the service with its own message


class WebhookForm(forms.Form):
    name = forms.CharField(
        label="Name",
        max_length=MAX_NAME,
        help_text="For you, for example “Team channel”.",
        error_messages={"required": "Give the webhook a name, for example “Team channel”."},
    )
    url = forms.CharField(
        label="Webhook URL",
        max_length=URL_INPUT_MAX,
        help_text="The https:// address the receiver gave you (for Slack: an incoming webhook).",
        error_messages={"required": "Enter the address Rapport should send to."},
        widget=forms.URLInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    format = forms.ChoiceField(
        label="Format",
        choices=Webhook.Format.choices,
        initial=Webhook.Format.SLACK,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose a format: Slack-compatible or signed JSON.",
            "invalid_choice": "Choose a format: Slack-compatible or signed JSON.",
        },
    )
    send_reminders = forms.BooleanField(
        label="Reminders before a 1:1", required=False, initial=True
    )
    send_recaps = forms.BooleanField(label="Recaps after a 1:1", required=False, initial=True)
    is_active = forms.BooleanField(
        label="Active", required=False, initial=True, help_text="Off: nothing is sent."
    )

    def __init__(self, *args: Any, show_active: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not show_active:
            del self.fields["is_active"]

    def input(self) -> WebhookInput:
        data = self.cleaned_data
        return WebhookInput(
            name=data["name"],
            url=data["url"],
            format=data["format"],
            send_reminders=data["send_reminders"],
            send_recaps=data["send_recaps"],
            is_active=data.get("is_active", True),
        )

    @classmethod
    def for_webhook(cls, webhook: Webhook) -> "WebhookForm":
        return cls(
            initial={
                "name": webhook.name,
                "url": webhook.url,
                "format": webhook.format,
                "send_reminders": webhook.send_reminders,
                "send_recaps": webhook.send_recaps,
                "is_active": webhook.is_active,
            }
        )
