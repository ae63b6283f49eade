"""Development mail backend: each email printed as a person reads it.

Django's console backend prints the encoded MIME message, where a long link is split by
quoted-printable soft line breaks ("=" at the end of a line) and no longer works when copied.
This one prints the headers that matter and each text part decoded, every link whole.
"""

from django.core.mail.backends.console import EmailBackend as ConsoleBackend

SHOWN_HEADERS = ("From", "To", "Cc", "Reply-To", "Subject", "List-Unsubscribe", "Date")


class ReadableConsoleBackend(ConsoleBackend):
    def write_message(self, message):
        msg = message.message()
        lines = [f"{name}: {msg[name]}" for name in SHOWN_HEADERS if msg[name]]
        if message.bcc:
            lines.append(f"Bcc: {', '.join(message.bcc)}")
        lines.append("")
        parts = [p for p in msg.walk() if not p.is_multipart()]
        for part in parts:
            if part.get_content_maintype() != "text":
                lines.append(f"[{part.get_content_type()} attachment]")
                continue
            if len(parts) > 1:
                lines.append(f"[{part.get_content_type()}]")
            lines.append(part.get_content().rstrip("\n"))
        self.stream.write("\n".join(lines) + "\n")
        self.stream.write("-" * 79 + "\n")
