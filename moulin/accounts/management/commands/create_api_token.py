from django.core.management.base import BaseCommand, CommandError

from moulin.accounts.models import ApiToken, User


class Command(BaseCommand):
    help = "Issue an API token for a user; the integration then sees exactly that user's scope."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("name", help="What the token is for, e.g. 'ministry dashboard'")

    def handle(self, *args, email, name, **options):
        user = User.objects.filter(email=email.lower()).first()
        if user is None:
            raise CommandError(f"No user with the email address {email}.")
        token, key = ApiToken.issue(user=user, name=name)
        self.stdout.write(f"Token {token} for {user.email}. Keep this key, it is shown only once:\n{key}")
