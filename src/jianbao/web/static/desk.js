/* The desk's few behaviours htmx does not cover: copy buttons, clearing the add-URL form, drag and drop. No eval. */
"use strict";
document.addEventListener("click", function (event) {
  const button = event.target.closest("button.copy");
  if (!button) return;
  const source = document.querySelector(button.dataset.copy);
  if (!source) return;
  navigator.clipboard.writeText(source.value).then(
    function () { flash(button, "已复制"); },
    function () { flash(button, "复制失败"); }
  );
});

function flash(button, text) {
  const old = button.textContent;
  button.textContent = text;
  button.classList.add("copied");
  setTimeout(function () { button.textContent = old; button.classList.remove("copied"); }, 1500);
}

document.addEventListener("htmx:afterRequest", function (event) {
  const form = event.detail.elt;
  if (form && form.matches && form.matches("form.add-url") && event.detail.successful
      && event.detail.xhr.status === 200) {
    form.reset();
  }
});

document.addEventListener("htmx:responseError", function (event) {
  const box = document.getElementById("flash");
  if (box) {
    box.textContent = "请求失败（" + event.detail.xhr.status + "）：" + (event.detail.xhr.responseText || "").slice(0, 200);
    box.className = "flash flash-error";
  }
});

document.addEventListener("htmx:sendError", function () {
  const box = document.getElementById("flash");
  if (box) { box.textContent = "连不上编辑台服务，请检查它是否还在运行。"; box.className = "flash flash-error"; }
});

/* A success note fades after a moment; an error stays until the next action. */
document.addEventListener("htmx:oobAfterSwap", function (event) {
  const box = event.detail.target;
  if (box && box.id === "flash" && box.classList.contains("flash-ok")) {
    clearTimeout(box._hide);
    box._hide = setTimeout(function () { box.className = "flash"; }, 2500);
  }
});

/* Drag and drop on the draft page: items within and across sections, trending rows within their table.
   The dragged card moves in the page while dragging; on drop the whole new order goes to /reorder with
   the version the page was rendered at, and the server's answer replaces the draft. If the server refuses
   (a stale tab, say) the card goes back where it was. The ↑/↓ buttons remain the keyboard's way. */
const drag = { kind: null, el: null, home: null, next: null, before: null };

function cards(container, kind) {
  return Array.from(container.children).filter(function (el) {
    return el.matches(kind === "row" ? "li.trend-row" : "article.item");
  });
}

function orderOf(kind) {
  const root = document.getElementById("draft");
  if (kind === "row") {
    const list = root.querySelector("ol.trend-list");
    return cards(list, "row").map(function (el) { return Number(el.dataset.row); });
  }
  return Array.from(root.querySelectorAll(".draft-section[data-drop=item]")).map(function (section) {
    return [section.dataset.section, cards(section, "item").map(function (el) { return Number(el.dataset.index); })];
  });
}

document.addEventListener("dragstart", function (event) {
  const handle = event.target.closest && event.target.closest("[data-drag]");
  if (!handle) return;
  const kind = handle.dataset.drag;
  const el = handle.closest(kind === "row" ? "li.trend-row" : "article.item");
  if (!el) return;
  drag.kind = kind; drag.el = el; drag.home = el.parentNode; drag.next = el.nextSibling;
  drag.before = JSON.stringify(orderOf(kind));
  event.dataTransfer.effectAllowed = "move";
  event.dataTransfer.setData("text/plain", kind + ":" + (el.dataset.row || el.dataset.index));
  event.dataTransfer.setDragImage(el, 24, 24);
  setTimeout(function () { el.classList.add("is-dragging"); }, 0);
});

document.addEventListener("dragover", function (event) {
  if (!drag.el) return;
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

document.addEventListener("drop", function (event) {
  if (!drag.el) return;
  const zone = event.target.closest && event.target.closest("[data-drop=" + drag.kind + "]");
  if (!zone) return;
  event.preventDefault();
  const kind = drag.kind, el = drag.el, home = drag.home, next = drag.next, before = drag.before;
  const order = orderOf(kind);
  finishDrag();
  if (JSON.stringify(order) === before) return;
  const state = document.getElementById("draft-state");
  const values = { date: state.querySelector("[name=date]").value, format: state.querySelector("[name=format]").value,
                   version: state.querySelector("[name=version]").value };
  values[kind === "row" ? "trending" : "items"] = JSON.stringify(order);
  const headers = JSON.parse(document.body.getAttribute("hx-headers") || "{}");
  htmx.ajax("POST", "/reorder", { source: document.getElementById("draft"), target: "#draft", swap: "outerHTML",
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
