// The page's drawings (the training curve, the sigmoid, the step by step's network and charts), sharp and
// readable on any screen. A drawing is laid out in CSS pixels, as wide as its box: a 12 px label is 12 px on
// a phone as on a desktop, and a narrow box gets a narrower layout rather than a shrunken picture. Its canvas
// keeps devicePixelRatio pixels per CSS pixel (3 on many phones), so nothing is blurred.
// Used by app.js and step.js; tested by tests/test_web_phone.py (sizes of boxes, pixels and labels).

// The canvas's box width in CSS pixels; a hidden canvas (its tab not shown) keeps its last one, or its default.
export function cssWidthOf(canvas) {
  canvas.dataset.cssWidth ||= canvas.getAttribute("width");  // before its first drawing: the HTML's width
  const shown = canvas.getBoundingClientRect().width;
  if (shown > 0) canvas.dataset.cssWidth = String(shown);
  return Number(canvas.dataset.cssWidth);
}

// Makes `canvas` ready to draw on, `height(W)` CSS pixels high: returns its 2D context, scaled so that one unit
// is one CSS pixel and cleared, with W and H (CSS pixels). The canvas's CSS gives its width (style.css: .chart).
export function sharpCanvas(canvas, height) {
  const W = Math.floor(cssWidthOf(canvas));
  const H = Math.round(typeof height === "function" ? height(W) : height);
  const ratio = window.devicePixelRatio || 1;
  canvas.style.height = `${H}px`;
  canvas.width = Math.round(W * ratio);   // setting the size also clears the canvas and its transform
  canvas.height = Math.round(H * ratio);
  const ctx = canvas.getContext("2d");
  ctx.setTransform(canvas.width / W, 0, 0, canvas.height / H, 0, 0);
  return { ctx, W, H };
}

// Calls `redraw()` when the canvas's box changes width (a phone turned, a tab shown, a window resized) or the
// screen's pixel ratio changes (a zoom): the drawing is laid out again for its new size.
export function redrawOnResize(canvas, redraw) {
  let drawn = null;
  const check = () => {
    const now = `${Math.round(canvas.getBoundingClientRect().width)}@${window.devicePixelRatio}`;
    if (now === drawn || now.startsWith("0@")) return;
    drawn = now;
    redraw();
  };
  // The next frame, not inside the observer's callback: drawing changes the box's height, which the observer
  // would see again in the same frame ("ResizeObserver loop" warning).
  new ResizeObserver(() => requestAnimationFrame(check)).observe(canvas);
  window.addEventListener("resize", () => requestAnimationFrame(check));
}

// The fonts of the drawings, in CSS pixels: never under 11 px (about what a page's small print is).
export const FONT = "12px system-ui, sans-serif";
export const SMALL_FONT = "11px system-ui, sans-serif";
export const BOLD_FONT = "bold 12px system-ui, sans-serif";
