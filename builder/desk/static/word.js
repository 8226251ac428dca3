/* Word, WPS and web pages: formatted text pasted into the body is converted on the server into
   clean Markdown (the same conversion as `showcase import`), pictures it carries become photos of
   the case; a picture pasted alone is uploaded as a photo; and the 导入 Word 文档 button makes a
   new draft case from a .docx. */
"use strict";

var DeskPaste = (function () {
  var t = Desk.t;

  function handle(event, area, kind, name, photos, changed) {
    var clipboard = event.clipboardData;
    if (!clipboard) { return; }
    var html = clipboard.getData("text/html");
    var pictures = Array.prototype.filter.call(clipboard.files || [], function (f) { return /^image\//.test(f.type); });
    var start = area.selectionStart, end = area.selectionEnd;
    function put(text) {
      area.focus();
      area.setSelectionRange(start, end);
      DeskEditor.insertText(area, text);
    }
    if (html && html.trim()) {
      event.preventDefault();
      Desk.toast(t("desk_paste_converting"));
      Desk.api("POST", "paste/" + kind + "/" + Desk.part(name), {html: html}).then(function (answer) {
        if (!answer.ok) { Desk.toast(answer.body.message, "error"); return; }
        put(answer.body.markdown);
        if (answer.body.photos.length && photos) { photos.add(answer.body.photos); }
        if (answer.body.message) { Desk.toast(answer.body.message, "error"); }
        else if (answer.body.photos.length) { Desk.toast(t("desk_paste_photos", {count: answer.body.photos.length})); }
        else { Desk.toast(t("desk_paste_done")); }
        changed();
      });
    } else if (pictures.length && photos) {
      event.preventDefault();
      photos.upload(pictures).then(function (names) {
        var text = names.filter(Boolean).map(function (n) { return "![](" + encodeURI(n) + ")"; }).join("\n\n");
        if (text) { put("\n\n" + text + "\n\n"); changed(); }
      });
    }
  }

  return {handle: handle};
})();

var DeskImport = (function () {
  var t = Desk.t, h = Desk.h, add = Desk.add, clear = Desk.clear;

  function button() {
    return h("button", {type: "button", text: t("desk_import_word"), onclick: open});
  }

  function open() {
    Desk.api("GET", "list").then(function (answer) { dialog(answer.body.options || {}); });
  }

  function dialog(options) {
    var file = h("input", {type: "file", accept: ".docx,.doc,.wps,application/vnd.openxmlformats-officedocument.wordprocessingml.document", required: true});
    var site = Desk.select((options.sites || []).map(function (s) { return {value: s.value, label: s.label}; }), "", t("desk_import_site_auto"));
    var category = Desk.select((options.categories || []).map(function (c) { return {value: c, label: c}; }), "", t("desk_import_category_auto"));
    var status = h("div", {class: "dialog-errors", role: "alert"});
    var box = h("dialog", {class: "dialog", "aria-labelledby": "import-heading"});
    var submit = h("button", {type: "submit", class: "primary", text: t("desk_import_submit")});
    var form = h("form", {method: "dialog"},
      h("h2", {id: "import-heading", text: t("desk_import_heading")}),
      h("p", {class: "note", text: t("desk_import_intro")}),
      Desk.field("import-file", t("desk_import_file"), file),
      Desk.field("import-site", t("desk_field_site"), site),
      Desk.field("import-category", t("desk_field_category"), category),
      status,
      h("div", {class: "buttons"}, submit,
        h("button", {type: "button", text: t("desk_cancel"), onclick: function () { box.close(); }})));
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (!file.files.length) { return; }
      var chosen = file.files[0];
      clear(status);
      add(status, h("p", {class: "working", text: t("desk_import_working")}));
      submit.disabled = true;
      var xhr = new XMLHttpRequest();
      xhr.open("POST", Desk.data.prefix + "api/import?name=" + encodeURIComponent(chosen.name) +
               "&site=" + encodeURIComponent(site.value) + "&category=" + encodeURIComponent(category.value));
      xhr.setRequestHeader("X-Showcase-Token", Desk.data.token);
      xhr.addEventListener("load", function () {
        submit.disabled = false;
        var answer = {};
        try { answer = JSON.parse(xhr.responseText); } catch (e) { answer = {message: t("desk_error_unknown")}; }
        clear(status);
        if (xhr.status !== 200) {
          add(status, h("p", {text: answer.message}), Desk.problemList(answer.problems));
          if (answer.ask_site || answer.ask_category) { add(status, h("p", {text: t("desk_import_pick")})); }
          (answer.ask_site ? site : answer.ask_category ? category : file).focus();
          return;
        }
        sessionStorage.setItem("showcase-imported", JSON.stringify({name: answer.name, message: answer.message,
                                                                   guesses: answer.guesses, warnings: answer.warnings}));
        box.close();
        Desk.go("case/" + Desk.part(answer.name));
      });
      xhr.addEventListener("error", function () { submit.disabled = false; clear(status); add(status, h("p", {text: t("desk_error_offline")})); });
      xhr.send(chosen);
    });
    box.appendChild(form);
    box.addEventListener("close", function () { box.remove(); });
    document.body.appendChild(box);
    box.showModal();
  }

  /* What the import guessed, shown once at the top of the new case's form. */
  function notes(name) {
    var saved = sessionStorage.getItem("showcase-imported");
    if (!saved) { return null; }
    var data = JSON.parse(saved);
    if (data.name !== name) { return null; }
    sessionStorage.removeItem("showcase-imported");
    var box = h("div", {class: "import-notes", role: "status"},
      h("p", {class: "lead", text: data.message}),
      h("p", {text: t("desk_import_check")}),
      h("ul", {}, (data.guesses || []).map(function (g) { return h("li", {text: g}); })),
      data.warnings && data.warnings.length ? [h("p", {text: t("desk_import_warnings")}), Desk.problemList(data.warnings)] : null,
      h("button", {type: "button", class: "small", text: t("desk_close"), onclick: function () { box.remove(); }}));
    return box;
  }

  return {button: button, notes: notes};
})();
