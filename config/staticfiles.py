"""The static files storage used when DEBUG is off."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class HashedStaticFilesStorage(CompressedManifestStaticFilesStorage):
    """Hashed, compressed names after `collectstatic`; plain names before it.

    Production runs `collectstatic`, so pages link `base.1a2b3c.css` that can be
    cached forever. Without a manifest (development, tests) a name falls back to
    itself and WhiteNoise finds the file in the apps, instead of failing the page.
    """

    manifest_strict = False

    def stored_name(self, name: str) -> str:
        try:
            return str(super().stored_name(name))
        except ValueError:
            return name
