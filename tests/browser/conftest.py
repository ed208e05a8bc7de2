"""Real Chromium (Debian's, installed by `make test`) driven by Playwright against live_server."""

from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, sync_playwright

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",  # development and CI run as root
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def pytest_collection_modifyitems(items):
    # pytest calls this hook with every item of the session, not only this folder's.
    for item in items:
        if Path(__file__).parent in item.path.parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def watch_console(page: Page) -> list[str]:
    """Errors the browser reports, such as a script or style refused by the CSP."""
    errors: list[str] = []
    page.on(
        "console", lambda m: errors.append(f"{page.url}: {m.text}") if m.type == "error" else None
    )
    page.on("pageerror", lambda e: errors.append(str(e)))
    return errors


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors = watch_console(page)
    yield page
    context.close()
    assert not [e for e in errors if "Content Security Policy" in e or "Error" in e], errors


@pytest.fixture
def page_without_js(browser, live_server):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def sign_in(page: Page, username: str, password: str = "safermk-demo") -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


_axe = Axe()
# The page's markup with its text left out, as a digest. axe reads elements, their attributes
# and styles, and of text only whether an element has some: two pages with the same skeleton get
# the same answer, so a skeleton axe has passed in this run is not checked again (about half
# the pages a role reaches in the crawler's five states differ from another in their words only).
# Attributes that carry addresses, values or a nonce count by whether they are empty; the
# window's size counts too.
SKELETON = """async () => {
  const presence = new Set(["href", "action", "value", "nonce", "datetime", "src"]);
  const parts = [];
  const walk = (element) => {
    const attributes = [...element.attributes]
      .map(a => presence.has(a.name) ? `${a.name}:${a.value !== ""}` : `${a.name}=${a.value}`)
      .sort();
    const text = [...element.childNodes]
      .some(node => node.nodeType === Node.TEXT_NODE && node.textContent.trim());
    parts.push(`<${element.tagName} ${attributes.join(" ")}${text ? " #" : ""}`);
    for (const child of element.children) walk(child);
    parts.push(">");
  };
  walk(document.documentElement);
  parts.push(`window ${window.innerWidth}x${window.innerHeight}`);  // layout rules: target size
  const bytes = new TextEncoder().encode(parts.join(""));
  const digest = await crypto.subtle.digest("SHA-256", bytes);
  return [...new Uint8Array(digest)].map(b => b.toString(16).padStart(2, "0")).join("");
}"""


class PassedByAxe:
    """The skeletons axe has passed in this run, kept as empty files named by their digest in a
    folder every test process of the run shares: the crawler's roles run in different processes
    and meet the same pages (police's chapter and fire's differ in their words only)."""

    folder: Path | None = None  # set for the run by _axe_passes_shared (a file per skeleton)

    def __contains__(self, checked: tuple[str, bool]) -> bool:
        return self.folder is not None and self._file(checked).exists()

    def add(self, checked: tuple[str, bool]) -> None:
        if self.folder is not None:
            self._file(checked).touch()

    def _file(self, checked: tuple[str, bool]) -> Path:
        digest, read_css = checked
        return self.folder / f"{digest}-{int(read_css)}"


_passed_by_axe = PassedByAxe()


@pytest.fixture(scope="session", autouse=True)
def _axe_passes_shared(tmp_path_factory, worker_id):
    """The run's folder: the parent of each process's temporary folder in a parallel run."""
    run = tmp_path_factory.getbasetemp()
    folder = (run if worker_id == "master" else run.parent) / "passed-by-axe"
    folder.mkdir(exist_ok=True)
    PassedByAxe.folder = folder
    yield
    PassedByAxe.folder = None


def axe_violations(page: Page, *, read_css: bool = True) -> list[str]:
    """What axe-core finds against WCAG 2.2 A/AA on the page as it stands, by rule and targets
    (nothing, without asking axe, for markup it has passed already: SKELETON).

    `read_css=False` for pages whose stylesheets `@import` others (Django admin's): axe reads
    those by copying them into inline styles, which the CSP refuses. Only its
    css-orientation-lock rule needs them."""
    # Only violations come back: the passes' details are most of axe's answer and its time.
    options = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
    if not read_css:
        options["preload"] = False
    checked = (page.evaluate(SKELETON), read_css)
    if checked in _passed_by_axe:
        return []
    results = _axe.run(page, options=options)
    violations = [
        f"{v['id']}: {[n['target'] for n in v['nodes']]}" for v in results.response["violations"]
    ]
    if not violations:
        _passed_by_axe.add(checked)
    return violations


def assert_accessible(page: Page, *, read_css: bool = True) -> None:
    """axe-core finds no WCAG 2.2 A/AA violation on the page as it stands."""
    violations = axe_violations(page, read_css=read_css)
    assert violations == [], f"{page.url}: {violations}"
