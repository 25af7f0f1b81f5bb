"""Turn raw answers (form strings or API JSON) into typed values, or say what is wrong.

Messages are keyed by question code and written for a call agent. Answers to
questions that do not apply (another county's shelter questions, the VI
section without consent) are dropped, never stored. Nothing here touches the
database except through the `refs` callback for database-backed choices.
"""

import re
from collections.abc import Callable, Mapping
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation

import phonenumbers
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from ces.ssn import SSN_INVALID_FOR_FULL, SSN_NOT_NINE_DIGITS, ssn_is_valid, ssn_normalize
from intake import policy
from intake.questions import (
    BY_CODE,
    DATE,
    DATETIME,
    DECIMAL,
    DQ,
    EMAIL,
    FLAG,
    INT,
    LONGTEXT,
    MONTHS,
    PHONE,
    QUESTIONS,
    REF,
    SSN,
    TEXT,
    applies,
)

NON_FIELD = "non_field_errors"
UNKNOWN_CODE = "This is not a question of the intake form."
CHOOSE_ONE = "Choose one of: {choices}."
NOT_A_DATE = "Enter a date as YYYY-MM-DD, e.g. 1986-03-04."
NOT_A_DATETIME = "Enter the date and time as YYYY-MM-DDTHH:MM, e.g. 2026-11-20T10:15."
DATE_IN_FUTURE = "This date is in the future."
DOB_BEFORE_1900 = "A date of birth cannot be before 1900-01-01."
COLLECTED_IN_FUTURE = "The call cannot have happened in the future: check the date and time."
NOT_A_WHOLE_NUMBER = "Enter a whole number."
OUT_OF_RANGE = "Enter a number from {low} to {high}."
NOT_AN_AMOUNT = "Enter an amount in dollars, e.g. 1200 or 1200.50."
NEGATIVE_INCOME = "Income cannot be negative."
ABSURD_INCOME = "That income is too large: check the amount (less than 10,000,000)."
NOT_A_PHONE = "Enter a US phone number with area code, e.g. 530-555-0142."
NOT_AN_EMAIL = "Enter an email address like name@example.org, or leave it blank."
TOO_LONG = "Keep this under {n} characters."
CHILDREN_NOT_BELOW_SIZE = "Children must be fewer than the people in the household (the caller counts as one)."
CHILDREN_ABOVE_SIZE = "Children cannot be more than the people in the household."
INCOME_NEEDS_PERIOD = "Say whether the income is monthly or annual."
SSN_FULL_NEEDS_NUMBER = "Enter the 9 digits, or choose another quality than “full”."
COUNTY_REQUIRED = "Choose the county (or “outside Placer and Nevada counties”) before finishing."
DV_AGENCY_REQUIRED = "Choose the victim service provider the caller is referred to."
DV_ACK_REQUIRED = "Read the caller the notice that their information may be shared, and tick it, before continuing."
REF_UNKNOWN = "Choose one of the options offered."
NOT_A_FLAG = "Answer true or false."
MONTHS_CHOICES = "Enter a number of months from 1 to 12, or “more_than_12”."
START_BEFORE_DOB = "Homelessness cannot start before the date of birth."

TEXT_LIMITS = {TEXT: 200, LONGTEXT: 1000}
FUTURE_SKEW = timedelta(minutes=5)  # clocks of phones and servers differ a little

RefCheck = Callable[[str, int], bool]


def _as_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value).strip()


def normalized(raw: Mapping[str, object]) -> dict[str, object]:
    """Raw answers as the visibility rules read them: trimmed strings, flags as booleans."""
    result: dict[str, object] = {}
    for code, value in raw.items():
        question = BY_CODE.get(code)
        if question is not None and question.type == FLAG:
            result[code] = value is True or _as_text(value).lower() in ("true", "on", "1", "yes")
        else:
            result[code] = _as_text(value)
    return result


def _parse(question, text: str, errors: list[str]):
    kind = question.type
    if kind in (TEXT, LONGTEXT):
        limit = TEXT_LIMITS[kind]
        if len(text) > limit:
            errors.append(TOO_LONG.format(n=limit))
        return text
    if kind in (DQ, MONTHS) or question.choices:
        if text not in question.choice_codes():
            errors.append(MONTHS_CHOICES if kind == MONTHS else CHOOSE_ONE.format(choices=", ".join(question.choice_codes())))
        return text
    if kind == DATE:
        try:
            return date.fromisoformat(text)
        except ValueError:
            errors.append(NOT_A_DATE)
            return None
    if kind == DATETIME:
        try:
            moment = parse_datetime(text)
        except ValueError:
            moment = None
        if moment is None:
            errors.append(NOT_A_DATETIME)
            return None
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        return moment
    if kind == INT:
        if not re.fullmatch(r"-?\d+", text):
            errors.append(NOT_A_WHOLE_NUMBER)
            return None
        number = int(text)
        if not question.min_value <= number <= question.max_value:
            errors.append(OUT_OF_RANGE.format(low=int(question.min_value), high=int(question.max_value)))
        return number
    if kind == DECIMAL:
        try:
            amount = Decimal(text.replace(",", "").replace("$", ""))
        except InvalidOperation:
            errors.append(NOT_AN_AMOUNT)
            return None
        if not amount.is_finite():
            errors.append(NOT_AN_AMOUNT)
        elif amount < 0:
            errors.append(NEGATIVE_INCOME)
        elif amount > policy.MAX_INCOME:
            errors.append(ABSURD_INCOME)
        return amount.quantize(Decimal("0.01")) if amount.is_finite() else None
    if kind == PHONE:
        try:
            number = phonenumbers.parse(text, "US")
        except phonenumbers.NumberParseException:
            number = None
        if number is None or not phonenumbers.is_valid_number(number):
            errors.append(NOT_A_PHONE)
            return text
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    if kind == EMAIL:
        try:
            validate_email(text)
        except DjangoValidationError:
            errors.append(NOT_AN_EMAIL)
        return text
    if kind == SSN:
        digits = ssn_normalize(text)
        if len(digits) != 9 or re.search(r"[^\d\s-]", text):
            errors.append(str(SSN_NOT_NINE_DIGITS))
        return digits
    if kind == FLAG:
        lowered = text.lower()
        if lowered not in ("true", "false", "on", "off", "1", "0", "yes", "no"):
            errors.append(NOT_A_FLAG)
        return lowered in ("true", "on", "1", "yes")
    if kind == REF:
        if not re.fullmatch(r"\d+", text):
            errors.append(REF_UNKNOWN)
            return None
        return int(text)
    return text


def clean_answers(
    raw: Mapping[str, object],
    *,
    refs: RefCheck | None = None,
    complete: bool = True,
    now: datetime | None = None,
) -> tuple[dict[str, object], dict[str, list[str]]]:
    """Validate answers. `complete=True` also checks what finishing the intake needs."""
    now = now or timezone.now()
    errors: dict[str, list[str]] = {}
    for code in raw:
        if code not in BY_CODE:
            errors.setdefault(code, []).append(UNKNOWN_CODE)
    view = normalized({code: value for code, value in raw.items() if code in BY_CODE})
    cleaned: dict[str, object] = {}
    for question in QUESTIONS:
        if question.code not in view or not applies(question, view):
            continue
        value = view[question.code]
        if question.type == FLAG:
            cleaned[question.code] = bool(value)
            continue
        text = _as_text(value)
        if text == "":
            continue
        problems: list[str] = []
        parsed = _parse(question, text, problems)
        if question.type == REF and parsed is not None and refs is not None and not refs(question.code, parsed):
            problems.append(REF_UNKNOWN)
        if problems:
            errors.setdefault(question.code, []).extend(problems)
        else:
            cleaned[question.code] = parsed
    _cross_field(cleaned, errors, view, now=now, complete=complete)
    return cleaned, errors


def _cross_field(cleaned, errors, view, *, now: datetime, complete: bool) -> None:
    def add(code: str, message: str) -> None:
        errors.setdefault(code, []).append(message)

    collected = cleaned.get("collected_at")
    if isinstance(collected, datetime) and collected > now + FUTURE_SKEW:
        add("collected_at", COLLECTED_IN_FUTURE)
    today = timezone.localdate(now)
    dob = cleaned.get("dob")
    if isinstance(dob, date):
        if dob > today:
            add("dob", DATE_IN_FUTURE)
        elif dob < date(1900, 1, 1):
            add("dob", DOB_BEFORE_1900)
    start = cleaned.get("homeless_start_date")
    if isinstance(start, date):
        if start > today:
            add("homeless_start_date", DATE_IN_FUTURE)
        elif isinstance(dob, date) and start < dob:
            add("homeless_start_date", START_BEFORE_DOB)
    size, children = cleaned.get("household_size"), cleaned.get("household_children")
    if isinstance(size, int) and isinstance(children, int):
        if cleaned.get("vi_unaccompanied_youth") == "yes":
            if children > size:
                add("household_children", CHILDREN_ABOVE_SIZE)
        elif children >= size:
            add("household_children", CHILDREN_NOT_BELOW_SIZE)
    if "household_income" in cleaned and "income_period" not in cleaned:
        add("income_period", INCOME_NEEDS_PERIOD)
    if cleaned.get("ssn_data_quality") == "full" and "ssn" not in errors:
        ssn = cleaned.get("ssn")
        if not ssn:
            add("ssn", SSN_FULL_NEEDS_NUMBER)
        elif not ssn_is_valid(ssn):
            add("ssn", str(SSN_INVALID_FOR_FULL))
    if not complete:
        return
    if not cleaned.get("county"):
        add("county", COUNTY_REQUIRED)
    if view.get("dv_referral_accepted") == "yes" and BY_CODE["dv_referral_agency"].applies(view):
        if "dv_referral_agency" not in cleaned and "dv_referral_agency" not in errors:
            add("dv_referral_agency", DV_AGENCY_REQUIRED)
    ack = BY_CODE["dv_pii_sharing_acknowledged"]
    if ack.applies(view) and cleaned.get("dv_pii_sharing_acknowledged") is not True:
        add("dv_pii_sharing_acknowledged", DV_ACK_REQUIRED)
