"""SQLite backend with SQLite ≥ 3.32's limit of 32,766 bind parameters.

Django assumes the old limit of 999, which splits a bulk insert of a few thousand
rows (a 5,000-id bulk action's activity rows) into dozens of statements.
"""

import sqlite3

from django.db.backends.sqlite3 import base, features

MODERN_MAX_PARAMS = 32766


class DatabaseFeatures(features.DatabaseFeatures):
    max_query_params = (
        MODERN_MAX_PARAMS if sqlite3.sqlite_version_info >= (3, 32) else 999
    )


class DatabaseWrapper(base.DatabaseWrapper):
    features_class = DatabaseFeatures
