"""Tests for SMS's pure rules (sms/rules/): numbers, segments, senders."""
