"""Messages of the exercise in the browser (``web.study.*``: the page of a site, local/study.js).

The words the report of ``reseau experiment`` already has (its columns, notes, factors, plot labels) are
taken from :mod:`reseau.locales.experiments` by key, not copied: the page's table says what the report says.
"""

from __future__ import annotations

from reseau.locales.experiments import MESSAGES as EXPERIMENT

SAME_AS_REPORT = {  # web.study.<name> -> the experiment message it repeats
    "question": "experiment.report.question",
    "deductions": "experiment.report.deductions",
    "study_title": "experiment.report.study_title",
    **{f"col_{c}": f"experiment.report.col_{c}" for c in ("test", "precision", "seconds", "runs", "notes")},
    **{f"note_{n}": f"experiment.report.note_{n}" for n in ("diverged", "chance", "missing")},
    **{f"factor.{f}": f"experiment.factor.{f}" for f in ("epochs", "hidden", "lr")},
    **{f"plot.{p}": f"experiment.plot.{p}" for p in ("test", "precision", "accuracy")},
}

MESSAGES: dict[str, tuple[str, str]] = {f"web.study.{name}": EXPERIMENT[key] for name, key in SAME_AS_REPORT.items()}
MESSAGES |= {
    "web.study.intro": (
        "Chaque valeur essayée est entraînée plusieurs fois (une graine différente à chaque fois, donc d'autres "
        "poids de départ), ici, dans votre navigateur, avec l'algorithme du document ; le tableau donne la "
        "moyenne ± l'écart-type entre graines, comme « reseau experiment ».",
        "Each value tried is trained several times (a different seed each time, so other starting weights), "
        "here in your browser, with the document's algorithm; the table gives the mean ± the standard deviation "
        "between seeds, as 'reseau experiment' does.",
    ),
    "web.study.values": ("{factor}, valeurs essayées :", "{factor}, values tried:"),
    "web.study.seeds": ("Graines par valeur", "Seeds per value"),
    "web.study.images": ("Images d'entraînement", "Training images"),
    "web.study.fixed": (
        "Réglages fixes (sauf le facteur étudié) : réseau 784-{hidden}-10, taux d'apprentissage {lr}, {epochs} "
        "epochs ; le test compte les 10 000 images de test.",
        "Fixed settings (except the factor studied): 784-{hidden}-10 network, learning rate {lr}, {epochs} "
        "epochs; the test counts the 10,000 test images.",
    ),
    "web.study.start": ("Lancer l'étude", "Start the study"),
    "web.study.stop": ("Arrêter", "Stop"),
    "web.study.resume": ("Reprendre", "Resume"),
    "web.study.clear": ("Effacer l'étude", "Clear the study"),
    "web.study.csv": ("Exporter en CSV", "Export as CSV"),
    "web.study.loading": ("Lecture des images de MNIST…", "Reading MNIST's images…"),
    "web.study.progress": (
        "{done} entraînements finis sur {total} ({workers} en parallèle)…",
        "{done} of {total} trainings finished ({workers} in parallel)…",
    ),
    "web.study.done": (
        "Étude finie : {total} entraînements, {seconds} s de calcul au total.",
        "Study finished: {total} trainings, {seconds} s of computing in all.",
    ),
    "web.study.stopped": (
        "Étude arrêtée : {done} entraînements finis sur {total} sont gardés ; « Reprendre » calcule les autres.",
        "Study stopped: {done} of {total} trainings finished are kept; 'Resume' computes the others.",
    ),
    "web.study.restored": (
        "Étude retrouvée dans ce navigateur : {done} entraînements finis sur {total}.",
        "Study found in this browser: {done} of {total} trainings finished.",
    ),
    "web.study.storage_failed": (
        "Ce navigateur refuse de garder l'étude (stockage plein ou interdit) : les résultats restent sur la page "
        "et s'exportent en CSV, mais une page rechargée les perdra.",
        "This browser refuses to keep the study (storage full or forbidden): the results stay on the page and "
        "export as CSV, but reloading the page will lose them.",
    ),
    "web.study.bad_value": (
        "« {text} » n'est pas une valeur possible pour {factor} : de {low} à {high}.",
        "'{text}' is not a possible value for {factor}: from {low} to {high}.",
    ),
    "web.study.none_chosen": ("Cochez au moins une étude.", "Tick at least one study."),
    "web.study.too_many": (
        "{count} entraînements, c'est trop pour un navigateur (au plus {limit}) : enlevez des valeurs ou des graines.",
        "{count} trainings is too many for a browser (at most {limit}): remove some values or seeds.",
    ),
    "web.study.no_workers": (
        "Ce navigateur ne lance pas de calcul en arrière-plan (Web Workers) : l'étude ne peut pas y être faite.",
        "This browser runs no background computation (Web Workers): the study cannot be made in it.",
    ),
    "web.study.failed": ("Un entraînement a échoué : {reason}", "A training failed: {reason}"),
    "web.study.yours": ("Votre étude", "Your study"),
    "web.study.reference": ("L'étude de référence", "The reference study"),
    "web.study.reference_about": (
        "Calculée par « {command} » quand ce site a été écrit : {runs} entraînements, {seeds} graines par valeur, "
        "{n_train} images d'entraînement.",
        "Computed by '{command}' when this site was written: {runs} trainings, {seeds} seeds per value, "
        "{n_train} training images.",
    ),
    "web.study.no_reference": (
        "Ce site n'a pas d'étude de référence : « reseau experiment » puis « reseau site » l'y mettent.",
        "This site has no reference study: 'reseau experiment' then 'reseau site' put one in it.",
    ),
    "web.study.nothing_yet": ("Pas encore de résultat.", "No results yet."),
    "web.study.plot.reference": ("test de l'étude de référence", "test of the reference study"),
}
