"""python manage.py seed_demo [--clients N] [--password P]

Creates the CA-515 demo network and one user per role. Idempotent: a second
run changes nothing. Refuses to run with production settings.
"""

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from ces.audit import history_save
from ces.errors import Invalid
from ces.models import Agency, Client, Program, User
from ces.roles import ADMIN_SITE_ROLES
from ces.system_user import system_user_get
from devtools.demo.grievances import demo_complaints_seed
from devtools.demo.network import (
    AGENCIES,
    CASELOAD_LIMITS,
    DEFAULT_PASSWORD,
    DEMO_CASELOAD,
    PROGRAMS,
    ROSEVILLE_RULES,
    ROSEVILLE_SHELTER,
    SHELTERS,
    USERS,
)
from devtools.demo.reports import reports_demo_history
from devtools.demo.synthetic import synthetic_answers
from intake.models import Intake, Shelter, ShelterRule
from intake.services import intake_submit
from reassignment.models import CaseAssignment
from reassignment.services import case_assignment_set

DEFAULT_CLIENTS = 300
REFUSED_IN_PRODUCTION = "seed_demo refuses to run with production settings: demo users have known passwords."


class Command(BaseCommand):
    help = "Create the CA-515 demo network, one user per role, and (once intake exists) synthetic clients."

    def add_arguments(self, parser):
        parser.add_argument("--clients", type=int, default=DEFAULT_CLIENTS, help="synthetic callers taken through the intake (0 for none)")
        parser.add_argument("--password", default=DEFAULT_PASSWORD, help="password for every demo user")

    def handle(self, *args, clients: int, password: str, **options):
        if settings.CES_ENVIRONMENT == "production":
            raise CommandError(REFUSED_IN_PRODUCTION)
        if clients < 0:
            raise CommandError("--clients must be 0 or more.")
        with transaction.atomic():
            actor = system_user_get()
            agencies = self._agencies(actor)
            self._programs(agencies, actor)
            self._users(agencies, password)
            self._shelters(agencies, actor)
        added = self._synthetic_clients(clients)
        self._demo_caseload()
        reports_demo_history()
        demo_complaints_seed()
        self.stdout.write(self.style.SUCCESS(f"Demo network ready: {len(AGENCIES)} agencies, {len(PROGRAMS)} programs."))
        self.stdout.write(f"Synthetic callers: {added} added ({clients} wanted in all).")
        self.stdout.write("Demo logins (username = role; password as given, default in README):")
        for username, *_rest in USERS:
            self.stdout.write(f"  {username}")

    def _shelters(self, agencies: dict[str, Agency], actor: User) -> None:
        """Link the default shelters (created by intake's migration) to their programs,
        and configure the Roseville-only shelter the spec mentions."""
        for name, initials, program_name, intake_time, address in SHELTERS:
            shelter = Shelter.objects.filter(name=name).first() or Shelter(name=name, county="placer")
            program = Program.objects.get(agency=agencies[initials], name=program_name)
            wanted = {"program": program, "intake_time": intake_time, "address": address}
            if shelter.pk is None or any(getattr(shelter, k) != v for k, v in wanted.items()):
                for key, value in wanted.items():
                    setattr(shelter, key, value)
                history_save(shelter, actor=actor, reason="seed_demo")
            if name == ROSEVILLE_SHELTER and not shelter.rules.exists():
                for rule in ROSEVILLE_RULES:
                    history_save(ShelterRule(shelter=shelter, **rule), actor=actor, reason="seed_demo")

    def _synthetic_clients(self, wanted: int) -> int:
        """Callers taken by the demo call agent through the real intake (same scoring code).
        Deterministic per index, and counted, so a second run adds none."""
        agent = User.objects.get(username=USERS[0][0])
        done = Intake.objects.filter(csr=agent, status=Intake.Status.COMPLETED).count()
        added = 0
        for index in range(done, wanted):
            try:
                intake_submit(actor=agent, answers=synthetic_answers(index))
                added += 1
            except Invalid:  # e.g. a generated SSN already on file: skip that caller
                continue
        return added

    def _demo_caseload(self) -> None:
        """Give the demo case worker a caseload (unassigned Connecting Point clients, oldest first)."""
        worker = User.objects.get(username="case_worker")
        supervisor = User.objects.get(username="supervisor")
        missing = DEMO_CASELOAD - CaseAssignment.objects.filter(worker=worker).count()
        if missing <= 0:
            return
        for client in Client.objects.filter(holding_agency__initials="CP", assignment__isnull=True).order_by("pk")[:missing]:
            case_assignment_set(client=client, worker=worker, actor=supervisor, reason="demo caseload")

    def _agencies(self, actor: User) -> dict[str, Agency]:
        agencies = {}
        for initials, name, kind, is_vsp, participating in AGENCIES:
            wanted = {"name": name, "kind": kind, "is_vsp": is_vsp, "hmis_participating": participating,
                      "caseload_limit": CASELOAD_LIMITS.get(initials)}
            agency = Agency.objects.filter(initials=initials).first() or Agency(initials=initials)
            if agency.pk is None or any(getattr(agency, key) != value for key, value in wanted.items()):
                for key, value in wanted.items():
                    setattr(agency, key, value)
                history_save(agency, actor=actor, reason="seed_demo")
            agencies[initials] = agency
        return agencies

    def _programs(self, agencies: dict[str, Agency], actor: User) -> None:
        for initials, name, program_type, counties, criteria in PROGRAMS:
            agency = agencies[initials]
            wanted = {"type": program_type, "counties": counties, **{f: False for f in Program.CRITERIA_FIELDS}}
            wanted.update(min_household_size=None, max_household_size=None)
            wanted.update(criteria)
            program = Program.objects.filter(agency=agency, name=name).first() or Program(agency=agency, name=name)
            if program.pk is None or any(getattr(program, key) != value for key, value in wanted.items()):
                for key, value in wanted.items():
                    setattr(program, key, value)
                history_save(program, actor=actor, reason="seed_demo")

    def _users(self, agencies: dict[str, Agency], password: str) -> None:
        for username, first_name, last_name, initials in USERS:
            user = User.objects.filter(username=username).first() or User(username=username)
            wanted = {
                "first_name": first_name,
                "last_name": last_name,
                "agency": agencies[initials],
                "email": f"{username}@demo.ca515.invalid",
                "is_active": True,
                "is_staff": username in ADMIN_SITE_ROLES,
            }
            changed = user.pk is None or any(getattr(user, key) != value for key, value in wanted.items())
            for key, value in wanted.items():
                setattr(user, key, value)
            if user.pk is None or not user.check_password(password):
                user.set_password(password)
                changed = True
            if changed:
                user.save()
            group = Group.objects.get(name=username)
            if set(user.groups.all()) != {group}:
                user.groups.set([group])
