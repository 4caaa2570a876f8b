"""Client tags: the company's vocabulary, a client's set, and set-based bulk
adds and removes (a fixed number of queries whatever the number of clients).

A tag is matched by its case-folded `key` within one company; a link is only
ever made between a client and a tag of the client's company.
"""

from collections.abc import Sequence

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.html import strip_tags

from clients.models import TAG_MAX_LENGTH, Activity, Client, ClientTag, Tag, tag_key
from clients.services.activities import activities_record_bulk
from clients.services.bulk import ClientSet, clients_to_lock, lock_clients
from clients.services.events import clients_event
from clients.services.named import NamedClients
from config.lookups import ids_condition
from webhooks.events import CLIENT_UPDATED

# How many tags one client, one write or one filter may name.
MAX_TAGS = 100
NOT_A_LIST = "The tags must be an array of strings."
TOO_MANY = f"The tags may not have more than {MAX_TAGS} items."


def tag_names_clean(raw: object, *, key: str = "tags") -> list[str]:
    """The tag names of an input: a list of strings (or one comma-separated
    string, as a form sends it), each HTML-stripped and trimmed to 1-100
    characters; repeats (compared case-insensitively) dropped, first spelling
    kept. A ValidationError keyed `key` names the item at fault."""
    if isinstance(raw, str):
        raw = [item for item in raw.split(",") if item.strip()]
    if not isinstance(raw, list | tuple):
        raise ValidationError({key: [NOT_A_LIST]})
    if len(raw) > MAX_TAGS:
        raise ValidationError({key: [TOO_MANY]})
    names: dict[str, str] = {}
    for index, item in enumerate(raw):
        if not isinstance(item, str):
            raise ValidationError({key: [f"The {key}.{index} must be a string."]})
        name = strip_tags(item).strip()
        if not name or "\x00" in name:
            raise ValidationError(
                {key: [f"The {key}.{index} must be 1 to {TAG_MAX_LENGTH} characters."]}
            )
        if len(name) > TAG_MAX_LENGTH:
            raise ValidationError(
                {
                    key: [
                        f"The {key}.{index} may not be greater than "
                        f"{TAG_MAX_LENGTH} characters."
                    ]
                }
            )
        names.setdefault(tag_key(name), name)
    return list(names.values())


def company_tags(*, company_id: int, names: Sequence[str]) -> list[Tag]:
    """The company's tags of `names`, made when new (at most three queries).

    A tag another request makes at the same moment is kept, not duplicated: the
    insert skips conflicts and the tags are read again."""
    wanted = {tag_key(name): name for name in names}
    if not wanted:
        return []
    scope = Tag.objects.filter(company_id=company_id)
    found = {tag.key: tag for tag in scope.filter(key__in=list(wanted))}
    missing = [key for key in wanted if key not in found]
    if missing:
        Tag.objects.bulk_create(
            [Tag(company_id=company_id, name=wanted[k], key=k) for k in missing],
            ignore_conflicts=True,
        )
        found.update((tag.key, tag) for tag in scope.filter(key__in=missing))
    return [found[key] for key in wanted]


def client_tags_set(*, client: Client, names: Sequence[str]) -> None:
    """Make `names` the client's whole tag set (the caller holds its lock)."""
    tags = company_tags(company_id=client.company_id, names=names)
    wanted = {tag.pk for tag in tags}
    links = ClientTag.objects.filter(client_id=client.pk)
    current = set(links.values_list("tag_id", flat=True))
    if current - wanted:
        links.filter(tag_id__in=sorted(current - wanted)).delete()
    if wanted - current:
        ClientTag.objects.bulk_create(
            [
                ClientTag(client_id=client.pk, tag_id=pk)
                for pk in sorted(wanted - current)
            ]
        )


def tag_notes(verb: str, names: Sequence[str]) -> str:
    """The activity notes of a tag change."""
    return f"Tags {verb}: {', '.join(names)}" if names else "Tags cleared"


def _locked(clients: ClientSet) -> tuple[list[int], set[int]]:
    """Lock the set's clients; their pks and companies."""
    if isinstance(clients, NamedClients):
        pks = lock_clients(clients)
        return pks, {clients.company_id} if pks else set()
    rows = list(clients_to_lock(clients).values_list("pk", "company_id"))
    return [pk for pk, _ in rows], {company_id for _, company_id in rows}


def _touched(pks: list[int], user: AbstractBaseUser | None, notes: str) -> int:
    if pks:
        Client.objects.filter(pk__any_of=pks).update(updated_at=timezone.now())
    clients_event(CLIENT_UPDATED, pks)
    return activities_record_bulk(
        client_ids=pks, user=user, activity_type_id=Activity.UPDATE_CLIENT, notes=notes
    )


# Client ids per INSERT … SELECT: the bulk maximum (as for activities).
LINK_INSERT_BATCH = 5000


@transaction.atomic
def clients_add_tags(
    *,
    clients_queryset: ClientSet,
    user: AbstractBaseUser | None,
    names: Sequence[str],
) -> int:
    """Add `names` to every client of the set (kept where already there).

    The links are written by the database in one INSERT … SELECT that pairs each
    client with the tags of its own company only."""
    pks, companies = _locked(clients_queryset)
    keys = [tag_key(name) for name in names]
    for company_id in sorted(companies):
        company_tags(company_id=company_id, names=names)
    quote = connection.ops.quote_name
    links, clients, tags = (
        quote(model._meta.db_table) for model in (ClientTag, Client, Tag)
    )
    with connection.cursor() as cursor:
        for start in range(0, len(pks) if keys else 0, LINK_INSERT_BATCH):
            batch = pks[start : start + LINK_INSERT_BATCH]
            among, ids = ids_condition("c.id", batch)
            cursor.execute(
                f"INSERT INTO {links} (client_id, tag_id) "
                f"SELECT c.id, t.id FROM {clients} c "
                f"JOIN {tags} t ON t.company_id = c.company_id "
                f"WHERE {among} "
                f"AND t.{quote('key')} IN ({', '.join(['%s'] * len(keys))}) "
                f"AND NOT EXISTS (SELECT 1 FROM {links} x "
                "WHERE x.client_id = c.id AND x.tag_id = t.id) "
                "ORDER BY c.id, t.id",
                [*ids, *keys],
            )
    return _touched(pks, user, tag_notes("added", names))


@transaction.atomic
def clients_remove_tags(
    *,
    clients_queryset: ClientSet,
    user: AbstractBaseUser | None,
    names: Sequence[str],
) -> int:
    """Take `names` off every client of the set (names it lacks are ignored)."""
    pks, _ = _locked(clients_queryset)
    keys = [tag_key(name) for name in names]
    if pks and keys:
        # A link's tag is always of its client's company: the key is enough.
        ClientTag.objects.filter(client_id__any_of=pks, tag__key__in=keys).delete()
    return _touched(pks, user, tag_notes("removed", names))
