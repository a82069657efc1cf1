// Live transcription status: polls /calls/<id>/status for every call still queued or running,
// updates its badge, progress bar and cancel/retry buttons, and reloads a call page when done.
(function () {
  "use strict";

  const PENDING = new Set(["uploaded", "queued", "transcribing"]);
  const INTERVAL_MS = 3000;
  // Names and badge colours of the call statuses come from the page (qa/vocabulary.py).
  const labels = {};
  const COLOURS = {};
  document.querySelectorAll("#status-labels [data-status]").forEach((span) => {
    labels[span.dataset.status] = span.textContent.trim();
    COLOURS[span.dataset.status] = span.dataset.colour;
  });

  function containerOf(badge) {
    return badge.closest("tr") || document.getElementById("job-panel") || document.body;
  }

  function render(badge, data) {
    const status = data.status;
    badge.dataset.status = status;
    badge.textContent = labels[status] || status;
    badge.className = `badge text-bg-${COLOURS[status] || "secondary"} call-status`;
    badge.title = data.error || "";
    const box = containerOf(badge);
    const bar = box.querySelector(".call-progress");
    if (bar) {
      const running = status === "queued" || status === "transcribing";
      bar.classList.toggle("d-none", !running);
      const progress = data.job ? Math.round((data.job.progress || 0) * 100) : 0;
      bar.querySelector(".progress-bar").style.width = `${progress}%`;
      bar.setAttribute("aria-valuenow", String(progress));
    }
    const error = box.querySelector(".job-error");
    if (error) error.textContent = data.error || "";
    box.querySelectorAll(".job-cancel").forEach((f) =>
      f.classList.toggle("d-none", !(status === "queued" || status === "transcribing")),
    );
    box.querySelectorAll(".job-retry").forEach((f) =>
      f.classList.toggle("d-none", !["failed", "cancelled", "uploaded"].includes(status)),
    );
  }

  async function poll(badge) {
    try {
      const response = await fetch(badge.dataset.statusUrl, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      if (!response.ok) return false;
      const data = await response.json();
      const before = badge.dataset.status;
      document
        .querySelectorAll(`.call-status[data-status-url="${badge.dataset.statusUrl}"]`)
        .forEach((b) => render(b, data));
      if (data.finished && before !== data.status && document.getElementById("player")) {
        // The call page shows the transcript once it exists; keep the user's place otherwise.
        const audio = document.getElementById("player");
        if (audio.paused) window.location.reload();
      }
      return !data.finished;
    } catch (e) {
      return true;
    }
  }

  const seen = new Set();
  const pending = Array.from(document.querySelectorAll(".call-status")).filter((badge) => {
    if (!PENDING.has(badge.dataset.status) || seen.has(badge.dataset.statusUrl)) return false;
    seen.add(badge.dataset.statusUrl);
    return true;
  });

  function schedule(badges) {
    if (!badges.length) return;
    setTimeout(async () => {
      const still = [];
      for (const badge of badges) {
        if (await poll(badge)) still.push(badge);
      }
      schedule(still);
    }, INTERVAL_MS);
  }
  schedule(pending);
})();
