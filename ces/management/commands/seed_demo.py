"""python manage.py seed_demo [--clients N] [--password P]

Creates the CA-515 demo network and one user per role. Idempotent: a second
run changes nothing. Refuses to run with production settings.
"""

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from ces.audit import history_save
from ces.management.demo_network import AGENCIES, DEFAULT_PASSWORD, PROGRAMS, USERS
from ces.models import Agency, Program, User
from ces.roles import ADMIN_SITE_ROLES
from ces.system_user import system_user_get

DEFAULT_CLIENTS = 300
REFUSED_IN_PRODUCTION = "seed_demo refuses to run with production settings: demo users have known passwords."


class Command(BaseCommand):
    help = "Create the CA-515 demo network, one user per role, and (once intake exists) synthetic clients."

    def add_arguments(self, parser):
        parser.add_argument("--clients", type=int, default=DEFAULT_CLIENTS, help="synthetic clients (0 for none)")
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
        self.stdout.write(self.style.SUCCESS(f"Demo network ready: {len(AGENCIES)} agencies, {len(PROGRAMS)} programs."))
        self.stdout.write("Demo logins (username = role; password as given, default in README):")
        for username, *_rest in USERS:
            self.stdout.write(f"  {username}")
        if clients:
            self.stdout.write(
                "Synthetic clients are added through the intake once the intake app exists; none were added."
            )

    def _agencies(self, actor: User) -> dict[str, Agency]:
        agencies = {}
        for initials, name, kind, is_vsp, participating in AGENCIES:
            wanted = {"name": name, "kind": kind, "is_vsp": is_vsp, "hmis_participating": participating}
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
