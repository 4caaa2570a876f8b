"""The contact object as the API answers it, and its schema-only serializer."""

from typing import Any

from django.conf import settings
from rest_framework import serializers

from config.api.fields import unix_time
from config.api.hashids import encode_id
from contacts.models import ClientContact
from contacts.validation import PASSWORD_MASK


def contact_representation(
    contact: ClientContact, app_url: str | None = None
) -> dict[str, Any]:
    """The API's contact object (§4), built by hand: list pages render thousands."""
    base_url = settings.APP_URL if app_url is None else app_url
    return {
        "id": encode_id(contact.pk),
        "first_name": contact.first_name,
        "last_name": contact.last_name,
        "email": contact.email,
        "created_at": unix_time(contact.created_at),
        "updated_at": unix_time(contact.updated_at),
        "archived_at": unix_time(contact.archived_at),
        "is_primary": contact.is_primary,
        "is_locked": contact.is_locked,
        "phone": contact.phone,
        "custom_value1": contact.custom_value1,
        "custom_value2": contact.custom_value2,
        "custom_value3": contact.custom_value3,
        "custom_value4": contact.custom_value4,
        "contact_key": contact.contact_key,
        "send_email": contact.send_email,
        "last_login": unix_time(contact.last_login),
        "password": PASSWORD_MASK if contact.password else "",
        "link": f"{base_url}/client/key_login/{contact.contact_key}",
    }


class ContactSerializer(serializers.Serializer):
    """A contact of a client, primary first in the client's `contacts`."""

    # The fields describe the object for the OpenAPI schema; rendering goes through
    # contact_representation, which is much faster on long lists.

    id = serializers.CharField(read_only=True, help_text="The contact's hashed id")
    first_name = serializers.CharField(read_only=True)
    last_name = serializers.CharField(read_only=True)
    email = serializers.CharField(read_only=True)
    created_at = serializers.IntegerField(read_only=True, help_text="Unix time")
    updated_at = serializers.IntegerField(read_only=True, help_text="Unix time")
    archived_at = serializers.IntegerField(
        read_only=True, help_text="Unix time; 0 when not archived"
    )
    is_primary = serializers.BooleanField(read_only=True)
    is_locked = serializers.BooleanField(read_only=True)
    phone = serializers.CharField(read_only=True)
    custom_value1 = serializers.CharField(read_only=True)
    custom_value2 = serializers.CharField(read_only=True)
    custom_value3 = serializers.CharField(read_only=True)
    custom_value4 = serializers.CharField(read_only=True)
    contact_key = serializers.CharField(read_only=True)
    send_email = serializers.BooleanField(read_only=True)
    last_login = serializers.IntegerField(
        read_only=True, help_text="Unix time; 0 when never"
    )
    password = serializers.CharField(
        read_only=True, help_text='"**********" when a password is set, else ""'
    )
    link = serializers.CharField(
        read_only=True, help_text="<APP_URL>/client/key_login/<contact_key>"
    )

    def to_representation(self, instance: ClientContact) -> dict[str, Any]:
        return contact_representation(instance)
