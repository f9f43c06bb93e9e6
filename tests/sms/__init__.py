"""Tests for the pure SMS core (sms/): numbers, segments, senders."""
