import pytest

from ..factories import GeographyFactory


@pytest.fixture
def area(partnership):
    """The partnership's area, "Testville" as the generated police.uk files name it."""
    return GeographyFactory(partnership=partnership, code="E06000099", name="Testville")
