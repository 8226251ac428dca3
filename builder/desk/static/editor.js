/* The body editor: a plain text area for Markdown with a toolbar that writes the Markdown for
   the user (headings, bold, lists, quotes, a table, links, photos), and beside it the body as
   the site shows it, rendered by the server with the build's own Markdown, in a sandboxed frame
   (no script of any kind runs in it). */
"use strict";

var DeskEditor = (function () {
  var t = Desk.t, h = Desk.h;

  function insertText(area, text) {
    area.focus();
    // execCommand keeps the browser's undo (Ctrl+Z) working; setRangeText where it is gone.
    if (!document.execCommand || !document.execCommand("insertText", false, text)) {
      area.setRangeText(text, area.selectionStart, area.selectionEnd, "end");
      area.dispatchEvent(new Event("input", {bubbles: true}));
    }
  }

  function lineBounds(area) {
    var value = area.value;
    var start = value.lastIndexOf("\n", area.selectionStart - 1) + 1;
    var end = value.indexOf("\n", area.selectionEnd);
    if (end < 0) { end = value.length; }
    if (area.selectionEnd > area.selectionStart && value[area.selectionEnd - 1] === "\n") { end = area.selectionEnd - 1; }
    return [start, end];
  }

  function prefixLines(area, prefix, pattern) {
    var bounds = lineBounds(area);
    var lines = area.value.slice(bounds[0], bounds[1]).split("\n");
    var all = lines.every(function (line) { return pattern.test(line); });
    var changed = lines.map(function (line) {
      if (all) { return line.replace(pattern, ""); }
      return line.trim() ? prefix + line.replace(pattern, "") : line;
    }).join("\n");
    area.setSelectionRange(bounds[0], bounds[1]);
    insertText(area, changed);
    area.setSelectionRange(bounds[0], bounds[0] + changed.length);
  }

  function wrap(area, before, after, placeholder) {
    var start = area.selectionStart, end = area.selectionEnd;
    var selected = area.value.slice(start, end) || placeholder;
    insertText(area, before + selected + after);
    area.setSelectionRange(start + before.length, start + before.length + selected.length);
  }

  function ensureBlock(area, text) {
    // A block (table, photo) starts on a line of its own, with an empty line around it; it goes
    // after the line the cursor is on (never over a selection, never splitting a line), or at the
    // end when the user has not been in the text yet.
    var at = area.value.length;
    if (area.dataset.visited) {
      at = area.value.indexOf("\n", area.selectionEnd);
      if (at < 0) { at = area.value.length; }
    }
    area.focus();
    area.setSelectionRange(at, at);
    var before = area.value.slice(0, at);
    var lead = before === "" ? "" : before.slice(-2) === "\n\n" ? "" : before.slice(-1) === "\n" ? "\n" : "\n\n";
    insertText(area, lead + text + "\n\n");
  }

  var ACTIONS = [
    ["heading", "desk_tool_heading", function (area) { prefixLines(area, "## ", /^#{1,6}\s+/); }],
    ["bold", "desk_tool_bold", function (area) { wrap(area, "**", "**", t("desk_tool_bold_text")); }],
    ["list", "desk_tool_list", function (area) { prefixLines(area, "- ", /^\s*[-*+]\s+/); }],
    ["quote", "desk_tool_quote", function (area) { prefixLines(area, "> ", /^>\s?/); }],
    ["table", "desk_tool_table", function (area) {
      var head = "| " + t("desk_tool_table_col", {n: 1}) + " | " + t("desk_tool_table_col", {n: 2}) + " | " + t("desk_tool_table_col", {n: 3}) + " |";
      ensureBlock(area, head + "\n| --- | --- | --- |\n|  |  |  |\n|  |  |  |");
    }],
    ["link", "desk_tool_link", null],
    ["image", "desk_tool_image", null]
  ];

  function create(options) {
    var area = h("textarea", {id: "field-body", class: "body-text", spellcheck: "false", "aria-describedby": "body-note"});
    area.value = options.value || "";
    // No script runs in the frame (no allow-scripts); allow-same-origin only lets this page scroll
    // it along with the text.
    var frame = h("iframe", {class: "preview-frame", sandbox: "allow-same-origin", title: t("desk_preview_title"), tabindex: "-1"});
    var toolbar = h("div", {class: "toolbar", role: "toolbar", "aria-label": t("desk_toolbar_label"), "aria-controls": "field-body"},
      ACTIONS.filter(function (action) { return action[0] !== "image" || options.pickPhoto; }).map(function (action) {
        return h("button", {type: "button", class: "tool tool-" + action[0], text: t(action[1]), title: t(action[1] + "_title"),
          onclick: function () {
            if (action[0] === "link") { linkDialog(area); }
            else if (action[0] === "image") { options.pickPhoto(function (markdown) { area.focus(); ensureBlock(area, markdown); }); }
            else { action[2](area); }
          }});
      }));
    ["focus", "mouseup", "keyup"].forEach(function (name) {
      area.addEventListener(name, function () { area.dataset.visited = "1"; });
    });
    area.addEventListener("keydown", function (event) {
      if ((event.ctrlKey || event.metaKey) && !event.shiftKey && !event.altKey && event.key.toLowerCase() === "b") {
        event.preventDefault();
        ACTIONS[1][2](area);
      }
    });
    if (options.onPaste) { area.addEventListener("paste", function (event) { options.onPaste(event, area); }); }
    var element = h("div", {class: "editor"}, toolbar,
      h("div", {class: "panes"},
        h("div", {class: "pane"}, area),
        h("div", {class: "pane preview", role: "region", "aria-label": t("desk_preview_title")}, frame)));

    function ratio() {
      var room = area.scrollHeight - area.clientHeight;
      return room > 0 ? area.scrollTop / room : 0;
    }
    function follow() {
      var page = frame.contentDocument && frame.contentDocument.scrollingElement;
      if (page) { page.scrollTop = ratio() * (page.scrollHeight - page.clientHeight); }
    }
    area.addEventListener("scroll", follow);
    frame.addEventListener("load", follow);

    function setPreview(html) {
      frame.srcdoc = '<!doctype html><html lang="' + (Desk.data.lang === "en" ? "en" : "zh-CN") + '"><head><meta charset="utf-8">' +
        '<link rel="stylesheet" href="' + Desk.data.prefix + 'api/theme.css">' +
        '<style>body{margin:0;padding:12px 16px;background:#fff}.prose img{max-width:100%;height:auto}</style>' +
        '</head><body><article class="case"><div class="prose">' + html + "</div></article></body></html>";
    }

    return {element: element, area: area, setPreview: setPreview,
            insert: function (text) { ensureBlock(area, text); }, insertText: function (text) { insertText(area, text); }};
  }

  function linkDialog(area) {
    var start = area.selectionStart, end = area.selectionEnd;
    var words = h("input", {type: "text", id: "link-text", value: area.value.slice(start, end)});
    var address = h("input", {type: "url", id: "link-url", placeholder: "https://", required: true});
    var dialog = h("dialog", {class: "dialog", "aria-labelledby": "link-heading"});
    var form = h("form", {method: "dialog"},
      h("h2", {id: "link-heading", text: t("desk_tool_link")}),
      Desk.field("link-text", t("desk_link_text"), words),
      Desk.field("link-url", t("desk_link_url"), address, t("desk_link_note")),
      h("div", {class: "buttons"}, h("button", {type: "submit", class: "primary", text: t("desk_insert")}),
        h("button", {type: "button", text: t("desk_cancel"), onclick: function () { dialog.close(); }})));
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var url = address.value.trim();
      if (!/^(https?:\/\/|mailto:|\/)/i.test(url)) { address.setCustomValidity(t("desk_link_bad")); address.reportValidity(); return; }
      dialog.close();
      area.focus();
      area.setSelectionRange(start, end);
      insertText(area, "[" + (words.value.trim() || url) + "](" + url.replace(/[()\s]/g, encodeURIComponent) + ")");
    });
    address.addEventListener("input", function () { address.setCustomValidity(""); });
    dialog.appendChild(form);
    dialog.addEventListener("close", function () { dialog.remove(); });
    document.body.appendChild(dialog);
    dialog.showModal();
  }

  return {create: create, insertText: insertText};
})();
