"""Emergency-shelter screening: which shelters the caller can go to tonight, and why not.

Pure: takes the shelters with their rules (loaded by the caller) and the answers.
Shelter access is never ranked by score.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from intake.models import Shelter, ShelterRule


@dataclass
class ShelterResult:
    shelter: Shelter
    eligible: bool
    reasons: list[str] = field(default_factory=list)


def rule_excludes(rule: ShelterRule, answers: Mapping[str, object]) -> bool:
    answer = answers.get(rule.code)
    if rule.match == ShelterRule.Match.EQUALS:
        hit = answer == rule.answer
    else:
        hit = answer != rule.answer
    if hit and rule.unless_code and answers.get(rule.unless_code) == rule.unless_answer:
        return False
    return hit


def screen_shelters(
    shelters: Iterable[Shelter], answers: Mapping[str, object], *, language: str = "en"
) -> list[ShelterResult]:
    """Every shelter of the caller's county: eligible, or excluded with the reasons."""
    county = answers.get("county")
    results = []
    for shelter in shelters:
        if shelter.county != county or not shelter.is_active:
            continue
        reasons = [
            (rule.reason_es or rule.reason) if language == "es" else rule.reason
            for rule in shelter.rules.all()
            if rule_excludes(rule, answers)
        ]
        results.append(ShelterResult(shelter=shelter, eligible=not reasons, reasons=reasons))
    return results
