"""Business logic: services add and flush, views commit."""
