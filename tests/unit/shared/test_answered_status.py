import asyncio

import pytest

from shared.http_answer import AnsweredStatus


def test_it_remembers_the_status_the_app_answered_and_passes_every_message_on():
    sent = []

    async def send(message):
        sent.append(message)

    answered = AnsweredStatus(send)
    start = {"type": "http.response.start", "status": 404, "headers": []}
    body = {"type": "http.response.body", "body": b"{}"}
    asyncio.run(answered(start))
    asyncio.run(answered(body))
    assert answered.code == 404
    assert sent == [start, body]


def test_an_app_that_raised_before_answering_counts_as_500():
    async def app(send):
        raise RuntimeError("boom")

    async def discard(message):
        pass

    answered = AnsweredStatus(discard)
    with pytest.raises(RuntimeError):
        asyncio.run(app(answered))
    assert answered.code == 500
