"""Messages of the web part (French, English).

Keys under ``web.`` are all served to the page by ``GET /api/messages``; the
page fills ``{name}`` placeholders itself, so page texts use plain ``{name}``
fields (no format specs).
"""

MESSAGES: dict[str, tuple[str, str]] = {
    # --- the command ---
    "web.cli.help": (
        "Ouvrir la page web locale : dessiner un chiffre, parcourir MNIST, entraîner le réseau "
        "et voir la courbe se construire, explorer la sigmoïde.",
        "Open the local web page: draw a digit, browse MNIST, train the network and watch "
        "the curve grow, explore the sigmoid.",
    ),
    "web.opt.host": (
        "Adresse d'écoute (127.0.0.1 : cet ordinateur seulement).",
        "Address to listen on (127.0.0.1: this computer only).",
    ),
    "web.opt.port": (
        "Port (défaut : {port}, ou le suivant s'il est pris ; 0 : un port libre au hasard).",
        "Port (default: {port}, or the next one if taken; 0: any free port).",
    ),
    "web.opt.no_browser": ("Ne pas ouvrir le navigateur.", "Do not open the browser."),
    "web.cli.url": ("Page : {url}   (Ctrl-C pour arrêter le serveur)", "Page: {url}   (Ctrl-C to stop the server)"),
    "web.cli.model": ("Modèle : {path}", "Model: {path}"),
    "web.cli.no_model": (
        "Aucun modèle dans {path} : le réseau du document est entraîné au démarrage (environ 1 s), "
        "la page le montre en direct.",
        "No model at {path}: the document's network is trained at start-up (about 1 s); the page shows it live.",
    ),
    "web.cli.exposed": (
        "Attention : avec --host {host}, la page est accessible depuis le réseau. Elle demande le jeton de "
        "l'adresse ci-dessus : ne la donnez qu'à qui doit s'en servir (un nouveau jeton à chaque démarrage).",
        "Warning: with --host {host}, the page can be reached from the network. It asks for the token in the "
        "address above: give it only to those who should use it (a new token at each start).",
    ),
    "web.cli.url_network": ("Depuis un autre ordinateur : {url}", "From another computer: {url}"),
    "web.cli.port_busy": (
        "Le port {port} de {host} est déjà utilisé ({reason}).\n"
        "Choisissez-en un autre avec --port, par exemple --port {other} (ou --port 0 pour un port libre).",
        "Port {port} on {host} is already in use ({reason}).\n"
        "Choose another with --port, for example --port {other} (or --port 0 for any free port).",
    ),
    "web.cli.bad_port": (
        "Port impossible : {port} (un port va de 1 à 65535 ; 0 = un port libre au hasard).",
        "Impossible port: {port} (a port goes from 1 to 65535; 0 = any free port).",
    ),
    "web.cli.bad_host": (
        "Adresse inconnue : « {host} » ({reason}). Par défaut : --host 127.0.0.1.",
        "Unknown address: '{host}' ({reason}). The default is --host 127.0.0.1.",
    ),
    "web.cli.missing_deps": (
        "La page web a besoin de paquets qui ne sont pas installés ({name}).\n"
        'Installez-les avec : python -m pip install "reseau[web]"',
        "The web page needs packages that are not installed ({name}).\n"
        'Install them with: python -m pip install "reseau[web]"',
    ),
    "web.cli.bye": ("Serveur arrêté.", "Server stopped."),
    # --- errors answered by the API ---
    "web.error.too_large": (
        "Requête trop grosse : au plus {limit} Kio sont acceptés. Envoyez un dessin plus petit "
        "(au plus 280 × 280 pixels).",
        "Request too large: at most {limit} KiB are accepted. Send a smaller drawing (at most 280 × 280 pixels).",
    ),
    "web.error.json": (
        "Le corps de la requête n'est pas du JSON valide ({reason}).",
        "The request body is not valid JSON ({reason}).",
    ),
    "web.error.missing": ("Il manque le champ « {field} ».", "The field '{field}' is missing."),
    "web.error.null": (
        "« {field} » ne peut pas valoir null : donnez une valeur, ou retirez le champ pour garder sa valeur "
        "par défaut.",
        "'{field}' cannot be null: give a value, or leave the field out to keep its default.",
    ),
    "web.error.number": (
        "« {field} » doit être un nombre (reçu : {value}).",
        "'{field}' must be a number (got {value}).",
    ),
    "web.error.finite": (
        "« {field} » doit être un nombre fini (reçu : {value}).",
        "'{field}' must be a finite number (got {value}).",
    ),
    "web.error.integer": (
        "« {field} » doit être un nombre entier (reçu : {value}).",
        "'{field}' must be a whole number (got {value}).",
    ),
    "web.error.boolean": (
        "« {field} » doit valoir true ou false (reçu : {value}).",
        "'{field}' must be true or false (got {value}).",
    ),
    "web.error.min": (
        "« {field} » est trop petit : au moins {limit} (reçu : {value}).",
        "'{field}' is too small: at least {limit} (got {value}).",
    ),
    "web.error.max": (
        "« {field} » est trop grand : au plus {limit} (reçu : {value}).",
        "'{field}' is too large: at most {limit} (got {value}).",
    ),
    "web.error.too_long": (
        "« {field} » a trop d'éléments : au plus {limit}.",
        "'{field}' has too many items: at most {limit}.",
    ),
    "web.error.unknown_field": (
        "Champ inconnu : « {field} ». Vérifiez son nom.",
        "Unknown field: '{field}'. Check its name.",
    ),
    "web.error.choice": (
        "« {field} » doit valoir {expected} (reçu : {value}).",
        "'{field}' must be {expected} (got {value}).",
    ),
    "web.error.text": ("« {field} » doit être un texte (reçu : {value}).", "'{field}' must be a text (got {value})."),
    "web.error.list": ("« {field} » doit être une liste (reçu : {value}).", "'{field}' must be a list (got {value})."),
    "web.error.object": (
        "La requête doit être un objet JSON {{…}} (reçu : {value}).",
        "The request must be a JSON object {{…}} (got {value}).",
    ),
    "web.error.invalid": (
        "« {field} » n'est pas valide : {reason} (reçu : {value}).",
        "'{field}' is not valid: {reason} (got {value}).",
    ),
    "web.or": (" ou ", " or "),
    "web.error.more": ("(et {more})", "(and {more})"),
    "web.error.not_found": (
        "Rien à l'adresse {path}. L'API est décrite dans /api/openapi.json.",
        "Nothing at {path}. The API is described in /api/openapi.json.",
    ),
    "web.error.method": (
        "La méthode {method} n'est pas acceptée pour {path}.",
        "The method {method} is not accepted for {path}.",
    ),
    "web.error.http": ("Erreur HTTP {status} sur {path}.", "HTTP error {status} on {path}."),
    "web.error.internal": (
        "Erreur interne du serveur (le détail est dans la console du serveur). Le modèle en service n'a pas changé.",
        "Internal server error (the details are in the server's console). The model in use has not changed.",
    ),
    "web.error.no_model": (
        "Aucun modèle n'est chargé : entraînez-en un dans l'onglet « Entraîner ».",
        "No model is loaded: train one in the 'Train' tab.",
    ),
    "web.error.training_first": (
        "Le réseau est en cours d'entraînement : il répondra dans un instant.",
        "The network is being trained: it will answer in a moment.",
    ),
    "web.error.pixel_count": (
        "Le dessin annonce {width} × {height} = {expected} pixels mais en contient {got}.",
        "The drawing says {width} × {height} = {expected} pixels but holds {got}.",
    ),
    "web.error.raw_size": (
        "Sans prétraitement (preprocess = false), l'image doit faire 28 × 28 pixels (reçu : {width} × {height}).",
        "Without preprocessing (preprocess = false) the image must be 28 × 28 pixels (got {width} × {height}).",
    ),
    "web.error.index": (
        "L'image n° {index} n'existe pas : choisissez un nombre entre 0 et {last}.",
        "There is no image #{index}: choose a number between 0 and {last}.",
    ),
    "web.error.busy": (
        "Un entraînement est déjà en cours : attendez qu'il finisse ou arrêtez-le (bouton « Arrêter »).",
        "A training is already running: wait for it to end or stop it (the 'Stop' button).",
    ),
    "web.error.not_training": (
        "Aucun entraînement n'est en cours : il n'y a rien à arrêter.",
        "No training is running: there is nothing to stop.",
    ),
    "web.error.model_name": (
        "« {name} » n'est pas un nom de modèle : donnez le nom d'un fichier {suffix} du dossier des modèles, "
        "sans chemin (GET /api/models les liste).",
        "'{name}' is not a model name: give the name of a {suffix} file of the models folder, "
        "without a path (GET /api/models lists them).",
    ),
    "web.error.model_missing": (
        "Pas de modèle « {name} » dans {folder}. GET /api/models liste ceux qui s'y trouvent.",
        "No model '{name}' in {folder}. GET /api/models lists those that are there.",
    ),
    "web.error.model_unusable": (
        "Le modèle « {name} » est inutilisable : {reason}",
        "The model '{name}' cannot be used: {reason}",
    ),
    "web.error.no_file": (
        "Pas de fichier « {path} » parmi les résultats d'expériences.",
        "No file '{path}' among the experiment results.",
    ),
    # --- who may ask (reseau.web.middleware, reseau.web.token) ---
    "web.error.bad_host": (
        "Nom d'hôte refusé : « {host} ». Ce serveur ne répond qu'aux adresses qu'il sert ({allowed}) ; "
        "ouvrez l'adresse affichée dans le terminal.",
        "Host name refused: '{host}'. This server only answers to the addresses it serves ({allowed}); "
        "open the address printed in the terminal.",
    ),
    "web.error.cross_origin": (
        "Requête refusée : elle vient d'un autre site ({origin}). Seule la page de ce serveur peut y changer "
        "quelque chose.",
        "Request refused: it comes from another site ({origin}). Only this server's own page can change anything.",
    ),
    "web.error.content_type": (
        "Le corps de la requête doit être du JSON, envoyé avec l'en-tête Content-Type: application/json "
        "(reçu : {got}).",
        "The request body must be JSON, sent with the header Content-Type: application/json (got {got}).",
    ),
    "web.error.token_missing": (
        "Ce serveur est ouvert au réseau : il faut son jeton. Ouvrez l'adresse complète affichée dans le "
        "terminal où « reseau web » a démarré (elle finit par ?token=…).",
        "This server is open to the network: it needs its token. Open the full address printed in the "
        "terminal where 'reseau web' started (it ends with ?token=…).",
    ),
    "web.error.token_wrong": (
        "Jeton incorrect (le serveur a peut-être redémarré avec un nouveau jeton). Ouvrez l'adresse complète "
        "affichée dans le terminal où « reseau web » a démarré (elle finit par ?token=…).",
        "Wrong token (the server may have restarted with a new one). Open the full address printed in the "
        "terminal where 'reseau web' started (it ends with ?token=…).",
    ),
    "web.token.title": ("reseau : accès protégé", "reseau: protected access"),
    "web.token.opening": ("Ouverture de la page…", "Opening the page…"),
    # --- training events ---
    "web.train.test_point": (
        "   test (10 000 images jamais vues) : {accuracy} %",
        "   test (10,000 never-seen images): {accuracy}%",
    ),
    "web.train.done": (
        "Terminé en {seconds} s : {accuracy} % des images de test reconnues. "
        "C'est maintenant ce réseau qui reconnaît vos dessins (enregistré dans {path}).",
        "Done in {seconds} s: {accuracy}% of the test images recognised. "
        "This network now recognises your drawings (saved to {path}).",
    ),
    "web.train.done_saved": (
        "Terminé en {seconds} s : {accuracy} % des images de test reconnues. Enregistré dans {path} et choisi "
        "dans l'onglet « Dessiner » ; le modèle en service (onglet « Parcourir ») n'a pas changé.",
        "Done in {seconds} s: {accuracy}% of the test images recognised. Saved to {path} and chosen in the "
        "'Draw' tab; the model in use (the 'Browse' tab) has not changed.",
    ),
    "web.estimate.seconds": ("environ {n} s", "about {n} s"),
    "web.estimate.minutes": ("environ {n} min", "about {n} min"),
    "web.estimate.hours": ("environ {h} h {m}", "about {h} h {m} min"),
    "web.estimate.measured": (
        "d'après l'entraînement de {name} sur cet ordinateur",
        "from the training of {name} on this computer",
    ),
    "web.estimate.reference": ("d'après une mesure sur 2 cœurs", "from a measurement on 2 cores"),
    "web.train.stopped": (
        "Entraînement arrêté après {epochs} : le modèle précédent reste en service.",
        "Training stopped after {epochs}: the previous model stays in use.",
    ),
    # --- the page: frame ---
    "web.page.title": ("Le réseau de neurones du document", "The document's neural network"),
    "web.page.subtitle": (
        "784 → 20 → 10, sigmoïde, appris image par image sur MNIST — « Qu'est-ce qu'un réseau de "
        "neurones artificiels ? »",
        "784 → 20 → 10, sigmoid, learned one image at a time on MNIST — 'Qu'est-ce qu'un réseau de "
        "neurones artificiels ?'",
    ),
    "web.page.lang": ("Langue", "Language"),
    "web.page.close": ("Fermer", "Close"),
    "web.page.offline": (
        "Le serveur ne répond pas ({reason}). Est-il toujours lancé (reseau web) ?",
        "The server does not answer ({reason}). Is it still running (reseau web)?",
    ),
    "web.tab.draw": ("Dessiner", "Draw"),
    "web.tab.browse": ("Parcourir MNIST", "Browse MNIST"),
    "web.tab.train": ("Entraîner", "Train"),
    "web.tab.sigmoid": ("Sigmoïde", "Sigmoid"),
    "web.tab.experiments": ("Expériences", "Experiments"),
    "web.model.summary": (
        "Modèle en service : {sizes}, {mode} — {accuracy} % des 10 000 images de test reconnues",
        "Model in use: {sizes}, {mode} — {accuracy}% of the 10,000 test images recognised",
    ),
    "web.model.none": (
        "Aucun modèle : entraînez-en un dans l'onglet « Entraîner ».",
        "No model: train one in the 'Train' tab.",
    ),
    "web.model.training": (
        "Le réseau du document est en cours d'entraînement…",
        "The document's network is being trained…",
    ),
    # --- the page: draw ---
    "web.draw.hint": (
        "Dessinez un chiffre de 0 à 9 dans le cadre, à la souris, au stylet ou au doigt.",
        "Draw a digit from 0 to 9 in the frame, with the mouse, a pen or a finger.",
    ),
    "web.draw.clear": ("Effacer", "Clear"),
    "web.draw.seen": ("Ce que voit le réseau (28\u00a0×\u00a028)", "What the network sees (28\u00a0×\u00a028)"),
    "web.draw.seen_note": (
        "Comme pour MNIST : le dessin est recadré, réduit dans un carré de 20\u00a0×\u00a020 pixels "
        "(niveaux de gris), centré sur son centre de gravité, et son trait ramené à l'épaisseur de ceux de MNIST.",
        "As for MNIST: the drawing is cropped, scaled into a 20\u00a0×\u00a020 pixel box "
        "(grey levels), centred on its centre of mass, and its stroke brought to MNIST's thickness.",
    ),
    "web.draw.seen_note_plain": (
        "Comme pour MNIST : le dessin est recadré, réduit dans un carré de 20\u00a0×\u00a020 pixels "
        "(niveaux de gris) et centré sur son centre de gravité ; ce réseau a appris à lire les traits fins "
        "comme épais, on ne change pas leur épaisseur.",
        "As for MNIST: the drawing is cropped, scaled into a 20\u00a0×\u00a020 pixel box "
        "(grey levels) and centred on its centre of mass; this network learned to read thin and thick strokes "
        "alike, so their thickness is left as it is.",
    ),
    "web.draw.empty": ("Dessinez un chiffre…", "Draw a digit…"),
    "web.answer": (
        "le réseau de neurones a reconnu le chiffre {digit}",
        "the neural network recognised the digit {digit}",
    ),
    "web.answer.class": ("le réseau de neurones a reconnu : {name}", "the neural network recognised: {name}"),
    "web.outputs.title": ("Sorties o (un neurone par chiffre)", "Outputs o (one neuron per digit)"),
    "web.hidden.title": ("Couche cachée h ({n} neurones)", "Hidden layer h ({n} neurons)"),
    "web.hidden.none": ("(pas de couche cachée)", "(no hidden layer)"),
    "web.draw.model": ("Réseau qui reconnaît le dessin", "Network that recognises the drawing"),
    "web.models.document": ("Le réseau du document — {name}", "The document's network — {name}"),
    "web.models.in_use": ("Le modèle en service — {name}", "The model in use — {name}"),
    "web.models.drawing": ("Le réseau pour les dessins — {name}", "The drawing network — {name}"),
    "web.models.details": ("{kind}, {accuracy} %", "{kind}, {accuracy}%"),
    "web.models.unusable": ("{name} — inutilisable : {error}", "{name} — cannot be used: {error}"),
    "web.draw.model_note": (
        "Le réseau pour les dessins (préréglage « dessin », convolutif) a appris sur des chiffres déformés "
        "comme ceux qu'on trace à la souris ; le réseau du document n'a vu que les chiffres de MNIST. "
        "S'il manque, entraînez-le dans l'onglet « Entraîner ».",
        "The drawing network (the 'dessin' preset, convolutional) learned from digits distorted like those "
        "drawn with a mouse; the document's network has only seen MNIST's digits. "
        "If it is missing, train it in the 'Train' tab.",
    ),
    "web.maps.title": (
        "Ce que voit la 1re convolution : {n} cartes de {h} × {w}",
        "What the first convolution sees: {n} maps of {h} × {w}",
    ),
    "web.maps.note": (
        "Chaque filtre glisse sur toute l'image ; sa carte est noire là où il trouve son motif "
        "(à la sortie du premier bloc : convolution, pooling 2 × 2, ReLU ; toutes à la même échelle).",
        "Each filter slides over the whole image; its map is black where it finds its pattern "
        "(at the output of the first block: convolution, 2 × 2 pooling, ReLU; all on the same scale).",
    ),
    # --- the page: browse ---
    "web.browse.split": ("Images", "Images"),
    "web.browse.train": ("d'entraînement (60 000)", "training (60,000)"),
    "web.browse.test": ("de test (10 000, jamais vues)", "test (10,000, never seen)"),
    "web.browse.prompt": ("Entrer un nombre entre 0 et {last}", "Enter a number between 0 and {last}"),
    "web.browse.show": ("Afficher", "Show"),
    "web.browse.prev": ("◀ précédente", "◀ previous"),
    "web.browse.next": ("suivante ▶", "next ▶"),
    "web.browse.random": ("au hasard", "random"),
    "web.browse.caption": (
        "image n° {index} ({split}) — étiquette : {label}",
        "image #{index} ({split}) — label: {label}",
    ),
    "web.browse.right": ("✓ bonne réponse", "✓ right"),
    "web.browse.wrong": ("✗ erreur : l'étiquette est {label}", "✗ wrong: the label is {label}"),
    "web.browse.split_train": ("entraînement", "training"),
    "web.browse.split_test": ("test", "test"),
    # --- the page: train ---
    "web.train.mode": ("Mode", "Mode"),
    "web.train.preset": ("Préréglage", "Preset"),
    "web.train.epochs": ("Epochs", "Epochs"),
    "web.train.hidden": ("Neurones cachés", "Hidden neurons"),
    "web.train.lr": ("Taux d'apprentissage", "Learning rate"),
    "web.train.seed": ("Graine", "Seed"),
    "web.train.limits": ("de {low} à {high}", "from {low} to {high}"),  # a field's tooltip (GET /api/options)
    "web.train.limits_open": ("plus de {low}, au plus {high}", "more than {low}, at most {high}"),
    "web.train.conv": ("Filtres par convolution", "Filters per convolution"),
    "web.train.kernels": ("Noyaux (côté)", "Kernels (side)"),
    "web.train.dense": ("Neurones des couches denses", "Dense layer neurons"),
    "web.train.estimate": ("Durée estimée : {time} ({basis}).", "Estimated time: {time} ({basis})."),
    "web.train.save_note": (
        "Seul l'entraînement du document tel quel (préréglage « document », valeurs du document) remplace le "
        "modèle en service, « le réseau du document » (ligne d'état, onglet « Parcourir »). Tout autre "
        "entraînement terminé est enregistré à côté, dans le dossier des modèles, sous son propre nom : celui de "
        "son préréglage s'il est inchangé (cnn.safetensors, dessin.safetensors…), suivi de chaque réglage changé "
        "sinon (document-epochs-10.safetensors) ; cette page le choisit aussitôt dans l'onglet « Dessiner ». "
        "Le préréglage « dessin » apprend sur des chiffres déformés comme ceux qu'on dessine : c'est le "
        "meilleur pour l'onglet « Dessiner » ({dessin_time} sur 2 cœurs ; moins d'epochs : plus court). "
        "Arrêter un entraînement n'enregistre rien.",
        "Only the document's training as it is (the 'document' preset, the document's values) replaces the "
        "model in use, 'the document's network' (the status line, the 'Browse' tab). Any other finished training "
        "is saved beside it, in the models folder, under its own name: its preset's if unchanged "
        "(cnn.safetensors, dessin.safetensors…), else followed by each changed setting "
        "(document-epochs-10.safetensors); this page picks it at once in the 'Draw' tab. "
        "The 'dessin' preset learns from digits distorted like those people draw: it is the best one for "
        "the 'Draw' tab ({dessin_time} on 2 cores; fewer epochs: shorter). Stopping a training saves nothing.",
    ),
    "web.train.start": ("Entraîner", "Train"),
    "web.train.stop": ("Arrêter", "Stop"),
    "web.train.reset": ("Valeurs du document", "The document's values"),
    "web.train.defaults_note": (
        "Valeurs du document : 3 epochs, 20 neurones cachés, taux d'apprentissage 0,01. "
        "Faites-les varier : que peut-on en déduire ?",
        "The document's values: 3 epochs, 20 hidden neurons, learning rate 0.01. Vary them: what can we deduce?",
    ),
    "web.train.curve": ("Précision par epoch", "Accuracy per epoch"),
    "web.train.series_precision": (
        "« Précision » du document (pendant l'apprentissage)",
        "The document's 'Précision' (while learning)",
    ),
    "web.train.series_test": ("Test (10 000 images jamais vues)", "Test (10,000 never-seen images)"),
    "web.train.axis_epoch": ("epoch", "epoch"),
    "web.train.axis_accuracy": ("% reconnues", "% recognised"),
    "web.train.progress": ("Epoch {epoch} : {done} / {total} images", "Epoch {epoch}: {done} / {total} images"),
    "web.train.log": ("Ce qu'affiche le programme", "What the program prints"),
    "web.train.idle": (
        "Choisissez les réglages puis cliquez sur « Entraîner » (mode fidèle : environ 0,2 s par epoch).",
        "Choose the settings then click 'Train' (faithful mode: about 0.2 s per epoch).",
    ),
    "web.train.running": ("Entraînement en cours…", "Training…"),
    "web.train.current_model": ("Courbe du modèle en service.", "Curve of the model in use."),
    "web.train.precision_note": (
        "La « Précision » du document compte les images reconnues pendant qu'elles sont apprises ; "
        "le test mesure des images que le réseau n'a jamais vues.",
        "The document's 'Précision' counts images recognised while they are being learned; "
        "the test measures images the network has never seen.",
    ),
    # --- the page: sigmoid ---
    "web.sigmoid.title": ("La sigmoïde : σ(w·x + b)", "The sigmoid: σ(w·x + b)"),
    "web.sigmoid.formula": (
        "σ(z) = 1 / (1 + e^(−z)) : le document l'utilise pour garder les valeurs des neurones entre 0 et 1.",
        "σ(z) = 1 / (1 + e^(−z)): the document uses it to keep the neurons' values between 0 and 1.",
    ),
    "web.sigmoid.w": ("poids w", "weight w"),
    "web.sigmoid.b": ("biais b", "bias b"),
    "web.sigmoid.cases": ("Les trois cas du document :", "The document's three cases:"),
    "web.sigmoid.case": ("w = {w} ; b = {b}", "w = {w}; b = {b}"),  # a case's button (French: a space before ;)
    "web.sigmoid.reference": ("référence : w = 1, b = 0", "reference: w = 1, b = 0"),
    "web.sigmoid.at_zero": ("en x = 0 : σ(b) = {value}", "at x = 0: σ(b) = {value}"),
    "web.sigmoid.explain": (
        "w règle la pente (plus w est grand, plus la marche est raide) ; b décale la courbe.",
        "w sets the slope (the larger w, the steeper the step); b shifts the curve.",
    ),
    # --- the page: experiments ---
    "web.exp.title": ("Résultats des expériences", "Experiment results"),
    "web.exp.empty": (
        "Aucune expérience enregistrée pour l'instant (dossier : {folder}).",
        "No experiment stored yet (folder: {folder}).",
    ),
    "web.exp.how": (
        "Pour répondre à la question du document (« faire varier les epochs, les neurones cachés, "
        "le taux d'apprentissage : que peut-on en déduire ? »), lancez dans un terminal :",
        "To answer the document's question ('vary the epochs, the hidden neurons, the learning rate: "
        "what can we deduce?'), run in a terminal:",
    ),
    "web.exp.then": ("puis rechargez cet onglet.", "then reload this tab."),
    "web.exp.open": ("Ouvrir le rapport complet", "Open the full report"),
    "web.exp.plots": ("Graphiques", "Plots"),
    "web.exp.reload": ("Recharger", "Reload"),
}
