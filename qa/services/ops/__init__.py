"""Operations: whether the parts the app needs answer, and the figures a monitor scrapes."""
