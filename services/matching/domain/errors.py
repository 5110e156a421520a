"""Requests the domain refuses; the HTTP layer turns them into 404/409/422 naming the field."""


class Rejected(Exception):
    status = 422

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(reason)
        self.field, self.reason = field, reason


class NotFound(Rejected):
    status = 404


class Conflict(Rejected):
    status = 409


class Invalid(Rejected):
    status = 422
