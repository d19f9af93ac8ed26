// The teacher's page, « Les chiffres de la classe »: whether students may send their « Mes chiffres » set,
// who sent how many digits, how each network reads the class's set next to its accuracy on MNIST's test set,
// and the export as MNIST's IDX files (GET/POST /api/classe/teacher/digits: reseau.classe.digits).
// Its own script and section, apart from teacher.js: it reads the sentences teacher.js loaded (window.Classe).
"use strict";

(() => {
  const { tr, num, count, api, el, state } = window.Classe;
  const POLL_MS = 5000;
  let last = null;

  function networkName(reading) {
    return reading.student ? tr("classe.digits.of", { name: reading.student }) : tr("classe.digits.start");
  }

  function show(found) {
    last = found;
    document.getElementById("t-digits-allow").checked = found.allowed;
    const who = found.students.map((s) => tr("classe.digits.sent_by", { name: s.name, n: count(s.count) }));
    const total = tr("classe.digits.total", { n: count(found.total) });
    document.getElementById("t-digits-who").textContent = found.total ? [...who, total].join(" · ") : tr("classe.digits.none");
    const table = document.getElementById("t-digits-table");
    table.replaceChildren();
    if (!found.total) return;
    const head = el("tr");
    [tr("classe.digits.col.network"), ..."0123456789", tr("classe.digits.col.all"), tr("classe.digits.col.mnist")]
      .forEach((text) => head.append(el("th", {}, text)));
    const body = el("tbody");
    for (const r of found.networks) {
      const row = el("tr", { "data-network-of": r.student });
      row.append(el("td", { class: "name" }, networkName(r)));
      r.per_digit.forEach((p, k) => row.append(el("td", { title: `${r.correct[k]} / ${r.count[k]}` }, p === null ? "—" : `${num(p, 0)} %`)));
      row.append(el("td", { class: "total" }, `${num(r.accuracy, 1)} %`));
      row.append(el("td", {}, r.mnist === null ? "—" : `${num(r.mnist, 2)} %`));
      body.append(row);
    }
    table.append(el("thead"), body);
    table.tHead.append(head);
  }

  async function refresh(once = false) {
    try {
      if (state.lang) show(await api("/api/classe/teacher/digits"));
    } catch (err) {
      // the teacher's other sections say when the server is gone; this one tries again
    }
    if (!once) setTimeout(refresh, POLL_MS);
  }

  async function allow(event) {
    try {
      await api("/api/classe/teacher/digits", { method: "POST", body: { allowed: event.target.checked } });
    } catch (err) {
      event.target.checked = !event.target.checked;
    }
    refresh(true);
  }

  document.getElementById("t-digits-allow").addEventListener("change", allow);
  document.getElementById("t-digits-refresh").addEventListener("click", () => refresh(true));
  // Started once teacher.js has loaded the sentences (classe.js's load() says so), shown again in each new language.
  let started = false;
  const start = () => { started = true; refresh(); };
  document.addEventListener("classe:language", () => (started ? last && show(last) : start()));
  if (state.lang) start();  // the sentences came before this script
})();
