"""Django admin for companies, tokens, documents, groups and the read-only logs."""

import re
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clients.models import Activity, Client, GroupSetting, LedgerEntry
from companies.models import ApiToken
from documents.models import Document
from tests.factories import (
    ClientFactory,
    CompanyFactory,
    GroupSettingFactory,
    MembershipFactory,
)


@pytest.fixture
def document(db, media):
    client = ClientFactory.create()
    path = default_storage.save(
        f"{client.company.company_key}/documents/{'b' * 40}.pdf",
        ContentFile(b"%PDF-1.4 tiny"),
    )
    return Document.objects.create(
        company=client.company,
        owner_type=ContentType.objects.get_for_model(Client),
        owner_id=client.pk,
        name="Contract.pdf",
        type="pdf",
        hash=path.rsplit("/", 1)[1],
        path=path,
        size=13,
        content_type="application/pdf",
    )


def test_staff_log_in_to_the_admin(client, admin_user):
    response = client.post(
        reverse("admin:login"),
        {"username": "admin", "password": "password", "next": "/admin/"},
    )
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


@pytest.mark.parametrize(
    "name",
    [
        "companies_company",
        "companies_membership",
        "companies_apitoken",
        "clients_client",
        "clients_groupsetting",
        "clients_activity",
        "clients_ledgerentry",
        "documents_document",
    ],
)
def test_every_changelist_and_add_page_loads(admin_client, name):
    assert admin_client.get(reverse(f"admin:{name}_changelist")).status_code == 200
    add = admin_client.get(reverse(f"admin:{name}_add"))
    assert add.status_code in (200, 403)


def test_the_company_page_lists_its_members(admin_client):
    membership = MembershipFactory.create()
    page = admin_client.get(
        reverse("admin:companies_company_change", args=[membership.company_id])
    )
    assert page.status_code == 200
    assert membership.user.username in page.content.decode()


def test_adding_a_token_shows_the_plain_token_once(admin_client, client):
    membership = MembershipFactory.create()
    response = admin_client.post(
        reverse("admin:companies_apitoken_add"),
        {"membership": membership.pk, "name": "Zapier"},
        follow=True,
    )
    page = response.content.decode()
    match = re.search(r"it is not shown again: (\S+?)<", page)
    assert match, page
    plain = match.group(1)
    assert client.get("/api/v1/ping", HTTP_X_API_TOKEN=plain).status_code == 200
    token = ApiToken.objects.get(name="Zapier")
    assert token.membership == membership

    change_page = admin_client.get(
        reverse("admin:companies_apitoken_change", args=[token.pk])
    ).content.decode()
    assert plain not in change_page
    assert token.token_digest not in change_page
    assert (
        plain
        not in admin_client.get(
            reverse("admin:companies_apitoken_changelist")
        ).content.decode()
    )


def test_a_token_cannot_be_issued_for_a_locked_membership(admin_client):
    membership = MembershipFactory.create(is_locked=True)
    response = admin_client.post(
        reverse("admin:companies_apitoken_add"),
        {"membership": membership.pk, "name": "Nope"},
    )
    assert response.status_code == 200
    assert "locked" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_the_revoke_action_revokes_tokens(admin_client, owner, client):
    token = owner.membership.tokens.get()
    admin_client.post(
        reverse("admin:companies_apitoken_changelist"),
        {"action": "revoke_tokens", "_selected_action": [token.pk]},
    )
    token.refresh_from_db()
    assert token.is_revoked
    assert client.get("/api/v1/ping", HTTP_X_API_TOKEN=owner.token).status_code == 403


def test_the_document_list_links_each_owner_and_download(admin_client, document):
    page = admin_client.get(reverse("admin:documents_document_changelist"))
    html = page.content.decode()
    assert "Contract.pdf" in html
    assert reverse("admin:clients_client_change", args=[document.owner_id]) in html
    assert reverse("admin:documents_document_download", args=[document.pk]) in html


def test_staff_download_streams_the_stored_file(admin_client, document):
    response = admin_client.get(
        reverse("admin:documents_document_download", args=[document.pk])
    )
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 tiny"
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="Contract.pdf"'


def test_download_needs_a_staff_login_with_view_permission(
    client, document, django_user_model
):
    url = reverse("admin:documents_document_download", args=[document.pk])
    response = client.get(url)
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]
    staff = django_user_model.objects.create_user(
        "clerk", "clerk@example.com", "pw", is_staff=True
    )
    client.force_login(staff)
    assert client.get(url).status_code == 403


def test_download_of_a_missing_file_is_404(admin_client, document):
    default_storage.delete(document.path)
    url = reverse("admin:documents_document_download", args=[document.pk])
    assert admin_client.get(url).status_code == 404


def test_renaming_a_document_keeps_its_extension(admin_client, document):
    response = admin_client.post(
        reverse("admin:documents_document_change", args=[document.pk]),
        {"name": "Signed contract", "is_public": ""},
    )
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.name == "Signed contract.pdf"
    assert document.is_public is False


def test_deleting_a_document_removes_its_file_after_commit(
    admin_client, document, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:documents_document_delete", args=[document.pk]),
            {"post": "yes"},
        )
    assert response.status_code == 302
    assert not Document.objects.filter(pk=document.pk).exists()
    assert not default_storage.exists(document.path)


def test_groups_are_created_and_renamed_through_the_services(admin_client, admin_user):
    company = CompanyFactory.create()
    response = admin_client.post(
        reverse("admin:clients_groupsetting_add"),
        {"company": company.pk, "name": "  <b>VIP</b>  "},
        follow=True,
    )
    assert response.status_code == 200
    group = GroupSetting.objects.get(company=company)
    (message,) = [str(m) for m in response.context["messages"]]
    assert re.fullmatch(
        r"The group setting “<a href=\"[^\"]+\">VIP</a>” was added successfully\.",
        message,
    ), message
    # Stored as the API stores it: tags stripped, trimmed; no settings yet.
    assert (group.name, group.company, group.user) == ("VIP", company, admin_user)
    assert group.settings == {}
    assert (group.archived_at, group.is_deleted) == (None, False)
    created_at, updated_at = group.created_at, group.updated_at

    response = admin_client.post(
        reverse("admin:clients_groupsetting_change", args=[group.pk]),
        {"name": "Gold", "company": CompanyFactory.create().pk},
    )
    assert response.status_code == 302
    group.refresh_from_db()
    assert group.name == "Gold"
    assert group.company == company, "the company of a group never changes"
    assert group.created_at == created_at
    assert group.updated_at > updated_at
    assert GroupSetting.objects.count() == 1


def test_group_actions_archive_and_restore(admin_client):
    group = GroupSettingFactory.create()
    url = reverse("admin:clients_groupsetting_changelist")
    admin_client.post(url, {"action": "archive_groups", "_selected_action": [group.pk]})
    group.refresh_from_db()
    assert group.archived_at is not None
    admin_client.post(url, {"action": "restore_groups", "_selected_action": [group.pk]})
    group.refresh_from_db()
    assert group.archived_at is None


def test_activities_and_ledger_are_read_only(admin_client):
    client = ClientFactory.create()
    activity = Activity.objects.create(
        company=client.company, client=client, activity_type_id=1, notes="created"
    )
    entry = LedgerEntry.objects.create(
        company=client.company, client=client, adjustment=Decimal(5), balance=Decimal(5)
    )
    assert (
        "created"
        in admin_client.get(
            reverse("admin:clients_activity_changelist")
        ).content.decode()
    )
    for name, row in (("activity", activity), ("ledgerentry", entry)):
        assert admin_client.get(reverse(f"admin:clients_{name}_add")).status_code == 403
        change = reverse(f"admin:clients_{name}_change", args=[row.pk])
        assert admin_client.post(change, {"notes": "edited"}).status_code == 403
        delete = reverse(f"admin:clients_{name}_delete", args=[row.pk])
        assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    activity.refresh_from_db()
    assert activity.notes == "created"


# -- staff wording ---------------------------------------------------------------

TOKENS = reverse("admin:companies_apitoken_changelist")


def test_the_token_list_shows_active_tokens_as_active(admin_client):
    live = MembershipFactory.create()
    ApiToken.objects.create(membership=live, name="Live", token_digest="a" * 64)
    ApiToken.objects.create(
        membership=live, name="Gone", token_digest="b" * 64, is_revoked=True
    )
    response = admin_client.get(TOKENS)
    page = response.content.decode()
    assert "By status" in page
    assert "By is revoked" not in page
    assert "Is revoked" not in page
    rows = {
        token.name: response.context["cl"].model_admin.active(token)
        for token in response.context["cl"].result_list
    }
    assert rows == {"Live": True, "Gone": False}
    assert page.count('alt="True"') == 1

    def listed(status):
        result = admin_client.get(TOKENS, {"status": status}).context["cl"].result_list
        return {token.name for token in result}

    assert listed("active") == {"Live"}
    assert listed("revoked") == {"Gone"}


def test_the_token_page_says_api_tokens_and_the_status(admin_client):
    membership = MembershipFactory.create()
    token = ApiToken.objects.create(
        membership=membership, name="Live", token_digest="c" * 64
    )
    index = admin_client.get(reverse("admin:index")).content.decode()
    assert "API tokens" in index
    assert "Api tokens" not in index
    page = admin_client.get(
        reverse("admin:companies_apitoken_change", args=[token.pk])
    ).content.decode()
    assert "Change API token" in page
    assert re.search(r"Status:</label>\s*<div class=\"readonly\">active</div>", page)


def test_the_revoke_message_uses_proper_plurals(admin_client):
    membership = MembershipFactory.create()
    tokens = [
        ApiToken.objects.create(membership=membership, token_digest=c * 64)
        for c in "def"
    ]
    for selected, message in (
        (tokens[:2], "Revoked 2 tokens."),
        (tokens, "Revoked 1 token."),
    ):
        response = admin_client.post(
            TOKENS,
            {"action": "revoke_tokens", "_selected_action": [t.pk for t in selected]},
            follow=True,
        )
        assert message in response.content.decode()


def test_the_membership_list_filters_by_role_and_status(admin_client):
    owner = MembershipFactory.create(is_owner=True, is_admin=False)
    clerk = MembershipFactory.create(is_owner=False, is_admin=False, is_locked=True)
    url = reverse("admin:companies_membership_changelist")
    page = admin_client.get(url).content.decode()
    assert "By role" in page
    assert "By status" in page
    assert "By is " not in page
    assert "Is locked" not in page

    def listed(**params):
        return {m.pk for m in admin_client.get(url, params).context["cl"].result_list}

    assert listed(role="owner") == {owner.pk}
    assert listed(role="member") == {clerk.pk}
    assert listed(status="locked") == {clerk.pk}
    assert listed(status="active") == {owner.pk}


def test_the_document_list_names_the_owning_client(admin_client, document):
    client = Client.objects.get(pk=document.owner_id)
    client.name = "Zenith Works"
    client.save()
    page = admin_client.get(reverse("admin:documents_document_changelist"))
    html = page.content.decode()
    assert "Zenith Works</a>" in html
    assert f"client {document.owner_id}<" not in html
    assert "By visibility" in html
    assert "By is public" not in html


def test_the_document_list_query_count_does_not_grow_with_its_owners(
    admin_client, document
):
    url = reverse("admin:documents_document_changelist")

    def add_documents(count):
        for _ in range(count):
            owner = ClientFactory.create(company=document.company)
            Document.objects.create(
                company=document.company,
                owner_type=document.owner_type,
                owner_id=owner.pk,
                name=f"{owner.name}.pdf",
                type="pdf",
                hash=f"{owner.pk:040d}",
                path=f"x/{owner.pk}.pdf",
            )

    def count_queries():
        with CaptureQueriesContext(connection) as context:
            assert admin_client.get(url).status_code == 200
        return len(context.captured_queries)

    add_documents(2)
    with_three = count_queries()
    add_documents(5)
    assert count_queries() == with_three


def test_activities_are_listed_and_filtered_by_name(admin_client):
    client = ClientFactory.create(name="Named Ltd")
    archived = Activity.objects.create(
        company=client.company,
        client=client,
        activity_type_id=Activity.ARCHIVE_CLIENT,
        notes="",
    )
    Activity.objects.create(
        company=client.company,
        client=client,
        activity_type_id=Activity.UPDATE_CLIENT,
        notes="",
    )
    url = reverse("admin:clients_activity_changelist")
    page = admin_client.get(url).content.decode()
    assert "By activity" in page
    assert "By activity type id" not in page
    assert "Document uploaded" in page
    assert ">archived<" in page
    assert ">2 archived<" not in page
    assert reverse("admin:clients_client_change", args=[client.pk]) in page
    response = admin_client.get(url, {"type": str(Activity.ARCHIVE_CLIENT)})
    assert [row.pk for row in response.context["cl"].result_list] == [archived.pk]
    assert list(admin_client.get(url, {"type": "x"}).context["cl"].result_list) == []
    view = admin_client.get(
        reverse("admin:clients_activity_change", args=[archived.pk])
    ).content.decode()
    assert re.search(
        r"Activity:</label>\s*<div class=\"readonly\">archived</div>", view
    )


def test_ledger_amounts_are_money(admin_client):
    client = ClientFactory.create()
    entry = LedgerEntry.objects.create(
        company=client.company,
        client=client,
        adjustment=Decimal("19366.48"),
        balance=Decimal("57072.52"),
    )
    page = admin_client.get(
        reverse("admin:clients_ledgerentry_changelist")
    ).content.decode()
    assert "19,366.48" in page
    assert "57,072.52" in page
    view = admin_client.get(
        reverse("admin:clients_ledgerentry_change", args=[entry.pk])
    ).content.decode()
    assert "57,072.52" in view


@pytest.mark.parametrize(
    ("action", "message"),
    [
        ("archive_groups", "Archived 1 group."),
        ("delete_groups", "Deleted 1 group."),
    ],
)
def test_group_action_messages_use_proper_plurals(admin_client, action, message):
    group = GroupSettingFactory.create()
    response = admin_client.post(
        reverse("admin:clients_groupsetting_changelist"),
        {"action": action, "_selected_action": [group.pk]},
        follow=True,
    )
    page = response.content.decode()
    assert message in page
    assert "(s)" not in page
