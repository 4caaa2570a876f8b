"""How clients load their contacts, the same way everywhere."""

from django.db.models import Prefetch

from contacts.models import ClientContact


def live_contacts_prefetch() -> Prefetch:
    """Prefetch a client's non-deleted contacts, primary first (API.md §4)."""
    return Prefetch(
        "contacts",
        queryset=ClientContact.objects.filter(is_deleted=False).order_by(
            "-is_primary", "id"
        ),
    )
