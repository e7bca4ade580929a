import json
import re
import shutil
import subprocess
from html.parser import HTMLParser

import pytest
from runs_helpers import MAPPING

from importer._models import Bucket, Outcome, Settlement, Summary
from importer.report._page import collect_codes, render_chart, write_page
from importer.report._summary import write_summary
from importer.report._writer import ReportWriter
from importer.run import dry_run


class _SummaryValues(HTMLParser):
    """Collect the text of every element tagged with data-summary."""

    def __init__(self):
        super().__init__()
        self.values, self._key = {}, None

    def handle_starttag(self, tag, attrs):
        self._key = dict(attrs).get("data-summary")

    def handle_data(self, data):
        if self._key:
            self.values[self._key] = data
            self._key = None


@pytest.fixture
def run_dir(tmp_path):
    with ReportWriter(tmp_path, ["member_id", "mobile"]) as writer:
        writer.write(
            {"member_id": "1", "mobile": "919988221100"},
            Settlement(
                2,
                Outcome.CREATED,
                created_id=5,
                attempts=1,
                warnings=[{"code": 8107, "message": "no default label"}],
            ),
        )
        for row in range(3, 8):
            writer.write(
                {"member_id": str(row), "mobile": f"91998822110{row}"},
                Settlement(
                    row,
                    Outcome.DUPLICATE,
                    code="8006",
                    message=f"Customer already exists, mobile 91998822110{row}",
                ),
            )
        writer.write(
            {"member_id": "9", "mobile": "12"},
            Settlement(
                9,
                Outcome.REJECTED,
                code="invalid_mobile",
                message="mobile '12' is not a valid phone number",
            ),
        )
        writer.write(
            {"member_id": "10", "mobile": "919988221110"},
            Settlement(10, Outcome.FAILED, code="503", message="retries exhausted"),
        )
    summary = Summary(
        input="members.csv",
        fingerprint="sha256:ab",
        job="members",
        run="20261126T000000Z",
        mapping="mappings/members.yaml",
        total_rows=8,
        requests=1234,
        retries=56,
        rate_limited=3,
        rpm_limit=100.0,
        achieved_rpm=97.25,
        started_at="2026-11-26T00:00:00+00:00",
        finished_at="2026-11-26T00:12:00+00:00",
        exit_code=1,
        timeline=[Bucket(t=5.0 * i, requests=8, retries=i % 2) for i in range(20)],
    )
    summary.outcomes.update(created=1, duplicate=5, rejected=1, failed=1)
    summary.rows_with_warnings = 1
    write_summary(tmp_path, summary)
    return tmp_path


def _expected(summary):
    return {
        "total_rows": f"{summary['total_rows']:,}",
        "requests": f"{summary['requests']:,}",
        "retries": f"{summary['retries']:,}",
        "rate_limited": f"{summary['rate_limited']:,}",
        "achieved_rpm": f"{summary['achieved_rpm']:,.1f}",
        "rpm_limit": f"{summary['rpm_limit']:,.0f}",
        "exit_code": str(summary["exit_code"]),
        "rows_with_warnings": str(summary["rows_with_warnings"]),
        **{f"outcomes.{k}": f"{v:,}" for k, v in summary["outcomes"].items()},
    }


def test_codes_are_counted_with_masked_examples(run_dir):
    codes = {(c.kind, c.code): c for c in collect_codes(run_dir)}
    assert codes[("duplicate", "8006")].rows == 5
    assert len(codes[("duplicate", "8006")].examples) == 3
    assert codes[("warning", "8107")].rows == 1
    assert codes[("failed", "503")].examples == [("10", "retries exhausted")]
    assert "9199" not in codes[("duplicate", "8006")].examples[0][1]


def test_page_shows_the_summary_and_no_identifier(run_dir):
    html = write_page(run_dir).read_text()
    parser = _SummaryValues()
    parser.feed(html)
    summary = json.loads((run_dir / "summary.json").read_text())
    for key, value in _expected(summary).items():
        assert parser.values[key] == value, key
    assert "919988221100" not in html and "91998822110" not in html
    assert '<a href="errors.csv">errors.csv</a> (2 rows)' in html
    assert "<script" not in html and "http://" not in html and "https://" not in html


def test_chart_draws_the_limit_only_when_there_is_one():
    timeline = [
        {"t": 0.0, "requests": 5, "rate_limited": 0, "retries": 0},
        {"t": 5.0, "requests": 8, "rate_limited": 1, "retries": 2},
    ]
    assert 'class="limit"' in render_chart(timeline, 100.0)
    assert 'class="limit"' not in render_chart(timeline, None)
    assert "No requests" in render_chart([], 100.0)


def _chromium():
    return (
        shutil.which("chromium")
        or shutil.which("chromium-browser")
        or shutil.which("google-chrome")
    )


@pytest.mark.skipif(
    not _chromium(), reason="no Chromium on this machine (.ci/run installs Debian's chromium)"
)
def test_page_renders_in_headless_chromium(run_dir, tmp_path_factory):
    page = write_page(run_dir)
    profile = tmp_path_factory.mktemp("chromium-profile")
    flags = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={profile}",
    ]
    dom = subprocess.run(
        [_chromium(), *flags, "--dump-dom", page.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    parser = _SummaryValues()
    parser.feed(dom)
    summary = json.loads((run_dir / "summary.json").read_text())
    for key, value in _expected(summary).items():
        assert parser.values[key] == value, key
    shot = tmp_path_factory.mktemp("shot") / "page.png"
    subprocess.run(
        [_chromium(), *flags, "--window-size=1200,1400", f"--screenshot={shot}", page.as_uri()],
        capture_output=True,
        timeout=120,
        check=True,
    )
    assert shot.stat().st_size > 10_000  # a blank page compresses to a few hundred bytes


def _code_rows(html):
    """(kind, rows) of every line of the page's breakdown by code."""
    return [(k, int(n)) for k, n in re.findall(r'<tr data-kind="([^"]+)" data-rows="(\d+)">', html)]


def test_a_dry_runs_page_shows_what_would_be_sent(tmp_path):
    source = tmp_path / "in.csv"
    source.write_text(
        "member_id,first_name,mobile\n"
        "M1,Ann,919988221100\nM2,Ben,12\nM3,Cat,919988221100\nM4,Dan,919988221101\n",
        encoding="utf-8",
    )
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text(MAPPING, encoding="utf-8")
    summary = dry_run(source, mapping, out=tmp_path / "out")
    html = (tmp_path / "out" / summary.job / summary.run / "report.html").read_text()
    parser = _SummaryValues()
    parser.feed(html)
    assert parser.values["sendable"] == "2"  # would be sent
    assert parser.values["outcomes.rejected"] == "1" and parser.values["outcomes.duplicate"] == "1"
    assert "outcomes.created" not in parser.values  # nothing is created by a dry run
    assert "would be sent" in html and "(dry run)" in html
    assert sorted(_code_rows(html)) == [("duplicate", 1), ("rejected", 1)]
