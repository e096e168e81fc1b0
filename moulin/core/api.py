"""Pieces shared by the API's routers: bounded pagination and the documented error answers."""

from ninja import Field, Schema
from ninja.pagination import PageNumberPagination


class BoundedPageNumberPagination(PageNumberPagination):
    """Pages are numbered from 1 to a million: a page number the database cannot hold (``?page=3.6e24``) is a
    documented 422 with a message, never a database error."""

    class Input(PageNumberPagination.Input):
        page: int = Field(1, ge=1, le=1_000_000)


class ErrorOut(Schema):
    detail: str | list


_TEXT = {
    401: "Not signed in: no session and no valid token.",
    403: "Your role does not give access to this (the detail says why).",
    404: "No such record within your scope.",
    422: "A parameter is not valid: the detail says which.",
}


def error_responses(*codes: int) -> dict:
    """The error answers an endpoint gives, as its ``openapi_extra``, so that the schema documents each one."""
    content = {"application/json": {"schema": ErrorOut.model_json_schema()}}
    return {"responses": {code: {"description": _TEXT[code], "content": content} for code in codes}}
