"""Live chat's state changes and reads: the one layer of the feature that writes and publishes."""
