"""Markdown to safe HTML: markdown-it-py renders, nh3 sanitizes. No script ever runs."""

from functools import lru_cache

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable(
    ["table", "strikethrough"]
)

ALLOWED_TAGS = {
    "p", "br", "hr", "strong", "em", "del", "code", "pre", "blockquote",
    "ul", "ol", "li", "h1", "h2", "h3", "h4", "h5", "h6", "a",
    "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "p": {"class"},
    "a": {"href", "title"},
    "ol": {"start"},
    "th": {"align"},
    "td": {"align"},
}


@lru_cache(maxsize=2048)
def render_markdown(text: str) -> SafeString:
    """Render user Markdown to sanitized HTML safe to place in a page."""
    tokens = _md.parse(text)
    for token in tokens:
        # Headings in notes are emphasis, not page structure: the page's own heading
        # levels differ from place to place, and a note must never break their order.
        if token.type in ("heading_open", "heading_close"):
            if token.type == "heading_open":
                token.attrSet("class", f"md-heading md-{token.tag}")
            token.tag = "p"
    html = _md.renderer.render(tokens, _md.options, {})
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
    return mark_safe(clean)  # noqa: S308 - sanitized by nh3 just above
