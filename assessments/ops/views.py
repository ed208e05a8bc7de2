"""/healthz: the load balancer's and the operator's view of the site's health."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache

from assessments.ops.health import health_checks
from assessments.ops.permissions import may_see_health_details


@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """200 when every part the site needs works, 503 otherwise; a failing cache keeps 200 and
    says "degraded". Details only for operators and analysts."""
    checks = health_checks()
    healthy = all(check.ok for check in checks if check.required)
    status = 200 if healthy else 503
    if may_see_health_details(request.user):
        details = {c.name: {"ok": c.ok, "detail": c.detail} for c in checks}
        body = {"healthy": healthy, "checks": details}
        if not all(check.ok for check in checks):
            body["degraded"] = True
        return JsonResponse(body, status=status)
    return HttpResponse(
        "ok" if healthy else "unavailable", status=status, content_type="text/plain"
    )
