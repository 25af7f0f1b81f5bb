"""The intake form's questions (intake-and-vat.md), as data.

Each question has the code used as the field name everywhere (database,
form, API, exports), its type, its wording in English and Spanish (the agent
reads it aloud in the caller's language), its allowed answers, and when it
applies. The form, the API validation and the PDF all read this catalogue.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

Answers = Mapping[str, object]

YN = "yn"
CHOICE = "choice"
TEXT = "text"
LONGTEXT = "longtext"
DATE = "date"
DATETIME = "datetime"
INT = "int"
DECIMAL = "decimal"
PHONE = "phone"
EMAIL = "email"
SSN = "ssn"
DQ = "dq"
FLAG = "flag"  # a confirmation the agent ticks (true/false)
MONTHS = "months"
REF = "ref"  # a record chosen from the database (a VSP, a shelter)

YN_CHOICES = [
    ("yes", "Yes", "Sí"),
    ("no", "No", "No"),
    ("doesnt_know", "Client doesn't know", "No sabe"),
    ("refused", "Client prefers not to answer", "Prefiere no responder"),
    ("not_collected", "Data not collected", "Dato no recopilado"),
]
DQ_CHOICES = [
    ("full", "Full", "Completo"),
    ("partial", "Partial, approximate or street name", "Parcial, aproximado o apodo"),
    ("doesnt_know", "Client doesn't know", "No sabe"),
    ("refused", "Client prefers not to answer", "Prefiere no responder"),
    ("not_collected", "Data not collected", "Dato no recopilado"),
]
# One keystroke picks each standard answer (y, n, d, r, x).
YN_KEYS = {"yes": "y", "no": "n", "doesnt_know": "d", "refused": "r", "not_collected": "x"}
DQ_KEYS = {"full": "f", "partial": "p", "doesnt_know": "d", "refused": "r", "not_collected": "x"}
DECLINED = frozenset({"doesnt_know", "refused", "not_collected"})

LENGTH_IN_COUNTY = [
    ("under_30_days", "Under 30 days", "Menos de 30 días"),
    ("30_days_to_1_year", "30 days to 1 year", "De 30 días a 1 año"),
    ("1_to_5_years", "1 to 5 years", "De 1 a 5 años"),
    ("over_5_years", "Over 5 years", "Más de 5 años"),
]

SLEEP_LOCATIONS = [
    ("place_not_meant", "Place not meant for human habitation (street, vehicle, abandoned building, encampment)",
     "Lugar no apto para vivir (calle, vehículo, edificio abandonado, campamento)"),
    ("emergency_shelter", "Emergency shelter (incl. hotel/motel paid with a shelter voucher)",
     "Albergue de emergencia (incluye hotel/motel pagado con vale de albergue)"),
    ("transitional_housing", "Transitional housing for homeless persons", "Vivienda de transición para personas sin hogar"),
    ("safe_haven", "Safe haven", "Refugio seguro (safe haven)"),
    ("foster_care", "Foster care or group home", "Hogar de crianza o residencia grupal"),
    ("hospital", "Hospital or other medical facility (incl. psychiatric)", "Hospital u otro centro médico (incluye psiquiátrico)"),
    ("jail", "Jail, prison or juvenile detention", "Cárcel, prisión o centro de detención juvenil"),
    ("long_term_care", "Long-term care facility or nursing home", "Centro de cuidado a largo plazo o asilo"),
    ("substance_treatment", "Substance abuse treatment facility or detox", "Centro de tratamiento de adicciones o desintoxicación"),
    ("family_or_friends", "Staying with family or friends", "Con familiares o amigos"),
    ("hotel_self_paid", "Hotel or motel paid without a voucher", "Hotel o motel pagado sin vale"),
    ("rental", "Rental housing", "Vivienda alquilada"),
    ("owned", "Owned housing", "Vivienda propia"),
    ("other", "Other", "Otro"),
    ("doesnt_know", "Client doesn't know", "No sabe"),
    ("refused", "Client prefers not to answer", "Prefiere no responder"),
]


@dataclass(frozen=True)
class Question:
    code: str
    section: str
    type: str
    en: str
    es: str
    choices: list[tuple[str, str, str]] = field(default_factory=list)
    applies: Callable[[Answers], bool] | None = None
    hint_en: str = ""
    hint_es: str = ""
    min_value: float | None = None
    max_value: float | None = None
    script: str = ""  # a consent script shown above the question (consent.scripts)

    def wording(self, language: str) -> str:
        return self.es if language == "es" else self.en

    def hint(self, language: str) -> str:
        return self.hint_es if language == "es" else self.hint_en

    def choice_codes(self) -> list[str]:
        return [code for code, _en, _es in self.choices]

    def choice_label(self, value: str, language: str = "en") -> str:
        for code, en, es in self.choices:
            if code == value:
                return es if language == "es" else en
        return str(value)

    def keys(self) -> dict[str, str]:
        return YN_KEYS if self.type == YN else DQ_KEYS if self.type == DQ else {}


def _is(code: str, *values: str) -> Callable[[Answers], bool]:
    return lambda a: a.get(code) in values


def _county_in_coc(a: Answers) -> bool:
    return a.get("county") in ("placer", "nevada")


# Facts of the call that are not answers (who takes it), put beside the answers by the
# screens and services so the visibility rules can read them; never posted by the form.
CONTEXT_CODES = frozenset({"_at_vsp"})


def taken_at_vsp(a: Answers) -> bool:
    """The intake is taken by a victim service provider's advocate: the caller is already with a
    VSP, so there is no referral to a VSP to offer and no "may be shared" notice to read."""
    return a.get("_at_vsp") in (True, "true")


def dv_safety_triggered(a: Answers) -> bool:
    """intake-and-vat.md: not safe talking, or afraid of a partner, interrupts the form."""
    return a.get("safety_safe_talking") == "no" or a.get("safety_afraid_of_partner") == "yes"


def dv_fleeing_triggered(a: Answers) -> bool:
    """bnl-and-referrals.md (amended 2026-11-23), Step 4: "fleeing DV" in the Vulnerability Index
    brings the same immediate VSP offer as the safety questions (read without the DV gates, which
    depend on this)."""
    return (a.get("dv_fleeing") == "yes" and _county_in_coc(a) and a.get("continue_to_vi") == "yes"
            and a.get("vi_consent") == "yes")


def dv_pathway_triggered(a: Answers) -> bool:
    """The caller is offered an immediate referral to a VSP (not at a VSP's own intake)."""
    return not taken_at_vsp(a) and (dv_safety_triggered(a) or dv_fleeing_triggered(a))


def dv_offer_place(a: Answers) -> str | None:
    """Where the form shows the VSP offer: right after the safety questions, or right after the
    VI's "fleeing" question when that is what brought it (the agent is there)."""
    if not dv_pathway_triggered(a):
        return None
    return "safety" if dv_safety_triggered(a) else "vi"


def dv_referral_accepted(a: Answers) -> bool:
    return dv_pathway_triggered(a) and a.get("dv_referral_accepted") == "yes"


def _warm(a: Answers) -> bool:
    return dv_referral_accepted(a) and a.get("dv_warm_consent") == "yes"


def collects_personal_information(a: Answers) -> bool:
    """The personal questions are asked unless the caller took the VSP referral; after the safety
    questions brought the offer and it was declined, only once the notice was read. (The VI's
    offer comes after the personal questions: declining it needs the notice before finishing.)"""
    gated = dv_pathway_triggered(a) and dv_safety_triggered(a)
    return bool(a.get("county")) and not dv_referral_accepted(a) and (
        not gated or a.get("dv_pii_sharing_acknowledged") is True
        or a.get("dv_pii_sharing_acknowledged") == "true"
    )


def shelter_section(a: Answers) -> str | None:
    if collects_personal_information(a) and _county_in_coc(a) and a.get("wants_shelter_tonight") == "yes":
        return f"shelter_{a['county']}"
    return None


def vi_may_continue(a: Answers) -> bool:
    return collects_personal_information(a) and _county_in_coc(a)


def vi_section_open(a: Answers) -> bool:
    return vi_may_continue(a) and a.get("continue_to_vi") == "yes" and a.get("vi_consent") == "yes"


def _personal(extra: Callable[[Answers], bool] | None = None) -> Callable[[Answers], bool]:
    if extra is None:
        return collects_personal_information
    return lambda a: collects_personal_information(a) and extra(a)


def _shelter(county: str, extra: Callable[[Answers], bool] | None = None) -> Callable[[Answers], bool]:
    return lambda a: shelter_section(a) == f"shelter_{county}" and (extra is None or extra(a))


def _vi(extra: Callable[[Answers], bool] | None = None) -> Callable[[Answers], bool]:
    return lambda a: vi_section_open(a) and (extra is None or extra(a))


def _yn(code, section, en, es, applies=None, **kw) -> Question:
    return Question(code, section, YN, en, es, YN_CHOICES, applies, **kw)


SECTIONS = [
    # code, English title, Spanish title
    ("meta", "Call", "Llamada"),
    ("location", "Location", "Ubicación"),
    ("safety", "Safety assessment", "Evaluación de seguridad"),
    ("dv", "Domestic violence referral", "Referencia por violencia doméstica"),
    ("personal", "Personal information", "Información personal"),
    ("shelter_nevada", "Nevada County emergency shelter", "Albergue de emergencia del condado de Nevada"),
    ("shelter_placer", "Placer County emergency shelter", "Albergue de emergencia del condado de Placer"),
    ("continue", "Housing list", "Lista de vivienda"),
    ("vi", "Service eligibility (Vulnerability Index)", "Elegibilidad de servicios (Índice de Vulnerabilidad)"),
]

QUESTIONS: list[Question] = [
    # --- meta ---
    Question("collected_at", "meta", DATETIME, "Date and time of the call or paper form", "Fecha y hora de la llamada o del formulario en papel",
             hint_en="Defaults to now. For a paper form, enter when it was filled in.",
             hint_es="Por defecto, ahora. Para un formulario en papel, ponga cuándo se llenó."),
    Question("collection_method", "meta", CHOICE, "How was this intake collected?", "¿Cómo se recopiló esta admisión?",
             [("phone", "Phone", "Teléfono"), ("in_person", "In person", "En persona"),
              ("virtual", "Virtual (chat, video)", "Virtual (chat, video)"), ("paper", "Paper form", "Formulario en papel")]),
    # --- location ---
    Question("county", "location", CHOICE, "County of residence", "Condado de residencia",
             [("nevada", "Nevada County", "Condado de Nevada"), ("placer", "Placer County", "Condado de Placer"),
              ("outside_coc", "Outside Placer and Nevada counties", "Fuera de los condados de Placer y Nevada")]),
    # --- safety ---
    _yn("safety_minor_without_adult", "safety", "Are you younger than 18 years old and without an adult?",
        "¿Tiene menos de 18 años y está sin un adulto?", lambda a: bool(a.get("county"))),
    _yn("safety_safe_place_tonight", "safety", "Do you have a safe place to stay for tonight?",
        "¿Tiene un lugar seguro donde quedarse esta noche?", lambda a: bool(a.get("county"))),
    _yn("safety_safe_talking", "safety", "Are you currently safe talking to me?",
        "¿Está seguro(a) hablando conmigo en este momento?", lambda a: bool(a.get("county"))),
    _yn("safety_afraid_of_partner", "safety",
        "Are you afraid of your partner or ex-partner? OR Do you feel controlled or isolated right now?",
        "¿Tiene miedo de su pareja o expareja? O ¿se siente controlado(a) o aislado(a) en este momento?",
        lambda a: bool(a.get("county"))),
    # --- DV pathway ---
    _yn("dv_referral_accepted", "dv",
        "I can refer you right now to a victim service provider who can help you confidentially, without sharing your information. Would you like that referral?",
        "Puedo referirle ahora mismo a un proveedor de servicios para víctimas que le ayudará de forma confidencial, sin compartir su información. ¿Desea esa referencia?",
        dv_pathway_triggered),
    Question("dv_referral_agency", "dv", REF, "Victim service provider", "Proveedor de servicios para víctimas",
             applies=lambda a: dv_referral_accepted(a)),
    _yn("dv_warm_consent", "dv",
        "So the provider can reach you, may I pass them a first name and a safe time to call you back? Only what you agree to is passed.",
        "Para que el proveedor pueda comunicarse con usted, ¿puedo darle un nombre y una hora segura para devolverle la llamada? Solo se pasa lo que usted acepte.",
        dv_referral_accepted,
        hint_en="Nothing else about the caller is kept in this system.",
        hint_es="No se guarda nada más sobre la persona en este sistema."),
    Question("dv_warm_first_name", "dv", TEXT, "What name may they ask for? (a first name or any name)",
             "¿Por qué nombre pueden preguntar? (un nombre o cualquier nombre)", applies=_warm),
    Question("dv_warm_callback_phone", "dv", PHONE, "A safe number to call you back (optional)",
             "Un número seguro para devolverle la llamada (opcional)", applies=_warm),
    Question("dv_warm_callback_time", "dv", TEXT, "When is it safe to call you back?", "¿Cuándo es seguro devolverle la llamada?",
             applies=_warm),
    _yn("dv_warm_message_ok", "dv", "Is it safe to leave a message at that number?", "¿Es seguro dejar un mensaje en ese número?",
        _warm),
    Question("dv_pii_sharing_acknowledged", "dv", FLAG,
             "I told the caller: any personally-identifiable information provided may be shared with other agencies.",
             "Le informé a la persona: cualquier información de identificación personal que dé puede compartirse con otras agencias.",
             applies=lambda a: dv_pathway_triggered(a) and a.get("dv_referral_accepted") not in (None, "", "yes")),
    # --- personal information ---
    Question("first_name", "personal", TEXT, "What is your first name?", "¿Cuál es su nombre?", applies=_personal()),
    Question("middle_name", "personal", TEXT, "What is your middle name?", "¿Cuál es su segundo nombre?", applies=_personal()),
    Question("last_name", "personal", TEXT, "What is your last name?", "¿Cuál es su apellido?", applies=_personal()),
    Question("name_data_quality", "personal", DQ, "Name data quality", "Calidad del dato del nombre", DQ_CHOICES, _personal()),
    Question("dob", "personal", DATE, "What is your date of birth?", "¿Cuál es su fecha de nacimiento?", applies=_personal()),
    Question("dob_data_quality", "personal", DQ, "Is the date of birth complete?", "¿La fecha de nacimiento está completa?",
             DQ_CHOICES, _personal()),
    Question("phone_primary", "personal", PHONE, "What is the best phone number to reach you?",
             "¿Cuál es el mejor número de teléfono para comunicarnos con usted?", applies=_personal()),
    _yn("phone_future_same", "personal",
        "What is the best phone number to reach you in the future? Is it the same number you already gave me?",
        "¿Cuál es el mejor número para comunicarnos en el futuro? ¿Es el mismo que ya me dio?", _personal()),
    Question("phone_future", "personal", PHONE, "Future phone number", "Número de teléfono futuro",
             applies=_personal(_is("phone_future_same", "no"))),
    Question("current_location", "personal", TEXT, "What is your current location? (be specific)",
             "¿Dónde se encuentra ahora? (sea específico)", applies=_personal()),
    Question("alt_contact_name", "personal", TEXT,
             "In case we are not able to reach you, can you give me the name of someone who can?",
             "Por si no podemos comunicarnos con usted, ¿me puede dar el nombre de alguien que sí pueda?", applies=_personal()),
    Question("alt_contact_phone", "personal", PHONE, "And their phone number?", "¿Y su número de teléfono?", applies=_personal()),
    Question("ssn", "personal", SSN, "What is your Social Security number?", "¿Cuál es su número de Seguro Social?",
             applies=_personal(), hint_en="9 digits. Stored encrypted; only the last 4 are shown afterwards.",
             hint_es="9 dígitos. Se guarda cifrado; después solo se muestran los últimos 4."),
    Question("ssn_data_quality", "personal", DQ, "Is the Social Security number complete?",
             "¿El número de Seguro Social está completo?", DQ_CHOICES, _personal()),
    Question("email", "personal", EMAIL, "What is your email address (if you have one)?",
             "¿Cuál es su correo electrónico (si tiene)?", applies=_personal()),
    Question("mailing_address", "personal", LONGTEXT, "Where can letters reach you? (mailing address, optional)",
             "¿Dónde le pueden llegar cartas? (dirección postal, opcional)", applies=_personal()),
    Question("preferred_language", "personal", CHOICE, "Which language do you prefer?", "¿Qué idioma prefiere?",
             [("en", "English", "Inglés"), ("es", "Spanish", "Español"), ("other", "Other", "Otro")], _personal()),
    Question("preferred_language_other", "personal", TEXT, "Which language?", "¿Qué idioma?",
             applies=_personal(_is("preferred_language", "other"))),
    _yn("voicemail_consent", "personal", "May we leave you a voicemail?", "¿Podemos dejarle un mensaje de voz?", _personal()),
    _yn("text_consent", "personal", "May we text this number?", "¿Podemos enviarle mensajes de texto a este número?", _personal()),
    _yn("roseville_resident", "personal", "Are you a resident of Roseville?", "¿Vive usted en Roseville?",
        _personal(_is("county", "placer"))),
    _yn("wants_shelter_tonight", "personal", "Would you like a referral to a shelter tonight?",
        "¿Desea una referencia a un albergue para esta noche?", _personal(_county_in_coc)),
    # The consent scripts, read aloud; the agent ticks each part (recorded on the consent record).
    Question("hmis_script_read", "personal", FLAG, "I read the HMIS release of information above to the caller.",
             "Le leí a la persona la autorización de divulgación de HMIS de arriba.", applies=_personal(), script="hmis_roi"),
    Question("dv_partner_offer_read", "personal", FLAG,
             "I offered the referral to a Domestic Violence partner, who would not share the answers with HMIS.",
             "Ofrecí la referencia a una agencia aliada contra la violencia doméstica, que no compartiría las respuestas con HMIS.",
             applies=_personal()),
    _yn("hmis_consent", "personal",
        "HMIS release of information (read the consent script). Do I have your consent?",
        "Autorización de divulgación de información de HMIS (lea el texto de consentimiento). ¿Tengo su consentimiento?",
        _personal(),
        hint_en="Verbal consent is valid: calls are recorded. Without consent the caller stays on the list, de-identified, and referral options may be limited.",
        hint_es="El consentimiento verbal es válido: las llamadas se graban. Sin consentimiento sigue en la lista, sin datos personales, y las opciones de referencia pueden ser limitadas."),
    # --- Nevada County shelter ---
    _yn("nv_resident_30_days", "shelter_nevada", "Have you lived in Nevada County for 30 days or more?",
        "¿Ha vivido en el condado de Nevada 30 días o más?", _shelter("nevada")),
    Question("nv_length_in_county", "shelter_nevada", CHOICE, "Length of time in the county?", "¿Cuánto tiempo lleva en el condado?",
             LENGTH_IN_COUNTY, _shelter("nevada")),
    _yn("nv_barred_hospitality_house", "shelter_nevada", "Have you been told by Hospitality House that you can't stay there?",
        "¿Hospitality House le ha dicho que no puede quedarse allí?", _shelter("nevada")),
    _yn("nv_substance_issue", "shelter_nevada",
        "Guests may not be under the influence of a substance. Does this present an issue for you?",
        "Los huéspedes no pueden estar bajo la influencia de sustancias. ¿Es esto un problema para usted?", _shelter("nevada")),
    _yn("nv_pets", "shelter_nevada", "Do you have pets with you?", "¿Tiene mascotas con usted?", _shelter("nevada")),
    _yn("nv_registered_sex_offender", "shelter_nevada", "Are you a registered sex offender?",
        "¿Está registrado(a) como delincuente sexual?", _shelter("nevada")),
    _yn("nv_has_income", "shelter_nevada", "Do you have a source of income?", "¿Tiene alguna fuente de ingresos?", _shelter("nevada")),
    _yn("nv_warrant_or_violent_conviction", "shelter_nevada",
        "To stay at Hospitality House you cannot have a current arrest warrant or a violent crime conviction. Will any of these be an issue for you?",
        "Para quedarse en Hospitality House no puede tener una orden de arresto vigente ni una condena por delito violento. ¿Es alguno de estos un problema para usted?",
        _shelter("nevada")),
    # --- Placer County shelter ---
    _yn("pl_resident_15_days", "shelter_placer", "Have you been a resident of Placer County for 15 days or more?",
        "¿Ha vivido en el condado de Placer 15 días o más?", _shelter("placer")),
    Question("pl_length_in_county", "shelter_placer", CHOICE, "Length of time in the county?", "¿Cuánto tiempo lleva en el condado?",
             LENGTH_IN_COUNTY, _shelter("placer")),
    _yn("pl_roseville", "shelter_placer", "Do you live in Roseville?", "¿Vive usted en Roseville?", _shelter("placer")),
    _yn("pl_has_income", "shelter_placer", "Do you have a source of income?", "¿Tiene alguna fuente de ingresos?", _shelter("placer")),
    _yn("pl_substance_issue", "shelter_placer",
        "Guests may not be under the influence of a substance. Does this present an issue for you?",
        "Los huéspedes no pueden estar bajo la influencia de sustancias. ¿Es esto un problema para usted?", _shelter("placer")),
    _yn("pl_registered_sex_offender", "shelter_placer", "Are you a registered sex offender?",
        "¿Está registrado(a) como delincuente sexual?", _shelter("placer")),
    _yn("pl_minor_unaccompanied", "shelter_placer", "Are you under 18 years of age and unaccompanied?",
        "¿Tiene menos de 18 años y está sin compañía?", _shelter("placer")),
    _yn("pl_accompanied", "shelter_placer", "Are you accompanied by others or family?", "¿Viene acompañado(a) de otras personas o familia?",
        _shelter("placer")),
    _yn("pl_tuberculosis", "shelter_placer", "Do you or anyone with you have tuberculosis?", "¿Usted o alguien que le acompaña tiene tuberculosis?",
        _shelter("placer")),
    _yn("pl_pets", "shelter_placer", "Do you have pets with you?", "¿Tiene mascotas con usted?", _shelter("placer")),
    _yn("pl_pets_arranged", "shelter_placer",
        "Pets must be temporarily housed or we cannot provide resources. Can you arrange that?",
        "Las mascotas deben alojarse temporalmente en otro lugar o no podemos ofrecer recursos. ¿Puede arreglarlo?",
        _shelter("placer", _is("pl_pets", "yes"))),
    Question("shelter_choice", "shelter_choice", REF, "Shelter referral chosen by the caller", "Albergue elegido por la persona",
             applies=lambda a: shelter_section(a) is not None),
    # --- continue to the housing list ---
    _yn("continue_to_vi", "continue",
        "If you would like to continue by answering a few more questions, we can put you on a list to receive a more permanent housing solution. Having your name on the list does not guarantee housing, but you cannot receive permanent and transitional HUD services without it. Would you like to continue?",
        "Si desea continuar respondiendo unas preguntas más, podemos ponerle en una lista para una solución de vivienda más permanente. Estar en la lista no garantiza vivienda, pero sin ella no puede recibir servicios de vivienda permanente y de transición de HUD. ¿Desea continuar?",
        vi_may_continue),
    Question("vi_script_read", "continue", FLAG, "I read the Vulnerability Index consent above to the caller.",
             "Le leí a la persona el consentimiento del Índice de Vulnerabilidad de arriba.",
             applies=lambda a: vi_may_continue(a) and a.get("continue_to_vi") == "yes", script="vi"),
    Question("disability_notice_read", "continue", FLAG,
             "I told the caller they do not have to disclose any specific disability or diagnosis.",
             "Le dije a la persona que no está obligada a revelar ninguna discapacidad o diagnóstico específico.",
             applies=lambda a: vi_may_continue(a) and a.get("continue_to_vi") == "yes"),
    _yn("vi_consent", "continue", "Vulnerability Index consent (read the consent script). Consent given?",
        "Consentimiento del Índice de Vulnerabilidad (lea el texto). ¿Da su consentimiento?",
        lambda a: vi_may_continue(a) and a.get("continue_to_vi") == "yes"),
    # --- Vulnerability Index ---
    _yn("vi_unaccompanied_youth", "vi", "Are you an unaccompanied youth under 18 years of age?",
        "¿Es usted un(a) joven menor de 18 años sin compañía?", _vi()),
    Question("household_size", "vi", INT, "May I ask how many people are in your household, including you?",
             "¿Cuántas personas hay en su hogar, incluyéndose usted?", applies=_vi(), min_value=1, max_value=30),
    Question("household_children", "vi", INT, "How many of these are children under age 18?",
             "¿Cuántos de ellos son menores de 18 años?", applies=_vi(), min_value=0, max_value=29),
    Question("gender", "vi", CHOICE, "May I ask your current gender identity? (how you describe yourself)",
             "¿Me puede decir su identidad de género actual? (cómo se describe usted)",
             [("female", "Female", "Mujer"), ("male", "Male", "Hombre"), ("transgender", "Transgender", "Transgénero"),
              ("non_binary", "Non-binary / gender non-conforming", "No binario / de género no conforme"),
              ("questioning", "Questioning", "Cuestionándose"), ("different_identity", "A different identity", "Otra identidad"),
              ("doesnt_know", "Client doesn't know", "No sabe"), ("refused", "Client prefers not to answer", "Prefiere no responder")],
             _vi()),
    _yn("household_transgender", "vi", "Is anyone in your household transgender or gender non-conforming?",
        "¿Alguien en su hogar es transgénero o de género no conforme?", _vi()),
    _yn("household_pregnant", "vi", "Are you or is anyone in your household pregnant?", "¿Usted o alguien en su hogar está embarazada?", _vi()),
    _yn("veteran", "vi", "Have you or a member of your household served in the US military, National Guard or reserve?",
        "¿Usted o alguien de su hogar sirvió en el ejército de EE. UU., la Guardia Nacional o la reserva?", _vi()),
    Question("veteran_who", "vi", CHOICE, "Was it you or a household member who served?", "¿Sirvió usted o un miembro del hogar?",
             [("self", "Self", "Yo"), ("household_member", "Household member", "Miembro del hogar")], _vi(_is("veteran", "yes"))),
    Question("sleep_location_30d", "vi", CHOICE, "Where did you sleep most frequently in the last 30 days?",
             "¿Dónde durmió con más frecuencia en los últimos 30 días?", SLEEP_LOCATIONS, _vi()),
    Question("unstable_housing_length", "vi", CHOICE, "How long have you been in unstable housing?",
             "¿Cuánto tiempo lleva sin vivienda estable?",
             [("under_1_year", "Less than 1 year", "Menos de 1 año"), ("1_to_3_years", "1 to 3 years", "De 1 a 3 años"),
              ("3_to_5_years", "3 to 5 years", "De 3 a 5 años"), ("over_5_years", "More than 5 years", "Más de 5 años"),
              ("doesnt_know", "Client doesn't know", "No sabe"), ("refused", "Client prefers not to answer", "Prefiere no responder")],
             _vi()),
    Question("homeless_start_date", "vi", DATE, "About when did this time without housing start? (optional)",
             "¿Aproximadamente cuándo empezó este periodo sin vivienda? (opcional)", applies=_vi()),
    Question("times_homeless_3y", "vi", CHOICE, "How many times have you been homeless in the past 3 years? (optional)",
             "¿Cuántas veces ha estado sin hogar en los últimos 3 años? (opcional)",
             [("one", "One time", "Una vez"), ("two", "Two times", "Dos veces"), ("three", "Three times", "Tres veces"),
              ("four_or_more", "Four or more times", "Cuatro veces o más"), ("doesnt_know", "Client doesn't know", "No sabe"),
              ("refused", "Client prefers not to answer", "Prefiere no responder")], _vi()),
    Question("months_homeless_3y", "vi", MONTHS, "In total, how many months homeless in the past 3 years? (optional)",
             "En total, ¿cuántos meses sin hogar en los últimos 3 años? (opcional)",
             [(str(n), str(n), str(n)) for n in range(1, 13)] + [("more_than_12", "More than 12", "Más de 12")], _vi()),
    _yn("er_visits_3plus_6m", "vi",
        "Have you or a household member been hospitalized or visited an emergency room 3 or more times in the last 6 months?",
        "¿Usted o alguien de su hogar ha sido hospitalizado o ha ido a urgencias 3 veces o más en los últimos 6 meses?", _vi()),
    _yn("police_6plus_6m", "vi", "Have you or a household member had an interaction with police 6 or more times in the last 6 months?",
        "¿Usted o alguien de su hogar ha tenido contacto con la policía 6 veces o más en los últimos 6 meses?", _vi()),
    _yn("health_mental", "vi", "Mental health disability", "Discapacidad de salud mental", _vi(),
        hint_en="I'm going to ask about some health conditions; you can just say yes or no.",
        hint_es="Le voy a preguntar por algunas condiciones de salud; puede responder sí o no."),
    _yn("mental_fsp", "vi", "Are you in a Full Service Partnership?", "¿Está en un programa Full Service Partnership?",
        _vi(_is("health_mental", "yes"))),
    _yn("health_physical_sensory", "vi", "Physical or sensory disability", "Discapacidad física o sensorial", _vi()),
    _yn("disability_income", "vi", "Do you receive income for a disability (mental, physical, sensory)?",
        "¿Recibe ingresos por una discapacidad (mental, física, sensorial)?", _vi()),
    _yn("health_developmental", "vi", "Developmental disability", "Discapacidad del desarrollo", _vi()),
    _yn("health_substance", "vi", "Substance abuse", "Abuso de sustancias", _vi()),
    _yn("health_alcohol", "vi", "Alcohol abuse", "Abuso de alcohol", _vi()),
    _yn("health_hiv_aids", "vi", "HIV/AIDS", "VIH/SIDA", _vi()),
    _yn("health_chronic", "vi", "Chronic health conditions (diabetes, or complications with heart, liver, kidney, stomach or brain)",
        "Condiciones crónicas de salud (diabetes, o complicaciones del corazón, hígado, riñón, estómago o cerebro)", _vi()),
    _yn("household_member_health", "vi", "Do any of your household members have one or more of the health conditions I mentioned?",
        "¿Algún miembro de su hogar tiene una o más de las condiciones de salud que mencioné?", _vi()),
    _yn("attacked_since_homeless", "vi", "Have you or a member of your household been attacked, hurt or threatened since becoming homeless?",
        "¿Usted o alguien de su hogar ha sido atacado, lastimado o amenazado desde que está sin hogar?", _vi()),
    _yn("self_harm", "vi", "Have you or a household member contemplated, threatened or attempted suicide?",
        "¿Usted o alguien de su hogar ha pensado, amenazado o intentado suicidarse?", _vi()),
    _yn("dv_experienced", "vi", "Have you or a member of your household experienced domestic violence, sexual assault or human trafficking?",
        "¿Usted o alguien de su hogar ha sufrido violencia doméstica, agresión sexual o trata de personas?", _vi()),
    _yn("dv_fleeing", "vi", "Are you currently fleeing or attempting to flee domestic violence, sexual assault, human trafficking or stalking?",
        "¿Está huyendo o intentando huir ahora de violencia doméstica, agresión sexual, trata de personas o acecho?", _vi()),
    _yn("registered_sex_offender", "vi", "Are you a registered sex offender?", "¿Está registrado(a) como delincuente sexual?", _vi()),
    _yn("has_income", "vi", "Do you have a source of income?", "¿Tiene alguna fuente de ingresos?", _vi()),
    Question("household_income", "vi", DECIMAL, "What is your household income?", "¿Cuál es el ingreso de su hogar?",
             applies=_vi(_is("has_income", "yes")), min_value=0, max_value=9_999_999.99),
    Question("income_period", "vi", CHOICE, "Is this your monthly or annual income?", "¿Es su ingreso mensual o anual?",
             [("monthly", "Monthly", "Mensual"), ("annual", "Annual", "Anual")], _vi(_is("has_income", "yes"))),
]

BY_CODE: dict[str, Question] = {q.code: q for q in QUESTIONS}
SECTION_TITLES = {code: (en, es) for code, en, es in SECTIONS}
PERSONAL_CODES = frozenset(q.code for q in QUESTIONS if q.section == "personal") - {
    "roseville_resident", "wants_shelter_tonight", "hmis_consent", "phone_future_same", "hmis_script_read",
    "dv_partner_offer_read"}
VI_CODES = [q.code for q in QUESTIONS if q.section == "vi"]


# "Ask once and carry the answer": a question the form repeats takes the answer the caller already
# gave to the first one (which applies); the repeat is shown, not asked again.
CARRIED_FROM: dict[str, tuple[str, ...]] = {
    "pl_minor_unaccompanied": ("safety_minor_without_adult",),
    "vi_unaccompanied_youth": ("safety_minor_without_adult",),
    "pl_roseville": ("roseville_resident",),
    "registered_sex_offender": ("nv_registered_sex_offender", "pl_registered_sex_offender"),
    "has_income": ("nv_has_income", "pl_has_income"),
}
# Warm-referral details: passed to the VSP (encrypted, only when the caller agreed), never kept on the intake.
DV_WARM_CODES = ("dv_warm_first_name", "dv_warm_callback_phone", "dv_warm_callback_time", "dv_warm_message_ok")


def applies(question: Question, answers: Answers) -> bool:
    return question.applies is None or bool(question.applies(answers))


def questions_in(section: str) -> list[Question]:
    return [q for q in QUESTIONS if q.section == section]
