import pytest

from tests.factories import OrganizationFactory


@pytest.mark.django_db
def test_an_anonymized_organizations_link_and_name_never_carry_its_real_name():
    org = OrganizationFactory(name="Saint Example Hospital", anonymized=True)
    assert "saint-example" not in org.get_absolute_url()
    assert "Saint Example" not in org.public_name
    named = OrganizationFactory(name="Open Bank", anonymized=False)
    assert named.get_absolute_url().endswith("#org-open-bank")
