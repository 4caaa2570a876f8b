from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ClientsConfig(AppConfig):
    name = "clients"
    verbose_name = "Clients"

    def ready(self) -> None:
        from clients.count_triggers import count_triggers_restore

        post_migrate.connect(count_triggers_restore, sender=self)

        # Client logos live in the documents folder: `documents_check` must know.
        from clients.services.logos import LOGO_REFERENCES
        from documents.integrity import file_references_register

        file_references_register(LOGO_REFERENCES)

        # Webhook bodies show clients as the API does; the outbox can't import it.
        from clients.api.webhook_bodies import CLIENT_BODIES
        from webhooks.outbox import register_renderer

        register_renderer("client", CLIENT_BODIES)

        # Deleting a client's document (through the documents app) is its event.
        from clients.services.events import client_documents_deleted
        from documents.services import documents_deleted_listen

        documents_deleted_listen(client_documents_deleted)
