#!/usr/bin/env python3
"""Browser test of `bulletinlint serve`: the page in headless Chromium (Debian's chromium and
chromium-driver, driven by selenium).

Starts the built server on a free loopback port, uploads the reference page and a .docx, checks
the highlights and the side panel, clicks a finding and a highlight, applies one fix and then all
safe fixes, downloads the fixed text, the findings as JSON and (when the server can annotate) the
reviewed .docx, checks that document text is never run as HTML, that a corrupt .docx shows a clear
error, and that no request leaves 127.0.0.1. Stops the server at the end.

    Tests/browser/test_serve_page.py [--binary .build/debug/bulletinlint] [--screenshots docs/images]

Exit 0 when every check passes, 1 otherwise.
"""
import argparse
import json
import os
import urllib.error
import urllib.request
import uuid
import pathlib
import re
import subprocess
import sys
import tempfile
import time
import zipfile

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

ROOT = pathlib.Path(__file__).resolve().parents[2]
REFERENCE = ROOT / "Tests/BulletinLintCoreTests/Fixtures/sichuan-bulletin-2021-04-extract.txt"
DOCX = ROOT / "Tests/BulletinLintCoreTests/Fixtures/documents/bulletin-libreoffice.docx"

failures = []


def check(condition, what):
    print(("ok   " if condition else "FAIL ") + what, flush=True)
    if not condition:
        failures.append(what)


def start_server(binary):
    process = subprocess.Popen([binary, "serve", "--host", "127.0.0.1", "--port", "0"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 60
    while time.time() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        match = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        if match:
            return process, "http://127.0.0.1:%s" % match.group(1)
    process.kill()
    raise SystemExit("error: the server did not start: " + process.stderr.read())


def make_driver(downloads):
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for argument in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--window-size=1440,1100", "--lang=zh-CN", "--force-device-scale-factor=1",
                     "--no-first-run", "--disable-background-networking", "--disable-sync",
                     "--disable-component-update", "--disable-default-apps"]:
        options.add_argument(argument)
    options.add_experimental_option("prefs", {
        "download.default_directory": str(downloads),
        "download.prompt_for_download": False,
        "safebrowsing.enabled": False,
    })
    options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    driver.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
    return driver


def wait_for_file(folder, pattern, seconds=20):
    deadline = time.time() + seconds
    while time.time() < deadline:
        for path in folder.iterdir():
            if re.search(pattern, path.name) and not path.name.endswith(".crdownload"):
                return path
        time.sleep(0.2)
    return None


def upload(driver, path):
    field = driver.find_element(By.ID, "file")
    # The file input is hidden behind the drop zone; selenium needs it displayed to type into it.
    driver.execute_script("arguments[0].style.display = 'block';", field)
    field.send_keys(str(path))
    driver.execute_script("arguments[0].style.display = '';", field)
    driver.find_element(By.ID, "check").click()


def wait_result(driver, seconds=60):
    WebDriverWait(driver, seconds).until(
        lambda d: not d.find_element(By.ID, "result").get_attribute("hidden")
        and not d.execute_script("return document.body.classList.contains('busy')"))


def api(base, method, path, fields=None, files=None):
    """One request to the API: multipart when there are fields or files. Returns (status, headers, body)."""
    data, headers = None, {}
    if fields is not None or files is not None:
        boundary = "check-" + uuid.uuid4().hex
        parts = []
        for name, value in (fields or {}).items():
            parts.append(("--%s\r\nContent-Disposition: form-data; name=\"%s\"\r\n\r\n" % (boundary, name)).encode() + value.encode() + b"\r\n")
        for name, (filename, content) in (files or {}).items():
            parts.append(("--%s\r\nContent-Disposition: form-data; name=\"%s\"; filename=\"%s\"\r\n\r\n" % (boundary, name, filename)).encode() + content + b"\r\n")
        data = b"".join(parts) + ("--%s--\r\n" % boundary).encode()
        headers["Content-Type"] = "multipart/form-data; boundary=" + boundary
    request = urllib.request.Request(base + path, data=data, headers=headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def check_openapi(base):
    """The API's answers match the schemas of docs/openapi.yaml."""
    import jsonschema
    import yaml
    spec = yaml.safe_load((ROOT / "docs/openapi.yaml").read_text(encoding="utf-8"))

    def valid(body, schema_name, what):
        schema = {"$ref": "#/components/schemas/" + schema_name, "components": spec["components"]}
        try:
            jsonschema.validate(json.loads(body), schema, cls=jsonschema.Draft202012Validator)
            check(True, what + " matches " + schema_name)
        except jsonschema.ValidationError as error:
            check(False, what + " matches " + schema_name + ": " + error.message)

    reference = REFERENCE.read_bytes()
    status, _, body = api(base, "GET", "/api/health")
    valid(body, "Health", "GET /api/health")
    status, _, body = api(base, "GET", "/api/rules")
    valid(body, "Rules", "GET /api/rules")
    status, _, body = api(base, "POST", "/api/lint", files={"file": ("简报.txt", reference)})
    check(status == 200, "POST /api/lint answers 200")
    valid(body, "LintResult", "POST /api/lint")
    status, _, body = api(base, "POST", "/api/fix", files={"file": ("简报.txt", reference)})
    check(status == 200, "POST /api/fix answers 200")
    valid(json.dumps(json.loads(body)["result"]), "LintResult", "POST /api/fix's result")
    for path, fields, files, expected in [
        ("/api/lint", {"ruleset": "nope", "text": "测试。"}, None, 400),
        ("/api/lint", None, {"file": ("坏.docx", b"PK\x03\x04" + bytes(300))}, 422),
        ("/api/annotate", None, {"file": ("稿件.docx", DOCX.read_bytes())}, None),
    ]:
        status, headers, body = api(base, "POST", path, fields, files)
        if expected is not None:
            check(status == expected, "POST %s answers %d (%d)" % (path, expected, status))
        if status >= 400:
            valid(body, "Error", "the %d of POST %s" % (status, path))
    operations = set()
    for path, item in spec["paths"].items():
        for method in item:
            operations.add(method.upper() + " " + path)
    check(len(operations) == 8, "docs/openapi.yaml names 8 operations")


def findings(driver):
    return driver.find_elements(By.CSS_SELECTOR, "#findings li[data-id]")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default=str(ROOT / ".build/debug/bulletinlint"))
    parser.add_argument("--screenshots", help="folder to write the page's screenshots to")
    args = parser.parse_args()

    server, base = start_server(args.binary)
    downloads = pathlib.Path(tempfile.mkdtemp(prefix="bulletinlint-browser-"))
    driver = make_driver(downloads)
    try:
        run(driver, base, downloads, args.screenshots)
    finally:
        driver.quit()
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
        for path in downloads.iterdir():
            path.unlink()
        downloads.rmdir()
    if failures:
        print("%d check(s) failed" % len(failures))
        return 1
    print("browser test passed")
    return 0


def run(driver, base, downloads, screenshots):
    check_openapi(base)
    driver.get(base + "/")
    WebDriverWait(driver, 20).until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#ruleset option")) > 0)
    check(driver.title == "bulletinlint 简报检查", "the page opens with its Chinese title")
    names = [o.get_attribute("value") for o in driver.find_elements(By.CSS_SELECTOR, "#ruleset option")]
    check("default" in names and "bulletin" in names, "the rule sets are listed: %s" % names)
    if screenshots:
        driver.save_screenshot(str(pathlib.Path(screenshots) / "serve-start.png"))

    # The reference page: 17 warnings, 14 of them safely fixable (as the CLI says).
    upload(driver, REFERENCE)
    wait_result(driver)
    summary = driver.find_element(By.ID, "summary").text
    check("0 个错误" in summary and "17 个警告" in summary, "the summary counts the reference page's findings: " + summary)
    items = findings(driver)
    check(len(items) == 17, "the side panel lists 17 findings (%d)" % len(items))
    check("报头缺少简报名称" in items[0].text, "the first finding is the missing bulletin name")
    check("3月 24日" in items[2].text and "date-spacing" in items[2].text, "the third finding is the spaced date on line 5")
    marks = driver.find_elements(By.CSS_SELECTOR, "#doc mark.warning")
    check(len(marks) >= 14, "the text has warning highlights (%d)" % len(marks))
    first_mark = [m for m in marks if "2" in (m.get_attribute("data-ids") or "").split(" ")]
    check(bool(first_mark) and first_mark[0].text == "3月 24日", "the first highlight covers “3月 24日”")
    legend = driver.find_element(By.CSS_SELECTOR, ".legend").text
    check("错误" in legend and "警告" in legend and "提示" in legend, "a legend names the severities")

    # Click a finding far down the list: the text scrolls to it and flashes it; its help shows.
    target = items[-1]
    target_id = target.get_attribute("data-id")
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", target)
    target.click()
    flashed = driver.find_elements(By.CSS_SELECTOR, "#doc mark.flash")
    check(bool(flashed) and target_id in flashed[0].get_attribute("data-ids").split(" "), "clicking a finding flashes its place")
    if flashed:
        visible = driver.execute_script("""
            const r = arguments[0].getBoundingClientRect(), p = document.querySelector('.pane-main').getBoundingClientRect();
            return r.top >= p.top && r.bottom <= p.bottom;""", flashed[0])
        check(visible, "clicking a finding scrolls the text to it")
    detail = driver.find_element(By.ID, "detail")
    check(detail.is_displayed() and len(detail.text) > 10, "the finding's help is shown")
    # And back: a click on a highlight selects its finding in the side panel.
    driver.find_element(By.CSS_SELECTOR, "#doc mark.warning").click()
    selected = driver.find_elements(By.CSS_SELECTOR, "#findings li.selected")
    check(len(selected) == 1, "clicking a highlight selects its finding")
    driver.find_element(By.CSS_SELECTOR, "#detail button[data-back]").click()

    # Help with its norm: the distribution finding cites GB/T 9704.
    norm = [i for i in findings(driver) if "distribution-inner-terminator" in i.text]
    if norm:
        norm[0].click()
        check("GB/T 9704" in driver.find_element(By.ID, "detail").text, "the help shows its norm (GB/T 9704)")
    if screenshots:
        items = findings(driver)
        items[2].click()
        driver.execute_script("document.querySelector('.pane-main').scrollTop = 0; window.scrollTo(0, 0);")
        driver.save_screenshot(str(pathlib.Path(screenshots) / "serve-findings.png"))

    # Summary by rule and the inspect view.
    driver.find_element(By.CSS_SELECTOR, ".tabs button[data-tab=rules]").click()
    rows = driver.find_elements(By.CSS_SELECTOR, "#by-rule tbody tr")
    check(any("date-spacing" in r.text for r in rows), "the summary by rule lists date-spacing")
    driver.find_element(By.CSS_SELECTOR, ".tabs button[data-tab=inspect]").click()
    elements = driver.find_elements(By.CSS_SELECTOR, "#elements li")
    genre = driver.find_element(By.ID, "genre").text
    check(len(elements) > 3 and "简报" in genre, "the inspect view lists the recognised elements and the genre: " + genre)
    check(any(e.text.startswith("栏目") for e in elements), "the inspect view names the elements in Chinese (栏目)")
    if screenshots:
        driver.execute_script("window.scrollTo(0, 0);")
        driver.save_screenshot(str(pathlib.Path(screenshots) / "serve-inspect.png"))
    driver.find_element(By.CSS_SELECTOR, ".tabs button[data-tab=text]").click()

    # One fix, then every safe fix.
    driver.find_element(By.CSS_SELECTOR, "#findings button[data-fix='2']").click()
    WebDriverWait(driver, 30).until(lambda d: len(findings(d)) == 16)
    check("3月24日全省" in driver.find_element(By.ID, "doc").text, "the one fix is applied in the text")
    fix_all = driver.find_element(By.ID, "fix-all")
    check("13" in fix_all.text, "13 safe fixes are left: " + fix_all.text)
    fix_all.click()
    WebDriverWait(driver, 30).until(lambda d: len(findings(d)) == 3)
    check(not driver.find_element(By.ID, "fix-all").is_enabled(), "no safe fix is left after applying all")
    check("已应用 13 处修正" in driver.find_element(By.ID, "note").text, "the page says how many fixes it applied")
    if screenshots:
        driver.execute_script("window.scrollTo(0, 0);")
        driver.save_screenshot(str(pathlib.Path(screenshots) / "serve-fixed.png"))

    # Downloads: the fixed text and the findings.
    driver.find_element(By.ID, "download-text").click()
    text_file = wait_for_file(downloads, r"修正\.txt$")
    check(text_file is not None and "3月24日全省" in text_file.read_text(encoding="utf-8"), "the fixed text downloads")
    driver.find_element(By.ID, "download-json").click()
    json_file = wait_for_file(downloads, r"检查结果\.json$")
    if json_file:
        findings_json = json.loads(json_file.read_text(encoding="utf-8"))
        check(len(findings_json["findings"]) == 3, "the findings download as JSON")
    else:
        check(False, "the findings download as JSON")

    # A .docx: its text and findings show; the reviewed .docx downloads when the server can annotate.
    upload(driver, DOCX)
    wait_result(driver)
    check("bulletin-libreoffice.docx" in driver.find_element(By.ID, "summary").text, "a .docx is read and checked")
    check(len(driver.find_element(By.ID, "doc").text) > 0, "the .docx's text is shown")
    docx_findings = len(findings(driver))
    docx_marks = driver.find_elements(By.CSS_SELECTOR, "#doc mark")
    check(docx_findings > 0 and len(docx_marks) > 0, "the .docx's findings are listed (%d) and highlighted (%d)" % (docx_findings, len(docx_marks)))
    if screenshots:
        driver.find_elements(By.CSS_SELECTOR, "#findings li[data-id]")[0].click()
        driver.execute_script("window.scrollTo(0, 0);")
        driver.save_screenshot(str(pathlib.Path(screenshots) / "serve-docx.png"))
    health = json.loads(driver.execute_script("return fetch('/api/health').then(r => r.text())"))
    docx_button = driver.find_element(By.ID, "download-docx")
    if health.get("annotate"):
        docx_button.click()
        reviewed = wait_for_file(downloads, r"审校\.docx$", 60)
        ok = reviewed is not None and zipfile.is_zipfile(reviewed)
        if ok:
            with zipfile.ZipFile(reviewed) as archive:
                ok = "word/document.xml" in archive.namelist()
            with zipfile.ZipFile(reviewed) as archive:
                ok = ok and "word/comments.xml" in archive.namelist()
        check(ok, "the reviewed .docx downloads and opens as a Word package with comments")
    else:
        check(False, "the server can make the reviewed .docx (GET /api/health says annotate: false)")

    # An office's rule file: used when valid; when not, its error names the line and column.
    config_field = driver.find_element(By.ID, "config")
    good = downloads / "本单位.yaml"
    good.write_text("extends: default\nignore:\n  - path: \"**\"\n    rule: date-spacing\n    reason: 从 PDF 提取\n", encoding="utf-8")
    driver.execute_script("arguments[0].style.display = 'block';", config_field)
    config_field.send_keys(str(good))
    driver.execute_script("arguments[0].style.display = '';", config_field)
    check(driver.find_element(By.ID, "config-name").text == "本单位.yaml", "the chosen rule file is named")
    upload(driver, REFERENCE)
    wait_result(driver)
    rules_seen = " ".join(i.text for i in findings(driver))
    check(len(findings(driver)) == 3 and "date-spacing" not in rules_seen, "the uploaded rule file is used (its ignore drops date-spacing)")
    bad = downloads / "写错的.yaml"
    bad.write_text("extends: default\nrules:\n  - id: x\n    chek: regex\n", encoding="utf-8")
    driver.execute_script("arguments[0].style.display = 'block';", config_field)
    config_field.send_keys(str(bad))
    driver.execute_script("arguments[0].style.display = '';", config_field)
    driver.find_element(By.ID, "check").click()
    WebDriverWait(driver, 30).until(lambda d: d.find_element(By.ID, "error").is_displayed())
    message = driver.find_element(By.ID, "error").text
    check(re.search(r"第 \d+ 行第 \d+ 列", message) is not None, "a bad rule file shows its line and column: " + message)
    driver.find_element(By.ID, "config-clear").click()
    good.unlink()
    bad.unlink()

    # A corrupt .docx: a clear error, in Chinese.
    corrupt = downloads / "坏文件.docx"
    corrupt.write_bytes(b"PK\x03\x04" + bytes(range(256)) * 8)
    upload(driver, corrupt)
    WebDriverWait(driver, 30).until(lambda d: d.find_element(By.ID, "error").is_displayed())
    message = driver.find_element(By.ID, "error").text
    check(re.search(r"[\u4e00-\u9fff]", message) is not None, "a corrupt .docx shows a clear error: " + message)
    corrupt.unlink()

    # Document text is text: markup in it is shown, never run.
    driver.execute_script("document.getElementById('file').value = ''; window.__pwned = 0;")
    hostile = "<script>window.__pwned = 1</script><img src=x onerror=\"window.__pwned = 2\">\n3月 24日召开会议。\n"
    paste = driver.find_element(By.ID, "paste")
    driver.execute_script("arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('input'));", paste, hostile)
    driver.execute_script("window.__dropped = null;")
    driver.find_element(By.ID, "check").click()
    wait_result(driver)
    time.sleep(0.5)
    check(driver.execute_script("return window.__pwned") == 0, "markup in a document is not run")
    check("<script>window.__pwned = 1</script>" in driver.find_element(By.ID, "doc").text, "markup in a document is shown as text")
    check(not driver.find_elements(By.CSS_SELECTOR, "#doc img, #doc script"), "no element is made from document text")

    # Drag and drop a file onto the drop zone.
    driver.execute_script("""
        const dt = new DataTransfer();
        dt.items.add(new File(['四川省地方志工作简报\\n3月 24日召开会议。\\n'], '拖入的简报.txt', {type: 'text/plain'}));
        document.getElementById('drop').dispatchEvent(new DragEvent('drop', {dataTransfer: dt, bubbles: true, cancelable: true}));""")
    WebDriverWait(driver, 30).until(lambda d: "拖入的简报.txt" in d.find_element(By.ID, "summary").text)
    check(any("date-spacing" in i.text for i in findings(driver)), "a dropped file is checked")

    # Nothing left 127.0.0.1.
    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message.get("method") == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    outside = [u for u in urls if not (u.startswith(base + "/") or u.startswith("blob:") or u.startswith("data:"))]
    check(len(urls) > 5 and not outside, "no request leaves 127.0.0.1 (%d requests; outside: %s)" % (len(urls), outside[:5]))
    errors = [e for e in driver.get_log("browser") if e["level"] == "SEVERE" and "/api/" not in e["message"]]
    check(not errors, "no script error in the console: %s" % errors[:3])


if __name__ == "__main__":
    sys.exit(main())
