"""Reference data the product needs, loaded in order. Later capabilities append their loaders."""

from moulin.organisations.reference import load_domains
from moulin.territory.reference import load_territory

LOADERS = [
    ("territory", load_territory),
    ("domains", load_domains),
]


def register(name, loader) -> None:
    LOADERS.append((name, loader))


def load_all(stdout=None) -> None:
    for name, loader in LOADERS:
        result = loader()
        if stdout is not None:
            stdout.write(f"  {name}: {result}")
