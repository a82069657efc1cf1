// Live ad audit: while the user types, ask /ads/check for the verdict and show it.
// The server returns the verdict already rendered and escaped; nothing typed is inserted as HTML here.
(function () {
  "use strict";
  const box = document.getElementById("ad-check-form");
  if (!box) return;
  const textarea = box.querySelector("textarea[name=text]");
  const lang = box.querySelector("select[name=lang]");
  // Dates without a year are read in the chosen campaign's period, as in the saved audit.
  const campaign = box.querySelector("select[name=campaign_id]");
  const online = box.querySelector("input[name=online]");
  const result = document.getElementById("ad-live-result");
  const error = document.getElementById("ad-live-error");
  let timer = null;
  let latest = 0;

  function check() {
    const sent = ++latest;
    fetch(box.dataset.checkUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": box.dataset.csrf },
      body: JSON.stringify({
        text: textarea.value,
        lang: lang ? lang.value : "",
        campaign_id: campaign && Number(campaign.value) > 0 ? Number(campaign.value) : null,
        online: Boolean(online && online.checked),
      }),
    })
      .then((response) => response.json().then((data) => ({ ok: response.ok, data })))
      .then(({ ok, data }) => {
        if (sent !== latest) return; // an answer to older text arrived late
        error.textContent = ok ? "" : data.error || "";
        if (ok) result.innerHTML = data.html;
      })
      .catch(() => {
        if (sent === latest) error.textContent = box.dataset.offline || "";
      });
  }

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(check, 400);
  }

  textarea.addEventListener("input", schedule);
  if (lang) lang.addEventListener("change", schedule);
  if (campaign) campaign.addEventListener("change", schedule);
  if (online) online.addEventListener("change", schedule);
  if (textarea.value.trim()) check();
})();
