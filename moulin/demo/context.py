"""What every step of the demo generator shares: the seed's random generator, today's date and the
records earlier steps created (so that later capabilities build on the same network)."""

import random
from dataclasses import dataclass, field
from datetime import date

from django.contrib.auth.hashers import make_password

DEMO_PASSWORD = "moulin-demo"

FIRST_NAMES = [
    "Marc", "Claude", "Nathalie", "Sandra", "Paul", "Jean", "Michel", "Carole", "Tom", "Laura", "Gilles", "Anne",
    "Sophie", "Patrick", "Yves", "Martine", "Romain", "Nicole", "Luc", "Isabelle", "Joëlle", "Pascal", "Christiane",
    "Fernand", "Danielle", "Georges", "Josée", "Raymond", "Monique", "Sven", "Lynn", "Ben", "Mia", "Léa", "Max",
    "Joé", "Pit", "Jeff", "Carlo", "Fränz", "Ana", "João", "Rui", "Inês", "Mehmet", "Amira", "Olena", "Samir",
]  # fmt: skip
LAST_NAMES = [
    "Schmit", "Muller", "Weber", "Wagner", "Hoffmann", "Thill", "Schmitz", "Kremer", "Klein", "Reuter", "Becker",
    "Kieffer", "Schiltz", "Majerus", "Meyer", "Kirsch", "Welter", "Faber", "Wagener", "Hansen", "Ries", "Steffen",
    "Jacoby", "Braun", "Goergen", "Theisen", "Pereira", "Da Silva", "Ferreira", "Rodrigues", "Gomes", "Santos",
    "Martins", "Lopes", "Dos Santos", "Bintner", "Feller", "Hilbert", "Nilles", "Origer", "Pauly", "Scholtes",
]  # fmt: skip
STREETS = [
    "rue de l'Église", "rue Principale", "route d'Arlon", "rue de la Gare", "rue du Moulin", "rue des Écoles",
    "Grand-Rue", "rue de Luxembourg", "rue du Parc", "rue des Jardins", "rue de la Montagne", "rue du Canal",
]  # fmt: skip


@dataclass
class DemoContext:
    seed: int
    today: date
    rng: random.Random = field(init=False)
    store: dict = field(default_factory=dict)
    password_hash: str = field(init=False)

    def __post_init__(self):
        self.rng = random.Random(self.seed)
        # one hash for every demo login: hashing once keeps the generator fast
        self.password_hash = make_password(DEMO_PASSWORD)

    def first_name(self) -> str:
        return self.rng.choice(FIRST_NAMES)

    def last_name(self) -> str:
        return self.rng.choice(LAST_NAMES)

    def person_name(self) -> str:
        return f"{self.first_name()} {self.last_name()}"

    def street_address(self) -> str:
        return f"{self.rng.randint(1, 180)}, {self.rng.choice(STREETS)}"

    def date_between(self, start: date, end: date) -> date:
        from datetime import timedelta

        span = (end - start).days
        return start + timedelta(days=self.rng.randint(0, max(span, 0)))
