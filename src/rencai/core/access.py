"""Deny by default: every view declares the roles that may use it; anything undeclared is refused.

Pages declare with @allow(...) (functions) or `allowed_roles` (classes); API views with `allowed_roles`,
checked by DeclaredRolePermission after token authentication. The route-walking test reads the same
declarations, so a new view that forgets one fails the suite.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseForbidden, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from rencai.core.audit import audit_record, audit_refusal, bind_request, refusal_audited, unbind_request
from rencai.core.roles import STAFF

if TYPE_CHECKING:
    from django_htmx.middleware import HtmxDetails

    from rencai.core.models import User


class AuthedRequest(HttpRequest):
    """The request a declared (non-public) view receives: AccessMiddleware has let only a signed-in user through.

    For type checking only — views annotate `request: AuthedRequest` so `request.user` is our `User`, not
    `User | AnonymousUser`; at run time it is the ordinary HttpRequest.
    """

    user: User
    htmx: HtmxDetails  # django_htmx's middleware sets it on every request


PUBLIC = "public"  # pages anyone may open: log-in, the API schema, static health
NOT_FOUND_REASON = "记录不存在或不在您的范围内（404）"
CSRF_REASON = "CSRF 安全校验失败"
BAD_QUERY_REASON = "请求地址的查询参数中含有不允许的控制字符（NUL），请检查后重试。"


def allow(*roles: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    def mark(view: Callable[..., Any]) -> Callable[..., Any]:
        view.allowed_roles = frozenset(roles)  # type: ignore[attr-defined]
        return view

    return mark


SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def city_wide(what: str) -> Callable[[Any], Any]:
    """Declare a page or an API view that writes city-wide reference data (tier rules, thesaurus, learned
    weights, postdoc settings, institutions, policies): its reads stay with its declared roles, its writes
    (POST, PUT, PATCH, DELETE) are refused to anyone but city-level staff (no zone) with a 403 that says why,
    audited — by AccessMiddleware for pages, by DeclaredRolePermission for the API. `what` names the data."""

    def mark(view: Any) -> Any:
        view.city_wide = what
        return view

    return mark


def city_wide_refusal(view_func: Any, request: HttpRequest, user: Any) -> str | None:
    """The reason to refuse this request under a `city_wide` declaration, or None."""
    what = next((getattr(o, "city_wide", None) for o in _view_objects(view_func) if getattr(o, "city_wide", None)),
                None)
    if not what or request.method in SAFE_METHODS:
        return None
    from rencai.core.scoping import city_level_refusal, is_city_level

    return None if is_city_level(user) else city_level_refusal(what)


def unverified_ok(view: Callable[..., Any]) -> Callable[..., Any]:
    """Pages a staff user may open before passing the second factor (enrolment, verification, log-out)."""
    view.allow_unverified = True  # type: ignore[attr-defined]
    return view


def _view_objects(view_func: Callable[..., Any]) -> Iterable[Any]:
    yield view_func
    for attr in ("view_class", "cls"):  # Django class-based views, DRF views
        if hasattr(view_func, attr):
            yield getattr(view_func, attr)


def declared_roles(view_func: Callable[..., Any]) -> frozenset[str] | None:
    for obj in _view_objects(view_func):
        roles = getattr(obj, "allowed_roles", None)
        if roles is not None:
            return frozenset(roles)
    return None


def is_api_view(view_func: Callable[..., Any]) -> bool:
    return hasattr(view_func, "cls")


def needs_second_factor(user: Any) -> bool:
    return bool(settings.RENCAI_REQUIRE_2FA and user.role in STAFF and not user.is_verified())


def deny(request: HttpRequest, reason: str) -> HttpResponse:
    audit_record(action="denied", request=request, allowed=False, detail={"reason": reason})
    request._rencai_refusal_audited = True  # type: ignore[attr-defined]
    response = render(request, "core/denied.html", {"reason": reason}, status=403)
    return response if response.status_code == 403 else HttpResponseForbidden(reason)


class AccessMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if any("\x00" in v for values in request.GET.lists() for v in (values[0], *values[1])):
            # No query can mean a NUL character, and PostgreSQL refuses one in any string: say so, never a 500.
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": BAD_QUERY_REASON}, status=400)
            return HttpResponseBadRequest(f"<!doctype html><meta charset=utf-8><p>{BAD_QUERY_REASON}</p>",
                                          content_type="text/html; charset=utf-8")
        token = bind_request(request)
        try:
            return self.get_response(request)
        finally:
            unbind_request(token)

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        roles = declared_roles(view_func)
        if roles is None:
            return deny(request, "该页面没有声明谁可以访问，默认拒绝")
        if PUBLIC in roles or is_api_view(view_func):
            return None  # API views authenticate tokens themselves; DeclaredRolePermission checks roles
        user = request.user
        if not user.is_authenticated:
            return _to_login(request)
        if needs_second_factor(user) and not any(
            getattr(o, "allow_unverified", False) for o in _view_objects(view_func)
        ):
            return _to_second_factor(request, user)
        if user.role not in roles:
            return deny(request, "您的角色无权访问该页面")
        refusal = city_wide_refusal(view_func, request, user)
        if refusal:
            return deny(request, refusal)
        return None

    def process_exception(self, request: HttpRequest, exception: Exception) -> None:
        """A page that answers 404 to a signed-in user (another zone's record, a guessed number) is audited."""
        if isinstance(exception, Http404) and request.user.is_authenticated and not refusal_audited(request):
            match = getattr(request, "resolver_match", None)
            kwargs = match.kwargs if match else {}
            audit_refusal(request, NOT_FOUND_REASON, obj_type=str(kwargs.get("model") or (match and match.view_name)),
                          obj_id=kwargs.get("pk", next(iter(kwargs.values()), "")))
        return None


def _to_login(request: HttpRequest) -> HttpResponse:
    url = f"{reverse(settings.LOGIN_URL)}?next={request.get_full_path()}"
    if getattr(request, "htmx", False):
        return HttpResponse(status=204, headers={"HX-Redirect": url})
    return redirect(url)


def _to_second_factor(request: HttpRequest, user: Any) -> HttpResponse:
    from django_otp import devices_for_user

    has_device = any(True for _ in devices_for_user(user, confirmed=True))
    return redirect("core:otp_verify" if has_device else "core:otp_enrol")


class DeclaredRolePermission(BasePermission):
    message = "您的角色无权使用该接口"

    def has_permission(self, request: Request, view: Any) -> bool:
        refusal = None
        roles = getattr(view, "allowed_roles", None)
        if roles is None:
            ok = False
        elif PUBLIC in roles:
            return True
        else:
            user = request.user
            session_unverified = (
                user.is_authenticated
                and request.successful_authenticator.__class__.__name__ == "SessionAuthentication"
                and needs_second_factor(user)
            )
            ok = user.is_authenticated and user.role in roles and not session_unverified
            refusal = city_wide_refusal(view, request, user) if ok else None
            if refusal:
                self.message, ok = refusal, False
        if not ok:
            request._request._rencai_refusal_audited = True  # type: ignore[attr-defined]  # a marker, not a field
            audit_record(
                action="denied",
                request=request._request,
                user=request.user if request.user.is_authenticated else None,
                allowed=False,
                detail={"reason": refusal or "api"},
            )
        return ok


def require_office(user: Any) -> None:
    """Services refuse office work (adjusting agreements, running rounds …) to anyone but the office's writers.

    Views already declare their roles; this is the same rule again where the write happens, so a service
    called from a task, a command or another app cannot be misused.
    """
    from django.core.exceptions import PermissionDenied

    from rencai.core.roles import REGISTER_WRITERS

    if user.role not in REGISTER_WRITERS:
        raise PermissionDenied("只有人才办工作人员可以进行此操作")
