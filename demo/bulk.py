"""Fast inserts of millions of generated rows: COPY on PostgreSQL, executemany on SQLite.

`QuerySet.bulk_create` spends about 20 µs of Python per row building SQL, which
makes a 10,000-person history take over ten minutes; these plain tuples go to
the database directly. Primary keys are reserved up front, so rows can refer to
each other before they are written. Like bulk_create, this skips `save()` and
validation: the generator is responsible for valid rows.
"""

from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

from django.db import connection
from django.db.models import NOT_PROVIDED, Model
from django.db.models.fields import Field

Row = Sequence[object]


def _columns(model: type[Model], names: Sequence[str]) -> tuple[list[str], list[object]]:
    """The columns to write, and constants for the fields the caller leaves out.

    A field left out must be nullable or have a constant default, so a new required
    field on a model fails here loudly rather than producing odd demo data.
    """
    given = set(names)
    columns = [_column(model._meta.get_field(name)) for name in names]
    constants: list[object] = []
    for field in model._meta.concrete_fields:
        if field.attname in given or field.name in given or field.primary_key:
            continue
        assert isinstance(field, Field)
        default = field.default
        if default is not NOT_PROVIDED and not callable(default):
            constants.append(default)
        elif field.null:
            constants.append(None)
        else:
            raise ValueError(f"{model.__name__}.{field.name} needs a value in the demo loader.")
        columns.append(_column(field))
    return columns, constants


def _column(field: object) -> str:
    assert isinstance(field, Field)
    assert field.column
    return field.column


def _sqlite_datetime(value: datetime) -> str:
    if value.tzinfo is not UTC:
        value = value.astimezone(UTC)
    return value.replace(tzinfo=None).isoformat(" ")


def _sqlite_uuid(value: UUID) -> str:
    return value.hex


def _sqlite_date(value: date) -> str:
    return value.isoformat()


# Values stored as Django's SQLite backend stores them: naive UTC text, hex UUIDs, ISO dates.
_SQLITE: dict[str, Callable[[Any], str]] = {
    "DateTimeField": _sqlite_datetime,
    "UUIDField": _sqlite_uuid,
    "DateField": _sqlite_date,
}


def _sqlite_converters(
    model: type[Model], names: Sequence[str]
) -> list[tuple[int, Callable[[Any], str]]]:
    found = []
    for i, name in enumerate(names):
        convert = _SQLITE.get(model._meta.get_field(name).get_internal_type())
        if convert is not None:
            found.append((i, convert))
    return found


def _sqlite_value(value: object) -> object:
    if isinstance(value, datetime):
        return _sqlite_datetime(value)
    if isinstance(value, UUID):
        return value.hex
    if isinstance(value, date):
        return value.isoformat()
    return value


def reserve_ids(model: type[Model], count: int) -> list[int]:
    """Primary keys for `count` new rows. Call inside the transaction that inserts them."""
    if count == 0:
        return []
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [table, count],
            )
            return [row[0] for row in cursor.fetchall()]
        if connection.vendor != "sqlite":
            raise NotImplementedError("The demo loader supports SQLite and PostgreSQL.")
        # The transaction holds SQLite's write lock (BEGIN IMMEDIATE), so nobody else
        # can take these ids; AUTOINCREMENT's counter follows the largest id written.
        cursor.execute(f'SELECT COALESCE(MAX("id"), 0) FROM "{table}"')  # noqa: S608
        top = int(cursor.fetchone()[0])
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        seq = cursor.fetchone()
        first = max(top, int(seq[0]) if seq else 0) + 1
    return list(range(first, first + count))


def insert(model: type[Model], names: Sequence[str], rows: Iterable[Row]) -> int:
    """Insert rows whose values follow `names` (field names or attnames like `meeting_id`)."""
    columns, constants = _columns(model, names)
    table = connection.ops.quote_name(model._meta.db_table)
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row((*row, *constants) if constants else row)
                    count += 1
            return count
        sql = f"INSERT INTO {table} ({quoted}) VALUES ({', '.join(['%s'] * len(columns))})"  # noqa: S608
        tail = [_sqlite_value(c) for c in constants]
        converters = _sqlite_converters(model, names)
        batch: list[list[Any]] = []
        for row in rows:
            values = [*row, *tail]
            for i, convert in converters:
                if values[i] is not None:
                    values[i] = convert(values[i])
            batch.append(values)
            if len(batch) >= 5000:
                cursor.executemany(sql, batch)
                count += len(batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            count += len(batch)
    return count
