/* The conflict dialog: the file changed on disk after the form was opened, so the save was
   refused; the two versions are compared as the form shows them (the fields that differ, the
   places in the text), with the whole files on request, and the user keeps a copy of theirs,
   reloads, or goes back to the form. */
"use strict";

var DeskConflict = (function () {
  var t = Desk.t, h = Desk.h;

  function versionColumn(title, lines, marked) {
    return h("div", {class: "version"}, h("h3", {text: title}),
      h("ol", {class: "lines"}, lines.map(function (line, index) {
        return h("li", {class: marked.indexOf(index) >= 0 ? "changed" : null, text: line || " "});
      })));
  }

  function differences(body, fieldLabel) {
    var rows = (body.fields || []).map(function (d) {
      return h("tr", {}, h("th", {scope: "row", text: fieldLabel(d.field)}),
               h("td", {class: "theirs", text: d.theirs || t("desk_conflict_absent")}),
               h("td", {class: "mine", text: d.mine || t("desk_conflict_absent")}));
    }).concat((body.body || []).map(function (d) {
      return h("tr", {}, h("th", {scope: "row"}, h("span", {text: t("desk_section_body")}),
                              h("span", {class: "where", text: t("desk_conflict_text_at", {line: d.line})})),
               h("td", {class: "theirs", text: d.theirs || t("desk_conflict_absent")}),
               h("td", {class: "mine", text: d.mine || t("desk_conflict_absent")}));
    }));
    if (!rows.length) { return h("p", {text: t("desk_conflict_same")}); }
    return h("div", {class: "differences"}, h("table", {class: "list compare"},
      h("thead", {}, h("tr", {}, h("th", {scope: "col", text: t("desk_conflict_field")}),
        h("th", {scope: "col", text: t("desk_conflict_theirs")}), h("th", {scope: "col", text: t("desk_conflict_mine")}))),
      h("tbody", {}, rows)));
  }

  /* ctx: kind, name, body (the 409 answer), sent (what the save sent), fieldLabel, reload */
  function show(ctx) {
    var body = ctx.body, sent = ctx.sent;
    var dialog = h("dialog", {class: "dialog conflict", "aria-labelledby": "conflict-heading"});
    function reload() { dialog.close(); ctx.reload(); }
    dialog.appendChild(h("div", {},
      h("h2", {id: "conflict-heading", text: t("desk_conflict_heading")}),
      h("p", {text: t("desk_conflict_intro")}),
      differences(body, ctx.fieldLabel),
      h("details", {class: "whole"}, h("summary", {text: t("desk_conflict_whole")}),
        h("div", {class: "versions"},
          versionColumn(t("desk_conflict_theirs"), body.theirs, body.theirs_changed),
          versionColumn(t("desk_conflict_mine"), body.mine, body.mine_changed))),
      h("div", {class: "buttons"},
        h("button", {type: "button", class: "primary", text: t("desk_conflict_keep"), onclick: function () {
          Desk.api("POST", "copy/" + ctx.kind + "/" + Desk.part(ctx.name), {values: sent.values, body: sent.body}).then(function (answer) {
            if (!answer.ok) { Desk.toast(answer.body.message, "error"); return; }
            reload();
            Desk.toast(answer.body.message);
          });
        }}),
        h("button", {type: "button", text: t("desk_conflict_reload"), onclick: reload}),
        h("button", {type: "button", text: t("desk_conflict_back"), onclick: function () { dialog.close(); }}))));
    dialog.addEventListener("close", function () { dialog.remove(); });
    document.body.appendChild(dialog);
    dialog.showModal();
  }

  return {show: show};
})();
