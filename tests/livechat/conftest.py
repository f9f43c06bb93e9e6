"""Live-chat transcripts are mailed: the SMTP server on loopback of tests/mail_server.py."""

from tests.mail_server import smtp  # noqa: F401 (fixture)
