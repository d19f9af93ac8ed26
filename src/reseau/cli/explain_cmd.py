"""``reseau explain``: one learning step of the document's algorithm, number by number.

A thin shell over :mod:`reseau.explain`: it chooses where the step starts
(the document's random weights for ``--seed``, or a trained model), loads
the image, asks for the step and prints it in the document's order and names,
as Rich tables, or as JSON with ``--json``.  ``reseau figures backprop`` and
``reseau figures derivative`` start the same way (:func:`reseau.explain.starting_point`).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table

from reseau.cli.common import LocalisedCommand, out, run_steps
from reseau.config import STEPS, check_int
from reseau.i18n import format_number, format_rate, format_sci, t

if TYPE_CHECKING:  # imported where used, so `reseau --help` needs no NumPy
    import numpy as np

    from reseau.explain import Start, Step

WEIGHTS = ("w_h_o", "b_h_o", "w_i_h", "b_i_h")  # what the document's update lines change
TOP = 8  # weight changes listed, largest first


def sentence(step: Step) -> str:
    """The one sentence that matters: the right digit's output before and after, and whether the answer changed."""
    change = step.right_after - step.right_before
    text = t(
        "explain.right",
        digit=step.digit,
        before=format_number(step.right_before, 4),
        after=format_number(step.right_after, 4),
        change=format_number(change, 4, sign=True),
        way=t("explain.up" if change > 0 else "explain.down"),
    )
    if step.answer == step.answer_after:
        key = "explain.still_right" if step.answer == step.digit else "explain.still"
        return text + " " + t(key, answer=step.answer)
    return text + " " + t("explain.changed", answer=step.answer, after=step.answer_after)


# ---------------------------------------------------------------------------
# The tables
# ---------------------------------------------------------------------------

DOCUMENT_LINES = (  # (name, the document's line) in the document's order
    ("img", "img.shape += (1,)"),
    ("l", "l.shape += (1,)"),
    ("h_pre", "h_pre = b_i_h + w_i_h @ img"),
    ("h", "h = 1 / (1 + np.exp(-h_pre))"),
    ("o_pre", "o_pre = b_h_o + w_h_o @ h"),
    ("o", "o = 1 / (1 + np.exp(-o_pre))"),
    ("e", "e = 1 / len(o) * np.sum((o - l) ** 2, axis=0)"),
    ("delta_o", "delta_o = o - l"),
    ("w_h_o", "w_h_o += -learn_rate * delta_o @ np.transpose(h)"),
    ("b_h_o", "b_h_o += -learn_rate * delta_o"),
    ("delta_h", "delta_h = np.transpose(w_h_o) @ delta_o * (h * (1 - h))"),
    ("w_i_h", "w_i_h += -learn_rate * delta_h @ np.transpose(img)"),
    ("b_i_h", "b_i_h += -learn_rate * delta_h"),
)


def _shape(step: Step, name: str) -> tuple[int, ...]:
    """The shape of what the document's line named ``name`` computes (the weights it updates, for an update)."""
    return getattr(step.after if name in WEIGHTS else step, name).shape


def lines_table(step: Step) -> Table:
    """The document's lines in order, each with the shape of what it computes and what it gives here."""
    table = Table(title=t("explain.table.lines"), title_justify="left", show_lines=False)
    for header in ("explain.col.line", "explain.col.shape", "explain.col.here"):
        table.add_column(t(header))
    for name, line in DOCUMENT_LINES:
        table.add_row(line, str(_shape(step, name)), summary(step, name))
    return table


def summary(step: Step, name: str) -> str:
    """What one line gives for this image, in a few words."""
    import numpy as np

    if name == "img":
        return t("explain.sum.img", ink=int(np.count_nonzero(step.img)))
    if name == "l":
        return t("explain.sum.l", digit=step.digit)
    if name == "e":
        return t("explain.sum.e", e=format_number(float(step.e[0]), 4))
    if name in ("w_h_o", "w_i_h"):
        change = getattr(step, f"change_{name}")
        top = format_sci(_largest(change), sign=True)
        return t("explain.sum.weights", n=int(np.count_nonzero(change)), size=change.size, top=top)
    if name in ("b_h_o", "b_i_h"):
        return t("explain.sum.biases", top=format_sci(_largest(getattr(step, f"change_{name}")), sign=True))
    values = getattr(step, name).reshape(-1)
    return t("explain.sum.range", low=format_number(float(values.min()), 4), high=format_number(float(values.max()), 4))


def _largest(change: np.ndarray) -> float:
    """The entry of ``change`` largest in size, with its sign."""
    import numpy as np

    return float(change.reshape(-1)[np.argmax(np.abs(change))])


def outputs_table(step: Step) -> Table:
    """The 10 outputs: ``l``, ``o_pre``, ``o``, ``delta_o = o - l``, the change to ``b_h_o``, ``o`` after."""
    from reseau import explain

    table = Table(title=t("explain.table.outputs"), title_justify="left")
    for header in ("k", "l", "o_pre", "o", "delta_o = o - l", "o " + t("explain.col.after")):
        table.add_column(header, justify="right")
    for k in range(explain.N_OUTPUTS):
        mark = t("explain.mark.right") if k == step.digit else ""
        mark += t("explain.mark.answer") if k == step.answer else ""
        table.add_row(
            f"{k}{mark}",
            str(int(step.l[k, 0])),
            format_number(float(step.o_pre[k, 0]), 4, sign=True),
            format_number(float(step.o[k, 0]), 4),
            format_number(float(step.delta_o[k, 0]), 4, sign=True),
            format_number(float(step.o_after[k, 0]), 4),
            style="bold" if k == step.digit else None,
        )
    return table


def hidden_table(step: Step) -> Table:
    """The hidden neurons: ``h_pre``, ``h``, ``h * (1 - h)``, the document's ``delta_h``, the textbook one, the gap."""
    table = Table(title=t("explain.table.hidden"), title_justify="left")
    headers = ("j", "h_pre", "h", "h * (1 - h)", "delta_h", t("explain.col.textbook"), t("explain.col.gap"))
    for header in headers:
        table.add_column(header, justify="right")
    for j in range(step.before.hidden):
        h = float(step.h[j, 0])
        table.add_row(
            str(j),
            format_number(float(step.h_pre[j, 0]), 3, sign=True),
            format_number(h, 4),
            format_number(h * (1 - h), 4),
            format_sci(float(step.delta_h[j, 0]), sign=True),
            format_sci(float(step.delta_h_textbook[j, 0]), sign=True),
            format_sci(float(step.delta_h_difference[j, 0]), sign=True),
        )
    return table


def changes_table(step: Step, count: int = TOP) -> Table:
    """The weights that moved the most, with their value before and after."""
    table = Table(title=t("explain.table.changes", n=count), title_justify="left")
    for header in ("explain.col.weight", "explain.col.before", "explain.col.change", "explain.col.after"):
        table.add_column(t(header), justify="left" if header == "explain.col.weight" else "right")
    for change in step.largest_changes(count):
        table.add_row(
            change.name,
            format_number(change.before, 4, sign=True),
            format_sci(change.change, sign=True),
            format_number(change.after, 4, sign=True),
        )
    return table


def show(step: Step, index: int, split: str, start: Start) -> None:
    """Print one step in full: the header, the four tables, the sentence."""
    import numpy as np

    out.print(
        t("explain.header", index=index, split=t(f"figures.split.{split}"), digit=step.digit, start=start.description)
    )
    out.print(t("explain.rate", lr=format_rate(step.learn_rate)))
    out.print()
    for table in (lines_table(step), outputs_table(step), hidden_table(step), changes_table(step)):
        out.print(table)
        out.print()
    out.print(t("explain.order", gap=format_sci(float(np.abs(step.delta_h_difference).max()))))
    out.print()
    out.print(sentence(step))


def show_following(steps: list[Step], first: int) -> None:
    """One line per step after the first: the right digit's output before and after, and the answer."""
    out.print()
    out.print(t("explain.following", n=len(steps)))
    for k, step in enumerate(steps, start=first):
        out.print(
            t(
                "explain.line",
                index=k,
                digit=step.digit,
                before=format_number(step.right_before, 4),
                after=format_number(step.right_after, 4),
                answer=step.answer,
                answer_after=step.answer_after,
            )
        )


def as_json(steps: list[Step], index: int, split: str, start: Start) -> str:
    """Every step's quantities (:meth:`Step.to_dict`), its largest changes and its sentence, as JSON."""
    found: list[dict[str, Any]] = []
    for k, step in enumerate(steps, start=index):
        changes = [c.__dict__ | {"name": c.name, "after": c.after} for c in step.largest_changes(TOP)]
        where = {"index": k, "split": split, "sentence": sentence(step), "largest_changes": changes}
        found.append(where | step.to_dict())
    return json.dumps({"start": start.description, "learn_rate": start.learn_rate, "steps": found})


def register(app: typer.Typer) -> None:
    @app.command("explain", help=t("explain.cli.help"), cls=LocalisedCommand)
    def explain_step(
        index: Annotated[int, typer.Option("--index", "-i", help=t("explain.opt.index"))] = 0,
        seed: Annotated[int | None, typer.Option("--seed", help=t("explain.opt.seed"))] = None,
        model_path: Annotated[Path | None, typer.Option("--model", "-m", help=t("explain.opt.model"))] = None,
        steps: Annotated[int, typer.Option("--steps", "-k", help=t("explain.opt.steps"))] = 1,
        lr: Annotated[float | None, typer.Option("--lr", help=t("explain.opt.lr"))] = None,
        test: Annotated[bool, typer.Option("--test", help=t("cli.opt.test"), metavar="")] = False,
        as_json_: Annotated[bool, typer.Option("--json", help=t("explain.opt.json"), metavar="")] = False,
        data_dir: Annotated[Path | None, typer.Option("--data-dir", help=t("cli.opt.data_dir"))] = None,
    ) -> None:
        from reseau import explain

        check_int("--steps", steps, STEPS)  # before loading anything
        start = explain.starting_point(seed, model_path, lr)
        found = run_steps(start, index, steps, test, data_dir)
        split = "test" if test else "train"
        if as_json_:
            typer.echo(as_json(found, index, split, start))
            return
        show(found[0], index, split, start)
        if len(found) > 1:
            show_following(found, index)
