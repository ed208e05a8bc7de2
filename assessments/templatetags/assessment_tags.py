import datetime as dt

from django import template

from assessments.core.idempotency import key_field

register = template.Library()


@register.filter
def duration(value: dt.timedelta | None) -> str:
    """A time span in words: "30 minutes", "1 hour", "2 hours 15 minutes"."""
    if not value:
        return ""
    minutes = int(value.total_seconds() // 60)
    hours, minutes = divmod(minutes, 60)
    parts = []
    if hours:
        parts.append(f"{hours} hour{'s' if hours != 1 else ''}")
    if minutes or not hours:
        parts.append(f"{minutes} minute{'s' if minutes != 1 else ''}")
    return " ".join(parts)


@register.filter
def seconds_in_words(seconds: int) -> str:
    if seconds < 60:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    return duration(dt.timedelta(seconds=seconds))


@register.simple_tag
def idempotency_key():
    """A hidden field with a new key, in a form that creates something: sent twice, it is
    stored once (core/idempotency.py)."""
    return key_field()
