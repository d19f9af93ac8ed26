"""Messages of the experiments part (French, English)."""

MESSAGES: dict[str, tuple[str, str]] = {
}
