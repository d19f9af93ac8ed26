// The entry of the page's Web Workers (local/workers.js makeWorker(); `reseau site` bundles it and what it
// imports for a page opened as a file). An ES module that imports only engine/ and local/ files, no DOM.
// Each part adds its own listener for its own messages:
import "./study-worker.js";  // the exercise's runs: { type: "study-data" | "study-job" } (local/study.js)
