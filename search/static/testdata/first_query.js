// Usage: node first_query.js search.js INDEXDIR [--random=N] [--words=N] QUERY...
// For each query, a fresh Searcher (empty cache) runs it and fetches the
// first page's documents, as the /search/ page does. With --random=N it
// also runs N phrases of 3 to 5 consecutive words taken from the titles and
// summaries in INDEXDIR's document chunks (a fixed pseudo-random choice);
// with --words=N, N queries of one word (every third) or two words (not
// quoted, not side by side) of four letters or more from the same texts.
// Prints JSON {"queries":[{"q","bytes","files","total","dirs"}] (dirs: the
// bytes read from each folder of the index, t, r, b, …),
// "random":{"n","median","p90","p99","max","over300k","over500k","worst","worst5"},
// "words":{the same}} with the bytes read from INDEXDIR.
const api = require(process.argv[2]);
const fs = require('fs');
const path = require('path');
const dir = process.argv[3];
let args = process.argv.slice(4), random = 0, words = 0;
while (args.length && args[0].startsWith('--')) {
  if (args[0].startsWith('--random=')) random = +args[0].slice(9);
  else if (args[0].startsWith('--words=')) words = +args[0].slice(8);
  else throw new Error('unknown flag ' + args[0]);
  args = args.slice(1);
}

async function run(q) {
  let bytes = 0, files = 0;
  const dirs = {};
  const s = new api.Searcher('', (p) => {
    const b = fs.readFileSync(path.join(dir, p));
    bytes += b.length;
    files++;
    const d = p.includes('/') ? p.slice(0, p.indexOf('/')) : p;
    dirs[d] = (dirs[d] || 0) + b.length;
    return Promise.resolve(JSON.parse(b));
  });
  const r = await s.search(q, 20);
  await s.docs(r.hits.slice(0, 20).map((h) => h.doc));
  return { q, bytes, files, total: r.total, dirs };
}

// sample returns n queries: pick(row, rnd) makes one (or nothing) from a
// document's row of a random chunk, rnd a fixed pseudo-random sequence
// from seed.
function sample(n, seed, pick) {
  const rnd = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648; };
  const chunks = fs.readdirSync(path.join(dir, 'd')).length, out = [];
  while (out.length < n) {
    const rows = JSON.parse(fs.readFileSync(path.join(dir, 'd', Math.floor(rnd() * chunks) + '.json')));
    const q = pick(rows[Math.floor(rnd() * rows.length)], rnd, out.length);
    if (q) out.push(q);
  }
  return out;
}

function wordsOf(text) {
  return text.split(/\s+/).map((w) => w.replace(/[^\p{L}\p{N}'-]/gu, '')).filter(Boolean);
}

function randomPhrases(n) {
  return sample(n, 12345, (r, rnd) => {
    const words = wordsOf(rnd() < 0.3 ? r[1] : r[5]);
    const len = 3 + Math.floor(rnd() * 3);
    if (words.length < len) return null;
    const s = Math.floor(rnd() * (words.length - len + 1));
    return '"' + words.slice(s, s + len).join(' ') + '"';
  });
}

function randomWords(n) {
  return sample(n, 4242, (r, rnd, k) => {
    const ws = wordsOf(r[1] + ' ' + r[5]).filter((w) => w.length > 3);
    if (ws.length < 2) return null;
    const a = ws[Math.floor(rnd() * ws.length)], b = ws[Math.floor(rnd() * ws.length)];
    if (k % 3 === 0) return a;
    return a.toLowerCase() !== b.toLowerCase() ? a + ' ' + b : null;
  });
}

// summary sorts rs by bytes and sums them up.
function summary(rs) {
  rs.sort((a, b) => a.bytes - b.bytes);
  const at = (p) => rs[Math.min(rs.length - 1, Math.floor(p * rs.length))].bytes;
  return { n: rs.length, median: at(0.5), p90: at(0.9), p99: at(0.99), max: rs[rs.length - 1].bytes,
    over300k: rs.filter((r) => r.bytes > 300000).length, over500k: rs.filter((r) => r.bytes > 500000).length,
    worst: rs[rs.length - 1].q,
    worst5: rs.slice(-5).reverse() };
}

(async () => {
  const out = { queries: [] };
  for (const q of args) out.queries.push(await run(q));
  if (random) {
    const rs = [];
    for (const q of randomPhrases(random)) rs.push(await run(q));
    out.random = summary(rs);
  }
  if (words) {
    const rs = [];
    for (const q of randomWords(words)) rs.push(await run(q));
    out.words = summary(rs);
  }
  console.log(JSON.stringify(out));
})().catch((e) => { console.error(e); process.exit(1); });
