"""Hard bounds on request parameters. They are constants, not settings, so that the
OpenAPI document states exactly what the server enforces (a request past them gets 422)."""

MAX_DEPTH = 4
MAX_PAGE_SIZE = 500
MAX_TEXT = 200
