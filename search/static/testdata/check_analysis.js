// Usage: node check_analysis.js search.js cases.json
// cases.json: {"stems":[[word, stem],…], "texts":[[text, [[term,pos],…]],…], "stop":[…],
//              "queries":[[q, errcol|0],…], "hash":[[key, h],…], "nums":[[encoded, [n,…]],…],
//              "dates":[dates.json, [day,…]]}
// Prints one line per disagreement and exits 1 if any.
const api = require(process.argv[2]);
const cases = JSON.parse(require('fs').readFileSync(process.argv[3], 'utf8'));
const stop = new Set(cases.stop);
let bad = 0;
const report = (s) => { if (bad++ < 50) console.log(s); };
for (const [w, want] of cases.stems) {
  const got = api.stem(w);
  if (got !== want) report(`stem ${JSON.stringify(w)}: js ${JSON.stringify(got)}, go ${JSON.stringify(want)}`);
}
for (const [text, want] of cases.texts) {
  const got = api.analyze(text, stop).map((t) => [t.term, t.position]);
  const a = JSON.stringify(got), b = JSON.stringify(want);
  if (a !== b) {
    // find the first difference for a readable message
    let i = 0;
    while (i < got.length && i < want.length && JSON.stringify(got[i]) === JSON.stringify(want[i])) i++;
    report(`analyze ${JSON.stringify(text.slice(0, 40))}…: first difference at token ${i}: js ${JSON.stringify(got.slice(i, i + 3))}, go ${JSON.stringify(want.slice(i, i + 3))}`);
  }
}
for (const [q, col] of cases.queries) {
  let got = 0;
  try { api.parseQuery(q); } catch (e) { if (!(e instanceof api.QueryError)) throw e; got = e.col; }
  if (got !== col) report(`parse ${JSON.stringify(q)}: js col ${got}, go col ${col}`);
}
for (const [k, h] of cases.hash) {
  const got = api.fnv1a(k);
  if (got !== h) report(`fnv1a ${JSON.stringify(k)}: js ${got}, go ${h}`);
}
for (const [enc, want] of cases.nums || []) {
  const got = api.decodeNums(enc);
  if (JSON.stringify(got) !== JSON.stringify(want)) report(`decodeNums ${JSON.stringify(enc)}: js ${JSON.stringify(got)}, go ${JSON.stringify(want)}`);
}
if (cases.dates) {
  const got = api.decodeDates(cases.dates[0]);
  if (JSON.stringify(got) !== JSON.stringify(cases.dates[1])) report(`decodeDates: js ${JSON.stringify(got)}, go ${JSON.stringify(cases.dates[1])}`);
}
console.log(`checked ${cases.stems.length} stems, ${cases.texts.length} texts, ${cases.queries.length} queries; ${bad} differences`);
process.exit(bad ? 1 : 0);
