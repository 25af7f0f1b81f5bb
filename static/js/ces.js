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
