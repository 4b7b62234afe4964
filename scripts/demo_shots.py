#!/usr/bin/env python3
"""Screenshots of the web app for `make demo` (issue 16): the defense's
case page at the end of Case 1 (what waits, the participants, the timeline
with every counter-offer's changes), the observer's view on the observer's
node, and the agreement certificate verified on the verify page. Written
to DEMO_DIR as web-1-case.png, web-2-observer.png, web-3-verified.png.

Usage: demo_shots.py BUILD_DIR DEMO_DIR DEFENSE_HOME OBSERVER_HOME CASE
Exit 0 done, 77 skipped (no Chromium, chromedriver or python3-selenium:
the demo says so and goes on), 1 failed."""
import json
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "browser"))
try:
    import chrome
    from selenium.webdriver.common.by import By
except ImportError:
    print("python3-selenium is not installed")
    sys.exit(77)

build, demo, dhome, ohome, case = sys.argv[1:6]
PARLEY = os.path.join(build, "cli", "parley")
if not chrome.available():
    print("chromium or chromedriver is not installed")
    sys.exit(77)


def browser(home, profile):
    url = json.loads(subprocess.run([PARLEY, "ui", "--home", home, "--json"], capture_output=True,
                                    text=True, check=True).stdout)["url"]
    return chrome.start(url, profile)


def wait(d, find, what):
    v = chrome.until(find, 30)
    if not v:
        raise RuntimeError("timed out: " + what)
    return v


def case_page(d):
    d.execute_script("location.hash = arguments[0]", "#/case/" + case)
    wait(d, lambda: d.find_element(By.ID, "timeline"), "the case page")


profiles = os.path.join(demo, "nodes", "chrome")
drivers = []
try:
    D = browser(dhome, profiles + "-defense")
    drivers.append(D)
    wait(D, lambda: D.find_element(By.ID, "cases"), "the cases page")
    case_page(D)
    D.save_screenshot(os.path.join(demo, "web-1-case.png"))
    O = browser(ohome, profiles + "-observer")
    drivers.append(O)
    wait(O, lambda: O.find_element(By.ID, "cases"), "the observer's cases page")
    case_page(O)
    wait(O, lambda: O.find_element(By.ID, "observer-view"), "the observer's view")
    O.save_screenshot(os.path.join(demo, "web-2-observer.png"))
    D.execute_script("location.hash = '#/verify'")
    f = wait(D, lambda: D.find_element(By.ID, "form-verify"), "the verify page")
    f.find_element(By.NAME, "file").send_keys(os.path.join(demo, "agreement.cert"))
    f.find_element(By.NAME, "statement").click()
    f.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    res = wait(D, lambda: D.find_element(By.CSS_SELECTOR, "#verify-result .result"), "the verification")
    if res.get_attribute("data-valid") != "yes":
        raise RuntimeError("the certificate did not verify in the page: " + res.text[:200])
    D.save_screenshot(os.path.join(demo, "web-3-verified.png"))
except Exception as e:
    print("screenshots failed:", e)
    sys.exit(1)
finally:
    chrome.quit_all(drivers)
    shutil.rmtree(profiles + "-defense", ignore_errors=True)
    shutil.rmtree(profiles + "-observer", ignore_errors=True)
print("web-1-case.png web-2-observer.png web-3-verified.png")
