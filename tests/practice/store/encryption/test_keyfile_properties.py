"""Any passphrase and any key file: a project error or the key, never anything else."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from practice.errors import KeyFileError, ValidationError, WrongPassphraseError
from practice.store import keyfile

SETTINGS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@SETTINGS
@given(passphrase=st.text(max_size=1200))
def test_any_passphrase_is_refused_with_a_message_or_unwraps_the_key(
    tmp_path: Path, passphrase: str
) -> None:
    key = keyfile.new_key()
    try:
        made = keyfile.create(key, passphrase, keyfile.new_recovery_code())
    except ValidationError as error:
        assert error.errors["passphrase"].startswith("Use at")
        return
    keyfile.write(tmp_path, made)
    assert keyfile.unlock(tmp_path, passphrase=passphrase) == key
    with pytest.raises(WrongPassphraseError):
        keyfile.unlock(tmp_path, passphrase=passphrase + "x")


@SETTINGS
@given(
    content=st.one_of(
        st.binary(max_size=600),
        st.recursive(
            st.none() | st.booleans() | st.integers() | st.text(max_size=40),
            lambda inner: (
                st.lists(inner, max_size=4)
                | st.dictionaries(st.text(max_size=12), inner, max_size=4)
            ),
            max_leaves=12,
        ).map(lambda doc: json.dumps(doc).encode()),
    )
)
def test_any_key_file_gives_a_clear_message_never_a_traceback(
    tmp_path: Path, content: bytes
) -> None:
    keyfile.key_path(tmp_path).write_bytes(content)
    with pytest.raises((KeyFileError, WrongPassphraseError)):
        keyfile.unlock(tmp_path, passphrase="correct horse battery staple")


@SETTINGS
@given(
    field=st.sampled_from(["salt", "nonce", "wrapped_key", "time_cost", "memory_kib", "kdf"]),
    value=st.one_of(st.none(), st.integers(), st.text(max_size=30), st.booleans()),
)
def test_a_key_file_with_any_field_spoiled_gives_a_clear_message(
    tmp_path: Path, field: str, value: object
) -> None:
    key = keyfile.new_key()
    made = keyfile.create(key, "correct horse battery staple", keyfile.new_recovery_code())
    document = json.loads(made.to_bytes())
    document["wraps"]["passphrase"][field] = value
    keyfile.key_path(tmp_path).write_text(json.dumps(document), encoding="ascii")
    try:
        unwrapped = keyfile.unlock(tmp_path, passphrase="correct horse battery staple")
    except (KeyFileError, WrongPassphraseError) as error:
        assert str(error) and "\n" not in str(error)
    else:
        assert unwrapped == key  # the spoiled value happened to be the one it had
