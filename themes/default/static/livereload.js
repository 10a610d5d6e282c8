// Live reload for `hindsight serve --watch`. Pages load this script only
// when the site is served by hindsight serve (Options.LiveReload); a build
// never writes it. It listens to the server's events and:
//   - reloads the page after a rebuild, keeping the scroll position
//     (sessionStorage, per path);
//   - swaps the style sheets without a reload when only CSS changed;
//   - shows the errors of the files being edited in an overlay, built with
//     DOM APIs only (textContent, never innerHTML), and hides it once they
//     are fixed.
// No inline script or style attribute is needed, so the page's CSP
// (script-src 'self'; style-src 'self') holds.
(function () {
  "use strict";
  if (!window.EventSource || window.__hindsightLiveReload) {
    return;
  }
  var state = (window.__hindsightLiveReload = { version: "", events: 0, overlay: false });
  var scrollKey = "hindsight:scroll:" + location.pathname + location.search;

  function saveScroll() {
    try {
      sessionStorage.setItem(scrollKey, JSON.stringify({ x: window.scrollX, y: window.scrollY }));
    } catch (e) {
      // Storage may be off (private mode); reloading still works.
    }
  }

  function restoreScroll() {
    var raw = null;
    try {
      raw = sessionStorage.getItem(scrollKey);
    } catch (e) {
      return;
    }
    if (!raw) {
      return;
    }
    var pos;
    try {
      pos = JSON.parse(raw);
    } catch (e) {
      return;
    }
    var apply = function () {
      window.scrollTo(pos.x || 0, pos.y || 0);
    };
    apply();
    // Images and fonts may change the layout after the first paint.
    window.addEventListener("load", function () {
      apply();
      try {
        sessionStorage.removeItem(scrollKey);
      } catch (e) {}
    });
    if (document.readyState === "complete") {
      try {
        sessionStorage.removeItem(scrollKey);
      } catch (e) {}
    }
  }

  function reload() {
    saveScroll();
    location.reload();
  }

  // swapStyles loads each same-origin style sheet again with a
  // cache-busting query and removes the old one once the new one loaded,
  // so the page does not flash unstyled.
  function swapStyles(version) {
    var links = document.querySelectorAll('link[rel~="stylesheet"]');
    Array.prototype.forEach.call(links, function (link) {
      var url;
      try {
        url = new URL(link.href, location.href);
      } catch (e) {
        return;
      }
      if (url.origin !== location.origin) {
        return;
      }
      url.searchParams.set("hindsight", version);
      var next = link.cloneNode(false);
      next.href = url.href;
      next.addEventListener("load", function () {
        if (link.parentNode) {
          link.parentNode.removeChild(link);
        }
      });
      next.addEventListener("error", function () {
        if (next.parentNode) {
          next.parentNode.removeChild(next);
        }
      });
      link.parentNode.insertBefore(next, link.nextSibling);
    });
  }

  var overlayID = "hindsight-overlay";

  function el(tag, text) {
    var e = document.createElement(tag);
    if (text !== undefined) {
      e.textContent = text;
    }
    return e;
  }

  // style sets CSSOM properties; CSP does not restrict these, unlike
  // style attributes in markup.
  function style(e, props) {
    for (var k in props) {
      if (Object.prototype.hasOwnProperty.call(props, k)) {
        e.style[k] = props[k];
      }
    }
    return e;
  }

  function where(p) {
    var s = p.file;
    if (p.line) {
      s += ":" + p.line;
      if (p.column) {
        s += ":" + p.column;
      }
    }
    return s;
  }

  function hideOverlay() {
    var old = document.getElementById(overlayID);
    if (old && old.parentNode) {
      old.parentNode.removeChild(old);
    }
    state.overlay = false;
  }

  function showOverlay(ev) {
    var problems = ev.problems || [];
    hideOverlay();
    if (problems.length === 0 && !ev.failure) {
      return;
    }
    var box = style(el("div"), {
      position: "fixed", left: "0", right: "0", bottom: "0", maxHeight: "50vh", overflow: "auto",
      zIndex: "2147483647", background: "#2b0d0d", color: "#ffe9e9", borderTop: "3px solid #e5484d",
      font: "13px/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace", padding: "12px 16px",
      boxShadow: "0 -4px 16px rgba(0,0,0,.4)"
    });
    box.id = overlayID;
    box.setAttribute("role", "alert");
    var head = style(el("div"), { display: "flex", justifyContent: "space-between", gap: "1em", marginBottom: "6px" });
    var n = problems.length;
    var title = ev.failure && n === 0 ? "The site could not be rebuilt" :
      n + (n === 1 ? " error" : " errors") + " in the files you changed";
    head.appendChild(style(el("strong", title + " — the last good version is shown"), { color: "#ff9592" }));
    var close = style(el("button", "×"), {
      background: "transparent", color: "inherit", border: "0", font: "inherit", fontSize: "18px", cursor: "pointer"
    });
    close.type = "button";
    close.setAttribute("aria-label", "Hide the errors");
    close.addEventListener("click", hideOverlay);
    head.appendChild(close);
    box.appendChild(head);
    if (ev.failure) {
      box.appendChild(style(el("pre", ev.failure), { whiteSpace: "pre-wrap", margin: "0 0 6px" }));
    }
    var list = style(el("ul"), { listStyle: "none", margin: "0", padding: "0" });
    problems.forEach(function (p) {
      var li = style(el("li"), { margin: "2px 0" });
      li.className = "hindsight-problem";
      li.appendChild(style(el("span", where(p)), { color: "#ffd8a8" }));
      li.appendChild(document.createTextNode(": " + p.severity + ": " + p.message + " "));
      li.appendChild(style(el("span", "[" + p.rule + "]"), { opacity: "0.7" }));
      list.appendChild(li);
    });
    box.appendChild(list);
    (document.body || document.documentElement).appendChild(box);
    state.overlay = true;
  }

  function parse(e) {
    try {
      return JSON.parse(e.data);
    } catch (err) {
      return null;
    }
  }

  function connect() {
    var es = new EventSource("/__hindsight/events");
    es.addEventListener("hello", function (e) {
      var ev = parse(e);
      if (!ev) {
        return;
      }
      state.events++;
      if (state.version && state.version !== ev.version) {
        // Reconnected after missing a rebuild (or the server restarted).
        reload();
        return;
      }
      state.version = ev.version;
      showOverlay(ev);
    });
    es.addEventListener("reload", function (e) {
      var ev = parse(e);
      if (!ev) {
        return;
      }
      state.events++;
      state.version = ev.version;
      reload();
    });
    es.addEventListener("css", function (e) {
      var ev = parse(e);
      if (!ev) {
        return;
      }
      state.events++;
      state.version = ev.version;
      swapStyles(ev.version);
      showOverlay(ev);
    });
    es.addEventListener("status", function (e) {
      var ev = parse(e);
      if (!ev) {
        return;
      }
      state.events++;
      state.version = ev.version;
      showOverlay(ev);
    });
  }

  restoreScroll();
  connect();
})();
