// The classroom's pages share these: their sentences (GET /api/classe/messages), numbers
// written as the language writes them, and JSON requests (POST with its content type).
// A classic script (the student's page adds it to the single-user page): the numbers come from
// the ES module every page shares, /static/numbers.js, imported by load() before anything is shown.
"use strict";

window.Classe = (() => {
  const state = { lang: null, messages: {}, format: { decimal: ",", group: "\u202f" } };
  let numbers = null;  // /static/numbers.js, once load() has run

  function tr(key, params = {}) {
    const text = state.messages[key] || key;
    return text.replace(/\{(\w+)\}/g, (m, name) => (name in params ? String(params[name]) : m));
  }

  function num(x, digits = 2) {
    // 87.333 -> "87,33" in French, "87.33" in English; a missing value is a dash.
    return x === null || x === undefined ? "—" : numbers.formatNumber(Number(x), digits, state.format);
  }

  function setting(x) {
    // A run's setting: a learning rate as reseau writes it (0.001 -> "0,001"), a whole number as it is.
    if (x === null || x === undefined) return "—";
    return typeof x === "number" && !Number.isInteger(x) ? numbers.formatRate(x, state.format) : String(x);
  }

  function count(n) {
    return numbers.formatCount(n, state.format);  // 1000 -> "1 000" in French, "1,000" in English
  }

  async function api(path, { method = "GET", body } = {}) {
    const headers = { Accept: "application/json" };
    let sent;
    if (body !== undefined || method === "POST") {
      headers["Content-Type"] = "application/json";
      sent = JSON.stringify(body || {});
    }
    const sep = path.includes("?") ? "&" : "?";
    const url = state.lang && !path.includes("lang=") ? `${path}${sep}lang=${state.lang}` : path;
    const response = await fetch(url, { method, headers, body: sent });
    const data = await response.json().catch(() => ({}));
    if (!response.ok) {
      const err = new Error(data.detail || response.statusText);
      err.status = response.status;
      err.field = data.field;
      throw err;
    }
    return data;
  }

  async function load(lang) {
    const [data, module] = await Promise.all([
      api("/api/classe/messages" + (lang ? `?lang=${lang}` : "")), import("/static/numbers.js"),
    ]);
    numbers = module;
    state.lang = data.lang;
    state.messages = data.messages;
    state.format = data.format;
    document.dispatchEvent(new CustomEvent("classe:language", { detail: { lang: state.lang } }));  // sentences ready
    return data;
  }

  function apply(root = document) {
    root.querySelectorAll("[data-i18n]").forEach((el) => { el.textContent = tr(el.dataset.i18n); });
    root.querySelectorAll("[data-i18n-placeholder]").forEach((el) => {
      el.placeholder = tr(el.dataset.i18nPlaceholder);
    });
  }

  function el(tag, attrs = {}, text) {
    const node = document.createElement(tag);
    Object.entries(attrs).forEach(([k, v]) => node.setAttribute(k, v));
    if (text !== undefined) node.textContent = text;
    return node;
  }

  return { state, tr, num, setting, count, api, load, apply, el };
})();
