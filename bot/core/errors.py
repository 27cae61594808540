"""Errors a member can read. Raised deep in the core, turned into an ephemeral error reply at dispatch."""


class UserError(Exception):
    """Bad input or a refused action; ``message`` is shown to the member as-is."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message
