"""Webhooks: an organisation's integrations hear of its live-chat conversations and messages.

An event is written to the delivery outbox (``webhook_deliveries``) in the same transaction
as the change it reports, so none is lost to a crash between the two; a worker on every
node posts it, signed (:mod:`chatserver.webhooks.signing`), and retries with backoff.
docs/webhooks.md says what a receiver gets and how to check it.
"""
