"""Messages added when figures, data and conclusions were split (French, English)."""

MESSAGES: dict[str, tuple[str, str]] = {
    # why a data file is damaged, inside data.corrupt's message (data.Why)
    "data.why.too_long": ("plus que les {limit} octets attendus", "more than the {limit} bytes expected"),
    "data.why.short": ("{size} octets, moins que son en-tête", "{size} bytes, shorter than the header"),
    "data.why.side": ("des images de {rows} × {cols} et non 28 × 28", "images of {rows} × {cols}, not 28 × 28"),
    "data.why.count": ("{found} éléments au lieu de {expected}", "{found} items, expected {expected}"),
    "data.why.length": (
        "{size} octets au lieu de {expected} (tronqué ou complété)",
        "{size} bytes, expected {expected} (truncated or padded)",
    ),
    "data.why.label": ("une étiquette {label}, hors de 0 à 9", "a label {label}, outside 0 to 9"),
    "data.why.shapes": ("des tableaux de formes {images} et {labels}", "arrays of shapes {images} and {labels}"),
    # one learning rate as good as the best, in the list of experiment.ccl.lr.tie
    "experiment.ccl.lr.tie_item": ("{lr} : {t} %", "{lr}: {t}%"),
}
