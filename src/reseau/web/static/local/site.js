// What the server would have answered, in the folder `reseau site` wrote (no server): the message
// table in both languages, the form's options, the networks' records. `reseau site` wrote them into
// site-data.js (globalThis.RESEAU_SITE) with the server's own code, so they are the same JSON.
//
// The network in use is the document's (seed 0, trained when the site was written) until the
// browser trains one (local/train.js calls useTrained): then that one, kept in the page's memory.

import { register } from "./backend.js";

const site = () => globalThis.RESEAU_SITE;
const trained = { model: null, entry: null, file: null };  // the network this page trained, if any

/** A network the browser trained becomes the model in use: its GET /api/model record, its list entry, its file. */
export function useTrained(model, entry, fileBytes) {
  Object.assign(trained, { model, entry, file: fileBytes });
}

/** The bytes of the network the browser trained (local/predict.js reads them as it reads a file), or null. */
export function trainedFile(name) {
  return trained.entry && trained.entry.name === name ? trained.file : null;
}

let ready = Promise.resolve();  // what must be known before GET /api/model answers (local/train.js: a kept network)

/** GET /api/model and GET /api/models answer once `promise` has settled (local/train.js: the storage read). */
export function answerAfter(promise) {
  ready = Promise.all([ready, promise.catch(() => {})]);
}

function language(query) {
  const asked = query.get("lang") || "fr";  // French by default, as the server
  return asked in site().messages ? asked : "fr";
}

register({
  method: "GET", path: /^\/api\/messages$/, where: ["site"],
  handler: async (ctx, { query }) => site().messages[language(query)],
});

register({
  method: "GET", path: /^\/api\/options$/, where: ["site"],
  handler: async () => site().options,
});

register({
  method: "GET", path: /^\/api\/model$/, where: ["site"],
  handler: async () => {
    await ready;
    return trained.model || site().model;
  },
});

register({
  method: "GET", path: /^\/api\/models$/, where: ["site"],
  handler: async (ctx, { query }) => {
    await ready;
    const list = structuredClone(site().models[language(query)]);
    if (trained.entry) {
      list.models = list.models.filter((m) => m.name !== trained.entry.name).map((m) => ({ ...m, in_use: false }));
      list.models.push({ ...trained.entry, in_use: true });
      list.in_use = trained.entry.name;
    }
    return list;
  },
});
