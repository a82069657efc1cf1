// Ad video pages: clicking a piece of evidence or a thumbnail seeks the player to its moment;
// while an audit is queued or running, its state is polled from /ads/videos/<id>/status, and the
// video page reloads to show the verdict once it is done (unless the video is playing).
(function () {
  "use strict";
  var video = document.getElementById("ad-video");
  if (video) {
    document.addEventListener("click", function (event) {
      var target = event.target.closest("[data-seek]");
      if (!target) {
        return;
      }
      var moment = parseFloat(target.getAttribute("data-seek"));
      if (isNaN(moment)) {
        return;
      }
      video.pause();
      video.currentTime = moment;
      video.scrollIntoView({ block: "nearest" });
    });
  }

  var PENDING = ["queued", "running"];
  var INTERVAL_MS = 3000;
  var labels = {};
  var colours = {};
  document.querySelectorAll("#audit-state-labels [data-status]").forEach(function (span) {
    labels[span.dataset.status] = span.textContent.trim();
    colours[span.dataset.status] = span.dataset.colour;
  });

  function render(badge, data) {
    badge.dataset.status = data.status;
    badge.textContent = labels[data.status] || data.status;
    badge.className = "badge text-bg-" + (colours[data.status] || "secondary") + " ad-video-state";
    badge.title = data.error || "";
    var panel = document.getElementById("audit-state-panel");
    if (panel) {
      var failed = data.status === "failed";
      panel.classList.toggle("d-none", !failed && PENDING.indexOf(data.status) < 0);
      panel.classList.toggle("alert-danger", failed);
      panel.classList.toggle("alert-info", !failed);
      panel.querySelector(".audit-state-pending").classList.toggle("d-none", failed);
      panel.querySelector(".audit-state-failed").classList.toggle("d-none", !failed);
      panel.querySelector(".ad-video-error").textContent = data.error || "";
    }
  }

  function poll(badge) {
    return fetch(badge.dataset.statusUrl, {
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (data) {
        if (!data) {
          return false;
        }
        render(badge, data);
        if (data.finished && data.status === "done" && video && video.paused) {
          window.location.reload();
        }
        return !data.finished;
      })
      .catch(function () {
        return true;
      });
  }

  function schedule(badges) {
    if (!badges.length) {
      return;
    }
    setTimeout(function () {
      Promise.all(badges.map(poll)).then(function (going) {
        schedule(badges.filter(function (_badge, i) {
          return going[i];
        }));
      });
    }, INTERVAL_MS);
  }

  schedule(
    Array.from(document.querySelectorAll(".ad-video-state")).filter(function (badge) {
      return PENDING.indexOf(badge.dataset.status) >= 0;
    })
  );
})();
