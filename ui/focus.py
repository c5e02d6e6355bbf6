"""Keyboard focus that survives a rerun: Enter on a button leaves the focus near it.

Pressing Enter on a button reruns the script; when the button is drawn again (Save) or
replaced (an example button, gone once the example is loaded), the browser drops the
focus to the page body, and a keyboard user starts again from the top.  The script
below remembers which widget key got the Enter and, once the run has finished and the
focus is lost, gives the focus back to that button, or to where its action lives on
(the example buttons' menu).  It is the app's own code, never built from user text.
"""

from __future__ import annotations

import json

EXAMPLES_MENU = '.st-key-_toolbar-examples [data-testid="stPopoverButton"]'
#: Widget key class prefixes whose button is gone (or switched off) after it is used,
#: and what takes the focus instead: the examples' menu button; after Save, which has
#: nothing left to save, the note field beside it (not New catalog: a second Enter
#: there would start over).
FALLBACKS = {
    "st-key-_welcome-": EXAMPLES_MENU,
    "st-key-_example-": EXAMPLES_MENU,
    "st-key-_persist-save": ".st-key-_persist-note input",
}

_SCRIPT = """
<script>
(() => {
  if (window.__catalogFocusKeeper) return;
  window.__catalogFocusKeeper = true;
  const fallbacks = Object.entries(%s);
  let pending = null;
  let generation = 0;  // a newer key press or click cancels older looks
  let watch = null;  // {key, until, mine}: whose focus is looked after, until when
  const keyOf = (element) => {
    const box = element.closest('[class*="st-key-"]');
    return box ? [...box.classList].find((c) => c.startsWith("st-key-")) : null;
  };
  document.addEventListener("keydown", (event) => {
    const target = event.target;
    if ((event.key === "Enter" || event.key === " ") && target instanceof Element
        && target.closest("button")) {
      pending = keyOf(target);
      // Looked after from now on, not only once the run is seen to end: a short run
      // can start and end between two renders, leaving the run state unchanged.
      generation += 1;
      watch = pending ? {key: pending, until: performance.now() + 5000, mine: generation} : null;
    }
  }, true);
  document.addEventListener("mousedown", () => {
    pending = null;
    watch = null;
    generation += 1;
  }, true);
  const giveBack = (key) => {
    const active = document.activeElement;
    // Kept: focus on something visible (a closed menu's buttons are not).
    if (active && active !== document.body && active.offsetParent !== null
        && !active.closest('[data-stale="true"]')) return true;
    let target = document.querySelector("." + CSS.escape(key) + " button:not([disabled])");
    if (!target) {
      const match = fallbacks.find(([prefix]) => key.startsWith(prefix));
      target = match ? document.querySelector(match[1]) : null;
    }
    if (target) target.focus({ preventScroll: true });
    return Boolean(target);
  };
  const look = () => {
    if (watch && watch.mine === generation && performance.now() < watch.until) {
      giveBack(watch.key);
    }
  };
  const finished = () => {
    const app = document.querySelector('[data-testid="stApp"]');
    if (!pending || !app || app.dataset.testScriptState !== "notRunning") return;
    const key = pending;
    pending = null;
    // React removes the previous run's elements just after the run ends, and a run that
    // follows (the page after the editor) can replace the element that got the focus:
    // for five seconds, look again whenever the page changes and the focus is lost, and
    // at a few moments besides.  Looks change nothing while the focus is somewhere.
    watch = {key, until: performance.now() + 5000, mine: generation};
    for (const delay of [0, 100, 300, 800, 1500, 3000]) setTimeout(look, delay);
  };
  new MutationObserver(finished).observe(document.body, {
    attributes: true, subtree: true, attributeFilter: ["data-test-script-state"],
  });
  new MutationObserver(() => {
    const active = document.activeElement;
    if (watch && (!active || active === document.body)) look();
  }).observe(document.body, {childList: true, subtree: true});
})();
</script>
""" % json.dumps(FALLBACKS)  # noqa: UP031 - the script is full of braces

#: The ``st.html`` body that installs the focus keeper (once per page load).
SCRIPT = _SCRIPT
