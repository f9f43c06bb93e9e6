"""SMS's SQL: messages and their outbox rows, credits, and the lists (groups, subscriptions)."""
