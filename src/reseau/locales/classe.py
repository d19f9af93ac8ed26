"""Messages of ``reseau classe``: the classroom server, its join page, the student's bar, the teacher's page."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    # The command
    "classe.cli.help": (
        "Servir la leçon à toute une classe : chaque élève entraîne son propre réseau depuis son navigateur, "
        "l'enseignant voit tout et la classe répond ensemble à l'exercice.",
        "Serve the lesson to a whole class: each student trains their own network from their browser, "
        "the teacher sees everything and the class answers the exercise together.",
    ),
    "classe.opt.host": (
        "Adresse d'écoute (défaut : tout le réseau local ; 127.0.0.1 : cet ordinateur seulement).",
        "Address to listen on (default: the whole local network; 127.0.0.1: this computer only).",
    ),
    "classe.opt.port": ("Port (défaut : {port}).", "Port (default: {port})."),
    "classe.opt.no_browser": ("Ne pas ouvrir la page de l'enseignant.", "Do not open the teacher's page."),
    "classe.opt.lesson": (
        "Nom de la leçon : une base de données par leçon (défaut : {name}).",
        "The lesson's name: one database per lesson (default: {name}).",
    ),
    "classe.opt.joins": (
        "Essais pour rejoindre la leçon, par minute et par appareil (défaut : {n}) ; si toute la classe passe "
        "par une seule adresse (un proxy), mettez-en au moins autant que d'élèves.",
        "Attempts to join the lesson, per minute and per device (default: {n}); if the whole class goes through "
        "one address (a proxy), allow at least as many as there are students.",
    ),
    "classe.opt.cluster": (
        "Adresse d'un ordonnanceur Dask (tcp://hôte:8786) : les entraînements y sont envoyés.",
        "Address of a Dask scheduler (tcp://host:8786): the trainings are sent there.",
    ),
    "classe.opt.max_epochs": (
        "Epochs au plus par entraînement d'élève, de 1 à {limit} (défaut : la valeur de la leçon, {n} pour une "
        "nouvelle ; la page de l'enseignant peut la changer).",
        "At most this many epochs per student training, 1 to {limit} (default: the lesson's, {n} for a new one; "
        "the teacher's page can change it).",
    ),
    "classe.opt.max_hidden": (
        "Neurones cachés au plus, de 1 à {limit} (défaut : la valeur de la leçon, {n} pour une nouvelle).",
        "At most this many hidden neurons, 1 to {limit} (default: the lesson's, {n} for a new one).",
    ),
    "classe.opt.modes": (
        "Modes permis, séparés par des virgules, parmi {modes} (défaut : ceux de la leçon, {default} pour une "
        "nouvelle).",
        "Modes allowed, separated by commas, among {modes} (default: the lesson's, {default} for a new one).",
    ),
    "classe.opt.consigne": (
        "La consigne du jour, affichée à chaque élève (ex. « aujourd'hui : seulement le taux d'apprentissage »).",
        "Today's instruction, shown to every student (e.g. \u201ctoday: only the learning rate\u201d).",
    ),
    "classe.cli.teacher": ("Page de l'enseignant : {url}", "Teacher's page: {url}"),
    "classe.cli.students": (
        "Les élèves ouvrent : {url}   code de la leçon : {code}",
        "Students open: {url}   lesson code: {code}",
    ),
    "classe.cli.qr": ("(ou scannent ce QR code)", "(or scan this QR code)"),
    "classe.cli.no_qr": (
        "Pour afficher un QR code : pip install 'reseau[classe]'",
        "To show a QR code: pip install 'reseau[classe]'",
    ),
    "classe.cli.lesson": ("Leçon « {name} » : {path}", "Lesson \u201c{name}\u201d: {path}"),
    "classe.cli.limits": (
        "Règles : {epochs} epochs au plus, {hidden} neurones cachés au plus, modes : {modes}.",
        "Rules: at most {epochs} epochs, at most {hidden} hidden neurons, modes: {modes}.",
    ),
    "classe.cli.loopback": (
        "Écoute sur cet ordinateur seulement : les élèves ne pourront pas se connecter depuis d'autres postes.",
        "Listening on this computer only: students cannot connect from other computers.",
    ),
    "classe.cli.interrupted": (
        "Entraînements interrompus par l'arrêt du serveur : {n}. Leurs élèves le lisent sur leur page et peuvent "
        "les relancer.",
        "Trainings cut off when the server stopped: {n}. Their students read it on their page and can start them "
        "again.",
    ),
    "classe.train.interrupted": (
        "Le serveur de la classe s'est arrêté pendant ton entraînement, après {epochs} : il n'a pas été gardé. "
        "Ton modèle n'a pas changé ; relance l'entraînement quand tu veux.",
        "The class server stopped during your training, after {epochs}: it was not kept. "
        "Your model has not changed; start the training again whenever you like.",
    ),
    "classe.cli.bye": ("Leçon arrêtée ; tout est enregistré.", "Lesson stopped; everything is saved."),
    # Errors
    "classe.error.lesson_name": (
        "Nom de leçon invalide : « {name} » (lettres, chiffres, - et _, 64 au plus).",
        "Invalid lesson name: \u201c{name}\u201d (letters, digits, - and _, 64 at most).",
    ),
    "classe.error.foreign_db": (
        "{path} n'est pas une base de leçon de reseau : elle n'a pas été modifiée. Choisissez un autre --lesson.",
        "{path} is not a reseau lesson database: it was left unchanged. Choose another --lesson.",
    ),
    "classe.error.bad_db": (
        "Impossible d'ouvrir la base de la leçon {path} : {reason}",
        "Cannot open the lesson's database {path}: {reason}",
    ),
    "classe.error.code": (
        "Ce n'est pas le code de la leçon : vérifiez-le au tableau.",
        "That is not the lesson's code: check it on the board.",
    ),
    "classe.error.name": (
        "Écrivez votre prénom (au plus {max} caractères).",
        "Write your first name (at most {max} characters).",
    ),
    "classe.error.name_taken": (
        "Le prénom « {name} » est déjà pris dans cette leçon. Si c'est vous (cookies effacés, autre ordinateur), "
        "demandez à l'enseignant votre code de reprise ; sinon ajoutez une initiale (« {name} B. »).",
        "The name \u201c{name}\u201d is already taken in this lesson. If it is you (cookies cleared, another "
        "computer), ask the teacher for your resume code; otherwise add an initial (\u201c{name} B.\u201d).",
    ),
    "classe.error.full": (
        "La leçon est complète ({max} élèves) : demandez à l'enseignant de l'agrandir.",
        "The lesson is full ({max} students): ask the teacher to make it bigger.",
    ),
    # The roster (issue 24): the join limit, joining closed, resume codes
    "classe.error.wait": (
        "Trop d'essais depuis cet appareil : attendez {seconds} s avant de réessayer.",
        "Too many tries from this device: wait {seconds} s before trying again.",
    ),
    "classe.error.closed": (
        "L'enseignant a fermé la leçon aux nouveaux élèves : demandez-lui de la rouvrir. "
        "(Déjà inscrit·e sur un autre navigateur ? Demandez-lui votre code de reprise.)",
        "The teacher has closed the lesson to new students: ask them to reopen it. "
        "(Already joined on another browser? Ask them for your resume code.)",
    ),
    "classe.error.resume": (
        "Ce code de reprise ne marche pas (déjà utilisé, trop ancien ou mal recopié) : "
        "demandez-en un nouveau à l'enseignant.",
        "This resume code does not work (already used, too old or mistyped): ask the teacher for a new one.",
    ),
    "classe.error.not_joined": (
        "Rejoignez d'abord la leçon (code et prénom) sur la page d'accueil.",
        "Join the lesson first (code and first name) on the home page.",
    ),
    "classe.error.no_student": ("Aucun élève n° {id} dans cette leçon.", "No student number {id} in this lesson."),
    "classe.error.no_qr": (
        "Le QR code demande le paquet segno : pip install 'reseau[classe]'.",
        "The QR code needs the segno package: pip install 'reseau[classe]'.",
    ),
    "classe.error.mode": (
        "Le mode « {mode} » n'est pas permis dans cette leçon (permis : {allowed}).",
        "Mode \u201c{mode}\u201d is not allowed in this lesson (allowed: {allowed}).",
    ),
    "classe.error.epochs": (
        "{n} epochs : l'enseignant en permet {max} au plus aujourd'hui.",
        "{n} epochs: the teacher allows at most {max} today.",
    ),
    "classe.error.hidden": (
        "{n} neurones cachés : l'enseignant en permet {max} au plus aujourd'hui.",
        "{n} hidden neurons: the teacher allows at most {max} today.",
    ),
    "classe.error.limit": (  # field: --max-epochs on the command line, max_epochs from the teacher's page
        "{field} doit être un entier de {low} à {high} (reçu : {value}).",
        "{field} must be an integer from {low} to {high} (got {value}).",
    ),
    "classe.error.modes": (
        "{field} : « {mode} » n'est pas un mode (modes : {allowed}, séparés par des virgules).",
        "{field}: \u201c{mode}\u201d is not a mode (modes: {allowed}, separated by commas).",
    ),
    "classe.error.no_modes": (
        "{field} doit nommer au moins un mode parmi {allowed} (ex. --modes faithful,modern).",
        "{field} must name at least one mode among {allowed} (e.g. --modes faithful,modern).",
    ),
    "classe.error.consigne": (
        "La consigne fait {n} caractères : {limit} au plus.",
        "The instruction is {n} characters long: {limit} at most.",
    ),
    "classe.error.data": (
        "Le serveur ne trouve pas les images MNIST : prévenez l'enseignant (son terminal dit pourquoi).",
        "The server cannot find the MNIST images: tell the teacher (their terminal says why).",
    ),
    # What a student sees of the server's files: names, never paths
    "classe.path.models": ("vos modèles", "your models"),
    # The class's answer: what a class does, where the command line would run again with --seeds
    "classe.ccl.one_seed": (
        "Une seule graine par réglage : impossible de distinguer une vraie différence du hasard du tirage "
        "initial. Pour le savoir, plusieurs élèves doivent entraîner les mêmes réglages avec des graines "
        "différentes.",
        "One seed per setting: a real difference cannot be told from the luck of the initial draw. To find out, "
        "several students should train the same settings with different seeds.",
    ),
    "classe.ccl.caveat.one_seed": (
        "Une seule graine par réglage : cet écart n'est pas vérifié (que plusieurs élèves refassent ces réglages "
        "avec des graines différentes).",
        "One seed per setting: this difference is not verified (several students should train these settings "
        "again with different seeds).",
    ),
    # The join page
    "classe.join.title": ("Rejoindre la leçon", "Join the lesson"),
    "classe.join.intro": (
        "Entrez le code écrit au tableau et votre prénom : vous aurez votre propre réseau de neurones.",
        "Enter the code written on the board and your first name: you will get your own neural network.",
    ),
    "classe.join.code": ("Code de la leçon", "Lesson code"),
    "classe.join.name": ("Prénom", "First name"),
    "classe.join.name_hint": ("ex. Léa", "e.g. Lea"),
    "classe.join.go": ("Entrer", "Enter"),
    "classe.join.note": (
        "Pas de compte ni de mot de passe. Ce navigateur se souvient de vous : en revenant, vous retrouvez votre "
        "travail. Personne d'autre ne peut le voir ni le modifier.",
        "No account, no password. This browser remembers you: when you come back, your work is there. "
        "Nobody else can see or change it.",
    ),
    "classe.join.resume_title": ("Déjà inscrit·e ?", "Already joined?"),
    "classe.join.resume_intro": (
        "Votre navigateur vous a oublié·e (cookies effacés, autre ordinateur) : l'enseignant vous donne un "
        "code de reprise, tapez-le ici pour retrouver votre travail.",
        "Your browser forgot you (cookies cleared, another computer): the teacher gives you a resume code, "
        "type it here to get your work back.",
    ),
    "classe.join.resume_code": ("Code de reprise", "Resume code"),
    "classe.join.resume_go": ("Reprendre", "Resume"),
    "classe.join.resuming": ("Reprise de votre travail…", "Getting your work back…"),
    # The student's bar
    "classe.me.who": ("{name} — leçon « {lesson} »", "{name} — lesson \u201c{lesson}\u201d"),
    "classe.me.idle": (
        "File d'entraînement : {running} en cours, {waiting} en attente.",
        "Training queue: {running} running, {waiting} waiting.",
    ),
    "classe.me.waiting": (
        "Votre entraînement attend son tour : place {place} dans la file ({running} en cours).",
        "Your training waits its turn: place {place} in the queue ({running} running).",
    ),
    "classe.me.training": (
        "Votre entraînement tourne : epoch {epoch} sur {epochs} (onglet Entraîner).",
        "Your training is running: epoch {epoch} of {epochs} (Train tab).",
    ),
    "classe.me.limits": (
        "Aujourd'hui : {epochs} epochs au plus, {hidden} neurones cachés au plus, modes : {modes}.",
        "Today: at most {epochs} epochs, at most {hidden} hidden neurons, modes: {modes}.",
    ),
    "classe.me.constraint": ("Consigne : {text}", "Instruction: {text}"),
    "classe.me.summary": ("Ma fiche (à imprimer)", "My summary (to print)"),
    # What a student is doing, on the teacher's page
    "classe.state.away": ("pas encore venu", "not here yet"),
    "classe.state.idle": ("explore", "exploring"),
    "classe.state.waiting": ("attend (place {place})", "waiting (place {place})"),
    "classe.state.training": ("s'entraîne ({percent} %)", "training ({percent}%)"),
    "classe.state.done": ("entraînement fini", "training finished"),
    "classe.state.stopped": ("entraînement arrêté", "training stopped"),
    "classe.state.interrupted": ("entraînement interrompu (serveur arrêté)", "training cut off (server stopped)"),
    "classe.state.failed": ("entraînement échoué", "training failed"),
    # Columns
    "classe.col.student": ("Élève", "Student"),
    "classe.col.state": ("Activité", "Doing"),
    "classe.col.runs": ("Entraînements", "Trainings"),
    "classe.col.best": ("Meilleur test", "Best test"),
    "classe.col.run": ("N°", "No."),
    "classe.col.epochs": ("Epochs", "Epochs"),
    "classe.col.hidden": ("Cachés", "Hidden"),
    "classe.col.lr": ("lr", "lr"),
    "classe.col.seed": ("Graine", "Seed"),
    "classe.col.precision": ("« Précision »", "\u201cPrécision\u201d"),
    "classe.col.test": ("Test (%)", "Test (%)"),
    "classe.col.time": ("Durée", "Time"),
    # The teacher's page
    "classe.teacher.title": ("reseau classe — la page de l'enseignant", "reseau classe — the teacher's page"),
    "classe.teacher.title_lesson": (
        "reseau classe — leçon « {lesson} »",
        "reseau classe — lesson \u201c{lesson}\u201d",
    ),
    "classe.teacher.subtitle": (
        "Faire varier le nombre d'epochs, le nombre de neurones de la couche cachée, le taux d'apprentissage. "
        "Que peut-on en déduire ?",
        "Vary the number of epochs, the number of hidden neurons, the learning rate. What can we deduce?",
    ),
    "classe.teacher.join": ("Rejoindre", "Join"),
    "classe.teacher.open": ("Les élèves ouvrent cette adresse :", "Students open this address:"),
    "classe.teacher.code": ("Code :", "Code:"),
    "classe.teacher.limits": ("Les règles de la leçon", "The lesson's rules"),
    "classe.teacher.max_epochs": ("Epochs au plus", "Epochs at most"),
    "classe.teacher.max_hidden": ("Neurones cachés au plus", "Hidden neurons at most"),
    "classe.teacher.modes": ("Modes permis", "Modes allowed"),
    "classe.teacher.constraint": ("Consigne du jour", "Today's instruction"),
    "classe.teacher.constraint_hint": (
        "aujourd'hui : seulement le taux d'apprentissage",
        "today: only the learning rate",
    ),
    "classe.teacher.save": ("Enregistrer", "Save"),
    "classe.teacher.saved": ("Enregistré.", "Saved."),
    "classe.teacher.queue": (
        "File : {running} sur {slots}, {waiting} en attente ; attente la plus longue : {wait} s.",
        "Queue: {running} on {slots}, {waiting} waiting; longest wait: {wait} s.",
    ),
    "classe.teacher.students": ("Les élèves", "The students"),
    "classe.teacher.sheet": ("fiche", "summary"),
    "classe.teacher.curves": ("Les courbes de la classe", "The class's curves"),
    "classe.teacher.curves_note": (
        "Chaque couleur est un élève : trait plein, la « Précision » de chaque epoch ; "
        "pointillés, la précision sur les 10 000 images de test.",
        "Each colour is a student: solid line, each epoch's \u201cPrécision\u201d; "
        "dashed, the accuracy on the 10,000 test images.",
    ),
    "classe.teacher.axis": ("epoch", "epoch"),
    "classe.teacher.axis_y": ("% reconnues", "% recognised"),
    "classe.teacher.answer": (
        "Que peut-on en déduire ? La réponse de la classe",
        "What can we deduce? The class's answer",
    ),
    "classe.teacher.answer_empty": (
        "Il faut au moins deux entraînements qui ne diffèrent que par un réglage (epochs, neurones cachés ou "
        "taux d'apprentissage) pour en déduire quelque chose.",
        "At least two trainings that differ in one setting only (epochs, hidden neurons or learning rate) "
        "are needed to deduce anything.",
    ),
    "classe.teacher.table": ("Tous les entraînements de la classe", "Every training of the class"),
    "classe.teacher.csv": ("Exporter en CSV", "Export as CSV"),
    "classe.teacher.json": ("Exporter en JSON", "Export as JSON"),
    # A student's printable summary
    "classe.summary.title": ("{name} — leçon « {lesson} »", "{name} — lesson \u201c{lesson}\u201d"),
    "classe.summary.best": (
        "Meilleur réseau : l'entraînement n° {n}, {accuracy} % des images de test reconnues.",
        "Best network: training no. {n}, {accuracy}% of the test images recognised.",
    ),
    "classe.summary.none": ("Aucun entraînement terminé.", "No finished training."),
    "classe.summary.legend": (
        "Courbe du meilleur entraînement : « Précision » de chaque epoch (bleu), précision sur le test (orange), "
        "comme sur la page.",
        "Curve of the best training: each epoch's \u201cPrécision\u201d (blue), test accuracy (orange), "
        "as on the page.",
    ),
    "classe.summary.axis_x": ("epoch", "epoch"),
    "classe.summary.axis_y": ("% reconnues", "% recognised"),
    "classe.summary.question": ("Que peut-on en déduire ?", "What can we deduce?"),
    "classe.summary.print": ("Imprimer", "Print"),
    # The teacher's hand on the roster (issue 24)
    "classe.teacher.joining_open": (
        "Inscriptions ouvertes : {students} élèves sur {size}.",
        "Joining open: {students} students of {size}.",
    ),
    "classe.teacher.joining_closed": (
        "Inscriptions fermées ({students} élèves) : personne de nouveau ne peut entrer ; "
        "les inscrits gardent leur place.",
        "Joining closed ({students} students): nobody new can come in; those who joined keep their place.",
    ),
    "classe.teacher.close": ("Fermer les inscriptions", "Close joining"),
    "classe.teacher.reopen": ("Rouvrir les inscriptions", "Reopen joining"),
    "classe.teacher.size": ("Élèves au plus", "Students at most"),
    "classe.teacher.resume": ("reprendre", "resume"),
    "classe.teacher.rename": ("renommer", "rename"),
    "classe.teacher.remove": ("retirer", "remove"),
    "classe.teacher.rename_ask": ("Nouveau prénom pour {name} :", "New first name for {name}:"),
    "classe.teacher.resume_given": (
        "Pour {name} : ouvrir {url} sur son navigateur, ou taper le code {code} sous « Déjà inscrit·e ? » "
        "de la page « Rejoindre ». Une seule fois, pendant 24 h ; l'ancien navigateur perd l'accès.",
        "For {name}: open {url} in their browser, or type the code {code} under \u201cAlready joined?\u201d on "
        "the \u201cJoin\u201d page. Once, within 24 h; the old browser loses access.",
    ),
    "classe.teacher.remove_ask": (
        "Retirer {name} de la leçon ? Son navigateur ne l'ouvre plus, ses modèles sont effacés. "
        "Ses {runs} entraînements terminés :",
        "Remove {name} from the lesson? Their browser no longer opens it, their models are deleted. "
        "Their {runs} finished trainings:",
    ),
    "classe.teacher.remove_keep": (
        "Retirer, garder ses entraînements dans la réponse de la classe",
        "Remove, keep their trainings in the class's answer",
    ),
    "classe.teacher.remove_delete": ("Retirer et supprimer ses entraînements", "Remove and delete their trainings"),
    "classe.teacher.cancel": ("Annuler", "Cancel"),
    "classe.me.save_note": (  # the classroom's rule (reseau.classe.queue.ClassTrainer), in place of the page's
        "Chaque entraînement terminé est enregistré dans vos modèles sous le nom de son préréglage "
        "(document.safetensors…) ; un réseau à neurones cachés devient aussitôt celui qui reconnaît vos dessins. "
        "Arrêter un entraînement n'enregistre rien.",
        "Each finished training is saved in your models under its preset's name (document.safetensors…); "
        "a network with hidden neurons at once becomes the one that recognises your drawings. "
        "Stopping a training saves nothing.",
    ),
    "classe.me.save_note_cnn": (
        "Le préréglage « dessin » (convolutif) apprend sur des chiffres déformés comme ceux qu'on dessine : "
        "c'est le meilleur pour l'onglet « Dessiner ».",
        "The 'dessin' preset (convolutional) learns from digits distorted like those people draw: "
        "it is the best one for the 'Draw' tab.",
    ),
}
