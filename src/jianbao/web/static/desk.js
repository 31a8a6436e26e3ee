/* The desk's few behaviours htmx does not cover: copy buttons and clearing the add-URL form. No eval. */
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
