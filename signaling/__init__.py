"""Video calls (VC-1..VC-6): rooms, their guests, and WebRTC signaling over ``/ws``.

A feature package, like ``sms``: its tables (:mod:`signaling.models`), SQL
(:mod:`signaling.storage`), the state changes (:mod:`signaling.actions`), REST
(:mod:`signaling.api`), the socket handlers (:mod:`signaling.handlers`) and the rules
that need no I/O (:mod:`signaling.rules`, :mod:`signaling.turn`). It plugs into the
core through :func:`signaling.feature.register`; the core never imports it.

Media flows browser to browser (a mesh, as Jitsi does for small calls); the server
only relays offers, answers and ICE candidates between the present members of a room,
stamping who sent them. docs/video.md tells the whole story.
"""
