// Progressive enhancement only: every page works without JavaScript.
// After an HTMX swap, move keyboard focus to the new content so screen-reader
// and keyboard users land where the result appeared.
document.addEventListener("htmx:afterSwap", (event) => {
  const target = event.detail.target;
  if (target && target.id === "results") {
    target.setAttribute("tabindex", "-1");
    target.focus({ preventScroll: false });
  }
});

// Intake answers: in a keyed group (yes/no/doesn't know/refused/not collected),
// one keystroke picks an answer: y, n, d, r, x (or f, p for data quality).
document.addEventListener("keydown", (event) => {
  if (event.ctrlKey || event.metaKey || event.altKey) return;
  const group = event.target.closest && event.target.closest("fieldset.keyed");
  if (!group) return;
  const radio = group.querySelector(`input[type=radio][data-key="${event.key.toLowerCase()}"]`);
  if (!radio) return;
  event.preventDefault();
  radio.checked = true;
  radio.focus();
  radio.dispatchEvent(new Event("change", { bubbles: true }));
});

// After an intake error, bring the agent to the list of what to fix.
document.addEventListener("DOMContentLoaded", () => {
  const summary = document.getElementById("error-summary");
  if (summary) summary.focus();
});
