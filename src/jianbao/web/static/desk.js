/* The desk's behaviours htmx does not cover: rich copy, flash and undo, bulk selection, the compact list,
   drag and drop (with auto-scroll), the keyboard, and the shortcut sheet. No eval, no inline script. */
"use strict";

/* ------------------------------------------------------------------------------------------ copy
   WeChat's editor keeps formatting only from text/html on the clipboard, so the WeChat HTML goes there (its
   <body>, inline styles and all) with a plain-text fallback, as mdnice does; other outputs are plain text. */
function plainText(body) {
  const blocks = body.querySelectorAll("h1, h2, h3, h4, h5, h6, p, li, blockquote, pre, tr, hr, section");
  blocks.forEach(function (el) { el.appendChild(body.ownerDocument.createTextNode("\n")); });
  return body.textContent.replace(/\n{3,}/g, "\n\n").trim() + "\n";
}

function copyFlavours(flavours) {
  if (navigator.clipboard && window.ClipboardItem) {
    const item = {};
    Object.keys(flavours).forEach(function (type) { item[type] = new Blob([flavours[type]], { type: type }); });
    return navigator.clipboard.write([new ClipboardItem(item)]).catch(function () { return copyByEvent(flavours); });
  }
  return copyByEvent(flavours);
}

function copyByEvent(flavours) {
  /* Where the async clipboard is missing or refused: a copy command whose event carries every flavour. */
  return new Promise(function (resolve, reject) {
    function fill(event) {
      Object.keys(flavours).forEach(function (type) { event.clipboardData.setData(type, flavours[type]); });
      event.preventDefault();
    }
    document.addEventListener("copy", fill);
    const ok = document.execCommand("copy");
    document.removeEventListener("copy", fill);
    if (ok) { resolve(); } else { reject(new Error("copy refused")); }
  });
}

document.addEventListener("click", function (event) {
  const button = event.target.closest("button.copy");
  if (!button) return;
  const source = document.querySelector(button.dataset.copy);
  if (!source) return;
  let flavours = { "text/plain": source.value };
  if (button.hasAttribute("data-copy-html")) {
    const doc = new DOMParser().parseFromString(source.value, "text/html");
    flavours = { "text/html": doc.body.innerHTML, "text/plain": plainText(doc.body.cloneNode(true)) };
  }
  copyFlavours(flavours).then(
    function () { note(button, button.hasAttribute("data-copy-html") ? "已复制（带格式）" : "已复制"); },
    function () { note(button, "复制失败"); }
  );
});

function note(button, text) {
  const old = button.dataset.label || button.textContent;
  button.dataset.label = old;
  button.textContent = text;
  button.classList.add("copied");
  setTimeout(function () { button.textContent = old; button.classList.remove("copied"); }, 1600);
}

/* ------------------------------------------------------------------------------- flash and errors */
document.addEventListener("htmx:afterRequest", function (event) {
  const form = event.detail.elt;
  if (form && form.matches && form.matches("form.add-url") && event.detail.successful
      && event.detail.xhr.status === 200) {
    form.reset();
  }
});

function showError(text) {
  const box = document.getElementById("flash");
  if (!box) return;
  box.innerHTML = "";
  const span = document.createElement("span");
  span.className = "flash-text";
  span.textContent = text;
  box.appendChild(span);
  box.className = "flash flash-error";
}

document.addEventListener("htmx:responseError", function (event) {
  showError("请求失败（" + event.detail.xhr.status + "）：" + (event.detail.xhr.responseText || "").slice(0, 200));
});

document.addEventListener("htmx:sendError", function () {
  showError("连不上编辑台服务，请检查它是否还在运行。");
});

/* A success note fades after a moment (one with an undo stays longer, and its undo stays reachable with u);
   an error stays until the next action. */
document.addEventListener("htmx:oobAfterSwap", function (event) {
  const box = event.detail.target;
  if (box && box.id === "flash" && box.classList.contains("flash-ok")) {
    clearTimeout(box._hide);
    box._hide = setTimeout(function () { box.classList.remove("flash-ok"); }, box.classList.contains("has-undo") ? 9000 : 2500);
  }
});

/* -------------------------------------------------------------------------- proposals (new text) */
document.addEventListener("click", function (event) {
  const dismiss = event.target.closest("[data-dismiss]");
  if (!dismiss) return;
  const slot = dismiss.closest(".proposal-slot");
  if (slot) slot.innerHTML = "";
});

/* ------------------------------------------------------------------------------- bulk selection */
function bulkUpdate() {
  let any = false;
  document.querySelectorAll("[data-bulk]").forEach(function (bar) {
    const scope = bar.closest("#candidate-list, #draft") || document;
    const count = scope.querySelectorAll(".sel:checked").length;
    bar.hidden = count === 0;
    const shown = bar.querySelector("[data-bulk-count]");
    if (shown) shown.textContent = String(count);
    any = any || count > 0;
  });
  document.body.classList.toggle("has-bulk", any);
}

document.addEventListener("change", function (event) {
  if (event.target.matches && event.target.matches(".sel")) bulkUpdate();
});
document.addEventListener("click", function (event) {
  const clear = event.target.closest("[data-bulk-clear]");
  if (!clear) return;
  const scope = clear.closest("#candidate-list, #draft") || document;
  scope.querySelectorAll(".sel:checked").forEach(function (box) { box.checked = false; });
  bulkUpdate();
});
document.addEventListener("htmx:afterSettle", bulkUpdate);

/* ---------------------------------------------------------------------------------- compact list */
function setCompact(on) {
  document.documentElement.classList.toggle("compact", on);
  document.cookie = "desk_compact=" + (on ? "1" : "0") + "; path=/; max-age=31536000; SameSite=Strict";
  document.querySelectorAll("[data-compact]").forEach(function (b) { b.setAttribute("aria-pressed", on ? "true" : "false"); });
}
document.addEventListener("click", function (event) {
  if (event.target.closest("[data-compact]")) setCompact(!document.documentElement.classList.contains("compact"));
});
document.addEventListener("DOMContentLoaded", function () {
  const on = document.documentElement.classList.contains("compact");
  document.querySelectorAll("[data-compact]").forEach(function (b) { b.setAttribute("aria-pressed", on ? "true" : "false"); });
  bulkUpdate();
});

/* ------------------------------------------------------------------------------- drag and drop
   Items within and across sections, 其他 links within their list, trending rows within their table. The
   dragged card moves in the page while dragging, and the page scrolls when the pointer nears its top or
   bottom edge, so a card can travel further than one screen. On drop the whole new order goes to the server
   with the version the page was rendered at, and its answer replaces the draft; if it refuses (a stale tab,
   say) the card goes back where it was. The ↑/↓ buttons and J/K remain the keyboard's way. */
const DRAG = {
  item: { card: "article.item", post: "/reorder", field: "items" },
  row: { card: "li.trend-row", post: "/reorder", field: "trending" },
  other: { card: "li.other-row", post: "/other/reorder", field: "order" },
};
const drag = { kind: null, el: null, home: null, next: null, before: null, y: 0, frame: 0 };
const EDGE = 90; /* px from the window's edge where auto-scroll starts */

function cards(container, kind) {
  return Array.from(container.children).filter(function (el) { return el.matches(DRAG[kind].card); });
}

function orderOf(kind) {
  const root = document.getElementById("draft");
  if (kind === "item") {
    return Array.from(root.querySelectorAll(".draft-section[data-drop=item]")).map(function (section) {
      return [section.dataset.section, cards(section, "item").map(function (el) { return Number(el.dataset.index); })];
    });
  }
  const list = root.querySelector("[data-drop=" + kind + "]");
  return cards(list, kind).map(function (el) { return Number(kind === "row" ? el.dataset.row : el.dataset.other); });
}

function autoScroll() {
  if (!drag.el) { drag.frame = 0; return; }
  let step = 0;
  if (drag.y < EDGE) step = -Math.ceil((EDGE - drag.y) / 4);
  else if (drag.y > window.innerHeight - EDGE) step = Math.ceil((drag.y - (window.innerHeight - EDGE)) / 4);
  if (step) window.scrollBy(0, step);
  drag.frame = requestAnimationFrame(autoScroll);
}

document.addEventListener("dragstart", function (event) {
  const handle = event.target.closest && event.target.closest("[data-drag]");
  if (!handle) return;
  const kind = handle.dataset.drag;
  const el = handle.closest(DRAG[kind].card);
  if (!el) return;
  drag.kind = kind; drag.el = el; drag.home = el.parentNode; drag.next = el.nextSibling;
  drag.before = JSON.stringify(orderOf(kind));
  drag.y = event.clientY;
  event.dataTransfer.effectAllowed = "move";
  event.dataTransfer.setData("text/plain", kind + ":" + (el.dataset.row || el.dataset.other || el.dataset.index));
  event.dataTransfer.setDragImage(el, 24, 24);
  setTimeout(function () { el.classList.add("is-dragging"); }, 0);
  if (!drag.frame) drag.frame = requestAnimationFrame(autoScroll);
});

document.addEventListener("dragover", function (event) {
  if (!drag.el) return;
  drag.y = event.clientY;
  const zone = event.target.closest && event.target.closest("[data-drop=" + drag.kind + "]");
  if (!zone) return;
  event.preventDefault();
  event.dataTransfer.dropEffect = "move";
  const after = cards(zone, drag.kind).find(function (el) {
    if (el === drag.el) return false;
    const box = el.getBoundingClientRect();
    return event.clientY < box.top + box.height / 2;
  });
  const anchor = after || zone.querySelector(":scope > .drop-hint") || null;
  if (drag.el.parentNode !== zone || drag.el.nextElementSibling !== anchor) zone.insertBefore(drag.el, anchor);
});

function stateValues() {
  const state = document.getElementById("draft-state");
  return { date: state.querySelector("[name=date]").value, format: state.querySelector("[name=format]").value,
           version: state.querySelector("[name=version]").value };
}

document.addEventListener("drop", function (event) {
  if (!drag.el) return;
  const zone = event.target.closest && event.target.closest("[data-drop=" + drag.kind + "]");
  if (!zone) return;
  event.preventDefault();
  const kind = drag.kind, el = drag.el, home = drag.home, next = drag.next, before = drag.before;
  const order = orderOf(kind);
  finishDrag();
  if (JSON.stringify(order) === before) return;
  const values = stateValues();
  values[DRAG[kind].field] = JSON.stringify(order);
  const headers = JSON.parse(document.body.getAttribute("hx-headers") || "{}");
  htmx.ajax("POST", DRAG[kind].post, { source: document.getElementById("draft"), target: "#draft", swap: "outerHTML",
                                       values: values, headers: headers }).then(function () {
    if (document.body.contains(el)) home.insertBefore(el, next && next.parentNode === home ? next : null);
  });
});

function finishDrag() {
  if (drag.el) drag.el.classList.remove("is-dragging");
  drag.kind = null; drag.el = null;
}

document.addEventListener("dragend", function () {
  /* Dropped outside any zone: put the card back where it came from. */
  if (drag.el) {
    drag.home.insertBefore(drag.el, drag.next && drag.next.parentNode === drag.home ? drag.next : null);
    finishDrag();
  }
});

/* ------------------------------------------------------------------------------------- keyboard
   j/k walk the page's cards (candidates, items, 其他 links, trending rows, versions); the other keys act on
   the current one through its own buttons, so a key does exactly what a click does. "?" lists them. */
const CARDS = ".cand, #draft article.item, #draft li.other-row, #draft li.trend-row, .version-row";
const kb = { id: null, pos: -1, follow: null };

function visibleCards() {
  return Array.from(document.querySelectorAll(CARDS)).filter(function (el) { return el.offsetParent !== null; });
}

function current() {
  const all = visibleCards();
  let el = kb.id ? document.getElementById(kb.id) : null;
  if (!el || el.offsetParent === null) el = kb.pos >= 0 ? all[Math.min(kb.pos, all.length - 1)] : null;
  return el || null;
}

function select(el, quiet) {
  document.querySelectorAll(".is-current").forEach(function (old) { old.classList.remove("is-current"); });
  if (!el) return;
  el.classList.add("is-current");
  kb.id = el.id; kb.pos = visibleCards().indexOf(el);
  if (quiet) return;
  el.focus({ preventScroll: true });
  el.scrollIntoView({ block: "nearest" });
}

function step(delta) {
  const all = visibleCards();
  if (!all.length) return;
  const here = current();
  const at = here ? all.indexOf(here) : -1;
  select(all[Math.max(0, Math.min(all.length - 1, at < 0 ? 0 : at + delta))]);
}

function press(el, selector) {
  if (!el) return false;
  const button = Array.from(el.querySelectorAll(selector)).find(function (b) {
    return b.offsetParent !== null && !b.disabled;
  });
  if (!button) return false;
  button.click();
  return true;
}

function moveCurrent(direction) {
  const el = current();
  if (!el) return;
  const id = el.id.match(/^(\w+-)(\d+)$/);
  const selector = "button[hx-post$='/move'][hx-vals*='\"" + direction + "\"']";
  if (press(el, selector) && id) kb.follow = id[1] + (Number(id[2]) + (direction === "down" ? 1 : -1));
}

document.addEventListener("htmx:afterSettle", function () {
  if (kb.follow) { kb.id = kb.follow; kb.follow = null; }
  const el = current();
  /* keep the keyboard's place across a swap, without taking the focus from a field the editor is in */
  if (el && kb.pos >= 0) select(el, typing(document.activeElement || document.body));
});

function typing(target) {
  return target.closest && target.closest("input, textarea, select, [contenteditable]") !== null;
}

const KEYS = {
  j: function () { step(1); },
  k: function () { step(-1); },
  x: function () { const el = current(); const box = el && el.querySelector(".sel"); if (box) { box.click(); } },
  p: function () { press(current(), "[data-key=p]"); },
  d: function () { press(current(), "[data-key=d]"); },
  r: function () { press(current(), "[data-key=r]"); },
  J: function () { moveCurrent("down"); },
  K: function () { moveCurrent("up"); },
  o: function () {
    const el = current(); const link = el && el.querySelector("a.title, a.domain, a.repo, a[href^='http']");
    if (link) window.open(link.href, "_blank", "noopener,noreferrer");
  },
  e: function () {
    const el = current(); const field = el && el.querySelector("textarea.field-summary, input.field-title, input.field-other, input.field-desc");
    if (field) { field.focus(); }
  },
  u: function () { const undo = document.querySelector("#flash [data-undo]"); if (undo) undo.click(); },
  c: function () { setCompact(!document.documentElement.classList.contains("compact")); },
  "/": function () { const box = document.querySelector("input[type=search]"); if (box) box.focus(); },
  "?": function () { const sheet = document.getElementById("keys"); if (sheet && !sheet.open) sheet.showModal(); },
};
KEYS.Enter = KEYS.e;

document.addEventListener("keydown", function (event) {
  if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === "s") {
    /* Save now: leaving the field fires its change, which autosaves it. */
    event.preventDefault();
    const field = document.activeElement;
    if (field && typing(field)) { field.blur(); field.focus(); }
    return;
  }
  if (event.key === "Escape" && typing(event.target)) { event.target.blur(); return; }
  if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
  if (document.querySelector("dialog[open]")) return;
  if (/^[1-6]$/.test(event.key)) {
    const tab = document.querySelector(".tabs a[data-key='" + event.key + "']");
    if (tab) { event.preventDefault(); window.location.href = tab.href; }
    return;
  }
  const run = Object.prototype.hasOwnProperty.call(KEYS, event.key) ? KEYS[event.key] : null;
  if (!run) return;
  if ((event.key === "Enter") && event.target.closest("button, a")) return;
  event.preventDefault();
  run();
});

document.addEventListener("click", function (event) {
  if (event.target.closest("[data-help]")) KEYS["?"]();
  const card = event.target.closest(CARDS);
  if (card) select(card, event.target.closest("button, a, input, textarea, select") !== null);
});
