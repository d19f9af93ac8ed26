// A set of digits as MNIST's IDX files, written and read in the browser: the JavaScript twin of
// reseau.digitset's idx_bytes / write_set (the « Mes chiffres » tab's export and import).
//
// An IDX file: a big-endian header (magic 0x00000803 for images, 0x00000801 for labels, then each dimension)
// and one byte per value. MNIST's files are gzip'd; the gzip written here keeps its deflate data in "stored"
// blocks (no compression: a student's 100 digits are 78 KB), so it needs no CompressionStream and is the same
// bytes in every browser. Reading takes any gzip: stored blocks here, the rest through DecompressionStream.
//
// Tested by tests/test_digitset.py + tests/js/idx.test.mjs: what this writes, reseau.digitset.read_set
// reads bit for bit; what Python writes (zlib-compressed), this reads.

import { FileError, gunzip, readIdx } from "./files.js";

export const MAGIC = { images: 0x803, labels: 0x801 };
export const SET_FILES = { images: "t10k-images-idx3-ubyte.gz", labels: "t10k-labels-idx1-ubyte.gz" };
const SIDE = 28;

/** dims (e.g. [n, 28, 28]) and their values (Uint8Array) -> an IDX file's bytes. */
export function idxBytes(magic, dims, values) {
  const header = 4 + 4 * dims.length;
  const out = new Uint8Array(header + values.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, magic);
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d));
  out.set(values, header);
  return out;
}

// ---------------------------------------------------------------------------
// gzip (RFC 1952) around deflate's stored blocks (RFC 1951, 3.2.4), and its CRC-32
// ---------------------------------------------------------------------------

const CRC_TABLE = new Uint32Array(256).map((_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c;
});

export function crc32(bytes) {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

const BLOCK = 65535;  // the most a stored block holds

/** `bytes` as a gzip file whose deflate data is stored blocks; no name, no time (the same bytes each time). */
export function gzipStored(bytes) {
  const blocks = Math.max(1, Math.ceil(bytes.length / BLOCK));
  const out = new Uint8Array(10 + blocks * 5 + bytes.length + 8);
  out.set([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255]);  // magic, deflate, no flags, mtime 0, no extra flags, OS unknown
  let o = 10;
  for (let b = 0; b < blocks; b++) {
    const chunk = bytes.subarray(b * BLOCK, (b + 1) * BLOCK);
    const n = chunk.length;
    out.set([b === blocks - 1 ? 1 : 0, n & 0xff, n >>> 8, ~n & 0xff, (~n >>> 8) & 0xff], o);  // BFINAL, LEN, NLEN
    out.set(chunk, o + 5);
    o += 5 + n;
  }
  const view = new DataView(out.buffer);
  view.setUint32(o, crc32(bytes), true);
  view.setUint32(o + 4, bytes.length >>> 0, true);  // ISIZE
  return out;
}

/** A gzip file made only of stored blocks -> its content; null for any other gzip (compressed blocks). */
function gunzipStored(bytes) {
  if (bytes.length < 18 || bytes[0] !== 0x1f || bytes[1] !== 0x8b || bytes[2] !== 8 || bytes[3] !== 0) return null;
  const parts = [];
  let o = 10;
  for (;;) {
    if (o + 5 > bytes.length || (bytes[o] & 0b110) !== 0) return null;  // BTYPE 00: stored
    const n = bytes[o + 1] | (bytes[o + 2] << 8);
    if ((n ^ (bytes[o + 3] | (bytes[o + 4] << 8))) !== 0xffff || o + 5 + n > bytes.length) return null;
    parts.push(bytes.subarray(o + 5, o + 5 + n));
    const last = bytes[o] & 1;
    o += 5 + n;
    if (last) break;
  }
  const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (o + 8 !== bytes.length || view.getUint32(o, true) !== crc32(out)) throw new FileError("web.files.damaged", {});
  return out;
}

/** Any gzip's content (an IDX file not gzip'd is taken as it is). */
export async function ungzip(bytes, name = "") {
  if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return bytes;
  return gunzipStored(bytes) ?? gunzip(bytes, name);
}

// ---------------------------------------------------------------------------
// A set: { images: Uint8Array (n * 784, grey 0-255, ink bright), labels: Uint8Array (n) }
// ---------------------------------------------------------------------------

/** The set as the two .gz files: { [SET_FILES.images]: bytes, [SET_FILES.labels]: bytes }. */
export function setFiles(images, labels) {
  const n = labels.length;
  return {
    [SET_FILES.images]: gzipStored(idxBytes(MAGIC.images, [n, SIDE, SIDE], images)),
    [SET_FILES.labels]: gzipStored(idxBytes(MAGIC.labels, [n], labels)),
  };
}

/** Files' bytes (in any order: told apart by their magic) -> the set; a file that is neither: FileError. */
export async function readSet(files) {
  const found = {};
  for (const { name, bytes } of files) {
    const raw = await ungzip(bytes, name);
    const magic = raw.length >= 4 ? new DataView(raw.buffer, raw.byteOffset, 4).getUint32(0) : 0;
    const role = magic === MAGIC.images ? "images" : magic === MAGIC.labels ? "labels" : null;
    if (!role) throw new FileError("web.mine.not_idx", { name });
    found[role] = { name, ...readIdx(raw, magic, name) };
  }
  if (!found.images || !found.labels) throw new FileError("web.mine.need_both");
  const [n, rows, cols] = found.images.dims;
  if (rows !== SIDE || cols !== SIDE) throw new FileError("web.mine.not_28", { name: found.images.name });
  if (found.labels.dims[0] !== n) throw new FileError("web.mine.counts", { n, m: found.labels.dims[0] });
  if (found.labels.data.some((v) => v > 9)) throw new FileError("web.files.damaged", { name: found.labels.name });
  return { images: found.images.data, labels: found.labels.data };
}
