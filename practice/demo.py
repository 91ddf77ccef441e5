"""A realistic demo practice: clients of many cultures, physicians, intakes, body charts."""

from __future__ import annotations

import gc
import random
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func, select

from practice.billing.demo import generate_billing
from practice.bounds import whole_in
from practice.clients import service as clients
from practice.clients.intake import (
    CancerStatus,
    IntakeData,
    Medication,
    Pressure,
    Surgery,
    suggest_flags,
)
from practice.clients.models import ClientRow, ConsentRow, IntakeRow, PhysicianRow
from practice.clients.records import PracticeProfile
from practice.errors import ValidationError
from practice.plans.demo import generate_plans
from practice.progress import Progress
from practice.schedule.demo import generate_schedule
from practice.store.audit import AuditEntry
from practice.store.bulk import bulk_transaction, insert_rows
from practice.store.database import Database
from practice.text import digits, fold
from practice.visits.demo import demo_clients, generate_visits

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


def check_size(clients_count: object) -> None:
    """Raise ValidationError unless `clients_count` is a demo's number of clients."""
    if not whole_in(clients_count, 0, MAX_CLIENTS):
        raise ValidationError(
            {
                "clients": f"A demo has 0 to {MAX_CLIENTS:,} clients (twenty years of a busy "
                "practice is 30,000)."
            }
        )


def refuse_filled(db: Database) -> None:
    """Raise DemoRefused when the practice has clients: a demo only fills an empty one."""
    with db.read() as session:
        if session.scalar(select(func.count()).select_from(ClientRow)):
            raise DemoRefused(
                {
                    "clients": "This practice already has clients; the demo only fills an "
                    "empty one. Use a new folder (--data-dir) for the demo."
                }
            )


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
    db: Database,
    *,
    clients_count: int = 40,
    seed: int = 1,
    today: date | None = None,
    fork: bool = False,
    progress: Progress | None = None,
) -> DemoResult:
    """Fill an empty practice with demo data. Refuses a database that already has clients.

    With `fork` the visits are made in a forked process while this one writes them
    (`practice.forked`; the command line's demo): the same practice, sooner. `progress`
    hears of each step in hundredths of the whole (and may cancel between them)."""
    check_size(clients_count)
    with _collector_paused():
        return _generate(db, clients_count, seed, today, fork, progress or Progress())


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's garbage collector off while the demo is made: it would walk the millions of
    rows kept until written again and again (4 s of 30 at 10,000 clients), and they hold no
    reference cycles for it to find. (On again after, when it was on: the window runs its own.)"""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


# Each step's share of a big demo's time, in hundredths (30,000 clients: the visits are most).
STEPS = {"clients": 10, "visits": 60, "plans": 6, "billing": 16, "schedule": 8}


def _step(progress: Progress, step: str, part: float = 0.0) -> None:
    """Report `part` (0 to 1) of `step` done, as hundredths of the whole demo."""
    names = list(STEPS)
    before = sum(STEPS[name] for name in names[: names.index(step)])
    progress.report(before + round(STEPS[step] * part), 100, f"Making the demo's {step}")


def _generate(
    db: Database,
    clients_count: int,
    seed: int,
    today: date | None,
    fork: bool,
    progress: Progress,
) -> DemoResult:
    today = today or date.today()
    rng = random.Random(seed)
    refuse_filled(db)
    _step(progress, "clients")
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
    years = history_years(clients_count)
    eras = random.Random(f"years {seed}")  # its own stream: a small demo stays as it was
    ended = [max(0, eras.randint(-365, years * 365)) if years else 0 for _ in range(clients_count)]
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
            recorded_on=today - timedelta(days=rng.randint(0, 200) + ended[i]),
            goals=goal,
            focus_areas=focus,
            pressure_preference=rng.choice(list(Pressure)),
            other_notes=complaint,
            **scenario(rng, today),
        )
        intake_rows.append(intake)
    with bulk_transaction(db) as session:
        if not client_rows:
            return DemoResult(clients=0, physicians=len(physicians), intakes=0)
        first_id = (session.scalar(select(func.max(ClientRow.id))) or 0) + 1
        insert_rows(session, ClientRow, client_rows)
        ids = range(first_id, first_id + clients_count)
        insert_rows(
            session,
            IntakeRow,
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
        insert_rows(
            session,
            AuditEntry,
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
    general = clients.save_consent_form(
        db, "general", "Consent to massage therapy", GENERAL_CONSENT
    )
    clients.save_consent_form(
        db, "sensitive", "Consent to treatment of sensitive areas", SENSITIVE_CONSENT
    )
    names = [f"{r['given_name']} {r['family_name']}".strip() for r in client_rows]
    back = dict(zip(ids, ended, strict=True))
    _consents(db, rng, general.id, list(zip(ids, names, strict=True)), today, now, back)
    people = demo_clients(db, list(ids), today)  # complaints and alerts, read once
    _step(progress, "visits")
    visits = generate_visits(
        db,
        list(ids),
        seed=seed,
        today=today,
        max_visits=max(MAX_VISITS, int(clients_count * VISITS_PER_CLIENT)),
        ended_days_ago=back,
        people=people,
        fork=fork,
        done=lambda made, of: _step(progress, "visits", made / max(1, of)),
    )
    _step(progress, "plans")
    plans = generate_plans(db, list(ids), seed=seed, today=today, people=people)
    _step(progress, "billing")
    billing = generate_billing(db, rng, today)
    _step(progress, "schedule")
    schedule = generate_schedule(db, seed=seed, today=today)
    progress.report(100, 100, "Demo made")
    return DemoResult(
        clients=clients_count,
        physicians=len(physicians),
        intakes=clients_count,
        charts=visits.charts,
        visits=visits.visits,
        invoices=billing.invoices,
        payments=billing.payments,
        plans=plans.plans,
        appointments=schedule.past + schedule.upcoming,
        series=schedule.series,
    )


# A big demo is a busy practice of many years: 30,000 clients over twenty years, about 200,000
# visits. Up to 1,499 clients every course of care ends near today, as in a young practice.
FULL_YEARS, FULL_CLIENTS = 20, 30_000
MAX_CLIENTS = 100_000  # the most a demo makes: more is a mistyped number, not a practice
MAX_VISITS = 40_000  # a smaller demo's visits, at most
VISITS_PER_CLIENT = 20 / 3  # on average over a big demo's clients


def history_years(clients_count: int) -> int:
    """How many years back the demo's courses of care reach (before the last one)."""
    return min(FULL_YEARS, clients_count * FULL_YEARS // FULL_CLIENTS)


CONSENT_SHARE = 0.94  # of demo clients signed the consent; the rest show the warning
CONSENT_BEFORE_DAYS = 600  # before the longest demo history begins


def _consents(
    db: Database,
    rng: random.Random,
    form_id: int,
    people: list[tuple[int, str]],
    today: date,
    now: datetime,
    ended_days_ago: dict[int, int],
) -> int:
    """Most clients signed the practice's consent before their first visit (a year back at
    most: the demo's visit histories are shorter)."""
    signed = datetime.combine(today - timedelta(days=CONSENT_BEFORE_DAYS), time(9), UTC)
    rows = []
    for client_id, name in people:
        if rng.random() >= CONSENT_SHARE:
            continue
        back = timedelta(days=ended_days_ago.get(client_id, 0))
        rows.append(
            {
                "client_id": client_id,
                "form_id": form_id,
                "signed_at": signed - back + timedelta(minutes=rng.randint(0, 600)),
                "signer_name": name,
                "guardian_name": "",
                "guardian_relation": "",
                "sensitive_areas": [],
                "recorded_by": db.actor,
                "withdrawn_reason": "",
            }
        )
    if not rows:
        return 0
    with bulk_transaction(db) as session:
        first_id = (session.scalar(select(func.max(ConsentRow.id))) or 0) + 1
        insert_rows(session, ConsentRow, rows)
        insert_rows(
            session,
            AuditEntry,
            [
                {
                    "at": now,
                    "actor": db.actor,
                    "practitioner_id": db.practitioner_id,
                    "action": "sign",
                    "entity": "consent",
                    "entity_id": consent_id,
                    "client_id": row["client_id"],
                    "summary": "Demo consent signed",
                    "changes": {},
                }
                for consent_id, row in enumerate(rows, start=first_id)
            ],
        )
    return len(rows)


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
