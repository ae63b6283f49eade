"""The author's preview: the item as its public page will show it, before anything is saved.

The form builds an unsaved item from what was typed; the page renders it with the public
page's own template (cases/_evidence_article.html). An unsaved item has no related rows in
the database, so the rows the page reads (`item.applications.all`, `item.quantified.all`,
`item.factors.all`, …) come from lists made from the form instead.
"""

from common.markdown import render_markdown


class Rows:
    """Stands for a related manager in a template: `.all` gives the rows."""

    def __init__(self, rows):
        self._rows = list(rows)

    def all(self):
        return self._rows

    def exists(self) -> bool:
        return bool(self._rows)


class PreviewItem:
    """An unsaved item read as the public page reads a published one.

    Every attribute is the item's own, except the related rows given here (each a `Rows`).
    """

    def __init__(self, instance, related: dict[str, list]):
        self._instance = instance
        self._related = {name: Rows(rows) for name, rows in related.items()}

    def __getattr__(self, name):
        related = self.__dict__.get("_related", {})
        if name in related:
            return related[name]
        return getattr(self.__dict__["_instance"], name)


def preview_item(instance, *, author, raw_markdown: dict[str, str], related: dict[str, list]):
    """`instance` (the form's unsaved item) as it will be published.

    Its Markdown fields are rendered and sanitized from what was typed, as saving would; an item
    with no author yet (a new one) is credited to the person writing it.
    """
    for name, raw in raw_markdown.items():
        setattr(instance, f"{name}_html", render_markdown(raw))
    if instance.author_id is None and author is not None and author.is_authenticated:
        instance.author = author
    return PreviewItem(instance, related)
