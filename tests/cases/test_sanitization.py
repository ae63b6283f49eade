"""Stored Markdown is sanitized: no script, event handlers, javascript:/data: URLs, SVG or
frames reach the stored HTML or any page that shows a submission."""

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from cases import services
from cases.models import Adaptation, CaseStudy, FailureReport, State

PAYLOADS = [
    "<script>alert('xss')</script>",
    "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    '<div onclick="alert(1)" onmouseover=alert(2)>hover me</div>',
    '<a href="javascript:alert(1)">click</a>',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    '<a href="&#106;avascript:alert(1)">encoded</a>',
    "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    '<a href="data:text/html,<script>alert(1)</script>">data link</a>',
    '<img src="data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=">',
    '![img](javascript:alert(1) "title")',
    "<svg onload=alert(1)><script>alert(2)</script></svg>",
    '<svg><a xlink:href="javascript:alert(1)"><text>svg link</text></a></svg>',
    '<math><mi xlink:href="javascript:alert(1)">math</mi></math>',
    '<iframe src="https://evil.example/"></iframe>',
    '<object data="evil.swf"></object><embed src="evil.swf">',
    "<style>body { display: none }</style>",
    '<form action="https://evil.example/"><input name=x></form>',
    "<scr<script>ipt>alert(1)</script>",
    "<img src=x onerror=alert(1)",  # unclosed
    '<a href="javascript:alert(1)"',  # unclosed
    "<p><b>unbalanced <i>tags</p>",
    '"><script>alert(1)</script>',
    "<!-- <script>alert(1)</script> -->",
    '<a href=" javascript:alert(1)">leading space</a>',
    '<a href="vbscript:msgbox(1)">vb</a>',
    '<base href="https://evil.example/">',
    '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
]
ALL_PAYLOADS = "\n\n".join(PAYLOADS)

# Elements that must never come out of user text (a page's own layout has forms and meta tags,
# so those are checked in stored HTML only).
NEVER = {"script", "img", "svg", "math", "iframe", "object", "embed", "style", "base", "frame"}
NEVER_IN_STORED = NEVER | {"form", "input", "meta", "link", "button", "textarea"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "background"}
BAD_SCHEMES = ("javascript:", "vbscript:", "data:")


class _Elements(HTMLParser):
    """Every element and attribute the browser would build from the HTML (text is ignored)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, attrs))

    handle_startendtag = handle_starttag


def assert_clean(html: str, where: str, *, never=NEVER_IN_STORED):
    parser = _Elements()
    parser.feed(html)
    parser.close()
    for tag, attrs in parser.elements:
        assert tag not in never, f"{where}: <{tag}> element"
        for name, value in attrs:
            assert not name.startswith("on"), f"{where}: <{tag} {name}=...> event handler"
            if name in URL_ATTRIBUTES and value:
                cleaned = re.sub(r"[\s\x00-\x1f]", "", value).lower()
                assert not cleaned.startswith(BAD_SCHEMES), f"{where}: <{tag} {name}={value!r}>"
    lowered = html.lower()
    assert "<script" not in lowered, f"{where}: <script"


@pytest.mark.parametrize("payload", PAYLOADS)
def test_each_payload_is_neutralised_in_stored_html(make_item, payload):
    item = make_item(context=payload, approach=payload, results=payload, lessons=payload)
    for name in CaseStudy.markdown_fields:
        assert_clean(getattr(item, f"{name}_html"), f"{name}_html")


@pytest.mark.parametrize("kind", ["case_study", "adaptation", "failure"])
def test_every_markdown_field_of_every_kind_is_sanitized(make_item, kind):
    model = {"case_study": CaseStudy, "adaptation": Adaptation, "failure": FailureReport}[kind]
    item = make_item(kind=kind, **dict.fromkeys(model.markdown_fields, ALL_PAYLOADS))
    item.refresh_from_db()
    for name in model.markdown_fields:
        html = getattr(item, f"{name}_html")
        assert html  # something was kept: the text, not the attack
        assert_clean(html, f"{kind}.{name}_html")


@pytest.mark.parametrize("kind", ["case_study", "adaptation", "failure"])
def test_pages_showing_a_submission_carry_no_payload(client, make_item, author, maintainer, kind):
    model = {"case_study": CaseStudy, "adaptation": Adaptation, "failure": FailureReport}[kind]
    hostile_title = "<script>alert('title')</script><img src=x onerror=alert(1)>"
    item = make_item(
        kind=kind,
        state=State.SUBMITTED,
        title=hostile_title,
        attribution_role="<svg onload=alert(1)>",
        consent="role",
        **dict.fromkeys(model.markdown_fields, ALL_PAYLOADS),
    )
    services.submission_request_changes(
        item=item, actor=maintainer, comment="<script>alert('comment')</script> javascript:x"
    )
    services.submission_update(item=item, actor=author, fields={"title": hostile_title + "!"})
    services.submission_submit(item=item, actor=author)
    args = {"kind": kind, "pk": item.pk}

    client.force_login(author)
    for url in (
        reverse("cases:my_submissions"),
        reverse("cases:submission_detail", kwargs=args),
        reverse("cases:submission_revisions", kwargs=args),
    ):
        response = client.get(url)
        assert response.status_code == 200
        html = response.content.decode()
        assert "&lt;script&gt;alert(&#x27;title&#x27;)" in html  # shown as text
        # Comments and raw revision text are shown as escaped text, never as markup.
        assert_clean(html, url, never=NEVER)
    client.force_login(maintainer)
    for url in (reverse("cases:review_queue"), reverse("cases:review_item", kwargs=args)):
        html = client.get(url).content.decode()
        assert_clean(html, url, never=NEVER)


def test_preview_is_sanitized_too(client, author, framework, domain):
    client.force_login(author)
    response = client.post(
        reverse("cases:submission_create", kwargs={"kind": "adaptation"}),
        {
            "title": "Preview",
            "factor": framework[1].pk,
            "domain": domain.pk,
            "changes": ALL_PAYLOADS,
            "outcome": ALL_PAYLOADS,
            "consent": "name",
            "action": "preview",
        },
    )
    html = response.content.decode()
    preview = html[html.index('id="preview-title"') : html.index('class="submission-form"')]
    assert "encoded" in preview  # the preview did render
    assert_clean(preview, "preview")


@pytest.mark.parametrize(
    "unsafe",
    [
        "<script>x</script>",
        '<img src="x" onerror="alert(1)">',
        '<a href="javascript:alert(1)">x</a>',
        '<a href=" JAVA\tSCRIPT:alert(1)">x</a>',
        '<a href="data:text/html,x">x</a>',
        "<svg></svg>",
    ],
)
def test_the_check_itself_catches_unsafe_html(unsafe):
    with pytest.raises(AssertionError):
        assert_clean(unsafe, "sample")
