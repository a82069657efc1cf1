"""Personal data of customers: retention periods and deletion on request."""
