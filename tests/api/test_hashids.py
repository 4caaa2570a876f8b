import pytest
from django.test import override_settings

from config.api.hashids import decode_id, encode_id


@pytest.mark.parametrize(
    ("pk", "hashid"),
    [(1, "VolejRejNm"), (2, "Wpmbk5ezJn"), (10, "gl9avmeG1v"), (392, "wMvbmEAbYA")],
)
def test_known_values_hold_with_the_default_salt(pk, hashid):
    assert encode_id(pk) == hashid
    assert decode_id(hashid) == pk


@pytest.mark.parametrize(
    "value", ["", "x", "VolejRejNn", "volejrejnm", "VolejRejNm ", 5, None, "a" * 100]
)
def test_values_that_do_not_round_trip_are_rejected(value):
    assert decode_id(value) is None


def test_a_missing_key_encodes_as_empty_string():
    assert encode_id(None) == ""


def test_the_salt_changes_every_hashid():
    with override_settings(HASH_SALT="another salt"):
        assert encode_id(1) != "VolejRejNm"
        assert decode_id(encode_id(1)) == 1
        assert decode_id("VolejRejNm") is None
