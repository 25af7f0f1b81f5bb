"""The consent scripts the agent reads aloud, in English and Spanish (seeds Appendix C and
Privacy Protections). Shown where a form asks for consent (the intake's HMIS release and
Vulnerability Index consent, the consent page); the agent ticks that each part was read, and
the consent record keeps those ticks (ConsentRecord.script_read, dv_offer_read,
disability_notice_read).

Each script is a list of paragraphs; `dv_offer` and `disability_notice` are the two parts the
agent confirms separately.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Script:
    code: str
    title: dict[str, str]
    paragraphs: dict[str, list[str]]

    def text(self, language: str) -> list[str]:
        return self.paragraphs.get(language) or self.paragraphs["en"]

    def heading(self, language: str) -> str:
        return self.title.get(language) or self.title["en"]


HMIS_RELEASE = Script(
    "hmis_roi",
    {"en": "HMIS Consent for Release of Information", "es": "Consentimiento para divulgar información en HMIS"},
    {
        "en": [
            "Before I give you a referral, I will need you to agree to a release of information. I will read you the "
            "release and you can tell me “Yes” or “No.” May I begin?",
            "I will be asking you information about you and your household and entering it into a secure electronic "
            "database called the Homeless Management Information System, or HMIS. This information will be used to try "
            "to identify resources that may be of assistance to you. It will also help us track your outcome or "
            "progress. This information does not guarantee a housing solution; it only documents your current situation.",
            "This information will only be shared with participating agencies in HMIS, who abide by the same privacy "
            "rules as our agency. A copy of this consent is available upon request.",
            "This information may not be disclosed to any other outside party unless: 1. You provide written consent; "
            "or 2. We are mandated to disclose it by court order; or 3. Because of a medical emergency.",
            "If you want to keep your anonymity for safety reasons, I can refer you to one of our Domestic Violence "
            "partners who will ask the same questions, but not share your answers with the HMIS partners. Would you "
            "like me to refer you to a Domestic Violence partner now? [If NO, continue.]",
            "May I have your full name?",
            "I am asking for your consent to enter the information you provide, including Protected Personal "
            "Information (which may include, but is not limited to, your Social Security number, your date of birth, "
            "and demographic information) into the Homeless Management Information System. Your consent authorizes us "
            "to share this information and information about your household with our partner agencies through HMIS.",
            "If you say no, you can still enter Coordinated Entry and you will not be denied services, but your "
            "referral options may be limited. Do I have your consent?",
            "Do you have any questions about this HMIS consent?",
        ],
        "es": [
            "Antes de darle una referencia, necesito que acepte una autorización para divulgar información. Le leeré la "
            "autorización y usted puede decirme “Sí” o “No”. ¿Puedo comenzar?",
            "Le haré preguntas sobre usted y su hogar y las anotaré en una base de datos electrónica segura llamada "
            "Sistema de Información para la Gestión de Personas sin Hogar, o HMIS. Esta información se usará para "
            "identificar recursos que puedan ayudarle. También nos ayudará a dar seguimiento a sus resultados o "
            "progreso. Esta información no garantiza una solución de vivienda; solo documenta su situación actual.",
            "Esta información solo se compartirá con las agencias que participan en HMIS, que cumplen las mismas reglas "
            "de privacidad que nuestra agencia. Puede pedir una copia de este consentimiento.",
            "Esta información no podrá divulgarse a ninguna otra persona o entidad externa a menos que: 1. Usted dé su "
            "consentimiento por escrito; o 2. Una orden judicial nos obligue a divulgarla; o 3. Por una emergencia médica.",
            "Si desea mantener su anonimato por razones de seguridad, puedo referirle a una de nuestras agencias "
            "aliadas contra la violencia doméstica, que le harán las mismas preguntas pero no compartirán sus "
            "respuestas con las agencias de HMIS. ¿Desea que le refiera ahora a una agencia aliada contra la "
            "violencia doméstica? [Si dice que NO, continúe.]",
            "¿Me puede dar su nombre completo?",
            "Le pido su consentimiento para anotar la información que me dé, incluida la Información Personal "
            "Protegida (que puede incluir, entre otras cosas, su número de Seguro Social, su fecha de nacimiento y "
            "datos demográficos), en el Sistema de Información para la Gestión de Personas sin Hogar. Su "
            "consentimiento nos autoriza a compartir esta información y la de su hogar con nuestras agencias aliadas "
            "por medio de HMIS.",
            "Si dice que no, igual puede entrar en el Sistema de Acceso Coordinado y no se le negarán servicios, pero "
            "sus opciones de referencia pueden ser limitadas. ¿Tengo su consentimiento?",
            "¿Tiene alguna pregunta sobre este consentimiento de HMIS?",
        ],
    },
)

# The paragraph of HMIS_RELEASE that offers the DV partner (Appendix C), confirmed separately.
DV_OFFER_PARAGRAPH = 4

VI_CONSENT = Script(
    "vi",
    {"en": "Vulnerability Index consent", "es": "Consentimiento para el Índice de Vulnerabilidad"},
    {
        "en": [
            "I would like to ask you some questions about your housing, your health and your household, to see which "
            "housing programs may fit you and to place you on the list for housing. Your answers give a score; the "
            "score decides your place on the list. Being on the list does not guarantee housing.",
            "You may skip any question. You are not required to tell me about any specific disability or diagnosis: "
            "we ask only to find the programs you may be eligible for and to make the right referrals.",
            "Do I have your consent to ask these questions and record your answers?",
        ],
        "es": [
            "Quisiera hacerle unas preguntas sobre su vivienda, su salud y su hogar, para ver qué programas de "
            "vivienda pueden corresponderle y ponerle en la lista de vivienda. Sus respuestas dan un puntaje; el "
            "puntaje decide su lugar en la lista. Estar en la lista no garantiza vivienda.",
            "Puede no responder cualquier pregunta. No está obligado(a) a decirme si tiene una discapacidad o un "
            "diagnóstico específico: solo preguntamos para encontrar los programas a los que puede tener derecho y "
            "hacer las referencias adecuadas.",
            "¿Tengo su consentimiento para hacerle estas preguntas y anotar sus respuestas?",
        ],
    },
)

# The paragraph of VI_CONSENT that says disclosing a disability is not required (Privacy Protections).
DISABILITY_NOTICE_PARAGRAPH = 1

SCRIPTS = {HMIS_RELEASE.code: HMIS_RELEASE, VI_CONSENT.code: VI_CONSENT}


def script_for(kind: str) -> Script | None:
    return SCRIPTS.get(kind)
