// Every module that answers some of the page's requests in the browser (local/backend.js register()).
// Importing one registers its routes; app.js imports this file once.
import "./site.js";
import "./train.js";  // GET/POST /api/train...: the document's training in a Web Worker (site)
