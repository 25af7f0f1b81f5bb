"""The intake's answer rules, stated from intake-and-vat.md and the strict-input contract of
intake/validation.py (its docstring; docs/architecture.md, "The path of an action"), with their
boundaries: a bound moved by one, a message swapped, a rule dropped fails one of these (issue 18).

Pure: no database (the `refs` callback stands in for the database-backed choices), so each
mutant of intake/validation.py runs these in a second or two.
"""

from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from intake import validation as v
from intake.validation import answer_view, carry_answers, clean_answers, draft_values, normalized, plausible_dob

PACIFIC = ZoneInfo("America/Los_Angeles")  # the CoC's time zone (settings.TIME_ZONE)
NOW = datetime(2026, 11, 20, 18, 15, tzinfo=UTC)  # 10:15 in Placer and Nevada counties
TODAY = date(2026, 11, 20)
PERSONAL = {"county": "nevada"}  # a county opens the personal questions
VI = {"county": "nevada", "continue_to_vi": "yes", "vi_consent": "yes"}  # consent opens the VI section
SHELTER_NV = {"county": "nevada", "wants_shelter_tonight": "yes"}
SHELTER_PL = {"county": "placer", "wants_shelter_tonight": "yes"}
DV_DECLINED = {"county": "nevada", "safety_safe_talking": "no", "dv_referral_accepted": "no"}
DV_ACCEPTED = {"county": "nevada", "safety_safe_talking": "no", "dv_referral_accepted": "yes"}


def clean(answers, **kwargs):
    kwargs.setdefault("now", NOW)
    kwargs.setdefault("complete", False)
    return clean_answers(answers, **kwargs)


def messages(errors, code) -> list[str]:
    return [str(message) for message in errors.get(code, [])]


def one(code, value, base=PERSONAL, **kwargs):
    """(the cleaned value or None, the messages) of one answer."""
    cleaned, errors = clean({**base, code: value}, **kwargs)
    return cleaned.get(code), messages(errors, code)


# --- a whole call: what is kept, what is refused -------------------------------------------------


def test_a_valid_call_is_cleaned_into_typed_values():
    answers = {
        **VI, "collected_at": "2026-11-20T09:30", "first_name": "  Ana ", "dob": "1964-05-01", "dob_data_quality": "full",
        "phone_primary": "(530) 555-0142", "ssn": "287-65-4321", "ssn_data_quality": "full", "email": "ana@example.org",
        "household_size": "3", "household_children": "2", "has_income": "yes", "household_income": "$20,420.00",
        "income_period": "annual", "months_homeless_3y": "12", "homeless_start_date": "2025-11-20",
        "hmis_script_read": "true",
    }
    cleaned, errors = clean(answers, complete=True)
    assert errors == {}
    assert cleaned["collected_at"] == datetime(2026, 11, 20, 9, 30, tzinfo=PACIFIC)
    assert cleaned["first_name"] == "Ana"
    assert cleaned["dob"] == date(1964, 5, 1)
    assert cleaned["phone_primary"] == "+15305550142"
    assert cleaned["ssn"] == "287654321"
    assert cleaned["household_size"] == 3 and cleaned["household_children"] == 2
    assert cleaned["household_income"] == Decimal("20420.00")
    assert cleaned["months_homeless_3y"] == "12"
    assert cleaned["homeless_start_date"] == date(2025, 11, 20)
    assert cleaned["hmis_script_read"] is True
    assert cleaned["county"] == "nevada" and cleaned["continue_to_vi"] == "yes"


def test_answers_to_questions_that_do_not_apply_are_dropped_without_a_word():
    cleaned, errors = clean({"county": "nevada", "household_size": "99", "nv_pets": "maybe", "roseville_resident": "x"})
    assert set(cleaned) == {"county"} and errors == {}  # no VI consent, no shelter asked, not Placer


def test_an_unknown_code_is_refused_by_name_and_the_rest_still_cleaned():
    cleaned, errors = clean({**PERSONAL, "favourite_colour": "blue", "first_name": "Ana"})
    assert messages(errors, "favourite_colour") == [str(v.UNKNOWN_CODE)]
    assert cleaned["first_name"] == "Ana" and "favourite_colour" not in cleaned


def test_a_blank_answer_is_neither_kept_nor_refused():
    for blank in ("", "   ", None):
        cleaned, errors = clean({**VI, "household_size": blank, "dob": blank})
        assert "household_size" not in cleaned and "dob" not in cleaned and errors == {}


@pytest.mark.parametrize("value", [[3], {"n": 3}, float("nan"), float("inf"), float("-inf"), 10**18, -(10**18)])
def test_a_list_an_object_or_a_number_out_of_reach_is_not_one_answer(value):
    assert one("household_size", value, VI) == (None, [str(v.NOT_ONE_ANSWER)])


def test_a_blank_answer_does_not_stop_the_others():
    cleaned, errors = clean({**PERSONAL, "first_name": "", "hmis_script_read": "", "last_name": "Lee", "household_size": "x"})
    assert cleaned == {"county": "nevada", "hmis_script_read": False, "last_name": "Lee"} and errors == {}


def test_by_default_the_answers_are_checked_for_finishing():
    _cleaned, errors = clean_answers({"first_name": "Ana"}, now=NOW)
    assert messages(errors, "county") == [str(v.COUNTY_REQUIRED)]


def test_an_answer_that_is_not_one_answer_does_not_stop_the_others():
    cleaned, errors = clean({**VI, "first_name": ["Ana"], "last_name": "Lee", "household_size": {"n": 3}, "household_children": "0"})
    assert messages(errors, "first_name") == [str(v.NOT_ONE_ANSWER)] and messages(errors, "household_size") == [str(v.NOT_ONE_ANSWER)]
    assert cleaned["last_name"] == "Lee" and cleaned["household_children"] == 0


def test_json_numbers_and_booleans_are_read_as_their_text():
    assert one("household_size", 3, VI) == (3, [])
    assert one("household_size", 10**18 - 1, VI) == (None, [str(v.NOT_A_WHOLE_NUMBER)])  # 18 digits: read, then refused
    assert one("household_size", 3.5, VI) == (None, [str(v.NOT_A_WHOLE_NUMBER)])
    assert one("household_income", 1200.5, {**VI, "has_income": "yes", "income_period": "monthly"}) == (Decimal("1200.50"), [])
    assert one("first_name", True) == ("true", [])
    assert one("first_name", False) == ("false", [])


# --- text: storable, within the column -------------------------------------------------------------


@pytest.mark.parametrize(("code", "base", "limit"), [
    ("first_name", PERSONAL, 100), ("middle_name", PERSONAL, 100), ("last_name", PERSONAL, 100),  # ces.Client's columns
    ("preferred_language_other", {**PERSONAL, "preferred_language": "other"}, 100),
    ("dv_warm_first_name", {**DV_ACCEPTED, "dv_warm_consent": "yes"}, 100),
    ("current_location", PERSONAL, 200), ("alt_contact_name", PERSONAL, 200),  # a line of text
    ("mailing_address", PERSONAL, 1000),  # a long text
])
def test_text_is_kept_up_to_its_columns_length(code, base, limit):
    assert one(code, "x" * limit, base) == ("x" * limit, [])
    assert one(code, "x" * (limit + 1), base) == (None, [f"Keep this under {limit} characters."])


@pytest.mark.parametrize("text", ["a\x00b", "\ud800", "broken \udfff"])
def test_text_with_a_nul_byte_or_a_broken_character_is_refused(text):
    assert one("first_name", text) == (None, [str(v.BAD_CHARACTERS)])
    assert one("mailing_address", text) == (None, [str(v.BAD_CHARACTERS)])


def test_text_is_trimmed():
    assert one("current_location", "  under the bridge \n") == ("under the bridge", [])


# --- choices -----------------------------------------------------------------------------------------


def test_a_choice_must_be_one_of_its_codes_and_the_message_lists_them():
    assert one("county", "nevada", {}) == ("nevada", [])
    assert one("county", "mars", {}) == (None, ["Choose one of: nevada, placer, outside_coc."])
    assert one("county", "Nevada", {}) == (None, ["Choose one of: nevada, placer, outside_coc."])
    assert one("name_data_quality", "partial") == ("partial", [])
    assert one("name_data_quality", "fully") == (None, ["Choose one of: full, partial, doesnt_know, refused, not_collected."])
    assert one("voicemail_consent", "doesnt_know") == ("doesnt_know", [])
    assert one("voicemail_consent", "1") == (None, ["Choose one of: yes, no, doesnt_know, refused, not_collected."])
    assert one("income_period", "weekly", {**VI, "has_income": "yes"})[1] == ["Choose one of: monthly, annual."]


@pytest.mark.parametrize(("value", "ok"), [("1", True), ("12", True), ("more_than_12", True), ("0", False), ("13", False),
                                           ("twelve", False), ("12.0", False)])
def test_months_homeless_is_1_to_12_or_more_than_12(value, ok):
    expected = (value, []) if ok else (None, [str(v.MONTHS_CHOICES)])
    assert one("months_homeless_3y", value, VI) == expected


# --- dates -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("typed", "expected"), [
    ("1900-01-01", date(1900, 1, 1)), ("2026-11-20", TODAY), ("1986-03-04", date(1986, 3, 4)), ("2024-02-29", date(2024, 2, 29)),
])
def test_a_date_of_birth_from_1900_01_01_to_today(typed, expected):
    assert one("dob", typed) == (expected, [])


def test_a_date_of_birth_before_1900_or_after_today_is_refused_with_its_reason():
    assert one("dob", "1899-12-31") == (None, [str(v.DOB_BEFORE_1900)])
    assert one("dob", "0001-01-01") == (None, [str(v.DOB_BEFORE_1900)])
    assert one("dob", "2026-11-21") == (None, [str(v.DATE_IN_FUTURE)])
    assert one("dob", "2099-01-01") == (None, [str(v.DATE_IN_FUTURE)])


def test_today_is_the_cocs_local_date_of_now():
    late_evening = datetime(2026, 11, 21, 7, 30, tzinfo=UTC)  # 23:30 on the 20th in California
    assert one("dob", "2026-11-21", now=late_evening) == (None, [str(v.DATE_IN_FUTURE)])
    assert one("dob", "2026-11-20", now=late_evening) == (date(2026, 11, 20), [])


@pytest.mark.parametrize("typed", ["19640501", "1964-5-1", "05/01/1964", "1964-02-30", "1964-13-01", "٢٠٢٦-01-01", "1964-05-01x",
                                   "x1964-05-01"])
def test_a_date_is_written_yyyy_mm_dd_and_exists(typed):
    assert one("dob", typed) == (None, [str(v.NOT_A_DATE)])
    assert one("homeless_start_date", typed, VI) == (None, [str(v.NOT_A_DATE)])


def test_other_dates_lie_between_1900_and_2100():
    assert one("homeless_start_date", "1900-01-01", VI) == (date(1900, 1, 1), [])
    assert one("homeless_start_date", "1899-12-31", VI) == (None, [str(v.DATE_TOO_EARLY)])
    assert one("homeless_start_date", "2101-01-01", VI) == (None, [str(v.DATE_TOO_LATE)])
    assert one("homeless_start_date", "2100-12-31", VI)[1] == [str(v.DATE_IN_FUTURE)]  # a date, but not yet


def test_homelessness_starts_at_the_latest_today_and_not_before_birth():
    assert one("homeless_start_date", "2026-11-20", VI) == (TODAY, [])
    assert one("homeless_start_date", "2026-11-21", VI)[1] == [str(v.DATE_IN_FUTURE)]
    born = {**VI, "dob": "1990-06-15"}
    assert one("homeless_start_date", "1990-06-15", born) == (date(1990, 6, 15), [])
    assert one("homeless_start_date", "1990-06-14", born)[1] == [str(v.START_BEFORE_DOB)]
    assert one("homeless_start_date", "1990-06-14", VI) == (date(1990, 6, 14), [])  # no DOB to compare with


# --- the date and time of the call ------------------------------------------------------------------


@pytest.mark.parametrize(("typed", "expected"), [
    ("2026-11-20T10:15", datetime(2026, 11, 20, 10, 15, tzinfo=PACIFIC)),
    ("2026-11-20 10:15", datetime(2026, 11, 20, 10, 15, tzinfo=PACIFIC)),
    ("2026-11-20T10:15:30", datetime(2026, 11, 20, 10, 15, 30, tzinfo=PACIFIC)),
    ("2026-11-20T10:15:30.5", datetime(2026, 11, 20, 10, 15, 30, 500000, tzinfo=PACIFIC)),
    ("2026-11-20T18:15Z", NOW),
    ("2026-11-20T13:15-05:00", datetime(2026, 11, 20, 13, 15, tzinfo=timezone(timedelta(hours=-5)))),
    ("2026-11-20T23:45+0530", datetime(2026, 11, 20, 23, 45, tzinfo=timezone(timedelta(hours=5, minutes=30)))),
    ("1900-01-01T00:00", datetime(1900, 1, 1, tzinfo=PACIFIC)),
])
def test_the_call_time_is_yyyy_mm_ddthh_mm_in_the_cocs_zone_unless_an_offset_is_given(typed, expected):
    value, problems = one("collected_at", typed, {})
    assert problems == [] and value == expected and value.utcoffset() == expected.utcoffset()


@pytest.mark.parametrize("typed", ["2026-11-20", "20261120T1015", "2026-11-20T10", "2026-11-20T1015", "2026-13-20T10:15",
                                   "2026-11-20T25:00", "2026-11-20T10:15:00+25:00", "٢٠٢٦-11-20T10:15", "2026-11-20T10:15 PST",
                                   "x2026-11-20T10:15"])
def test_what_is_not_a_date_and_time_is_refused(typed):
    assert one("collected_at", typed, {}) == (None, [str(v.NOT_A_DATETIME)])


def test_the_call_time_lies_between_1900_and_2100():
    assert one("collected_at", "1899-12-31T23:59", {}) == (None, [str(v.DATE_TOO_EARLY)])
    assert one("collected_at", "0001-01-01T00:00:00+05:00", {}) == (None, [str(v.DATE_TOO_EARLY)])
    assert one("collected_at", "2101-01-01T00:00", {}) == (None, [str(v.DATE_TOO_LATE)])
    assert one("collected_at", "9999-12-31T23:59:59-14:00", {}) == (None, [str(v.DATE_TOO_LATE)])
    far = datetime(2100, 12, 31, 23, 59, tzinfo=PACIFIC)
    assert one("collected_at", "2100-12-31T23:59", {}, now=far + timedelta(minutes=1)) == (far, [])


def test_the_call_cannot_be_in_the_future_beyond_five_minutes_of_clock_skew():
    cleaned, errors = clean({"collected_at": "2026-11-20T10:20"})  # now + 5 minutes: clocks differ a little
    assert errors == {} and cleaned["collected_at"] == datetime(2026, 11, 20, 10, 20, tzinfo=PACIFIC)
    for later in ("2026-11-20T10:20:01", "2026-11-20T10:21", "2026-11-21T10:15"):
        cleaned, errors = clean({"collected_at": later})
        assert messages(errors, "collected_at") == [str(v.COLLECTED_IN_FUTURE)], later


def test_without_now_the_call_is_checked_against_the_real_clock():
    _cleaned, errors = clean_answers({"collected_at": "2099-01-01T10:00"}, complete=False)
    assert messages(errors, "collected_at") == [str(v.COLLECTED_IN_FUTURE)]
    _cleaned, errors = clean_answers({"collected_at": "2020-01-01T10:00", "dob": "2020-01-01", "county": "nevada"}, complete=False)
    assert errors == {}


# --- whole numbers ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("typed", "expected"), [("1", 1), ("30", 30), (" 7 ", 7), ("007", 7)])
def test_household_size_is_a_whole_number_from_1_to_30(typed, expected):
    assert one("household_size", typed, VI) == (expected, [])


@pytest.mark.parametrize("typed", ["0", "31", "-1", "-30", "123456789"])
def test_household_size_out_of_range_names_the_range(typed):
    assert one("household_size", typed, VI) == (None, ["Enter a number from 1 to 30."])


@pytest.mark.parametrize("typed", ["3.0", "3.5", "three", "٣", "²", "３", "+3", "1e1", "0x10", "-", "1234567890", "9" * 5000, "3 4"])
def test_a_whole_number_is_ascii_digits_only(typed):
    assert one("household_size", typed, VI) == (None, [str(v.NOT_A_WHOLE_NUMBER)])


def test_children_are_a_whole_number_from_0_to_29():
    big = {**VI, "household_size": "30"}
    assert one("household_children", "0", big) == (0, [])
    assert one("household_children", "29", big) == (29, [])
    assert one("household_children", "30", big) == (None, ["Enter a number from 0 to 29."])
    assert one("household_children", "-1", big) == (None, ["Enter a number from 0 to 29."])


def test_children_are_fewer_than_the_household_the_caller_included():
    family = {**VI, "household_size": "3"}
    assert one("household_children", "2", family) == (2, [])
    assert one("household_children", "3", family)[1] == [str(v.CHILDREN_NOT_BELOW_SIZE)]
    assert one("household_children", "4", family)[1] == [str(v.CHILDREN_NOT_BELOW_SIZE)]


def test_an_unaccompanied_youth_may_count_everyone_as_children_but_no_more():
    youth = {**VI, "household_size": "2", "vi_unaccompanied_youth": "yes"}
    assert one("household_children", "2", youth) == (2, [])
    assert one("household_children", "1", youth) == (1, [])
    assert one("household_children", "3", youth)[1] == [str(v.CHILDREN_ABOVE_SIZE)]
    not_youth = {**youth, "vi_unaccompanied_youth": "no"}
    assert one("household_children", "2", not_youth)[1] == [str(v.CHILDREN_NOT_BELOW_SIZE)]


def test_children_alone_or_the_size_alone_is_not_compared():
    assert one("household_children", "5", VI) == (5, [])
    cleaned, errors = clean({**VI, "household_size": "1", "household_children": "x"})
    assert messages(errors, "household_children") == [str(v.NOT_A_WHOLE_NUMBER)] and cleaned["household_size"] == 1


# --- income ----------------------------------------------------------------------------------------------

INCOME = {**VI, "has_income": "yes", "income_period": "monthly"}


@pytest.mark.parametrize(("typed", "expected"), [
    ("1200", Decimal("1200.00")), ("1200.50", Decimal("1200.50")), ("$1,200.50", Decimal("1200.50")),
    ("$ 20 420", Decimal("20420.00")), ("1200.505", Decimal("1200.51")), ("1200.504", Decimal("1200.50")),
    ("1200.995", Decimal("1201.00")), (".5", Decimal("0.50")), ("5.", Decimal("5.00")), ("0", Decimal("0.00")),
    ("9999999.99", Decimal("9999999.99")), ("9999999.994", Decimal("9999999.99")), ("-0.001", Decimal("0.00")),
    ("1.123456", Decimal("1.12")), ("000000000001", Decimal("1.00")),
])
def test_an_amount_in_dollars_is_rounded_half_up_to_cents(typed, expected):
    value, problems = one("household_income", typed, INCOME)
    assert problems == [] and value == expected and value.as_tuple().exponent == -2


@pytest.mark.parametrize("typed", ["1e3", "1E3", "NaN", "Infinity", "-Infinity", "1e999999", ".", "-", "", "12.34.5", "٣", "1.1234567",
                                   "1234567890123", "0x10", "+5", "5-"])
def test_what_is_not_an_amount_is_refused(typed):
    if typed == "":
        assert one("household_income", typed, INCOME) == (None, [])
        return
    assert one("household_income", typed, INCOME) == (None, [str(v.NOT_AN_AMOUNT)])


def test_income_is_zero_or_more_and_less_than_ten_million():
    assert one("household_income", "-0.01", INCOME) == (None, [str(v.NEGATIVE_INCOME)])
    assert one("household_income", "-0.005", INCOME) == (None, [str(v.NEGATIVE_INCOME)])  # rounds to -0.01
    assert one("household_income", "-1200", INCOME) == (None, [str(v.NEGATIVE_INCOME)])
    assert one("household_income", "10000000", INCOME) == (None, [str(v.ABSURD_INCOME)])
    assert one("household_income", "9999999.995", INCOME) == (None, [str(v.ABSURD_INCOME)])  # rounds to 10,000,000.00
    assert one("household_income", "123456789012", INCOME) == (None, [str(v.ABSURD_INCOME)])


def test_an_income_needs_its_period_and_a_period_alone_is_fine():
    cleaned, errors = clean({**VI, "has_income": "yes", "household_income": "1200"})
    assert messages(errors, "income_period") == [str(v.INCOME_NEEDS_PERIOD)] and cleaned["household_income"] == Decimal("1200.00")
    cleaned, errors = clean({**VI, "has_income": "yes", "income_period": "annual"})
    assert errors == {} and cleaned["income_period"] == "annual"
    _cleaned, errors = clean({**VI, "has_income": "yes", "household_income": "abc"})
    assert "income_period" not in errors  # the amount has its own message first


# --- phone, email --------------------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["530-555-0142", "(530) 555-0142", "5305550142", "+1 530 555 0142", "1-530-555-0142"])
def test_a_us_phone_number_with_area_code_is_stored_as_e164(typed):
    assert one("phone_primary", typed) == ("+15305550142", [])
    assert one("alt_contact_phone", typed) == ("+15305550142", [])


@pytest.mark.parametrize("typed", ["555-0142", "12345", "abc", "530-555-014", "000-000-0000", "+1 530 555 0142 99999"])
def test_what_is_not_a_phone_number_is_refused(typed):
    assert one("phone_primary", typed) == (None, [str(v.NOT_A_PHONE)])


@pytest.mark.parametrize("typed", ["787-722-1234", "+1 671 472 1234"])
def test_a_number_of_a_us_territory_is_a_us_number(typed):
    assert one("phone_primary", typed)[1] == []


@pytest.mark.parametrize("typed", ["+44 20 7946 0958", "+52 55 5555 5555", "+1 416 979 0000"])
def test_a_number_outside_the_us_is_refused(typed):
    """The spec asks for US numbers: a valid number of another country (Canada shares +1) is refused."""
    assert one("phone_primary", typed) == (None, [str(v.NOT_A_PHONE)])


def test_the_future_phone_is_asked_only_when_it_differs():
    assert one("phone_future", "530-555-0199", {**PERSONAL, "phone_future_same": "no"}) == ("+15305550199", [])
    assert one("phone_future", "530-555-0199", {**PERSONAL, "phone_future_same": "yes"}) == (None, [])


def test_an_email_is_an_address_of_at_most_254_characters():
    assert one("email", "name@example.org") == ("name@example.org", [])
    longest = "a" * 64 + "@" + "b" * 63 + "." + "c" * 63 + "." + "d" * 57 + ".org"
    assert len(longest) == 254
    assert one("email", longest) == (longest, [])
    too_long = longest.replace(".org", "d.org")  # an address Django would take, one character over
    assert one("email", too_long) == (None, [str(v.NOT_AN_EMAIL)])
    for bad in ("name", "name@", "@example.org", "name@@example.org", "na me@example.org", "name@example.org\x00",
                "name\ud800@example.org"):
        assert one("email", bad) == (None, [str(v.NOT_AN_EMAIL)]), bad


# --- SSN ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["287-65-4321", "287654321", "287 65 4321", " 287-65-4321 "])
def test_an_ssn_is_nine_digits_dashes_and_spaces_allowed(typed):
    assert one("ssn", typed) == ("287654321", [])


@pytest.mark.parametrize("typed", ["28765432", "2876543210", "287.65.4321", "287-65-4321x", "٢٨٧٦٥٤٣٢١", "287/65/4321", "SSN 287654321"])
def test_what_is_not_nine_ascii_digits_is_not_an_ssn(typed):
    assert one("ssn", typed) == (None, [str(v.SSN_NOT_NINE_DIGITS)])


@pytest.mark.parametrize("ssn", ["000-12-3456", "666-12-3456", "900-12-3456", "999-12-3456", "123-00-4567", "123-45-0000"])
def test_an_invalid_ssn_cannot_have_quality_full(ssn):
    full = {**PERSONAL, "ssn_data_quality": "full"}
    assert one("ssn", ssn, full)[1] == [str(v.SSN_INVALID_FOR_FULL)]
    assert one("ssn", ssn, {**PERSONAL, "ssn_data_quality": "partial"}) == (ssn.replace("-", ""), [])


@pytest.mark.parametrize("ssn", ["001-01-0001", "665-12-3456", "667-12-3456", "899-99-9999"])
def test_a_valid_ssn_may_have_quality_full(ssn):
    assert one("ssn", ssn, {**PERSONAL, "ssn_data_quality": "full"}) == (ssn.replace("-", ""), [])


def test_quality_full_needs_the_nine_digits_and_a_wrong_ssn_gets_one_message():
    cleaned, errors = clean({**PERSONAL, "ssn_data_quality": "full"})
    assert messages(errors, "ssn") == [str(v.SSN_FULL_NEEDS_NUMBER)] and cleaned["ssn_data_quality"] == "full"
    _cleaned, errors = clean({**PERSONAL, "ssn_data_quality": "full", "ssn": "12345"})
    assert messages(errors, "ssn") == [str(v.SSN_NOT_NINE_DIGITS)]
    _cleaned, errors = clean({**PERSONAL, "ssn_data_quality": "partial"})
    assert errors == {}


# --- ticked boxes (flags) -------------------------------------------------------------------------------


@pytest.mark.parametrize(("typed", "ticked"), [
    (True, True), ("true", True), ("TRUE", True), ("on", True), ("1", True), (1, True), ("yes", True),
    (False, False), ("false", False), ("off", False), ("0", False), (0, False), ("no", False), ("", False), (None, False),
])
def test_a_ticked_box_is_true_or_false(typed, ticked):
    assert one("hmis_script_read", typed) == (ticked, [])


@pytest.mark.parametrize("typed", ["maybe", "y", "2", "tru"])
def test_a_box_answered_with_anything_else_is_refused(typed):
    assert one("hmis_script_read", typed) == (None, [str(v.NOT_A_FLAG)])


def test_a_box_answered_with_a_list_is_not_one_answer():
    assert one("hmis_script_read", ["true"]) == (None, [str(v.NOT_ONE_ANSWER)])


# --- records chosen from the database (a shelter, a VSP) ------------------------------------------------


def test_a_chosen_shelter_is_a_record_id_the_database_knows():
    known = {7}
    seen = []

    def refs(code, number):
        seen.append((code, number))
        return number in known

    assert one("shelter_choice", "7", SHELTER_NV, refs=refs) == (7, [])
    assert seen == [("shelter_choice", 7)]
    assert one("shelter_choice", 7, SHELTER_PL, refs=refs) == (7, [])
    assert one("shelter_choice", "8", SHELTER_NV, refs=refs) == (None, [str(v.REF_UNKNOWN)])
    assert one("shelter_choice", "8", SHELTER_NV) == (8, [])  # without a check, any id
    for bad in ("abc", "0", "-7", "7.0", "٣", True, "9" * 5000, 0, -3):
        assert one("shelter_choice", bad, SHELTER_NV, refs=refs) == (None, [str(v.REF_UNKNOWN)]), bad
    assert len(seen) == 3  # a value that is no id never reaches the database


# --- what finishing the intake needs ------------------------------------------------------------------


def test_finishing_needs_a_county():
    _cleaned, errors = clean({"first_name": "Ana"}, complete=True)
    assert messages(errors, "county") == [str(v.COUNTY_REQUIRED)]
    _cleaned, errors = clean({"county": "mars"}, complete=True)
    assert messages(errors, "county") == ["Choose one of: nevada, placer, outside_coc.", str(v.COUNTY_REQUIRED)]
    _cleaned, errors = clean({"first_name": "Ana"}, complete=False)
    assert errors == {}
    _cleaned, errors = clean({"county": "outside_coc"}, complete=True)
    assert errors == {}


def test_an_accepted_vsp_referral_needs_its_provider():
    _cleaned, errors = clean(DV_ACCEPTED, complete=True)
    assert messages(errors, "dv_referral_agency") == [str(v.DV_AGENCY_REQUIRED)]
    _cleaned, errors = clean({**DV_ACCEPTED, "dv_referral_agency": "4"}, complete=True)
    assert errors == {}
    _cleaned, errors = clean({**DV_ACCEPTED, "dv_referral_agency": "4"}, complete=True, refs=lambda code, number: False)
    assert messages(errors, "dv_referral_agency") == [str(v.REF_UNKNOWN)]  # one message: the choice, not "choose one"
    _cleaned, errors = clean({**DV_ACCEPTED, "dv_referral_agency": "x"}, complete=True)
    assert messages(errors, "dv_referral_agency") == [str(v.REF_UNKNOWN)]
    _cleaned, errors = clean(DV_ACCEPTED, complete=False)
    assert errors == {}


def test_accepted_without_the_pathway_needs_no_provider():
    """"Accepted" typed where no offer was made (safe talking, not afraid) asks for no provider."""
    _cleaned, errors = clean({"county": "nevada", "safety_safe_talking": "yes", "dv_referral_accepted": "yes"}, complete=True)
    assert errors == {}
    at_vsp = {"_at_vsp": True}  # the VSP's own advocate takes the call: no offer to make
    _cleaned, errors = clean(DV_ACCEPTED, complete=True, context=at_vsp)
    assert errors == {}


def test_a_declined_vsp_referral_needs_the_notice_ticked():
    _cleaned, errors = clean(DV_DECLINED, complete=True)
    assert messages(errors, "dv_pii_sharing_acknowledged") == [str(v.DV_ACK_REQUIRED)]
    for unticked in ("false", "", None):
        _cleaned, errors = clean({**DV_DECLINED, "dv_pii_sharing_acknowledged": unticked}, complete=True)
        assert messages(errors, "dv_pii_sharing_acknowledged") == [str(v.DV_ACK_REQUIRED)], unticked
    cleaned, errors = clean({**DV_DECLINED, "dv_pii_sharing_acknowledged": "true", "first_name": "Ana"}, complete=True)
    assert errors == {} and cleaned["dv_pii_sharing_acknowledged"] is True and cleaned["first_name"] == "Ana"
    _cleaned, errors = clean(DV_DECLINED, complete=False)
    assert errors == {}


def test_without_the_notice_a_declined_caller_gives_no_personal_information():
    cleaned, errors = clean({**DV_DECLINED, "first_name": "Ana", "dob": "1990-01-01"})
    assert "first_name" not in cleaned and "dob" not in cleaned and errors == {}


def test_an_accepted_referral_keeps_no_personal_information():
    cleaned, _errors = clean({**DV_ACCEPTED, "first_name": "Ana", "ssn": "287654321", "phone_primary": "530-555-0142"})
    assert not {"first_name", "ssn", "phone_primary"} & set(cleaned)


def test_the_calls_context_is_read_only_from_its_own_codes():
    cleaned, _errors = clean({"first_name": "Ana"}, context={"county": "nevada"})
    assert "first_name" not in cleaned  # a county must be an answer, not context
    cleaned, _errors = clean({"county": "nevada", "safety_safe_talking": "no", "first_name": "Ana"}, context={"_at_vsp": "true"})
    assert cleaned["first_name"] == "Ana"  # at a VSP, no offer is made, so the notice is not needed
    cleaned, _errors = clean({"county": "nevada", "safety_safe_talking": "no", "first_name": "Ana"})
    assert "first_name" not in cleaned


# --- what the visibility rules read ------------------------------------------------------------------


def test_normalized_answers_are_trimmed_text_and_ticked_boxes():
    assert normalized({"first_name": " Ana ", "household_size": 3, "hmis_script_read": "on", "vi_script_read": "no",
                       "dv_pii_sharing_acknowledged": True, "disability_notice_read": "Yes", "dv_partner_offer_read": "TRUE",
                       "last_name": ["x"], "middle_name": None, "email": {"a": 1}, "elsewhere": " x "}) == {
        "first_name": "Ana", "household_size": "3", "hmis_script_read": True, "vi_script_read": False,
        "dv_pii_sharing_acknowledged": True, "disability_notice_read": True, "dv_partner_offer_read": True,
        "last_name": "", "middle_name": "", "email": "", "elsewhere": "x"}
    assert normalized({"hmis_script_read": "1", "vi_script_read": ["true"], "dv_partner_offer_read": None,
                       "disability_notice_read": "off", "first_name": True, "last_name": 2.5}) == {
        "hmis_script_read": True, "vi_script_read": False, "dv_partner_offer_read": False, "disability_notice_read": False,
        "first_name": "true", "last_name": "2.5"}
    # Only the JSON `true` itself, or the text of a tick: 1.0 is a number, not a tick.
    assert normalized({"hmis_script_read": 1.0, "vi_script_read": 1, "dv_partner_offer_read": False}) == {
        "hmis_script_read": False, "vi_script_read": True, "dv_partner_offer_read": False}


def test_the_view_holds_only_questions_and_the_calls_context():
    assert answer_view({"county": " nevada ", "_at_vsp": True, "csrfmiddlewaretoken": "x", "_client_id": "3", "action": "save"}) == {
        "county": "nevada", "_at_vsp": "true"}


# --- ask once, carry the answer -----------------------------------------------------------------------


def test_a_repeated_question_carries_the_first_answer():
    answers, carried = carry_answers({**SHELTER_PL, "safety_minor_without_adult": "yes", "roseville_resident": "no"})
    assert answers["vi_unaccompanied_youth"] == "yes" and answers["pl_minor_unaccompanied"] == "yes"
    assert answers["pl_roseville"] == "no"
    assert carried == {"pl_minor_unaccompanied": "safety_minor_without_adult", "vi_unaccompanied_youth": "safety_minor_without_adult",
                       "pl_roseville": "roseville_resident"}


def test_the_carried_answer_comes_from_the_question_that_applies():
    answers, carried = carry_answers({**SHELTER_PL, "nv_has_income": "no", "pl_has_income": "yes",
                                      "nv_registered_sex_offender": "yes", "pl_registered_sex_offender": "no"})
    assert answers["has_income"] == "yes" and carried["has_income"] == "pl_has_income"
    assert answers["registered_sex_offender"] == "no" and carried["registered_sex_offender"] == "pl_registered_sex_offender"
    answers, carried = carry_answers({**SHELTER_NV, "nv_has_income": "no"})
    assert answers["has_income"] == "no" and carried == {"has_income": "nv_has_income"}
    answers, carried = carry_answers({"county": "nevada", "nv_has_income": "no"})  # no shelter asked: nothing to carry
    assert "has_income" not in answers and carried == {}


def test_a_blank_first_answer_carries_nothing():
    answers, carried = carry_answers({**SHELTER_PL, "safety_minor_without_adult": " ", "vi_unaccompanied_youth": "no"})
    assert answers["vi_unaccompanied_youth"] == "no" and carried == {}


def test_the_form_overrides_the_repeat_and_the_api_only_fills_blanks():
    given = {**VI, "safety_minor_without_adult": "yes", "vi_unaccompanied_youth": "no", "pl_minor_unaccompanied": ""}
    answers, carried = carry_answers(given)
    assert answers["vi_unaccompanied_youth"] == "yes" and "vi_unaccompanied_youth" in carried
    answers, carried = carry_answers(given, fill_only=True)
    assert answers["vi_unaccompanied_youth"] == "no" and "vi_unaccompanied_youth" not in carried
    assert answers["pl_minor_unaccompanied"] == "yes" and carried == {"pl_minor_unaccompanied": "safety_minor_without_adult"}
    assert given["vi_unaccompanied_youth"] == "no"  # the caller's dict is not changed


def test_the_api_fills_every_blank_repeat_even_after_one_it_keeps():
    answers, carried = carry_answers({**VI, "safety_minor_without_adult": "yes", "pl_minor_unaccompanied": "no"}, fill_only=True)
    assert answers["pl_minor_unaccompanied"] == "no" and answers["vi_unaccompanied_youth"] == "yes"
    assert carried == {"vi_unaccompanied_youth": "safety_minor_without_adult"}


# --- what a draft keeps --------------------------------------------------------------------------------


def test_a_draft_keeps_every_answer_as_typed_even_invalid_ones():
    typed = {"county": "mars", "dob": "0019-03-22", "household_size": 3, "hmis_script_read": True, "middle_name": None,
             "_client_id": "12", "_new_person": "true", "_keep_name": "file", "_keep_dob": "caller", "_keep_ssn": "file",
             "_identity_reason": "ID shown"}
    assert draft_values(typed) == (typed, {})


def test_a_draft_leaves_out_the_forms_own_fields():
    assert draft_values({"csrfmiddlewaretoken": "x", "action": "save", "call_language": "es", "_keep_phone": "file"}) == ({}, {})
    assert draft_values({"csrfmiddlewaretoken": "x", "first_name": "Ana", "action": "save", "last_name": "Lee"}) == (
        {"first_name": "Ana", "last_name": "Lee"}, {})


def test_a_draft_refuses_only_what_cannot_be_stored():
    kept, problems = draft_values({"first_name": ["Ana"], "last_name": {"x": 1}, "email": float("nan"), "dob": 10**20,
                                   "current_location": "a\x00b", "mailing_address": "\ud800", "middle_name": "x" * 2001,
                                   "alt_contact_name": "y" * 2000, "household_size": 12.5})
    assert kept == {"alt_contact_name": "y" * 2000, "household_size": 12.5}
    assert {code: [str(m) for m in found] for code, found in problems.items()} == {
        "first_name": [str(v.NOT_ONE_ANSWER)], "last_name": [str(v.NOT_ONE_ANSWER)], "email": [str(v.NOT_ONE_ANSWER)],
        "dob": [str(v.NOT_ONE_ANSWER)], "current_location": [str(v.BAD_CHARACTERS)], "mailing_address": [str(v.BAD_CHARACTERS)],
        "middle_name": ["Keep this under 2000 characters."]}


def test_a_draft_measures_the_text_as_typed():
    kept, problems = draft_values({"first_name": " " * 2001, "last_name": " " * 2000})
    assert kept == {"last_name": " " * 2000} and [str(m) for m in problems["first_name"]] == ["Keep this under 2000 characters."]
    assert draft_values({"household_size": 10**17}) == ({"household_size": 10**17}, {})


# --- a plausible date of birth (the duplicate check and the STOP box) ----------------------------------


@pytest.mark.parametrize(("value", "expected"), [
    ("1975-03-22", date(1975, 3, 22)), (" 1975-03-22 ", date(1975, 3, 22)), ("1900-01-01", date(1900, 1, 1)),
    ("2026-11-20", TODAY), (date(1975, 3, 22), date(1975, 3, 22)), (date(1900, 1, 1), date(1900, 1, 1)),
    ("1899-12-31", None), ("2026-11-21", None), (date(1899, 12, 31), None), (date(2026, 11, 21), None),
    ("0001-03-22", None), ("0019-03-22", None), ("0197-03-22", None), ("19750322", None), ("1975-02-30", None),
    ("", None), (None, None), (["1975-03-22"], None), (datetime(1975, 3, 22, 10, 0), None), (19750322, None),
])
def test_a_plausible_date_of_birth_is_a_whole_date_from_1900_to_today(value, expected):
    assert plausible_dob(value, today=TODAY) == expected


def test_a_plausible_date_of_birth_is_at_the_latest_the_real_today():
    assert plausible_dob("2099-01-01") is None
    assert plausible_dob("2020-01-01") == date(2020, 1, 1)


def test_the_options_are_named_never_positional():
    """STYLE.md: options are keyword-only, so `carry_answers(answers, True)` cannot mean "fill only" by accident."""
    with pytest.raises(TypeError):
        clean_answers({}, None)
    with pytest.raises(TypeError):
        carry_answers({}, True)
    with pytest.raises(TypeError):
        plausible_dob("1975-03-22", TODAY)
