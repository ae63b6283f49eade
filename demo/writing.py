"""Tools for writing many rows fast: Markdown rendered once per template, slugs checked in
memory, and the timestamps the generator gives kept by bulk_create.

bulk_create skips save(), so Markdown is rendered here explicitly; each text is made from
templates (phrases.toml) whose placeholders hold plain words, so a combination of templates
is rendered once and the HTML is then filled with escaped words (`Renderer`).
"""

from contextlib import contextmanager

from django.utils.text import slugify

from common.markdown import render_markdown


class Renderer:
    """Markdown from templates, rendered once per combination of templates."""

    def __init__(self):
        self._cache: dict = {}

    def compose(self, rng, bank: list[str], k: int, values: dict, escaped: dict):
        idx = tuple(sorted(rng.sample(range(len(bank)), min(k, len(bank)))))
        template = "\n\n".join(bank[i] for i in idx)
        key = (id(bank), idx)
        rendered = self._cache.get(key)
        if rendered is None:
            rendered = self._cache[key] = render_markdown(template)
        return template.format_map(values), rendered.format_map(escaped)


class Slugs:
    """Readable unique slugs for one model, checked in memory."""

    def __init__(self, model):
        self.taken = set(model.objects.values_list("slug", flat=True))
        self.next = {}

    def make(self, text: str, max_length: int = 80) -> str:
        base = slugify(text)[:max_length].strip("-") or "item"
        slug, n = base, self.next.get(base, 2)
        while slug in self.taken:
            suffix = f"-{n}"
            slug = f"{base[: max_length - len(suffix)]}{suffix}"
            n += 1
        self.next[base] = n
        self.taken.add(slug)
        return slug


@contextmanager
def keep_given_timestamps(*models):
    """Let bulk_create store our created_at/updated_at instead of now()."""
    saved = []
    for model in models:
        for f in model._meta.concrete_fields:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                saved.append((f, f.auto_now, f.auto_now_add))
                f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add
