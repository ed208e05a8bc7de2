"""Locust users of the load test (`make load`): partners reading chapters and commenting the day
before the consultation closes, and the analyst preparing PDFs meanwhile. On publication day
(LOAD_READERS set) residents read the published report instead of the analyst's PDFs: each
opens a page of it every 2 to 5 seconds, without signing in, while the partners work.

Every user signs in through the real sign-in form with the right password (django-axes would
lock out wrong ones). Each comment the server confirms (a redirect to the new comment) is
counted, so the run can check that every one of them was stored.
"""

from __future__ import annotations

import json
import os
import random
import re
import time
from pathlib import Path

import gevent.event
import gevent.ssl
import urllib3
from locust import FastHttpUser, HttpUser, between, events, task
from locust.stats import StatsEntry

PLAN = json.loads(Path(os.environ["LOAD_PLAN"]).read_text())
PUBLICATION_DAY = bool(PLAN.get("readers"))
CSRF_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
DOWNLOAD_LINK = re.compile(r'href="([^"]+/download/)"')
EXPORT_TIMEOUT = 300
PUBLIC_PAGE = "public page (anonymous)"
SIGNING_IN = {"sign-in page", "sign in"}

# The load test's own self-signed certificate: nothing to verify, nothing to warn about.
urllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)

_partners = iter(PLAN["partners"])
_signed_in: list[str] = []
# Publication day: the partners are at work when the paper's link goes out, so the readers wait
# for them to sign in (a sign-in is 0.75 s of a core, PBKDF2 as Django sets it: twenty at once
# are the machine's whole capacity for several seconds, a storm that is not publication day).
partners_at_work = gevent.event.Event()
READERS_ARRIVE_OVER = 10  # seconds: the first readers come as the link goes out, not all at once
confirmed_comments: list[str] = []  # the bodies of comments the server said it stored


def _together(environment, entries) -> dict:
    merged = StatsEntry(environment.stats, "together", "")
    for entry in entries:
        merged.extend(entry)
    return {
        "count": merged.num_requests,
        "failures": merged.num_failures,
        "p50": merged.get_response_time_percentile(0.5),
        "p95": merged.get_response_time_percentile(0.95),
    }


@events.quitting.add_listener
def _write_result(environment, **_):
    # The signed-in users' requests together, for their target (issue 18: p95 under 300 ms), with
    # and without signing in: the 40 requests of 20 sign-ins are the top 5% of about 800.
    every = [entry for entry in environment.stats.entries.values() if entry.name != PUBLIC_PAGE]
    working = [entry for entry in every if entry.name not in SIGNING_IN]
    result = {
        "comments": confirmed_comments,
        "signed_in": _together(environment, every),
        "working": _together(environment, working),
    }
    Path(os.environ["LOAD_RESULT"]).write_text(json.dumps(result))


class SignedInUser(HttpUser):
    abstract = True
    username = ""

    def on_start(self):
        self.client.verify = False
        self.sign_in()

    def csrf_token(self, response) -> str:
        return CSRF_TOKEN.search(response.text).group(1)

    def post(self, path: str, data: dict, token: str, name: str):
        # Django checks the Referer of HTTPS form posts.
        return self.client.post(
            path,
            {**data, "csrfmiddlewaretoken": token},
            headers={"Referer": self.host + path},
            allow_redirects=False,
            name=name,
            catch_response=True,
        )

    def sign_in(self) -> None:
        page = self.client.get("/accounts/login/", name="sign-in page")
        credentials = {"username": self.username, "password": PLAN["password"]}
        with self.post("/accounts/login/", credentials, self.csrf_token(page), "sign in") as r:
            if r.status_code != 302:
                r.failure(f"sign-in answered {r.status_code}")


# One TLS context for every reader. Left to itself, each reader's connection pool builds its own
# and loads certifi's 150 authorities into it, although nothing is verified: 70 ms of locust's one
# core each, so 200 readers arriving over 10 s held up every user in the process by up to 2 s
# (time that the run charged to the server).
_READERS_TLS = gevent.ssl._create_unverified_context()  # the throw-away certificate


def _readers_tls(**_) -> gevent.ssl.SSLContext:
    return _READERS_TLS


class Reader(FastHttpUser):
    """A resident who followed the local paper's link: reads the published report. On locust's
    lighter client (geventhttpclient, no certificate checks): a plain GET needs nothing else."""

    abstract = not PUBLICATION_DAY
    fixed_count = PLAN.get("readers", 0)
    wait_time = between(2, 5)
    ssl_context_factory = staticmethod(_readers_tls)

    def on_start(self):
        partners_at_work.wait(timeout=120)
        gevent.sleep(random.uniform(0, READERS_ARRIVE_OVER))

    @task
    def read_a_page(self):
        self.client.get(random.choice(PLAN["public_pages"]), name=PUBLIC_PAGE)


class Partner(SignedInUser):
    """Reads chapters, now and then comments on one."""

    wait_time = between(1, 4)
    if PUBLICATION_DAY:
        fixed_count = len(PLAN["partners"])

    def on_start(self):
        self.username = next(_partners)
        super().on_start()
        _signed_in.append(self.username)
        if len(_signed_in) == len(PLAN["partners"]):
            partners_at_work.set()

    @task(4)
    def read_a_chapter(self):
        if random.random() < 0.2:
            self.client.get(PLAN["assessment"], name="assessment page")
        self.client.get(random.choice(PLAN["chapters"]), name="chapter page")

    @task(1)
    def comment_on_a_chapter(self):
        chapter = random.choice(PLAN["chapters"])
        page = self.client.get(chapter, name="chapter page")
        body = f"{self.username} at {time.time():.6f}: the figures for the estates need a source."
        with self.post(f"{chapter}comments/", {"body": body, "on": ""}, self.csrf_token(page),
                       "post a comment") as response:  # fmt: skip
            if response.status_code == 302 and "#comment-" in response.headers["Location"]:
                confirmed_comments.append(body)
            else:
                response.failure(f"comment not posted: {response.status_code}")


class Analyst(SignedInUser):
    """Prepares the public or the restricted PDF, follows its progress and downloads it."""

    abstract = PUBLICATION_DAY  # on publication day the PDF was made at publishing
    fixed_count = 1
    wait_time = between(5, 10)
    username = PLAN["analyst"]

    @task
    def export_a_pdf(self):
        page = self.client.get(PLAN["assessment"], name="assessment page")
        variant = random.choice(["public", "restricted"])
        with self.post(f"{PLAN['assessment']}pdf/", {"variant": variant}, self.csrf_token(page),
                       "request a PDF") as response:  # fmt: skip
            if response.status_code != 302:
                response.failure(f"export request answered {response.status_code}")
                return
        status_url = response.headers["Location"]
        deadline = time.monotonic() + EXPORT_TIMEOUT
        while time.monotonic() < deadline:
            status = self.client.get(status_url, name="export progress")
            link = DOWNLOAD_LINK.search(status.text)
            if link:
                self.client.get(link.group(1), name="download the PDF")
                return
            time.sleep(2)
        events.request.fire(
            request_type="PDF", name="export finished", response_time=EXPORT_TIMEOUT * 1000,
            response_length=0, exception=TimeoutError("export not ready in time"),
        )  # fmt: skip
