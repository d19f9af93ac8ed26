// The page's backends: who answers its requests (page.js api(), app.js's training events).
//
// The page asks for everything as if from reseau's JSON API ("GET /api/model", "POST /api/predict"...).
// A backend answers some of those requests in the browser itself and lets the others go to a server:
// - serverBackend(): `reseau web` and `reseau classe`. The server keeps the trainings, their queue,
//   the classroom's pooling and storage; the browser computes what it can (the preprocessing, the
//   answers while drawing, the step by step) from the files the server gives (GET /api/files/NAME).
// - siteBackend(): the folder `reseau site` wrote, no server at all: every request is answered here,
//   the trainings and the studies run in Web Workers.
//
// A route is registered by the module that answers it (local/predict.js, local/step.js...):
//   register({ method: "POST", path: /^\/api\/predict$/, where: ["server", "site"], handler })
// handler(ctx, { body, match, query }) -> the same JSON the server's route answers (a Promise);
// ctx = { backend, source, state } (source: local/files.js, state: page.js's state). A handler
// refuses a request by throwing a RequestError (below), or an Error whose message is the sentence to show.

const routes = [];

/** A request a route refuses, as the server's 4xx: `key` a message of reseau's table, `params` its values
 * (page.js api() shows tr(key, params)), `status` and `field` as the server's answer says them. */
export class RequestError extends Error {
  constructor(key, params = {}, { status = 422, field = null } = {}) {
    super(key);
    Object.assign(this, { key, params, status, field });
  }
}

export function register(route) {
  routes.push(route);
}

function find(kind, method, path) {
  const [bare, query = ""] = path.split("?");
  for (const route of routes) {
    if (route.method !== method || !route.where.includes(kind)) continue;
    const match = bare.match(route.path);
    if (match) return { route, match, query: new URLSearchParams(query) };
  }
  return null;
}

class Backend {
  constructor(kind, source) {
    this.kind = kind;  // "server" or "site"
    this.source = source;  // local/files.js: fetchSource() or scriptSource()
    this.cache = new Map();  // what handlers keep: datasets, networks (key -> Promise)
  }

  /** The answer of a request this backend computes itself (a Promise), or null: ask the server. */
  handle(method, path, body, state) {
    const found = find(this.kind, method, path);
    if (!found) {
      if (this.kind === "site") return Promise.reject(new Error(`no route in the browser for ${method} ${path}`));
      return null;
    }
    return found.route.handler({ backend: this, source: this.source, state }, { body, match: found.match, query: found.query });
  }

  /** What handlers share: `make()` runs once per `key`; a failure is tried again next time. */
  remember(key, make) {
    if (!this.cache.has(key)) {
      const made = make();
      this.cache.set(key, made);
      made.catch(() => this.cache.delete(key));
    }
    return this.cache.get(key);
  }

  forget(prefix) {
    for (const key of [...this.cache.keys()]) if (key.startsWith(prefix)) this.cache.delete(key);
  }
}

export function serverBackend(source) {
  const backend = new Backend("server", source);
  // The training's events: the server's stream (Server-Sent Events).
  backend.follow = (since, lang, onEvent) => {
    const stream = new EventSource(`/api/train/events?since=${since}&lang=${lang}`);
    stream.onmessage = (message) => onEvent(JSON.parse(message.data));
    return { close: () => stream.close() };
  };
  return backend;
}

export function siteBackend(source) {
  const backend = new Backend("site", source);
  // The training's events: the Web Worker's, through local/train.js (it sets backend.follow).
  backend.follow = () => ({ close() {} });
  return backend;
}
