"""The one layer that changes state.

A view or WebSocket handler validates input and calls a function here. Each function
makes the whole change in one transaction, appends the durable events it causes to
the users' streams in that same transaction, and publishes only after the commit
(:meth:`Services.transaction`), so no event ever announces a change that did not happen.
"""
