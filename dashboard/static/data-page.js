// The data page: sends an upload with a progress bar, and follows a batch being checked or published.
// Without this script the forms still work (the upload answers with a redirect); the limits come from the
// page's data attributes, which the server fills from its configuration.
(function () {
  "use strict";

  function showError(form, text) {
    var box = form.parentNode.querySelector(".data-upload-error");
    if (!box) {
      box = document.createElement("div");
      box.className = "admin-message admin-error data-upload-error";
      box.setAttribute("role", "alert");
      form.parentNode.insertBefore(box, form);
    }
    box.textContent = text;
  }

  function setupDrop(form) {
    var drop = form.querySelector(".data-drop");
    var input = form.querySelector("input[type=file]");
    var label = form.querySelector(".data-drop-text");
    if (!drop || !input) return;
    var original = label.textContent;
    function shown() {
      label.textContent = input.files.length ? "已选择：" + input.files[0].name : original;
      drop.classList.toggle("has-file", input.files.length > 0);
    }
    input.addEventListener("change", shown);
    ["dragenter", "dragover"].forEach(function (name) {
      drop.addEventListener(name, function (event) {
        event.preventDefault();
        drop.classList.add("is-over");
      });
    });
    ["dragleave", "drop"].forEach(function (name) {
      drop.addEventListener(name, function () { drop.classList.remove("is-over"); });
    });
    drop.addEventListener("drop", function (event) {
      event.preventDefault();
      if (event.dataTransfer && event.dataTransfer.files.length) {
        input.files = event.dataTransfer.files;
        shown();
      }
    });
  }

  function setupUpload(form) {
    setupDrop(form);
    var limit = parseInt(form.getAttribute("data-max-bytes"), 10);
    var progress = form.querySelector(".data-progress");
    var bar = progress.querySelector("progress");
    var text = progress.querySelector(".data-progress-text");
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var input = form.querySelector("input[type=file]");
      if (!input.files.length) {
        showError(form, "请选择要上传的文件");
        return;
      }
      if (input.files[0].size > limit) {
        showError(form, "文件超过 " + form.getAttribute("data-max-mb") + " MB 的大小上限，请拆分后再上传");
        return;
      }
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.getAttribute("action"));
      xhr.setRequestHeader("X-Requested-With", "XMLHttpRequest");
      progress.hidden = false;
      bar.value = 0;
      text.textContent = "正在上传……";
      form.querySelector("button[type=submit]").disabled = true;
      xhr.upload.addEventListener("progress", function (e) {
        if (e.lengthComputable) {
          bar.value = Math.round((e.loaded / e.total) * 100);
          text.textContent = "正在上传 " + bar.value + "%";
        }
      });
      xhr.addEventListener("load", function () {
        var body = null;
        try { body = JSON.parse(xhr.responseText); } catch (ignored) { body = null; }
        if (xhr.status === 202 && body && body.url) {
          text.textContent = "上传完成，正在检查……";
          window.location.assign(body.url);
          return;
        }
        form.querySelector("button[type=submit]").disabled = false;
        progress.hidden = true;
        showError(form, (body && body.error) || "上传失败（" + xhr.status + "），请稍后重试");
      });
      xhr.addEventListener("error", function () {
        form.querySelector("button[type=submit]").disabled = false;
        progress.hidden = true;
        showError(form, "上传中断：请检查网络后重试");
      });
      xhr.send(new FormData(form));
    });
  }

  function follow(summary) {
    var statusUrl = summary.getAttribute("data-status");
    var bar = summary.querySelector(".data-progress progress");
    var text = summary.querySelector(".data-progress-text");
    function poll() {
      var xhr = new XMLHttpRequest();
      xhr.open("GET", statusUrl);
      xhr.addEventListener("load", function () {
        var body = null;
        try { body = JSON.parse(xhr.responseText); } catch (ignored) { body = null; }
        if (!body || xhr.status !== 200) {
          window.setTimeout(poll, 3000);
          return;
        }
        bar.value = body.progress;
        text.textContent = body.step;
        if (body.running) {
          window.setTimeout(poll, 1000);
        } else {
          window.location.replace(window.location.pathname);
        }
      });
      xhr.addEventListener("error", function () { window.setTimeout(poll, 3000); });
      xhr.send();
    }
    window.setTimeout(poll, 700);
  }

  function start() {
    var form = document.querySelector("form.data-upload");
    if (form) setupUpload(form);
    var summary = document.querySelector(".data-summary[data-running='1']");
    if (summary) follow(summary);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
