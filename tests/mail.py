"""An email backend for tests with a real worker process: each message is a file in
TEST_MAIL_DIR, so the test can count what was sent; while the file TEST_MAIL_GATE is named and
absent, sending waits (after writing TEST_MAIL_DIR/waiting), so a test can stop the worker
between taking an email task and sending it; with TEST_MAIL_GATE_AFTER=N, only once N emails
have been sent (to stop it between two emails of one task)."""

from __future__ import annotations

import os
import time
import uuid
from pathlib import Path

from django.core.mail.backends.base import BaseEmailBackend


class FolderBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        folder = Path(os.environ["TEST_MAIL_DIR"])
        gate = os.environ.get("TEST_MAIL_GATE")
        after = int(os.environ.get("TEST_MAIL_GATE_AFTER", "0"))
        if gate and len(list(folder.glob("*.eml"))) >= after:
            (folder / "waiting").touch()
            while not Path(gate).exists():
                time.sleep(0.05)
        for message in email_messages:
            text = f"To: {', '.join(message.to)}\nSubject: {message.subject}\n\n{message.body}"
            (folder / f"{uuid.uuid4().hex}.eml").write_text(text, encoding="utf-8")
        return len(email_messages)


def sent(folder: Path) -> list[str]:
    """The messages sent so far, as text."""
    return sorted(path.read_text(encoding="utf-8") for path in folder.glob("*.eml"))
