#!/usr/bin/python3
"""The web app in a real browser (issue 16; ctest label `browser`).

Three parties, each with its own node and its own browser session, in
Chinese: the prosecution, the defense (one laptop: the suspect's and
counsel's keys both held by their owners, each typing their own
passphrase, SPEC §14.12) and the victim. Through the pages alone they take
Case 1 (dangerous driving) to a final agreement, and the certificate the
prosecution downloads verifies on the verify page. On the way the page
must show two refusals: unlawful terms while the prosecutor types (the
library's statutory check, §15.4), and the prosecution's signature
refused while the victim's opinion is unanswered (R3, §13.9). It also
checks the guards: a used login link, a foreign Host header, a state
change without the CSRF token. Screenshots of every step go to
BUILD/browser-screenshots/.

Usage: test_browser.py BUILD_DIR   (exit 0 pass, 1 fail, 77 skip)"""
import base64
import http.client
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request

try:
    import chrome
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select
except ImportError:
    print("SKIP: python3-selenium is not installed (scripts/deps.sh installs it)")
    sys.exit(77)

BUILD = os.path.abspath(sys.argv[1])
PARLEY = os.path.join(BUILD, "cli", "parley")
PARLEYD = os.path.join(BUILD, "node", "parleyd")
SHOTS = os.path.join(BUILD, "browser-screenshots")
if not chrome.available():
    print("SKIP: chromium or chromedriver is missing (scripts/deps.sh installs them)")
    sys.exit(77)

work = tempfile.mkdtemp(prefix="parley-browser-")
procs, drivers = [], []
failures = []


def check(cond, what):
    if cond:
        print("ok:", what)
    else:
        print("FAIL:", what)
        failures.append(what)
    return cond


def parley(*args, stdin=None):
    r = subprocess.run([PARLEY, *args], input=stdin, capture_output=True, text=True)
    return r


def keygen(name):
    d = os.path.join(work, name)
    os.makedirs(d, mode=0o700)
    passfile = os.path.join(work, name + ".pass")
    with open(passfile, "w") as f:
        f.write("口令 of %s, long enough\n" % name)
    os.chmod(passfile, 0o600)
    r = parley("keygen", "-o", os.path.join(d, "key"), "--kdf", "min", "--passphrase-file", passfile)
    assert r.returncode == 0, r.stderr
    pk = json.loads(parley("key", os.path.join(d, "key"), "--json").stdout)["public_key"]
    return os.path.join(d, "key"), passfile, pk


def start_node(name, *args):
    home = os.path.join(work, name + "-home")
    os.makedirs(home, mode=0o700)
    log = open(os.path.join(work, name + ".log"), "w")
    p = subprocess.Popen([PARLEYD, "--home", home, "--ui", "0", "--log-level", "warn", *args],
                         stderr=log)
    procs.append(p)
    for _ in range(400):
        if parley("status", "--home", home).returncode == 0:
            return home
        time.sleep(0.05)
    raise RuntimeError("parleyd %s did not start: %s" % (name, open(log.name).read()))


def login_url(home):
    return json.loads(parley("ui", "--home", home, "--json").stdout)["url"]


def browser(home, label):
    d = chrome.start(login_url(home), os.path.join(work, "chrome-" + label))
    drivers.append(d)
    d.label = label
    d.shot_n = 0
    return d


def shot(d, what):
    d.shot_n += 1
    os.makedirs(SHOTS, exist_ok=True)
    d.save_screenshot(os.path.join(SHOTS, "%s-%02d-%s.png" % (d.label, d.shot_n, what)))


# under the sanitizers every verb the page runs is several times slower
TIMEOUT = 60 if "asan" in BUILD else 25


def wait(d, cond, what, timeout=None, reload_hash=None):
    def reload():
        if reload_hash:
            d.execute_script("location.hash = '#/reload'; location.hash = arguments[0];", reload_hash)
    v = chrome.until(cond, timeout or TIMEOUT, 0.4, reload)
    if v:
        return v
    shot(d, "timeout")
    raise AssertionError("timed out: " + what)


def open_case(d, case):
    # through the cases page, so that no element of the last drawing is
    # taken for the new one
    d.execute_script("location.hash = '#/reload'")
    wait(d, lambda: d.find_element(By.ID, "app").get_attribute("data-route") == "#/reload", "the cases page")
    d.execute_script("location.hash = arguments[0]", "#/case/" + case)
    wait(d, lambda: d.find_element(By.ID, "app").get_attribute("data-route") == "#/case/" + case and
         d.find_element(By.ID, "acts"), "the case page")


def act(d, key, as_key=None, passphrase=None, fill=None, expect_ok=True):
    """Opens the act's form, fills it, submits; returns the result text."""
    det = d.find_element(By.CSS_SELECTOR, "details[data-act='%s']" % key)
    if not det.get_attribute("open"):
        det.find_element(By.TAG_NAME, "summary").click()
    f = d.find_element(By.ID, "form-" + key)
    if as_key:
        Select(f.find_element(By.NAME, "as")).select_by_value(as_key)
    if fill:
        fill(f)
    if passphrase is not None:
        p = f.find_element(By.NAME, "passphrase")
        check(p.is_displayed(), "%s: the page asks the held key's holder for a passphrase" % key)
        p.send_keys(passphrase)
    f.find_element(By.CSS_SELECTOR, "button[type=submit]").click()

    def outcome():
        # done: the page is drawn again with #flash on top; refused: the
        # form says why and stays
        fl = d.find_elements(By.ID, "flash")
        if fl:
            return ("ok", fl[0].text)
        r = f.find_element(By.CLASS_NAME, "result")
        return ("refused", r.text) if "refused" in r.get_attribute("class").split() else None
    how, text = wait(d, outcome, key + ": a result")
    shot(d, key)
    check((how == "ok") == expect_ok, "%s: %s (%s)" % (key, "done" if expect_ok else "refused", text[:200]))
    return text


def sel(f, name, value):
    Select(f.find_element(By.NAME, name)).select_by_value(value)


def typ(f, name, text):
    e = f.find_element(By.NAME, name)
    e.clear()
    e.send_keys(text)


def first_option(f, name, contains=None):
    s = Select(f.find_element(By.NAME, name))
    for o in s.options:
        if contains is None or contains in o.text:
            s.select_by_value(o.get_attribute("value"))
            return o.get_attribute("value")
    raise AssertionError("no option with %r in %s" % (contains, name))


def guards(home):
    url = login_url(home)
    port = int(url.split(":")[2].split("/")[0])
    # a foreign Host (DNS rebinding) is refused
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    c.request("GET", "/", headers={"Host": "evil.example:%d" % port})
    check(c.getresponse().status == 403, "a foreign Host header is refused")
    # the link works once
    path = url.split(str(port), 1)[1]
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    c.request("GET", path)
    r = c.getresponse()
    cookie = (r.getheader("Set-Cookie") or "").split(";")[0]
    check(r.status == 303 and cookie.startswith("parley_session=") and
          "HttpOnly" in r.getheader("Set-Cookie") and "SameSite=Strict" in r.getheader("Set-Cookie"),
          "a login link gives an HttpOnly, SameSite=Strict session cookie")
    where = r.getheader("Location") or ""
    check(where.startswith("/#k=") and len(where) == 4 + 64,
          "and hands the session's key in the URL fragment")
    csrf = where[4:]
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    c.request("GET", path)
    check(c.getresponse().status == 403, "a used login link is refused")
    # a state change needs our Origin and the CSRF token
    body = json.dumps({"verb": "status"})
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    c.request("POST", "/api/run", body, {"Cookie": cookie, "Origin": "http://127.0.0.1:%d" % port})
    check(c.getresponse().status == 403, "a POST without the CSRF token is refused")
    # every port of 127.0.0.1 is sent the cookie: alone it opens nothing
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    c.request("GET", "/api/session", headers={"Cookie": cookie})
    check(c.getresponse().status == 403, "the cookie without the session's key is refused")
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    c.request("GET", "/api/session", headers={"Cookie": cookie, "X-Parley-CSRF": csrf})
    check(c.getresponse().status == 200, "the cookie with the session's key is a session")
    # a body is not even read for a request refused by its headers
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    c.putrequest("POST", "/api/run")
    c.putheader("Content-Length", str(100 << 20))
    c.putheader("Cookie", cookie)
    c.putheader("X-Parley-CSRF", csrf)
    c.putheader("Origin", "http://127.0.0.1:%d" % port)
    c.endheaders()
    check(c.getresponse().status == 413, "a body over the bound is refused before it is sent")
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    c.request("POST", "/api/run", body, {"Cookie": cookie, "Origin": "http://evil.example",
                                         "X-Parley-CSRF": csrf})
    check(c.getresponse().status == 403, "a POST from another Origin is refused")
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    c.request("POST", "/api/run", json.dumps({"verb": "keygen"}),
              {"Cookie": cookie, "Origin": "http://127.0.0.1:%d" % port, "X-Parley-CSRF": csrf})
    r = c.getresponse()
    check(r.status == 400, "a verb the web app does not offer is refused")
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    c.request("GET", "/")
    # (Host is 127.0.0.1:port here)
    r = c.getresponse()
    csp = r.getheader("Content-Security-Policy") or ""
    check("default-src 'none'" in csp and "frame-ancestors 'none'" in csp,
          "pages carry a strict Content-Security-Policy")


def main():
    pkey, ppass, pk = keygen("prosecution")
    dkey, dpass, dk = keygen("defense-node")
    skey, spass, sk = keygen("suspect")
    ckey, cpass, ck = keygen("counsel")
    vkey, vpass, vk = keygen("victim")
    okey, opass, ok_ = keygen("citizen")
    sp = open(spass).read().strip()
    cp = open(cpass).read().strip()

    ph = start_node("p", "--key", pkey, "--passphrase-file", ppass, "--listen", "tcp://127.0.0.1:*",
                    "--allow", dk)
    ep = open(os.path.join(ph, "endpoint")).read().strip()
    dh = start_node("d", "--key", dkey, "--passphrase-file", dpass, "--held-key", skey,
                    "--held-key", ckey, "--peer", pk + "@" + ep)
    vh = start_node("v", "--key", vkey, "--passphrase-file", vpass, "--peer", pk + "@" + ep)
    # a citizen of the observer pool: its node dials before the charter
    # names it, and is admitted once it does
    oh = start_node("o", "--key", okey, "--passphrase-file", opass, "--peer", pk + "@" + ep)

    guards(ph)

    P = browser(ph, "prosecution")
    D = browser(dh, "defense")
    V = browser(vh, "victim")
    for d in (P, D, V):
        wait(d, lambda: d.find_element(By.ID, "cases"), "the cases page")
        check("我的案件" in d.find_element(By.TAG_NAME, "body").text, "%s: the page is in Chinese" % d.label)
        shot(d, "cases")
    check("由持有人保管" in D.find_element(By.ID, "keys").text,
          "the defense page says the suspect's and counsel's keys are held by their owners")

    # 1. the prosecution signs the charter
    P.execute_script("location.hash = '#/new'")
    f = wait(P, lambda: P.find_element(By.ID, "form-case-create"), "the new case form")
    typ(f, "title", "案例一：危险驾驶")
    typ(f, "participants", "\n".join(["prosecution:%s:王检察官" % pk, "suspect:%s:李明" % sk,
                                      "counsel:%s:赵律师" % ck, "victim:%s:陈女士" % vk]))
    typ(f, "pool", ok_)
    shot(P, "new-case")
    f.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait(P, lambda: "#/case/" in P.current_url, "the case page after the charter")
    case = P.current_url.split("#/case/")[1]
    wait(P, lambda: P.find_element(By.ID, "acts"), "the case page")
    check("王检察官" in P.find_element(By.ID, "participants").text, "names beside roles")
    shot(P, "case")

    # 2. the defense and the victim see it, and join
    wait(D, lambda: D.find_element(By.CSS_SELECTOR, "tr[data-case='%s']" % case), "the case on the defense node",
         reload_hash="#/")
    wait(V, lambda: V.find_element(By.CSS_SELECTOR, "tr[data-case='%s']" % case), "the case on the victim's node",
         reload_hash="#/")
    open_case(D, case)
    txt = act(D, "join", as_key=sk, passphrase="not the suspect's passphrase", expect_ok=False)
    check("口令" in txt or "passphrase" in txt, "a wrong passphrase is refused, in words")
    open_case(D, case)
    act(D, "join", as_key=sk, passphrase=sp)
    open_case(D, case)
    act(D, "join", as_key=ck, passphrase=cp)
    open_case(V, case)
    act(V, "join", as_key=vk)

    # 2b. the observer is drawn from the pool (R8) through the pages: each
    # side commits, then reveals; the drawn citizen, whose page is in
    # English, sees the observer's view and joins
    open_case(P, case)
    act(P, "draw-commit", as_key=pk)
    wait(D, lambda: D.find_element(By.CSS_SELECTOR, "tr[data-type='draw-commit']"),
         "the prosecution's commitment on the defense node", reload_hash="#/case/" + case)
    act(D, "draw-commit", as_key=ck, passphrase=cp)
    wait(P, lambda: len(P.find_elements(By.CSS_SELECTOR, "tr[data-type='draw-commit']")) >= 2,
         "both commitments on the prosecution's node", reload_hash="#/case/" + case)
    act(P, "draw-reveal", as_key=pk)
    open_case(D, case)
    act(D, "draw-reveal", as_key=ck, passphrase=cp)
    O = browser(oh, "observer")
    wait(O, lambda: O.find_element(By.ID, "cases"), "the observer's cases page")
    O.find_element(By.ID, "lang").click()
    wait(O, lambda: "My cases" in O.find_element(By.TAG_NAME, "body").text, "the page switches to English")
    wait(O, lambda: O.find_element(By.CSS_SELECTOR, "tr[data-case='%s']" % case), "the case on the citizen's node",
         reload_hash="#/")
    wait(O, lambda: len(O.find_elements(By.CSS_SELECTOR, "tr[data-type='draw-reveal']")) >= 2,
         "both reveals on the citizen's node", reload_hash="#/case/" + case)
    check("Observer's view" in O.find_element(By.ID, "observer-view").text, "the observer's view, in English")
    check("Join the case" in O.find_element(By.ID, "acts").text, "the drawn citizen may join, in English")
    act(O, "join", as_key=ok_)
    open_case(O, case)
    act(O, "observe", as_key=ok_, fill=lambda f: typ(f, "text", "The suspect was heard without pressure."))

    # 3. a session, the rights notice
    open_case(P, case)
    act(P, "session-propose", as_key=pk, fill=lambda f: (
        P.execute_script("arguments[0].value = '2026-12-10T09:30'", f.find_element(By.NAME, "time")),
        typ(f, "venue", "第二看守所会见室"), f.find_element(By.NAME, "facility").click()))
    notice = os.path.join(work, "notice.txt")
    with open(notice, "w") as fh:
        fh.write("认罪认罚从宽制度告知书：李明\n")
    open_case(P, case)
    act(P, "notice", as_key=pk, fill=lambda f: (f.find_element(By.NAME, "file").send_keys(notice),
                                                 typ(f, "text", "具结书签署后可以反悔。")))
    wait(D, lambda: D.find_element(By.CSS_SELECTOR, "tr[data-type='notice']"), "the notice on the defense node",
         reload_hash="#/case/" + case)
    act(D, "session-accept", as_key=ck, passphrase=cp,
        fill=lambda f: first_option(f, "proposal"))
    open_case(D, case)
    act(D, "notice-ack", as_key=sk, passphrase=sp, fill=lambda f: (
        first_option(f, "notice"), f.find_element(By.NAME, "file").send_keys(notice)))

    # the evidence disclosed: two files, their names kept (one in Chinese);
    # the defense acknowledges only with files that match (a wrong one is
    # refused, with the reason shown)
    ev1 = os.path.join(work, "起诉意见书.txt")
    ev2 = os.path.join(work, "blood-test.txt")
    wrong = os.path.join(work, "blood-test-altered.txt")
    for path, text in ((ev1, "起诉意见书：李明涉嫌危险驾驶罪。\n"), (ev2, "BAC 150 mg/100 ml\n"),
                       (wrong, "BAC 79 mg/100 ml\n")):
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(text)
    open_case(P, case)
    act(P, "disclose", as_key=pk, fill=lambda f: f.find_element(By.NAME, "files").send_keys(ev1 + "\n" + ev2))
    wait(D, lambda: "起诉意见书.txt" in D.find_element(By.CSS_SELECTOR, "tr[data-type='disclose']").text,
         "the disclosure, with its items' names, on the defense node", reload_hash="#/case/" + case)
    text = act(D, "ack", as_key=ck, passphrase=cp, expect_ok=False, fill=lambda f: (
        first_option(f, "disclosure"), f.find_element(By.NAME, "files").send_keys(ev1 + "\n" + wrong)))
    check("blood-test.txt" in text, "the refused acknowledgment names the item that does not match")
    open_case(D, case)
    act(D, "ack", as_key=ck, passphrase=cp, fill=lambda f: (
        first_option(f, "disclosure"), f.find_element(By.NAME, "files").send_keys(ev1 + "\n" + ev2)))

    # 4. the offer: unlawful terms are shown while typing
    wait(P, lambda: P.find_element(By.CSS_SELECTOR, "tr[data-type='notice-ack']"), "the ack on the prosecution's node",
         reload_hash="#/case/" + case)
    det = P.find_element(By.CSS_SELECTOR, "details[data-act='offer']")
    det.find_element(By.TAG_NAME, "summary").click()
    f = P.find_element(By.ID, "form-offer")
    typ(f, "facts", "血液酒精含量150mg/100ml，未发生事故。")
    typ(f, "min", "9")
    typ(f, "max", "9")
    wait(P, lambda: P.find_element(By.ID, "terms-check").get_attribute("data-lawful") == "no" and
         "拘役" in P.find_element(By.ID, "terms-check").text, "the check shows unlawful terms")
    shot(P, "unlawful-terms")
    check("刑法" in P.find_element(By.ID, "terms-check").text or "Criminal Law" in P.find_element(By.ID, "terms-check").text,
          "the unlawful terms name the law")
    typ(f, "min", "3")
    typ(f, "max", "3")
    typ(f, "fine", "4000")
    wait(P, lambda: P.find_element(By.ID, "terms-check").get_attribute("data-lawful") == "yes",
         "the check accepts lawful terms")
    check("拘役三个月" in P.find_element(By.ID, "terms-check").text and "四千元" in P.find_element(By.ID, "terms-check").text,
          "the terms in Chinese legal writing as the prosecutor types")
    shot(P, "lawful-terms")
    # the form's prohibition order reaches the library's check: with
    # detention and no probation it is refused (SPEC §15.4 row 17)
    typ(f, "prohibition", "禁止进入酒吧、夜总会等娱乐场所")
    typ(f, "prohibition_months", "3")
    wait(P, lambda: P.find_element(By.ID, "terms-check").get_attribute("data-lawful") == "no" and
         "禁止令" in P.find_element(By.ID, "terms-check").text,
         "a prohibition order beside detention is refused as the prosecutor types")
    f.find_element(By.NAME, "prohibition").clear()
    f.find_element(By.NAME, "prohibition_months").clear()
    typ(f, "fine", "4000")
    wait(P, lambda: P.find_element(By.ID, "terms-check").get_attribute("data-lawful") == "yes",
         "the terms are lawful again without it")
    act(P, "offer", as_key=pk)

    # 5. the victim's opinion; the prosecution's signature waits for its answer
    wait(V, lambda: V.find_element(By.CSS_SELECTOR, "tr[data-type='offer']"), "the offer on the victim's node",
         reload_hash="#/case/" + case)
    act(V, "opinion", as_key=vk, fill=lambda f: (sel(f, "topic", "compensation"),
                                                   typ(f, "text", "已获全额赔偿，同意从宽。")))
    # the settlement (SPEC §13.25): the victim proposes the agreement by
    # file; counsel accepts it only with the same file
    deal = os.path.join(work, "和解协议.txt")
    with open(deal, "w", encoding="utf-8") as fh:
        fh.write("和解协议：赔偿人民币三万元，已全部支付；陈女士谅解李明。\n")
    open_case(V, case)
    act(V, "settle", as_key=vk, fill=lambda f: (sel(f, "kind", "agreement"), typ(f, "agreed", "30000"),
                                                  typ(f, "paid", "30000"), f.find_element(By.NAME, "forgiveness").click(),
                                                  f.find_element(By.NAME, "file").send_keys(deal)))
    wait(D, lambda: D.find_element(By.CSS_SELECTOR, "details[data-act='settle-accept']"),
         "the victim's settlement on the defense node", reload_hash="#/case/" + case)
    txt = act(D, "settle-accept", as_key=ck, passphrase=cp, expect_ok=False, fill=lambda f: (
        first_option(f, "settlement"), f.find_element(By.NAME, "file").send_keys(notice)))
    check("哈希" in txt, "an acceptance with another file is refused, saying why (%s)" % txt[:120])
    open_case(D, case)
    act(D, "settle-accept", as_key=ck, passphrase=cp, fill=lambda f: (
        first_option(f, "settlement"), f.find_element(By.NAME, "file").send_keys(deal)))
    wait(P, lambda: P.find_element(By.CSS_SELECTOR, "tr[data-type='opinion']"), "the opinion on the prosecution's node",
         reload_hash="#/case/" + case)
    open_case(P, case)
    txt = act(P, "sign", as_key=pk, fill=lambda f: first_option(f, "offer"), expect_ok=False)
    check("PL_E" in txt or "未" in txt, "the refusal says why (an unanswered input)")
    open_case(P, case)
    act(P, "respond", as_key=pk, fill=lambda f: (first_option(f, "input", "意见"), sel(f, "decision", "adopted"),
                                                 typ(f, "reasons", "被害人已获赔偿，予以采纳。")))
    open_case(P, case)
    act(P, "sign", as_key=pk, fill=lambda f: first_option(f, "offer"))

    # 6. the suspect signs in the session, counsel witnesses: final
    wait(D, lambda: len(D.find_elements(By.CSS_SELECTOR, "tr[data-type='sign']")) >= 1,
         "the prosecution's signature on the defense node", reload_hash="#/case/" + case)
    det = D.find_element(By.CSS_SELECTOR, "details[data-act='sign']")
    det.find_element(By.TAG_NAME, "summary").click()
    check("拘役三个月" in D.find_element(By.ID, "sign-terms").text,
          "the terms in words are shown before the signer's passphrase")
    act(D, "sign", as_key=sk, passphrase=sp, fill=lambda f: first_option(f, "offer"))
    open_case(D, case)
    act(D, "sign", as_key=ck, passphrase=cp, fill=lambda f: (first_option(f, "offer"),
                                                              f.find_element(By.NAME, "witness").click()))
    wait(P, lambda: P.find_element(By.ID, "agreement-state").get_attribute("data-state") == "final",
         "the agreement is final on the prosecution's node", reload_hash="#/case/" + case)
    shot(P, "final")
    check("已达成协议" in P.find_element(By.ID, "agreement-state").text, "the state in Chinese")
    # the observer's view: the victim's opinion, answered with reasons
    wait(O, lambda: O.find_element(By.ID, "agreement-state").get_attribute("data-state") == "final",
         "the agreement is final on the observer's node", reload_hash="#/case/" + case)
    ov = O.find_element(By.ID, "observer-view")
    check(len(ov.find_elements(By.CSS_SELECTOR, "tr[data-answered='yes']")) >= 1 and
          "被害人已获赔偿" in ov.text, "the observer sees the opinion answered, with the reasons")
    check(len(ov.find_elements(By.CSS_SELECTOR, "#checklist li[data-ok='yes']")) >= 5,
          "the observer sees the recording provisions' checklist (SPEC §17.2 item 14)")
    check("Settlements with the victim" in ov.text and "Settlement agreement (by both)" in ov.text and
          " · made" in ov.text, "the observer sees the settlement, made by both parties (SPEC §13.25)")
    shot(O, "observer-view")

    # 7. the certificate: downloaded, then verified on the verify page
    P.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": work})
    P.find_element(By.ID, "cert-link").click()
    cert = wait(P, lambda: next((os.path.join(work, n) for n in os.listdir(work)
                                 if n.endswith(".cert")), None), "the certificate download")
    P.execute_script("location.hash = '#/verify'")
    f = wait(P, lambda: P.find_element(By.ID, "form-verify"), "the verify page")
    f.find_element(By.NAME, "file").send_keys(cert)
    f.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    res = wait(P, lambda: P.find_element(By.CSS_SELECTOR, "#verify-result .result"), "the verification")
    shot(P, "verified")
    check(res.get_attribute("data-valid") == "yes", "the downloaded certificate verifies (%s)" % res.text[:100])
    check(subprocess.run([PARLEY, "verify", cert], capture_output=True).returncode == 0,
          "and `parley verify` agrees")
    v = json.loads(subprocess.run([PARLEY, "verify", cert, "--json"], capture_output=True).stdout)
    check(len(v["settlements"]) == 1 and v["settlements"][0]["paid"] == 3000000 and v["warnings"] == [],
          "the certificate holds the settlement both signed, and warns of nothing")


try:
    main()
except Exception as e:  # a step that timed out or crashed
    import traceback
    traceback.print_exc()
    failures.append(str(e))
finally:
    chrome.quit_all(drivers)
    for p in procs:
        p.send_signal(signal.SIGTERM)
    for p in procs:
        try:
            p.wait(10)
        except Exception:
            p.kill()
    if os.environ.get("KEEP"):
        print("kept", work)
    else:
        shutil.rmtree(work, ignore_errors=True)

print("browser: %d failure(s); screenshots in %s" % (len(failures), SHOTS))
sys.exit(1 if failures else 0)
