// Offline search over window.JIANBAO_INDEX: case-insensitive substring match of every word of the query
// (works for Chinese like 开源 and Latin like StyleCLIP); results are built with textContent, never innerHTML.
(function () {
  "use strict";
  var index = window.JIANBAO_INDEX || [];
  var input = document.getElementById("q");
  var list = document.getElementById("results");
  var count = document.getElementById("count");
  var LIMIT = 200;
  var hay = index.map(function (r) {
    return [r.t, r.s, r.c, r.g || "", r.l || "", r.m || "", r.d].join(" \u0001 ").toLowerCase();
  });

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text) node.textContent = text;
    return node;
  }

  function safeExternal(url) {
    return /^https?:\/\//i.test(url || "") ? url : "";
  }

  function run() {
    var query = input.value.trim().toLowerCase();
    list.textContent = "";
    if (!query) {
      count.textContent = "共 " + index.length + " 条可搜索（期与条目）。";
      return;
    }
    var words = query.split(/\s+/);
    var hits = [];
    for (var i = 0; i < index.length; i++) {
      var h = hay[i];
      var ok = true;
      for (var j = 0; j < words.length && ok; j++) ok = h.indexOf(words[j]) !== -1;
      if (ok) hits.push(index[i]);
    }
    count.textContent = hits.length ? "找到 " + hits.length + " 条" + (hits.length > LIMIT ? "，显示前 " + LIMIT + " 条" : "") : "没有找到。";
    hits.slice(0, LIMIT).forEach(function (r) {
      var li = el("li", "hit");
      var date = el("a", "date", r.d);
      date.href = r.u;
      li.appendChild(date);
      var external = safeExternal(r.x);
      var title = el("a", "title", r.t);
      title.href = r.k === "item" && external ? external : r.u;
      if (title.href !== r.u) title.rel = "noopener noreferrer";
      li.appendChild(title);
      if (r.k === "issue") li.appendChild(el("span", "kind", "整期"));
      var meta = [r.c, r.s, r.g].filter(Boolean).join(" · ");
      if (meta) li.appendChild(el("span", "meta", meta));
      if (r.m) li.appendChild(el("span", "meta snippet", r.m));
      list.appendChild(li);
    });
  }

  var initial = new URLSearchParams(window.location.search).get("q");
  if (initial) input.value = initial;
  input.addEventListener("input", run);
  input.form.addEventListener("submit", function (event) {
    event.preventDefault();
    run();
  });
  run();
  input.focus();
})();
