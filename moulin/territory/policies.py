from moulin.access.policy import ReferencePolicy


class TerritoryPolicy(ReferencePolicy):
    """Cantons and communes are public reference data: every signed-in user reads them."""
