// Call page: audio player synced with the transcript, flags on the timeline, keyboard shortcuts,
// and selecting runs of lines on mono calls.
(function () {
  "use strict";

  const audio = document.getElementById("player");
  if (!audio) return;

  const lines = Array.from(document.querySelectorAll("#transcript .transcript-line"));
  const starts = lines.map((li) => parseFloat(li.dataset.start));
  const ends = lines.map((li) => parseFloat(li.dataset.end));
  const flagTimes = Array.from(document.querySelectorAll(".timeline-marker"))
    .map((m) => parseFloat(m.dataset.time))
    .sort((a, b) => a - b);
  const playButton = document.getElementById("play-button");
  const currentTime = document.getElementById("current-time");
  const progress = document.getElementById("timeline-progress");
  const timeline = document.getElementById("timeline");
  const speed = document.getElementById("speed");
  let duration = parseFloat(audio.dataset.duration) || 0;
  let activeIndex = -1;

  function clock(seconds) {
    const total = Math.max(0, Math.round(seconds));
    const h = Math.floor(total / 3600);
    const m = Math.floor((total % 3600) / 60);
    const s = String(total % 60).padStart(2, "0");
    return h ? `${h}:${String(m).padStart(2, "0")}:${s}` : `${m}:${s}`;
  }

  function seek(seconds, play) {
    audio.currentTime = Math.max(0, seconds);
    if (play) audio.play().catch(() => {});
    update();
  }

  // The line being spoken at `t`: the last line that started at or before t.
  function lineIndexAt(t) {
    let low = 0;
    let high = starts.length - 1;
    let found = -1;
    while (low <= high) {
      const mid = (low + high) >> 1;
      if (starts[mid] <= t + 0.01) {
        found = mid;
        low = mid + 1;
      } else {
        high = mid - 1;
      }
    }
    return found;
  }

  function isVisible(el) {
    const rect = el.getBoundingClientRect();
    return rect.top >= 0 && rect.bottom <= window.innerHeight;
  }

  function update() {
    const t = audio.currentTime || 0;
    if (currentTime) currentTime.textContent = clock(t);
    if (progress && duration > 0) progress.style.width = `${Math.min(100, (t / duration) * 100)}%`;
    if (timeline) timeline.setAttribute("aria-valuenow", t.toFixed(1));
    let index = lineIndexAt(t);
    if (index >= 0 && t > ends[index] + 1.5 && !audio.paused) index = -1;
    if (index === activeIndex) return;
    if (activeIndex >= 0) lines[activeIndex].classList.remove("is-current");
    activeIndex = index;
    if (index >= 0) {
      lines[index].classList.add("is-current");
      if (!audio.paused && !isVisible(lines[index])) {
        lines[index].scrollIntoView({ block: "center", behavior: "smooth" });
      }
    }
  }

  function togglePlay() {
    if (audio.paused) audio.play().catch(() => {});
    else audio.pause();
  }

  function step(direction) {
    const t = audio.currentTime || 0;
    let index = lineIndexAt(t);
    if (direction > 0) index = Math.min(lines.length - 1, index + 1);
    // "Previous" from the middle of a line goes back to its start first.
    else if (index >= 0 && t - starts[index] < 1) index = Math.max(0, index - 1);
    if (index >= 0 && lines.length) seek(starts[index], !audio.paused);
  }

  function nextFlag() {
    if (!flagTimes.length) return;
    const t = audio.currentTime || 0;
    const next = flagTimes.find((f) => f > t + 0.25);
    seek(next === undefined ? flagTimes[0] : next, true);
  }

  function changeSpeed(delta) {
    if (!speed) return;
    const options = Array.from(speed.options).map((o) => parseFloat(o.value));
    const current = options.indexOf(audio.playbackRate);
    const index = Math.min(options.length - 1, Math.max(0, (current < 0 ? 0 : current) + delta));
    speed.value = String(options[index]);
    audio.playbackRate = options[index];
  }

  audio.addEventListener("timeupdate", update);
  audio.addEventListener("seeked", update);
  audio.addEventListener("play", () => document.body.classList.add("is-playing"));
  audio.addEventListener("pause", () => document.body.classList.remove("is-playing"));
  audio.addEventListener("loadedmetadata", () => {
    if (Number.isFinite(audio.duration) && audio.duration > 0) duration = audio.duration;
    const start = parseFloat(audio.dataset.start) || 0;
    if (start > 0) seek(start, false);
  });
  // Seek at once for ?t= links even before the metadata arrives (the browser applies it later).
  const startAt = parseFloat(audio.dataset.start) || 0;
  if (startAt > 0) {
    try {
      audio.currentTime = startAt;
    } catch (e) {
      /* applied on loadedmetadata */
    }
    const index = lineIndexAt(startAt);
    if (index >= 0) {
      lines[index].classList.add("is-current");
      activeIndex = index;
      lines[index].scrollIntoView({ block: "center" });
    }
  }

  if (playButton) playButton.addEventListener("click", togglePlay);
  document.getElementById("prev-turn")?.addEventListener("click", () => step(-1));
  document.getElementById("next-turn")?.addEventListener("click", () => step(1));
  document.getElementById("next-flag")?.addEventListener("click", nextFlag);
  if (speed) speed.addEventListener("change", () => (audio.playbackRate = parseFloat(speed.value)));

  if (timeline) {
    timeline.addEventListener("click", (event) => {
      const marker = event.target.closest(".timeline-marker");
      if (marker) {
        seek(parseFloat(marker.dataset.time), true);
        return;
      }
      const rect = timeline.getBoundingClientRect();
      if (duration > 0 && rect.width > 0) {
        seek(((event.clientX - rect.left) / rect.width) * duration, !audio.paused);
      }
    });
  }

  // Clicking a line plays from its start; controls inside the line keep their own behaviour.
  document.getElementById("transcript")?.addEventListener("click", (event) => {
    if (event.target.closest("a, textarea, input, form, details, .line-edit, .line-select")) return;
    const timeButton = event.target.closest("[data-time]");
    const line = event.target.closest(".transcript-line");
    if (timeButton) seek(parseFloat(timeButton.dataset.time), true);
    else if (line && window.getSelection().toString() === "") seek(parseFloat(line.dataset.start), true);
  });

  function jumpToFinding(item) {
    seek(parseFloat(item.dataset.time), true);
    const line = document.getElementById(`seg-${item.dataset.segmentId}`);
    if (line) {
      line.scrollIntoView({ block: "center", behavior: "smooth" });
      line.classList.add("is-jumped");
      setTimeout(() => line.classList.remove("is-jumped"), 1500);
    }
  }
  document.querySelectorAll(".flag-item").forEach((item) => {
    item.addEventListener("click", () => jumpToFinding(item));
    item.addEventListener("keydown", (event) => {
      if (event.target !== item) return; // a button inside the item keeps its own keys
      if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        jumpToFinding(item);
      }
    });
  });
  document.querySelectorAll("#conversation-facts [data-time]").forEach((button) => {
    button.addEventListener("click", () => seek(parseFloat(button.dataset.time), true));
  });

  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.target.closest("input, textarea, select, [contenteditable]")) return;
    const key = event.key;
    if (key === " " || key === "k") {
      event.preventDefault();
      togglePlay();
    } else if (key === "ArrowRight" || key === "l") {
      event.preventDefault();
      step(1);
    } else if (key === "ArrowLeft" || key === "j") {
      event.preventDefault();
      step(-1);
    } else if (key === "f" || key === "F") {
      event.preventDefault();
      nextFlag();
    } else if (key === "+" || key === "=") {
      changeSpeed(1);
    } else if (key === "-") {
      changeSpeed(-1);
    }
  });

  // Mono calls: tick lines, Shift-click ticks the whole run since the last tick.
  const speakerForm = document.getElementById("speaker-form");
  if (speakerForm) {
    const boxes = Array.from(document.querySelectorAll(".line-select"));
    const idsField = document.getElementById("segment-ids");
    const count = document.getElementById("selected-count");
    const buttons = speakerForm.querySelectorAll("button[name=speaker]");
    let lastIndex = -1;
    const refresh = () => {
      const ids = boxes.filter((b) => b.checked).map((b) => b.value);
      idsField.value = ids.join(",");
      count.textContent = String(ids.length);
      buttons.forEach((b) => (b.disabled = ids.length === 0));
      boxes.forEach((b) => b.closest(".transcript-line").classList.toggle("is-selected", b.checked));
    };
    boxes.forEach((box, index) => {
      box.addEventListener("click", (event) => {
        if (event.shiftKey && lastIndex >= 0) {
          const [low, high] = [Math.min(lastIndex, index), Math.max(lastIndex, index)];
          for (let i = low; i <= high; i += 1) boxes[i].checked = box.checked;
        }
        lastIndex = index;
        refresh();
      });
    });
    refresh();
  }
})();
