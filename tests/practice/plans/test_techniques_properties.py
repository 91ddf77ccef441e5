"""Property tests of the technique library: any name, code and CPT; names unique in any case."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given
from hypothesis import strategies as st

from practice.store import Database
from practice.techniques import library as techniques
from practice.techniques.records import TechniqueCategory, TechniqueForm
from practice.text import name_key
from tests.practice.fuzz import (
    enum_or_junk,
    forms,
    fuzz,
    long_reprs,
    name_text,
    outcome,
    text,
)

pytestmark = long_reprs

technique_forms = forms(
    TechniqueForm,
    valid={
        "name": name_text,
        "category": st.sampled_from(list(TechniqueCategory)),
        "description": text,
        "deep": st.booleans(),
        "point_pressure": st.booleans(),
        "default_cpt": st.sampled_from(["97124", "97140"]),
        "code": st.just("") | st.from_regex(r"[a-z][a-z0-9_]{1,12}", fullmatch=True),
    },
    junk={
        "name": text | st.sampled_from(["Étirements", "ÉTIREMENTS", "cupping", "CUPPING"]),
        "category": enum_or_junk(TechniqueCategory),
        "default_cpt": text,
        "code": text | st.just("other"),
    },
)


@fuzz
@given(
    form=technique_forms,
    code=st.one_of(st.just("cupping"), st.just("effleurage"), st.just("deep_tissue"), text),
    archived=st.booleans(),
    rename=st.booleans(),
)
def test_techniques_are_refused_or_saved_clean_with_unique_names_in_any_case(
    shared_db: Database, form: TechniqueForm, code: str, archived: bool, rename: bool
) -> None:
    created = outcome(shared_db, lambda: techniques.create_technique(shared_db, form))
    if created is not None:
        assert created.name and not created.built_in
    library = techniques.techniques_by_code(shared_db)
    if not rename and code in library:
        form = replace(form, name=library[code].name)
    edited = outcome(shared_db, lambda: techniques.update_technique(shared_db, code, form))
    if edited is not None:
        assert edited.code == code
    outcome(shared_db, lambda: techniques.set_technique_archived(shared_db, code, archived))
    outcome(shared_db, lambda: techniques.get_technique(shared_db, code))
    keys = [name_key(t.name) for t in techniques.list_techniques(shared_db, include_archived=True)]
    assert len(keys) == len(set(keys))
