import pytest
from django.utils import translation

from moulin.territory.models import Commune


@pytest.fixture(autouse=True)
def _restore_language():
    """Some demo team leaders work in French or German: the interface language their requests activate must
    not leak into the tests that follow."""
    yield
    translation.deactivate()


@pytest.fixture
def esch():
    return Commune.objects.get(name="Esch-sur-Alzette")
