"""Property: any JSON body at create or update never answers 5xx, and a 4xx
writes nothing."""

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clients.models import Activity, Client, GroupSetting
from clients.services.settings import RULES
from contacts.models import ClientContact
from tests.clients.support import CLIENTS, client_url
from tests.factories import ClientFactory

CLIENT_KEYS = [
    "name",
    "website",
    "private_notes",
    "public_notes",
    "industry_id",
    "size_id",
    "address1",
    "city",
    "postal_code",
    "country_id",
    "shipping_country_id",
    "custom_value1",
    "vat_number",
    "id_number",
    "number",
    "routing_id",
    "classification",
    "is_tax_exempt",
    "has_valid_vat_number",
    "group_settings_id",
    "assigned_user_id",
    "phone",
    "documents",
    "country_code",
    "shipping_country_code",
    "currency_code",
    "language_code",
    "id",
    "balance",
    "is_deleted",
    "client_hash",
    "user_id",
]
CONTACT_KEYS = [
    "id",
    "first_name",
    "last_name",
    "email",
    "phone",
    "is_primary",
    "send_email",
    "is_locked",
    "password",
    "custom_value1",
]
SETTINGS_KEYS = [*sorted(RULES)[:60], "currency_id", "send_reminders", "translations"]

scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**63 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=300)
    | st.sampled_from(["", "1", "0", "true", "840", "VolejRejNm", "a@b.co", "0001"])
)
json_values = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=3)
    | st.dictionaries(st.text(max_size=10), children, max_size=3),
    max_leaves=8,
)
contact = st.dictionaries(st.sampled_from(CONTACT_KEYS), json_values, max_size=6)
bodies = st.fixed_dictionaries(
    {},
    optional={
        "contacts": st.lists(contact, max_size=3) | json_values,
        "settings": st.dictionaries(
            st.sampled_from(SETTINGS_KEYS) | st.text(max_size=8),
            json_values,
            max_size=5,
        )
        | json_values,
    },
).flatmap(
    lambda base: st.dictionaries(
        st.sampled_from(CLIENT_KEYS) | st.text(max_size=8), json_values, max_size=8
    ).map(lambda extra: {**extra, **base})
)


def snapshot(company: Any) -> tuple[Any, ...]:
    company.refresh_from_db()
    return (
        Client.objects.count(),
        ClientContact.objects.count(),
        Activity.objects.count(),
        GroupSetting.objects.count(),
        list(Client.objects.order_by("pk").values_list("pk", "updated_at", "settings")),
        company.settings,
    )


HYPOTHESIS = settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@HYPOTHESIS
@given(body=bodies)
def test_random_creates_never_fail_and_rejections_write_nothing(api, company, body):
    before = snapshot(company)
    response = api.post(CLIENTS, body, format="json")
    assert response.status_code < 500, response.content
    if response.status_code >= 400:
        assert snapshot(company) == before
        assert set(response.json()) == {"message", "errors"}


@HYPOTHESIS
@given(body=bodies)
def test_random_updates_never_fail_and_rejections_write_nothing(api, company, body):
    client = Client.objects.filter(company=company).first() or ClientFactory.create(
        company=company
    )
    before = snapshot(company)
    response = api.put(client_url(client.pk), body, format="json")
    assert response.status_code < 500, response.content
    if response.status_code >= 400:
        assert snapshot(company) == before
        assert set(response.json()) == {"message", "errors"}
