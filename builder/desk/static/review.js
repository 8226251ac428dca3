/* The review section of a case's form: the stages recorded (who, when), a stale review marked
   改动后待重审 with what changed, and the button that records the next stage with the reviewer's
   name (remembered by the browser), by the same rules as `showcase review`. */
"use strict";

var DeskReview = (function () {
  var t = Desk.t, h = Desk.h, add = Desk.add, clear = Desk.clear;

  /* ctx: kind, name, review, dirty(), digest(), setDigest(d) */
  function create(ctx) {
    var box = h("section", {class: "review", id: "section-review", "aria-labelledby": "review-heading"});

    function render(review) {
      clear(box);
      add(box, h("h2", {id: "review-heading", text: t("desk_section_review")}));
      if (!review || !review.stages.length) { add(box, h("p", {class: "note", text: t("desk_review_off")})); return; }
      if (review.stale) {
        add(box, h("div", {class: "stale", role: "note"},
          h("p", {class: "warning", text: t("desk_review_stale", {stage: review.stale.stage})}),
          review.stale.changes && review.stale.changes.length
            ? h("ul", {}, review.stale.changes.map(function (c) { return h("li", {text: c}); })) : null));
      }
      if (review.done.length) {
        add(box, h("table", {class: "list compact"},
          h("thead", {}, h("tr", {}, ["desk_col_stage", "desk_col_by", "desk_col_date"].map(function (c) {
            return h("th", {scope: "col", text: t(c)});
          }))),
          h("tbody", {}, review.done.map(function (r) {
            return h("tr", {}, h("td", {text: r.stage}), h("td", {text: r.by}), h("td", {text: r.date}));
          }))));
      } else {
        add(box, h("p", {text: t("desk_review_none")}));
      }
      if (!review.next) { add(box, h("p", {class: "done", text: t("desk_review_complete")})); return; }
      var reviewer = h("input", {type: "text", id: "reviewer", autocomplete: "name", value: localStorage.getItem("showcase-reviewer") || ""});
      var error = h("div", {class: "problems", role: "alert"});
      add(box, h("div", {class: "field"}, h("label", {for: "reviewer", text: t("desk_reviewer")}), reviewer),
        h("button", {type: "button", class: "primary", id: "record-review", text: t("desk_review_record", {stage: review.next}), onclick: function () {
          clear(error);
          if (ctx.dirty()) { add(error, h("p", {class: "problem error", text: t("desk_review_save_first")})); return; }
          if (!reviewer.value.trim()) { add(error, h("p", {class: "problem error", text: t("desk_review_no_name")})); reviewer.focus(); return; }
          localStorage.setItem("showcase-reviewer", reviewer.value.trim());
          Desk.api("POST", "review/" + ctx.kind + "/" + Desk.part(ctx.name),
                   {stage: review.next, by: reviewer.value, digest: ctx.digest()}).then(function (answer) {
            if (!answer.ok) {
              add(error, h("p", {class: "problem error", text: answer.body.message}), Desk.problemList(answer.body.problems));
              return;
            }
            ctx.setDigest(answer.body.digest);
            Desk.toast(answer.body.message);
            render(answer.body.review);
          });
        }}),
        h("p", {class: "note", text: t("desk_review_note")}), error);
    }

    render(ctx.review);
    return {element: box, render: render};
  }

  return {create: create};
})();
