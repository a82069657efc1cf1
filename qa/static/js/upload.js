// One submission per click: a double click would send the same recordings twice (the second
// copy is refused as a duplicate, but the page would then show that refusal instead of the calls).
(() => {
  const form = document.getElementById('upload-form');
  if (!form) return;
  form.addEventListener('submit', () => {
    const button = form.querySelector('button[type=submit]');
    if (!button) return;
    button.disabled = true;
    button.textContent = button.dataset.busyText || button.textContent;
  });
})();
