/* Photos of a case, model site or page: dropped or picked (several at once, with a progress
   bar each), shown as upright thumbnails made by the server, each with its caption and credit;
   the order changed by dragging (or the 上移/下移 buttons), the cover chosen, a photo removed
   (moved to the recycle folder when the form is saved). */
"use strict";

var DeskPhotos = (function () {
  var t = Desk.t, h = Desk.h, add = Desk.add, clear = Desk.clear;
  var ACCEPT = ["jpg", "jpeg", "png", "webp", "heic", "heif"];
  var MAX_BYTES = 50 * 1024 * 1024;

  function create(ctx) {
    var list = (ctx.photos || []).map(function (p) { return {src: p.src, caption: p.caption || "", credit: p.credit || ""}; });
    var cover = ctx.cover || "";
    var removed = [];
    var folder = (ctx.folder || []).slice();
    var version = Date.now();
    var dragging = null;

    function thumb(src, width) {
      return Desk.data.prefix + "api/thumb/" + ctx.kind + "/" + Desk.part(ctx.name) + "/" + Desk.part(src) + "?w=" + (width || 320) + "&v=" + version;
    }

    var input = h("input", {type: "file", id: "photo-input", multiple: true, class: "visually-hidden",
                            accept: "image/jpeg,image/png,image/webp,image/heic,image/heif,.heic,.heif,.jpg,.jpeg,.png,.webp"});
    var uploads = h("ul", {class: "uploads", "aria-live": "polite"});
    var cards = h("ol", {class: "photo-cards", "aria-label": t("desk_photos_list")});
    var unusedBox = h("div", {class: "unused"});
    var removedBox = h("div", {class: "removed"});
    var drop = h("div", {class: "dropzone"},
      h("p", {text: t("desk_photos_drop")}),
      h("label", {for: "photo-input", class: "button", text: t("desk_photos_pick")}), input,
      h("p", {class: "note", text: t("desk_photos_limits")}));
    var element = h("section", {class: "photos", id: "section-photos", "aria-labelledby": "photos-heading"},
      h("h2", {id: "photos-heading", text: t("desk_section_photos")}),
      drop, uploads,
      h("p", {class: "note", text: t("desk_photos_order_note")}),
      cards, unusedBox, removedBox);

    input.addEventListener("change", function () { uploadAll(Array.prototype.slice.call(input.files)); input.value = ""; });
    ["dragenter", "dragover"].forEach(function (name) {
      drop.addEventListener(name, function (event) {
        if (hasFiles(event)) { event.preventDefault(); drop.classList.add("over"); }
      });
    });
    drop.addEventListener("dragleave", function () { drop.classList.remove("over"); });
    drop.addEventListener("drop", function (event) {
      if (!hasFiles(event)) { return; }
      event.preventDefault();
      drop.classList.remove("over");
      uploadAll(Array.prototype.slice.call(event.dataTransfer.files));
    });

    function hasFiles(event) {
      return event.dataTransfer && Array.prototype.indexOf.call(event.dataTransfer.types, "Files") >= 0;
    }

    function changed() { render(); ctx.onChange(); }

    function move(from, to) {
      if (to < 0 || to >= list.length || from === to) { return; }
      var item = list.splice(from, 1)[0];
      list.splice(to, 0, item);
      changed();
      var button = cards.children[to] && cards.children[to].querySelector(from < to ? ".down" : ".up");
      if (button && !button.disabled) { button.focus(); }
    }

    function card(photo, index) {
      var id = "photo-" + index;
      var caption = h("input", {type: "text", id: id + "-caption", value: photo.caption, "aria-describedby": id + "-name"});
      var credit = h("input", {type: "text", id: id + "-credit", value: photo.credit, "aria-describedby": id + "-name"});
      caption.addEventListener("input", function () { photo.caption = caption.value; ctx.onChange(); });
      credit.addEventListener("input", function () { photo.credit = credit.value; ctx.onChange(); });
      var radio = h("input", {type: "radio", name: "cover", id: id + "-cover", checked: cover === photo.src});
      radio.addEventListener("change", function () { if (radio.checked) { cover = photo.src; changed(); } });
      var li = h("li", {class: "card" + (cover === photo.src ? " is-cover" : ""), draggable: "true", "data-src": photo.src},
        h("div", {class: "thumb"}, h("img", {src: thumb(photo.src), alt: photo.caption || photo.src, draggable: "false"}),
          cover === photo.src ? h("span", {class: "cover-badge", text: t("desk_photo_is_cover")}) : null),
        h("p", {class: "name", id: id + "-name", text: photo.src}),
        h("div", {class: "field"}, h("label", {for: id + "-caption", text: t("desk_photo_caption")}), caption),
        h("div", {class: "field"}, h("label", {for: id + "-credit", text: t("desk_photo_credit")}), credit),
        h("div", {class: "cover-choice"}, radio, h("label", {for: id + "-cover", text: t("desk_photo_cover")})),
        h("div", {class: "problems", id: "problems-photos-" + index}),
        h("div", {class: "card-buttons"},
          h("button", {type: "button", class: "up", text: t("desk_photo_up"), disabled: index === 0,
                       "aria-label": t("desk_photo_up_named", {name: photo.src}), onclick: function () { move(index, index - 1); }}),
          h("button", {type: "button", class: "down", text: t("desk_photo_down"), disabled: index === list.length - 1,
                       "aria-label": t("desk_photo_down_named", {name: photo.src}), onclick: function () { move(index, index + 1); }}),
          h("button", {type: "button", text: t("desk_photo_insert"), "aria-label": t("desk_photo_insert_named", {name: photo.src}),
                       onclick: function () { ctx.insert(markdownFor(photo)); }}),
          h("button", {type: "button", class: "danger", text: t("desk_photo_remove"), "aria-label": t("desk_photo_remove_named", {name: photo.src}),
                       onclick: function () {
                         list.splice(index, 1);
                         removed.push(photo.src);
                         if (cover === photo.src) { cover = ""; }
                         changed();
                       }})));
      li.addEventListener("dragstart", function (event) {
        dragging = index;
        event.dataTransfer.effectAllowed = "move";
        event.dataTransfer.setData("text/plain", photo.src);
        li.classList.add("dragging");
      });
      li.addEventListener("dragend", function () { li.classList.remove("dragging"); dragging = null; });
      li.addEventListener("dragover", function (event) {
        if (dragging !== null) { event.preventDefault(); li.classList.add("drop-target"); }
      });
      li.addEventListener("dragleave", function () { li.classList.remove("drop-target"); });
      li.addEventListener("drop", function (event) {
        if (dragging === null) { return; }
        event.preventDefault();
        var from = dragging;
        dragging = null;
        move(from, index);
      });
      return li;
    }

    function markdownFor(photo) {
      return "![" + (photo.caption || "").replace(/[\[\]]/g, "") + "](" + encodeURI(photo.src).replace(/[()]/g, escape) + ")";
    }

    function render() {
      clear(cards);
      list.forEach(function (photo, index) { cards.appendChild(card(photo, index)); });
      if (!list.length) { cards.appendChild(h("li", {class: "empty", text: t("desk_photos_none")})); }
      var listed = list.map(function (p) { return p.src; });
      var unused = folder.filter(function (n) { return listed.indexOf(n) < 0 && removed.indexOf(n) < 0; });
      clear(unusedBox);
      if (unused.length) {
        add(unusedBox, h("h3", {text: t("desk_photos_unused", {count: unused.length})}),
          h("ul", {class: "unused-list"}, unused.map(function (n) {
            return h("li", {}, h("img", {src: thumb(n), alt: n, loading: "lazy"}), h("span", {text: n}),
              h("button", {type: "button", text: t("desk_photo_use"), "aria-label": t("desk_photo_use_named", {name: n}),
                           onclick: function () { list.push({src: n, caption: "", credit: ""}); changed(); }}),
              h("button", {type: "button", class: "danger", text: t("desk_photo_remove"), "aria-label": t("desk_photo_remove_named", {name: n}),
                           onclick: function () { removed.push(n); changed(); }}));
          })));
      }
      clear(removedBox);
      if (removed.length) {
        add(removedBox, h("p", {class: "note", text: t("desk_photos_removed", {names: removed})}),
          h("button", {type: "button", text: t("desk_undo"), onclick: function () { removed = []; changed(); }}));
      }
    }

    function accepted(file) {
      var ext = (file.name.split(".").pop() || "").toLowerCase();
      return ACCEPT.indexOf(ext) >= 0 || /^image\/(jpeg|png|webp|heic|heif)$/.test(file.type);
    }

    function uploadAll(files) {
      return Promise.all(files.map(uploadOne));
    }

    function uploadOne(file) {
      var bar = h("progress", {max: "100", value: "0", "aria-label": t("desk_upload_progress", {name: file.name})});
      var status = h("span", {class: "status", text: t("desk_uploading")});
      var row = h("li", {}, h("span", {class: "file", text: file.name}), bar, status);
      uploads.appendChild(row);
      function fail(message) {
        row.classList.add("failed");
        bar.remove();
        status.textContent = message;
        status.setAttribute("role", "alert");
      }
      if (!accepted(file)) { fail(t("desk_upload_not_photo", {name: file.name})); return Promise.resolve(null); }
      if (file.size > MAX_BYTES) { fail(t("desk_upload_too_large", {name: file.name})); return Promise.resolve(null); }
      return new Promise(function (resolve) {
        var xhr = new XMLHttpRequest();
        xhr.open("POST", Desk.data.prefix + "api/upload/" + ctx.kind + "/" + Desk.part(ctx.name) + "?name=" + encodeURIComponent(file.name));
        xhr.setRequestHeader("X-Showcase-Token", Desk.data.token);
        xhr.upload.addEventListener("progress", function (event) {
          if (event.lengthComputable) { bar.value = Math.round(100 * event.loaded / event.total); }
        });
        xhr.addEventListener("load", function () {
          var answer = {};
          try { answer = JSON.parse(xhr.responseText); } catch (e) { answer = {message: t("desk_error_unknown")}; }
          if (xhr.status !== 200) { fail(answer.message); resolve(null); return; }
          row.remove();
          folder.push(answer.name);
          list.push({src: answer.name, caption: "", credit: ""});
          changed();
          resolve(answer.name);
        });
        xhr.addEventListener("error", function () { fail(t("desk_error_offline")); resolve(null); });
        xhr.send(file);
      });
    }

    function pick(callback) {
      var dialog = h("dialog", {class: "dialog wide", "aria-labelledby": "pick-heading"});
      var body = list.length ? h("ul", {class: "pick-list"}, list.map(function (photo) {
        return h("li", {}, h("button", {type: "button", class: "pick", onclick: function () { dialog.close(); callback(markdownFor(photo)); }},
          h("img", {src: thumb(photo.src), alt: ""}), h("span", {text: photo.caption || photo.src})));
      })) : h("p", {text: t("desk_pick_none")});
      dialog.appendChild(h("div", {},
        h("h2", {id: "pick-heading", text: t("desk_pick_heading")}), body,
        h("div", {class: "buttons"}, h("button", {type: "button", text: t("desk_cancel"), onclick: function () { dialog.close(); }}))));
      dialog.addEventListener("close", function () { dialog.remove(); });
      document.body.appendChild(dialog);
      dialog.showModal();
    }

    render();
    return {
      element: element,
      value: function () { return list.map(function (p) { return {src: p.src, caption: p.caption, credit: p.credit}; }); },
      cover: function () { return cover; },
      removed: function () { return removed.slice(); },
      saved: function (recycled) {
        folder = folder.filter(function (n) { return (recycled || []).indexOf(n) < 0; });
        removed = [];
        render();
      },
      upload: uploadAll,
      add: function (names) {
        names.forEach(function (n) {
          if (folder.indexOf(n) < 0) { folder.push(n); }
          if (!list.some(function (p) { return p.src === n; })) { list.push({src: n, caption: "", credit: ""}); }
        });
        changed();
      },
      pick: pick,
      markdownFor: markdownFor
    };
  }

  return {create: create};
})();
