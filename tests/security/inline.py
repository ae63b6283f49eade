"""Find what a strict Content-Security-Policy would block in a page: inline script or style."""

from html.parser import HTMLParser

# Script blocks of these types hold data, never run: CSP does not apply to them.
DATA_SCRIPT_TYPES = {"application/json", "application/ld+json"}


class _InlineFinder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        where = f"<{tag} {' '.join(f'{k}={v!r}' for k, v in attrs)[:120]}>"
        if tag == "style":
            self.found.append(f"<style> block: {where}")
        if tag == "script" and not attributes.get("src"):
            if (attributes.get("type") or "").lower() not in DATA_SCRIPT_TYPES:
                self.found.append(f"inline <script>: {where}")
        for name, value in attrs:
            if name == "style":
                self.found.append(f"style attribute: {where}")
            if name.startswith("on"):
                self.found.append(f"event handler attribute {name}: {where}")
            if name in {"href", "src", "action"} and (value or "").strip().lower().startswith(
                "javascript:"
            ):
                self.found.append(f"javascript: URL: {where}")


def inline_code(html: str) -> list[str]:
    """Every inline script, style block, style attribute or event handler in `html`."""
    finder = _InlineFinder()
    finder.feed(html)
    return finder.found
