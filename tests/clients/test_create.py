"""`POST /api/v1/clients`."""

import pytest

from clients.models import Activity, Client
from config.api.hashids import encode_id
from contacts.models import ClientContact
from tests.clients.support import CLIENTS, create, errors
from tests.factories import GroupSettingFactory, MembershipFactory, UserFactory


def test_it_answers_200_with_the_client_and_a_location(api):
    response = api.post(CLIENTS, {"name": "Acme"}, format="json")
    assert response.status_code == 200
    data = response.json()["data"]
    assert response["Location"] == f"http://testserver/api/v1/clients/{data['id']}"
    assert data["name"] == "Acme"


def test_it_works_with_a_trailing_slash(api):
    response = api.post(f"{CLIENTS}/", {"name": "Acme"}, format="json")
    assert response.status_code == 200


def test_it_records_who_made_it_and_writes_a_create_activity(api, owner):
    data = create(api, name="Acme")
    client = Client.objects.get()
    assert data["user_id"] == encode_id(owner.membership.user_id)
    activity = Activity.objects.get()
    assert (activity.client_id, activity.activity_type_id) == (client.pk, 1)
    assert activity.user_id == owner.membership.user_id


def test_the_country_defaults_to_the_companys(api, company):
    company.settings = {**company.settings, "country_id": "36"}
    company.save()
    assert create(api, name="x")["country_id"] == "36"
    assert create(api, name="y", country_id="")["country_id"] == "36"
    assert create(api, name="z", country_id=None)["country_id"] == "36"


def test_html_tags_are_stripped_from_the_name(api):
    assert create(api, name="<b>Acme</b> <script>x</script>Ltd")["name"] == "Acme xLtd"


def test_read_only_fields_are_ignored(api, owner, outsider):
    data = create(
        api,
        name="Acme",
        id="VolejRejNm",
        balance=500,
        paid_to_date=12,
        client_hash="abc",
        is_deleted=True,
        user_id=encode_id(outsider.membership.user_id),
        display_name="Nope",
        created_at=1,
        updated_at=1,
        archived_at=5,
    )
    assert data["balance"] == 0
    assert data["paid_to_date"] == 0
    assert data["client_hash"] != "abc" and len(data["client_hash"]) == 40
    assert data["is_deleted"] is False
    assert data["archived_at"] == 0
    assert data["user_id"] == encode_id(owner.membership.user_id)
    assert data["display_name"] == "Acme"
    assert data["created_at"] > 1


def test_empty_strings_mean_null_for_ids(api):
    data = create(
        api,
        name="x",
        group_settings_id="",
        assigned_user_id="",
        industry_id="",
        size_id="",
        shipping_country_id="",
    )
    assert (data["group_settings_id"], data["assigned_user_id"]) == ("", "")
    assert (data["industry_id"], data["size_id"], data["shipping_country_id"]) == (
        "",
        "",
        "",
    )


def test_every_writable_field_is_stored(api, company):
    group = GroupSettingFactory.create(company=company)
    other = UserFactory.create()
    MembershipFactory.create(company=company, user=other)
    body = {
        "name": "Acme",
        "website": "not a url",
        "private_notes": "p",
        "public_notes": "q",
        "industry_id": 3,
        "size_id": "2",
        "address1": "a1",
        "address2": "a2",
        "city": "c",
        "state": "s",
        "postal_code": "pc",
        "country_id": "276",
        "custom_value1": "c1",
        "custom_value2": "c2",
        "custom_value3": "c3",
        "custom_value4": "c4",
        "shipping_address1": "s1",
        "shipping_address2": "s2",
        "shipping_city": "sc",
        "shipping_state": "ss",
        "shipping_postal_code": "sp",
        "shipping_country_id": 4,
        "vat_number": "v",
        "id_number": "i",
        "group_settings_id": encode_id(group.pk),
        "assigned_user_id": encode_id(other.pk),
        "phone": "ph",
        "number": "N-1",
        "routing_id": "r",
        "is_tax_exempt": True,
        "has_valid_vat_number": "1",
        "classification": "business",
    }
    data = create(api, **body)
    expected = {
        **body,
        "industry_id": "3",
        "shipping_country_id": "4",
        "has_valid_vat_number": True,
    }
    assert {key: data[key] for key in body} == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (True, True),
        ("1", True),
        (1, True),
        ("true", True),
        (False, False),
        ("0", False),
        (0, False),
        ("", False),
        ("false", False),
    ],
)
def test_booleans_accept_form_spellings(api, raw, expected):
    assert create(api, name="x", is_tax_exempt=raw)["is_tax_exempt"] is expected


def test_without_contacts_it_gets_one_blank_primary_contact(api):
    data = create(api, name="x")
    assert len(data["contacts"]) == 1
    contact = data["contacts"][0]
    assert contact["is_primary"] is True
    assert (contact["first_name"], contact["email"]) == ("", "")


def test_empty_contacts_also_give_one_blank_contact(api):
    assert len(create(api, name="x", contacts=[])["contacts"]) == 1


def test_the_php_sdk_form_encoded_create_works(api):
    body = (
        "name=Acme&contacts[0][first_name]=Ada&contacts[0][email]=ada%40example.com"
        "&contacts[1][email]=bob%40example.com&contacts[1][send_email]=0"
        "&is_tax_exempt=1&settings[currency_id]=2&country_id=276&industry_id="
    )
    response = api.post(CLIENTS, body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200, response.content
    data = response.json()["data"]
    assert data["name"] == "Acme"
    assert [c["email"] for c in data["contacts"]] == [
        "ada@example.com",
        "bob@example.com",
    ]
    assert data["contacts"][1]["send_email"] is False
    assert data["is_tax_exempt"] is True
    assert data["settings"]["currency_id"] == "2"
    assert (data["country_id"], data["industry_id"]) == ("276", "")


def test_a_multipart_create_works(api):
    response = api.post(
        CLIENTS,
        {"name": "Acme", "contacts[0][email]": "a@example.com"},
        format="multipart",
    )
    assert response.status_code == 200, response.content
    assert response.json()["data"]["contacts"][0]["email"] == "a@example.com"


@pytest.mark.parametrize(
    ("body", "key", "message"),
    [
        ({"country_id": "999"}, "country_id", "The selected country id is invalid."),
        (
            {"shipping_country_id": 1},
            "shipping_country_id",
            "The selected shipping country id is invalid.",
        ),
        ({"country_id": "abc"}, "country_id", "The country id must be an integer."),
        ({"industry_id": "x"}, "industry_id", "The industry id must be an integer."),
        ({"industry_id": 1.5}, "industry_id", "The industry id must be an integer."),
        ({"size_id": -1}, "size_id", "The size id must be an integer."),
        ({"size_id": True}, "size_id", "The size id must be an integer."),
        (
            {"classification": "alien"},
            "classification",
            "The selected classification is invalid.",
        ),
        ({"contacts": "x"}, "contacts", "The contacts must be an array."),
        ({"documents": "x"}, "documents", "The documents must be an array."),
        ({"documents": None}, "documents", "The documents must be an array."),
        (
            {"group_settings_id": "nope"},
            "group_settings_id",
            "The selected group settings id is invalid.",
        ),
        (
            {"assigned_user_id": "nope"},
            "assigned_user_id",
            "The selected assigned user id is invalid.",
        ),
        (
            {"name": "x" * 256},
            "name",
            "The name may not be greater than 255 characters.",
        ),
        ({"name": ["a"]}, "name", "The name must be a string."),
        ({"is_tax_exempt": "perhaps"}, "is_tax_exempt", None),
    ],
)
def test_invalid_input_is_a_422_keyed_by_the_field(api, body, key, message):
    response = api.post(CLIENTS, {"name": "ok", **body}, format="json")
    found = errors(response)
    assert list(found) == [key]
    if message:
        assert found[key] == [message]
    assert not Client.objects.exists()


def test_contact_errors_are_keyed_by_their_index(api):
    response = api.post(
        CLIENTS,
        {"contacts": [{"email": "a@example.com"}, {"email": "not-an-email"}]},
        format="json",
    )
    assert list(errors(response)) == ["contacts.1.email"]
    assert not ClientContact.objects.exists()


def test_a_group_or_user_of_another_company_is_invalid(api, outsider):
    group = GroupSettingFactory.create(company=outsider.company)
    response = api.post(
        CLIENTS,
        {
            "group_settings_id": encode_id(group.pk),
            "assigned_user_id": encode_id(outsider.membership.user_id),
        },
        format="json",
    )
    assert set(errors(response)) == {"group_settings_id", "assigned_user_id"}


def test_a_json_body_that_is_not_an_object_is_a_400(api):
    response = api.post(CLIENTS, "[1]", content_type="application/json")
    assert response.status_code == 400


def test_a_json_empty_array_body_creates_a_client(api):
    response = api.post(CLIENTS, "[]", content_type="application/json")
    assert response.status_code == 200
