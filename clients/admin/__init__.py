"""Django admin for clients, groups and the activity and ledger logs (each module
registers its own models)."""

from . import clients, groups, logs

__all__ = ["clients", "groups", "logs"]
