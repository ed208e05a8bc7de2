"""The admin's tenancy rule, walked over every admin URL pattern.

Two partnerships share a police force and a person (`tests/admin_world.py`). Each analyst asks
every admin address for the other partnership's rows: change, delete and history pages,
versions, passwords, grants, "view on site" under odd spellings of the ids, and changelists
with each of their filters set to the other partnership's rows, import pages and exports. Every
answer is checked for the other partnership's marker word; addresses of a row are refused (404,
or 403 where the user may not use that screen at all).

`test_every_admin_url_pattern_is_classified` walks the resolver: a new admin address fails it
until the walk knows how to ask for it."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

import pytest
from django.contrib import admin
from django.contrib.admin.utils import get_fields_from_path
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessments.core.models import Membership, Organisation, Recommendation
from assessments.indicators.models import Indicator

from .admin_world import MARKERS
from .url_patterns import url_patterns

pytestmark = pytest.mark.django_db

SIDES = [("a", "b"), ("b", "a")]  # (the analyst's partnership, the other one)
REFUSED = (403, 404)
ACTION = re.compile(r"^admin:(?P<app>[a-z]+)_(?P<model>[a-z]+)_(?P<action>\w+)$")
# Admin pages about no row, and what they are.
SITE_WIDE = {
    "admin:index": "list of admin sections",
    "admin:app_list": "list of an app's sections",
    "admin:login": "sign-in form",
    "admin:logout": "sign-out",
    "admin:password_change": "one's own password",
    "admin:password_change_done": "one's own password",
    "admin:jsi18n": "translations",
}
ODD_SPELLINGS = ["{}", "%20{}", "+{}", "0{}", "{}%20", "%09{}", "{}.0"]


def admin_patterns() -> list[tuple[str | None, str]]:
    return [(n, r) for n, r in url_patterns() if r.startswith("admin/")]


@dataclass
class Probe:
    """One request of the walk and whether it must be refused."""

    url: str
    refused: bool
    method: str = "get"
    data: dict = field(default_factory=dict)


def _row(world, side: str, model: str):
    """The row of `side` that an address of `model` asks for."""
    if model == "group":
        return world[side]["organisation"].group
    return world[side].get(model)


def _model_admin(app: str, model: str):
    return next(
        (a for m, a in admin.site._registry.items() if (m._meta.app_label, m._meta.model_name)
         == (app, model)),
        None,
    )  # fmt: skip


def _filter_probes(world, foreign, app, model, url) -> list[Probe]:
    """The changelist with each related-field filter set to the other partnership's row."""
    model_admin = _model_admin(app, model)
    probes = []
    for entry in model_admin.list_filter:
        if isinstance(entry, type):  # a SimpleListFilter: its own choices, no related rows
            continue
        path = entry if isinstance(entry, str) else entry[0]
        related = get_fields_from_path(model_admin.model, path)[-1]
        if not related.is_relation:
            probes.append(Probe(f"{url}?{path}__exact=x", refused=False))
            continue
        row = _row(world, foreign, related.related_model._meta.model_name)
        assert row is not None, f"tests/admin_world.py has no {related.related_model} row"
        probes.append(Probe(f"{url}?{path}__id__exact={row.pk}", refused=False))
    return probes


def _row_probes(world, own, foreign, app, model, action, name) -> list[Probe] | None:
    """Probes of one model admin address, or None if the walk does not know the action."""
    pk = _row(world, foreign, model).pk
    url = lambda *args: reverse(name, args=args)  # noqa: E731
    if action == "changelist":
        base = url()
        return [Probe(base, refused=False), *_filter_probes(world, foreign, app, model, base)]
    if action in ("add", "import", "police_uk"):
        return [Probe(url(), refused=False)]
    if action == "process_import":
        return [Probe(url(), refused=False, method="post")]
    if action == "export":
        return [Probe(url(), refused=False)]  # the files: test_exports_hold_only_...
    if action in ("change", "history", "delete"):
        data = {"post": "yes"} if action == "delete" else {}
        # Odd spellings of the id are refused too, never an error page. (Django's own admins of
        # groups and sign-in records, for operators only, redirect to the index for an id with
        # no row before refusing: that names nothing of any partnership.)
        spellings = ("0{}", " {}", "{}x") if app == "assessments" else ()
        odd = [Probe(url(spelling.format(pk)), refused=True) for spelling in spellings]
        return [Probe(url(pk), refused=True), Probe(url(pk), True, "post", data), *odd]
    if action == "simple_history":
        version = _row(world, foreign, model).history.latest("history_date").history_id
        return [Probe(url(pk, version), refused=True)]
    if action == "permissions":
        return [Probe(url(pk), refused=True)]
    if action in ("permissions_manage_user", "permissions_manage_group"):
        kind = "user" if action.endswith("user") else "group"
        own_appendix, theirs = world[own]["appendix"].pk, _row(world, foreign, kind).pk
        mine = _row(world, own, kind).pk
        return [Probe(url(own_appendix, theirs), refused=True),
                Probe(url(pk, mine), refused=True)]  # fmt: skip
    if action == "password_change" and model == "user":
        return [Probe(url(pk), refused=True), Probe(url(world["shared_person"].pk), True),
                Probe(url(world["operator"].pk), refused=True)]  # fmt: skip
    return None


def _view_on_site_probes(world, foreign) -> list[Probe]:
    probes = []
    for key in ("assessment", "chapter", "appendix", "comment", "reportexport"):
        row = world[foreign][key]
        content_type = ContentType.objects.get_for_model(row).pk
        for spelling in ODD_SPELLINGS:
            probes += [
                Probe(f"/admin/r/{spelling.format(content_type)}/{row.pk}/", refused=True),
                Probe(f"/admin/r/{content_type}/{spelling.format(row.pk)}/", refused=True),
            ]
    return probes


def _models_with_admin_forms() -> set:
    """Every model admin's model and the models of its inlines, whose autocomplete boxes ask
    admin for rows too."""
    models = set(admin.site._registry)
    for model_admin in admin.site._registry.values():
        models |= {inline.model for inline in model_admin.inlines}
    return models


def _autocomplete_probes() -> list[Probe]:
    """Every foreign key and many-to-many field of every model admin and inline, as
    autocomplete would be asked for it: refused unless it is an autocomplete field, and then
    scoped."""
    probes = []
    for model in _models_with_admin_forms():
        for db_field in model._meta.get_fields():
            if db_field.is_relation and db_field.concrete:
                query = (f"app_label={model._meta.app_label}&model_name={model._meta.model_name}"
                         f"&field_name={db_field.name}&term=")  # fmt: skip
                probes.append(Probe(f"{reverse('admin:autocomplete')}?{query}", refused=False))
    return probes


def probes_for(name: str | None, route: str, world, own: str, foreign: str) -> list[Probe] | None:
    """Everything the walk asks of one admin URL pattern, or None if it cannot classify it."""
    if name in SITE_WIDE:
        kwargs = {"app_label": "assessments"} if name == "admin:app_list" else {}
        method = "post" if name == "admin:logout" else "get"
        return [Probe(reverse(name, kwargs=kwargs), refused=False, method=method)]
    if name in ("view_on_site_in_scope", "admin:view_on_site"):
        return _view_on_site_probes(world, foreign)
    if name == "admin:autocomplete":
        return _autocomplete_probes()
    if name is None and route == "admin/(?P<url>.*)$":  # admin's catch-all
        return [Probe(f"/admin/no-such-page/{world[foreign]['chapter'].pk}/", refused=True)]
    if name is None:  # admin/<app>/<model>/<id>/ redirects to the change page (walked above)
        return [] if re.fullmatch(r"admin/\w+/\w+/<path:object_id>/", route) else None
    if name == "admin:auth_user_password_change":
        return _row_probes(world, own, foreign, "assessments", "user", "password_change", name)
    matched = ACTION.match(name)
    if matched is None or _model_admin(matched["app"], matched["model"]) is None:
        return None
    return _row_probes(world, own, foreign, *matched.groups(), name)


PATTERNS = admin_patterns()


def test_every_admin_url_pattern_is_classified(world):
    unknown = [(n, r) for n, r in PATTERNS if probes_for(n, r, world, "a", "b") is None]
    assert unknown == [], f"Teach the tenancy walk these admin addresses: {unknown}"


def test_every_admin_model_has_rows_in_the_world(world):
    missing = [
        model._meta.model_name
        for model in admin.site._registry
        if _row(world, "b", model._meta.model_name) is None
    ]  # fmt: skip
    assert missing == [], f"Add rows of these models to tests/admin_world.py: {missing}"


def _body(response) -> str:
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    return raw.decode(errors="replace")


@pytest.mark.parametrize("own, foreign", SIDES)
@pytest.mark.parametrize("name, route", PATTERNS, ids=[n or r for n, r in PATTERNS])
def test_an_analyst_gets_nothing_of_the_other_partnership(client, name, route, own, foreign, world):
    client.force_login(world[own]["analyst"])
    failures = []
    for probe in probes_for(name, route, world, own, foreign):
        response = getattr(client, probe.method)(probe.url, probe.data)
        if MARKERS[foreign] in _body(response):
            failures.append(f"{probe.method} {probe.url}: shows {MARKERS[foreign]}")
        if probe.refused and response.status_code not in REFUSED:
            failures.append(f"{probe.method} {probe.url}: {response.status_code}, not refused")
    assert failures == []


# Rows shared by the two partnerships ---------------------------------------------------------


@pytest.mark.parametrize("own, foreign", SIDES)
def test_shared_rows_show_only_the_analysts_own_link(client, own, foreign, world):
    client.force_login(world[own]["analyst"])
    shared = {
        "organisation": world["shared_organisation"],
        "user": world["shared_person"],
    }
    for model, row in shared.items():
        change = client.get(reverse(f"admin:assessments_{model}_change", args=[row.pk]))
        assert change.status_code == 200
        assert MARKERS[foreign] not in _body(change)
        assert "historylink" not in _body(change)  # no link to the refused history
        own_row = world[own][model]
        own_page = client.get(reverse(f"admin:assessments_{model}_change", args=[own_row.pk]))
        assert "historylink" in _body(own_page)
        for refused in ("history", "delete"):
            url = reverse(f"admin:assessments_{model}_{refused}", args=[row.pk])
            response = client.get(url)
            assert response.status_code == 403, (url, response.status_code)
            assert MARKERS[foreign] not in _body(response)


def test_the_operator_sees_and_changes_shared_rows(client, world):
    client.force_login(world["operator"])
    org = world["shared_organisation"]
    page = client.get(reverse("admin:assessments_organisation_change", args=[org.pk]))
    assert MARKERS["a"] in _body(page) and MARKERS["b"] in _body(page)
    response = client.post(
        reverse("admin:assessments_organisation_change", args=[org.pk]),
        {"name": "Renamed Constabulary", "kind": "police",
         "partnerships": [world["a"]["partnership"].pk]},
    )  # fmt: skip
    assert response.status_code == 302
    org.refresh_from_db()
    assert org.name == "Renamed Constabulary"
    assert list(org.partnerships.values_list("slug", flat=True)) == ["alpha"]


# Every import-export resource exports and looks rows up within the user's partnerships -----

EXPORTS = {
    "indicator": "name",
    "geography": "name",
    "observation": "partnership",
    "recommendation": "text",
}


@pytest.mark.parametrize("own, foreign", SIDES)
@pytest.mark.parametrize("model", EXPORTS)
def test_exports_hold_only_the_analysts_partnership(client, model, own, foreign, world):
    client.force_login(world[own]["analyst"])
    url = reverse(f"admin:assessments_{model}_export")
    form = client.get(url).context["form"]
    chosen = ("format", "resource", "export_items")
    ticked = {name: "on" for name in form.fields if name not in chosen}
    response = client.post(url, {"format": 0, "resource": 0, **ticked})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    column = EXPORTS[model]
    own_value = world[own]["partnership"].slug if column == "partnership" else MARKERS[own]
    assert rows and all(own_value in row[column] for row in rows), rows
    assert MARKERS[foreign] not in response.content.decode()
    # Asking for the other partnership's rows by id exports none of them.
    theirs = {"export_items": [world[foreign][model].pk]}
    response = client.post(url, {"format": 0, "resource": 0, **ticked, **theirs})
    assert MARKERS[foreign] not in _body(response)


# Imports look rows up within the importer's partnerships -------------------------------------

FOREIGN_ROWS = {
    "indicator": "partnership,code,name,source\nbeta,b-crime,Mine now,Police\n",
    "geography": "partnership,level,code,name\nbeta,area,E0b,Mine now\n",
    "observation": "partnership,indicator,geography,period_type,period_start,value\n"
    "beta,b-crime,E0b,m,2016-04-01,99\n",
    "recommendation": "id,chapter_id,order,text,status\n{recommendation},{chapter},1,Mine now,"
    "provisional\n",
}


@pytest.mark.parametrize("model", FOREIGN_ROWS)
def test_an_import_naming_the_other_partnerships_rows_is_refused_without_showing_them(
    client, model, world
):
    client.force_login(world["a"]["analyst"])
    csv = FOREIGN_ROWS[model].format(
        recommendation=world["b"]["recommendation"].pk, chapter=world["a"]["chapter"].pk
    )
    upload = SimpleUploadedFile("rows.csv", csv.encode(), content_type="text/csv")
    response = client.post(
        reverse(f"admin:assessments_{model}_import"),
        {"import_file": upload, "format": "0", "resource": "0"},
    )
    assert response.status_code == 200
    result = response.context["result"]
    # Refused before any row of the other partnership is read: no preview of any row.
    assert result.has_errors() or result.has_validation_errors()
    assert [row.diff for row in result.rows if row.diff] == []
    assert MARKERS["b"] not in _body(response)
    assert not Recommendation.objects.filter(text="Mine now").exists()
    assert world["b"]["recommendation"].text.startswith(MARKERS["b"])
    assert not Indicator.objects.filter(name="Mine now").exists()


def test_a_membership_of_the_other_partnership_cannot_be_added_to_a_shared_person(client, world):
    person = world["shared_person"]
    client.force_login(world["a"]["analyst"])
    own = person.memberships.get(partnership=world["a"]["partnership"])
    client.post(
        reverse("admin:assessments_user_change", args=[person.pk]),
        {"memberships-TOTAL_FORMS": "2", "memberships-INITIAL_FORMS": "1",
         "memberships-0-id": own.pk, "memberships-0-user": person.pk,
         "memberships-0-partnership": own.partnership_id, "memberships-0-role": "partner",
         "memberships-1-user": person.pk, "memberships-1-partnership": Organisation.objects.none(),
         "memberships-1-role": "analyst"},
    )  # fmt: skip
    roles = dict(Membership.objects.filter(user=person).values_list("partnership__slug", "role"))
    assert roles == {"alpha": "partner", "beta": "chair"}
