"""« Que peut-on en déduire ? » — what :mod:`reseau.experiments.findings` measured, said in sentences.

Nothing here is written in advance: each rule fills a sentence of the message table with the
numbers it rests on; change the numbers and the sentences change.  A sentence resting on a
difference says so when it is within the noise, or when a single seed was measured (then there
is no noise to compare with), and a time deduction when the times of identical runs varied.
"""

from __future__ import annotations

from reseau.experiments.findings import (
    DEFAULT_NOISE,
    GAP_POINTS,
    SMALL_NETWORK_POINTS,
    STRONG_GAP_POINTS,
    TIME_SPREAD,
    base_point,
    declines,
    declining,
    end_gains,
    learning,
    lr_kind,
    main_effect,
    noise_measured,
    pair_noise,
    plateau_of,
    seed_noise,
    study_noise,
    time_exponent,
    time_shape,
    time_spread,
    underfits,
)
from reseau.experiments.studies import word
from reseau.experiments.summary import PointStats, StudyTable
from reseau.i18n import counted, format_number, get_language, plural, t


def factor_label(name: str, lang: str | None = None) -> str:
    """A factor in words (``lr`` -> "taux d'apprentissage (lr)"); unknown factors keep their name."""
    try:
        return t(f"experiment.factor.{name}", lang=lang)
    except KeyError:
        return name


def study_title(table: StudyTable, lang: str | None = None) -> str:
    labels = ", ".join(factor_label(f, lang) for f in table.factors)
    return t("experiment.report.study_title", lang=lang, factors=labels)


class Writer:
    """Numbers in the reader's language (:mod:`reseau.i18n`): ``93,32`` in French, ``93.32`` in English."""

    def __init__(self, lang: str | None = None, wording: dict[str, str] | None = None) -> None:
        self.lang = lang or get_language()
        self.wording = wording or {}  # sentence -> another message key saying it (see conclusions())

    def num(self, x: float, digits: int = 2) -> str:
        return format_number(x, digits, self.lang)

    def pts(self, x: float, digits: int = 2) -> str:
        """A difference of accuracies with its unit: ``0,37 point``, ``2,50 points``."""
        return f"{self.num(x, digits)} {self._unit(x, digits)}"

    def pts_signed(self, x: float, digits: int = 2) -> str:
        return f"{format_number(x, digits, self.lang, sign=True)} {self._unit(x, digits)}"

    def _unit(self, x: float, digits: int = 2) -> str:
        return t(f"unit.point.{plural(round(x, digits), self.lang)}", lang=self.lang)

    def where(self, point: PointStats) -> str:
        return ", ".join(f"{name}={word(v)}" for name, v in point.values.items())

    def gap(self, p: PointStats) -> dict[str, str]:
        """What the gap sentences say of a point: where it is, its "Précision" ``p``, its test ``t``, their ``gap``."""
        gap = self.pts_signed(p.precision_mean - p.test_mean)
        return {"where": self.where(p), "p": self.num(p.precision_mean), "t": self.num(p.test_mean), "gap": gap}

    def gaps(self, low: float, high: float) -> str:
        """``écarts de −0,36 point à +0,12 point``, or ``écart de −0,36 point`` when both read the same."""
        lo, hi = self.pts_signed(low), self.pts_signed(high)
        return self.say("range.gap", value=lo) if lo == hi else self.say("range.gaps", low=lo, high=hi)

    def say(self, key: str, **params: object) -> str:
        return t(self.wording.get(key, f"experiment.ccl.{key}"), lang=self.lang, **params)


def conclusions(tables: list[StudyTable], lang: str | None = None, wording: dict[str, str] | None = None) -> list[str]:
    """The deductions the tables support, each a sentence citing its numbers.

    ``wording`` says some sentences in another audience's words: ``{"one_seed": "classe.ccl.one_seed"}``
    (a class runs no command line) — same parameters, another message key.
    """
    w = Writer(lang, wording)
    sentences = noise_sentences(tables, w)
    for table in tables:
        if table.missing:
            missing = counted(table.missing, "unit.training", w.lang)
            sentences.append(w.say("missing", study=study_title(table, w.lang), missing=missing))
        if len(table.usable) < 2:
            sentences.append(w.say("too_few", study=study_title(table, w.lang)))
            continue
        if not learning(table.points):
            tests = [p.test_mean for p in table.usable]
            low, high, title = w.num(min(tests)), w.num(max(tests)), study_title(table, w.lang)
            if low == high:  # « entre 9,74 % et 9,74 % » says one number twice
                sentences.append(w.say("none_learn_same", study=title, value=low))
            else:
                sentences.append(w.say("none_learn", study=title, low=low, high=high))
        sentences += study_sentences(table, w)
    sentences += gap_sentences(tables, w)
    return sentences


def study_sentences(table: StudyTable, w: Writer) -> list[str]:
    if len(table.factors) > 1:
        return grid_sentences(table, w)
    rules = {"epochs": epochs_sentences, "hidden": hidden_sentences, "lr": lr_sentences, "learn_rate": lr_sentences}
    return rules.get(table.factor, generic_sentences)(table, w)


def caveat(w: Writer, difference: float, noise: float, points: list[PointStats]) -> str:
    """What a ``difference`` of accuracies is worth, as a sentence to append ("" when it beats the noise).

    With a single seed no noise was measured: the difference is not verified.
    """
    if not noise_measured(points):
        return unmeasured(w, points)
    if abs(difference) <= noise:
        return " " + w.say("caveat.noise", noise=w.pts(noise))
    return ""


def unmeasured(w: Writer, points: list[PointStats]) -> str:
    """The caveat of a sentence resting on a single seed ("" when the seed-to-seed noise was measured)."""
    return "" if noise_measured(points) else " " + w.say("caveat.one_seed")


def time_caveat(points: list[PointStats], w: Writer) -> str:
    """What the times are worth: each measured once, or varying between identical runs (a busy machine)."""
    spread = time_spread(points)
    if spread is None:
        return " " + w.say("caveat.time_once")
    if spread > TIME_SPREAD:
        return " " + w.say("caveat.time_busy", spread=w.num(100 * spread, 0))
    return ""


def noise_sentences(tables: list[StudyTable], w: Writer) -> list[str]:
    """The typical seed-to-seed noise, and the points where it is exceptionally large."""
    seeds = max((tb.seeds for tb in tables), default=0)
    noise = seed_noise(tables)
    if noise is None:
        return [w.say("one_seed")] if seeds == 1 else []
    typical, steady, unstable = noise
    low, high = w.pts(min(steady)), w.pts(max(steady))
    spread = w.say("range.std_same") if low == high else w.say("range.std", low=low, high=high)
    out = [w.say("noise", typical=w.pts(typical), spread=spread, seeds=seeds)]
    for s, p in unstable:
        out.append(w.say("noise_unstable", where=w.where(p), std=w.pts(s), t=w.num(p.test_mean)))
    return out


def diminishing(w: Writer, key: str, points: list[PointStats], g_first: float, g_last: float) -> str:
    """Diminishing returns: the gain ``g_first`` between the first two points, only ``g_last`` between the last two."""
    (a, b), (c, d) = points[:2], points[-2:]
    g_first_, g_last_ = w.pts_signed(g_first), w.pts_signed(g_last)
    return w.say(key, a0=a.value(), a1=b.value(), g_first=g_first_, b0=c.value(), b1=d.value(), g_last=g_last_)


def epochs_sentences(table: StudyTable, w: Writer) -> list[str]:
    points = sorted(learning(table.points), key=lambda p: p.value())
    if len(points) < 2:
        return []
    noise = study_noise(table)
    first, last = points[0], points[-1]
    best = max(points, key=lambda p: p.test_mean)
    out = [
        w.say(
            "epochs.rise",
            e_first=counted(first.value(), "unit.epoch", w.lang),
            t_first=w.num(first.test_mean),
            e_best=counted(best.value(), "unit.epoch", w.lang),
            t_best=w.num(best.test_mean),
            gain=w.pts_signed(best.test_mean - first.test_mean),
        )
        + caveat(w, best.test_mean - first.test_mean, pair_noise(first, best, noise), points)
    ]
    if len(points) >= 3:
        per_first, per_last = end_gains(points, per_unit=True)  # points per added epoch
        if per_first > per_last:
            out.append(diminishing(w, "epochs.diminishing", points, per_first, per_last))
    plateau = plateau_of(points, noise)
    if plateau is None:  # the last step still gains more than the noise
        key, (p, top, used) = "epochs.still_rising", (points[-2], last, pair_noise(points[-2], last, noise))
    else:
        key, (p, top, used) = "epochs.plateau", plateau
    gain = w.pts_signed(top.test_mean - p.test_mean)
    times = {"s_from": w.num(p.seconds_mean, 1), "s_to": w.num(last.seconds_mean, 1)}  # what a plateau costs
    out.append(
        w.say(key, e_from=p.value(), e_to=top.value(), gain=gain, noise=w.pts(used), e_last=last.value(), **times)
        + unmeasured(w, points)
    )
    if declines(points, noise):
        out.append(
            w.say(
                "epochs.decline",
                e_from=best.value(),
                e_to=last.value(),
                drop=w.pts(best.test_mean - last.test_mean),
                p_from=w.num(best.precision_mean),
                p_to=w.num(last.precision_mean),
            )
        )
    return out


def hidden_sentences(table: StudyTable, w: Writer) -> list[str]:
    points = sorted(learning(table.points), key=lambda p: p.value())
    if len(points) < 2:
        return []
    noise = study_noise(table)
    first, last = points[0], points[-1]
    best = max(points, key=lambda p: p.test_mean)
    out = [
        w.say(
            "hidden.growth",
            h_first=first.value(),
            h_last=last.value(),
            t_first=w.num(first.test_mean),
            t_last=w.num(last.test_mean),
            gain=w.pts_signed(last.test_mean - first.test_mean),
            s_first=w.num(first.seconds_mean),
            s_last=w.num(last.seconds_mean),
            time_ratio=w.num(last.seconds_mean / first.seconds_mean, 1),
        )
        + caveat(w, last.test_mean - first.test_mean, pair_noise(first, last, noise), points)
    ]
    exponent = time_exponent(points)
    if exponent is not None:
        out.append(
            w.say(
                f"hidden.time_{time_shape(exponent)}",
                exponent=w.num(exponent),
                s_first=w.num(first.seconds_mean),
                s_last=w.num(last.seconds_mean),
                h_ratio=w.num(last.value() / first.value(), 0),
                time_ratio=w.num(last.seconds_mean / first.seconds_mean, 1),
            )
            + time_caveat(points, w)
        )
    if len(points) >= 3:
        g_first, g_last = end_gains(points)
        if g_first > max(g_last, pair_noise(points[0], points[1], noise)):
            out.append(diminishing(w, "hidden.diminishing", points, g_first, g_last))
    plateau = plateau_of(points, noise)
    if plateau is not None:
        p, top, used = plateau
        out.append(
            w.say(
                "hidden.plateau",
                h=p.value(),
                h_top=top.value(),
                gain=w.pts_signed(top.test_mean - p.test_mean),
                noise=w.pts(used),
            )
            + unmeasured(w, points)
        )
    if best.test_mean - first.test_mean > max(SMALL_NETWORK_POINTS, 3 * noise) and underfits(first, points):
        out.append(
            w.say(
                "hidden.too_small",
                h=first.value(),
                t=w.num(first.test_mean),
                p=w.num(first.precision_mean),
                h_best=best.value(),
                t_best=w.num(best.test_mean),
                p_best=w.num(best.precision_mean),
            )
            + caveat(w, best.test_mean - first.test_mean, pair_noise(first, best, noise), points)
        )
    return out


def lr_sentences(table: StudyTable, w: Writer) -> list[str]:
    noise = study_noise(table)
    usable = sorted(table.usable, key=lambda p: p.value())
    best = max(usable, key=lambda p: p.test_mean)
    spread = {} if best.test_std is None else {"s": w.num(best.test_std)}  # one seed: no spread to give
    out = [w.say("lr.best" if spread else "lr.best_once", lr=word(best.value()), t=w.num(best.test_mean), **spread)]
    groups: dict[str, list[PointStats]] = {}
    for p in usable:
        if p is not best:
            groups.setdefault(lr_kind(p, best, noise), []).append(p)
    vs_best = {"best_lr": word(best.value()), "best_t": w.num(best.test_mean)}  # what every comparison cites
    for p in groups.get("slow", []) + groups.get("fast", []):  # too small, then too large
        faster = p.first_precision_mean > best.first_precision_mean
        key = "lr.slow" if p.value() < best.value() else "lr.fast_start" if faster else "lr.worse"
        p0, bp0 = w.num(p.first_precision_mean), w.num(best.first_precision_mean)
        out.append(
            w.say(key, lr=word(p.value()), t=w.num(p.test_mean), p0=p0, bp0=bp0, epochs=p.epochs, **vs_best)
            + caveat(w, best.test_mean - p.test_mean, pair_noise(p, best, noise), usable)
        )
    if groups.get("tie"):
        out.append(
            w.say(
                "lr.tie",
                lrs=", ".join(word(p.value()) for p in groups["tie"]),
                list="; ".join(w.say("lr.tie_item", lr=word(p.value()), t=w.num(p.test_mean)) for p in groups["tie"]),
                noise=w.pts(noise),
                best_lr=word(best.value()),
            )
            + unmeasured(w, usable)
        )
    for p in groups.get("stall", []):
        out.append(w.say("lr.stall", lr=word(p.value()), t=w.num(p.test_mean), p=w.num(p.precision_mean), **vs_best))
    if groups.get("chance"):
        chance = groups["chance"]
        out.append(
            w.say(
                "lr.chance",
                lrs=", ".join(word(p.value()) for p in chance),
                t=" / ".join(w.num(p.test_mean) for p in chance),
                p=" / ".join(w.num(p.precision_mean) for p in chance),
            )
        )
    diverged = [p for p in table.points if p.diverged]
    if diverged:
        out.append(
            w.say(
                "lr.diverged",
                lrs=", ".join(word(p.value()) for p in diverged),
                n=counted(sum(p.diverged for p in diverged), "unit.training", w.lang),
                m=sum(p.n for p in diverged),
            )
        )
    return out


def generic_sentences(table: StudyTable, w: Writer) -> list[str]:
    points = table.usable
    low = min(points, key=lambda p: p.test_mean)
    high = max(points, key=lambda p: p.test_mean)
    noise = pair_noise(low, high, study_noise(table))
    gap = high.test_mean - low.test_mean
    key = "generic.real" if gap > noise else "generic.noise"
    return [
        w.say(
            key,
            factor=table.factor,
            v_low=word(low.value()),
            t_low=w.num(low.test_mean),
            v_high=word(high.value()),
            t_high=w.num(high.test_mean),
            gap=w.pts(gap),
            noise=w.pts(noise),
        )
        + unmeasured(w, points)
    ]


def grid_sentences(table: StudyTable, w: Writer) -> list[str]:
    points = table.usable
    best = max(points, key=lambda p: p.test_mean)
    worst = min(points, key=lambda p: p.test_mean)
    spread = {} if best.test_std is None else {"s": w.num(best.test_std)}  # one seed: no spread to give
    out = [
        w.say(
            "grid.best" if spread else "grid.best_once",
            factors=", ".join(table.factors),
            best=w.where(best),
            t=w.num(best.test_mean),
            worst=w.where(worst),
            tw=w.num(worst.test_mean),
            **spread,
        )
        + caveat(w, best.test_mean - worst.test_mean, pair_noise(best, worst, study_noise(table)), points)
    ]
    for factor in table.factors:
        means = main_effect(points, factor)
        if len(means) < 2:
            continue
        v_lo = min(means, key=means.get)
        v_hi = max(means, key=means.get)
        out.append(
            w.say(
                "grid.effect",
                factor=factor,
                v_lo=word(v_lo),
                t_lo=w.num(means[v_lo]),
                v_hi=word(v_hi),
                t_hi=w.num(means[v_hi]),
            )
        )
    return out


def gap_sentences(tables: list[StudyTable], w: Writer) -> list[str]:
    """The "Précision" against the test: learning by heart, only where the network learns its own images well.

    A point that underfits (its "Précision" well below its study's best) is
    not learning by heart whatever its gap: it is said apart, so this never
    contradicts "too few neurons" (:func:`underfits` is the same rule).
    """
    studies = [(tb, learning(tb.points)) for tb in tables]
    points = [(tb, p, pts) for tb, pts in studies for p in pts]
    if not points:
        return []
    out = []
    base = next((p for tb in tables if (p := base_point(tb)) is not None), None)
    if base is not None:
        out.append(w.say("gap.base", **w.gap(base)))
    fitting = [(tb, p, pts) for tb, p, pts in points if not underfits(p, pts)]
    gaps = [(p.precision_mean - p.test_mean, p, pts) for _, p, pts in fitting]
    high, p_high, pts_high = max(gaps, key=lambda g: g[0])
    low = min(g for g, _, _ in gaps)
    if high > GAP_POINTS:
        key = "gap.by_heart_strong" if high > STRONG_GAP_POINTS else "gap.by_heart"
        noise = max(s for s in (p_high.test_std, p_high.precision_std, DEFAULT_NOISE) if s is not None)
        out.append(w.say(key, **w.gap(p_high)) + caveat(w, high, noise, pts_high))
    else:
        decline = any(tb.factor == "epochs" and len(tb.factors) == 1 and declining(tb) for tb in tables)
        key = "gap.never_above" if high <= 0 else "gap.small_decline" if decline else "gap.small"
        n = counted(len(fitting), "unit.point", w.lang)
        out.append(w.say(key, gaps=w.gaps(low, high), high=w.pts_signed(high), n=n))
    out += underfit_gap_sentences(points, w)
    p_low = min((p for _, p, _ in points), key=lambda p: p.precision_mean - p.test_mean)
    if p_low.precision_mean - p_low.test_mean < -GAP_POINTS:
        out.append(w.say("gap.pessimistic", **w.gap(p_low)))
    return out


def underfit_gap_sentences(points: list, w: Writer) -> list[str]:
    """A large gap where the network underfits: said to be no learning by heart, and why."""
    out = []
    for _, p, pts in points:
        gap = p.precision_mean - p.test_mean
        if gap > GAP_POINTS and underfits(p, pts):
            top = max(pts, key=lambda q: q.precision_mean)
            out.append(w.say("gap.underfit", **w.gap(p), p_best=w.num(top.precision_mean), where_best=w.where(top)))
    return out
