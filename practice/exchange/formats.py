"""Where the columns of other tools' client and visit exports go in Fascia, and how they
write dates.

Each format lists, for every client field Fascia imports, the column headings that tool uses for
it. The headings come from each tool's own help pages and field lists (Cliniko's patient
fields, SimplePractice's client and demographics fields, Jane's patient profile, ClinicSense's
client profile); headings are compared without case, spaces or punctuation ("First Name",
"first_name" and "FirstName" are one heading), and any column can be mapped by hand instead
(the import dialog, or `--map` on the command line). `GENERIC` knows the common headings of all
of them and is what a CSV from anywhere else starts from.

Visit (appointment history) exports are mapped the same way onto `VISIT_FIELDS`. Which of those
headings are documented and which are guessed is said next to each format's `visits`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum


class Target(StrEnum):
    """What a file's rows become: clients, or past visits of clients on file."""

    CLIENTS = "clients"
    VISITS = "visits"


# The client fields an import can fill, in the order the mapping dialog offers them. Address
# parts and phones are gathered into Fascia's fields; `full_name` is split when there are no
# separate first and last names.
FIELDS: dict[str, str] = {
    "given_name": "First (given) name",
    "family_name": "Last (family) name",
    "full_name": "Full name (split into first and last)",
    "preferred_name": "Preferred name",
    "date_of_birth": "Date of birth",
    "pronouns": "Pronouns",
    "sex": "Sex or gender",
    "phone_mobile": "Mobile phone",
    "phone_other": "Other phone",
    "email": "Email",
    "street": "Address: street",
    "street2": "Address: second line",
    "city": "Address: city",
    "region": "Address: state or province",
    "postal_code": "Address: ZIP or postal code",
    "country": "Address: country",
    "occupation": "Occupation",
    "emergency_contact_name": "Emergency contact: name",
    "emergency_contact_phone": "Emergency contact: phone",
    "emergency_contact_relation": "Emergency contact: relation",
    "referral_source": "Referred by",
    "found_us": "How they found the practice",
    "notes": "Notes",
}

COMMON: dict[str, tuple[str, ...]] = {
    "given_name": ("first name", "firstname", "given name", "legal first name", "first"),
    "family_name": ("last name", "lastname", "surname", "family name", "legal last name", "last"),
    "full_name": ("name", "full name", "client name", "client", "patient name", "patient"),
    "preferred_name": ("preferred name", "name they go by", "nickname", "goes by"),
    "date_of_birth": ("date of birth", "birth date", "birthdate", "dob", "birthday"),
    "pronouns": ("pronouns",),
    "sex": ("sex", "gender", "gender identity"),
    "phone_mobile": ("mobile phone", "mobile", "cell phone", "cell", "phone", "phone number"),
    "phone_other": ("home phone", "work phone", "other phone", "phone 2", "secondary phone"),
    "email": ("email", "email address", "e-mail"),
    "street": ("address", "address 1", "address line 1", "street", "street address"),
    "street2": ("address 2", "address line 2"),
    "city": ("city", "town", "suburb"),
    "region": ("state", "province", "region", "state/province"),
    "postal_code": ("zip", "zip code", "postal code", "postcode", "post code"),
    "country": ("country",),
    "occupation": ("occupation", "job", "employer"),
    "emergency_contact_name": ("emergency contact", "emergency contact name"),
    "emergency_contact_phone": ("emergency contact phone", "emergency phone"),
    "emergency_contact_relation": ("emergency contact relationship", "emergency relationship"),
    "referral_source": ("referred by", "referral source", "referral", "referring practitioner"),
    "found_us": ("how did you hear about us", "heard about us", "found us"),
    "notes": ("notes", "client notes", "patient notes", "comments"),
}


# The fields a past visit can fill. The client is found by name (and birth date, when the file
# has one); the visit's length comes from a duration, or from its start and end.
VISIT_FIELDS: dict[str, str] = {
    "full_name": "Client: full name",
    "given_name": "Client: first (given) name",
    "family_name": "Client: last (family) name",
    "date_of_birth": "Client: date of birth",
    "starts_at": "Visit date (with or without its time)",
    "start_time": "Visit start time",
    "ends_at": "Visit end (time, or date and time)",
    "duration": "Visit duration (minutes, 1:30, 1 h 30 min)",
    "service": "Service or treatment",
    "notes": "Visit notes",
    "status": "Status (arrived, cancelled, no-show)",
    "cancelled": "Cancelled (a date, yes or true)",
    "no_show": "Did not arrive (yes or true)",
}

VISIT_COMMON: dict[str, tuple[str, ...]] = {
    "full_name": ("client", "client name", "patient", "patient name", "name", "full name"),
    "given_name": ("first name", "client first name", "patient first name", "given name"),
    "family_name": ("last name", "client last name", "patient last name", "surname"),
    "date_of_birth": ("date of birth", "birth date", "birthdate", "dob", "birthday"),
    "starts_at": (
        "date",
        "appointment date",
        "visit date",
        "date of service",
        "service date",
        "start",
        "starts at",
        "start date",
        "appointment start",
        "start date time",
    ),
    "start_time": ("time", "start time", "appointment time"),
    "ends_at": ("end", "ends at", "end time", "end date", "appointment end"),
    "duration": ("duration", "length", "minutes", "duration minutes", "duration (min)"),
    "service": (
        "service",
        "services",
        "treatment",
        "appointment type",
        "type",
        "service name",
        "billing code",
    ),
    "notes": ("notes", "appointment notes", "visit notes", "comments", "note"),
    "status": ("status", "state", "appointment status", "attendance"),
    "cancelled": ("cancelled", "cancelled at", "canceled", "canceled at", "cancellation date"),
    "no_show": ("no show", "did not arrive", "dna", "no-show"),
}

COMMON_OF = {Target.CLIENTS: COMMON, Target.VISITS: VISIT_COMMON}
FIELDS_OF = {Target.CLIENTS: FIELDS, Target.VISITS: VISIT_FIELDS}


@dataclass(frozen=True, slots=True)
class Format:
    """One tool's export: its headings for each field and whether its dates put the day first."""

    key: str
    label: str
    day_first: bool
    headings: dict[str, tuple[str, ...]] = field(default_factory=dict)
    visits: dict[str, tuple[str, ...]] = field(default_factory=dict)  # its appointment export

    def field_of(self, heading: str, target: Target = Target.CLIENTS) -> str | None:
        """The Fascia field a column heading goes to, or None."""
        wanted = squeeze(heading)
        own = self.headings if target is Target.CLIENTS else self.visits
        for table in (own, COMMON_OF[target]):
            for name, known in table.items():
                if wanted in {squeeze(k) for k in known}:
                    return name
        return None


def squeeze(heading: str) -> str:
    """A heading without case, spaces, punctuation or a marker of a required column (*)."""
    return re.sub(r"[\W_]+", "", heading.casefold())


FORMATS: dict[str, Format] = {
    f.key: f
    for f in (
        Format(
            "jane",
            "Jane",
            day_first=False,
            headings={
                "phone_mobile": ("mobile phone", "cell phone"),
                "phone_other": ("home phone", "work phone"),
                "region": ("province", "province/state"),
                "referral_source": ("referred by", "referral source"),
            },
            # Guessed: Jane's guide documents Reports > Appointments and its states (arrived,
            # no-show, cancelled) but not the export's column names.
            visits={
                "full_name": ("patient", "patient name"),
                "starts_at": ("start at", "start date", "date"),
                "ends_at": ("end at", "end date"),
                "service": ("treatment", "treatment name"),
                "status": ("state", "status"),
            },
        ),
        Format(
            "cliniko",
            "Cliniko",
            day_first=True,
            headings={
                "street": ("address 1", "address_1"),
                "street2": ("address 2", "address_2"),
                "sex": ("gender identity", "gender_identity", "sex"),
                "phone_mobile": ("mobile", "mobile phone"),
                "phone_other": ("home", "work", "home phone", "work phone"),
                "emergency_contact_name": ("emergency contact", "emergency_contact"),
                "referral_source": ("referral source", "referring doctor"),
                "notes": ("notes", "appointment notes"),
            },
            # Documented: the field names of Cliniko's individual appointments (its API and data
            # export): starts_at, ends_at, patient_name, notes, cancelled_at, did_not_arrive,
            # appointment type. The spaced report headings beside them are guessed.
            visits={
                "full_name": ("patient_name", "patient name", "patient"),
                "starts_at": ("starts_at", "appointment start", "start"),
                "ends_at": ("ends_at", "appointment end", "end"),
                "service": ("appointment_type", "appointment type"),
                "notes": ("notes",),
                "cancelled": ("cancelled_at", "cancelled at"),
                "no_show": ("did_not_arrive", "did not arrive"),
            },
        ),
        Format(
            "simplepractice",
            "SimplePractice",
            day_first=False,
            headings={
                "given_name": ("legal first name", "first name"),
                "family_name": ("legal last name", "last name"),
                "preferred_name": ("name they go by", "preferred name"),
                "full_name": ("client", "client name"),
                "phone_mobile": ("phone", "mobile phone"),
            },
            # Partly documented: the billing reports' "Client" and "Services provided" columns
            # and the appointment statuses (Show, Cancelled, Late Cancelled, No Show); "Date of
            # Service" and "Duration" of the Appointment status report are guessed.
            visits={
                "full_name": ("client", "client name"),
                "starts_at": ("date of service", "dos", "date"),
                "service": ("services provided", "service", "billing code"),
                "status": ("status", "appointment status"),
            },
        ),
        Format(
            "clinicsense",
            "ClinicSense",
            day_first=False,
            headings={
                "date_of_birth": ("birthday", "date of birth"),
                "phone_mobile": ("cell phone", "phone"),
                "referral_source": ("referred by", "referral source"),
            },
            # Guessed: ClinicSense's help documents the report columns Date and Client (the
            # Payments report), not an appointment export's.
            visits={
                "full_name": ("client", "client name"),
                "starts_at": ("date", "appointment date"),
                "start_time": ("time", "start time"),
                "service": ("service", "service name"),
                "status": ("status",),
            },
        ),
        Format("generic", "Any CSV (map the columns)", day_first=False),
    )
}
GENERIC = FORMATS["generic"]
