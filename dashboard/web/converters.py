"""URL converters every route shares.

Flask's ``int`` takes any number of digits; an id past what the store's integers hold (2^63 and more) then
reached SQLite as an OverflowError (PostgreSQL: integer out of range) and answered 500 on every route with an id. No row has such an id, so the
path names nothing: 404, like any other id that is not there.
"""

from __future__ import annotations

from flask import Flask
from werkzeug.exceptions import NotFound
from werkzeug.routing import IntegerConverter

# The largest id every table holds on both engines (PostgreSQL's integer; SQLite's go to 2^63 - 1).
MAX_ID = 2**31 - 1


class BoundedInt(IntegerConverter):
    def to_python(self, value: str) -> int:
        number = super().to_python(value)
        if number > MAX_ID:
            # Not a ValidationError: that would let the path fall through to Dash's page route (a 200 shell).
            raise NotFound()
        return number


def install(server: Flask) -> None:
    """Before any route is added: rules take their converter when they are registered."""
    server.url_map.converters["int"] = BoundedInt
