from django.apps import AppConfig


class ClientsConfig(AppConfig):
    name = "clients"
    verbose_name = "Clients"

    def ready(self) -> None:
        # Client logos live in the documents folder: `documents_check` must know.
        from clients.services.logos import LOGO_REFERENCES
        from documents.integrity import file_references_register

        file_references_register(LOGO_REFERENCES)
