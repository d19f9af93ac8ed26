"""``python -m reseau`` runs the command line."""

from reseau.cli import main

main()
