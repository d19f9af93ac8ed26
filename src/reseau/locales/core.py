"""Messages of the data, training, model file and prediction commands."""

MESSAGES: dict[str, tuple[str, str]] = {
    # --- data ---
    "data.unknown_dataset": (
        "Jeu de données inconnu : « {name} ». Choix possibles : {choices}.",
        "Unknown dataset: '{name}'. Choose one of: {choices}.",
    ),
    "data.unknown_split": (
        "Partie inconnue : « {split} » (attendu : train ou test).",
        "Unknown split: '{split}' (expected train or test).",
    ),
    "data.corrupt": (
        "Le fichier {path} est endommagé (corrompu ou tronqué) : {reason}.\n"
        "Remplacez-le par une copie intacte de l'original.",
        "The file {path} is damaged (corrupt or truncated): {reason}.\nReplace it with an intact copy of the original.",
    ),
    "data.corrupt_download": (
        "Le fichier {path}, téléchargé par reseau, est corrompu ou tronqué : {reason}.\n"
        "Supprimez-le et relancez : il sera retéléchargé.",
        "The file {path}, downloaded by reseau, is corrupt or truncated: {reason}.\n"
        "Delete it and run again: it will be downloaded again.",
    ),
    "data.role.images": ("d'images", "images"),
    "data.role.labels": ("d'étiquettes", "labels"),
    "data.bad_magic": (
        "Le fichier {path} n'est pas un fichier IDX {role} : nombre magique {found}, attendu {expected}.",
        "The file {path} is not an IDX {role} file: magic number {found}, expected {expected}.",
    ),
    "data.not_in_dir": (
        "Les fichiers du jeu de données ne sont pas dans {path}.\n"
        "Il faut les quatre fichiers : {files} (compressés .gz ou non).\n"
        "Vérifiez --data-dir ou la variable RESEAU_DATA.",
        "The dataset files are not in {path}.\n"
        "All four files are needed: {files} (gzip'd or not).\n"
        "Check --data-dir or the RESEAU_DATA variable.",
    ),
    "data.not_found": (
        "Impossible de trouver ou de télécharger le jeu de données « {dataset} ».\n"
        "  {reasons}\n"
        "Solutions : copiez les quatre fichiers IDX (.gz) dans {cache},\n"
        "ou indiquez leur dossier avec --data-dir DOSSIER ou la variable RESEAU_DATA=DOSSIER.",
        "Cannot find or download the dataset '{dataset}'.\n"
        "  {reasons}\n"
        "Fix: copy the four IDX (.gz) files into {cache},\n"
        "or give their folder with --data-dir FOLDER or the variable RESEAU_DATA=FOLDER.",
    ),
    "data.downloading": ("Téléchargement", "Downloading"),
    # said before a file's first byte comes (cli.common.DownloadBar.announce)
    "data.downloading_file": (
        "Téléchargement de {file} ({mb:.2g} Mo) depuis {host}, vérifié par son empreinte SHA-256…",
        "Downloading {file} ({mb:.2g} MB) from {host}, checked against its SHA-256…",
    ),
    # why a download failed, in a few words (data._short_reason)
    "data.reason.no_network": ("connexion impossible (pas de réseau ?)", "cannot connect (no network?)"),
    "data.reason.timeout": ("pas de réponse à temps", "timed out"),
    "data.reason.hash": (
        "empreinte SHA-256 différente : le fichier est corrompu ou n'est pas l'original, il n'a pas été gardé",
        "SHA-256 mismatch: the file is corrupt or not the original, it was not kept",
    ),
    # --- configuration ---
    "config.bad_int": (
        "{field} doit être un entier entre {low} et {high} (reçu : {value}).",
        "{field} must be a whole number from {low} to {high} (got {value}).",
    ),
    "config.bad_range": (
        "{field} doit être un nombre entre {low} et {high} (reçu : {value}).",
        "{field} must be a number from {low} to {high} (got {value}).",
    ),
    "config.bad_positive": (
        "{field} doit être un nombre > {low} et au plus {high} (reçu : {value}).",
        "{field} must be a number > {low} and at most {high} (got {value}).",
    ),
    "config.bad_choice": (
        "Valeur inconnue pour {field} : « {value} ». Choix possibles : {choices}.",
        "Unknown value for {field}: '{value}'. Choose one of: {choices}.",
    ),
    "config.bad_bool": (
        "{field} doit valoir vrai ou faux (reçu : {value}).",
        "{field} must be true or false (got {value}).",
    ),
    "config.preset_mode": (
        "Le préréglage « {preset} » n'est pas du mode {mode} : retirez {mode_field} ou {preset_field}.",
        "The preset '{preset}' is not of the {mode} mode: remove {mode_field} or {preset_field}.",
    ),
    "config.not_for_preset": (
        "Ces réglages ne s'appliquent pas au réseau « {preset} » : {fields}. Les siens sont : {accepted}. "
        "(Le réseau du document n'a que ses réglages ; {preset_field} better, best… ouvre les autres.)",
        "These settings do not apply to the '{preset}' network: {fields}. Its own are: {accepted}. "
        "(The document's network has only its own settings; {preset_field} better, best… opens the others.)",
    ),
    "config.hidden_and_layers": (
        "Donnez {hidden} ou {layers}, pas les deux ({layers} 256,128 pour plusieurs couches).",
        "Give {hidden} or {layers}, not both ({layers} 256,128 for several layers).",
    ),
    # --- units, by plural form (reseau.i18n.plural) ---
    "unit.point.one": ("point", "point"),
    "unit.point.other": ("points", "points"),
    "unit.seed.one": ("graine", "seed"),
    "unit.seed.other": ("graines", "seeds"),
    "unit.training.one": ("entraînement", "training"),
    "unit.training.other": ("entraînements", "trainings"),
    "unit.epoch.one": ("epoch", "epoch"),
    "unit.epoch.other": ("epochs", "epochs"),
    "unit.complete_epoch.one": ("epoch complète", "complete epoch"),
    "unit.complete_epoch.other": ("epochs complètes", "complete epochs"),
    "unit.process.one": ("processus", "process"),
    "unit.process.other": ("processus", "processes"),
    "unit.local_process.one": ("processus local", "local process"),
    "unit.local_process.other": ("processus locaux", "local processes"),
    "unit.more_error.one": ("autre erreur", "more error"),
    "unit.more_error.other": ("autres erreurs", "more errors"),
    "unit.running_training.one": ("entraînement en cours", "training running"),
    "unit.running_training.other": ("entraînements en cours", "trainings running"),
    "unit.slot.one": ("place", "slot"),
    "unit.slot.other": ("places", "slots"),
    "unit.core.one": ("cœur", "core"),
    "unit.core.other": ("cœurs", "cores"),
    "unit.stored.one": ("déjà enregistré", "already stored"),
    "unit.stored.other": ("déjà enregistrés", "already stored"),
    "unit.seconds": ("{n} s", "{n} s"),  # a duration (no plural: a symbol), n written by reseau.i18n.format_number
    # --- training ---
    "train.header": (
        "Réseau {sizes}, taux d'apprentissage {lr}, {epochs}, graine {seed} (moteur : {engine})",
        "Network {sizes}, learning rate {lr}, {epochs}, seed {seed} (engine: {engine})",
    ),
    "train.epoch_line": (
        "Epoch : {epoch}, Précision : {precision}%",
        "Epoch: {epoch}, Training accuracy: {precision}%",
    ),
    "train.progress": ("Epoch {epoch}/{total}", "Epoch {epoch}/{total}"),
    "train.progress_document": ("Epoch : {epoch} ({k} sur {total})", "Epoch: {epoch} ({k} of {total})"),
    "train.test_line": (
        "Test ({n} images jamais vues) : {accuracy:.2f} %",
        "Test ({n} never-seen images): {accuracy:.2f}%",
    ),
    "train.precision_note": (
        "(« Précision » = images reconnues pendant l'apprentissage ; le test mesure des images jamais vues.)",
        "('Training accuracy' counts images recognised while being learned; the test measures never-seen images.)",
    ),
    "train.saved": ("Modèle enregistré : {path}", "Model saved: {path}"),
    "train.seconds": ("Durée : {seconds:.1f} s", "Time: {seconds:.1f} s"),
    "train.compiling": (
        "Première fois : le calcul de l'entraînement est compilé pour ce processeur (quelques secondes, "
        "une seule fois)…",
        "First time: the training's arithmetic is being compiled for this processor (a few seconds, once)…",
    ),
    "train.interrupted": (
        "Entraînement interrompu (Ctrl-C) après {done} : rien n'a été enregistré, le modèle précédent est intact.",
        "Training interrupted (Ctrl-C) after {done}: nothing was saved, the previous model is intact.",
    ),
    "train.diverged": (
        "L'entraînement a divergé à l'epoch {epoch} : les poids ne sont plus des nombres finis.\n"
        "Le taux d'apprentissage {lr} est trop grand ; essayez --lr 0.01 (la valeur du document).",
        "Training diverged at epoch {epoch}: the weights are no longer finite numbers.\n"
        "The learning rate {lr} is too large; try --lr 0.01 (the document's value).",
    ),
    "train.lr_warning": (
        "Attention : un taux d'apprentissage de {lr} est très grand ; le réseau risque de ne rien apprendre.",
        "Warning: a learning rate of {lr} is very large; the network may learn nothing.",
    ),
    # --- model file ---
    "model.missing": (
        "Aucun modèle enregistré dans {path}.\nEntraînez-en un avec : reseau train   (ou : reseau predict --train)",
        "No saved model at {path}.\nTrain one with: reseau train   (or: reseau predict --train)",
    ),
    "model.corrupt": (
        "Le fichier modèle {path} est corrompu ou tronqué ({reason}).\nEntraînez-en un nouveau avec : reseau train",
        "The model file {path} is corrupt or truncated ({reason}).\nTrain a new one with: reseau train",
    ),
    "model.reason.short": ("{size} octets seulement", "only {size} bytes"),  # the {reason} of model.corrupt
    "model.reason.json": ("le texte JSON « {part} » est illisible", "the JSON text '{part}' cannot be read"),
    "model.reason.gap": (
        "les données des tenseurs reprennent à l'octet {begin} au lieu de {end}",
        "tensor data at byte {begin}, not {end}",
    ),
    "model.foreign": ("Le fichier {path} n'est pas un modèle reseau.", "The file {path} is not a reseau model."),
    "model.newer": (
        "Le modèle {path} a été écrit par une version plus récente de reseau (format {version}).",
        "The model {path} was written by a newer version of reseau (format {version}).",
    ),
    "model.cannot_write": (
        "Impossible d'écrire le modèle dans {path} : {reason}.",
        "Cannot write the model to {path}: {reason}.",
    ),
    "model.target_is_folder": (
        "{path} est un dossier : donnez un nom de fichier, par exemple {path}/model.safetensors.",
        "{path} is a folder: give a file name, for example {path}/model.safetensors.",
    ),
    "model.target_not_file": (
        "{path} existe et n'est pas un fichier ordinaire (périphérique, tube…) : "
        "reseau ne l'écrasera pas. Choisissez un autre nom de fichier.",
        "{path} exists and is not a regular file (a device, a pipe…): reseau will not replace it. "
        "Choose another file name.",
    ),
    "model.no_folder": (
        "Impossible d'écrire le modèle dans {path} : le dossier {folder} n'existe pas. "
        "Créez-le d'abord (mkdir -p {folder}) ou choisissez un autre chemin.",
        "Cannot write the model to {path}: the folder {folder} does not exist. "
        "Create it first (mkdir -p {folder}) or choose another path.",
    ),
    # a model file that is refused: each says what is wrong
    "model.too_big": (
        "Le fichier {path} fait {size} Mo ; un modèle reseau en fait au plus {limit} : "
        "ce n'est pas un modèle reseau, il n'a pas été lu.",
        "The file {path} is {size} MB; a reseau model is at most {limit} MB: "
        "it is not a reseau model, it was not read.",
    ),
    "model.header_too_big": (
        "L'en-tête du fichier {path} annonce {size} octets ; celui d'un modèle reseau en fait au plus {limit}.",
        "The header of the file {path} declares {size} bytes; a reseau model's is at most {limit}.",
    ),
    "model.too_deep": (
        "Le fichier modèle {path} est invalide : son texte JSON « {part} » est imbriqué sur plus de {limit} "
        "niveaux, ce qu'aucun modèle reseau ne fait.",
        "The model file {path} is invalid: its JSON text '{part}' is nested more than {limit} levels deep, "
        "which no reseau model is.",
    ),
    "model.truncated": (
        "Le fichier modèle {path} est tronqué ou rallongé : il a {size} octets, son en-tête en annonce {expected}.",
        "The model file {path} is truncated or padded: it has {size} bytes, its header declares {expected}.",
    ),
    "model.bad_version": (
        "Le fichier modèle {path} est invalide : sa version de format « {version} » n'est pas un nombre entier.",
        "The model file {path} is invalid: its format version '{version}' is not a whole number.",
    ),
    "model.bad_type": (
        "Le fichier modèle {path} est invalide : « {field} » doit être de type JSON {expected}, et non {found}.",
        "The model file {path} is invalid: '{field}' must be of JSON type {expected}, not {found}.",
    ),
    "model.bad_choice": (
        "Le fichier modèle {path} est invalide : « {field} » vaut « {value} », attendu l'un de : {choices}.",
        "The model file {path} is invalid: '{field}' is '{value}', expected one of: {choices}.",
    ),
    "model.bad_value": (
        "Le fichier modèle {path} est invalide : « {field} » vaut {value}, il faut {expected}.",
        "The model file {path} is invalid: '{field}' is {value}, it must be {expected}.",
    ),
    "model.missing_field": (
        "Le fichier modèle {path} est invalide : « {field} » manque.",
        "The model file {path} is invalid: '{field}' is missing.",
    ),
    "model.bad_config": (
        "Le fichier modèle {path} est invalide : le réglage « {field} » de sa configuration vaut {value}, "
        "hors de ce que reseau accepte.",
        "The model file {path} is invalid: the setting '{field}' of its configuration is {value}, "
        "outside what reseau accepts.",
    ),
    "model.bad_dtype": (
        "Le fichier modèle {path} est invalide : le tenseur « {tensor} » est de type {dtype} ; "
        "les poids d'un réseau sont des nombres à virgule (F16, F32 ou F64).",
        "The model file {path} is invalid: the tensor '{tensor}' is of type {dtype}; "
        "a network's weights are floating-point numbers (F16, F32 or F64).",
    ),
    "model.bad_shape": (
        "Le fichier modèle {path} est invalide : le tenseur « {tensor} » a la forme {shape}, "
        "les couches déclarées demandent {expected}.",
        "The model file {path} is invalid: the tensor '{tensor}' has the shape {shape}, "
        "the declared layers need {expected}.",
    ),
    "model.missing_tensor": (
        "Le fichier modèle {path} est invalide : le tenseur « {tensor} » que demandent ses couches manque.",
        "The model file {path} is invalid: the tensor '{tensor}' its layers need is missing.",
    ),
    "model.extra_tensor": (
        "Le fichier modèle {path} est invalide : le tenseur « {tensor} » ne correspond à aucune de ses couches.",
        "The model file {path} is invalid: the tensor '{tensor}' belongs to none of its layers.",
    ),
    "model.layer_count": (
        "Le fichier modèle {path} est invalide : il déclare {count} couches, un modèle reseau en a de 1 à {limit}.",
        "The model file {path} is invalid: it declares {count} layers, a reseau model has from 1 to {limit}.",
    ),
    "model.bad_input": (
        "Le fichier modèle {path} est invalide : son réseau prend {size} valeurs en entrée, "
        "et non les 784 pixels d'une image 28 × 28.",
        "The model file {path} is invalid: its network takes {size} input values, "
        "not the 784 pixels of a 28 × 28 image.",
    ),
    "model.bad_output": (
        "Le fichier modèle {path} est invalide : son réseau donne {size} valeurs de sortie, "
        "et non une par classe de son jeu de données ({classes}).",
        "The model file {path} is invalid: its network gives {size} output values, "
        "not one per class of its dataset ({classes}).",
    ),
    "model.empty_layer": (
        "Le fichier modèle {path} est invalide : la couche « {layer} » n'a aucun neurone.",
        "The model file {path} is invalid: the layer '{layer}' has no neurons.",
    ),
    "model.bad_layer": (
        "Le fichier modèle {path} est invalide : la couche « {layer} » ({kind}) ne peut pas recevoir "
        "des valeurs de forme {shape}.",
        "The model file {path} is invalid: the layer '{layer}' ({kind}) cannot take values of shape {shape}.",
    ),
    "model.not_finite": (
        "Le fichier modèle {path} est invalide : le tenseur « {tensor} » contient des valeurs infinies ou NaN.",
        "The model file {path} is invalid: the tensor '{tensor}' holds infinite or NaN values.",
    ),
    "model.bad_weight": (
        "Le fichier modèle {path} est invalide : le tenseur « {tensor} » contient {value:.3g}, "
        "au-delà de ±{limit:.0e} : aucun entraînement de reseau n'écrit de tels poids.",
        "The model file {path} is invalid: the tensor '{tensor}' holds {value:.3g}, "
        "beyond ±{limit:.0e}: no training of reseau writes such weights.",
    ),
    "model.overflow": (
        "Le fichier modèle {path} est invalide : à la couche « {layer} », une image pourrait produire des "
        "valeurs jusqu'à {bound:.3g}, au-delà de {limit:.0e} : le réseau répondrait NaN.",
        "The model file {path} is invalid: at the layer '{layer}', an image could produce values up to "
        "{bound:.3g}, beyond {limit:.0e}: the network would answer NaN.",
    ),
    # --- prediction ---
    "predict.prompt": ("Entrer un nombre entre 0 et {last} : ", "Enter a number between 0 and {last}: "),
    "predict.title": (
        "le réseau de neurones a reconnu le chiffre {digit}",
        "the neural network recognised the digit {digit}",
    ),
    "predict.outputs": ("valeurs de sortie o", "output values o"),
    "predict.answer": (
        "Image {index} : le réseau de neurones a reconnu le chiffre {digit} (étiquette : {label}) {mark}",
        "Image {index}: the neural network recognised the digit {digit} (label: {label}) {mark}",
    ),
    # a dataset whose classes are not digits (Fashion-MNIST): the class by its name
    "predict.title_class": (
        "le réseau de neurones a reconnu : {name} (classe {digit})",
        "the neural network recognised: {name} (class {digit})",
    ),
    "predict.answer_class": (
        "Image {index} : le réseau de neurones a reconnu : {name} (classe {digit}) ; "
        "étiquette : {label_name} (classe {label}) {mark}",
        "Image {index}: the neural network recognised: {name} (class {digit}); "
        "label: {label_name} (class {label}) {mark}",
    ),
    "predict.label_class": ("{name} (classe {label})", "{name} (class {label})"),
    "predict.not_a_number": (
        "« {text} » n'est pas un nombre entier. Tapez un nombre entre 0 et {last}, ou q pour quitter.",
        "'{text}' is not a whole number. Type a number between 0 and {last}, or q to quit.",
    ),
    "predict.out_of_range": (
        "{index} est hors limites : choisissez un nombre entre 0 et {last}.",
        "{index} is out of range: choose a number between 0 and {last}.",
    ),
    "predict.bye": ("Au revoir !", "Goodbye!"),
    "predict.saved": ("Figure enregistrée : {path}", "Figure saved: {path}"),
    "predict.bad_format": (
        "Impossible d'enregistrer la figure dans {path} : l'extension « {suffix} » n'est pas un format "
        "d'image connu. Formats possibles : {formats}.",
        "Cannot save the figure to {path}: the extension '{suffix}' is not a known image format. Formats: {formats}.",
    ),
    "predict.no_folder": (
        "Impossible d'enregistrer la figure dans {path} : le dossier {folder} n'existe pas.",
        "Cannot save the figure to {path}: the folder {folder} does not exist.",
    ),
    "predict.save_is_folder": (
        "{path} est un dossier : donnez un nom de fichier, par exemple {path}/figure.png.",
        "{path} is a folder: give a file name, for example {path}/figure.png.",
    ),
    "predict.cannot_save": (
        "Impossible d'enregistrer la figure dans {path} : {reason}.",
        "Cannot save the figure to {path}: {reason}.",
    ),
    "predict.offer_train": (
        "Aucun modèle n'est enregistré. L'entraîner maintenant (environ 1 s) ? [O/n] ",
        "No model is saved yet. Train it now (about 1 s)? [Y/n] ",
    ),
    "predict.hint": ("(q, ligne vide ou Ctrl-D pour quitter)", "(q, empty line or Ctrl-D to quit)"),
    # --- command line ---
    "cli.help": (
        "Le réseau de neurones du document « Qu'est-ce qu'un réseau de neurones artificiels ? », "
        "fidèle, rapide et honnête.",
        "The neural network of the document 'Qu'est-ce qu'un réseau de neurones artificiels ?' "
        "— faithful, fast and honest.",
    ),
    "cli.version": ("Afficher la version et quitter.", "Show the version and exit."),
    "cli.lang": ("Langue des messages : fr ou en.", "Language of messages: fr or en."),
    "cli.lang_unknown": (
        "Langue inconnue : « {value} ». reseau parle français (--lang fr) et anglais (--lang en).",
        "Unknown language: '{value}'. reseau speaks French (--lang fr) and English (--lang en).",
    ),
    "cli.lang_missing": (
        "--lang attend une langue : --lang fr (français) ou --lang en (anglais).",
        "--lang needs a language: --lang fr (French) or --lang en (English).",
    ),
    "cli.predict.help": (
        "La boucle d'inférence du document : choisir une image, voir le chiffre reconnu.",
        "The document's inference loop: choose an image, see the recognised digit.",
    ),
    "cli.opt.dataset": ("Jeu de données : mnist ou fashion-mnist.", "Dataset: mnist or fashion-mnist."),
    "cli.opt.data_dir": (
        "Dossier des fichiers IDX (sinon RESEAU_DATA, le cache, ou téléchargement).",
        "Folder of the IDX files (else RESEAU_DATA, the cache, or a download).",
    ),
    "cli.opt.out": ("Fichier modèle à écrire.", "Model file to write."),
    "cli.opt.model": ("Fichier modèle à utiliser.", "Model file to use."),
    "cli.opt.index": ("Répondre une fois pour cette image et quitter.", "Answer once for this image and exit."),
    "cli.opt.save": (
        "Enregistrer la figure dans ce fichier au lieu d'ouvrir une fenêtre (PNG sans extension ; aussi .svg, .pdf…).",
        "Save the figure to this file instead of opening a window (PNG without an extension; also .svg, .pdf…).",
    ),
    "cli.opt.test": ("Choisir parmi les 10 000 images de test.", "Pick from the 10,000 test images."),
    "cli.opt.train": ("Entraîner d'abord un modèle s'il n'y en a pas.", "Train a model first if there is none."),
    "cli.notebook.help": (
        "Copier le cahier Jupyter du cours dans le dossier courant (en anglais avec --lang en).",
        "Copy the course's Jupyter notebook into the current folder (English with --lang en).",
    ),
    "cli.opt.notebook_dest": ("Dossier où copier le cahier.", "Folder to copy the notebook into."),
    "cli.opt.force": ("Remplacer le fichier s'il existe déjà.", "Replace the file if it already exists."),
    "notebook.copied": ("Cahier copié : {path}", "Notebook copied: {path}"),
    "notebook.how_to_open": (
        'Pour l\'ouvrir : pip install "reseau[notebook]" jupyterlab   puis   jupyter lab {name}',
        'To open it: pip install "reseau[notebook]" jupyterlab   then   jupyter lab {name}',
    ),
    "notebook.exists": (
        "{path} existe déjà : ajoutez --force pour le remplacer (vos modifications seraient perdues).",
        "{path} already exists: add --force to replace it (your changes would be lost).",
    ),
    "notebook.cannot_copy": (
        "Impossible de copier le cahier vers {path} : {reason}.",
        "Cannot copy the notebook to {path}: {reason}.",
    ),
    "cli.help_option": ("Afficher cette aide et quitter.", "Show this help and exit."),
    "cli.error": ("Erreur : {message}", "Error: {message}"),
    # mistakes on the command line itself, that Typer finds (reseau.cli.common.localised_usage)
    "cli.usage.no_such_command": ("Commande inconnue : « {name} ».", "Unknown command: '{name}'."),
    "cli.usage.did_you_mean": ("Vouliez-vous dire {names} ?", "Did you mean {names}?"),
    "cli.usage.missing_command": ("Indiquez une commande.", "Give a command."),
    "cli.usage.no_such_option": ("Option inconnue : {name}.", "Unknown option: {name}."),
    "cli.usage.close_options": ("Options proches : {names}.", "Close options: {names}."),
    "cli.usage.needs_value": ("L'option {name} attend une valeur.", "The option {name} needs a value."),
    "cli.usage.takes_no_value": ("L'option {name} ne prend pas de valeur.", "The option {name} takes no value."),
    "cli.usage.missing": ("Il manque {name}.", "{name} is missing."),
    "cli.usage.extra.one": ("Argument en trop : {args}.", "Unexpected extra argument: {args}."),
    "cli.usage.extra.other": ("Arguments en trop : {args}.", "Unexpected extra arguments: {args}."),
    "cli.usage.not_a_number": (
        "Valeur invalide pour {name} : « {value} » n'est pas un nombre.",
        "Invalid value for {name}: '{value}' is not a number.",
    ),
    "cli.usage.not_an_integer": (
        "Valeur invalide pour {name} : « {value} » n'est pas un nombre entier.",
        "Invalid value for {name}: '{value}' is not a whole number.",
    ),
    "cli.usage.not_a_bool": (
        "Valeur invalide pour {name} : « {value} » n'est ni vrai ni faux (true ou false).",
        "Invalid value for {name}: '{value}' is neither true nor false.",
    ),
    "cli.usage.bad_value": ("Valeur invalide pour {name} : « {value} ».", "Invalid value for {name}: '{value}'."),
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
}
