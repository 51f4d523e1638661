"""A small real OpenID Connect provider (django-oauth-toolkit) the SSO tests sign in at.

It is a Django project of its own, run as a subprocess on loopback by the
`identity_provider` fixture in tests/sso/conftest.py; see README in that fixture.
"""
