"""Django's SQLite backend, told the real bind-parameter limit of modern SQLite."""
