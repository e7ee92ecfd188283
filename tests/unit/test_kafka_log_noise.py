"""kafka-python's error on reading a transport it has just closed is logged at DEBUG without its
traceback; every other read error of the transport stays an ERROR with its traceback."""

from __future__ import annotations

import logging
import sys

import pytest

import warden.platform.kafka  # noqa: F401 - installs the filter

TRANSPORT = logging.getLogger("kafka.net.transport")


def read_error(transport: str, error: AttributeError | OSError) -> None:
    """What kafka-python's KafkaTCPTransport._sock_recv logs when a read fails."""
    try:
        raise error
    except (AttributeError, OSError):
        TRANSPORT.exception("%s: Error receiving network data closing socket", transport)


def test_a_read_of_a_closed_transport_is_not_an_error(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG, logger="kafka.net.transport"):
        read_error(
            "<KafkaTCPTransport [none] (closed)>",
            AttributeError("'NoneType' object has no attribute 'recv'"),
        )
    (record,) = caplog.records
    assert record.levelno == logging.DEBUG and record.exc_info is None
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="kafka.net.transport"):
        read_error(
            "<KafkaTCPTransport [none] (closed)>",
            AttributeError("'NoneType' object has no attribute 'recv'"),
        )
    assert caplog.records == []


@pytest.mark.parametrize(
    ("transport", "error"),
    [
        ("<KafkaTCPTransport [127.0.0.1:9092]>", ConnectionResetError("reset by peer")),
        ("<KafkaTCPTransport [127.0.0.1:9092]>", AttributeError("something else")),
        ("<KafkaTCPTransport [none] (closed)>", OSError("bad file descriptor")),
    ],
)
def test_any_other_read_error_stays_an_error_with_its_traceback(
    transport: str, error: AttributeError | OSError, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="kafka.net.transport"):
        read_error(transport, error)
    (record,) = caplog.records
    assert record.levelno == logging.ERROR
    assert record.exc_info is not None and record.exc_info[1] is error
    assert sys.exc_info() == (None, None, None)
