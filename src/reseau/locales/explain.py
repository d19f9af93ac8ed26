"""Messages of one learning step shown number by number (French, English):
``reseau explain``, the figures ``backprop`` and ``derivative``, the page's « Pas à pas » tab (``web.step.``)."""

MESSAGES: dict[str, tuple[str, str]] = {
    # --- reseau explain: the command and its options ---
    "explain.cli.help": (
        "Un pas d'apprentissage du document sur une image, nombre par nombre : h, o, delta_o = o - l, "
        "les poids qui changent, delta_h, et la sortie du bon chiffre avant et après.",
        "One learning step of the document on one image, number by number: h, o, delta_o = o - l, "
        "the weights that change, delta_h, and the right digit's output before and after.",
    ),
    "explain.cli.figures_backprop": (
        "Un pas d'apprentissage en une image : l'image, h et o avant, delta_o, delta_h, le changement de w_i_h "
        "(20 petites images 28 × 28) et o après (--index, départ --seed ou --model).",
        "One learning step in one picture: the image, h and o before, delta_o, delta_h, the change to w_i_h "
        "(20 small 28 × 28 images) and o after (--index, start --seed or --model).",
    ),
    "explain.cli.figures_derivative": (
        "Ce que dit une dérivée : le coût de l'image en fonction du poids qui bouge le plus, sa tangente "
        "(la pente du pas) et le pas −learn_rate × gradient.",
        "What a derivative says: the image's cost as a function of the weight that moves the most, its tangent "
        "(the step's slope) and the step −learn_rate × gradient.",
    ),
    "explain.opt.index": ("Numéro de l'image apprise.", "Number of the image learned."),
    "explain.opt.seed": (
        "Partir des poids au hasard du document tirés avec cette graine (défaut : 0).",
        "Start from the document's random weights drawn with this seed (default: 0).",
    ),
    "explain.opt.model": (
        "Partir d'un réseau entraîné (un fichier modèle du réseau du document).",
        "Start from a trained network (a model file of the document's network).",
    ),
    "explain.opt.steps": (
        "Continuer sur les images suivantes : ce nombre de pas, chacun repartant du précédent (1 à 100).",
        "Go on through the following images: this many steps, each starting where the last ended (1 to 100).",
    ),
    "explain.opt.lr": (
        "Taux d'apprentissage (défaut : celui du modèle, sinon celui du document, 0,01).",
        "Learning rate (default: the model's, else the document's, 0.01).",
    ),
    "explain.opt.json": (
        "Écrire toutes les grandeurs en JSON (pour un script) au lieu des tableaux.",
        "Write every quantity as JSON (for a script) instead of the tables.",
    ),
    # --- where the step starts, and mistakes ---
    "explain.start.seed": (
        "les poids au hasard du document (graine {seed})",
        "the document's random weights (seed {seed})",
    ),
    "explain.start.model": ("le réseau entraîné {path}", "the trained network {path}"),
    "explain.seed_and_model": (
        "--seed et --model ne vont pas ensemble : le pas part soit des poids au hasard du document "
        "(--seed), soit d'un réseau entraîné (--model).",
        "--seed and --model do not go together: the step starts either from the document's random "
        "weights (--seed) or from a trained network (--model).",
    ),
    "explain.past_end": (
        "--steps {steps} à partir de l'image {index} dépasse la dernière image ({last}). "
        "Choisissez moins de pas ou une image plus tôt.",
        "--steps {steps} from image {index} goes past the last image ({last}). Choose fewer steps or an earlier image.",
    ),
    "explain.not_document_cnn": (
        "Ce réseau est convolutif, pas celui du document (784 → cachée → 10, deux couches sigmoïdes) : un pas "
        "du document ne s'applique qu'à celui-là ; entraînez-en un avec : reseau train. Ce que voit ce réseau : "
        "reseau figures feature-maps --index N.",
        "This network is convolutional, not the document's (784 → hidden → 10, two sigmoid layers): a step of "
        "the document applies to that one only; train one with: reseau train. What this network sees: "
        "reseau figures feature-maps --index N.",
    ),
    "explain.not_document": (
        "Ce réseau n'est pas celui du document (784 → cachée → 10, deux couches sigmoïdes) : "
        "couches {sizes}, activations {activations}. Un pas du document ne s'applique qu'à celui-là ; "
        "entraînez-en un avec : reseau train",
        "This network is not the document's (784 → hidden → 10, two sigmoid layers): layers {sizes}, "
        "activations {activations}. A step of the document applies to that one only; train one with: "
        "reseau train",
    ),
    # --- reseau explain: what it prints ---
    "explain.header": (
        "Un pas d'apprentissage du document sur l'image {index} ({split}), un {digit}. Départ : {start}.",
        "One learning step of the document on image {index} ({split}), a {digit}. Start: {start}.",
    ),
    "explain.rate": ("learn_rate = {lr}", "learn_rate = {lr}"),
    "explain.table.lines": ("Les lignes du document, dans son ordre", "The document's lines, in its order"),
    "explain.col.line": ("ligne du document", "the document's line"),
    "explain.col.shape": ("forme", "shape"),
    "explain.col.here": ("ce qu'elle donne ici", "what it gives here"),
    "explain.sum.img": ("{ink} pixels non nuls sur 784", "{ink} non-zero pixels out of 784"),
    "explain.sum.l": ("1 au chiffre {digit}, 0 ailleurs", "1 at digit {digit}, 0 elsewhere"),
    "explain.sum.e": ("{e} (calculée, jamais utilisée)", "{e} (computed, never used)"),
    "explain.sum.weights": (
        "{n} poids sur {size} changent ; le plus : {top}",
        "{n} weights out of {size} change; the most: {top}",
    ),
    "explain.sum.biases": ("le plus grand changement : {top}", "the largest change: {top}"),
    "explain.sum.range": ("de {low} à {high}", "from {low} to {high}"),
    "explain.table.outputs": (
        "Les 10 sorties (✓ : la bonne réponse, ◀ : la réponse du réseau)",
        "The 10 outputs (✓: the right answer, ◀: the network's answer)",
    ),
    "explain.mark.right": (" ✓", " ✓"),
    "explain.mark.answer": (" ◀", " ◀"),
    "explain.col.after": ("après", "after"),
    "explain.table.hidden": (
        "Les neurones cachés : delta_h du document (w_h_o déjà mis à jour) et celui des manuels (avec l'ancien w_h_o)",
        "The hidden neurons: the document's delta_h (w_h_o already updated) and the textbook one (with the old w_h_o)",
    ),
    "explain.col.textbook": ("manuels", "textbook"),
    "explain.col.gap": ("écart", "difference"),
    "explain.table.changes": ("Les {n} poids qui bougent le plus", "The {n} weights that move the most"),
    "explain.col.weight": ("poids", "weight"),
    "explain.col.before": ("avant", "before"),
    "explain.col.change": ("changement", "change"),
    "explain.order": (
        "L'ordre du document compte : il met à jour w_h_o avant de calculer delta_h ; avec l'ancien w_h_o "
        "(les manuels), delta_h changerait d'au plus {gap}. L'écart vaut −learn_rate × Σ delta_o² × h² × (1 − h) : "
        "le delta_h du document est toujours un peu plus petit.",
        "The document's order matters: it updates w_h_o before computing delta_h; with the old w_h_o "
        "(textbooks), delta_h would change by at most {gap}. "
        "The difference is −learn_rate × Σ delta_o² × h² × (1 − h): the document's delta_h is always a little smaller.",
    ),
    "explain.right": (
        "Sortie du chiffre {digit} (la bonne réponse) : {before} avant le pas, {after} après ({change} : {way}).",
        "Output for digit {digit} (the right answer): {before} before the step, {after} after ({change}: {way}).",
    ),
    "explain.up": ("elle monte", "it goes up"),
    "explain.down": ("elle baisse", "it goes down"),
    "explain.still": (
        "Le réseau répond {answer} avant comme après : sa réponse n'a pas changé (un seul pas est petit).",
        "The network answers {answer} before and after: its answer did not change (one step is small).",
    ),
    "explain.still_right": (
        "Le réseau répond {answer} avant comme après : il avait déjà raison.",
        "The network answers {answer} before and after: it was already right.",
    ),
    "explain.changed": (
        "Le réseau répondait {answer} ; il répond maintenant {after} : sa réponse a changé.",
        "The network answered {answer}; it now answers {after}: its answer changed.",
    ),
    "explain.following": ("Les {n} pas, un par image :", "The {n} steps, one per image:"),
    "explain.line": (
        "image {index} (un {digit}) : sortie du {digit} {before} → {after} ; réponse {answer} → {answer_after}",
        "image {index} (a {digit}): output for {digit} {before} → {after}; answer {answer} → {answer_after}",
    ),
    # --- the figures backprop and derivative ---
    "explain.fig.title": (
        "Un pas d'apprentissage : la sortie du {digit} passe de {before} à {after} ({change})",
        "One learning step: the output for {digit} goes from {before} to {after} ({change})",
    ),
    "explain.fig.image": ("img : image {index}\n({split}), un {digit}", "img: image {index}\n({split}), a {digit}"),
    "explain.fig.h": ("h : les neurones cachés, avant", "h: the hidden neurons, before"),
    "explain.fig.o": ("o : les sorties, avant", "o: the outputs, before"),
    "explain.fig.delta_o": ("delta_o = o − l", "delta_o = o − l"),
    "explain.fig.delta_h": ("delta_h = w_h_oᵀ @ delta_o × h(1 − h)", "delta_h = w_h_oᵀ @ delta_o × h(1 − h)"),
    "explain.fig.o_after": ("o après le pas (— : avant)", "o after the step (— : before)"),
    "explain.fig.tiles": (
        "Le changement de w_i_h, neurone caché par neurone caché : −learn_rate × delta_h[j] × img "
        "(seuls les pixels de l'image bougent)",
        "The change to w_i_h, hidden neuron by hidden neuron: −learn_rate × delta_h[j] × img "
        "(only the image's pixels move)",
    ),
    "explain.fig.tile": ("neurone {j}", "neuron {j}"),
    "explain.fig.tiles_bar": ("changement du poids", "change of the weight"),
    "explain.fig.caption": (
        "Barres : rouge = trop grand (delta > 0), le pas le fait baisser ; bleu = trop petit (delta < 0), le pas le "
        "fait monter. Petites images : rouge = le poids monte, bleu = il baisse. Le réseau répondait {answer}, "
        "il répond {answer_after} après le pas.",
        "Bars: red = too large (delta > 0), the step lowers it; blue = too small (delta < 0), the step raises it. "
        "Small images: red = the weight goes up, blue = it goes down. The network answered {answer}; after the "
        "step it answers {answer_after}.",
    ),
    "explain.fig.derivative": (
        "Ce que dit la dérivée : le coût de l'image {index} ({split}) en fonction du seul poids {name}",
        "What the derivative says: the cost of image {index} ({split}) as a function of the weight {name} alone",
    ),
    "explain.fig.slope": (
        "La pente de la tangente est le gradient du pas : {formula} = {slope}",
        "The tangent's slope is the step's gradient: {formula} = {slope}",
    ),
    "explain.fig.step": (
        "De près, la courbe se confond avec sa tangente. Le pas : −learn_rate × gradient\n"
        "= −{lr} × ({gradient}) = {change} ; le coût passe de {before} à {after}",
        "Close up, the curve is its tangent. The step: −learn_rate × gradient\n"
        "= −{lr} × ({gradient}) = {change}; the cost goes from {before} to {after}",
    ),
    "explain.fig.weight": ("valeur du poids {name}", "value of the weight {name}"),
    "explain.fig.cost": ("coût de l'image (entropie croisée)", "cost of the image (cross-entropy)"),
    "explain.fig.curve": ("le coût", "the cost"),
    "explain.fig.tangent": ("la tangente, pente {slope}", "the tangent, slope {slope}"),
    "explain.fig.derivative_caption": (
        "Le coût −Σ(l·ln o + (1 − l)·ln(1 − o)) a pour dérivée delta_o = o − l par rapport à o_pre : c'est lui "
        "que le pas fait descendre (pas l'erreur e du document).\nLa pente dit de combien il change quand le poids "
        "bouge un peu ; le pas va dans le sens qui le fait baisser, de learn_rate = {lr} fois la pente.",
        "The cost −Σ(l·ln o + (1 − l)·ln(1 − o)) has the derivative delta_o = o − l with respect to o_pre: it is "
        "the one the step goes down (not the document's error e).\nThe slope says how much it changes when the "
        "weight moves a little; the step goes the way that lowers it, by learn_rate = {lr} times the slope.",
    ),
    "explain.fig.derivative_caption_w_i_h": (
        "Pour un poids de w_i_h, le document calcule delta_h avec w_h_o déjà mis à jour : sa pente s'écarte un "
        "peu de la vraie dérivée du coût, {textbook} (celle des manuels). Le pas va dans le sens qui fait "
        "baisser le coût, de learn_rate = {lr} fois la pente.",
        "For a weight of w_i_h the document computes delta_h with w_h_o already updated: its slope differs a "
        "little from the cost's true derivative, {textbook} (the textbooks' one). The step goes the way that "
        "lowers the cost, by learn_rate = {lr} times the slope.",
    ),
    # --- the page's « Pas à pas » tab: its errors (web.step.*: served to the page by GET /api/messages) ---
    "web.step.error.which": (
        "Choisissez soit une image de MNIST (index), soit un dessin (drawing), pas les deux.",
        "Choose either a MNIST image (index) or a drawing (drawing), not both.",
    ),
    "web.step.error.label": (
        "Quel chiffre avez-vous dessiné ? Le pas d'apprentissage a besoin de la bonne réponse (label, de 0 à 9).",
        "Which digit did you draw? The learning step needs the right answer (label, 0 to 9).",
    ),
    "web.step.error.count": (
        "Un dessin s'apprend un pas à la fois (count doit valoir 1).",
        "A drawing is learned one step at a time (count must be 1).",
    ),
    "web.step.error.empty": (
        "Le dessin est vide : dessinez un chiffre avant de faire un pas.",
        "The drawing is empty: draw a digit before taking a step.",
    ),
    # --- the page's « Pas à pas » tab ---
    "web.tab.step": ("Pas à pas", "Step by step"),
    "web.step.seed": ("Graine du départ", "Starting seed"),
    "web.step.source": ("Image apprise", "Image learned"),
    "web.step.drawing": ("mon dessin", "my drawing"),
    "web.step.index": ("Numéro", "Number"),
    "web.step.label": ("C'est un", "It is a"),
    "web.step.one": ("Une étape", "One step"),
    "web.step.play": ("Lecture", "Play"),
    "web.step.pause": ("Pause", "Pause"),
    "web.step.speed": ("Lecture : images par étape affichée", "Play: images per step shown"),
    "web.step.reset": ("Revenir au départ du document", "Back to the document's start"),
    "web.step.intro": (
        "Le réseau du document part de ses poids au hasard et apprend une image à chaque étape, comme sa "
        "boucle : propagation avant, delta_o = o − l, mise à jour de w_h_o, puis delta_h (avec w_h_o déjà "
        "mis à jour) et mise à jour de w_i_h. Tous les nombres de la dernière étape sont ci-dessous.",
        "The document's network starts from its random weights and learns one image at each step, as its "
        "loop does: forward propagation, delta_o = o − l, update of w_h_o, then delta_h (with w_h_o already "
        "updated) and update of w_i_h. Every number of the last step is below.",
    ),
    "web.step.start_caption": (
        "Départ : les poids au hasard du document (graine {seed}) ; étapes faites depuis : {steps}.",
        "Start: the document's random weights (seed {seed}); steps taken since: {steps}.",
    ),
    "web.step.pad_hint": (
        "Dessinez un chiffre, dites lequel, puis « Une étape » : le réseau l'apprend.",
        "Draw a digit, say which, then “One step”: the network learns it.",
    ),
    "web.step.none": (
        "Appuyez sur « Une étape » : le réseau apprend l'image choisie, et chaque nombre de l'étape "
        "s'affiche ici et sur le dessin du réseau.",
        "Press “One step”: the network learns the chosen image, and every number of the step appears here "
        "and on the drawing of the network.",
    ),
    "web.step.caption": ("image {index} ({split}), un {digit}", "image {index} ({split}), a {digit}"),
    "web.step.caption_drawing": (
        "votre dessin d'un {digit}, tel que le réseau le reçoit",
        "your drawing of a {digit}, as the network gets it",
    ),
    "web.step.right": (
        "Sortie du chiffre {digit} (la bonne réponse) : {before} avant l'étape, {after} après ({change} : {way}).",
        "Output for digit {digit} (the right answer): {before} before the step, {after} after ({change}: {way}).",
    ),
    "web.step.up": ("elle monte", "it goes up"),
    "web.step.down": ("elle baisse", "it goes down"),
    "web.step.still": (
        "Le réseau répond {answer} avant comme après : sa réponse n'a pas changé.",
        "The network answers {answer} before and after: its answer did not change.",
    ),
    "web.step.still_right": (
        "Le réseau répond {answer} avant comme après : il avait déjà raison.",
        "The network answers {answer} before and after: it was already right.",
    ),
    "web.step.changed": (
        "Le réseau répondait {answer} ; il répond maintenant {after}.",
        "The network answered {answer}; it now answers {after}.",
    ),
    "web.step.formula_title": ("delta_o = o − l, avec les nombres", "delta_o = o − l, with the numbers"),
    "web.step.formula_right": ("pour le bon chiffre, {digit} :", "for the right digit, {digit}:"),
    "web.step.formula_answer": ("pour la réponse du réseau, {answer} :", "for the network's answer, {answer}:"),
    "web.step.formula_weight": ("le poids qui bouge le plus :", "the weight that moves the most:"),
    "web.step.col.digit": ("chiffre", "digit"),
    "web.step.col.after": ("o après", "o after"),
    "web.step.network": ("Le réseau pendant l'étape", "The network during the step"),
    "web.step.net.tiles": ("changement de w_i_h", "change to w_i_h"),
    "web.step.net.hidden": ("h et delta_h", "h and delta_h"),
    "web.step.net.lines": ("changement de w_h_o", "change to w_h_o"),
    "web.step.net.outputs": ("o → o après, delta_o", "o → o after, delta_o"),
    "web.step.legend": (
        "Neurones : gris selon leur valeur (noir = 1), cerclés selon leur delta : rouge = trop grand (delta > 0), "
        "bleu = trop petit (delta < 0). Poids : rouge = il monte, bleu = il baisse, plus épais s'il bouge plus ; "
        "chaque petite image est le changement des 784 poids d'un neurone caché, −learn_rate × delta_h × img ; "
        "en or, le poids qui bouge le plus.",
        "Neurons: grey by their value (black = 1), ringed by their delta: red = too large (delta > 0), "
        "blue = too small (delta < 0). Weights: red = goes up, blue = goes down, thicker when it moves more; "
        "each small image is the change of one hidden neuron's 784 weights, −learn_rate × delta_h × img; "
        "in gold, the weight that moves the most.",
    ),
    "web.step.curve": (
        "Sur {n} images de test toujours les mêmes : le coût et la précision",
        "On the same {n} test images: the cost and the accuracy",
    ),
    "web.step.series_cost": ("coût moyen (entropie croisée) : {value}", "mean cost (cross-entropy): {value}"),
    "web.step.series_accuracy": ("précision : {value} %", "accuracy: {value}%"),
    "web.step.axis_steps": ("étapes", "steps"),
    "web.step.derivative_title": (
        "Ce que dit la dérivée : le coût de l'image selon le seul poids {name}",
        "What the derivative says: the image's cost along the weight {name} alone",
    ),
    "web.step.wide": ("de loin : la courbe et sa tangente", "from afar: the curve and its tangent"),
    "web.step.close": ("de près : la courbe est sa tangente", "close up: the curve is its tangent"),
    "web.step.derivative_text": (
        "Pente de la tangente = le gradient de l'étape : {formula} = {slope}. L'étape : −learn_rate × gradient "
        "= −{lr} × ({slope}) = {change} (flèche rouge) ; le coût de l'image passe de {before} à {after}.",
        "The tangent's slope = the step's gradient: {formula} = {slope}. The step: −learn_rate × gradient "
        "= −{lr} × ({slope}) = {change} (red arrow); the image's cost goes from {before} to {after}.",
    ),
    "web.step.textbook": (
        "(w_h_o étant déjà mis à jour, la vraie dérivée, celle des manuels, vaut {textbook}.)",
        "(w_h_o being already updated, the true derivative, the textbooks' one, is {textbook}.)",
    ),
}
