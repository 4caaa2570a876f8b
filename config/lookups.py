"""`text__like=pattern`: SQL LIKE with the pattern's own wildcards, case ignored.

Django's `icontains` escapes `%` and `_`; this lookup is `icontains` without
that step, so `%` (any text) and `_` (one character) are the caller's wildcards,
on each backend exactly as `icontains` compares (`UPPER(col) LIKE UPPER(%s)` on
PostgreSQL, `LIKE %s ESCAPE '\\'` on SQLite). A backslash is taken literally.
"""

from typing import Any

from django.db import models
from django.db.models.lookups import BuiltinLookup, IContains


class Like(IContains):
    # The class keeps `lookup_name = "icontains"`: the backends' operator and
    # column cast for it are the ones wanted. It is registered as `like`.

    def process_rhs(self, compiler: Any, connection: Any) -> Any:
        rhs, params = BuiltinLookup.process_rhs(self, compiler, connection)
        if self.rhs_is_direct_value() and params:
            params = [str(params[0]).replace("\\", "\\\\"), *params[1:]]
        return rhs, params


models.CharField.register_lookup(Like, lookup_name="like")
models.TextField.register_lookup(Like, lookup_name="like")
