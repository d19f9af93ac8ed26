"""Messages of photos of digits on paper (reseau.photo): ``reseau predict --image``, POST /api/photo,
the page's « Photo »."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    # --- what can go wrong with a photo (reseau.photo.PhotoError): one sentence each ---
    "photo.empty": ("Ce fichier est vide : ce n'est pas une photo.", "This file is empty: it is not a photo."),
    "photo.not_image": (
        "Ce fichier n'est pas une image {formats} : prenez la photo avec l'appareil photo ou enregistrez-la en JPEG.",
        "This file is not a {formats} image: take the photo with the camera or save it as a JPEG.",
    ),
    "photo.too_large": (
        "Cette image fait {width} × {height} pixels, plus de {limit} millions : réduisez-la avant de l'envoyer.",
        "This image is {width} × {height} pixels, more than {limit} million: make it smaller before sending it.",
    ),
    "photo.bomb": (
        "Cette image annonce des milliards de pixels (plus de {limit} millions) : elle n'est pas lue.",
        "This image claims billions of pixels (more than {limit} million): it is not read.",
    ),
    "photo.file_too_large": (
        "Ce fichier fait {size} Mo, plus de {limit} Mo : une photo de chiffre n'a pas besoin d'être si lourde.",
        "This file is {size} MB, more than {limit} MB: a photo of a digit does not need to be that heavy.",
    ),
    "photo.too_small": (
        "Cette image ne fait que {width} × {height} pixels : il en faut au moins {side} de côté.",
        "This image is only {width} × {height} pixels: it needs at least {side} a side.",
    ),
    "photo.unreadable": (
        "Cette image est abîmée ou incomplète et ne peut pas être lue ({reason}).",
        "This image is damaged or incomplete and cannot be read ({reason}).",
    ),
    "photo.no_digit": (
        "Aucun chiffre trouvé sur cette photo : écrivez-le bien foncé, assez grand, et cadrez-le au milieu.",
        "No digit found in this photo: write it dark, large enough, and frame it in the middle.",
    ),
    "photo.several_digits": (
        "Cette photo montre {count} chiffres côte à côte : photographiez un seul chiffre à la fois.",
        "This photo shows {count} digits side by side: photograph one digit at a time.",
    ),
    "photo.missing": ("Le fichier {path} n'existe pas.", "The file {path} does not exist."),
    "photo.not_a_file": ("{path} n'est pas un fichier.", "{path} is not a file."),
    # --- reseau predict --image ---
    "photo.answer": (
        "{path} : le réseau de neurones a reconnu le chiffre {digit}",
        "{path}: the neural network recognised the digit {digit}",
    ),
    "photo.failed": ("{path} : {reason}", "{path}: {reason}"),
    "photo.no_files": (
        "--image attend un ou plusieurs fichiers : reseau predict --image photo.jpg",
        "--image expects one or more files: reseau predict --image photo.jpg",
    ),
    "photo.files_without_image": (
        "Des fichiers sont donnés sans --image : reseau predict --image {path}",
        "Files are given without --image: reseau predict --image {path}",
    ),
    "cli.opt.image": (
        "Lire des photos de chiffres écrits sur papier (PNG, JPEG), données à la suite : --image a.jpg b.png",
        "Read photos of digits written on paper (PNG, JPEG), given after it: --image a.jpg b.png",
    ),
    # --- the page's « Photo » (web.*: GET /api/messages sends them) ---
    "web.photo.title": ("Photo", "Photo"),
    "web.photo.choose": ("Photo d'un chiffre…", "Photo of a digit…"),
    "web.photo.drop": (
        "Photographiez un chiffre écrit sur papier, ou déposez ici une photo (PNG, JPEG).",
        "Photograph a digit written on paper, or drop a photo here (PNG, JPEG).",
    ),
    "web.photo.reading": ("Lecture de la photo…", "Reading the photo…"),
    "web.photo.needs_server": (
        "Les photos sont lues par Python : ouvrez la page avec « reseau web » pour les essayer.",
        "Photos are read by Python: open the page with 'reseau web' to try them.",
    ),
    "web.photo.not_image": (
        "Ce fichier n'est pas une image que ce navigateur sait lire.",
        "This file is not an image this browser can read.",
    ),
    "web.photo.step.photo": ("la photo", "the photo"),
    "web.photo.step.grey": ("en gris", "in grey"),
    "web.photo.step.flat": ("lumière égalisée", "light evened out"),
    "web.photo.step.ink": ("l'encre", "the ink"),
    "web.photo.step.digit": ("le chiffre découpé", "the digit cut out"),
    "web.photo.step.input": ("28 × 28", "28 × 28"),
}
