"""Messages of the experiments part (French, English)."""

MESSAGES: dict[str, tuple[str, str]] = {
    # --- mistakes in the study's description ---
    "experiment.bad_syntax": (
        "« {text} » n'est pas de la forme FACTEUR=VALEURS. Exemple : hidden=5,10,20",
        "'{text}' is not of the form FACTOR=VALUES. Example: hidden=5,10,20",
    ),
    "experiment.no_values": (
        "Aucune valeur pour « {name} » dans « {text} ». Exemple : {name}=1,2,3",
        "No values for '{name}' in '{text}'. Example: {name}=1,2,3",
    ),
    "experiment.duplicate_value": (
        "Une valeur est répétée dans « {text} » : chaque valeur de « {name} » ne doit y figurer qu'une fois.",
        "A value is repeated in '{text}': each value of '{name}' may appear only once.",
    ),
    "experiment.unknown_factor": (
        "Facteur inconnu : « {name} » (mode {mode}). Facteurs possibles : {choices}.",
        "Unknown factor: '{name}' ({mode} mode). Possible factors: {choices}.",
    ),
    "experiment.seed_not_factor": (
        "La graine n'est pas un facteur : chaque point est déjà entraîné avec plusieurs graines. Utilisez --seeds N.",
        "The seed is not a factor: every point is already trained with several seeds. Use --seeds N.",
    ),
    "experiment.bad_value": (
        "Valeur invalide pour « {name} » : « {value} » (attendu : {kind}).",
        "Invalid value for '{name}': '{value}' (expected: {kind}).",
    ),
    "experiment.kind.bool": ("true, false, oui, non, 1 ou 0", "true, false, yes, no, 1 or 0"),
    "experiment.kind.int": ("un nombre entier, comme 20", "a whole number, such as 20"),
    "experiment.kind.float": ("un nombre, comme 0.01", "a number, such as 0.01"),
    "experiment.kind.sizes": (
        "des nombres entiers reliés par « - », comme 784-100-10",
        "whole numbers joined by '-', such as 784-100-10",
    ),
    "experiment.kind.text": ("un mot", "a word"),
    "experiment.fixed_one_value": (
        "--set prend une seule valeur (reçu : « {text} »). Pour en essayer plusieurs : --vary.",
        "--set takes a single value (got '{text}'). To try several: --vary.",
    ),
    "experiment.grid_repeated": (
        "Un facteur apparaît deux fois dans la grille : donnez ses valeurs en une fois (hidden=10,20).",
        "A factor appears twice in the grid: give all its values at once (hidden=10,20).",
    ),
    "experiment.grid_empty": (
        "--grid croise les facteurs écrits après lui : --grid epochs=1,3 hidden=10,20",
        "--grid crosses the factors written after it: --grid epochs=1,3 hidden=10,20",
    ),
    "experiment.bad_seeds": (
        "Le nombre de graines doit être un entier entre 1 et {limit} (reçu : {value}).",
        "The number of seeds must be an integer from 1 to {limit} (got {value}).",
    ),
    "experiment.bad_limit": (
        "--limit doit être un nombre d'images entre 1 et {most} (reçu : {value}).",
        "--limit must be a number of images from 1 to {most} (got {value}).",
    ),
    "experiment.bad_workers": (
        "--workers doit être un entier ≥ 1 (reçu : {value}).",
        "--workers must be an integer ≥ 1 (got {value}).",
    ),
    "experiment.workers_capped": (
        "--workers {asked} : {n} seulement. La machine a {cpus} et sa mémoire disponible "
        "({memory} Gio) en contient {by_memory} ; davantage se partageraient les mêmes cœurs ou manqueraient "
        "de mémoire.",
        "--workers {asked}: only {n}. The machine has {cpus} and its available memory "
        "({memory} GiB) holds {by_memory}; more would share the same cores or run out of memory.",
    ),
    "experiment.workers_capped_cores": (
        "--workers {asked} : {n} seulement, un par cœur ({cpus}) ; davantage se partageraient les mêmes cœurs.",
        "--workers {asked}: only {n}, one per core ({cpus}); more would share the same cores.",
    ),
    "experiment.too_many_runs": (
        "Cette étude demande {count} entraînements (maximum {limit}). Réduisez la grille ou --seeds.",
        "This study asks for {count} trainings (maximum {limit}). Shrink the grid or --seeds.",
    ),
    "experiment.unknown_mode": (
        "Mode inconnu : « {value} ». Choix possibles : {choices}.",
        "Unknown mode: '{value}'. Choose one of: {choices}.",
    ),
    "experiment.preset_mode": (
        "Le préréglage « {preset} » n'est pas du mode {mode} : changez --mode ou --preset.",
        "The preset '{preset}' is not of the {mode} mode: change --mode or --preset.",
    ),
    "experiment.needs_factors": (
        "Hors du réseau du document, dites quoi faire varier, par exemple : --vary batch_size=32,64,128",
        "Beyond the document's network, say what to vary, for example: --vary batch_size=32,64,128",
    ),
    # --- store, executors, interruptions ---
    "experiment.store_bad": (
        "Impossible d'utiliser la base de résultats {path} : {reason}.\n"
        "Choisissez un autre fichier avec --store, ou supprimez celui-ci (les résultats seront recalculés).",
        "Cannot use the result store {path}: {reason}.\n"
        "Choose another file with --store, or delete this one (the results will be computed again).",
    ),
    "experiment.store_not_sqlite": (
        "{path} n'est pas une base de résultats de reseau : ce n'est pas un fichier SQLite. "
        "reseau n'y a rien modifié. Choisissez un autre fichier avec --store.",
        "{path} is not a reseau result store: it is not an SQLite file. "
        "reseau changed nothing in it. Choose another file with --store.",
    ),
    "experiment.store_foreign": (
        "{path} n'est pas une base de résultats de reseau : c'est le fichier SQLite d'un autre programme "
        "(ou une base abîmée). reseau n'y a rien modifié. Choisissez un autre fichier avec --store.",
        "{path} is not a reseau result store: it is another program's SQLite file (or a damaged store). "
        "reseau changed nothing in it. Choose another file with --store.",
    ),
    "experiment.store_newer": (
        "La base de résultats {path} a été écrite par une version plus récente de reseau (schéma {version} ; "
        "celle-ci lit le schéma {supported}). reseau n'y a rien modifié. Mettez reseau à jour, ou choisissez "
        "un autre fichier avec --store.",
        "The result store {path} was written by a newer reseau (schema {version}; this one reads schema "
        "{supported}). reseau changed nothing in it. Update reseau, or choose another file with --store.",
    ),
    "experiment.store_row_bad": (
        "La base de résultats {path} contient un résultat illisible : entraînement {run}, champ « {field} » "
        "(valeur : {value}). Elle a été abîmée ou modifiée par un autre programme ; reseau n'y a rien "
        "modifié. Relancez l'étude avec --force pour recalculer et remplacer ses résultats, ou choisissez un "
        "autre fichier avec --store.",
        "The result store {path} holds an unreadable result: training {run}, field '{field}' (value: {value}). "
        "It was damaged or changed by another program; reseau changed nothing in it. Run the study again "
        "with --force to compute and replace its results, or choose another file with --store.",
    ),
    "experiment.store_meta_bad": (
        "La base de résultats {path} garde une description illisible de la dernière étude ; reseau n'y a "
        "rien modifié. Dites de quelles études faire le rapport, par exemple : "
        "reseau experiment --report --vary hidden=5,10,20",
        "The result store {path} keeps an unreadable description of the last study; reseau changed nothing "
        "in it. Say which studies to report on, for example: reseau experiment --report --vary hidden=5,10,20",
    ),
    "experiment.store_write": (
        "Impossible d'enregistrer dans la base de résultats {path} : {reason}. Ce qui y était déjà "
        "enregistré y reste : corrigez cela (place libre, droits) puis relancez la même commande, ou "
        "choisissez un autre fichier avec --store.",
        "Cannot write to the result store {path}: {reason}. What it already held is kept: fix that (free "
        "space, permissions) then run the same command again, or choose another file with --store.",
    ),
    "experiment.cannot_write": (
        "Impossible d'écrire le rapport dans {path} : {reason}. Choisissez un autre dossier avec --out.",
        "Cannot write the report to {path}: {reason}. Choose another folder with --out.",
    ),
    "experiment.no_dask": (
        "--cluster demande Dask, qui n'est pas installé. Installez-le avec : pip install 'reseau[cluster]'",
        "--cluster needs Dask, which is not installed. Install it with: pip install 'reseau[cluster]'",
    ),
    "experiment.cluster_unreachable": (
        "Impossible de joindre le cluster Dask à {address} : {reason}.\n"
        "Vérifiez l'adresse (tcp://machine:8786) et que le scheduler tourne (dask scheduler).",
        "Cannot reach the Dask cluster at {address}: {reason}.\n"
        "Check the address (tcp://host:8786) and that the scheduler runs (dask scheduler).",
    ),
    "experiment.worker_died": (
        "Un processus de calcul s'est arrêté brutalement (mémoire ? signal ?). {store} garde {done} sur {total} ; "
        "relancez la même commande pour reprendre là où elle s'est arrêtée.",
        "A worker process died (memory? a signal?). {store} keeps {done} of {total}; "
        "run the same command again to resume where it stopped.",
    ),
    "experiment.interrupted": (
        "Interrompu (Ctrl-C) : {store} garde {done} sur {total}.\n"
        "Relancez la même commande pour reprendre : ce qui est fait ne sera pas refait.",
        "Interrupted (Ctrl-C): {store} keeps {done} of {total}.\n"
        "Run the same command again to resume: what is done will not be redone.",
    ),
    "experiment.nothing_stored": (
        "Aucun résultat dans {path} : lancez d'abord « reseau experiment » (sans --report).",
        "No results in {path}: run 'reseau experiment' first (without --report).",
    ),
    # --- the command's own lines ---
    "experiment.plan": (
        "{total} ({points} × {seeds}, points communs comptés une fois) : {stored}, {todo} à calculer sur {where}.",
        "{total} ({points} × {seeds}, shared points counted once): {stored}, {todo} to compute on {where}.",
    ),
    "experiment.plan_nothing": (
        "{total} ({points} × {seeds}, points communs comptés une fois) : "
        "{stored}, rien à calculer (--force pour refaire).",
        "{total} ({points} × {seeds}, shared points counted once): {stored}, nothing to compute (--force to redo).",
    ),
    "experiment.where_cluster": ("le cluster {address}", "the cluster {address}"),
    "experiment.progress": ("Entraînements", "Trainings"),
    "experiment.progress_starting": (
        "Démarrage des processus (chacun charge les données)",
        "Starting the workers (each loads the data)",
    ),
    "experiment.done": ("Terminé : {n} en {seconds} s.", "Done: {n} in {seconds} s."),
    "experiment.report_written": ("Rapport : {md}\n         {html}", "Report: {md}\n        {html}"),
    "experiment.store_at": ("Résultats : {path}", "Results: {path}"),
    "experiment.report_missing": (
        "Il manque encore {n} dans la base : le rapport le signale. Lancez la même étude sans --report pour compléter.",
        "Still missing from the store: {n}; the report says so. Run the same study without --report to complete it.",
    ),
    "experiment.code_versions": (
        "Attention : ces résultats viennent de plusieurs versions du code ({versions}) ; "
        "--force les recalcule tous avec celle-ci.",
        "Note: these results come from several versions of the code ({versions}); "
        "--force recomputes them all with this one.",
    ),
    # --- command line help ---
    "cli.experiment.help": (
        "L'exercice du document : faire varier les epochs, les neurones cachés, le taux d'apprentissage "
        "(plusieurs graines par point, en parallèle), puis écrire un rapport : que peut-on en déduire ?",
        "The document's exercise: vary the epochs, the hidden neurons, the learning rate "
        "(several seeds per point, in parallel), then write a report: what can we deduce?",
    ),
    "cli.experiment.factors": (
        "FACTEUR=VALEURS : une étude par facteur (ou une grille avec --grid). Ex. : hidden=5,10,20",
        "FACTOR=VALUES: one study per factor (or one grid with --grid). E.g.: hidden=5,10,20",
    ),
    "cli.experiment.vary": (
        "Faire varier un facteur autour des réglages fixes : --vary hidden=5,10,20,50,100 (répétable).",
        "Vary one factor around the fixed settings: --vary hidden=5,10,20,50,100 (repeatable).",
    ),
    "cli.experiment.grid": (
        "Croiser tous les facteurs donnés (toutes les combinaisons) : --grid epochs=1,3 hidden=10,20",
        "Cross all the factors given (every combination): --grid epochs=1,3 hidden=10,20",
    ),
    "cli.experiment.set": (
        "Changer un réglage fixe : --set epochs=1 (répétable).",
        "Change a fixed setting: --set epochs=1 (repeatable).",
    ),
    "cli.experiment.seeds": (
        "Graines par point (0, 1, …) : pour séparer les vraies différences du hasard.",
        "Seeds per point (0, 1, …): to tell real differences from chance.",
    ),
    "cli.experiment.mode": (
        "faithful : l'algorithme du document ; modern : l'entraîneur moderne (reseau.training).",
        "faithful: the document's algorithm; modern: the modern trainer (reseau.training).",
    ),
    "cli.experiment.preset": ("Mode modern : le préréglage de départ.", "Modern mode: the preset to start from."),
    "cli.experiment.workers": (
        "Processus de calcul locaux (défaut : un par processeur, dans la limite de la mémoire).",
        "Local worker processes (default: one per CPU, as memory allows).",
    ),
    "cli.experiment.cluster": (
        "Adresse d'un scheduler Dask (tcp://machine:8786) : calculer sur ce cluster.",
        "Address of a Dask scheduler (tcp://host:8786): compute on that cluster.",
    ),
    "cli.experiment.out": (
        "Dossier du rapport (report.md, report.html, figures) et de la base results.sqlite.",
        "Folder of the report (report.md, report.html, plots) and of the results.sqlite store.",
    ),
    "cli.experiment.store": (
        "Fichier SQLite des résultats (défaut : dans --out).",
        "SQLite file of the results (default: in --out).",
    ),
    "cli.experiment.force": ("Refaire les entraînements déjà enregistrés.", "Redo trainings already stored."),
    "cli.experiment.report": (
        "Réécrire le rapport à partir des résultats enregistrés, sans rien entraîner.",
        "Rewrite the report from the stored results, training nothing.",
    ),
    "cli.experiment.limit": (
        "N'utiliser que les N premières images d'entraînement.",
        "Use only the first N training images.",
    ),
    # --- the report ---
    "experiment.report.title_default": (
        "Faire varier les epochs, les neurones cachés, le taux d'apprentissage : que peut-on en déduire ?",
        "Varying the epochs, the hidden neurons, the learning rate: what can we deduce?",
    ),
    "experiment.report.title": ("Expériences sur le réseau du document", "Experiments on the document's network"),
    "experiment.report.question": (
        "Le document se termine par un exercice : « Faire varier le nombre d'epochs, le nombre de neurones "
        "de la couche cachée, le taux d'apprentissage. Que peut-on en déduire ? » Ce rapport le fait, "
        "en mesurant, et tire ses conclusions des nombres mesurés.",
        'The document ends with an exercise: "Vary the number of epochs, the number of neurons in the '
        'hidden layer, the learning rate. What can we deduce?" This report does it, by measuring, and '
        "draws its conclusions from the numbers measured.",
    ),
    "experiment.report.fixed_faithful": (
        "**Réglages fixes** (sauf le facteur étudié) : réseau 784-{hidden}-10 à sigmoïdes, "
        "taux d'apprentissage {lr}, {epochs}, l'algorithme du document (une image à la fois, "
        "dans l'ordre du fichier).",
        "**Fixed settings** (except the factor studied): 784-{hidden}-10 sigmoid network, "
        "learning rate {lr}, {epochs}, the document's algorithm (one image at a time, "
        "in file order).",
    ),
    "experiment.report.fixed_cnn": (
        "**Réglages fixes** (sauf le facteur étudié) : réseau convolutif, préréglage {preset} ({settings}).",
        "**Fixed settings** (except the factor studied): convolutional network, preset {preset} ({settings}).",
    ),
    "experiment.report.fixed_modern": (
        "**Réglages fixes** (sauf le facteur étudié) : entraîneur moderne, préréglage {preset} ({settings}).",
        "**Fixed settings** (except the factor studied): modern trainer, preset {preset} ({settings}).",
    ),
    "experiment.report.seeds": (
        "**Graines** : chaque point est entraîné {n} fois (graines {seeds}, c'est-à-dire d'autres poids "
        "initiaux) ; les tableaux donnent la moyenne ± l'écart-type entre graines.",
        "**Seeds**: each point is trained {n} times (seeds {seeds}, that is other initial weights); "
        "the tables give the mean ± the standard deviation between seeds.",
    ),
    "experiment.report.measures": (
        "**Mesures** : « test » = pourcentage des 10 000 images de test (jamais vues) reconnues à la fin ; "
        "« Précision » = le nombre affiché par le document à la dernière epoch, compté pendant "
        "l'apprentissage ; données {dataset}, {n_train} images d'entraînement.",
        '**Measures**: "test" = percentage of the 10,000 test images (never seen) recognised at the end; '
        '"Précision" = the number the document prints for the last epoch, counted while learning; '
        "{dataset} data, {n_train} training images.",
    ),
    "experiment.report.provenance": (
        "**Calcul** : {runs} entraînements, {seconds} s de calcul au total ; code {versions} ; "
        "empreinte des données {hashes}.",
        "**Computation**: {runs} trainings, {seconds} s of computing in all; code {versions}; "
        "data fingerprint {hashes}.",
    ),
    "experiment.report.command": ("**Pour refaire** : `{command}`", "**To redo**: `{command}`"),
    "experiment.report.deductions": ("Que peut-on en déduire ?", "What can we deduce?"),
    "experiment.report.no_results": ("Pas encore de résultats.", "No results yet."),
    "experiment.report.study_title": ("Étude : {factors}", "Study: {factors}"),
    "experiment.report.col_test": ("test (%)", "test (%)"),
    "experiment.report.col_precision": ("« Précision » (%)", '"Précision" (%)'),
    "experiment.report.col_seconds": ("entraînement (s)", "training (s)"),
    "experiment.report.col_runs": ("graines", "seeds"),
    "experiment.report.col_notes": ("remarques", "notes"),
    "experiment.report.note_diverged": ("diverge {n}/{m}", "diverged {n}/{m}"),
    "experiment.report.note_chance": ("au hasard {n}/{m}", "at chance {n}/{m}"),
    "experiment.report.note_missing": ("manque {n}/{m}", "missing {n}/{m}"),
    "experiment.report.footer": (
        "Rapport écrit par `reseau experiment` le {date}. Les phrases de « Que peut-on en déduire ? » "
        "sont calculées à partir des tableaux ci-dessus.",
        'Report written by `reseau experiment` on {date}. The sentences of "What can we deduce?" '
        "are computed from the tables above.",
    ),
    "experiment.factor.epochs": ("nombre d'epochs", "number of epochs"),
    "experiment.factor.hidden": ("neurones de la couche cachée", "hidden neurons"),
    "experiment.factor.lr": ("taux d'apprentissage (lr)", "learning rate (lr)"),
    "experiment.factor.learn_rate": ("taux d'apprentissage", "learning rate"),
    "experiment.factor.batch_size": ("taille des mini-lots", "mini-batch size"),
    # --- plots ---
    "experiment.plot.test": ("test (10 000 images jamais vues)", "test (10,000 never-seen images)"),
    "experiment.plot.precision": ("« Précision » du document (entraînement)", 'document\'s "Précision" (training)'),
    "experiment.plot.accuracy": ("images reconnues (%) — moyenne ± écart-type", "images recognised (%) — mean ± std"),
    "experiment.plot.test_axis": ("test (%) — moyenne ± écart-type", "test (%) — mean ± std"),
    "experiment.plot.chance": ("hasard (10 %)", "chance (10%)"),
    "experiment.plot.seconds": ("durée de l'entraînement (s), moyenne ± écart-type", "training time (s), mean ± std"),
    "experiment.plot.time_title": (
        "Durée selon le nombre de neurones cachés ({epochs} epochs)",
        "Time against the number of hidden neurons ({epochs} epochs)",
    ),
    # --- the deductions (each cites its numbers) ---
    "experiment.ccl.missing": (
        "{study} : il manque encore {missing} ; les phrases ci-dessous reposent sur les autres.",
        "{study}: {missing} still missing; the sentences below rest on the others.",
    ),
    "experiment.ccl.too_few": (
        "{study} : pas assez de points mesurés pour conclure.",
        "{study}: not enough points measured to conclude.",
    ),
    "experiment.ccl.none_learn": (
        "{study} : aucun réglage n'apprend — le test reste entre {low} % et {high} %, au niveau du hasard (10 %).",
        "{study}: no setting learns — the test accuracy stays between {low}% and {high}%, the level of chance (10%).",
    ),
    "experiment.ccl.none_learn_same": (
        "{study} : aucun réglage n'apprend — le test reste à {value} %, au niveau du hasard (10 %).",
        "{study}: no setting learns — the test accuracy stays at {value}%, the level of chance (10%).",
    ),
    "experiment.ccl.one_seed": (
        "Une seule graine par point : impossible de distinguer une vraie différence du hasard du tirage "
        "initial. Relancez avec --seeds 3.",
        "One seed per point: a real difference cannot be told from the luck of the initial draw. "
        "Run again with --seeds 3.",
    ),
    "experiment.ccl.noise": (
        "**Le bruit d'abord.** Avec les mêmes réglages mais d'autres poids initiaux ({seeds} graines), "
        "le test varie typiquement de ± {typical} ({spread}). Une différence plus petite "
        "que cela ne prouve rien.",
        "**Noise first.** With the same settings but other initial weights ({seeds} seeds), the test "
        "accuracy typically varies by ± {typical} ({spread}). A smaller difference "
        "proves nothing.",
    ),
    "experiment.ccl.range.std": (
        "écart-type médian ; de {low} à {high} selon le réglage",
        "median standard deviation; {low} to {high} depending on the point",
    ),
    "experiment.ccl.range.std_same": ("écart-type médian", "median standard deviation"),
    "experiment.ccl.range.gaps": ("écarts de {low} à {high}", "gaps from {low} to {high}"),
    "experiment.ccl.range.gap": ("écart de {value}", "a gap of {value}"),
    "experiment.ccl.noise_unstable": (
        "Exception : à {where}, le test varie de ± {std} d'une graine à l'autre (moyenne "
        "{t} %) — l'apprentissage y est instable et un essai unique n'y dirait rien.",
        "Exception: at {where}, the test accuracy varies by ± {std} from one seed to another "
        "(mean {t}%) — learning is unstable there and a single try would tell nothing.",
    ),
    # what a difference is worth, said after the sentence that rests on it
    "experiment.ccl.caveat.one_seed": (
        "Une seule graine par point : cet écart n'est pas vérifié.",
        "One seed per point: this difference is not verified.",
    ),
    "experiment.ccl.caveat.noise": (
        "Cet écart reste dans le bruit entre graines (± {noise}) : il ne prouve rien.",
        "This difference is within the seed-to-seed noise (± {noise}): it proves nothing.",
    ),
    "experiment.ccl.caveat.time_once": (
        "Chaque durée est mesurée une seule fois, à l'horloge : si la machine faisait autre chose en même "
        "temps, elle est allongée d'autant.",
        "Each time is measured once, by the clock: if the machine was doing something else meanwhile, it is "
        "longer by as much.",
    ),
    "experiment.ccl.caveat.time_busy": (
        "Attention : pour un même travail, la durée a varié de ± {spread} % d'une graine à l'autre ; "
        "la machine était occupée par ailleurs et ces durées ne sont qu'indicatives.",
        "Beware: for the same work, the time varied by ± {spread}% from one seed to another; the machine "
        "was busy with something else and these times are only indicative.",
    ),
    "experiment.ccl.epochs.rise": (
        "**Epochs.** Le test passe de {t_first} % après {e_first} à {t_best} % après {e_best} "
        "({gain}) : repasser sur les mêmes images continue d'apprendre.",
        "**Epochs.** The test accuracy goes from {t_first}% after {e_first} to {t_best}% after "
        "{e_best} ({gain}): going over the same images again keeps teaching the network.",
    ),
    "experiment.ccl.epochs.diminishing": (
        "Mais de moins en moins : de {a0} à {a1} epochs, {g_first} par epoch ajoutée ; "
        "de {b0} à {b1}, {g_last} par epoch.",
        "But less and less: from {a0} to {a1} epochs, {g_first} per added epoch; "
        "from {b0} to {b1}, {g_last} per epoch.",
    ),
    "experiment.ccl.epochs.plateau": (
        "À partir de {e_from} epochs, le gain tombe sous le bruit : le meilleur point suivant "
        "({e_to} epochs) n'apporte que {gain}, pour un écart-type entre graines de ± {noise}. "
        "Aller jusqu'à {e_last} epochs fait passer la durée de {s_from} s à {s_to} s sans progrès démontrable.",
        "From {e_from} epochs on, the gain falls below the noise: the best later point ({e_to} epochs) "
        "adds only {gain}, for a seed-to-seed standard deviation of ± {noise}. Going to {e_last} "
        "epochs takes the time from {s_from} s to {s_to} s with no demonstrable progress.",
    ),
    "experiment.ccl.epochs.still_rising": (
        "Le test progresse encore de {e_from} à {e_to} epochs ({gain}, plus que le bruit de "
        "± {noise}) : davantage d'epochs pourrait encore aider.",
        "The test accuracy still rises from {e_from} to {e_to} epochs ({gain}, more than the noise "
        "of ± {noise}): more epochs might still help.",
    ),
    "experiment.ccl.epochs.decline": (
        "De {e_from} à {e_to} epochs, le test baisse de {drop} alors que la « Précision » monte "
        "({p_from} % → {p_to} %) : le réseau commence à apprendre ses images d'entraînement par cœur "
        "(sur-apprentissage).",
        'From {e_from} to {e_to} epochs, the test accuracy drops by {drop} while the "Précision" '
        "rises ({p_from}% → {p_to}%): the network starts learning its training images by heart "
        "(overfitting).",
    ),
    "experiment.ccl.hidden.growth": (
        "**Neurones cachés.** De {h_first} à {h_last} neurones, le test passe de {t_first} % à {t_last} % "
        "({gain}) et la durée d'un entraînement de {s_first} s à {s_last} s (× {time_ratio}).",
        "**Hidden neurons.** From {h_first} to {h_last} neurons, the test accuracy goes from {t_first}% to "
        "{t_last}% ({gain}) and the time of one training from {s_first} s to {s_last} s "
        "(× {time_ratio}).",
    ),
    "experiment.ccl.hidden.time_slower": (
        "La durée croît moins vite que le nombre de neurones : × {h_ratio} neurones ne coûtent que "
        "× {time_ratio} de temps (pente {exponent} en échelle log-log) : une part du travail, fixe pour "
        "chaque image, ne dépend pas de la couche cachée.",
        "Time grows more slowly than the number of neurons: × {h_ratio} neurons cost only × {time_ratio} "
        "in time (slope {exponent} on log-log axes): part of the work, fixed for each image, does not "
        "depend on the hidden layer.",
    ),
    "experiment.ccl.hidden.time_flat": (
        "Ici, la durée ne dépend presque pas du nombre de neurones ({s_first} s → {s_last} s pour "
        "× {h_ratio} neurones, pente {exponent} en échelle log-log) : d'autres coûts dominent.",
        "Here the time hardly depends on the number of neurons ({s_first} s → {s_last} s for "
        "× {h_ratio} neurons, slope {exponent} on log-log axes): other costs dominate.",
    ),
    "experiment.ccl.hidden.time_linear": (
        "La durée est à peu près proportionnelle au nombre de neurones : × {h_ratio} neurones, "
        "× {time_ratio} de temps (pente {exponent} en échelle log-log).",
        "Time is roughly proportional to the number of neurons: × {h_ratio} neurons, × {time_ratio} in "
        "time (slope {exponent} on log-log axes).",
    ),
    "experiment.ccl.hidden.time_faster": (
        "La durée croît plus vite que le nombre de neurones : × {h_ratio} neurones, × {time_ratio} de "
        "temps (pente {exponent} en échelle log-log).",
        "Time grows faster than the number of neurons: × {h_ratio} neurons, × {time_ratio} in time "
        "(slope {exponent} on log-log axes).",
    ),
    "experiment.ccl.hidden.diminishing": (
        "Les rendements diminuent : de {a0} à {a1} neurones, {g_first} ; de {b0} à {b1}, {g_last}.",
        "Returns diminish: from {a0} to {a1} neurons, {g_first}; from {b0} to {b1}, {g_last}.",
    ),
    "experiment.ccl.hidden.plateau": (
        "Au-delà de {h} neurones, le gain ({gain} jusqu'à {h_top}) reste sous le bruit (± {noise}).",
        "Beyond {h} neurons, the gain ({gain} up to {h_top}) stays below the noise (± {noise}).",
    ),
    "experiment.ccl.hidden.too_small": (
        "Avec {h} neurones, le réseau est trop petit : {t} % au test mais aussi seulement {p} % de "
        "« Précision » (contre {t_best} % et {p_best} % avec {h_best}) — il n'arrive même pas à bien "
        "apprendre ses images d'entraînement.",
        'With {h} neurons the network is too small: {t}% on the test but also only {p}% "Précision" '
        "(against {t_best}% and {p_best}% with {h_best}) — it cannot even learn its training images well.",
    ),
    "experiment.ccl.lr.best": (
        "**Taux d'apprentissage.** Le meilleur mesuré est lr = {lr} : {t} % ± {s} au test.",
        "**Learning rate.** The best one measured is lr = {lr}: {t}% ± {s} on the test.",
    ),
    "experiment.ccl.lr.best_once": (
        "**Taux d'apprentissage.** Le meilleur mesuré est lr = {lr} : {t} % au test.",
        "**Learning rate.** The best one measured is lr = {lr}: {t}% on the test.",
    ),
    "experiment.ccl.lr.slow": (
        "lr = {lr}, plus petit, apprend plus lentement : {p0} % de « Précision » à la première epoch "
        "contre {bp0} % pour lr = {best_lr}, et {t} % au test après {epochs} epochs contre {best_t} %.",
        'lr = {lr}, smaller, learns more slowly: {p0}% "Précision" in the first epoch against {bp0}% for '
        "lr = {best_lr}, and {t}% on the test after {epochs} epochs against {best_t}%.",
    ),
    "experiment.ccl.lr.fast_start": (
        "lr = {lr}, plus grand, démarre plus vite ({p0} % de « Précision » à la première epoch contre "
        "{bp0} % pour lr = {best_lr}) mais finit moins bien : {t} % au test contre {best_t} % — des pas "
        "trop grands empêchent de s'affiner.",
        'lr = {lr}, larger, starts faster ({p0}% "Précision" in the first epoch against {bp0}% for '
        "lr = {best_lr}) but ends worse: {t}% on the test against {best_t}% — steps too large cannot "
        "fine-tune.",
    ),
    "experiment.ccl.lr.worse": (
        "lr = {lr}, plus grand, fait moins bien dès le début : {p0} % de « Précision » à la première epoch "
        "contre {bp0} % pour lr = {best_lr}, et {t} % au test contre {best_t} %.",
        'lr = {lr}, larger, does worse from the start: {p0}% "Précision" in the first epoch against '
        "{bp0}% for lr = {best_lr}, and {t}% on the test against {best_t}%.",
    ),
    "experiment.ccl.lr.tie": (
        "lr = {lrs} fait aussi bien que {best_lr} à un écart-type près (± {noise}) : {list}.",
        "lr = {lrs} does as well as {best_lr} within one standard deviation (± {noise}): {list}.",
    ),
    "experiment.ccl.lr.stall": (
        "Avec lr = {lr}, l'apprentissage cale : {t} % au test et {p} % de « Précision », loin des "
        "{best_t} % de lr = {best_lr}.",
        'With lr = {lr}, learning stalls: {t}% on the test and {p}% "Précision", far from the {best_t}% '
        "of lr = {best_lr}.",
    ),
    "experiment.ccl.lr.chance": (
        "Avec lr = {lrs}, le réseau n'apprend rien : {t} % au test ({p} % de « Précision »), le niveau "
        "du hasard (10 %). Les pas sont beaucoup trop grands.",
        'With lr = {lrs}, the network learns nothing: {t}% on the test ({p}% "Précision"), the level of '
        "chance (10%). The steps are far too large.",
    ),
    "experiment.ccl.lr.diverged": (
        "Avec lr = {lrs}, l'entraînement diverge : les poids deviennent infinis ou NaN ({n} sur {m}).",
        "With lr = {lrs}, training diverges: the weights become infinite or NaN ({n} of {m}).",
    ),
    "experiment.ccl.generic.real": (
        "**{factor}.** Le test va de {t_low} % ({factor} = {v_low}) à {t_high} % ({factor} = {v_high}) : "
        "un écart de {gap}, plus grand que le bruit entre graines (± {noise}).",
        "**{factor}.** The test accuracy goes from {t_low}% ({factor} = {v_low}) to {t_high}% "
        "({factor} = {v_high}): a gap of {gap}, larger than the seed-to-seed noise (± {noise}).",
    ),
    "experiment.ccl.generic.noise": (
        "**{factor}.** Le test va de {t_low} % ({factor} = {v_low}) à {t_high} % ({factor} = {v_high}) : "
        "un écart de {gap}, pas plus grand que le bruit entre graines (± {noise}) — ce facteur "
        "ne change rien de mesurable ici.",
        "**{factor}.** The test accuracy goes from {t_low}% ({factor} = {v_low}) to {t_high}% "
        "({factor} = {v_high}): a gap of {gap}, no larger than the seed-to-seed noise (± {noise}) "
        "— this factor changes nothing measurable here.",
    ),
    "experiment.ccl.grid.best": (
        "**Grille ({factors}).** La meilleure combinaison est {best} : {t} % ± {s} au test ; "
        "la moins bonne, {worst} : {tw} %.",
        "**Grid ({factors}).** The best combination is {best}: {t}% ± {s} on the test; the worst, {worst}: {tw}%.",
    ),
    "experiment.ccl.grid.best_once": (
        "**Grille ({factors}).** La meilleure combinaison est {best} : {t} % au test ; "
        "la moins bonne, {worst} : {tw} %.",
        "**Grid ({factors}).** The best combination is {best}: {t}% on the test; the worst, {worst}: {tw}%.",
    ),
    "experiment.ccl.grid.effect": (
        "En moyenne sur les autres facteurs, {factor} va de {t_lo} % ({factor} = {v_lo}) à {t_hi} % "
        "({factor} = {v_hi}).",
        "Averaged over the other factors, {factor} goes from {t_lo}% ({factor} = {v_lo}) to {t_hi}% "
        "({factor} = {v_hi}).",
    ),
    "experiment.ccl.gap.base": (
        "**« Précision » contre test.** Aux réglages fixes, la « Précision » affichée par le document "
        "vaut {p} % et le test {t} % (écart {gap}).",
        '**"Précision" against test.** At the fixed settings, the "Précision" the document prints is '
        "{p}% and the test accuracy {t}% (gap {gap}).",
    ),
    "experiment.ccl.gap.small": (
        "Là où le réseau apprend bien ({n}), la « Précision » ne dépasse jamais le test de plus de {high} "
        "({gaps}) : le réseau reconnaît les images jamais vues aussi bien que "
        "celles qu'il a apprises. Il généralise ; il n'apprend pas par cœur.",
        'Where the network learns well ({n}), the "Précision" never exceeds the test accuracy by more than '
        "{high} ({gaps}): the network recognises never-seen images as well as "
        "those it learned. It generalises; it does not learn by heart.",
    ),
    "experiment.ccl.gap.small_decline": (
        "Là où le réseau apprend bien ({n}), la « Précision » ne dépasse jamais le test de plus de {high} "
        "({gaps}) : l'écart reste petit ; l'apprentissage par cœur se voit ici à la "
        "baisse du test avec les epochs, pas à cet écart.",
        'Where the network learns well ({n}), the "Précision" never exceeds the test accuracy by more than '
        "{high} ({gaps}): the gap stays small; learning by heart shows here in the test "
        "accuracy falling with more epochs, not in this gap.",
    ),
    "experiment.ccl.gap.never_above": (
        "Là où le réseau apprend bien ({n}), la « Précision » reste toujours sous le test ({gaps}) : "
        "aucun signe d'apprentissage par cœur ; le réseau reconnaît les images jamais "
        "vues au moins aussi bien que celles qu'il apprend.",
        'Where the network learns well ({n}), the "Précision" always stays below the test accuracy '
        "({gaps}): no sign of learning by heart; the network recognises never-seen "
        "images at least as well as those it learns.",
    ),
    "experiment.ccl.gap.underfit": (
        "À {where}, la « Précision » dépasse le test de {gap} ({p} % contre {t} %), mais ce n'est pas de "
        "l'apprentissage par cœur : à ce réglage, le réseau apprend moins bien ses propres images "
        "d'entraînement ({p} % de « Précision » contre {p_best} % à {where_best}).",
        'At {where}, the "Précision" exceeds the test accuracy by {gap} ({p}% against {t}%), but this is not '
        "learning by heart: with this setting the network learns its own training images less well "
        '({p}% "Précision" against {p_best}% at {where_best}).',
    ),
    "experiment.ccl.gap.by_heart": (
        "Le plus grand écart est à {where} : « Précision » {p} % contre {t} % au test ({gap}). "
        "C'est un début d'apprentissage par cœur : le réseau reconnaît un peu mieux les images qu'il "
        "apprend que des images nouvelles.",
        'The largest gap is at {where}: "Précision" {p}% against {t}% on the test ({gap}). '
        "That is the beginning of learning by heart: the network recognises the images it learns a little "
        "better than new ones.",
    ),
    "experiment.ccl.gap.by_heart_strong": (
        "Le plus grand écart est à {where} : « Précision » {p} % contre {t} % au test ({gap}). "
        "Là, le réseau apprend nettement ses images d'entraînement par cœur : il les reconnaît bien mieux "
        "que des images nouvelles (sur-apprentissage).",
        'The largest gap is at {where}: "Précision" {p}% against {t}% on the test ({gap}). '
        "There the network clearly learns its training images by heart: it recognises them much better "
        "than new ones (overfitting).",
    ),
    "experiment.ccl.gap.pessimistic": (
        "À {where}, la « Précision » ({p} %) est même sous le test ({t} %, écart {gap}) : elle "
        "est comptée pendant l'apprentissage, alors que les poids changent encore, et sous-estime donc "
        "le réseau final.",
        'At {where}, the "Précision" ({p}%) is even below the test accuracy ({t}%, gap {gap}): it '
        "is counted while learning, as the weights still change, so it underestimates the final network.",
    ),
    # one learning rate as good as the best, in the list of experiment.ccl.lr.tie
    "experiment.ccl.lr.tie_item": ("{lr} : {t} %", "{lr}: {t}%"),
}
