"""SMS (SM-1..SM-17): compose, approve, send and follow text messages to the directory's people.

A feature package, like ``signaling``: its pure rules (:mod:`sms.rules`: numbers,
segments, senders; no I/O, no hub), its tables (:mod:`sms.models`), SQL
(:mod:`sms.storage`), the state changes (:mod:`sms.actions`), REST (:mod:`sms.api`),
the gateways to a provider (:mod:`sms.gateways`) and the dispatcher that drains the
outbox through them (:mod:`sms.dispatcher`). Its migrations are a branch of their own
(``sms/migrations``). docs/sms.md tells the whole story.
"""
