"""The demo network is built by these steps, in order: the base network (organisations, their agreements, premises
and boards, then the people and their roles), then the step each app declares in its capability (``demo_step``), in
``INSTALLED_APPS`` order. A step is a function ``generate(ctx: DemoContext)`` that adds its records to the same
network."""

from moulin.core.capabilities import collected

BASE_STEPS = [
    "moulin.demo.network.generate",
    "moulin.demo.people.generate",
]


def steps() -> list[str]:
    return [*BASE_STEPS, *collected("demo_step")]
