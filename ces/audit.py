"""Audit helpers: who did it, and who looked (roles-privacy-audit.md, "Audit history").

- `history_save` saves a model through full_clean() with its history row
  attributed to `actor` (a person, or the system user for scheduled jobs)
  and the reason the form asked for.
- `access_log_record` writes one AccessLog row for a read of personal data.
  The row never holds what was searched for: the path is stored without its
  query string, and anything shaped like an SSN in `detail` is masked
  (docs/security.md, "Logs").
- `client_ip` is the person's address, behind the trusted proxies: django-axes
  (lock-out) and the access log both use it.
"""

import ipaddress
import re
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, ValidationError
from django.db import models, router
from django.db.models import Q
from django.http import HttpRequest

from ces.models import AccessLog, Client, User
from ces.sealed import sealed_rows

# Nine digits, with or without dashes or spaces: what an SSN looks like in free text.
_SSN_SHAPED = re.compile(r"(?<!\d)\d{3}[-\s]?\d{2}[-\s]?\d{4}(?!\d)")
MASK = "…"


_DECIDABLE_TYPES = (str, int, bool, date, Decimal)


def _lookup_holds(instance: models.Model, key: str, expected) -> bool | None:
    """Whether one `field__lookup=value` of a constraint's condition holds for the instance's own
    values: True or False when Python can tell it exactly as the database would, None otherwise
    (a relation crossed, an expression, a NULL, a lookup other than exact, in, isnull)."""
    name, _sep, lookup = key.partition("__")
    try:
        field = instance._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    if not getattr(field, "concrete", False) or lookup not in ("", "exact", "in", "isnull"):
        return None
    value = getattr(instance, field.attname)
    if lookup == "isnull":
        return (value is None) == expected if isinstance(expected, bool) else None
    if value is None or field.is_relation:
        return None
    expected_values = list(expected) if lookup == "in" and isinstance(expected, list | tuple | set | frozenset) else [expected]
    if lookup == "in" and expected_values == [expected]:
        return None
    if not all(isinstance(item, _DECIDABLE_TYPES) for item in [value, *expected_values]):
        return None
    try:
        value = field.to_python(value)
        expected_values = [field.to_python(item) for item in expected_values]
    except ValidationError:
        return None
    return value in expected_values


def _condition_holds(condition: Q, instance: models.Model) -> bool | None:
    """A constraint's condition for the instance's values (SQL's three-valued logic: None, unknown)."""
    results = []
    for child in condition.children:
        if isinstance(child, Q):
            results.append(_condition_holds(child, instance))
        elif isinstance(child, tuple) and len(child) == 2:
            results.append(_lookup_holds(instance, *child))
        else:
            return None
    if condition.connector == Q.AND:
        value = False if False in results else (None if None in results else True)
    elif condition.connector == Q.OR:
        value = True if True in results else (None if None in results else False)
    else:
        return None
    return (not value) if condition.negated and value is not None else value


def _constraint_met_here(constraint, instance: models.Model) -> bool:
    """A check constraint whose condition holds, or a conditional unique constraint whose condition
    does not: met whatever the database holds, so Django's query for it (a savepoint, a SELECT, a
    release) is not sent. The database still enforces every constraint."""
    condition = getattr(constraint, "condition", None)
    if not isinstance(condition, Q):
        return False
    if isinstance(constraint, models.CheckConstraint):
        return _condition_holds(condition, instance) is True
    if isinstance(constraint, models.UniqueConstraint):
        return _condition_holds(condition, instance) is False
    return False


def _validate_constraints(instance: models.Model, exclude: set[str], checked: tuple[str, ...] = ()) -> None:
    """Model.validate_constraints(), less the constraints decided from the instance's own values
    and those the caller names as `checked` (see history_save)."""
    using = router.db_for_write(type(instance), instance=instance)
    errors: dict = {}
    for model_class, constraints in instance.get_constraints():
        for constraint in constraints:
            if constraint.name in checked or _constraint_met_here(constraint, instance):
                continue
            try:
                constraint.validate(model_class, instance, exclude=exclude, using=using)
            except ValidationError as error:
                if getattr(error, "code", None) == "unique" and len(getattr(constraint, "fields", ())) == 1:
                    errors.setdefault(constraint.fields[0], []).append(error)
                else:
                    errors = error.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)


def _validate(instance: models.Model, checked: tuple[str, ...] = ()) -> None:
    """`full_clean()`, less the queries that cannot change its answer.

    - One query per foreign key (or one-to-one key) whose target the caller holds loaded: Django
      checks that the row exists on every clean; a service that sets `intake.csr = actor` holds
      that row already, and the database's foreign-key constraint still refuses a vanished one.
      Keys set by id alone are checked as before.
    - One query (in its own savepoint) per constraint that the instance's own values decide
      (_constraint_met_here): a check constraint whose condition holds, a conditional unique
      constraint whose condition does not (the SSN of a client whose SSN was refused), and
      those the caller has just checked itself under a lock (`checked`, by name).
    Field checks, clean(), unique checks and every other constraint check are unchanged.
    """
    held = {
        field.name for field in instance._meta.concrete_fields
        if (field.many_to_one or field.one_to_one) and field.is_cached(instance) and getattr(instance, field.name) is not None
    }
    errors: dict = {}
    for step in (lambda: instance.clean_fields(exclude=held), instance.clean):
        try:
            step()
        except ValidationError as error:
            errors = error.update_error_dict(errors)
    failed = {name for name in errors if name != NON_FIELD_ERRORS}
    for step in (lambda: instance.validate_unique(exclude=failed), lambda: _validate_constraints(instance, failed, checked)):
        try:
            step()
        except ValidationError as error:
            errors = error.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)


def history_save(instance: models.Model, *, actor: User, reason: str = "", validate: bool = True,
                 checked: tuple[str, ...] = ()):
    """Validate (_validate), save, and write the history row attributed to `actor` with `reason`.

    `checked` names constraints the caller has just verified itself under a row lock (the list's
    one open entry per person): their validation query would only repeat that read. The
    database still enforces them."""
    if validate:
        _validate(instance, checked)
    instance._history_user = actor
    if reason:
        instance._change_reason = reason
    instance.save()
    return instance


def history_bulk_create(instances: list[models.Model], *, actor: User, reason: str = "") -> list[models.Model]:
    """Insert new rows of one model and their history rows: two statements, whatever their number.

    The history rows are those history_save writes one by one (django-simple-history's columns,
    history_type "+", `actor` as history_user, `reason` as the change reason, NULL without one),
    and rows a VSP holds are sealed as save() seals them (ces.sealed.sealed_rows). No validation
    (the callers' values come from checked input; the database holds the constraints), no
    save() signals: for models whose writes need neither.
    """
    if not instances:
        return []
    model = type(instances[0])
    for instance in instances:
        instance._history_user = actor
        if reason:
            instance._change_reason = reason
    with sealed_rows(instances):
        model.objects.bulk_create(instances)
        model.history.bulk_history_create(instances, default_user=actor, default_change_reason=None)
    return instances


def _ip_or_none(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request: HttpRequest | None) -> str | None:
    """The address of the person's browser.

    With TRUSTED_PROXY_COUNT = 0, REMOTE_ADDR. Behind N trusted proxies, each
    appends the address it received the request from to X-Forwarded-For, so
    the person is the N-th address from the right; whatever the browser wrote
    there itself is further left and ignored. A request that did not pass all
    N proxies (fewer addresses) falls back to REMOTE_ADDR.
    """
    if request is None:
        return None
    remote = _ip_or_none(request.META.get("REMOTE_ADDR", "") or "")
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    forwarded = [part for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(forwarded) < count:
        return remote
    return _ip_or_none(forwarded[-count]) or remote


def log_safe(text: str) -> str:
    """`text` with anything shaped like an SSN replaced by "…"."""
    return _SSN_SHAPED.sub(MASK, text)


def access_log_record(
    *,
    user: User,
    action: str,
    request: HttpRequest | None = None,
    client: Client | None = None,
    obj: models.Model | None = None,
    detail: str = "",
) -> AccessLog:
    """One row for one read. `detail` says what kind of read it was; never put search terms in it."""
    return AccessLog.objects.create(
        user=user,
        action=action,
        client=client,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        detail=log_safe(detail)[:500],
        # The path only: query strings carry what was searched for (names, dates of birth, SSNs).
        path=(log_safe(request.path)[:500] if request is not None else ""),
        ip_address=client_ip(request),
        user_agent=(request.META.get("HTTP_USER_AGENT", "")[:300] if request is not None else ""),
    )
