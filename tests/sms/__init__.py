"""Tests for the SMS feature (sms/), mirroring the package: rules, service, dispatch, browser."""
