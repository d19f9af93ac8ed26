"""Messages of the figures part (French, English)."""

MESSAGES: dict[str, tuple[str, str]] = {
}
