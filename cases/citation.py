"""“Cite this”: a plain-text reference and a BibTeX entry for a published item.

The author is credited as their consent allows (Submission.credit: name, role or
anonymous). URLs are absolute: the address the request came to, else settings.SITE_URL
(agentops_web.siteurl).
"""

import re

from agentops_web.siteurl import absolute_url

SITE_NAME = "12-Factor AgentOps"
LICENCE = "CC BY 4.0"

_BIBTEX_SPECIALS = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_BIBTEX_RE = re.compile("|".join(re.escape(c) for c in _BIBTEX_SPECIALS))


def bibtex_escape(text: str) -> str:
    text = " ".join(str(text).split())
    return _BIBTEX_RE.sub(lambda m: _BIBTEX_SPECIALS[m.group()], text)


def item_url(item) -> str:
    return absolute_url(item.get_absolute_url())


def citation(item) -> dict:
    """{"text": ..., "bibtex": ..., "credit": ..., "url": ...} for a published item."""
    credit = item.credit
    when = item.published_at or item.created_at
    kind = item.kind_label
    url = item_url(item)
    text = f"{credit} ({when.year}). {item.title}. {SITE_NAME}, {kind.lower()}. {url}"
    by_person = item.consent == "name" and item.author is not None
    author = bibtex_escape(credit) if by_person else "{" + bibtex_escape(credit) + "}"
    key = re.sub(r"[^a-z0-9]+", "-", f"agentops-{item.slug}".lower()).strip("-")[:60]
    bibtex = "\n".join(
        [
            f"@misc{{{key},",
            f"  author = {{{author}}},",
            f"  title = {{{{{bibtex_escape(item.title)}}}}},",
            f"  year = {{{when.year}}},",
            f"  month = {{{when.month}}},",
            f"  howpublished = {{{SITE_NAME}, {kind.lower()}}},",
            f"  url = {{{url}}},",
            f"  note = {{Licensed under {LICENCE}}}",
            "}",
        ]
    )
    return {"text": text, "bibtex": bibtex, "credit": credit, "url": url}
