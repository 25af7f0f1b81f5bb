"""Turn raw answers (form strings or API JSON) into typed values, or say what is wrong.

The intake's answers are driven by the question catalogue (intake.questions),
so this module is their declared input: every answer is parsed strictly here
and nowhere else. Messages are keyed by question code, written for a call
agent, and translated (gettext_lazy). Answers to questions that do not apply
(another county's shelter questions, the VI section without consent) are
dropped, never stored. Nothing here touches the database except through the
`refs` callback for database-backed choices.

Strict means (docs/architecture.md, "The path of an action"):
- text without NUL bytes or lone surrogates, within the column's length;
- whole numbers of ASCII digits only, within the question's bounds;
- amounts of ASCII digits with at most two decimals and finite bounds
  ("1e999999" is not an amount);
- dates as YYYY-MM-DD: a date of birth between 1900-01-01 and today, other
  dates between 1900 and 2100;
- timestamps between 1900 and 2100 (with an offset or in the CoC's time
  zone), so every one can be stored and compared.
A value outside these never reaches `cleaned`, so nothing downstream (the
duplicate check, scoring, the database) sees an implausible value.
"""

import re
from collections.abc import Callable, Mapping
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

import phonenumbers
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from ces.errors import NON_FIELD, Message
from ces.inputs import parse_id, text_is_storable
from ces.ssn import SSN_INVALID_FOR_FULL, SSN_NOT_NINE_DIGITS, ssn_is_valid, ssn_normalize
from intake import policy
from intake.questions import (
    BY_CODE,
    CARRIED_FROM,
    CONTEXT_CODES,
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

__all__ = ["NON_FIELD", "answer_view", "carry_answers", "clean_answers", "draft_values", "normalized", "plausible_dob"]

UNKNOWN_CODE = _("This is not a question of the intake form.")
NOT_ONE_ANSWER = _("Send one answer here (text, a number or true/false), not a list or an object.")
BAD_CHARACTERS = _("This answer contains characters that cannot be stored (a NUL byte or a broken character).")
CHOOSE_ONE = _("Choose one of: {choices}.")
NOT_A_DATE = _("Enter a date as YYYY-MM-DD, e.g. 1986-03-04.")
NOT_A_DATETIME = _("Enter the date and time as YYYY-MM-DDTHH:MM, e.g. 2026-11-20T10:15.")
DATE_IN_FUTURE = _("This date is in the future.")
DOB_BEFORE_1900 = _("A date of birth cannot be before 1900-01-01.")
DATE_TOO_EARLY = _("This date is before 1900: check the year.")
DATE_TOO_LATE = _("This date is after 2100: check the year.")
COLLECTED_IN_FUTURE = _("The call cannot have happened in the future: check the date and time.")
NOT_A_WHOLE_NUMBER = _("Enter a whole number.")
OUT_OF_RANGE = _("Enter a number from {low} to {high}.")
NOT_AN_AMOUNT = _("Enter an amount in dollars, e.g. 1200 or 1200.50.")
NEGATIVE_INCOME = _("Income cannot be negative.")
ABSURD_INCOME = _("That income is too large: check the amount (less than 10,000,000).")
NOT_A_PHONE = _("Enter a US phone number with area code, e.g. 530-555-0142.")
NOT_AN_EMAIL = _("Enter an email address like name@example.org, or leave it blank.")
TOO_LONG = _("Keep this under {n} characters.")
CHILDREN_NOT_BELOW_SIZE = _("Children must be fewer than the people in the household (the caller counts as one).")
CHILDREN_ABOVE_SIZE = _("Children cannot be more than the people in the household.")
INCOME_NEEDS_PERIOD = _("Say whether the income is monthly or annual.")
SSN_FULL_NEEDS_NUMBER = _("Enter the 9 digits, or choose another quality than “full”.")
COUNTY_REQUIRED = _("Choose the county (or “outside Placer and Nevada counties”) before finishing.")
DV_AGENCY_REQUIRED = _("Choose the victim service provider the caller is referred to.")
DV_ACK_REQUIRED = _("Read the caller the notice that their information may be shared, and tick it, before continuing.")
REF_UNKNOWN = _("Choose one of the options offered.")
NOT_A_FLAG = _("Answer true or false.")
MONTHS_CHOICES = _("Enter a number of months from 1 to 12, or “more_than_12”.")
START_BEFORE_DOB = _("Homelessness cannot start before the date of birth.")

TEXT_LIMITS = {TEXT: 200, LONGTEXT: 1000}
# Columns narrower than their question type's limit (ces.Client).
COLUMN_LIMITS = {"dv_warm_first_name": 100, "first_name": 100, "middle_name": 100, "last_name": 100, "preferred_language_other": 100}
EMAIL_LIMIT = 254
DRAFT_VALUE_LIMIT = 2000  # what a draft keeps of one typed answer
# "US numbers" (spec, intake-and-vat.md): the states and the territories that share the +1 plan; not
# Canada or the Caribbean nations (also +1), nor other countries' numbers.
US_PHONE_REGIONS = frozenset({"US", "PR", "VI", "GU", "AS", "MP"})
FUTURE_SKEW = timedelta(minutes=5)  # clocks of phones and servers differ a little
EARLIEST = date(1900, 1, 1)  # intake-and-vat.md: "not before 1900-01-01"
LATEST = date(2100, 12, 31)
MAX_WHOLE_DIGITS = 9
# The STOP box's decision, kept with the draft: the person chosen (or "new"), and for a known person
# which identity to keep for each group (names, DOB, SSN: "file" or "caller") and why.
IDENTITY_GROUPS = ("name", "dob", "ssn")
DRAFT_ONLY_CODES = ("_client_id", "_new_person", *(f"_keep_{group}" for group in IDENTITY_GROUPS), "_identity_reason")

_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_DATETIME = re.compile(
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,6})?)?(Z|[+-][0-9]{2}(:?[0-9]{2})?)?$"
)
_WHOLE = re.compile(rf"^-?[0-9]{{1,{MAX_WHOLE_DIGITS}}}$")
_AMOUNT = re.compile(r"^-?(?=\.?[0-9])[0-9]{0,12}(\.[0-9]{0,6})?$")
_SSN_CHARACTERS = re.compile(r"^[0-9 \-]*$")
_CENT = Decimal("0.01")

RefCheck = Callable[[str, int], bool]
Errors = dict[str, list[Message]]


class _NotOneAnswer(Exception):
    """A JSON list, object or out-of-range number where one answer belongs."""


def _as_text(value: object) -> str:
    """One answer as trimmed text; raises _NotOneAnswer for what cannot be one answer."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        if abs(value) >= 10**18:  # str() of a number of thousands of digits raises
            raise _NotOneAnswer
        return str(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise _NotOneAnswer
        return repr(value)
    if isinstance(value, str):
        return value.strip()
    raise _NotOneAnswer


def _text_or_blank(value: object) -> str:
    try:
        return _as_text(value)
    except _NotOneAnswer:
        return ""


def normalized(raw: Mapping[str, object]) -> dict[str, object]:
    """Raw answers as the visibility rules read them: trimmed strings, flags as booleans.

    Never raises: what is not one answer reads as blank."""
    result: dict[str, object] = {}
    for code, value in raw.items():
        question = BY_CODE.get(code)
        if question is not None and question.type == FLAG:
            result[code] = value is True or _text_or_blank(value).lower() in ("true", "on", "1", "yes")
        else:
            result[code] = _text_or_blank(value)
    return result


def answer_view(answers: Mapping[str, object]) -> dict[str, object]:
    """What the visibility rules read: the answers to catalogue questions and the call's context
    (intake.questions.CONTEXT_CODES), normalized."""
    return normalized({k: v for k, v in answers.items() if k in BY_CODE or k in CONTEXT_CODES})


def carry_answers(answers: Mapping[str, object], *, fill_only: bool = False) -> tuple[dict[str, object], dict[str, str]]:
    """Ask once, carry the answer (intake.questions.CARRIED_FROM): a repeated question takes the
    answer already given to the first question that applies. Returns (answers, {carried code:
    the code it came from}). The form overrides whatever the repeat held; `fill_only` (the API)
    fills only repeats left blank."""
    result = dict(answers)
    view = answer_view(result)
    carried: dict[str, str] = {}
    for code, sources in CARRIED_FROM.items():
        if fill_only and _text_or_blank(result.get(code)) != "":
            continue
        for source in sources:
            if view.get(source) and applies(BY_CODE[source], view):
                result[code] = view[source]
                carried[code] = source
                break
    return result, carried


def draft_values(raw: Mapping[str, object]) -> tuple[dict[str, object], Errors]:
    """What a draft may keep of typed answers: every known code's value as typed, if it can be stored.

    Returns (storable answers, problems keyed by code). Invalid answers are kept as typed
    (so nothing the agent typed is lost); only what cannot be stored at all (not one answer,
    NUL bytes, broken characters, more than DRAFT_VALUE_LIMIT characters) is left out.
    """
    kept: dict[str, object] = {}
    problems: Errors = {}
    for code, value in raw.items():
        if code not in BY_CODE and code not in DRAFT_ONLY_CODES:
            continue  # the form's own fields (csrf, action, call_language)
        try:  # a string is measured as typed; None, a boolean or a number as its text
            text = _as_text(value) if not isinstance(value, str) else value
        except _NotOneAnswer:
            problems[code] = [NOT_ONE_ANSWER]
            continue
        if not text_is_storable(text):
            problems[code] = [BAD_CHARACTERS]
        elif len(text) > DRAFT_VALUE_LIMIT:
            problems[code] = [format_lazy(TOO_LONG, n=DRAFT_VALUE_LIMIT)]
        else:
            kept[code] = value
    return kept, problems


def plausible_dob(value: object, *, today: date | None = None) -> date | None:
    """A complete date of birth between 1900-01-01 and today, or None (partial, or not a date).

    What Chrome sends while a person types 03221975 into a date field ("0003-22-01",
    "0019-03-22", ...) is None here, so checks that need a DOB wait for the whole of it."""
    if isinstance(value, date) and not isinstance(value, datetime):
        day = value
    else:
        text = _text_or_blank(value)
        if not _DATE.match(text):
            return None
        try:
            day = date.fromisoformat(text)
        except ValueError:
            return None
    return day if EARLIEST <= day <= (today or timezone.localdate()) else None


def _text(question, text: str, errors: list, today: date):
    limit = COLUMN_LIMITS.get(question.code, TEXT_LIMITS[question.type])
    if not text_is_storable(text):
        errors.append(BAD_CHARACTERS)
    elif len(text) > limit:
        errors.append(format_lazy(TOO_LONG, n=limit))
    return text


def _choice(question, text: str, errors: list, today: date):
    if text not in question.choice_codes():
        errors.append(MONTHS_CHOICES if question.type == MONTHS else format_lazy(CHOOSE_ONE, choices=", ".join(question.choice_codes())))
    return text


def _date(question, text: str, errors: list, today: date):
    if not _DATE.match(text):
        errors.append(NOT_A_DATE)
        return None
    try:
        day = date.fromisoformat(text)
    except ValueError:
        errors.append(NOT_A_DATE)
        return None
    if question.code == "dob":
        if day < EARLIEST:
            errors.append(DOB_BEFORE_1900)
        elif day > today:
            errors.append(DATE_IN_FUTURE)
    elif day < EARLIEST:
        errors.append(DATE_TOO_EARLY)
    elif day > LATEST:
        errors.append(DATE_TOO_LATE)
    return None if errors else day


def _moment(question, text: str, errors: list, today: date):
    if not _DATETIME.match(text):
        errors.append(NOT_A_DATETIME)
        return None
    try:
        moment = parse_datetime(text)
    except ValueError:  # e.g. month 13, or an offset of a day or more
        moment = None
    if moment is None:
        errors.append(NOT_A_DATETIME)
        return None
    # Checked before any conversion: year 1 with an offset cannot even be turned into UTC.
    if moment.date() < EARLIEST:
        errors.append(DATE_TOO_EARLY)
        return None
    if moment.date() > LATEST:
        errors.append(DATE_TOO_LATE)
        return None
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def _whole(question, text: str, errors: list, today: date):
    if not _WHOLE.match(text):
        errors.append(NOT_A_WHOLE_NUMBER)
        return None
    number = int(text)
    if not question.min_value <= number <= question.max_value:
        errors.append(format_lazy(OUT_OF_RANGE, low=int(question.min_value), high=int(question.max_value)))
    return number


def _amount(question, text: str, errors: list, today: date):
    text = text.replace(",", "").replace("$", "").replace(" ", "")
    if not _AMOUNT.match(text):
        errors.append(NOT_AN_AMOUNT)
        return None
    # The pattern admits only what Decimal reads, at most 12 + 6 digits: quantizing to cents cannot fail.
    amount = Decimal(text).quantize(_CENT, rounding=ROUND_HALF_UP)
    if amount < 0:
        errors.append(NEGATIVE_INCOME)
    elif amount > policy.MAX_INCOME:
        errors.append(ABSURD_INCOME)
    return None if errors else amount


def _phone(question, text: str, errors: list, today: date):
    try:
        number = phonenumbers.parse(text, "US")
    except phonenumbers.NumberParseException:
        number = None
    if (number is None or not phonenumbers.is_valid_number(number)
            or phonenumbers.region_code_for_number(number) not in US_PHONE_REGIONS):
        errors.append(NOT_A_PHONE)
        return text
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _email(question, text: str, errors: list, today: date):
    if len(text) > EMAIL_LIMIT or not text_is_storable(text):
        errors.append(NOT_AN_EMAIL)
        return text
    try:
        validate_email(text)
    except DjangoValidationError:
        errors.append(NOT_AN_EMAIL)
    return text


def _ssn(question, text: str, errors: list, today: date):
    digits = ssn_normalize(text)
    if len(digits) != 9 or not _SSN_CHARACTERS.match(text):
        errors.append(SSN_NOT_NINE_DIGITS)
    return digits


def _flag(question, text: str, errors: list, today: date):
    lowered = text.lower()
    if lowered not in ("true", "false", "on", "off", "1", "0", "yes", "no"):
        errors.append(NOT_A_FLAG)
    return lowered in ("true", "on", "1", "yes")


def _ref(question, text: str, errors: list, today: date):
    number = parse_id(text)
    if number is None:
        errors.append(REF_UNKNOWN)
    return number


PARSERS = {
    TEXT: _text, LONGTEXT: _text, DQ: _choice, MONTHS: _choice, DATE: _date, DATETIME: _moment, INT: _whole,
    DECIMAL: _amount, PHONE: _phone, EMAIL: _email, SSN: _ssn, FLAG: _flag, REF: _ref,
}


def _parse(question, text: str, errors: list, *, today: date):
    """One answer of `question` from its text: the typed value; problems appended to `errors`."""
    parser = PARSERS.get(question.type)
    if question.choices and question.type not in (DQ, MONTHS):
        parser = _choice
    return parser(question, text, errors, today) if parser else text


def clean_answers(
    raw: Mapping[str, object],
    *,
    refs: RefCheck | None = None,
    complete: bool = True,
    now: datetime | None = None,
    context: Mapping[str, object] | None = None,
) -> tuple[dict[str, object], Errors]:
    """Validate answers. `complete=True` also checks what finishing the intake needs; `context`
    holds the call's facts the rules read (intake.questions.CONTEXT_CODES).

    Never raises for any input: every problem is a message keyed by question code."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    errors: Errors = {}
    for code in raw:
        if code not in BY_CODE:
            errors.setdefault(code, []).append(UNKNOWN_CODE)
    known = {code: value for code, value in raw.items() if code in BY_CODE}
    view = {**normalized(known), **normalized({k: v for k, v in (context or {}).items() if k in CONTEXT_CODES})}
    cleaned: dict[str, object] = {}
    for question in QUESTIONS:
        if question.code not in view or not applies(question, view):
            continue
        try:
            text = _as_text(known[question.code])
        except _NotOneAnswer:
            errors.setdefault(question.code, []).append(NOT_ONE_ANSWER)
            continue
        if text == "":
            if question.type == FLAG:
                cleaned[question.code] = False  # a box left unticked sends nothing
            continue
        problems: list[Message] = []
        parsed = _parse(question, text, problems, today=today)
        if question.type == REF and parsed is not None and refs is not None and not refs(question.code, parsed):
            problems.append(REF_UNKNOWN)
        if problems:
            errors.setdefault(question.code, []).extend(problems)
        else:
            cleaned[question.code] = parsed
    _cross_field(cleaned, errors, view, now=now, complete=complete)
    return cleaned, errors


def _cross_field(cleaned, errors, view, *, now: datetime, complete: bool) -> None:
    def add(code: str, message) -> None:
        errors.setdefault(code, []).append(message)

    collected = cleaned.get("collected_at")
    if isinstance(collected, datetime) and collected > now + FUTURE_SKEW:
        add("collected_at", COLLECTED_IN_FUTURE)
    today = timezone.localdate(now)
    dob = cleaned.get("dob")
    start = cleaned.get("homeless_start_date")
    if isinstance(start, date):
        if start > today:
            add("homeless_start_date", DATE_IN_FUTURE)
        elif isinstance(dob, date) and start < dob:
            add("homeless_start_date", START_BEFORE_DOB)
    _household(cleaned, add)
    if cleaned.get("ssn_data_quality") == "full" and "ssn" not in errors:
        ssn = cleaned.get("ssn")
        if not ssn:
            add("ssn", SSN_FULL_NEEDS_NUMBER)
        elif not ssn_is_valid(ssn):
            add("ssn", SSN_INVALID_FOR_FULL)
    if complete:
        _needed_to_finish(cleaned, errors, view, add)


def _household(cleaned, add) -> None:
    size, children = cleaned.get("household_size"), cleaned.get("household_children")
    if isinstance(size, int) and isinstance(children, int):
        if cleaned.get("vi_unaccompanied_youth") == "yes":
            if children > size:
                add("household_children", CHILDREN_ABOVE_SIZE)
        elif children >= size:
            add("household_children", CHILDREN_NOT_BELOW_SIZE)
    if "household_income" in cleaned and "income_period" not in cleaned:
        add("income_period", INCOME_NEEDS_PERIOD)


def _needed_to_finish(cleaned, errors, view, add) -> None:
    if not cleaned.get("county"):
        add("county", COUNTY_REQUIRED)
    if view.get("dv_referral_accepted") == "yes" and BY_CODE["dv_referral_agency"].applies(view):
        if "dv_referral_agency" not in cleaned and "dv_referral_agency" not in errors:
            add("dv_referral_agency", DV_AGENCY_REQUIRED)
    ack = BY_CODE["dv_pii_sharing_acknowledged"]
    if ack.applies(view) and cleaned.get("dv_pii_sharing_acknowledged") is not True:
        add("dv_pii_sharing_acknowledged", DV_ACK_REQUIRED)
