"""Headless Chromium for the web app: the browser test (test_browser.py)
and the screenshots of `make demo` (scripts/demo_shots.py) start it the
same way. Importing this module needs python3-selenium (ImportError
otherwise); available() says whether Chromium and its driver are here."""
import os
import shutil
import time

from selenium import webdriver
from selenium.webdriver.chrome.service import Service

CHROME = shutil.which("chromium") or "/usr/bin/chromium"
DRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"


def available():
    return os.path.exists(CHROME) and os.path.exists(DRIVER)


def start(url, profile):
    """A headless Chromium with its own profile directory, at url (a
    one-time login link), in Chinese unless the page is switched."""
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROME
    for a in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
              "--disable-quic", "--no-first-run", "--disable-background-networking",
              "--disable-component-update", "--disable-sync", "--window-size=1280,1800",
              "--lang=zh-CN", "--user-data-dir=" + profile]:
        opts.add_argument(a)
    d = webdriver.Chrome(service=Service(DRIVER), options=opts)
    d.get(url)
    return d


def until(cond, timeout, step=0.2, between=None):
    """cond()'s first true value within timeout seconds (an exception counts
    as not yet), calling between() after each miss; None when time runs
    out."""
    end = time.time() + timeout
    while time.time() < end:
        try:
            v = cond()
            if v:
                return v
        except Exception:
            pass
        if between:
            between()
        time.sleep(step)
    return None


def quit_all(drivers):
    """Ends every browser, whatever state each is in."""
    for d in drivers:
        try:
            d.quit()
        except Exception:
            pass
