// Ad video page: clicking a piece of evidence or a thumbnail seeks the player to its moment.
(function () {
  "use strict";
  var video = document.getElementById("ad-video");
  if (!video) {
    return;
  }
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
})();
