"""Write the course notebooks, French and English, from one list of cells.

    python notebooks/build_notebooks.py

Each cell is given once with its French and English text side by side, so the
two notebooks cannot drift apart.  The notebooks are written without outputs
into ``src/reseau/notebooks/`` (so ``reseau notebook`` can copy them after a
``pip install``); ``notebooks/`` links to them.  Tests execute both.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

HERE = Path(__file__).resolve().parent
TARGET = HERE.parent / "src" / "reseau" / "notebooks"
NAMES = {"fr": "reseau_de_neurones.ipynb", "en": "reseau_de_neurones_en.ipynb"}


def md(fr: str, en: str) -> tuple[str, str, str]:
    return ("markdown", fr.strip(), en.strip())


def code(fr: str, en: str | None = None) -> tuple[str, str, str]:
    """A code cell; ``en`` differs from ``fr`` only by its comments and printed words."""
    return ("code", fr.strip(), (en if en is not None else fr).strip())


CELLS = [
    md("""
# Qu'est-ce qu'un réseau de neurones artificiels ?

Ce cahier suit le document du cours, pas à pas : le programme `NN.py` apprend à reconnaître les chiffres
écrits à la main de la base **MNIST** avec un petit réseau de neurones **784 → 20 → 10**, écrit « à la main »
avec NumPy.

Le paquet `reseau` fait les calculs longs (et vite) ; quand le but est de **lire** le code du document,
on exécute le code du document lui-même.

Exécutez les cellules dans l'ordre (Maj + Entrée).
""", """
# What is an artificial neural network?

This notebook follows the course document step by step: the program `NN.py` learns to recognise the
handwritten digits of the **MNIST** database with a small **784 → 20 → 10** neural network, written "by hand"
with NumPy.

The `reseau` package does the long computations (fast); where the point is to **read** the document's code,
we run the document's code itself.

Run the cells in order (Shift + Enter).
"""),
    code("""
%matplotlib inline
import numpy as np
import matplotlib.pyplot as plt

import reseau
from reseau import figures
from reseau.i18n import format_number, set_language

set_language("fr")  # les titres des figures en français
""", """
%matplotlib inline
import numpy as np
import matplotlib.pyplot as plt

import reseau
from reseau import figures
from reseau.i18n import set_language

set_language("en")  # figure titles in English
"""),
    md("""
## 1. Charger les images

Le document commence par `images, labels = get_mnist()`. On charge en mémoire **60 000 images** de
28 × 28 = **784 pixels**. Chaque pixel est un niveau de gris entre 0 (blanc) et 255 (noir) ; le programme le
divise par 255 pour travailler avec des nombres entre 0 et 1.

Chaque image a son **étiquette** : le chiffre qu'elle représente. Elle est rangée sous forme « one-hot » :
10 cases, toutes à 0 sauf celle du bon chiffre, à 1.
""", """
## 1. Loading the images

The document starts with `images, labels = get_mnist()`. It loads **60,000 images** of
28 × 28 = **784 pixels** into memory. Each pixel is a grey level from 0 (white) to 255 (black); the program
divides it by 255 to work with numbers between 0 and 1.

Each image has its **label**: the digit it shows. It is stored "one-hot": 10 boxes, all 0 except the right
digit's, which is 1.
"""),
    code("""
images, labels = reseau.get_mnist()   # la fonction get_mnist() du document
print("images :", images.shape)        # (60000, 784)
print("labels :", labels.shape)        # (60000, 10)
print("étiquette de l'image 0 :", labels[0], "-> chiffre", labels[0].argmax())
""", """
images, labels = reseau.get_mnist()   # the document's get_mnist()
print("images:", images.shape)         # (60000, 784)
print("labels:", labels.shape)         # (60000, 10)
print("label of image 0:", labels[0], "-> digit", labels[0].argmax())
"""),
    code("""
# L'image 0 vue par le programme : 28 x 28 niveaux de gris, son étiquette one-hot, et sa ligne de 784 nombres
figures.sample_figure(images[0], labels[0], index=0)
""", """
# Image 0 as the program sees it: 28 x 28 grey levels, its one-hot label, and its row of 784 numbers
figures.sample_figure(images[0], labels[0], index=0)
"""),
    md("""
### Des exemples de chaque chiffre

La planche du document : une ligne par chiffre, 16 vrais exemples de la base. Certains sont difficiles à lire,
même pour nous !
""", """
### Examples of each digit

The document's sheet: one row per digit, 16 real examples from the database. Some are hard to read, even for us!
"""),
    code("""
figures.digits_figure(images, labels, per_digit=16, seed=0)
"""),
    md("""
## 2. Des poids au hasard

*On commence par mettre AU HASARD les valeurs des poids dans le réseau.* Le réseau a :

- `w_i_h` : les poids de l'entrée (*input*, 784 pixels) vers la couche cachée (*hidden*, 20 neurones) :
  un tableau 20 × 784 ;
- `w_h_o` : les poids de la couche cachée vers la sortie (*output*, 10 neurones, un par chiffre) : 10 × 20 ;
- `b_i_h`, `b_h_o` : les biais, qui commencent à 0.

Le document ne fixe pas le hasard ; ici on fixe la « graine » (`np.random.seed(0)`) pour que chacun obtienne
exactement les mêmes nombres.
""", """
## 2. Random weights

*We start by setting the weights of the network AT RANDOM.* The network has:

- `w_i_h`: the weights from the input (784 pixels) to the hidden layer (20 neurons): a 20 × 784 array;
- `w_h_o`: the weights from the hidden layer to the output (10 neurons, one per digit): 10 × 20;
- `b_i_h`, `b_h_o`: the biases, which start at 0.

The document does not fix the randomness; here we fix the "seed" (`np.random.seed(0)`) so that everyone gets
exactly the same numbers.
"""),
    code("""
np.random.seed(0)
w_i_h = np.random.uniform(-0.5, 0.5, (20, 784))
w_h_o = np.random.uniform(-0.5, 0.5, (10, 20))
b_i_h = np.zeros((20, 1))
b_h_o = np.zeros((10, 1))
print("w_i_h :", w_i_h.shape, " premiers poids :", np.round(w_i_h[0, :4], 3))
print("w_h_o :", w_h_o.shape, " entre", round(w_h_o.min(), 3), "et", round(w_h_o.max(), 3))
""", """
np.random.seed(0)
w_i_h = np.random.uniform(-0.5, 0.5, (20, 784))
w_h_o = np.random.uniform(-0.5, 0.5, (10, 20))
b_i_h = np.zeros((20, 1))
b_h_o = np.zeros((10, 1))
print("w_i_h:", w_i_h.shape, " first weights:", np.round(w_i_h[0, :4], 3))
print("w_h_o:", w_h_o.shape, " between", round(w_h_o.min(), 3), "and", round(w_h_o.max(), 3))
"""),
    md("""
## 3. La sigmoïde

Chaque neurone fait une somme pondérée de ses entrées, puis la passe dans la fonction **sigmoïde**
σ(x) = 1 / (1 + e<sup>−x</sup>), qui ramène n'importe quel nombre entre 0 et 1 (la « renormalisation » du
document). Pour un neurone à une entrée x, avec un poids w et un biais b, il calcule σ(w·x + b) :

- **w** règle la **pente** : plus w est grand, plus le passage de 0 à 1 est brutal ;
- **b** **décale** la courbe vers la gauche ou la droite.

Les trois cas du document :
""", """
## 3. The sigmoid

Each neuron makes a weighted sum of its inputs, then passes it through the **sigmoid** function
σ(x) = 1 / (1 + e<sup>−x</sup>), which brings any number between 0 and 1 (the document's "renormalisation").
For a neuron with one input x, a weight w and a bias b, it computes σ(w·x + b):

- **w** sets the **slope**: the larger w, the sharper the step from 0 to 1;
- **b** **shifts** the curve left or right.

The document's three cases:
"""),
    code("""
figures.sigmoid_figure([(1, 0), (4, 0), (0.25, 0.41)])
"""),
    md("""
## 4. Une image traverse le réseau (propagation avant)

Voici le code du document, appliqué à l'image 0 avec les poids tirés au hasard. `@` est le produit de
matrices : chaque neurone caché fait la somme de ses 784 entrées multipliées par leurs poids.
""", """
## 4. One image goes through the network (forward propagation)

Here is the document's code, applied to image 0 with the random weights. `@` is the matrix product: each hidden
neuron sums its 784 inputs multiplied by their weights.
"""),
    code("""
img = images[0].reshape(784, 1)   # le document écrit img.shape += (1,)
l = labels[0].reshape(10, 1)
# Forward propagation input -> hidden
h_pre = b_i_h + w_i_h @ img
h = 1 / (1 + np.exp(-h_pre))
# Forward propagation hidden -> output
o_pre = b_h_o + w_h_o @ h
o = 1 / (1 + np.exp(-o_pre))
print("h (20 neurones cachés) :", np.round(h.ravel(), 2))
print("o (10 sorties)         :", np.round(o.ravel(), 2))
print("le réseau répond", o.argmax(), "; la bonne réponse est", l.argmax())
""", """
img = images[0].reshape(784, 1)   # the document writes img.shape += (1,)
l = labels[0].reshape(10, 1)
# Forward propagation input -> hidden
h_pre = b_i_h + w_i_h @ img
h = 1 / (1 + np.exp(-h_pre))
# Forward propagation hidden -> output
o_pre = b_h_o + w_h_o @ h
o = 1 / (1 + np.exp(-o_pre))
print("h (20 hidden neurons):", np.round(h.ravel(), 2))
print("o (10 outputs)       :", np.round(o.ravel(), 2))
print("the network answers", o.argmax(), "; the right answer is", l.argmax())
"""),
    md("""
Avec des poids au hasard, la réponse est… au hasard. Il faut **apprendre**.

## 5. L'erreur et la correction des poids (rétropropagation)

On compare la sortie `o` à ce qu'on attendait, l'étiquette `l` : `delta_o = o - l`. Là où `delta_o` est
positif, la sortie est trop grande ; là où il est négatif, trop petite.

**Pourquoi `o - l` ?** La *dérivée* d'une fonction dit dans quel sens et de combien elle change quand on bouge
un peu ce dont elle dépend. Pour corriger un poids, on veut savoir comment l'erreur change si on bouge ce poids,
puis le bouger un peu dans le sens qui diminue l'erreur : c'est la **descente de gradient**, et
`learn_rate` règle la taille du pas. Avec une sortie sigmoïde et l'erreur « entropie croisée », les calculs se
simplifient et la dérivée de l'erreur par rapport à `o_pre` vaut exactement `o - l`. (Le document calcule aussi
l'erreur quadratique `e`, mais ne s'en sert pas.)

Puis on remonte vers la couche cachée : chaque neurone caché reçoit sa part de l'erreur (`np.transpose(w_h_o)
@ delta_o`), multipliée par la dérivée de la sigmoïde, `h * (1 - h)`, qui dit combien ce neurone réagit.
Détail : le document met à jour `w_h_o` **avant** de calculer `delta_h` ; on garde son ordre.
""", """
With random weights the answer is… random. The network has to **learn**.

## 5. The error and the correction of the weights (backpropagation)

We compare the output `o` with what we expected, the label `l`: `delta_o = o - l`. Where `delta_o` is positive
the output is too large; where it is negative, too small.

**Why `o - l`?** The *derivative* of a function tells in which direction and by how much it changes when we move
a little what it depends on. To correct a weight, we want to know how the error changes when that weight moves,
then move it a little in the direction that lowers the error: that is **gradient descent**, and `learn_rate`
sets the size of the step. With a sigmoid output and the "cross-entropy" error, the computation simplifies and
the derivative of the error with respect to `o_pre` is exactly `o - l`. (The document also computes the squared
error `e`, but never uses it.)

Then we go back to the hidden layer: each hidden neuron gets its share of the error (`np.transpose(w_h_o) @
delta_o`), multiplied by the sigmoid's derivative, `h * (1 - h)`, which says how much that neuron reacts.
Detail: the document updates `w_h_o` **before** computing `delta_h`; we keep its order.
"""),
    code("""
learn_rate = 0.01
e = 1 / len(o) * np.sum((o - l) ** 2, axis=0)   # calculée par le document, jamais utilisée
print("erreur quadratique e :", np.round(e, 4))
# Backpropagation output -> hidden (cost function derivative)
delta_o = o - l
w_h_o += -learn_rate * delta_o @ np.transpose(h)
b_h_o += -learn_rate * delta_o
# Backpropagation hidden -> input (activation function derivative)
delta_h = np.transpose(w_h_o) @ delta_o * (h * (1 - h))
w_i_h += -learn_rate * delta_h @ np.transpose(img)
b_i_h += -learn_rate * delta_h
print("delta_o :", np.round(delta_o.ravel(), 3))
print("delta_h :", np.round(delta_h.ravel(), 4))
""", """
learn_rate = 0.01
e = 1 / len(o) * np.sum((o - l) ** 2, axis=0)   # computed by the document, never used
print("squared error e:", np.round(e, 4))
# Backpropagation output -> hidden (cost function derivative)
delta_o = o - l
w_h_o += -learn_rate * delta_o @ np.transpose(h)
b_h_o += -learn_rate * delta_o
# Backpropagation hidden -> input (activation function derivative)
delta_h = np.transpose(w_h_o) @ delta_o * (h * (1 - h))
w_i_h += -learn_rate * delta_h @ np.transpose(img)
b_i_h += -learn_rate * delta_h
print("delta_o:", np.round(delta_o.ravel(), 3))
print("delta_h:", np.round(delta_h.ravel(), 4))
"""),
    md("""
### La même étape, toutes ses grandeurs gardées

`reseau.explain.step` fait exactement ces lignes (les mêmes opérations, dans le même ordre : les mêmes poids
au bit près), mais garde chaque grandeur sous le nom que lui donne le document, et ce que le réseau répond
**après** l'étape. Il calcule aussi, à côté, le `delta_h` des manuels (avec l'ancien `w_h_o`) : l'ordre du document
le rend toujours un peu plus petit. Dans un terminal : `reseau explain --index 0`.
""", """
### The same step, every quantity kept

`reseau.explain.step` does exactly these lines (the same operations, in the same order: the same weights to the
bit), but keeps each quantity under the name the document gives it, and what the network answers **after** the
step. It also computes, beside it, the textbooks' `delta_h` (with the old `w_h_o`): the document's order always
makes it a little smaller. In a terminal: `reseau explain --index 0`.
"""),
    code("""
from reseau import explain

pas = explain.step(images[0], labels[0], explain.Weights.document_start(seed=0))   # une étape, depuis la graine 0
print("les mêmes poids qu'à la main :", np.array_equal(pas.after.w_i_h, w_i_h) and np.array_equal(pas.after.w_h_o, w_h_o))
print(f"sortie du chiffre {pas.digit} : avant {format_number(pas.right_before, 4)}, après {format_number(pas.right_after, 4)}")
print("le réseau répond", pas.answer, "avant l'étape et", pas.answer_after, "après")
print("delta_h du document - delta_h des manuels :", np.round(pas.delta_h_difference.ravel(), 5))
""", """
from reseau import explain

step = explain.step(images[0], labels[0], explain.Weights.document_start(seed=0))   # one step, from seed 0
print("the same weights as by hand:", np.array_equal(step.after.w_i_h, w_i_h) and np.array_equal(step.after.w_h_o, w_h_o))
print(f"output for digit {step.digit}: before {step.right_before:.4f}, after {step.right_after:.4f}")
print("the network answers", step.answer, "before the step and", step.answer_after, "after")
print("the document's delta_h - the textbooks' delta_h:", np.round(step.delta_h_difference.ravel(), 5))
"""),
    md("""
Toute l'étape en une image : l'image, `h` et `o` avant, `delta_o`, `delta_h`, puis le changement des 784 poids de
chaque neurone caché (20 petites images : c'est l'image elle-même, multipliée par `-learn_rate * delta_h[j]`) et
`o` après. Rouge : trop grand, l'étape le fait baisser ; bleu : trop petit, elle le fait monter.
""", """
The whole step in one picture: the image, `h` and `o` before, `delta_o`, `delta_h`, then the change of each hidden
neuron's 784 weights (20 small images: the image itself, times `-learn_rate * delta_h[j]`) and `o` after. Red: too
large, the step lowers it; blue: too small, the step raises it.
"""),
    code("""
figures.backprop_figure(pas, index=0)
""", """
figures.backprop_figure(step, index=0)
"""),
    md("""
### Ce que dit une dérivée

Prenons un seul poids, celui que l'étape a le plus bougé, et regardons le **coût** de l'image (l'entropie croisée,
dont la dérivée par rapport à `o_pre` est exactement `delta_o = o - l`) quand ce poids seul change. La **pente**
de la courbe à la valeur actuelle du poids est la dérivée : c'est le gradient que l'étape a utilisé. L'étape
déplace le poids de `-learn_rate × gradient` : un petit pas dans le sens où le coût descend. De près, la courbe
se confond avec sa tangente : c'est pour cela qu'un petit pas suffit à faire baisser le coût.
""", """
### What a derivative says

Take one weight, the one the step moved the most, and look at the image's **cost** (the cross-entropy, whose
derivative with respect to `o_pre` is exactly `delta_o = o - l`) when that weight alone changes. The **slope** of
the curve at the weight's current value is the derivative: it is the gradient the step used. The step moves the
weight by `-learn_rate × gradient`: a small step the way the cost goes down. Close up, the curve is its tangent:
that is why a small step is enough to lower the cost.
"""),
    code("""
derivee = explain.derivative(pas)
print(f"poids {derivee.name} : pente {format_number(derivee.gradient, 4)}, pas {format_number(derivee.change, 5)}")
figures.derivative_figure(pas, index=0, d=derivee)
""", """
derivative = explain.derivative(step)
print(f"weight {derivative.name}: slope {derivative.gradient:.4f}, step {derivative.change:.5f}")
figures.derivative_figure(step, index=0, d=derivative)
"""),
    md("""
## 6. L'entraînement : 3 epochs

On recommence pour chaque image (60 000 corrections), puis on recommence le tout 3 fois : ce sont les
**epochs**. Le programme du document prend quelques secondes par epoch ; `reseau` fait exactement le même
calcul, compilé, en une fraction de seconde. Il affiche les lignes du document :
""", """
## 6. Training: 3 epochs

We repeat this for every image (60,000 corrections), then do it all again 3 times: these are the **epochs**.
The document's program takes a few seconds per epoch; `reseau` does exactly the same computation, compiled, in a
fraction of a second. It prints the document's lines:
"""),
    code("""
test_images, test_labels = reseau.get_mnist("test")   # 10 000 images que le réseau ne verra jamais pendant l'apprentissage

def afficher(epoch):
    print(f"Epoch : {epoch.epoch}, Précision : {epoch.precision}%")   # la ligne du document, telle quelle

network, history = reseau.train(images, labels, reseau.FaithfulConfig(epochs=3, seed=0),
                                test=(test_images, test_labels), on_epoch=afficher)
print(f"Test (10 000 images jamais vues) : {format_number(network.accuracy(test_images, test_labels))} %")
""", """
test_images, test_labels = reseau.get_mnist("test")   # 10,000 images the network never sees while learning

def show(epoch):
    print(f"Epoch: {epoch.epoch}, Training accuracy: {epoch.precision}%")

network, history = reseau.train(images, labels, reseau.FaithfulConfig(epochs=3, seed=0),
                                test=(test_images, test_labels), on_epoch=show)
print(f"Test (10,000 never-seen images): {network.accuracy(test_images, test_labels):.2f}%")
"""),
    md("""
**« Précision » n'est pas la note finale.** Le document compte les images bien reconnues *pendant* qu'il les
apprend : le réseau change après chaque image, et il a peut-être déjà vu une image semblable. La vraie question
est : que fait-il sur des images **qu'il n'a jamais vues** ? C'est la ligne « Test », mesurée sur les 10 000
images de test de MNIST, après l'entraînement. Si la précision d'entraînement était bien plus haute que celle
du test, le réseau aurait appris *par cœur* au lieu d'apprendre à *généraliser*.
""", """
**"Training accuracy" is not the final mark.** The document counts the images recognised *while* it learns them:
the network changes after every image, and may already have seen a similar one. The real question is: how does
it do on images **it has never seen**? That is the "Test" line, measured on MNIST's 10,000 test images after
training. If the training accuracy were much higher than the test accuracy, the network would have learned
*by heart* instead of learning to *generalise*.
"""),
    code("""
figures.curves_figure(history, sizes=network.sizes)
"""),
    md("""
### Ce que regarde chaque neurone caché

Les 784 poids de chaque neurone caché, remis en carré 28 × 28 : en rouge les pixels qui l'excitent, en bleu
ceux qui l'éteignent.
""", """
### What each hidden neuron looks for

The 784 weights of each hidden neuron, laid back as a 28 × 28 square: in red the pixels that excite it, in blue
those that switch it off.
"""),
    code("""
figures.neurons_figure(network)
"""),
    md("""
## 7. L'inférence : reconnaître une image

*C'est le même calcul qu'au début du programme, sauf que maintenant on a fini l'entraînement.* Choisissez un
numéro entre 0 et 59999 :
""", """
## 7. Inference: recognising an image

*It is the same computation as at the start of the program, except that training is now finished.* Choose a
number between 0 and 59999:
"""),
    code("""
index = 7   # changez-moi
o = network.forward(images[index])
figures.prediction_figure(images[index], o, index, int(labels[index].argmax()))
""", """
index = 7   # change me
o = network.forward(images[index])
figures.prediction_figure(images[index], o, index, int(labels[index].argmax()))
"""),
    code("""
# Couche par couche : l'image, les 20 neurones cachés h, puis les 10 sorties o
figures.forward_figure(network, images[index], index, int(labels[index].argmax()))
""", """
# Layer by layer: the image, the 20 hidden neurons h, then the 10 outputs o
figures.forward_figure(network, images[index], index, int(labels[index].argmax()))
"""),
    code("""
# Où se trompe-t-il ? La matrice de confusion sur les 10 000 images de test, et ses erreurs les plus sûres d'elles
figures.errors_figure(network, test_images, test_labels)
""", """
# Where does it go wrong? The confusion matrix on the 10,000 test images, and its most confident mistakes
figures.errors_figure(network, test_images, test_labels)
"""),
]


def build(lang: str) -> nbformat.NotebookNode:
    column = 1 if lang == "fr" else 2
    cells = []
    for cell in CELLS + EXERCISE + BEYOND:
        text = cell[column]
        cells.append(new_markdown_cell(text) if cell[0] == "markdown" else new_code_cell(text))
    nb = new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    return nb


EXERCISE = [
    md("""
## 8. L'exercice : faire varier… que peut-on en déduire ?

Le document termine par : *faire varier le nombre d'epochs, le nombre de neurones de la couche cachée, le taux
d'apprentissage. Que peut-on en déduire ?*

Pour répondre **avec des preuves**, on entraîne le réseau pour chaque réglage, en changeant un seul facteur à la
fois autour des valeurs du document, et **plusieurs fois** avec des graines différentes : deux entraînements ne
donnent jamais exactement le même résultat, et une différence plus petite que cet écart entre graines n'est que
du bruit. Les calculs se font en parallèle. (Une version plus complète : `reseau experiment` dans un terminal.)
""", """
## 8. The exercise: vary… what can we deduce?

The document ends with: *vary the number of epochs, the number of hidden neurons, the learning rate. What can we
deduce?*

To answer **with evidence**, we train the network for each setting, changing one factor at a time around the
document's values, and **several times** with different seeds: two trainings never give exactly the same result,
and a difference smaller than that seed-to-seed spread is only noise. The runs go in parallel. (A fuller version:
`reseau experiment` in a terminal.)
"""),
    code("""
import tempfile
from pathlib import Path
from IPython.display import Markdown, display
from reseau import experiments
from reseau.experiments.report import table_markdown

etudes = experiments.build_studies(vary=["epochs=1,2,3,5", "hidden=5,10,20,50", "lr=0.001,0.01,0.1,1,10"],
                                   seeds=2)
dossier = Path(tempfile.mkdtemp())   # les résultats sont enregistrés ici (base SQLite)
with experiments.ResultStore(dossier / "results.sqlite") as store:
    resultats = experiments.run_studies(etudes, store, workers=2)
rapport = experiments.build_report(etudes, resultats)
print(len(resultats), "entraînements")
""", """
import tempfile
from pathlib import Path
from IPython.display import Markdown, display
from reseau import experiments
from reseau.experiments.report import table_markdown

studies = experiments.build_studies(vary=["epochs=1,2,3,5", "hidden=5,10,20,50", "lr=0.001,0.01,0.1,1,10"],
                                    seeds=2)
folder = Path(tempfile.mkdtemp())   # the results are stored here (SQLite database)
with experiments.ResultStore(folder / "results.sqlite") as store:
    results = experiments.run_studies(studies, store, workers=2)
report = experiments.build_report(studies, results)
print(len(results), "trainings")
"""),
    code("""
# Un tableau par étude (moyenne ± écart entre graines), puis les courbes
for tableau in rapport.tables:
    display(Markdown(table_markdown(tableau)))
for nom, figure in rapport.figures.items():
    display(figure)
""", """
# One table per study (mean ± spread over seeds), then the curves
for table in report.tables:
    display(Markdown(table_markdown(table)))
for name, figure in report.figures.items():
    display(figure)
"""),
    md("""
### Que peut-on en déduire ?

Les phrases ci-dessous ne sont pas écrites d'avance : le programme les calcule à partir des nombres mesurés
juste au-dessus (relancez avec d'autres réglages, elles changent).
""", """
### What can we deduce?

The sentences below are not written in advance: the program computes them from the numbers measured just above
(run it again with other settings and they change).
"""),
    code("""
display(Markdown("\\n".join("- " + phrase for phrase in rapport.conclusions)))
""", """
display(Markdown("\\n".join("- " + sentence for sentence in report.conclusions)))
"""),
]

BEYOND = [
    md("""
## 9. Et après ?

Le réseau du document plafonne vers 93-94 %. Les vrais réseaux atteignent 98-99 % sur MNIST avec quelques idées
de plus, toujours sans bibliothèque d'apprentissage, juste NumPy : une sortie *softmax* avec l'entropie croisée,
la fonction ReLU dans la couche cachée, 100 neurones au lieu de 20, des poids de départ mieux choisis (He),
et l'apprentissage par **mini-lots** de 32 images au lieu d'une à la fois, avec un « élan » (momentum). C'est le préréglage `better` :
""", """
## 9. What next?

The document's network levels off around 93-94 %. Real networks reach 98-99 % on MNIST with a few more ideas,
still with no learning library, just NumPy: a *softmax* output with cross-entropy, the ReLU function in the
hidden layer, 100 neurons instead of 20, better starting weights (He), and learning in **mini-batches** of 32
images instead of one at a time, with momentum. That is the `better` preset:
"""),
    code("""
reglages = reseau.presets()["better"].with_(epochs=3)   # 3 epochs pour aller vite
print(reglages)
reseau_moderne, historique = reseau.train(images, labels, reglages, test=(test_images, test_labels),
                                          on_epoch=lambda e: print(f"epoch {e.epoch} : validation {format_number(e.val_accuracy)} %"))
print(f"Test (10 000 images jamais vues) : {format_number(historique.test_accuracy)} %")
""", """
settings = reseau.presets()["better"].with_(epochs=3)   # 3 epochs, to be quick
print(settings)
modern_network, modern_history = reseau.train(images, labels, settings, test=(test_images, test_labels),
                                              on_epoch=lambda e: print(f"epoch {e.epoch}: validation {e.val_accuracy:.2f}%"))
print(f"Test (10,000 never-seen images): {modern_history.test_accuracy:.2f}%")
"""),
    md("""
Dans un terminal, `reseau train --preset better` fait la même chose jusqu'au bout, et
`reseau train --preset best` entraîne le meilleur réseau de ce type (deux couches de 1024 neurones, l'optimiseur
Adam, le *dropout*) : plus de 98,5 % en deux minutes environ. Le tableau du fichier README donne les précisions
mesurées, idée par idée.
""", """
In a terminal, `reseau train --preset better` does the same to the end, and `reseau train --preset best` trains
the best network of this kind (two layers of 1024 neurons, the Adam optimiser, dropout): over 98.5 % in about two
minutes. The README's table gives the measured accuracies, one idea at a time.
"""),
    md("""
## 10. Lire l'écriture d'une personne : la convolution

98 % sur les images de test de MNIST ne veut pas dire « sait lire l'écriture d'une personne ». Déplaçons
simplement les 10 000 images de test de 2 pixels vers la droite et vers le bas : ce sont toujours les mêmes
chiffres, mais pour le réseau du document ce sont 784 pixels différents.
""", """
## 10. Reading a person's handwriting: convolution

98 % on MNIST's test images does not mean "reads a person's handwriting". Let us simply move the 10,000 test
images 2 pixels right and down: they are the same digits, but for the document's network they are 784 different
pixels.
"""),
    code("""
from reseau import distort

decales = distort.shift(test_images, 2, 2)   # 2 pixels vers le bas, 2 vers la droite
print(f"images de test telles quelles : {format_number(network.accuracy(test_images, test_labels))} %")
print(f"décalées de 2 pixels :          {format_number(network.accuracy(decales, test_labels))} %")
""", """
from reseau import distort

moved = distort.shift(test_images, 2, 2)   # 2 pixels down, 2 to the right
print(f"test images as they are: {network.accuracy(test_images, test_labels):.2f}%")
print(f"moved by 2 pixels:       {network.accuracy(moved, test_labels):.2f}%")
"""),
    md("""
Chaque neurone caché du document a **un poids par pixel** : ce qu'il a appris à un endroit ne vaut rien un pixel
plus loin. Une **convolution** fait glisser un petit **noyau** (par exemple 5 × 5 poids) sur toute l'image et
calcule, à chaque position, la somme des pixels multipliés par ces poids : ce qu'un noyau sait reconnaître, il le
trouve partout. Le résultat est une **carte de caractéristiques**. Voici un noyau fait à la main qui répond aux
traits horizontaux, et sa carte sur un vrai chiffre :
""", """
Each of the document's hidden neurons has **one weight per pixel**: what it learned at one place is worth nothing
one pixel further. A **convolution** slides a small **kernel** (say 5 × 5 weights) over the whole image and computes,
at each position, the sum of the pixels times those weights: what a kernel recognises, it finds anywhere. The result
is a **feature map**. Here is a hand-made kernel that answers horizontal strokes, and its map on a real digit:
"""),
    code("""
from reseau.training.convlayers import im2col

noyau = np.array([[-1, -1, -1, -1, -1], [0, 0, 0, 0, 0], [2, 2, 2, 2, 2], [0, 0, 0, 0, 0], [-1, -1, -1, -1, -1]])
image = images[7].reshape(1, 28, 28, 1)                  # (1 image, 28 lignes, 28 colonnes, 1 canal)
carte = (im2col(image, 5) @ noyau.reshape(25, 1)).reshape(24, 24)   # chaque fenêtre 5x5 fois le noyau
fig, axes = plt.subplots(1, 3, figsize=(9, 3))
for ax, (titre, a) in zip(axes, [("image", image[0, :, :, 0]), ("noyau 5x5", noyau), ("carte 24x24", carte)]):
    ax.imshow(a, cmap="gray" if titre == "image" else "RdBu_r"); ax.set_title(titre); ax.axis("off")
plt.show()
""", """
from reseau.training.convlayers import im2col

kernel = np.array([[-1, -1, -1, -1, -1], [0, 0, 0, 0, 0], [2, 2, 2, 2, 2], [0, 0, 0, 0, 0], [-1, -1, -1, -1, -1]])
image = images[7].reshape(1, 28, 28, 1)                  # (1 image, 28 rows, 28 columns, 1 channel)
feature_map = (im2col(image, 5) @ kernel.reshape(25, 1)).reshape(24, 24)   # each 5x5 window times the kernel
fig, axes = plt.subplots(1, 3, figsize=(9, 3))
for ax, (title, a) in zip(axes, [("image", image[0, :, :, 0]), ("5x5 kernel", kernel), ("24x24 map", feature_map)]):
    ax.imshow(a, cmap="gray" if title == "image" else "RdBu_r"); ax.set_title(title); ax.axis("off")
plt.show()
"""),
    md("""
Un réseau convolutif **apprend** ses noyaux (32 puis 64), garde la plus forte réponse de chaque carré de 2 × 2
pixels (*max-pooling*, qui rend les petits décalages presque invisibles), puis termine par les couches de neurones
d'avant. `reseau train --preset cnn` en entraîne un, et `reseau train --preset dessin` l'entraîne sur des chiffres
déformés comme les dessinent les gens (plus grands, plus petits, penchés, traits fins ou épais). Le tableau de
robustesse du fichier README mesure chaque réseau sur des chiffres décalés, tournés, épaissis, et sur des chiffres
qui ne viennent pas de MNIST (toutes les polices installées) : **la précision sur le test de MNIST n'est pas la
même chose que lire l'écriture d'une personne**, et le réseau du document, excellent professeur, y est mauvais élève.
""", """
A convolutional network **learns** its kernels (32, then 64), keeps the strongest answer of each 2 × 2 square
(*max-pooling*, which makes small shifts almost invisible), then ends with the dense layers of before.
`reseau train --preset cnn` trains one, and `reseau train --preset dessin` trains it on digits distorted the way
people draw them (bigger, smaller, slanted, thin or thick strokes). The README's robustness table measures every
network on shifted, rotated and thickened digits, and on digits that do not come from MNIST (every installed font):
**accuracy on MNIST's test set is not the same as reading a person's handwriting**, and the document's network, an
excellent teacher, is a poor student there.
"""),
]


def main() -> None:
    TARGET.mkdir(parents=True, exist_ok=True)
    for lang, name in NAMES.items():
        nbformat.write(build(lang), TARGET / name)
        print("wrote", TARGET / name)


if __name__ == "__main__":
    main()
