// Call page: the "Coaching example" button opens the form at what the reviewer chose. Text
// selected in the transcript gives its line (or, over several lines, their time range);
// otherwise the player's position gives the start of the range.
(function () {
  "use strict";

  function lineOf(node) {
    const element = node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement;
    return element?.closest("#transcript .transcript-line") || null;
  }

  function selectedLines() {
    const selection = window.getSelection();
    if (!selection || selection.rangeCount === 0 || selection.isCollapsed) return null;
    const range = selection.getRangeAt(0);
    const first = lineOf(range.startContainer);
    const last = lineOf(range.endContainer);
    return first && last ? [first, last] : null;
  }

  const button = document.getElementById("coaching-new");
  if (!button) return;
  // The selection is gone by the time the click lands: remember it on press.
  let chosen = null;
  button.addEventListener("pointerdown", function () {
    chosen = selectedLines();
  });
  button.addEventListener("click", function () {
    const url = new URL(button.href, window.location.href);
    for (const name of ["segment", "t", "end"]) url.searchParams.delete(name);
    const lines = chosen || selectedLines();
    const player = document.getElementById("player");
    if (lines && lines[0] === lines[1]) {
      url.searchParams.set("segment", lines[0].dataset.segmentId);
    } else if (lines) {
      url.searchParams.set("t", lines[0].dataset.start);
      url.searchParams.set("end", lines[1].dataset.end);
    } else if (player && player.currentTime > 0) {
      url.searchParams.set("t", player.currentTime.toFixed(1));
    }
    button.href = url.toString();
  });
})();
