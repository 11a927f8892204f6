"""The click commands of ``kerjasama``, one module per command group; the only code under workflow/ that imports
click. Each command parses its options, calls one function of workflow/ and prints; shared.py holds the context
object, the options several commands share and the output helpers. cli.py loads a module when its command runs."""
