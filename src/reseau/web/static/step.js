// The « Pas à pas » / "Step by step" tab: the document's network learns one image per step,
// and every number of the last step is laid out (POST /api/step, POST /api/step/reset).
// An ES module: app.js calls setUpStep, showStepView and relabelStep; numbers are written by numbers.js.
import { formatCount, formatNumber, formatRate, formatSci } from "./numbers.js";
import { $, api, clearError, drawDigit, number, showError, state, tr } from "./page.js";
import { BOLD_FONT, FONT, SMALL_FONT, cssWidthOf, redrawOnResize, sharpCanvas } from "./canvases.js";

const STEP_PAD_PEN = 0.075;   // the pen, as a fraction of the pad's side (as the Draw tab's)
const STEP_SEND = 112;        // the drawing is sent as STEP_SEND x STEP_SEND grey levels (as the Draw tab's)
const STEP_RED = [214, 39, 40];    // delta > 0: too large, the step lowers it
const STEP_BLUE = [31, 119, 180];  // delta < 0: too small, the step raises it
const STEP_GOLD = "#d97706";       // the weight that moved the most (the derivative's)
const STEP_PAUSE_MS = 60;          // between two requests while playing

const stepState = {
  session: null,    // this page's name for its network on the server
  last: null,       // the last answer of /api/step or /api/step/reset
  ready: false,     // the tab has its network (after the first reset)
  playing: false,
  busy: false,
  padInk: false,
  padLast: null,
  padDrawing: false,
};

function stepSession() {
  // A random name for this page's network (crypto.getRandomValues works on plain http too).
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

// The tab's numbers, in the user's language (numbers.js): a value, a change with its sign, a small change.
const plain = (x, digits = 4) => formatNumber(x, digits, state.format);
const signed = (x, digits = 4) => formatNumber(x, digits, state.format, { sign: true });  // 0.0135 -> "+0,0135"
const small = (x) => formatSci(x, 2, state.format, { sign: true });  // 0.00683 -> "+6,83e−03", as `reseau explain`

function shade(value, top) {
  // A colour for a signed value: red if positive, blue if negative, stronger when larger (white at 0).
  const t = Math.min(1, Math.abs(value) / (top || 1));
  const [r, g, b] = value > 0 ? STEP_RED : STEP_BLUE;
  const mix = (c) => Math.round(255 - t * (255 - c));
  return `rgb(${mix(r)}, ${mix(g)}, ${mix(b)})`;
}

// ---------------------------------------------------------------------------
// Asking the server
// ---------------------------------------------------------------------------

async function stepReset() {
  stepPause();
  try {
    const seed = number($("step-seed").value);
    const answer = await api("/api/step/reset", { method: "POST", body: { session: stepState.session, seed } });
    clearError("step");
    stepState.ready = true;
    showStep(answer);
  } catch (err) {
    showError(err, "step");
  }
}

function stepRequest(count) {
  // The image the form names: a dataset image from its number, or the drawing with its digit.
  const body = { session: stepState.session, seed: number($("step-seed").value) };
  const source = $("step-source").value;
  if (source === "drawing") {
    return { ...body, drawing: { width: STEP_SEND, height: STEP_SEND, pixels: stepPadPixels() },
             label: Number($("step-label").value) };
  }
  return { ...body, split: source, index: number($("step-index").value), count };
}

async function stepOnce(count = 1) {
  // One request: `count` steps (the last one shown), then the number moves on to the next image.
  if (stepState.busy) return false;
  stepState.busy = true;
  try {
    const answer = await api("/api/step", { method: "POST", body: stepRequest(count) });
    clearError("step");
    showStep(answer);
    if (answer.step.source === "dataset") {
      const total = state.options?.counts?.[answer.step.split] ?? 60000;
      $("step-index").value = String((answer.step.index + 1) % total);
    }
    return true;
  } catch (err) {
    showError(err, "step");
    return false;
  } finally {
    stepState.busy = false;
  }
}

async function stepPlay() {
  // « Lecture »: steps one request after the other until « Pause » (or an error).
  if (stepState.playing) { stepPause(); return; }
  stepState.playing = true;
  $("step-play").textContent = tr("web.step.pause");
  while (stepState.playing && !$("view-step").hidden) {
    const ok = await stepOnce(Number($("step-speed").value));
    if (!ok) break;
    await new Promise((resolve) => setTimeout(resolve, STEP_PAUSE_MS));
  }
  stepPause();
}

function stepPause() {
  stepState.playing = false;
  $("step-play").textContent = tr("web.step.play");
}

// ---------------------------------------------------------------------------
// Showing a step
// ---------------------------------------------------------------------------

function showStep(answer) {
  stepState.last = answer;
  const view = $("view-step");
  view.dataset.steps = String(answer.steps);
  view.dataset.ready = "true";
  $("step-start").textContent = tr("web.step.start_caption", { seed: answer.seed, steps: formatCount(answer.steps, state.format) });
  drawStepCurve(answer);
  const step = answer.step;
  $("step-curve-title").textContent = tr("web.step.curve", { n: formatCount(answer.sample, state.format) });
  for (const id of ["step-details", "step-network-card", "step-derivative-card"]) $(id).hidden = !step;
  $("step-none").hidden = !!step;
  if (!step) {
    $("step-sentence").textContent = "";
    delete $("step-sentence").dataset.before;
    return;
  }
  drawDigit($("step-image"), step.img);
  $("step-caption").textContent = step.source === "drawing"
    ? tr("web.step.caption_drawing", { digit: step.digit })
    : tr("web.step.caption", { index: step.index, digit: step.digit,
                                split: tr(step.split === "train" ? "web.browse.split_train" : "web.browse.split_test") });
  showSentence(step);
  showFormula(step);
  showOutputs(step);
  drawStepNetwork(step, answer.derivative);
  drawDerivative(answer.derivative);
}

function showSentence(step) {
  const change = step.right_after - step.right_before;
  let text = tr("web.step.right", { digit: step.digit, before: plain(step.right_before, 4), after: plain(step.right_after, 4),
                                     change: signed(change), way: tr(change > 0 ? "web.step.up" : "web.step.down") });
  if (step.answer === step.answer_after) {
    text += " " + tr(step.answer === step.digit ? "web.step.still_right" : "web.step.still", { answer: step.answer });
  } else {
    text += " " + tr("web.step.changed", { answer: step.answer, after: step.answer_after });
  }
  const sentence = $("step-sentence");
  sentence.textContent = text;
  sentence.dataset.digit = String(step.digit);
  sentence.dataset.before = String(step.right_before);
  sentence.dataset.after = String(step.right_after);
}

function showFormula(step) {
  // delta_o = o − l with the numbers in place, for the right digit and for the network's answer;
  // then the update of the weight that moved the most.
  const lines = [];
  const delta = (k) => `delta_o[${k}] = o[${k}] − l[${k}] = ${plain(step.o[k], 4)} − ${step.l[k]} = ${signed(step.delta_o[k])}`;
  lines.push([tr("web.step.formula_right", { digit: step.digit }), delta(step.digit)]);
  if (step.answer !== step.digit) lines.push([tr("web.step.formula_answer", { answer: step.answer }), delta(step.answer)]);
  const top = step.largest[0];
  if (top && top.layer === "w_h_o") {
    lines.push([tr("web.step.formula_weight"),
      `${top.name} += −learn_rate × delta_o[${top.row}] × h[${top.col}] = −${formatRate(step.learn_rate, state.format)} × (${signed(step.delta_o[top.row])}) × ${plain(step.h[top.col], 4)} = ${small(top.change)}`]);
  } else if (top) {
    lines.push([tr("web.step.formula_weight"),
      `${top.name} += −learn_rate × delta_h[${top.row}] × img[${top.col}] = ${small(top.change)}`]);
  }
  const rows = lines.map(([words, formula]) => {
    const p = document.createElement("p");
    const label = document.createElement("span");
    label.className = "formula-words";
    label.textContent = words;
    const code = document.createElement("code");
    code.textContent = formula;
    p.append(label, " ", code);
    return p;
  });
  $("step-formula").replaceChildren(...rows);
  $("step-formula").dataset.delta = String(step.delta_o[step.digit]);
}

function showOutputs(step) {
  // The ten outputs: o, l, delta_o = o − l (coloured), o after.
  const top = Math.max(...step.delta_o.map(Math.abs));
  const head = document.createElement("tr");
  for (const text of [tr("web.step.col.digit"), "o", "l", "delta_o = o − l", tr("web.step.col.after")]) {
    const th = document.createElement("th");
    th.textContent = text;
    head.append(th);
  }
  const rows = step.o.map((o, k) => {
    const tr_ = document.createElement("tr");
    if (k === step.digit) tr_.className = "right";
    const cells = [String(k) + (k === step.digit ? " ✓" : "") + (k === step.answer ? " ◀" : ""), plain(o, 4),
                   String(step.l[k]), signed(step.delta_o[k]), plain(step.o_after[k], 4)];
    cells.forEach((text, i) => {
      const td = document.createElement("td");
      td.textContent = text;
      if (i === 3) td.style.background = shade(step.delta_o[k], top);
      tr_.append(td);
    });
    return tr_;
  });
  $("step-outputs").replaceChildren(head, ...rows);
}

// ---------------------------------------------------------------------------
// The network during the step: w_i_h's change as 20 small images, h and delta_h, the lines of w_h_o, o and delta_o
// ---------------------------------------------------------------------------

const NET_HEIGHT = 680;  // CSS pixels: 20 hidden neurons, a row of 31 px each

function drawStepNetwork(step, derivative) {
  // Laid out for the canvas's width (canvases.js): on a desktop each neuron's numbers on one line; on a phone
  // on two or three lines, so that every label keeps its size (11-12 CSS px) and the drawing fits the screen.
  const canvas = $("step-network");
  const { ctx, W, H } = sharpCanvas(canvas, NET_HEIGHT);
  const n = step.hidden;
  const wide = netLayout(ctx, step, W, true);
  const at = wide.xo - wide.xh >= 160 ? wide : netLayout(ctx, step, W, false);
  const top = 46, bottom = 12;
  const rowH = (H - top - bottom) / n;
  const yh = (j) => top + (j + 0.5) * rowH;
  const yo = (k) => top + (k + 0.5) * (H - top - bottom) / 10;
  const rh = at.rh, ro = at.ro, xh = at.xh, xo = at.xo;
  netTitles(ctx, at, W);
  // w_h_o's change, one line per weight, the largest on top
  const change = step.change_w_h_o;
  const topChange = Math.max(...change.flat().map(Math.abs)) || 1;
  const lines = [];
  change.forEach((row, k) => row.forEach((c, j) => lines.push([Math.abs(c), k, j, c])));
  lines.sort((a, b) => a[0] - b[0]);
  for (const [size, k, j, c] of lines) {
    const t = size / topChange;
    const [r, g, b] = c > 0 ? STEP_RED : STEP_BLUE;
    ctx.strokeStyle = `rgba(${r}, ${g}, ${b}, ${0.08 + 0.8 * t})`;
    ctx.lineWidth = 0.4 + 2.6 * t;
    ctx.beginPath(); ctx.moveTo(xh + rh, yh(j)); ctx.lineTo(xo - ro, yo(k)); ctx.stroke();
  }
  if (derivative && derivative.layer === "w_h_o") {
    ctx.strokeStyle = STEP_GOLD;
    ctx.lineWidth = 3.5;
    ctx.beginPath(); ctx.moveTo(xh + rh, yh(derivative.col)); ctx.lineTo(xo - ro, yo(derivative.row)); ctx.stroke();
  }
  drawTiles(ctx, step, at.xTile, Math.min(at.tile, rowH - 2), yh, derivative);
  drawHidden(ctx, step, at, yh);
  drawOutputs(ctx, step, at, yo);
  canvas.dataset.highlight = derivative ? derivative.name : "";
  canvas.dataset.layout = at.wide ? "wide" : "narrow";
}

function hiddenLabels(step, j) {
  return [`h${j} ${plain(step.h[j], 3)}`, `δ ${small(step.delta_h[j])}`];
}

function outputLabels(step, k) {
  const marks = (k === step.digit ? " ✓" : "") + (k === step.answer ? " ◀" : "");
  const values = `${plain(step.o[k], 3)} → ${plain(step.o_after[k], 3)}`;
  return [`${k}${marks}`, values, `δ ${signed(step.delta_o[k], 3)}`];
}

function netLayout(ctx, step, W, wide) {
  // Where the columns go: the tiles on the left, the hidden neurons after their labels, the outputs before
  // theirs at the right edge; wide: a neuron's labels on one line, else one label a line.
  const widest = (texts, font) => { ctx.font = font; return Math.max(...texts.map((t) => ctx.measureText(t).width)); };
  const hidden = step.h.map((_, j) => hiddenLabels(step, j));
  const outputs = step.o.map((_, k) => outputLabels(step, k));
  const hiddenWidth = wide ? widest(hidden.map((l) => l.join("   ")), SMALL_FONT) : widest(hidden.flat(), SMALL_FONT);
  const outputWidth = wide ? widest(outputs.map((l) => `${l[0]}  ${l[1]}`), BOLD_FONT)
                           : widest(outputs.map((l) => l[1]), BOLD_FONT);
  const xTile = wide ? 8 : 0, tile = wide ? 30 : 24, rh = wide ? 11 : 9, ro = wide ? 15 : 12;
  const xh = Math.max(wide ? 320 : 0, xTile + tile + 8 + hiddenWidth + 6 + rh);
  const xo = Math.min(wide ? W - 200 : W, W - outputWidth - 8 - ro - 2);
  return { wide, xTile, tile, rh, ro, xh, xo };
}

function netTitles(ctx, at, W) {
  // The four columns' names; on a phone in two rows (tiles and outputs, then hidden and lines).
  ctx.font = FONT;
  ctx.fillStyle = "#374151";
  ctx.textBaseline = "alphabetic";
  const title = (key, x, y, align) => { ctx.textAlign = align; ctx.fillText(tr(key), x, y); };
  if (at.wide) {
    title("web.step.net.tiles", at.xTile, 16, "left");
    title("web.step.net.hidden", at.xh - 80, 34, "center");
    title("web.step.net.lines", (at.xh + at.xo) / 2, 16, "center");
    title("web.step.net.outputs", at.xo + 80, 34, "center");
  } else {
    title("web.step.net.tiles", 0, 16, "left");
    title("web.step.net.outputs", W, 16, "right");
    title("web.step.net.hidden", 0, 34, "left");
    // The lines' name centred over the lines, unless it would run into the hidden neurons' name or the edge.
    const half = ctx.measureText(tr("web.step.net.lines")).width / 2;
    const after = ctx.measureText(tr("web.step.net.hidden")).width + 12 + half;
    title("web.step.net.lines", Math.min(W - half, Math.max(after, (at.xh + at.xo) / 2)), 34, "center");
  }
}

function drawTiles(ctx, step, x, size, y, derivative) {
  // Row j of w_i_h's change is −learn_rate × delta_h[j] × img: the image, red or blue, on one scale for all.
  const lr = step.learn_rate;
  const topDelta = Math.max(...step.delta_h.map(Math.abs)) || 1;
  const scratch = document.createElement("canvas");
  scratch.width = scratch.height = 28;
  const sctx = scratch.getContext("2d");
  ctx.imageSmoothingEnabled = false;
  step.delta_h.forEach((d, j) => {
    const image = sctx.createImageData(28, 28);
    for (let p = 0; p < 784; p++) {
      const c = -lr * d * step.img[p];
      const t = Math.abs(d) / topDelta * step.img[p];
      const [r, g, b] = c > 0 ? STEP_RED : STEP_BLUE;
      const mix = (v) => Math.round(255 - t * (255 - v));
      image.data.set([mix(r), mix(g), mix(b), 255], 4 * p);
    }
    sctx.putImageData(image, 0, 0);
    ctx.drawImage(scratch, x, y(j) - size / 2, size, size);
    ctx.strokeStyle = derivative && derivative.layer === "w_i_h" && derivative.row === j ? STEP_GOLD : "#d1d5db";
    ctx.lineWidth = 1;
    ctx.strokeRect(x + 0.5, y(j) - size / 2 + 0.5, size - 1, size - 1);
  });
}

function drawHidden(ctx, step, at, y) {
  // Each hidden neuron: grey by h (black = 1), its ring coloured by delta_h; the numbers to its left.
  const topDelta = Math.max(...step.delta_h.map(Math.abs)) || 1;
  const x = at.xh, r = at.rh;
  ctx.font = SMALL_FONT;
  ctx.textBaseline = "middle";
  step.h.forEach((h, j) => {
    const v = Math.round(255 * (1 - h));
    ctx.fillStyle = `rgb(${v}, ${v}, ${v})`;
    ctx.strokeStyle = shade(step.delta_h[j], topDelta);
    ctx.lineWidth = at.wide ? 4 : 3;
    ctx.beginPath(); ctx.arc(x, y(j), r, 0, 2 * Math.PI); ctx.fill(); ctx.stroke();
    outline(ctx, x, y(j), r + 2.5);
    ctx.fillStyle = "#374151";
    ctx.textAlign = "right";
    const [value, delta] = hiddenLabels(step, j);
    if (at.wide) ctx.fillText(`${value}   ${delta}`, x - r - 6, y(j));
    else { ctx.fillText(value, x - r - 6, y(j) - 6); ctx.fillText(delta, x - r - 6, y(j) + 7); }
  });
}

function outline(ctx, x, y, r) {
  // A thin grey circle around a neuron, so one with h near 0 and delta near 0 is still seen.
  ctx.strokeStyle = "#9ca3af";
  ctx.lineWidth = 0.8;
  ctx.beginPath(); ctx.arc(x, y, r, 0, 2 * Math.PI); ctx.stroke();
}

function drawOutputs(ctx, step, at, y) {
  // Each output: grey by o, its ring coloured by delta_o; o before → after and delta_o to its right.
  const topDelta = Math.max(...step.delta_o.map(Math.abs)) || 1;
  const x = at.xo, r = at.ro, left = x + r + 8;
  ctx.textBaseline = "middle";
  step.o.forEach((o, k) => {
    const v = Math.round(255 * (1 - o));
    ctx.fillStyle = `rgb(${v}, ${v}, ${v})`;
    ctx.strokeStyle = shade(step.delta_o[k], topDelta);
    ctx.lineWidth = at.wide ? 5 : 4;
    ctx.beginPath(); ctx.arc(x, y(k), r, 0, 2 * Math.PI); ctx.fill(); ctx.stroke();
    outline(ctx, x, y(k), r + 3);
    ctx.textAlign = "left";
    ctx.font = k === step.digit ? BOLD_FONT : FONT;
    ctx.fillStyle = k === step.digit ? "#111827" : "#374151";
    const [name, values, delta] = outputLabels(step, k);
    if (at.wide) ctx.fillText(`${name}  ${values}`, left, y(k) - 7);
    else { ctx.fillText(name, left, y(k) - 16); ctx.fillText(values, left, y(k)); }
    ctx.font = SMALL_FONT;
    ctx.fillStyle = "#6b7280";
    ctx.fillText(delta, left, y(k) + (at.wide ? 8 : 15));
  });
}

// ---------------------------------------------------------------------------
// The cost and accuracy on the fixed sample, and the derivative along one weight
// ---------------------------------------------------------------------------

function drawStepCurve(answer) {
  const canvas = $("step-curve");
  const { ctx, W, H } = sharpCanvas(canvas, 240);
  const points = answer.history;
  const now = points[points.length - 1];
  const top = curveLegend(ctx, W, now);
  const m = { l: 46, r: 46, t: top + 12, b: 34 };
  const last = Math.max(1, ...points.map((p) => p.steps));
  const topCost = Math.max(1, ...points.map((p) => p.cost)) * 1.05;
  const x = (s) => m.l + s / last * (W - m.l - m.r);
  const yCost = (c) => m.t + (1 - c / topCost) * (H - m.t - m.b);
  const yAcc = (a) => m.t + (1 - a / 100) * (H - m.t - m.b);
  ctx.font = SMALL_FONT;
  ctx.strokeStyle = "#e5e7eb";
  ctx.lineWidth = 1;
  ctx.fillStyle = "#374151";
  for (let a = 0; a <= 100; a += 25) {
    ctx.beginPath(); ctx.moveTo(m.l, yAcc(a)); ctx.lineTo(W - m.r, yAcc(a)); ctx.stroke();
    ctx.textAlign = "left"; ctx.textBaseline = "middle";
    ctx.fillText(`${a} %`, W - m.r + 4, yAcc(a));
    ctx.textAlign = "right";
    ctx.fillText(plain(topCost * a / 100, 1), m.l - 4, yAcc(a));
  }
  ctx.textAlign = "center"; ctx.textBaseline = "top";
  ctx.fillText(`0`, m.l, H - m.b + 4);
  ctx.fillText(formatCount(last, state.format), W - m.r, H - m.b + 4);
  ctx.fillText(tr("web.step.axis_steps"), W / 2, H - m.b + 4);
  for (const [key, y, colour] of [["cost", yCost, "#ea580c"], ["accuracy", yAcc, "#2563eb"]]) {
    ctx.strokeStyle = ctx.fillStyle = colour;
    ctx.lineWidth = 2;
    ctx.beginPath();
    points.forEach((p, i) => (i ? ctx.lineTo(x(p.steps), y(p[key])) : ctx.moveTo(x(p.steps), y(p[key]))));
    ctx.stroke();
    if (points.length === 1) { ctx.beginPath(); ctx.arc(x(0), y(points[0][key]), 3, 0, 2 * Math.PI); ctx.fill(); }
  }
  canvas.dataset.points = String(points.length);
  canvas.dataset.accuracy = String(now.accuracy);
  canvas.dataset.cost = String(now.cost);
}

function curveLegend(ctx, W, now) {
  // The cost and the accuracy now, side by side, or one under the other on a narrow screen; returns its bottom.
  ctx.font = SMALL_FONT;
  ctx.textAlign = "left"; ctx.textBaseline = "middle";
  const cost = tr("web.step.series_cost", { value: plain(now.cost, 3) });
  const accuracy = tr("web.step.series_accuracy", { value: plain(now.accuracy, 1) });
  const beside = Math.max(W / 2, 46 + ctx.measureText(cost).width + 16);
  const fits = beside + ctx.measureText(accuracy).width <= W;
  ctx.fillStyle = "#ea580c";
  ctx.fillText(cost, 46, 12);
  ctx.fillStyle = "#2563eb";
  ctx.fillText(accuracy, fits ? beside : 46, fits ? 12 : 28);
  return fits ? 18 : 34;
}

function drawDerivative(d) {
  // Two panels, the cost from afar and close up: side by side, or one above the other on a narrow screen.
  const canvas = $("step-derivative");
  const narrow = cssWidthOf(canvas) < 480;
  const { ctx, W } = sharpCanvas(canvas, narrow ? 440 : 240);
  if (!d) return;
  const panels = narrow ? [[0, 0, W, 220], [0, 220, W, 220]] : [[0, 0, W / 2, 240], [W / 2, 0, W / 2, 240]];
  costPanel(ctx, d, d.xs, d.costs, panels[0], tr("web.step.wide"), 2);
  costPanel(ctx, d, d.close_xs, d.close_costs, panels[1], tr("web.step.close"), 4);
  const formula = d.layer === "w_h_o" ? `delta_o[${d.row}] × h[${d.col}]` : `delta_h[${d.row}] × img[${d.col}]`;
  $("step-derivative-title").textContent = tr("web.step.derivative_title", { name: d.name });
  let text = tr("web.step.derivative_text", { formula, slope: plain(d.gradient), lr: formatRate(d.learn_rate, state.format),
                                               change: small(d.change), before: plain(d.cost, 4), after: plain(d.cost_moved, 4) });
  if (d.layer === "w_i_h") text += " " + tr("web.step.textbook", { textbook: plain(d.textbook_gradient) });
  $("step-derivative-text").textContent = text;
  canvas.dataset.slope = String(d.gradient);
}

function costPanel(ctx, d, xs, costs, [left, top, width, height], title, digits) {
  // The cost along the weight (blue), the tangent of slope d.gradient (dashed orange), the step (red arrow).
  const m = { l: 44, r: 12, t: 24, b: 30 }, bottom = top + height;
  const low = Math.min(...costs), high = Math.max(...costs), pad = (high - low) * 0.08 || 0.01;
  const x = (v) => left + m.l + (v - xs[0]) / (xs[xs.length - 1] - xs[0]) * (width - m.l - m.r);
  const y = (c) => top + m.t + (high + pad - c) / (high - low + 2 * pad) * (height - m.t - m.b);
  ctx.save();
  ctx.beginPath(); ctx.rect(left + m.l, top + m.t, width - m.l - m.r, height - m.t - m.b); ctx.clip();
  ctx.strokeStyle = "#2563eb"; ctx.lineWidth = 2.2;
  ctx.beginPath();
  xs.forEach((v, i) => (i ? ctx.lineTo(x(v), y(costs[i])) : ctx.moveTo(x(v), y(costs[i]))));
  ctx.stroke();
  ctx.strokeStyle = "#ea580c"; ctx.lineWidth = 1.6; ctx.setLineDash([6, 4]);
  const ends = [xs[0], xs[xs.length - 1]];
  ctx.beginPath();
  ends.forEach((v, i) => { const c = d.cost + d.gradient * (v - d.value); i ? ctx.lineTo(x(v), y(c)) : ctx.moveTo(x(v), y(c)); });
  ctx.stroke();
  ctx.setLineDash([]);
  ctx.fillStyle = "#111827";
  ctx.beginPath(); ctx.arc(x(d.value), y(d.cost), 4, 0, 2 * Math.PI); ctx.fill();
  ctx.strokeStyle = ctx.fillStyle = "#d62728"; ctx.lineWidth = 2;
  ctx.beginPath(); ctx.moveTo(x(d.value), y(d.cost)); ctx.lineTo(x(d.value + d.change), y(d.cost_moved)); ctx.stroke();
  ctx.beginPath(); ctx.arc(x(d.value + d.change), y(d.cost_moved), 3.5, 0, 2 * Math.PI); ctx.fill();
  ctx.restore();
  ctx.strokeStyle = "#6b7280"; ctx.lineWidth = 1;
  ctx.strokeRect(left + m.l, top + m.t, width - m.l - m.r, height - m.t - m.b);
  ctx.fillStyle = "#374151"; ctx.font = SMALL_FONT;
  ctx.textAlign = "center"; ctx.textBaseline = "top";
  ctx.fillText(title, left + width / 2, top + 6);
  ctx.fillText(plain(xs[0], digits), left + m.l + 14, bottom - m.b + 4);
  ctx.fillText(plain(xs[xs.length - 1], digits), left + width - m.r - 14, bottom - m.b + 4);
  ctx.fillText(d.name, left + (width + m.l - m.r) / 2, bottom - m.b + 14);
  ctx.textAlign = "right"; ctx.textBaseline = "middle";
  ctx.fillText(plain(high, digits === 2 ? 2 : 4), left + m.l - 3, y(high));
  ctx.fillText(plain(low, digits === 2 ? 2 : 4), left + m.l - 3, y(low));
}

function redrawStep() {
  // The drawings of the last step again, laid out for their boxes' new widths (canvases.js).
  const answer = stepState.last;
  if (!answer) return;
  drawStepCurve(answer);
  if (answer.step) drawStepNetwork(answer.step, answer.derivative);
  drawDerivative(answer.derivative);
}

// ---------------------------------------------------------------------------
// The tab's own small pad, for a drawing to learn
// ---------------------------------------------------------------------------

function stepPadPoint(event) {
  const canvas = $("step-pad");
  const box = canvas.getBoundingClientRect();
  return [(event.clientX - box.left) * canvas.width / box.width, (event.clientY - box.top) * canvas.height / box.height];
}

function stepPadStroke(from, to) {
  const canvas = $("step-pad");
  const ctx = canvas.getContext("2d");
  ctx.strokeStyle = "#000";
  ctx.lineWidth = canvas.width * STEP_PAD_PEN;
  ctx.lineCap = ctx.lineJoin = "round";
  ctx.beginPath(); ctx.moveTo(from[0], from[1]); ctx.lineTo(to[0] + 0.01, to[1]); ctx.stroke();
  stepState.padInk = true;
}

function stepPadPixels() {
  // The pad shrunk with smoothing to STEP_SEND x STEP_SEND; ink = the alpha channel, 0..1.
  const reader = document.createElement("canvas");
  reader.width = reader.height = STEP_SEND;
  const ctx = reader.getContext("2d");
  ctx.imageSmoothingEnabled = true;
  ctx.imageSmoothingQuality = "high";
  ctx.drawImage($("step-pad"), 0, 0, STEP_SEND, STEP_SEND);
  const rgba = ctx.getImageData(0, 0, STEP_SEND, STEP_SEND).data;
  return Array.from({ length: STEP_SEND * STEP_SEND }, (_, i) => Math.round(rgba[4 * i + 3] / 0.255) / 1000);
}

function setUpStepPad() {
  const canvas = $("step-pad");
  canvas.addEventListener("pointerdown", (event) => {
    event.preventDefault();
    canvas.setPointerCapture(event.pointerId);
    stepState.padDrawing = true;
    stepState.padLast = stepPadPoint(event);
    stepPadStroke(stepState.padLast, stepState.padLast);
  });
  canvas.addEventListener("pointermove", (event) => {
    if (!stepState.padDrawing) return;
    const point = stepPadPoint(event);
    stepPadStroke(stepState.padLast, point);
    stepState.padLast = point;
  });
  const end = () => { stepState.padDrawing = false; };
  canvas.addEventListener("pointerup", end);
  canvas.addEventListener("pointercancel", end);
  $("step-clear").addEventListener("click", () => {
    canvas.getContext("2d").clearRect(0, 0, canvas.width, canvas.height);
    stepState.padInk = false;
  });
}

// ---------------------------------------------------------------------------
// Wiring (called by app.js: setUpStep once, showStepView when the tab opens, relabelStep on a language switch)
// ---------------------------------------------------------------------------

function stepSourceChanged() {
  const drawing = $("step-source").value === "drawing";
  $("step-index-box").hidden = drawing;
  $("step-label-box").hidden = !drawing;
  $("step-pad-box").hidden = !drawing;
  $("step-play").disabled = drawing;
  if (drawing) stepPause();
}

export function setUpStep() {
  stepState.session = stepSession();
  $("step-label").replaceChildren(...[..."0123456789"].map((d) => new Option(d, d)));
  $("step-form").addEventListener("submit", (event) => { event.preventDefault(); stepPause(); stepOnce(1); });
  $("step-play").addEventListener("click", stepPlay);
  $("step-reset").addEventListener("click", stepReset);
  $("step-source").addEventListener("change", stepSourceChanged);
  setUpStepPad();
  stepSourceChanged();
  for (const id of ["step-network", "step-curve", "step-derivative"]) redrawOnResize($(id), redrawStep);
}

export function showStepView() {
  if (!stepState.ready) stepReset();
}

export function relabelStep() {
  $("step-play").textContent = tr(stepState.playing ? "web.step.pause" : "web.step.play");
  if (stepState.last) showStep(stepState.last);
}
