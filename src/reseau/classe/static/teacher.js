// The teacher's page: who is in, what each student does, every curve overlaid, the class
// table, and the class's answer to the exercise (GET /api/classe/teacher/state and /answer).
"use strict";

(() => {
  const { tr, num, setting, count, api, load, apply, el, state } = window.Classe;
  const POLL_MS = 2000;
  const COLOURS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
    "#7f7f7f", "#bcbd22", "#17becf"];
  let last = null;  // the latest state
  let answered = null;  // the run count and language of the answer shown
  let formFilled = false;

  function colour(id) { return COLOURS[(id - 1) % COLOURS.length]; }

  function doing(s) {
    if (s.state === "waiting") return tr("classe.state.waiting", { place: s.place || 1 });
    if (s.state === "training") {
      return tr("classe.state.training", { percent: Math.round(100 * (s.progress || 0)) });
    }
    return tr(`classe.state.${s.state}`);
  }

  function showJoin(st) {
    document.getElementById("t-url").textContent = st.url;
    document.getElementById("t-code").textContent = st.code;
    const qr = document.getElementById("t-qr");
    if (!qr.dataset.url || qr.dataset.url !== st.url) {
      qr.dataset.url = st.url;
      fetch("/api/classe/teacher/qr.svg").then((r) => (r.ok ? r.text() : "")).then((svg) => {
        qr.innerHTML = svg;  // made by the server (segno) from the address above
      });
    }
    const constraint = document.getElementById("t-constraint");
    constraint.hidden = !st.limits.constraint;
    constraint.textContent = st.limits.constraint ? tr("classe.me.constraint", { text: st.limits.constraint }) : "";
    document.getElementById("t-queue").textContent = st.queue.text;  // written by the server, plurals and all
  }

  function fillForm(st) {
    if (formFilled) return;
    formFilled = true;
    // The limits' ranges come from the server (reseau.classe.limits), where they are checked.
    const [epochs, hidden, constraint] = ["t-max-epochs", "t-max-hidden", "t-constraint-input"].map((id) => document.getElementById(id));
    Object.assign(epochs, { min: st.ranges.max_epochs[0], max: st.ranges.max_epochs[1], value: st.limits.max_epochs });
    Object.assign(hidden, { min: st.ranges.max_hidden[0], max: st.ranges.max_hidden[1], value: st.limits.max_hidden });
    Object.assign(constraint, { maxLength: st.ranges.constraint[1], value: st.limits.constraint });
    const fit = () => {  // the box grows with its text: all of the instruction in view, never clipped
      constraint.style.height = "auto";
      constraint.style.height = `${constraint.scrollHeight + 2}px`;
    };
    constraint.addEventListener("input", fit);
    fit();
    const box = document.getElementById("t-modes");
    st.modes.forEach((mode) => {
      const label = el("label");
      const box1 = el("input", { type: "checkbox", value: mode });
      box1.checked = st.limits.modes.includes(mode);
      label.append(box1, document.createTextNode(" " + tr(`kind.${mode}`)));  // the kind's name (reseau.kinds)
      box.append(label);
    });
  }

  async function saveLimits(event) {
    event.preventDefault();
    const saved = document.getElementById("t-saved");
    try {
      const modes = [...document.querySelectorAll("#t-modes input:checked")].map((b) => b.value);
      await api("/api/classe/teacher/limits", { method: "POST", body: {
        max_epochs: Number(document.getElementById("t-max-epochs").value),
        max_hidden: Number(document.getElementById("t-max-hidden").value),
        modes,
        constraint: document.getElementById("t-constraint-input").value,
      } });
      saved.dataset.i18n = "classe.teacher.saved";  // said again in the other language after FR / EN
      saved.textContent = tr("classe.teacher.saved");
      refresh(true);
    } catch (err) {
      delete saved.dataset.i18n;
      saved.textContent = err.message;
    }
  }

  function showStudents(st) {
    const body = document.querySelector("#t-students tbody");
    body.replaceChildren(...st.students.map((s) => {
      const row = el("tr", { "data-student": s.name });
      const name = el("td");
      name.append(el("span", { class: "swatch", style: `background:${colour(s.id)}` }), document.createTextNode(s.name));
      row.append(name, el("td", { class: `state-${s.state}` }, doing(s)), el("td", {}, count(s.runs)),
        el("td", {}, s.best === null ? "—" : num(s.best) + " %"), actions(s));
      return row;
    }));
  }

  // -- The roster (issue 24): joining open or closed, the lesson's size, each student's actions ---------

  function showJoining(st) {
    const j = st.joining;
    const box = document.querySelector(".joining");
    box.classList.toggle("closed", !j.open);
    document.getElementById("t-joining").textContent =
      tr(j.open ? "classe.teacher.joining_open" : "classe.teacher.joining_closed", { students: count(j.students), size: count(j.size) });
    const toggle = document.getElementById("t-joining-toggle");
    toggle.textContent = tr(j.open ? "classe.teacher.close" : "classe.teacher.reopen");
    toggle.dataset.open = String(j.open);
    const size = document.getElementById("t-size");
    Object.assign(size, { min: j.sizes[0], max: j.sizes[1] });
    if (document.activeElement !== size) size.value = j.size;  // not while the teacher types
  }

  async function setJoining(open) {
    const error = document.getElementById("t-joining-error");
    try {
      await api("/api/classe/teacher/joining", { method: "POST", body: {
        open, size: Number(document.getElementById("t-size").value),
      } });
      error.hidden = true;
    } catch (err) {
      error.textContent = err.message;
      error.hidden = false;
    }
    refresh(true);
  }

  function actions(s) {
    // « fiche » (printable), « reprendre » (a resume code for a lost browser), « renommer », « retirer ».
    const cell = el("td", { class: "actions" });
    cell.append(el("a", { href: `/teacher/students/${s.id}/summary`, target: "_blank" }, tr("classe.teacher.sheet")));
    [["resume", giveResume], ["rename", rename], ["remove", remove]].forEach(([what, act]) => {
      const button = el("button", { type: "button", class: "link", "data-act": what }, tr(`classe.teacher.${what}`));
      button.addEventListener("click", () => act(s).catch(rosterError));
      cell.append(button);
    });
    return cell;
  }

  function rosterError(err) {
    const box = document.getElementById("t-roster-error");
    box.textContent = err.message;
    box.hidden = false;
  }

  async function giveResume(s) {
    const given = await api(`/api/classe/teacher/students/${s.id}/resume`, { method: "POST", body: {} });
    const box = document.getElementById("t-resume");
    const [before, after] = tr("classe.teacher.resume_given", { name: s.name, url: given.url, code: "\u0000" }).split("\u0000");
    box.replaceChildren(document.createTextNode(before), el("strong", {}, given.code), document.createTextNode(after));
    box.hidden = false;
  }

  async function rename(s) {
    const name = window.prompt(tr("classe.teacher.rename_ask", { name: s.name }), s.name);
    if (name === null || name === s.name) return;
    await api(`/api/classe/teacher/students/${s.id}/rename`, { method: "POST", body: { name } });
    refresh(true);
  }

  async function remove(s) {
    // The teacher confirms, and chooses what becomes of the student's finished runs.
    const dialog = document.getElementById("t-remove");
    document.getElementById("t-remove-ask").textContent = tr("classe.teacher.remove_ask", { name: s.name, runs: count(s.runs) });
    const chosen = await new Promise((resolve) => {
      dialog.addEventListener("close", () => resolve(dialog.returnValue), { once: true });
      dialog.returnValue = "cancel";
      dialog.showModal();
    });
    if (chosen !== "keep" && chosen !== "delete") return;
    await api(`/api/classe/teacher/students/${s.id}/remove`, { method: "POST", body: { runs: chosen } });
    document.getElementById("t-resume").hidden = true;
    refresh(true);
  }

  function showRuns(st) {
    const body = document.querySelector("#t-runs tbody");
    body.replaceChildren(...st.runs.slice().reverse().map((r) => {
      const row = el("tr");
      [r.student, setting(r.epochs), setting(r.hidden), setting(r.learn_rate), setting(r.seed), num(r.precision),
        num(r.test_accuracy), num(r.seconds, 1) + " s"].forEach((v) => row.append(el("td", {}, String(v ?? "—"))));
      return row;
    }));
  }

  function drawCurves(st) {
    // Each student's current or last run: « Précision » per epoch (solid), test accuracy (dashed).
    const canvas = document.getElementById("t-curves");
    const ctx = canvas.getContext("2d");
    const W = canvas.width, H = canvas.height, m = { l: 56, r: 110, t: 16, b: 44 };  // r: the names at the ends
    ctx.clearRect(0, 0, W, H);
    const curves = st.students.filter((s) => s.curve.length);
    const epochs = Math.max(2, ...curves.map((s) => (s.plan ? s.plan.epochs : s.curve.length)));
    const values = curves.flatMap((s) => s.curve.flatMap((p) => [p.precision, p.test_accuracy]))
      .filter((v) => v !== null && v !== undefined);
    const low = Math.max(0, Math.floor(Math.min(80, ...values) / 5) * 5);
    const x = (e) => m.l + (e / (epochs - 1)) * (W - m.l - m.r);
    const y = (v) => H - m.b - ((v - low) / (100 - low)) * (H - m.t - m.b);
    drawAxes(ctx, { W, H, m, epochs, low, x, y });
    const ends = [];
    curves.forEach((s) => {
      [["precision", []], ["test_accuracy", [5, 4]]].forEach(([key, dash]) => {
        const points = s.curve.filter((p) => p[key] !== null && p[key] !== undefined);
        if (!points.length) return;
        ctx.strokeStyle = ctx.fillStyle = colour(s.id);
        ctx.lineWidth = 2;
        ctx.setLineDash(dash);
        ctx.beginPath();
        points.forEach((p, k) => (k ? ctx.lineTo(x(p.epoch), y(p[key])) : ctx.moveTo(x(p.epoch), y(p[key]))));
        ctx.stroke();
        points.forEach((p) => ctx.fillRect(x(p.epoch) - 2, y(p[key]) - 2, 4, 4));
      });
      ctx.setLineDash([]);
      const end = s.curve[s.curve.length - 1];
      ends.push({ s, x: x(end.epoch) + 6, y: y(end.precision) });
    });
    // The names at the curves' ends, moved apart where two would overlap (two students, the same end point).
    ctx.textAlign = "left";
    ctx.textBaseline = "middle";
    spread(ends, m.t, H - m.b, 15).forEach((label) => {
      ctx.fillStyle = colour(label.s.id);
      ctx.fillText(label.s.name, label.x, label.y);
    });
    canvas.dataset.labels = JSON.stringify(ends.map((label) => [label.s.name, Math.round(label.x), Math.round(label.y)]));
  }

  function drawAxes(ctx, { W, H, m, epochs, low, x, y }) {
    // The two axes, their ticks, and what they measure: epochs across, % of images recognised up.
    ctx.strokeStyle = "#999";
    ctx.fillStyle = "#333";
    ctx.lineWidth = 1;
    ctx.font = "12px system-ui, sans-serif";
    ctx.beginPath();
    ctx.moveTo(m.l, m.t); ctx.lineTo(m.l, H - m.b); ctx.lineTo(W - m.r, H - m.b);
    ctx.stroke();
    ctx.textAlign = "right";
    ctx.textBaseline = "middle";
    for (let v = low; v <= 100; v += 5) ctx.fillText(`${v} %`, m.l - 6, y(v));
    ctx.textAlign = "center";
    ctx.textBaseline = "top";
    for (let e = 0; e < epochs; e += Math.max(1, Math.ceil(epochs / 10))) ctx.fillText(String(e), x(e), H - m.b + 6);
    ctx.fillText(tr("classe.teacher.axis"), (m.l + W - m.r) / 2, H - 18);
    ctx.save();
    ctx.translate(12, (m.t + H - m.b) / 2);
    ctx.rotate(-Math.PI / 2);
    ctx.fillText(tr("classe.teacher.axis_y"), 0, -4);
    ctx.restore();
  }

  function spread(labels, top, bottom, gap) {
    // Labels sorted top to bottom, each at least `gap` pixels under the one above, and all inside [top, bottom]
    // (pushed down one after the other, then the whole column up if it went past the bottom).
    const sorted = labels.slice().sort((a, b) => a.y - b.y || a.s.id - b.s.id);
    sorted.forEach((label, k) => {
      label.y = Math.max(label.y, top + gap / 2, k ? sorted[k - 1].y + gap : -Infinity);
    });
    const over = sorted.length ? sorted[sorted.length - 1].y - (bottom - gap / 2) : 0;
    if (over > 0) sorted.forEach((label) => { label.y -= over; });
    return sorted;
  }

  function sentence(text) {
    // A conclusion is Markdown-light: **bold** parts (the study's name) become <strong>, the rest stays text.
    const item = el("li");
    text.split("**").forEach((part, k) => item.append(k % 2 ? el("strong", {}, part) : document.createTextNode(part)));
    return item;
  }

  async function showAnswer(st) {
    const key = `${st.runs.length}:${state.lang}`;
    if (answered === key) return;
    const a = await api("/api/classe/teacher/answer");
    answered = `${a.runs}:${state.lang}`;  // the latest answer computed: if a run is not in it yet, ask again next time
    document.getElementById("t-answer-empty").hidden = a.tables.length > 0;
    document.getElementById("t-conclusions").replaceChildren(...a.conclusions.map(sentence));
    document.getElementById("t-tables").replaceChildren(...a.tables.map((tb) => {
      const box = el("div");
      box.append(el("h3", {}, tb.label));
      const table = el("table");
      const head = el("tr");
      [tb.label, tr("classe.col.test"), tr("classe.col.precision"), tr("classe.col.time"), tr("classe.col.runs")]
        .forEach((h) => head.append(el("th", {}, h)));
      table.append(head);
      tb.points.forEach((p) => {
        const row = el("tr");
        const test = num(p.test_mean) + (p.test_std === null ? "" : " ± " + num(p.test_std));
        [setting(p.value), test, num(p.precision_mean), num(p.seconds_mean, 1) + " s", count(p.n)]
          .forEach((v) => row.append(el("td", {}, v)));
        table.append(row);
      });
      box.append(table);
      return box;
    }));
    const plots = document.getElementById("t-plots");
    plots.innerHTML = a.plots.join("");  // SVG drawn by the server (matplotlib), from numbers only
  }

  async function refresh(once = false) {
    try {
      last = await api("/api/classe/teacher/state");
      document.getElementById("t-title").textContent = tr("classe.teacher.title_lesson", { lesson: last.lesson });
      showJoin(last);
      showJoining(last);
      fillForm(last);
      showStudents(last);
      showRuns(last);
      drawCurves(last);
      await showAnswer(last);
    } catch (err) {
      document.getElementById("t-queue").textContent = err.message;
    }
    if (!once) setTimeout(refresh, POLL_MS);
  }

  function showLanguage() {
    document.documentElement.lang = state.lang;
    document.querySelectorAll("[data-lang]").forEach((b) => b.classList.toggle("active", b.dataset.lang === state.lang));
    apply();
  }

  async function switchLanguage(lang) {
    await load(lang);
    showLanguage();
    answered = null;
    if (last) refresh(true);
  }

  async function main() {
    await load(new URLSearchParams(location.search).get("lang") || "");
    document.title = tr("classe.teacher.title");
    showLanguage();
    document.getElementById("t-limits").addEventListener("submit", saveLimits);
    document.getElementById("t-joining-toggle").addEventListener("click", (event) => setJoining(event.target.dataset.open !== "true"));
    document.getElementById("t-size").addEventListener("change", () => setJoining(last ? last.joining.open : true));
    document.querySelectorAll("[data-lang]").forEach((b) => b.addEventListener("click", () => switchLanguage(b.dataset.lang)));
    refresh();
  }

  main();
})();
