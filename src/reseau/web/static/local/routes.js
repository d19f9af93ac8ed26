// Every module that answers some of the page's requests in the browser (local/backend.js register()).
// Importing one registers its routes; app.js imports this file once.
import "./site.js";
import "./step.js";  // POST /api/step/reset, POST /api/step: the « Pas à pas » tab
import "./predict.js";  // POST /api/predict (both backends), GET /api/dataset/ (the site)
import "./train.js";  // GET/POST /api/train...: the document's training in a Web Worker (site)
