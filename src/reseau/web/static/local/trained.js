// The network trained in this browser (the site's Train tab, local/train.js) as reseau's own records: its model
// file, the same safetensors bytes `reseau train` writes (writeModel: the twin of reseau.modelfile.to_bytes),
// what GET /api/model and GET /api/models say of it (modelStatus, modelEntry: the twins of routes/model.py's
// model_status and model_entry), and the browser's storage (IndexedDB) that keeps it across a reload.
//
// Storage refused or full (a private window, a quota): the network is still used by this page; keepNetwork
// then says false, and the page says so in one sentence.
//
// Tested by tests/test_js_train.py (tests/js/train.test.mjs): Python's reseau.modelfile reads writeModel's
// bytes back (the same weights, the same record), and modelStatus / modelEntry give routes/model.py's JSON.

const DATABASE = "reseau-networks";  // an IndexedDB database of its own (the study keeps its results in another)
const STORE = "networks";  // one record, KEY: the network this browser trained last
const KEY = "trained";
const CLASSES = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];  // MNIST's (routes/model.py classes("mnist"))

// ---------------------------------------------------------------------------
// A model file (safetensors: an 8-byte little-endian header length, a JSON header, the tensors' bytes)
// ---------------------------------------------------------------------------

/**
 * `{ info, layout, tensors }` (tensors: name -> { shape, data: Float64Array }) -> a model file's bytes, as
 * reseau.modelfile.to_bytes writes them: metadata format "reseau-model", format_version "1", `info` (the
 * ModelInfo record as JSON) and `activations` (the layout); each tensor in float64 ("F64"), row-major.
 */
export function writeModel({ info, layout, tensors }) {
  const header = {};
  let offset = 0;
  for (const [name, { shape, data }] of Object.entries(tensors)) {
    header[name] = { dtype: "F64", shape, data_offsets: [offset, offset + data.length * 8] };
    offset += data.length * 8;
  }
  header.__metadata__ = {
    format: "reseau-model",
    format_version: "1",
    info: JSON.stringify(info),
    activations: JSON.stringify(layout),
  };
  const text = new TextEncoder().encode(JSON.stringify(header));
  const padded = Math.ceil(text.length / 8) * 8;  // safetensors pads its header with spaces to 8 bytes
  const bytes = new Uint8Array(8 + padded + offset);
  const view = new DataView(bytes.buffer);
  view.setBigUint64(0, BigInt(padded), true);
  bytes.fill(0x20, 8, 8 + padded);
  bytes.set(text, 8);
  let at = 8 + padded;
  for (const { data } of Object.values(tensors)) {
    for (let k = 0; k < data.length; k++, at += 8) view.setFloat64(at, data[k], true);
  }
  return bytes;
}

/** The document's four arrays (w_i_h (hidden, 784), ...) -> a model file's tensors (reseau.network.Network.parameters). */
export function documentTensors({ w_i_h, w_h_o, b_i_h, b_h_o }) {
  const hidden = b_i_h.length;
  return {
    "weights.0": { shape: [hidden, 784], data: w_i_h },
    "biases.0": { shape: [hidden], data: b_i_h },
    "weights.1": { shape: [10, hidden], data: w_h_o },
    "biases.1": { shape: [10], data: b_h_o },
  };
}

// ---------------------------------------------------------------------------
// What GET /api/model and GET /api/models say of it
// ---------------------------------------------------------------------------

/** GET /api/model's record of the network (routes/model.py model_status): its ModelInfo, sizes, activations. */
export function modelStatus(info, name, sizes) {
  const history = info.history.epochs.map(({ epoch, precision, test_accuracy, val_accuracy, loss, seconds }) =>
    ({ epoch, precision, test_accuracy, val_accuracy, loss, seconds }));  // schemas.EpochOut
  return {
    ready: true, training: false, path: name, sizes, activations: ["sigmoid", "sigmoid"], mode: info.mode,
    preset: info.preset, dataset: info.dataset, classes: CLASSES, config: info.config, test_accuracy: info.test_accuracy,
    train_precision: info.train_precision, val_accuracy: info.val_accuracy, best_epoch: info.best_epoch,
    seconds: info.seconds, source: info.source, reseau_version: info.reseau_version, history,
  };
}

/** Its entry in GET /api/models (routes/model.py model_entry): the model in use, not the drawing network. */
export function modelEntry(info, name, modified) {
  return {
    name, usable: true, in_use: true, drawing: false, convolutional: false, mode: info.mode, preset: info.preset,
    dataset: info.dataset, test_accuracy: info.test_accuracy, modified, error: null, error_key: null,
  };
}

// ---------------------------------------------------------------------------
// The browser's storage
// ---------------------------------------------------------------------------

/**
 * Keep `{ name, bytes, model, entry }` (the model file, and what local/site.js useTrained takes) for the next
 * visits. Resolves to true when the storage kept it, false when it refused (full, a private window, none).
 */
export async function keepNetwork(network) {
  try {
    const db = await openDatabase();
    const writing = db.transaction(STORE, "readwrite");
    writing.objectStore(STORE).put(network, KEY);
    await committed(writing);  // a full storage says so when the transaction commits, not at put()
    db.close();
    return true;
  } catch (err) {
    return false;
  }
}

/** The network a visit before kept (`{ name, bytes, model, entry }`), or null (none, or no storage here). */
export async function keptNetwork() {
  try {
    const db = await openDatabase();
    const found = await request(db.transaction(STORE, "readonly").objectStore(STORE).get(KEY));
    db.close();
    return found && found.bytes instanceof Uint8Array && found.model && found.entry ? found : null;
  } catch (err) {
    return null;
  }
}

function openDatabase() {
  return new Promise((resolve, reject) => {
    if (typeof indexedDB === "undefined") throw new Error("no IndexedDB");
    const opening = indexedDB.open(DATABASE, 1);
    opening.onupgradeneeded = () => opening.result.createObjectStore(STORE);
    opening.onsuccess = () => resolve(opening.result);
    opening.onerror = () => reject(opening.error);
    opening.onblocked = () => reject(new Error("IndexedDB blocked"));
  });
}

function committed(transaction) {
  return new Promise((resolve, reject) => {
    transaction.oncomplete = () => resolve();
    transaction.onerror = () => reject(transaction.error);
    transaction.onabort = () => reject(transaction.error);
  });
}

function request(req) {
  // An IndexedDB request as a Promise of its result.
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}
