"""factory_boy factories for the models the tests need."""

from typing import Any

import factory
from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType

from clients.models import Client, GroupSetting
from companies.models import Company, Membership
from contacts.models import ClientContact
from documents.models import Document

PASSWORD = "Secret-Pass1"


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}@example.com")
    email = factory.SelfAttribute("username")
    first_name = "Ada"
    last_name = "Lovelace"
    password = factory.django.Password(PASSWORD)


class CompanyFactory(factory.django.DjangoModelFactory[Company]):
    class Meta:
        model = Company

    name = factory.Sequence(lambda n: f"Company {n}")


class MembershipFactory(factory.django.DjangoModelFactory[Membership]):
    class Meta:
        model = Membership

    company = factory.SubFactory(CompanyFactory)
    user = factory.SubFactory(UserFactory)
    is_owner = True
    is_admin = True


class GroupSettingFactory(factory.django.DjangoModelFactory[GroupSetting]):
    class Meta:
        model = GroupSetting

    company = factory.SubFactory(CompanyFactory)
    name = factory.Sequence(lambda n: f"Group {n}")
    settings: Any = factory.LazyFunction(dict)


class ClientFactory(factory.django.DjangoModelFactory[Client]):
    class Meta:
        model = Client

    company = factory.SubFactory(CompanyFactory)
    name = factory.Sequence(lambda n: f"Client {n}")
    number = factory.Sequence(lambda n: f"{n + 1:04d}")
    country_id = 840
    settings: Any = factory.LazyFunction(lambda: {"currency_id": "1"})


class ContactFactory(factory.django.DjangoModelFactory[ClientContact]):
    class Meta:
        model = ClientContact

    client = factory.SubFactory(ClientFactory)
    company = factory.SelfAttribute("client.company")
    first_name = "Grace"
    last_name = factory.Sequence(lambda n: f"Hopper{n}")
    email = factory.Sequence(lambda n: f"contact{n}@example.com")
    is_primary = True


def client_document(client: Client, name: str = "a.pdf") -> Document:
    """A PDF document record of `client` (no stored file behind it)."""
    document: Document = Document.objects.create(
        company=client.company,
        owner_type=ContentType.objects.get_for_model(Client),
        owner_id=client.pk,
        name=name,
        type="pdf",
        hash="x" * 40 + ".pdf",
        path=f"k/documents/{name}",
    )
    return document
