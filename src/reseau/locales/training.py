"""Messages of the modern training part (French, English)."""

MESSAGES: dict[str, tuple[str, str]] = {
    # --- configuration errors ---
    "training.bad_layers": (
        "Couches cachées invalides : {value}. Donnez de 1 à {max_layers} tailles entières entre 1 et "
        "{max_neurons}, séparées par des virgules, par exemple --layers 256,128.",
        "Invalid hidden layers: {value}. Give 1 to {max_layers} whole sizes from 1 to {max_neurons}, "
        "separated by commas, for example --layers 256,128.",
    ),
    "training.smoothing_needs_softmax": (
        "Le lissage des étiquettes ({value}) ne s'applique qu'à la sortie softmax. "
        "Ajoutez --output softmax ou mettez --label-smoothing 0.",
        "Label smoothing ({value}) only applies to the softmax output. "
        "Add --output softmax or set --label-smoothing 0.",
    ),
    "training.drawing_needs_digits": (
        "L'augmentation « drawing » imite des chiffres écrits à la main (elle écrit même des 1 et des 7 à la "
        "française) : elle est faite pour mnist, pas pour {dataset}. Choisissez --augment light ou none.",
        "The « drawing » augmentation imitates handwritten digits (it even writes some 1s and 7s the French "
        "way): it is made for mnist, not for {dataset}. Choose --augment light or none.",
    ),
    "training.too_few_images": (
        "Trop peu d'images : {n} reçues, mais il en faut plus que la validation ({val_size}) "
        "plus un lot ({batch_size}). Réduisez --val-size ou --batch-size.",
        "Too few images: got {n}, but more than the validation set ({val_size}) plus one batch "
        "({batch_size}) are needed. Lower --val-size or --batch-size.",
    ),
    "training.bad_images": (
        "Les images doivent former un tableau (n, 784) (reçu : {shape}).",
        "The images must be an (n, 784) array (got {shape}).",
    ),
    "training.bad_values": (
        "Les images contiennent des valeurs non finies (nan ou inf), {count} en tout : vérifiez leur chargement.",
        "The images hold non-finite values (nan or inf), {count} in all: check how they were loaded.",
    ),
    "training.learned_nothing": (
        "Attention : le réseau n'a rien appris (entraînement {precision:.1f} %, le hasard donne 10 %). "
        "Le taux d'apprentissage {lr} est sans doute trop grand (document : 0,01 ; Adam : 0,001 ; "
        "SGD ou momentum : 0,01 à 0,1).",
        "Warning: the network learned nothing (training {precision:.1f}%, chance gives 10%). "
        "The learning rate {lr} is probably too large (document: 0.01; Adam: 0.001; "
        "SGD or momentum: 0.01 to 0.1).",
    ),
    "training.bad_labels": (
        "Les étiquettes doivent être {n} chiffres de 0 à 9 ou un tableau one-hot ({n}, 10) (reçu : {shape}).",
        "The labels must be {n} digits from 0 to 9 or a one-hot ({n}, 10) array (got {shape}).",
    ),
    "training.diverged": (
        "L'entraînement a divergé à l'epoch {epoch} : les poids ne sont plus des nombres finis.\n"
        "Le taux d'apprentissage {lr} est trop grand pour l'optimiseur {optimizer} ; "
        "divisez-le par 10 (Adam : 0,001 ; SGD avec softmax : 0,1).",
        "Training diverged at epoch {epoch}: the weights are no longer finite numbers.\n"
        "The learning rate {lr} is too large for the {optimizer} optimizer; "
        "divide it by 10 (Adam: 0.001; SGD with softmax: 0.1).",
    ),
    # --- command line: reseau train --mode modern ---
    "training.cli.help": (
        "Entraîner le réseau du document sur MNIST (NN.py, à l'identique mais rapide), puis mesurer sa "
        "précision sur les 10 000 images de test. Avec --preset better ou best (ou --mode modern), "
        "entraîner plutôt un réseau moderne : mini-lots, softmax, ReLU, Adam, dropout… ; avec --preset cnn "
        "ou dessin, un réseau convolutif.",
        "Train the document's network on MNIST (NN.py, exactly but fast), then measure its accuracy on "
        "the 10,000 test images. With --preset better or best (or --mode modern), train a modern "
        "network instead: mini-batches, softmax, ReLU, Adam, dropout…; with --preset cnn or dessin, "
        "a convolutional network.",
    ),
    "training.opt.epochs": (
        "Nombre d'epochs (passages sur les images d'entraînement). Document : 3 ; moderne : selon le préréglage.",
        "Number of epochs (passes over the training images). Document: 3; modern: from the preset.",
    ),
    "training.opt.hidden": (
        "Neurones de la couche cachée (document : 20). En mode moderne, équivaut à --layers N.",
        "Neurons in the hidden layer (document: 20). In modern mode, the same as --layers N.",
    ),
    "training.opt.learn_rate": (
        "Taux d'apprentissage (learn_rate). Document : 0,01 ; moderne : selon le préréglage.",
        "Learning rate (learn_rate). Document: 0.01; modern: from the preset.",
    ),
    "training.opt.seed": (
        "Graine du hasard (poids initiaux ; en mode moderne aussi l'ordre des images, le dropout…). Défaut : 0.",
        "Random seed (initial weights; in modern mode also the order of images, dropout…). Default: 0.",
    ),
    "training.opt.engine": (
        "Moteur du mode fidèle : fast (compilé, défaut) ou reference (NumPy ligne à ligne).",
        "Engine of the faithful mode: fast (compiled, default) or reference (NumPy line by line).",
    ),
    "training.opt.mode": (
        "faithful (défaut : l'algorithme du document à l'identique), modern (mini-lots et idées récentes) "
        "ou cnn (réseau convolutif).",
        "faithful (default: the document's algorithm exactly), modern (mini-batches and newer ideas) "
        "or cnn (convolutional network).",
    ),
    # the numbers come from reseau.measured.MEASURED (help_claims)
    "training.opt.preset": (
        "Réglages tout faits : document (= faithful), better (≈ {better} % en {better_time}), "
        "best (≈ {best} % en {best_time}), best-augment (≈ {augment} % en {augment_time}, "
        "avec augmentation des données) ; convolutifs : cnn (≈ {cnn} % en {cnn_time}) et dessin "
        "(≈ {dessin} % en {dessin_time}, le meilleur pour lire des chiffres dessinés).",
        "Ready-made settings: document (= faithful), better (≈ {better}% in {better_time}), "
        "best (≈ {best}% in {best_time}), best-augment (≈ {augment}% in {augment_time}, with data augmentation); "
        "convolutional: cnn (≈ {cnn}% in {cnn_time}) and dessin (≈ {dessin}% in {dessin_time}, the best at "
        "reading drawn digits).",
    ),
    # a preset's measured time (reseau.measured); a no-break space keeps the unit by its number
    "measured.seconds": ("{low} à {high}\u00a0s", "{low}–{high}\u00a0s"),
    "measured.seconds_about": ("environ {n}\u00a0s", "about {n}\u00a0s"),
    "measured.minutes": ("{low} à {high}\u00a0min", "{low}–{high}\u00a0min"),
    "measured.minutes_about": ("environ {n}\u00a0min", "about {n}\u00a0min"),
    "training.opt.layers": (
        "Tailles des couches cachées, séparées par des virgules, par exemple 256,128.",
        "Sizes of the hidden layers, separated by commas, for example 256,128.",
    ),
    "training.opt.activation": (
        "Activation des couches cachées : sigmoid (document), tanh ou relu.",
        "Activation of the hidden layers: sigmoid (document), tanh or relu.",
    ),
    "training.opt.output": (
        "Couche de sortie : sigmoid (document, delta_o = o - l) ou softmax (+ entropie croisée).",
        "Output layer: sigmoid (document, delta_o = o - l) or softmax (+ cross-entropy).",
    ),
    "training.opt.init": (
        "Poids initiaux : uniform (document, entre -0,5 et 0,5), xavier ou he.",
        "Initial weights: uniform (document, between -0.5 and 0.5), xavier or he.",
    ),
    "training.opt.optimizer": (
        "Règle de mise à jour : sgd (document), momentum ou adam.",
        "Update rule: sgd (document), momentum or adam.",
    ),
    "training.opt.batch_size": ("Images par mise à jour (document : 1).", "Images per update (document: 1)."),
    "training.opt.schedule": (
        "Évolution du taux d'apprentissage : none (constant), step (÷10 à 50 % et 75 %) ou cosine.",
        "Learning rate over time: none (constant), step (÷10 at 50% and 75%) or cosine.",
    ),
    "training.opt.weight_decay": (
        "Décroissance L2 des poids à chaque pas (0 = aucune ; essayez 0.0001).",
        "L2 decay of the weights at each step (0 = none; try 0.0001).",
    ),
    "training.opt.dropout": (
        "Part des neurones cachés éteints à chaque mise à jour (0 = aucun ; essayez 0.3).",
        "Fraction of hidden neurons switched off at each update (0 = none; try 0.3).",
    ),
    "training.opt.input_dropout": (
        "Part des pixels d'entrée éteints à chaque mise à jour (0 = aucun).",
        "Fraction of input pixels switched off at each update (0 = none).",
    ),
    "training.opt.label_smoothing": (
        "Lissage des étiquettes (softmax seulement) : viser 1 - s au lieu de 1 (essayez 0.1).",
        "Label smoothing (softmax only): aim at 1 - s instead of 1 (try 0.1).",
    ),
    "training.opt.augment": (
        "Augmentation des données : none (aucune), light (petits décalages, rotations et zooms aléatoires) "
        "ou drawing (ce que les gens écrivent : tailles, inclinaisons, traits plus fins ou plus épais, feutres, "
        "scans flous, crayons pâles, des 1 et des 7 à la française ; chiffres seulement).",
        "Data augmentation: none, light (small random shifts, rotations and zooms) "
        "or drawing (what people write: sizes, slants, thinner or thicker strokes, markers, blurred scans, "
        "faint pencils, 1s and 7s written the French way; digits only).",
    ),
    "training.opt.val_size": (
        "Dernières images d'entraînement mises de côté pour choisir la meilleure epoch (défaut : 10000 ; 0 = aucune).",
        "Last training images held out to choose the best epoch (default: 10000; 0 = none).",
    ),
    "training.opt.patience": (
        "Arrêter après N epochs sans progrès en validation (0 = jamais).",
        "Stop after N epochs without progress on validation (0 = never).",
    ),
    "training.opt.conv": (
        "Filtres de chaque bloc de convolution, séparés par des virgules, par exemple 32,64.",
        "Filters of each convolution block, separated by commas, for example 32,64.",
    ),
    "training.opt.kernels": (
        "Côté des noyaux de chaque bloc (un par bloc), par exemple 5,3.",
        "Side of each block's kernels (one per block), for example 5,3.",
    ),
    "training.opt.dense": (
        "Couches denses après les convolutions, séparées par des virgules, par exemple 128.",
        "Dense layers after the convolutions, separated by commas, for example 128.",
    ),
    "training.opt.batch_norm": (
        "Normaliser les canaux de chaque bloc sur le lot (batch norm).",
        "Standardise each block's channels over the batch (batch norm).",
    ),
    # the kinds of network (reseau.kinds), as a user calls them
    "kind.faithful": ("fidèle au document", "faithful to the document"),
    "kind.modern": ("moderne", "modern"),
    "kind.cnn": ("convolutif", "convolutional"),
    # after each option's sentence: its limits, and the kinds of network that have it
    "training.opt.range": ("De {low} à {high}.", "From {low} to {high}."),
    "training.opt.kinds": ("Réseaux : {kinds}.", "Networks: {kinds}."),
    "training.bad_sizes": (
        "« {value} » ne convient pas à {option} : écrivez des nombres entiers séparés par des virgules, "
        "par exemple 32,64.",
        "“{value}” does not fit {option}: write whole numbers separated by commas, for example 32,64.",
    ),
    # --- command line: what modern training prints ---
    "training.header": (
        "Réseau {sizes} (à partir du préréglage {preset}) : {activation}, sortie {output}, poids {init}, {optimizer}, "
        "taux {lr} ({schedule}), lots de {batch}, {epochs}, dropout {dropout}/{input_dropout} "
        "(entrée), décroissance {decay}, lissage {smoothing}, augmentation {augment}, validation {val}, "
        "graine {seed}",
        "Network {sizes} (starting from preset {preset}): {activation}, output {output}, init {init}, {optimizer}, "
        "rate {lr} ({schedule}), batches of {batch}, {epochs}, dropout {dropout}/{input_dropout} "
        "(input), decay {decay}, smoothing {smoothing}, augmentation {augment}, validation {val}, "
        "seed {seed}",
    ),
    "training.yes": ("oui", "yes"),
    "training.no": ("non", "no"),
    "training.epoch_line": (
        "Epoch {epoch}/{total} : entraînement {precision:.2f} %, validation {val:.2f} %, "
        "perte {loss:.4f}, {seconds:.1f} s{mark}",
        "Epoch {epoch}/{total}: training {precision:.2f}%, validation {val:.2f}%, "
        "loss {loss:.4f}, {seconds:.1f} s{mark}",
    ),
    "training.epoch_line_no_val": (
        "Epoch {epoch}/{total} : entraînement {precision:.2f} %, perte {loss:.4f}, {seconds:.1f} s{mark}",
        "Epoch {epoch}/{total}: training {precision:.2f}%, loss {loss:.4f}, {seconds:.1f} s{mark}",
    ),
    "training.note_no_validation": (
        "(« entraînement » = images reconnues pendant l'apprentissage, avec dropout et augmentation s'il y en a ; "
        "le test mesure des images jamais vues.)",
        "('training' counts images recognised while being learned, with dropout and augmentation if any; "
        "the test measures never-seen images.)",
    ),
    "training.best_epoch": (
        "Meilleure epoch selon la validation : {epoch} ({val:.2f} %) — c'est ce réseau qui est gardé.",
        "Best epoch on validation: {epoch} ({val:.2f}%) — this is the network kept.",
    ),
    "training.note": (
        "(« entraînement » = images reconnues pendant l'apprentissage, avec dropout et augmentation s'il y en a ; "
        "la validation choisit l'epoch gardée ; le test, jamais utilisé pour choisir, mesure des images "
        "jamais vues.)",
        "('training' counts images recognised while being learned, with dropout and augmentation if any; "
        "validation chooses the epoch kept; the test, never used to choose, measures never-seen images.)",
    ),
    # --- the convolutional network ---
    "cnn.header": (
        "Réseau convolutif (préréglage {preset}) : convolutions {conv} de {kernels}, couches denses {dense}, "
        "normalisation {batch_norm}, dropout {dropout}, {optimizer}, taux {lr} ({schedule}), lots de {batch}, "
        "{epochs}, augmentation {augment}, graine {seed}",
        "Convolutional network (preset {preset}): {conv} convolutions of {kernels}, dense layers {dense}, "
        "batch norm {batch_norm}, dropout {dropout}, {optimizer}, rate {lr} ({schedule}), batches of {batch}, "
        "{epochs}, augmentation {augment}, seed {seed}",
    ),
    "cnn.too_small": (
        "Des convolutions de noyaux {kernels} ne tiennent pas dans une image de 28x28 (chacune retire "
        "la taille du noyau moins 1 pixels puis divise par 2) : prenez 1 à 3 convolutions et des noyaux plus petits.",
        "Convolutions with kernels {kernels} do not fit a 28x28 image (each removes the kernel size "
        "minus 1 pixels, then halves it): use 1 to 3 convolutions and smaller kernels.",
    ),
    "cnn.kernels": (
        "Donnez une taille de noyau par convolution (convolutions : {conv} ; tailles de noyau : {kernels}).",
        "Give one kernel size per convolution (convolutions: {conv}; kernel sizes: {kernels}).",
    ),
}
