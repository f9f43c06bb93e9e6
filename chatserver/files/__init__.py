"""Files sent in colleague chat and live chat (issue 14): images shown inline with a
thumbnail, other files as a download, both only to who may see the conversation.

``rules`` decides what a file is (pure); ``images`` re-encodes raster images; ``blobs``
keeps the bytes under ``<media_dir>/files``; ``links`` signs short-lived links; ``actions``
receives, checks access and serves; ``sending`` sends the message that carries a file in
each kind of conversation; ``api`` is the REST routes. docs/files.md tells the whole.
"""
