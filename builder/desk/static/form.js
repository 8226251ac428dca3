/* The form of one case, model site or page: labelled fields, the body editor, the photos, the
   review, problems beside their fields as the user types, saving (Ctrl+S too), the conflict
   dialog when the file changed on disk meanwhile, and a prompt before unsaved changes are lost. */
"use strict";

var DeskForm = (function () {
  var t = Desk.t, h = Desk.h, add = Desk.add, clear = Desk.clear, api = Desk.api;
  var BOOL_LABEL = {draft: "desk_field_draft_box", featured: "desk_field_featured_box"};

  function show(main, kind, name) {
    add(main, h("p", {class: "loading", text: t("desk_loading")}));
    api("GET", "doc/" + kind + "/" + Desk.part(name)).then(function (answer) {
      clear(main);
      if (!answer.ok) {
        add(main, h("h1", {text: t("desk_not_found")}), h("p", {}, Desk.link("", t("desk_back_to_list"))));
        return;
      }
      if (!answer.body.editable) { showUneditable(main, answer.body); return; }
      build(main, answer.body);
    });
  }

  function showUneditable(main, doc) {
    document.title = doc.name + " · " + t("desk_title");
    add(main, h("h1", {text: doc.name}),
      h("div", {class: "problem-box", role: "alert"},
        h("p", {text: t("desk_uneditable", {why: doc.why, path: doc.rel})}), Desk.problemList(doc.problems)),
      h("h2", {text: t("desk_file_text")}), h("pre", {class: "file-text", text: doc.text}));
  }

  function sectionOf(kind) { return kind === "case" ? "" : kind + "s"; }

  function build(main, doc) {
    var kind = doc.kind, name = doc.name;
    var controls = {};
    var digest = doc.digest;
    var saving = false;
    var checkTimer = null, checkSeq = 0;
    var bodyLine = doc.body_line || 1;
    document.title = (doc.values.title || name) + " · " + t("desk_title");

    /* --- the fields ---------------------------------------------------------------------- */
    function problemsBox(field) { return h("div", {class: "problems", id: "problems-" + field}); }

    function described(control, field, note) {
      control.setAttribute("aria-describedby", (note ? "note-" + field + " " : "") + "problems-" + field);
      return control;
    }

    function fieldFor(f) {
      var id = "field-" + f.name, value = doc.values[f.name];
      var label = t(f.name === "title" && kind !== "case" ? "desk_field_" + kind + "_title" : "desk_field_" + f.name);
      var noteCode = "desk_note_" + f.name;
      var note = Desk.data.strings[noteCode] ? h("p", {class: "note", id: "note-" + f.name, text: t(noteCode)}) : null;
      if (doc.locked[f.name] !== undefined) {
        return h("div", {class: "field locked", id: "wrap-" + f.name},
          h("span", {class: "label", text: label}), h("pre", {text: doc.locked[f.name]}),
          h("p", {class: "note", text: t("desk_locked")}), problemsBox(f.name));
      }
      var control;
      if (f.type === "text") {
        control = h("input", {type: "text", id: id, value: value, required: f.required});
      } else if (f.type === "longtext") {
        control = h("textarea", {id: id, rows: "3"});
        control.value = value;
      } else if (f.type === "choice") {
        control = choice(f.name, value);
      } else if (f.type === "date") {
        return dateField(f, value, label, note);
      } else if (f.type === "bool") {
        control = h("input", {type: "checkbox", id: id, checked: value});
        controls[f.name] = control;
        described(control, f.name, note);
        return h("div", {class: "field check", id: "wrap-" + f.name}, control,
                 h("label", {for: id, text: t(BOOL_LABEL[f.name] || "desk_field_" + f.name)}), note, problemsBox(f.name));
      } else if (f.type === "list" && f.name === "actions") {
        return actionsField(f, value, label, note);
      } else if (f.type === "list") {
        return tagsField(f, value, label, note);
      } else {
        return null;        // photos and cover: the photos section
      }
      controls[f.name] = control;
      described(control, f.name, note);
      var extra = f.name === "site" ? h("button", {type: "button", class: "small", text: t("desk_new_site_here"),
        onclick: function () {
          Desk.openNewDialog("site", doc.options, function (made) {
            api("GET", "doc/site/" + Desk.part(made.name)).then(function (site) {
              var slug = made.name, title = site.ok ? site.body.values.title : made.name;
              doc.options.sites.push({value: slug, label: title});
              control.appendChild(h("option", {value: slug, text: title}));
              control.value = slug;
              changed();
              Desk.toast(t("desk_site_created", {title: title}));
            });
          });
        }}) : null;
      return h("div", {class: "field", id: "wrap-" + f.name}, h("label", {for: id, text: label}),
               extra ? h("div", {class: "inline"}, control, extra) : control, note, problemsBox(f.name));
    }

    function choice(field, value) {
      var options = field === "site" ? doc.options.sites.map(function (s) { return {value: s.value, label: s.label}; })
        : (field === "category" ? doc.options.categories : doc.options.kinds).map(function (c) { return {value: c, label: c}; });
      if (value && !options.some(function (o) { return o.value === value; })) {
        options.push({value: value, label: t("desk_not_in_list", {value: value})});
      }
      var el = Desk.select(options, value, t("desk_choose"));
      el.id = "field-" + field;
      return el;
    }

    function dateField(f, value, label, note) {
      var control = h("input", {type: "text", id: "field-date", value: value, inputmode: "numeric", autocomplete: "off",
                                placeholder: "2025-06-01"});
      var picker = h("input", {type: "date", class: "picker", tabindex: "-1", "aria-hidden": "true"});
      var button = h("button", {type: "button", class: "small", text: t("desk_pick_date"), onclick: function () {
        if (/^\d{4}-\d{2}-\d{2}$/.test(control.value.trim())) { picker.value = control.value.trim(); }
        try { picker.showPicker(); } catch (e) { picker.focus(); }
      }});
      picker.addEventListener("change", function () { if (picker.value) { control.value = picker.value; changed(); } });
      controls.date = control;
      described(control, "date", note);
      return h("div", {class: "field", id: "wrap-date"}, h("label", {for: "field-date", text: label}),
               h("div", {class: "inline"}, control, button, picker), note, problemsBox("date"));
    }

    function actionsField(f, value, label, note) {
      var names = doc.options.actions.slice();
      value.forEach(function (v) { if (names.indexOf(v) < 0) { names.push(v); } });
      var boxes = names.map(function (action, index) {
        var box = h("input", {type: "checkbox", id: "action-" + index, value: action, checked: value.indexOf(action) >= 0});
        return h("span", {class: "choice"}, box, h("label", {for: "action-" + index, text: action}));
      });
      controls.actions = {get: function () {
        // The file's order for the actions it has (so an unchanged list is not rewritten), then the new ones.
        var checked = boxes.map(function (span) { return span.firstChild; }).filter(function (b) { return b.checked; })
                           .map(function (b) { return b.value; });
        return value.filter(function (v) { return checked.indexOf(v) >= 0; })
                    .concat(checked.filter(function (v) { return value.indexOf(v) < 0; }));
      }};
      return h("fieldset", {class: "field", id: "wrap-actions", "aria-describedby": "problems-actions"},
               h("legend", {text: label}), h("div", {class: "choices"}, boxes), note, problemsBox("actions"));
    }

    function tagsField(f, value, label, note) {
      var tags = value.slice();
      var chips = h("ul", {class: "chips", "aria-label": t("desk_tags_current")});
      var input = h("input", {type: "text", id: "field-tags", list: "tag-suggestions", autocomplete: "off"});
      var suggestions = h("datalist", {id: "tag-suggestions"},
        doc.options.tags.map(function (tag) { return h("option", {value: tag}); }));
      function render() {
        clear(chips);
        tags.forEach(function (tag, index) {
          chips.appendChild(h("li", {}, h("span", {text: tag}),
            h("button", {type: "button", class: "chip-remove", text: "×", "aria-label": t("desk_tag_remove", {tag: tag}),
                         onclick: function () { tags.splice(index, 1); render(); changed(); input.focus(); }})));
        });
      }
      function take() {
        input.value.split(/[,，、;；]/).map(function (s) { return s.trim(); }).filter(Boolean).forEach(function (tag) {
          if (tags.indexOf(tag) < 0) { tags.push(tag); }
        });
        input.value = "";
        render();
        changed();
      }
      input.addEventListener("keydown", function (event) {
        if (event.key === "Enter" || event.key === "," || event.key === "，") { event.preventDefault(); take(); }
        else if (event.key === "Backspace" && !input.value && tags.length) { tags.pop(); render(); changed(); }
      });
      input.addEventListener("change", function () { if (input.value.trim()) { take(); } });
      controls.tags = {get: function () {
        var pending = input.value.split(/[,，、;；]/).map(function (s) { return s.trim(); }).filter(Boolean);
        return tags.concat(pending.filter(function (tag) { return tags.indexOf(tag) < 0; }));
      }};
      render();
      described(input, "tags", note);
      return h("div", {class: "field", id: "wrap-tags"}, h("label", {for: "field-tags", text: label}),
               h("div", {class: "tags"}, chips, input), suggestions, note, problemsBox("tags"));
    }

    /* --- collecting the form ------------------------------------------------------------- */
    function values() {
      var out = {};
      doc.fields.forEach(function (f) {
        if (doc.locked[f.name] !== undefined) { return; }
        if (f.type === "photos") { if (photos) { out.photos = photos.value(); } return; }
        if (f.type === "cover") { if (photos) { out.cover = photos.cover(); } return; }
        var control = controls[f.name];
        if (!control) { return; }
        if (control.get) { out[f.name] = control.get(); }
        else if (f.type === "bool") { out[f.name] = control.checked; }
        else { out[f.name] = control.value; }
      });
      return out;
    }

    function snapshot() {
      return JSON.stringify({values: values(), body: editor.area.value, remove: photos ? photos.removed() : []});
    }

    /* --- the page ------------------------------------------------------------------------ */
    var saveButton = h("button", {type: "button", class: "primary", id: "save", text: t("desk_save"), onclick: function () { save(); }});
    var status = h("span", {class: "save-status", id: "save-status", role: "status", text: t("desk_saved_all")});
    var viewLink = h("a", {class: "view", target: "_blank", rel: "noopener", href: doc.url || "#", hidden: !doc.url,
                           text: t("desk_view_on_site")});
    var summary = h("div", {class: "problem-summary", id: "problem-summary", tabindex: "-1"});
    var heading = h("h1", {text: doc.values.title || name});
    var basic = h("section", {class: "basic", id: "section-basic", "aria-labelledby": "basic-heading"},
      h("h2", {id: "basic-heading", text: t("desk_section_basic")}),
      h("div", {class: "grid"}, doc.fields.map(fieldFor)),
      problemsBox(""));
    var editor = DeskEditor.create({
      value: doc.body,
      pickPhoto: doc.bundle ? function (callback) {
        if (photos) { photos.pick(callback); } else { Desk.toast(t("desk_pick_none_single"), "error"); }
      } : null,
      onPaste: window.DeskPaste ? function (event, area) { window.DeskPaste.handle(event, area, kind, name, photos, changed); } : null
    });
    var photos = doc.bundle && doc.fields.some(function (f) { return f.type === "photos"; }) && doc.locked.photos === undefined
      ? DeskPhotos.create({kind: kind, name: name, photos: doc.values.photos, cover: doc.values.cover, folder: doc.folder_photos,
                           onChange: changed, insert: function (markdown) { editor.insert(markdown); }})
      : null;
    var bodySection = h("section", {class: "body", id: "section-body", "aria-labelledby": "body-heading"},
      h("h2", {id: "body-heading"}, h("label", {for: "field-body", text: t("desk_section_body")})),
      h("p", {class: "note", id: "body-note", text: t("desk_body_note")}),
      editor.element, problemsBox("body"));
    editor.area.setAttribute("aria-describedby", "body-note problems-body");

    add(main,
      h("div", {class: "form-head"},
        h("p", {class: "crumb"}, Desk.link(sectionOf(kind), t("desk_back_" + kind))),
        heading,
        h("p", {class: "path"}, h("span", {text: t("label_desk_file_is")}), h("code", {text: doc.rel}))),
      h("div", {class: "savebar"}, saveButton, status, viewLink,
        h("button", {type: "button", class: "danger", text: t("desk_delete_" + kind), onclick: confirmDelete})),
      window.DeskImport ? window.DeskImport.notes(name) : null,
      summary,
      h("form", {id: "doc-form", novalidate: true, onsubmit: function (event) { event.preventDefault(); save(); }},
        basic, bodySection, photos ? photos.element : null, doc.review ? reviewSection() : null));
    editor.setPreview(doc.preview || "");
    var saved = snapshot();
    showProblems(doc.problems);

    main.addEventListener("input", changed);
    main.addEventListener("change", changed);
    function dirty() { return snapshot() !== saved; }
    function changed() {
      if (saving) { return; }
      status.textContent = dirty() ? t("desk_unsaved") : t("desk_saved_all");
      status.className = "save-status" + (dirty() ? " dirty" : "");
      clearTimeout(checkTimer);
      checkTimer = setTimeout(check, 500);
    }
    function beforeUnload(event) {
      if (document.body.contains(main) && dirty()) { event.preventDefault(); event.returnValue = ""; }
    }
    window.addEventListener("beforeunload", beforeUnload);
    Desk.setLeaveGuard(function () {
      if (!dirty() || window.confirm(t("desk_leave_unsaved"))) { window.removeEventListener("beforeunload", beforeUnload); return true; }
      return false;
    });
    main.addEventListener("keydown", function (event) {
      if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === "s") { event.preventDefault(); save(); }
    });

    /* --- problems beside their fields ---------------------------------------------------- */
    function showProblems(problems) {
      Array.prototype.forEach.call(main.querySelectorAll(".problems"), function (box) { clear(box); });
      Array.prototype.forEach.call(main.querySelectorAll("[aria-invalid]"), function (el) { el.removeAttribute("aria-invalid"); });
      clear(summary);
      var errors = 0, count = 0, items = [];
      (problems || []).forEach(function (p) {
        var box = main.querySelector("#problems-" + cssId(p.field)) || main.querySelector("#problems-");
        var where = p.field === "body" && p.line ? t("label_desk_body_line", {line: p.line - bodyLine + 1}) : "";
        count++;
        if (p.error) { errors++; }
        add(box, h("p", {class: "problem " + (p.error ? "error" : "warning")},
          h("span", {class: "kind", text: p.error ? t("desk_problem_error") : t("desk_problem_warning")}),
          where ? h("button", {type: "button", class: "to-line", text: where, title: t("desk_go_to_line"),
                               onclick: function () { goToLine(p.line - bodyLine + 1); }}) : null,
          h("span", {text: p.message}), p.hint ? h("span", {class: "hint", text: t("label_desk_hint") + p.hint}) : null));
        var control = main.querySelector("#field-" + cssId(p.field));
        if (control && p.error) { control.setAttribute("aria-invalid", "true"); }
        items.push(h("li", {}, h("a", {href: "#problems-" + (box.id.slice(9)), text: (fieldLabel(p.field) ? fieldLabel(p.field) + t("label_desk_colon") : "") + p.message,
          onclick: function (event) { event.preventDefault(); box.scrollIntoView({block: "center"}); var c = control || box; if (c.focus) { c.focus(); } }})));
      });
      if (count) {
        add(summary, h("p", {class: errors ? "error" : "warning",
                             text: errors ? t("desk_problems_errors", {count: count, errors: errors}) : t("desk_problems_warnings", {count: count})}),
            h("ul", {}, items), h("p", {class: "note", text: t("desk_problems_note")}));
      }
    }

    function goToLine(line) {
      var area = editor.area, lines = area.value.split("\n");
      if (line < 1 || line > lines.length) { return; }
      var start = lines.slice(0, line - 1).join("\n").length + (line > 1 ? 1 : 0);
      area.focus();
      area.setSelectionRange(start, start + lines[line - 1].length);
      area.blur();                    // focusing again scrolls the selection into view
      area.focus();
    }

    function cssId(field) { return String(field || "").replace(/[^\w-]/g, "-"); }
    function fieldLabel(field) {
      if (!field) { return ""; }
      if (field.indexOf("photos.") === 0) { return t("desk_section_photos"); }
      if (field === "body") { return t("desk_section_body"); }
      return Desk.data.strings["desk_field_" + field] ? t("desk_field_" + field) : field;
    }

    function check() {
      var seq = ++checkSeq;
      api("POST", "check/" + kind + "/" + Desk.part(name), {values: values(), body: editor.area.value}).then(function (answer) {
        if (seq !== checkSeq || !answer.ok) { return; }
        bodyLine = answer.body.body_line || bodyLine;
        showProblems(answer.body.problems);
        editor.setPreview(answer.body.preview || "");
      });
    }

    /* --- saving -------------------------------------------------------------------------- */
    function save() {
      if (saving) { return; }
      saving = true;
      saveButton.disabled = true;
      status.textContent = t("desk_saving");
      var sent = {digest: digest, values: values(), body: editor.area.value, remove: photos ? photos.removed() : []};
      var sentSnapshot = snapshot();
      api("POST", "save/" + kind + "/" + Desk.part(name), sent).then(function (answer) {
        saving = false;
        saveButton.disabled = false;
        if (answer.status === 409 && answer.body.theirs) { status.textContent = t("desk_unsaved"); conflict(answer.body, sent); return; }
        if (!answer.ok) { status.textContent = t("desk_unsaved"); Desk.toast(answer.body.message, "error"); return; }
        digest = answer.body.digest;
        saved = sentSnapshot;
        if (photos) { photos.saved(answer.body.recycled); saved = snapshot(); }
        heading.textContent = values().title || name;
        document.title = heading.textContent + " · " + t("desk_title");
        bodyLine = answer.body.body_line || bodyLine;
        showProblems(answer.body.problems);
        if (answer.body.url) { viewLink.href = answer.body.url; viewLink.hidden = false; }
        var time = new Date().toTimeString().slice(0, 5);
        status.textContent = answer.body.changed ? t("desk_saved_at", {time: time}) : t("desk_saved_nothing");
        status.className = "save-status";
        if (answer.body.recycled && answer.body.recycled.length) {
          Desk.toast(t("desk_photos_recycled", {names: answer.body.recycled}));
        }
        if (dirty()) { changed(); }
        if (reviewBox && answer.body.review) { renderReview(answer.body.review); }
      });
    }

    /* --- the conflict: the dialog is DeskConflict's (conflict.js) ------------------------------ */
    function conflict(body, sent) {
      DeskConflict.show({kind: kind, name: name, body: body, sent: sent, fieldLabel: fieldLabel, reload: function () {
        window.removeEventListener("beforeunload", beforeUnload);
        saved = snapshot();
        Desk.go(kind + "/" + Desk.part(name), true);
      }});
    }

    /* --- deleting ------------------------------------------------------------------------ */
    function confirmDelete() {
      var dialog = h("dialog", {class: "dialog", "aria-labelledby": "delete-heading"});
      dialog.appendChild(h("div", {},
        h("h2", {id: "delete-heading", text: t("desk_delete_" + kind)}),
        h("p", {text: t("desk_delete_confirm", {title: values().title || name})}),
        h("div", {class: "buttons"},
          h("button", {type: "button", class: "danger", text: t("desk_delete_yes"), onclick: function () {
            api("POST", "delete/" + kind + "/" + Desk.part(name), {digest: digest}).then(function (answer) {
              dialog.close();
              if (!answer.ok) { Desk.toast(answer.body.message, "error"); return; }
              saved = snapshot();
              window.removeEventListener("beforeunload", beforeUnload);
              Desk.setLeaveGuard(null);
              Desk.go(sectionOf(kind));
              Desk.toast(answer.body.message);
            });
          }}),
          h("button", {type: "button", text: t("desk_cancel"), onclick: function () { dialog.close(); }}))));
      dialog.addEventListener("close", function () { dialog.remove(); });
      document.body.appendChild(dialog);
      dialog.showModal();
    }

    /* --- the review: DeskReview's (review.js) ------------------------------------------------ */
    var reviewBox;              // set by reviewSection(), which runs before this line is reached
    function reviewSection() {
      reviewBox = DeskReview.create({kind: kind, name: name, review: doc.review, dirty: dirty,
                                     digest: function () { return digest; }, setDigest: function (d) { digest = d; }});
      return reviewBox.element;
    }

    function renderReview(review) { reviewBox.render(review); }
  }

  return {show: show};
})();
