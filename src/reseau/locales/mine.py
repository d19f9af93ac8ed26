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
    "evaluate.test_set": ("Les images de test de {dataset} ({n} images) :", "{dataset}'s test images ({n} images):"),
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
    # --- the « Mes chiffres » tab (web/static/mine.js, local/idx.js) ---
    "web.tab.mine": ("Mes chiffres", "My digits"),
    "web.mine.intro": (
        "Écrivez les chiffres demandés, dans le désordre, dix de chaque : le tableau dit comment chaque réseau lit "
        "votre écriture à vous. La précision sur les images de test de MNIST n'est pas la précision sur votre "
        "écriture ni sur celle de votre classe.",
        "Write the digits asked, in random order, ten of each: the table says how each network reads your own "
        "handwriting. The accuracy on MNIST's test images is not the accuracy on your handwriting, nor on "
        "your class's.",
    ),
    "web.mine.write": ("Écrivez un {digit}", "Write a {digit}"),
    "web.mine.round_done": (
        "Vous avez écrit dix fois chaque chiffre : le tableau est complet.",
        "You have written each digit ten times: the table is complete.",
    ),
    "web.mine.progress": (
        "{done} sur {total} dans cette série ; {kept} chiffres gardés dans ce navigateur.",
        "{done} of {total} in this round; {kept} digits kept in this browser.",
    ),
    "web.mine.keep": ("Garder ce chiffre", "Keep this digit"),
    "web.mine.again": ("Encore dix de chaque", "Ten more of each"),
    "web.mine.empty": (
        "Le cadre est vide : écrivez le chiffre demandé, puis gardez-le.",
        "The pad is empty: write the digit asked, then keep it.",
    ),
    "web.mine.not_kept": (
        "Ce navigateur refuse de garder vos chiffres (fenêtre privée, stockage bloqué) : ils restent jusqu'à ce "
        "que la page soit fermée ; exportez-les pour les garder.",
        "This browser refuses to keep your digits (a private window, storage blocked): they stay until the page "
        "is closed; export them to keep them.",
    ),
    "web.mine.table": ("Comment chaque réseau lit votre écriture", "How each network reads your handwriting"),
    "web.mine.table_note": (
        "Pour chaque chiffre, la part de vos images que le réseau lit bien ; la dernière colonne, sa précision "
        "sur les 10 000 images de test de MNIST.",
        "For each digit, the share of your images the network reads right; the last column, its accuracy "
        "on MNIST's 10,000 test images.",
    ),
    "web.mine.none": ("Aucun chiffre encore : écrivez celui qui est demandé.", "No digit yet: write the one asked."),
    "web.mine.reading": ("Les réseaux lisent vos chiffres…", "The networks are reading your digits…"),
    "web.mine.col.network": ("Réseau", "Network"),
    "web.mine.col.total": ("Tous", "All"),
    "web.mine.col.mnist": ("Test MNIST", "MNIST test"),
    "web.mine.wrong_title": ("{name} : {n} images mal lues", "{name}: {n} images read wrong"),
    "web.mine.confusion": ("{written} lu comme {read} ({times})", "{written} read as {read} ({times})"),
    "web.mine.no_confusion": ("Aucune confusion.", "No confusion."),
    "web.mine.read_as": ("{written} → {read}", "{written} → {read}"),
    "web.mine.refresh": ("Relire", "Read again"),
    "web.mine.export": ("Exporter (IDX)", "Export (IDX)"),
    "web.mine.import": ("Importer des fichiers IDX :", "Import IDX files:"),
    "web.mine.forget": ("Tout effacer", "Erase all"),
    "web.mine.forget_confirm": (
        "Effacer vos {n} chiffres de ce navigateur ?",
        "Erase your {n} digits from this browser?",
    ),
    "web.mine.files_note": (
        "L'export donne les deux fichiers du jeu de test de MNIST (t10k-images-idx3-ubyte.gz, "
        "t10k-labels-idx1-ubyte.gz) : mis dans un dossier, « reseau evaluate --data-dir DOSSIER » les lit. "
        "L'import ajoute les chiffres de ces deux fichiers aux vôtres.",
        "The export gives the two files of MNIST's test set (t10k-images-idx3-ubyte.gz, "
        't10k-labels-idx1-ubyte.gz): put in a folder, "reseau evaluate --data-dir FOLDER" reads them. '
        "The import adds the digits of these two files to yours.",
    ),
    "web.mine.imported": ("{n} chiffres importés.", "{n} digits imported."),
    "web.mine.nothing": ("Aucun chiffre à exporter ni à envoyer.", "No digit to export or send."),
    "web.mine.too_many": (
        "C'est trop de chiffres : ce navigateur en garde au plus {most}.",
        "That is too many digits: this browser keeps at most {most}.",
    ),
    "web.mine.not_idx": (
        "Le fichier {name} n'est pas un fichier IDX de MNIST (ni images ni étiquettes).",
        "The file {name} is not an MNIST IDX file (neither images nor labels).",
    ),
    "web.mine.need_both": (
        "Il faut les deux fichiers ensemble : les images (…images-idx3-ubyte.gz) et les étiquettes "
        "(…labels-idx1-ubyte.gz).",
        "Both files are needed together: the images (…images-idx3-ubyte.gz) and the labels (…labels-idx1-ubyte.gz).",
    ),
    "web.mine.not_28": (
        "Les images du fichier {name} ne font pas 28 × 28 pixels.",
        "The images of the file {name} are not 28 × 28 pixels.",
    ),
    "web.mine.counts": (
        "Les deux fichiers ne vont pas ensemble : {n} images mais {m} étiquettes.",
        "The two files do not belong together: {n} images but {m} labels.",
    ),
    "web.mine.send": ("Envoyer à la classe", "Send to the class"),
    "web.mine.sent": ("{n} chiffres envoyés à la classe.", "{n} digits sent to the class."),
    # --- the class's digits (reseau.classe.digits, classe/static/teacher-digits.js) ---
    "classe.digits.bad": (
        "Ces chiffres ne sont pas un ensemble valable : il faut des images de 28 × 28 et un chiffre de 0 à 9 "
        "pour chacune.",
        "These digits are not a valid set: each needs a 28 × 28 image and a digit from 0 to 9.",
    ),
    "classe.digits.not_allowed": (
        "Le professeur n'a pas encore ouvert l'envoi des chiffres à la classe.",
        "The teacher has not yet opened the sending of digits to the class.",
    ),
    "classe.digits.no_file": ("Il n'y a à exporter que {files}.", "Only {files} can be exported."),
    "classe.digits.title": ("Les chiffres de la classe", "The class's digits"),
    "classe.digits.intro": (
        "Chaque élève écrit ses chiffres dans l'onglet « Mes chiffres » et les envoie ici (prénoms seulement). "
        "Le tableau dit comment chaque réseau lit l'écriture de la classe, à côté de sa précision sur les "
        "images de test de MNIST.",
        "Each student writes their digits in the « My digits » tab and sends them here (first names only). "
        "The table says how each network reads the class's handwriting, next to its accuracy on MNIST's "
        "test images.",
    ),
    "classe.digits.allow": ("Les élèves peuvent envoyer leurs chiffres", "Students may send their digits"),
    "classe.digits.refresh": ("Actualiser", "Refresh"),
    "classe.digits.none": ("Aucun élève n'a encore envoyé ses chiffres.", "No student has sent their digits yet."),
    "classe.digits.sent_by": ("{name} : {n} chiffres", "{name}: {n} digits"),
    "classe.digits.total": ("{n} chiffres en tout.", "{n} digits in all."),
    "classe.digits.start": ("Le réseau de départ", "The starting network"),
    "classe.digits.of": ("Le réseau de {name}", "{name}'s network"),
    "classe.digits.col.network": ("Réseau", "Network"),
    "classe.digits.col.all": ("Tous", "All"),
    "classe.digits.col.mnist": ("Test MNIST", "MNIST test"),
    "classe.digits.export": ("Exporter au format IDX :", "Export as IDX:"),
    "classe.digits.images": ("images", "images"),
    "classe.digits.labels": ("étiquettes", "labels"),
}
