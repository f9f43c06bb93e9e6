"""Live chat over REST: operators' and visitors' routes, and the widget as sites load it."""
