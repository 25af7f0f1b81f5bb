"""What the intake page shows for a set of answers: sections, questions, panels.

Views and the autosave response both build their context here, so the page
and its partial updates can never disagree.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from consent.scripts import script_for
from intake import policy
from intake.pdf import INDICATOR_LABELS
from intake.questions import (
    BY_CODE,
    CHOICE,
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
    SECTION_TITLES,
    SECTIONS,
    SSN,
    TEXT,
    YN,
    Question,
    applies,
    dv_offer_place,
    vi_section_open,
)
from intake.scoring import vat_score
from intake.validation import answer_view, carry_answers

# Sections whose questions are laid out by the page itself, not the generic loop.
PANEL_ONLY = {"shelter_choice"}
RADIO_MAX_CHOICES = 4
WATCHED_FOR_DUPLICATES = ("first_name", "last_name", "dob", "ssn")
# What the STOP box's side-by-side comparison shows: the person chosen and the caller's identity answers.
WATCHED_FOR_COMPARISON = ("_client_id", "first_name", "middle_name", "last_name", "name_data_quality", "dob",
                          "dob_data_quality", "ssn", "ssn_data_quality")
# The STOP box's own "questions" (draft-only codes), shown at the STOP point: labels and form order.
STOP_BOX_LABELS = {
    "_client_id": _("STOP: is the caller already known?"),
    "_keep_name": _("Name: the one on file or the caller's?"),
    "_keep_dob": _("Date of birth: the one on file or the caller's?"),
    "_keep_ssn": _("Social Security number: the one on file or the caller's?"),
    "_identity_reason": _("Why the caller's answers replace the record"),
}
_ORDER = {q.code: float(i) for i, q in enumerate(QUESTIONS)}
_STOP_AT = _ORDER["dob_data_quality"]
_ORDER.update({code: _STOP_AT + 0.1 * (i + 1) for i, code in enumerate(STOP_BOX_LABELS)})


def form_order(code: str) -> float:
    """Where a question (or the STOP box) stands on the form: errors are listed in this order."""
    return _ORDER.get(code, len(_ORDER) + 1.0)


def context_answers(answers: dict, at_vsp: bool) -> dict:
    """The answers as the rules read them: with the call's context, repeated questions carried."""
    carried, _sources = carry_answers({**answers, **({"_at_vsp": True} if at_vsp else {})})
    return carried


@dataclass
class QuestionView:
    question: Question
    value: object
    errors: list[str]
    visible: bool
    language: str
    carried_from: Question | None = None

    @property
    def code(self) -> str:
        return self.question.code

    @property
    def label(self) -> str:
        return self.question.wording(self.language)

    @property
    def hint(self) -> str:
        return self.question.hint(self.language)

    @property
    def script(self) -> list[str]:
        """The consent script to read before this question (consent.scripts), in the call's language."""
        found = script_for(self.question.script) if self.question.script else None
        return found.text(self.language) if found else []

    @property
    def carried_label(self) -> str:
        return self.carried_from.wording(self.language) if self.carried_from else ""

    @property
    def carried_value(self) -> str:
        return self.question.choice_label(str(self.value), self.language) if self.carried_from else ""

    @property
    def widget(self) -> str:
        if self.carried_from is not None:
            return "carried"
        kind = self.question.type
        if kind in (YN, DQ):
            return "keyed_radios"
        if kind == CHOICE:
            return "radios" if len(self.question.choices) <= RADIO_MAX_CHOICES else "select"
        if kind == MONTHS:
            return "select"
        return {
            TEXT: "text", LONGTEXT: "textarea", DATE: "date", DATETIME: "datetime", INT: "number",
            DECIMAL: "decimal", PHONE: "tel", EMAIL: "email", SSN: "ssn", FLAG: "checkbox", REF: "select",
        }[kind]

    @property
    def options(self) -> list[dict]:
        keys = self.question.keys()
        return [
            {"value": code, "label": es if self.language == "es" else en, "key": keys.get(code, "")}
            for code, en, es in self.question.choices
        ]

    @property
    def str_value(self) -> str:
        if self.value is None:
            return ""
        return "true" if self.value is True else str(self.value)


@dataclass
class SectionView:
    code: str
    title: str
    visible: bool
    questions: list[QuestionView] = field(default_factory=list)


def section_views(answers: dict, errors: dict, language: str, ref_options: dict[str, list[dict]], *,
                  at_vsp: bool = False) -> list[SectionView]:
    answers, carried = carry_answers({**answers, **({"_at_vsp": True} if at_vsp else {})})
    view = answer_view(answers)
    sections = []
    for code, en, es in SECTIONS:
        questions = []
        for question in (q for q in QUESTIONS if q.section == code):
            qv = QuestionView(question, answers.get(question.code), errors.get(question.code, []), applies(question, view), language,
                              BY_CODE[carried[question.code]] if question.code in carried else None)
            if question.type == REF:
                qv.ref_options = ref_options.get(question.code, [])
            questions.append(qv)
        sections.append(SectionView(code, es if language == "es" else en, any(q.visible for q in questions), questions))
    return sections


def visibility(answers: dict, *, at_vsp: bool = False) -> dict[str, object]:
    """What each block shows, by id: whether it is shown (and a carried answer, which is shown
    rather than asked), and where the VSP offer stands."""
    answers, carried = carry_answers({**answers, **({"_at_vsp": True} if at_vsp else {})})
    view = answer_view(answers)
    shown: dict[str, object] = {
        f"q-{q.code}": (applies(q, view), view.get(q.code) if q.code in carried else None)
        for q in QUESTIONS if q.section not in PANEL_ONLY
    }
    for code, _en, _es in SECTIONS:
        shown[f"section-{code}"] = any(applies(q, view) for q in QUESTIONS if q.section == code)
    shown["dv-place"] = dv_offer_place(view)
    return shown


def live_score(answers: dict, cleaned: dict, *, collected_at, poverty, errors: dict | None = None, at_vsp: bool = False) -> dict | None:
    """The running VAT while the agent is in the VI section: total and why. Answers that would be
    refused (a future DOB, more children than people) count for nothing until they are corrected."""
    if not vi_section_open(answer_view({**answers, **({"_at_vsp": True} if at_vsp else {})})):
        return None
    usable = {code: value for code, value in cleaned.items() if code not in (errors or {})}
    score = vat_score(usable, collected_at=collected_at, poverty=poverty)
    return {
        "total": score.total,
        "max": policy.SUBTOTAL_MAX,
        "rows": [
            {"code": code, "wording": INDICATOR_LABELS[code], "points": points, "available": policy.INDICATOR_POINTS[code]}
            for code, points in score.indicators.items()
        ],
    }


def section_title(code: str, language: str) -> str:
    en, es = SECTION_TITLES[code]
    return es if language == "es" else en
