"""The video tests that mail use the SMTP server on loopback of tests/mail_server.py."""

from tests.mail_server import Inbox, smtp  # noqa: F401 (fixture)
