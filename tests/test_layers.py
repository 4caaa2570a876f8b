"""The import rules of the layers, read from the source (no module is imported).

Apps depend downwards only: `config` ← `companies` ← `contacts`, `documents`,
`webhooks` ← `clients`. The REST plumbing (`config.api`) sits between `companies` (it
authenticates with companies' tokens) and the apps that serve resources; an
app's own `api` package is in the app's layer, so `documents.api` may not reach
up into `clients` either. The one upward use allowed is a selector: documents ask
`clients.selectors` which clients a member may see. The root URL conf mounts
every app, so it sits on top.

Services and the modules under them know nothing of the web API: they raise
Django's `ValidationError` and `config.errors.Refusal`, never DRF's exceptions,
and import neither DRF nor any `*.api` module.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
APPS = ("config", "companies", "contacts", "documents", "webhooks", "clients")
WEB_PACKAGES = ("rest_framework", "drf_spectacular")

# Layers that are not a whole app: the REST plumbing and the root URL conf.
SUB_LAYERS = ("config.api", "config.urls")
# What each layer may import of the others (its own modules always).
ALLOWED_LAYERS: dict[str, set[str]] = {
    "config": set(),
    "companies": {"config"},
    "config.api": {"config", "companies"},
    "contacts": {"config", "companies", "config.api"},
    "documents": {"config", "companies", "config.api"},
    "webhooks": {"config", "companies", "config.api"},
    "clients": {
        "config",
        "companies",
        "config.api",
        "contacts",
        "documents",
        "webhooks",
    },
    "config.urls": {"config", "companies", "config.api", *APPS},
}
# The upward imports allowed, by layer: selectors only.
UPWARD_SELECTORS = {"documents": {"clients.selectors"}}

# Below the web API: no DRF, no `*.api` module.
SERVICE_LAYERS = (
    "clients.services",
    "contacts",
    "documents",
    "companies.models",
    "webhooks.events",
    "webhooks.models",
    "webhooks.outbox",
)
# The adapters an app keeps for the API's input and output (their serializers
# describe the OpenAPI schema) and for the admin, which shows the API's messages.
API_ADAPTERS = {
    "contacts.admin",
    "contacts.fields",
    "contacts.representation",
    "contacts.validation",
    "documents.representation",
}
# Public ids are part of what a record is, everywhere (CSV, commands, admin).
EVERYWHERE = {"config.api.hashids"}


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, set[str]]:
    """Every first-party module (migrations aside) and what it imports."""
    found: dict[str, set[str]] = {}
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            name = _module_name(path)
            package = (
                name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
            )
            imported: set[str] = set()
            for node in ast.walk(ast.parse(path.read_text(), str(path))):
                if isinstance(node, ast.Import):
                    imported.update(alias.name for alias in node.names)
                elif isinstance(node, ast.ImportFrom):
                    # `from . import x` counts as the package it names.
                    base = (
                        package[: len(package) - node.level + 1] if node.level else []
                    )
                    imported.add(".".join([*base, *filter(None, [node.module])]))
            found[name] = imported
    return found


MODULES = _modules()


def _within(module: str, packages: tuple[str, ...] | set[str]) -> bool:
    return any(module == p or module.startswith(f"{p}.") for p in packages)


def _is_web(module: str) -> bool:
    return module.split(".")[0] in WEB_PACKAGES or "api" in module.split(".")


def layer(module: str) -> str:
    """The layer a module (or a name it imports) belongs to."""
    for sub_layer in SUB_LAYERS:
        if _within(module, (sub_layer,)):
            return sub_layer
    return module.split(".")[0]


def upward_imports(module: str, imported: set[str]) -> list[str]:
    """What `module` imports of the layers above it."""
    own = layer(module)
    allowed = ALLOWED_LAYERS[own]
    return sorted(
        name
        for name in imported
        if name.split(".")[0] in APPS
        and layer(name) != own
        and layer(name) not in allowed
        and not _within(name, EVERYWHERE)
        and not _within(name, UPWARD_SELECTORS.get(own, set()))
    )


def web_imports(module: str, imported: set[str]) -> list[str]:
    """What a module below the web API imports of it (DRF, `*.api`)."""
    if not _within(module, SERVICE_LAYERS) or _within(module, API_ADAPTERS):
        return []
    if _within(module, ("documents.api",)):
        return []
    return sorted(
        name for name in imported if _is_web(name) and not _within(name, EVERYWHERE)
    )


def test_the_rules_see_the_modules_they_are_about() -> None:
    for module in (
        "clients.services.clients",
        "clients.services.documents",
        "contacts.services",
        "documents.services",
        "config.db",
    ):
        assert module in MODULES
    assert "django.core.exceptions" in MODULES["clients.services.clients"]


def test_the_rules_catch_what_they_forbid() -> None:
    assert upward_imports("contacts.services", {"clients.models"}) == ["clients.models"]
    assert upward_imports("documents.services", {"contacts.models"}) == [
        "contacts.models"
    ]
    assert upward_imports("config.db", {"companies.models"}) == ["companies.models"]
    assert upward_imports("clients.services.purge", {"documents.services"}) == []
    # An app's `api` package is in the app's layer: only the selector goes up.
    assert upward_imports(
        "documents.api.views",
        {"clients.api.outputs", "clients.models", "clients.selectors"},
    ) == ["clients.api.outputs", "clients.models"]
    assert upward_imports("documents.api.filters", {"clients.models"}) == [
        "clients.models"
    ]
    # The REST plumbing serves every resource and knows none of them.
    assert upward_imports("config.api.schema", {"clients.api.input_fields"}) == [
        "clients.api.input_fields"
    ]
    assert upward_imports("config.api.authentication", {"companies.tokens"}) == []
    # ...and what it imports may not import it back.
    assert upward_imports("companies.tokens", {"config.api.prepared"}) == [
        "config.api.prepared"
    ]
    assert upward_imports("companies.tokens", {"config.prepared"}) == []
    assert upward_imports("config.urls", {"clients.api.urls"}) == []
    assert web_imports(
        "clients.services.groups",
        {"rest_framework.exceptions", "config.api.errors", "clients.api.inputs"},
    ) == ["clients.api.inputs", "config.api.errors", "rest_framework.exceptions"]
    assert web_imports("documents.services", {"config.errors", "config.db"}) == []
    assert web_imports("clients.csv", {"rest_framework"}) == []


def test_apps_depend_downwards_only() -> None:
    found = {
        module: upward
        for module, imported in MODULES.items()
        if (upward := upward_imports(module, imported))
    }
    assert found == {}


def test_services_know_nothing_of_the_web_api() -> None:
    found = {
        module: web
        for module, imported in MODULES.items()
        if (web := web_imports(module, imported))
    }
    assert found == {}
