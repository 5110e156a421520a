"""A SERVER span per HTTP request, continuing the caller's W3C `traceparent` when there is one."""

from opentelemetry import context, propagate, trace
from opentelemetry.sdk.trace import TracerProvider
from starlette.types import ASGIApp, Receive, Scope, Send

from shared.http_answer import AnsweredStatus


class TracedHttp:
    def __init__(self, app: ASGIApp, provider: TracerProvider) -> None:
        self.app = app
        self.tracer = provider.get_tracer("binome.http")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in ("/metrics", "/health"):
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        token = context.attach(propagate.extract(headers))
        span = self.tracer.start_span(f"{scope['method']} {scope['path']}", kind=trace.SpanKind.SERVER,
                                      attributes={"http.request.method": scope["method"], "url.path": scope["path"]})
        answered = AnsweredStatus(send)
        try:
            with trace.use_span(span, end_on_exit=False):
                await self.app(scope, receive, answered)
        finally:
            route = getattr(scope.get("route"), "path", None)
            if route:
                span.update_name(f"{scope['method']} {route}")
                span.set_attribute("http.route", route)
            span.set_attribute("http.response.status_code", answered.code)
            if answered.code >= 500:
                span.set_status(trace.Status(trace.StatusCode.ERROR))
            span.end()
            context.detach(token)
