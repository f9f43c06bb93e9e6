"""REST views: parse and validate the request, call an action, return JSON.

Every route of the API is listed in :data:`ROUTES` (see ``chatserver.app``).
"""
