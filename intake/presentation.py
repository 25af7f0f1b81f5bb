"""What the intake page shows for a set of answers: sections, questions, panels.

Views and the autosave response both build their context here, so the page
and its partial updates can never disagree.
"""

from dataclasses import dataclass, field

from consent.scripts import script_for
from intake import policy
from intake.pdf import INDICATOR_WORDING
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
    dv_pathway_triggered,
    vi_section_open,
)
from intake.scoring import vat_score
from intake.validation import normalized

# Sections whose questions are laid out by the page itself, not the generic loop.
PANEL_ONLY = {"shelter_choice"}
RADIO_MAX_CHOICES = 4
WATCHED_FOR_DUPLICATES = ("first_name", "last_name", "dob", "ssn")


@dataclass
class QuestionView:
    question: Question
    value: object
    errors: list[str]
    visible: bool
    language: str

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
    def widget(self) -> str:
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


def section_views(answers: dict, errors: dict, language: str, ref_options: dict[str, list[dict]]) -> list[SectionView]:
    view = normalized({k: v for k, v in answers.items() if k in BY_CODE})
    sections = []
    for code, en, es in SECTIONS:
        questions = []
        for question in (q for q in QUESTIONS if q.section == code):
            qv = QuestionView(question, answers.get(question.code), errors.get(question.code, []), applies(question, view), language)
            if question.type == REF:
                qv.ref_options = ref_options.get(question.code, [])
            questions.append(qv)
        sections.append(SectionView(code, es if language == "es" else en, any(q.visible for q in questions), questions))
    return sections


def visibility(answers: dict) -> dict[str, bool]:
    """Which question blocks and sections are shown, by id."""
    view = normalized({k: v for k, v in answers.items() if k in BY_CODE})
    shown = {f"q-{q.code}": applies(q, view) for q in QUESTIONS if q.section not in PANEL_ONLY}
    for code, _en, _es in SECTIONS:
        shown[f"section-{code}"] = any(applies(q, view) for q in QUESTIONS if q.section == code)
    shown["dv-banner"] = dv_pathway_triggered(view)
    return shown


def live_score(answers: dict, cleaned: dict, *, collected_at, poverty) -> dict | None:
    """The running VAT while the agent is in the VI section: total and why."""
    if not vi_section_open(normalized({k: v for k, v in answers.items() if k in BY_CODE})):
        return None
    score = vat_score(cleaned, collected_at=collected_at, poverty=poverty)
    return {
        "total": score.total,
        "max": policy.SUBTOTAL_MAX,
        "rows": [
            {"code": code, "wording": INDICATOR_WORDING[code], "points": points, "available": policy.INDICATOR_POINTS[code]}
            for code, points in score.indicators.items()
        ],
    }


def section_title(code: str, language: str) -> str:
    en, es = SECTION_TITLES[code]
    return es if language == "es" else en
