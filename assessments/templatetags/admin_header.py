"""The admin's header names the partnerships whose records the person is managing."""

from django import template

from assessments.core.permissions import is_operator, partnerships_administered_by

register = template.Library()


@register.simple_tag
def administered_partnership_names(user) -> str:
    """ "SaferMK Partnership" for its analyst; an operator manages every partnership."""
    if is_operator(user):
        return "All partnerships"
    return ", ".join(partnerships_administered_by(user).values_list("name", flat=True))
