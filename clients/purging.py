"""Purging a client: the hard delete behind `POST /clients/{id}/purge` (API.md §9)."""

import logging

from django.contrib.auth.models import AbstractBaseUser
from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from clients.models import Client
from config.api.errors import NotFoundError
from documents.models import Document
from documents.services import stored_files_delete_on_commit

logger = logging.getLogger("clients")

NOT_FOUND_MESSAGE = "Client not found"


@transaction.atomic
def client_purge(*, client: Client, user: AbstractBaseUser | None) -> None:
    """Hard-delete a client with its contacts, activities, ledger and documents.

    Set-based: the number of queries does not grow with the client's rows. The
    stored files are deleted only once the transaction commits, so a failure
    leaves rows and files exactly as they were. A client already gone (purged or
    merged by a concurrent request) is a 404.
    """
    locked = Client.objects.select_for_update().filter(
        pk=client.pk, company_id=client.company_id
    )
    if not list(locked.values_list("pk", flat=True)):
        raise NotFoundError(NOT_FOUND_MESSAGE)
    documents = Document.objects.filter(
        owner_type=ContentType.objects.get_for_model(Client), owner_id=client.pk
    )
    paths: list[str] = []
    for path, preview in documents.values_list("path", "preview"):
        paths.extend([path, preview])
    # The cascade removes contacts, activities, ledger rows and documents (the
    # generic relation) with one DELETE per related table, whatever their number.
    Client.objects.filter(pk=client.pk).order_by().delete()
    stored_files_delete_on_commit(paths)
    logger.info(
        "Client %s of company %s purged by user %s",
        client.pk,
        client.company_id,
        getattr(user, "pk", None),
    )
