"""Test data. Build evidence in any state with these rather than by hand."""

import factory
from allauth.account.models import EmailAddress
from django.utils import timezone

from accounts.models import User
from cases.models import (
    Adaptation,
    CaseStudy,
    Deployment,
    Domain,
    FactorApplication,
    FactorImplementation,
    FailureReport,
    Organization,
    Outcome,
    QuantifiedResult,
    ReferenceImplementation,
    Severity,
    State,
)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    display_name = factory.Sequence(lambda n: f"Person {n}")
    password = factory.django.Password("correct horse battery staple")

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        """Users have a verified primary address unless verified=False."""
        if create and extracted is not False:
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)


class DomainFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Domain
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Domain {n}")


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Organization {n}")
    domain = factory.SubFactory(DomainFactory)
    size_band = "medium"


class _SubmissionFactory(factory.django.DjangoModelFactory):
    class Meta:
        abstract = True

    title = factory.Sequence(lambda n: f"Evidence item {n}")
    author = factory.SubFactory(UserFactory)
    domain = factory.SubFactory(DomainFactory)
    state = State.PUBLISHED
    submitted_at = factory.LazyFunction(timezone.now)
    published_at = factory.LazyAttribute(
        lambda o: timezone.now() if o.state == State.PUBLISHED else None
    )


class CaseStudyFactory(_SubmissionFactory):
    class Meta:
        model = CaseStudy
        skip_postgeneration_save = True

    summary = "How a team ran agents in production."
    organization = factory.SubFactory(OrganizationFactory, domain=factory.SelfAttribute("..domain"))
    deployment = Deployment.PRODUCTION
    context = "The *context*."
    approach = "What was done."
    results = "What changed."
    lessons = "What we learned."

    @factory.post_generation
    def applied(self, create, extracted, **kwargs):
        """applied=[(factor, "worked"|"adapted"|"failed"), ...]"""
        for factor, outcome in extracted or []:
            FactorApplication.objects.create(case_study=self, factor=factor, outcome=outcome)


class FactorApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FactorApplication

    case_study = factory.SubFactory(CaseStudyFactory)
    outcome = Outcome.WORKED


class QuantifiedResultFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = QuantifiedResult

    case_study = factory.SubFactory(CaseStudyFactory)
    metric = "agent incidents per week"
    before = 9
    after = 2
    unit = "incidents"


class AdaptationFactory(_SubmissionFactory):
    class Meta:
        model = Adaptation

    changes = "We changed the *threshold*."
    outcome = "It worked better."


class FailureReportFactory(_SubmissionFactory):
    class Meta:
        model = FailureReport
        skip_postgeneration_save = True

    severity = Severity.HIGH
    symptom = "Agents looped."
    impact = "Two hours of downtime."
    root_cause = "No budget."
    detection = "An alert."
    prevention = "A budget."

    @factory.post_generation
    def factors(self, create, extracted, **kwargs):
        if create and extracted:
            self.factors.set(extracted)


class ReferenceImplementationFactory(_SubmissionFactory):
    """A reference implementation; pass factors=[factor, ...] (or [(factor, note), ...])."""

    class Meta:
        model = ReferenceImplementation
        skip_postgeneration_save = True

    url = "https://example.org/agentops/toolkit"
    licence = "Apache-2.0"
    maintained = True
    summary = "A toolkit that puts the factor into practice."
    description = "It wraps each run in a **harness**."

    @factory.post_generation
    def factors(self, create, extracted, **kwargs):
        if create and extracted:
            for entry in extracted:
                factor, note = entry if isinstance(entry, tuple) else (entry, "")
                FactorImplementation.objects.create(
                    reference_implementation=self, factor=factor, note=note
                )


# Community ------------------------------------------------------------------------------


class ThreadFactory(factory.django.DjangoModelFactory):
    """A feedback thread; pass factor= (e.g. from the `framework` fixture)."""

    class Meta:
        model = "community.Thread"

    kind = "challenge"
    title = factory.Sequence(lambda n: f"Feedback thread {n}")
    body = "This does not hold *for us*."
    author = factory.SubFactory(UserFactory)


class ReplyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "community.Reply"

    thread = factory.SubFactory(ThreadFactory)
    author = factory.SubFactory(UserFactory)
    body = "A reply with **Markdown**."
