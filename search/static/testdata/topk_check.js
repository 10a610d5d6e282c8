// Usage: node topk_check.js search.js FILES QUERY...
// FILES is a JSON object: each file of the index (path relative to the
// index folder) → its text.
// For each query, compares the first k hits search.js proves with a
// limit (reading tiers of terms and pairs only as far as the page needs)
// with the start of the whole answer (every tier read), for k = 3, 5, 8,
// 12 and 20 (search asks for 3 at least: FUZZY_BELOW), each with a fresh
// Searcher (an empty cache), and its count with the whole answer's (equal
// when it says exact, else at most; a QUERY written "=QUERY" must have an
// exact count). Prints JSON {"checked": n, "nonEmpty": n,
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
  for (let q of process.argv.slice(4)) {
    const mustExact = q.startsWith('=');
    if (mustExact) q = q.slice(1);
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
      // The count: exact when asked (one word without synonyms: its
      // entry has it), else exact or a lower bound.
      if (mustExact && !r.exact) out.errors.push(q + ' k=' + k + ': the count is not exact');
      if (r.exact ? r.total !== all.hits.length : r.total > all.hits.length) {
        out.errors.push(q + ' k=' + k + ': total ' + r.total + (r.exact ? '' : '+') + ', want ' + all.hits.length);
      }
    }
  }
  console.log(JSON.stringify(out));
})().catch((e) => { console.error(e); process.exit(1); });
