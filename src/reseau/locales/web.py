"""Messages of the web part (French, English)."""

MESSAGES: dict[str, tuple[str, str]] = {
}
