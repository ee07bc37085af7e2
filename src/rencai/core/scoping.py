"""Scoping as data: each model declares once who may see its rows; one queryset, fetch and prefetch use it.

A model says where its rows hang (its zone, its enterprise, its institution, the person it belongs to):

    class Need(models.Model):
        scope = Scope(zone="enterprise__zone", enterprise="enterprise")
        objects = ScopedQuerySet.as_manager()

and `Need.objects.visible_to(user)` gives each role its rows: office staff by zone (a city-level staff
member every zone of the city), an enterprise user their enterprise's, a liaison their institution's, a
person their own. Pages, exports and the API all start from it, detail pages fetch with
`get_visible_or_404` and render related sets with `visible_related` / `VisiblePrefetch`, so what a page
shows next to a record is scoped as the record is (NetBox's RestrictedQuerySet and RestrictedPrefetch).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Self, cast

from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured, PermissionDenied
from django.db import models
from django.db.models import Prefetch, Q
from django.http import Http404

from rencai.core.roles import STAFF, Role

if TYPE_CHECKING:
    from rencai.core.models import User

SELF = "self"  # the row itself is the enterprise / institution / bureau


def resolve_field(model: type[models.Model], name: str) -> Any:
    """The field (forward or reverse) a lookup part names, by query name or by accessor name."""
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        for rel in model._meta.related_objects:
            if rel.get_accessor_name() == name:
                return rel
        raise


def walk_path(model: type[models.Model], path: str) -> tuple[type[models.Model], bool]:
    """The model a path of relations arrives at, and whether it crosses a to-many relation on the way."""
    crosses_many = False
    for part in path.split("__"):
        found = resolve_field(model, part)
        if not found.is_relation:
            raise ImproperlyConfigured(f"{model.__name__}.{part} is not a relation (scope path {path!r})")
        crosses_many = crosses_many or bool(found.many_to_many or found.one_to_many)
        model = found.related_model
    return model, crosses_many


@dataclass(frozen=True)
class Scope:
    zone: str | None = None  # path to a Zone: office staff of that zone (or of its city, if city level)
    city: str | None = None  # path to a City, for rows whose zone is empty (city-wide rows)
    enterprise: str | None = None  # path to an Enterprise (or SELF): its member users (Role.ENTERPRISE)
    institution: str | None = None  # path to an Institution (or SELF): its liaisons (Role.LIAISON)
    person: str | None = None  # path to the User the row belongs to: that user, whatever the role
    bureau: str | None = None  # path to a Bureau (or SELF): its staff (Role.BUREAU)
    shared_with: frozenset[str] = frozenset()  # roles that see every row (city-wide reference data)
    parties_see: Q | None = None  # extra condition for non-staff roles (e.g. ~Q(status="proposed"))
    model: type[models.Model] | None = field(default=None, compare=False, repr=False)

    def __set_name__(self, owner: type[models.Model], name: str) -> None:
        if self.model is None:
            object.__setattr__(self, "model", owner)

    # --- the condition ---------------------------------------------------------------------------------

    def q_for(self, user: User | None) -> Q | None:
        """The rows `user` may see as one Q (an empty Q is every row); None when nothing is visible."""
        if user is None or not user.is_authenticated or not user.role:
            return None
        if user.role in self.shared_with:
            return Q()
        terms: list[Q] = []
        if user.role in STAFF:
            terms += self._staff_terms(user)
        else:
            party = self._party_term(user)
            if party is not None:
                terms.append(party if self.parties_see is None else party & self.parties_see)
        if self.person and not (user.role in STAFF and terms and not self._owns_any(user)):
            person = self._through(self.person, Q(**{self.person: user.pk}))
            terms.append(person if user.role in STAFF or self.parties_see is None else person & self.parties_see)
        if not terms:
            return None
        combined = terms[0]
        for term in terms[1:]:
            combined |= term
        return combined

    def _owns_any(self, user: User) -> bool:
        """Whether this staff user owns rows of the model as a person (an office clerk who is also a talent).

        Most staff own none; leaving their `OR person = me` out of the zone condition lets the database walk
        the zone's (zone, ordering) index for a list page instead of sorting the whole zone. One indexed
        lookup, remembered on the user object for the request.
        """
        if self.model is None or not self.person:
            return True
        known: dict[str, bool] = user.__dict__.setdefault("_scope_owns_rows", {})
        label = self.model._meta.label
        if label not in known:
            known[label] = self.model._base_manager.filter(**{self.person: user.pk}).exists()
        return known[label]

    def _staff_terms(self, user: User) -> list[Q]:
        terms: list[Q] = []
        city_id = user.city_id or (user.zone.city_id if user.zone else None)
        if self.zone:
            if user.zone_id:
                terms.append(self._through(self.zone, Q(**{self.zone: user.zone_id})))
            elif city_id:
                terms.append(self._through(self.zone, Q(**{f"{self.zone}__city": city_id})))
            else:
                return [Q()]  # staff of no city and no zone: the whole installation (as User.zone_q)
        if self.city:
            if city_id is None:
                return [Q()]
            city_rows = Q(**{self.city: city_id})
            if self.zone:
                city_rows &= Q(**{f"{self.zone}__isnull": True})
            terms.append(self._through(self.city, city_rows))
        return terms

    def _party_term(self, user: User) -> Q | None:
        from rencai.core.models import Bureau
        from rencai.orgs.models import Enterprise, Institution

        if user.role == Role.ENTERPRISE and self.enterprise:
            return self._member_of(self.enterprise, Enterprise.objects.filter(members=user))
        if user.role == Role.LIAISON and self.institution:
            return self._member_of(self.institution, Institution.objects.filter(liaisons=user))
        if user.role == Role.BUREAU and self.bureau and user.bureau_id:
            return self._member_of(self.bureau, Bureau.objects.filter(pk=user.bureau_id))
        return None

    def _member_of(self, path: str, owners: models.QuerySet[Any]) -> Q:
        lookup = "pk" if path == SELF else path
        return self._through(lookup, Q(**{f"{lookup}__in": owners.values("pk")}))

    def _through(self, path: str, condition: Q) -> Q:
        """`condition`, as a pk__in subquery when `path` crosses a to-many relation, so rows never repeat."""
        if path == "pk" or self.model is None:
            return condition
        _, crosses_many = walk_path(self.model, path)
        if not crosses_many:
            return condition
        return Q(pk__in=self.model._base_manager.filter(condition).values("pk"))

    # --- checking a single row in Python (used by the generated scoping test) ---------------------------

    def paths(self) -> dict[str, str]:
        return {k: v for k in ("zone", "city", "enterprise", "institution", "person", "bureau")
                if (v := getattr(self, k))}


def scope_of(model: type[models.Model]) -> Scope:
    scope = getattr(model, "scope", None)
    if not isinstance(scope, Scope):
        raise ImproperlyConfigured(f"{model._meta.label} declares no scope: add `scope = Scope(...)`")
    if scope.model is None:
        object.__setattr__(scope, "model", model)
    return scope


class _VisiblePrefetch(Prefetch):
    """A Prefetch whose queryset is scoped to a user; without a queryset it is resolved from the root model."""

    def __init__(self, lookup: str, user: User, queryset: models.QuerySet[Any] | None = None,
                 to_attr: str | None = None) -> None:
        self.visible_user = user
        if queryset is not None:
            queryset = cast("ScopedQuerySet", queryset).visible_to(user)
        super().__init__(lookup, queryset=queryset, to_attr=to_attr)

    def resolve(self, root: type[models.Model]) -> None:
        if self.queryset is not None:
            return
        model = root
        for part in self.prefetch_through.split("__"):
            model = resolve_field(model, part).related_model
        self.queryset = cast("ScopedQuerySet", model._default_manager.all()).visible_to(self.visible_user)


class ScopedQuerySet(models.QuerySet):
    """The one queryset of every scoped model: `visible_to(user)` reads the model's `scope`."""

    def visible_to(self, user: User | None) -> Self:
        condition = scope_of(self.model).q_for(user)
        return self.none() if condition is None else self.filter(condition)

    def prefetch_related(self, *lookups: Any) -> Self:
        for lookup in lookups:
            if isinstance(lookup, _VisiblePrefetch):
                lookup.resolve(self.model)
        return super().prefetch_related(*lookups)


def VisiblePrefetch(lookup: str, user: User, queryset: models.QuerySet[Any] | None = None,  # noqa: N802
                    to_attr: str | None = None) -> Prefetch:
    """`prefetch_related(VisiblePrefetch("postdocs", user))`: the prefetched rows are those `user` may see."""
    make: Any = _VisiblePrefetch  # through Any: django-stubs' Prefetch hook crashes on Prefetch subclasses
    return make(lookup, user, queryset, to_attr)


def visible_related(manager: Any, user: User | None) -> models.QuerySet[Any]:
    """`visible_related(station.postdocs, user)`: the related rows of a detail page, scoped like any list."""
    return manager.all().visible_to(user)


def get_visible_or_404(user: User | None, model_or_queryset: Any, **lookup: Any) -> Any:
    """The row `user` may see, else 404; a row that exists but is out of scope also leaves an audit entry."""
    if isinstance(model_or_queryset, models.QuerySet):
        queryset = model_or_queryset
    elif isinstance(model_or_queryset, type) and issubclass(model_or_queryset, models.Model):
        queryset = model_or_queryset._default_manager.all()
    else:  # a manager, e.g. a related manager
        queryset = model_or_queryset.all()
    try:
        return cast("ScopedQuerySet", queryset).visible_to(user).get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        pass
    except queryset.model.MultipleObjectsReturned:
        raise Http404 from None
    if _exists_unscoped(queryset, lookup):
        from rencai.core.audit import audit_record

        audit_record(action="denied", user=user if user is not None and user.is_authenticated else None,
                     object_type=queryset.model._meta.label_lower, object_id=str(lookup.get("pk", "")),
                     allowed=False, detail={"reason": "out_of_scope"})
    raise Http404(f"{queryset.model._meta.verbose_name}不存在或不在您的可见范围内")


def _exists_unscoped(queryset: models.QuerySet[Any], lookup: dict[str, Any]) -> bool:
    try:
        return queryset.model._base_manager.filter(**lookup).exists()
    except (ValueError, TypeError):
        return False


def is_city_level(user: User | None) -> bool:
    """Office staff of the whole city (no zone): the only ones who change the data all zones share."""
    return bool(user is not None and user.is_authenticated and user.role in STAFF and user.zone_id is None)


def city_level_refusal(what: str) -> str:
    return f"{what}是全市共用的数据，只有市级工作人员可以修改；旗区/园区工作人员可以查看"


def require_city_level(user: User | None, what: str) -> None:
    """Refuse a write of city-wide reference data (tier rules, thesaurus, learned weights, postdoc settings,
    institutions, policies) by anyone but city-level staff: a zone's staff may read it, not change it for all.
    Pages answer with `rencai.core.access.deny(request, city_level_refusal(what))` to show the reason."""
    if not is_city_level(user):
        raise PermissionDenied(city_level_refusal(what))


def scoped_models() -> list[type[models.Model]]:
    """Every concrete model of the installed apps that declares a scope."""
    from django.apps import apps

    return [m for m in apps.get_models() if isinstance(getattr(m, "scope", None), Scope)]
