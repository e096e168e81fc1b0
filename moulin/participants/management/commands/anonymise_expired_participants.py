from moulin.core.commands import WetRunCommand
from moulin.participants.services import anonymise_expired


class Command(WetRunCommand):
    help = (
        "Anonymise the participants whose retention period after exit has passed (pathway settings). "
        "Dry run unless --wet-run."
    )

    def run(self, *, wet: bool) -> str:
        count = anonymise_expired(actor=None)
        return f"{count} participant(s) anonymised (retention period over)."
