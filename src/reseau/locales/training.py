"""Messages of the training part (French, English)."""

MESSAGES: dict[str, tuple[str, str]] = {
}
