"""Live chat's SQL: sites, visitors, conversations and messages, and what operators add to them."""
