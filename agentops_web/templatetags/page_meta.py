"""{% block_text "title" %}: a block's rendered text once more, for the page's meta tags.

Django renders each block once, where it stands; the OpenGraph title and description repeat
the page's `title` and `description` blocks, which every page fills (or inherits the
defaults of). The text is already escaped by the template that wrote it; whitespace is
collapsed to one line.
"""

from django import template
from django.template.loader_tags import BLOCK_CONTEXT_KEY
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag(takes_context=True)
def block_text(context, name: str) -> str:
    block_context = context.render_context.get(BLOCK_CONTEXT_KEY)
    block = block_context.get_block(name) if block_context is not None else None
    if block is None:
        return ""
    # BlockNode.render finds the most-derived override of `name` and renders that.
    # Its output is template output, escaped where it interpolates values.
    return mark_safe(" ".join(block.render(context).split()))  # nosec B308, B703
