"""How django-allauth's social login behaves in Rapport (per-organization OpenID Connect)."""

from allauth.socialaccount.adapter import DefaultSocialAccountAdapter


class SocialAccountAdapter(DefaultSocialAccountAdapter):  # type: ignore[misc]
    pass
