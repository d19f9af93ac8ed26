// The student's page is the single-user page (app.js) with this bar above it: who is
// logged in, where their training stands in the class's queue, the lesson's limits.
"use strict";

(() => {
  const { tr, count, api, load } = window.Classe;
  const POLL_MS = 1500;
  let lang = null;

  function place(me) {
    if (me.state === "waiting") {
      return tr("classe.me.waiting", { place: me.place || 1, running: me.queue.running });
    }
    if (me.state === "training") {
      const done = me.curve.length;
      const total = me.plan ? me.plan.epochs : done;
      return tr("classe.me.training", { epoch: Math.min(done + 1, total), epochs: total });
    }
    return tr("classe.me.idle", { running: me.queue.running, waiting: me.queue.waiting });
  }

  function show(me) {
    const bar = document.getElementById("classe-bar");
    if (!bar) return;
    const limits = me.limits;
    bar.replaceChildren();
    const who = document.createElement("strong");
    who.textContent = tr("classe.me.who", { name: me.name, lesson: me.lesson });
    const queue = document.createElement("span");
    queue.id = "classe-queue";
    queue.textContent = place(me);
    const rules = document.createElement("span");
    rules.className = "small";
    rules.textContent = tr("classe.me.limits", {
      epochs: count(limits.max_epochs), hidden: count(limits.max_hidden), modes: limits.modes.join(", "),
    });
    const sheet = document.createElement("a");
    sheet.href = "/me/summary";
    sheet.target = "_blank";
    sheet.textContent = tr("classe.me.summary");
    bar.append(who, queue, rules, sheet);
    fitNotes(me);
    if (limits.constraint) {
      const constraint = document.createElement("p");
      constraint.className = "constraint";
      constraint.textContent = tr("classe.me.constraint", { text: limits.constraint });
      bar.append(constraint);
    }
  }

  function fitNotes(me) {
    // The page's note on saving tells reseau web's rule and the convolutional presets: a student reads the
    // classroom's rule instead, and nothing of convolutional networks when the teacher allows none.
    const note = document.querySelector('[data-i18n="web.train.save_note"]');
    if (note) {
      note.hidden = true;
      let ours = document.getElementById("classe-save-note");
      if (!ours) {
        ours = document.createElement("p");
        ours.id = "classe-save-note";
        ours.className = "hint small";
        note.after(ours);
      }
      ours.textContent = tr("classe.me.save_note") + (me.convolutional ? " " + tr("classe.me.save_note_cnn") : "");
    }
    const drawing = document.querySelector('[data-i18n="web.draw.model_note"]');  // « the drawing network… »
    if (drawing) drawing.hidden = !me.convolutional;
    // The Train tab offers the modes the teacher allows, no other (a mode refused at once is no choice).
    const select = document.getElementById("train-mode");
    if (!select) return;
    const allowed = me.limits.modes;
    for (const option of select.options) option.hidden = option.disabled = !allowed.includes(option.value);
    if (select.options.length && !allowed.includes(select.value)) {
      select.value = allowed.find((mode) => [...select.options].some((o) => o.value === mode)) || select.value;
      select.dispatchEvent(new Event("change"));  // the page shows that mode's presets and fields
    }
  }

  async function refresh() {
    try {
      const now = document.documentElement.lang || "fr";
      if (now !== lang) {
        await load(now);
        lang = now;
      }
      show(await api("/api/classe/me"));
    } catch (err) {
      if (err.status === 401) location.replace("/");  // the session is gone: join again
    }
    setTimeout(refresh, POLL_MS);
  }

  refresh();
})();
