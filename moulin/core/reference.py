"""Reference data the product needs: every app declares its loaders in its capability (``reference_loaders``);
they run in ``INSTALLED_APPS`` order."""

from moulin.core.capabilities import collected


def load_all(stdout=None) -> None:
    for name, loader in collected("reference_loaders"):
        result = loader()
        if stdout is not None:
            stdout.write(f"  {name}: {result}")
