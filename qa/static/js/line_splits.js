// Call page: split a line at a word and merge it with the next. With the line's "Split or
// merge" panel open, a click on a word in the line chooses it as the first word of the new
// line; the preview shows the two lines the split would leave.
(function () {
  "use strict";

  function preview(form) {
    const line = form.closest(".transcript-line");
    const select = form.querySelector(".split-word");
    const out = form.querySelector(".split-preview");
    if (!line || !select || !out) return;
    const words = line.querySelector(".line-words").textContent.split(/\s+/).filter(Boolean);
    const index = Number(select.value);
    out.textContent = "«" + words.slice(0, index).join(" ") + "» | «" +
      words.slice(index).join(" ") + "»";
  }

  // The number of the word under a click at (node, offset) within a line's words.
  function wordIndexAt(words, node, offset) {
    const range = document.createRange();
    range.selectNodeContents(words);
    range.setEnd(node, offset);
    const before = range.toString();
    const tokens = before.split(/\s+/).filter(Boolean);
    // Inside a word: that word; after a space: the next one.
    return /\s$/.test(before) || before === "" ? tokens.length : tokens.length - 1;
  }

  document.querySelectorAll(".split-form").forEach((form) => {
    form.querySelector(".split-word")?.addEventListener("change", () => preview(form));
    preview(form);
  });

  document.getElementById("transcript")?.addEventListener("click", (event) => {
    const words = event.target.closest?.(".line-words");
    if (!words) return;
    const line = words.closest(".transcript-line");
    // Only while the line's panel is open (or opening).
    const panel = line?.querySelector(".line-structure");
    const form = panel?.querySelector(".split-form");
    if (!form || panel.offsetHeight === 0) return;
    const selection = window.getSelection();
    if (!selection || selection.rangeCount === 0 || !selection.isCollapsed) return;
    const range = selection.getRangeAt(0);
    const index = wordIndexAt(words, range.startContainer, range.startOffset);
    const select = form.querySelector(".split-word");
    const option = select.querySelector(`option[value="${index}"]`);
    if (!option) return;
    select.value = String(index);
    preview(form);
  });
})();
