// Usage: node first_query.js search.js INDEXDIR QUERY...
// For each query, a fresh Searcher (empty cache) runs it and fetches the
// first page's documents, as the /search/ page does; prints JSON
// [{"q","bytes","files","total"}] with the bytes read from INDEXDIR.
const api = require(process.argv[2]);
const fs = require('fs');
const path = require('path');
const dir = process.argv[3];
(async () => {
  const out = [];
  for (const q of process.argv.slice(4)) {
    let bytes = 0, files = 0;
    const s = new api.Searcher('', (p) => {
      const b = fs.readFileSync(path.join(dir, p));
      bytes += b.length;
      files++;
      return Promise.resolve(JSON.parse(b));
    });
    const r = await s.search(q);
    await s.docs(r.hits.slice(0, 20).map((h) => h.doc));
    out.push({ q, bytes, files, total: r.total });
  }
  console.log(JSON.stringify(out));
})().catch((e) => { console.error(e); process.exit(1); });
