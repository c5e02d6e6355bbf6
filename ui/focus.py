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
  const keyOf = (element) => {
    const box = element.closest('[class*="st-key-"]');
    return box ? [...box.classList].find((c) => c.startsWith("st-key-")) : null;
  };
  document.addEventListener("keydown", (event) => {
    const target = event.target;
    if ((event.key === "Enter" || event.key === " ") && target instanceof Element
        && target.closest("button")) {
      pending = keyOf(target);
      generation += 1;
    }
  }, true);
  document.addEventListener("mousedown", () => { pending = null; generation += 1; }, true);
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
  const finished = () => {
    const app = document.querySelector('[data-testid="stApp"]');
    if (!pending || !app || app.dataset.testScriptState !== "notRunning") return;
    const key = pending;
    pending = null;
    // React removes the previous run's elements just after the run ends: look again.
    // On a busy machine that can take a while: later looks change nothing once focused.
    const mine = ++generation;
    for (const delay of [0, 100, 300, 800, 1500, 3000]) {
      setTimeout(() => { if (mine === generation) giveBack(key); }, delay);
    }
  };
  new MutationObserver(finished).observe(document.body, {
    attributes: true, subtree: true, attributeFilter: ["data-test-script-state"],
  });
})();
</script>
""" % json.dumps(FALLBACKS)  # noqa: UP031 - the script is full of braces

#: The ``st.html`` body that installs the focus keeper (once per page load).
SCRIPT = _SCRIPT
