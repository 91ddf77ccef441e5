"""Where the columns of other tools' client exports go in Fascia, and how they write dates.

Each format lists, for every client field Fascia imports, the column headings that tool uses for
it. The headings come from each tool's own help pages and field lists (Cliniko's patient
fields, SimplePractice's client and demographics fields, Jane's patient profile, ClinicSense's
client profile); headings are compared without case, spaces or punctuation ("First Name",
"first_name" and "FirstName" are one heading), and any column can be mapped by hand instead
(the import dialog, or `--map` on the command line). `GENERIC` knows the common headings of all
of them and is what a CSV from anywhere else starts from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

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


@dataclass(frozen=True, slots=True)
class Format:
    """One tool's export: its headings for each field and whether its dates put the day first."""

    key: str
    label: str
    day_first: bool
    headings: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def field_of(self, heading: str) -> str | None:
        """The Fascia field a column heading goes to, or None."""
        wanted = squeeze(heading)
        for table in (self.headings, COMMON):
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
            "Jane (patient list)",
            day_first=False,
            headings={
                "phone_mobile": ("mobile phone", "cell phone"),
                "phone_other": ("home phone", "work phone"),
                "region": ("province", "province/state"),
                "referral_source": ("referred by", "referral source"),
            },
        ),
        Format(
            "cliniko",
            "Cliniko (patients export)",
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
        ),
        Format(
            "simplepractice",
            "SimplePractice (client list)",
            day_first=False,
            headings={
                "given_name": ("legal first name", "first name"),
                "family_name": ("legal last name", "last name"),
                "preferred_name": ("name they go by", "preferred name"),
                "full_name": ("client", "client name"),
                "phone_mobile": ("phone", "mobile phone"),
            },
        ),
        Format(
            "clinicsense",
            "ClinicSense (client list)",
            day_first=False,
            headings={
                "date_of_birth": ("birthday", "date of birth"),
                "phone_mobile": ("cell phone", "phone"),
                "referral_source": ("referred by", "referral source"),
            },
        ),
        Format("generic", "Any CSV (map the columns)", day_first=False),
    )
}
GENERIC = FORMATS["generic"]
