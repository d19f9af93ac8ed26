"""Messages of the browser's own computing (``web.files.*``: the page reads them) and of ``reseau site``."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "web.files.unknown": (
        "Le fichier {name} n'est pas disponible ici.",
        "The file {name} is not available here.",
    ),
    "web.files.missing": (
        "Le fichier {name} manque dans le dossier du site : écrivez le dossier de nouveau avec « reseau site ».",
        "The file {name} is missing from the site's folder: write the folder again with 'reseau site'.",
    ),
    "web.files.damaged": (
        "Le fichier {name} est abîmé : écrivez le dossier du site de nouveau avec « reseau site ».",
        "The file {name} is damaged: write the site's folder again with 'reseau site'.",
    ),
    "web.files.unreachable": (
        "Le fichier {name} n'a pas pu être chargé : le serveur ne répond plus.",
        "The file {name} could not be loaded: the server no longer answers.",
    ),
    "web.files.no_decompression": (
        "Ce navigateur ne sait pas décompresser les images de MNIST (DecompressionStream) : "
        "ouvrez la page dans un navigateur récent (Chrome, Edge, Firefox ou Safari de 2023 ou après).",
        "This browser cannot decompress MNIST's images (DecompressionStream): "
        "open the page in a recent browser (Chrome, Edge, Firefox or Safari from 2023 or later).",
    ),
}
