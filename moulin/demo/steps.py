"""The demo network is built by these steps, in order. Each capability adds its own step here;
a step is a function ``generate(ctx: DemoContext)`` that adds its records to the same network."""

STEPS = [
    "moulin.demo.network.generate",
    "moulin.demo.people.generate",
    "moulin.partners.demo.generate",
    "moulin.projects.demo.generate",
    "moulin.participants.demo.generate",
    "moulin.training.demo.generate",
]
