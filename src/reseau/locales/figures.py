"""Messages of the figures part (French, English): figure texts and the ``reseau figures`` command."""

MESSAGES: dict[str, tuple[str, str]] = {
    # --- shared words ---
    "figures.split.train": ("entraînement", "train"),
    "figures.split.test": ("test", "test"),
    "figures.images_of.train": ("images d'entraînement", "training images"),
    "figures.images_of.test": ("images de test", "test images"),
    "figures.subtitle": (
        "image n° {index} ({split}) — étiquette : {label}",
        "image #{index} ({split}) — label: {label}",
    ),
    # --- 1. sigmoid ---
    "figures.sigmoid.title": (
        "La sigmoïde σ(w·x + b) = 1 / (1 + exp(−(w·x + b)))",
        "The sigmoid σ(w·x + b) = 1 / (1 + exp(−(w·x + b)))",
    ),
    "figures.sigmoid.panel": ("w = {w}    b = {b}", "w = {w}    b = {b}"),
    "figures.sigmoid.step": (
        "Une marche à cette échelle :\nσ passe de 0,01 à 0,99\nquand x avance de {width}.",
        "A step at this scale:\nσ goes from 0.01 to 0.99\nas x moves by {width}.",
    ),
    "figures.sigmoid.flat": (
        "σ ≈ {y} dans tout le cadre :\nle milieu x = −b/w = {x}\nest hors du cadre.",
        "σ ≈ {y} across the frame:\nthe middle x = −b/w = {x}\nis outside it.",
    ),
    "figures.sigmoid.middle": ("σ = 0,5 en x = −b/w = {x}", "σ = 0.5 at x = −b/w = {x}"),
    "figures.sigmoid.caption": (
        (
            "w règle la pente (plus w est grand, plus la marche est raide) ; "
            "b décale la courbe (le milieu σ = 0,5 est en x = −b/w)."
        ),
        (
            "w sets the steepness (the larger w, the sharper the step); "
            "b shifts the curve (the middle σ = 0.5 is at x = −b/w)."
        ),
    ),
    # --- 2. digit grid ---
    "figures.digits.title": (
        "{dataset} : {per} exemples réels par classe (graine {seed})",
        "{dataset}: {per} real examples per class (seed {seed})",
    ),
    "figures.digits.title_one": (
        "{dataset} : un exemple réel par classe (graine {seed})",
        "{dataset}: one real example per class (seed {seed})",
    ),
    "figures.digits.caption": (
        "Une ligne par classe, tirée au hasard parmi les {n} {images}.",
        "One row per class, drawn at random from the {n} {images}.",
    ),
    # --- 3. sample ---
    "figures.sample.title": (
        "Ce qui entre dans le réseau : l'image n° {index} ({split}) et son étiquette",
        "What goes into the network: image #{index} ({split}) and its label",
    ),
    "figures.sample.pixels": (
        "28 × 28 pixels, niveau de gris de 0 (blanc) à 255 (noir)",
        "28 × 28 pixels, grey level from 0 (white) to 255 (black)",
    ),
    "figures.sample.onehot": (
        "labels[{index}] : étiquette {label}\nune ligne du tableau {shape}",
        "labels[{index}]: label {label}\none row of the {shape} array",
    ),
    "figures.sample.strip": (
        ("images[{index}] : une ligne du tableau {shape} — les 784 pixels à la suite, divisés par 255 (entre 0 et 1)"),
        ("images[{index}]: one row of the {shape} array — the 784 pixels in a row, divided by 255 (between 0 and 1)"),
    ),
    "figures.sample.caption": (
        (
            "get_mnist() charge images {images} et labels {labels} : "
            "chaque image devient une ligne de 784 nombres, chaque étiquette un vecteur « un parmi 10 »."
        ),
        (
            "get_mnist() loads images {images} and labels {labels}: "
            "each image becomes a row of 784 numbers, each label a 'one of 10' vector."
        ),
    ),
    # --- 4. network ---
    "figures.network.title": (
        "Le réseau {sizes} : les liaisons colorées par les poids appris",
        "The {sizes} network: connections coloured by the learned weights",
    ),
    "figures.network.input": ("couche d'entrée\n{n} pixels", "input layer\n{n} pixels"),
    "figures.network.hidden": ("couche cachée\n{n} neurones ({act})", "hidden layer\n{n} neurons ({act})"),
    "figures.network.output": ("couche de sortie\n{n} neurones ({act})", "output layer\n{n} neurons ({act})"),
    "figures.network.shown": ("{shown} sur {n} montrés", "{shown} of {n} shown"),
    "figures.network.importance": (
        "importance des pixels Σ|w|\n(● : les {shown} dessinés)",
        "pixel importance Σ|w|\n(●: the {shown} drawn)",
    ),
    "figures.network.signal": (
        "signal moyen par pixel\nmoyenne(pixel) × Σ|w|\n(● : les {shown} dessinés)",
        "mean signal per pixel\nmean(pixel) × Σ|w|\n(●: the {shown} drawn)",
    ),
    "figures.network.caption": (
        (
            "Rouge : poids positif, bleu : poids négatif ; plus le trait est foncé et épais, plus le poids est fort "
            "(échelle propre à chaque couche)."
        ),
        (
            "Red: positive weight, blue: negative weight; the darker and thicker the line, the stronger the weight "
            "(each layer on its own scale)."
        ),
    ),
    "figures.network.weight": ("poids (relatif)", "weight (relative)"),
    # --- 5. neurons ---
    "figures.neurons.title": (
        "Ce que regarde chaque neurone caché : ses {n_in} poids d'entrée en image {side} × {side}",
        "What each hidden neuron looks for: its {n_in} input weights as a {side} × {side} image",
    ),
    "figures.neurons.tile": ("neurone {k}", "neuron {k}"),
    "figures.neurons.shown": ("(les {shown} premiers sur {n})", "(the first {shown} of {n})"),
    "figures.neurons.caption": (
        (
            "Rouge : un pixel allumé à cet endroit augmente l'entrée du neurone ; bleu : il la diminue ; "
            "blanc : poids nul.\nLe bruit sur les bords : ces pixels valent toujours 0, "
            "leurs poids n'ont jamais changé depuis le tirage au hasard."
        ),
        (
            "Red: a lit pixel at this place raises the neuron's input; blue: it lowers it; white: zero weight.\n"
            "The noise near the edges: those pixels are always 0, so their weights never moved from the random start."
        ),
    ),
    "figures.neurons.colorbar": ("poids", "weight"),
    # --- 6. forward ---
    "figures.forward.title": (
        "Une prédiction, couche par couche — le réseau a reconnu : {name}",
        "One prediction, layer by layer — the network recognised: {name}",
    ),
    "figures.forward.image": ("img : l'entrée ({n} pixels)", "img: the input ({n} pixels)"),
    "figures.forward.h_doc": ("h = σ(w_i_h @ img + b_i_h)", "h = σ(w_i_h @ img + b_i_h)"),
    "figures.forward.o_doc": ("o = σ(w_h_o @ h + b_h_o)", "o = σ(w_h_o @ h + b_h_o)"),
    "figures.forward.hidden": ("couche cachée {k}\n{n} neurones ({act})", "hidden layer {k}\n{n} neurons ({act})"),
    "figures.forward.output": ("sortie o\n{n} neurones ({act})", "output o\n{n} neurons ({act})"),
    "figures.forward.neuron": ("neurone", "neuron"),
    "figures.forward.caption": (
        "{chain} ; le chiffre reconnu est l'indice du plus grand o (o.argmax()).",
        "{chain}; the recognised digit is the index of the largest o (o.argmax()).",
    ),
    "figures.forward.caption_class": (
        "{chain} ; la classe reconnue est l'indice du plus grand o (o.argmax()).",
        "{chain}; the recognised class is the index of the largest o (o.argmax()).",
    ),
    # --- 7. curves ---
    "figures.curves.title": ("Courbes d'apprentissage", "Learning curves"),
    "figures.curves.subtitle_cnn": (
        "réseau convolutif ({conv} filtres), taux d'apprentissage {lr}, graine {seed}",
        "convolutional network ({conv} filters), learning rate {lr}, seed {seed}",
    ),
    "figures.curves.subtitle": (
        "réseau {sizes}, taux d'apprentissage {lr}, graine {seed}",
        "network {sizes}, learning rate {lr}, seed {seed}",
    ),
    "figures.curves.precision": (
        "« Précision » affichée pendant l'entraînement (le nombre du document)",
        "'Précision' printed during training (the document's number)",
    ),
    "figures.curves.precision_modern": (
        "exactitude d'entraînement, comptée pendant l'apprentissage",
        "training accuracy, counted while learning",
    ),
    "figures.curves.val_accuracy": ("exactitude de validation", "validation accuracy"),
    "figures.curves.test_accuracy": (
        "exactitude sur les images de test jamais vues",
        "accuracy on the never-seen test images",
    ),
    "figures.curves.last": ("{label} (fin : {value:.2f} %)", "{label} (last: {value:.2f}%)"),
    "figures.curves.kept": (
        "{label} (réseau gardé, epoch {epoch} : {value:.2f} %)",
        "{label} (kept network, epoch {epoch}: {value:.2f}%)",
    ),
    "figures.curves.kept_line": ("réseau gardé : epoch {epoch}", "network kept: epoch {epoch}"),
    "figures.curves.xlabel": ("epoch", "epoch"),
    "figures.curves.ylabel": ("images reconnues (%)", "images recognised (%)"),
    "figures.curves.caption": (
        (
            "La « Précision » compte les images reconnues pendant qu'elles sont apprises ; "
            "le test mesure des images que le réseau n'a jamais vues."
        ),
        (
            "The 'Précision' counts images recognised while they are being learned; "
            "the test measures images the network has never seen."
        ),
    ),
    # --- 8. errors ---
    "figures.errors.title": (
        "Les erreurs du réseau sur les {n} images de test (exactitude {accuracy:.2f} %)",
        "The network's mistakes on the {n} test images (accuracy {accuracy:.2f}%)",
    ),
    "figures.errors.confusion": ("Matrice de confusion", "Confusion matrix"),
    "figures.errors.true": ("vraie classe", "true class"),
    "figures.errors.predicted": ("classe prédite", "predicted class"),
    "figures.errors.mistakes": (
        "Les {n} erreurs les plus sûres d'elles (sur {wrong})",
        "The {n} most confident mistakes (of {wrong})",
    ),
    "figures.errors.tile": (
        "vrai {true} / prédit {pred}\no = {value:.2f}",
        "true {true} / predicted {pred}\no = {value:.2f}",
    ),
    "figures.errors.tile_long": (
        "vrai : {true}\nprédit : {pred}\no = {value:.2f}",
        "true: {true}\npredicted: {pred}\no = {value:.2f}",
    ),
    "figures.errors.none": ("Aucune erreur !", "No mistakes!"),
    "figures.errors.caption": (
        (
            "Ligne : la vraie classe ; colonne : la réponse du réseau. Hors diagonale : les erreurs "
            "(couleur : leur nombre). « o » : la valeur de sortie du neurone choisi."
        ),
        (
            "Row: the true class; column: the network's answer. Off the diagonal: the mistakes "
            "(colour: how many). 'o': the output value of the chosen neuron."
        ),
    ),
    # --- Fashion-MNIST class names, in the user's language ---
    # --- a convolutional network: its filters, its feature maps ---
    "figures.filters.title": (
        "Les {n} filtres de la première convolution : des noyaux de {k} × {k} poids appris",
        "The {n} filters of the first convolution: kernels of {k} × {k} learned weights",
    ),
    "figures.filters.tile": ("filtre {k}", "filter {k}"),
    "figures.filters.caption": (
        "Chaque filtre glisse sur toute l'image et répond là où les pixels ressemblent à son motif : "
        "rouge, un pixel allumé à cet endroit du carré {k} × {k} augmente la réponse ; bleu, il la diminue. "
        "Un même filtre cherche son motif partout : un trait déplacé reste le même trait.",
        "Each filter slides over the whole image and responds where the pixels look like its pattern: "
        "red, a lit pixel at that place of the {k} × {k} square raises the response; blue, it lowers it. "
        "One filter looks for its pattern everywhere: a stroke moved is the same stroke.",
    ),
    "figures.maps.title": (
        "Ce que voient les convolutions dans l'image n° {index} ({split}) : une carte par filtre",
        "What the convolutions see in image #{index} ({split}): one map per filter",
    ),
    "figures.maps.block": (
        "bloc {block} : {n} cartes de {h} × {w} ({steps})",
        "block {block}: {n} maps of {h} × {w} ({steps})",
    ),
    "figures.maps.conv": ("convolution {k} × {k}", "{k} × {k} convolution"),
    "figures.maps.pool": ("pooling 2 × 2", "2 × 2 pooling"),
    "figures.maps.batchnorm": ("normalisation", "batch norm"),
    "figures.maps.relu": ("ReLU", "ReLU"),
    "figures.maps.input": ("image n° {index} ({split})", "image #{index} ({split})"),
    "figures.maps.label": ("étiquette : {label}", "label: {label}"),
    "figures.maps.answer": ("le réseau a reconnu : {name}", "the network recognised: {name}"),
    "figures.maps.caption": (
        "Noir : le filtre trouve fort son motif à cet endroit (une échelle par bloc). Le bloc 2 combine les "
        "cartes du bloc 1 : ses motifs sont plus grands et plus abstraits, ses cartes plus petites.",
        "Black: the filter finds its pattern strongly at that place (one scale per block). Block 2 combines "
        "block 1's maps: its patterns are larger and more abstract, its maps smaller.",
    ),
    "figures.class.fashion-mnist.0": ("T-shirt/haut", "T-shirt/top"),
    "figures.class.fashion-mnist.1": ("Pantalon", "Trouser"),
    "figures.class.fashion-mnist.2": ("Pull", "Pullover"),
    "figures.class.fashion-mnist.3": ("Robe", "Dress"),
    "figures.class.fashion-mnist.4": ("Manteau", "Coat"),
    "figures.class.fashion-mnist.5": ("Sandale", "Sandal"),
    "figures.class.fashion-mnist.6": ("Chemise", "Shirt"),
    "figures.class.fashion-mnist.7": ("Basket", "Sneaker"),
    "figures.class.fashion-mnist.8": ("Sac", "Bag"),
    "figures.class.fashion-mnist.9": ("Bottine", "Ankle boot"),
    "figures.dataset.mnist": ("Chiffres de MNIST", "MNIST digits"),
    "figures.dataset.fashion-mnist": ("Vêtements de Fashion-MNIST", "Fashion-MNIST clothes"),
    # --- the command ---
    "cli.figures.help": (
        "Les figures du document et un regard à l'intérieur du réseau entraîné (PNG ou SVG).",
        "The document's figures and a look inside the trained network (PNG or SVG).",
    ),
    "cli.figures.sigmoid": (
        "La sigmoïde σ(w·x + b) pour les trois cas du document (ou --w/--b).",
        "The sigmoid σ(w·x + b) for the document's three cases (or --w/--b).",
    ),
    "cli.figures.digits": (
        "La planche des chiffres 0 à 9 : une ligne par chiffre, de vraies images.",
        "The sheet of digits 0 to 9: one row per digit, real images.",
    ),
    "cli.figures.sample": (
        "Ce qui entre : une image en 28 × 28 niveaux de gris, son étiquette et son vecteur « un parmi 10 ».",
        "What goes in: one image as 28 × 28 grey levels, its label and its one-hot vector.",
    ),
    "cli.figures.network": (
        "Le réseau dessiné en couches, liaisons colorées par les poids appris.",
        "The network drawn as layers, connections coloured by the learned weights.",
    ),
    "cli.figures.neurons": (
        "Ce que regarde chaque neurone caché : ses poids en image 28 × 28.",
        "What each hidden neuron looks for: its weights as a 28 × 28 image.",
    ),
    "cli.figures.forward": (
        "Une prédiction couche par couche : l'image, h, puis o.",
        "One prediction layer by layer: the image, h, then o.",
    ),
    "cli.figures.curves": (
        "Les courbes d'apprentissage enregistrées avec le modèle (« Précision » et test).",
        "The learning curves stored with the model ('Précision' and test).",
    ),
    "cli.figures.errors": (
        "Matrice de confusion sur les images de test et erreurs les plus sûres d'elles.",
        "Confusion matrix on the test images and the most confident mistakes.",
    ),
    "cli.figures.filters": (
        "Réseau convolutif : les noyaux appris par sa première convolution, en petites images.",
        "Convolutional network: the kernels its first convolution learned, as small images.",
    ),
    "cli.figures.feature_maps": (
        "Réseau convolutif : une image et ce qu'y voient ses convolutions, une carte par filtre.",
        "Convolutional network: one image and what its convolutions see in it, one map per filter.",
    ),
    "cli.figures.skipped": ("Sautées (pas pour ce modèle) : {names}.", "Skipped (not for this model): {names}."),
    "cli.figures.all": (
        "Toutes les figures d'un coup, dans --out (sans ouvrir de fenêtre).",
        "Every figure at once, into --out (no window is opened).",
    ),
    "cli.figures.opt.out": ("Dossier où écrire les figures.", "Folder to write the figures into."),
    "cli.figures.opt.format": ("Format : png ou svg.", "Format: png or svg."),
    "cli.figures.opt.dpi": (
        "Points par pouce du PNG (100 : une figure de 8 pouces fait 800 pixels de large).",
        "Dots per inch of the PNG (100: a figure 8 inches wide is 800 pixels wide).",
    ),
    "cli.figures.opt.no_show": (
        "Ne pas ouvrir de fenêtre, même si un écran est disponible.",
        "Do not open a window, even when a display is available.",
    ),
    "cli.figures.opt.w": (
        "Pente w d'une courbe (répétable ; avec autant de --b, sinon b = 0).",
        "Steepness w of one curve (repeatable; with as many --b, else b = 0).",
    ),
    "cli.figures.opt.b": ("Décalage b d'une courbe (répétable).", "Shift b of one curve (repeatable)."),
    "cli.figures.opt.per_digit": ("Exemples par chiffre (1 à 40).", "Examples per digit (1 to 40)."),
    "cli.figures.opt.seed": ("Graine du tirage des exemples.", "Seed used to draw the examples."),
    "cli.figures.opt.index": ("Numéro de l'image.", "Number of the image."),
    "cli.figures.opt.test": ("Prendre l'image parmi celles de test.", "Take the image from the test set."),
    "cli.figures.opt.mistakes": ("Nombre d'erreurs montrées (1 à 60).", "Number of mistakes shown (1 to 60)."),
    "cli.figures.written": ("Figure écrite : {path}", "Figure written: {path}"),
    # --- user mistakes ---
    "figures.bad_index": (
        ("Numéro d'image hors limites : {index}. Choisissez un nombre entre 0 et {last} (les {n} {images})."),
        ("Image number out of range: {index}. Choose a number between 0 and {last} (the {n} {images})."),
    ),
    "figures.bad_format": (
        "Format inconnu : « {value} ». Choix possibles : png, svg.",
        "Unknown format: '{value}'. Choose png or svg.",
    ),
    "figures.bad_range": (
        "{option} doit être un entier entre {low} et {high} (reçu : {value}).",
        "{option} must be a whole number from {low} to {high} (got {value}).",
    ),
    "figures.bad_number": (
        "{option} doit être un nombre fini (reçu : {value}).",
        "{option} must be a finite number (got {value}).",
    ),
    "figures.wb_mismatch": (
        ("Il faut autant de --b que de --w (reçu : {n_w} --w et {n_b} --b). Exemple : --w 1 --b 0 --w 4 --b 2"),
        ("Give as many --b as --w (got {n_w} --w and {n_b} --b). Example: --w 1 --b 0 --w 4 --b 2"),
    ),
    "figures.too_many_curves": ("Trop de courbes : {n} (au plus {limit}).", "Too many curves: {n} (at most {limit})."),
    "figures.not_a_folder": (
        "--out doit être un dossier, mais {path} est un fichier. Choisissez un dossier.",
        "--out must be a folder, but {path} is a file. Choose a folder.",
    ),
    "figures.cannot_write": (
        "Impossible d'écrire la figure {path} : {reason}.",
        "Cannot write the figure {path}: {reason}.",
    ),
    "figures.no_history": (
        (
            "Le modèle {path} ne contient pas d'historique d'entraînement par epoch.\n"
            "Entraînez-en un nouveau avec : reseau train   (l'historique est enregistré avec le modèle)"
        ),
        (
            "The model {path} holds no per-epoch training history.\n"
            "Train a new one with: reseau train   (the history is saved with the model)"
        ),
    ),
    "figures.needs_layers": (
        "La figure « {figure} » montre les neurones d'un réseau à couches de neurones, mais ce modèle est "
        "convolutif. Pour lui : reseau figures filters (ses noyaux) ou reseau figures feature-maps (ce qu'il voit).",
        "The '{figure}' figure shows the neurons of a network of layers of neurons, but this model is "
        "convolutional. For it: reseau figures filters (its kernels) or reseau figures feature-maps (what it sees).",
    ),
    "figures.needs_conv": (
        "La figure « {figure} » montre les filtres d'un réseau convolutif, mais ce modèle est un réseau à couches "
        "de neurones ({sizes}). Pour lui : reseau figures neurons ; un réseau convolutif : reseau train --preset cnn.",
        "The '{figure}' figure shows the filters of a convolutional network, but this model is a network of "
        "layers of neurons ({sizes}). For it: reseau figures neurons; a convolutional network: reseau train "
        "--preset cnn.",
    ),
    "figures.not_square": (
        "Les poids d'entrée du réseau ont {n} valeurs par neurone : ce n'est pas une image carrée.",
        "The network's input weights have {n} values per neuron: that is not a square image.",
    ),
}
