// The join page: the lesson's code (filled in from the QR code's address) and a first name; or the
// resume code the teacher hands a student whose browser forgot her (filled in from the teacher's link).
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
  const resume = document.getElementById("resume-code");
  code.value = asked.get("code") || "";
  (code.value ? name : code).focus();

  function sendTo(form, path, body, box) {
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      try {
        await api(path, { method: "POST", body: body() });
        location.replace("/");
      } catch (err) {
        box.textContent = err.message;
        box.hidden = false;
      }
    });
  }

  sendTo(document.getElementById("join-form"), "/api/classe/join",
    () => ({ code: code.value, name: name.value }), document.getElementById("join-error"));
  const resumeForm = document.getElementById("resume-form");
  sendTo(resumeForm, "/api/classe/resume", () => ({ code: resume.value }), document.getElementById("resume-error"));
  if (asked.get("resume")) {  // the teacher's one-click link: use its code at once
    resume.value = asked.get("resume");
    const box = document.getElementById("resume-error");
    box.textContent = tr("classe.join.resuming");
    box.hidden = false;
    resumeForm.requestSubmit();
  }
})();
