// Call page comments: a comment (in a line, in the side list or its marker on the timeline)
// seeks the player to its moment; "Now" fills the range form with the player's time.
(function () {
  "use strict";

  const audio = document.getElementById("player");
  if (!audio) return;

  function seekTo(seconds) {
    if (!Number.isFinite(seconds)) return;
    audio.currentTime = Math.max(0, seconds);
    audio.dispatchEvent(new Event("timeupdate"));
  }

  function highlight(commentId) {
    document.querySelectorAll(`[data-comment-id="${commentId}"].comment-thread`).forEach((el) => {
      el.classList.add("is-jumped");
      setTimeout(() => el.classList.remove("is-jumped"), 1500);
    });
  }

  document.querySelectorAll(".timeline-comment").forEach((marker) => {
    marker.addEventListener("click", (event) => {
      event.stopPropagation(); // the timeline's own click would seek to the pointer instead
      seekTo(parseFloat(marker.dataset.time));
      highlight(marker.dataset.commentId);
      const thread = document.querySelector(`#comment-list .comment-thread[data-comment-id="${marker.dataset.commentId}"]`);
      if (thread) thread.scrollIntoView({ block: "nearest", behavior: "smooth" });
    });
  });

  document.querySelectorAll(".comment-thread[data-time]").forEach((thread) => {
    thread.addEventListener("click", (event) => {
      // Forms, buttons and links inside a thread keep their own behaviour.
      const control = event.target.closest("a, textarea, input, form, details, summary");
      if (control && thread.contains(control)) return;
      const time = parseFloat(thread.dataset.time);
      if (Number.isNaN(time)) return;
      event.stopPropagation(); // inside a transcript line, the line would seek to its start
      seekTo(time);
      highlight(thread.dataset.commentId);
    });
  });

  const now = document.getElementById("comment-now");
  if (now) {
    now.addEventListener("click", () => {
      const start = document.getElementById("comment-start");
      if (start) start.value = audio.currentTime.toFixed(1);
    });
  }
})();
