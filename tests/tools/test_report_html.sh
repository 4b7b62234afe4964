#!/bin/sh
# report.html in a real browser. Headless Chromium loads the page that
# `parley report --html` writes from the demo's log: the chart and the tables
# are in the DOM with the numbers the demo negotiated, and the page makes no
# request. Chromium's own network log is the witness: it records every
# request the page makes (a copy without the page's Content-Security-Policy
# and with an injected <img> and CSS background shows both requests), the real
# page makes none, and with the policy in place Chromium blocks the injected
# ones and says so on the console.
# Usage: test_report_html.sh BUILD_DIR DEMO_DIR (the demo must have run).
# Needs chromium and python3 (scripts/deps.sh installs both).
set -u
build=${1:?build dir}
demo=${2:?demo dir}
parley=$build/cli/parley
chromium=${CHROMIUM:-chromium}
tmp=$(mktemp -d /tmp/parley-report-html-XXXXXX) || exit 1
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' HUP INT TERM
out=$tmp/out
. "$(dirname "$0")/cli_lib.sh"

# Missing tools are a failure, not a skip: the dependency step installs them.
for tool in "$chromium" python3; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "FAIL: '$tool' not found: run scripts/deps.sh (as root it installs what is missing)"
        echo "0 passed, 1 failed"
        exit 1
    fi
done

# browse NAME PAGE: load PAGE in headless Chromium with a fresh profile.
# NAME.dom is the DOM after the load event, NAME.err Chromium's log with the
# page's console messages, NAME.netlog every request the browser made.
browse() {
    timeout -k 5 60 "$chromium" --headless --no-sandbox --disable-gpu --disable-dev-shm-usage \
        --user-data-dir="$tmp/profile-$1" --no-first-run --no-default-browser-check \
        --disable-background-networking --disable-component-update --disable-sync \
        --disable-default-apps --disable-extensions --enable-logging=stderr --v=0 \
        --log-net-log="$tmp/$1.netlog" --dump-dom "file://$2" >"$tmp/$1.dom" 2>"$tmp/$1.err" ||
        { echo "chromium exit $?"; tail -5 "$tmp/$1.err"; return 1; }
}

# requests NETLOG: the URLs of the requests the page made, one a line.
# Chromium itself still talks to its update and account services in
# headless mode; those requests have no initiator ("not an origin") and a
# network isolation key that is not the page's file:// one. Everything else
# with a scheme that leaves the browser counts, whichever netlog source it
# appears in (a request, a preconnect, a stream job). Exit 1 when the log is
# unreadable or empty: then it proves nothing.
requests() {
    python3 - "$1" <<'EOF'
import json, re, sys
try:
    log = json.load(open(sys.argv[1]))
    events = log["events"]
except (OSError, ValueError, KeyError) as e:
    sys.exit("netlog %s unreadable: %s" % (sys.argv[1], e))
if not events:
    sys.exit("netlog %s has no events" % sys.argv[1])
inside = ("file:", "data:", "about:", "blob:", "chrome:", "chrome-extension:",
          "chrome-untrusted:", "devtools:", "filesystem:")
urls, browser = {}, set()
for e in events:
    p, src = e.get("params") or {}, e["source"]["id"]
    if isinstance(p.get("url"), str):
        urls.setdefault(src, set()).add(p["url"])
    if p.get("initiator") == "not an origin" and "file:" not in str(p.get("network_isolation_key")):
        browser.add(src)
own = {u for s in browser for u in urls.get(s, ())}
page = {u for s, us in urls.items() if s not in browser for u in us}
for u in sorted(page - own):
    if not u.lower().startswith(inside):
        print(u)
EOF
}

# 1. The page, as the CLI writes it from the demo's log.
page=$tmp/report.html
check 0 "parley report --html" "$parley" report "$demo/case.log" --html -o "$page"
check 0 "chromium loads report.html" browse real "$page"
contains "the page lists the recording provisions' checklist (SPEC §17.2 item 14)" \
    "(7) the suspect signed in a fixed session, counsel witnessing" cat "$page"
# Chinese first (issue 15 §1): the same page under a Chinese locale
check 0 "parley report --html in Chinese" env -u LANGUAGE -u LC_ALL -u LC_MESSAGES \
    LANG=zh_CN.UTF-8 "$parley" report "$demo/case.log" --html -o "$tmp/report-zh.html"
for text in 'lang="zh-CN"' 参与人 各方提出的主刑与缓刑 观察员抽选 "证据开示（R7）" 已确定 \
    "由 parley" 'id="checklist"' "同步录音录像规定核对" "[x] （七）犯罪嫌疑人在已确定的会见中签署"; do
    contains "the Chinese page holds $text" "$text" cat "$tmp/report-zh.html"
done

# 2. What Chromium rendered: one line per check, "ok: ..." or "FAIL: ...".
# The numbers are the demo's (Case 1): the prosecution offers 3 then 2
# months of detention, the defense counters with 2; the prosecution answers
# the counter-offer (partly adopted) and the victim's opinion (adopted); two
# items disclosed, one public session at the procuratorate; three signatures.
python3 - "$tmp/real.dom" >"$tmp/dom-checks" 2>&1 <<'EOF'
import math, re, sys
from html.parser import HTMLParser

class Page(HTMLParser):
    """The parts of the DOM the checks need: tables by id (data rows as
    lists of cell texts), the chart's polylines and circles, the policy,
    and anything that could make the browser fetch."""
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tables, self.polylines, self.circles = {}, [], []
        self.svg, self.csp, self.fetching = None, [], []
        self.table = self.row = self.cell = self.circle = None
        self.in_head, self.style_seen, self.csp_after_style = False, False, False
        self.in_style, self.style_text = False, ""

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "head":
            self.in_head = True
        elif tag == "body":
            self.in_head = False
        elif tag == "style":
            self.style_seen, self.in_style = True, True
        elif tag == "meta" and (a.get("http-equiv") or "").lower() == "content-security-policy":
            self.csp.append((self.in_head, a.get("content") or ""))
            self.csp_after_style |= self.style_seen
        elif tag == "table":
            self.table = self.tables.setdefault(a.get("id"), [])
        elif tag == "tr":
            self.row = []
        elif tag in ("td", "th"):
            self.cell = [tag, ""]
        elif tag == "svg":
            self.svg = a
        elif tag == "polyline":
            pts = [tuple(float(v) for v in p.split(",")) for p in (a.get("points") or "").split()]
            self.polylines.append((a.get("class"), pts))
        elif tag == "circle":
            self.circle = [a.get("class"), float(a["cx"]), float(a["cy"]), ""]
            self.circles.append(self.circle)
        if tag in ("script", "link", "img", "iframe", "frame", "object", "embed", "audio",
                   "video", "source", "track", "base", "form", "image", "use", "feimage"):
            self.fetching.append("<%s>" % tag)
        for k, v in a.items():
            if k in ("src", "href", "xlink:href", "srcset", "action", "formaction", "poster",
                     "background", "data", "ping") or "url(" in (v or ""):
                self.fetching.append("<%s %s=%r>" % (tag, k, v))

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.cell is not None and self.row is not None:
            self.row.append(tuple(self.cell))
            self.cell = None
        elif tag == "tr" and self.row is not None and self.table is not None:
            if any(kind == "td" for kind, _ in self.row):
                self.table.append([text.strip() for _, text in self.row])
            self.row = None
        elif tag == "table":
            self.table = None
        elif tag == "circle":
            self.circle = None
        elif tag == "style":
            self.in_style = False

    def handle_data(self, data):
        if self.cell is not None:
            self.cell[1] += data
        if self.circle is not None:
            self.circle[3] += data
        if self.in_style:
            self.style_text += data

p = Page()
p.feed(open(sys.argv[1], encoding="utf-8").read())

def check(ok, what, detail=""):
    print("ok: " + what if ok else "FAIL: " + what + (": " + detail if detail else ""))

# the summary: verified, final
summary = {r[0]: r[1] for r in p.tables.get("summary", []) if len(r) == 2}
verified = summary.get("verification", "")
check(verified.startswith("the log verifies"), "summary shows the verification result", repr(verified))
check(summary.get("agreement", "").startswith("final"), "summary shows the final agreement",
      repr(summary.get("agreement")))
check(re.fullmatch(r"drawn in round 1 from a pool of 3: [0-9a-f]{4}(-[0-9a-f]{4}){4}",
                   summary.get("observer", "")) is not None,
      "summary names the observer drawn from the pool (R8)", repr(summary.get("observer")))

# the chart: one polyline and one dot per offer of each side, at the months offered
check(p.svg is not None and p.svg.get("id") == "penalty-chart", "the <svg id=penalty-chart> is there")
vb = [float(v) for v in (p.svg or {}).get("viewbox", "0 0 0 0").split()]
series = {cls: pts for cls, pts in p.polylines if "probation" not in cls}
probation = {cls.split()[0]: pts for cls, pts in p.polylines if "probation" in cls}
check(sorted(series) == ["defense", "prosecution"], "a polyline for each side", repr(sorted(series)))
# issue 15 §3: probation, dashed, where an offer gives one: the
# prosecution's final offer (3 months) and the defense's counter (4)
check({k: len(v) for k, v in probation.items()} == {"prosecution": 1, "defense": 1},
      "a probation line for each side, one point each", repr(probation))
if probation.get("prosecution") and probation.get("defense") and series.get("prosecution"):
    check(probation["defense"][0][1] < probation["prosecution"][0][1],
          "4 months of probation sit higher than 3", repr(probation))
check(len(series.get("prosecution", [])) == 2 and len(series.get("defense", [])) == 1,
      "the prosecution's line has its 2 offers, the defense's its 1",
      repr({k: len(v) for k, v in series.items()}))
inside = all(math.isfinite(x) and math.isfinite(y) and vb[0] <= x <= vb[0] + vb[2]
             and vb[1] <= y <= vb[1] + vb[3] for pts in series.values() for x, y in pts)
check(inside and len(vb) == 4, "every point lies inside the chart", repr(series))
titles = [c[3].strip() for c in p.circles]
want = ["prosecution: 3 months", "prosecution: 2 months", "defense: 2 months"]
check(titles == want, "the dots carry the demo's offers %s" % want, repr(titles))
dots = {c[3].strip(): (c[1], c[2]) for c in p.circles}
line_pts = [(c[1], c[2]) for c in p.circles if c[0] == "prosecution"]
check(line_pts == series.get("prosecution"), "the prosecution's line runs through its dots",
      repr((line_pts, series.get("prosecution"))))
if all(t in dots for t in want):
    p3, p2, d2 = (dots[t] for t in want)
    check(p3[1] < p2[1] and p2[1] == d2[1], "more months sit higher; equal months level",
          repr(dots))
    check(p3[0] < d2[0] < p2[0], "left to right in the order offered (P 08:10, D 08:11, P 08:13)",
          repr(dots))

# participants by name, the draw, the unilateral acts (issue 15 §3)
parts = p.tables.get("participants", [])
check(sorted((r[0], r[1]) for r in parts) == [("counsel", "赵刚"), ("prosecution", "王敏"),
                                               ("suspect", "李明"), ("victim", "陈华")] and
      all(r[3] == "holds the role" for r in parts),
      "participants: each role with its name, holding it now", repr(parts))
check(p.tables.get("draw") == [["1", "revealed", "revealed"]],
      "the draw: round 1, both sides revealed", repr(p.tables.get("draw")))
check(p.tables.get("unilateral") == [], "no unilateral act in Case 1", repr(p.tables.get("unilateral")))

# the timeline: one row per signed message, every one ok
timeline = p.tables.get("timeline", [])
m = re.search(r"(\d+) messages", verified)
check(m is not None and len(timeline) == int(m.group(1)),
      "the timeline has a row for each message the summary counts",
      "%d rows, summary %r" % (len(timeline), verified))
check(timeline and all(len(r) == 5 and r[4] == "ok" for r in timeline),
      "every timeline row has 5 cells and verdict ok", repr([r for r in timeline if r[-1:] != ["ok"]][:2]))
check([r[2] for r in timeline].count("offer") == 3 and [r[2] for r in timeline].count("sign") == 3,
      "the timeline has the 3 offers and 3 signatures", repr([r[2] for r in timeline]))

# inputs and their answers, disclosures, sessions, violations
inputs = p.tables.get("inputs", [])
check([(r[0], r[2]) for r in inputs] == [("counsel", "partly_adopted"), ("victim", "adopted")],
      "inputs: the counter-offer partly adopted, the victim's opinion adopted",
      repr(inputs))
check(all(len(r) == 4 and r[3] for r in inputs), "every answer gives its reasons", repr(inputs))
disc = p.tables.get("disclosures", [])
check(len(disc) == 2 and "blood" in disc[0][0].lower() and "dash-cam" in disc[1][0].lower() and
      all(r[2] == "yes, before signing" for r in disc),
      "disclosures: blood test and dash-cam video, acknowledged before signing", repr(disc))
sessions = p.tables.get("sessions", [])
check(len(sessions) == 2 and "detention facility" in sessions[0][1] and
      sessions[0][2:5] == ["prosecution", "declined", "no"] and
      sessions[1][1].startswith("检察院") and sessions[1][2:6] == ["counsel", "fixed", "yes", "1"],
      "sessions: the detention-facility one declined; the public one at the procuratorate fixed, "
      "with its recording", repr(sessions))
check("violations" in p.tables and p.tables["violations"] == [], "violations: the table, empty",
      repr(p.tables.get("violations")))

# nothing that fetches; the policy first in <head>
fetch = p.fetching + [s for s in ("url(", "@import") if s in p.style_text]
check(not fetch, "no element, attribute or style in the DOM refers outside the page", repr(fetch))
check(len(p.csp) == 1 and p.csp[0][0] and not p.csp_after_style and
      "default-src 'none'" in p.csp[0][1], "one Content-Security-Policy, default-src 'none', "
      "in <head> before the style", repr(p.csp))
EOF
if [ $? -ne 0 ]; then
    fail=$((fail + 1))
    echo "FAIL: the DOM checks stopped short:"
    grep -v '^ok: ' "$tmp/dom-checks" | tail -5 | sed 's/^/    /'
fi
pass=$((pass + $(grep -c '^ok: ' "$tmp/dom-checks")))
fail=$((fail + $(grep -c '^FAIL: ' "$tmp/dom-checks")))
grep '^FAIL: ' "$tmp/dom-checks"

# 3. No request leaves the page.
if requests "$tmp/real.netlog" >"$tmp/real.req" 2>&1 && [ ! -s "$tmp/real.req" ]; then
    pass=$((pass + 1))
else
    fail=$((fail + 1))
    echo "FAIL: report.html made requests (or the netlog is unreadable):"
    sed 's/^/    /' "$tmp/real.req" | head -5
fi
if grep -q 'Content Security Policy' "$tmp/real.err"; then
    fail=$((fail + 1))
    echo "FAIL: the page's own policy blocks part of the page:"
    grep 'Content Security Policy' "$tmp/real.err" | head -3 | sed 's/^/    /'
else
    pass=$((pass + 1))
fi

# The detector sees requests: the same page without its policy and with text
# that fetches (as if escaping had failed) makes two requests to loopback
# (port 9: refused at once), and the netlog shows both.
inject='<img src="http://127.0.0.1:9/x.png"><div style="background:url(http://127.0.0.1:9/y.png);height:9px"></div>'
sed "s|<h1>|$inject<h1>|" "$page" >"$tmp/injected.html"
grep -v 'http-equiv="Content-Security-Policy"' "$tmp/injected.html" >"$tmp/no-policy.html"
check 1 "the injection took" cmp -s "$page" "$tmp/injected.html"
check 1 "the policy-less copy has lost the policy" cmp -s "$tmp/injected.html" "$tmp/no-policy.html"
check 0 "chromium loads the policy-less injected copy" browse open "$tmp/no-policy.html"
requests "$tmp/open.netlog" >"$tmp/open.req" 2>&1
for u in http://127.0.0.1:9/x.png http://127.0.0.1:9/y.png; do
    contains "the netlog shows the injected request to $u" "$u" cat "$tmp/open.req"
done

# With the policy, Chromium blocks both, makes no request, and says why.
check 0 "chromium loads the injected copy with the policy" browse csp "$tmp/injected.html"
if requests "$tmp/csp.netlog" >"$tmp/csp.req" 2>&1 && [ ! -s "$tmp/csp.req" ]; then
    pass=$((pass + 1))
else
    fail=$((fail + 1))
    echo "FAIL: the policy let the injected requests through (or the netlog is unreadable):"
    sed 's/^/    /' "$tmp/csp.req" | head -5
fi
for u in http://127.0.0.1:9/x.png http://127.0.0.1:9/y.png; do
    if grep -F "$u" "$tmp/csp.err" | grep -q 'Content Security Policy'; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
        echo "FAIL: the console does not report the policy blocking $u"
    fi
done

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
