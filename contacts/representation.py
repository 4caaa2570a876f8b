"""The contact object as the API answers it, and its schema-only serializer."""

from typing import Any

from django.conf import settings
from rest_framework import serializers

from config.api.field_spec import AnyField, compile_representation, schema_fields
from contacts.fields import CONTACT_SPEC
from contacts.models import ClientContact
from contacts.validation import PASSWORD_MASK

# Written out from the spec at import: list pages render thousands of contacts.
_contact_object = compile_representation(CONTACT_SPEC, "contact_object")


def contact_representation(
    contact: ClientContact, app_url: str | None = None
) -> dict[str, Any]:
    """The API's contact object; the password only says whether one is set."""
    base_url = settings.APP_URL if app_url is None else app_url
    return _contact_object(
        contact,
        PASSWORD_MASK if contact.password else "",  # password
        f"{base_url}/client/key_login/{contact.contact_key}",  # link
    )


class ContactSerializer(serializers.Serializer[ClientContact]):
    """A contact of a client, primary first in the client's `contacts`."""

    # The docstring is the schema's description. The fields describe the object
    # for the schema; rendering goes through contact_representation, which is much
    # faster on long lists.

    def get_fields(self) -> dict[str, AnyField]:
        return schema_fields(
            CONTACT_SPEC,
            computed={
                "password": serializers.CharField(
                    read_only=True,
                    help_text='"**********" when a password is set, else ""',
                ),
                "link": serializers.CharField(
                    read_only=True,
                    help_text="<APP_URL>/client/key_login/<contact_key>",
                ),
            },
        )

    def to_representation(self, instance: ClientContact) -> dict[str, Any]:
        return contact_representation(instance)
