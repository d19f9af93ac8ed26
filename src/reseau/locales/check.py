"""Messages of what a model file proves: its checksum, its record against its layers, ``reseau check``."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    # --- loading: what a file must prove (reseau.modelcheck) ---
    "model.checksum": (
        "Le fichier modèle {path} est abîmé : ses poids ne correspondent plus à la somme de contrôle SHA-256 "
        "écrite avec eux (un octet modifié ou une copie incomplète) ; reprenez une copie intacte ou entraînez "
        "à nouveau le réseau.",
        "The model file {path} is damaged: its weights no longer match the SHA-256 checksum written with them "
        "(a byte changed or an incomplete copy); take an intact copy or train the network again.",
    ),
    "model.contradicts_sizes": (
        "Le fichier modèle {path} se contredit : son enregistrement décrit un réseau {kind} {record}, "
        "mais ses poids forment un réseau {weights}.",
        "The model file {path} contradicts itself: its record describes a {kind} network {record}, "
        "but its weights make a network {weights}.",
    ),
    "model.contradicts_activations": (
        "Le fichier modèle {path} se contredit : un réseau {kind} de cette configuration a les activations "
        "{expected}, mais ses métadonnées indiquent {found}.",
        "The model file {path} contradicts itself: a {kind} network of this configuration has the activations "
        "{expected}, but its metadata says {found}.",
    ),
    "model.contradicts_architecture": (
        "Le fichier modèle {path} se contredit : sa configuration donne comme couche {layer} {expected}, "
        "mais son architecture indique {found}.",
        "The model file {path} contradicts itself: its configuration gives as layer {layer} {expected}, "
        "but its architecture says {found}.",
    ),
    "model.no_layer": ("aucune couche", "no layer"),
    # --- loading: what loads but is worth a word (SavedModel.notes) ---
    "model.note.no_checksum": (
        "Note : le fichier {path} ne porte pas de somme de contrôle de ses poids (il a été écrit par une version "
        "plus ancienne de reseau) : une altération de ses poids ne peut pas être détectée.",
        "Note: the file {path} carries no checksum of its weights (an older version of reseau wrote it): "
        "damage to its weights cannot be detected.",
    ),
    "model.note.zero_weights": (
        "Note : tous les poids du fichier {path} valent zéro : le réseau ne distingue aucune image et "
        "répond la même chose pour chacune.",
        "Note: every weight of the file {path} is zero: the network tells no images apart and gives "
        "the same answer for each.",
    ),
    "model.note.constant_weights": (
        "Note : dans le fichier {path}, tous les poids de chaque couche sont égaux : le réseau ne distingue "
        "aucune image et répond la même chose pour chacune.",
        "Note: in the file {path}, all the weights of each layer are equal: the network tells no images apart "
        "and gives the same answer for each.",
    ),
    # --- saving: a network the loader would refuse is not written (modelfile.check_savable) ---
    "model.diverged": (
        "L'entraînement a divergé : {reason} ; rien n'a été enregistré (un modèle précédent reste intact). "
        "Le taux d'apprentissage {lr} est trop grand : divisez-le par 10.",
        "Training diverged: {reason}; nothing was saved (a previous model is intact). "
        "The learning rate {lr} is too large: divide it by 10.",
    ),
    "model.diverged.weight": (
        "le tenseur « {tensor} » atteint {value:.3g}, au-delà des ±{limit:.0e} qu'un fichier modèle accepte",
        "the tensor '{tensor}' reaches {value:.3g}, beyond the ±{limit:.0e} a model file accepts",
    ),
    "model.diverged.overflow": (
        "à la couche « {layer} », une image pourrait produire des valeurs jusqu'à {bound:.3g}",
        "at the layer '{layer}', an image could produce values up to {bound:.3g}",
    ),
    "model.diverged.not_finite": (
        "le tenseur « {tensor} » contient des valeurs infinies ou NaN",
        "the tensor '{tensor}' holds infinite or NaN values",
    ),
    # --- reseau check ---
    "check.cli.help": (
        "Dire ce qu'est un fichier modèle (réseau, données, réglages, résultats, somme de contrôle) ; "
        "avec --test, mesurer à nouveau sa précision sur les 10 000 images de test.",
        "Say what a model file is (network, data, settings, results, checksum); "
        "with --test, measure its accuracy on the 10,000 test images again.",
    ),
    "check.cli.model": (
        "Le fichier modèle à examiner (par défaut : celui de reseau predict).",
        "The model file to examine (default: the one reseau predict uses).",
    ),
    "check.cli.test": (
        "Mesurer à nouveau la précision sur les 10 000 images de test et la comparer à celle enregistrée.",
        "Measure the accuracy on the 10,000 test images again and compare it with the one recorded.",
    ),
    "check.cli.metavar": ("MODÈLE", "MODEL"),
    "check.missing": ("Il n'y a pas de fichier {path}.", "There is no file {path}."),
    "check.file": ("Fichier : {path}", "File: {path}"),
    "check.network": ("Réseau : {kind}, couches {sizes} ({layers})", "Network: {kind}, layers {sizes} ({layers})"),
    "check.dataset": ("Données : {dataset} ({classes} classes)", "Data: {dataset} ({classes} classes)"),
    "check.settings": ("Réglages : {settings}", "Settings: {settings}"),
    "check.trained": (
        "Entraînement : {epochs}, {seconds} s, par reseau {version} ({source})",
        "Training: {epochs}, {seconds} s, by reseau {version} ({source})",
    ),
    "check.results": (
        "Résultats enregistrés : epoch gardée {epoch}, entraînement {precision}, validation {val}, test {test}",
        "Recorded results: epoch kept {epoch}, training {precision}, validation {val}, test {test}",
    ),
    "check.no_results": ("Résultats enregistrés : aucun", "Recorded results: none"),
    "check.percent": ("{value:.2f} %", "{value:.2f}%"),
    "check.none": ("—", "—"),
    "check.checksum": (
        "Somme de contrôle SHA-256 des poids : vérifiée ({digest}…)",
        "SHA-256 checksum of the weights: verified ({digest}…)",
    ),
    "check.measuring": (
        "Mesure de la précision sur les {n} images de test…",
        "Measuring the accuracy on the {n} test images…",
    ),
    "check.test_same": (
        "Test : {measured:.2f} % mesurés, comme l'enregistrement le dit ({recorded:.2f} %).",
        "Test: {measured:.2f}% measured, as the record says ({recorded:.2f}%).",
    ),
    "check.test_differs": (
        "Test : {measured:.2f} % mesurés, mais l'enregistrement dit {recorded:.2f} % : "
        "ce fichier ne dit pas vrai sur ses poids.",
        "Test: {measured:.2f}% measured, but the record says {recorded:.2f}%: "
        "this file does not tell the truth about its weights.",
    ),
    "check.test_unrecorded": (
        "Test : {measured:.2f} % mesurés ; l'enregistrement ne donne pas de précision de test à comparer.",
        "Test: {measured:.2f}% measured; the record gives no test accuracy to compare with.",
    ),
}
