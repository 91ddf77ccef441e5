"""Plain read models and input forms for clients, physicians, intakes, consent and the practice."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from practice.clients.intake import IntakeData
from practice.clients.rows import ClientRow as ClientRow  # the list's, re-exported
from practice.clients.rows import Standing as Standing


@dataclass(frozen=True, slots=True)
class PracticeProfile:
    therapist_name: str
    practice_name: str = ""
    credentials: str = ""
    registration_number: str = ""
    npi: str = ""
    tax_id: str = ""
    address: str = ""
    phone: str = ""
    email: str = ""
    website: str = ""
    logo_png: bytes | None = None
    currency: str = "USD"
    locale: str = "en_US"


@dataclass(frozen=True, slots=True)
class PhysicianForm:
    name: str
    clinic: str = ""
    specialty: str = ""
    phone: str = ""
    fax: str = ""
    email: str = ""
    address: str = ""
    licence_number: str = ""
    npi: str = ""


@dataclass(frozen=True, slots=True)
class Physician(PhysicianForm):
    id: int = 0
    archived: bool = False

    @property
    def display(self) -> str:
        return f"{self.name} ({self.clinic})" if self.clinic else self.name


@dataclass(frozen=True, slots=True)
class ClientForm:
    """What a person types into the client profile. Validated by the service before saving."""

    given_name: str
    family_name: str = ""
    preferred_name: str = ""
    date_of_birth: date | None = None
    pronouns: str = ""
    sex: str = ""
    phone_mobile: str = ""
    phone_other: str = ""
    email: str = ""
    address: str = ""
    occupation: str = ""
    emergency_contact_name: str = ""
    emergency_contact_phone: str = ""
    emergency_contact_relation: str = ""
    referral_source: str = ""
    found_us: str = ""
    notes: str = ""
    physician_id: int | None = None


@dataclass(frozen=True, slots=True)
class Client(ClientForm):
    id: int = 0
    archived: bool = False
    created_at: datetime | None = None
    updated_at: datetime | None = None
    version: int = 0  # as read: a save passes it back (store.versions)

    @property
    def display_name(self) -> str:
        """Preferred name first: 'Kim (Min-ji) Lee' reads as 'Kim Lee' with the legal name kept."""
        first = self.preferred_name or self.given_name
        return f"{first} {self.family_name}".strip()

    @property
    def legal_name(self) -> str:
        return f"{self.given_name} {self.family_name}".strip()

    def age_on(self, day: date) -> int | None:
        if self.date_of_birth is None:
            return None
        dob = self.date_of_birth
        return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))

    def form(self) -> ClientForm:
        return ClientForm(**{f: getattr(self, f) for f in ClientForm.__dataclass_fields__})


@dataclass(frozen=True, slots=True)
class Intake:
    id: int
    client_id: int
    data: IntakeData
    created_at: datetime
    created_by: str


@dataclass(frozen=True, slots=True)
class ConsentForm:
    id: int
    kind: str
    title: str
    version: int
    body: str
    created_at: datetime
    retired: bool


@dataclass(frozen=True, slots=True)
class ConsentSignature:
    form_id: int
    signer_name: str
    signed_at: datetime | None = None
    guardian_name: str = ""
    guardian_relation: str = ""
    sensitive_areas: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Consent:
    id: int
    client_id: int
    form: ConsentForm
    signed_at: datetime
    signer_name: str
    guardian_name: str
    guardian_relation: str
    sensitive_areas: tuple[str, ...]
    withdrawn_at: datetime | None
    withdrawn_reason: str
    recorded_by: str

    @property
    def active(self) -> bool:
        return self.withdrawn_at is None


@dataclass(frozen=True, slots=True)
class ClientCounts:
    active: int
    archived: int
    physicians: int
    intakes: int
    consents: int
    extra: dict[str, int] = field(default_factory=dict)
