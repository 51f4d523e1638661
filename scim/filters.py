"""SCIM filters (RFC 7644 §3.4.2.2) turned into database queries.

scim2-models parses the filter; this module maps each attribute Rapport supports to a
column or an annotation and each operator to a lookup, so a filter runs in the database
whatever the number of people. Anything else is an invalidFilter error.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal
from uuid import UUID

from django.db.models import Q
from django.utils.dateparse import parse_datetime
from scim2_models import ScimFilter
from scim2_models.path.expressions import (
    AttrPath,
    CompareOperator,
    Comparison,
    FilterNode,
    LogicalExpr,
    LogicalOperator,
    Not,
    Present,
    ValuePath,
)

from scim.errors import ScimError
from scim.resources import ENTERPRISE_SCHEMA, GROUP_SCHEMA, USER_SCHEMA

Kind = Literal["string", "uuid", "boolean", "datetime"]


@dataclass(frozen=True)
class Column:
    """Where an attribute lives: a (possibly annotated, lower-cased) field and its kind."""

    field: str
    kind: Kind


def invalid_filter(detail: str) -> ScimError:
    return ScimError(400, detail, "invalidFilter")


# Keys are lower-case "attr" or "attr.sub". Strings compare case-insensitively (SCIM's
# caseExact false); ordering operators on strings compare as the database sorts.
USER_COLUMNS: Mapping[str, Column] = {
    "id": Column("uuid", "uuid"),
    "username": Column("scim_user_name", "string"),
    "externalid": Column("external_id", "string"),
    "emails": Column("email", "string"),
    "emails.value": Column("email", "string"),
    "emails.type": Column("scim_email_type", "string"),
    "name.formatted": Column("name", "string"),
    "name.familyname": Column("scim__family_name", "string"),
    "name.givenname": Column("scim__given_name", "string"),
    "displayname": Column("scim_display_name", "string"),
    "title": Column("title", "string"),
    "timezone": Column("timezone", "string"),
    "active": Column("is_active", "boolean"),
    "meta.created": Column("date_joined", "datetime"),
    "meta.lastmodified": Column("scim_last_modified", "datetime"),
    "manager": Column("manager__uuid", "uuid"),
    "manager.value": Column("manager__uuid", "uuid"),
    "groups": Column("team__scim__uuid", "uuid"),
    "groups.value": Column("team__scim__uuid", "uuid"),
    "groups.display": Column("team__name", "string"),
}

GROUP_COLUMNS: Mapping[str, Column] = {
    "id": Column("scim__uuid", "uuid"),
    "displayname": Column("name", "string"),
    "externalid": Column("external_id", "string"),
    "members": Column("members__uuid", "uuid"),
    "members.value": Column("members__uuid", "uuid"),
    "members.display": Column("members__name", "string"),
    "meta.created": Column("scim__created_at", "datetime"),
    "meta.lastmodified": Column("scim__last_modified", "datetime"),
}

_SCHEMAS = {USER_SCHEMA.lower(), GROUP_SCHEMA.lower()}


def _key(path: AttrPath, prefix: str = "") -> str:
    """The column key of an attribute path, the schema URN dropped where it is implied."""
    uri = (path.uri or "").lower()
    if uri and uri not in _SCHEMAS and uri != ENTERPRISE_SCHEMA.lower():
        raise invalid_filter(f"Unknown schema {path.uri} in the filter.")
    name = path.attr.lower() + (f".{path.sub_attr.lower()}" if path.sub_attr else "")
    return f"{prefix}{name}"


def _datetime(value: Any) -> datetime:
    parsed = parse_datetime(value) if isinstance(value, str) else None
    if parsed is None:
        raise invalid_filter(f"{value!r} is not a date and time (RFC 3339).")
    return parsed


class _Translator:
    def __init__(self, columns: Mapping[str, Column]) -> None:
        self.columns = columns

    def column(self, path: AttrPath, prefix: str) -> Column:
        key = _key(path, prefix)
        column = self.columns.get(key)
        if column is None:
            raise invalid_filter(f"Rapport cannot filter on the attribute {path}.")
        return column

    def node(self, node: FilterNode, prefix: str = "") -> Q:
        if isinstance(node, LogicalExpr):
            parts = [self.node(term, prefix) for term in node.terms]
            combined = parts[0]
            for part in parts[1:]:
                combined = combined & part if node.op == LogicalOperator.and_ else combined | part
            return combined
        if isinstance(node, Not):
            return ~self.node(node.expr, prefix)
        if isinstance(node, Present):
            column = self.column(node.attr_path, prefix)
            present = Q(**{f"{column.field}__isnull": False})
            if column.kind in ("string", "exact"):
                present &= ~Q(**{column.field: ""})
            return present
        if isinstance(node, ValuePath):
            if prefix:
                raise invalid_filter("A value filter cannot be nested in another.")
            return self.node(node.val_filter, prefix=f"{_key(node.attr_path)}.")
        if isinstance(node, Comparison):
            return self.comparison(node, prefix)
        raise invalid_filter("Unsupported filter expression.")

    def comparison(self, node: Comparison, prefix: str) -> Q:
        column = self.column(node.attr_path, prefix)
        op, value = node.op, node.value
        if value is None and op in (CompareOperator.eq, CompareOperator.ne):
            # "attr eq null" is "attr not present" (RFC 7644 §3.4.2.2, 'pr').
            absent = ~self.node(Present(node.attr_path), prefix)
            return absent if op == CompareOperator.eq else ~absent
        matched = self.match(column, op, value, str(node.attr_path))
        return ~matched if op == CompareOperator.ne else matched

    def match(self, column: Column, op: CompareOperator, value: Any, name: str) -> Q:
        equal = op in (CompareOperator.eq, CompareOperator.ne)
        if column.kind == "boolean":
            if not equal or not isinstance(value, bool):
                raise invalid_filter(f"{name} takes eq or ne with true or false.")
            return Q(**{column.field: value})
        if column.kind == "uuid":
            if not equal or not isinstance(value, str):
                raise invalid_filter(f"{name} takes eq or ne with an id.")
            try:
                return Q(**{column.field: UUID(value)})
            except ValueError:
                return Q(pk__in=[])  # not an id of anything
        if column.kind == "datetime":
            if op in (CompareOperator.co, CompareOperator.sw, CompareOperator.ew):
                raise invalid_filter(f"{op} does not apply to dates ({name}).")
            return Q(**{f"{column.field}__{ORDERED[op]}": _datetime(value)})
        if not isinstance(value, str):
            raise invalid_filter(f"{name} is compared with a string.")
        return Q(**{f"{column.field}__{STRING[op]}": value})


STRING = {
    CompareOperator.eq: "iexact",
    CompareOperator.ne: "iexact",
    CompareOperator.co: "icontains",
    CompareOperator.sw: "istartswith",
    CompareOperator.ew: "iendswith",
    CompareOperator.gt: "gt",
    CompareOperator.ge: "gte",
    CompareOperator.lt: "lt",
    CompareOperator.le: "lte",
}
ORDERED = {**STRING, CompareOperator.eq: "exact", CompareOperator.ne: "exact"}


def filter_q(expression: str, columns: Mapping[str, Column]) -> Q:
    """The query for a SCIM filter string; invalidFilter (400) when Rapport cannot run it."""
    if len(expression) > 2000:
        raise invalid_filter("The filter is too long.")
    if "\x00" in expression:
        raise invalid_filter("The filter contains a NUL character.")
    try:
        parsed: ScimFilter[Any] = ScimFilter(expression)
    except Exception as exc:  # scim2-models raises several kinds for bad syntax.
        raise invalid_filter(f"The filter is not valid: {exc}") from exc
    return _Translator(columns).node(parsed.ast)
