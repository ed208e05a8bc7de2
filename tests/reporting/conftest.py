"""Fixtures of the PDF export tests."""

import pytest


@pytest.fixture
def jobs(django_capture_on_commit_callbacks):
    """Run the tasks a block enqueues on commit (eagerly), as a worker would after it."""
    return lambda: django_capture_on_commit_callbacks(execute=True)
