// « Photo » in the Draw tab: a photo of a digit written on paper, read by Python (POST /api/photo,
// reseau.web.routes.photo -> reseau.photo.read_photo), each step's picture shown, and the answer shown
// where the drawing's is. A phone's file picker opens the camera (capture="environment"); a computer
// may also drop a file on the card. The folder `reseau site` writes has no Python: there the card says
// in one sentence that photos need `reseau web` (and POST /api/photo is answered with that sentence).
//
// Tested by tests/test_photo_browser.py (a photo given to the file input on `reseau web`: the six steps
// and the answer appear).

import { register } from "./local/backend.js";
import { $, api, clearError, showError, state, tr } from "./page.js";

const SEND_LIMIT = 1400000;  // bytes sent as they are (base 64: under the server's 2 MB body limit)
const SENT_SIDE = 1600;  // a larger photo is first reduced in the browser to this many pixels a side
const STEPS = ["photo", "grey", "flat", "ink", "digit", "input"];  // reseau.web.routes.photo.pictures

const needsServer = () => Promise.reject(Object.assign(new Error(), { key: "web.photo.needs_server" }));
register({ method: "POST", path: /^\/api\/photo$/, where: ["site"], handler: needsServer });

/** Wire the card; `show(answer)` shows an answer where the drawing's goes (app.js). */
export function setUpPhoto(show) {
  const input = $("photo-file");
  const card = $("photo-card");
  if (state.backend.kind === "site") {  // no Python here: say so, once, and offer nothing that fails
    $("photo-hint").dataset.i18n = "web.photo.needs_server";
    $("photo-hint").textContent = tr("web.photo.needs_server");
    input.disabled = true;
    return;
  }
  input.addEventListener("change", () => { if (input.files[0]) readPhoto(input.files[0], show); input.value = ""; });
  card.addEventListener("dragover", (event) => { event.preventDefault(); card.classList.add("dropping"); });
  card.addEventListener("dragleave", () => card.classList.remove("dropping"));
  card.addEventListener("drop", (event) => {
    event.preventDefault();
    card.classList.remove("dropping");
    const file = event.dataTransfer.files[0];
    if (file) readPhoto(file, show);
  });
}

async function readPhoto(file, show) {
  $("photo-status").textContent = tr("web.photo.reading");
  try {
    const image = await sendable(file);
    const answer = await api("/api/photo", { method: "POST", body: { image, model: state.drawModel || undefined } });
    showSteps(answer.steps);
    show(answer);
    clearError("photo");
  } catch (err) {
    showError(err, "photo");
  } finally {
    $("photo-status").textContent = "";
  }
}

/** The file as a data URL: as it is when small enough, else reduced here to SENT_SIDE pixels (a JPEG). */
async function sendable(file) {
  if (file.size <= SEND_LIMIT) return dataUrl(file);
  let bitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch (err) {
    throw new Error(tr("web.photo.not_image"));
  }
  const scale = Math.min(1, SENT_SIDE / Math.max(bitmap.width, bitmap.height));
  const canvas = document.createElement("canvas");
  canvas.width = Math.round(bitmap.width * scale);
  canvas.height = Math.round(bitmap.height * scale);
  canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  return canvas.toDataURL("image/jpeg", 0.9);
}

function dataUrl(file) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result);
    reader.onerror = () => reject(new Error(tr("web.photo.not_image")));
    reader.readAsDataURL(file);
  });
}

function showSteps(steps) {
  const figures = STEPS.map((name) => {
    const figure = document.createElement("figure");
    figure.className = "photo-step";
    figure.dataset.step = name;
    const img = document.createElement("img");
    img.src = steps[name];
    img.alt = tr(`web.photo.step.${name}`);
    const caption = document.createElement("figcaption");
    caption.dataset.i18n = `web.photo.step.${name}`;
    caption.textContent = tr(`web.photo.step.${name}`);
    figure.append(img, caption);
    return figure;
  });
  $("photo-steps").replaceChildren(...figures);
  $("photo-steps").hidden = false;
}
