"""Markdown rendering and sanitizing, shared by every model that stores Markdown.

Text is rendered once, on save, and the result is cleaned with nh3 to an allowlist:
no script, no event handlers, no javascript: or data: links, no iframes. Links
written by users get rel="nofollow ugc noopener".
"""

import re
import threading

import markdown
import nh3

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "div", "dl", "dt", "em",
    "h2", "h3", "h4", "h5", "h6", "hr", "i", "li", "ol", "p", "pre", "s", "span",
    "strong", "sub", "sup", "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "td": {"align"},
    "th": {"align"},
}
URL_SCHEMES = {"http", "https", "mailto"}
# Rendered text sits under the page's own h1 and section h2s: its headings start at h3.
HEADING_SHIFT = 2
_HEADING_TAG = re.compile(r"<(/?)h([1-6])\b", re.IGNORECASE)


def _shift_headings(html: str) -> str:
    """<h1> becomes <h3>, <h2> <h4> ... (at most <h6>): the page's outline stays whole."""
    return _HEADING_TAG.sub(
        lambda m: f"<{m.group(1)}h{min(int(m.group(2)) + HEADING_SHIFT, 6)}", html
    )


_local = threading.local()


def _converter() -> markdown.Markdown:
    """This thread's Markdown converter: building one (its extensions and registries) costs
    more than converting a typical text, and an instance is not safe to share across threads."""
    converter = getattr(_local, "converter", None)
    if converter is None:
        converter = _local.converter = markdown.Markdown(
            extensions=["extra", "sane_lists"], output_format="html"
        )
    return converter


def render_markdown(text: str) -> str:
    """Markdown to safe HTML. Raw HTML in the source is escaped or stripped."""
    if not text:
        return ""
    html = _converter().reset().convert(text)
    html = _shift_headings(html)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow ugc noopener",
        strip_comments=True,
    )
