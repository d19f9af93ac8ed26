"""Messages of the class's own digits: ``reseau evaluate``, the « Mes chiffres » tab, the class's set."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    # --- reseau evaluate (reseau.cli.evaluate_cmd, reseau.digitset) ---
    "evaluate.cli.help": (
        "Dire comment un réseau lit un ensemble de chiffres : la précision pour chaque chiffre et les confusions "
        "(par défaut les 10 000 images de test de MNIST ; avec --data-dir, un dossier de fichiers IDX, "
        "comme ceux qu'exporte l'onglet « Mes chiffres »).",
        "Say how a network reads a set of digits: the accuracy for each digit and the confusions "
        "(by default MNIST's 10,000 test images; with --data-dir, a folder of IDX files, "
        "such as those the « My digits » tab exports).",
    ),
    "evaluate.cli.data_dir": (
        "Le dossier des fichiers IDX à lire (t10k-images-idx3-ubyte.gz et t10k-labels-idx1-ubyte.gz, "
        "ou ceux de l'entraînement).",
        "The folder of the IDX files to read (t10k-images-idx3-ubyte.gz and t10k-labels-idx1-ubyte.gz, "
        "or the training ones).",
    ),
    "evaluate.model": ("Réseau : {path}", "Network: {path}"),
    "evaluate.test_set": ("Images de test de {dataset} ({n} images) :", "{dataset}'s test images ({n} images):"),
    "evaluate.folder_set": (
        "Les chiffres du dossier {path} ({n} images) :",
        "The digits of the folder {path} ({n} images):",
    ),
    "evaluate.col.digit": ("Chiffre", "Digit"),
    "evaluate.col.images": ("Images", "Images"),
    "evaluate.col.right": ("Bien lus", "Read right"),
    "evaluate.col.accuracy": ("Précision", "Accuracy"),
    "evaluate.col.total": ("Total", "Total"),
    "evaluate.percent": ("{value:.2f} %", "{value:.2f}%"),
    "evaluate.none": ("—", "—"),
    "evaluate.confusions": ("Confusions (chiffre écrit → chiffre lu) :", "Confusions (digit written → digit read):"),
    "evaluate.confusion": ("  {written} lu comme {read} : {times} fois", "  {written} read as {read}: {times} times"),
    "evaluate.more": ("  … et {n} autres confusions", "  … and {n} other confusions"),
    "evaluate.no_confusion": (
        "Aucune confusion : chaque image est bien lue.",
        "No confusion: every image is read right.",
    ),
    "evaluate.not_dir": (
        "Le dossier {path} n'existe pas : donnez avec --data-dir le dossier où sont les fichiers IDX.",
        "The folder {path} does not exist: give with --data-dir the folder that holds the IDX files.",
    ),
    "evaluate.no_set": (
        "Le dossier {path} ne contient pas de chiffres au format de MNIST : il y faut deux fichiers, {files} "
        "(ceux qu'exporte l'onglet « Mes chiffres »).",
        "The folder {path} holds no digits in MNIST's format: it needs two files, {files} "
        "(those the « My digits » tab exports).",
    ),
    "evaluate.counts": (
        "Les fichiers {images} ({n} images) et {labels} ({m} étiquettes) ne vont pas ensemble : "
        "il faut une étiquette par image.",
        "The files {images} ({n} images) and {labels} ({m} labels) do not belong together: each image needs one label.",
    ),
    "evaluate.empty": ("Le fichier {path} ne contient aucune image.", "The file {path} holds no image."),
}
