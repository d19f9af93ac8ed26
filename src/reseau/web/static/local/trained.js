// The networks trained in this browser (the site's Train tab, local/train.js): kept in the page's memory as
// model files, the same safetensors bytes `reseau train` writes (writeModel: the twin of
// reseau.modelfile.to_bytes), and in the browser's storage (IndexedDB) so that a reload keeps them.
//
// What the rest of the page reads (the site's GET /api/model and GET /api/models, local/site.js):
//   trainedNetworks()      -> Promise of the list [{ name, bytes, info, modified, inUse }], newest last:
//                             each a model file `name` ("document-epochs-5.safetensors"), its bytes, its
//                             ModelInfo record (info), when it was made (seconds since 1970) and whether it
//                             replaces the model in use (only the document's training as the document sets it).
//   trainedSource(source)  -> a source (local/files.js) that gives these networks' bytes by their names and
//                             every other file from `source`: readModel(await source.bytes(name)) then reads
//                             a trained network as any model file of the folder.
// Storage refused or full (a private window, a quota): the networks stay in memory, `keepNetwork` says false.
//
// Tested by tests/test_js_train.py (tests/js/train.test.mjs): Python's reseau.modelfile reads writeModel's
// bytes back (the same weights, the same record), and local/files.js readModel too.

const DATABASE = "reseau-networks";  // an IndexedDB database of its own (the study keeps its results in another)
const STORE = "networks";  // name -> { name, bytes, modified, inUse }
const networks = new Map();  // name -> { name, bytes, info, modified, inUse }, this page's
let loaded = null;  // the Promise of the first reading of the storage

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
// The page's trained networks, and the browser's storage
// ---------------------------------------------------------------------------

/** Every network trained here (this page's, and those the storage kept), oldest first. */
export async function trainedNetworks() {
  await load();
  return [...networks.values()].sort((a, b) => a.modified - b.modified);
}

/** A source (local/files.js) giving the trained networks' bytes by name, and any other file from `source`. */
export function trainedSource(source) {
  return {
    async bytes(name) {
      await load();
      const kept = networks.get(name);
      return kept ? kept.bytes : source.bytes(name);
    },
  };
}

/**
 * Keep a trained network `{ name, bytes, info, inUse }` (replacing one of the same name): in memory at once,
 * then in the storage. Resolves to true when the storage kept it, false when it refused (full, private window).
 */
export async function keepNetwork(entry) {
  await load();
  const kept = { ...entry, modified: Date.now() / 1000 };
  if (kept.inUse) for (const other of networks.values()) other.inUse = false;  // one model in use
  networks.set(kept.name, kept);
  try {
    const db = await openDatabase();
    const writing = db.transaction(STORE, "readwrite");
    writing.objectStore(STORE).put(stored(kept));
    await committed(writing);  // a full storage says so when the transaction commits, not at put()
    db.close();
    return true;
  } catch (err) {
    return false;
  }
}

function stored({ name, bytes, modified, inUse }) {
  return { name, bytes, modified, inUse };  // the record is in the bytes: readModel reads it back
}

function load() {
  // The networks the storage kept from earlier visits, read once; none when it cannot be read.
  loaded ??= (async () => {
    try {
      const db = await openDatabase();
      const found = await request(db.transaction(STORE, "readonly").objectStore(STORE).getAll());
      db.close();
      for (const entry of found) {
        const known = withInfo(entry);  // null: not readable (left out)
        if (known && !networks.has(entry.name)) networks.set(entry.name, known);
      }
    } catch (err) {
      // no storage here (refused, or no IndexedDB): this page's own networks only
    }
  })();
  return loaded;
}

function withInfo(entry) {
  // A stored entry with its ModelInfo record, read from the model file's metadata; null if it cannot be read.
  try {
    const size = Number(new DataView(entry.bytes.buffer, entry.bytes.byteOffset).getBigUint64(0, true));
    const header = JSON.parse(new TextDecoder().decode(entry.bytes.subarray(8, 8 + size)));
    return { ...entry, info: JSON.parse(header.__metadata__.info) };
  } catch (err) {
    return null;
  }
}

function openDatabase() {
  return new Promise((resolve, reject) => {
    if (typeof indexedDB === "undefined") throw new Error("no IndexedDB");
    const opening = indexedDB.open(DATABASE, 1);
    opening.onupgradeneeded = () => opening.result.createObjectStore(STORE, { keyPath: "name" });
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
  // An IndexedDB request (or its transaction) as a Promise of its result.
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}
