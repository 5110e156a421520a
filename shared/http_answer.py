"""The status an ASGI app answered, for middlewares that act after the endpoint (metrics, spans, audit)."""

from starlette.types import Message, Send


class AnsweredStatus:
    """Wraps `send`: remembers the response's status; 500 until one starts (the app raised before)."""

    def __init__(self, send: Send) -> None:
        self._send = send
        self.code = 500

    async def __call__(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.code = message["status"]
        await self._send(message)
