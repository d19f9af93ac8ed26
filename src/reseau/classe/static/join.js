// The join page: the lesson's code (filled in from the QR code's address) and a first name.
"use strict";

(async () => {
  const { tr, api, load, apply } = window.Classe;
  const asked = new URLSearchParams(location.search);
  await load(asked.get("lang") || "");  // else the browser's language (Accept-Language), else the server's
  document.documentElement.lang = window.Classe.state.lang;
  document.title = tr("classe.join.title");
  apply();
  const code = document.getElementById("join-code");
  const name = document.getElementById("join-name");
  code.value = asked.get("code") || "";
  (code.value ? name : code).focus();
  document.getElementById("join-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const box = document.getElementById("join-error");
    try {
      await api("/api/classe/join", { method: "POST", body: { code: code.value, name: name.value } });
      location.replace("/");
    } catch (err) {
      box.textContent = err.message;
      box.hidden = false;
    }
  });
})();
