"""Mail backends for tests: one that counts its connections, one whose server is flaky."""

from django.core import mail
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend

opened: list[int] = []


class CountingBackend(LocmemBackend):
    """locmem that records each connection opened (like an SMTP session)."""

    def open(self):
        opened.append(1)
        return True


class RefusesSecondRecipient(LocmemBackend):
    def send_messages(self, messages):
        import smtplib

        for message in messages:
            if message.to == ["refused@example.org"]:
                raise smtplib.SMTPRecipientsRefused({"refused@example.org": (550, b"no")})
        return super().send_messages(messages)


class DownOnce(LocmemBackend):
    """The server is away at the first connection, then back."""

    calls = 0

    def open(self):
        type(self).calls += 1
        if type(self).calls == 1:
            raise ConnectionRefusedError("mail server down")
        return True


__all__ = ["CountingBackend", "DownOnce", "RefusesSecondRecipient", "mail"]
