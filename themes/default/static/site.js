// hindsight default theme: dark mode toggle. Loaded (not deferred) from
// <head> so a saved choice applies before the first paint. Without
// JavaScript the toggle stays hidden and the page follows
// prefers-color-scheme.
(function () {
  "use strict";
  var root = document.documentElement;
  var key = "hindsight-theme";
  var saved = null;
  try { saved = window.localStorage.getItem(key); } catch (e) { /* storage may be blocked on file:// */ }
  if (saved === "dark" || saved === "light") {
    root.setAttribute("data-theme", saved);
  }
  function current() {
    var t = root.getAttribute("data-theme");
    if (t) { return t; }
    return window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
  }
  document.addEventListener("DOMContentLoaded", function () {
    var btn = document.getElementById("theme-toggle");
    if (!btn) { return; }
    btn.hidden = false;
    btn.setAttribute("aria-pressed", current() === "dark" ? "true" : "false");
    btn.addEventListener("click", function () {
      var next = current() === "dark" ? "light" : "dark";
      root.setAttribute("data-theme", next);
      btn.setAttribute("aria-pressed", next === "dark" ? "true" : "false");
      try { window.localStorage.setItem(key, next); } catch (e) { /* ignore */ }
    });
  });
}());
