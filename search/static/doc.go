// Package static exports a prebuilt, sharded search index for the static
// site: the files themes/default/static/search.js loads on demand, so the
// /search/ page works on a plain static host.
//
// Layout (paths relative to the site's search/ folder), format 8:
//
//	index/meta.json      {"version","n","shards","solo","pshards","bshards","big","chunk","stop":[…],"synonyms":[[…]]}
//	index/t/<k>.json     term shards: {"term":"Δdoc,w,Δdoc,w,…", "~cause:x":"Δdoc,…"}
//	index/t/s<h>.json    the keys whose FNV-1a's top 20 bits are h, for each h in
//	                     "solo" (sorted, as differences): those of every key
//	                     whose postings are longer than half a shard, and
//	                     the tiered terms' entries, "!df,tiers,w0,w1,…!Δdoc,w,…"
//	                     (its tiers' largest weights, then tier 0)
//	index/r/<h>-<i>.json tier i ≥ 1 of a tiered term (in more than 2·TierDocs
//	                     documents; h its FNV-1a): {"term":"lo,v,…"}, the
//	                     documents of the next TierDocs·2^i weights, heaviest
//	                     first (see termTiers): lo the tier's smallest weight,
//	                     then each document packed with its weight w into
//	                     one number v = (Δdoc-1)·r + w-lo, r = w_i-lo+1 (w_i
//	                     from the entry), Δdoc from -1 for the first
//	index/p/<k>.json     position shards of small terms (in at most "big" documents):
//	                     {"term":"Δdoc,n·3+field,pos,Δpos,…,Δdoc,n·3+field,pos,…"}:
//	                     per document and field (0 title, 1 body, 2 keywords) with
//	                     the term, the document (Δ from the previous record's; 0
//	                     for another field of the same one), the count n and the
//	                     field, and the positions (the first, then differences)
//	index/q/<h>.json     the positions of a big term, alone in a file named by
//	                     its FNV-1a h (same shape; terms with one hash share it);
//	                     q/<h>-<i>.json those of the documents of tier i of a
//	                     big tiered term, or, for a tier longer than two shards,
//	                     "!d1,Δd2,…", and its records in parts of about half a
//	                     shard, q/<h>-<i>-<j>.json, each from its first
//	                     document d_j (Δdoc from 0; see partRecords)
//	index/b/<k>.json     word pairs: {"a b":"Δdoc,n·3+field,pos,Δpos,…"}, the
//	                     positions of term a where term b directly follows (at
//	                     position + 1, same field), for pairs with a big term;
//	                     "a b":"!df,tiers,s0,s1,…" for a long list of two
//	                     tiered terms, split by the pair's score
//	                     IDF(a)·w_a + IDF(b)·w_b into b/<h>-<i>.json (h the
//	                     FNV-1a of "a b"; s_i the largest score of tier i):
//	                     {"a b":"Δdoc,w_a,w_b,n·3+field,pos,Δpos,…"}, the
//	                     weights of both terms in each document, Δdoc from
//	                     -1 for the first (see pairTiers)
//	index/d/<k>.json     document chunks: [[id,title,severity,day,url,summary],…]
//	index/dates.json     the local start date of every document, as runs in
//	                     document order: {"runs":"v,count,…"}, v 1 for undated
//	                     documents, else 2·zigzag(Δ days since 1970-01-01)
//
// Every "…" of numbers is a string written by appendNum: one to three
// printable characters per number, about half the bytes of a JSON array.
// Documents are numbered by start date, newest first. A key lives in
// shard fnv1a32(utf8(key)) mod the shard count of its kind. Terms are the
// output of the same analyzer as the server-side index (textan.English:
// the tokens of bleve's "en" and the compound tokens of identifiers), so
// the browser only has to analyse the query the same way (search.js).
// Filter values are keys "~field:value" (lower-cased; field one of cause,
// system, data, technique, severity, category, status, id). Weights w are
// search.TermWeight (1000 × Σ over title (×3), body (×1) and keywords
// (×1.5) of √tf/√length, rounded); the browser ranks by Σ search.IDF·w over
// the query's terms, as search.Index does (search/rank.go). A phrase is checked, exactly, with the pair
// lists of its adjacent words where one of the two is big (the browser
// knows a word's document count from its postings) and with the positions
// of the words no such pair covers (small words, or a big word between
// two stop words): a phrase of common words without stop words inside
// needs no position list (docs/search.md has the numbers). The common
// terms' lists are read a tier at a time, heaviest first, only until the
// first page is proven: search.js's topK. A phrase's pairs split by
// their score are read the same way, instead of their words' own tiers:
// each pair tier gives both words' weights in its documents, and bounds
// the two words together in the documents it has not read.
package static
