"""The report: Markdown and HTML, a table and a plot per study, and the deductions.

:func:`build_report` makes the texts and figures (no file I/O);
:func:`write_report` writes them into a folder: ``report.md``,
``report.html``, ``results.csv`` (every run, one row each) and one PNG
per plot, side by side so both documents show them with relative links.
"""

from __future__ import annotations

import datetime
import html
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from reseau.data import DATASETS
from reseau.errors import ReseauError
from reseau.experiments.conclusions import Writer, conclusions, factor_label, study_title
from reseau.experiments.runs import CHANCE, RunResult
from reseau.experiments.site_reference import runs_csv
from reseau.experiments.studies import TRAIN_IMAGES, Study, is_default, word
from reseau.experiments.summary import PointStats, StudyTable, summarise
from reseau.i18n import counted, format_count, get_language, t

LOG_FACTORS = ("lr", "learn_rate", "hidden", "batch_size", "weight_decay")
TEST_COLOR, PRECISION_COLOR, TIME_COLOR = "#1f77b4", "#ff7f0e", "#2ca02c"


@dataclass
class Report:
    """A report ready to write: its Markdown, its HTML and its figures by file name."""

    markdown: str
    html: str
    figures: dict[str, Figure] = field(default_factory=dict)
    conclusions: list[str] = field(default_factory=list)
    tables: list[StudyTable] = field(default_factory=list)
    code_versions: list[str] = field(default_factory=list)  # versions of the code behind the results
    csv: str = ""  # every run, one row each (site_reference.runs_csv): written as results.csv


# ---------------------------------------------------------------------------
# Figures
# ---------------------------------------------------------------------------


def positions(values: list) -> dict[str, float]:
    """Where each factor value sits on the x axis: itself if all are numbers, else its rank."""
    numeric = all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values)
    return {repr(v): (v if numeric else i) for i, v in enumerate(values)}


def study_figure(table: StudyTable, lang: str | None = None) -> Figure:
    """Test accuracy and training "Précision" (mean ± std over seeds) against the factor."""
    fig = Figure(figsize=(7, 4.2), layout="constrained")
    ax = fig.subplots()
    where = positions([p.value() for p in table.points])
    points = table.usable
    xs = [where[repr(p.value())] for p in points]
    w = Writer(lang)
    for name, marker, line, color in (("test", "o", "-", TEST_COLOR), ("precision", "s", "--", PRECISION_COLOR)):
        means = [getattr(p, f"{name}_mean") for p in points]
        stds = [getattr(p, f"{name}_std") or 0 for p in points]
        label = t(f"experiment.plot.{name}", lang=lang)
        ax.errorbar(xs, means, yerr=stds, marker=marker, capsize=4, linestyle=line, color=color, label=label)
    for x, p in zip(xs, points):  # the test value beside each point, on the side away from the "Précision"
        above = p.test_mean >= p.precision_mean
        ax.annotate(
            w.num(p.test_mean),
            (x, p.test_mean),
            textcoords="offset points",
            xytext=(0, 9 if above else -15),
            ha="center",
            fontsize=8,
            color=TEST_COLOR,
            bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.8},
        )
    if any(p.test_mean < 50 for p in points):
        ax.axhline(CHANCE, color="grey", linestyle=":", linewidth=1)
        ax.annotate(
            t("experiment.plot.chance", lang=lang),
            (0.01, CHANCE),
            xycoords=("axes fraction", "data"),
            xytext=(0, 3),
            textcoords="offset points",
            fontsize=8,
            color="grey",
        )
    for p in table.points:  # diverged runs: a red cross at chance level
        if p.diverged:
            ax.plot([where[repr(p.value())]], [CHANCE], marker="x", color="red", markersize=10)
    _factor_axis(ax, table.factor, [p.value() for p in table.points], lang)
    ax.set_ylabel(t("experiment.plot.accuracy", lang=lang))
    ax.set_title(study_title(table, lang))
    ax.grid(True, alpha=0.3)
    ax.legend(loc="best", fontsize=9)
    return fig


def _factor_axis(ax, factor: str, values: list, lang: str | None) -> None:
    """Ticks at the values tried, labelled as the command line writes them; log scale for rates."""
    where = positions(values)
    numeric = all(where[repr(v)] == v for v in values)
    if numeric and factor in LOG_FACTORS and all(v > 0 for v in values):
        ax.set_xscale("log")
    ax.set_xticks([where[repr(v)] for v in values], [word(v) for v in values])
    ax.minorticks_off()
    ax.set_xlabel(factor_label(factor, lang))


def time_figure(table: StudyTable, lang: str | None = None) -> Figure:
    """Seconds per run (mean ± std over seeds) against the hidden layer's size."""
    fig = Figure(figsize=(7, 4), layout="constrained")
    ax = fig.subplots()
    points = [p for p in table.points if p.seconds_mean is not None]
    xs, seconds = [p.value() for p in points], [p.seconds_mean for p in points]
    ax.errorbar(xs, seconds, yerr=[p.seconds_std or 0 for p in points], marker="o", capsize=4, color=TIME_COLOR)
    w = Writer(lang)
    for x, s in zip(xs, seconds):
        ax.annotate(w.num(s) + " s", (x, s), textcoords="offset points", xytext=(0, 8), ha="center", fontsize=8)
    ax.set_xlabel(factor_label(table.factor, lang))
    ax.set_xticks(xs, [str(x) for x in xs])
    ax.set_ylim(0, max(seconds) * 1.2)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: w.num(v)))  # 0,25 in French
    ax.set_ylabel(t("experiment.plot.seconds", lang=lang))
    ax.set_title(t("experiment.plot.time_title", lang=lang, epochs=points[0].epochs if points else "?"))
    ax.grid(True, alpha=0.3)
    return fig


def grid_figure(table: StudyTable, lang: str | None = None) -> Figure:
    """Test accuracy against the first factor, one line per combination of the others."""
    fig = Figure(figsize=(7.5, 4.5), layout="constrained")
    ax = fig.subplots()
    first, others = table.factors[0], table.factors[1:]
    lines: dict[tuple, list[PointStats]] = {}
    for p in table.usable:
        lines.setdefault(tuple(p.values[f] for f in others), []).append(p)
    firsts = list(dict.fromkeys(p.values[first] for p in table.points))
    where = positions(firsts)
    for combo, points in lines.items():
        label = ", ".join(f"{f}={word(v)}" for f, v in zip(others, combo))
        ax.errorbar(
            [where[repr(p.values[first])] for p in points],
            [p.test_mean for p in points],
            yerr=[p.test_std or 0 for p in points],
            marker="o",
            capsize=3,
            label=label,
        )
    _factor_axis(ax, first, firsts, lang)
    ax.set_ylabel(t("experiment.plot.test_axis", lang=lang))
    ax.set_title(study_title(table, lang))
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize=7, ncol=2 if len(lines) > 6 else 1)
    return fig


def figures_for(table: StudyTable, lang: str | None = None) -> dict[str, Figure]:
    """The plots of one study, by file name."""
    if not table.usable:
        return {}
    if len(table.factors) > 1:
        return {f"{table.name}.png": grid_figure(table, lang)}
    figures = {f"{table.name}.png": study_figure(table, lang)}
    if table.factor == "hidden":
        figures["time-hidden.png"] = time_figure(table, lang)
    return figures


# ---------------------------------------------------------------------------
# Markdown
# ---------------------------------------------------------------------------


def cell(mean: float | None, std: float | None, w: Writer, digits: int = 2) -> str:
    if mean is None:
        return "—"
    return w.num(mean, digits) + ("" if std is None else " ± " + w.num(std, digits))


def table_markdown(table: StudyTable, lang: str | None = None) -> str:
    w = Writer(lang)
    columns = [t(f"experiment.report.col_{c}", lang=lang) for c in ("test", "precision", "seconds", "runs", "notes")]
    head = [factor_label(f, lang) for f in table.factors] + columns
    align = "|" + "|".join("---:" for _ in table.factors) + "|---:|---:|---:|---:|:---|"  # numbers right, notes left
    rows = ["| " + " | ".join(head) + " |", align]
    for p in table.points:
        missing = p.expected - p.n
        counts = {"diverged": (p.diverged, p.n), "chance": (p.at_chance, p.n), "missing": (missing, p.expected)}
        notes = [t(f"experiment.report.note_{note}", lang=lang, n=n, m=m) for note, (n, m) in counts.items() if n > 0]
        stats = [cell(p.test_mean, p.test_std, w), cell(p.precision_mean, p.precision_std, w)]
        stats += [cell(p.seconds_mean, p.seconds_std, w), f"{p.n}/{p.expected}", "; ".join(notes)]
        rows.append("| " + " | ".join([f"`{word(p.values[f])}`" for f in table.factors] + stats) + " |")
    return "\n".join(rows)


def settings_text(study: Study, lang: str | None = None) -> str:
    """The settings held fixed, in words."""
    words = {name: word(value) for name, value in study.base.items()}
    params = dict(words)
    epochs = study.base.get("epochs")
    if isinstance(epochs, int):  # "3 epochs", "1 epoch"
        params["epochs"] = counted(epochs, "unit.epoch", lang)
    return t(
        f"experiment.report.fixed_{study.mode}",
        lang=lang,
        preset=study.preset or "-",
        settings=", ".join(f"{name}={text}" for name, text in words.items()),
        **params,
    )


def provenance(results: list[RunResult], lang: str | None = None) -> str:
    versions = sorted({r.code_version for r in results})
    hashes = sorted({r.dataset_hash for r in results})
    seconds = sum(r.seconds for r in results)
    return t(
        "experiment.report.provenance",
        lang=lang,
        runs=format_count(len(results), lang),
        seconds=Writer(lang).num(seconds, 0),
        versions=", ".join(f"`{v}`" for v in versions),
        hashes=", ".join(f"`{h}`" for h in hashes),
    )


def report_markdown(
    studies: list[Study],
    tables: list[StudyTable],
    sentences: list[str],
    results: list[RunResult],
    command: str,
    figures: dict[str, Figure],
    lang: str | None = None,
) -> str:
    first = studies[0]
    title = t("experiment.report.title_default" if is_default(studies) else "experiment.report.title", lang=lang)
    parts = [f"# {title}", ""]
    if is_default(studies):
        parts += [t("experiment.report.question", lang=lang), ""]
    n_train = format_count(tables[0].n_train if tables else TRAIN_IMAGES, lang)
    dataset = DATASETS[first.dataset].title if first.dataset in DATASETS else first.dataset
    parts += [
        "- " + settings_text(first, lang),
        "- " + t("experiment.report.seeds", lang=lang, n=len(first.seeds), seeds=", ".join(map(str, first.seeds))),
        "- " + t("experiment.report.measures", lang=lang, dataset=dataset, n_train=n_train),
        "- " + provenance(results, lang),
    ]
    if command:
        parts.append("- " + t("experiment.report.command", lang=lang, command=command))
    parts += ["", f"## {t('experiment.report.deductions', lang=lang)}", ""]
    parts += [f"- {s}" for s in sentences] or [t("experiment.report.no_results", lang=lang)]
    for table in tables:
        parts += ["", f"## {study_title(table, lang)}", "", table_markdown(table, lang), ""]
        for name in figures_for_names(table, figures):
            parts.append(f"![{study_title(table, lang)}]({name})")
    stamp = datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    parts += ["", "---", t("experiment.report.footer", lang=lang, date=stamp), ""]
    return "\n".join(parts)


def figures_for_names(table: StudyTable, figures: dict[str, Figure]) -> list[str]:
    names = [f"{table.name}.png"] + (["time-hidden.png"] if table.factors == ("hidden",) else [])
    return [n for n in names if n in figures]


# ---------------------------------------------------------------------------
# HTML
# ---------------------------------------------------------------------------

CSS = """body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;max-width:60rem;margin:2rem auto;
padding:0 1rem;line-height:1.5;color:#222}table{border-collapse:collapse;margin:1rem 0;font-size:.95rem}
th,td{border:1px solid #ccc;padding:.3rem .6rem}th{background:#f3f3f3}img{max-width:100%;height:auto}
code{background:#f3f3f3;padding:0 .2rem;border-radius:3px}h2{margin-top:2.2rem;border-bottom:1px solid #ddd}"""


def markdown_to_html(markdown: str, title: str, lang: str) -> str:
    """A self-contained page (no CDN, no script) from the report's Markdown."""
    from markdown_it import MarkdownIt

    body = MarkdownIt("commonmark").enable("table").render(markdown)
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(title)}</title>\n<style>{CSS}</style>\n</head>\n"
        f"<body>\n{body}</body>\n</html>\n"
    )


# ---------------------------------------------------------------------------
# Putting it together
# ---------------------------------------------------------------------------


def build_report(
    studies: list[Study], results: dict[str, RunResult], command: str = "", lang: str | None = None
) -> Report:
    """Tables, deductions, figures and both documents for ``studies`` from ``results``."""
    lang = lang or get_language()
    tables = [summarise(s, results) for s in studies]
    sentences = conclusions(tables, lang)
    figures: dict[str, Figure] = {}
    for table in tables:
        figures.update(figures_for(table, lang))
    used = {s.key for st in studies for s in st.specs()}
    runs = [r for k, r in results.items() if k in used]
    markdown = report_markdown(studies, tables, sentences, runs, command, figures, lang)
    title = markdown.splitlines()[0].lstrip("# ")
    versions = sorted({r.code_version for r in runs})
    html_text = markdown_to_html(markdown, title, lang)
    return Report(markdown, html_text, figures, sentences, tables, versions, runs_csv(studies, results))


def write_report(report: Report, out_dir: str | Path) -> Path:
    """Write ``report.md``, ``report.html``, ``results.csv`` and the PNGs into ``out_dir``; returns report.md's path."""
    out_dir = Path(out_dir).expanduser()
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        for name, fig in report.figures.items():
            _atomic_write(out_dir / name, lambda f, fig=fig: fig.savefig(f, format="png", dpi=110))
        if report.csv:
            _atomic_write(out_dir / "results.csv", lambda f: f.write(report.csv.encode()))
        _atomic_write(out_dir / "report.html", lambda f: f.write(report.html.encode()))
        _atomic_write(out_dir / "report.md", lambda f: f.write(report.markdown.encode()))
    except OSError as exc:
        raise ReseauError("experiment.cannot_write", path=out_dir, reason=exc.strerror or exc) from None
    return out_dir / "report.md"


def _atomic_write(path: Path, write) -> None:
    """Write through a temporary file beside ``path`` then rename, so a reader never sees half a file.

    The temporary name is unique (process id and random letters), created
    exclusively: two reports written at once into one folder each write their
    own file, and the last renamed wins, whole.
    """
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)  # the usual permissions (umask applies)
    try:
        with open(fd, "wb") as f:
            write(f)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
