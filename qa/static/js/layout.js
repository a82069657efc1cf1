// Positions and widths computed on the server (timeline turns and flags, talk ratio) arrive as
// data-left / data-width percentages: the Content-Security-Policy refuses style attributes, but
// not styles set through the CSSOM, as here.
(function () {
  "use strict";
  document.querySelectorAll("[data-left], [data-width]").forEach((element) => {
    if (element.dataset.left !== undefined) element.style.left = `${element.dataset.left}%`;
    if (element.dataset.width !== undefined) element.style.width = `${element.dataset.width}%`;
  });
})();
