// Numbers as the user's language writes them: the JavaScript twin of reseau.i18n's
// format_number, format_sci, format_rate and format_count, shared by every page
// (`reseau web`, the classroom's teacher and student pages).
//
// `format` is what the server sends with the page's sentences (reseau.i18n.number_format):
// { decimal: ",", group: "\u202f" } in French, { decimal: ".", group: "," } in English.
// A negative number takes the true minus sign (U+2212) in both languages, and a number
// that rounds to zero from below is written as zero ("0,00", never "−0,00").
//
// Rounding is Python's: the exact value of the double, ties to the even digit
// (2.5 -> "2", 0.125 -> "0.12"), where JavaScript's toFixed would round ties up. So
// every digit below is worked out from the double's exact decimal expansion (BigInt).
// The one difference: JavaScript writes a missing or infinite value as "–".

export const MINUS = "\u2212";
const NONE = "–";  // a value the page does not have (NaN, undefined): a dash, not "NaN"

/** -93.3246 -> "−93,32" (French) / "−93.32" (English), `digits` after the separator; `sign` writes "+" too. */
export function formatNumber(x, digits, format, { sign = false } = {}) {
  if (!Number.isFinite(x)) return NONE;
  return signed(x, fixed(exact(Math.abs(x)), digits), format, sign);
}

/** 0.00346 -> "3,46e−03" (as Python's "3.46e-03"), `digits` after the separator. */
export function formatSci(x, digits, format, { sign = false } = {}) {
  if (!Number.isFinite(x)) return NONE;
  const { mantissa, exponent } = scientific(exact(Math.abs(x)), digits + 1);
  return signed(x, mantissa + "e" + twoDigits(exponent), format, sign);
}

/** A setting such as a learning rate, as Python's "{:g}": 0.01 -> "0,01", 1e-05 -> "1e−05", 100 -> "100". */
export function formatRate(x, format) {
  if (!Number.isFinite(x)) return NONE;
  return signed(x, general(exact(Math.abs(x))), format, false);
}

/** 10000 -> "10 000" (French, narrow no-break space) / "10,000" (English). */
export function formatCount(n, format) {
  if (!Number.isFinite(n)) return NONE;
  const digits = String(Math.abs(Math.round(n))).replace(/\B(?=(\d{3})+$)/g, format.group);
  return (n < 0 && digits !== "0" ? MINUS : "") + digits;
}

// ---------------------------------------------------------------------------
// The pieces: a double's exact digits, then Python's roundings
// ---------------------------------------------------------------------------

function signed(x, text, format, sign) {
  // The sign, then the digits with the language's decimal separator and exponent minus.
  const zero = !/[1-9]/.test(text.split("e")[0]);
  const before = x < 0 && !zero ? MINUS : sign ? "+" : "";
  return before + text.replace(".", format.decimal).replace("-", MINUS);
}

function exact(a) {
  // A finite a >= 0 as { digits, scale }: a = BigInt(digits) / 10 ** scale, exactly (a double is m * 2^p).
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, a);
  const bits = view.getBigUint64(0);
  const biased = Number((bits >> 52n) & 0x7ffn);
  const fraction = bits & ((1n << 52n) - 1n);
  const m = biased === 0 ? fraction : fraction | (1n << 52n);
  const p = biased === 0 ? -1074 : biased - 1075;
  if (p >= 0) return { digits: m << BigInt(p), scale: 0 };
  return { digits: m * 5n ** BigInt(-p), scale: -p };  // m / 2^k = m * 5^k / 10^k
}

function roundDigits(digits, drop) {
  // digits / 10^drop rounded to a whole number, ties to even (drop >= 0).
  if (drop <= 0) return digits * 10n ** BigInt(-drop);
  const unit = 10n ** BigInt(drop);
  const q = digits / unit, r = digits % unit, half = unit / 2n;
  return r > half || (r === half && q % 2n === 1n) ? q + 1n : q;
}

function fixed({ digits, scale }, places) {
  // "12.35" for places = 2: the value rounded to `places` decimals, written out.
  const whole = roundDigits(digits, scale - places).toString().padStart(places + 1, "0");
  return places ? whole.slice(0, -places) + "." + whole.slice(-places) : whole;
}

function scientific({ digits, scale }, significant) {
  // { mantissa: "3.46", exponent: -3 } for `significant` digits (3 here); zero is "0.00" e+00.
  if (digits === 0n) return { mantissa: point("0".repeat(significant)), exponent: 0 };
  const length = digits.toString().length;
  let exponent = length - 1 - scale;
  let kept = roundDigits(digits, length - significant).toString();
  if (kept.length > significant) {  // 9.995 -> 10.0: one more power of ten
    kept = kept.slice(0, significant);
    exponent += 1;
  }
  return { mantissa: point(kept), exponent };
}

function point(kept) {
  return kept.length > 1 ? kept[0] + "." + kept.slice(1) : kept;
}

function twoDigits(exponent) {
  // Python writes an exponent with its sign and at least two digits: e-05, e+00, e+100.
  return (exponent < 0 ? "-" : "+") + String(Math.abs(exponent)).padStart(2, "0");
}

function general(value) {
  // Python's "g" (6 significant digits): plain between 1e-4 and 1e6, else scientific; no trailing zeros.
  if (value.digits === 0n) return "0";
  const { mantissa, exponent } = scientific(value, 6);
  if (exponent < -4 || exponent >= 6) return trimmed(mantissa) + "e" + twoDigits(exponent);
  return trimmed(fixed(value, 5 - exponent));
}

function trimmed(text) {
  return text.includes(".") ? text.replace(/0+$/, "").replace(/\.$/, "") : text;
}
