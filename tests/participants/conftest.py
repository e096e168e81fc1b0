import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english():
    """Service-level tests read messages in English, whatever language an earlier request left active."""
    with translation.override("en"):
        yield
