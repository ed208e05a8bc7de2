import datetime as dt

from django import template

from assessments.core.idempotency import key_field
from assessments.core.numbers import change_words

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


def _field(item, name: str):
    return item.get(name) if isinstance(item, dict) else getattr(item, name, None)


@register.filter
def change_in_words(figure) -> str:
    """A key figure's change as the figures table writes it (core/numbers.py): "+4.8%",
    "−0.9 points", "Not comparable: …". A figure of an edition frozen before the words were
    kept is worded from its stored change the same way."""
    words = _field(figure, "change_in_words")
    if words:
        return words
    change = _field(figure, "change")
    if change is not None:
        return change_words(change, is_rate=bool(_field(figure, "is_rate")))
    return str(_field(figure, "direction") or "").capitalize()


@register.filter
def signed_percent(change) -> str:
    """A per cent change with its sign and a real minus sign ("+20.3%", "−2.6%")."""
    return change_words(change, is_rate=False)
