"""Messages of the browser's own computing (``web.files.*``: the page reads them) and of ``reseau site``."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "web.files.unknown": ("Le fichier {name} n'est pas disponible ici.", "The file {name} is not available here."),
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
    # --- reseau site ---
    "site.cli.help": (
        "Écrit toute la leçon dans un dossier de fichiers statiques : ouvert dans n'importe quel navigateur "
        "(double clic sur index.html, clé USB, site de l'établissement), sans rien installer ni serveur.",
        "Writes the whole lesson as a folder of static files: opened in any browser (a double click on index.html, "
        "a USB stick, the school's website), with nothing installed and no server.",
    ),
    "site.arg.metavar": ("DOSSIER", "FOLDER"),
    "site.arg.folder": ("Le dossier à écrire (créé s'il n'existe pas).", "The folder to write (made if missing)."),
    "site.opt.model": (
        "Le réseau pour les dessins à joindre (par défaut : celui de « reseau train --preset dessin », s'il existe).",
        "The drawing network to include (default: the one 'reseau train --preset dessin' saved, if any).",
    ),
    "site.opt.study": (
        "Joindre l'étude de référence de l'exercice (époques, neurones cachés, taux d'apprentissage ; 3 graines) : "
        "calculée une fois (environ 2 min), puis relue dans les résultats de « reseau experiment ». "
        "--no-study : le site n'en montre pas.",
        "Include the exercise's reference study (epochs, hidden neurons, learning rate; 3 seeds): computed once "
        "(about 2 min), then read back from 'reseau experiment''s results. --no-study: the site shows none.",
    ),
    "site.step.study": (
        "L'étude de référence de l'exercice (reseau experiment : ce qui est déjà calculé n'est pas refait)…",
        "The exercise's reference study (reseau experiment: what is already computed is not redone)…",
    ),
    "site.no_model_file": ("Pas de fichier de modèle « {path} ».", "No model file '{path}'."),
    "site.not_folder": (
        "« {path} » est un fichier, pas un dossier : donnez le dossier où écrire le site.",
        "'{path}' is a file, not a folder: give the folder to write the site in.",
    ),
    "site.cannot_write": (
        "Impossible d'écrire dans le dossier {path} ({reason}).",
        "Cannot write in the folder {path} ({reason}).",
    ),
    "site.no_idx": (
        "Le site a besoin des quatre fichiers IDX de MNIST, pas d'une archive .npz ({path}) : "
        "donnez leur dossier avec --data-dir.",
        "The site needs MNIST's four IDX files, not an .npz archive ({path}): give their folder with --data-dir.",
    ),
    "site.step.data": ("Les images de MNIST…", "MNIST's images…"),
    "site.step.document": (
        "Le réseau du document (graine 0, 3 époques)…",
        "The document's network (seed 0, 3 epochs)…",
    ),
    "site.step.page": ("La page…", "The page…"),
    "site.no_drawing": (
        "Pas de réseau pour les dessins : le site répondra aux dessins avec le réseau du document. "
        "Pour l'ajouter, entraînez-le (reseau train --preset dessin, environ 4 min) puis écrivez le site de nouveau.",
        "No drawing network: the site will answer drawings with the document's network. To add it, train it "
        "(reseau train --preset dessin, about 4 min), then write the site again.",
    ),
    "site.done": (
        "Site écrit dans {folder} ({size} Mo). Ouvrez {index} dans un navigateur, ou copiez le dossier "
        "sur une clé USB ou sur n'importe quel hébergement de fichiers statiques.",
        "Site written in {folder} ({size} MB). Open {index} in a browser, or copy the folder to a USB stick or "
        "to any static file host.",
    ),
    # --- the Train tab with no server (web/static/local/train.js) ---
    "web.train.site_document_only": (
        "Ici, sans serveur, seul le réseau du document s'entraîne (784 → couche cachée → 10, sigmoïde, image "
        "par image) : ses réglages sont les epochs, les neurones cachés, le taux d'apprentissage et la graine. "
        "Les autres réseaux s'entraînent avec « reseau train » ou « reseau web ».",
        "Here, with no server, only the document's network trains (784 → hidden layer → 10, sigmoid, one image "
        "at a time): its settings are the epochs, the hidden neurons, the learning rate and the seed. "
        "The other networks train with 'reseau train' or 'reseau web'.",
    ),
    "web.train.no_worker": (
        "Ce navigateur ne peut pas entraîner le réseau (il n'a pas de Web Workers) : ouvrez la page dans un "
        "navigateur récent (Chrome, Edge, Firefox ou Safari).",
        "This browser cannot train the network (it has no Web Workers): open the page in a recent browser "
        "(Chrome, Edge, Firefox or Safari).",
    ),
    "web.train.done_browser": (
        "Terminé en {seconds} s : {accuracy} % des images de test reconnues. "
        "C'est maintenant ce réseau qui reconnaît vos dessins et les images de MNIST.",
        "Done in {seconds} s: {accuracy}% of the test images recognised. "
        "This network now recognises your drawings and MNIST's images.",
    ),
    "web.train.not_kept": (
        "Ce navigateur n'a pas pu garder le réseau entraîné (stockage plein ou refusé) : il sert jusqu'à ce "
        "que la page soit fermée ou rechargée.",
        "This browser could not keep the trained network (storage full or refused): it is used until the "
        "page is closed or reloaded.",
    ),
    "web.estimate.browser": (
        "d'après le dernier entraînement dans ce navigateur",
        "from the last training in this browser",
    ),
    "web.estimate.browser_reference": (
        "d'après une mesure dans Chromium sur 2 cœurs",
        "from a measurement in Chromium on 2 cores",
    ),
    # --- the page's sentences that differ in a site (reseau site swaps the keys in index.html) ---
    "web.draw.model_note_site": (
        "Le réseau pour les dessins (préréglage « dessin », convolutif) a appris sur des chiffres déformés "
        "comme ceux qu'on trace à la souris ; le réseau du document n'a vu que les chiffres de MNIST. "
        "Ce réseau s'entraîne avec Python (reseau train --preset dessin), pas dans le navigateur : s'il manque "
        "ici, demandez à votre enseignant de l'ajouter au site.",
        "The drawing network (the 'dessin' preset, convolutional) learned from digits distorted like those "
        "drawn with a mouse; the document's network has only seen MNIST's digits. That network is trained by "
        "Python (reseau train --preset dessin), not in the browser: if it is missing here, ask your teacher to "
        "add it to the site.",
    ),
    "web.train.save_note_site": (
        "Le réseau entraîné ici, dans votre navigateur, devient le modèle en service de cette page (onglets "
        "« Dessiner » et « Parcourir ») et y reste gardé pour votre prochaine visite ; « le réseau du document » "
        "reste celui du document (graine 0, 3 époques). Rien n'est envoyé nulle part.",
        "The network trained here, in your browser, becomes this page's model in use (the Draw and Browse tabs) "
        "and is kept for your next visit; « le réseau du document » stays the document's (seed 0, 3 epochs). "
        "Nothing is sent anywhere.",
    ),
}
