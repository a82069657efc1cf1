/* Scorecards: the template editor (sections and items as form rows, kept in the JSON field)
   and a live score preview on the review form (the server computes the stored score). */
(function () {
  "use strict";

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      if (name === "text") { node.textContent = attrs[name]; }
      else if (name in node && name !== "list") { node[name] = attrs[name]; }
      else { node.setAttribute(name, attrs[name]); }
    });
    (children || []).forEach(function (child) { node.appendChild(child); });
    return node;
  }

  function labelled(text, control, cls) {
    return el("div", { className: cls || "col" }, [
      el("label", { className: "form-label small mb-0", text: text }), control
    ]);
  }

  function initEditor(root) {
    var source = document.getElementById(root.dataset.source);
    var labels = JSON.parse(root.dataset.labels);
    // Objection flags an item may be suggested from, value -> name (qa/vocabulary.py).
    var objections = JSON.parse(document.getElementById("objection-labels").textContent).objection_flag;
    var data;
    try { data = JSON.parse(source.value); } catch (e) { return; }  // leave the JSON field to the user
    if (!data || !Array.isArray(data.sections)) { return; }

    function sync() { source.value = JSON.stringify(data, null, 2); }

    function itemRow(section, item, index) {
      var text = el("input", { className: "form-control form-control-sm", value: item.text || "", required: true });
      text.addEventListener("input", function () { item.text = text.value; sync(); });
      var type = el("select", { className: "form-select form-select-sm" }, [
        el("option", { value: "yes_no", text: labels.yesNo }),
        el("option", { value: "scale", text: labels.scale })
      ]);
      type.value = item.type || "yes_no";
      var max = el("input", { className: "form-control form-control-sm", type: "number", min: 1, max: 100, value: item.max || 5 });
      var maxBox = labelled(labels.max, max, "col-2 col-md-1");
      maxBox.hidden = type.value !== "scale";
      type.addEventListener("change", function () {
        item.type = type.value;
        if (item.type === "scale") { item.max = parseInt(max.value, 10) || 5; } else { delete item.max; }
        maxBox.hidden = item.type !== "scale";
        sync();
      });
      max.addEventListener("input", function () { item.max = parseInt(max.value, 10) || 0; sync(); });
      var weight = el("input", { className: "form-control form-control-sm", type: "number", min: 0, max: 1000, step: "any", value: item.weight === undefined ? 1 : item.weight });
      weight.addEventListener("input", function () { item.weight = parseFloat(weight.value); if (isNaN(item.weight)) { item.weight = 0; } sync(); });
      var critical = el("input", { className: "form-check-input", type: "checkbox", checked: !!item.critical });
      critical.addEventListener("change", function () { item.critical = critical.checked; sync(); });
      var suggest = el("select", { className: "form-select form-select-sm" }, [
        el("option", { value: "", text: labels.none })
      ].concat(Object.keys(objections).map(function (value) {
        return el("option", { value: value, text: objections[value] });
      })));
      if (item.suggest_from && !Object.prototype.hasOwnProperty.call(objections, item.suggest_from)) {
        suggest.appendChild(el("option", { value: item.suggest_from, text: item.suggest_from }));
      }
      suggest.value = item.suggest_from || "";
      suggest.addEventListener("change", function () {
        if (suggest.value) { item.suggest_from = suggest.value; } else { delete item.suggest_from; }
        sync();
      });
      var guidance = el("input", { className: "form-control form-control-sm", value: item.guidance || "" });
      guidance.addEventListener("input", function () { item.guidance = guidance.value; sync(); });
      var remove = el("button", { type: "button", className: "btn btn-sm btn-outline-danger", text: labels.removeItem });
      remove.addEventListener("click", function () { section.items.splice(index, 1); render(); });
      var up = el("button", { type: "button", className: "btn btn-sm btn-outline-secondary", text: "↑", title: labels.up });
      up.disabled = index === 0;
      up.addEventListener("click", function () {
        section.items.splice(index - 1, 0, section.items.splice(index, 1)[0]); render();
      });
      return el("div", { className: "border rounded p-2 mb-2 scorecard-editor-item" }, [
        el("div", { className: "row g-2 align-items-end" }, [
          labelled(labels.item, text, "col-12 col-md-5"),
          labelled(labels.type, type, "col-6 col-md-2"),
          maxBox,
          labelled(labels.weight, weight, "col-3 col-md-1"),
          el("div", { className: "col-auto form-check ms-2" }, [
            critical, el("label", { className: "form-check-label small", text: labels.critical })
          ]),
          el("div", { className: "col-auto ms-auto" }, [up, document.createTextNode(" "), remove])
        ]),
        el("div", { className: "row g-2 mt-1" }, [
          labelled(labels.guidance, guidance, "col-12 col-md-8"),
          labelled(labels.suggest, suggest, "col-12 col-md-4")
        ])
      ]);
    }

    function render() {
      sync();
      root.replaceChildren();
      data.sections.forEach(function (section, sIndex) {
        section.items = section.items || [];
        var title = el("input", { className: "form-control", value: section.title || "", placeholder: labels.sectionTitle });
        title.addEventListener("input", function () { section.title = title.value; sync(); });
        var addItem = el("button", { type: "button", className: "btn btn-sm btn-outline-primary", text: labels.addItem });
        addItem.addEventListener("click", function () {
          section.items.push({ key: "", text: "", type: "yes_no", weight: 1, critical: false, guidance: "" });
          render();
        });
        var removeSection = el("button", { type: "button", className: "btn btn-sm btn-outline-danger", text: labels.removeSection });
        removeSection.addEventListener("click", function () { data.sections.splice(sIndex, 1); render(); });
        var box = el("fieldset", { className: "border rounded p-3 mb-3" }, [
          el("div", { className: "d-flex gap-2 mb-2" }, [title, removeSection])
        ]);
        section.items.forEach(function (item, index) { box.appendChild(itemRow(section, item, index)); });
        box.appendChild(addItem);
        root.appendChild(box);
      });
      var addSection = el("button", { type: "button", className: "btn btn-outline-primary", text: labels.addSection });
      addSection.addEventListener("click", function () {
        data.sections.push({ title: "", items: [{ key: "", text: "", type: "yes_no", weight: 1, critical: false, guidance: "" }] });
        render();
      });
      root.appendChild(addSection);
    }

    // Keys of new items stay empty: the server gives them unique ones.
    root.hidden = false;
    render();
    source.addEventListener("change", function () {
      try { data = JSON.parse(source.value); render(); } catch (e) { /* fixed on submit by the server */ }
    });
  }

  /* Same arithmetic as scoring.scorecard.compute_score: weighted percentage over applicable
     items, N/A dropped, a failed critical item (No, or 0 on a scale) gives 0. */
  function initPreview(form) {
    var output = form.querySelector("[data-score-preview]");
    if (!output) { return; }
    function update() {
      var earned = 0, possible = 0, failed = false, answered = 0;
      var items = form.querySelectorAll(".scorecard-item");
      items.forEach(function (item) {
        var checked = item.querySelector("input[type=radio]:checked");
        if (!checked) { return; }
        answered += 1;
        if (checked.value === "na") { return; }
        var weight = parseFloat(item.dataset.weight);
        var fraction = item.dataset.type === "yes_no"
          ? (checked.value === "yes" ? 1 : 0)
          : parseInt(checked.value, 10) / parseInt(item.dataset.max, 10);
        if (item.dataset.critical === "true" && fraction === 0) { failed = true; }
        earned += weight * fraction;
        possible += weight;
      });
      if (answered === 0) { output.hidden = true; return; }
      var text = failed ? "0%" : (possible ? Math.round(100 * earned / possible) + "%" : "–");
      if (answered < items.length) { text += " (" + answered + "/" + items.length + ")"; }
      output.querySelector("strong").textContent = text;
      output.hidden = false;
    }
    form.addEventListener("change", update);
    update();
  }

  /* Answer keys: 1-9 and 0 answer a scale item, Y / N / A a yes-no-N/A item (A is N/A on a
     scale too); the answer moves on to the next item. Keys typed in a text field are text. */
  var TEXT_FIELD = "textarea, select, [contenteditable], input:not([type=radio]):not([type=checkbox])";
  var YES_NO_KEYS = { y: "yes", n: "no", a: "na" };

  function initAnswerKeys(form) {
    var items = Array.prototype.slice.call(form.querySelectorAll(".scorecard-item"));
    if (!items.length) { return; }
    var current = null;

    function setCurrent(item) {
      if (current) { current.classList.remove("is-current-item"); }
      current = item;
      if (current) {
        current.classList.add("is-current-item");
        current.scrollIntoView({ block: "nearest" });
      }
    }

    function firstUnanswered() {
      return items.find(function (item) {
        return !item.querySelector("input[type=radio]:checked");
      }) || items[0];
    }

    form.addEventListener("focusin", function (event) {
      var item = event.target.closest(".scorecard-item");
      if (item) { setCurrent(item); }
    });
    form.addEventListener("click", function (event) {
      var item = event.target.closest(".scorecard-item");
      if (item && item !== current) { setCurrent(item); }
    });

    document.addEventListener("keydown", function (event) {
      if (event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) { return; }
      if (event.target.closest && event.target.closest(TEXT_FIELD)) { return; }
      var key = (event.key || "").toLowerCase();
      var item = current || firstUnanswered();
      var value = /^[0-9]$/.test(key) && item.dataset.type === "scale" ? key
        : item.dataset.type === "yes_no" ? YES_NO_KEYS[key]
        : key === "a" ? "na" : undefined;
      if (value === undefined) { return; }
      var radio = item.querySelector("input[type=radio][value='" + value + "']");
      if (!radio) { return; }
      event.preventDefault();
      radio.checked = true;
      radio.dispatchEvent(new Event("change", { bubbles: true }));
      var next = items[items.indexOf(item) + 1];
      setCurrent(next || item);
    });
  }

  /* Drafts: the form is saved to the server a moment after each change (restored on reload,
     on any device); submitting the review discards the draft. */
  function initDraft(form) {
    var url = form.dataset.draftUrl;
    var status = form.querySelector("[data-draft-status]");
    if (!url || !status) { return; }
    var timer = null;
    var submitting = false;

    function save() {
      timer = null;
      if (submitting) { return; }
      fetch(url, {
        method: "POST",
        body: new FormData(form),
        credentials: "same-origin",
        headers: { Accept: "application/json" }
      }).then(function (response) {
        return response.json().then(function (data) {
          if (response.ok) {
            status.textContent = data.saved;
            status.classList.remove("text-danger");
          } else {
            status.textContent = form.dataset.draftFailed + " " + (data.error || data.message || "");
            status.classList.add("text-danger");
          }
        });
      }).catch(function () {
        status.textContent = form.dataset.draftFailed;
        status.classList.add("text-danger");
      });
    }

    function later() {
      if (timer) { clearTimeout(timer); }
      timer = setTimeout(save, 600);
    }
    form.addEventListener("change", later);
    form.addEventListener("input", later);
    form.addEventListener("submit", function () {
      submitting = true;
      if (timer) { clearTimeout(timer); }
    });
  }

  document.querySelectorAll("#scorecard-editor").forEach(initEditor);
  document.querySelectorAll(".scorecard-form").forEach(initPreview);
  document.querySelectorAll(".scorecard-form").forEach(initAnswerKeys);
  document.querySelectorAll(".scorecard-form").forEach(initDraft);
})();
