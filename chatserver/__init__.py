"""chatserver: one WebSocket hub for colleagues, operators and visitors.

Layers, from the outside in (see docs/architecture.md):

- ``gateway`` and ``api``: move bytes and JSON, validate input, call actions;
- ``protocol``: frames, envelopes and the connection state machine, no sockets;
- ``actions``: the one layer that changes state, commits, then publishes;
- ``storage``: SQL queries, one repository module per domain;
- ``bus`` and ``presence``: the in-process or Redis backends shared by all nodes.
"""

__version__ = "0.1.0"
