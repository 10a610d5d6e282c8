// Usage: node topk_check.js search.js FILES QUERY...
// FILES is a JSON object: each file of the index (path relative to the
// index folder) → its text.
// For each query, compares the first k hits search.js proves with a
// limit (reading tiers of terms and pairs only as far as the page needs)
// with the start of the whole answer (every tier read), for k = 3, 5, 8,
// 12 and 20 (search asks for 3 at least: FUZZY_BELOW), each with a fresh
// Searcher (an empty cache). Prints JSON {"checked": n, "nonEmpty": n,
// "errors": ["query k=…: …", …]}.
const api = require(process.argv[2]);
const fs = require('fs');
const files = JSON.parse(fs.readFileSync(process.argv[3]));

function searcher() {
  return new api.Searcher('', (p) => {
    if (!(p in files)) return Promise.reject(new Error('no file ' + p));
    return Promise.resolve(JSON.parse(files[p]));
  });
}

(async () => {
  const out = { checked: 0, nonEmpty: 0, errors: [] };
  for (const q of process.argv.slice(4)) {
    const all = await searcher().search(q);
    if (all.error) {
      out.errors.push(q + ': ' + all.error);
      continue;
    }
    if (all.hits.length) out.nonEmpty++;
    for (const k of [3, 5, 8, 12, 20]) {
      const r = await searcher().search(q, k);
      const got = r.hits.slice(0, k).map((h) => h.doc + ':' + h.score).join(' ');
      const want = all.hits.slice(0, k).map((h) => h.doc + ':' + h.score).join(' ');
      out.checked++;
      if (got !== want) out.errors.push(q + ' k=' + k + ': got ' + got + ', want ' + want);
    }
  }
  console.log(JSON.stringify(out));
})().catch((e) => { console.error(e); process.exit(1); });
