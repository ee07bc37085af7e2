"""One inbox for every app: register a kind of notice once, notify people, count what they have not read.

    register_kind("postdoc.deadline", "博士后期限提醒", default_channels=("inbox", "email"))
    notify(recipients=[user], kind="postdoc.deadline", text="…", subject=postdoc,
           dedupe_key=f"{postdoc.pk}:开题:2027-03-01:30", url=postdoc.get_absolute_url())

Every notice lands in the recipient's inbox (``/inbox/``); e-mail and SMS are extra channels a person chooses per
kind (the kind's ``default_channels`` until they choose), delivered by a background task
(``rencai.core.delivery.deliver_notice``) so a slow mail server never holds up the change that caused the notice.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, models, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.module_loading import autodiscover_modules

from rencai.core.notice_models import Notice, NoticePreference

if TYPE_CHECKING:
    from rencai.core.models import User

logger = logging.getLogger(__name__)

INBOX, EMAIL, SMS = "inbox", "email", "sms"
CHANNELS: dict[str, str] = {INBOX: "站内消息", EMAIL: "电子邮件", SMS: "短信"}


@dataclass(frozen=True)
class Kind:
    key: str
    label: str | Promise  # gettext_lazy: read in the language of each request
    default_channels: tuple[str, ...]


KINDS: dict[str, Kind] = {}
_discovered = False


def _kinds() -> dict[str, Kind]:
    """The registered kinds, after importing every app's ``notices`` module once (as the admin finds admin.py)."""
    global _discovered
    if not _discovered:
        _discovered = True
        autodiscover_modules("notices")
    return KINDS


def register_kind(key: str, label: str | Promise, *, default_channels: tuple[str, ...] = (INBOX,)) -> None:
    """Declare a kind of notice (once, at import or in AppConfig.ready); registering it again replaces it."""
    unknown = set(default_channels) - set(CHANNELS)
    if unknown:
        raise ValueError(f"消息类型 {key} 的接收方式无效：{'、'.join(sorted(unknown))}")
    channels = tuple(c for c in CHANNELS if c in default_channels or c == INBOX)
    KINDS[key] = Kind(key=key, label=label, default_channels=channels)


def kind_label(key: str) -> str:
    kind = _kinds().get(key)
    return str(kind.label) if kind else key


def channels_for(user: Any, kind: str) -> tuple[str, ...]:
    """The channels this person gets this kind through: their own choice, else the kind's default."""
    chosen = NoticePreference.objects.filter(user=user, kind=kind).values_list("channels", flat=True).first()
    if chosen is not None:
        return tuple(c for c in CHANNELS if c in chosen or c == INBOX)
    registered = _kinds().get(kind)
    return registered.default_channels if registered else (INBOX,)


def notify(*, recipients: Iterable[User], kind: str, text: str, subject: models.Model | None = None,
           dedupe_key: str = "", url: str = "") -> list[Notice]:
    """One notice per recipient (each person once, however often listed); returns the notices it created.

    With a dedupe key a rerun creates none for someone who already has it, also when two runs race (the
    conditional unique constraint decides, inside a savepoint). New notices whose recipient chose e-mail or SMS
    for this kind are handed to the delivery task.
    """
    if kind not in _kinds():
        logger.warning("notice kind %s was never registered; delivered to the inbox only", kind)
    subject_type = ContentType.objects.get_for_model(subject) if subject is not None else None
    subject_id = subject.pk if subject is not None else None
    people: dict[int, Any] = {}
    for person in recipients:
        if person is not None and person.pk is not None:
            people.setdefault(person.pk, person)
    fields = {"text": text, "url": url[:300], "subject_type": subject_type, "subject_id": subject_id}
    created: list[Notice] = []
    for person in people.values():
        if dedupe_key:
            try:
                with transaction.atomic():
                    notice, is_new = Notice.objects.get_or_create(
                        recipient=person, kind=kind, dedupe_key=dedupe_key, defaults=fields)
            except IntegrityError:  # another run created it between our read and our insert
                continue
            if not is_new:
                continue
        else:
            notice = Notice.objects.create(recipient=person, kind=kind, **fields)
        created.append(notice)
    _hand_to_delivery(created)
    return created


def _hand_to_delivery(notices: list[Notice]) -> None:
    from rencai.core.delivery import deliver_notice, reachable

    if not notices:
        return
    kind = notices[0].kind  # one notify() call, one kind: the choices of all its recipients in one query
    chosen = dict(NoticePreference.objects.filter(kind=kind, user__in=[n.recipient_id for n in notices])
                  .values_list("user_id", "channels"))
    registered = _kinds().get(kind)
    default = registered.default_channels if registered else (INBOX,)
    for notice in notices:
        extra = [c for c in chosen.get(notice.recipient_id, default) if c != INBOX]
        if any(reachable(notice.recipient, channel) for channel in extra):
            # The database task backend stores the task in this same transaction: no notice, no delivery.
            deliver_notice.enqueue(notice.pk)


def unread_count(user: Any, *, kinds: Iterable[str] | None = None) -> int:
    """How many of this person's notices are unread (optionally of some kinds only): one indexed COUNT query."""
    if user is None or not user.is_authenticated:
        return 0
    queryset = Notice.objects.filter(recipient=user, read_at__isnull=True)
    if kinds is not None:
        queryset = queryset.filter(kind__in=list(kinds))
    return queryset.count()


def notices_about(subject: models.Model, *, kinds: Iterable[str] | None = None) -> models.QuerySet[Notice]:
    """Every notice sent about one record, to anyone (for staff pages that show what was sent)."""
    queryset = Notice.objects.filter(subject_type=ContentType.objects.get_for_model(subject), subject_id=subject.pk)
    return queryset.filter(kind__in=list(kinds)) if kinds is not None else queryset


def notice_open(*, notice: Notice, by: Any) -> Notice:
    """Mark one of the reader's own notices read (opening it again changes nothing)."""
    if notice.recipient_id != by.pk:
        raise PermissionError("只能阅读发给自己的消息")
    if notice.read_at is None:
        Notice.objects.filter(pk=notice.pk, read_at__isnull=True).update(read_at=timezone.now())
        notice.refresh_from_db(fields=["read_at"])
    return notice


def notices_mark_all_read(*, by: Any, kinds: Iterable[str] | None = None) -> int:
    """全部标为已读: every unread notice of the reader (optionally of some kinds); returns how many changed."""
    queryset = Notice.objects.filter(recipient=by, read_at__isnull=True)
    if kinds is not None:
        queryset = queryset.filter(kind__in=list(kinds))
    return queryset.update(read_at=timezone.now())


def preferences_for(user: Any) -> list[tuple[Kind, tuple[str, ...]]]:
    """Every registered kind with the channels this person gets it through, in label order."""
    chosen = dict(NoticePreference.objects.filter(user=user).values_list("kind", "channels"))
    rows = []
    for kind in sorted(_kinds().values(), key=lambda k: k.key):
        channels = chosen.get(kind.key)
        current = tuple(c for c in CHANNELS if c in channels or c == INBOX) if channels is not None \
            else kind.default_channels
        rows.append((kind, current))
    return rows


def notice_preferences_save(*, by: Any, choices: Mapping[str, Iterable[str]],
                            request: HttpRequest | None = None) -> int:
    """Store the reader's channels per kind (the inbox always included); returns how many kinds changed."""
    from rencai.core.audit import audit_record

    changed = 0
    with transaction.atomic():
        for kind, current in preferences_for(by):
            wanted = tuple(c for c in CHANNELS if c in set(choices.get(kind.key, ())) or c == INBOX)
            if wanted == current:
                continue
            NoticePreference.objects.update_or_create(user=by, kind=kind.key, defaults={"channels": list(wanted)})
            changed += 1
        if changed:
            audit_record(action="update", request=request, user=by, object_type="core.noticepreference",
                         object_id=str(by.pk), object_repr=f"{by} 的消息接收方式",
                         detail={"kinds_changed": changed})
    return changed
