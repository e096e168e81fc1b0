import pytest

from moulin.territory.models import Commune


@pytest.fixture
def esch():
    return Commune.objects.get(name="Esch-sur-Alzette")
