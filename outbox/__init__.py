"""Every email the site sends: stored, queued on commit, sent by the task worker.

`email_queue(messages)` (outbox/services.py) is the one way to send email. It stores each
message as an OutgoingEmail row inside the caller's transaction and, once that commits,
enqueues one `send_emails` task (django.tasks) for the batch. The worker
(`manage.py db_worker`) sends the batch over one connection of the default mailer; a
failed send is retried with a growing delay and, after EMAIL_MAX_ATTEMPTS, recorded as
failed (visible in the admin). Nothing is sent inside a request, and nothing is lost.
"""
