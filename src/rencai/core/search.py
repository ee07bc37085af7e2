"""Full-text search for list pages: an index of each registered row's searchable text, on both engines.

A list's search used to be `icontains` over several columns: `UPPER(col) LIKE '%q%'`, which reads every row of the
list. Here each row of a registered model has one `SearchDocument` whose `tokens` are the lexemes of its searchable
text, and a search reads only the documents that hold the query's lexemes:

- PostgreSQL: a tsvector column (`vector`, filled from `tokens` by a trigger, taken verbatim with
  `array_to_tsvector`) under a GIN index, matched with `@@` against a tsquery of the query's lexemes;
- SQLite: an FTS5 table over `tokens` (`core_searchdocument_fts`, kept in step by triggers), matched with MATCH.

Lexemes are chosen for recall, so that whatever `icontains` found is still found: every character bigram of each
run of letters and digits, plus rjieba's search-mode words, of the text in two forms — as typed (case-folded) and
normalised as the rest of the search is (full-width folded, Traditional to Simplified, case-folded,
`rencai.core.textnorm`). A query term is looked up by all its bigrams, in either form; so a row containing the
term contains all of its lexemes (a superset of `icontains`: a row can also match when the bigrams are all there
but apart). A query's rjieba words are a third way to match ("钕铁硼永磁" finds "钕铁硼；永磁体"). Whitespace
separates terms that must all appear, in any order and any of the fields. A term of one character (a surname
alone) has no bigram: such a search, like one of punctuation only, keeps `icontains` (`condition` is None);
documents hold no single characters, which keeps them a third narrower.

A search whose answer is short (up to LITERAL_IDS rows) is read first and handed to the list as primary keys, so
the list's statements (count, facets, the page in its order) read those rows by key; a longer answer stays a
subquery.

Models opt in at start-up, in their app's `AppConfig.ready`:

    search.register(Talent, fields=["name", "name_key", "research_directions", ...])

Saves and deletes through the ORM keep documents current (post_save / post_delete, also for the rows a field path
reaches: `talent__name` re-indexes a talent's agreements when the talent is saved); writes that bypass signals
(`bulk_create`, `QuerySet.update`, `core.imports.bulk_insert`) call `index_objects(model, pks)` themselves.
`rencai search_reindex` backfills in batches, skips documents already up to date, and only then marks the model's
index ready: until it is, `condition()` answers None and the list keeps its `icontains` search.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

import rjieba
from django.core.cache import cache as django_cache
from django.core.exceptions import ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS, connections, router
from django.db.models import F, Func, Model, Q, QuerySet, Value
from django.db.models.expressions import RawSQL
from django.db.models.fields import BooleanField, TextField
from django.db.models.signals import post_delete, post_save
from django_tasks import task

from rencai.core.textnorm import fold_width, to_simplified

__all__ = [
    "Registration", "condition", "document_lexemes", "index_missing", "index_objects", "is_ready", "mark_ready",
    "mark_stale", "query_alternatives", "register", "registered", "registrations", "reindex", "reindex_job",
    "reindex_task", "remove_objects", "search_ids", "unregister",
]

# Bump when the choice of lexemes changes: every document's digest changes with it, so `search_reindex` rewrites
# them all and the index is not used until it has.
SCHEME = "1"
MAX_LEXEME = 60  # longer runs are still found through their bigrams; PostgreSQL refuses lexemes over 2 KB
BATCH = 1000
LITERAL_IDS = 2000  # answers up to this many rows are passed to the list's statements as primary keys
FTS_TABLE = "core_searchdocument_fts"
MARKER_ID = 0  # the document (model, 0) marks a model's index complete; no row has the primary key 0
_READY_KEY = "rencai:search:ready:{}"
_READY_SECONDS = 300

_RUN = re.compile(r"[^\W_]+")  # a run of letters and digits (of any script): what a lexeme is made of


# --- lexemes -----------------------------------------------------------------------------------------------------

@cache
def _jieba() -> rjieba.Jieba:
    return rjieba.Jieba()


def _normalised(text: str) -> str:
    return to_simplified(fold_width(text)).casefold()


def _grams(text: str, out: set[str]) -> None:
    for run in _RUN.findall(text):
        out.update(map(str.__add__, run, run[1:]))


def _words(text: str, search_mode: bool) -> list[str]:
    if not text or text.isspace():
        return []
    cut = _jieba().cut_for_search(text) if search_mode else _jieba().cut(text)
    return [w for w in cut if 1 < len(w) <= MAX_LEXEME and _RUN.fullmatch(w)]


def document_lexemes(values: Iterable[str]) -> set[str]:
    """The lexemes of a row's searchable text (its fields' values): characters and bigrams of the text as typed
    and normalised, and rjieba's search-mode words of the normalised text. The values are joined by line breaks
    and treated at once (a line break ends every run and every word, so nothing spans two fields)."""
    text = "\n".join(value for value in values if value)
    lexemes: set[str] = set()
    if not text:
        return lexemes
    typed, normal = text.casefold(), _normalised(text)
    _grams(typed, lexemes)
    if normal != typed:
        _grams(normal, lexemes)
    lexemes.update(_words(normal, search_mode=True))
    return lexemes


def _term_lexemes(text: str) -> list[str]:
    """What a query's text must all match: each run's bigrams. Empty when a run is a single character: documents
    hold no character on its own (only bigrams), so such a search keeps icontains."""
    out: dict[str, None] = {}
    for run in _RUN.findall(text):
        if len(run) == 1:
            return []
        out.update(dict.fromkeys(run[i : i + 2] for i in range(len(run) - 1)))
    return list(out)


def query_alternatives(q: str) -> list[list[str]]:
    """The ways a row can match `q`, each a list of lexemes a document must all hold: the query's characters and
    bigrams as typed, the same normalised, and its rjieba words. Empty when `q` has no letter or digit."""
    alternatives: list[list[str]] = []
    for form in (q.casefold(), _normalised(q)):
        lexemes = _term_lexemes(form)
        if lexemes and lexemes not in alternatives:
            alternatives.append(lexemes)
    if alternatives:
        words = list(dict.fromkeys(_words(_normalised(q), search_mode=False)))
        if words and words not in alternatives:
            alternatives.append(words)
    return alternatives


def _digest(values: Sequence[str], signature: str) -> str:
    return hashlib.blake2b("\x1f".join([signature, *values]).encode(), digest_size=16).hexdigest()


# --- registry ----------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Registration:
    model: type[Model]
    fields: tuple[str, ...]

    @property
    def label(self) -> str:
        return self.model._meta.label_lower

    @property
    def signature(self) -> str:
        """Changes when the scheme or the fields change: documents written under another signature are stale."""
        return hashlib.blake2b(f"{SCHEME}:{','.join(self.fields)}".encode(), digest_size=8).hexdigest()


_REGISTRY: dict[str, Registration] = {}


def register(model: type[Model], *, fields: Sequence[str]) -> Registration:
    """Index `model`'s rows by `fields` (field paths as a ListSpec's search_fields, e.g. "enterprise__name") and
    keep the index current on save and delete, also when a row that a field path reaches is saved."""
    sensitive = set(getattr(model, "sensitive_fields", {}))
    refused = [name for name in fields if name.split("__")[0] in sensitive]
    if refused:
        raise ImproperlyConfigured(f"{model._meta.label}: personal fields are never indexed in plaintext: {refused}")
    if model._meta.pk is None or model._meta.pk.get_internal_type() not in ("AutoField", "BigAutoField",
                                                                             "IntegerField", "BigIntegerField"):
        raise ImproperlyConfigured(f"{model._meta.label}: only models with integer primary keys can be searched")
    registration = Registration(model=model, fields=tuple(fields))
    for path in registration.fields:  # every path must resolve now, not at the first save
        _related_prefixes(model, path)
    _REGISTRY[registration.label] = registration
    uid = f"rencai.core.search:{registration.label}"
    post_save.connect(_on_save, sender=model, dispatch_uid=f"{uid}:save", weak=False)
    post_delete.connect(_on_delete, sender=model, dispatch_uid=f"{uid}:delete", weak=False)
    for path in registration.fields:
        for prefix, related in _related_prefixes(model, path):
            handler = _dependent_handler(registration.label, prefix)
            post_save.connect(handler, sender=related, weak=False,
                              dispatch_uid=f"{uid}:{prefix}:{related._meta.label_lower}")
    return registration


def unregister(model: type[Model]) -> None:
    """Stop indexing `model` (tests; a model dropped from the search). Its documents stay until reindexed."""
    registration = _REGISTRY.pop(model._meta.label_lower, None)
    if registration is None:
        return
    uid = f"rencai.core.search:{registration.label}"
    post_save.disconnect(sender=model, dispatch_uid=f"{uid}:save")
    post_delete.disconnect(sender=model, dispatch_uid=f"{uid}:delete")
    for path in registration.fields:
        for prefix, related in _related_prefixes(model, path):
            post_save.disconnect(sender=related, dispatch_uid=f"{uid}:{prefix}:{related._meta.label_lower}")


def registered(model: type[Model]) -> Registration | None:
    return _REGISTRY.get(model._meta.label_lower)


def registrations() -> list[Registration]:
    return list(_REGISTRY.values())


def _related_prefixes(model: type[Model], path: str) -> list[tuple[str, type[Model]]]:
    """The relation prefixes of a field path and the model each reaches: "station__enterprise__name" on Postdoc →
    [("station", Station), ("station__enterprise", Enterprise)]."""
    out: list[tuple[str, type[Model]]] = []
    current: Any = model
    parts = path.split("__")
    for n, part in enumerate(parts):
        field = current._meta.get_field(part)
        if n == len(parts) - 1:
            if field.is_relation:
                raise ImproperlyConfigured(f"{model._meta.label}: search field {path} names a relation, not a value")
            break
        if not field.is_relation or field.related_model is None:
            raise ImproperlyConfigured(f"{model._meta.label}: {part} in {path} is not a relation")
        current = field.related_model
        out.append(("__".join(parts[: n + 1]), current))
    return out


def _on_save(sender: type[Model], instance: Model, using: str = DEFAULT_DB_ALIAS, **kwargs: Any) -> None:
    index_objects(sender, [instance.pk], using=using)


def _on_delete(sender: type[Model], instance: Model, using: str = DEFAULT_DB_ALIAS, **kwargs: Any) -> None:
    remove_objects(sender, [instance.pk], using=using)


def _dependent_handler(label: str, prefix: str) -> Callable[..., None]:
    def handler(sender: type[Model], instance: Model, using: str = DEFAULT_DB_ALIAS, **kwargs: Any) -> None:
        if kwargs.get("created"):
            return  # nothing pointed at a row that did not exist
        registration = _REGISTRY.get(label)
        if registration is None:
            return
        pks = list(registration.model._base_manager.using(using).filter(**{prefix: instance.pk})
                   .values_list("pk", flat=True))
        index_objects(registration.model, pks, using=using)
    return handler


# --- writing documents -------------------------------------------------------------------------------------------

def _document_model() -> type[Model]:
    from rencai.core.models import SearchDocument

    return SearchDocument


def _batches(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _texts(registration: Registration, pks: Sequence[Any], using: str) -> dict[Any, list[str]]:
    """{pk: [field values]} in the order of the fields; a path through a to-many relation contributes each value."""
    texts: dict[Any, list[list[str]]] = {}
    rows = registration.model._base_manager.using(using).filter(pk__in=pks).values_list("pk", *registration.fields)
    for pk, *values in rows:
        columns = texts.setdefault(pk, [[] for _ in registration.fields])
        for column, value in zip(columns, values, strict=True):
            if value not in (None, "") and str(value) not in column:
                column.append(str(value))
    return {pk: ["\n".join(column) for column in columns] for pk, columns in texts.items()}


def index_objects(model: type[Model], objs: Iterable[Model | Any], *, using: str | None = None) -> int:
    """Write the documents of these rows (instances or primary keys) of a registered model: created when missing,
    rewritten when their text changed, removed when the row is gone. Returns the documents written."""
    registration = registered(model)
    if registration is None:
        return 0
    document = _document_model()
    db = using or router.db_for_write(document)
    pks = list(dict.fromkeys(o.pk if isinstance(o, Model) else o for o in objs))
    written = 0
    for chunk in _batches(pks, BATCH):
        texts = _texts(registration, chunk, db)
        digests = dict(document._base_manager.using(db).filter(model=registration.label, object_id__in=chunk)
                       .values_list("object_id", "digest"))
        rows = []
        for pk, values in texts.items():
            digest = _digest(values, registration.signature)
            if digests.get(pk) != digest:
                rows.append(document(model=registration.label, object_id=pk, digest=digest,
                                     tokens=" ".join(sorted(document_lexemes(values)))))
        if rows:
            document._base_manager.using(db).bulk_create(
                rows, update_conflicts=True, unique_fields=["model", "object_id"],
                update_fields=["tokens", "digest", "vector"])  # vector: as PostgreSQL's trigger made it on INSERT
            written += len(rows)
        gone = [pk for pk in chunk if pk not in texts and pk in digests]
        if gone:
            remove_objects(model, gone, using=db)
    if written:
        # bulk_create sends no signal: say so to the counts core.listing keeps of the lists these rows are in,
        # and of the rows' own table, which the bulk writes calling this (imports, bulk_insert) also bypassed
        from rencai.core.listing import tables_changed

        tables_changed(model, document, using=db)
    return written


def remove_objects(model: type[Model], pks: Iterable[Any], *, using: str | None = None) -> int:
    document = _document_model()
    db = using or router.db_for_write(document)
    ids = [pk for pk in pks if pk != MARKER_ID]
    deleted, _ = document._base_manager.using(db).filter(model=model._meta.label_lower, object_id__in=ids).delete()
    return deleted


def reindex(model: type[Model], *, batch: int = 2000, using: str | None = None,
            progress: Callable[[int, int], None] | None = None) -> tuple[int, int, int]:
    """Bring every document of `model` up to date in batches of primary keys, drop documents whose row is gone,
    then mark the index ready. Safe to interrupt and run again: up-to-date documents are skipped.
    Returns (rows seen, documents written, documents removed)."""
    registration = registered(model)
    if registration is None:
        raise ImproperlyConfigured(f"{model._meta.label} is not registered for search")
    document = _document_model()
    db = using or router.db_for_write(document)
    rows = registration.model._base_manager.using(db)
    seen = written = 0
    last: Any = None
    while True:
        page = rows.order_by("pk")
        if last is not None:
            page = page.filter(pk__gt=last)
        pks = list(page.values_list("pk", flat=True)[:batch])
        if not pks:
            break
        written += index_objects(model, pks, using=db)
        seen += len(pks)
        last = pks[-1]
        if progress:
            progress(seen, written)
    orphans = (document._base_manager.using(db).filter(model=registration.label).exclude(object_id=MARKER_ID)
               .exclude(object_id__in=rows.values("pk")))
    removed, _ = orphans.delete()
    mark_ready(model, using=db)
    return seen, written, removed


def index_missing(model: type[Model], *, using: str | None = None) -> int:
    """Write the documents of the rows that have none (after `core.imports.bulk_insert`, which returns no keys).
    Returns the documents written."""
    registration = registered(model)
    if registration is None:
        return 0
    document = _document_model()
    db = using or router.db_for_write(document)
    have = document._base_manager.using(db).filter(model=registration.label).values("object_id")
    pks = list(registration.model._base_manager.using(db).exclude(pk__in=have).values_list("pk", flat=True))
    return index_objects(model, pks, using=db)


@task()
def reindex_task(label: str) -> None:
    """`reindex` in the task worker, for a bulk write that called `mark_stale`:
    `transaction.on_commit(lambda: search.reindex_task.enqueue("talents.talent"))`."""
    from django.apps import apps

    reindex(apps.get_model(label))


def reindex_job(day: date) -> dict[str, Any]:
    """Every registered model's index brought up to date: a scheduled job (`core.schedule.register_job`) that
    catches what bypassed the signals. Returns {model label: [rows, written, removed]}."""
    return {r.label: list(reindex(r.model)) for r in registrations()}


def mark_stale(model: type[Model], *, using: str | None = None) -> None:
    """Take the model's index out of use until `reindex` completes again: for a bulk write that leaves documents
    behind (its searches keep the icontains search meanwhile, so no row goes missing)."""
    document = _document_model()
    db = using or router.db_for_write(document)
    document._base_manager.using(db).filter(model=model._meta.label_lower, object_id=MARKER_ID).delete()
    django_cache.delete(_READY_KEY.format(model._meta.label_lower))


def mark_ready(model: type[Model], *, using: str | None = None) -> None:
    """Record that every row of `model` has its document under the current fields: searches may use the index."""
    registration = registered(model)
    if registration is None:
        return
    document = _document_model()
    db = using or router.db_for_write(document)
    document._base_manager.using(db).update_or_create(
        model=registration.label, object_id=MARKER_ID, defaults={"tokens": "", "digest": registration.signature})
    django_cache.delete(_READY_KEY.format(registration.label))


def is_ready(model: type[Model], *, using: str | None = None) -> bool:
    registration = registered(model)
    if registration is None:
        return False
    key = _READY_KEY.format(registration.label)
    signature = django_cache.get(key)
    if signature is None:
        document = _document_model()
        db = using or router.db_for_read(document)
        signature = (document._base_manager.using(db).filter(model=registration.label, object_id=MARKER_ID)
                     .values_list("digest", flat=True).first()) or ""
        django_cache.set(key, signature, _READY_SECONDS)
    return bool(signature == registration.signature)


# --- searching ---------------------------------------------------------------------------------------------------

class _Matches(Func):
    """`vector @@ '…'::tsquery` (PostgreSQL): the lexemes are taken as they are, never re-parsed."""

    template = "(%(expressions)s)"
    arg_joiner = " @@ "
    output_field = BooleanField()


class _TsQuery(Func):
    template = "CAST(%(expressions)s AS tsquery)"
    output_field = TextField()


def _tsquery(alternatives: list[list[str]]) -> str:
    return " | ".join("(" + " & ".join(f"'{lexeme}'" for lexeme in group) + ")" for group in alternatives)


def _fts_query(alternatives: list[list[str]]) -> str:
    return " OR ".join("(" + " AND ".join(f'"{lexeme}"' for lexeme in group) + ")" for group in alternatives)


def search_ids(model: type[Model], q: str, *, using: str | None = None) -> QuerySet:
    """The primary keys of `model`'s rows whose documents match `q`, as a subquery (`pk__in=search_ids(...)`).
    Empty when `q` has no letter or digit."""
    document = _document_model()
    db = using or router.db_for_read(document)
    alternatives = query_alternatives(q)
    docs = document._base_manager.using(db).filter(model=model._meta.label_lower).exclude(object_id=MARKER_ID)
    if not alternatives:
        return docs.none().values("object_id")
    if connections[db].vendor == "postgresql":
        docs = docs.filter(_Matches(F("vector"), _TsQuery(Value(_tsquery(alternatives)))))
    else:
        # a constant table name; the query's text is a parameter
        docs = docs.filter(id__in=RawSQL(  # noqa: S611
            f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s",  # noqa: S608
            [_fts_query(alternatives)]))
    return docs.values("object_id")


def condition(model: type[Model], q: str, *, fields: Sequence[str] = (), using: str | None = None) -> Q | None:
    """The search condition for a list of `model`, or None when the list should keep its icontains search: the
    model is not registered, or not with every one of `fields` (a ListSpec's search_fields), its index is not
    complete yet, or `q` has no letter or digit to look up."""
    registration = registered(model)
    if not q or registration is None or not set(fields) <= set(registration.fields):
        return None
    if not query_alternatives(q) or not is_ready(model, using=using):
        return None
    ids = search_ids(model, q, using=using)
    # A short answer is read now and passed as keys: the page's statements then fetch those rows by primary key,
    # where a subquery could lead the planner to walk the whole list in its order probing each row.
    few = list(ids.values_list("object_id", flat=True)[: LITERAL_IDS + 1])
    return Q(pk__in=few) if len(few) <= LITERAL_IDS else Q(pk__in=ids)
