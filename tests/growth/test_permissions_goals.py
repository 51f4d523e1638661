"""Who may do what with goals: every URL of the area, for every role.

Rows are (url name, method, target, maya, ravi, olga, ada, otto) like
tests/meetings/test_permissions.py; target "" is the shared case that
tests/growth/test_urls_covered.py requires for both methods of every URL.
"""

TABLE: list[tuple[str, str, str, int, int, int, int, int]] = []
