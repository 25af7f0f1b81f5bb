"""The CA-515 demo network (Placer and Nevada counties), as data.

From the seed document: Connecting Point is the lead agency and call centre;
Hospitality House the Nevada County shelter; a Placer County warm/cold
shelter; housing programs of every type across both counties; a victim
service provider with a DV program; an employment-services agency.
"""

from ces import roles

# Documented in the README; `seed_demo --password` sets another.
DEFAULT_PASSWORD = "ces-demo-2026!"

AGENCIES = [
    # initials, name, kind, is_vsp, hmis_participating
    ("HRCS", "Homeless Resource Council of the Sierras", "coc", False, True),
    ("CP", "Connecting Point", "lead", False, True),  # caseload limit set below
    ("HH", "Hospitality House", "shelter", False, True),
    ("GI", "The Gathering Inn", "shelter", False, True),
    ("PCH", "Placer County Health and Human Services", "government", False, True),
    ("NCH", "Nevada County Housing and Community Services", "government", False, True),
    ("VOA", "Volunteers of America Northern California", "housing", False, True),
    ("AMIH", "AMI Housing", "housing", False, True),
    ("SUP", "Stand Up Placer", "vsp", True, False),
    ("COSE", "Community Options Supported Employment", "services", False, False),
]

BOTH = ["placer", "nevada"]

PROGRAMS = [
    # agency initials, name, type, counties, criteria
    ("HH", "Hospitality House Emergency Shelter", "es", ["nevada"], {}),
    ("GI", "Placer Warm/Cold Shelter", "es", ["placer"], {}),
    ("GI", "Roseville Winter Sanctuary", "es", ["placer"], {}),
    (
        "AMIH",
        "Brunswick Commons PSH",
        "psh",
        ["nevada"],
        {"requires_chronic": True, "requires_disability": True},
    ),
    ("PCH", "Placer Whole Person PSH", "psh", ["placer"], {"requires_disability": True}),
    ("PCH", "Placer Rapid Re-Housing", "rrh", BOTH, {}),
    ("VOA", "SSVF Veterans Rapid Re-Housing", "rrh", BOTH, {"requires_veteran": True}),
    (
        "NCH",
        "Family Transitional Housing",
        "th",
        ["nevada"],
        {"requires_family": True, "min_household_size": 2},
    ),
    ("NCH", "Youth Bridge Transitional Housing", "th", BOTH, {"requires_youth": True}),
    ("SUP", "Safe Housing DV Transitional Program", "th", ["placer"], {"requires_dv": True}),
    ("COSE", "Supported Employment Services", "services", BOTH, {"engagement_policy": "disengagement_30_60"}),
]

# One user per role; the username is the role's code.
USERS = [
    # username, first name, last name, agency initials, extra roles
    (roles.CALL_AGENT, "Carla", "Agent", "CP"),
    (roles.CASE_WORKER, "Casey", "Worker", "CP"),
    (roles.SUPERVISOR, "Sam", "Supervisor", "CP"),
    (roles.COC_STAFF, "Corey", "Coordinator", "HRCS"),
    (roles.PROGRAM_STAFF, "Pat", "Programs", "AMIH"),
    (roles.VSP_ADVOCATE, "Val", "Advocate", "SUP"),
    (roles.NONHMIS_LIST_HOLDER, "Noel", "Listholder", "HRCS"),
    (roles.COMMITTEE, "Morgan", "Committee", "HRCS"),
    (roles.HMIS_ADMIN, "Hayden", "Admin", "PCH"),
]

ROSEVILLE_SHELTER = "Roseville Winter Sanctuary"

# Shelters the intake can refer to: name, agency, program, intake time, address.
SHELTERS = [
    ("Hospitality House", "HH", "Hospitality House Emergency Shelter", "Check-in 4:00–6:00 pm",
     "1262 Sutton Way, Grass Valley"),
    ("Placer Warm/Cold Shelter", "GI", "Placer Warm/Cold Shelter", "Check-in 5:30–7:00 pm", "Auburn (site varies)"),
    (ROSEVILLE_SHELTER, "GI", ROSEVILLE_SHELTER, "Check-in 6:00–7:30 pm", "Roseville (site varies)"),
]

ROSEVILLE_RULES = [
    {"code": "pl_roseville", "match": "not_equals", "answer": "yes", "reason": "Roseville residents only",
     "reason_es": "Solo para residentes de Roseville"},
    {"code": "pl_resident_15_days", "match": "equals", "answer": "no", "reason": "15 day residency requirement",
     "reason_es": "Requisito de 15 días de residencia"},
    {"code": "pl_tuberculosis", "match": "equals", "answer": "yes", "reason": "Tuberculosis", "reason_es": "Tuberculosis"},
]

# Caseload limit per worker, by agency (reassignment.md, "Caseloads").
CASELOAD_LIMITS = {"CP": 40}
# Synthetic callers of Connecting Point assigned to the demo case worker.
DEMO_CASELOAD = 25
