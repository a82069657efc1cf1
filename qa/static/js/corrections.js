// Call page: select words in a customer line to mark a missed objection. The selection's
// character offsets within the line's text fill the line's form; typing in the words field
// instead clears them, and the server then finds the typed words in the line.
(function () {
  "use strict";

  // Offset of (node, offset) counted in characters from the start of `root`'s text.
  function offsetIn(root, node, offset) {
    const range = document.createRange();
    range.selectNodeContents(root);
    range.setEnd(node, offset);
    return range.toString().length;
  }

  function wordsOf(node) {
    const element = node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement;
    return element?.closest(".line-words") || null;
  }

  function fillFrom(selection) {
    if (!selection || selection.rangeCount === 0 || selection.isCollapsed) return;
    const range = selection.getRangeAt(0);
    const start = wordsOf(range.startContainer);
    const end = wordsOf(range.endContainer);
    if (!start || start !== end) return; // within one line's words only
    const words = start;
    const line = words.closest(".transcript-line");
    const details = line?.querySelector(".missed-mark");
    if (!details) return;
    const first = offsetIn(words, range.startContainer, range.startOffset);
    const last = offsetIn(words, range.endContainer, range.endOffset);
    if (last <= first || !range.toString().trim()) return;
    details.querySelector(".missed-start").value = String(first);
    details.querySelector(".missed-end").value = String(last);
    details.querySelector(".missed-words").value = range.toString().trim();
    details.open = true;
  }

  document.getElementById("transcript")?.addEventListener("mouseup", () => {
    fillFrom(window.getSelection());
  });
  document.addEventListener("keyup", (event) => {
    if (event.shiftKey) fillFrom(window.getSelection());
  });
  for (const input of document.querySelectorAll(".missed-words")) {
    input.addEventListener("input", () => {
      const form = input.closest("form");
      form.querySelector(".missed-start").value = "";
      form.querySelector(".missed-end").value = "";
    });
  }
  // A "Wrong flag" button inside a flag item must not also jump the player.
  for (const form of document.querySelectorAll(".wrong-flag-form")) {
    form.addEventListener("click", (event) => event.stopPropagation());
  }
})();
