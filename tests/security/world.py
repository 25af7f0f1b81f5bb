"""A small CoC for the security tests: one user per persona, and three people whose data some
personas must never see, each with records in every app (built through the real services).

People (the "secrets"):
- `shared`: held by the call centre (CP), HMIS consent yes — every HMIS-participating agency's
  staff, CoC staff and the HMIS admin may see them; the VSP may not.
- `private`: held by housing agency B, HMIS consent no — only agency B's staff may see them.
- `survivor`: held by the victim service provider — only the VSP's staff may see them; the CoC
  list holds a de-identified copy.

Each has distinctive name, DOB, phone and SSN strings, so a test can look for them in the bytes of
any response.
"""

from dataclasses import dataclass, field
from datetime import date

from django.contrib.auth.models import Group

from bnl.services import bnl_place_deidentified_on_coc_list
from ces import roles
from ces.models import Agency, Client, Program, User
from ces.notifications import notification_send
from engagement.services import engagement_open
from grievances import services as grievance_services
from intake.models import Shelter
from intake.pdf import assessment_pdf_store
from intake.services import intake_start, intake_submit
from reassignment.services import case_assignment_set, reassignment_request
from referrals.services import vacancy_create, vacancy_pull
from tests.factories import DEFAULT_PASSWORD, worked_example_2_answers

PERSONAS = (
    "anonymous", "call_agent", "case_worker", "supervisor", "coc_staff", "program_staff", "program_staff_b",
    "vsp_advocate", "nonhmis_list_holder", "committee", "hmis_admin",
)


@dataclass(frozen=True)
class Secret:
    first_name: str
    last_name: str
    dob: date
    phone: str
    ssn: str

    def needles(self) -> list[str]:
        """Strings that must not appear in a response to someone who may not see this person."""
        digits = self.ssn.replace("-", "")
        phone_digits = self.phone.replace("-", "")
        return [
            self.first_name, self.last_name, self.dob.isoformat(), self.dob.strftime("%m/%d/%Y"),
            self.dob.strftime("%b. %-d, %Y"), self.dob.strftime("%B %-d, %Y"), self.ssn, digits,
            self.phone, phone_digits, f"+1{phone_digits}", f"({phone_digits[:3]}) {phone_digits[3:6]}-{phone_digits[6:]}",
        ]


SECRETS = {
    # A complainant (not a client): only CoC staff and the committee see complainants' data.
    "complainant": Secret("Gretchenna", "Grievantson", date(1970, 1, 1), "530-555-0194", "000-00-0000"),
    "shared": Secret("Quillon", "Shareworth", date(1961, 7, 19), "530-555-0191", "287-65-4301"),
    "private": Secret("Zebulonix", "Privatelle", date(1972, 2, 11), "530-555-0192", "287-65-4302"),
    "survivor": Secret("Violetta", "Vesperine", date(1985, 9, 23), "530-555-0193", "287-65-4303"),
}

# Who may see whose personal data (roles-privacy-audit.md, "Who sees a person's data").
MAY_SEE = {
    "anonymous": set(),  # complainants: grievances.md "only CoC staff and the committee see complainants' data"
    "call_agent": {"shared"},
    "case_worker": {"shared"},
    "supervisor": {"shared"},
    "coc_staff": {"shared", "complainant"},
    "program_staff": {"shared"},
    "program_staff_b": {"shared", "private"},
    "vsp_advocate": {"survivor"},
    "nonhmis_list_holder": {"shared"},
    "committee": {"shared", "complainant"},
    "hmis_admin": {"shared"},
}


@dataclass
class World:
    users: dict[str, User] = field(default_factory=dict)
    agencies: dict[str, Agency] = field(default_factory=dict)
    programs: dict[str, Program] = field(default_factory=dict)
    clients: dict[str, Client] = field(default_factory=dict)
    objects: dict[str, object] = field(default_factory=dict)

    def id_of(self, key: str) -> int:
        return self.objects[key].pk


def _user(username: str, agency: Agency, *role_codes: str, **extra) -> User:
    user = User.objects.create_user(username=username, password=DEFAULT_PASSWORD, agency=agency,
                                    first_name=username.split("_")[0].title(), last_name="Persona", **extra)
    user.groups.set(Group.objects.filter(name__in=role_codes))
    user.__dict__.pop("roles", None)
    return user


def _answers(secret: Secret, **overrides) -> dict:
    return worked_example_2_answers(
        first_name=secret.first_name, last_name=secret.last_name, dob=secret.dob.isoformat(), phone_primary=secret.phone,
        ssn=secret.ssn, **overrides,
    )


def build_world() -> World:
    w = World()
    a = w.agencies
    a["cp"] = Agency.objects.create(name="Call Point", initials="CP", kind=Agency.Kind.LEAD)
    a["coc"] = Agency.objects.create(name="The CoC", initials="HR", kind=Agency.Kind.COC)
    a["ha"] = Agency.objects.create(name="Housing A", initials="HA", kind=Agency.Kind.HOUSING)
    a["hb"] = Agency.objects.create(name="Housing B", initials="HB", kind=Agency.Kind.HOUSING)
    a["vsp"] = Agency.objects.create(name="Safe Harbor", initials="SH", kind=Agency.Kind.VSP, is_vsp=True,
                                     hmis_participating=False)
    p = w.programs
    p["psh_a"] = Program.objects.create(agency=a["ha"], name="PSH A", type=Program.Type.PSH, counties=["placer", "nevada"])
    p["rrh_b"] = Program.objects.create(agency=a["hb"], name="RRH B", type=Program.Type.RRH, counties=["placer", "nevada"])
    p["vsp"] = Program.objects.create(agency=a["vsp"], name="Safe Harbor TH", type=Program.Type.TH,
                                      counties=["placer", "nevada"], requires_dv=True)
    p["es"] = Program.objects.create(agency=a["hb"], name="HB Shelter", type=Program.Type.ES, counties=["nevada"])
    p["outreach"] = Program.objects.create(agency=a["cp"], name="CP Outreach", type=Program.Type.SERVICES,
                                           counties=["placer", "nevada"])
    u = w.users
    u["call_agent"] = _user("call_agent_p", a["cp"], roles.CALL_AGENT)
    u["case_worker"] = _user("case_worker_p", a["cp"], roles.CASE_WORKER)
    u["supervisor"] = _user("supervisor_p", a["cp"], roles.SUPERVISOR)
    u["case_worker_2"] = _user("case_worker_2_p", a["cp"], roles.CASE_WORKER)
    u["coc_staff"] = _user("coc_staff_p", a["coc"], roles.COC_STAFF)
    u["program_staff"] = _user("program_staff_p", a["ha"], roles.PROGRAM_STAFF)
    u["program_staff_b"] = _user("program_staff_b_p", a["hb"], roles.PROGRAM_STAFF, roles.CALL_AGENT)
    u["vsp_advocate"] = _user("vsp_advocate_p", a["vsp"], roles.VSP_ADVOCATE)
    u["nonhmis_list_holder"] = _user("nonhmis_p", a["cp"], roles.NONHMIS_LIST_HOLDER)
    u["committee"] = _user("committee_p", a["coc"], roles.COMMITTEE)
    u["hmis_admin"] = _user("hmis_admin_p", a["coc"], roles.HMIS_ADMIN, is_staff=True)

    # The three people, each through a real intake by their holding agency.
    shared = intake_submit(actor=u["call_agent"], answers=_answers(SECRETS["shared"]))
    private = intake_submit(actor=u["program_staff_b"], answers=_answers(SECRETS["private"], hmis_consent="no"))
    survivor = intake_submit(actor=u["vsp_advocate"], answers=_answers(SECRETS["survivor"], hmis_consent="no"))
    c = w.clients
    c["shared"], c["private"], c["survivor"] = shared.client, private.client, survivor.client
    o = w.objects
    for key, result in (("shared", shared), ("private", private), ("survivor", survivor)):
        o[f"client:{key}"] = result.client
        o[f"intake:{key}"] = result.intake
        o[f"entry:{key}"] = result.bnl_entry
        o[f"document:{key}"] = assessment_pdf_store(assessment=result.assessment, actor=u["call_agent"])
    o["entry:survivor_coc"] = bnl_place_deidentified_on_coc_list(
        source=survivor.bnl_entry, vsp_client_number="0042", actor=u["vsp_advocate"])
    o["draft:call_agent"] = intake_start(actor=u["call_agent"])
    # A caller the call centre referred to the VSP (a warm referral in the VSP's inbox).
    dv_call = intake_submit(actor=u["call_agent"], answers={
        "county": "nevada", "safety_safe_talking": "no", "dv_referral_accepted": "yes", "dv_referral_agency": a["vsp"].pk,
        "dv_warm_consent": "yes", "dv_warm_first_name": "Robin", "dv_warm_callback_time": "after 6 pm"})
    o["dvreferral:vsp"] = dv_call.intake.dv_referral

    # Program A pulls everyone eligible: the shared person, the private one and the survivor's CoC copy.
    vacancy = vacancy_create(program=p["psh_a"], actor=u["program_staff"], units=1)
    pull = vacancy_pull(vacancy=vacancy, actor=u["program_staff"], count=5)
    o["vacancy:a"] = vacancy
    o["program:a"] = p["psh_a"]
    o["agency:vsp"] = a["vsp"]
    o["program:b"] = p["rrh_b"]
    o["program:vsp"] = p["vsp"]
    referrals = {r.entry_id: r for r in pull.referrals.all()}
    o["referral:shared"] = referrals[o["entry:shared"].pk]
    o["referral:private"] = referrals[o["entry:private"].pk]
    o["referral:survivor_coc"] = referrals[o["entry:survivor_coc"].pk]

    # The shared person's case work at the call centre.
    case_assignment_set(client=c["shared"], worker=u["case_worker"], actor=u["supervisor"], reason="first assignment")
    o["reassignment:shared"] = reassignment_request(
        client=c["shared"], reason="client_request", explanation="The client asks for another worker.", proposed_worker=u["case_worker_2"],
        actor=u["case_worker"])
    o["case:shared"] = engagement_open(client=c["shared"], program=p["outreach"], worker=u["case_worker"],
                                       actor=u["case_worker"])

    shelter = Shelter.objects.create(name="HB Night Shelter", county="nevada", program=p["es"])
    o["shelter:b"] = shelter
    o["notification:call_agent"] = notification_send(recipient=u["call_agent"], subject="Hello", link="/")

    # A Title VI complaint and a CE grievance, filed by CoC staff, with their letters and a meeting.
    complainant = SECRETS["complainant"]
    o["complaint:complainant"] = complaint = grievance_services.title_vi_complaint_file(
        actor=u["coc_staff"], complainant_name=f"{complainant.first_name} {complainant.last_name}", language="en",
        phone_cell=complainant.phone, address="1 Elm St, Auburn, CA", bases=["race"], incident_date=date.today(),
        description="The program refused me.")
    grievance_services.complaint_accept(complaint=complaint, actor=u["coc_staff"])  # the acknowledgment letter
    o["letter:complainant"] = complaint.letters.order_by("pk").first()
    o["meeting:coc"] = grievance_services.meeting_create(actor=u["coc_staff"], date=date.today())
    o["grievance:complainant"] = grievance_services.grievance_file(
        actor=u["coc_staff"], complainant_name=f"{complainant.first_name} {complainant.last_name}", language="en",
        phone=complainant.phone, agency_id=a["ha"].pk, denial_date=date.today(), tried_with_program=True,
        program_answer="They said no.", description="Wrongly denied.")
    return w


