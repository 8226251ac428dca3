/* The editing desk: core (words, requests, the DOM helper, addresses), the lists, the recycle
   folder, the access code form and the "new" dialogs. No framework, no build step: every
   element is made with h(), and text always goes in as text (textContent), never as HTML. */
"use strict";

var Desk = (function () {
  var data = JSON.parse(document.getElementById("desk-data").textContent);
  var strings = data.strings;
  var root = null;
  var leaveGuard = null;          // set by the form: returns true when leaving is fine

  /* --- words ------------------------------------------------------------------------------ */
  function t(code, params) {
    var text = strings[code];
    if (text === undefined) { return code; }
    params = params || {};
    return text.replace(/\{(\w+)\}/g, function (all, name) {
      var value = params[name];
      if (value === undefined || value === null) { return ""; }
      if (Array.isArray(value)) { return value.join(strings.label_desk_list_separator || ", "); }
      return String(value);
    });
  }

  /* --- the DOM ---------------------------------------------------------------------------- */
  function h(tag, attrs) {
    var el = document.createElement(tag);
    attrs = attrs || {};
    Object.keys(attrs).forEach(function (key) {
      var value = attrs[key];
      if (value === null || value === undefined || value === false) { return; }
      if (key === "text") { el.textContent = value; }
      else if (key === "class") { el.className = value; }
      else if (key.slice(0, 2) === "on") { el.addEventListener(key.slice(2), value); }
      else if (key === "value") { el.value = value; }
      else if (key === "checked") { el.checked = !!value; }
      else { el.setAttribute(key, value === true ? "" : String(value)); }
    });
    for (var i = 2; i < arguments.length; i++) { add(el, arguments[i]); }
    return el;
  }

  function add(el) {
    for (var i = 1; i < arguments.length; i++) {
      var child = arguments[i];
      if (child === null || child === undefined || child === false) { continue; }
      if (Array.isArray(child)) { child.forEach(function (c) { add(el, c); }); continue; }
      el.appendChild(typeof child === "string" || typeof child === "number" ? document.createTextNode(String(child)) : child);
    }
    return el;
  }

  function clear(el) { while (el.firstChild) { el.removeChild(el.firstChild); } return el; }

  /* --- requests --------------------------------------------------------------------------- */
  function api(method, path, body) {
    var options = {method: method, headers: {"X-Showcase-Token": data.token}, credentials: "same-origin"};
    if (body !== undefined) {
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    return fetch(data.prefix + "api/" + path, options).then(function (response) {
      return response.json().catch(function () { return {message: t("desk_error_unknown")}; }).then(function (json) {
        if (response.status === 401) { showLogin(); }
        return {status: response.status, ok: response.ok, body: json};
      });
    }, function () {
      return {status: 0, ok: false, body: {message: t("desk_error_offline")}};
    });
  }

  function part(text) { return encodeURIComponent(text); }

  /* --- messages --------------------------------------------------------------------------- */
  function toast(text, kind) {
    var box = document.getElementById("desk-toast");
    if (!box) { return; }
    clear(box);
    box.className = "toast " + (kind || "info");
    add(box, h("p", {text: text}));
    box.hidden = false;
    clearTimeout(toast.timer);
    toast.timer = setTimeout(function () { box.hidden = true; }, kind === "error" ? 12000 : 5000);
  }

  function problemList(problems) {
    return h("ul", {class: "problem-list"}, (problems || []).map(function (p) {
      return h("li", {}, h("span", {text: (p.path ? p.path + (p.line ? ":" + p.line : "") + " " : "") + p.message}),
        p.hint ? h("span", {class: "hint", text: t("label_desk_hint") + p.hint}) : null);
    }));
  }

  /* --- addresses -------------------------------------------------------------------------- */
  function go(path, replace) {
    if (leaveGuard && !leaveGuard()) { return; }
    leaveGuard = null;
    if (replace) { history.replaceState(null, "", data.prefix + path); }
    else { history.pushState(null, "", data.prefix + path); }
    route();
  }

  function link(path, text, attrs) {
    attrs = attrs || {};
    attrs.href = data.prefix + path;
    attrs.text = text;
    attrs.onclick = function (event) {
      if (event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) { return; }
      event.preventDefault();
      go(path);
    };
    return h("a", attrs);
  }

  function frame(active) {
    clear(root);
    var nav = h("nav", {class: "top", "aria-label": t("desk_nav_label")},
      h("span", {class: "brand", text: t("desk_title")}),
      ["cases", "sites", "pages", "recycle"].map(function (name) {
        return link(name === "cases" ? "" : name, t("desk_nav_" + name),
                    {class: active === name ? "current" : null, "aria-current": active === name ? "page" : null});
      }),
      h("a", {class: "to-site", href: data.preview_root || "/", target: "_blank", rel: "noopener", text: t("desk_open_site")}));
    var main = h("main", {id: "main"});
    root.appendChild(h("header", {class: "bar"}, nav));
    root.appendChild(main);
    root.appendChild(h("div", {id: "desk-toast", class: "toast", role: "status", hidden: true}));
    return main;
  }

  function route() {
    var path = location.pathname.slice(data.prefix.length);
    var parts = path.split("/").filter(Boolean).map(decodeURIComponent);
    window.scrollTo(0, 0);
    if (parts.length === 2 && ["case", "site", "page"].indexOf(parts[0]) >= 0) {
      DeskForm.show(frame(parts[0] === "case" ? "cases" : parts[0] + "s"), parts[0], parts[1]);
    } else if (parts[0] === "recycle") {
      showRecycle(frame("recycle"));
    } else if (parts[0] === "sites" || parts[0] === "pages") {
      showList(frame(parts[0]), parts[0]);
    } else {
      showList(frame("cases"), "cases");
    }
  }

  /* --- the lists -------------------------------------------------------------------------- */
  var COLUMNS = {
    cases: [["title", "desk_col_title"], ["site_title", "desk_col_site"], ["date", "desk_col_date"],
            ["category", "desk_col_category"], ["state_label", "desk_col_state"]],
    sites: [["title", "desk_col_site_title"], ["kind", "desk_col_kind"], ["town", "desk_col_town"],
            ["cases", "desk_col_cases"], ["state_label", "desk_col_state"]],
    pages: [["title", "desk_col_page_title"], ["state_label", "desk_col_state"]]
  };
  var KIND = {cases: "case", sites: "site", pages: "page"};

  function showList(main, section) {
    document.title = t("desk_nav_" + section) + " · " + t("desk_title");
    add(main, h("p", {class: "loading", text: t("desk_loading")}));
    api("GET", "list").then(function (answer) {
      clear(main);
      if (!answer.ok) { add(main, h("p", {class: "error", text: answer.body.message})); return; }
      var rows = answer.body[section];
      data.site_title = answer.body.site_title;
      var filter = h("input", {type: "search", id: "filter", placeholder: t("desk_filter_placeholder_" + section),
                               "aria-label": t("desk_filter_label")});
      var buttons = h("div", {class: "actions"},
        h("button", {type: "button", class: "primary", text: t("desk_new_" + KIND[section]),
                     onclick: function () { newDialog(KIND[section]); }}),
        section === "cases" && window.DeskImport ? window.DeskImport.button() : null);
      add(main, h("div", {class: "list-head"},
        h("h1", {text: t("desk_heading_" + section, {count: rows.length})}), buttons));
      add(main, h("div", {class: "filter"}, h("label", {for: "filter", text: t("desk_filter_label")}), filter));
      var body = h("tbody");
      var table = h("table", {class: "list"},
        h("caption", {class: "visually-hidden", text: t("desk_heading_" + section, {count: rows.length})}),
        h("thead", {}, h("tr", {}, COLUMNS[section].map(function (c) { return h("th", {scope: "col", text: t(c[1])}); }))),
        body);
      var empty = h("p", {class: "empty", text: t("desk_list_empty"), hidden: rows.length > 0});
      function fill() {
        var words = filter.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
        clear(body);
        var shown = 0;
        rows.forEach(function (row) {
          var haystack = COLUMNS[section].map(function (c) { return String(row[c[0]] || ""); }).join(" ").toLowerCase()
                         + " " + row.name.toLowerCase();
          if (!words.every(function (w) { return haystack.indexOf(w) >= 0; })) { return; }
          shown++;
          body.appendChild(h("tr", {class: row.problems ? "has-problems" : null},
            COLUMNS[section].map(function (c, index) {
              if (index === 0) {
                return h("td", {}, link(KIND[section] + "/" + part(row.name), row.title || row.name),
                         row.problems ? h("span", {class: "badge error", text: t("desk_has_problems", {count: row.problems})}) : null);
              }
              if (c[0] === "state_label") {
                return h("td", {}, h("span", {class: "state " + row.state, text: row.state_label}));
              }
              return h("td", {text: String(row[c[0]] === undefined ? "" : row[c[0]])});
            })));
        });
        empty.hidden = shown > 0;
      }
      filter.addEventListener("input", fill);
      fill();
      add(main, table);
      add(main, empty);
    });
  }

  /* --- new case / site / page ------------------------------------------------------------- */
  function field(id, label, control, note) {
    control.id = id;
    return h("div", {class: "field"}, h("label", {for: id, text: label}), control,
             note ? h("p", {class: "note", id: id + "-note", text: note}) : null);
  }

  function select(options, value, empty) {
    var el = h("select", {});
    if (empty) { el.appendChild(h("option", {value: "", text: empty})); }
    options.forEach(function (o) {
      var option = h("option", {value: o.value, text: o.label});
      if (o.value === value) { option.selected = true; }
      el.appendChild(option);
    });
    return el;
  }

  function newDialog(kind, done) {
    api("GET", "list").then(function (answer) {
      var options = answer.body.options || {};
      openNewDialog(kind, options, done);
    });
  }

  function siteFields(prefix, kinds) {
    return {
      title: h("input", {type: "text", required: true, autocomplete: "off"}),
      kind: select(kinds.map(function (k) { return {value: k, label: k}; }), "", t("desk_choose")),
      town: h("input", {type: "text", autocomplete: "off"})
    };
  }

  function openNewDialog(kind, options, done) {
    var errors = h("div", {class: "dialog-errors", role: "alert"});
    var controls = {};
    var body = [];
    var siteBox = null;
    if (kind === "case") {
      controls.title = h("input", {type: "text", required: true, autocomplete: "off"});
      var sites = (options.sites || []).map(function (s) { return {value: s.value, label: s.label}; });
      sites.push({value: "__new__", label: t("desk_new_site_option")});
      controls.site = select(sites, "", t("desk_choose"));
      controls.category = select((options.categories || []).map(function (c) { return {value: c, label: c}; }), "", t("desk_choose"));
      var nested = siteFields("new-site", options.kinds || []);
      siteBox = h("fieldset", {class: "nested", hidden: true, disabled: true}, h("legend", {text: t("desk_new_site_legend")}),
        field("new-site-title", t("desk_field_site_title"), nested.title),
        field("new-site-kind", t("desk_field_kind"), nested.kind),
        field("new-site-town", t("desk_field_town"), nested.town, t("desk_note_town")));
      controls.site.addEventListener("change", function () {
        siteBox.hidden = siteBox.disabled = controls.site.value !== "__new__";
      });
      body = [field("new-title", t("desk_field_title"), controls.title, t("desk_note_new_title")),
              field("new-site", t("desk_field_site"), controls.site), siteBox,
              field("new-category", t("desk_field_category"), controls.category)];
      controls.nested = nested;
    } else if (kind === "site") {
      var f = siteFields("new", options.kinds || []);
      controls = f;
      body = [field("new-title", t("desk_field_site_title"), f.title), field("new-kind", t("desk_field_kind"), f.kind),
              field("new-town", t("desk_field_town"), f.town, t("desk_note_town"))];
    } else {
      controls.title = h("input", {type: "text", required: true, autocomplete: "off"});
      body = [field("new-title", t("desk_field_page_title"), controls.title)];
    }
    var dialog = h("dialog", {class: "dialog", "aria-labelledby": "new-heading"});
    var form = h("form", {method: "dialog"},
      h("h2", {id: "new-heading", text: t("desk_new_" + kind)}), body, errors,
      h("div", {class: "buttons"},
        h("button", {type: "submit", class: "primary", text: t("desk_create")}),
        h("button", {type: "button", text: t("desk_cancel"), onclick: function () { dialog.close(); }})));
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var sent = {};
      if (kind === "case") {
        sent = {title: controls.title.value, site: controls.site.value, category: controls.category.value};
        if (controls.site.value === "__new__") {
          sent.site = "";
          sent.new_site = {title: controls.nested.title.value, kind: controls.nested.kind.value, town: controls.nested.town.value};
        }
      } else if (kind === "site") {
        sent = {title: controls.title.value, kind: controls.kind.value, town: controls.town.value};
      } else {
        sent = {title: controls.title.value};
      }
      api("POST", "new/" + kind, sent).then(function (answer) {
        if (!answer.ok) {
          clear(errors);
          add(errors, h("p", {text: answer.body.message}), problemList(answer.body.problems));
          return;
        }
        dialog.close();
        if (done) { done(answer.body); } else { go(kind + "/" + part(answer.body.name)); }
      });
    });
    dialog.appendChild(form);
    dialog.addEventListener("close", function () { dialog.remove(); });
    document.body.appendChild(dialog);
    dialog.showModal();
  }

  /* --- the recycle folder ----------------------------------------------------------------- */
  function showRecycle(main) {
    document.title = t("desk_nav_recycle") + " · " + t("desk_title");
    api("GET", "recycle").then(function (answer) {
      clear(main);
      if (!answer.ok) { add(main, h("p", {class: "error", text: answer.body.message})); return; }
      add(main, h("h1", {text: t("desk_nav_recycle")}));
      add(main, h("p", {class: "note", text: t("desk_recycle_intro", {folder: answer.body.folder})}));
      if (!answer.body.items.length) { add(main, h("p", {class: "empty", text: t("desk_recycle_empty")})); return; }
      add(main, h("table", {class: "list"},
        h("thead", {}, h("tr", {}, ["desk_col_when", "desk_col_what", "desk_col_name", "desk_col_origin", "desk_col_action"]
          .map(function (c) { return h("th", {scope: "col", text: t(c)}); }))),
        h("tbody", {}, answer.body.items.map(function (item) {
          return h("tr", {},
            h("td", {text: item.when}), h("td", {text: item.what_label}), h("td", {text: item.title}),
            h("td", {}, h("code", {text: item.origin})),
            h("td", {}, h("button", {type: "button", text: t("desk_restore"), "aria-label": t("desk_restore_named", {name: item.title}),
              onclick: function () {
                api("POST", "restore", {id: item.id}).then(function (result) {
                  toast(result.body.message, result.ok ? "info" : "error");
                  if (result.ok) { showRecycle(clear(main)); }
                });
              }})));
        }))));
    });
  }

  /* --- the access code -------------------------------------------------------------------- */
  function showLogin() {
    if (document.getElementById("code-form")) { return; }
    clear(root);
    var input = h("input", {type: "text", inputmode: "numeric", autocomplete: "one-time-code", id: "code", required: true});
    var error = h("p", {class: "error", role: "alert"});
    var form = h("form", {id: "code-form", class: "login"},
      h("h1", {text: t("desk_code_heading")}),
      h("p", {text: t("desk_code_intro")}),
      h("div", {class: "field"}, h("label", {for: "code", text: t("desk_code_label")}), input),
      error,
      h("button", {type: "submit", class: "primary", text: t("desk_code_submit")}));
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      api("POST", "login", {code: input.value}).then(function (answer) {
        if (answer.ok) { route(); } else { error.textContent = answer.body.message; }
      });
    });
    root.appendChild(h("main", {id: "main"}, form));
    input.focus();
  }

  function start() {
    root = document.getElementById("desk");
    window.addEventListener("popstate", function () {
      if (leaveGuard && !leaveGuard()) { history.go(1); return; }
      leaveGuard = null;
      route();
    });
    route();
  }

  document.addEventListener("DOMContentLoaded", start);

  return {t: t, h: h, add: add, clear: clear, api: api, part: part, go: go, link: link, toast: toast,
          field: field, select: select, problemList: problemList, newDialog: newDialog, openNewDialog: openNewDialog,
          data: data, setLeaveGuard: function (f) { leaveGuard = f; }};
})();
