"""The sign-in page while its answer is slow, in a real headless Chromium (issue 19): a sign-in waits out a publish
holding SQLite's write lock rather than fail (data/writes.py, tests/test_publish_lock.py), so once the form is sent
the button reads 正在登录… and sends nothing more, and past SLOW_SIGN_IN_MS a note says the server is busy.

The page's submission is held back in the page itself (a listener after the page's own), so what it shows while
waiting can be read: Chromium leaves a page being navigated away from out of reach of the test."""

from __future__ import annotations

from conftest import PASSWORD
from playwright.sync_api import Page, expect

from dashboard.web.auth import SLOW_SIGN_IN_MS

# after the page's own listener (on the document), count the submissions that would go out, and keep them in
HOLD_BACK = """() => {
  window.sent = 0;
  window.addEventListener("submit", (event) => {
    if (!event.defaultPrevented) window.sent += 1;
    event.preventDefault();
  });
}"""


def test_a_slow_sign_in_says_it_is_under_way_then_why_and_sends_once(page: Page, base_url):
    page.goto(f"{base_url}/login")
    page.evaluate(HOLD_BACK)
    page.fill("#username", "leader")
    page.fill("#password", PASSWORD)
    page.click(".login-submit")
    expect(page.locator(".login-submit")).to_have_text("正在登录…")
    expect(page.locator(".login-submit")).to_have_attribute("aria-disabled", "true")
    expect(page.locator(".login-waiting")).to_be_hidden()
    page.click(".login-submit", force=True)  # aria-disabled: Playwright would not press it otherwise
    page.locator("#password").press("Enter")
    assert page.evaluate("window.sent") == 1
    # the note waits for SLOW_SIGN_IN_MS: a sign-in normally answers long before
    page.wait_for_timeout(SLOW_SIGN_IN_MS * 0.6)
    expect(page.locator(".login-waiting")).to_be_hidden()
    expect(page.locator(".login-waiting")).to_be_visible(timeout=SLOW_SIGN_IN_MS)
    expect(page.locator(".login-waiting")).to_contain_text("服务器正忙")
    assert page.problems == []
