"""Django's conventions for what a command prints, for every pattern's commands.

``-v 0`` prints nothing on success (errors still go to stderr), ``-v 1`` a line a step,
``-v 2`` the details; a progress counter only on a terminal, where it redraws one line
(in a log or a pipe it would be thousands of lines).
"""


class CommandOutput:
    """Mix into a BaseCommand, before it: ``self.say()`` instead of ``self.stdout.write()``."""

    def execute(self, *args, **options):
        self.verbosity = options["verbosity"]
        return super().execute(*args, **options)

    def say(self, message, level=1):
        """Print a line at -v ``level`` and above."""
        if self.verbosity >= level:
            self.stdout.write(message)

    def progress(self, message, last=False):
        """Redraw one line on a terminal; elsewhere print only the ``last`` one."""
        if self.verbosity and self.stdout.isatty():
            self.stdout.write(f"\r{message}", ending="\n" if last else "")
            self.stdout.flush()
        elif last:
            self.say(message)
