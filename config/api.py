"""The one JSON API: /api/v1/. Every endpoint reads through the same policies as the pages."""

from django.http import HttpRequest
from ninja import NinjaAPI
from ninja.security import APIKeyHeader, SessionAuth

from moulin.accounts.models import ApiToken


class TokenAuth(APIKeyHeader):
    """`Authorization: Token mln_…` — or the `X-API-Key` header."""

    param_name = "X-API-Key"

    def __call__(self, request: HttpRequest):
        header = request.headers.get("Authorization", "")
        if header.startswith("Token "):
            return self.authenticate(request, header.removeprefix("Token ").strip())
        return super().__call__(request)

    def authenticate(self, request, key):
        user = ApiToken.authenticate(key) if key else None
        if user is not None:
            request.user = user
        return user


api = NinjaAPI(
    title="Moulin API",
    version="1",
    description="Read access to the network's records, within the scope of the authenticated user.",
    urls_namespace="api",
    auth=[SessionAuth(), TokenAuth()],
)

# each app adds its router; imported here so that the schema is complete
from moulin.billing.api import router as billing_router  # noqa: E402
from moulin.contracts.api import router as contracts_router  # noqa: E402
from moulin.fieldwork.api import router as fieldwork_router  # noqa: E402
from moulin.organisations.api import router as organisations_router  # noqa: E402
from moulin.territory.api import router as territory_router  # noqa: E402
from moulin.webcafe.api import router as webcafe_router  # noqa: E402

api.add_router("/organisations", organisations_router)
api.add_router("/territory", territory_router)
api.add_router("/field", fieldwork_router)
api.add_router("/invoices", billing_router)
api.add_router("/money", contracts_router)
api.add_router("/web-cafes", webcafe_router)
