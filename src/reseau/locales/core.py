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
        "Le fichier {path} est corrompu ou tronqué : {reason}.\n"
        "Supprimez-le et relancez (il sera retéléchargé), ou remplacez-le par l'original.",
        "The file {path} is corrupt or truncated: {reason}.\n"
        "Delete it and run again (it will be downloaded again), or replace it with the original.",
    ),
    "data.bad_magic": (
        "Le fichier {path} n'est pas un fichier IDX de {role} : nombre magique {found}, attendu {expected}.",
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
    # --- training ---
    "train.header": (
        "Réseau {sizes}, taux d'apprentissage {lr}, {epochs} epochs, graine {seed} (moteur : {engine})",
        "Network {sizes}, learning rate {lr}, {epochs} epochs, seed {seed} (engine: {engine})",
    ),
    "train.epoch_line": (
        "Epoch : {epoch}, Précision : {precision}%",
        "Epoch: {epoch}, Training accuracy: {precision}%",
    ),
    "train.progress": ("Epoch {epoch}/{last}", "Epoch {epoch}/{last}"),
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
    "train.interrupted": (
        "Entraînement interrompu (Ctrl-C) après {done} epoch(s) complète(s) : rien n'a été enregistré, "
        "le modèle précédent est intact.",
        "Training interrupted (Ctrl-C) after {done} complete epoch(s): nothing was saved, "
        "the previous model is intact.",
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
    "model.foreign": ("Le fichier {path} n'est pas un modèle reseau.", "The file {path} is not a reseau model."),
    "model.newer": (
        "Le modèle {path} a été écrit par une version plus récente de reseau (format {version}).",
        "The model {path} was written by a newer version of reseau (format {version}).",
    ),
    "model.cannot_write": (
        "Impossible d'écrire le modèle dans {path} : {reason}.",
        "Cannot write the model to {path}: {reason}.",
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
        "Enregistrer la figure dans ce fichier PNG au lieu d'ouvrir une fenêtre.",
        "Save the figure to this PNG file instead of opening a window.",
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
}
