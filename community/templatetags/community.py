from django import template

from community.selectors import factor_threads_context

register = template.Library()


@register.simple_tag(takes_context=True)
def factor_threads(context, factor):
    """The factor page's feedback section: `{% factor_threads factor as section %}`."""
    request = context.get("request")
    return factor_threads_context(factor, getattr(request, "user", None))
