// Where the page's files come from when the browser computes for itself: the MNIST files and the
// model files (safetensors), read as bytes and then as images, labels and networks.
//
// Two sources give a file's bytes by its name ("mnist/train-images-idx3-ubyte.gz", "document.safetensors"):
// - fetchSource(base): a server's GET {base}{name} (`reseau web` and `reseau classe`: /api/files/);
// - scriptSource(folder): the folder `reseau site` wrote. Chromium refuses fetch() on a page opened
//   as a file (file://), but runs classic scripts: each file is a script `{folder}/{name}.js` calling
//   reseauFile(name, length, text), its bytes written in base 85 (RFC 1924, Python's
//   base64.b85encode). Base 85 makes 5 characters of 4 bytes (base 64: 4 of 3), so the site stays
//   under 15 MB; the decoder is a few lines (b85decode below, tested against Python).
//
// Tested by tests/test_site.py (test_the_browser_reads_the_files_as_python_wrote_them) + tests/js/files.test.mjs.

import { RequestError } from "./backend.js";

export const MNIST_FILES = {
  train: ["train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"],
  test: ["t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"],
};

/** A file that cannot be read (missing, damaged, this browser cannot decompress it): a request refused with
 * `key` a message of reseau's table and `params` its values, as local/backend.js RequestError. */
export class FileError extends RequestError {}

// ---------------------------------------------------------------------------
// Base 85 (RFC 1924's alphabet, as Python's base64.b85encode)
// ---------------------------------------------------------------------------

const B85 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz!#$%&()*+-;<=>?@^_`{|}~";
const B85_VALUE = new Int16Array(128).fill(-1);
for (let i = 0; i < B85.length; i++) B85_VALUE[B85.charCodeAt(i)] = i;

/** `text` (base 85, padded to whole groups of 5 characters) -> its first `length` bytes. */
export function b85decode(text, length) {
  if (text.length % 5 !== 0 || length > (text.length / 5) * 4 || length < 0) {
    throw new FileError("web.files.damaged");
  }
  const out = new Uint8Array((text.length / 5) * 4);
  for (let i = 0, o = 0; i < text.length; i += 5, o += 4) {
    let value = 0;
    for (let k = 0; k < 5; k++) {
      const c = text.charCodeAt(i + k);
      const digit = c < 128 ? B85_VALUE[c] : -1;
      if (digit < 0) throw new FileError("web.files.damaged");
      value = value * 85 + digit;
    }
    if (value > 0xffffffff) throw new FileError("web.files.damaged");
    out[o] = value >>> 24;
    out[o + 1] = (value >>> 16) & 0xff;
    out[o + 2] = (value >>> 8) & 0xff;
    out[o + 3] = value & 0xff;
  }
  return out.subarray(0, length);
}

// ---------------------------------------------------------------------------
// Sources: a file's name -> its bytes (a Uint8Array)
// ---------------------------------------------------------------------------

/** The files of a server: GET `${base}${name}`. */
export function fetchSource(base = "/api/files/") {
  return {
    async bytes(name) {
      let response;
      try {
        response = await fetch(base + encodeURI(name));
      } catch (err) {
        throw new FileError("web.files.unreachable", { name });
      }
      if (!response.ok) throw new FileError("web.files.missing", { name });
      return new Uint8Array(await response.arrayBuffer());
    },
  };
}

/** The files of a folder `reseau site` wrote: each a script `${folder}/${name}.js` (works on file:// too). */
export function scriptSource(folder = "files") {
  const loaded = new Map();  // name -> Promise of its bytes
  const waiting = new Map();  // name -> the resolve of its promise, until its script calls reseauFile
  globalThis.reseauFile = (name, length, text) => {
    const resolve = waiting.get(name);
    if (!resolve) return;
    waiting.delete(name);
    try {
      resolve({ bytes: b85decode(text, length) });
    } catch (err) {
      resolve({ error: err });
    }
  };
  function load(name) {
    return new Promise((resolve, reject) => {
      waiting.set(name, (found) => (found.error ? reject(found.error) : resolve(found.bytes)));
      const script = document.createElement("script");
      script.src = `${folder}/${name}.js`;
      script.onerror = () => {
        waiting.delete(name);
        reject(new FileError("web.files.missing", { name }));
      };
      script.onload = () => {
        script.remove();
        if (waiting.has(name)) {  // the script ran but did not give its bytes: not one of ours
          waiting.delete(name);
          reject(new FileError("web.files.damaged", { name }));
        }
      };
      document.head.append(script);
    });
  }
  return {
    bytes(name) {
      if (!loaded.has(name)) {
        const found = load(name);
        loaded.set(name, found);
        found.catch(() => loaded.delete(name));  // a failed file is tried again next time
      }
      return loaded.get(name);
    },
  };
}

// ---------------------------------------------------------------------------
// MNIST: the four IDX files, gzip-compressed (decompressed with the browser's DecompressionStream)
// ---------------------------------------------------------------------------

export async function gunzip(bytes, name = "") {
  if (typeof DecompressionStream === "undefined") throw new FileError("web.files.no_decompression");
  try {
    const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
    return new Uint8Array(await new Response(stream).arrayBuffer());
  } catch (err) {
    throw new FileError("web.files.damaged", { name });
  }
}

/** An IDX file's bytes -> { dims, data }; `magic` is 0x00000803 (images) or 0x00000801 (labels). */
export function readIdx(bytes, magic, name = "") {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dimCount = magic & 0xff;
  const headerSize = 4 + 4 * dimCount;
  if (bytes.length < headerSize || view.getUint32(0) !== magic) throw new FileError("web.files.damaged", { name });
  const dims = [];
  for (let i = 0; i < dimCount; i++) dims.push(view.getUint32(4 + 4 * i));
  const size = dims.reduce((a, b) => a * b, 1);
  if (bytes.length !== headerSize + size) throw new FileError("web.files.damaged", { name });
  return { dims, data: bytes.subarray(headerSize) };
}

/**
 * A split of MNIST: { count, images: Uint8Array (count * 784 grey levels 0-255, image after image),
 * labels: Uint8Array (count) }. The document divides the grey levels by 255 (engine/faithful.js
 * documentImages); they are kept as bytes here, 47 MB for the 60 000 training images instead of 376.
 */
export async function mnistSplit(source, split, dataset = "mnist") {
  const [imagesName, labelsName] = MNIST_FILES[split].map((file) => `${dataset}/${file}`);
  const [imageBytes, labelBytes] = await Promise.all([source.bytes(imagesName), source.bytes(labelsName)]);
  const images = readIdx(await gunzip(imageBytes, imagesName), 0x803, imagesName);
  const labels = readIdx(await gunzip(labelBytes, labelsName), 0x801, labelsName);
  const [count, rows, cols] = images.dims;
  if (rows !== 28 || cols !== 28 || labels.dims[0] !== count) throw new FileError("web.files.damaged", { name: imagesName });
  return { count, images: images.data, labels: labels.data };
}

// ---------------------------------------------------------------------------
// Model files (safetensors: an 8-byte little-endian header length, a JSON header, the tensors' bytes)
// ---------------------------------------------------------------------------

const DTYPES = { F64: Float64Array, F32: Float32Array };

/**
 * A model file's bytes -> { info, layout, tensors }: `info` the ModelInfo record (reseau.modelfile),
 * `layout` its activations or architecture, `tensors` name -> { shape, data (Float64Array) }: what
 * engine/networks.js fromParameters takes.
 */
export function readModel(bytes, name = "") {
  const damaged = () => new FileError("web.files.damaged", { name });
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 8) throw damaged();
  const headerSize = Number(view.getBigUint64(0, true));
  if (headerSize > bytes.length - 8) throw damaged();
  let header;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerSize)));
  } catch (err) {
    throw damaged();
  }
  const meta = header.__metadata__ || {};
  if (meta.format !== "reseau-model") throw damaged();
  const start = 8 + headerSize;
  const tensors = {};
  for (const [key, entry] of Object.entries(header)) {
    if (key === "__metadata__") continue;
    const Type = DTYPES[entry.dtype];
    const [begin, end] = entry.data_offsets;
    const count = entry.shape.reduce((a, b) => a * b, 1);
    if (!Type || end - begin !== count * Type.BYTES_PER_ELEMENT || start + end > bytes.length) throw damaged();
    const copy = bytes.slice(start + begin, start + end);  // aligned for the typed array
    tensors[key] = { shape: entry.shape, data: Float64Array.from(new Type(copy.buffer)) };
  }
  try {
    const info = JSON.parse(meta.info);
    const layout = JSON.parse(meta.activations ?? meta.architecture);
    return { info, layout, tensors };
  } catch (err) {
    throw damaged();
  }
}
