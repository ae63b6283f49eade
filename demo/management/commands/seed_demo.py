from django.core.management.base import BaseCommand, CommandError

from demo.seed import DemoRefused, demo_seed

# The options passed on to demo_seed() as they are.
SEED_OPTIONS = ("size", "seed", "force", "reset", "password", "dry_run")


class Command(BaseCommand):
    help = (
        "Fill the site with clearly labelled demo data: domains, organizations, members "
        "(demo-member-N@example.org, unusable passwords unless --password) and evidence in "
        "every state with its review history. Refuses when real evidence exists unless "
        "--force; does nothing when demo data is already there unless --reset."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--size",
            type=int,
            default=60,
            help="Number of case studies (default 60); adaptations (40%%) and failure "
            "reports (30%%) scale with it.",
        )
        parser.add_argument(
            "--seed", type=int, default=None, help="Random seed, for a repeatable run."
        )
        parser.add_argument(
            "--force", action="store_true", help="Seed even though real evidence exists."
        )
        parser.add_argument(
            "--reset", action="store_true", help="Remove existing demo data first, then seed."
        )
        parser.add_argument(
            "--password",
            default=None,
            help="Give every demo user this password (default: unusable passwords).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Build everything, report, then roll back."
        )

    def handle(self, *args, verbosity, **options):
        if options["size"] < 0:
            raise CommandError("--size must be 0 or more.")
        say = self.stdout.write if verbosity >= 1 else None
        try:
            report = demo_seed(**{name: options[name] for name in SEED_OPTIONS}, progress=say)
        except DemoRefused as exc:
            raise CommandError(str(exc)) from exc
        if report.skipped:
            self.stdout.write(report.skipped)
            return
        if verbosity < 1:
            return
        if report.removed:
            removed = ", ".join(f"{n} {label}" for label, n in report.removed.items())
            self.stdout.write(f"Removed old demo data: {removed}.")
        for label, n in report.created.items():
            states = report.states.get(label)
            detail = ""
            if states:
                detail = " (" + ", ".join(f"{s}: {c}" for s, c in sorted(states.items())) + ")"
            self.stdout.write(f"  {label}: {n}{detail}")
        verb = "Would create (dry run, rolled back)" if options["dry_run"] else "Created"
        self.stdout.write(self.style.SUCCESS(f"{verb} demo data in {report.seconds:.1f}s."))
