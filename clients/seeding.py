"""Demo data: many realistic clients with contacts, written in bulk.

`seed_clients` is what `manage.py seed_demo` and the benchmarks call. It skips
the per-client services on purpose (100,000 clients must take minutes): rows are
built in memory and written with `bulk_create` in batches, one transaction per
batch. It keeps the invariants the services keep: numbers come from the company
counter (skipping taken ones) and the counter advances, `number_sort` is set (bulk
inserts skip `save()`), settings start from the client defaults, and every client
has one to three contacts, exactly one of them primary.
"""

import random
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone

from clients.models import Client, natural_sort_key
from clients.services.number_format import format_number
from clients.services.numbering import COUNTER_KEY, PADDING_KEY
from clients.services.settings import PATTERN_KEY, as_integer, new_client_settings
from companies.models import Company
from contacts.models import ClientContact

DEFAULT_BATCH_SIZE = 1000

_FIRST_NAMES = [
    "Ada",
    "Alan",
    "Anna",
    "Ben",
    "Carla",
    "Chen",
    "David",
    "Elena",
    "Emma",
    "Farah",
    "Grace",
    "Hugo",
    "Ines",
    "Ivan",
    "Jamal",
    "Julia",
    "Kenji",
    "Lena",
    "Liam",
    "Maria",
    "Mateo",
    "Mei",
    "Nina",
    "Omar",
    "Paula",
    "Priya",
    "Rosa",
    "Sam",
    "Sofia",
    "Tariq",
    "Uma",
    "Victor",
    "Wen",
    "Yara",
    "Zoe",
]
_LAST_NAMES = [
    "Adams",
    "Baker",
    "Costa",
    "Dubois",
    "Evans",
    "Fischer",
    "Garcia",
    "Haddad",
    "Ito",
    "Jensen",
    "Kowalski",
    "Larsen",
    "Martin",
    "Novak",
    "Okafor",
    "Patel",
    "Quinn",
    "Rossi",
    "Schmidt",
    "Tanaka",
    "Urban",
    "Valdez",
    "Weber",
    "Xu",
    "Young",
    "Zimmermann",
]
_NAME_WORDS = [
    "Acme",
    "Apex",
    "Atlas",
    "Beacon",
    "Blue",
    "Bright",
    "Cedar",
    "Cobalt",
    "Crest",
    "Delta",
    "Eagle",
    "Echo",
    "Evergreen",
    "Falcon",
    "Forge",
    "Golden",
    "Granite",
    "Harbor",
    "Horizon",
    "Iron",
    "Juniper",
    "Keystone",
    "Lakeside",
    "Maple",
    "Meridian",
    "Nimbus",
    "North",
    "Oak",
    "Orbit",
    "Pioneer",
    "Quartz",
    "Red",
    "River",
    "Silver",
    "Summit",
    "Swift",
    "Titan",
    "Union",
    "Vertex",
    "Willow",
    "Zenith",
]
_TRADES = [
    "Analytics",
    "Bakery",
    "Builders",
    "Consulting",
    "Design",
    "Dynamics",
    "Electric",
    "Foods",
    "Freight",
    "Health",
    "Interiors",
    "Labs",
    "Logistics",
    "Media",
    "Motors",
    "Partners",
    "Plumbing",
    "Print",
    "Robotics",
    "Software",
    "Solar",
    "Studio",
    "Systems",
    "Textiles",
    "Travel",
    "Ventures",
]
_SUFFIXES = ("Ltd", "LLC", "Inc.", "GmbH", "S.A.", "& Co.", "Group", "")
_STREETS = (
    "Main St",
    "Oak Ave",
    "Pine Rd",
    "Maple Dr",
    "Cedar Ln",
    "High St",
    "Park Ave",
    "Lake Rd",
    "Church Rd",
    "Station Rd",
    "Mill Ln",
    "Bridge St",
)
_CITIES = (
    ("New York", "NY", 840),
    ("Austin", "TX", 840),
    ("Seattle", "WA", 840),
    ("Toronto", "ON", 124),
    ("London", "", 826),
    ("Manchester", "", 826),
    ("Berlin", "", 276),
    ("Munich", "", 276),
    ("Paris", "", 250),
    ("Lyon", "", 250),
    ("Madrid", "", 724),
    ("Sydney", "NSW", 36),
    ("Dublin", "", 372),
    ("Amsterdam", "", 528),
)
_DOMAINS = ("example.com", "example.org", "example.net")


@dataclass(frozen=True)
class SeedResult:
    """How many rows `seed_clients` wrote, and the number range it used."""

    clients: int
    contacts: int
    first_number: str
    last_number: str


def _street(rng: random.Random) -> str:
    return f"{rng.randint(1, 999)} {rng.choice(_STREETS)}"


def _client(rng: random.Random, company: Company, number: str) -> Client:
    words = rng.sample(_NAME_WORDS, 1 + (rng.random() < 0.3))
    name = " ".join([*words, rng.choice(_TRADES), rng.choice(_SUFFIXES)]).strip()
    city, state, country_id = rng.choice(_CITIES)
    balance = Decimal(rng.randint(0, 5_000_000)) / 100
    paid = Decimal(rng.randint(0, 20_000_000)) / 100
    slug = "".join(ch for ch in words[0].lower() if ch.isalnum())
    return Client(
        company=company,
        name=name,
        number=number,
        number_sort=natural_sort_key(number),
        website=f"https://{slug}{rng.randint(1, 9999)}.{rng.choice(_DOMAINS)}",
        phone=f"+1 555 {rng.randint(100, 999)} {rng.randint(1000, 9999)}",
        address1=_street(rng),
        city=city,
        state=state,
        postal_code=f"{rng.randint(10000, 99999)}",
        country_id=country_id,
        industry_id=rng.randint(1, 33),
        size_id=rng.randint(1, 6),
        balance=balance,
        paid_to_date=paid,
        public_notes="" if rng.random() < 0.7 else "Net 30, invoices by email.",
        settings=new_client_settings(company),
    )


def _contacts(rng: random.Random, client: Client, index: int) -> list[ClientContact]:
    rows = []
    for position in range(rng.choice((1, 1, 1, 2, 2, 3))):
        first, last = rng.choice(_FIRST_NAMES), rng.choice(_LAST_NAMES)
        rows.append(
            ClientContact(
                company_id=client.company_id,
                client_id=client.pk,
                first_name=first,
                last_name=last,
                # Unique per seeded client, so merges and imports behave as in life.
                email=f"{first}.{last}.{index}.{position}@{rng.choice(_DOMAINS)}".lower(),
                phone=f"+1 555 {rng.randint(100, 999)} {rng.randint(1000, 9999)}",
                is_primary=position == 0,
                send_email=True,
            )
        )
    return rows


def _take_numbers(company: Company, count: int) -> list[str]:
    """The next `count` free numbers from the locked company's counter."""
    locked = (
        Company.objects.select_for_update(no_key=True)
        .only("pk", "settings")
        .get(pk=company.pk)
    )
    stored = dict(locked.settings) if isinstance(locked.settings, dict) else {}
    padding = as_integer(stored.get(PADDING_KEY))
    pattern = stored.get(PATTERN_KEY)
    counter = max(as_integer(stored.get(COUNTER_KEY)) or 1, 1)
    moment = timezone.now()
    numbers: list[str] = []
    while len(numbers) < count:
        wanted = count - len(numbers)
        candidates = [
            format_number(
                counter + offset,
                padding=4 if padding is None else padding,
                pattern=pattern if isinstance(pattern, str) else "",
                moment=moment,
            )
            for offset in range(wanted)
        ]
        # `exclude(number="")` repeats the unique index's condition, so the index
        # serves the lookup (without it PostgreSQL scanned the table per batch).
        taken = set(
            Client.objects.filter(company=company, number__in=candidates)
            .exclude(number="")
            .values_list("number", flat=True)
        )
        numbers.extend(number for number in candidates if number not in taken)
        counter += wanted
    stored[COUNTER_KEY] = counter
    Company.objects.filter(pk=company.pk).update(settings=stored)
    company.settings = stored
    return numbers


def _refresh_statistics() -> None:
    """Let PostgreSQL's planner see a bulk load at once instead of after autovacuum."""
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE clients_client, contacts_clientcontact")


def seed_clients(
    *,
    company: Company,
    count: int,
    batch_size: int = DEFAULT_BATCH_SIZE,
    progress: Callable[[int], object] | None = None,
    seed: int | None = None,
) -> SeedResult:
    """Create `count` demo clients with 1 to 3 contacts each in `company`.

    Each batch of `batch_size` clients is one transaction of a handful of queries
    (lock the company and take numbers, insert clients, insert contacts), so the
    cost per client stays flat. `progress(n)` is called after each batch with the
    number of clients it wrote; `seed` makes the data repeatable.
    """
    if count < 0:
        raise ValueError("count must not be negative")
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    rng = random.Random(seed)
    written_clients = written_contacts = 0
    next_analyze = 5000
    first_number = last_number = ""
    while written_clients < count:
        size = min(batch_size, count - written_clients)
        with transaction.atomic():
            numbers = _take_numbers(company, size)
            clients = Client.objects.bulk_create(
                [_client(rng, company, number) for number in numbers]
            )
            contacts = [
                contact
                for index, client in enumerate(clients, start=written_clients)
                for contact in _contacts(rng, client, index)
            ]
            ClientContact.objects.bulk_create(contacts)
        first_number = first_number or numbers[0]
        last_number = numbers[-1]
        written_clients += size
        written_contacts += len(contacts)
        if progress is not None:
            progress(size)
        if written_clients >= next_analyze:
            # Statistics as the table grows (at 5k, 10k, 20k... rows written): a
            # planner that still thinks the table empty scans it for every batch.
            _refresh_statistics()
            next_analyze *= 2
    _refresh_statistics()
    return SeedResult(
        clients=written_clients,
        contacts=written_contacts,
        first_number=first_number,
        last_number=last_number,
    )
