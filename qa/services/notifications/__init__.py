"""In-app notifications: :func:`~qa.services.notifications.inbox.notify` and the reader's inbox."""
