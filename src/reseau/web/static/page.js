// What every part of the page shares: its state, its sentences, the JSON API, the error box,
// a 28x28 image, and reading a number typed in the user's language. app.js and step.js import it.

export const state = {
  lang: null,            // "fr" or "en"
  messages: {},          // key -> sentence, in state.lang
  format: { decimal: ",", group: "\u202f" },  // how state.lang writes numbers (GET /api/messages; numbers.js)
  options: null,         // GET /api/options
  model: null,           // GET /api/model
  models: null,          // GET /api/models: the model files beside the model in use
  drawModel: "",         // the file name the Draw tab recognises with ("": the model in use)
  modelChosen: false,    // true once the user (or a training) chose it; else the drawing network by default
  lastDraw: null,        // the last answer for the drawing
  lastBrowse: null,      // the last dataset item shown
  browseLoaded: false,
  backend: null,         // who answers the page's requests (local/backend.js): a server, or the browser itself
};

export const $ = (id) => document.getElementById(id);

export function tr(key, params = {}) {
  let text = state.messages[key] ?? key;
  for (const [name, value] of Object.entries(params)) text = text.split(`{${name}}`).join(String(value));
  return text;
}

// ---------------------------------------------------------------------------
// The API and the error box
// ---------------------------------------------------------------------------

class ApiError extends Error {}

export async function api(path, { method = "GET", body } = {}) {
  // What the browser computes itself (local/backend.js) it answers here; the rest goes to the server.
  const local = state.backend ? state.backend.handle(method, path, body, state) : null;
  if (local) {
    try {
      return await local;
    } catch (err) {
      throw new ApiError(err.key ? tr(err.key, err.params) : err.message);  // a RequestError names its message
    }
  }
  const headers = { "Accept-Language": state.lang || "" };
  // The server takes only JSON from a request that changes something (a POST without a body sends {}).
  if (method !== "GET") headers["Content-Type"] = "application/json";
  const sent = method === "GET" ? undefined : JSON.stringify(body === undefined ? {} : body);
  let response;
  try {
    response = await fetch(path, { method, headers, body: sent });
  } catch (err) {
    throw new ApiError(tr("web.page.offline", { reason: err.message }));
  }
  const data = await response.json().catch(() => ({}));
  if (!response.ok) throw new ApiError(data.detail || `HTTP ${response.status}`);
  return data;
}

export function showError(err, source = "") {
  $("error-text").textContent = err.message || String(err);
  $("error").dataset.source = source;
  $("error").hidden = false;
}

export function clearError(source = "") {
  // With a source, only that source's error is cleared (a good prediction hides a failed prediction's error).
  if (!source || $("error").dataset.source === source) $("error").hidden = true;
}

// ---------------------------------------------------------------------------
// The browser's storage: a page whose storage is refused (a private window, a locked school PC)
// works as well, it only forgets more
// ---------------------------------------------------------------------------

export function remembered(key) {
  try {
    return localStorage.getItem(key);
  } catch (err) {
    return null;
  }
}

export function remember(key, value) {
  try {
    localStorage.setItem(key, value);
    return true;
  } catch (err) {
    return false;
  }
}

// ---------------------------------------------------------------------------
// An image, a typed number
// ---------------------------------------------------------------------------

export function drawDigit(canvas, values) {
  // values: 784 grey levels, ink 1 -> black (matplotlib's "Greys", as in the document)
  const ctx = canvas.getContext("2d");
  const image = ctx.createImageData(28, 28);
  for (let i = 0; i < 784; i++) {
    const v = 255 - Math.round(255 * Math.min(1, Math.max(0, values[i] || 0)));
    image.data.set([v, v, v, 255], 4 * i);
  }
  ctx.putImageData(image, 0, 0);
}

export function number(text) {
  // "0,01" (French), "0.01" or "−1" (the true minus sign) -> a number; anything else is sent as typed,
  // and the server says what is wrong.
  const t = text.trim().replace(",", ".").replace("\u2212", "-");
  return /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(t) ? Number(t) : text.trim();
}
