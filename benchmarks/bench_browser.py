"""What a person waits for on the Author page, in Chromium, against a bare Streamlit app.

Run: ``python benchmarks/bench_browser.py [--rounds 3] [--repeat 5]``.

Each round starts fresh servers: the real app (``streamlit run app.py`` on a new
temporary data folder holding one 100-model catalog), the *floor* (a one-file
Streamlit app whose ``st.text_area`` is echoed into ``st.code``) and a lean copy of
the floor (below).  Debian's Chromium (Playwright) then times, from the click or
keystroke until the page shows the result:

* the first usable page of the app and of the floor;
* the floor's edit (fill, Tab, until the code shows the text); also, without a target,
  the same edit in a copy of the floor that does not collect garbage after each run
  (``runner.postScriptGC = false``, as the app's config has it);
* loading an example (until the form and the YAML preview show it), once per repeat,
  each in a browser context of its own, clicked as soon as the page is usable;
* an edit of the server description until the preview shows it, with 2 and 100 models;
* with 100 models: opening a model (until its form shows) and switching the section
  tabs (Model server / Models).

Each action is timed in the page, from the input event (the click's pointerup, the
Tab's keydown: their ``timeStamp``, when the browser received them) until a check run
on every animation frame first sees the result.  A click acts when the button is
released: a person holds it down about 100 ms, Playwright 10, and what the browser does
on the press (focus, selection: up to 20 ms here) happens while a person still holds
it.  Playwright's own work before the event (waiting until a button stands still, about
90 ms, or filling a text area) is not part of what a person waits for either; the time
from Playwright's call is printed beside it, as "from call".

Figures are medians over every round, each printed with its ratio to the floor (the
bare app's first page, or the floor edit) and the target.  The two apps are measured
in the same run, interleaved, so the ratios cancel most of the machine's speed and
load (the figures themselves are noisy on a shared machine).  Also printed per
action: how many websocket messages the browser received and their size, which is
what a rerun costs the browser.  Exit status 1 when a ratio misses its target.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, Page, WebSocket, sync_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.browser import CHROMIUM, CHROMIUM_ARGS, VIEWPORT  # noqa: E402  (the tests' browser)
from tests.catalogs import save_catalog, with_models  # noqa: E402

TIMEOUT_MS = 60_000

FLOOR_APP = """import streamlit as st

text = st.text_area("Text", key="text")
st.code(text or "")
"""

#: The floor again, without the garbage collection Streamlit runs after every run by
#: default (about half of the floor's edit here), which the app turns off: printed for
#: what it says about the floor, without a target.
LEAN_CONFIG = "[runner]\npostScriptGC = false\n"
LEAN_EDIT = "floor edit, no post-run GC"

#: figure name -> (what it is compared with, target ratio)
TARGETS: dict[str, tuple[str, float]] = {
    "app first page": ("floor first page", 1.5),
    "load example": ("floor edit", 3.0),
    "edit, 2 models": ("floor edit", 1.5),
    "edit, 100 models": ("floor edit", 2.5),
    "open a model, 100 models": ("floor edit", 2.0),
    "switch tab, 100 models": ("floor edit", 2.0),
}


# -- servers --------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url + "_stcore/health", timeout=2) as response:
            return bool(response.status == 200)
    except OSError:
        return False


@contextlib.contextmanager
def serve(script: Path, data_dir: Path, log_path: Path) -> Iterator[str]:
    """Run ``streamlit run script`` on a free port until the block ends; yield its URL."""
    port = _free_port()
    url = f"http://127.0.0.1:{port}/"
    env = {**os.environ, "MODEL_CATALOG_DATA_DIR": str(data_dir)}
    env.pop("MODEL_CATALOG_DB_URL", None)
    command = [
        sys.executable, "-m", "streamlit", "run", str(script),
        "--server.headless", "true",
        "--server.port", str(port),
        "--server.address", "127.0.0.1",
        "--server.fileWatcherType", "none",
        "--browser.gatherUsageStats", "false",
    ]  # fmt: skip
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            command, cwd=script.parent, env=env, stdout=log, stderr=subprocess.STDOUT
        )
        try:
            deadline = time.monotonic() + 60
            while not _healthy(url):
                if process.poll() is not None or time.monotonic() > deadline:
                    tail = log_path.read_text("utf-8", "replace")[-2000:]
                    raise RuntimeError(f"{script.name} did not start:\n{tail}")
                time.sleep(0.05)
            yield url
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


# -- the browser ----------------------------------------------------------------------


@dataclass
class Traffic:
    """Websocket messages the page received since the last :meth:`take`."""

    messages: int = 0
    size: int = 0

    def listen(self, page: Page) -> None:
        def on_socket(socket_: WebSocket) -> None:
            socket_.on("framereceived", self._frame)

        page.on("websocket", on_socket)

    def _frame(self, payload: str | bytes) -> None:
        self.messages += 1
        self.size += len(payload)

    def take(self) -> tuple[int, int]:
        taken = (self.messages, self.size)
        self.messages = self.size = 0
        return taken


def idle(page: Page) -> None:
    """Wait until the app is connected, its script has finished and no skeleton shows."""
    page.wait_for_function(
        """() => {
            const app = document.querySelector('[data-testid="stApp"]');
            return app
                && app.dataset.testConnectionState === "CONNECTED"
                && app.dataset.testScriptState === "notRunning"
                && !document.querySelector('[data-testid="stSkeleton"]');
        }""",
        polling="raf",
        timeout=TIMEOUT_MS,
    )


def until(page: Page, script: str, arg: Any = None) -> None:
    """Wait (checking every frame) until the JS predicate ``script(arg)`` holds; the page
    notes when it first saw it (``window.__benchShown``, see :data:`INPUT_CLOCK`)."""
    noted = f"""(arg) => {{
        const ok = ({script})(arg);
        if (ok) window.__benchShown = performance.now();
        return ok;
    }}"""
    page.wait_for_function(noted, arg=arg, polling="raf", timeout=TIMEOUT_MS)


#: Installed in every page: the time the browser received the last click or key press.
INPUT_CLOCK = """
for (const kind of ["pointerup", "keydown"]) {
    addEventListener(kind, (event) => {
        if (event.isTrusted) window.__benchInput = event.timeStamp;
    }, true);
}
"""


def in_page(page: Page) -> float | None:
    """Seconds from the last input event to the result's first sight (None: no input)."""
    span = page.evaluate(
        "() => window.__benchInput == null ? null : window.__benchShown - window.__benchInput"
    )
    return None if span is None else float(span) / 1000


CODE_HAS = """(text) => [...document.querySelectorAll('[data-testid="stCode"]')]
    .some(e => e.textContent.includes(text))"""
VISIBLE = """(selector) => {
    const e = document.querySelector(selector);
    return !!e && e.offsetParent !== null
        && !e.closest('[data-stale="true"]');
}"""

#: The form and the preview both show the example: [form selector, text of the YAML].
LOADED = f"""([selector, text]) => ({VISIBLE})(selector) && ({CODE_HAS})(text)"""


@dataclass
class Figures:
    """Every measured time (seconds) and websocket traffic, by figure name."""

    times: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    calls: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    """From Playwright's call instead of from the input event."""
    traffic: dict[str, list[tuple[int, int]]] = field(default_factory=lambda: defaultdict(list))

    def timed(self, name: str, page: Page, traffic: Traffic, act: Callable[[], None]) -> None:
        """Run ``act`` (action plus wait for its result) and record how long it took."""
        idle(page)
        traffic.take()
        page.evaluate("() => { window.__benchInput = null; }")
        start = time.perf_counter()
        act()
        call = time.perf_counter() - start
        span = in_page(page)
        if span is None:
            raise RuntimeError(f"{name}: the page received no click or key press")
        self.times[name].append(span)
        self.calls[name].append(call)
        idle(page)
        self.traffic[name].append(traffic.take())

    def median(self, name: str) -> float:
        return statistics.median(self.times[name])


def key_selector(key: str) -> str:
    """``models.0.name`` -> ``.st-key-models-0-name`` (Streamlit's class for a key)."""
    return ".st-key-" + "".join(c if c.isalnum() or c in "_-" else "-" for c in key)


def first_page(
    browser: Browser, url: str, ready: str, figures: Figures, name: str
) -> tuple[Page, Traffic]:
    """Open ``url`` in a new context and time it until ``ready`` (a selector) is usable."""
    context = browser.new_context(viewport=VIEWPORT)  # type: ignore[arg-type]
    context.set_default_timeout(TIMEOUT_MS)
    context.add_init_script(INPUT_CLOCK)
    page = context.new_page()
    traffic = Traffic()
    traffic.listen(page)
    start = time.perf_counter()
    page.goto(url)
    until(page, VISIBLE, ready)
    idle(page)
    figures.times[name].append(time.perf_counter() - start)
    figures.traffic[name].append(traffic.take())
    return page, traffic


def edit(page: Page, selector: str, text: str) -> Callable[[], None]:
    """Type ``text`` into the text area at ``selector``, press Tab, wait for the code."""

    def act() -> None:
        area = page.locator(f"{selector} textarea")
        area.fill(text)
        area.press("Tab")
        until(page, CODE_HAS, text)

    return act


def load_example(page: Page) -> Callable[[], None]:
    """Click the welcome's first example; wait until the form and the preview show it."""

    def act() -> None:
        welcome = page.locator(key_selector("welcome") + " button")
        welcome.filter(has_text="developer-model-service").first.click()
        until(
            page, LOADED, [key_selector("modelServer.description"), "name: developer-model-service"]
        )

    return act


def click(page: Page, target: str, result: str) -> Callable[[], None]:
    """Click the element at ``target`` and wait until ``result`` shows."""

    def act() -> None:
        page.locator(target).first.click()
        until(page, VISIBLE, result)

    return act


def run_round(
    browser: Browser, work: Path, floors: tuple[Path, Path], repeat: int, n: int
) -> Figures:
    """One round: the servers fresh, every figure measured ``repeat`` times."""
    floor_script, lean_script = floors
    figures = Figures()
    data_dir = work / f"data-{n}"
    data_dir.mkdir()
    big_id = save_catalog(data_dir, "bench-100", with_models(100))
    description = key_selector("modelServer.description")
    with (
        serve(floor_script, data_dir, work / f"floor-{n}.log") as floor_url,
        serve(lean_script, data_dir, work / f"lean-{n}.log") as lean_url,
        serve(ROOT / "app.py", data_dir, work / f"app-{n}.log") as app_url,
    ):
        # First pages: the order alternates between rounds, so neither always goes first.
        welcome = key_selector("welcome") + " button"
        openers = [
            ("floor first page", floor_url, key_selector("text")),
            ("app first page", app_url, welcome),
        ]
        pages = {}
        for name, url, ready in openers if n % 2 else reversed(openers):
            pages[name] = first_page(browser, url, ready, figures, name)
        floor, floor_traffic = pages["floor first page"]
        app, app_traffic = pages["app first page"]
        lean, lean_traffic = first_page(browser, lean_url, key_selector("text"), Figures(), "")

        figures.timed("load example", app, app_traffic, load_example(app))
        for _ in range(repeat - 1):  # more visitors, each in a browser context of its own
            visitor, visitor_traffic = first_page(browser, app_url, welcome, Figures(), "")
            figures.timed("load example", visitor, visitor_traffic, load_example(visitor))
            visitor.context.close()
        floor_area = key_selector("text")
        for i in range(repeat):
            text = f"floor edit {n} {i}"
            figures.timed("floor edit", floor, floor_traffic, edit(floor, floor_area, text))
            figures.timed(LEAN_EDIT, lean, lean_traffic, edit(lean, floor_area, text))
            text = f"small edit {n} {i}"
            figures.timed("edit, 2 models", app, app_traffic, edit(app, description, text))

        app.goto(f"{app_url}?catalog={big_id}")
        idle(app)
        until(app, VISIBLE, description)
        for i in range(repeat):
            text = f"floor edit {n} {i} again"
            figures.timed("floor edit", floor, floor_traffic, edit(floor, floor_area, text))
            text = f"big edit {n} {i}"
            figures.timed("edit, 100 models", app, app_traffic, edit(app, description, text))

        models_button = key_selector("_author.show:models") + " button"
        server_button = key_selector("_author.show:modelServer") + " button"
        add_model = key_selector(_form_key("add", "models"))
        for i in range(repeat):
            figures.timed(
                "switch tab, 100 models",
                app,
                app_traffic,
                click(app, models_button, add_model),
            )
            index = 2 * i + 1
            figures.timed(
                "open a model, 100 models",
                app,
                app_traffic,
                click(
                    app,
                    f"{key_selector(_form_key('open', f'models.{index}'))} summary",
                    key_selector(f"models.{index}.name") + " input",
                ),
            )
            figures.timed(
                "switch tab, 100 models",
                app,
                app_traffic,
                click(app, server_button, description),
            )
        for page in (floor, lean, app):
            page.context.close()
    return figures


def _form_key(purpose: str, path: str) -> str:
    return f"_form.{purpose}:{path}"


def report(all_rounds: list[Figures], rounds: int) -> int:
    """Print medians, ratios and traffic; return 1 when a target is missed."""
    merged = Figures()
    for figures in all_rounds:
        for name, values in figures.times.items():
            merged.times[name].extend(values)
        for name, values in figures.calls.items():
            merged.calls[name].extend(values)
        for name, sent in figures.traffic.items():
            merged.traffic[name].extend(sent)
    names = [
        "floor first page",
        "app first page",
        "floor edit",
        LEAN_EDIT,
        "load example",
        "edit, 2 models",
        "edit, 100 models",
        "open a model, 100 models",
        "switch tab, 100 models",
    ]
    missed = 0
    print(f"Chromium, {rounds} rounds, medians (n = samples)")
    print(
        f"{'figure':<26} {'median':>8} {'n':>3}  {'ratio':>7}  target   messages  bytes"
        "   from call (ratio)"
    )
    for name in names:
        values = merged.times[name]
        median = statistics.median(values)
        messages = statistics.median(m for m, _ in merged.traffic[name])
        size = statistics.median(s for _, s in merged.traffic[name])
        line = f"{name:<26} {median:7.3f}s {len(values):>3}"
        if name in TARGETS:
            base, target = TARGETS[name]
            ratio = median / merged.median(base)
            ok = ratio <= target
            missed += not ok
            line += f"  {ratio:6.2f}x  <= {target:<4g} {'ok  ' if ok else 'MISS'}"
        else:
            line += " " * 25
        line += f" {messages:6.0f} {size:8.0f}"
        if merged.calls[name]:
            call = statistics.median(merged.calls[name])
            line += f"   {call:7.3f}s"
            if name in TARGETS and merged.calls[TARGETS[name][0]]:
                line += f" ({call / statistics.median(merged.calls[TARGETS[name][0]]):.2f}x)"
        print(line)
    return 1 if missed else 0


def main(argv: list[str] | None = None) -> int:
    """Run the rounds and print the report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="fresh server pairs (default 3)")
    parser.add_argument("--repeat", type=int, default=5, help="each action per round (5)")
    parser.add_argument(
        "--samples", action="store_true", help="also print every sample, in the order taken"
    )
    args = parser.parse_args(argv)
    all_rounds = []
    with tempfile.TemporaryDirectory(prefix="bench-browser-") as tmp, sync_playwright() as pw:
        work = Path(tmp)
        floor_script = work / "floor_app.py"
        floor_script.write_text(FLOOR_APP, "utf-8")
        lean_script = work / "lean" / "floor_app.py"  # with a config of its own beside it
        (lean_script.parent / ".streamlit").mkdir(parents=True)
        lean_script.write_text(FLOOR_APP, "utf-8")
        (lean_script.parent / ".streamlit" / "config.toml").write_text(LEAN_CONFIG, "utf-8")
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            for n in range(args.rounds):
                floors = (floor_script, lean_script)
                all_rounds.append(run_round(browser, work, floors, args.repeat, n))
                print(f"round {n + 1} of {args.rounds} done", file=sys.stderr)
        finally:
            browser.close()
    if args.samples:
        for n, figures in enumerate(all_rounds, 1):
            for name, values in figures.times.items():
                print(f"round {n} {name:<26} " + " ".join(f"{v * 1000:5.0f}" for v in values))
    return report(all_rounds, args.rounds)


if __name__ == "__main__":
    raise SystemExit(main())
