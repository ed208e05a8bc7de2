from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache

from . import permissions
from .services.health import health_checks


@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """200 when every part works, 503 otherwise; details only for operators and analysts."""
    checks = health_checks()
    healthy = all(check.ok for check in checks)
    status = 200 if healthy else 503
    if permissions.may_see_health_details(request.user):
        details = {c.name: {"ok": c.ok, "detail": c.detail} for c in checks}
        return JsonResponse({"healthy": healthy, "checks": details}, status=status)
    return HttpResponse(
        "ok" if healthy else "unavailable", status=status, content_type="text/plain"
    )
