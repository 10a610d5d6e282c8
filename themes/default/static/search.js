/*
 * hindsight static search — runs the /search/ page on a plain static host.
 *
 * CONTRACT with the page template (site/render + themes/default/layouts):
 *
 *   <meta name="hindsight-root" content="../">   relative path to the site root
 *   <form id="search-form" action="" method="get" role="search">
 *     <input name="q" type="search">              the query
 *   </form>
 *   <div id="search-results"></div>               results go here
 *   <script src="../search.js" defer></script>    (wherever static/ is published)
 *   <link rel="stylesheet" href="../search.css">  optional styles for the results
 *
 * The prebuilt index (written by search/static.Export) lives at
 * <root>search/index/ (format 8): meta.json, t/<k>.json term shards (t/s<h>.json for
 * long postings and the common words' entries, listed in meta.solo), r/<h>-<i>.json
 * the tiers of a common word's postings (split by weight: see topK; packed: see
 * termTier), p/<k>.json and q/<hash>.json positions (small terms' shards, a big
 * term's own file or its tiers' files, a long tier in parts: see tierPositions;
 * only for phrases), b/<k>.json word pairs with positions (adjacent words
 * of a phrase, one of them big; b/<h>-<i>.json the tiers of a long pair list, split
 * by the pair's score, with both words' weights: see pairLists),
 * d/<k>.json document chunks, dates.json (runs of start dates, only for
 * after:/before:). Shard values are strings of numbers (see decodeNums).
 * Only the files a query needs are fetched: a common word's or a phrase's pair's
 * tiers only until the first page is proven.
 *
 * When the server already rendered the results (`hindsight serve` answers
 * /search/?q= itself), mark the container <div id="search-results"
 * data-server-rendered>: this script then does nothing and the form submits
 * normally.
 *
 * The query is reflected in the URL (?q=…), so results can be shared. No
 * external resources, no inline script, no eval: works under a
 * Content-Security-Policy of script-src 'self'.
 *
 * Analysis is the same as bleve's "en" analyzer used by `hindsight search`:
 * Unicode word segmentation, possessive 's removal, lower case, English stop
 * words (from meta.json), and the Porter stemmer of
 * github.com/blevesearch/go-porterstemmer, ported below step by step. The
 * query language and its AND semantics are those of search/query.Parse. Hits
 * are ranked as search/rank.go ranks them (integers: Σ idf·weight over the
 * query's terms, ties newest first, then by id), so the page lists the ids
 * `hindsight search` lists, in the same order.
 *
 * In Node (tests), require() returns the functions without touching a DOM.
 */
(function (global) {
  'use strict';

  // ---- Porter stemmer (port of go-porterstemmer, runes as code points) ----

  function isConsonant(s, i) {
    switch (s[i]) {
      case 'a': case 'e': case 'i': case 'o': case 'u':
        return false;
      case 'y':
        return i === 0 ? true : !isConsonant(s, i - 1);
      default:
        return true;
    }
  }

  function measure(s) {
    var n = s.length, result = 0, i = 0;
    if (n === 0) return 0;
    while (isConsonant(s, i)) {
      i++;
      if (i >= n) return result;
    }
    outer: while (i < n) {
      while (!isConsonant(s, i)) {
        i++;
        if (i >= n) break outer;
      }
      while (isConsonant(s, i)) {
        i++;
        if (i >= n) {
          result++;
          break outer;
        }
      }
      result++;
    }
    return result;
  }

  function hasSuffix(s, suffix) {
    // strictly longer than the suffix, as in the Go code
    if (s.length <= suffix.length) return false;
    var off = s.length - suffix.length;
    for (var i = 0; i < suffix.length; i++) {
      if (s[off + i] !== suffix[i]) return false;
    }
    return true;
  }

  function containsVowel(s) {
    for (var i = 0; i < s.length; i++) {
      if (!isConsonant(s, i)) return true;
    }
    return false;
  }

  function hasRepeatDoubleConsonantSuffix(s) {
    var n = s.length;
    return n >= 2 && s[n - 1] === s[n - 2] && isConsonant(s, n - 1);
  }

  function hasCVCSuffix(s) {
    var n = s.length;
    return n >= 3 && isConsonant(s, n - 3) && !isConsonant(s, n - 2) && isConsonant(s, n - 1);
  }

  function step1a(s) {
    var n = s.length;
    if (hasSuffix(s, 'sses')) return s.slice(0, n - 2);
    if (hasSuffix(s, 'ies')) return s.slice(0, n - 2);
    if (hasSuffix(s, 'ss')) return s;
    if (hasSuffix(s, 's')) return s.slice(0, n - 1);
    return s;
  }

  function step1bTail(s, sub, n, lenSuffix, isIng) {
    var r;
    if (hasSuffix(sub, 'at') || hasSuffix(sub, 'bl') || hasSuffix(sub, 'iz')) {
      r = s.slice(0, n - lenSuffix + 1);
      if (isIng) r[r.length - 1] = 'e';
      return r;
    }
    var c = sub[sub.length - 1];
    if (c !== 'l' && c !== 's' && c !== 'z' && hasRepeatDoubleConsonantSuffix(sub)) {
      return sub.slice(0, sub.length - 1);
    }
    if (measure(sub) === 1 && hasCVCSuffix(sub) && c !== 'w' && c !== 'x' && c !== 'y') {
      r = s.slice(0, n - lenSuffix + 1);
      r[r.length - 1] = 'e';
      return r;
    }
    return sub;
  }

  function step1b(s) {
    var n = s.length, sub;
    if (hasSuffix(s, 'eed')) {
      if (measure(s.slice(0, n - 3)) > 0) return s.slice(0, n - 1);
      return s;
    }
    if (hasSuffix(s, 'ed')) {
      sub = s.slice(0, n - 2);
      return containsVowel(sub) ? step1bTail(s, sub, n, 2, false) : s;
    }
    if (hasSuffix(s, 'ing')) {
      sub = s.slice(0, n - 3);
      return containsVowel(sub) ? step1bTail(s, sub, n, 3, true) : s;
    }
    return s;
  }

  function step1c(s) {
    var n = s.length;
    if (n < 2) return s;
    if (s[n - 1] === 'y' && containsVowel(s.slice(0, n - 1))) {
      s = s.slice();
      s[n - 1] = 'i';
    } else if (s[n - 1] === 'Y' && containsVowel(s.slice(0, n - 1))) {
      s = s.slice();
      s[n - 1] = 'I';
    }
    return s;
  }

  // rule: [suffix, function(s, n) → new s] applied when measure(stem) > 0
  function m0(s, suffix) { return measure(s.slice(0, s.length - suffix.length)) > 0; }
  function set(s, i, c) { var r = s.slice(); r[i] = c; return r; }

  var step2Rules = [
    ['ational', function (s, n) { return set(s, n - 5, 'e').slice(0, n - 4); }],
    ['tional', function (s, n) { return s.slice(0, n - 2); }],
    ['enci', function (s, n) { return set(s, n - 1, 'e'); }],
    ['anci', function (s, n) { return set(s, n - 1, 'e'); }],
    ['izer', function (s, n) { return s.slice(0, n - 1); }],
    ['bli', function (s, n) { return set(s, n - 1, 'e'); }],
    ['alli', function (s, n) { return s.slice(0, n - 2); }],
    ['entli', function (s, n) { return s.slice(0, n - 2); }],
    ['eli', function (s, n) { return s.slice(0, n - 2); }],
    ['ousli', function (s, n) { return s.slice(0, n - 2); }],
    ['ization', function (s, n) { return set(s, n - 5, 'e').slice(0, n - 4); }],
    ['ation', function (s, n) { return set(s, n - 3, 'e').slice(0, n - 2); }],
    ['ator', function (s, n) { return set(s, n - 2, 'e').slice(0, n - 1); }],
    ['alism', function (s, n) { return s.slice(0, n - 3); }],
    ['iveness', function (s, n) { return s.slice(0, n - 4); }],
    ['fulness', function (s, n) { return s.slice(0, n - 4); }],
    ['ousness', function (s, n) { return s.slice(0, n - 4); }],
    ['aliti', function (s, n) { return s.slice(0, n - 3); }],
    ['iviti', function (s, n) { return set(s, n - 3, 'e').slice(0, n - 2); }],
    ['biliti', function (s, n) { var r = set(s, n - 5, 'l'); r[n - 4] = 'e'; return r.slice(0, n - 3); }],
    ['logi', function (s, n) { return s.slice(0, n - 1); }]
  ];

  var step3Rules = [
    ['icate', function (s, n) { return s.slice(0, n - 3); }],
    ['ative', function (s, n) { return s.slice(0, n - 5); }],
    ['alize', function (s, n) { return s.slice(0, n - 3); }],
    ['iciti', function (s, n) { return s.slice(0, n - 3); }],
    ['ical', function (s, n) { return s.slice(0, n - 2); }],
    ['ful', function (s, n) { return s.slice(0, n - 3); }],
    ['ness', function (s, n) { return s.slice(0, n - 4); }]
  ];

  // The first matching suffix decides (else-if chain), as in Go.
  function applyRules(s, rules) {
    for (var i = 0; i < rules.length; i++) {
      var suf = rules[i][0];
      if (hasSuffix(s, suf)) {
        return m0(s, suf) ? rules[i][1](s, s.length) : s;
      }
    }
    return s;
  }

  var step4Suffixes = ['al', 'ance', 'ence', 'er', 'ic', 'able', 'ible', 'ant', 'ement', 'ment', 'ent',
    'ion', 'ou', 'ism', 'ate', 'iti', 'ous', 'ive', 'ize'];

  function step4(s) {
    for (var i = 0; i < step4Suffixes.length; i++) {
      var suf = step4Suffixes[i];
      if (hasSuffix(s, suf)) {
        var sub = s.slice(0, s.length - suf.length);
        if (suf === 'ion') {
          var c = sub[sub.length - 1];
          return measure(sub) > 1 && (c === 's' || c === 't') ? sub : s;
        }
        return measure(sub) > 1 ? sub : s;
      }
    }
    return s;
  }

  function step5a(s) {
    var n = s.length;
    if (n > 0 && s[n - 1] === 'e') {
      var sub = s.slice(0, n - 1);
      var m = measure(sub);
      if (m > 1) return sub;
      if (m === 1) {
        var c = sub[sub.length - 1];
        if (!(hasCVCSuffix(sub) && c !== 'w' && c !== 'x' && c !== 'y')) return sub;
      }
    }
    return s;
  }

  function step5b(s) {
    var n = s.length;
    if (n > 2 && s[n - 2] === 'l' && s[n - 1] === 'l' && measure(s.slice(0, n - 1)) > 1) {
      return s.slice(0, n - 1);
    }
    return s;
  }

  // stem stems a lower-cased word exactly as porterstemmer.StemWithoutLowerCasing.
  function stem(word) {
    var s = Array.from(word);
    if (s.length <= 2) return word;
    s = step1a(s);
    s = step1b(s);
    s = step1c(s);
    s = applyRules(s, step2Rules);
    s = applyRules(s, step3Rules);
    s = step4(s);
    s = step5a(s);
    s = step5b(s);
    return s.join('');
  }

  // ---- Analysis ----

  var segmenter = null;
  try {
    if (typeof Intl !== 'undefined' && Intl.Segmenter) segmenter = new Intl.Segmenter('en', { granularity: 'word' });
  } catch (e) { segmenter = null; }
  var wordRE = /[\p{L}\p{N}\p{M}_]+(?:['’.:,][\p{L}\p{N}\p{M}_]+)*/gu;

  // tokenize splits text into words (Unicode word boundaries) with their
  // 1-based positions and offsets, as search.English does: text between
  // ASCII bytes that end words is split by the word-boundary rules bleve's
  // segmenter applies to ASCII (letters, digits and '_' make words; '.'
  // and "'" join two letters or two digits, ':' two letters, ',' and ';'
  // two digits); a stretch holding non-ASCII text by Intl.Segmenter (the
  // browser's own rules for ASCII differ: Chromium splits "acme.com").
  var C_BREAK = 0, C_LETTER = 1, C_DIGIT = 2, C_EXTEND = 3, C_MIDLET = 4, C_MIDNUM = 5, C_MIDBOTH = 6, C_QUOTE = 7, C_NONASCII = 8;
  function charClass(c) {
    if (c >= 0x80) return C_NONASCII;
    if (c >= 97 && c <= 122 || c >= 65 && c <= 90) return C_LETTER;
    if (c >= 48 && c <= 57) return C_DIGIT;
    switch (c) {
      case 95: return C_EXTEND; // _
      case 58: return C_MIDLET; // :
      case 44: case 59: return C_MIDNUM; // , ;
      case 46: case 39: return C_MIDBOTH; // . '
      case 34: return C_QUOTE; // "
    }
    return C_BREAK;
  }
  function tokenize(text) {
    var out = [], pos = 1, n = text.length, m;
    for (var i = 0; i < n;) {
      if (charClass(text.charCodeAt(i)) === C_BREAK) { i++; continue; }
      var j = i, nonASCII = false;
      while (j < n) {
        var c = charClass(text.charCodeAt(j));
        if (c === C_BREAK) break;
        if (c === C_NONASCII) nonASCII = true;
        j++;
      }
      if (nonASCII) {
        var stretch = text.slice(i, j);
        if (segmenter) {
          var it = segmenter.segment(stretch)[Symbol.iterator](), r;
          while (!(r = it.next()).done) {
            if (r.value.isWordLike) out.push({ term: r.value.segment, position: pos++, start: i + r.value.index });
          }
        } else {
          wordRE.lastIndex = 0;
          while ((m = wordRE.exec(stretch)) !== null) out.push({ term: m[0], position: pos++, start: i + m.index });
        }
        i = j;
        continue;
      }
      for (var k = i; k < j;) {
        var ck = charClass(text.charCodeAt(k));
        if (ck !== C_LETTER && ck !== C_DIGIT && ck !== C_EXTEND) { k++; continue; }
        var start = k;
        while (k < j) {
          var cc = charClass(text.charCodeAt(k));
          if (cc === C_LETTER || cc === C_DIGIT || cc === C_EXTEND) { k++; continue; }
          if (k > start && k + 1 < j) {
            var p = charClass(text.charCodeAt(k - 1)), q = charClass(text.charCodeAt(k + 1));
            if (p === C_LETTER && q === C_LETTER && (cc === C_MIDLET || cc === C_MIDBOTH) ||
                p === C_DIGIT && q === C_DIGIT && (cc === C_MIDNUM || cc === C_MIDBOTH)) { k++; continue; }
          }
          break;
        }
        out.push({ term: text.slice(start, k), position: pos++, start: start });
      }
      i = j;
    }
    return out;
  }

  function lower(s) {
    // per code point, like Go's unicode.ToLower (keeps length per rune)
    var a = Array.from(s);
    for (var i = 0; i < a.length; i++) {
      var l = a[i].toLowerCase();
      if (Array.from(l).length === 1) a[i] = l;
    }
    return a.join('');
  }

  function possessive(s) {
    var a = Array.from(s), n = a.length;
    if (n >= 2 && (a[n - 1] === 's' || a[n - 1] === 'S') && (a[n - 2] === "'" || a[n - 2] === '’' || a[n - 2] === '＇')) {
      return a.slice(0, n - 2).join('');
    }
    return s;
  }

  // word analyses one word like the "en" filters: its term, or null for
  // a stop word.
  function word(s, stop) {
    var w = lower(possessive(s));
    if (w === '' || (stop && stop.has(w))) return null;
    return stem(w);
  }

  // analyze runs the whole "en" chain, then adds the compound tokens
  // (see compounds); stop is a Set of stop words.
  function analyze(text, stop) {
    var out = [], words = tokenize(text);
    words.forEach(function (t) {
      var w = word(t.term, stop);
      if (w !== null) out.push({ term: w, position: t.position, start: t.start, text: t.term });
    });
    return compounds(text, words, out, stop);
  }

  // ---- Compound tokens (port of search.English's, see analyze.go) ----
  // Identifiers (host names, URLs, IPs, host:port, paths, scheme:thing,
  // ids, snake_case, camelCase…) are indexed whole, in lower case, and by
  // their parts, analysed like words, at the position of the word each
  // starts in. Offsets here are UTF-16 indexes; spans are ASCII.

  var MAX_SPAN = 256, MAX_WHOLE = 128;
  function isAlnum(c) { return /[A-Za-z0-9]/.test(c); }
  function isJoiner(c) { return c === '.' || c === '_' || c === '-' || c === ':' || c === '/' || c === '@' || c === '\\'; }
  function isUpper(c) { return c >= 'A' && c <= 'Z'; }
  function isLower(c) { return c >= 'a' && c <= 'z'; }
  // hump reports whether a camelCase part starts at s[k], s ending at end.
  function hump(s, k, end) {
    return isUpper(s[k]) && (isLower(s[k - 1]) || isUpper(s[k - 1]) && k + 1 < end && isLower(s[k + 1]));
  }
  function isDigit(c) { return c >= '0' && c <= '9'; }
  // dateTimeLetter reports whether the letter text[k] of the span
  // text[a:b] is the T (between digits) or the final Z (after a digit) of
  // an ISO 8601 date-time, which counts as no letter.
  function dateTimeLetter(text, a, b, k) {
    var c = text[k];
    if (c === 'T' || c === 't') return k > a && k + 1 < b && isDigit(text[k - 1]) && isDigit(text[k + 1]);
    if (c === 'Z' || c === 'z') return k > a && k + 1 === b && isDigit(text[k - 1]);
    return false;
  }
  function trim(text, a, b) {
    while (a < b && !isAlnum(text[a])) a++;
    while (b > a && !isAlnum(text[b - 1])) b--;
    return [a, b];
  }

  // compounds returns the tokens base (the words', in order) with the
  // compound tokens of text added, by position (the words first).
  function compounds(text, words, base, stop) {
    var extra = [], n = text.length, wi = 0, seen = new Set(); // "position term" of the tokens so far
    base.forEach(function (t) { seen.add(t.position + ' ' + t.term); });
    for (var i = 0; i < n;) {
      if (!(isAlnum(text[i]) || isJoiner(text[i]))) { i++; continue; }
      var j = i;
      while (j < n && (isAlnum(text[j]) || isJoiner(text[j]))) j++;
      var ab = trim(text, i, j), a = ab[0], b = ab[1];
      i = j;
      var special = false, letter = false, sep = false;
      for (var k = a; k < b; k++) {
        var c = text[k];
        special = special || isJoiner(c) || k > a && hump(text, k, b) && isAlnum(text[k - 1]);
        letter = letter || (isUpper(c) || isLower(c)) && !dateTimeLetter(text, a, b, k);
        sep = sep || c !== '-' && c !== ':' && isJoiner(c);
      }
      // Digits joined by - and : only (dates, times, ISO 8601 date-times
      // such as 2025-03-09T08:20:23Z) stay numbers.
      if (!(special && (letter || sep))) continue;
      while (wi < words.length && words[wi].start + words[wi].term.length <= a) wi++;
      var we = wi;
      while (we < words.length && words[we].start < b) we++;
      if (we > wi) span(text, words.slice(wi, we), seen, a, b, stop, extra);
    }
    if (!extra.length) return base;
    var out = [], x = 0;
    base.forEach(function (t) {
      while (x < extra.length && extra[x].position < t.position) out.push(extra[x++]);
      out.push(t);
    });
    return out.concat(extra.slice(x));
  }

  // span adds the compound tokens of text[a:b], whose words are ws, to
  // extra.
  function span(text, ws, seen, a, b, stop, extra) {
    var toks = [];
    function add(s, t, raw) {
      var st = trim(text, s, t);
      s = st[0]; t = st[1];
      if (s >= t) return;
      if (raw) {
        raw = false;
        for (var k = s; k < t; k++) if (isJoiner(text[k])) { raw = true; break; }
        if (raw && t - s > MAX_WHOLE) return;
      }
      var q = 0;
      while (q + 1 < ws.length && ws[q].start + ws[q].term.length <= s) q++;
      var pos = ws[q].position;
      var term = raw ? text.slice(s, t).toLowerCase() : word(text.slice(s, t), stop);
      if (term === null || seen.has(pos + ' ' + term)) return;
      seen.add(pos + ' ' + term);
      toks.push({ term: term, position: pos, start: s, text: text.slice(s, t) });
    }
    if (b - a <= MAX_SPAN) {
      add(a, b, true);
      for (var p = a; p < b;) {
        var q = p;
        while (q < b && text[q] !== '/' && text[q] !== '@' && text[q] !== '\\') q++;
        piece(text, p, q, a, b, add);
        p = q + 1;
      }
    }
    for (var p = a; p < b;) {
      if (!isAlnum(text[p])) { p++; continue; }
      var q = p;
      while (q < b && isAlnum(text[q])) q++;
      add(p, q, false);
      var s = p;
      for (var k = p + 1; k < q; k++) {
        if (hump(text, k, q)) { add(s, k, false); s = k; }
      }
      if (s > p) add(s, q, false);
      p = q;
    }
    // stable sort by position
    toks.map(function (t, k) { return [t, k]; })
      .sort(function (x, y) { return x[0].position - y[0].position || x[1] - y[1]; })
      .forEach(function (x) { extra.push(x[0]); });
  }

  function piece(text, p, q, a, b, add) {
    var pq = trim(text, p, q);
    p = pq[0]; q = pq[1];
    if (p >= q) return;
    if (p !== a || q !== b) add(p, q, true);
    var parts = [];
    for (var s = p; s < q && parts.length < 16;) {
      var t = s;
      while (t < q && text[t] !== ':') t++;
      var st = trim(text, s, t);
      if (st[0] < st[1]) parts.push(st);
      s = t + 1;
    }
    if (parts.length === 1) { suffixes(text, p, q, add); return; }
    for (var k = 0; k < parts.length; k++) {
      add(parts[k][0], parts[k][1], true);
      if (k + 1 < parts.length && (parts[k][0] !== p || parts[k + 1][1] !== q)) add(parts[k][0], parts[k + 1][1], true);
      suffixes(text, parts[k][0], parts[k][1], add);
    }
  }

  function suffixes(text, p, q, add) {
    var last = q;
    while (last > p && text[last - 1] !== '.') last--;
    if (last === p) return;
    if (!/[A-Za-z]/.test(text.slice(last, q))) return;
    for (var k = p; k < last - 1; k++) {
      if (text[k] === '.' && k + 1 < last - 1) add(k + 1, q, true);
    }
    for (var s = p; s < q;) {
      var t = s;
      while (t < q && text[t] !== '.') t++;
      if (s !== p || t !== q) add(s, t, true);
      s = t + 1;
    }
  }

  // ---- Query language (port of search/query.Parse) ----

  var FILTERS = {
    cause: 'cause', causes: 'cause', system: 'system', systems: 'system', severity: 'severity',
    category: 'category', status: 'status', data: 'data', technique: 'technique', techniques: 'technique', id: 'id'
  };
  var FIELD_NAMES = ['after', 'before', 'category', 'cause', 'data', 'id', 'severity', 'status', 'system', 'technique'];

  // suggestField is diag.Suggest(name, FIELD_NAMES, 1): the nearest field
  // name within max(2, len/3) edits, or one that is a prefix of name or
  // starts with it (names of 4 bytes or more); the first of the nearest.
  function suggestField(name) {
    var limit = Math.max(2, Math.floor(name.length / 3)), best = '', bestD = Infinity;
    FIELD_NAMES.forEach(function (f) {
      var d = levenshtein(name, f);
      var ok = d <= limit || (name.length >= 4 && (f.indexOf(name) === 0 || name.indexOf(f) === 0));
      if (ok && d < bestD) { best = f; bestD = d; }
    });
    return best;
  }

  function levenshtein(a, b) {
    var prev = [], cur = [];
    for (var j = 0; j <= b.length; j++) prev[j] = j;
    for (var i = 1; i <= a.length; i++) {
      cur = [i];
      for (var k = 1; k <= b.length; k++) {
        var cost = a[i - 1] === b[k - 1] ? 0 : 1;
        cur[k] = Math.min(prev[k] + 1, cur[k - 1] + 1, prev[k - 1] + cost);
      }
      prev = cur;
    }
    return prev[b.length];
  }

  function QueryError(col, msg) {
    this.col = col;
    this.message = 'col ' + col + ': ' + msg;
  }

  function isSpace(c) { return /\s/u.test(c); }

  function validDate(s) {
    var m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(s);
    if (!m) return false;
    var y = +m[1], mo = m[2] ? +m[2] : 1, d = m[3] ? +m[3] : 1;
    if (mo < 1 || mo > 12 || d < 1) return false;
    // Not Date.UTC: it reads the years 0–99 as 1900–1999.
    var leap = y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
    return d <= [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][mo - 1];
  }

  // The limits of query.Parse (query.MaxBytes, query.MaxTerms).
  var MAX_QUERY_BYTES = 1000, MAX_QUERY_TERMS = 32;

  function parseQuery(q) {
    var clauses = parseClauses(q), n = 0;
    for (var k = 0; k < clauses.length; k++) {
      var c = clauses[k];
      n += c.kind === 'word' ? 1 : c.kind === 'phrase' ? c.text.trim().split(/\s+/u).length : c.values.length;
      if (n > MAX_QUERY_TERMS) {
        throw new QueryError(c.col, 'the query has more than ' + MAX_QUERY_TERMS + ' terms (words, words of phrases, filter values and dates), the limit; remove some from here on');
      }
    }
    return clauses;
  }

  function parseClauses(q) {
    var src = Array.from(q), i = 0, clauses = [];
    var size = new TextEncoder().encode(q).length;
    if (size > MAX_QUERY_BYTES) {
      for (var b = 0; i < src.length; i++) {
        b += new TextEncoder().encode(src[i]).length;
        if (b > MAX_QUERY_BYTES) break;
      }
      throw new QueryError(i + 1, 'the query is too long: ' + size + ' bytes, over the limit of ' + MAX_QUERY_BYTES + ' bytes; shorten it');
    }
    function quoted() {
      var open = i;
      i++;
      var start = i;
      while (i < src.length && src[i] !== '"') i++;
      if (i >= src.length) throw new QueryError(open + 1, 'unclosed quote: add a closing " to end the phrase');
      var text = src.slice(start, i).join('');
      i++;
      return text;
    }
    for (;;) {
      while (i < src.length && isSpace(src[i])) i++;
      if (i >= src.length) return clauses;
      var col = i + 1;
      if (src[i] === '"') {
        var t = quoted();
        if (t.trim() !== '') clauses.push({ kind: 'phrase', text: t, col: col });
        continue;
      }
      var start = i;
      while (i < src.length && !isSpace(src[i]) && src[i] !== '"') i++;
      var word = src.slice(start, i).join('');
      var colon = word.indexOf(':');
      var name = colon > 0 ? word.slice(0, colon) : '';
      if (!name || !/^[A-Za-z_]+$/.test(name)) {
        clauses.push({ kind: 'word', text: word, col: col });
        continue;
      }
      var lname = name.toLowerCase(), rest = word.slice(colon + 1);
      var restCol = col + Array.from(name).length + 1;
      var isDate = lname === 'after' || lname === 'before';
      if (!FILTERS[lname] && !isDate) {
        if (rest === '' || rest.charAt(0) === '/') {
          clauses.push({ kind: 'word', text: word, col: col });
          continue;
        }
        var sug = suggestField(lname);
        throw new QueryError(col, 'unknown field "' + name + ':"' + (sug ? '; did you mean "' + sug + ':"?' : '') +
          ' (fields: ' + FIELD_NAMES.join(': ') + ':; to search for the text, put it in quotes)');
      }
      if (rest === '' && i < src.length && src[i] === '"') {
        var qcol = i + 1;
        rest = quoted();
        restCol = qcol + 1;
        if (rest.trim() === '') throw new QueryError(qcol, 'empty value for ' + lname + ':');
      }
      if (rest === '') throw new QueryError(restCol, 'missing value after ' + lname + ':');
      if (isDate) {
        if (!validDate(rest)) throw new QueryError(restCol, 'bad date "' + rest + '" for ' + lname + ': use YYYY-MM-DD, YYYY-MM or YYYY');
        clauses.push({ kind: lname, values: [rest], col: col });
        continue;
      }
      var vals = [], vcol = restCol;
      rest.split(',').forEach(function (v) {
        var tv = v.trim();
        if (tv === '') throw new QueryError(vcol, 'empty value in ' + lname + ': list');
        vals.push(tv);
        vcol += Array.from(v).length + 1;
      });
      clauses.push({ kind: 'filter', field: FILTERS[lname], values: vals, col: col });
    }
  }

  // ---- Index access ----

  // Shard values are strings of numbers: each number is a run of "high"
  // digits (base 24) ended by a "low" digit (base 64), from the alphabet
  // below (search/static.appendNum).
  var NUM_DIGITS = "#$%'()*+,-./0123456789:;=?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_`abcdefghijklmnopqrstuvwxyz{|}~";
  var NUM_VAL = new Int8Array(128).fill(-1);
  for (var di = 0; di < NUM_DIGITS.length; di++) NUM_VAL[NUM_DIGITS.charCodeAt(di)] = di;

  // decodeNums turns such a string into an array of numbers.
  function decodeNums(s) {
    var out = [], acc = 0;
    for (var i = 0; i < s.length; i++) {
      var c = s.charCodeAt(i), d = c < 128 ? NUM_VAL[c] : -1;
      if (d < 0) throw new Error('bad search index: character ' + JSON.stringify(s[i]) + ' in a number list');
      if (d < 64) {
        out.push(acc * 64 + d);
        acc = 0;
      } else {
        acc = acc * 24 + d - 64;
      }
    }
    return out;
  }

  function entry(sh, key) {
    return Object.prototype.hasOwnProperty.call(sh, key) ? decodeNums(sh[key]) : [];
  }

  function fnv1a(key) {
    var bytes = new TextEncoder().encode(key), h = 0x811c9dc5;
    for (var i = 0; i < bytes.length; i++) {
      h ^= bytes[i];
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    return h >>> 0;
  }

  // FORMAT is the index format this script reads (meta.json "version").
  var FORMAT = 8;

  // Searcher runs queries against the static index at base (a URL ending
  // in "/"), fetching files on demand with fetchJSON(url) → Promise.
  function Searcher(base, fetchJSON) {
    this.base = base;
    this.fetchJSON = fetchJSON;
    this.cache = {};
  }

  Searcher.prototype.load = function (path) {
    if (!this.cache[path]) {
      var self = this;
      this.cache[path] = this.fetchJSON(this.base + path).catch(function (e) {
        delete self.cache[path];
        throw e;
      });
    }
    return this.cache[path];
  };

  Searcher.prototype.meta = function () {
    var self = this;
    return this.load('meta.json').then(function (m) {
      if (m.version !== FORMAT) {
        throw new Error('the search index is format ' + m.version + ', this search.js reads format ' + FORMAT +
          ': rebuild the site so both come from the same hindsight');
      }
      if (!m.stopSet) m.stopSet = new Set(m.stop);
      if (!m.soloSet) {
        var h = 0;
        m.soloSet = new Set(decodeNums(m.solo || '').map(function (d) { return (h += d); }));
      }
      self.m = m;
      return m;
    });
  };

  // termEntry resolves the raw entry of a term or filter key: in the file
  // t/s<h>.json when the top 20 bits h of its FNV-1a are in meta.solo
  // (keys with long postings), else in its shard; '' when no document
  // holds it. A tiered term's entry is "!df,tiers,w0,w1,…" (tierInfo).
  Searcher.prototype.termEntry = function (key) {
    var m = this.m, h = fnv1a(key), file = m.soloSet.has(h >>> 12) ? 's' + (h >>> 12) : h % m.shards;
    return this.load('t/' + file + '.json').then(function (sh) {
      return Object.prototype.hasOwnProperty.call(sh, key) ? sh[key] : '';
    });
  };

  // tierInfo reads a tiered term's entry ("!df,tiers,w0,w1,…!Δdoc,w,…"):
  // its document count, the largest weight in each tier, heaviest tier
  // first, and tier 0's postings (the other tiers are files r/<h>-<i>).
  function tierInfo(s) {
    var k = s.indexOf('!', 1), a = decodeNums(s.slice(1, k));
    return { df: a[0], ub: a.slice(2, 2 + a[1]), first: decodeNums(s.slice(k + 1)) };
  }

  // termTier resolves tier i ≥ 1 of a tiered term's postings, whose
  // tiers' largest weights are ub, as [Δdoc, w, …]. The r/ file holds the
  // tier's smallest weight lo, then each posting packed into one number,
  // (Δdoc-1)·r + w-lo, r = ub[i]-lo+1 and Δdoc from -1 for the first
  // (search/static.splitPostings).
  Searcher.prototype.termTier = function (key, ub, i) {
    return this.tier('r', key, i).then(function (p) {
      if (!p.length || p[0] > ub[i]) throw new Error('bad search index: tier ' + i + ' of "' + key + '" is missing or out of its range');
      var lo = p[0], r = ub[i] - lo + 1, out = new Array(2 * (p.length - 1)), doc = -1, last = 0;
      for (var k = 1; k < p.length; k++) {
        var w = p[k] % r;
        doc += (p[k] - w) / r + 1;
        out[2 * k - 2] = doc - last;
        out[2 * k - 1] = lo + w;
        last = doc;
      }
      return out;
    });
  };

  // tier resolves the numbers of key in tier i of its list in dir: r/
  // (postings, packed: see termTier), q/ (positions) or b/ (word pairs),
  // file <FNV-1a>-<i>.json.
  Searcher.prototype.tier = function (dir, key, i) {
    return this.load(dir + '/' + fnv1a(key) + '-' + i + '.json').then(function (sh) {
      return entry(sh, key);
    });
  };

  // postings resolves the whole postings [Δdoc,w,…] of a term or filter
  // key (every tier of a tiered term).
  Searcher.prototype.postings = function (key) {
    var self = this;
    return this.termEntry(key).then(function (s) {
      if (s[0] !== '!') return decodeNums(s);
      var info = tierInfo(s);
      return Promise.all(info.ub.map(function (_, i) { return i ? self.termTier(key, info.ub, i) : info.first; })).then(function (parts) {
        var all = [], out = [], prev = 0;
        parts.forEach(function (p) {
          for (var i = 0, d = 0; i + 1 < p.length; i += 2) all.push([d += p[i], p[i + 1]]);
        });
        all.sort(function (a, b) { return a[0] - b[0]; });
        all.forEach(function (x) { out.push(x[0] - prev, x[1]); prev = x[0]; });
        return out;
      });
    });
  };

  // positions resolves the position records of term, found in df
  // documents: a big term's (df > meta.big) are in q/<FNV-1a of the
  // term>.json (a big tiered term's: tierPositions), the others in the
  // p/ shards.
  Searcher.prototype.positions = function (term, df) {
    var m = this.m;
    var file = df > m.big ? 'q/' + fnv1a(term) : 'p/' + (fnv1a(term) % m.pshards);
    return this.load(file + '.json').then(function (sh) {
      return decodePositions(entry(sh, term));
    });
  };

  // tierPositions resolves once the position records of term in docs,
  // all of its tier i, are read: the tier's file, q/<FNV-1a>-<i>.json,
  // or, for a long tier, the parts holding docs, q/<FNV-1a>-<i>-<j>.json
  // (the tier's file then lists the first document of each part but the
  // first, "!d1,Δd2,…"). Each is read through need(key, load) (key i or
  // "i:j"; load resolves its decodePositions map), which reads each key
  // once.
  Searcher.prototype.tierPositions = function (term, i, docs, need) {
    var self = this, base = 'q/' + fnv1a(term) + '-' + i;
    return this.load(base + '.json').then(function (sh) {
      var s = Object.prototype.hasOwnProperty.call(sh, term) ? sh[term] : '';
      if (s[0] !== '!') return need(i, function () { return Promise.resolve(decodePositions(decodeNums(s))); });
      var at = 0, starts = decodeNums(s.slice(1)).map(function (x) { return (at += x); }), parts = new Set();
      docs.forEach(function (d) {
        var lo = 0, hi = starts.length; // the parts whose first document is ≤ d
        while (lo < hi) {
          var mid = (lo + hi) >> 1;
          if (starts[mid] <= d) lo = mid + 1; else hi = mid;
        }
        parts.add(lo);
      });
      return Promise.all(Array.from(parts).map(function (j) {
        return need(i + ':' + j, function () {
          return self.load(base + '-' + j + '.json').then(function (sh) { return decodePositions(entry(sh, term)); });
        });
      }));
    });
  };

  // pairEntry resolves the b/ shard entry of the pair "a b" (the
  // positions of term a where term b directly follows, listed when a or
  // b is big): {tiers: {df, ub}} for a pair split into tiers by its score
  // ("!df,tiers,s0,s1,…": its document count and the largest score of
  // each tier, heaviest first; see decodePairTier), else {recs}
  // (decodePositions).
  Searcher.prototype.pairEntry = function (a, b) {
    var m = this.m, key = a + ' ' + b;
    return this.load('b/' + (fnv1a(key) % m.bshards) + '.json').then(function (sh) {
      var s = Object.prototype.hasOwnProperty.call(sh, key) ? sh[key] : '';
      if (s[0] !== '!') return { recs: decodePositions(decodeNums(s)) };
      var x = decodeNums(s.slice(1));
      return { tiers: { df: x[0], ub: x.slice(2, 2 + x[1]) } };
    });
  };

  // decodeDates turns dates.json ({"runs":"v,count,…"}: v 1 for undated
  // documents, else 2·zigzag(Δ days since 1970-01-01)) into the day
  // (YYYY-MM-DD, '' when undated) of each document.
  function decodeDates(dates) {
    var a = decodeNums(dates.runs), out = [], day = 0;
    for (var i = 0; i + 1 < a.length; i += 2) {
      var s = '';
      if (a[i] !== 1) {
        var z = a[i] / 2;
        day += z % 2 ? -(z + 1) / 2 : z / 2;
        s = new Date(day * 86400000).toISOString().slice(0, 10);
      }
      for (var k = 0; k < a[i + 1]; k++) out.push(s);
    }
    return out;
  }

  function decodeFilter(p) {
    var out = new Set(), d = 0;
    for (var i = 0; i < p.length; i++) {
      d += p[i];
      out.add(d);
    }
    return out;
  }

  // decodePositions turns [Δdoc,n·3+field,pos,Δpos,…,…] into a Map
  // doc → [title, body, keywords], each a Set of positions or undefined.
  function decodePositions(a) {
    var out = new Map(), d = 0;
    for (var i = 0; i + 2 < a.length;) {
      d += a[i];
      var f = a[i + 1] % 3, n = (a[i + 1] - f) / 3, p = 0, set = new Set();
      for (var k = 0; k < n; k++) {
        p += a[i + 2 + k];
        set.add(p);
      }
      i += 2 + n;
      var byField = out.get(d);
      if (!byField) out.set(d, byField = []);
      byField[f] = set;
    }
    return out;
  }

  // decodePairTier turns a tier of a pair's list, records
  // [Δdoc,wa,wb,n·3+field,pos,Δpos,…] (Δdoc from the previous document,
  // the first from -1; 0 before another field of the same document),
  // into {recs: doc → positions by field (as decodePositions), ws: doc →
  // [wa, wb]}, the weights of the pair's two terms in the document.
  function decodePairTier(a) {
    var recs = new Map(), ws = new Map(), d = -1, byField = null;
    for (var i = 0; i < a.length;) {
      if (a[i] !== 0) {
        d += a[i];
        ws.set(d, [a[i + 1], a[i + 2]]);
        recs.set(d, byField = []);
        i += 3;
      } else {
        i++;
      }
      var f = a[i] % 3, n = (a[i] - f) / 3, p = 0, set = new Set();
      for (var k = 0; k < n; k++) {
        p += a[i + 1 + k];
        set.add(p);
      }
      byField[f] = set;
      i += 1 + n;
    }
    return { recs: recs, ws: ws };
  }

  // tierFor returns the tier holding a weight (a term's) or score (a
  // pair's) w, given the largest of each tier, heaviest first: tiers
  // split at a value, so it is the last one whose largest is w or more.
  function tierFor(ub, w) {
    var i = ub.length - 1;
    while (i > 0 && ub[i] < w) i--;
    return i;
  }

  // phrasePlan turns a phrase (tokens with positions) into constraints
  // {key, off}: key "a b" (a pair: positions of a where b follows) for two
  // adjacent words one of which is big (df > big), else a word's own
  // positions; off is the word's position relative to the phrase's start.
  // Every word is covered by a pair or by its own positions.
  function phrasePlan(toks, df, big) {
    var p0 = toks[0].position, plan = [], covered = [];
    for (var k = 0; k + 1 < toks.length; k++) {
      var a = toks[k].term, b = toks[k + 1].term;
      if (toks[k + 1].position - toks[k].position === 1 && (df[a] > big || df[b] > big)) {
        plan.push({ pair: true, key: a + ' ' + b, a: a, b: b, off: toks[k].position - p0 });
        covered[k] = covered[k + 1] = true;
      }
    }
    toks.forEach(function (t, k) {
      if (!covered[k]) plan.push({ pair: false, key: t.term, off: t.position - p0 });
    });
    return plan;
  }

  // phraseMatches reports whether doc has the phrase in one field: a start
  // s such that every constraint c of plan holds a position s + c.off.
  // recs maps a constraint's key to its decodePositions.
  function phraseMatches(doc, plan, recs) {
    for (var f = 0; f < 3; f++) {
      var sets = plan.map(function (c) {
        var byField = recs[c.key] && recs[c.key].get(doc);
        return byField && byField[f];
      });
      if (!sets.every(Boolean)) continue;
      var first = 0;
      sets.forEach(function (s, k) { if (s.size < sets[first].size) first = k; });
      var ok = false;
      sets[first].forEach(function (p) {
        var start = p - plan[first].off;
        if (!ok) ok = plan.every(function (c, k) { return sets[k].has(start + c.off); });
      });
      if (ok) return true;
    }
    return false;
  }

  // search runs query q and resolves to {total, hits:[{doc, score}],
  // exact, error}: with a limit, the best limit hits (the first ones of
  // the whole answer) and, unless exact, a lower bound of the total
  // (the postings of common words are read in tiers, only as far as
  // these hits need); without one, every hit.
  Searcher.prototype.search = function (q, limit) {
    var self = this, clauses;
    try {
      clauses = parseQuery(q);
    } catch (e) {
      if (e instanceof QueryError) return Promise.resolve({ total: 0, hits: [], error: e.message, col: e.col });
      throw e;
    }
    return this.meta().then(function (m) { return self.withTypos(clauses, m, limit ? Math.max(limit, FUZZY_BELOW) : Infinity); });
  };

  // ---- Typos (port of search.Index's SearchQuery, typos, didYouMean) ----

  var FUZZY_BELOW = 3, MAX_TYPO_WORDS = 8;

  // fuzzyDistance is the edits a word as typed may have: none under 4
  // letters or with anything but letters, 1 for 4 to 7, 2 for longer.
  function fuzzyDistance(w) {
    var a = Array.from(w);
    if (!a.every(function (c) { return /^\p{L}$/u.test(c); }) || a.length < 4) return 0;
    return a.length <= 7 ? 1 : 2;
  }

  // edits1 lists the lower-case ASCII words one edit from w (none when w
  // has another character), as search's edits1.
  function edits1(w) {
    if (!/^[a-z]*$/.test(w)) return [];
    var out = [], abc = 'abcdefghijklmnopqrstuvwxyz';
    for (var i = 0; i <= w.length; i++) {
      if (i < w.length) out.push(w.slice(0, i) + w.slice(i + 1));
      if (i + 1 < w.length) out.push(w.slice(0, i) + w[i + 1] + w[i] + w.slice(i + 2));
      for (var k = 0; k < 26; k++) {
        var c = abc[k];
        out.push(w.slice(0, i) + c + w.slice(i));
        if (i < w.length && c !== w[i]) out.push(w.slice(0, i) + c + w.slice(i + 1));
      }
    }
    return out;
  }

  // levenshtein is the edit distance of a and b (insertions, deletions,
  // replacements of code points).
  function levenshtein(a, b) {
    a = Array.from(a); b = Array.from(b);
    var prev = [], cur = [];
    for (var j = 0; j <= b.length; j++) prev[j] = j;
    for (var i = 1; i <= a.length; i++) {
      cur = [i];
      for (var j = 1; j <= b.length; j++) {
        cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      }
      prev = cur;
    }
    return prev[b.length];
  }

  // words resolves the term list of terms of n letters (meta.json
  // "words" is the longest): {term: documents in its commonest field}.
  Searcher.prototype.words = function (n) {
    if (n < 1 || n > (this.m.words || 0)) return Promise.resolve({});
    return this.load('w/' + n + '.json');
  };

  // typos maps each term of the word clauses that no document holds and
  // that may be misspelt to {term: its nearest held term, near: the held
  // terms within its distance, words: the words one edit away that give
  // term}: the fewest edits, then the most documents, then the smaller
  // term, as search.Index's typos.
  Searcher.prototype.typos = function (clauses, m) {
    var self = this, syn = synonymMap(m), todo = [];
    clauses.forEach(function (c) {
      if (c.kind !== 'word') return;
      analyze(c.text, m.stopSet).forEach(function (t) {
        var w = lower(t.text), d = fuzzyDistance(w);
        if (d && !syn.has(t.term)) todo.push({ t: t, word: w, d: d });
      });
    });
    if (!todo.length) return Promise.resolve(new Map());
    // The lengths every lookup needs, fetched at once.
    var lens = new Set();
    todo.forEach(function (x) {
      x.edits = edits1(x.word);
      x.stems = x.edits.map(stem);
      var n = x.t.term.length;
      for (var k = n - x.d; k <= n + x.d; k++) lens.add(k);
      x.stems.forEach(function (s) { lens.add(s.length); });
    });
    var lensList = Array.from(lens);
    return Promise.all(lensList.map(function (n) { return self.words(n); })).then(function (shards) {
      var byLen = new Map();
      lensList.forEach(function (n, k) { byLen.set(n, shards[k]); });
      function entryOf(term) {
        var sh = byLen.get(term.length);
        return sh && Object.prototype.hasOwnProperty.call(sh, term) ? sh[term] : 0;
      }
      function count(term) {
        var e = entryOf(term);
        return Array.isArray(e) ? e[0] : e;
      }
      var out = new Map(), looked = 0;
      for (var i = 0; i < todo.length; i++) {
        var x = todo[i], term = x.t.term;
        if (count(term) > 0 || out.has(term)) continue;
        if (++looked > MAX_TYPO_WORDS) break;
        var dist = new Map(), near = [];
        for (var n = term.length - x.d; n <= term.length + x.d; n++) {
          Object.keys(byLen.get(n) || {}).forEach(function (c) {
            var e = levenshtein(term, c);
            if (e <= x.d) { dist.set(c, e); near.push(c); }
          });
        }
        var surface = new Map();
        x.stems.forEach(function (s, k) {
          if (!surface.has(s)) surface.set(s, []);
          surface.get(s).push(x.edits[k]);
          if (count(s) > 0) dist.set(s, Math.min(dist.has(s) ? dist.get(s) : 1, 1));
        });
        var best = '', bestN = 0;
        dist.forEach(function (e, c) {
          var cnt = count(c);
          if (!cnt) return;
          if (best === '' || e < dist.get(best) || e === dist.get(best) && (cnt > bestN || cnt === bestN && c < best)) {
            best = c; bestN = cnt;
          }
        });
        if (best) {
          var e = entryOf(best);
          out.set(term, { term: best, near: near, words: surface.get(best) || [], spelling: Array.isArray(e) ? e[1] || '' : best });
        }
      }
      return out;
    });
  };

  // spellings resolves, for each typo of typos, the word shown for its
  // nearest term (set as its .shown): its commonest spelling in the
  // documents (meta.json's w/ lists), unless one of the words one edit
  // from the typed word that give the term is in some document: then the
  // commonest of those, as search.Index's spelling (which counts in the
  // three best documents holding the term, not in all); '' when no title
  // or body spells the term.
  Searcher.prototype.spellings = function (typos) {
    var self = this, m = this.m, lens = new Set();
    typos.forEach(function (ty) {
      ty.words.concat(ty.spelling ? [ty.spelling] : []).forEach(function (w) { lens.add(w.length); });
    });
    var lensList = Array.from(lens);
    return Promise.all(lensList.map(function (n) {
      return n >= 1 && n <= (m.spells || 0) ? self.load('v/' + n + '.json') : {};
    })).then(function (shards) {
      var byLen = new Map();
      lensList.forEach(function (n, k) { byLen.set(n, shards[k]); });
      function count(w) {
        var sh = byLen.get(w.length);
        return sh && Object.prototype.hasOwnProperty.call(sh, w) ? sh[w] : 0;
      }
      typos.forEach(function (ty) {
        var best = ty.spelling;
        ty.words.forEach(function (w) {
          var n = count(w);
          if (n > 0 && (ty.words.indexOf(best) < 0 || n > count(best) || n === count(best) && w < best)) best = w;
        });
        ty.shown = best;
      });
      return typos;
    });
  };

  // didYouMean is the query with its misspelt words replaced (see
  // search.Query.String), '' when none is.
  function didYouMean(clauses, typos, m) {
    var changed = false;
    var parts = clauses.map(function (c) {
      if (c.kind === 'word') {
        var text = c.text, toks = analyze(text, m.stopSet);
        for (var j = toks.length - 1; j >= 0; j--) {
          var t = toks[j], ty = typos.get(t.term);
          if (!ty || !ty.shown) continue;
          text = text.slice(0, t.start) + ty.shown + text.slice(t.start + t.text.length);
          changed = true;
        }
        return text;
      }
      if (c.kind === 'phrase') return '"' + c.text + '"';
      if (c.kind === 'filter') {
        var v = c.values.slice().sort().join(',');
        if (/\s/.test(v)) v = '"' + v + '"';
        return c.field + ':' + v;
      }
      return c.kind + ':' + c.values[0];
    });
    return changed ? parts.join(' ') : '';
  }

  // withTypos runs clauses; when they find fewer than 3 documents and
  // have words no document holds, it reruns them with each such word
  // matching also the terms near it and its nearest term (and that
  // term's synonyms), keeps the rerun's answer when it finds more, and
  // sets didYouMean.
  Searcher.prototype.withTypos = function (clauses, m, limit) {
    var self = this;
    return this.withSynonyms(clauses, m, null, limit).then(function (r) {
      if (r.total >= FUZZY_BELOW || !m.words) return r;
      return self.typos(clauses, m).then(function (typos) {
        if (!typos.size) return r;
        return Promise.all([self.withSynonyms(clauses, m, typos, limit), self.spellings(typos)]).then(function (fr) {
          var f = fr[0], out = f.total > r.total ? f : r;
          out.didYouMean = didYouMean(clauses, typos, m);
          return out;
        });
      });
    });
  };

  // ---- Ranking (port of search/rank.go) ----
  // The hits of a text query are ordered by Σ idf(t)·w(t, d) over the
  // query's terms (scoreTerms), w the weight the export wrote (integer),
  // idf = round(1000·(1 + ln(n/(df+1)))); ties by document number (newest
  // first, then id). Integers, so the CLI and serve give the same order.

  function idf(n, df) { return Math.round(1000 * (1 + Math.log(n / (df + 1)))); }

  // scoreTerms lists the terms search.Index.compile collects for clauses:
  // the terms of words and phrases, of the synonyms they bring in, and a
  // misspelt word's chosen term (not the other terms near it); compound
  // tokens spanning a misspelt word are left out.
  function scoreTerms(clauses, m, typos) {
    var syn = synonymMap(m), out = [];
    typos = typos || new Map();
    function add(toks) { toks.forEach(function (t) { out.push(t.term); }); }
    function addAlts(key) { if (syn.has(key)) syn.get(key).forEach(function (b) { add(b.toks); }); }
    for (var i = 0; i < clauses.length; i++) {
      var c = clauses[i];
      if (c.kind === 'word') {
        var run = [], n = 0, key = '', toks = null;
        for (var k = i; k < clauses.length && clauses[k].kind === 'word'; k++) {
          var base = run.reduce(function (p, t) { return Math.max(p, t.position); }, 0);
          analyze(clauses[k].text, m.stopSet).forEach(function (t) {
            run.push({ term: t.term, position: t.position + base });
          });
          if (run.length > 1 && syn.has(synKey(run))) { n = k - i + 1; key = synKey(run); toks = run.slice(); }
        }
        if (n) {
          add(toks);
          addAlts(key);
          i += n - 1;
          continue;
        }
        var ws = analyze(c.text, m.stopSet);
        ws.forEach(function (t) {
          if (holdsTypo(t, ws, typos)) return;
          out.push(t.term);
          var ty = typos.get(t.term);
          if (ty) out.push(ty.term);
          addAlts(ty ? ty.term : t.term);
        });
      } else if (c.kind === 'phrase') {
        var ps = analyze(c.text, m.stopSet);
        add(ps);
        addAlts(synKey(ps));
      }
    }
    return Array.from(new Set(out));
  }

  // ---- Synonyms (port of search.Index's: newSynonyms, synRun, compile) ----

  // synKey is the key of analysed text: its terms by position, then term.
  function synKey(toks) {
    return toks.slice().sort(function (a, b) {
      return a.position - b.position || (a.term < b.term ? -1 : a.term > b.term ? 1 : 0);
    }).map(function (t) { return t.term; }).join(' ');
  }

  // synonymMap maps each member's key to the other members of its groups
  // ({text, toks}), from meta.json's "synonyms".
  function synonymMap(m) {
    if (m.synMap) return m.synMap;
    var map = new Map(), seen = new Set();
    (m.synonyms || []).forEach(function (g) {
      var members = [];
      g.forEach(function (w) {
        var toks = analyze(w, m.stopSet);
        if (toks.length) members.push({ text: w, toks: toks, key: synKey(toks) });
      });
      members.forEach(function (a, i) {
        members.forEach(function (b, j) {
          var k = a.key + '\u0000' + b.key;
          if (i === j || a.key === b.key || seen.has(k)) return;
          seen.add(k);
          if (!map.has(a.key)) map.set(a.key, []);
          map.get(a.key).push(b);
        });
      });
    });
    m.synMap = map;
    return map;
  }

  // holdsTypo reports whether t is a compound token longer than, and
  // spanning, a token of toks that typos holds.
  function holdsTypo(t, toks, typos) {
    return toks.some(function (o) {
      return typos.has(o.term) && o.start >= t.start && o.start + o.text.length <= t.start + t.text.length &&
        o.text.length < t.text.length;
    });
  }

  // withSynonyms runs clauses as search.Index does with synonyms: a word
  // (a term of a word clause, a phrase, or words in a row whose terms
  // together are a member) matches itself or any other member of its
  // groups. Each such group is one more constraint of the run of the
  // other clauses (one of its alternatives must hold), and every member's
  // terms score (scoreTerms). typos (from withTypos), when given, maps
  // misspelt terms to their alternatives: such a term is a group of the
  // terms near it, its nearest term and that term's synonyms; compound
  // tokens spanning it are left out.
  Searcher.prototype.withSynonyms = function (clauses, m, typos, limit) {
    var syn = synonymMap(m);
    typos = typos || new Map();
    if (!syn.size && !typos.size) return this.run(clauses, m, limit);
    var rest = [], groups = [];
    function alts(key) {
      return syn.get(key).map(function (b) {
        return b.toks.length === 1 ? [{ kind: 'term', term: b.toks[0].term }] : [{ kind: 'phrase', text: b.text }];
      });
    }
    for (var i = 0; i < clauses.length; i++) {
      var c = clauses[i];
      if (c.kind === 'word') {
        var run = [], n = 0, key = '';
        for (var k = i; k < clauses.length && clauses[k].kind === 'word'; k++) {
          var base = run.reduce(function (p, t) { return Math.max(p, t.position); }, 0);
          analyze(clauses[k].text, m.stopSet).forEach(function (t) {
            run.push({ term: t.term, position: t.position + base });
          });
          if (run.length > 1 && syn.has(synKey(run))) { n = k - i + 1; key = synKey(run); }
        }
        if (n) {
          groups.push([clauses.slice(i, i + n)].concat(alts(key)));
          i += n - 1;
          continue;
        }
        var toks = analyze(c.text, m.stopSet);
        toks.forEach(function (t) {
          var own = [{ kind: 'term', term: t.term }], ty = typos.get(t.term);
          if (holdsTypo(t, toks, typos)) return;
          if (ty) {
            var g = [own].concat(ty.near.concat([ty.term]).map(function (x) { return [{ kind: 'term', term: x }]; }));
            if (syn.has(ty.term)) g = g.concat(alts(ty.term));
            groups.push(g);
          } else if (syn.has(t.term)) groups.push([own].concat(alts(t.term)));
          else rest.push(own[0]);
        });
      } else if (c.kind === 'phrase' && syn.has(synKey(analyze(c.text, m.stopSet)))) {
        groups.push([[c]].concat(alts(synKey(analyze(c.text, m.stopSet)))));
      } else {
        rest.push(c);
      }
    }
    if (!groups.length) return this.run(clauses, m, limit);
    // One run, reading tiers only as far as the page needs: each group
    // a list of alternatives, each the terms of words, one term, or the
    // terms of one phrase with .phrase its tokens as run keeps a
    // phrase's (one per position).
    function termsOf(cs) {
      var out = [];
      cs.forEach(function (c) {
        if (c.kind === 'term') {
          out.push(c.term);
          return;
        }
        var toks = analyze(c.text, m.stopSet);
        toks.forEach(function (t) { out.push(t.term); });
        if (c.kind !== 'phrase') return;
        toks = toks.filter(function (t, j) { return j === 0 || toks[j - 1].position !== t.position; });
        if (toks.length > 1) out.phrase = toks;
      });
      return out;
    }
    return this.run(rest, m, limit, groups.map(function (g) { return g.map(termsOf); }), scoreTerms(clauses, m, typos));
  };

  // run answers parsed clauses without synonyms; a clause of kind "term"
  // is one analysed term (from withSynonyms). groups (from withSynonyms),
  // when given, must hold too: each is a list of alternatives, each a
  // list of terms all of which a document holds; score is then the terms
  // whose weights make the score (scoreTerms), else the clauses' terms.
  // It resolves to {total, hits, terms, scored, exact}: with a limit, hits
  // are the best limit documents (exactly those the whole answer starts
  // with: see topK), and total, when exact is false, only a lower bound;
  // scores are the ranking's integers (scored).
  Searcher.prototype.run = function (clauses, m, limit, groups, score) {
    var self = this;
    limit = limit || Infinity;
    groups = groups || [];
    var terms = [], phrases = [], filters = [], dates = [];
    clauses.forEach(function (c) {
      if (c.kind === 'term') {
        terms.push(c.term);
      } else if (c.kind === 'word') {
        analyze(c.text, m.stopSet).forEach(function (t) { terms.push(t.term); });
      } else if (c.kind === 'phrase') {
        var toks = analyze(c.text, m.stopSet);
        toks.forEach(function (t) { terms.push(t.term); });
        // One term per position: the word, or the first compound token
        // where the word is a stop word. Every term must match anyway;
        // the CLI's phrase takes any term at each position.
        toks = toks.filter(function (t, k) { return k === 0 || toks[k - 1].position !== t.position; });
        if (toks.length > 1) phrases.push(toks);
      } else if (c.kind === 'filter') {
        filters.push(c.values.map(function (v) { return '~' + c.field + ':' + v.toLowerCase(); }));
      } else {
        dates.push(c);
      }
    });
    if (!terms.length && !groups.length && !filters.length && !dates.length) {
      return Promise.resolve({ total: 0, hits: [], exact: true });
    }
    var must = new Set(terms);
    var shown = terms.slice();
    groups.forEach(function (g) { g.forEach(function (a) { shown = shown.concat(a); }); });
    shown = Array.from(new Set(shown));
    var scoring = new Set(score || terms);
    var uniq = Array.from(new Set(shown.concat(Array.from(scoring))));
    return Promise.all([
      Promise.all(uniq.map(function (t) { return self.termEntry(t); })),
      Promise.all(filters.map(function (keys) { return Promise.all(keys.map(function (k) { return self.postings(k); })); })),
      dates.length ? self.load('dates.json') : Promise.resolve(null)
    ]).then(function (res) {
      var allowed = res[1].map(function (lists) {
        var set = new Set();
        lists.forEach(function (p) { decodeFilter(p).forEach(function (d) { set.add(d); }); });
        return set;
      });
      var dayOf = res[2] ? decodeDates(res[2]) : null;
      // ok reports whether document d passes the filters and dates.
      function ok(d) {
        if (!allowed.every(function (s) { return s.has(d); })) return false;
        if (!dayOf) return true;
        var day = dayOf[d];
        return day !== '' && dates.every(function (c) { return c.kind === 'after' ? day >= c.values[0] : day < c.values[0]; });
      }
      if (!uniq.length) {
        // (no groups either: a group's alternatives hold terms)
        // Filters and dates only: every score 0, newest first.
        var hits = [];
        if (allowed.length) {
          allowed[0].forEach(function (d) { if (ok(d)) hits.push({ doc: d, score: 0 }); });
        } else {
          for (var d = 0; d < m.n; d++) if (ok(d)) hits.push({ doc: d, score: 0 });
        }
        hits.sort(function (a, b) { return a.doc - b.doc; });
        return { total: hits.length, hits: hits, terms: shown, scored: true, exact: true };
      }
      var lists = uniq.map(function (t, k) {
        var L = termList(t, res[0][k], m.n);
        L.req = must.has(t);
        if (!scoring.has(t)) L.idf = 0;
        return L;
      });
      var byKey = {};
      lists.forEach(function (L) { byKey[L.key] = L; });
      var df = {};
      lists.forEach(function (L) { df[L.key] = L.df; });
      var plans = phrases.map(function (toks) { return phrasePlan(toks, df, m.big); });
      // An alternative that is a phrase (a synonym such as "denial of
      // service") holds in a document when its terms do and its phrase
      // is checked there (checked: doc → whether it holds).
      var altPlans = [];
      var lgroups = groups.map(function (g) {
        return g.map(function (a) {
          var la = a.map(function (t) { return byKey[t]; });
          if (a.phrase) {
            la.plan = phrasePlan(a.phrase, df, m.big);
            la.checked = new Map();
            altPlans.push(la.plan);
          }
          return la;
        });
      });
      // The pair lists of the phrases' words come first: one read whole
      // (not split into tiers) lists every document that can match (the
      // query's own phrases: an alternative need not hold).
      var recs = {}, within = [];
      return self.pairEntries(plans.concat(altPlans), recs).then(function () {
        var own = new Set();
        plans.forEach(function (plan) { plan.forEach(function (c) { if (c.pair) own.add(c.key); }); });
        own.forEach(function (k) { if (!recs[k].entry.tiers) within.push(recs[k].map); });
        return self.topK(lists, lgroups, ok, plans, byKey, limit, recs, within);
      }).then(function (r) {
        r.terms = shown;
        // One word and nothing else: its entry has the count, so the
        // page says "31,422 results", not "256+", before every tier is
        // read.
        if (lists.length === 1 && lists[0].req && !groups.length && !plans.length && !filters.length && !dates.length) {
          r.total = lists[0].df;
          r.exact = true;
        }
        return r;
      });
    });
  };

  // termList is the state of a query term's postings while topK reads
  // them: the weights known (doc → w: from its postings, or from a pair
  // list's records) and, for a tiered term, its tiers' largest weights
  // (ub; a document's tier is tierFor its weight) and how many tiers are
  // read (next); full once all are. I is the term's IDF (idf, the
  // weight of its score, may be 0: see run).
  function termList(key, s, n) {
    var L = { key: key, known: new Map(), ub: null, next: 0, full: true, df: 0 };
    if (s[0] === '!') {
      var info = tierInfo(s);
      L.df = info.df;
      L.ub = info.ub;
      readPostings(L, info.first, 0);
    } else {
      var p = decodeNums(s);
      for (var i = 0, d = 0; i + 1 < p.length; i += 2) L.known.set(d += p[i], p[i + 1]);
      L.df = L.known.size;
    }
    L.idf = L.I = idf(n, L.df);
    return L;
  }

  // listBound is the most a document that L's unread tiers hold can get
  // from L's term.
  function listBound(L) { return L.full ? 0 : L.idf * L.ub[L.next]; }

  // readPostings adds the postings p of tier i to L.
  function readPostings(L, p, i) {
    for (var k = 0, d = 0; k + 1 < p.length; k += 2) {
      d += p[k];
      L.known.set(d, p[k + 1]);
    }
    L.next = Math.max(L.next, i + 1);
    L.full = L.next >= L.ub.length;
  }

  // readTier reads L's next tier.
  Searcher.prototype.readTier = function (L) {
    var i = L.next;
    return this.termTier(L.key, L.ub, i).then(function (p) { readPostings(L, p, i); });
  };

  // topK finds the best limit documents holding every term of lists (in
  // the order of the ranking: score, then document), passing ok and
  // holding the phrases of plans, reading tiers of the tiered terms and
  // pairs only until no unread document can enter them. A document is
  // complete when every term's weight in it is known (its score is then
  // exact); a document some term's read tiers lack may still hold that
  // term, with at most the largest weight of its unread tiers
  // (listBound), so its score is at most the sum of what is known and
  // those bounds. A phrase's pair split into tiers by its score (see
  // pairList) bounds its two terms together in the documents its read
  // tiers lack (pairCut). The answer is proven when the limit-th
  // complete document (phrases checked) scores more than any other
  // document could: else the next tier is read of the list making the
  // largest part of the bound of the document that could score most
  // (source; without pairs split by score, the term with the largest
  // bound; with no limit, all of every term's tiers at once). Documents a
  // fully read list lacks are out.
  Searcher.prototype.topK = function (lists, groups, ok, plans, byKey, limit, recs, within) {
    var self = this, checked = new Map();
    // The constraints of each phrase read whole (pairs not split into
    // tiers): a document failing them is out before any tier is read; one
    // passing them, when they are all its phrase's, holds the phrase.
    var maps = {};
    Object.keys(recs).forEach(function (k) { if (!recs[k].entry.tiers) maps[k] = recs[k].map; });
    var pre = plans.map(function (plan) { return plan.filter(function (c) { return maps[c.key]; }); });
    var whole = pre.every(function (sub, i) { return sub.length === plans[i].length; });
    var pls = pairLists(plans, recs, byKey);
    // pairCut is how much less than the sum of its terms' bounds u
    // (term → bound) document d can score, by the pair lists whose read
    // tiers lack it (each term in one pair at most).
    function pairCut(d, u) {
      var used = {}, cut = 0;
      pls.forEach(function (P) {
        if (P.full() || P.r.map.has(d) || used[P.a] || used[P.b]) return;
        var c = u[P.a] + u[P.b] - P.bound();
        if (c > 0) {
          cut += c;
          used[P.a] = used[P.b] = true;
        }
      });
      return cut;
    }
    // source returns the list to read next for document d (-1: one no
    // list has read): of the pair lists being read that lack it (each
    // for its two terms, as much of d's bound as they make or the pair's
    // bound) and the terms no such pair covers whose weight in d is
    // unknown, the one making the largest part of d's bound (null when
    // none does: d waits for a group's alternative).
    function source(d) {
      var u = {}, unknown = [];
      lists.forEach(function (L) {
        var w = d < 0 ? undefined : L.known.get(d);
        if (w !== undefined) {
          u[L.key] = L.idf * w;
        } else if (L.full) {
          u[L.key] = 0;
        } else {
          u[L.key] = listBound(L);
          unknown.push(L);
        }
      });
      var best = null, most = 0, covered = {};
      pls.forEach(function (P) {
        if (P.full() || P.r.map.has(d)) return;
        covered[P.a] = covered[P.b] = true;
        var part = Math.min(u[P.a] + u[P.b], P.bound());
        if (part > most) {
          most = part;
          best = P;
        }
      });
      unknown.forEach(function (L) {
        if (u[L.key] > most && !covered[L.key]) {
          most = u[L.key];
          best = L;
        }
      });
      return best;
    }
    function step() {
      // A pair list read whole knows its terms' weights in every
      // document that can hold the phrase: as if their lists were read.
      pls.forEach(function (P) { if (P.full()) byKey[P.a].full = byKey[P.b].full = true; });
      var full = lists.filter(function (L) { return L.full && L.req; }), cands;
      var inside = within.concat(pls.filter(function (P) { return P.full(); }).map(function (P) { return P.r.map; }));
      var sets = full.map(function (L) { return L.known; }).concat(inside);
      // A group whose every alternative has a fully read term: its
      // documents are among those terms' documents.
      groups.forEach(function (g) {
        var u = new Map();
        var all = g.every(function (a) {
          var F = a.filter(function (L) { return L.full; });
          if (!a.length) return true;
          if (!F.length) return false;
          F.reduce(function (x, y) { return x.known.size <= y.known.size ? x : y; }).known.forEach(function (w, d) { u.set(d, w); });
          return true;
        });
        if (all) sets.push(u);
      });
      if (sets.length) {
        cands = sets.reduce(function (a, b) { return a.size <= b.size ? a : b; });
      } else {
        cands = new Map();
        lists.forEach(function (L) { L.known.forEach(function (w, d) { cands.set(d, 0); }); });
      }
      var C = [], B = -1, u = {}, worst = null, pending = [];
      cands.forEach(function (w0, d) {
        if (checked.get(d) === false || !ok(d)) return;
        for (var j = 0; j < inside.length; j++) if (!inside[j].has(d)) return;
        if (plans.length && !checked.has(d)) {
          if (!pre.every(function (sub) { return !sub.length || phraseMatches(d, sub, maps); })) {
            checked.set(d, false);
            return;
          }
          if (whole) checked.set(d, true);
        }
        var s = 0, b = 0, complete = true;
        for (var i = 0; i < lists.length; i++) {
          var L = lists[i], w = L.known.get(d);
          if (w !== undefined) {
            s += L.idf * w;
            u[L.key] = L.idf * w;
          } else if (L.full) {
            if (L.req) return;
            u[L.key] = 0;
          } else {
            if (L.req || L.idf) complete = false;
            u[L.key] = listBound(L);
          }
          b += u[L.key];
        }
        var unchecked = null;
        for (var g = 0; g < groups.length; g++) {
          var sat = false, open = false, wait = null;
          for (var a = 0; a < groups[g].length && !sat; a++) {
            var alt = groups[g][a], allIn = alt.length > 0, impossible = !alt.length;
            for (var k = 0; k < alt.length; k++) {
              if (alt[k].known.has(d)) continue;
              allIn = false;
              if (alt[k].full) impossible = true;
            }
            if (allIn && alt.plan) {
              // Its terms are there: the phrase decides, once checked.
              var held = alt.checked.get(d);
              if (held === undefined) (wait = wait || []).push(alt);
              if (!held) {
                allIn = false;
                impossible = held === false;
              }
            }
            if (allIn) sat = true;
            else if (!impossible) open = true;
          }
          if (!sat && !open) return;
          if (!sat) complete = false;
          if (!sat && wait) unchecked = (unchecked || []).concat(wait);
        }
        if (unchecked) pending.push({ doc: d, bound: b, alts: unchecked });
        if (complete) C.push({ doc: d, score: s });
        else if (pls.length && b > B) {
          b -= pairCut(d, u);
          if (b > B) {
            B = b;
            worst = d;
          }
        } else if (b > B) {
          B = b;
        }
      });
      if (!sets.length) {
        lists.forEach(function (L) { u[L.key] = listBound(L); });
        var b0 = lists.reduce(function (s, L) { return s + u[L.key]; }, 0) - pairCut(-1, u);
        if (b0 > B) {
          B = b0;
          worst = -1;
        }
      }
      C.sort(function (a, b) { return b.score - a.score || a.doc - b.doc; });
      // Phrase alternatives whose terms a document holds are checked
      // there when it could enter the page: the best first, a page's
      // worth at a time; once every list is read (always, on a site of
      // up to TierFrom documents), all of them, so the count is exact.
      if (pending.length) {
        var cut = limit !== Infinity && C.length >= limit ? C[limit - 1].score : -1;
        var all = !lists.some(function (L) { return !L.full; });
        var todo = pending.filter(function (p) { return all || p.bound >= cut; });
        if (todo.length) {
          todo.sort(function (x, y) { return y.bound - x.bound || x.doc - y.doc; });
          if (!all && limit !== Infinity) todo = todo.slice(0, limit);
          var byAlt = new Map();
          todo.forEach(function (p) {
            p.alts.forEach(function (alt) {
              if (!byAlt.has(alt)) byAlt.set(alt, []);
              byAlt.get(alt).push(p.doc);
            });
          });
          var jobs = [];
          byAlt.forEach(function (ds, alt) { jobs.push(self.checkPhrases(ds, [alt.plan], byKey, recs, alt.checked)); });
          return Promise.all(jobs).then(step);
        }
      }
      if (plans.length) {
        var need = [];
        for (var i = 0; i < C.length && i < limit; i++) if (!checked.has(C[i].doc)) need.push(C[i].doc);
        if (need.length) return self.checkPhrases(need, plans, byKey, recs, checked).then(step);
      }
      var rest = lists.filter(function (L) { return !L.full; });
      // Proven: every term read, or the page's last scores more than any
      // other document could, or the candidates are a known set (a term
      // read whole, a pair list) and all complete.
      if (!rest.length || (C.length >= limit && C[limit - 1].score > B) || (sets.length && B < 0)) {
        var matched = plans.length ? C.filter(function (h) { return checked.get(h.doc); }).length : C.length;
        return {
          total: matched, hits: C.slice(0, limit), scored: true,
          exact: (!rest.length || (sets.length && B < 0)) && matched === C.length && !pending.length
        };
      }
      if (limit === Infinity) {
        return Promise.all(rest.map(function (L) {
          var all = [];
          for (var i = L.next; i < L.ub.length; i++) {
            L.next = i;
            all.push(self.readTier(L));
          }
          return Promise.all(all);
        })).then(step);
      }
      // With pairs split by score: the list whose bound is the largest
      // part of the bound of the document that bounds the others.
      var next = pls.length && worst !== null ? source(worst) : null;
      if (next) return (next.r ? next.read(self) : self.readTier(next)).then(step);
      // Else the pair list or term that bounds the unread documents most
      // (a term a pair list being read covers is left to it); when none
      // does (the terms left only decide which alternative of a group
      // holds), the first such term.
      var open = pls.filter(function (P) { return !P.full(); });
      var free = rest.filter(function (L) { return !open.some(function (P) { return P.a === L.key || P.b === L.key; }); });
      var bestP = open.reduce(function (a, b) { return a && a.bound() >= b.bound() ? a : b; }, null);
      var bestL = (free.length ? free : rest).reduce(function (a, b) { return listBound(a) >= listBound(b) ? a : b; });
      if (bestP && (!free.length || bestP.bound() >= listBound(bestL))) return bestP.read(self).then(step);
      return self.readTier(bestL).then(step);
    }
    return Promise.resolve().then(step);
  };

  // pairLists returns the pair lists of plans split into tiers by their
  // score (recs[key].entry.tiers), of two different terms that score
  // (their idf is their IDF), each {key, a, b, r: recs[key], bound,
  // full, read}: bound is the largest score of its first unread tier (a
  // document its read tiers lack scores at most that by the pair's two
  // terms, if it holds the pair); read reads that tier, its documents'
  // records into r.map and the weights of a and b into their lists.
  function pairLists(plans, recs, byKey) {
    var out = [], seen = {};
    plans.forEach(function (plan) {
      plan.forEach(function (c) {
        var r = recs[c.key], La = byKey[c.a], Lb = byKey[c.b];
        if (!c.pair || seen[c.key] || !r.entry.tiers || c.a === c.b || La.idf !== La.I || Lb.idf !== Lb.I) return;
        seen[c.key] = true;
        var ub = r.entry.tiers.ub;
        var P = { key: c.key, a: c.a, b: c.b, r: r };
        P.first = function () {
          var i = 0;
          while (i < ub.length && r.got.has(i)) i++;
          return i;
        };
        P.full = function () { return P.first() >= ub.length; };
        P.bound = function () { return P.full() ? 0 : ub[P.first()]; };
        P.read = function (self) { return self.pairTier(c.key, P.first(), r, La, Lb); };
        out.push(P);
      });
    });
    return out;
  }

  // pairTier reads tier i of the pair list key (split by its score) into
  // r (recs' entry of the pair): its documents' positions into r.map and
  // the weights of its terms, lists La and Lb, into their known weights.
  Searcher.prototype.pairTier = function (key, i, r, La, Lb) {
    r.got.add(i);
    return this.tier('b', key, i).then(function (p) {
      var t = decodePairTier(p);
      t.recs.forEach(function (v, d) { r.map.set(d, v); });
      t.ws.forEach(function (w, d) {
        La.known.set(d, w[0]);
        Lb.known.set(d, w[1]);
      });
    });
  };

  // pairEntries reads the b/ entries of the pairs of plans into recs (see
  // checkPhrases).
  Searcher.prototype.pairEntries = function (plans, recs) {
    var self = this, jobs = [];
    plans.forEach(function (plan) {
      plan.forEach(function (c) {
        if (!c.pair || recs[c.key]) return;
        var r = recs[c.key] = { map: new Map(), got: new Set(), entry: null };
        jobs.push(self.pairEntry(c.a, c.b).then(function (e) {
          r.entry = e;
          if (e.recs) r.map = e.recs;
        }));
      });
    });
    return Promise.all(jobs);
  };

  // checkPhrases checks the phrases of plans in docs (complete documents:
  // the weight of each term in them is known), setting checked (doc →
  // whether it holds every phrase). The pair lists are read first (for a
  // pair split into tiers, the tier of the document's score by the
  // pair, from its two terms' weights); the words' own positions only for
  // the documents that hold every pair (a tiered big word's, the tier of
  // its weight in the document). recs keeps what was read: key → {map:
  // doc → positions by field, got: a pair's tiers read, reading: a
  // word's files and parts read or being read, as promises}.
  Searcher.prototype.checkPhrases = function (docs, plans, byKey, recs, checked) {
    var self = this, pairs = [], words = [], n = this.m.n;
    plans.forEach(function (plan) {
      plan.forEach(function (c) {
        var list = c.pair ? pairs : words;
        if (!list.some(function (x) { return x.key === c.key; })) list.push(c);
      });
    });
    function rec(key) { return recs[key] || (recs[key] = { map: new Map(), got: new Set(), entry: null }); }
    function merge(r, m) { m.forEach(function (v, k) { r.map.set(k, v); }); }
    // Pairs: the tiers the documents need (pairEntries read the entries).
    return Promise.resolve().then(function () {
      var jobs = [];
      pairs.forEach(function (c) {
        var r = rec(c.key), La = byKey[c.a], Lb = byKey[c.b];
        if (!r.entry.tiers) return;
        var ub = r.entry.tiers.ub;
        docs.forEach(function (d) {
          if (r.map.has(d)) return;
          var wa = La.known.get(d), wb = Lb.known.get(d);
          // (a complete document: both weights are known)
          var i = tierFor(ub, idf(n, La.df) * wa + idf(n, Lb.df) * wb);
          if (r.got.has(i)) return;
          jobs.push(self.pairTier(c.key, i, r, La, Lb));
        });
      });
      return Promise.all(jobs);
    }).then(function () {
      var left = docs.filter(function (d) {
        var has = pairs.every(function (c) { return rec(c.key).map.has(d); });
        if (!has) checked.set(d, false);
        return has;
      });
      var jobs = [];
      words.forEach(function (c) {
        var r = rec(c.key), L = byKey[c.key], byTier = new Map();
        // Each file or part once, its promise kept: a check running
        // beside this one (another alternative of a group) waits for
        // the parts this one started.
        if (!r.reading) r.reading = new Map();
        var need = function (key, load) {
          if (!r.reading.has(key)) r.reading.set(key, load().then(function (m) { merge(r, m); }));
          return r.reading.get(key);
        };
        left.forEach(function (d) {
          var i = L.df > self.m.big && L.ub ? tierFor(L.ub, L.known.get(d)) : -1;
          if (i < 0) {
            jobs.push(need(i, function () { return self.positions(c.key, L.df); }));
            return;
          }
          if (!byTier.has(i)) byTier.set(i, []);
          byTier.get(i).push(d);
        });
        byTier.forEach(function (ds, i) { jobs.push(self.tierPositions(c.key, i, ds, need)); });
      });
      return Promise.all(jobs).then(function () {
        var maps = {};
        Object.keys(recs).forEach(function (k) { maps[k] = recs[k].map; });
        left.forEach(function (d) {
          checked.set(d, plans.every(function (plan) { return phraseMatches(d, plan, maps); }));
        });
      });
    });
  };

  // docs resolves the metadata {id,title,severity,day,url,summary} of docs.
  Searcher.prototype.docs = function (docs) {
    var self = this, chunk = this.m.chunk;
    var need = Array.from(new Set(docs.map(function (d) { return Math.floor(d / chunk); })));
    return Promise.all(need.map(function (c) { return self.load('d/' + c + '.json'); })).then(function () {
      return Promise.all(docs.map(function (d) {
        return self.load('d/' + Math.floor(d / chunk) + '.json').then(function (rows) {
          var r = rows[d % chunk];
          return { id: r[0], title: r[1], severity: r[2], day: r[3], url: r[4], summary: r[5] };
        });
      }));
    });
  };

  // ids runs q and resolves to every matching id (used by tests).
  Searcher.prototype.ids = function (q) {
    var self = this;
    return this.search(q).then(function (r) {
      if (r.error) throw new Error(r.error);
      return self.docs(r.hits.map(function (h) { return h.doc; }));
    }).then(function (ds) { return ds.map(function (d) { return d.id; }); });
  };

  // ---- Page ----

  var PAGE = 20;

  // highlight appends text to el with the words whose stem is in terms
  // wrapped in <mark>.
  function highlight(el, text, terms, stop) {
    var want = new Set(terms), last = 0;
    // analyze: words and compound tokens; one inside a marked one is skipped.
    analyze(text, stop).forEach(function (t) {
      if (!want.has(t.term) || t.start < last) return;
      if (t.start > last) el.appendChild(document.createTextNode(text.slice(last, t.start)));
      var mk = document.createElement('mark');
      mk.textContent = t.text;
      el.appendChild(mk);
      last = t.start + t.text.length;
    });
    if (last < text.length) el.appendChild(document.createTextNode(text.slice(last)));
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function init() {
    var form = document.getElementById('search-form');
    var out = document.getElementById('search-results');
    if (!form || !out || out.hasAttribute('data-server-rendered')) return;
    var input = form.querySelector('input[name="q"]');
    var meta = document.querySelector('meta[name="hindsight-root"]');
    var root = meta ? meta.getAttribute('content') : './';
    var base = new URL(root + 'search/index/', document.baseURI).href;
    var searcher = new Searcher(base, function (url) {
      return fetch(url, { credentials: 'same-origin' }).then(function (r) {
        if (!r.ok) throw new Error('cannot load ' + url + ': HTTP ' + r.status);
        return r.json();
      });
    });
    api.searcher = searcher;
    var seq = 0;

    function render(q, shown) {
      var my = ++seq;
      out.setAttribute('aria-busy', 'true');
      if (!q.trim()) {
        out.textContent = '';
        out.removeAttribute('aria-busy');
        return Promise.resolve();
      }
      return searcher.search(q, shown).then(function (r) {
        if (my !== seq) return;
        if (r.error) {
          out.textContent = '';
          out.appendChild(el('p', 'search-error', 'Cannot search: ' + r.error));
          out.removeAttribute('aria-busy');
          return;
        }
        var page = r.hits.slice(0, shown);
        return searcher.docs(page.map(function (h) { return h.doc; })).then(function (ds) {
          if (my !== seq) return;
          out.textContent = '';
          // Without every tier of a common word read, the total is a
          // lower bound: "20+ results".
          out.appendChild(el('p', 'search-count', r.total + (r.exact ? '' : '+') + (r.total === 1 && r.exact ? ' result' : ' results')));
          if (r.didYouMean) {
            // as serve's page: did you mean: <a href="?q=…">…</a>
            var dym = el('p', 'search-hint search-did-you-mean', 'did you mean: ');
            var link = el('a', null, r.didYouMean);
            link.href = '?q=' + encodeURIComponent(r.didYouMean);
            dym.appendChild(link);
            out.appendChild(dym);
          }
          var ol = el('ol', 'search-hits');
          ds.forEach(function (d) {
            var li = el('li', 'search-hit');
            li.setAttribute('data-id', d.id);
            var h = el('h3');
            var a = el('a', null, d.title);
            a.href = root + d.url;
            h.appendChild(a);
            li.appendChild(h);
            var info = el('p', 'search-meta');
            info.appendChild(el('span', 'sev sev-' + d.severity.toLowerCase(), d.severity));
            info.appendChild(document.createTextNode(' '));
            var t = el('time', null, d.day);
            t.setAttribute('datetime', d.day);
            info.appendChild(t);
            li.appendChild(info);
            var sn = el('p', 'search-snippet');
            highlight(sn, d.summary || '', r.terms || [], searcher.m.stopSet);
            li.appendChild(sn);
            ol.appendChild(li);
          });
          out.appendChild(ol);
          if (r.total > shown || !r.exact) {
            var more = el('button', 'search-more', 'Show more results');
            more.type = 'button';
            more.addEventListener('click', function () { render(q, shown + PAGE); });
            out.appendChild(more);
          }
          out.removeAttribute('aria-busy');
          out.setAttribute('data-done', String(my));
        });
      }).catch(function (e) {
        out.textContent = '';
        out.appendChild(el('p', 'search-error', 'Search is unavailable: ' + e.message));
        out.removeAttribute('aria-busy');
      });
    }

    function fromURL() {
      var q = new URLSearchParams(location.search).get('q') || '';
      if (input) input.value = q;
      return render(q, PAGE);
    }

    form.addEventListener('submit', function (ev) {
      ev.preventDefault();
      var q = input ? input.value : '';
      var url = new URL(location.href);
      if (q) url.searchParams.set('q', q); else url.searchParams.delete('q');
      history.pushState(null, '', url.href);
      render(q, PAGE);
    });
    window.addEventListener('popstate', fromURL);
    api.ready = fromURL();
  }

  var api = {
    stem: stem,
    tokenize: tokenize,
    decodeNums: decodeNums,
    decodeDates: decodeDates,
    analyze: analyze,
    parseQuery: parseQuery,
    fnv1a: fnv1a,
    Searcher: Searcher,
    QueryError: QueryError
  };

  if (typeof module === 'object' && module.exports) {
    module.exports = api;
  } else {
    global.hindsightSearch = api;
    if (typeof document !== 'undefined') {
      if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
      else init();
    }
  }
})(typeof self !== 'undefined' ? self : this);
