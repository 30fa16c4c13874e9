"""Errors the stores raise; callers (CLI, API) turn them into one line or an envelope."""


class StoreError(RuntimeError):
    """A store could not do what was asked (corrupt file, bad reference, conflicting record)."""


class StoreUnavailable(StoreError):
    """The store's backend cannot be reached right now; the caller may retry later."""
