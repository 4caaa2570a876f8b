"""Clients to and from CSV (`manage.py export_clients` / `import_clients`).

One row per contact: a client with three contacts is three rows sharing its
`client_key` (the client's hashed id on export; any label on import), each row
repeating the client's fields. A client exported and imported into another company
comes back with the same fields and contacts, so the format round-trips.

The import checks every client with the API's own `ClientInputSerializer` and
writes with `client_create`, so it obeys exactly the API's rules. Nothing is
written unless every row is valid, and then all of it is written in one
transaction.

Cells a spreadsheet would run as a formula are exported with a leading `'` (see
`neutralise_formula`), and the import takes it off again, so the round trip stays
exact. The import parses strictly: a file the csv module can't read, or a row
with more or fewer cells than the header, is a problem reported by line.
"""

from clients.csv.columns import (
    CLIENT_COLUMNS,
    COLUMNS,
    CONTACT_COLUMNS,
    neutralise_formula,
    restore_formula,
)
from clients.csv.export import clients_export_csv, clients_export_rows
from clients.csv.importing import ImportFailed, ImportResult, clients_import_csv
from clients.csv.reading import ImportProblem

__all__ = [
    "CLIENT_COLUMNS",
    "COLUMNS",
    "CONTACT_COLUMNS",
    "ImportFailed",
    "ImportProblem",
    "ImportResult",
    "clients_export_csv",
    "clients_export_rows",
    "clients_import_csv",
    "neutralise_formula",
    "restore_formula",
]
