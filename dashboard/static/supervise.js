/* The follow-up pages (dashboard/pages/supervise): a reply whose attachments are too many or too large is stopped
 * here, before it is sent, so the text typed stays in the form (the server refuses it too, with a 413 that would
 * leave the page). The limits come from the form's data attributes, set from the server's settings. */
(function () {
  "use strict";
  function check(form) {
    var input = form.querySelector('input[type="file"]');
    if (!input || !input.files) { return ""; }
    var most = Number(form.dataset.maxFiles), bytes = Number(form.dataset.maxBytes);
    if (input.files.length > most) { return "一次回复最多附 " + most + " 个文件，当前 " + input.files.length + " 个"; }
    for (var i = 0; i < input.files.length; i++) {
      if (input.files[i].size > bytes) {
        return "附件“" + input.files[i].name + "”超过 " + form.dataset.maxMb + " MB 的大小上限，请压缩或拆分后再上传。";
      }
    }
    return "";
  }
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-max-bytes]")) { return; }
    var problem = check(form);
    var note = form.querySelector(".supervise-file-error");
    if (note) { note.textContent = problem; note.hidden = !problem; }
    if (problem) { event.preventDefault(); }
  });
})();
