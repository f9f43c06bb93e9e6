"""SQL lives here, one repository module per domain; business rules live in ``actions``.

Every query that takes an id from a client also takes the caller's tenant (or user)
and answers NotFound for anything outside it.
"""
