"""The operator's backup and restore of one organization (manage.py org_backup / org_restore).

Which rows belong to an organization is discovered from the models, not listed by
hand, so a model another change adds later is backed up without anyone remembering
to: a model with a foreign key to Organization is filtered by it; any other model is
reached through a non-null foreign key to a model that is (EmailAddress through its
person, Discussion through its talking point, and so on). Models that are not the
organization's data are listed in EXCLUDED with the reason; tests/people/test_backup.py
fails when a model is neither covered nor excluded.

Rows keep their primary keys, so a restore is lossless: it goes into an instance that
does not have the organization and whose ids are free (an empty instance, or the one
the organization was deleted from), in one transaction, and is refused before writing
anything when the organization, one of its people's emails or one of its ids exists.
Secrets are copied as stored: hashes (passwords, tokens) work anywhere, but secrets
encrypted with the instance key (SSO client secrets) need the same
RAPPORT_ENCRYPTION_KEY (or SECRET_KEY when that is not set) on the target.
"""

import gzip
import json
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, time
from itertools import islice
from pathlib import Path
from typing import IO, Any
from uuid import UUID

from django.apps import apps
from django.core import serializers
from django.core.management.color import no_style
from django.core.serializers.base import DeserializationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DatabaseError, IntegrityError, connection, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.db.models import Q

from people.models import Organization, Person

FORMAT = "rapport-organization-backup"
FORMAT_VERSION = 1
CHUNK = 2000

# Models that are not an organization's data, by label, with the reason. Every other
# model must be reachable from Organization through foreign keys (see covered_models).
EXCLUDED: dict[str, str] = {
    "admin.logentry": "Django admin's log of operator edits: instance-wide, refers to content "
    "types by this instance's ids.",
    "auth.permission": "Instance-wide: created by migrations on every instance.",
    "auth.group": "Instance-wide; Rapport gives roles with Person fields, not groups.",
    "contenttypes.contenttype": "Instance-wide: created by migrations on every instance.",
    "sessions.session": "Sign-in sessions: people sign in again on the restored instance.",
    "usersessions.usersession": "allauth's list of sign-in sessions, tied to sessions that "
    "are not copied.",
    "django_tasks_database.dbtaskresult": "Queued background jobs of this instance.",
    "notifications.beat": "Instance-wide schedule of the worker's periodic jobs.",
    "notifications.delivery": "This instance's outgoing messages and their log: a restored "
    "instance must not send them again.",
    "socialaccount.socialapp": "Instance-wide provider apps; per-organization single "
    "sign-on settings live in the sso app, which is backed up.",
    "socialaccount.socialtoken": "Short-lived OAuth tokens of a past sign-in, tied to an "
    "instance-wide provider app: people sign in again.",
}

# Many-to-many fields of covered models whose other side is not copied, with the reason.
EXCLUDED_FIELDS: dict[str, str] = {
    "people.person.groups": "Rapport does not use Django groups.",
    "people.person.user_permissions": "Rapport does not use per-user Django permissions; "
    "their ids differ between instances.",
}


class _Encoder(DjangoJSONEncoder):
    """Django's encoder, but datetimes and times keep their microseconds (it cuts to ms)."""

    def default(self, o: Any) -> Any:
        if isinstance(o, datetime | time):
            return o.isoformat()
        return super().default(o)


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why, nothing was written."""


# -- Which models, and how each reaches the organization ---------------------------------


def _label(model: type[models.Model]) -> str:
    return model._meta.label_lower


def _concrete_models() -> list[type[models.Model]]:
    """Every concrete model (Django's own many-to-many tables travel with their model)."""
    return [
        m
        for m in apps.get_models()
        if not m._meta.proxy and not m._meta.auto_created and m._meta.managed
    ]


def _foreign_keys(model: type[models.Model]) -> list[models.ForeignKey[Any, Any]]:
    return [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, models.ForeignKey) and f.related_model is not None
    ]


def organization_paths() -> dict[type[models.Model], list[str]]:
    """Each covered model with the lookups (OR-ed) that lead from it to its organization id.

    Non-null foreign keys are preferred, and the first one found wins, so a row is the
    organization's through something it cannot lack; a model reached only through
    nullable keys uses all of them.
    """
    paths: dict[type[models.Model], list[str]] = {Organization: ["pk"]}
    candidates = [
        m for m in _concrete_models() if m is not Organization and _label(m) not in EXCLUDED
    ]
    # First through organization and non-null keys only, so that a model's required parent
    # is known before a nullable key could claim it; then through nullable keys too.
    for allow_nullable in (False, True):
        changed = True
        while changed:
            changed = False
            for model in candidates:
                if model in paths:
                    continue
                found = _path_of(model, paths, allow_nullable=allow_nullable)
                if found:
                    paths[model] = found
                    changed = True
    return paths


def _path_of(
    model: type[models.Model], paths: dict[type[models.Model], list[str]], *, allow_nullable: bool
) -> list[str]:
    keys = [f for f in _foreign_keys(model) if f.related_model is not model]
    direct = [f for f in keys if f.related_model is Organization]
    if direct:
        return [direct[0].name]
    required = [f for f in keys if not f.null and f.related_model in paths]
    if required:
        f = required[0]
        assert f.related_model is not None
        return [f"{f.name}__{p}" for p in paths[f.related_model]]
    if not allow_nullable:
        return []
    nullable = [f for f in keys if f.related_model in paths]
    return [f"{f.name}__{p}" for f in nullable for p in paths[f.related_model]]


def covered_models() -> list[type[models.Model]]:
    """The covered models, parents before children (ties by label, for stable documents)."""
    paths = organization_paths()
    covered = set(paths)
    deps = {
        m: {f.related_model for f in _foreign_keys(m) if f.related_model in covered} - {m}
        for m in covered
    }
    ordered: list[type[models.Model]] = []
    done: set[type[models.Model]] = set()
    while len(ordered) < len(covered):
        ready = (
            sorted((m for m in covered if m not in done and deps[m] <= done), key=_label)
            or sorted((m for m in covered if m not in done), key=_label)[:1]
        )  # a cycle: break it
        for model in ready:
            ordered.append(model)
            done.add(model)
    return ordered


def _rows_of(model: type[models.Model], organization: Organization) -> models.QuerySet[Any]:
    lookups = organization_paths()[model]
    where = Q()
    for lookup in lookups:
        where |= Q(**{lookup: organization.pk})
    # Every lookup follows foreign keys forwards (one row each), so no row comes twice.
    return model._default_manager.filter(where).order_by("pk")


def _dropped_fields(model: type[models.Model]) -> set[str]:
    return {
        f.name for f in model._meta.many_to_many if f"{_label(model)}.{f.name}" in EXCLUDED_FIELDS
    }


def _chunks(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


# -- Backup --------------------------------------------------------------------------------


def find_organization(identifier: str) -> Organization:
    """The organization by uuid or exact name; a clear error when none or several match."""
    try:
        by_uuid = Organization.objects.filter(uuid=UUID(identifier)).first()
    except ValueError:
        by_uuid = None
    if by_uuid is not None:
        return by_uuid
    found = Organization.objects.filter(name=identifier).order_by("pk")
    matches = list(found[:5])
    if not matches:
        raise BackupError(f"No organization has the uuid or exact name “{identifier}”.")
    if len(matches) > 1:
        uuids = ", ".join(str(o.uuid) for o in matches)
        raise BackupError(f"Several organizations are named “{identifier}”; use a uuid: {uuids}.")
    return matches[0]


def _migrations() -> dict[str, list[str]]:
    applied: dict[str, list[str]] = defaultdict(list)
    for app, name in MigrationRecorder(connection).applied_migrations():
        applied[app].append(name)
    return {app: sorted(names) for app, names in sorted(applied.items())}


def _serialized(model: type[models.Model], organization: Organization) -> Iterator[dict[str, Any]]:
    dropped = _dropped_fields(model)
    for chunk in _chunks(_rows_of(model, organization).iterator(chunk_size=CHUNK), CHUNK):
        for obj in serializers.serialize("python", chunk):
            for name in dropped:
                obj["fields"].pop(name, None)
            yield obj


def backup_write(organization: Organization, out: IO[str], *, now: datetime) -> dict[str, int]:
    """Write the organization's backup document to `out`, one object a line; count per model.

    Read in one transaction (REPEATABLE READ on PostgreSQL), so the copy is consistent
    even while people keep working.
    """
    counts: dict[str, int] = {}
    header = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "created_at": now.isoformat(),
        "organization": {"uuid": str(organization.uuid), "name": organization.name},
        "migrations": _migrations(),
    }
    # Only a transaction of our own can choose its isolation (not inside a caller's).
    own_transaction = not connection.in_atomic_block
    with transaction.atomic():
        if own_transaction and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        out.write(json.dumps(header, cls=_Encoder)[:-1] + ',\n"objects": [\n')
        first = True
        for model in covered_models():
            counts[_label(model)] = 0
            for obj in _serialized(model, organization):
                out.write(("" if first else ",\n") + json.dumps(obj, cls=_Encoder))
                first = False
                counts[_label(model)] += 1
    out.write("\n]}\n")
    return counts


def open_text(path: Path, mode: str, *, gzipped: bool | None = None) -> IO[str]:
    """A text file, gzip-compressed when its name ends in .gz (or when `gzipped` says so)."""
    if gzipped if gzipped is not None else path.suffix == ".gz":
        return gzip.open(path, "wt" if mode == "w" else "rt", encoding="utf-8")
    return path.open(mode, encoding="utf-8")


# -- Restore -------------------------------------------------------------------------------


@dataclass
class Restored:
    organization: Organization
    counts: dict[str, int]


def backup_read(source: IO[str]) -> dict[str, Any]:
    """The document, checked for its format and version; BackupError when it is not one."""
    try:
        document = json.load(source)
    except (ValueError, OSError, EOFError) as exc:
        raise BackupError(f"The file is not a readable backup document: {exc}.") from exc
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise BackupError("The file is not a Rapport organization backup.")
    if document.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            f"The backup has format version {document.get('format_version')}; this Rapport "
            f"reads version {FORMAT_VERSION}."
        )
    if not isinstance(document.get("objects"), list) or not isinstance(
        document.get("organization"), dict
    ):
        raise BackupError("The backup document is incomplete (no organization or objects).")
    return document


def _check_schema(document: dict[str, Any]) -> None:
    """The target must have applied every migration the source had: the same Rapport or later."""
    here = _migrations()
    missing = [
        f"{app}.{name}"
        for app, names in document.get("migrations", {}).items()
        for name in names
        if name not in here.get(app, [])
    ]
    if missing:
        shown = ", ".join(missing[:5]) + (" …" if len(missing) > 5 else "")
        raise BackupError(
            f"This instance lacks migrations the backup was made with ({shown}): upgrade "
            "Rapport and run migrate first."
        )


def _check_free(document: dict[str, Any], by_model: dict[type[models.Model], list[Any]]) -> None:
    """Refuse when the organization, one of its people's emails or one of its ids exists."""
    org_uuid = document["organization"].get("uuid")
    if Organization.objects.filter(uuid=org_uuid).exists():
        raise BackupError(
            f"Organization {org_uuid} already exists here: restore only into an instance "
            "that does not have it."
        )
    emails = [obj["fields"].get("email", "") for obj in by_model.get(Person, [])]
    taken = list(Person.objects.filter(email__in=emails).values_list("email", flat=True)[:5])
    email_model = _model_or_none("account.emailaddress")
    if email_model is not None and not taken:
        addresses = [obj["fields"].get("email", "") for obj in by_model.get(email_model, [])]
        taken = list(
            email_model._default_manager.filter(email__in=addresses).values_list(
                "email", flat=True
            )[:5]
        )
    if taken:
        raise BackupError(
            "People of this organization already exist here (by email): " + ", ".join(taken)
        )
    for model, objs in by_model.items():
        for chunk in _chunks((obj["pk"] for obj in objs), 500):
            if model._default_manager.filter(pk__in=chunk).exists():
                raise BackupError(
                    f"Rows of {_label(model)} with the backup's ids already exist here: restore "
                    "into an empty instance or the one the organization was deleted from."
                )


def _model_or_none(label: str) -> type[models.Model] | None:
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


def _grouped(document: dict[str, Any]) -> dict[type[models.Model], list[Any]]:
    covered = set(covered_models())
    by_model: dict[type[models.Model], list[Any]] = defaultdict(list)
    for obj in document["objects"]:
        label = obj.get("model") if isinstance(obj, dict) else None
        model = _model_or_none(label) if isinstance(label, str) else None
        if model is None or model not in covered:
            raise BackupError(f"The backup holds rows of “{label}”, which this instance lacks.")
        by_model[model].append(obj)
    return by_model


def _reset_sequences(models_written: list[type[models.Model]]) -> None:
    """PostgreSQL sequences must move past the restored ids (SQLite needs nothing)."""
    statements = connection.ops.sequence_reset_sql(no_style(), models_written)
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


def backup_restore(document: dict[str, Any]) -> Restored:
    """Insert every row of the document, all or nothing, keeping primary keys."""
    _check_schema(document)
    by_model = _grouped(document)
    order = [m for m in covered_models() if m in by_model]
    counts: dict[str, int] = {}
    try:
        with transaction.atomic():
            _check_free(document, by_model)
            for model in order:
                counts[_label(model)] = _insert(model, by_model[model])
            # Foreign keys are checked at commit; check now to answer with a clear error.
            connection.check_constraints(table_names=[m._meta.db_table for m in order])
            _reset_sequences(order)
    except (DeserializationError, IntegrityError, DatabaseError) as exc:
        raise BackupError(f"The restore failed and changed nothing: {exc}") from exc
    organization = Organization.objects.get(uuid=document["organization"]["uuid"])
    return Restored(organization, counts)


def _insert(model: type[models.Model], objs: list[Any]) -> int:
    count = 0
    for chunk in _chunks(objs, CHUNK):
        restored = list(serializers.deserialize("python", chunk, ignorenonexistent=False))
        model._default_manager.bulk_create([r.object for r in restored])
        for item in restored:
            for name, values in (item.m2m_data or {}).items():
                getattr(item.object, name).set(values)
        count += len(restored)
    return count
