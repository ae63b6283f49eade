from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from accounts.services import user_grant_maintainer, user_revoke_maintainer


class Command(BaseCommand):
    help = "Make the person with this email a maintainer (or, with --revoke, no longer one)."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--revoke", action="store_true", help="Remove maintainer rights.")
        parser.add_argument(
            "--create",
            action="store_true",
            help="Create the account (with a verified email and an unusable password) if missing.",
        )

    def handle(self, *args, email, revoke, create, **options):
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            if not create:
                raise CommandError(
                    f"No account uses {email}. Sign up first, or pass --create to make one."
                )
            from allauth.account.models import EmailAddress

            user = User.objects.create_user(email=email)
            EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
            self.stdout.write(
                f"Created an account for {email} (set a password with 'Forgot password')."
            )
        if revoke:
            user_revoke_maintainer(user=user)
            self.stdout.write(self.style.SUCCESS(f"{email} is no longer a maintainer."))
        else:
            user_grant_maintainer(user=user)
            self.stdout.write(self.style.SUCCESS(f"{email} is now a maintainer."))
