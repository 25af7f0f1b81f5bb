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

// The STOP box is redrawn when the name, DOB or SSN changes. If the agent chose a person (or
// "new") while that redraw was on its way, keep the choice when it is still offered, and save it.
document.addEventListener("htmx:oobBeforeSwap", (event) => {
  const target = event.detail.target;
  if (!target || target.id !== "dup-panel") return;
  const chosen = target.querySelector("input[name=_client_id]:checked");
  if (!chosen) return;
  const same = event.detail.fragment.querySelector(`input[name=_client_id][value="${CSS.escape(chosen.value)}"]`);
  if (same && !same.hasAttribute("checked")) {
    same.setAttribute("checked", "");
    setTimeout(() => {
      const radio = document.querySelector(`#dup-panel input[name=_client_id][value="${CSS.escape(chosen.value)}"]`);
      if (radio) radio.dispatchEvent(new Event("change", { bubbles: true }));
    }, 0);
  }
});

// When the DV offer appears (after the safety questions, or after "fleeing" in the VI), bring it
// into view where the agent is working; keyboard focus stays on the answer just given.
document.addEventListener("htmx:oobAfterSwap", (event) => {
  const slot = event.target;
  if (!slot || !slot.id || !slot.id.startsWith("dv-slot-")) return;
  const banner = slot.querySelector("#dv-banner");
  if (banner) banner.scrollIntoView({ block: "nearest" });
});

// Validation as the agent goes: the "please check" list at the top is kept up to date while it
// is shown (it never appears above the agent's cursor mid-call), and a question's red mark
// follows its messages.
document.addEventListener("htmx:oobBeforeSwap", (event) => {
  const target = event.detail.target;
  if (target && target.id === "error-summary-wrap" && !target.querySelector(".error-summary")) {
    event.detail.shouldSwap = false;
  }
});
document.addEventListener("htmx:oobAfterSwap", (event) => {
  const box = event.target;
  if (!box || !box.id || !box.id.startsWith("errs-")) return;
  const question = box.closest(".question");
  if (question) question.classList.toggle("has-error", box.children.length > 0);
});
