"""A realistic demo practice: clients of many cultures, physicians, intakes, body charts."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, insert, select

from practice.billing.demo import generate_billing
from practice.bodymap import View
from practice.bodymap.chart import (
    ChartData,
    PointSymbol,
    Quality,
    ReferralArrow,
    RegionMark,
    Stroke,
    StrokeKind,
    SymbolKind,
    TextLabel,
)
from practice.bodymap.metrics import summarize
from practice.bodymap.models import BodyChartRow
from practice.clients import service as clients
from practice.clients.intake import (
    CancerStatus,
    IntakeData,
    Medication,
    Pressure,
    Surgery,
    suggest_flags,
)
from practice.clients.models import ClientRow, IntakeRow, PhysicianRow
from practice.clients.records import PracticeProfile
from practice.errors import ValidationError
from practice.plans.demo import generate_plans
from practice.schedule.demo import generate_schedule
from practice.store.audit import AuditEntry
from practice.store.database import Database
from practice.text import digits, fold
from practice.visits.demo import generate_visits

# (given names, family names, pronoun-neutral) by culture; written in their own scripts where
# people write them that way, so every demo exercises Unicode search, sorting and printing.
NAMES: dict[str, tuple[list[str], list[str]]] = {
    "english": (
        [
            "Emma",
            "Liam",
            "Olivia",
            "Noah",
            "Grace",
            "Jack",
            "Ruby",
            "Harriet",
            "Alex",
            "Morgan",
            "Sam",
            "Taylor",
            "Megan",
            "Oliver",
            "Charlotte",
            "Henry",
            "Daisy",
            "Thomas",
            "Evelyn",
            "George",
        ],
        [
            "Smith",
            "Johnson",
            "Brown",
            "Taylor",
            "Wilson",
            "Clarke",
            "Hughes",
            "Walker",
            "Wright",
            "Robinson",
            "Thompson",
            "Evans",
            "Green",
            "Hall",
            "Wood",
            "Harris",
        ],
    ),
    "irish": (
        [
            "Siobhán",
            "Niamh",
            "Seán",
            "Aoife",
            "Ciarán",
            "Pádraig",
            "Róisín",
            "Eoin",
            "Saoirse",
            "Tadhg",
        ],
        [
            "O'Brien",
            "O'Sullivan",
            "MacCarthy",
            "Ní Bhriain",
            "Ó Murchú",
            "Byrne",
            "Kavanagh",
            "Doyle",
            "O'Connor",
        ],
    ),
    "french": (
        [
            "Chloé",
            "Benoît",
            "Élodie",
            "François",
            "Inès",
            "Jérôme",
            "Anaïs",
            "Maëlle",
            "Théo",
            "Léa",
            "Gaëtan",
            "Noémie",
        ],
        [
            "Lefèvre",
            "Dubois",
            "Côté",
            "Gagné",
            "Bélanger",
            "Fournier",
            "Lévesque",
            "Bouchard",
            "Pelletier",
            "Girard",
        ],
    ),
    "spanish": (
        [
            "José",
            "María",
            "Sofía",
            "Andrés",
            "Lucía",
            "Ramón",
            "Begoña",
            "Joaquín",
            "Valentina",
            "Mateo",
            "Ximena",
        ],
        [
            "García",
            "Martínez",
            "Núñez",
            "Peña",
            "Rodríguez",
            "Ibáñez",
            "Hernández",
            "López",
            "Sánchez",
            "Muñoz",
        ],
    ),
    "portuguese": (
        ["João", "Conceição", "Gonçalo", "Inês", "Tiago", "Leonor"],
        ["Simões", "Gonçalves", "Araújo", "Magalhães", "Ferreira"],
    ),
    "german": (
        ["Jürgen", "Jörg", "Käthe", "Lena", "Matthias", "Lukas", "Anneliese", "Felix"],
        ["Müller", "Schäfer", "Groß", "Weiß", "Köhler", "Becker", "Hoffmann"],
    ),
    "polish": (
        ["Łukasz", "Małgorzata", "Wojciech", "Zofia", "Agnieszka", "Paweł"],
        ["Wiśniewski", "Kowalczyk", "Łęcka", "Zieliński", "Woźniak"],
    ),
    "nordic": (
        ["Søren", "Åsa", "Björn", "Ingrid", "Sigrid", "Magnus"],
        ["Nørgaard", "Lindqvist", "Ødegård", "Johansson", "Halvorsen"],
    ),
    "greek": (
        ["Ελένη", "Γιώργος", "Dimitra", "Nikos", "Katerina", "Yannis"],
        ["Παπαδοπούλου", "Georgiou", "Οικονόμου", "Papadakis", "Nikolaidis"],
    ),
    "russian": (
        ["Дмитрий", "Анна", "Olga", "Sergei", "Natalia", "Алексей", "Irina"],
        ["Иванов", "Petrova", "Смирнова", "Kuznetsov", "Volkova"],
    ),
    "turkish": (
        ["Çağla", "Ömer", "Şule", "Emre", "Elif", "Mehmet"],
        ["Yılmaz", "Öztürk", "Çelik", "Şahin", "Aydın"],
    ),
    "arabic": (
        ["Fatima", "Omar", "Layla", "Youssef", "Amira", "Khalid", "Nour", "Rania"],
        ["Al-Sayed", "Haddad", "Nasser", "Khoury", "Mansour", "Saleh"],
    ),
    "south_asian": (
        ["Priya", "Arjun", "Ananya", "Rohan", "Deepika", "Vikram", "Kavya", "Harpreet", "Aditya"],
        ["Sharma", "Patel", "Iyer", "Banerjee", "Singh", "Reddy", "Gill", "Menon"],
    ),
    "vietnamese": (
        ["Lan", "Minh", "Thảo", "Quang", "Hương", "Tuấn"],
        ["Nguyễn", "Trần", "Phạm", "Lê", "Hoàng", "Võ"],
    ),
    "korean": (
        ["민지", "서준", "Ji-woo", "Hyun-woo", "Seo-yeon", "지훈"],
        ["김", "이", "Park", "최", "Jung", "Kang"],
    ),
    "chinese": (
        ["大文", "美玲", "Wei", "Xiu Ying", "Jun", "Mei", "志明"],
        ["陳", "王", "Zhang", "Liu", "Huang", "Wong", "林"],
    ),
    "japanese": (
        ["花子", "Haruto", "Yui", "翔太", "Aiko", "Ren"],
        ["佐藤", "Suzuki", "高橋", "Tanaka", "Watanabe", "Yamamoto"],
    ),
    "west_african": (
        ["Chukwuemeka", "Adaeze", "Kwame", "Abena", "Oluwaseun", "Ngozi", "Kofi"],
        ["Okafor", "Mensah", "Adeyemi", "Boateng", "Eze", "Owusu"],
    ),
    "hawaiian": (["Kaʻiulani", "Keoni", "Leilani", "Makoa"], ["Kahananui", "Akana", "Kealoha"]),
}

OCCUPATIONS = [
    "Software developer",
    "Registered nurse",
    "Teacher",
    "Truck driver",
    "Hairdresser",
    "Accountant",
    "Carpenter",
    "Retired",
    "Student",
    "Dental hygienist",
    "Chef",
    "Musician",
    "Warehouse worker",
    "Lawyer",
    "Office administrator",
    "Physiotherapy assistant",
    "Farmer",
]
FOUND_US = [
    "Physician referral",
    "Chiropractor referral",
    "Google search",
    "Friend or family",
    "Walked past the clinic",
    "Insurance directory",
    "Instagram",
    "Returning client",
]
COMPLAINTS = [
    ("Low back pain after lifting, worse sitting", "low back", "Walk 30 minutes without pain"),
    ("Tension headaches most afternoons", "neck and shoulders", "Fewer headache days"),
    ("Stiff neck from desk work", "neck, upper back", "Turn head fully when driving"),
    ("Fibromyalgia flare, widespread aching", "whole body, gentle", "Sleep through the night"),
    ("Right shoulder pain reaching overhead", "right shoulder", "Reach the top shelf"),
    ("Sciatica down the left leg", "low back, left buttock", "Sit through a work meeting"),
    ("Knee arthritis, tight thighs", "thighs and knees", "Climb stairs without stopping"),
    ("Whiplash after car accident", "neck", "Return to full work hours"),
    ("Jaw pain and clenching", "jaw, temples", "Chew without pain"),
    ("Plantar fasciitis, calf tightness", "calves and feet", "Run 5 km again"),
]
STREETS = [
    "Maple Avenue",
    "King Street West",
    "Rue Saint-Denis",
    "Oak Lane",
    "Harbour Road",
    "Elm Street",
    "Queen's Crescent",
    "Avenida del Sol",
    "Birch Court",
]
CITIES = [
    "Toronto, ON",
    "Portland, OR",
    "Montréal, QC",
    "Austin, TX",
    "Halifax, NS",
    "Denver, CO",
    "Victoria, BC",
    "Ann Arbor, MI",
]


@dataclass(frozen=True, slots=True)
class DemoResult:
    clients: int
    physicians: int
    intakes: int
    charts: int = 0
    visits: int = 0
    invoices: int = 0
    payments: int = 0
    plans: int = 0
    appointments: int = 0
    series: int = 0


class DemoRefused(ValidationError):
    pass


# Each scenario produces an intake that triggers one kind of alert (or none), so a demo shows
# every banner a therapist may meet.
Scenario = Callable[[random.Random, date], dict]


def _plain(rng: random.Random, today: date) -> dict:
    return {}


def _scenarios() -> list[tuple[int, Scenario]]:
    def anticoagulant(rng, today):  # type: ignore[no-untyped-def]
        drug = rng.choice(["Warfarin 5 mg", "Apixaban 5 mg", "Rivaroxaban 20 mg"])
        return {
            "medications": (Medication(drug, suggest_flags(drug)),),
            "conditions": {"heart_disease": "Atrial fibrillation"},
        }

    def dvt(rng, today):  # type: ignore[no-untyped-def]
        return {"conditions": {"dvt_suspected": "Left calf swollen and warm since Tuesday"}}

    def surgery(rng, today):  # type: ignore[no-untyped-def]
        when = today - timedelta(days=rng.randint(10, 35))
        return {"surgeries": (Surgery("Right knee arthroscopy", when),)}

    def old_surgery(rng, today):  # type: ignore[no-untyped-def]
        when = today - timedelta(days=rng.randint(60, 170))
        return {"surgeries": (Surgery("Appendectomy", when),)}

    def pregnancy(rng, today):  # type: ignore[no-untyped-def]
        return {"pregnant": True, "pregnancy_weeks": rng.randint(14, 36)}

    def cancer(rng, today):  # type: ignore[no-untyped-def]
        return {
            "cancer_status": CancerStatus.ACTIVE,
            "cancer_details": "Breast cancer, chemotherapy; port in right upper chest",
            "implants": "Chemotherapy port, right upper chest",
            "conditions": {"lymph_nodes_removed": "Right arm (axillary nodes)"},
        }

    def hypertension(rng, today):  # type: ignore[no-untyped-def]
        drug = rng.choice(["Lisinopril 10 mg", "Amlodipine 5 mg"])
        return {
            "conditions": {"hypertension": ""},
            "medications": (
                Medication(drug, suggest_flags(drug)),
                Medication("Atorvastatin 20 mg", suggest_flags("atorvastatin")),
            ),
        }

    def neuropathy(rng, today):  # type: ignore[no-untyped-def]
        return {
            "conditions": {"diabetes": "Type 2", "neuropathy": "Both feet"},
            "medications": (Medication("Metformin 500 mg"),),
        }

    def opioid(rng, today):  # type: ignore[no-untyped-def]
        drug = rng.choice(["Tramadol 50 mg", "Cyclobenzaprine 10 mg"])
        return {"medications": (Medication(drug, suggest_flags(drug)),)}

    def osteoporosis(rng, today):  # type: ignore[no-untyped-def]
        return {"conditions": {"osteoporosis": "T-score -3.1"}}

    def flare(rng, today):  # type: ignore[no-untyped-def]
        return {"conditions": {"inflammatory_flare": "Both wrists and hands", "autoimmune": "RA"}}

    def fever(rng, today):  # type: ignore[no-untyped-def]
        return {"conditions": {"fever": "38.2 °C this morning"}}

    def oils(rng, today):  # type: ignore[no-untyped-def]
        return {"allergies": "Lavender oil, nut oils", "oil_or_scent_allergy": True}

    def pacemaker(rng, today):  # type: ignore[no-untyped-def]
        return {
            "implants": "Pacemaker, left upper chest",
            "conditions": {"heart_disease": "Heart block"},
        }

    def fibro(rng, today):  # type: ignore[no-untyped-def]
        return {"conditions": {"fibromyalgia": "", "migraine": "2-3 per month"}}

    return [
        (30, _plain),
        (8, anticoagulant),
        (2, dvt),
        (5, surgery),
        (4, old_surgery),
        (4, pregnancy),
        (3, cancer),
        (8, hypertension),
        (4, neuropathy),
        (4, opioid),
        (3, osteoporosis),
        (3, flare),
        (1, fever),
        (5, oils),
        (2, pacemaker),
        (10, fibro),
    ]


def _phone(rng: random.Random) -> str:
    return f"({rng.randint(201, 989)}) 555-{rng.randint(0, 9999):04d}"


def _email(rng: random.Random, given: str, family: str, index: int) -> str:
    local = fold(f"{given}.{family}").encode("ascii", "ignore").decode()
    local = "".join(ch for ch in local if ch.isalnum() or ch == ".").strip(".")
    local = local or f"client{index}"
    return f"{local}{index if index > 50 else ''}@example.{rng.choice(['com', 'ca', 'org'])}"


def generate(
    db: Database, *, clients_count: int = 40, seed: int = 1, today: date | None = None
) -> DemoResult:
    """Fill an empty practice with demo data. Refuses a database that already has clients."""
    if clients_count < 0:
        raise ValidationError({"clients": "The number of clients cannot be negative."})
    today = today or date.today()
    rng = random.Random(seed)
    with db.read() as session:
        if session.scalar(select(func.count()).select_from(ClientRow)):
            raise DemoRefused(
                {
                    "clients": "This practice already has clients; the demo only fills an "
                    "empty one. Use a new folder (--data-dir) for the demo."
                }
            )
    if clients.get_profile(db) is None:
        clients.save_profile(
            db,
            PracticeProfile(
                therapist_name="Jordan Rivera",
                practice_name="Riverside Medical Massage",
                credentials="RMT, LMT",
                registration_number="RMT-048213",
                npi="1234567893",
                tax_id="12-3456789",
                address="210 King Street West, Suite 4\nToronto, ON M5H 1J9",
                phone="(416) 555-0142",
                email="hello@riverside-massage.example",
                currency="CAD",
                locale="en_CA",
            ),
        )
    physicians = _physicians(db)
    scenarios = _scenarios()
    weights = [w for w, _ in scenarios]
    cultures = list(NAMES)
    now = datetime.now(UTC)
    client_rows, intake_rows, complaints = [], [], []
    for i in range(clients_count):
        given_names, family_names = NAMES[rng.choice(cultures)]
        given, family = rng.choice(given_names), rng.choice(family_names)
        if rng.random() < 0.2:  # mixed families: a family name from another tradition
            family = rng.choice(NAMES[rng.choice(cultures)][1])
        preferred = rng.choice(["", "", "", "", given[:3] if len(given) > 5 else ""])
        if i % 997 == 13:
            preferred = "Bea 🌻"
        age_days = rng.randint(16 * 365, 84 * 365)
        row = {
            "given_name": given,
            "family_name": family,
            "preferred_name": preferred,
            "date_of_birth": today - timedelta(days=age_days),
            "pronouns": rng.choice(["she/her", "he/him", "they/them", "", ""]),
            "sex": rng.choice(["female", "male", "female", "male", "intersex", ""]),
            "phone_mobile": _phone(rng),
            "phone_other": rng.choice(["", "", _phone(rng)]),
            "email": _email(rng, given, family, i),
            "address": f"{rng.randint(1, 999)} {rng.choice(STREETS)}\n{rng.choice(CITIES)}",
            "occupation": rng.choice(OCCUPATIONS),
            "emergency_contact_name": f"{rng.choice(given_names)} {family}",
            "emergency_contact_phone": _phone(rng),
            "emergency_contact_relation": rng.choice(["Partner", "Parent", "Sibling", "Friend"]),
            "referral_source": rng.choice(["", "Dr. referral", "Chiropractor"]),
            "found_us": rng.choice(FOUND_US),
            "notes": "",
            "physician_id": rng.choice(physicians) if rng.random() < 0.6 else None,
            "archived": rng.random() < 0.03,
            "created_at": now,
            "updated_at": now,
        }
        names = " ".join(filter(None, [given, preferred, family]))
        phones = " ".join(filter(None, [digits(row["phone_mobile"]), digits(row["phone_other"])]))
        row["search_text"] = " ".join([fold(names), fold(row["email"]), phones])
        row["sort_key"] = fold(f"{family}\x1f{preferred or given}")
        client_rows.append(row)
        scenario = rng.choices(scenarios, weights)[0][1]
        complaint, focus, goal = rng.choice(COMPLAINTS)
        complaints.append(complaint)
        intake = IntakeData(
            recorded_on=today - timedelta(days=rng.randint(0, 200)),
            goals=goal,
            focus_areas=focus,
            pressure_preference=rng.choice(list(Pressure)),
            other_notes=complaint,
            **scenario(rng, today),
        )
        intake_rows.append(intake)
    with db.transaction() as session:
        if not client_rows:
            return DemoResult(clients=0, physicians=len(physicians), intakes=0)
        first_id = (session.scalar(select(func.max(ClientRow.id))) or 0) + 1
        session.execute(insert(ClientRow), client_rows)
        ids = range(first_id, first_id + clients_count)
        session.execute(
            insert(IntakeRow),
            [
                {
                    "client_id": cid,
                    "created_by": db.actor,
                    "created_at": now,
                    **clients._intake_columns(intake),
                }
                for cid, intake in zip(ids, intake_rows, strict=True)
            ],
        )
        session.execute(
            insert(AuditEntry),
            [
                {
                    "at": now,
                    "actor": db.actor,
                    "action": "create",
                    "entity": "client",
                    "entity_id": cid,
                    "client_id": cid,
                    "summary": "Demo client created",
                    "changes": {},
                }
                for cid in ids
            ],
        )
    charts = _body_charts(
        db,
        [
            (cid, complaint, intake.recorded_on)
            for cid, complaint, intake in zip(ids, complaints, intake_rows, strict=True)
        ],
        seed=seed,
        today=today,
        now=now,
    )
    visits = generate_visits(db, list(ids), seed=seed, today=today)
    plans = generate_plans(db, list(ids), seed=seed, today=today)
    clients.save_consent_form(db, "general", "Consent to massage therapy", GENERAL_CONSENT)
    clients.save_consent_form(
        db, "sensitive", "Consent to treatment of sensitive areas", SENSITIVE_CONSENT
    )
    billing = generate_billing(db, rng, today)
    schedule = generate_schedule(db, seed=seed, today=today)
    return DemoResult(
        clients=clients_count,
        physicians=len(physicians),
        intakes=clients_count,
        charts=charts,
        visits=visits.visits,
        invoices=billing.invoices,
        payments=billing.payments,
        plans=plans.plans,
        appointments=schedule.past + schedule.upcoming,
        series=schedule.series,
    )


# --- body charts -----------------------------------------------------------------------------

CHARTED_SHARE = 0.6  # of demo clients have a course of body charts
MAX_CHARTED = 2500  # keeps a 10,000-client demo quick; plenty for lists and trends
RESOLVE_BELOW = 2  # a region charted at this or less may be left off the next chart


@dataclass(frozen=True, slots=True)
class _Baseline:
    """How a complaint looks on the body map at the first visit, before any treatment.

    An arrow is tied to the symbol (by index) whose referral it shows and is drawn while that
    trigger point is active; a stroke follows the pain of one region.
    """

    marks: tuple[tuple[str, int, frozenset[Quality]], ...]
    symbols: tuple[PointSymbol, ...] = ()
    arrows: tuple[tuple[int, ReferralArrow], ...] = ()
    stroke: tuple[str, Stroke] | None = None
    label: TextLabel | None = None


def _tp(view: str, x: float, y: float, muscle: str, active: bool = True) -> PointSymbol:
    kind = SymbolKind.TRIGGER_POINT_ACTIVE if active else SymbolKind.TRIGGER_POINT_LATENT
    return PointSymbol(kind, View(view), x, y, muscle=muscle)


def _tender(view: str, x: float, y: float, muscle: str, grade: int) -> PointSymbol:
    return PointSymbol(SymbolKind.TENDER_POINT, View(view), x, y, grade=grade, muscle=muscle)


def _arrow(
    symbol: int, view: str, x1: float, y1: float, x2: float, y2: float
) -> tuple[int, ReferralArrow]:
    return (symbol, ReferralArrow(View(view), x1, y1, x2, y2))


def _marks(*items: tuple[str, int, str]) -> tuple[tuple[str, int, frozenset[Quality]], ...]:
    """Region marks written as (code, intensity, "how it feels") with qualities by name."""
    return tuple(
        (code, value, frozenset(Quality(q) for q in qualities.split()))
        for code, value, qualities in items
    )


# One baseline per complaint in COMPLAINTS; coordinates are atlas units on the named view.
BASELINES: dict[str, _Baseline] = {
    "Low back pain after lifting, worse sitting": _Baseline(
        _marks(
            ("B_LOW_BACK_R", 7, "ache stiffness"),
            ("B_LOW_BACK_L", 5, "ache"),
            ("B_SACRUM", 4, "ache"),
            ("B_BUTTOCK_R", 3, "ache"),
        ),
        symbols=(
            _tp("back", 795, 425, "Quadratus lumborum"),
            _tp("back", 805, 500, "Gluteus medius", active=False),
            PointSymbol(SymbolKind.SPASM, View.BACK, 765, 420, muscle="Erector spinae"),
        ),
        arrows=(_arrow(0, "back", 795, 425, 790, 522),),
    ),
    "Tension headaches most afternoons": _Baseline(
        _marks(
            ("B_TRAPEZIUS_R", 6, "ache stiffness"),
            ("B_TRAPEZIUS_L", 6, "ache stiffness"),
            ("B_NECK_R", 5, "ache"),
            ("B_NECK_L", 4, "ache"),
            ("B_HEAD_OCCIPUT_R", 5, "ache"),
            ("B_HEAD_OCCIPUT_L", 4, "ache"),
            ("F_HEAD_TEMPLE_R", 5, "ache"),
            ("F_HEAD_TEMPLE_L", 4, "ache"),
            ("F_HEAD_FOREHEAD", 3, "ache"),
        ),
        symbols=(
            _tp("back", 790, 218, "Upper trapezius"),
            _tp("back", 712, 218, "Upper trapezius"),
            _tp("back", 762, 148, "Suboccipitals", active=False),
        ),
        arrows=(_arrow(0, "back", 790, 218, 790, 110),),
    ),
    "Stiff neck from desk work": _Baseline(
        _marks(
            ("B_NECK_R", 5, "stiffness ache"),
            ("B_NECK_L", 5, "stiffness"),
            ("B_TRAPEZIUS_R", 5, "ache"),
            ("B_TRAPEZIUS_L", 4, "ache"),
            ("B_UPPER_BACK_R", 4, "ache"),
            ("B_UPPER_BACK_L", 3, "ache"),
        ),
        symbols=(
            _tp("back", 770, 205, "Levator scapulae"),
            _tp("back", 775, 285, "Rhomboids", active=False),
        ),
        arrows=(_arrow(0, "back", 770, 205, 778, 300),),
    ),
    "Fibromyalgia flare, widespread aching": _Baseline(
        _marks(
            *(
                (f"{code}_{side}", value, qualities)
                for code, value, qualities in (
                    ("B_NECK", 5, "ache stiffness"),
                    ("B_TRAPEZIUS", 6, "ache burning"),
                    ("B_SHOULDER", 5, "ache"),
                    ("B_UPPER_BACK", 5, "ache burning"),
                    ("B_LOW_BACK", 6, "ache stiffness"),
                    ("B_BUTTOCK", 5, "ache"),
                    ("F_CHEST", 4, "ache"),
                    ("F_UPPER_ARM", 4, "ache"),
                    ("F_THIGH", 4, "ache"),
                    ("F_KNEE", 3, "ache stiffness"),
                )
                for side in "RL"
            )
        ),
        symbols=(
            _tender("back", 770, 140, "Suboccipital insertion", 3),
            _tender("back", 730, 140, "Suboccipital insertion", 3),
            _tender("back", 785, 220, "Upper trapezius", 2),
            _tender("back", 715, 220, "Upper trapezius", 2),
            _tender("back", 805, 510, "Gluteus medius", 2),
            _tender("back", 695, 510, "Gluteus medius", 2),
        ),
    ),
    "Right shoulder pain reaching overhead": _Baseline(
        _marks(
            ("B_SHOULDER_R", 7, "sharp ache"),
            ("F_SHOULDER_R", 6, "sharp"),
            ("F_UPPER_ARM_R", 4, "ache"),
            ("B_UPPER_BACK_R", 3, "ache"),
            ("B_UPPER_ARM_R", 3, "ache"),
        ),
        symbols=(
            _tp("back", 815, 285, "Infraspinatus"),
            _tp("back", 850, 255, "Supraspinatus", active=False),
            PointSymbol(SymbolKind.ADHESION, View.FRONT, 145, 270, muscle="Biceps, long head"),
        ),
        arrows=(_arrow(0, "back", 815, 285, 862, 345),),
    ),
    "Sciatica down the left leg": _Baseline(
        _marks(
            ("B_LOW_BACK_L", 5, "ache"),
            ("B_BUTTOCK_L", 7, "sharp burning"),
            ("B_THIGH_L", 5, "burning tingling"),
            ("B_POPLITEAL_L", 3, "tingling"),
            ("B_CALF_L", 4, "tingling numbness"),
            ("B_FOOT_L", 2, "numbness"),
        ),
        symbols=(
            _tp("back", 705, 515, "Piriformis"),
            _tp("back", 715, 425, "Quadratus lumborum", active=False),
        ),
        stroke=(
            "B_THIGH_L",
            Stroke(
                View.BACK,
                (
                    (705, 540),
                    (703, 580),
                    (702, 620),
                    (701, 680),
                    (700, 730),
                    (699, 790),
                    (698, 850),
                ),
                StrokeKind.RADIATING,
            ),
        ),
        label=TextLabel(View.BACK, 692, 935, "numb patch"),
    ),
    "Knee arthritis, tight thighs": _Baseline(
        _marks(
            ("F_KNEE_R", 6, "ache stiffness"),
            ("F_KNEE_L", 5, "ache stiffness"),
            ("F_THIGH_R", 4, "ache"),
            ("F_THIGH_L", 3, "ache"),
            ("B_POPLITEAL_R", 3, "stiffness"),
        ),
        symbols=(
            _tp("front", 228, 655, "Vastus medialis"),
            _tp("front", 200, 600, "Rectus femoris", active=False),
        ),
        arrows=(_arrow(0, "front", 228, 655, 212, 708),),
    ),
    "Whiplash after car accident": _Baseline(
        _marks(
            ("B_NECK_R", 7, "sharp stiffness"),
            ("B_NECK_L", 6, "sharp stiffness"),
            ("F_NECK_R", 5, "ache"),
            ("F_NECK_L", 4, "ache"),
            ("B_TRAPEZIUS_R", 5, "ache"),
            ("B_TRAPEZIUS_L", 5, "ache"),
            ("B_HEAD_OCCIPUT_R", 4, "ache"),
            ("B_HEAD_OCCIPUT_L", 3, "ache"),
            ("B_UPPER_BACK_R", 3, "ache"),
        ),
        symbols=(
            _tp("front", 240, 190, "Sternocleidomastoid"),
            _tp("back", 740, 180, "Splenius capitis"),
            PointSymbol(SymbolKind.SPASM, View.BACK, 765, 190, muscle="Cervical paraspinals"),
        ),
        arrows=(_arrow(0, "front", 240, 190, 212, 88),),
        label=TextLabel(View.BACK, 775, 300, "worse on waking"),
    ),
    "Jaw pain and clenching": _Baseline(
        _marks(
            ("F_JAW_R", 6, "ache sharp"),
            ("F_JAW_L", 5, "ache"),
            ("F_HEAD_TEMPLE_R", 5, "ache"),
            ("F_HEAD_TEMPLE_L", 3, "ache"),
            ("F_FACE_R", 3, "ache"),
        ),
        symbols=(
            _tp("front", 215, 140, "Masseter"),
            _tp("front", 212, 88, "Temporalis"),
            _tp("front", 285, 140, "Masseter", active=False),
        ),
        arrows=(_arrow(1, "front", 212, 88, 226, 126),),
    ),
    "Plantar fasciitis, calf tightness": _Baseline(
        _marks(
            ("B_FOOT_R", 7, "sharp"),
            ("B_CALF_R", 5, "ache stiffness"),
            ("B_ANKLE_R", 4, "ache"),
            ("B_CALF_L", 3, "ache"),
            ("B_FOOT_L", 3, "ache"),
        ),
        symbols=(
            _tp("back", 800, 770, "Gastrocnemius"),
            _tp("back", 798, 840, "Soleus", active=False),
            PointSymbol(SymbolKind.ADHESION, View.BACK, 808, 935, muscle="Plantar fascia"),
        ),
        arrows=(_arrow(1, "back", 798, 840, 805, 932),),
    ),
}

PROGRESS_NOTES = (
    "",
    "",
    "Reports less pain since last visit.",
    "Sleeping better; doing the home stretches most days.",
    "Sore for a day after the last treatment, then easier.",
    "Flare after a long drive at the weekend.",
    "Moving more freely; pressure tolerated well.",
)


def _body_charts(
    db: Database,
    clients_seen: list[tuple[int, str, date]],
    *,
    seed: int,
    today: date,
    now: datetime,
) -> int:
    """Give a share of the clients a course of 3-6 body charts for their complaint."""
    if not clients_seen:
        return 0
    from practice.bodymap.atlas import load_atlas

    atlas = load_atlas()
    rng = random.Random(f"body charts {seed}")  # its own stream: the clients stay the same
    count = min(MAX_CHARTED, round(len(clients_seen) * CHARTED_SHARE))
    chosen = sorted(rng.sample(range(len(clients_seen)), count))
    rows = []
    for index in chosen:
        client_id, complaint, intake_day = clients_seen[index]
        course = _course(rng, BASELINES[complaint], complaint, intake_day, today)
        for day, source, note, chart in course:
            metrics = summarize(chart, atlas)
            rows.append(
                {
                    "client_id": client_id,
                    "charted_on": day,
                    "source": source,
                    "note": note,
                    "data": chart.to_json(),
                    "extent_percent": metrics.extent_percent,
                    "region_count": metrics.region_count,
                    "wpi": metrics.wpi,
                    "max_intensity": metrics.max_intensity,
                    "created_at": now,
                    "updated_at": now,
                }
            )
    with db.transaction() as session:
        first_id = (session.scalar(select(func.max(BodyChartRow.id))) or 0) + 1
        session.execute(insert(BodyChartRow), rows)
        session.execute(
            insert(AuditEntry),
            [
                {
                    "at": now,
                    "actor": db.actor,
                    "action": "create",
                    "entity": "body_chart",
                    "entity_id": chart_id,
                    "client_id": row["client_id"],
                    "summary": f"Demo body chart of {row['charted_on'].isoformat()}",
                    "changes": {},
                }
                for chart_id, row in enumerate(rows, start=first_id)
            ],
        )
    return len(rows)


def _course(
    rng: random.Random, baseline: _Baseline, complaint: str, intake_day: date, today: date
) -> list[tuple[date, str, str, ChartData]]:
    """A plausible course of treatment: pain easing with noise, regions and trigger points
    settling, now and then a flare. Dates run from the intake (or earlier, when the intake is
    too recent for the whole course) to no later than today."""
    visits = rng.randint(3, 6)
    gaps = [rng.randint(7, 21) for _ in range(visits - 1)]
    start = min(intake_day, today - timedelta(days=sum(gaps)))
    days = [start + timedelta(days=sum(gaps[:k])) for k in range(visits)]
    # Most clients improve steadily, some slowly, a few flare once along the way.
    kind = rng.random()
    relief = rng.uniform(0.72, 0.88) if kind < 0.75 else rng.uniform(0.9, 1.0)
    flare_at = rng.randint(1, visits - 1) if kind > 0.9 else -1
    severity = rng.uniform(0.85, 1.2)
    # A trigger point stays active for some visits, then is latent for some, then is gone.
    symbol_span = [(rng.randint(1, visits), rng.randint(0, 2)) for _ in baseline.symbols]
    current = {
        code: _intensity(value * severity + rng.gauss(0, 0.7)) for code, value, _ in baseline.marks
    }
    qualities = {code: q for code, _, q in baseline.marks}
    course = []
    for k, day in enumerate(days):
        if k:
            factor = relief * (1.35 if k == flare_at else 1.0)
            for code, value in list(current.items()):
                if value <= RESOLVE_BELOW and rng.random() < 0.6:
                    del current[code]
                else:
                    current[code] = _intensity(value * factor + rng.gauss(0, 0.6))
        marks = tuple(RegionMark(code, value, qualities[code]) for code, value in current.items())
        symbols: list[PointSymbol] = []
        active: set[int] = set()
        for i, (symbol, (active_for, latent_for)) in enumerate(
            zip(baseline.symbols, symbol_span, strict=True)
        ):
            if symbol.kind is SymbolKind.TENDER_POINT:
                grade = (symbol.grade or 0) - k // 2
                if grade > 0:
                    symbols.append(replace(symbol, grade=grade))
            elif symbol.kind is SymbolKind.TRIGGER_POINT_ACTIVE and k < active_for:
                symbols.append(symbol)
                active.add(i)
            elif symbol.kind is SymbolKind.TRIGGER_POINT_ACTIVE and k < active_for + latent_for:
                symbols.append(replace(symbol, kind=SymbolKind.TRIGGER_POINT_LATENT))
            elif k < active_for + latent_for:
                symbols.append(symbol)
        arrows = tuple(arrow for source, arrow in baseline.arrows if source in active)
        strokes = ()
        if baseline.stroke is not None and current.get(baseline.stroke[0], 0) >= 3:
            strokes = (baseline.stroke[1],)
        labels = (baseline.label,) if baseline.label is not None and k < visits - 1 else ()
        chart = ChartData(marks, tuple(symbols), arrows, strokes, labels)
        note = f"Baseline: {complaint.lower()}." if k == 0 else rng.choice(PROGRESS_NOTES)
        source = "intake" if k == 0 and day == intake_day else "chart"
        course.append((day, source, note, chart))
    return course


def _intensity(value: float) -> int:
    return max(1, min(10, round(value)))


def _physicians(db: Database) -> list[int]:
    from practice.clients.records import PhysicianForm

    with db.read() as session:
        existing = list(session.scalars(select(PhysicianRow.id)))
    if existing:
        return existing
    forms = [
        PhysicianForm(
            "Dr. Amelia Chen",
            "Harbourfront Family Health",
            "Family medicine",
            "(416) 555-0190",
            "(416) 555-0191",
            "achen@harbourfront.example",
            "55 Harbour Square, Toronto, ON",
            "CPSO 88231",
            "1467503829",
        ),
        PhysicianForm(
            "Dr. Rafael Núñez",
            "Spine & Sport Chiropractic",
            "Chiropractic",
            "(416) 555-0133",
            "(416) 555-0134",
            "",
            "400 Bloor St W, Toronto, ON",
            "CCO 4410",
        ),
        PhysicianForm(
            "Dr. Oluwaseun Adeyemi",
            "Midtown Rheumatology",
            "Rheumatology",
            "(416) 555-0177",
            "(416) 555-0178",
            "office@midtownrheum.example",
            "2 Eglinton Ave E, Toronto, ON",
            "CPSO 77102",
            "1922334455",
        ),
        PhysicianForm(
            "Dr. Sinéad O'Connor",
            "Lakeshore Pain Clinic",
            "Physiatry",
            "(416) 555-0155",
            "(416) 555-0156",
            "",
            "90 Lakeshore Blvd, Toronto, ON",
        ),
        PhysicianForm(
            "Dr. 김현우 (Hyun-woo Kim)",
            "Yonge Street Medical",
            "Family medicine",
            "(416) 555-0112",
            "",
            "",
            "5000 Yonge St, Toronto, ON",
        ),
    ]
    return [clients.create_physician(db, form).id for form in forms]


GENERAL_CONSENT = (
    "I understand that massage therapy is provided to relieve muscle tension and pain and to "
    "improve movement, and that the therapist does not diagnose illness or prescribe "
    "medication. The therapist has explained the planned techniques (such as trigger point "
    "therapy and myofascial release) and the areas to be treated. I understand the possible "
    "risks, including temporary soreness and bruising. I will be draped at all times except "
    "for the area being treated. I may ask the therapist to change or stop the treatment at "
    "any time. I have told the therapist about my health conditions and medications and will "
    "tell them about any change. I accept the fees and the 24-hour cancellation policy."
)
SENSITIVE_CONSENT = (
    "I consent to treatment of the sensitive areas ticked below. The therapist has explained "
    "why treating these areas may help, how I will be draped, and that I may withdraw this "
    "consent at any time, including during the treatment."
)
